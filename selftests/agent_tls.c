// SPDX-License-Identifier: GPL-2.0
/*
 * A static program with much thread-local data has its agent: glibc puts
 * that data at the top of every thread's stack, and refused libmach's
 * smallest stack for it, which left the task with no agent (every call
 * needing one then waited 5 s and failed). A file of its own: the size of
 * thread-local data is the whole program's.
 */
#include <time.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

static __thread char big[16384];

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
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

TEST_F(agent, a_program_with_16_KiB_of_thread_local_data_has_an_agent)
{
	int null = open("/dev/null", O_WRONLY);
	long long start, took;
	kern_return_t kr;
	task_t child;

	/* Used, so that it stays: the kernel reads every byte of it. */
	memset(big, 'x', sizeof(big));
	ASSERT_LE(0, null);
	ASSERT_EQ(sizeof(big), write(null, big, sizeof(big)));
	close(null);

	start = now_ms();
	kr = made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE, &child);
	took = now_ms() - start;
	ASSERT_EQ(KERN_SUCCESS, kr) {
		TH_LOG("task_create: %s after %lld ms", mach_error_string(kr), took);
	}
	EXPECT_GT(2000, took) {
		TH_LOG("task_create took %lld ms", took);
	}
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
}

TEST_HARNESS_MAIN
