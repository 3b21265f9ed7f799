// SPDX-License-Identifier: GPL-2.0
/*
 * machctl: the operator's tool, run as a program (as an operator would),
 * each command's output checked against tasks, threads and ports the test
 * made, as tables and as --json; its exit codes and messages.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define OUT_MAX (256 * 1024)

/* Runs cmd (with sh) as the given uid (-1: as we are): its exit status, output in out. */
static int run_as(int uid, char *out, const char *fmt, ...)
{
	char cmd[512];
	size_t len = 0;
	va_list ap;
	FILE *p;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (uid >= 0) {
		char inner[600];

		/* busybox su would want a passwd entry: drop to uid in a child instead. */
		snprintf(inner, sizeof(inner), "%s", cmd);
		fflush(stdout);
		int fds[2];
		pid_t kid;

		if (pipe(fds))
			return -1;
		kid = fork();
		if (kid == 0) {
			dup2(fds[1], 1);
			dup2(fds[1], 2);
			close(fds[0]);
			if (setgid(uid) || setuid(uid))
				_exit(120);
			execl("/bin/sh", "sh", "-c", inner, NULL);
			_exit(127);
		}
		close(fds[1]);
		for (ssize_t n; (n = read(fds[0], out + len, OUT_MAX - 1 - len)) > 0;)
			len += n;
		out[len] = '\0';
		close(fds[0]);
		if (waitpid(kid, &status, 0) != kid)
			return -1;
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	for (size_t n; (n = fread(out + len, 1, OUT_MAX - 1 - len, p)) > 0;)
		len += n;
	out[len] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define run(out, ...) run_as(-1, out, __VA_ARGS__)

/* The JSON object of out (an array of objects, one line) that has key, or NULL. */
static char *object_with(char *out, const char *key, char *buf, size_t size)
{
	char *at = strstr(out, key), *start, *end;
	int depth = 0;

	if (!at)
		return NULL;
	/* Back to the '{' that opens the object key is in (at depth 0 of it). */
	for (start = at; start > out; start--) {
		if (*start == '}')
			depth++;
		else if (*start == '{' && depth-- == 0)
			break;
	}
	for (end = start + 1, depth = 0; *end; end++) {
		if (*end == '{')
			depth++;
		else if (*end == '}' && depth-- == 0)
			break;
	}
	if (*start != '{' || !*end || (size_t)(end - start + 2) > size)
		return NULL;
	memcpy(buf, start, end - start + 1);
	buf[end - start + 1] = '\0';
	return buf;
}

/* The line of a table whose first column is first, or NULL. */
static char *line_of(char *out, unsigned int first, char *buf, size_t size)
{
	char *line = out;

	while (line && *line) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned int v;

		if (sscanf(line, "%u", &v) == 1 && v == first && len < size) {
			memcpy(buf, line, len);
			buf[len] = '\0';
			return buf;
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

FIXTURE(machctl) {
	char *out;
	char obj[4096];
	char want[128];
};

FIXTURE_SETUP(machctl)
{
	ASSERT_NE(MACH_PORT_NULL, mach_task_self());
	/* This harness would run the test after a skipped setup: leave. */
	if (system("command -v machctl >/dev/null 2>&1"))
		SKIP(_exit(255), "no machctl in PATH");
	self->out = malloc(OUT_MAX);
	ASSERT_NE(NULL, self->out);
}

FIXTURE_TEARDOWN(machctl)
{
	free(self->out);
}

/* tasks: a child made by task_create and suspended once, and this task. */
TEST_F(machctl, tasks)
{
	mach_port_t me = mach_task_self(), theirs;
	char line[512], origin[32];
	unsigned int pid_col, ppid, suspend, threads, ports;
	char parent[16], node[16];
	task_t child;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, task_create(me, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &theirs));

	ASSERT_EQ(0, run(self->out, "machctl --json tasks"));
	EXPECT_EQ('[', self->out[0]);
	snprintf(self->want, sizeof(self->want), "{\"pid\":%d,", pid);
	ASSERT_NE(NULL, object_with(self->out, self->want, self->obj, sizeof(self->obj))) {
		TH_LOG("%s", self->out);
	}
	snprintf(self->want, sizeof(self->want), "\"parent\":%d,", getpid());
	EXPECT_NE(NULL, strstr(self->obj, self->want)) TH_LOG("%s", self->obj);
	EXPECT_NE(NULL, strstr(self->obj, "\"origin\":\"task_create\""));
	EXPECT_NE(NULL, strstr(self->obj, "\"suspend_count\":1,"));
	EXPECT_NE(NULL, strstr(self->obj, "\"ports\":1,\"rights\":{\"send\":0,\"receive\":1,"));
	snprintf(self->want, sizeof(self->want), "{\"pid\":%d,", getpid());
	ASSERT_NE(NULL, object_with(self->out, self->want, self->obj, sizeof(self->obj)));
	snprintf(self->want, sizeof(self->want), "\"task_port\":%u,", me);
	EXPECT_NE(NULL, strstr(self->obj, self->want)) TH_LOG("%s", self->obj);
	EXPECT_NE(NULL, strstr(self->obj, "\"origin\":\"self\""));

	/* The table: PID PPID PARENT ORIGIN NODE SUSPEND THREADS PORTS ... */
	ASSERT_EQ(0, run(self->out, "machctl tasks"));
	EXPECT_EQ(self->out, strstr(self->out, "    PID    PPID  PARENT ORIGIN"));
	ASSERT_NE(NULL, line_of(self->out, pid, line, sizeof(line))) TH_LOG("%s", self->out);
	ASSERT_EQ(8, sscanf(line, "%u %u %15s %31s %15s %u %u %u", &pid_col, &ppid, parent,
			    origin, node, &suspend, &threads, &ports)) TH_LOG("%s", line);
	EXPECT_EQ(getpid(), atoi(parent));
	EXPECT_STREQ("task_create", origin);
	EXPECT_EQ(1, suspend);
	EXPECT_LE(1, threads);		/* its agent */
	EXPECT_EQ(1, ports);

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(me, child);
}

/*
 * threads: a Mach thread suspended twice; the agent, which has no count;
 * the spare the agent cloned after the second thread_create.
 */
TEST_F(machctl, threads)
{
	thread_act_t thread, second;
	task_t child;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, thread_create(child, &thread));
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
	ASSERT_EQ(KERN_SUCCESS, thread_create(child, &second));
	ASSERT_EQ(KERN_SUCCESS, thread_terminate(second));
	mach_port_deallocate(mach_task_self(), second);
	for (int i = 0; i < 200; i++) {
		ASSERT_EQ(0, run(self->out, "machctl --json threads %d", pid));
		if (strstr(self->out, "\"spare\":true"))
			break;
		usleep(10 * 1000);
	}
	ASSERT_NE(NULL, object_with(self->out, "\"spare\":true", self->obj, sizeof(self->obj)))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->obj, "\"agent\":false"));
	EXPECT_NE(NULL, strstr(self->obj, "\"suspend_count\":null"));

	ASSERT_EQ(0, run(self->out, "machctl --json threads %d", pid));
	EXPECT_NE(NULL, strstr(self->out, "\"suspend_count\":2,")) TH_LOG("%s", self->out);
	ASSERT_NE(NULL, object_with(self->out, "\"agent\":true", self->obj, sizeof(self->obj)));
	EXPECT_NE(NULL, strstr(self->obj, "\"suspend_count\":null"));
	ASSERT_EQ(0, run(self->out, "machctl threads %d", pid));
	EXPECT_EQ(self->out, strstr(self->out, "    TID STATE            AGENT SUSPEND"));
	EXPECT_NE(NULL, strstr(self->out, " yes ")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, " spare ")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "       2 ")) TH_LOG("%s", self->out);

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), child);
}

/* ports: this task's task port, a port with a no-senders request. */
TEST_F(machctl, ports)
{
	mach_port_t me = mach_task_self(), port, listener, previous;
	char line[512];

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(me, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &listener));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(me, port, MACH_NOTIFY_NO_SENDERS, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));

	ASSERT_EQ(0, run(self->out, "machctl --json ports %d", getpid()));
	snprintf(self->want, sizeof(self->want), "{\"name\":%u,", me);
	ASSERT_NE(NULL, object_with(self->out, self->want, self->obj, sizeof(self->obj)));
	EXPECT_NE(NULL, strstr(self->obj, "\"object\":\"task\""));
	EXPECT_NE(NULL, strstr(self->obj, "\"rights\":\"send\""));
	snprintf(self->want, sizeof(self->want), "{\"name\":%u,", port);
	ASSERT_NE(NULL, object_with(self->out, self->want, self->obj, sizeof(self->obj)));
	EXPECT_NE(NULL, strstr(self->obj, "\"rights\":\"send+receive\""));
	EXPECT_NE(NULL, strstr(self->obj, "\"no_senders\":1,")) TH_LOG("%s", self->obj);
	EXPECT_NE(NULL, strstr(self->obj, "\"object\":\"none\""));

	ASSERT_EQ(0, run(self->out, "machctl ports %d", getpid()));
	ASSERT_NE(NULL, line_of(self->out, port, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "send+receive"));
	EXPECT_NE(NULL, strstr(line, "no-senders"));
	ASSERT_NE(NULL, line_of(self->out, me, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " task "));
	mach_port_destroy(me, port);
	mach_port_destroy(me, listener);
}

/* host and nodes: the version, and node 0. */
TEST_F(machctl, host_and_nodes)
{
	ASSERT_EQ(0, run(self->out, "machctl host"));
	EXPECT_NE(NULL, strstr(self->out, "version     1\n"));
	ASSERT_EQ(0, run(self->out, "machctl --json host"));
	EXPECT_EQ(self->out, strstr(self->out, "{\"version\":1,"));
	ASSERT_EQ(0, run(self->out, "machctl nodes"));
	EXPECT_EQ(self->out, strstr(self->out, "NODE   CPUS"));
	EXPECT_NE(NULL, strstr(self->out, "\n0 "));
	ASSERT_EQ(0, run(self->out, "machctl --json nodes"));
	EXPECT_NE(NULL, strstr(self->out, "{\"id\":0,"));
}

/* watch: a task's life, one line an event, as a table and as JSON lines. */
TEST_F(machctl, watch)
{
	char path[2][32] = { "/tmp/machctl-watch-XXXXXX", "/tmp/machctl-watch-XXXXXX" };
	const char *events[] = { "created", "suspended", "resumed", "terminated" };
	pid_t watcher[2];
	task_t child;
	int out[2], pid, i, k;

	for (k = 0; k < 2; k++) {
		out[k] = mkstemp(path[k]);
		ASSERT_LE(0, out[k]);
		watcher[k] = fork();
		ASSERT_LE(0, watcher[k]);
		if (watcher[k] == 0) {
			dup2(out[k], 1);
			if (k)
				execlp("machctl", "machctl", "--json", "watch", NULL);
			else
				execlp("machctl", "machctl", "watch", NULL);
			_exit(127);
		}
	}
	usleep(500000);
	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));
	ASSERT_EQ(KERN_SUCCESS, task_resume(child));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), child);
	usleep(500000);
	for (k = 0; k < 2; k++) {
		char *text, *at, want[96];
		FILE *f;
		size_t n;

		kill(watcher[k], SIGTERM);
		waitpid(watcher[k], NULL, 0);
		f = fopen(path[k], "r");
		ASSERT_NE(NULL, f);
		n = fread(self->out, 1, OUT_MAX - 1, f);
		self->out[n] = '\0';
		fclose(f);
		unlink(path[k]);
		close(out[k]);
		/* Each event of the child's, in order, one line each with a time. */
		text = self->out;
		for (i = 0; i < 4; i++) {
			if (k)
				snprintf(want, sizeof(want), "\"event\":\"%s\",\"pid\":%d,", events[i], pid);
			else
				snprintf(want, sizeof(want), " %-14s pid %d ", events[i], pid);
			at = strstr(text, want);
			ASSERT_NE(NULL, at) {
				TH_LOG("no \"%s\" after the previous event in:\n%s", want, self->out);
			}
			text = at + 1;
		}
		if (k) {
			EXPECT_NE(NULL, strstr(self->out, "\"reason\":\"terminated\""));
			EXPECT_NE(NULL, strstr(self->out, "{\"time\":\"20"));
		} else {
			EXPECT_NE(NULL, strstr(self->out, " reason terminated"));
			EXPECT_NE(NULL, strstr(self->out, "Z created"));
		}
	}
}

/* suspend, resume, terminate: as root; refused to anyone else, status 1. */
TEST_F(machctl, suspend_resume_terminate)
{
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count;
	task_t child;
	int pid, i;

	if (getuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(0, run(self->out, "machctl suspend %d", pid)) TH_LOG("%s", self->out);
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	EXPECT_EQ(1, info.suspend_count);
	/* Anyone else: no permission, said so. */
	EXPECT_EQ(1, run_as(65534, self->out, "machctl resume %d", pid));
	EXPECT_NE(NULL, strstr(self->out, "Operation not permitted")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, run_as(65534, self->out, "machctl terminate %d", pid));
	ASSERT_EQ(0, run(self->out, "machctl --json resume %d", pid));
	snprintf(self->want, sizeof(self->want), "{\"pid\":%d,\"resume\":true}", pid);
	EXPECT_NE(NULL, strstr(self->out, self->want)) TH_LOG("%s", self->out);
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	EXPECT_EQ(0, info.suspend_count);
	/* Not suspended: refused. */
	EXPECT_EQ(1, run(self->out, "machctl resume %d", pid));
	EXPECT_NE(NULL, strstr(self->out, "machctl: resume: ")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, run(self->out, "machctl terminate %d", pid));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(child));
	EXPECT_EQ(1, run(self->out, "machctl terminate %d", pid));
	EXPECT_NE(NULL, strstr(self->out, "no such task")) TH_LOG("%s", self->out);
	for (i = 0; i < 100 && kill(pid, 0) == 0; i++)
		usleep(10000);
	mach_port_deallocate(mach_task_self(), child);
}

/* Errors as Linux tools give them: status 1 for the kernel's, 2 for usage. */
TEST_F(machctl, errors)
{
	EXPECT_EQ(1, run(self->out, "machctl ports 1"));
	EXPECT_NE(NULL, strstr(self->out, "machctl: ports: no such task"));
	EXPECT_EQ(1, run(self->out, "machctl threads 1"));
	EXPECT_EQ(2, run(self->out, "machctl ports x"));
	EXPECT_NE(NULL, strstr(self->out, "not a process id"));
	EXPECT_EQ(2, run(self->out, "machctl suspend"));
	EXPECT_NE(NULL, strstr(self->out, "usage: machctl"));
	EXPECT_EQ(2, run(self->out, "machctl frobnicate"));
	EXPECT_EQ(0, run(self->out, "machctl --help"));
	EXPECT_NE(NULL, strstr(self->out, "suspend PID"));
	/* Another user's task is no task of theirs to see. */
	if (getuid() == 0) {
		EXPECT_EQ(1, run_as(65534, self->out, "machctl ports %d", getpid()));
		EXPECT_NE(NULL, strstr(self->out, "no such task")) TH_LOG("%s", self->out);
	}
}

TEST_HARNESS_MAIN
