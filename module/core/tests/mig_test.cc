// SPDX-License-Identifier: GPL-2.0
// Unit tests of the message front end: requests to kernel objects and the
// replies their MIG servers give.
#include <gtest/gtest.h>

#include <cstring>

#include "../mig.h"
#include "../msg.h"
#include "../port.h"
#include "../port_call.h"
#include "../space.h"
#include "../task_info.h"
#include "one_task.h"

using namespace mach;

namespace {

constexpr u32 complex_bit = 0x80000000u;

struct Request {
	MsgHeader h;
	u32 w[16];
};

struct Reply {
	MsgHeader h;
	u32 w[32];
	u32 trailer[16];
};

class Mig : public OneTask {
protected:
	Space &space() { return task->space(); }

	u32 reply_port = 0;

	void SetUp() override
	{
		OneTask::SetUp();
		Name n{0};
		ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &n));
		reply_port = n.value;
	}

	// A request of size bytes to target, its reply made send-once.
	Kr send(Request &r, u32 target, s32 id, u32 size, u32 reply = ~0u)
	{
		r.h.bits |= CopySend | (MakeSendOnce << 8);
		r.h.size = size;
		r.h.remote_port = target;
		r.h.local_port = reply == ~0u ? reply_port : reply;
		if (!r.h.local_port)
			r.h.bits &= ~(0x1fu << 8);
		r.h.id = id;
		mach_msg_args a{(u64)&r, SendMsg, size, 0, 0, 0, 0};
		return Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a));
	}

	Kr receive(Reply &out)
	{
		memset(&out, 0, sizeof(out));
		mach_msg_args a{(u64)&out, RcvMsg | RcvTimeout, 0, sizeof(out), reply_port, 0, 0};
		return Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a));
	}

	static s32 ret_code(const Reply &r) { return static_cast<s32>(r.w[2]); }
};

// The routines are found by halving each interface's table.
TEST(MigTables, EachIsInOrderOfId)
{
	for (const MigRoutines *in : {&mig_task_routines, &mig_port_routines, &mig_host_routines,
				      &mig_vm_routines, &mig_host_security_routines,
				      &mig_norma_routines})
		for (u32 i = 1; i < in->count; i++)
			EXPECT_LT(in->routines[i - 1].id, in->routines[i].id);
}

TEST_F(Mig, AnUnknownIdIsAnsweredMigBadId)
{
	Request r{};
	ASSERT_EQ(Kr::Success, send(r, self, 4242, sizeof(MsgHeader)));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(4342, out.h.id);
	EXPECT_EQ(36u, out.h.size);
	EXPECT_EQ(u32(MoveSendOnce) << 8, out.h.bits);	// the reply right, as XNU's
	EXPECT_EQ(reply_port, out.h.local_port);	// the port it came to
	EXPECT_EQ(0u, out.h.remote_port);	// no reply wanted to a reply
	EXPECT_EQ(0, memcmp(out.w, ndr_record, sizeof(ndr_record)));
	EXPECT_EQ(-303, ret_code(out));
}

TEST_F(Mig, TaskInfoByMessageAnswersAsTheIoctl)
{
	Request r{};
	memcpy(r.w, ndr_record, sizeof(ndr_record));
	r.w[2] = MachTaskBasicInfo;
	r.w[3] = 12;
	ASSERT_EQ(Kr::Success, send(r, self, 3405, mig_args + 8));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(3505, out.h.id);
	ASSERT_EQ(0, ret_code(out));
	u32 count = out.w[3];
	EXPECT_EQ(task_info_count(MachTaskBasicInfo), count);
	EXPECT_EQ(mig_results + 4 + 4 * count, out.h.size);

	u32 info[task_info_max_count];
	mach_task_info_args a{};
	a.task = self;
	a.flavor = MachTaskBasicInfo;
	a.count = 12;
	a.info = (u64)info;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_TASK_INFO, &a));
	EXPECT_EQ(a.count, count);

	// A room too small for the flavour is the routine's error.
	r.w[3] = 1;
	ASSERT_EQ(Kr::Success, send(r, self, 3405, mig_args + 8));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_NE(0, ret_code(out));
	EXPECT_EQ(36u, out.h.size);
}

// A call as a MIG stub makes it (send and receive at once, on the reply
// port it names) is answered in place: byte for byte the reply the queue
// would give, its seqno next; a message already waiting comes first.
TEST_F(Mig, ACallAnsweredInPlaceIsTheQueuedReply)
{
	auto request = [](Request &r, u32 count) {
		memset(&r, 0, sizeof(r));
		memcpy(r.w, ndr_record, sizeof(ndr_record));
		r.w[2] = MachTaskBasicInfo;
		r.w[3] = count;
	};
	auto call = [&](Request &r, Reply &out) {
		r.h.bits = CopySend | (MakeSendOnce << 8);
		r.h.size = mig_args + 8;
		r.h.remote_port = self;
		r.h.local_port = reply_port;
		r.h.id = 3405;
		memcpy(&out, &r, sizeof(r));
		mach_msg_args a{(u64)&out, SendMsg | RcvMsg | (3u << 24), mig_args + 8,
				sizeof(out), reply_port, 0, 0};
		return Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a));
	};
	for (u32 count : {12u, 1u}) {	// an answer, and the routine's error
		Request r;
		Reply queued, in_place;
		request(r, count);
		ASSERT_EQ(Kr::Success, send(r, self, 3405, mig_args + 8));
		memset(&queued, 0, sizeof(queued));
		mach_msg_args a{(u64)&queued, RcvMsg | (3u << 24), 0, sizeof(queued),
				reply_port, 0, 0};
		ASSERT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a)));
		request(r, count);
		ASSERT_EQ(Kr::Success, call(r, in_place));
		u32 size = in_place.h.size;
		ASSERT_EQ(queued.h.size, size);
		// All but the trailer's seqno (header, body, trailer size, tokens).
		u32 seqno_at = (size + 8) / 4;
		EXPECT_EQ(queued.w[seqno_at - 6] + 1, in_place.w[seqno_at - 6]);
		in_place.w[seqno_at - 6] = queued.w[seqno_at - 6];
		EXPECT_EQ(0, memcmp(&queued, &in_place, size + 52));
	}

	// A routine answered in place sees the reply port as the queued one
	// does: its seqno (mps_seqno) is the one its reply then takes.
	for (bool in_place : {false, true}) {
		Request r{};
		Reply got{};
		memcpy(r.w, ndr_record, sizeof(ndr_record));
		r.w[2] = reply_port;
		r.w[3] = PortReceiveStatus;
		r.w[4] = 10;
		r.h.bits = CopySend | (MakeSendOnce << 8);
		r.h.size = mig_args + 12;
		r.h.remote_port = self;
		r.h.local_port = reply_port;
		r.h.id = 3217;
		memcpy(&got, &r, sizeof(r));
		mach_msg_args a{(u64)&got, SendMsg | (in_place ? u32(RcvMsg) : 0u) | (3u << 24),
				mig_args + 12, sizeof(got), reply_port, 0, 0};
		ASSERT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a)));
		if (!in_place) {
			mach_msg_args rcv{(u64)&got, RcvMsg | (3u << 24), 0, sizeof(got),
					  reply_port, 0, 0};
			ASSERT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &rcv)));
		}
		ASSERT_EQ(0, ret_code(got));
		u32 seqno_at = (got.h.size + 8) / 4;
		EXPECT_EQ(got.w[seqno_at - 6], got.w[5]) << (in_place ? "in place" : "queued");
	}

	// A message waiting on the reply port is received first; the reply after.
	Request waiting{};
	waiting.h.bits = MakeSend;
	waiting.h.size = sizeof(MsgHeader);
	waiting.h.remote_port = reply_port;
	waiting.h.id = 99;
	mach_msg_args w{(u64)&waiting, SendMsg, sizeof(MsgHeader), 0, 0, 0, 0};
	ASSERT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &w)));
	Request r;
	Reply out;
	request(r, 12);
	ASSERT_EQ(Kr::Success, call(r, out));
	EXPECT_EQ(99, out.h.id);
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(3505, out.h.id);
	EXPECT_EQ(0, ret_code(out));
}

TEST_F(Mig, RequestsOfTheWrongShapeAreRefused)
{
	Request r{};
	// task_suspend takes no arguments: four bytes more are not it.
	ASSERT_EQ(Kr::Success, send(r, self, 3407, sizeof(MsgHeader) + 4));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(-304, ret_code(out));
	EXPECT_EQ(0u, task->suspend_count());

	// A send right where task_set_special_port wants one, but a send-once.
	Name other{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &other));
	r = Request{};
	r.h.bits = complex_bit;
	r.w[0] = 1;
	r.w[1] = other.value;
	r.w[3] = (u32(PortDescriptor) << 24) | (u32(MakeSendOnce) << 16);
	memcpy(&r.w[4], ndr_record, sizeof(ndr_record));
	r.w[6] = 4;	// TASK_BOOTSTRAP_PORT
	ASSERT_EQ(Kr::Success, send(r, self, 3410, sizeof(MsgHeader) + 28));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(-300, ret_code(out));
	// The send-once right the request carried was destroyed: a notice came.
	Reply notice;
	memset(&notice, 0, sizeof(notice));
	mach_msg_args a{(u64)&notice, RcvMsg | RcvTimeout, 0, sizeof(notice), other.value, 0, 0};
	EXPECT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a)));
	EXPECT_EQ(0x47, notice.h.id);	// MACH_NOTIFY_SEND_ONCE
}

TEST_F(Mig, PortCallsActOnTheSpaceOfTheTaskSentTo)
{
	Request r{};
	memcpy(r.w, ndr_record, sizeof(ndr_record));
	r.w[2] = PortRightReceive;
	ASSERT_EQ(Kr::Success, send(r, self, 3204, mig_args + 4));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	ASSERT_EQ(0, ret_code(out));
	ASSERT_EQ(40u, out.h.size);
	u32 name = out.w[3];
	u32 type = 0;
	ASSERT_EQ(Kr::Success, space().type(Name{name}, &type));
	EXPECT_EQ(RightReceive, type);

	// mach_port_type of it, then mod_refs to destroy it.
	r.w[2] = name;
	ASSERT_EQ(Kr::Success, send(r, self, 3201, mig_args + 4));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(0, ret_code(out));
	EXPECT_EQ(RightReceive, out.w[3]);
	r.w[3] = PortRightReceive;
	r.w[4] = static_cast<u32>(-1);
	ASSERT_EQ(Kr::Success, send(r, self, 3208, mig_args + 12));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(0, ret_code(out));
	EXPECT_EQ(Kr::InvalidName, space().type(Name{name}, &type));
}

TEST_F(Mig, ARequestWithoutAReplyPortIsCarriedOut)
{
	Request r{};
	ASSERT_EQ(Kr::Success, send(r, self, 3407, sizeof(MsgHeader), 0));
	EXPECT_EQ(1u, task->suspend_count());
	ASSERT_EQ(Kr::Success, send(r, self, 3408, sizeof(MsgHeader), 0));
	EXPECT_EQ(0u, task->suspend_count());
	Reply out;
	EXPECT_EQ(Kr::RcvTimedOut, receive(out));
}

TEST_F(Mig, TheSpecialPortSetByMessageComesBackByMessage)
{
	Name port{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &port));
	Request r{};
	r.h.bits = complex_bit;
	r.w[0] = 1;
	r.w[1] = port.value;
	r.w[3] = (u32(PortDescriptor) << 24) | (u32(MakeSend) << 16);
	memcpy(&r.w[4], ndr_record, sizeof(ndr_record));
	r.w[6] = 4;	// TASK_BOOTSTRAP_PORT
	ASSERT_EQ(Kr::Success, send(r, self, 3410, sizeof(MsgHeader) + 28));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	ASSERT_EQ(0, ret_code(out));

	r = Request{};
	memcpy(r.w, ndr_record, sizeof(ndr_record));
	r.w[2] = 4;
	ASSERT_EQ(Kr::Success, send(r, self, 3409, mig_args + 4));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(3509, out.h.id);
	EXPECT_EQ(complex_bit | (u32(MoveSendOnce) << 8), out.h.bits);
	EXPECT_EQ(40u, out.h.size);
	EXPECT_EQ(1u, out.w[0]);
	EXPECT_EQ(port.value, out.w[1]);	// coalesced into the receive right's name
	EXPECT_EQ((u32(PortDescriptor) << 24) | (u32(MoveSend) << 16), out.w[3]);
}

TEST_F(Mig, AReplyToAKernelPortIsDropped)
{
	mach_special_port_args host{};
	host.task = self;
	host.which = 1;	// TASK_HOST_PORT
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &host));
	ASSERT_NE(0u, host.port);
	u32 before = 0, after = 0;
	ASSERT_EQ(Kr::Success, space().get_refs(Name{host.port}, PortRightSend, &before));
	Request r{};
	r.h.bits = CopySend | (CopySend << 8);
	r.h.size = sizeof(MsgHeader);
	r.h.remote_port = self;
	r.h.local_port = host.port;	// the host's port as the reply port
	r.h.id = 3407;
	mach_msg_args a{(u64)&r, SendMsg, sizeof(MsgHeader), 0, 0, 0, 0};
	ASSERT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a)));
	EXPECT_EQ(1u, task->suspend_count());	// carried out
	Ref<Port> port = space().lookup_send(Name{host.port});
	ASSERT_TRUE(port);
	EXPECT_EQ(0u, port->msgcount());	// and nothing queued there
	ASSERT_EQ(Kr::Success, space().get_refs(Name{host.port}, PortRightSend, &after));
	EXPECT_EQ(before, after);
	EXPECT_EQ(Kr::Success, task->resume());
}

TEST_F(Mig, AReceiveRightInsertedByMessageTravelsAgain)
{
	Name moved{0}, to{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &moved));
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &to));
	ASSERT_EQ(Kr::Success, space().insert_right(to, to, MakeSend));
	Request r{};
	r.h.bits = complex_bit;
	r.w[0] = 1;
	r.w[1] = moved.value;
	r.w[3] = (u32(PortDescriptor) << 24) | (u32(MoveReceive) << 16);
	memcpy(&r.w[4], ndr_record, sizeof(ndr_record));
	r.w[6] = 200;	// the name it goes under
	ASSERT_EQ(Kr::Success, send(r, self, 3214, sizeof(MsgHeader) + 28));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	ASSERT_EQ(0, ret_code(out));
	u32 type = 0;
	ASSERT_EQ(Kr::Success, space().type(Name{200}, &type));
	EXPECT_EQ(RightReceive, type);

	// It goes on in a message of its own, as any receive right would.
	Request m{};
	m.h.bits = complex_bit | CopySend;
	m.h.size = sizeof(MsgHeader) + 16;
	m.h.remote_port = to.value;
	m.w[0] = 1;
	m.w[1] = 200;
	m.w[3] = (u32(PortDescriptor) << 24) | (u32(MoveReceive) << 16);
	mach_msg_args a{(u64)&m, SendMsg, m.h.size, 0, 0, 0, 0};
	EXPECT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a)));
	Reply got;
	memset(&got, 0, sizeof(got));
	mach_msg_args g{(u64)&got, RcvMsg | RcvTimeout, 0, sizeof(got), to.value, 0, 0};
	EXPECT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &g)));
}

TEST_F(Mig, ACallOnAnOrdinaryPortIsToBeSentToIt)
{
	Name port{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &port));
	ASSERT_EQ(Kr::Success, space().insert_right(port, port, MakeSend));
	mach_task_control_args c{};
	c.task = port.value;
	c.op = MACH_TASK_SUSPEND;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_TASK_CONTROL, &c));
	c.op = MACH_TASK_PID;	// a trap, not a routine: no message for it
	EXPECT_EQ(long(Kr::InvalidArgument), ioctl(MACH_IOC_NR_TASK_CONTROL, &c));
	mach_port_args p{};
	p.op = MACH_PORT_OP_TYPE;
	p.task = port.value;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_PORT, &p));
	p.op = MACH_PORT_OP_NAMES;	// its reply carries arrays out of line
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_PORT, &p));
	p.op = MACH_PORT_OP_GET_SET_STATUS;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_PORT, &p));
	mach_vm_args v{};
	v.op = MACH_VM_WRITE;	// its request carries the bytes out of line
	v.task = port.value;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_VM, &v));
	// A kernel port of another kind keeps its answer.
	mach_thread_args t{};
	t.op = MACH_THREAD_RESUME;
	t.port = self;
	EXPECT_EQ(long(Kr::InvalidArgument), ioctl(MACH_IOC_NR_THREAD, &t));
	t.port = port.value;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_THREAD, &t));
}

// task_create (3400): the ledgers out of line, NDR, their count, inherit_memory.
void task_create_request(Request &r, const u32 *ledgers, u32 count, u32 disposition,
			 u32 said_count)
{
	r = Request{};
	r.h.bits = complex_bit;
	r.w[0] = 1;
	u64 address = reinterpret_cast<u64>(ledgers);
	memcpy(&r.w[1], &address, sizeof(address));
	r.w[3] = (u32(OolPortsDescriptor) << 24) | (disposition << 16);
	r.w[4] = count;
	memcpy(&r.w[5], ndr_record, sizeof(ndr_record));
	r.w[7] = said_count;
	r.w[8] = 1;	// inherit_memory
}

TEST_F(Mig, TaskCreateByMessageRepliesWithTheChildsPort)
{
	Request r;
	task_create_request(r, nullptr, 0, CopySend, 0);
	ASSERT_EQ(Kr::Success, send(r, self, 3400, sizeof(MsgHeader) + 36));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(3500, out.h.id);
	EXPECT_EQ(complex_bit | (u32(MoveSendOnce) << 8), out.h.bits);
	EXPECT_EQ(40u, out.h.size);
	EXPECT_EQ(1u, out.w[0]);
	EXPECT_EQ((u32(PortDescriptor) << 24) | (u32(MoveSend) << 16), out.w[3]);
	Ref<Port> port = space().lookup_send(Name{out.w[1]});
	ASSERT_TRUE(port);
	Ref<Task> child = port->task();
	ASSERT_TRUE(child);
	EXPECT_NE(task, child.get());
	// Answered before the sender's mach_msg returns: its parent's agent forks it.
	EXPECT_TRUE(child->os()->plan.by_agent);
	EXPECT_TRUE(child->os()->plan.inherit_memory);
}

// A teleport by message whose parent will not end answers KERN_FAILURE,
// and the child's right made for the reply goes with it: nothing leaks
// (the fixture's teardown counts every object left).
TEST_F(Mig, ATeleportThatFailsLeavesNothingBehind)
{
	Request r;
	task_create_request(r, nullptr, 0, CopySend, 0);
	ASSERT_EQ(Kr::Success, send(r, self, 3400, sizeof(MsgHeader) + 36));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	ASSERT_EQ(3500, out.h.id);
	u32 child = out.w[1];

	memset(&r, 0, sizeof(r));
	memcpy(r.w, ndr_record, sizeof(ndr_record));
	r.w[2] = 1;	// inherit_memory
	r.w[3] = 1;	// node
	shim_user::next_teleport_end_error = -512;
	ASSERT_EQ(Kr::Success, send(r, child, 555009, mig_args + 8));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(555109, out.h.id);
	EXPECT_EQ(s32(Kr::Failure), ret_code(out));
	// (The fixture's teardown counts what is left.)
}

TEST_F(Mig, TaskCreateByMessageRefusesAndDestroysWhatCame)
{
	Name other{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &other));
	u32 ledgers[2] = {other.value, other.value};
	Request r;
	Reply out;
	// The count said is not the descriptor's.
	task_create_request(r, ledgers, 2, MakeSendOnce, 1);
	ASSERT_EQ(Kr::Success, send(r, self, 3400, sizeof(MsgHeader) + 36));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(-300, ret_code(out));
	for (int i = 0; i < 2; i++) {
		Reply notice;
		memset(&notice, 0, sizeof(notice));
		mach_msg_args a{(u64)&notice, RcvMsg | RcvTimeout, 0, sizeof(notice),
				other.value, 0, 0};
		EXPECT_EQ(Kr::Success, Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a)));
		EXPECT_EQ(0x47, notice.h.id);	// MACH_NOTIFY_SEND_ONCE
	}
	// Send-once rights where send rights belong, counted right.
	task_create_request(r, ledgers, 2, MakeSendOnce, 2);
	ASSERT_EQ(Kr::Success, send(r, self, 3400, sizeof(MsgHeader) + 36));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(-300, ret_code(out));
	// Cut short.
	task_create_request(r, nullptr, 0, CopySend, 0);
	ASSERT_EQ(Kr::Success, send(r, self, 3400, sizeof(MsgHeader) + 32));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(-304, ret_code(out));
}

TEST_F(Mig, TaskCreateOnAnOrdinaryPortIsToBeSentToIt)
{
	Name port{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &port));
	ASSERT_EQ(Kr::Success, space().insert_right(port, port, MakeSend));
	mach_task_create_args c{};
	c.parent = port.value;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_TASK_CREATE, &c));
	// So do the NORMA forms (mach_norma's routines, mig_norma.cc).
	c.flags = MACH_TASK_CREATE_ON_NODE;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_TASK_CREATE, &c));
	// host_security_create_task_token on it: sent to it; a parent that is it: refused.
	mach_task_create_token_args t{};
	t.host_security = port.value;
	t.create.parent = self;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_TASK_CREATE_TOKEN, &t));
}

} // namespace

namespace {

// The descriptor word of an out-of-line memory descriptor: type 1, VIRTUAL_COPY.
constexpr u32 ool_word = (1u << 24) | (1u << 8);

} // namespace

TEST_F(Mig, ASetsMembersComeOutOfLine)
{
	Name set{0}, a{0}, b{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &set));
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &a));
	ASSERT_EQ(Kr::Success, space().allocate(PortRightReceive, &b));
	ASSERT_EQ(Kr::Success, space().move_member(a, set));
	ASSERT_EQ(Kr::Success, space().move_member(b, set));

	Request r{};
	memcpy(r.w, ndr_record, sizeof(ndr_record));
	r.w[2] = set.value;
	ASSERT_EQ(Kr::Success, send(r, self, 3211, mig_args + 4));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(3311, out.h.id);
	ASSERT_EQ(mig_memory_args(1) + 4, out.h.size);
	ASSERT_TRUE(out.h.bits & complex_bit);
	EXPECT_EQ(1u, out.w[0]);		// one descriptor
	EXPECT_EQ(ool_word | 1, out.w[3]);	// a virtual copy: deallocate, as XNU says
	ASSERT_EQ(8u, out.w[4]);		// bytes
	EXPECT_EQ(2u, out.w[7]);		// after NDR: the count
	u64 address = out.w[1] | u64(out.w[2]) << 32;
	ASSERT_NE(0u, address);
	const u32 *members = reinterpret_cast<const u32 *>(address);
	EXPECT_TRUE((members[0] == a.value && members[1] == b.value) ||
		    (members[0] == b.value && members[1] == a.value));
	mach_shim_vm_deallocate(address, 8);

	// A member is no set: the ioctl's error, as a RetCode.
	r.w[2] = a.value;
	ASSERT_EQ(Kr::Success, send(r, self, 3211, mig_args + 4));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(mig_reply_error_size, out.h.size);
	EXPECT_NE(0, ret_code(out));
}

TEST_F(Mig, VmWritesBytesReachTheHostAsAKernelBuffer)
{
	static const char bytes[] = "kernel buffer";
	Request r{};
	auto put = [&](u32 count, u32 type) {
		r = Request{};
		r.h.bits = complex_bit;
		r.w[0] = 1;
		u64 at = reinterpret_cast<u64>(bytes);
		r.w[1] = static_cast<u32>(at);
		r.w[2] = static_cast<u32>(at >> 32);
		r.w[3] = type << 24;
		r.w[4] = sizeof(bytes);
		memcpy(&r.w[5], ndr_record, sizeof(ndr_record));
		r.w[7] = 0x10000;	// the address, u64
		r.w[9] = count;
	};
	shim_user::last_vm = {};
	put(sizeof(bytes), 1);
	ASSERT_EQ(Kr::Success, send(r, self, 4806, mig_memory_args(1) + 12));
	Reply out;
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(4906, out.h.id);
	EXPECT_EQ(mig_reply_error_size, out.h.size);
	EXPECT_EQ(0, ret_code(out));
	EXPECT_EQ(u32(MACH_VM_WRITE), shim_user::last_vm.op);
	EXPECT_TRUE(shim_user::last_vm.kernel_data);
	EXPECT_EQ(0x10000u, shim_user::last_vm.start);
	EXPECT_EQ(0x10000u + sizeof(bytes), shim_user::last_vm.end);

	// A count that is not the descriptor's, and out-of-line ports where
	// the bytes belong: MIG_TYPE_ERROR, and the host never asked.
	shim_user::last_vm = {};
	put(sizeof(bytes) - 1, 1);
	ASSERT_EQ(Kr::Success, send(r, self, 4806, mig_memory_args(1) + 12));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(s32(Kr::MigTypeError), ret_code(out));
	put(0, 2);
	r.w[3] |= MoveSend << 16;
	r.w[4] = 0;
	ASSERT_EQ(Kr::Success, send(r, self, 4806, mig_memory_args(1) + 12));
	ASSERT_EQ(Kr::Success, receive(out));
	EXPECT_EQ(s32(Kr::MigTypeError), ret_code(out));
	EXPECT_EQ(0u, shim_user::last_vm.op);
}
