// SPDX-License-Identifier: GPL-2.0
/* port_call.cc - the mach_port_* calls: one handler, in whichever process. */
#include "port_call.h"
#include "message.h"
#include "space.h"
#include "task.h"

namespace mach {
namespace {

/* mach_port_status_t, as the anchors lay it out. */
struct PortStatus {	/* a value: its builder's only */
	u32 pset, seqno, mscount, qlimit, msgcount, sorights;
	u32 srights, pdrequest, nsrequest, flags;
};
static_assert(sizeof(PortStatus) == attribute_words_max * sizeof(u32));
/* MACH_PORT_STATUS_FLAG_GUARDED and _STRICT_GUARD */
constexpr u32 status_flag_guarded = 0x02;
constexpr u32 status_flag_strict_guard = 0x04;

Kr attributes(Space &space, PortCall &call)
{
	Ref<Port> port = space.lookup_receive(call.name);
	if (!port)
		return call.name.valid() ? Kr::InvalidRight : Kr::InvalidName;

	if (call.op == PortOp::SetAttributes) {
		if (call.right != PortLimitsInfo || call.nwords < 1)
			return Kr::InvalidValue;
		if (call.fault)
			return Kr::InvalidAddress;
		return port->set_qlimit(call.words[0]);
	}

	PortStatus status{};
	u32 count;
	switch (call.right) {
	case PortLimitsInfo:
		status.pset = port->qlimit();	/* the limits struct is one word */
		count = 1;
		break;
	case PortReceiveStatus:
		/* XNU's is ip_in_pset(): 1 in any number of sets, 0 in none. */
		status.pset = port->member_of(nullptr) ? 1 : 0;
		status.seqno = port->seqno();
		status.mscount = port->mscount();
		status.qlimit = port->qlimit();
		status.msgcount = port->msgcount();
		status.srights = port->send_rights() != 0;
		status.flags = (port->guarded() ? status_flag_guarded : 0) |
			       (port->strict_guard() ? status_flag_strict_guard : 0);
		count = attribute_words_max;
		break;
	default:
		return Kr::InvalidValue;
	}
	if (call.nwords < count)
		return Kr::InvalidValue;
	__builtin_memcpy(call.words, &status, count * sizeof(u32));
	call.nwords = count;
	return Kr::Success;
}

bool valid_disposition(u32 disposition)
{
	return disposition >= MoveReceive && disposition <= MakeSendOnce;
}

/* A notify port named by poly with disposition delta, from space. */
Kr take_notify(Space &space, PortCall &call)
{
	u32 disposition = static_cast<u32>(call.delta);
	if (!call.poly.valid())
		return Kr::Success;
	if (disposition != MakeSendOnce && disposition != MoveSendOnce)
		return Kr::InvalidValue;
	if (space.copyin_right(call.poly, disposition, &call.in) != Kr::Success)
		return Kr::InvalidCapability;
	return Kr::Success;
}

void drop_transit(TransitRight &right)
{
	if (right.port)
		right.port->drop(right);
	right = {};
}

Kr request_notification(Space &space, PortCall &call)
{
	Kr kr = space.check_notification(call.name, call.right, call.value);
	if (kr == Kr::Success && !call.remote)
		kr = take_notify(space, call);
	if (kr != Kr::Success)
		return kr;
	TransitRight notify = call.in;
	call.in = {};
	return space.request_notification(call.name, call.right, call.value, notify,
					  &call.out);
}

Kr extract_right(Space &space, PortCall &call)
{
	if (!call.remote && !valid_disposition(call.right))
		return Kr::InvalidValue;
	u32 type;
	Kr kr = space.type(call.name, &type);
	if (kr != Kr::Success)
		return kr;
	if (space.copyin_right(call.name, call.right, &call.out) != Kr::Success)
		return Kr::InvalidRight;
	return Kr::Success;
}

/* mach_port_guard_with_flags()'s MPG_STRICT */
constexpr u32 mpg_strict = 0x01;

/* At most one of the flags in mask may be set. */
bool at_most_one(u32 flags, u32 mask)
{
	u32 set = flags & mask;
	return !(set & (set - 1));
}

/*
 * mach_port_construct, checked in XNU's order. Of the options, the queue
 * limit, the guard (strict or not), the context and the send right act;
 * the others XNU takes from anyone are accepted and change nothing here;
 * the ones only launchd or a graphics server may use are refused as
 * XNU refuses everyone else.
 */
Kr construct(Space &space, PortCall &call)
{
	u32 flags = call.options.flags;
	if (!at_most_one(flags, MpoServicePort | MpoConnectionPort | MpoTgBlockTracking) ||
	    !at_most_one(flags, MpoReplyPort | MpoEnforceReplyPortSemantics |
				    MpoExceptionPort | MpoProvisionalReplyPort))
		return Kr::InvalidArgument;
	if (flags & (MpoTgBlockTracking | MpoServicePort))
		return Kr::Denied;
	if (flags & MpoConnectionPort)
		return Kr::InvalidArgument;	/* no port here is a service port */
	if ((flags & MpoQlimit) && call.options.qlimit > qlimit_max)
		return Kr::InvalidValue;

	Kr kr = space.allocate(PortRightReceive, &call.name);
	if (kr != Kr::Success)
		return kr;
	Ref<Port> port;
	kr = space.receive_port(call.name, &port);
	if (kr != Kr::Success)
		return kr;	/* its fd was closed under us: it is gone */
	if (flags & MpoQlimit)
		port->set_qlimit(call.options.qlimit);
	if (flags & MpoContextAsGuard)
		port->guard(call.context, flags & MpoStrict);
	else
		port->set_context(call.context);
	if (flags & MpoInsertSendRight)
		kr = space.insert_right(call.name, call.name, MakeSend);
	return kr;
}

/* A receive right's calls that XNU refuses a null or dead name as a right. */
Kr receive_of(Space &space, Name name, Ref<Port> *port, Kr invalid = Kr::InvalidRight)
{
	if (!name.valid())
		return invalid;
	return space.receive_port(name, port);
}

/* Format-0 trailers by element count: XNU's REQUESTED_TRAILER_SIZE. */
constexpr u32 peek_trailer_sizes[] = {8, 12, 20, 52};

/* mach_port_peek: a queued message's size, id and trailer, by seqno. */
Kr peek(Space &space, PortCall &call)
{
	if (!call.name.valid())
		return Kr::InvalidRight;
	u32 elements = (call.right >> 24) & 0xf;
	if (elements >= sizeof(peek_trailer_sizes) / sizeof(peek_trailer_sizes[0]) ||
	    peek_trailer_sizes[elements] > call.nwords)
		return Kr::InvalidValue;
	u32 size = peek_trailer_sizes[elements];
	call.nwords = size;
	Ref<Port> port;
	Kr kr = space.receive_port(call.name, &port);
	if (kr != Kr::Success)
		return kr;
	Port::Peeked peeked;
	if (!port->peek(call.value, &peeked))
		return Kr::Failure;
	call.value = peeked.seqno;
	call.poly = Name{peeked.size};
	call.delta = peeked.id;
	/* mach_msg_audit_trailer_t: its size word as the queued message's (8). */
	u32 words[13] = {0, 8, peeked.seqno};
	__builtin_memcpy(&words[3], peeked.security, sizeof(peeked.security));
	__builtin_memcpy(&words[5], peeked.audit, sizeof(peeked.audit));
	__builtin_memset(call.trailer, 0, sizeof(call.trailer));
	__builtin_memcpy(call.trailer, words, size);
	return Kr::Success;
}

Kr context_call(Space &space, PortCall &call)
{
	Ref<Port> port;
	Kr invalid = call.op == PortOp::GetContext || call.op == PortOp::SetContext ?
		     Kr::InvalidRight : Kr::InvalidName;
	Kr kr = receive_of(space, call.name, &port, invalid);
	if (kr != Kr::Success)
		return kr;
	switch (call.op) {
	case PortOp::Guard:
		return port->guard(call.context, call.value != 0);
	case PortOp::GuardWithFlags:	/* MPG_STRICT; the rest change nothing here */
		return port->guard(call.context, call.value & mpg_strict);
	case PortOp::SwapGuard:
		return port->swap_guard(call.context, call.new_context, &call.broken);
	case PortOp::Unguard:
		return port->unguard(call.context, &call.broken);
	case PortOp::GetContext:
		call.context = port->user_context();
		return Kr::Success;
	default:
		return port->set_context(call.context, &call.broken);
	}
}

/*
 * A right that went in under a fresh name because the one asked for is
 * too far to reach in place (PlaceFar): the call's second half moves it
 * (finish_placing()); undo: the fresh name goes if it cannot.
 */
Kr place_later(PortCall &call, Kr kr, Name from, Name to, bool undo)
{
	if (kr != Kr::PlaceFar)
		return kr;
	call.place_from = from;
	call.place_to = to;
	call.place_undo = undo;
	return Kr::Success;
}

/*
 * Another task's space runs the call in its agent: a copy of this crosses
 * there and back (mach_shim_task_call()).
 */
struct RemotePortCall {	/* the caller's; the agent's while it runs there */
	Task *target;		/* a reference, dropped by run or abandon */
	PortCall call;
	Kr kr;
};

void remote_run(void *arg)
{
	RemotePortCall &remote = *static_cast<RemotePortCall *>(arg);
	remote.kr = port_call_run(remote.target->space(), remote.call);
	remote.target->put();
	remote.target = nullptr;
}

void remote_abandon(void *arg)
{
	RemotePortCall &remote = *static_cast<RemotePortCall *>(arg);
	port_call_release(remote.call);
	if (remote.target)
		remote.target->put();
}

/* Runs call in target's agent: its result, or why it could not run. */
Kr run_remote(Task &target, u64 program, PortCall &call)
{
	target.get();
	RemotePortCall remote{&target, call, Kr::Success};
	/* The copy holds the rights and the list now, whatever comes of it. */
	call.in = {};
	call.items = nullptr;
	int err = mach_shim_task_call(target.os(), program, remote_run, remote_abandon,
				      &remote, sizeof(remote));
	if (err) {
		/* abandon() released what it held (the host calls it). */
		if (err == -MACH_ENOMEM)
			return Kr::ResourceShortage;
		return err == -MACH_EINTR ? Kr::Aborted : Kr::InvalidTask;
	}
	call = remote.call;
	return remote.kr;
}

/* Runs call on target's space: in place if it is the caller's, else in its agent. */
Kr run_on(Task &caller, Task &target, u64 program, PortCall &call)
{
	if (&target == &caller)
		return port_call_run(caller.space(), call);
	return run_remote(target, program, call);
}

/*
 * The second half of a call whose right went under a fresh name: the
 * process makes the number asked for refer to it (its agent's own
 * fcntl(F_DUPFD_CLOEXEC), which never replaces an fd), then the space
 * moves the name there.
 */
Kr finish_placing(Task &caller, Task &target, u64 program, PortCall &call, Kr kr)
{
	if (kr != Kr::Success || !call.place_from.valid())
		return kr;
	PortCall place{};
	place.op = PortOp::Place;
	place.remote = call.remote;
	place.place_from = call.place_from;
	place.place_to = call.place_to;
	place.place_undo = call.place_undo;
	place.placed = mach_shim_task_dup_fd(target.os(), program,
					     static_cast<int>(call.place_from.value),
					     static_cast<int>(call.place_to.value));
	return run_on(caller, target, program, place);
}

/* GUARD_TYPE_MACH_PORT, EXC_GUARD's code's top three bits */
constexpr u64 guard_type_mach_port = 1;

/*
 * A guard the call broke, as XNU's mach_port_guard_exception() takes it:
 * the calling thread (whichever task's space the call was on) raises
 * EXC_GUARD on its way out, and its process ends. The code packs the
 * guard's type, the reason and the name; the subcode is the port's guard.
 */
void raise_broken_guard(const PortCall &call)
{
	if (call.broken.reason == GuardBreak::None)
		return;
	u64 code = guard_type_mach_port << 61 |
		   u64{static_cast<u32>(call.broken.reason)} << 32 | call.name.value;
	mach_shim_guard_exception(code, call.broken.guard);
}

} /* namespace */

u32 port_call_item_words(PortOp op)
{
	if (op == PortOp::SpaceInfo)
		return sizeof(NameInfo) / sizeof(u32);
	return op == PortOp::Names ? 2 : 1;
}

Kr port_call_take(Space &caller, PortCall &call)
{
	switch (call.op) {
	case PortOp::InsertRight:
		if (!valid_disposition(call.right))
			return Kr::SendInvalidType;
		return caller.copyin_right(call.poly, call.right, &call.in);
	case PortOp::ExtractRight:
		return valid_disposition(call.right) ? Kr::Success : Kr::InvalidValue;
	case PortOp::RequestNotification:
		/* The notify port is the caller's, as in the MIG call. */
		return take_notify(caller, call);
	default:
		return Kr::Success;
	}
}

Kr port_call_run(Space &space, PortCall &call)
{
	switch (call.op) {
	case PortOp::Deallocate:
		return space.deallocate(call.name);
	case PortOp::Allocate:
		return space.allocate(call.right, &call.name);
	case PortOp::Destroy:
		return space.destroy_name(call.name, &call.broken);
	case PortOp::ModRefs:
		return space.mod_refs(call.name, call.right, call.delta, &call.broken);
	case PortOp::GetRefs:
		return space.get_refs(call.name, call.right, &call.value);
	case PortOp::Type:
		return space.type(call.name, &call.value);
	case PortOp::InsertRight: {
		Kr kr;
		Name placed{Name::null};
		if (!call.remote) {
			kr = space.insert_right(call.name, call.poly, call.right, &placed);
		} else {
			TransitRight right = call.in;
			call.in = {};
			kr = space.insert(call.name, right, &placed);
		}
		return place_later(call, kr, placed, call.name, true);
	}
	case PortOp::GetAttributes:
	case PortOp::SetAttributes:
		return attributes(space, call);
	case PortOp::SetMscount: {
		Ref<Port> port;
		Kr kr = receive_of(space, call.name, &port);
		if (kr == Kr::Success)
			port->set_mscount(call.value);
		return kr;
	}
	case PortOp::RequestNotification:
		return request_notification(space, call);
	case PortOp::MoveMember:
		return space.move_member(call.name, call.poly);
	case PortOp::Names:
		/* (name, type) pairs */
		space.names(call.items, call.capacity, &call.count);
		return Kr::Success;
	case PortOp::ExtractRight:
		return extract_right(space, call);
	case PortOp::GetSetStatus:
		return space.set_members(call.name, call.items, call.capacity, &call.count);
	case PortOp::Construct:
		return construct(space, call);
	case PortOp::Destruct:
		return space.destruct(call.name, call.delta, call.context, &call.broken);
	case PortOp::Guard:
	case PortOp::Unguard:
	case PortOp::GetContext:
	case PortOp::SetContext:
	case PortOp::GuardWithFlags:
	case PortOp::SwapGuard:
		return context_call(space, call);
	case PortOp::SpaceBasicInfo:
		call.value = space.count();	/* every name is in use: no free slots */
		return Kr::Success;
	case PortOp::Rename:
		return place_later(call, space.rename(call.name, call.poly), call.name, call.poly,
				   false);
	case PortOp::AllocateName: {
		if (!call.name.valid())
			return Kr::InvalidValue;
		Name got{Name::null};
		return place_later(call, space.allocate(call.right, &got, call.name), got,
				   call.name, true);
	}
	case PortOp::Place: {
		Kr kr = space.rename(call.place_from, call.place_to, call.placed);
		if (kr != Kr::Success && call.place_undo)
			space.destroy_name(call.place_from);	/* what went in goes */
		return kr;
	}
	case PortOp::InsertMember:
		return space.insert_member(call.name, call.poly);
	case PortOp::ExtractMember:
		return space.extract_member(call.name, call.poly);
	case PortOp::Peek:
		return peek(space, call);
	case PortOp::GetSrights: {
		Ref<Port> port;
		Kr kr = space.receive_port(call.name, &port);
		if (kr == Kr::Success)
			call.value = port->send_rights();
		return kr;
	}
	case PortOp::SetSeqno: {
		Ref<Port> port;
		Kr kr = receive_of(space, call.name, &port);
		if (kr == Kr::Success)
			port->set_seqno(call.value);
		return kr;
	}
	case PortOp::Kobject:
		call.context = 0;	/* its address: XNU's release kernels give none */
		return space.kobject(call.name, &call.value);
	case PortOp::SpaceInfo:
		space.info(reinterpret_cast<NameInfo *>(call.items), call.capacity, &call.count);
		return Kr::Success;
	}
	return Kr::InvalidValue;
}

Kr port_call_give(Space &caller, PortCall &call, Kr kr)
{
	drop_transit(call.in);	/* a notify port a failed request did not take */
	switch (call.op) {
	case PortOp::ExtractRight:
		if (kr == Kr::Success) {
			call.value = call.out.type;
			Name name{Name::null};
			kr = caller.copyout(call.out, &name.value);
			call.poly = name;
			call.out = {};
		}
		break;
	case PortOp::RequestNotification:
		call.value = Name::null;
		if (call.out.port)
			caller.copyout(call.out, &call.value);
		call.out = {};
		break;
	case PortOp::Names:
	case PortOp::GetSetStatus:
	case PortOp::SpaceInfo:
		if (kr == Kr::Success && call.count > call.capacity)
			kr = Kr::NoSpace;
		break;
	default:
		break;
	}
	return kr;
}

void port_call_release(PortCall &call)
{
	drop_transit(call.in);
	drop_transit(call.out);
	if (call.items)
		mach_shim_free(MACH_KIND_MEMORY, call.items);
	call.items = nullptr;
}

Kr port_call(Task &caller, Task &target, u64 program, PortCall &call)
{
	call.remote = &target != &caller;
	if (call.remote) {
		Kr kr = port_call_take(caller.space(), call);
		if (kr != Kr::Success)
			return kr;
	}
	Kr kr = finish_placing(caller, target, program, call,
			       run_on(caller, target, program, call));
	kr = port_call_give(caller.space(), call, kr);
	raise_broken_guard(call);
	return kr;
}

Kr port_call_carried(Task &caller, Task &target, u64 program, PortCall &call)
{
	call.remote = true;	/* its rights are carried, in the caller or not */
	Kr kr = finish_placing(caller, target, program, call,
			       run_on(caller, target, program, call));
	raise_broken_guard(call);
	return kr;
}

} /* namespace mach */
