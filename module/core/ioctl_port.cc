// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_port.cc - MACH_IOC_PORT, PORT_DEALLOCATE, SPECIAL_PORT,
 * TASK_PORTS and EXCEPTION_PORTS decoded: the calls on rights
 * (port_call.h) and on the ports a task, a thread or the host holds
 * (task.h, exception.h).
 */
#include "exception.h"
#include "ioctl.h"
#include "port_call.h"
#include "resolve.h"

namespace mach {
namespace {

/* The task whose space a mach_port_* call names, and its program. */
long port_call_on(Task &caller, u32 task_name, PortCall &call)
{
	Ref<Task> task;
	u64 program;
	Kr kr = resolve_target_task(caller, task_name, Kr::InvalidTask, &task, &program);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	return ioctl_result(port_call(caller, *task.get(), program, call));
}

} /* namespace */

long port_deallocate_in(Task &caller, u32 task_name, Name name)
{
	Kr kr;
	/* Most name the caller's own space by mach_task_self(): one look-up. */
	if (caller.space().deallocate_via(Name{task_name}, caller.port_address(), name, &kr))
		return ioctl_result(kr);
	PortCall call{};
	call.op = PortOp::Deallocate;
	call.name = name;
	return port_call_on(caller, task_name, call);
}

long port_deallocate_ioctl(Task &caller, mach_port_deallocate_args &args)
{
	if (args.flags || args.pad)
		return ioctl_malformed;
	return port_deallocate_in(caller, args.task, Name{args.name});
}

namespace {

/* The caller's attribute words in (set); false if they fault. */
bool read_attributes(const mach_port_args &args, PortCall &call)
{
	if (args.op != MACH_PORT_OP_SET_ATTRIBUTES || args.count < 1)
		return true;
	return !mach_shim_copy_in(call.words, args.info, sizeof(u32));
}

} /* namespace */

long port_ioctl(Task &caller, mach_port_args &args)
{
	if (args.flags || args.pad)
		return ioctl_malformed;
	bool known = args.op >= MACH_PORT_OP_ALLOCATE && args.op <= static_cast<u32>(PortOp::Last);
	Ref<Task> task;
	u64 program;
	/* Each call libmach sends as a message to a port no kernel object's. */
	Kr kr = known ? resolve_target_task(caller, args.task, Kr::InvalidTask, &task, &program) :
			resolve_task(caller, args.task, Kr::InvalidTask, &task, &program);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	if (!known)
		return ioctl_malformed;

	PortCall call{};
	call.op = static_cast<PortOp>(args.op);
	call.name = Name{args.name};
	call.right = args.right;
	call.delta = args.delta;
	call.poly = Name{args.poly};
	call.value = args.value;
	call.nwords = args.count;
	call.fault = !read_attributes(args, call);
	call.context = args.info;	/* the 64-bit value of the calls that take one */
	call.new_context = static_cast<u64>(args.count) << 32 | args.value;
	if (call.op == PortOp::Construct) {
		mach_port_construct_info info;
		if (mach_shim_copy_in(&info, args.info, sizeof(info)))
			return -MACH_EFAULT;
		static_assert(sizeof(info.options) == sizeof(call.options));
		__builtin_memcpy(&call.options, info.options, sizeof(call.options));
		call.context = info.context;
	}
	if (call.op == PortOp::Names || call.op == PortOp::GetSetStatus ||
	    call.op == PortOp::SpaceInfo) {
		call.capacity = args.count < names_max ? args.count : names_max;
		if (call.capacity) {
			u64 bytes = 4ull * port_call_item_words(call.op) * call.capacity;
			call.items = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY, bytes));
			if (!call.items)
				return ioctl_result(Kr::ResourceShortage);
		}
	}

	kr = port_call(caller, *task.get(), program, call);

	args.name = call.name.value;
	args.poly = call.poly.value;
	args.value = call.value;
	switch (call.op) {
	case PortOp::GetAttributes:
		if (kr != Kr::Success)
			break;
		if (mach_shim_copy_out(args.info, call.words, call.nwords * sizeof(u32)))
			kr = Kr::InvalidAddress;
		else
			args.count = call.nwords;
		break;
	case PortOp::GetContext:
	case PortOp::Kobject:
		if (kr == Kr::Success)
			args.info = call.context;
		break;
	case PortOp::Peek:
		args.delta = call.delta;
		if (kr != Kr::Success)
			break;
		if (mach_shim_copy_out(args.info, call.trailer, call.nwords))
			kr = Kr::InvalidAddress;
		else
			args.count = call.nwords;
		break;
	case PortOp::Names:
	case PortOp::GetSetStatus:
	case PortOp::SpaceInfo:
		if (kr == Kr::Success && call.count &&
		    mach_shim_copy_out(args.info, call.items,
				       4ull * port_call_item_words(call.op) * call.count))
			kr = Kr::InvalidAddress;
		args.count = call.count;
		break;
	default:
		break;
	}
	port_call_release(call);
	return ioctl_result(kr);
}

long special_port_ioctl(Task &caller, mach_special_port_args &args)
{
	if (args.flags & ~MACH_SPECIAL_PORT_SET)
		return ioctl_malformed;
	Ref<Task> task;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return ioctl_result(kr);

	TransitRight right;
	if (args.flags & MACH_SPECIAL_PORT_SET) {
		if (Name{args.port}.valid()) {
			kr = caller.space().copyin_right(Name{args.port}, CopySend, &right);
			if (kr != Kr::Success)
				return ioctl_result(kr);
		}
		return ioctl_result(task->set_special(args.which, right));
	}
	kr = task->get_special(args.which, &right);
	args.port = Name::null;
	if (kr != Kr::Success || !right.port)
		return ioctl_result(kr);
	return ioctl_result(caller.space().copyout(right, &args.port));
}

namespace {

void drop_rights(TransitRight *rights, u32 count)
{
	for (u32 i = 0; i < count; i++)
		if (rights[i].port)
			rights[i].port->drop(rights[i]);
}

} /* namespace */

long task_ports_ioctl(Task &caller, mach_task_ports_args &args)
{
	if (args.flags & ~MACH_TASK_PORTS_SET)
		return ioctl_malformed;
	Ref<Task> task;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return ioctl_result(kr);

	TransitRight rights[registered_max];
	if (args.flags & MACH_TASK_PORTS_SET) {
		if (args.count > registered_max)
			return ioctl_result(Kr::InvalidArgument);
		for (u32 i = 0; i < args.count; i++) {
			if (!Name{args.names[i]}.valid())
				continue;
			kr = caller.space().copyin_right(Name{args.names[i]}, CopySend, &rights[i]);
			if (kr != Kr::Success) {
				drop_rights(rights, i);
				return ioctl_result(kr);
			}
		}
		return ioctl_result(task->register_ports(rights, args.count));
	}
	task->lookup_ports(rights);
	args.count = registered_max;
	for (u32 i = 0; i < registered_max; i++) {
		args.names[i] = Name::null;
		if (rights[i].port)
			caller.space().copyout(rights[i], &args.names[i]);
	}
	return ioctl_result(Kr::Success);
}

namespace {

/* The user arrays of a get or a swap: capacity words each, writable? */
bool exception_arrays_writable(const mach_exception_ports_args &args, u32 capacity)
{
	u32 zeros[exception_types] = {};
	size bytes = capacity * sizeof(u32);
	return !mach_shim_copy_out(args.masks, zeros, bytes) &&
	       !mach_shim_copy_out(args.ports, zeros, bytes) &&
	       !mach_shim_copy_out(args.behaviors, zeros, bytes) &&
	       !mach_shim_copy_out(args.flavors, zeros, bytes);
}

} /* namespace */

long exception_ports_ioctl(Task &caller, mach_exception_ports_args &args)
{
	constexpr u32 ops = MACH_EXCEPTION_PORTS_SET | MACH_EXCEPTION_PORTS_GET;
	constexpr u32 levels = MACH_EXCEPTION_PORTS_THREAD | MACH_EXCEPTION_PORTS_HOST;
	if ((args.flags & ~(ops | levels)) || !(args.flags & ops) ||
	    (args.flags & levels) == levels || args.pad)
		return ioctl_malformed;
	ExceptionLevel level = (args.flags & MACH_EXCEPTION_PORTS_THREAD) ? ExceptionLevel::Thread :
			       (args.flags & MACH_EXCEPTION_PORTS_HOST) ? ExceptionLevel::Host :
									   ExceptionLevel::Task;
	ExceptionTarget target;
	Kr kr = resolve_target_exceptions(caller, args.task, level, &target);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	bool set = args.flags & MACH_EXCEPTION_PORTS_SET;
	bool get = args.flags & MACH_EXCEPTION_PORTS_GET;
	/* Refused before the right is taken: the table checks the same. */
	kr = set ? check_exception_handler(args.mask, Name{args.port}.valid(), args.behavior,
					   args.flavor) :
		   check_exception_handler(args.mask, false, 0, 0);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	u32 capacity = args.count < exception_types ? args.count : exception_types;
	/* A swap changes the handlers: only if its answer can be written. */
	if (set && get && !exception_arrays_writable(args, capacity))
		return -MACH_EFAULT;

	TransitRight port;
	if (set && Name{args.port}.valid()) {
		kr = caller.space().copyin_right(Name{args.port}, CopySend, &port);
		if (kr != Kr::Success)
			return ioctl_result(kr);
	}
	if (!get) {
		kr = target.table->set(args.mask, port, args.behavior, args.flavor);
		if (kr == Kr::Success)
			arm_exceptions(target);
		return ioctl_result(kr);
	}

	u32 masks[exception_types], names[exception_types];
	u32 behaviors[exception_types], flavors[exception_types];
	ExceptionHandler handlers[exception_types];
	u32 groups;
	kr = set ? target.table->swap(args.mask, port, args.behavior, args.flavor, capacity,
				      masks, handlers, &groups) :
		   target.table->get(args.mask, capacity, masks, handlers, &groups);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	if (set)
		arm_exceptions(target);
	for (u32 i = 0; i < groups; i++) {
		names[i] = Name::null;
		if (handlers[i].port)
			caller.space().copyout(TransitRight{handlers[i].port, MoveSend},
					       &names[i]);
		behaviors[i] = handlers[i].behavior;
		flavors[i] = handlers[i].flavor;
	}
	size bytes = groups * sizeof(u32);
	if (mach_shim_copy_out(args.masks, masks, bytes) ||
	    mach_shim_copy_out(args.ports, names, bytes) ||
	    mach_shim_copy_out(args.behaviors, behaviors, bytes) ||
	    mach_shim_copy_out(args.flavors, flavors, bytes))
		return -MACH_EFAULT;	/* (the rights are the caller's, named) */
	args.count = groups;
	return ioctl_result(Kr::Success);
}

} /* namespace mach */
