// SPDX-License-Identifier: GPL-2.0
/*
 * Mach absolute time: mach_timebase_info (1/1: ticks are nanoseconds),
 * mach_absolute_time (CLOCK_MONOTONIC), mach_continuous_time
 * (CLOCK_BOOTTIME), mach_wait_until (at least until its deadline;
 * KERN_ABORTED when a signal comes first).
 */
#include <signal.h>
#include <time.h>

#include <mach/mach.h>
#include <mach/mach_time.h>

#include "kselftest_harness.h"
#include "mach_test.h"

static uint64_t ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

TEST(timebase_is_one_to_one)
{
	mach_timebase_info_data_t tb = { 0, 0 };

	ASSERT_EQ(KERN_SUCCESS, mach_timebase_info(&tb));
	EXPECT_EQ(1, tb.numer);
	EXPECT_EQ(1, tb.denom);
}

TEST(absolute_time_is_monotonic_clock)
{
	uint64_t before = ns(CLOCK_MONOTONIC);
	uint64_t now = mach_absolute_time();
	uint64_t after = ns(CLOCK_MONOTONIC);
	uint64_t last = now;

	EXPECT_LE(before, now);
	EXPECT_LE(now, after);
	for (int i = 0; i < 10000; i++) {
		uint64_t t = mach_absolute_time();

		ASSERT_LE(last, t);
		last = t;
	}
}

TEST(continuous_time_is_boottime)
{
	uint64_t before = ns(CLOCK_BOOTTIME);
	uint64_t now = mach_continuous_time();
	uint64_t after = ns(CLOCK_BOOTTIME);

	EXPECT_LE(before, now);
	EXPECT_LE(now, after);
	/*
	 * Sleep counts in it, not in absolute time: never behind it. Absolute
	 * time is read first: read after, it could pass continuous time read
	 * before by the time between the two (a preemption, under emulation).
	 */
	uint64_t absolute = mach_absolute_time();

	EXPECT_GE(mach_continuous_time(), absolute);
}

TEST(wait_until_waits_for_the_deadline)
{
	uint64_t deadline = mach_absolute_time() + 30000000;	/* 30 ms */

	ASSERT_EQ(KERN_SUCCESS, mach_wait_until(deadline));
	EXPECT_GE(mach_absolute_time(), deadline);

	/* A deadline already past: at once. */
	uint64_t start = mach_absolute_time();
	ASSERT_EQ(KERN_SUCCESS, mach_wait_until(start - 1000));
	ASSERT_EQ(KERN_SUCCESS, mach_wait_until(0));
	EXPECT_LT(mach_absolute_time() - start, 100000000);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(wait_until_is_aborted_by_a_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	uint64_t start = mach_absolute_time();

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	/* Far away: the alarm comes first. */
	EXPECT_EQ(KERN_ABORTED, mach_wait_until(start + 60000000000ull));
	EXPECT_LT(mach_absolute_time() - start, 30000000000ull);
	EXPECT_GE(mach_absolute_time() - start, 500000000ull);
}

TEST_HARNESS_MAIN
