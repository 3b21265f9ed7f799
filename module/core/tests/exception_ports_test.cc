// SPDX-License-Identifier: GPL-2.0
// Unit tests of the exception ports of a thread, a task and the host: XNU's
// checks, the groups get and swap answer, the rights each table holds and
// gives, and the lookups the delivery of an exception makes.
#include <gtest/gtest.h>

#include "../core.h"
#include "../exception_ports.h"
#include "../host.h"
#include "../task.h"
#include "../thread.h"
#include "../thread_calls.h"
#include "../uapi.h"
#include "one_task.h"
#include "shim_user.h"

using namespace mach;

namespace {

constexpr u32 bad_access = 1u << 1, arithmetic = 1u << 3, software = 1u << 5;
constexpr u32 codes = 0x80000000u;
constexpr u32 state64 = 4;	// x86_THREAD_STATE64

TEST(ExceptionChecks, AsXnuValidatesANewHandler)
{
	EXPECT_EQ(Kr::Success, check_exception_handler(all_exceptions, true, 1, 0));
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(1u << 14, true, 1, 0));
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(1u, true, 1, 0));
	// Behaviors: the five formats, with any of the three flags.
	for (u32 b = 1; b <= 5; b++)
		EXPECT_EQ(Kr::Success, check_exception_handler(bad_access, true, b | codes, 0)) << b;
	EXPECT_EQ(Kr::Success, check_exception_handler(bad_access, true, 3 | 0x40000000u, 0));
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(bad_access, true, 0, 0));
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(bad_access, true, 6, 0));
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(bad_access, true, 77 | codes, 0));
	// ... but no handler at all has no behavior to check.
	EXPECT_EQ(Kr::Success, check_exception_handler(bad_access, false, 77, 0));
	// Protected identity and a preferred backtrace need 64-bit codes.
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(bad_access, true, 4, 0));
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(bad_access, true, 1 | 0x20000000u, 0));
	EXPECT_EQ(Kr::Success, check_exception_handler(bad_access, true, 1 | 0x20000000u | codes, 0));
	EXPECT_EQ(Kr::Success, check_exception_handler(bad_access, true, 5, 0));
	// Flavours: VALID_THREAD_STATE_FLAVOR on x86_64, and 0.
	for (u32 f = 0; f < 40; f++) {
		bool valid = f <= 13 || (f >= 16 && f <= 25);
		EXPECT_EQ(valid ? Kr::Success : Kr::InvalidArgument,
			  check_exception_handler(bad_access, true, 1, f)) << "flavor " << f;
	}
	EXPECT_EQ(Kr::InvalidArgument, check_exception_handler(bad_access, false, 1, ~0u));
}

class Exceptions : public OneTask {
protected:
	Port *handler = nullptr, *other = nullptr;

	void SetUp() override
	{
		OneTask::SetUp();
		ASSERT_EQ(Kr::Success, Port::create(&handler));
		ASSERT_EQ(Kr::Success, Port::create(&other));
	}
	void release() override
	{
		for (Port *p : {handler, other}) {
			if (p) {
				p->kill();
				p->put();
			}
		}
	}
	// A new send right to p, in transit.
	static TransitRight send(Port *p)
	{
		p->get();
		p->make_send();
		return TransitRight{p, MoveSend};
	}
	static void drop_all(ExceptionHandler *h, u32 n)
	{
		for (u32 i = 0; i < n; i++)
			if (h[i].port)
				h[i].port->drop(TransitRight{h[i].port, MoveSend});
	}
};

TEST_F(Exceptions, EachTypeHoldsASendRightAndCloseDropsThem)
{
	ExceptionPorts table;
	ASSERT_TRUE(table.ok());
	ASSERT_EQ(Kr::Success, table.set(bad_access | software, send(handler), 1, state64));
	EXPECT_EQ(2u, handler->send_rights());	// one for each type, none left over
	EXPECT_EQ(bad_access | software, table.mask());
	// A refused set spends its right too, and changes nothing.
	EXPECT_EQ(Kr::InvalidArgument, table.set(1u << 20, send(other), 1, 0));
	EXPECT_EQ(Kr::InvalidArgument, table.set(arithmetic, send(other), 1, 14));
	EXPECT_EQ(Kr::InvalidArgument, table.set(arithmetic, send(other), 9, 0));
	EXPECT_EQ(0u, other->send_rights());
	EXPECT_EQ(bad_access | software, table.mask());
	// An empty mask: the right lands nowhere.
	ASSERT_EQ(Kr::Success, table.set(0, send(other), 1, 0));
	EXPECT_EQ(0u, other->send_rights());
	// Replaced for one type: its right goes back.
	ASSERT_EQ(Kr::Success, table.set(software, send(other), 2, 0));
	EXPECT_EQ(1u, handler->send_rights());
	EXPECT_EQ(1u, other->send_rights());
	table.close();
	EXPECT_EQ(0u, handler->send_rights());
	EXPECT_EQ(0u, other->send_rights());
	EXPECT_EQ(0u, table.mask());
	// Closed: the owner is gone, as XNU's inactive thread or task.
	EXPECT_EQ(Kr::Failure, table.set(software, send(other), 1, 0));
	EXPECT_EQ(0u, other->send_rights());
	u32 masks[exception_types], groups = 9;
	ExceptionHandler h[exception_types];
	EXPECT_EQ(Kr::Failure, table.get(software, exception_types, masks, h, &groups));
	EXPECT_EQ(0u, groups);
	EXPECT_FALSE(table.handler(5, &h[0]));
}

TEST_F(Exceptions, GetGroupsTypesThatShareAHandler)
{
	ExceptionPorts table;
	ASSERT_EQ(Kr::Success, table.set(bad_access | software, send(handler), 3, state64));
	ASSERT_EQ(Kr::Success, table.set(arithmetic, send(other), 3, state64));
	u32 masks[exception_types], groups;
	ExceptionHandler h[exception_types];
	ASSERT_EQ(Kr::Success, table.get(all_exceptions, exception_types, masks, h, &groups));
	ASSERT_EQ(3u, groups);
	EXPECT_EQ(bad_access | software, masks[0]);
	EXPECT_EQ(handler, h[0].port);
	EXPECT_EQ(3u, h[0].behavior);
	EXPECT_EQ(state64, h[0].flavor);
	// In order of their first type: those with none (from type 2) next.
	EXPECT_EQ(all_exceptions & ~(bad_access | software | arithmetic), masks[1]);
	EXPECT_EQ(nullptr, h[1].port);
	EXPECT_EQ(0u, h[1].behavior);
	EXPECT_EQ(arithmetic, masks[2]);
	EXPECT_EQ(other, h[2].port);
	// A new send right for each group with a port.
	EXPECT_EQ(3u, handler->send_rights());
	EXPECT_EQ(2u, other->send_rights());
	drop_all(h, groups);
	// Room for one group: only the first; an unknown type is refused.
	ASSERT_EQ(Kr::Success, table.get(all_exceptions, 1, masks, h, &groups));
	EXPECT_EQ(1u, groups);
	drop_all(h, groups);
	EXPECT_EQ(Kr::InvalidArgument, table.get(1u << 31, exception_types, masks, h, &groups));
	EXPECT_EQ(2u, handler->send_rights());
	EXPECT_EQ(1u, other->send_rights());
}

TEST_F(Exceptions, SwapAnswersWhatWasThereAndSetsInOneStep)
{
	ExceptionPorts table;
	ASSERT_EQ(Kr::Success, table.set(bad_access, send(handler), 1, 0));
	u32 masks[exception_types], groups;
	ExceptionHandler h[exception_types];
	ASSERT_EQ(Kr::Success, table.swap(bad_access | software, send(other), 2 | codes, state64,
					  exception_types, masks, h, &groups));
	ASSERT_EQ(2u, groups);
	EXPECT_EQ(bad_access, masks[0]);
	EXPECT_EQ(handler, h[0].port);
	EXPECT_EQ(software, masks[1]);
	EXPECT_EQ(nullptr, h[1].port);
	EXPECT_EQ(1u, handler->send_rights());	// only the one the answer carries
	EXPECT_EQ(2u, other->send_rights());
	drop_all(h, groups);
	EXPECT_EQ(0u, handler->send_rights());
	// A refused swap answers nothing and changes nothing.
	EXPECT_EQ(Kr::InvalidArgument, table.swap(software, send(handler), 77, 0, exception_types,
						  masks, h, &groups));
	EXPECT_EQ(0u, groups);
	EXPECT_EQ(0u, handler->send_rights());
	EXPECT_EQ(bad_access | software, table.mask());
}

// What the delivery asks: one type's handler, with a right for one message.
TEST_F(Exceptions, TheLookupGivesOneSendRightAndAReference)
{
	ExceptionPorts table;
	ASSERT_EQ(Kr::Success, table.set(software, send(handler), 3 | codes, state64));
	ExceptionHandler h;
	EXPECT_FALSE(table.handler(1, &h));
	EXPECT_EQ(nullptr, h.port);
	EXPECT_FALSE(table.handler(0, &h));
	EXPECT_FALSE(table.handler(exception_types, &h));
	EXPECT_FALSE(table.handler(~0u, &h));
	ASSERT_TRUE(table.handler(5, &h));
	EXPECT_EQ(handler, h.port);
	EXPECT_EQ(3u | codes, h.behavior);
	EXPECT_EQ(state64, h.flavor);
	EXPECT_EQ(2u, handler->send_rights());
	// (A reference too: the fixture's count of live ports sees one kept.)
	h.port->drop(TransitRight{h.port, MoveSend});
	EXPECT_EQ(1u, handler->send_rights());
}

TEST_F(Exceptions, ATaskInheritsItsParentsACopyOfEach)
{
	ExceptionPorts parent, child;
	ASSERT_EQ(Kr::Success, parent.set(bad_access, send(handler), 1, 0));
	ASSERT_EQ(Kr::Success, child.set(software, send(other), 1, 0));
	child.copy_from(parent);
	EXPECT_EQ(bad_access, child.mask());
	EXPECT_EQ(2u, handler->send_rights());
	EXPECT_EQ(0u, other->send_rights());	// what it had is gone
}

// A thread's own table, through the ioctl on its port.
class ThreadExceptions : public Exceptions {
protected:
	Thread *thread = nullptr;
	u32 thread_name = 0, handler_name = 0;

	void SetUp() override
	{
		Exceptions::SetUp();
		int err = 0;
		thread = Thread::create(task, mach_shim_thread_create(&os, 0, false, &err));
		ASSERT_NE(nullptr, thread);
		ASSERT_TRUE(task->add_thread(thread));
		Ref<Port> port = thread->port();
		port->make_send();
		ASSERT_EQ(Kr::Success, task->space().copyout(TransitRight{port.release(), MoveSend},
							     &thread_name));
		ASSERT_EQ(Kr::Success, task->space().copyout(send(handler), &handler_name));
	}
	void release() override
	{
		if (thread)
			thread->put();
		Exceptions::release();
	}
	long call(u32 flags, u32 target, u32 mask, u32 port, u32 behavior, u32 flavor,
		  u32 *masks = nullptr, u32 *ports = nullptr, u32 *count = nullptr)
	{
		static u32 b[exception_types], f[exception_types];
		mach_exception_ports_args a{};
		a.task = target;
		a.flags = flags;
		a.mask = mask;
		a.port = port;
		a.behavior = behavior;
		a.flavor = flavor;
		a.count = count ? *count : 0;
		a.masks = (u64)masks;
		a.ports = (u64)ports;
		a.behaviors = (u64)b;
		a.flavors = (u64)f;
		long r = ioctl(MACH_IOC_NR_EXCEPTION_PORTS, &a);
		if (count)
			*count = a.count;
		return r;
	}
};

constexpr u32 set_thread = MACH_EXCEPTION_PORTS_SET | MACH_EXCEPTION_PORTS_THREAD;
constexpr u32 get_thread = MACH_EXCEPTION_PORTS_GET | MACH_EXCEPTION_PORTS_THREAD;

TEST_F(ThreadExceptions, SetOnAThreadIsTheThreadsAloneAndEndsWithIt)
{
	ASSERT_EQ(0, call(set_thread, thread_name, bad_access, handler_name, 1 | codes, state64));
	EXPECT_EQ(bad_access, thread->exception_ports().mask());
	EXPECT_EQ(0u, task->exception_mask());
	EXPECT_EQ(2u, handler->send_rights());	// ours, the thread's
	ExceptionHandler h;
	ASSERT_TRUE(thread->exception_handler(1, &h));
	EXPECT_EQ(handler, h.port);
	h.port->drop(TransitRight{h.port, MoveSend});
	EXPECT_FALSE(task->exception_handler(1, &h));

	// A thread level call on a task port, or a task one on a thread: refused.
	EXPECT_EQ(long(Kr::InvalidArgument), call(set_thread, self, bad_access, 0, 0, 0));
	EXPECT_EQ(long(Kr::InvalidArgument),
		  call(MACH_EXCEPTION_PORTS_SET, thread_name, bad_access, 0, 0, 0));
	// Both levels at once, or none of the operations: malformed.
	EXPECT_EQ(-MACH_EINVAL, call(set_thread | MACH_EXCEPTION_PORTS_HOST, thread_name,
				     bad_access, 0, 0, 0));
	EXPECT_EQ(-MACH_EINVAL, call(MACH_EXCEPTION_PORTS_THREAD, thread_name, bad_access, 0, 0, 0));
	EXPECT_EQ(-MACH_EINVAL, call(set_thread | (1u << 4), thread_name, bad_access, 0, 0, 0));

	u32 masks[exception_types], ports[exception_types], count = exception_types;
	ASSERT_EQ(0, call(get_thread, thread_name, bad_access | software, 0, 0, 0, masks, ports,
			  &count));
	ASSERT_EQ(2u, count);
	EXPECT_EQ(bad_access, masks[0]);
	EXPECT_EQ(handler_name, ports[0]);	// coalesced into our name
	EXPECT_EQ(0u, ports[1]);

	// thread_terminate: the thread's rights go.
	u32 before = handler->send_rights();
	thread_terminate(*thread);
	EXPECT_EQ(before - 1, handler->send_rights());
	u32 refs = 0;
	ASSERT_EQ(Kr::Success, task->space().get_refs(Name{handler_name}, PortRightSend, &refs));
	EXPECT_EQ(2u, refs);
	EXPECT_EQ(0u, thread->exception_ports().mask());
	EXPECT_FALSE(thread->exception_handler(1, &h));
}

TEST_F(ThreadExceptions, ANewThreadHasNoneOfItsTasks)
{
	ASSERT_EQ(0, call(MACH_EXCEPTION_PORTS_SET, self, all_exceptions, handler_name, 1, 0));
	int err = 0;
	Thread *made = Thread::create(task, mach_shim_thread_create(&os, 0, false, &err));
	ASSERT_NE(nullptr, made);
	EXPECT_EQ(0u, made->exception_ports().mask());
	made->put();
}

// The host's, for its privileged port only.
class HostExceptions : public ThreadExceptions {
protected:
	u32 host = 0, priv = 0;

	void SetUp() override
	{
		ASSERT_EQ(0, mach_core_init());
		ThreadExceptions::SetUp();
		task->start_from_host();
		mach_special_port_args get{self, TaskHostPort, 0, 0};
		ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &get));
		host = get.port;
		mach_host_args a{};
		a.op = MACH_HOST_GET_SPECIAL_PORT;
		a.host = host;
		a.node = host_local_node;
		a.which = HostPrivPort;
		ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &a));
		priv = a.port;
	}
	void release() override
	{
		ThreadExceptions::release();
		mach_core_exit();
	}
};

constexpr u32 set_host = MACH_EXCEPTION_PORTS_SET | MACH_EXCEPTION_PORTS_HOST;
constexpr u32 get_host = MACH_EXCEPTION_PORTS_GET | MACH_EXCEPTION_PORTS_HOST;

TEST_F(HostExceptions, OnlyThePrivilegedPortReachesThem)
{
	EXPECT_EQ(long(Kr::InvalidArgument), call(set_host, host, bad_access, handler_name, 1, 0));
	EXPECT_EQ(long(Kr::InvalidArgument), call(set_host, self, bad_access, handler_name, 1, 0));
	EXPECT_EQ(long(Kr::InvalidArgument),
		  call(set_host, thread_name, bad_access, handler_name, 1, 0));
	EXPECT_EQ(long(Kr::SendInvalidDest), call(set_host, 4321, bad_access, handler_name, 1, 0));
	u32 masks[exception_types], ports[exception_types], count = exception_types;
	EXPECT_EQ(long(Kr::InvalidArgument),
		  call(get_host, host, bad_access, 0, 0, 0, masks, ports, &count));
	ExceptionHandler h;
	EXPECT_FALSE(host_exception_handler(1, &h));

	ASSERT_EQ(0, call(set_host, priv, bad_access | arithmetic, handler_name, 2, state64));
	count = exception_types;
	ASSERT_EQ(0, call(get_host, priv, bad_access, 0, 0, 0, masks, ports, &count));
	ASSERT_EQ(1u, count);
	EXPECT_EQ(handler_name, ports[0]);
	ASSERT_TRUE(host_exception_handler(3, &h));
	EXPECT_EQ(handler, h.port);
	EXPECT_EQ(2u, h.behavior);
	h.port->drop(TransitRight{h.port, MoveSend});
	// The same checks as the other levels.
	EXPECT_EQ(long(Kr::InvalidArgument), call(set_host, priv, bad_access, handler_name, 9, 0));
	EXPECT_EQ(long(Kr::InvalidArgument), call(set_host, priv, bad_access, handler_name, 1, 15));
	EXPECT_EQ(long(Kr::InvalidArgument), call(set_host, priv, 1u << 14, handler_name, 1, 0));
	// Cleared; the host's table ends with the core (release()) either way.
	ASSERT_EQ(0, call(set_host, priv, all_exceptions, 0, 0, 0));
	EXPECT_FALSE(host_exception_handler(3, &h));
}

} // namespace
