// SPDX-License-Identifier: GPL-2.0
// Unit tests of task_sample in the core: the port a task's samples go to,
// by ioctl and by message, what a task_create'd child inherits, and the
// messages that carry a batch (a full queue, a dead port).
#include <gtest/gtest.h>

#include <cstring>

#include "../core.h"
#include "../mig.h"
#include "../msg.h"
#include "../port.h"
#include "../space.h"
#include "../task.h"
#include "../task_create.h"
#include "../uapi.h"
#include "one_task.h"
#include "shim_user.h"

using namespace mach;

namespace {

class Sample : public OneTask {
protected:
	Space &space() { return task->space(); }

	u32 receive_right()
	{
		Name n{0};
		EXPECT_EQ(Kr::Success, space().allocate(PortRightReceive, &n));
		return n.value;
	}

	long sample(u32 port, u32 target = 0)
	{
		mach_task_control_args a{};
		a.task = target ? target : self;
		a.op = MACH_TASK_SAMPLE;
		a.value = port;
		return ioctl(MACH_IOC_NR_TASK_CONTROL, &a);
	}

	mach_sample_sent send(u32 count, u32 dropped = 0, Task *to = nullptr)
	{
		mach_sample samples[MACH_SAMPLE_MAX];
		for (u32 i = 0; i < count; i++)
			samples[i] = mach_sample{100 + i, 0x400000 + 16 * i};
		return mach_task_sample_send(to ? to : task, samples, count, dropped);
	}

	struct Received {
		MsgHeader h;
		mach_sample_body body;
		u32 trailer[16];
	};

	Kr receive(u32 port, Received &out)
	{
		memset(&out, 0, sizeof(out));
		mach_msg_args a{(u64)&out, RcvMsg | RcvTimeout, 0, sizeof(out), port, 0, 0};
		return Kr(ioctl(MACH_IOC_NR_MSG, &a));
	}

	u32 send_rights(u32 port) { return space().lookup_receive(Name{port})->send_rights(); }
};

TEST_F(Sample, ABatchArrivesInTheDocumentedLayout)
{
	u32 port = receive_right();
	int syncs = os.sample_syncs;
	ASSERT_EQ(0, sample(port));
	EXPECT_EQ(syncs + 1, os.sample_syncs);	// the host was told
	EXPECT_TRUE(task->sampling());
	EXPECT_EQ(1u, send_rights(port));	// made from the receive right, held by the task
	EXPECT_EQ(0u, task->space().lookup_receive(Name{port})->msgcount());

	ASSERT_EQ(MACH_SAMPLE_SENT, send(3, 7));
	Received r;
	ASSERT_EQ(Kr::Success, receive(port, r));
	EXPECT_EQ(s32(MACH_SAMPLE_MSG_ID), r.h.id);
	EXPECT_EQ(40u + 3 * 16, r.h.size);
	EXPECT_EQ(u32(MoveSend) << 8, r.h.bits);	// through a send right, no reply
	EXPECT_EQ(port, r.h.local_port);
	EXPECT_EQ(0u, r.h.remote_port);
	EXPECT_EQ(0, memcmp(r.body.ndr, ndr_record, sizeof(ndr_record)));
	EXPECT_EQ(3u, r.body.count);
	EXPECT_EQ(7u, r.body.dropped);
	EXPECT_EQ(102u, r.body.samples[2].thread);
	EXPECT_EQ(0x400020u, r.body.samples[2].pc);
	EXPECT_EQ(1u, send_rights(port));	// the message's right went with it

	// At most MACH_SAMPLE_MAX in one.
	ASSERT_EQ(MACH_SAMPLE_SENT, send(MACH_SAMPLE_MAX));
	ASSERT_EQ(Kr::Success, receive(port, r));
	EXPECT_EQ(u32(MACH_SAMPLE_MAX), r.body.count);
	EXPECT_EQ(40u + 16 * MACH_SAMPLE_MAX, r.h.size);
}

TEST_F(Sample, NullStopsAndAnotherPortReplaces)
{
	u32 first = receive_right(), second = receive_right();
	ASSERT_EQ(0, sample(first));
	ASSERT_EQ(0, sample(second));
	EXPECT_EQ(0u, send_rights(first));	// the old right went
	ASSERT_EQ(MACH_SAMPLE_SENT, send(1));
	Received r;
	EXPECT_EQ(Kr::RcvTimedOut, receive(first, r));
	EXPECT_EQ(Kr::Success, receive(second, r));

	int syncs = os.sample_syncs;
	ASSERT_EQ(0, sample(0));
	EXPECT_EQ(syncs + 1, os.sample_syncs);
	EXPECT_FALSE(task->sampling());
	EXPECT_EQ(0u, send_rights(second));
	EXPECT_EQ(MACH_SAMPLE_STOPPED, send(1));
	EXPECT_EQ(Kr::RcvTimedOut, receive(second, r));
}

TEST_F(Sample, OnlyAReceiveRightNamesThePort)
{
	u32 port = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	// A send right alone: our own task port's, say.
	EXPECT_EQ(long(Kr::SendInvalidRight), sample(self));
	Name set{0}, dead{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &set));
	ASSERT_EQ(Kr::Success, space().allocate(PortRightDeadName, &dead));
	EXPECT_EQ(long(Kr::SendInvalidRight), sample(set.value));
	EXPECT_EQ(long(Kr::SendInvalidRight), sample(dead.value));
	EXPECT_EQ(long(Kr::SendInvalidRight), sample(999));
	EXPECT_EQ(long(Kr::SendInvalidRight), sample(~0u));	// MACH_PORT_DEAD
	EXPECT_FALSE(task->sampling());
	// The task is checked first, as a stub's send checks its destination.
	EXPECT_EQ(long(Kr::SendInvalidDest), sample(port, 999));
	// A port that is no task's: the call goes to it as a message.
	EXPECT_EQ(-MACH_EREMOTE, sample(port, port));
	// A value for another op is malformed.
	mach_task_control_args a{};
	a.task = self;
	a.op = MACH_TASK_SUSPEND;
	a.value = port;
	EXPECT_EQ(-MACH_EINVAL, ioctl(MACH_IOC_NR_TASK_CONTROL, &a));
	EXPECT_EQ(1u, send_rights(port));	// ours only
}

TEST_F(Sample, AFullQueueLosesTheBatch)
{
	u32 port = receive_right();
	ASSERT_EQ(0, sample(port));
	Ref<Port> p = space().lookup_receive(Name{port});
	ASSERT_EQ(Kr::Success, p->set_qlimit(1));
	ASSERT_EQ(MACH_SAMPLE_SENT, send(2));
	EXPECT_EQ(MACH_SAMPLE_FULL, send(2));	// at once, not waiting
	EXPECT_EQ(1u, p->msgcount());
	EXPECT_EQ(2u, send_rights(port));	// the task's and the queued one's
	EXPECT_TRUE(task->sampling());		// full is not dead
	Received r;
	ASSERT_EQ(Kr::Success, receive(port, r));
	ASSERT_EQ(MACH_SAMPLE_SENT, send(1, 2));
	ASSERT_EQ(Kr::Success, receive(port, r));
	EXPECT_EQ(2u, r.body.dropped);
}

TEST_F(Sample, ADeadPortStopsSampling)
{
	u32 port = receive_right();
	ASSERT_EQ(0, sample(port));
	ASSERT_EQ(MACH_SAMPLE_SENT, send(1));	// queued, destroyed with the port
	ASSERT_EQ(Kr::Success, space().mod_refs(Name{port}, PortRightReceive, -1));
	EXPECT_FALSE(task->sampling());	// dead: nothing to sample for
	int syncs = os.sample_syncs;
	EXPECT_EQ(MACH_SAMPLE_STOPPED, send(1));
	EXPECT_EQ(syncs + 1, os.sample_syncs);	// cleared, and the host told
	EXPECT_EQ(MACH_SAMPLE_STOPPED, send(1));
	EXPECT_EQ(syncs + 1, os.sample_syncs);
}

TEST_F(Sample, AHostThatCannotStartLeavesNoPort)
{
	u32 port = receive_right();
	shim_user::next_sample_error = -MACH_ENOMEM;
	EXPECT_EQ(long(Kr::ResourceShortage), sample(port));
	EXPECT_FALSE(task->sampling());
	EXPECT_EQ(0u, send_rights(port));
}

TEST_F(Sample, ByMessageAsXnusStubSendsIt)
{
	u32 reply = receive_right(), port = receive_right();
	struct {
		MsgHeader h;
		u32 w[16];
	} r{};
	// task_sample (3422): one port descriptor, made send from our receive right.
	r.h.bits = CopySend | (MakeSendOnce << 8) | msgh_bits_complex;
	r.h.size = sizeof(MsgHeader) + 16;
	r.h.remote_port = self;
	r.h.local_port = reply;
	r.h.id = 3422;
	r.w[0] = 1;
	r.w[1] = port;
	r.w[3] = (u32(PortDescriptor) << 24) | (u32(MakeSend) << 16);
	mach_msg_args a{(u64)&r, SendMsg, r.h.size, 0, 0, 0, 0};
	ASSERT_EQ(long(Kr::Success), ioctl(MACH_IOC_NR_MSG, &a));
	struct {
		MsgHeader h;
		u32 w[16];
	} out{};
	mach_msg_args b{(u64)&out, RcvMsg | RcvTimeout, 0, sizeof(out), reply, 0, 0};
	ASSERT_EQ(long(Kr::Success), ioctl(MACH_IOC_NR_MSG, &b));
	EXPECT_EQ(3522, out.h.id);
	EXPECT_EQ(u32(mig_reply_error_size), out.h.size);
	EXPECT_EQ(0u, out.w[2]);	// RetCode
	EXPECT_TRUE(task->sampling());
	EXPECT_EQ(1u, send_rights(port));

	// A kernel object's port cannot receive samples (a copied right to
	// our own task's name port, which the ioctl's make-send cannot carry).
	mach_special_port_args name_port{};
	name_port.task = self;
	name_port.which = 3;	// TASK_NAME_PORT
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &name_port));
	r.w[1] = name_port.port;
	r.w[3] = (u32(PortDescriptor) << 24) | (u32(CopySend) << 16);
	ASSERT_EQ(long(Kr::Success), ioctl(MACH_IOC_NR_MSG, &a));
	ASSERT_EQ(long(Kr::Success), ioctl(MACH_IOC_NR_MSG, &b));
	EXPECT_EQ(u32(s32(Kr::InvalidArgument)), out.w[2]);
	EXPECT_TRUE(task->sampling());	// unchanged
	EXPECT_EQ(1u, send_rights(port));

	// A request without the descriptor is not one: MIG's answer.
	r.h.bits = CopySend | (MakeSendOnce << 8);
	r.h.size = sizeof(MsgHeader);
	a.send_size = r.h.size;
	ASSERT_EQ(long(Kr::Success), ioctl(MACH_IOC_NR_MSG, &a));
	ASSERT_EQ(long(Kr::Success), ioctl(MACH_IOC_NR_MSG, &b));
	EXPECT_EQ(u32(s32(Kr::MigBadArguments)), out.w[2]);
	EXPECT_TRUE(task->sampling());	// unchanged
}

TEST_F(Sample, ATaskCreatedChildInheritsThePortAProcessDoesNot)
{
	u32 port = receive_right();
	ASSERT_EQ(0, sample(port));
	mach_task_create_args c{};
	c.parent = self;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_TASK_CREATE, &c));
	Ref<Task> child = space().lookup_send(Name{c.child})->task();
	ASSERT_TRUE(child);
	EXPECT_TRUE(child->sampling());
	EXPECT_EQ(2u, send_rights(port));	// ours, and the child's
	ASSERT_EQ(MACH_SAMPLE_SENT, send(1, 0, child.get()));
	Received r;
	ASSERT_EQ(Kr::Success, receive(port, r));
	EXPECT_EQ(1u, r.body.count);

	// A process that becomes a task by itself takes its Linux parent's
	// ports, but not its sample port.
	mach_task_os os2;
	Task *other = Task::create(&os2);
	ASSERT_NE(nullptr, other);
	mach_task_inherit(other, task, true);
	EXPECT_FALSE(other->sampling());
	EXPECT_EQ(2u, send_rights(port));
	other->terminate();
	other->put();

	// The child's end stops its sampling and drops its right.
	child->terminate();
	EXPECT_FALSE(child->sampling());
	EXPECT_EQ(1u, send_rights(port));
}

TEST_F(Sample, AnExecEndsSampling)
{
	u32 port = receive_right();
	ASSERT_EQ(0, sample(port));
	int syncs = os.sample_syncs;
	ASSERT_TRUE(task->renew_port());
	EXPECT_FALSE(task->sampling());
	EXPECT_EQ(syncs + 1, os.sample_syncs);
	EXPECT_EQ(0u, send_rights(port));
	EXPECT_EQ(MACH_SAMPLE_STOPPED, send(1));
}

TEST_F(Sample, TheEndOfTheTaskDropsItsPort)
{
	u32 port = receive_right();
	ASSERT_EQ(0, sample(port));
	Ref<Port> p = space().lookup_receive(Name{port});
	task->terminate();
	EXPECT_FALSE(task->sampling());
	EXPECT_EQ(0u, p->send_rights());
	EXPECT_EQ(MACH_SAMPLE_STOPPED, send(1));
}

} // namespace
