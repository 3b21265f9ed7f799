// SPDX-License-Identifier: LGPL-2.1-or-later
// exception_ports.cc - who handles exceptions, at the three levels:
// task_*, thread_* and host_*_exception_ports. One ioctl for all (the
// level a flag), and on a port that is no kernel object's the MIG
// routine of the level's interface, in one layout for the three.
#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

constexpr unsigned exception_slots = 32;	/* XNU's reply always has 32 ports */

// A level's ioctl flag, and the id of its set routine; get and swap follow.
struct Level {
	unsigned int flag;
	mach_msg_id_t set_id;
};
constexpr Level task_level = { 0, 3413 };	// task.defs
constexpr Level thread_level = { MACH_EXCEPTION_PORTS_THREAD, 3613 };	// thread_act.defs
constexpr Level host_level = { MACH_EXCEPTION_PORTS_HOST, 414 };	// host_priv.defs

// The groups as a MIG stub gives its out arrays: all if they fit; else as
// many as fit, the rest's rights dropped, and MIG_ARRAY_TOO_LARGE. Either
// way *count is how many there are.
kern_return_t give_groups(unsigned groups, const uint32_t *m, const mach_port_t *h,
			  const uint32_t *b, const uint32_t *f, exception_mask_array_t masks,
			  mach_msg_type_number_t *count, exception_handler_array_t handlers,
			  exception_behavior_array_t behaviors, exception_flavor_array_t flavors)
{
	for (unsigned i = 0; i < groups; i++) {
		if (i >= *count) {
			if (h[i] != MACH_PORT_NULL)
				mach_port_deallocate(mach_task_self(), h[i]);
			continue;
		}
		masks[i] = m[i];
		handlers[i] = h[i];
		behaviors[i] = b[i];
		flavors[i] = f[i];
	}
	kern_return_t kr = groups > *count ? MIG_ARRAY_TOO_LARGE : KERN_SUCCESS;
	*count = groups;
	return kr;
}

// The level's set, get (set_id + 1) or swap (set_id + 2) routine, sent to
// a port standing in for a task, a thread or the host.
kern_return_t exception_call_as_message(mach_port_t target, Level level, exception_mask_t mask,
					mach_port_t port, exception_behavior_t behavior,
					thread_state_flavor_t flavor, unsigned int flags,
					exception_mask_array_t masks,
					mach_msg_type_number_t *count,
					exception_handler_array_t handlers,
					exception_behavior_array_t behaviors,
					exception_flavor_array_t flavors)
{
	constexpr unsigned slots = exception_slots;
	if (flags == MACH_EXCEPTION_PORTS_SET) {
		uint32_t in[3] = { mask, static_cast<uint32_t>(behavior),
				   static_cast<uint32_t>(flavor) };
		return libmach::rpc_with_port(target, level.set_id, port, MACH_MSG_TYPE_COPY_SEND,
					      in, 3);
	}
	mach_port_t ports[slots];
	uint32_t out[1 + 3 * slots];
	unsigned n;
	kern_return_t kr;
	if (flags & MACH_EXCEPTION_PORTS_SET) {
		uint32_t in[3] = { mask, static_cast<uint32_t>(behavior),
				   static_cast<uint32_t>(flavor) };
		kr = libmach::rpc_general(target, level.set_id + 2, &port, 1,
					  MACH_MSG_TYPE_COPY_SEND, in, 3, ports, slots, out,
					  1 + 3 * slots, &n);
	} else {
		uint32_t in[1] = { mask };
		kr = libmach::rpc_general(target, level.set_id + 1, nullptr, 0, 0, in, 1, ports,
					  slots, out, 1 + 3 * slots, &n);
	}
	if (kr != KERN_SUCCESS)
		return kr;
	unsigned groups = n ? out[0] : 0;
	if (!n || n != 1 + 3 * groups || groups > slots) {
		for (mach_port_t name : ports)
			if (name != MACH_PORT_NULL)
				mach_port_deallocate(mach_task_self(), name);
		return MIG_TYPE_ERROR;
	}
	for (unsigned i = groups; i < slots; i++)	/* a stand-in's stray ones */
		if (ports[i] != MACH_PORT_NULL)
			mach_port_deallocate(mach_task_self(), ports[i]);
	return give_groups(groups, &out[1], ports, &out[1 + groups], &out[1 + 2 * groups], masks,
			   count, handlers, behaviors, flavors);
}

// flags: MACH_EXCEPTION_PORTS_SET, _GET or both (swap), on target at level.
kern_return_t exception_call(mach_port_t target, Level level, exception_mask_t mask,
			     mach_port_t port, exception_behavior_t behavior,
			     thread_state_flavor_t flavor, unsigned int flags,
			     exception_mask_array_t masks, mach_msg_type_number_t *count,
			     exception_handler_array_t handlers,
			     exception_behavior_array_t behaviors,
			     exception_flavor_array_t flavors)
{
	mach_exception_ports_args args = {};
	args.task = target;
	args.mask = mask;
	args.port = port;
	args.behavior = behavior;
	args.flavor = flavor;
	args.flags = flags | level.flag;
	// Room for all, as a MIG server has: then the stub's rule for the caller's.
	uint32_t m[exception_slots], b[exception_slots], f[exception_slots];
	mach_port_t h[exception_slots];
	if (flags & MACH_EXCEPTION_PORTS_GET) {
		if (!count || !masks || !handlers || !behaviors || !flavors)
			return KERN_INVALID_ARGUMENT;
		args.count = exception_slots;
		args.masks = reinterpret_cast<__u64>(m);
		args.ports = reinterpret_cast<__u64>(h);
		args.behaviors = reinterpret_cast<__u64>(b);
		args.flavors = reinterpret_cast<__u64>(f);
	}
	kern_return_t kr = libmach::call(MACH_IOC_EXCEPTION_PORTS, &args);
	if (kr == libmach::send_as_message)
		return exception_call_as_message(target, level, mask, port, behavior, flavor, flags,
						 masks, count, handlers, behaviors, flavors);
	if (kr == KERN_SUCCESS && (flags & MACH_EXCEPTION_PORTS_GET))
		return give_groups(args.count, m, h, b, f, masks, count, handlers, behaviors,
				   flavors);
	return kr;
}

kern_return_t set_call(mach_port_t target, Level level, exception_mask_t mask, mach_port_t port,
		       exception_behavior_t behavior, thread_state_flavor_t flavor)
{
	return exception_call(target, level, mask, port, behavior, flavor,
			      MACH_EXCEPTION_PORTS_SET, nullptr, nullptr, nullptr, nullptr,
			      nullptr);
}

kern_return_t get_call(mach_port_t target, Level level, exception_mask_t mask,
		       exception_mask_array_t masks, mach_msg_type_number_t *count,
		       exception_handler_array_t handlers, exception_behavior_array_t behaviors,
		       exception_flavor_array_t flavors)
{
	return exception_call(target, level, mask, MACH_PORT_NULL, 0, 0,
			      MACH_EXCEPTION_PORTS_GET, masks, count, handlers, behaviors,
			      flavors);
}

kern_return_t swap_call(mach_port_t target, Level level, exception_mask_t mask,
			mach_port_t port, exception_behavior_t behavior,
			thread_state_flavor_t flavor, exception_mask_array_t masks,
			mach_msg_type_number_t *count, exception_handler_array_t handlers,
			exception_behavior_array_t behaviors, exception_flavor_array_t flavors)
{
	return exception_call(target, level, mask, port, behavior, flavor,
			      MACH_EXCEPTION_PORTS_SET | MACH_EXCEPTION_PORTS_GET, masks, count,
			      handlers, behaviors, flavors);
}

} // namespace

LIBMACH_API kern_return_t task_set_exception_ports(task_t task, exception_mask_t mask,
						   mach_port_t port, exception_behavior_t behavior,
						   thread_state_flavor_t flavor)
{
	return set_call(task, task_level, mask, port, behavior, flavor);
}

LIBMACH_API kern_return_t task_get_exception_ports(task_t task, exception_mask_t mask,
						   exception_mask_array_t masks,
						   mach_msg_type_number_t *count,
						   exception_handler_array_t handlers,
						   exception_behavior_array_t behaviors,
						   exception_flavor_array_t flavors)
{
	return get_call(task, task_level, mask, masks, count, handlers, behaviors, flavors);
}

LIBMACH_API kern_return_t task_swap_exception_ports(task_t task, exception_mask_t mask,
						    mach_port_t port, exception_behavior_t behavior,
						    thread_state_flavor_t flavor,
						    exception_mask_array_t masks,
						    mach_msg_type_number_t *count,
						    exception_handler_array_t handlers,
						    exception_behavior_array_t behaviors,
						    exception_flavor_array_t flavors)
{
	return swap_call(task, task_level, mask, port, behavior, flavor, masks, count, handlers,
			 behaviors, flavors);
}

LIBMACH_API kern_return_t thread_set_exception_ports(thread_act_t thread, exception_mask_t mask,
						     mach_port_t port,
						     exception_behavior_t behavior,
						     thread_state_flavor_t flavor)
{
	return set_call(thread, thread_level, mask, port, behavior, flavor);
}

LIBMACH_API kern_return_t thread_get_exception_ports(thread_act_t thread, exception_mask_t mask,
						     exception_mask_array_t masks,
						     mach_msg_type_number_t *count,
						     exception_handler_array_t handlers,
						     exception_behavior_array_t behaviors,
						     exception_flavor_array_t flavors)
{
	return get_call(thread, thread_level, mask, masks, count, handlers, behaviors, flavors);
}

LIBMACH_API kern_return_t thread_swap_exception_ports(thread_act_t thread, exception_mask_t mask,
						      mach_port_t port,
						      exception_behavior_t behavior,
						      thread_state_flavor_t flavor,
						      exception_mask_array_t masks,
						      mach_msg_type_number_t *count,
						      exception_handler_array_t handlers,
						      exception_behavior_array_t behaviors,
						      exception_flavor_array_t flavors)
{
	return swap_call(thread, thread_level, mask, port, behavior, flavor, masks, count,
			 handlers, behaviors, flavors);
}

LIBMACH_API kern_return_t host_set_exception_ports(host_priv_t host, exception_mask_t mask,
						   mach_port_t port, exception_behavior_t behavior,
						   thread_state_flavor_t flavor)
{
	return set_call(host, host_level, mask, port, behavior, flavor);
}

LIBMACH_API kern_return_t host_get_exception_ports(host_priv_t host, exception_mask_t mask,
						   exception_mask_array_t masks,
						   mach_msg_type_number_t *count,
						   exception_handler_array_t handlers,
						   exception_behavior_array_t behaviors,
						   exception_flavor_array_t flavors)
{
	return get_call(host, host_level, mask, masks, count, handlers, behaviors, flavors);
}

LIBMACH_API kern_return_t host_swap_exception_ports(host_priv_t host, exception_mask_t mask,
						    mach_port_t port, exception_behavior_t behavior,
						    thread_state_flavor_t flavor,
						    exception_mask_array_t masks,
						    mach_msg_type_number_t *count,
						    exception_handler_array_t handlers,
						    exception_behavior_array_t behaviors,
						    exception_flavor_array_t flavors)
{
	return swap_call(host, host_level, mask, port, behavior, flavor, masks, count, handlers,
			 behaviors, flavors);
}
