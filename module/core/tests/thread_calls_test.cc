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
		thread = Thread::create(task, mach_shim_thread_create(&os, 0, &err));
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
