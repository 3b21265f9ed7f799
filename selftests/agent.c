// SPDX-License-Identifier: GPL-2.0
/*
 * Agents: a task without one (a process that opened /dev/mach itself and
 * never started one) neither waits for it nor makes any other task wait.
 * The harness forks each test, so a test may drop to an unprivileged uid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define NOBODY 65534
#define ATTACKER 4242		/* another unprivileged user */
#define THREADS 4

static int become(uid_t id)
{
	if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id))
		return -1;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int raw_fd;
static unsigned int raw_self;

/* MACH_THREAD_SELF on the raw descriptor: the ioctl's answer. */
static int raw_thread_self(void)
{
	struct mach_thread_args args = { .op = MACH_THREAD_SELF, .port = raw_self };

	return ioctl(raw_fd, MACH_IOC_THREAD, &args);
}

/* Opens /dev/mach without libmach: a task with no agent. 0 or -1. */
static int open_raw(void)
{
	struct mach_task_self_args self = { 0 };

	raw_fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (raw_fd < 0 || ioctl(raw_fd, MACH_IOC_TASK_SELF, &self) != KERN_SUCCESS)
		return -1;
	raw_self = self.name;
	return 0;
}

static void *ask_again_and_again(void *arg)
{
	for (;;) {
		raw_thread_self();
		usleep(1000);
	}
	return NULL;
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(agent) {
	struct made made;
};

FIXTURE_SETUP(agent)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(agent)
{
	made_end(&self->made);
}

/*
 * An agentless task asks for mach_thread_self from four threads, again and
 * again; another user's mach_thread_self is answered at once all the same.
 * (It waited 16 to 40 s for a module-wide lock held across 5 s waits for
 * the agent that never came.)
 */
TEST_F(agent, an_agentless_task_delays_no_other_users_calls)
{
	int ready[2], answer[2], status;
	long long result[2] = { -1, -1 };	/* kr, ms */
	struct pollfd pfd;
	pid_t attacker, victim;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(answer));
	attacker = made_fork(&self->made);
	ASSERT_LE(0, attacker);
	if (attacker == 0) {
		pthread_t threads[THREADS];

		if (become(ATTACKER) || open_raw())
			_exit(1);
		for (int i = 0; i < THREADS; i++)
			if (pthread_create(&threads[i], NULL, ask_again_and_again, NULL))
				_exit(2);
		usleep(100000);
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	usleep(300000);		/* every asker is in the module by now */

	victim = made_fork(&self->made);
	ASSERT_LE(0, victim);
	if (victim == 0) {
		long long start, out[2];
		mach_port_t me;

		if (become(NOBODY) || mach_task_self() == MACH_PORT_NULL)
			_exit(1);
		start = now_ms();
		me = mach_thread_self();
		out[1] = now_ms() - start;
		out[0] = me == MACH_PORT_NULL;
		if (write(answer[1], out, sizeof(out)) != sizeof(out))
			_exit(2);
		_exit(0);
	}
	/* Its answer, if it comes soon; then the attacker goes either way. */
	pfd.fd = answer[0];
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 3000)) {
		TH_LOG("no mach_thread_self() answer within 3 s");
	}
	kill(attacker, SIGKILL);
	ASSERT_EQ(attacker, waitpid(attacker, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) {
		TH_LOG("the attacker could not start: exit %d", WEXITSTATUS(status));
	}
	ASSERT_EQ(sizeof(result), read(answer[0], result, sizeof(result)));
	ASSERT_EQ(victim, waitpid(victim, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, result[0]) {
		TH_LOG("mach_thread_self() gave MACH_PORT_NULL");
	}
	EXPECT_GT(1000, result[1]) {
		TH_LOG("mach_thread_self() took %lld ms", result[1]);
	}
}

/*
 * A call that needs the agent of a task that has none, and is not starting
 * one, is refused at once: it has nothing to wait for.
 */
TEST(an_agentless_task_is_refused_at_once)
{
	long long start, took;
	int kr;

	ASSERT_EQ(0, open_raw());
	start = now_ms();
	kr = raw_thread_self();
	took = now_ms() - start;
	EXPECT_NE(KERN_SUCCESS, kr);
	EXPECT_GT(1000, took) {
		TH_LOG("MACH_THREAD_SELF without an agent took %lld ms", took);
	}
}

/* The module's own requests: only the stub and a new shell's code make them. */
static const struct {
	unsigned long cmd;
	const char *name;
} internal[] = {
	{ MACH_IOC_AGENT_RETURN, "AGENT_RETURN" },
	{ MACH_IOC_SPAWN_ENTER, "SPAWN_ENTER" },
	{ MACH_IOC_TRAMPOLINE_RETURN, "TRAMPOLINE_RETURN" },
	{ MACH_IOC_THREAD_ENTER, "THREAD_ENTER" },
	{ MACH_IOC_AGENT_SUMMONED, "AGENT_SUMMONED" },
	{ MACH_IOC_AGENT_BORN, "AGENT_BORN" },
};
#define INTERNAL (sizeof(internal) / sizeof(internal[0]))

/* ioctl(fd, cmd, arg): 0, or -errno. */
static int ioctl_errno(int fd, unsigned long cmd, unsigned long arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* Does the task still work: a thread port, memory, a task of its own? */
static int task_still_works(void)
{
	vm_address_t addr = 0;
	mach_port_t thread = mach_thread_self();
	task_t child;

	if (thread == MACH_PORT_NULL)
		return -1;
	mach_port_deallocate(mach_task_self(), thread);
	if (vm_allocate(mach_task_self(), &addr, 4096, VM_FLAGS_ANYWHERE) ||
	    vm_deallocate(mach_task_self(), addr, 4096))
		return -2;
	if (task_create(mach_task_self(), NULL, 0, TRUE, &child))
		return -3;
	if (task_terminate(child))
		return -4;
	mach_port_deallocate(mach_task_self(), child);
	return 0;
}

struct asker {
	int fd;
	int err[INTERNAL];
	int agent;		/* MACH_IOC_AGENT's */
};

/* Each internal request, and MACH_IOC_AGENT, from an ordinary thread. */
static void *ask_each(void *arg)
{
	struct asker *a = arg;

	for (unsigned int i = 0; i < INTERNAL; i++)
		a->err[i] = ioctl_errno(a->fd, internal[i].cmd, 0);
	a->agent = ioctl_errno(a->fd, MACH_IOC_AGENT, a->fd);
	return NULL;
}

/*
 * An ordinary thread of a task that has an agent makes each internal
 * request: each is refused with EPERM (it has no such role), MACH_IOC_AGENT
 * with EBUSY, and the task goes on working. (One ioctl number used to
 * carry all of them, picked by probing who the caller was.)
 */
TEST(internal_requests_from_an_ordinary_thread_are_refused)
{
	struct asker main_thread = { 0 }, other = { 0 };
	pthread_t thread;

	ASSERT_EQ(0, make_own_agent());
	ASSERT_EQ(0, open_raw());	/* a /dev/mach of the same task */
	main_thread.fd = other.fd = raw_fd;
	ask_each(&main_thread);
	ASSERT_EQ(0, pthread_create(&thread, NULL, ask_each, &other));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	for (unsigned int i = 0; i < INTERNAL; i++) {
		EXPECT_EQ(-EPERM, main_thread.err[i]) {
			TH_LOG("%s from the main thread: %d", internal[i].name,
			       main_thread.err[i]);
		}
		EXPECT_EQ(-EPERM, other.err[i]) {
			TH_LOG("%s from another thread: %d", internal[i].name,
			       other.err[i]);
		}
	}
	EXPECT_EQ(-EBUSY, main_thread.agent);
	EXPECT_EQ(-EBUSY, other.agent);
	EXPECT_EQ(0, task_still_works());
	/* On the task's own raw descriptor too. */
	EXPECT_EQ(KERN_SUCCESS, raw_thread_self());
}

/*
 * A task without an agent: the internal requests do not make one, and
 * MACH_IOC_AGENT with a descriptor that is not the file's is refused.
 */
TEST(internal_requests_start_no_agent)
{
	long long start, took;

	ASSERT_EQ(0, open_raw());
	for (unsigned int i = 0; i < INTERNAL; i++) {
		EXPECT_EQ(-EPERM, ioctl_errno(raw_fd, internal[i].cmd, raw_fd)) {
			TH_LOG("%s", internal[i].name);
		}
	}
	EXPECT_EQ(-EBADF, ioctl_errno(raw_fd, MACH_IOC_AGENT, raw_fd + 100));
	EXPECT_EQ(-EBADF, ioctl_errno(raw_fd, MACH_IOC_AGENT, -1UL));
	EXPECT_EQ(-EBADF, ioctl_errno(raw_fd, MACH_IOC_AGENT_ON_DEMAND, raw_fd + 100));
	EXPECT_EQ(-EBADF, ioctl_errno(raw_fd, MACH_IOC_AGENT_ON_DEMAND, -1UL));
	/* Still none: a call that needs one is refused at once. */
	start = now_ms();
	EXPECT_NE(KERN_SUCCESS, raw_thread_self());
	took = now_ms() - start;
	EXPECT_GT(1000, took);
}

/*
 * A process that is not a task (a fork child holding its parent's
 * /dev/mach), and a task using another task's file: each request is
 * refused (EBADF where the role needs the caller's own file, EPERM where
 * it has no such role), the child does not become a task, and the parent
 * is unharmed.
 */
TEST(internal_requests_from_another_process_are_refused)
{
	int status, pipefd[2], go[2];
	long tasks;
	char c = 'g';
	pid_t pid;

	ASSERT_EQ(0, open_raw());
	ASSERT_NE(MACH_PORT_NULL, mach_task_self());
	tasks = mach_stat("live_tasks");
	ASSERT_LT(0, tasks);
	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Not a task: it never opened /dev/mach. */
		int err[2 + INTERNAL], n = 0;

		/* A parent that fails before "go" ends our wait with EOF. */
		close(go[1]);
		close(pipefd[0]);
		err[n++] = ioctl_errno(raw_fd, MACH_IOC_AGENT, raw_fd);
		err[n++] = ioctl_errno(raw_fd, MACH_IOC_AGENT_WAIT, 0);
		for (unsigned int i = 0; i < INTERNAL; i++)
			err[n++] = ioctl_errno(raw_fd, internal[i].cmd, 0);
		if (write(pipefd[1], err, sizeof(err)) != sizeof(err) ||
		    read(go[0], &c, 1) != 1)	/* the parent has counted */
			_exit(1);
		/* Now a task of its own, with an agent, on the parent's file. */
		if (make_own_agent())
			_exit(2);
		n = 0;
		err[n++] = ioctl_errno(raw_fd, MACH_IOC_AGENT, raw_fd);
		err[n++] = ioctl_errno(raw_fd, MACH_IOC_AGENT_WAIT, 0);
		for (unsigned int i = 0; i < INTERNAL; i++)
			err[n++] = ioctl_errno(raw_fd, internal[i].cmd, 0);
		if (write(pipefd[1], err, sizeof(err)) != sizeof(err))
			_exit(3);
		_exit(task_still_works() ? 4 : 0);
	}
	for (int round = 0; round < 2; round++) {
		/* AGENT, AGENT_WAIT, then as internal[]. */
		static const int want[2 + INTERNAL] = { -EBADF, -EBADF, -EPERM, -EPERM,
							-EBADF, -EBADF, -EBADF, -EBADF };
		int err[2 + INTERNAL];

		ASSERT_EQ(sizeof(err), read(pipefd[0], err, sizeof(err)));
		for (unsigned int i = 0; i < 2 + INTERNAL; i++) {
			EXPECT_EQ(want[i], err[i]) {
				TH_LOG("round %d, request %u: %d", round, i, err[i]);
			}
		}
		if (round == 0) {
			/* (Tasks of earlier tests may still be on their way out.) */
			EXPECT_GE(tasks, mach_stat("live_tasks")) {
				TH_LOG("the fork child became a task");
			}
			ASSERT_EQ(1, write(go[1], &c, 1));
		}
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("child: status %#x", status);
	}
	EXPECT_EQ(0, task_still_works());
	EXPECT_EQ(KERN_SUCCESS, raw_thread_self());
}

TEST_HARNESS_MAIN
