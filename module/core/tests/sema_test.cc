// SPDX-License-Identifier: GPL-2.0
// Semaphores through the ioctl front end, on one thread: counting, XNU's
// errors, destruction, and nothing left once the names are gone.
#include <mach/mach.h>

#include "../sema.h"
#include "one_task.h"

using namespace mach;

static_assert(static_cast<long>(Kr::NotWaiting) == KERN_NOT_WAITING);
static_assert(static_cast<long>(Kr::OperationTimedOut) == KERN_OPERATION_TIMED_OUT);
static_assert(static_cast<long>(Kr::Terminated) == KERN_TERMINATED);
static_assert(sync_policy_reversed == SYNC_POLICY_REVERSED);

namespace {

class Semaphores : public OneTask {
protected:
	long call(mach_semaphore_args &a) { return ioctl(MACH_IOC_NR_SEMAPHORE, &a); }

	long create(s32 policy, s32 value, u32 *name)
	{
		mach_semaphore_args a{};
		a.op = MACH_SEMAPHORE_CREATE;
		a.task = self;
		a.policy = policy;
		a.value = value;
		long r = call(a);
		*name = a.semaphore;
		return r;
	}
	long on(u32 op, u32 name)
	{
		mach_semaphore_args a{};
		a.op = op;
		a.task = self;
		a.semaphore = name;
		return call(a);
	}
	// A wait that never blocks: a timeout of zero.
	long poll(u32 name)
	{
		mach_semaphore_args a{};
		a.op = MACH_SEMAPHORE_WAIT;
		a.flags = MACH_SEMAPHORE_TIMED;
		a.semaphore = name;
		return call(a);
	}
};

TEST_F(Semaphores, CountAndTake)
{
	u32 s;
	ASSERT_EQ(KERN_SUCCESS, create(SYNC_POLICY_FIFO, 1, &s));
	EXPECT_EQ(KERN_SUCCESS, poll(s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll(s));
	EXPECT_EQ(KERN_SUCCESS, on(MACH_SEMAPHORE_SIGNAL, s));
	EXPECT_EQ(KERN_SUCCESS, on(MACH_SEMAPHORE_SIGNAL_ALL, s));	/* counts nothing */
	EXPECT_EQ(KERN_NOT_WAITING, on(MACH_SEMAPHORE_SIGNAL_THREAD, s));
	EXPECT_EQ(KERN_SUCCESS, poll(s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll(s));
	EXPECT_EQ(KERN_SUCCESS, on(MACH_SEMAPHORE_DESTROY, s));
	EXPECT_EQ(KERN_INVALID_NAME, poll(s));	/* destroy took the name */
}

TEST_F(Semaphores, DestroyedAnswersTerminated)
{
	u32 s;
	ASSERT_EQ(KERN_SUCCESS, create(SYNC_POLICY_LIFO, 3, &s));
	mach_port_args refs{};
	refs.op = MACH_PORT_OP_MOD_REFS;
	refs.task = self;
	refs.name = s;
	refs.right = MACH_PORT_RIGHT_SEND;
	refs.delta = 1;
	ASSERT_EQ(KERN_SUCCESS, ioctl(MACH_IOC_NR_PORT, &refs));
	EXPECT_EQ(KERN_SUCCESS, on(MACH_SEMAPHORE_DESTROY, s));
	EXPECT_EQ(KERN_TERMINATED, poll(s));
	EXPECT_EQ(KERN_TERMINATED, on(MACH_SEMAPHORE_SIGNAL, s));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, on(MACH_SEMAPHORE_DESTROY, s));
}

TEST_F(Semaphores, BadRequests)
{
	u32 s = 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, create(SYNC_POLICY_FIFO, -1, &s));
	EXPECT_EQ(0u, s);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, create(SYNC_POLICY_FIXED_PRIORITY, 0, &s));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, create(0x10, 0, &s));
	EXPECT_EQ(KERN_INVALID_NAME, on(MACH_SEMAPHORE_SIGNAL, 0));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, on(MACH_SEMAPHORE_SIGNAL, self));
	mach_semaphore_args a{};
	a.op = MACH_SEMAPHORE_SIGNAL;
	a.flags = MACH_SEMAPHORE_TIMED;	/* only for the waits */
	EXPECT_EQ(-MACH_EINVAL, call(a));
	a = {};
	a.op = 99;
	EXPECT_EQ(-MACH_EINVAL, call(a));
	a = {};
	a.op = MACH_SEMAPHORE_WAIT;
	a.flags = MACH_SEMAPHORE_TIMED;
	a.nsec = 1000000000;
	EXPECT_EQ(KERN_INVALID_VALUE, call(a));
}

// Its last name gone, a semaphore is freed (the fixture counts).
TEST_F(Semaphores, LastNameFreesIt)
{
	u32 s;
	ASSERT_EQ(KERN_SUCCESS, create(SYNC_POLICY_FIFO, 0, &s));
	mach_port_deallocate_args d{};
	d.task = self;
	d.name = s;
	EXPECT_EQ(KERN_SUCCESS, ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &d));
	EXPECT_EQ(KERN_INVALID_NAME, poll(s));
	// One left to the task's end.
	ASSERT_EQ(KERN_SUCCESS, create(SYNC_POLICY_FIFO, 0, &s));
}

} // namespace
