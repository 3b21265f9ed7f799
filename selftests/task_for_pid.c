// SPDX-License-Identifier: GPL-2.0
/*
 * task_for_pid and task_name_for_pid under Linux's policy: a control
 * port exactly where the caller may ptrace-attach the process (its real
 * ids, Yama's ptrace_scope), a name port where it may read the process's
 * /proc status, KERN_FAILURE otherwise; a process that is no task yet
 * becomes one. The harness forks each test, so a test may drop its ids.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sched.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define NOBODY 65534
#define OTHER 1000
#define SCOPE "/proc/sys/kernel/yama/ptrace_scope"

static int become(uid_t ruid, uid_t euid)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(ruid, euid, euid))
		return -1;
	return 0;
}

/* A process that waits to be killed, as uid (0: as we are). */
static pid_t sleeper(struct made *made, uid_t uid, int dumpable)
{
	pid_t pid = made_fork(made);

	if (pid == 0) {
		if (uid && become(uid, uid))
			_exit(1);
		prctl(PR_SET_DUMPABLE, dumpable);
		for (;;)
			pause();
	}
	usleep(20000);	/* its ids changed */
	return pid;
}

/* Runs fn(arg) in a child as ruid/euid; its exit status (0: all held). */
static int as_user(uid_t ruid, uid_t euid, int (*fn)(pid_t), pid_t arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (become(ruid, euid))
			_exit(100);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int get_scope(void)
{
	char buf[16];

	if (read_text(SCOPE, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

static int set_scope(int scope)
{
	char buf[4];
	int fd = open(SCOPE, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%d", scope);
	ok = write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf);
	close(fd);
	return ok ? 0 : -1;
}

/* 0 if task_for_pid gives pid's port (and it names pid), 1 if KERN_FAILURE. */
static int control_port(pid_t pid)
{
	mach_port_name_t t = 0x1234;
	int found = 0;
	kern_return_t kr = task_for_pid(mach_task_self(), pid, &t);

	if (kr == KERN_FAILURE)
		return t == MACH_PORT_NULL ? 1 : 10;
	if (kr != KERN_SUCCESS)
		return 11;
	if (pid_for_task(t, &found) != KERN_SUCCESS || found != pid)
		return 12;
	return 0;
}

/* The same for the name port, which inspects and does nothing else. */
static int name_port(pid_t pid)
{
	struct mach_task_basic_info info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	mach_port_name_t t = 0x1234;
	int found = 0;
	kern_return_t kr = task_name_for_pid(mach_task_self(), pid, &t);

	if (kr == KERN_FAILURE)
		return t == MACH_PORT_NULL ? 1 : 10;
	if (kr != KERN_SUCCESS)
		return 11;
	if (pid_for_task(t, &found) != KERN_SUCCESS || found != pid)
		return 12;
	if (task_info(t, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count) != KERN_SUCCESS ||
	    info.virtual_size < info.resident_size)
		return 13;
	/* No control through it. */
	if (task_suspend(t) != KERN_INVALID_ARGUMENT || task_terminate(t) != KERN_INVALID_ARGUMENT)
		return 14;
	if (mach_task_is_self(t))
		return 15;
	return 0;
}

/* A child of the caller's own, then control_port() of it. */
static int own_child(pid_t unused)
{
	pid_t child = fork();
	int ret;

	if (child == 0) {
		/* (Our id change made us undumpable, and so the child.) */
		prctl(PR_SET_DUMPABLE, 1);
		for (;;)
			pause();
	}
	usleep(20000);
	ret = control_port(child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return ret;
}

FIXTURE(for_pid) {
	struct made made;
	int scope;		/* Yama's, to restore; -1 without Yama */
};

FIXTURE_SETUP(for_pid)
{
	made_begin(&self->made);
	self->scope = get_scope();
	if (self->scope > 0 && self->scope < 3)
		ASSERT_EQ(0, set_scope(0));
}

FIXTURE_TEARDOWN(for_pid)
{
	if (self->scope >= 0 && self->scope < 3)
		set_scope(self->scope);
	made_end(&self->made);
}

TEST_F(for_pid, own_child_as_root)
{
	pid_t child = sleeper(&self->made, 0, 1);
	struct task_vm_info vm;
	mach_msg_type_number_t count = TASK_VM_INFO_COUNT;
	mach_port_name_t t, again;

	/* A plain process: it becomes a task now. */
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), child, &t));
	ASSERT_NE(MACH_PORT_NULL, t);
	EXPECT_FALSE(mach_task_is_self(t));
	ASSERT_EQ(KERN_SUCCESS, task_info(t, TASK_VM_INFO, (task_info_t)&vm, &count));
	EXPECT_GE(vm.virtual_size, vm.resident_size);
	/* The same task again: the same port, coalesced. */
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), child, &again));
	EXPECT_EQ(t, again);
	EXPECT_EQ(0, name_port(child));
	/* It ends with its process. */
	kill(child, SIGKILL);
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	self->made.children = 0;
	for (int i = 0; i < 200 && task_info(t, TASK_VM_INFO, (task_info_t)&vm, &count) ==
					  KERN_SUCCESS; i++)
		usleep(5000);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(t, TASK_VM_INFO, (task_info_t)&vm, &count));
	EXPECT_EQ(KERN_FAILURE, task_for_pid(mach_task_self(), child, &again));
}

/*
 * A process that never used libmach, got by task_for_pid, has no agent
 * to adopt its threads through: task_suspend cannot hold it, and says so
 * (KERN_FAILURE, XNU's answer for a task it cannot hold) rather than
 * answering success while the process runs on.
 */
TEST_F(for_pid, a_plain_process_is_not_held_in_silence)
{
	volatile unsigned long *count = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mach_port_name_t t, token;
	unsigned long before;
	pid_t child;

	ASSERT_NE(MAP_FAILED, (void *)count);
	child = made_fork(&self->made);
	if (child == 0) {
		for (;;)
			(*count)++;
	}
	while (*count == 0)
		usleep(1000);
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), child, &t));
	EXPECT_EQ(KERN_FAILURE, task_suspend(t));
	EXPECT_EQ(KERN_FAILURE, task_suspend2(t, &token));
	before = *count;
	usleep(100000);
	EXPECT_NE(before, *count);
	mach_port_deallocate(mach_task_self(), t);
}

/* Writes text to path; 0, or -1. */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * As nobody in a user and mount namespace of its own, a tmpfs over /proc
 * holding an ordinary, readable file at PID/mem and PID/status: the check
 * must not take it for the process's. 1: refused; 30 + control_port()'s
 * answer otherwise (30: the port given); 20: no namespaces here.
 */
static int with_a_fake_proc(pid_t pid)
{
	char path[64];
	int fd, ret;

	/* (Our id change made us undumpable: /proc/self would be root's.) */
	prctl(PR_SET_DUMPABLE, 1);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return 20;
	/* Ourselves as ourselves inside, so that the tmpfs is writable. */
	if (write_text("/proc/self/setgroups", "deny") ||
	    write_text("/proc/self/uid_map", "65534 65534 1") ||
	    write_text("/proc/self/gid_map", "65534 65534 1"))
		return 23;
	if (mount("none", "/proc", "tmpfs", 0, NULL))
		return 20;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (mkdir(path, 0755))
		return 21;
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, i ? "status" : "mem");
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			return 22;
		close(fd);
	}
	/* (The name port is anyone's who may read a status: it is given.) */
	ret = control_port(pid);
	return ret == 1 ? 1 : 30 + ret;	/* 30: given */
}

/* A root process's port is not had by faking /proc in one's own namespace. */
TEST_F(for_pid, a_fake_proc_gives_nothing)
{
	pid_t child = sleeper(&self->made, 0, 0);
	int ret = as_user(NOBODY, NOBODY, with_a_fake_proc, child);

	if (ret == 20)
		SKIP(return, "no unprivileged user and mount namespaces here");
	EXPECT_EQ(1, ret);
}

TEST_F(for_pid, self)
{
	mach_port_name_t t;

	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), getpid(), &t));
	EXPECT_TRUE(mach_task_is_self(t));
	EXPECT_EQ(mach_task_self(), t);
}

TEST_F(for_pid, root_reaches_another_users_process)
{
	pid_t other = sleeper(&self->made, NOBODY, 1);
	pid_t hidden = sleeper(&self->made, NOBODY, 0);

	EXPECT_EQ(0, control_port(other));
	EXPECT_EQ(0, control_port(hidden));	/* CAP_SYS_PTRACE */
}

TEST_F(for_pid, unprivileged)
{
	pid_t rooted = sleeper(&self->made, 0, 1);
	pid_t peer = sleeper(&self->made, NOBODY, 1);
	pid_t hidden = sleeper(&self->made, NOBODY, 0);

	/* Another user's process: no control port, a name port. */
	EXPECT_EQ(1, as_user(NOBODY, NOBODY, control_port, rooted));
	EXPECT_EQ(0, as_user(NOBODY, NOBODY, name_port, rooted));
	/* The same user's: both, unless it made itself undumpable. */
	EXPECT_EQ(0, as_user(NOBODY, NOBODY, control_port, peer));
	EXPECT_EQ(1, as_user(NOBODY, NOBODY, control_port, hidden));
	EXPECT_EQ(0, as_user(NOBODY, NOBODY, own_child, 0));
	/* Real ids decide: an effective id alone that matches is not enough. */
	EXPECT_EQ(1, as_user(OTHER, NOBODY, control_port, peer));
	EXPECT_EQ(0, as_user(NOBODY, OTHER, control_port, peer));
}

TEST_F(for_pid, yama_ptrace_scope)
{
	pid_t peer = sleeper(&self->made, NOBODY, 1);

	if (self->scope < 0)
		SKIP(return, "no Yama");
	if (self->scope == 3)
		SKIP(return, "ptrace_scope 3 for this boot");
	/* 1: only descendants. */
	ASSERT_EQ(0, set_scope(1));
	EXPECT_EQ(1, as_user(NOBODY, NOBODY, control_port, peer));
	EXPECT_EQ(0, as_user(NOBODY, NOBODY, own_child, 0));
	EXPECT_EQ(0, as_user(NOBODY, NOBODY, name_port, peer));
	/* 2: only CAP_SYS_PTRACE. */
	ASSERT_EQ(0, set_scope(2));
	EXPECT_EQ(1, as_user(NOBODY, NOBODY, own_child, 0));
	EXPECT_EQ(0, as_user(NOBODY, NOBODY, name_port, peer));
	EXPECT_EQ(0, control_port(peer));
	/* (3, no attach at all, cannot be undone until a reboot: not tried.) */
}

static void *idle_thread(void *arg)
{
	*(volatile pid_t *)arg = syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

TEST_F(for_pid, not_a_process)
{
	/* init too: its death would panic the kernel. */
	static const int pids[] = {-1, 0, 1, 1 << 30, 2 /* kthreadd */};
	volatile pid_t tid = 0;
	mach_port_name_t t;
	pthread_t thread;

	for (unsigned i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		t = 0x1234;
		EXPECT_EQ(KERN_FAILURE, task_for_pid(mach_task_self(), pids[i], &t)) {
			TH_LOG("pid %d", pids[i]);
		}
		EXPECT_EQ(MACH_PORT_NULL, t);
	}
	EXPECT_EQ(KERN_FAILURE, task_name_for_pid(mach_task_self(), 1 << 30, &t));
	/* A thread's id is no process's. */
	ASSERT_EQ(0, pthread_create(&thread, NULL, idle_thread, (void *)&tid));
	while (!tid)
		usleep(1000);
	EXPECT_EQ(KERN_FAILURE, task_for_pid(mach_task_self(), tid, &t));
	/* The trap is made on the caller's own task port. */
	EXPECT_EQ(KERN_FAILURE, task_for_pid(MACH_PORT_NULL, getpid(), &t));
	EXPECT_EQ(KERN_FAILURE, task_for_pid(new_port(), getpid(), &t));
	EXPECT_EQ(MACH_PORT_NULL, t);
}

TEST_HARNESS_MAIN
