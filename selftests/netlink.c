// SPDX-License-Identifier: GPL-2.0
/*
 * netlink: the generic netlink family "mach" (uapi/mach/netlink.h) and
 * its client machctl: host, dumps of tasks, threads and ports checked
 * against what the test made, strict policies, /proc's visibility, and
 * dumps that stay consistent while tasks come and go.
 */
#define _GNU_SOURCE
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#include <mach/netlink.h>

#define NL_BUF (64 * 1024)

struct nl {
	int fd;
	int family;
	unsigned int seq;
	char buf[NL_BUF];
};

struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[256];
};

static void nl_attr_put(struct nlreq *r, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static int nl_send(struct nl *nl, int family, int cmd, int flags,
		   int attr, const void *data, int len)
{
	struct nlreq r = {};

	r.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r.n.nlmsg_type = family;
	r.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r.n.nlmsg_seq = ++nl->seq;
	r.g.cmd = cmd;
	r.g.version = 1;
	if (attr)
		nl_attr_put(&r, attr, data, len);
	return send(nl->fd, &r, r.n.nlmsg_len, 0) == (ssize_t)r.n.nlmsg_len ? 0 : -1;
}

/*
 * Receives until the answer ends: calls fn on each message of it. 0, or
 * the negative errno the kernel answered. *intr: a message was flagged
 * NLM_F_DUMP_INTR.
 */
static int nl_recv(struct nl *nl, void (*fn)(struct nlmsghdr *, void *),
		   void *arg, int *intr)
{
	for (;;) {
		ssize_t len = recv(nl->fd, nl->buf, sizeof(nl->buf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			return -errno;
		for (h = (struct nlmsghdr *)nl->buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != nl->seq)
				continue;
			if (intr && (h->nlmsg_flags & NLM_F_DUMP_INTR))
				*intr = 1;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)	/* a dump's own errno */
				return h->nlmsg_len >= NLMSG_LENGTH(4) ?
					*(int *)NLMSG_DATA(h) : 0;
			if (fn)
				fn(h, arg);
		}
	}
}

/* The attribute of type in [start, start + len), or NULL. */
static struct nlattr *nl_find(void *start, int len, int type)
{
	struct nlattr *a = start;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static struct nlattr *msg_attr(struct nlmsghdr *h, int type)
{
	return nl_find((char *)NLMSG_DATA(h) + GENL_HDRLEN,
		       h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), type);
}

static uint32_t attr_u32(struct nlattr *a)
{
	return a ? *(uint32_t *)((char *)a + NLA_HDRLEN) : 0xffffffff;
}

static uint64_t attr_u64(struct nlattr *a)
{
	uint64_t v;

	if (!a)
		return ~0ull;
	memcpy(&v, (char *)a + NLA_HDRLEN, 8);
	return v;
}

static int events_group = -1;

static void family_cb(struct nlmsghdr *h, void *arg)
{
	struct nlattr *a = msg_attr(h, CTRL_ATTR_FAMILY_ID);
	struct nlattr *groups = msg_attr(h, CTRL_ATTR_MCAST_GROUPS), *g;
	int len;

	if (a)
		*(int *)arg = *(uint16_t *)((char *)a + NLA_HDRLEN);
	if (!groups)
		return;
	/* Each group: a nest of its name and id. */
	g = (struct nlattr *)((char *)groups + NLA_HDRLEN);
	len = groups->nla_len - NLA_HDRLEN;
	while (len >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN && g->nla_len <= len) {
		struct nlattr *name = nl_find((char *)g + NLA_HDRLEN, g->nla_len - NLA_HDRLEN,
					      CTRL_ATTR_MCAST_GRP_NAME);
		struct nlattr *id = nl_find((char *)g + NLA_HDRLEN, g->nla_len - NLA_HDRLEN,
					    CTRL_ATTR_MCAST_GRP_ID);

		if (name && id && !strcmp((char *)name + NLA_HDRLEN, MACH_GENL_MCGRP_EVENTS))
			events_group = attr_u32(id);
		len -= NLA_ALIGN(g->nla_len);
		g = (struct nlattr *)((char *)g + NLA_ALIGN(g->nla_len));
	}
}

/* 0, or -1 (no family: the module is not loaded). */
static int nl_open(struct nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int id = -1;

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0 || bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	nl->seq = 1000;
	if (nl_send(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, CTRL_ATTR_FAMILY_NAME,
		    MACH_GENL_NAME, sizeof(MACH_GENL_NAME)))
		return -1;
	if (nl_recv(nl, family_cb, &id, NULL) || id < 0)
		return -1;
	nl->family = id;
	return 0;
}

/* What a dump saw. */
#define MAX_SEEN 4096
struct seen {
	int n;
	uint32_t key[MAX_SEEN];		/* pid, tid or name */
	uint32_t a[MAX_SEEN];		/* origin, agent, type */
	uint32_t b[MAX_SEEN];		/* suspend count, -, kernel */
	uint32_t c[MAX_SEEN];		/* ppid, -, urefs */
};

static void task_cb(struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return;
	s->key[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_PID));
	s->a[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_ORIGIN));
	s->b[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_SUSPEND));
	s->c[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_PPID));
	s->n++;
}

static void thread_cb(struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return;
	s->key[s->n] = attr_u32(msg_attr(h, MACH_A_THREAD_TID));
	s->a[s->n] = msg_attr(h, MACH_A_THREAD_AGENT) != NULL;
	s->b[s->n] = attr_u32(msg_attr(h, MACH_A_THREAD_STATE));
	s->n++;
}

static void port_cb(struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return;
	s->key[s->n] = attr_u32(msg_attr(h, MACH_A_PORT_NAME));
	s->a[s->n] = attr_u32(msg_attr(h, MACH_A_PORT_TYPE));
	s->b[s->n] = msg_attr(h, MACH_A_PORT_KERNEL) != NULL;
	s->c[s->n] = attr_u32(msg_attr(h, MACH_A_PORT_UREFS));
	s->n++;
}

static int find(const struct seen *s, uint32_t key)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->key[i] == key)
			return i;
	return -1;
}

static int dump(struct nl *nl, int cmd, uint32_t pid, struct seen *s, int *intr)
{
	void (*fn)(struct nlmsghdr *, void *) = cmd == MACH_CMD_TASK_GET ? task_cb :
		cmd == MACH_CMD_THREAD_GET ? thread_cb : port_cb;

	s->n = 0;
	if (nl_send(nl, nl->family, cmd, NLM_F_DUMP, pid ? MACH_A_TASK_PID : 0,
		    &pid, 4))
		return -EIO;
	return nl_recv(nl, fn, s, intr);
}

FIXTURE(nl) {
	struct made made;
	struct nl nl;
	struct seen s;
};

FIXTURE_SETUP(nl)
{
	made_begin(&self->made);
	ASSERT_NE(MACH_PORT_NULL, mach_task_self());
	ASSERT_EQ(0, nl_open(&self->nl)) {
		TH_LOG("no generic netlink family \"mach\"");
	}
}

FIXTURE_TEARDOWN(nl)
{
	made_end(&self->made);
	close(self->nl.fd);
}

static void host_cb(struct nlmsghdr *h, void *arg)
{
	uint64_t *out = arg;
	struct nlattr *nodes = msg_attr(h, MACH_A_HOST_NODES);

	out[0] = attr_u32(msg_attr(h, MACH_A_HOST_VERSION));
	out[1] = attr_u64(msg_attr(h, MACH_A_HOST_TASKS));
	out[2] = nodes ? nl_find((char *)nodes + NLA_HDRLEN,
				 nodes->nla_len - NLA_HDRLEN, MACH_A_NODE) != NULL : 0;
}

/* host: the version, live tasks (this one at least), one node at least. */
TEST_F(nl, host)
{
	uint64_t out[3] = {};

	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_HOST_GET, 0, 0, NULL, 0));
	ASSERT_EQ(0, nl_recv(&self->nl, host_cb, out, NULL));
	EXPECT_EQ(MACH_GENL_VERSION, out[0]);
	EXPECT_LE(1, out[1]);
	EXPECT_EQ(1, out[2]);
}

/* tasks: this task (made by itself) and a child by task_create, with its counts. */
TEST_F(nl, tasks_show_what_the_test_made)
{
	task_t child;
	int pid, i;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));

	ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, NULL));
	i = find(&self->s, getpid());
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_ORIGIN_SELF, self->s.a[i]);
	EXPECT_EQ(0, self->s.b[i]);
	i = find(&self->s, pid);
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_ORIGIN_TASK_CREATE, self->s.a[i]);
	EXPECT_EQ(2, self->s.b[i]);

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), child);
	/* Gone from the dump once its process is (the registry learns it by a work item). */
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, NULL));
		if (find(&self->s, pid) < 0)
			break;
		usleep(10000);
	}
	EXPECT_GT(200, i);
}

static void *sleeper(void *arg)
{
	*(pid_t *)arg = syscall(SYS_gettid);
	pause();
	return NULL;
}

/* threads: this process's threads by tid, a thread it started included. */
TEST_F(nl, threads_of_a_task)
{
	pthread_t th;
	volatile pid_t tid = 0;

	ASSERT_EQ(0, pthread_create(&th, NULL, sleeper, (void *)&tid));
	while (!tid)
		usleep(1000);
	ASSERT_EQ(0, dump(&self->nl, MACH_CMD_THREAD_GET, getpid(), &self->s, NULL));
	EXPECT_LE(2, self->s.n);
	EXPECT_LE(0, find(&self->s, getpid()));
	EXPECT_LE(0, find(&self->s, tid));
	EXPECT_EQ(0, self->s.a[find(&self->s, getpid())]);	/* not the agent */
	pthread_cancel(th);
	pthread_join(th, NULL);
}

/* ports: a receive right the test made, with its send right, and the task port. */
TEST_F(nl, ports_of_a_task)
{
	mach_port_t port;
	int i;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(0, dump(&self->nl, MACH_CMD_PORT_GET, getpid(), &self->s, NULL));
	i = find(&self->s, port);
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, self->s.a[i] & MACH_PORT_TYPE_SEND_RECEIVE);
	EXPECT_EQ(1, self->s.c[i]);
	EXPECT_EQ(0, self->s.b[i]);
	i = find(&self->s, mach_task_self());
	ASSERT_LE(0, i);
	EXPECT_EQ(1, self->s.b[i]);	/* stands for a kernel object: the task */
	EXPECT_EQ(MACH_PORT_TYPE_SEND, self->s.a[i] & MACH_PORT_TYPE_SEND);
	mach_port_destroy(mach_task_self(), port);
}

/* Bad input: netlink's answers, nothing more. */
TEST_F(nl, bad_input_refused)
{
	uint32_t pid = getpid();
	uint64_t wide = pid;
	uint16_t narrow = 1;

	/* No PID for a dump that needs one. */
	EXPECT_EQ(-EINVAL, dump(&self->nl, MACH_CMD_THREAD_GET, 0, &self->s, NULL));
	/* An attribute a command does not take, one beyond any, a wrong size. */
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_TASK_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &pid, 4));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_MAX + 5, &pid, 4));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &narrow, 2));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &wide, 8));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	/* PID 0 (below the policy's minimum, 1), an unknown command. */
	pid = 0;
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &pid, 4));
	EXPECT_EQ(-ERANGE, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_MAX + 1, 0, 0, NULL, 0));
	EXPECT_EQ(-EOPNOTSUPP, nl_recv(&self->nl, NULL, NULL, NULL));
	/* A process that is no task, and no process at all. */
	EXPECT_EQ(-ESRCH, dump(&self->nl, MACH_CMD_PORT_GET, 1, &self->s, NULL));
	EXPECT_EQ(-ESRCH, dump(&self->nl, MACH_CMD_THREAD_GET, 0x3fffffff, &self->s, NULL));
}

/* An unprivileged user sees its own task only, not root's. */
TEST_F(nl, unprivileged_sees_only_its_own)
{
	int status;
	pid_t parent = getpid(), kid;

	if (getuid() != 0)
		SKIP(return, "needs root to become another user");
	kid = made_fork(&self->made);
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct nl nl;
		struct seen *s = calloc(1, sizeof(*s));

		if (!s || setgid(65534) || setuid(65534))
			_exit(10);
		prctl(PR_SET_DUMPABLE, 1);
		if (mach_task_self() == MACH_PORT_NULL || nl_open(&nl))
			_exit(11);
		if (dump(&nl, MACH_CMD_TASK_GET, 0, s, NULL))
			_exit(12);
		if (find(s, parent) >= 0)
			_exit(13);	/* root's task shown */
		if (find(s, getpid()) < 0)
			_exit(14);	/* its own not shown */
		if (dump(&nl, MACH_CMD_PORT_GET, parent, s, NULL) != -ESRCH)
			_exit(15);
		if (dump(&nl, MACH_CMD_THREAD_GET, parent, s, NULL) != -ESRCH)
			_exit(16);
		if (dump(&nl, MACH_CMD_PORT_GET, getpid(), s, NULL) || s->n < 1)
			_exit(17);
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * Dumps while tasks are made and terminated: each either saw a consistent
 * list (no task twice) or was flagged NLM_F_DUMP_INTR.
 */
TEST_F(nl, dump_consistent_while_tasks_churn)
{
	pid_t churner;
	int i, j, k, intr_seen = 0, status;

	churner = made_fork(&self->made);
	ASSERT_LE(0, churner);
	if (churner == 0) {
		for (;;) {
			task_t t;

			if (task_create(mach_task_self(), NULL, 0, FALSE, &t) == KERN_SUCCESS) {
				task_terminate(t);
				mach_port_deallocate(mach_task_self(), t);
			}
		}
	}
	for (i = 0; i < 100; i++) {
		int intr = 0;

		ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, &intr));
		intr_seen += intr;
		if (intr)
			continue;
		for (j = 0; j < self->s.n; j++)
			for (k = j + 1; k < self->s.n; k++)
				ASSERT_NE(self->s.key[j], self->s.key[k]);
		ASSERT_LE(0, find(&self->s, getpid()));
	}
	kill(churner, SIGKILL);
	waitpid(churner, &status, 0);
	TH_LOG("%d of 100 dumps flagged interrupted", intr_seen);
}

/* A socket in the event group: its fd, or -errno. */
static int events_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &events_group,
		       sizeof(events_group))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* The next event of pid: its type (and *value, the suspend count), or -1. */
static int next_event(int fd, char *buf, int pid, uint32_t *value)
{
	for (;;) {
		ssize_t len = recv(fd, buf, NL_BUF, 0);
		struct nlmsghdr *h;

		if (len <= 0)
			return -1;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (attr_u32(msg_attr(h, MACH_A_TASK_PID)) != (uint32_t)pid)
				continue;
			*value = attr_u32(msg_attr(h, MACH_A_TASK_SUSPEND));
			/* One message a datagram: the group sends them one by one. */
			return attr_u32(msg_attr(h, MACH_A_EVENT_TYPE));
		}
	}
}

/* Events of a task's life arrive in order: create, suspend, resume, terminate. */
TEST_F(nl, events_in_order)
{
	static char buf[NL_BUF];
	uint32_t value = 0;
	task_t child;
	int fd, pid, status;
	pid_t kid;

	ASSERT_LE(0, events_group);
	fd = events_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));
	ASSERT_EQ(KERN_SUCCESS, task_resume(child));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), child);

	EXPECT_EQ(MACH_EVENT_CREATED, next_event(fd, buf, pid, &value));
	EXPECT_EQ(MACH_EVENT_SUSPENDED, next_event(fd, buf, pid, &value));
	EXPECT_EQ(1, value);
	EXPECT_EQ(MACH_EVENT_RESUMED, next_event(fd, buf, pid, &value));
	EXPECT_EQ(0, value);
	EXPECT_EQ(MACH_EVENT_TERMINATED, next_event(fd, buf, pid, &value));
	close(fd);

	/* Only CAP_SYS_ADMIN may listen. */
	if (getuid() != 0)
		return;
	kid = made_fork(&self->made);
	ASSERT_LE(0, kid);
	if (kid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		_exit(events_socket() == -EPERM ? 0 : 11);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* machctl watch prints the events as JSON lines. */
TEST_F(nl, machctl_watch)
{
	char path[] = "/tmp/machctl-watch-XXXXXX", line[512], want[64];
	task_t child;
	int out, pid, found = 0, status;
	pid_t watcher;
	FILE *f;

	if (system("command -v machctl >/dev/null 2>&1"))
		SKIP(return, "no machctl in PATH");
	out = mkstemp(path);
	ASSERT_LE(0, out);
	watcher = made_fork(&self->made);
	ASSERT_LE(0, watcher);
	if (watcher == 0) {
		dup2(out, 1);
		execlp("machctl", "machctl", "--json", "watch", NULL);
		_exit(127);
	}
	usleep(500000);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	usleep(500000);
	kill(watcher, SIGTERM);
	waitpid(watcher, &status, 0);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	snprintf(want, sizeof(want), "\"pid\":%d", pid);
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, want))
			continue;
		if (found == 0 && strstr(line, "\"event\":\"created\""))
			found = 1;
		else if (found == 1 && strstr(line, "\"event\":\"terminated\""))
			found = 2;
	}
	fclose(f);
	unlink(path);
	close(out);
	EXPECT_EQ(2, found);
}

/* machctl's output for this task, as JSON and as a table. */
TEST_F(nl, machctl_tool)
{
	char cmd[128], line[8192], want[64];
	FILE *p;
	int found = 0;

	if (system("command -v machctl >/dev/null 2>&1"))
		SKIP(return, "no machctl in PATH");
	snprintf(cmd, sizeof(cmd), "machctl --json tasks");
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	snprintf(want, sizeof(want), "{\"pid\":%d,", getpid());
	while (fgets(line, sizeof(line), p))
		if (strstr(line, want) && strstr(line, "\"origin\":\"self\""))
			found = 1;
	EXPECT_EQ(0, pclose(p));
	EXPECT_EQ(1, found);

	snprintf(cmd, sizeof(cmd), "machctl --json ports %d", getpid());
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	snprintf(want, sizeof(want), "{\"name\":%d,", mach_task_self());
	found = 0;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, want) && strstr(line, "\"kernel\":true"))
			found = 1;
	EXPECT_EQ(0, pclose(p));
	EXPECT_EQ(1, found);

	snprintf(cmd, sizeof(cmd), "machctl threads %d | grep -qw %d", getpid(), getpid());
	EXPECT_EQ(0, system(cmd));
	EXPECT_EQ(0, system("machctl host | grep -q '^version *1$'"));
	EXPECT_EQ(0, system("machctl --json nodes | grep -q '\"id\":0'"));
	/* No such task: status 1 and a message. */
	EXPECT_EQ(1, WEXITSTATUS(system("machctl ports 1 2>/dev/null")));
	EXPECT_EQ(2, WEXITSTATUS(system("machctl ports x 2>/dev/null")));
}

TEST_HARNESS_MAIN
