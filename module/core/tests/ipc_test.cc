// SPDX-License-Identifier: GPL-2.0
// Unit tests of rights and messages in the core.
#include <gtest/gtest.h>

#include <cstring>

#include "../core.h"
#include "../host.h"
#include "../msg.h"
#include "../port_call.h"
#include "../space.h"
#include "../task.h"
#include "../uapi.h"
#include "one_task.h"
#include "shim_user.h"

using namespace mach;

namespace {

class Ipc : public OneTask {
protected:
	Space &space() { return task->space(); }

	u32 receive_right()
	{
		Name n{0};
		EXPECT_EQ(Kr::Success, space().allocate(PortRightReceive, &n));
		return n.value;
	}

	u32 type(u32 name)
	{
		u32 t = 0;
		EXPECT_EQ(Kr::Success, space().type(Name{name}, &t));
		return t;
	}

	u32 refs(u32 name, u32 right)
	{
		u32 r = 99;
		EXPECT_EQ(Kr::Success, space().get_refs(Name{name}, right, &r));
		return r;
	}

	Kr msg(void *buf, u32 option, u32 send_size, u32 rcv_size, u32 rcv_name,
	       u32 timeout = 0)
	{
		mach_msg_args a{(u64)buf, option, send_size, rcv_size, rcv_name, timeout, 0};
		return Kr(mach_core_ioctl(task, MACH_IOC_NR_MSG, &a));
	}
};

struct Buffer {
	MsgHeader h;
	u32 body[8];
	u32 trailer[16];
};

TEST_F(Ipc, ReceiveAndSendRightsShareAName)
{
	u32 port = receive_right();
	EXPECT_EQ(RightReceive, type(port));
	EXPECT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	EXPECT_EQ(RightReceive | RightSend, type(port));
	EXPECT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	EXPECT_EQ(2u, refs(port, PortRightSend));
	EXPECT_EQ(1u, refs(port, PortRightReceive));
	EXPECT_EQ(Kr::Success, space().mod_refs(Name{port}, PortRightSend, -2));
	EXPECT_EQ(RightReceive, type(port));
	EXPECT_EQ(Kr::InvalidRight, space().mod_refs(Name{port}, PortRightSend, -1));
	EXPECT_EQ(Kr::InvalidRight, space().deallocate(Name{port}));
	/* As XNU: the send-once right made goes in under a name in use. */
	EXPECT_EQ(Kr::NameExists, space().insert_right(Name{port}, Name{port}, MakeSendOnce));
	EXPECT_EQ(Kr::InvalidRight, space().insert_right(Name{self}, Name{self}, MakeSend));
}

TEST_F(Ipc, UrefsLimitsAndBadValues)
{
	u32 port = receive_right();
	ASSERT_EQ(Kr::Success, space().mod_refs(Name{port}, PortRightReceive, 0));
	EXPECT_EQ(Kr::InvalidValue, space().mod_refs(Name{port}, PortRightReceive, 1));
	EXPECT_EQ(Kr::InvalidRight, space().mod_refs(Name{port}, PortRightSend, 1));
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	EXPECT_EQ(Kr::UrefsOverflow, space().mod_refs(Name{port}, PortRightSend, urefs_max));
	EXPECT_EQ(Kr::InvalidValue, space().mod_refs(Name{port}, PortRightSend, -2));
	EXPECT_EQ(Kr::InvalidValue, space().mod_refs(Name{port}, 7, 1));
	EXPECT_EQ(Kr::InvalidName, space().mod_refs(Name{999}, PortRightSend, 1));
}

TEST_F(Ipc, DeadNames)
{
	Name dead{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightDeadName, &dead));
	EXPECT_EQ(RightDeadName, type(dead.value));
	EXPECT_EQ(Kr::Success, space().mod_refs(dead, PortRightDeadName, 2));
	EXPECT_EQ(3u, refs(dead.value, PortRightDeadName));
	EXPECT_EQ(Kr::Success, space().deallocate(dead));
	EXPECT_EQ(Kr::Success, space().mod_refs(dead, PortRightSend, -2));
	EXPECT_EQ(Kr::InvalidName, space().type(dead, nullptr));
}

TEST_F(Ipc, DestroyingTheReceiveRightKillsThePort)
{
	u32 port = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	Ref<Port> p = space().lookup_receive(Name{port});
	// A message with a reply right is queued and must be destroyed with it.
	u32 reply = receive_right();
	Buffer b{};
	b.h = {MoveSend /* placeholder */, sizeof(MsgHeader) + 8, port, reply, 0, 7};
	b.h.bits = CopySend | (MakeSend << 8);
	ASSERT_EQ(Kr::Success, msg(&b, SendMsg, sizeof(MsgHeader) + 8, 0, 0));
	EXPECT_EQ(1u, p->msgcount());
	EXPECT_EQ(Kr::Success, space().mod_refs(Name{port}, PortRightReceive, -1));
	EXPECT_TRUE(p->dead());
	EXPECT_EQ(RightDeadName, type(port));
	EXPECT_EQ(1u, refs(port, PortRightDeadName));
	Ref<Port> r = space().lookup_receive(Name{reply});
	EXPECT_EQ(0u, r->send_rights());	// the queued reply right went
}

TEST_F(Ipc, MessageRoundTripWithReplyAndTrailer)
{
	u32 server = receive_right();
	u32 reply = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{server}, Name{server}, MakeSend));

	Buffer b{};
	b.h.bits = CopySend | (MakeSendOnce << 8);
	b.h.remote_port = server;
	b.h.local_port = reply;
	b.h.id = 1234;
	b.body[0] = 0xfeedface;
	ASSERT_EQ(Kr::Success, msg(&b, SendMsg, sizeof(MsgHeader) + 4, 0, 0));
	EXPECT_EQ(1u, refs(server, PortRightSend));	// copied, not moved

	Buffer r{};
	u32 audit = RcvMsg | (3u << 24);
	ASSERT_EQ(Kr::Success, msg(&r, audit, 0, sizeof(r), server));
	EXPECT_EQ(sizeof(MsgHeader) + 4, r.h.size);
	EXPECT_EQ(1234, r.h.id);
	EXPECT_EQ(u32(server), r.h.local_port);
	EXPECT_EQ(MoveSendOnce | (MoveSend << 8), r.h.bits);
	EXPECT_EQ(0xfeedfaceu, r.body[0]);
	EXPECT_EQ(RightSendOnce, type(r.h.remote_port));
	// Trailer right after the body: type, size, seqno, security, audit.
	u32 *t = r.body + 1;
	EXPECT_EQ(0u, t[0]);
	EXPECT_EQ(52u, t[1]);
	EXPECT_EQ(0u, t[2]);
	EXPECT_EQ(1000u, t[3]);
	EXPECT_EQ(105u, t[5 + 5]);	// audit token pid

	// Reply through the send-once right: it is consumed.
	Buffer rep{};
	rep.h.bits = MoveSendOnce;
	rep.h.remote_port = r.h.remote_port;
	ASSERT_EQ(Kr::Success, msg(&rep, SendMsg, sizeof(MsgHeader), 0, 0));
	EXPECT_EQ(Kr::InvalidName, space().type(Name{r.h.remote_port}, &audit));
	Buffer got{};
	ASSERT_EQ(Kr::Success, msg(&got, RcvMsg, 0, sizeof(got), reply));
	EXPECT_EQ(u32(MoveSendOnce << 8), got.h.bits);
}

TEST_F(Ipc, QueueLimitAndTimeouts)
{
	u32 port = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	Buffer b{};
	for (u32 i = 0; i < qlimit_default; i++) {
		b.h = {CopySend, 0, port, 0, 0, int(i)};
		ASSERT_EQ(Kr::Success, msg(&b, SendMsg | SendTimeout, sizeof(MsgHeader), 0, 0));
	}
	b.h = {CopySend, 0, port, 0, 0, 99};
	EXPECT_EQ(Kr::SendTimedOut, msg(&b, SendMsg | SendTimeout, sizeof(MsgHeader), 0, 0));
	// A send-once message needs no room.
	b.h = {MakeSendOnce, 0, port, 0, 0, 100};
	EXPECT_EQ(Kr::Success, msg(&b, SendMsg | SendTimeout, sizeof(MsgHeader), 0, 0));
	Buffer r{};
	for (u32 i = 0; i < qlimit_default + 1; i++) {
		ASSERT_EQ(Kr::Success, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), port));
		EXPECT_EQ(int(i < qlimit_default ? i : 100), r.h.id);
	}
	EXPECT_EQ(Kr::RcvTimedOut, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), port));
}

TEST_F(Ipc, TooLargeMessages)
{
	u32 port = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	Buffer b{};
	b.h = {CopySend, 0, port, 0, 0, 1};
	ASSERT_EQ(Kr::Success, msg(&b, SendMsg, sizeof(MsgHeader) + 32, 0, 0));
	Buffer r{};
	EXPECT_EQ(Kr::RcvTooLarge, msg(&r, RcvMsg | RcvLarge, 0, sizeof(MsgHeader) + 8, port));
	EXPECT_EQ(sizeof(MsgHeader) + 32 + 8, r.h.size);	// what it needs
	EXPECT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), port));	// still queued
	ASSERT_EQ(Kr::Success, msg(&b, SendMsg, sizeof(MsgHeader) + 32, 0, 0));
	EXPECT_EQ(Kr::RcvTooLarge, msg(&r, RcvMsg, 0, sizeof(MsgHeader) + 8, port));
	EXPECT_EQ(Kr::RcvTimedOut, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), port));	// gone
}

TEST_F(Ipc, MalformedSendsTakeNothing)
{
	u32 port = receive_right();
	u32 reply = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	Buffer b{};
	b.h = {MoveSend, 0, port, 0, 0, 0};
	EXPECT_EQ(Kr::SendMsgTooSmall, msg(&b, SendMsg, 20, 0, 0));
	EXPECT_EQ(Kr::SendMsgTooSmall, msg(&b, SendMsg, 26, 0, 0));
	EXPECT_EQ(Kr::SendTooLarge, msg(&b, SendMsg, msg_size_max + 4, 0, 0));
	b.h.bits = 5;	// not a disposition
	EXPECT_EQ(Kr::SendInvalidHeader, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	b.h.bits = MoveSend | msgh_bits_complex;	// no room for the body count
	EXPECT_EQ(Kr::SendMsgTooSmall, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	b.body[0] = 1;		// one descriptor, of an unknown type
	b.body[3] = 9u << 24;
	EXPECT_EQ(Kr::SendInvalidType, msg(&b, SendMsg, sizeof(MsgHeader) + 16, 0, 0));
	b.body[0] = 2;		// two descriptors promised, room for one
	b.body[3] = (PortDescriptor << 24) | (CopySend << 16);
	EXPECT_EQ(Kr::SendMsgTooSmall, msg(&b, SendMsg, sizeof(MsgHeader) + 16, 0, 0));
	b.body[0] = 1;		// a port descriptor with a bad disposition
	b.body[3] = (PortDescriptor << 24) | (5u << 16);
	EXPECT_EQ(Kr::SendInvalidType, msg(&b, SendMsg, sizeof(MsgHeader) + 16, 0, 0));
	b.body[1] = reply;	// a right the sender does not have
	b.body[3] = (PortDescriptor << 24) | (MoveSend << 16);
	EXPECT_EQ(Kr::SendInvalidRight, msg(&b, SendMsg, sizeof(MsgHeader) + 16, 0, 0));
	b.h = {CopySend, 0, port, 0, 0, 0};
	b.h.bits |= msgh_bits_complex;
	b.body[1] = port;	// moving the destination's own receive right
	b.body[3] = (PortDescriptor << 24) | (MoveReceive << 16);
	EXPECT_EQ(Kr::SendInvalidRight, msg(&b, SendMsg, sizeof(MsgHeader) + 16, 0, 0));
	b.h = {MoveSend | msgh_bits_complex, 0, port, 0, 0, 0};
	b.body[0] = 1;		// out-of-line bytes at an address that is not there
	b.body[3] = OolDescriptor << 24;
	b.body[1] = 16;
	b.body[2] = 0;
	b.body[4] = 64;
	EXPECT_EQ(Kr::SendInvalidMemory, msg(&b, SendMsg, sizeof(MsgHeader) + 20, 0, 0));
	memset(b.body, 0, sizeof(b.body));
	b.h = {MoveSend, 0, 777, 0, 0, 0};
	EXPECT_EQ(Kr::SendInvalidDest, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	b.h = {CopySend | (MakeSendOnce << 8), 0, port, 0, 0, 0};	// a null reply: no right
	EXPECT_EQ(Kr::Success, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	EXPECT_EQ(Kr::Success, msg(&b, RcvMsg, 0, sizeof(b), port));
	EXPECT_EQ(0u, b.h.remote_port);
	b.h = {MoveSend | (MoveSend << 8), 0, port, reply, 0, 0};	// reply has no send right
	EXPECT_EQ(Kr::SendInvalidReply, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	b.h = {MoveSend | (MoveSend << 8), 0, port, port, 0, 0};	// needs two urefs
	EXPECT_EQ(Kr::SendInvalidDest, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	b.h = {MoveSend, 0, port, reply, 0, 0};	// a local port without a disposition
	EXPECT_EQ(Kr::SendInvalidHeader, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	EXPECT_EQ(Kr::SendInvalidData, msg(nullptr, SendMsg, sizeof(MsgHeader), 0, 0));
	// The sender kept everything.
	EXPECT_EQ(1u, refs(port, PortRightSend));
	EXPECT_EQ(RightReceive | RightSend, type(port));
	EXPECT_EQ(0u, space().lookup_receive(Name{port})->msgcount());
	// Receiving on something that is not a receive right.
	Buffer r{};
	EXPECT_EQ(Kr::RcvInvalidName, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), self));
	EXPECT_EQ(Kr::RcvInvalidTrailer, msg(&r, RcvMsg | (9u << 24), 0, sizeof(r), port));
}

TEST_F(Ipc, MoveSendLeavesTheName)
{
	u32 port = receive_right();
	u32 other = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{other}, Name{other}, MakeSend));
	// Move the only send right of "other" as the reply right of a message.
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	Buffer b{};
	b.h = {CopySend | (MoveSend << 8), 0, port, other, 0, 0};
	ASSERT_EQ(Kr::Success, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	EXPECT_EQ(RightReceive, type(other));	// the send right left with the message
	Buffer r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), port));
	EXPECT_EQ(other, r.h.remote_port);	// came back under the same name
	EXPECT_EQ(RightReceive | RightSend, type(other));
}

TEST_F(Ipc, BootstrapIsInheritedAndSettable)
{
	u32 port = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	mach_special_port_args set{self, TaskBootstrapPort, port, MACH_SPECIAL_PORT_SET};
	ASSERT_EQ(0, mach_core_ioctl(task, MACH_IOC_NR_SPECIAL_PORT, &set));
	mach_special_port_args get{self, TaskBootstrapPort, 0, 0};
	ASSERT_EQ(0, mach_core_ioctl(task, MACH_IOC_NR_SPECIAL_PORT, &get));
	EXPECT_EQ(port, get.port);
	EXPECT_EQ(2u, refs(port, PortRightSend));

	mach_task_os child_os;
	Task *child = Task::create(&child_os);
	child->inherit_from(*task, true);
	TransitRight right;
	ASSERT_EQ(Kr::Success, child->get_special(TaskBootstrapPort, &right));
	EXPECT_EQ(space().lookup_receive(Name{port}).get(), right.port);
	right.port->drop(right);
	child->terminate();
	child->put();

	get = {self, 77, 0, 0};
	EXPECT_EQ(long(Kr::InvalidArgument), mach_core_ioctl(task, MACH_IOC_NR_SPECIAL_PORT, &get));
	get = {self, TaskKernelPort, 0, 0};
	ASSERT_EQ(0, mach_core_ioctl(task, MACH_IOC_NR_SPECIAL_PORT, &get));
	EXPECT_EQ(self, get.port);	// coalesced into the task-self name
	set = {self, TaskKernelPort, 0, MACH_SPECIAL_PORT_SET};
	EXPECT_EQ(long(Kr::InvalidArgument), mach_core_ioctl(task, MACH_IOC_NR_SPECIAL_PORT, &set));
}

TEST_F(Ipc, HostPortsAreGivenToNewTasksAndInherited)
{
	ASSERT_EQ(0, mach_core_init());
	mach_task_os os, child_os;
	Task *first = Task::create(&os);
	Task *child = Task::create(&child_os);
	first->start_from_host();
	TransitRight host, ledger, inherited;
	ASSERT_EQ(Kr::Success, first->get_special(TaskHostPort, &host));
	ASSERT_NE(nullptr, host.port);
	EXPECT_EQ(Object::Host, host.port->object());
	ASSERT_EQ(Kr::Success, first->get_special(TaskPagedLedgerPort, &ledger));
	EXPECT_EQ(Object::Ledger, ledger.port->object());

	// A task's own ledger, then inherited by its child.
	ASSERT_EQ(Kr::Success, first->set_special(TaskPagedLedgerPort, TransitRight{}));
	child->inherit_from(*first, true);
	ASSERT_EQ(Kr::Success, child->get_special(TaskPagedLedgerPort, &inherited));
	EXPECT_EQ(nullptr, inherited.port);
	ASSERT_EQ(Kr::Success, child->get_special(TaskHostPort, &inherited));
	EXPECT_EQ(host.port, inherited.port);
	inherited.port->drop(inherited);

	host.port->drop(host);
	ledger.port->drop(ledger);
	for (Task *t : {first, child}) {
		t->terminate();
		t->put();
	}
	mach_core_exit();
}

// The operator's view of what a kernel port stands for.
TEST_F(Ipc, PortObjectsAsTheOperatorSeesThem)
{
	ASSERT_EQ(0, mach_core_init());
	const struct {
		HostPort which;
		u32 object;
	} host_ports[] = {
		{HostPort::Host, MACH_PORT_OBJECT_HOST},
		{HostPort::Priv, MACH_PORT_OBJECT_HOST_PRIV},
		{HostPort::Security, MACH_PORT_OBJECT_HOST_SECURITY},
		{HostPort::WiredLedger, MACH_PORT_OBJECT_LEDGER},
	};
	for (const auto &h : host_ports) {
		TransitRight r = host_port(h.which);
		ASSERT_NE(nullptr, r.port);
		EXPECT_EQ(h.object, r.port->object_view());
		r.port->drop(r);
	}
	mach_core_exit();
	Ref<Port> task_port = task->port();
	EXPECT_EQ(u32(MACH_PORT_OBJECT_TASK), task_port->object_view());
	u32 port = receive_right();
	mach_port_view v[2] = {};
	ASSERT_EQ(2u, mach_task_port_views(task, v, 2));
	for (const mach_port_view &pv : v)
		EXPECT_EQ(u32(pv.name == port ? MACH_PORT_OBJECT_NONE : MACH_PORT_OBJECT_TASK),
			  pv.object);
}


} // namespace

namespace {

/* A complex message: a port descriptor, out-of-line bytes, out-of-line ports. */
struct Complex {
	MsgHeader h;
	u32 count;
	u32 port[3];		// name, pad, bits
	u32 ool[4];		// address (2 words), bits, size
	u32 ports[4];		// address (2 words), bits, count
	u32 trailer[16];
};

u32 bits(u32 type, u32 disposition)
{
	return (type << 24) | (disposition << 16);
}

void set_address(u32 *at, const void *p)
{
	u64 a = reinterpret_cast<u64>(p);
	memcpy(at, &a, 8);
}

template <typename T>
T *address_of(const u32 *at)
{
	u64 a;
	memcpy(&a, at, 8);
	return reinterpret_cast<T *>(a);
}

TEST_F(Ipc, ComplexMessagesCarryRightsAndMemory)
{
	u32 dest = receive_right();
	u32 moved = receive_right();
	u32 other = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{dest}, Name{dest}, MakeSend));
	ASSERT_EQ(Kr::Success, space().insert_right(Name{other}, Name{other}, MakeSend));
	Port *moved_port = space().lookup_receive(Name{moved}).get();

	char text[] = "out of line";
	u32 names[3] = {other, 0, other};
	Complex c{};
	c.h = {CopySend | msgh_bits_complex, 0, dest, 0, 0, 42};
	c.count = 3;
	c.port[0] = moved;
	c.port[2] = bits(PortDescriptor, MoveReceive);
	set_address(c.ool, text);
	c.ool[2] = bits(OolDescriptor, 0);
	c.ool[3] = sizeof(text);
	set_address(c.ports, names);
	c.ports[2] = bits(OolPortsDescriptor, MakeSend);
	c.ports[3] = 3;
	u32 size = offsetof(Complex, trailer);
	ASSERT_EQ(Kr::Success, msg(&c, SendMsg, size, 0, 0));
	// The receive right left the sender's space.
	EXPECT_EQ(Kr::InvalidName, space().type(Name{moved}, &c.count));

	Complex r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), dest));
	EXPECT_EQ(msgh_bits_complex | (MoveSend << 8), r.h.bits);
	EXPECT_EQ(3u, r.count);
	// The receive right came back (to this same space) under a new name.
	EXPECT_EQ(u32(MoveReceive), (r.port[2] >> 16) & 0xff);
	EXPECT_EQ(moved_port, space().lookup_receive(Name{r.port[0]}).get());
	// The bytes, copied into fresh memory.
	char *got = address_of<char>(r.ool);
	ASSERT_NE(nullptr, got);
	EXPECT_NE(text, got);
	EXPECT_STREQ(text, got);
	EXPECT_EQ(u32(sizeof(text)), r.ool[3]);
	// The ports: made send rights, coalesced with the name the space has.
	u32 *got_names = address_of<u32>(r.ports);
	EXPECT_EQ(other, got_names[0]);
	EXPECT_EQ(0u, got_names[1]);
	EXPECT_EQ(other, got_names[2]);
	EXPECT_EQ(u32(MoveSend), (r.ports[2] >> 16) & 0xff);
	EXPECT_EQ(3u, refs(other, PortRightSend));
	mach_shim_vm_deallocate(reinterpret_cast<u64>(got), sizeof(text));
	mach_shim_vm_deallocate(reinterpret_cast<u64>(got_names), 12);
}

TEST_F(Ipc, UnreceivedComplexMessagesReleaseEverything)
{
	u32 dest = receive_right();
	u32 moved = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{dest}, Name{dest}, MakeSend));
	Ref<Port> moved_port = space().lookup_receive(Name{moved});
	static char text[100];
	Complex c{};
	c.h = {CopySend | msgh_bits_complex, 0, dest, 0, 0, 1};
	c.count = 2;
	c.port[0] = moved;
	c.port[2] = bits(PortDescriptor, MoveReceive);
	set_address(c.ool, text);
	c.ool[2] = bits(OolDescriptor, 0);
	c.ool[3] = sizeof(text);
	ASSERT_EQ(Kr::Success, msg(&c, SendMsg, offsetof(Complex, ports), 0, 0));
	EXPECT_FALSE(moved_port->dead());
	// Destroying the destination destroys the message, and with it the
	// receive right in transit: that port dies too.
	ASSERT_EQ(Kr::Success, space().destroy_name(Name{dest}));
	EXPECT_TRUE(moved_port->dead());
}

} // namespace

namespace {

struct Notice {
	MsgHeader h;
	u32 ndr[2];
	u32 value;
	u32 trailer[2];
};

class Notify : public Ipc {
protected:
	u32 request(u32 name, u32 id, u32 sync, u32 notify, u32 disposition, Kr expect = Kr::Success)
	{
		mach_port_args a{};
		a.op = MACH_PORT_OP_REQUEST_NOTIFICATION;
		a.task = self;
		a.name = name;
		a.right = id;
		a.value = sync;
		a.poly = notify;
		a.delta = static_cast<int>(disposition);
		EXPECT_EQ(long(expect), mach_core_ioctl(task, MACH_IOC_NR_PORT, &a));
		return a.value;
	}

	Kr next(u32 port, Notice *n)
	{
		*n = Notice{};
		return msg(n, RcvMsg | RcvTimeout, 0, sizeof(*n), port);
	}

	struct OneRight {
		MsgHeader h;
		u32 count;
		u32 port[3];
		u32 trailer[16];
	};

	// name is no more, and its dead-name request was cancelled.
	void expect_gone_with_its_request(u32 name, u32 listener)
	{
		u32 t;
		EXPECT_EQ(Kr::InvalidName, space().type(Name{name}, &t));
		Notice n;
		ASSERT_EQ(Kr::Success, next(listener, &n));
		EXPECT_EQ(int(NotifyPortDeleted), n.h.id);
		EXPECT_EQ(name, n.value);
	}

	// Sends one right of name to dest in a message.
	Kr send_one(u32 dest, u32 name, u32 disposition)
	{
		OneRight m{};
		m.h = {MakeSend | msgh_bits_complex, 0, dest, 0, 0, 1};
		m.count = 1;
		m.port[0] = name;
		m.port[2] = (PortDescriptor << 24) | (disposition << 16);
		return msg(&m, SendMsg, offsetof(OneRight, trailer), 0, 0);
	}
};

TEST_F(Notify, NoSendersWhenTheLastSendRightGoes)
{
	u32 port = receive_right(), listener = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	EXPECT_EQ(0u, request(port, NotifyNoSenders, 0, listener, MakeSendOnce));
	Notice n;
	EXPECT_EQ(Kr::RcvTimedOut, next(listener, &n));
	ASSERT_EQ(Kr::Success, space().deallocate(Name{port}));
	EXPECT_EQ(Kr::RcvTimedOut, next(listener, &n));	// one uref left
	ASSERT_EQ(Kr::Success, space().deallocate(Name{port}));
	ASSERT_EQ(Kr::Success, next(listener, &n));
	EXPECT_EQ(int(NotifyNoSenders), n.h.id);
	EXPECT_EQ(u32(MoveSendOnce << 8), n.h.bits);
	EXPECT_EQ(1u, n.ndr[1]);	// NDR int_rep: little-endian
	EXPECT_EQ(2u, n.value);		// the make-send count: both made
}

TEST_F(Notify, NoSendersAtOnceWhenThereAreNone)
{
	u32 port = receive_right(), listener = receive_right();
	request(port, NotifyNoSenders, 0, listener, MakeSendOnce);
	Notice n;
	ASSERT_EQ(Kr::Success, next(listener, &n));
	EXPECT_EQ(int(NotifyNoSenders), n.h.id);
	EXPECT_EQ(0u, n.value);
	// With a sync beyond the make-send count it waits instead.
	request(port, NotifyNoSenders, 5, listener, MakeSendOnce);
	EXPECT_EQ(Kr::RcvTimedOut, next(listener, &n));
}

TEST_F(Notify, DeadNameWhenThePortDies)
{
	u32 port = receive_right(), listener = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	request(port, NotifyDeadName, 0, listener, MakeSendOnce);
	EXPECT_EQ(RightReceive | RightSend | RightDnRequest, type(port));
	ASSERT_EQ(Kr::Success, space().mod_refs(Name{port}, PortRightReceive, -1));
	Notice n;
	ASSERT_EQ(Kr::Success, next(listener, &n));
	EXPECT_EQ(int(NotifyDeadName), n.h.id);
	EXPECT_EQ(port, n.value);
	EXPECT_EQ(RightDeadName, type(port));
	EXPECT_EQ(2u, refs(port, PortRightDeadName));	// one for the notice
	// On a dead name, with sync, the notice comes at once.
	request(port, NotifyDeadName, 1, listener, MakeSendOnce);
	ASSERT_EQ(Kr::Success, next(listener, &n));
	EXPECT_EQ(3u, refs(port, PortRightDeadName));
	request(port, NotifyDeadName, 0, listener, MakeSendOnce, Kr::InvalidArgument);
}

TEST_F(Notify, PortDeletedWhenTheNameGoesFirst)
{
	u32 port = receive_right(), listener = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	request(port, NotifyDeadName, 0, listener, MakeSendOnce);
	ASSERT_EQ(Kr::Success, space().destroy_name(Name{port}));
	Notice n;
	ASSERT_EQ(Kr::Success, next(listener, &n));
	EXPECT_EQ(int(NotifyPortDeleted), n.h.id);
	EXPECT_EQ(port, n.value);
}

// A name whose last send right travels away goes, its dead-name request
// cancelled (XNU's ipc_right_copyin): a name left holding the request
// alone would still name the port, and a right arriving later for
// another port could be taken for it.
TEST_F(Notify, MovingTheLastSendRightCancelsTheDeadNameRequest)
{
	u32 port = receive_right(), away = receive_right(), listener = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	ASSERT_EQ(Kr::Success, send_one(away, port, MoveReceive));
	request(port, NotifyDeadName, 0, listener, MakeSendOnce);
	EXPECT_EQ(RightSend | RightDnRequest, type(port));
	ASSERT_EQ(Kr::Success, send_one(away, port, MoveSend));
	expect_gone_with_its_request(port, listener);
}

// The same for a receive right whose send right went first.
TEST_F(Notify, MovingTheReceiveRightCancelsTheDeadNameRequest)
{
	u32 port = receive_right(), away = receive_right(), listener = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	request(port, NotifyDeadName, 0, listener, MakeSendOnce);
	ASSERT_EQ(Kr::Success, space().deallocate(Name{port}));
	EXPECT_EQ(RightReceive | RightDnRequest, type(port));
	ASSERT_EQ(Kr::Success, send_one(away, port, MoveReceive));
	expect_gone_with_its_request(port, listener);
}

// A receive right received lands under its own port's name, never under
// a number a stale record of an earlier name of that port points to.
TEST_F(Notify, AReceiveRightNeverJoinsAnotherPortsName)
{
	u32 port = receive_right(), away = receive_right(), back_here = receive_right();
	u32 listener = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	ASSERT_EQ(Kr::Success, send_one(away, port, MoveReceive));
	request(port, NotifyDeadName, 0, listener, MakeSendOnce);
	ASSERT_EQ(Kr::Success, send_one(back_here, port, MoveSend));
	// The send right comes back under some name, and goes.
	OneRight r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), back_here));
	ASSERT_EQ(Kr::Success, space().deallocate(Name{r.port[0]}));
	space().destroy_name(Name{port});
	u32 filler = receive_right(), other = receive_right();
	Ref<Port> other_port = space().lookup_receive(Name{other});
	// The port's receive right comes back: a name of its own.
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), away));
	EXPECT_NE(other, r.port[0]);
	EXPECT_EQ(other_port.get(), space().lookup_receive(Name{other}).get());
	EXPECT_NE(other_port.get(), space().lookup_receive(Name{r.port[0]}).get());
	(void)filler;
}

// As XNU's ipc_right_request_alloc(): a dead name's user references stop
// at MACH_PORT_UREFS_MAX, requests for its notice included.
TEST_F(Notify, DeadNameRequestsStopAtTheUrefsLimit)
{
	u32 listener = receive_right();
	Name dead{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightDeadName, &dead));
	ASSERT_EQ(Kr::Success, space().mod_refs(dead, PortRightDeadName, urefs_max - 2));
	request(dead.value, NotifyDeadName, 1, listener, MakeSendOnce);
	EXPECT_EQ(urefs_max, refs(dead.value, PortRightDeadName));
	request(dead.value, NotifyDeadName, 1, listener, MakeSendOnce, Kr::UrefsOverflow);
	EXPECT_EQ(urefs_max, refs(dead.value, PortRightDeadName));
}

// Pending notification requests, counted in the port's view.
TEST_F(Notify, RequestsShownInThePortView)
{
	u32 port = receive_right(), listener = receive_right();
	auto view_of = [&](u32 name) {
		mach_port_view v[8] = {};
		u32 n = mach_task_port_views(task, v, 8);
		EXPECT_GE(8u, n);
		for (u32 i = 0; i < n && i < 8; i++)
			if (v[i].name == name)
				return v[i];
		ADD_FAILURE() << "no view of " << name;
		return mach_port_view{};
	};
	mach_port_view v = view_of(port);
	EXPECT_EQ(0u, v.no_senders + v.port_destroyed + v.dead_names);
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	request(port, NotifyNoSenders, 1, listener, MakeSendOnce);
	request(port, NotifyPortDestroyed, 0, listener, MakeSendOnce);
	request(port, NotifyDeadName, 0, listener, MakeSendOnce);
	v = view_of(port);
	EXPECT_EQ(1u, v.no_senders);
	EXPECT_EQ(1u, v.port_destroyed);
	EXPECT_EQ(1u, v.dead_names);
	EXPECT_EQ(0u, v.kernel);
	EXPECT_EQ(u32(MACH_PORT_OBJECT_NONE), v.object);
	// No sender waited when it died: nothing told.
	ASSERT_EQ(Kr::Success, space().mod_refs(Name{listener}, PortRightReceive, -1));
	EXPECT_EQ(0u, shim_user::port_destroyed_waiters);
}

TEST_F(Notify, SendOnceWhenASendOnceRightGoesUnused)
{
	u32 port = receive_right(), listener = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	Buffer b{};
	b.h = {CopySend | (MakeSendOnce << 8), 0, port, listener, 0, 1};
	ASSERT_EQ(Kr::Success, msg(&b, SendMsg, sizeof(MsgHeader), 0, 0));
	Buffer r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), port));
	ASSERT_EQ(Kr::Success, space().deallocate(Name{r.h.remote_port}));
	Notice n;
	ASSERT_EQ(Kr::Success, next(listener, &n));
	EXPECT_EQ(int(NotifySendOnce), n.h.id);
	EXPECT_EQ(sizeof(MsgHeader), n.h.size);
}

TEST_F(Notify, PortDestroyedHandsTheReceiveRightOver)
{
	u32 port = receive_right(), listener = receive_right();
	Port *p = space().lookup_receive(Name{port}).get();
	EXPECT_EQ(0u, request(port, NotifyPortDestroyed, 0, listener, MakeSendOnce));
	ASSERT_EQ(Kr::Success, space().destroy_name(Name{port}));
	Complex r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), listener));
	EXPECT_EQ(int(NotifyPortDestroyed), r.h.id);
	EXPECT_EQ(msgh_bits_complex | (MoveSendOnce << 8), r.h.bits);
	EXPECT_EQ(1u, r.count);
	EXPECT_EQ(p, space().lookup_receive(Name{r.port[0]}).get());
	EXPECT_FALSE(p->dead());
}

TEST_F(Notify, BadRequests)
{
	u32 port = receive_right(), listener = receive_right();
	request(port, 12345, 0, listener, MakeSendOnce, Kr::InvalidValue);
	request(self, NotifyNoSenders, 0, listener, MakeSendOnce, Kr::InvalidRight);
	request(777, NotifyNoSenders, 0, listener, MakeSendOnce, Kr::InvalidName);
	request(port, NotifyNoSenders, 0, listener, MakeSend, Kr::InvalidValue);
	request(port, NotifyNoSenders, 0, self, MoveSendOnce, Kr::InvalidCapability);
	request(port, NotifyDeadName, 0, listener, MakeSendOnce, Kr::InvalidRight);
}

} // namespace

namespace {

TEST_F(Ipc, PortSetsReceiveFromTheirMembers)
{
	Name set{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &set));
	EXPECT_EQ(RightPortSet, type(set.value));
	u32 a = receive_right(), b = receive_right();
	ASSERT_EQ(Kr::Success, space().move_member(Name{a}, set));
	ASSERT_EQ(Kr::Success, space().move_member(Name{b}, set));
	EXPECT_EQ(Kr::InvalidRight, space().move_member(set, set));
	EXPECT_EQ(Kr::InvalidRight, space().move_member(Name{a}, Name{b}));
	ASSERT_EQ(Kr::Success, space().insert_right(Name{b}, Name{b}, MakeSend));

	Buffer m{};
	m.h = {CopySend, 0, b, 0, 0, 7};
	ASSERT_EQ(Kr::Success, msg(&m, SendMsg, sizeof(MsgHeader), 0, 0));
	Buffer r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), set.value));
	EXPECT_EQ(7, r.h.id);
	EXPECT_EQ(b, r.h.local_port);	// the member it came to
	EXPECT_EQ(Kr::RcvTimedOut, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), set.value));

	// Out of the set, its messages no longer come through it.
	ASSERT_EQ(Kr::Success, space().move_member(Name{b}, Name{0}));
	ASSERT_EQ(Kr::Success, msg(&m, SendMsg, sizeof(MsgHeader), 0, 0));
	EXPECT_EQ(Kr::RcvTimedOut, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), set.value));
	EXPECT_EQ(Kr::Success, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), b));

	// Destroying the set leaves its members alone.
	ASSERT_EQ(Kr::Success, space().mod_refs(set, PortRightPortSet, -1));
	EXPECT_EQ(RightReceive, type(a));
	EXPECT_FALSE(space().lookup_receive(Name{a})->dead());
}

// As XNU's: a receive right in several sets at once, its links unlinked
// from whichever side goes first (ASan sees a link used after its free).
TEST_F(Ipc, APortInManySets)
{
	constexpr int n = 8;
	Name sets[n];
	u32 ports[n];
	u32 members[n + 1], count = 0;
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &sets[i]));
		ports[i] = receive_right();
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			ASSERT_EQ(Kr::Success, space().insert_member(Name{ports[i]}, sets[j]));
	EXPECT_EQ(Kr::AlreadyInSet, space().insert_member(Name{ports[0]}, sets[3]));
	ASSERT_EQ(Kr::Success, space().set_members(sets[2], members, n + 1, &count));
	ASSERT_EQ(u32{n}, count);
	for (int k = 1; k < n; k++)
		EXPECT_LT(members[k - 1], members[k]);

	// One message, received once, through any set.
	ASSERT_EQ(Kr::Success, space().insert_right(Name{ports[5]}, Name{ports[5]}, MakeSend));
	Buffer m{};
	m.h = {CopySend, 0, ports[5], 0, 0, 9};
	ASSERT_EQ(Kr::Success, msg(&m, SendMsg, sizeof(MsgHeader), 0, 0));
	Buffer r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), sets[6].value));
	EXPECT_EQ(9, r.h.id);
	for (int j = 0; j < n; j++)
		EXPECT_EQ(Kr::RcvTimedOut, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), sets[j].value));

	// Out of one; out of all but one; out of all.
	EXPECT_EQ(Kr::Success, space().extract_member(Name{ports[1]}, sets[1]));
	EXPECT_EQ(Kr::NotInSet, space().extract_member(Name{ports[1]}, sets[1]));
	EXPECT_EQ(Kr::Success, space().move_member(Name{ports[2]}, sets[4]));
	EXPECT_EQ(Kr::NotInSet, space().extract_member(Name{ports[2]}, sets[3]));
	EXPECT_EQ(Kr::Success, space().extract_member(Name{ports[2]}, sets[4]));
	EXPECT_EQ(Kr::NotInSet, space().move_member(Name{ports[2]}, Name{0}));
	EXPECT_EQ(Kr::Success, space().move_member(Name{ports[3]}, Name{0}));
	ASSERT_EQ(Kr::Success, space().set_members(sets[1], members, n + 1, &count));
	EXPECT_EQ(u32{n - 3}, count);
	ASSERT_EQ(Kr::Success, space().set_members(sets[0], members, n + 1, &count));
	EXPECT_EQ(u32{n - 2}, count);

	// Half the sets, then half the ports, then the rest.
	for (int j = 0; j < n; j += 2)
		ASSERT_EQ(Kr::Success, space().mod_refs(sets[j], PortRightPortSet, -1));
	for (int i = 0; i < n; i += 2)
		ASSERT_EQ(Kr::Success, space().mod_refs(Name{ports[i]}, PortRightReceive, -1));
	ASSERT_EQ(Kr::Success, space().set_members(sets[7], members, n + 1, &count));
	EXPECT_EQ(u32{n / 2 - 1}, count);	// 1, 5, 7 (3 left all)
	for (int j = 1; j < n; j += 2)
		ASSERT_EQ(Kr::Success, space().mod_refs(sets[j], PortRightPortSet, -1));
	for (int i = 1; i < n; i += 2)
		space().mod_refs(Name{ports[i]}, PortRightReceive, -1);
}

} // namespace

namespace {

struct PortMsg {
	MsgHeader h;
	u32 count;
	u32 port[3];
	u32 trailer[16];
};

TEST_F(Ipc, ReceiveRightsNeverTravelInACycle)
{
	u32 a = receive_right(), b = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{a}, Name{a}, MakeSend));
	ASSERT_EQ(Kr::Success, space().insert_right(Name{b}, Name{b}, MakeSend));
	Ref<Port> pa = space().lookup_receive(Name{a});
	Ref<Port> pb = space().lookup_receive(Name{b});

	// b's receive right goes into a's queue.
	PortMsg m{};
	m.h = {CopySend | msgh_bits_complex, 0, a, 0, 0, 1};
	m.count = 1;
	m.port[0] = b;
	m.port[2] = (PortDescriptor << 24) | (MoveReceive << 16);
	ASSERT_EQ(Kr::Success, msg(&m, SendMsg, offsetof(PortMsg, trailer), 0, 0));
	// a's receive right into b's queue would close the cycle.
	m.h = {CopySend | msgh_bits_complex, 0, b, 0, 0, 2};
	m.port[0] = a;
	EXPECT_EQ(Kr::SendInvalidRight, msg(&m, SendMsg, offsetof(PortMsg, trailer), 0, 0));
	EXPECT_EQ(RightReceive | RightSend, type(a));	// the sender kept it

	// Received, b's right is out of transit: now a may travel to b.
	PortMsg r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), a));
	u32 b_again = r.port[0];
	EXPECT_EQ(pb.get(), space().lookup_receive(Name{b_again}).get());
	EXPECT_EQ(Kr::Success, msg(&m, SendMsg, offsetof(PortMsg, trailer), 0, 0));
	EXPECT_FALSE(pa->dead());
}

} // namespace

namespace {

// Each port's receive right sits in a message on the next; the head's
// death kills the whole chain without recursing (deep enough here to run
// off the stack if it did).
TEST_F(Ipc, ADeepChainOfReceiveRightsDiesWhole)
{
	const long before = shim_user::live(MACH_KIND_PORT);
	const int depth = 50000;
	u32 head = receive_right();
	for (int i = 0; i < depth; i++) {
		u32 next = receive_right();
		ASSERT_EQ(Kr::Success, space().insert_right(Name{next}, Name{next}, MakeSend));
		PortMsg m{};
		m.h = {MoveSend | msgh_bits_complex, 0, next, 0, 0, 0};
		m.count = 1;
		m.port[0] = head;
		m.port[2] = (PortDescriptor << 24) | (MoveReceive << 16);
		ASSERT_EQ(Kr::Success, msg(&m, SendMsg, offsetof(PortMsg, trailer), 0, 0));
		head = next;
	}
	EXPECT_EQ(before + depth + 1, shim_user::live(MACH_KIND_PORT));
	EXPECT_EQ(Kr::Success, space().mod_refs(Name{head}, PortRightReceive, -1));
	EXPECT_EQ(before, shim_user::live(MACH_KIND_PORT));
}

// Ports and queued messages count against their user's limits, with the
// anchors' errors past them; what is freed counts no more.
TEST_F(Ipc, PortsAndQueuedMessagesCountAgainstTheirUser)
{
	using shim_user::user_limit;
	using shim_user::user_used;
	const u64 ports = user_used(MACH_QUOTA_PORTS);
	user_limit[MACH_QUOTA_PORTS] = ports + 2;
	u32 a = receive_right(), b = receive_right();
	Name n{0};
	EXPECT_EQ(Kr::NoSpace, space().allocate(PortRightReceive, &n));
	EXPECT_EQ(Kr::NoSpace, space().allocate(PortRightPortSet, &n));
	EXPECT_EQ(Kr::Success, space().mod_refs(Name{b}, PortRightReceive, -1));
	b = receive_right();

	ASSERT_EQ(Kr::Success, space().insert_right(Name{a}, Name{a}, MakeSend));
	const u64 bytes = user_used(MACH_QUOTA_MESSAGE_BYTES);
	user_limit[MACH_QUOTA_MESSAGE_BYTES] = bytes + 1024;
	Buffer m{};
	int sent = 0;
	Kr kr;
	do {
		m.h = {MakeSendOnce, 0, a, 0, 0, sent};	// no room needed
		kr = msg(&m, SendMsg, sizeof(MsgHeader), 0, 0);
	} while (kr == Kr::Success && ++sent < 100);
	EXPECT_EQ(Kr::SendNoBuffer, kr);
	EXPECT_GT(sent, 0);
	EXPECT_LT(sent, 100);
	Buffer r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg, 0, sizeof(r), a));
	EXPECT_EQ(Kr::Success, msg(&m, SendMsg, sizeof(MsgHeader), 0, 0));
	EXPECT_EQ(Kr::Success, space().mod_refs(Name{a}, PortRightReceive, -1));
	EXPECT_EQ(bytes, user_used(MACH_QUOTA_MESSAGE_BYTES));
	EXPECT_EQ(Kr::Success, space().deallocate(Name{a}));	// its dead name
	EXPECT_EQ(Kr::Success, space().mod_refs(Name{b}, PortRightReceive, -1));
	EXPECT_EQ(ports, user_used(MACH_QUOTA_PORTS));
}

} // namespace

/* The answers XNU gives that differ from the first ones here. */
TEST_F(Ipc, PortCallAnswersAsXnu)
{
	Name set{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &set));
	EXPECT_EQ(Kr::Success, space().deallocate(set));	/* destroyed */
	EXPECT_EQ(Kr::InvalidName, space().type(set, nullptr));

	u32 port = receive_right();
	EXPECT_EQ(Kr::InvalidRight, space().mod_refs(Name{port}, PortRightLabelh, -1));
	EXPECT_EQ(Kr::InvalidValue, space().mod_refs(Name{port}, PortRightNumber, -1));
	EXPECT_EQ(Kr::Success, space().mod_refs(Name{0}, PortRightSendOnce, -1));
	EXPECT_EQ(Kr::InvalidName, space().mod_refs(Name{0}, PortRightDeadName, -1));
	u32 refs = 0;
	EXPECT_EQ(Kr::Success, space().get_refs(Name{Name::dead}, PortRightSend, &refs));
	EXPECT_EQ(1u, refs);
	EXPECT_EQ(Kr::InvalidName, space().get_refs(Name{0}, PortRightDeadName, &refs));
	EXPECT_EQ(Kr::Success, space().get_refs(Name{port}, PortRightLabelh, &refs));
	EXPECT_EQ(0u, refs);
	EXPECT_EQ(Kr::InvalidValue, space().get_refs(Name{port}, PortRightNumber, &refs));

	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &set));
	EXPECT_EQ(Kr::InvalidRight, space().insert_right(set, set, MakeSend));
	EXPECT_EQ(Kr::InvalidName, space().insert_right(Name{999}, Name{999}, MakeSend));
}

TEST_F(Ipc, GuardsAndDestruct)
{
	u32 port = receive_right();
	Ref<Port> p = space().lookup_receive(Name{port});
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	ASSERT_EQ(Kr::Success, p->guard(7, false));
	EXPECT_EQ(Kr::InvalidArgument, p->guard(8, false));
	EXPECT_EQ(Kr::InvalidRight, space().mod_refs(Name{port}, PortRightReceive, -1));
	EXPECT_EQ(Kr::InvalidRight, space().destroy_name(Name{port}));
	EXPECT_EQ(Kr::InvalidArgument, space().destruct(Name{port}, 0, 6));
	EXPECT_EQ(Kr::InvalidValue, space().destruct(Name{port}, 1, 7));
	EXPECT_EQ(Kr::InvalidValue, space().destruct(Name{port}, -2, 7));
	EXPECT_EQ(Kr::Success, space().destruct(Name{port}, -1, 7));
	EXPECT_TRUE(p->dead());
	EXPECT_EQ(Kr::InvalidName, space().type(Name{port}, nullptr));
}

namespace {

/* One port call on the caller's own space, as the ioctl makes it. */
Kr own_port_call(Task &task, PortOp op, u32 name, u64 context, u32 right = 0, s32 delta = 0)
{
	PortCall call{};
	call.op = op;
	call.name = Name{name};
	call.context = context;
	call.right = right;
	call.delta = delta;
	return port_call(task, task, 0, call);
}

/* EXC_GUARD's code of a port guard broken under name, for reason. */
u64 guard_code(u64 reason, u32 name)
{
	return 1ull << 61 | reason << 32 | name;
}

} // namespace

/* Each of XNU's fatal port guards, broken by a call, raises EXC_GUARD once. */
TEST_F(Ipc, BrokenGuardsRaiseExcGuard)
{
	u32 port = receive_right();
	Ref<Port> p = space().lookup_receive(Name{port});
	ASSERT_EQ(Kr::Success, p->guard(7, false));
	struct {
		PortOp op;
		u64 context;
		u32 right;
		s32 delta;
		Kr kr;
		u64 reason, subcode;
	} const cases[] = {
		{PortOp::Destroy, 0, 0, 0, Kr::InvalidRight, 1, 7},
		{PortOp::ModRefs, 0, PortRightReceive, -1, Kr::InvalidRight, 2, 7},
		{PortOp::Destruct, 6, 0, 0, Kr::InvalidArgument, 1, 7},
		{PortOp::Unguard, 8, 0, 0, Kr::InvalidArgument, 16, 7},
	};
	for (const auto &c : cases) {
		shim_user::guard_exceptions = 0;
		EXPECT_EQ(c.kr, own_port_call(*task, c.op, port, c.context, c.right, c.delta));
		EXPECT_EQ(1, shim_user::guard_exceptions) << static_cast<u32>(c.op);
		EXPECT_EQ(guard_code(c.reason, port), shim_user::guard_code);
		EXPECT_EQ(c.subcode, shim_user::guard_subcode);
	}

	/* A call that keeps the guard raises nothing: the right one, or none broken. */
	shim_user::guard_exceptions = 0;
	EXPECT_EQ(Kr::InvalidArgument, own_port_call(*task, PortOp::Guard, port, 9));
	EXPECT_EQ(Kr::Success, own_port_call(*task, PortOp::Unguard, port, 7));
	EXPECT_EQ(0, shim_user::guard_exceptions);

	/* Unguarded now: unguard is UNGUARDED, with no guard to give. */
	EXPECT_EQ(Kr::InvalidArgument, own_port_call(*task, PortOp::Unguard, port, 7));
	EXPECT_EQ(1, shim_user::guard_exceptions);
	EXPECT_EQ(guard_code(8, port), shim_user::guard_code);
	EXPECT_EQ(0u, shim_user::guard_subcode);

	/* Strict: a new context is SET_CONTEXT. */
	ASSERT_EQ(Kr::Success, p->guard(11, true));
	EXPECT_EQ(Kr::InvalidArgument, own_port_call(*task, PortOp::SetContext, port, 12));
	EXPECT_EQ(2, shim_user::guard_exceptions);
	EXPECT_EQ(guard_code(4, port), shim_user::guard_code);
	EXPECT_EQ(11u, shim_user::guard_subcode);

	/* The module's own calls break nothing. */
	EXPECT_EQ(Kr::InvalidRight, space().destroy_name(Name{port}));
	EXPECT_EQ(2, shim_user::guard_exceptions);
	EXPECT_EQ(Kr::Success, own_port_call(*task, PortOp::Destruct, port, 11, 0, 0));
	EXPECT_EQ(2, shim_user::guard_exceptions);
}

TEST_F(Ipc, RenameMovesTheEntry)
{
	u32 port = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{port}, Name{port}, MakeSend));
	EXPECT_EQ(Kr::InvalidValue, space().rename(Name{port}, Name{0}));
	EXPECT_EQ(Kr::InvalidName, space().rename(Name{999}, Name{998}));
	ASSERT_EQ(Kr::Success, space().rename(Name{port}, Name{500}));
	EXPECT_EQ(Kr::InvalidName, space().type(Name{port}, nullptr));
	EXPECT_EQ(RightReceive | RightSend, type(500));
	/* A send right coalesces under the new name. */
	Ref<Port> p = space().lookup_receive(Name{500});
	Name again{0};
	ASSERT_EQ(Kr::Success, space().make_send(p.get(), &again));
	EXPECT_EQ(500u, again.value);
	EXPECT_EQ(Kr::NameExists, space().rename(Name{500}, Name{500}));
}

namespace {

/* A receive right handed over by a port-destroyed notice leaves its sets. */
TEST_F(Notify, AHandedOverRightLeavesItsSets)
{
	u32 port = receive_right(), listener = receive_right();
	Name s1{0}, s2{0}, s3{0};
	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &s1));
	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &s2));
	ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &s3));
	ASSERT_EQ(Kr::Success, space().insert_member(Name{port}, s1));
	ASSERT_EQ(Kr::Success, space().insert_member(Name{port}, s2));
	ASSERT_EQ(Kr::Success, space().insert_member(Name{listener}, s3));
	ASSERT_EQ(Kr::Success, space().insert_member(Name{listener}, s1));
	EXPECT_EQ(0u, request(port, NotifyPortDestroyed, 0, listener, MakeSendOnce));
	ASSERT_EQ(Kr::Success, space().destroy_name(Name{port}));
	u32 members[4], count = 9;
	ASSERT_EQ(Kr::Success, space().set_members(s2, members, 4, &count));
	EXPECT_EQ(0u, count);
	Complex r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), s3.value));
	EXPECT_EQ(int(NotifyPortDestroyed), r.h.id);
	// Back: into two sets again, then moved away in a message to a port that dies.
	u32 back = r.port[0];
	ASSERT_EQ(Kr::Success, space().insert_member(Name{back}, s1));
	ASSERT_EQ(Kr::Success, space().insert_member(Name{back}, s2));
	u32 q = receive_right();
	ASSERT_EQ(Kr::Success, space().insert_right(Name{q}, Name{q}, MakeSend));
	Complex c{};
	c.h = {CopySend | msgh_bits_complex, sizeof(MsgHeader) + 16, q, 0, 0, 5};
	c.count = 1;
	c.port[0] = back;
	c.port[2] = (PortDescriptor << 24) | (MoveReceive << 16);
	ASSERT_EQ(Kr::Success, msg(&c, SendMsg, sizeof(MsgHeader) + 16, 0, 0));
	ASSERT_EQ(Kr::Success, space().set_members(s1, members, 4, &count));
	EXPECT_EQ(1u, count);	// listener only
	ASSERT_EQ(Kr::Success, space().mod_refs(s2, PortRightPortSet, -1));
	ASSERT_EQ(Kr::Success, space().mod_refs(Name{q}, PortRightReceive, -1));
	ASSERT_EQ(Kr::Success, space().move_member(Name{listener}, s3));
	ASSERT_EQ(Kr::Success, space().set_members(s1, members, 4, &count));
	EXPECT_EQ(0u, count);
	ASSERT_EQ(Kr::Success, space().mod_refs(s3, PortRightPortSet, -1));
}

/* A set destroyed first leaves its member in the others, and receivable. */
TEST_F(Ipc, ASetDestroyedFirstLeavesTheOthers)
{
	u32 p = receive_right();
	Name s[4];
	for (auto &x : s) {
		x = Name{0};
		ASSERT_EQ(Kr::Success, space().allocate(PortRightPortSet, &x));
		ASSERT_EQ(Kr::Success, space().insert_member(Name{p}, x));
	}
	ASSERT_EQ(Kr::Success, space().mod_refs(s[1], PortRightPortSet, -1));
	ASSERT_EQ(Kr::Success, space().insert_right(Name{p}, Name{p}, MakeSend));
	Buffer m{};
	m.h = {CopySend, 0, p, 0, 0, 9};
	ASSERT_EQ(Kr::Success, msg(&m, SendMsg, sizeof(MsgHeader), 0, 0));
	ASSERT_EQ(Kr::Success, msg(&m, SendMsg, sizeof(MsgHeader), 0, 0));
	Buffer r{};
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), s[3].value));
	ASSERT_EQ(Kr::Success, space().move_member(Name{p}, s[2]));
	ASSERT_EQ(Kr::RcvTimedOut, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), s[0].value));
	ASSERT_EQ(Kr::Success, msg(&r, RcvMsg | RcvTimeout, 0, sizeof(r), s[2].value));
	ASSERT_EQ(Kr::Success, space().mod_refs(Name{p}, PortRightReceive, -1));
	// The fixture's teardown takes the rest.
}

} // namespace
