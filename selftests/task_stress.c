// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks made, used and ended from several threads at once, and processes
 * killed in the middle of making them: nothing may leak or hang, and the
 * kernel log must stay clean.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <mach/ioctl.h>
#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define ROUNDS 25

static void *churn(void *arg)
{
	task_t parent = *(task_t *)arg, child;
	vm_address_t at;
	long failures = 0;
	char buf[8];

	for (int i = 0; i < ROUNDS; i++) {
		at = 0;
		if (task_create(parent, NULL, 0, i & 1, &child) != KERN_SUCCESS) {
			failures++;
			continue;
		}
		if (vm_allocate(child, &at, 4096, VM_FLAGS_ANYWHERE) ||
		    vm_write(child, at, (vm_offset_t)"churn", 6) ||
		    vm_read_overwrite(child, at, 6, (vm_address_t)buf, NULL) ||
		    strcmp(buf, "churn"))
			failures++;
		if (task_terminate(child) != KERN_SUCCESS)
			failures++;
		mach_port_deallocate(mach_task_self(), child);
	}
	return (void *)failures;
}

/* Waits (up to 2 s) for the module's live tasks to come down to n. */
static long settle_to(long n)
{
	long live = mach_stat("live_tasks");

	for (int i = 0; i < 200 && live > n; i++) {
		usleep(10000);
		live = mach_stat("live_tasks");
	}
	return live;
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(stress) {
	struct made made;
};

FIXTURE_SETUP(stress)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(stress)
{
	made_end(&self->made);
}

TEST_F(stress, four_threads_make_and_end_tasks)
{
	task_t me = mach_task_self(), middle;
	pthread_t threads[4];
	long before, failures = 0;
	void *ret;

	before = mach_stat("live_tasks");
	/* Two threads fork from our own task, two from a child's. */
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, me, NULL, 0, FALSE, &middle));
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, churn,
					    i < 2 ? &me : &middle));
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(threads[i], &ret));
		failures += (long)ret;
	}
	EXPECT_EQ(0, failures);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(middle));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(me, middle));
	EXPECT_LE(settle_to(before), before);
}

/* Processes that make tasks as fast as they can, killed at random points. */
TEST_F(stress, killed_while_making_tasks)
{
	long before = mach_stat("live_tasks");

	for (int round = 0; round < 6; round++) {
		pid_t pid = made_fork(&self->made);

		ASSERT_LE(0, pid);
		if (pid == 0) {
			task_t child;

			for (int i = 0;; i++)
				if (task_create(mach_task_self(), NULL, 0, i & 1,
						&child) == KERN_SUCCESS && (i & 2))
					task_terminate(child);
		}
		usleep(20000 + round * 15000);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	}
	/*
	 * The shells they left behind outlive them (they belong to init now);
	 * one may still be setting up (its fd 0 becomes its /dev/mach then).
	 * End them by pid until the module's count is back.
	 */
	long live = mach_stat("live_tasks");
	for (int i = 0; i < 10 && live > before; i++) {
		system("for p in /proc/[0-9]*; do "
		       "[ \"$(readlink $p/fd/0 2>/dev/null)\" = 'anon_inode:[mach]' ] && "
		       "kill -9 ${p#/proc/}; done 2>/dev/null");
		live = settle_to(before);
	}
	/* (a task of the test before may still be going away meanwhile) */
	EXPECT_LE(live, before);
}

static int agent_fd;
static pthread_barrier_t agent_barrier;

/* Become the agent of our task: returns only if refused (or it ends). */
static void *try_to_be_the_agent(void *arg)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	pthread_barrier_wait(&agent_barrier);
	*(long *)arg = ioctl(agent_fd, MACH_IOC_AGENT, agent_fd) < 0 ? -errno : 0;
	return NULL;
}

/*
 * Eight threads of a process that has no agent yet ask to become it at
 * once, on a /dev/mach of their own (libmach asks once): one is, seven are
 * refused with EBUSY. Two agents serving one queue lost calls for good.
 */
TEST_F(stress, one_agent_however_many_ask)
{
	enum { ASKERS = 8 };

	for (int round = 0; round < 10; round++) {
		int status = -1;
		pid_t pid = made_fork(&self->made);

		ASSERT_LE(0, pid);
		if (pid == 0) {
			static long answers[ASKERS];
			pthread_t askers[ASKERS];
			int refused = 0;

			agent_fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
			if (agent_fd < 0)
				_exit(100);
			pthread_barrier_init(&agent_barrier, NULL, ASKERS);
			for (long i = 0; i < ASKERS; i++)
				answers[i] = 1;	/* still asking */
			for (int i = 0; i < ASKERS; i++)
				pthread_create(&askers[i], NULL, try_to_be_the_agent,
					       &answers[i]);
			usleep(300000);
			for (int i = 0; i < ASKERS; i++)
				refused += __atomic_load_n(&answers[i], __ATOMIC_RELAXED) == -EBUSY;
			_exit(refused);	/* the agent ends with us */
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(ASKERS - 1, WEXITSTATUS(status));
	}
}

TEST_HARNESS_MAIN
