// SPDX-License-Identifier: GPL-2.0
/*
 * The host's clocks as kernel objects: host_get_clock_service, and on a
 * clock's port clock_get_time (the system clock is CLOCK_MONOTONIC, the
 * calendar clock CLOCK_REALTIME) and clock_get_attributes, with XNU's
 * answers to bad ids, counts, flavours and ports, by ioctl and message.
 */
#include <time.h>

#include <mach/mach.h>
#include <mach/clock.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long mach_ns(const mach_timespec_t *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* clock's time lies between two readings of clock_id around it. */
static void time_between(struct __test_metadata *_metadata, clock_serv_t clock,
			 clockid_t clock_id)
{
	struct timespec before, after;
	mach_timespec_t now;

	clock_gettime(clock_id, &before);
	ASSERT_EQ(KERN_SUCCESS, clock_get_time(clock, &now));
	clock_gettime(clock_id, &after);
	EXPECT_GE(now.tv_nsec, 0);
	EXPECT_LT(now.tv_nsec, 1000000000);
	/* A few ms of slack: the two clocks are read differently. */
	EXPECT_GE(mach_ns(&now), ns_of(&before) - 5000000);
	EXPECT_LE(mach_ns(&now), ns_of(&after) + 5000000);
}

TEST(clocks_tell_the_time)
{
	clock_serv_t sys, cal;

	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(mach_host_self(), SYSTEM_CLOCK, &sys));
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(mach_host_self(), CALENDAR_CLOCK, &cal));
	EXPECT_NE(MACH_PORT_NULL, sys);
	EXPECT_NE(sys, cal);
	time_between(_metadata, sys, CLOCK_MONOTONIC);
	time_between(_metadata, cal, CLOCK_REALTIME);

	/* The same port each time: a second right coalesces. */
	clock_serv_t again;
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(mach_host_self(), SYSTEM_CLOCK, &again));
	EXPECT_EQ(sys, again);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), again));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), sys));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), cal));
}

TEST(clock_time_moves_on)
{
	clock_serv_t sys;
	mach_timespec_t a, b;
	struct timespec pause = { 0, 20000000 };

	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(mach_host_self(), SYSTEM_CLOCK, &sys));
	ASSERT_EQ(KERN_SUCCESS, clock_get_time(sys, &a));
	nanosleep(&pause, NULL);
	ASSERT_EQ(KERN_SUCCESS, clock_get_time(sys, &b));
	EXPECT_GE(mach_ns(&b) - mach_ns(&a), 20000000);
	EXPECT_GT(CMP_MACH_TIMESPEC(&b, &a), 0);
}

TEST(clock_attributes)
{
	clock_serv_t sys, cal;
	int attr = -1;
	mach_msg_type_number_t count = 1;

	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(mach_host_self(), SYSTEM_CLOCK, &sys));
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(mach_host_self(), CALENDAR_CLOCK, &cal));
	ASSERT_EQ(KERN_SUCCESS, clock_get_attributes(sys, CLOCK_GET_TIME_RES, &attr, &count));
	EXPECT_EQ(1, count);
	EXPECT_EQ(10000000, attr);	/* XNU's: NSEC_PER_SEC / 100 */
	count = 1;
	ASSERT_EQ(KERN_SUCCESS, clock_get_attributes(sys, CLOCK_ALARM_MAXRES, &attr, &count));
	EXPECT_EQ(10000000, attr);
	count = 1;
	ASSERT_EQ(KERN_SUCCESS, clock_get_attributes(cal, CLOCK_GET_TIME_RES, &attr, &count));
	EXPECT_EQ(10000000, attr);
	count = 1;
	ASSERT_EQ(KERN_SUCCESS, clock_get_attributes(cal, CLOCK_ALARM_CURRES, &attr, &count));
	EXPECT_EQ(0, attr);	/* the calendar has no alarms */

	/* MIG gives the server at most one int: a larger room is one. */
	count = 4;
	ASSERT_EQ(KERN_SUCCESS, clock_get_attributes(sys, CLOCK_GET_TIME_RES, &attr, &count));
	EXPECT_EQ(1, count);
	/* No room: KERN_FAILURE; an unknown flavour: KERN_INVALID_VALUE. */
	count = 0;
	EXPECT_EQ(KERN_FAILURE, clock_get_attributes(sys, CLOCK_GET_TIME_RES, &attr, &count));
	count = 1;
	EXPECT_EQ(KERN_INVALID_VALUE, clock_get_attributes(sys, 2, &attr, &count));
	count = 1;
	EXPECT_EQ(KERN_INVALID_VALUE, clock_get_attributes(cal, 99, &attr, &count));
}

TEST(bad_clock_ids_and_ports)
{
	clock_serv_t clock = 1234;
	mach_timespec_t t;
	int attr;
	mach_msg_type_number_t count = 1;

	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_clock_service(mach_host_self(), 2, &clock));
	EXPECT_EQ(MACH_PORT_NULL, clock);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_clock_service(mach_host_self(), -1, &clock));
	/* A task port is no host, and no clock. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_clock_service(mach_task_self(), SYSTEM_CLOCK,
								&clock));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, clock_get_time(mach_task_self(), &t));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, clock_get_time(mach_host_self(), &t));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, clock_get_attributes(mach_host_self(),
							      CLOCK_GET_TIME_RES, &attr, &count));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, clock_get_time(0x7ff0, &t));
}

/* By message, through ports that stand in for the host and the clock. */
TEST(clocks_by_message)
{
	struct proxy host, clock;
	clock_serv_t sys;
	mach_timespec_t t;
	struct timespec before, after;
	int attr;
	mach_msg_type_number_t count = 1;

	proxy_start(&host, mach_host_self());
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(host.port, SYSTEM_CLOCK, &sys));
	clock_serv_t none = 1234;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_clock_service(host.port, 5, &none));
	EXPECT_EQ(MACH_PORT_NULL, none);
	EXPECT_EQ(2, host.forwarded);
	proxy_stop(&host);

	proxy_start(&clock, sys);
	clock_gettime(CLOCK_MONOTONIC, &before);
	ASSERT_EQ(KERN_SUCCESS, clock_get_time(clock.port, &t));
	clock_gettime(CLOCK_MONOTONIC, &after);
	EXPECT_GE(mach_ns(&t), ns_of(&before) - 5000000);
	EXPECT_LE(mach_ns(&t), ns_of(&after) + 5000000);
	ASSERT_EQ(KERN_SUCCESS, clock_get_attributes(clock.port, CLOCK_GET_TIME_RES, &attr,
						     &count));
	EXPECT_EQ(1, count);
	EXPECT_EQ(10000000, attr);
	count = 1;
	EXPECT_EQ(KERN_INVALID_VALUE, clock_get_attributes(clock.port, 42, &attr, &count));
	EXPECT_EQ(3, clock.forwarded);
	proxy_stop(&clock);
}

TEST_HARNESS_MAIN
