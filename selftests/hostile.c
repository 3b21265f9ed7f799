// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged program may throw at the module: a thread port
 * kept across an exec, receive rights nested deep in queued messages, a
 * sender blocked on a full queue that is signalled and killed. Each must
 * leave the kernel, and every other program, as they were.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

/* Waits at most ms for pid to end; its status, or -1 if it lives on. */
static int wait_for_exit(pid_t pid, int ms)
{
	int status;

	for (int waited = 0; waited <= ms; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10 * 1000);
	}
	return -1;
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(hostile) {
	struct made made;
};

FIXTURE_SETUP(hostile)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(hostile)
{
	made_end(&self->made);
}

/*
 * XNU resets a task's thread ports at exec, as it does the task port: a
 * right given out for one program must not reach the next, which may be
 * set-uid root. Suspending the thread, rewriting its registers and letting
 * it run would otherwise run any code with the new program's credentials.
 */
TEST_F(hostile, a_thread_port_dies_with_the_program_it_was_given_for)
{
	mach_port_t boot = serve_as_bootstrap();
	int go[2], gate[2];
	x86_thread_state64_t state;
	mach_msg_type_number_t count;
	thread_basic_info_data_t info;
	thread_act_t thread;
	char c;
	pid_t pid;

	ASSERT_NE(MACH_PORT_NULL, boot);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));	/* its end closes at the exec */
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(go[1]);
		close(gate[0]);
		if (send_port(bootstrap_port, mach_thread_self(), MACH_MSG_TYPE_COPY_SEND))
			_exit(1);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(3);
	}
	close(go[0]);
	close(gate[1]);
	thread = receive_port(boot);
	ASSERT_NE(MACH_PORT_NULL, thread);
	count = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_BASIC_INFO,
					    (thread_info_t)&info, &count));

	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(0, read(gate[0], &c, 1));	/* the exec happened */

	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_suspend(thread));
	count = x86_THREAD_STATE64_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  thread_get_state(thread, x86_THREAD_STATE64,
				   (thread_state_t)&state, &count));
	memset(&state, 0, sizeof(state));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
				   x86_THREAD_STATE64_COUNT));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_resume(thread));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_abort(thread));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_terminate(thread));
	count = THREAD_BASIC_INFO_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_info(thread, THREAD_BASIC_INFO,
						      (thread_info_t)&info, &count));
	/* The new program runs on, untouched. */
	EXPECT_EQ(-1, wait_for_exit(pid, 100));
	kill(pid, SIGKILL);
	EXPECT_NE(-1, wait_for_exit(pid, 5000));
}

/*
 * Each port's receive right sits in a message queued on the next: the
 * head's death kills them all, however many. Done recursively this ran
 * off the kernel stack at about a hundred.
 */
TEST(a_deep_chain_of_receive_rights_in_messages_dies_whole)
{
	mach_port_t head = new_port();	/* (the task's port is made first) */
	long before = mach_stat("live_ports") - 1;
	const int depth = 3000;

	ASSERT_NE(MACH_PORT_NULL, head);
	for (int i = 0; i < depth; i++) {
		mach_port_t next = new_port();

		ASSERT_NE(MACH_PORT_NULL, next);
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  send_port(next, head, MACH_MSG_TYPE_MOVE_RECEIVE)) {
			TH_LOG("at depth %d", i);
		}
		/* Only the receive right moved: the send right is a dead name
		 * once the port dies, let it go now. */
		ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), head));
		head = next;
	}
	EXPECT_EQ(before + depth + 1, mach_stat("live_ports"));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), head,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), head));
	EXPECT_EQ(before, mach_stat("live_ports"));
}

static int notice_fd = -1;

static void note_signal(int sig)
{
	char c = (char)sig;

	if (write(notice_fd, &c, 1) != 1)
		_exit(9);
}

static mach_msg_return_t send_empty(mach_port_t to, mach_msg_option_t option,
				    mach_msg_timeout_t timeout)
{
	mach_msg_header_t msg = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(msg),
		.msgh_remote_port = to,
	};

	return mach_msg(&msg, MACH_SEND_MSG | option, sizeof(msg), 0,
			MACH_PORT_NULL, timeout, MACH_PORT_NULL);
}

/*
 * The fields of a /proc .../stat file after the name (which may hold
 * spaces and parentheses), from its state on, in buf; or NULL.
 */
static const char *stat_fields(const char *path, char *buf, size_t size)
{
	char *p;

	if (read_text(path, buf, size))
		return NULL;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] ? p + 2 : NULL;
}

/* utime + stime of pid, in clock ticks. */
static long cpu_ticks(pid_t pid)
{
	char path[64], buf[512];
	unsigned long utime, stime;
	const char *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = stat_fields(path, buf, sizeof(buf));
	if (!f || sscanf(f, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &utime, &stime) != 2)
		return -1;
	return (long)(utime + stime);
}

/*
 * A send blocked on a full queue gives way to a signal (the handler runs,
 * and the send starts again, as XNU's mach_msg() does without
 * MACH_SEND_INTERRUPT) and ends on SIGKILL. It once spun in the kernel
 * for good once any signal was pending.
 */
TEST_F(hostile, a_sender_blocked_on_a_full_queue_takes_signals_and_dies_when_killed)
{
	int ready[2], notice[2];
	struct pollfd pfd;
	long t0, t1;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(notice));
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = note_signal };
		mach_port_t port = new_port();

		notice_fd = notice[1];
		if (port == MACH_PORT_NULL || sigaction(SIGUSR1, &sa, NULL))
			_exit(1);
		while (send_empty(port, MACH_SEND_TIMEOUT, 0) == MACH_MSG_SUCCESS)
			;
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		send_empty(port, 0, MACH_MSG_TIMEOUT_NONE);	/* blocks for good */
		_exit(3);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	usleep(200 * 1000);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	pfd = (struct pollfd){ .fd = notice[0], .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 2000)) {
		TH_LOG("the handler did not run");
	}
	ASSERT_EQ(1, read(notice[0], &c, 1));
	EXPECT_EQ(SIGUSR1, c);
	/* Asleep again, not spinning. */
	usleep(100 * 1000);
	t0 = cpu_ticks(pid);
	usleep(500 * 1000);
	t1 = cpu_ticks(pid);
	EXPECT_LT(t1 - t0, 10) {
		TH_LOG("%ld ticks in half a second", t1 - t0);
	}
	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_NE(-1, wait_for_exit(pid, 2000)) {
		TH_LOG("alive 2 s after SIGKILL");
	}
}

/*
 * Waits at most ms for the module's count of live tasks to be n or fewer
 * (an earlier test's task may still be going too); the count then.
 */
static long wait_for_live_tasks(long n, int ms)
{
	long live = mach_stat("live_tasks");

	for (int waited = 0; live > n && waited < ms; waited += 10) {
		usleep(10 * 1000);
		live = mach_stat("live_tasks");
	}
	return live;
}

/*
 * A task made by task_create that no right names and no thread runs in
 * can never be reached again: it ends, as XNU's does, whether its
 * creator let go of the right or died holding it (even in the middle of
 * a task_create).
 */
TEST_F(hostile, a_task_no_right_names_and_no_thread_runs_in_ends)
{
	task_t child;
	long before;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	before = mach_stat("live_tasks");
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(0, kill(pid, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
	EXPECT_GE(before - 1, wait_for_live_tasks(before - 1, 3000));

	for (int round = 0; round < 10; round++) {
		pid_t creator = made_fork(&self->made);

		ASSERT_LE(0, creator);
		if (creator == 0) {
			for (;;)
				task_create(mach_task_self(), NULL, 0, round & 1, &child);
		}
		usleep((20 + 15 * round) * 1000);
		kill(creator, SIGKILL);
		ASSERT_NE(-1, wait_for_exit(creator, 5000));
	}
	EXPECT_GE(before - 1, wait_for_live_tasks(before - 1, 5000));
}

/*
 * The same, when the right goes before the shell is set up: the task
 * ends once it is, since nothing can name it again.
 */
TEST_F(hostile, a_task_let_go_before_its_shell_is_set_up_ends)
{
	task_t child;
	long before;

	ASSERT_NE(MACH_PORT_NULL, mach_task_self());	/* counted in before */
	before = mach_stat("live_tasks");

	for (int i = 0; i < 20; i++) {
		ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, i & 1, &child));
		ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
	}
	EXPECT_GE(before, wait_for_live_tasks(before, 5000));
}

/*
 * One read of fd queued on a new io_uring, forced to an io-wq worker
 * thread of this process (IOSQE_ASYNC), where it blocks. The ring's fd.
 */
static int block_an_io_worker(int fd, char *buf)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqes;
	unsigned int *tail, *array;
	char *sq;
	int ring = syscall(SYS_io_uring_setup, 4, &p);

	if (ring < 0)
		return -1;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_SQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || sqes == MAP_FAILED)
		return -1;
	tail = (unsigned int *)(sq + p.sq_off.tail);
	array = (unsigned int *)(sq + p.sq_off.array);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_READ;
	sqes[0].flags = IOSQE_ASYNC;
	sqes[0].fd = fd;
	sqes[0].addr = (unsigned long)buf;
	sqes[0].len = 1;
	array[0] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, ring, 1, 0, 0, NULL, 0) != 1)
		return -1;
	return ring;
}

/* Threads of this process, as /proc counts them. */
static int linux_threads(void)
{
	char line[128];
	int n = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "Threads: %d", &n);
	if (f)
		fclose(f);
	return n;
}

/*
 * io_uring's worker threads belong to the process but run only in the
 * kernel: they are not Mach threads (they were listed with rip 0, and
 * thread_terminate of one answered success while it lived on).
 */
TEST(io_uring_workers_are_not_mach_threads)
{
	int pipes[2], ring, before;
	char buf[1];

	ASSERT_EQ(0, pipe(pipes));
	ASSERT_EQ(0, make_own_agent());
	before = thread_count(mach_task_self());
	ASSERT_LE(1, before);
	ring = block_an_io_worker(pipes[0], buf);
	if (ring < 0)
		SKIP(return, "no io_uring here (%s)", strerror(errno));
	for (int i = 0; i < 100 && linux_threads() < 3; i++)
		usleep(10 * 1000);	/* the worker; the agent is the other */
	ASSERT_LE(3, linux_threads());
	EXPECT_EQ(before, thread_count(mach_task_self()));
	close(ring);
}

/* The state letter of /proc/<pid>/task/<tid>/stat, or 0. */
static char thread_state(pid_t pid, pid_t tid)
{
	char path[64], buf[256];
	const char *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	f = stat_fields(path, buf, sizeof(buf));
	return f ? f[0] : 0;
}

/* Are all of pid's threads stopped, its agent too? */
static int all_stopped(pid_t pid)
{
	char path[64];
	struct dirent *d;
	int stopped = 1, seen = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		seen++;
		if (thread_state(pid, atoi(d->d_name)) != 'T')
			stopped = 0;
	}
	closedir(dir);
	return stopped && seen > 1;
}

/*
 * A call another task's agent must run waits for it; a task stopped by
 * SIGSTOP (its own doing, say, to stall a server that calls into it) is
 * given up on after a second with KERN_ABORTED, and the call never runs.
 */
TEST_F(hostile, a_stopped_task_does_not_stall_its_callers)
{
	mach_port_t boot = serve_as_bootstrap();
	vm_address_t address = 0;
	struct timespec t0, t1;
	kern_return_t kr;
	task_t theirs;
	double took;
	pid_t pid;

	ASSERT_NE(MACH_PORT_NULL, boot);
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		send_port(bootstrap_port, mach_task_self(), MACH_MSG_TYPE_COPY_SEND);
		for (;;)
			pause();
	}
	theirs = receive_port(boot);
	ASSERT_NE(MACH_PORT_NULL, theirs);
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	for (int i = 0; i < 200 && !all_stopped(pid); i++)
		usleep(10 * 1000);
	ASSERT_TRUE(all_stopped(pid));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	kr = vm_allocate(theirs, &address, 4096, VM_FLAGS_ANYWHERE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	EXPECT_EQ(KERN_ABORTED, kr);
	EXPECT_GT(5.0, took);

	ASSERT_EQ(0, kill(pid, SIGCONT));
	address = 0;
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(theirs, &address, 4096, VM_FLAGS_ANYWHERE));
	kill(pid, SIGKILL);
	EXPECT_NE(-1, wait_for_exit(pid, 5000));
}

TEST_HARNESS_MAIN
