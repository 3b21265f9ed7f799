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

TEST_HARNESS_MAIN
