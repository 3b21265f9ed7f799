// SPDX-License-Identifier: GPL-2.0
// The thread calls on a host thread record: info flavours' layouts and
// counts, policy round trips and refusals, special ports.
#include "one_task.h"
#include "../thread_calls.h"
#include "../thread_policy.h"

using namespace mach;

namespace {

class ThreadCalls : public OneTask {
protected:
	Thread *thread = nullptr;

	void SetUp() override
	{
		OneTask::SetUp();
		int err = 0;
		thread = Thread::create(task, mach_shim_thread_create(&os, 0, false, &err));
		ASSERT_NE(nullptr, thread);
		ASSERT_TRUE(task->add_thread(thread));
	}
	void release() override
	{
		if (thread)
			thread->put();
	}
};

TEST_F(ThreadCalls, InfoFlavoursAndCounts)
{
	u32 info[thread_info_max];
	u32 count = 6;
	ASSERT_EQ(Kr::Success, thread_info(*thread, 4, info, &count));
	EXPECT_EQ(6u, count);
	EXPECT_EQ(static_cast<u32>(shim_user::last_tid), info[0]);	// thread_id, low word
	EXPECT_EQ(0u, info[1]);
	EXPECT_EQ(0x70u, info[3]);	// thread_handle's high word (the host shim's)
	EXPECT_EQ(0u, info[4]);		// no dispatch queue
	count = 5;
	EXPECT_EQ(Kr::InvalidArgument, thread_info(*thread, 4, info, &count));

	count = thread_info_max;
	ASSERT_EQ(Kr::Success, thread_info(*thread, 5, info, &count));
	EXPECT_EQ(28u, count);
	u64 user;
	__builtin_memcpy(&user, &info[0], 8);
	EXPECT_EQ(1500000000u, user);
	EXPECT_EQ(31u, info[10]);		// nice 0
	EXPECT_EQ(63u, info[11]);
	EXPECT_STREQ("host-thread", reinterpret_cast<const char *>(&info[12]));
	count = 27;
	EXPECT_EQ(Kr::InvalidArgument, thread_info(*thread, 5, info, &count));
	count = thread_info_max;
	EXPECT_EQ(Kr::InvalidArgument, thread_info(*thread, 6, info, &count));
}

TEST_F(ThreadCalls, PolicyRoundTripsAndRefusals)
{
	u32 info[thread_policy_max];
	u32 count = 1;
	bool get_default = false;
	u32 importance = static_cast<u32>(-4);
	ASSERT_EQ(Kr::Success, thread_policy_set(*thread, 3, &importance, 1));
	ASSERT_EQ(Kr::Success, thread_policy_get(*thread, 3, info, &count, &get_default));
	EXPECT_EQ(importance, info[0]);
	u32 tag = 9;
	ASSERT_EQ(Kr::Success, thread_policy_set(*thread, 4, &tag, 1));
	ASSERT_EQ(Kr::Success, thread_policy_get(*thread, 4, info, &count, &get_default));
	EXPECT_EQ(9u, info[0]);
	u32 no = 0;
	EXPECT_EQ(Kr::NotSupported, thread_policy_set(*thread, 1, &no, 1));
	EXPECT_EQ(Kr::Success, thread_policy_set(*thread, 1, nullptr, 0));
	// The host shim refuses deadlines as an unprivileged caller is refused.
	u32 tc[4] = {10000000, 1000000, 5000000, 1};
	EXPECT_EQ(Kr::NoAccess, thread_policy_set(*thread, 2, tc, 4));
	tc[1] = 100;
	EXPECT_EQ(Kr::InvalidArgument, thread_policy_set(*thread, 2, tc, 4));
	count = 3;
	EXPECT_EQ(Kr::InvalidArgument, thread_policy_get(*thread, 2, info, &count, &get_default));
	count = 16;
	EXPECT_EQ(Kr::InvalidArgument, thread_policy_get(*thread, 7, info, &count, &get_default));
	ASSERT_EQ(Kr::Success, thread_policy_get(*thread, 2, info, &count, &get_default));
	EXPECT_TRUE(get_default);
	EXPECT_EQ(16u, count);		// left as given, as XNU
	EXPECT_EQ(5000000u, info[1]);
	EXPECT_EQ(0u, info[4]);
}

TEST_F(ThreadCalls, SpecialPorts)
{
	TransitRight right;
	for (u32 which = 1; which <= 3; which++) {
		ASSERT_EQ(Kr::Success, thread_get_special_port(*thread, which, &right));
		Ref<Port> port = thread->port();
		EXPECT_EQ(port.get(), right.port);
		right.port->drop(right);
	}
	EXPECT_EQ(Kr::InvalidArgument, thread_get_special_port(*thread, 0, &right));
	EXPECT_EQ(nullptr, right.port);
	EXPECT_EQ(Kr::InvalidArgument, thread_get_special_port(*thread, 4, &right));
	EXPECT_EQ(Kr::NoAccess, thread_set_special_port(*thread, 1, TransitRight{}));
	EXPECT_EQ(Kr::InvalidArgument, thread_set_special_port(*thread, 3, TransitRight{}));
	thread_terminate(*thread);
	EXPECT_EQ(Kr::Failure, thread_get_special_port(*thread, 1, &right));
}

} // namespace

// thread_create on the caller's own task, cloned by the calling thread on
// its way out of the ioctl (MACH_LATER): named first; the clone's result,
// given to mach_core_later_done(), keeps or takes back all of it.
class CloneOnTheWayOut : public OneTask {
protected:
	mach_thread_args args{};

	void SetUp() override
	{
		OneTask::SetUp();
		shim_user::threads_cloned_later = true;
		args.op = MACH_THREAD_CREATE;
		args.port = self;
	}
	u32 threads()
	{
		u32 count = 0;
		task->threads(nullptr, 0, &count);
		return count;
	}
	// The trampoline's end: the clone's result, and the thread made for it.
	long done(int err)
	{
		u32 count = 0;
		Thread *listed = nullptr;
		task->threads(&listed, 1, &count);
		mach_later_made made{};
		made.thread = listed ? listed->os() : nullptr;
		long ret = mach_core_later_done(task, MACH_IOC_NR_THREAD, &args, err, &made);
		if (listed)
			listed->put();
		return ret;
	}
};

TEST_F(CloneOnTheWayOut, NamedBeforeItsCloneAndKeptWhenItIsMade)
{
	shim_user::next_thread_clone = MACH_LATER;
	ASSERT_EQ(MACH_LATER, ioctl(MACH_IOC_NR_THREAD, &args));
	EXPECT_EQ(1, shim_user::thread_clones);
	ASSERT_TRUE(shim_user::fd_open(args.value));
	EXPECT_EQ(1u, threads());
	EXPECT_EQ(0, done(0));
	EXPECT_TRUE(shim_user::fd_open(args.value));
	EXPECT_EQ(1u, threads());
}

TEST_F(CloneOnTheWayOut, AFailedCloneTakesBackTheNameAndTheThread)
{
	shim_user::next_thread_clone = MACH_LATER;
	ASSERT_EQ(MACH_LATER, ioctl(MACH_IOC_NR_THREAD, &args));
	u32 name = args.value;
	EXPECT_EQ(static_cast<long>(Kr::ResourceShortage),
		  done(-MACH_EAGAIN));
	EXPECT_EQ(0u, args.value);
	EXPECT_FALSE(shim_user::fd_open(name));
	EXPECT_EQ(0u, threads());
}

// Another thread of the program can see the name before the clone: it
// may take it away and get the number back for another right.
TEST_F(CloneOnTheWayOut, AFailedCloneLeavesANameReusedMeanwhile)
{
	shim_user::next_thread_clone = MACH_LATER;
	ASSERT_EQ(MACH_LATER, ioctl(MACH_IOC_NR_THREAD, &args));
	Name name{args.value};
	ASSERT_EQ(Kr::Success, task->space().deallocate(name));
	Name reused{Name::null};
	ASSERT_EQ(Kr::Success, task->space().allocate(PortRightReceive, &reused));
	ASSERT_EQ(name.value, reused.value);
	ASSERT_EQ(Kr::Success, task->space().insert_right(reused, reused, MakeSend));
	EXPECT_EQ(static_cast<long>(Kr::ResourceShortage), done(-MACH_EAGAIN));
	EXPECT_EQ(0u, args.value);
	u32 refs = 0;
	EXPECT_EQ(Kr::Success, task->space().get_refs(reused, PortRightSend, &refs));
	EXPECT_EQ(1u, refs);
	EXPECT_EQ(0u, threads());
	task->space().destroy_name(reused);
}

TEST_F(CloneOnTheWayOut, AClonerRefusedAtOnceAnswersAtOnce)
{
	shim_user::next_thread_clone = -MACH_EAGAIN;
	EXPECT_EQ(static_cast<long>(Kr::ResourceShortage), ioctl(MACH_IOC_NR_THREAD, &args));
	EXPECT_EQ(0u, args.value);
	EXPECT_EQ(0u, threads());
	EXPECT_EQ(1, shim_user::live_files());	// the task's own name only
}

TEST_F(CloneOnTheWayOut, CreateRunningIsResumedBeforeItsClone)
{
	u64 regs[MACH_X86_THREAD_STATE64_WORDS] = {};
	regs[MACH_X86_RIP] = 0x400000;
	regs[MACH_X86_RSP] = 0x7000000;
	args.op = MACH_THREAD_CREATE_RUNNING;
	args.flavor = 4;	// x86_THREAD_STATE64
	args.count = 2 * MACH_X86_THREAD_STATE64_WORDS;
	args.data = reinterpret_cast<u64>(regs);
	shim_user::next_thread_clone = MACH_LATER;
	ASSERT_EQ(MACH_LATER, ioctl(MACH_IOC_NR_THREAD, &args));
	u32 count = 0;
	Thread *listed = nullptr;
	task->threads(&listed, 1, &count);
	ASSERT_EQ(1u, count);
	EXPECT_EQ(0u, listed->suspend_count());
	listed->put();
	EXPECT_EQ(0, done(0));
}

TEST_F(CloneOnTheWayOut, CreateRunningWithAFloatStateIsClonedFirst)
{
	u32 state[float_state_count] = {};
	args.op = MACH_THREAD_CREATE_RUNNING;
	args.flavor = float_state_flavor;	// set on the thread itself
	args.count = float_state_count;
	args.data = reinterpret_cast<u64>(state);
	shim_user::next_thread_clone = MACH_LATER;
	EXPECT_EQ(0, ioctl(MACH_IOC_NR_THREAD, &args));
	EXPECT_EQ(0, shim_user::thread_clones);
	EXPECT_TRUE(shim_user::fd_open(args.value));
	EXPECT_EQ(1u, threads());
}
