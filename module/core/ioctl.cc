// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl.cc - the /dev/mach front end: the table of ioctls and traps, and
 * the decoders of the task, vm and message calls (the others: ioctl.h).
 * Each ioctl's struct is decoded and checked, the caller's memory copied
 * in and out, the ports it names resolved, and the call handed to the
 * object it acts on (task.h and task_calls.h, task_create.h, host.h,
 * vm.h, msg.h). No Mach semantics live here: a message front end decodes
 * into the same calls. The glue has copied the struct in once; every
 * field is checked before it is used.
 */
#include "core.h"
#include "ioctl.h"
#include "ioctl_host.h"
#include "msg.h"
#include "resolve.h"
#include "sample.h"
#include "sema_calls.h"
#include "task_calls.h"
#include "task_create.h"
#include "thread_calls.h"
#include "uapi.h"
#include "vm.h"
#include "vm_entry.h"

namespace mach {
namespace {

long version(mach_version_args &args)
{
	args = {};
	args.abi_version = MACH_ABI_VERSION;
	args.features = MACH_FEATURE_TASK_SELF | MACH_FEATURE_TASK_INFO |
			MACH_FEATURE_PORTS | MACH_FEATURE_MSG | MACH_FEATURE_TASKS |
			MACH_FEATURE_HOST | MACH_FEATURE_EXCEPTION_LEVELS | MACH_FEATURE_SAMPLE |
			MACH_FEATURE_SEMAPHORES | MACH_FEATURE_VM_MAP | MACH_FEATURE_PORT_CALLS |
			MACH_FEATURE_HOST_STATS | MACH_FEATURE_TASK_CALLS | MACH_FEATURE_THREAD_CALLS |
			MACH_FEATURE_TRAPS;
	return ioctl_result(Kr::Success);
}

/* task_self_trap: a send right to the caller's own task port. */
Kr make_self_send(Task &caller, Name *name)
{
	Kr kr;
	/* Most callers hold a right to themselves already (mach_task_self()). */
	if (caller.space().make_send_named(caller.port_address(), name, &kr))
		return kr;
	Ref<Port> port = caller.port();
	if (!port)
		return Kr::InvalidTask;
	return caller.space().make_send(port.get(), name);
}

long task_self(Task &caller, mach_task_self_args &args)
{
	if (args.flags)
		return ioctl_malformed;
	Name name{Name::null};
	Kr kr = make_self_send(caller, &name);
	args.name = name.value;
	return ioctl_result(kr);
}

long task_info(Task &caller, mach_task_info_args &args)
{
	if (args.flags)
		return ioctl_malformed;
	Ref<Task> task;
	Kr kr = resolve_target_task_name(caller, args.task, &task);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	u32 info[task_info_max_count];
	u32 count = args.count;
	kr = mach::task_info(*task.get(), args.flavor, info, &count);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	if (mach_shim_copy_out(args.info, info, count * sizeof(u32)))
		return -MACH_EFAULT;
	args.count = count;
	return ioctl_result(Kr::Success);
}

/*
 * task_create and its NORMA and token forms: the request decoded into a
 * TaskCreate. The man page's ledger rule: exactly two ledgers, both real
 * (wired, then paged), or the parent's are used. parent_is_target: the
 * call is made on the parent (task_create, which an ordinary port then
 * gets as a message), not on a host port.
 */
long task_create(Task &caller, mach_task_create_args &args, TaskCreate &create,
		 bool parent_is_target)
{
	constexpr u32 norma = MACH_TASK_CREATE_CLONE | MACH_TASK_CREATE_TELEPORT;
	constexpr u32 known = MACH_TASK_CREATE_ON_NODE | norma;
	bool on_node = args.flags & MACH_TASK_CREATE_ON_NODE;
	if ((args.flags & ~known) || (!on_node && (args.node || (args.flags & norma))))
		return ioctl_malformed;
	args.child = Name::null;
	Ref<Task> parent;
	u64 program;
	Kr kr = parent_is_target ?
		resolve_target_task(caller, args.parent, Kr::InvalidArgument, &parent, &program) :
		resolve_task(caller, args.parent, Kr::InvalidArgument, &parent, &program);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	create.inherit_memory = args.inherit_memory != 0;
	create.on_node = on_node;
	create.node = args.node;
	create.clone = args.flags & MACH_TASK_CREATE_CLONE;
	create.teleport = args.flags & MACH_TASK_CREATE_TELEPORT;
	if (on_node && !mach_shim_node_usable(args.node))
		return ioctl_result(Kr::InvalidArgument);
	if (args.ledger_count == 2) {
		u32 names[2];
		if (mach_shim_copy_in(names, args.ledgers, sizeof(names)))
			return ioctl_result(Kr::InvalidAddress);
		for (u32 i = 0; i < 2; i++) {
			create.ledgers[i] = caller.space().lookup_send(Name{names[i]});
			if (!create.ledgers[i] || create.ledgers[i]->object() != Object::Ledger) {
				create.ledgers[0] = create.ledgers[1] = Ref<Port>{};
				break;
			}
		}
	}
	bool later;
	kr = mach::task_create(caller, *parent.get(), program, create, &args.child, &later);
	return later ? MACH_LATER : ioctl_result(kr);
}

long task_create_plain(Task &caller, mach_task_create_args &args)
{
	TaskCreate create{};
	/* The NORMA forms have no message yet: their old answer for now. */
	/* Made on the parent, plain or NORMA: an ordinary port gets it as a message. */
	return task_create(caller, args, create, true);
}

long task_create_token(Task &caller, mach_task_create_token_args &args)
{
	if (args.create.flags || args.create.node)
		return ioctl_malformed;
	args.create.child = Name::null;
	HostPort held;
	Kr kr = resolve_target_host(caller, args.host_security, &held);
	if (kr == Kr::Success && held != HostPort::Security)
		kr = Kr::InvalidSecurity;
	if (kr != Kr::Success)
		return ioctl_result(kr);
	TaskCreate create{};
	create.granted = true;
	if (mach_shim_copy_in(&create.tokens, args.tokens, sizeof(create.tokens)))
		return -MACH_EFAULT;
	create.host = host_to_give(caller, args.host);
	return task_create(caller, args.create, create, false);
}

long host_call(Task &caller, mach_host_args &args)
{
	if (args.flags || args.op < MACH_HOST_GET_SPECIAL_PORT || args.op > MACH_HOST_PSET_INFO)
		return ioctl_malformed;
	HostPort held;
	Kr kr = resolve_target_host(caller, args.host, &held);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	if (args.op > MACH_HOST_SET_TASK_TOKEN)
		return host_ioctl(caller, args, held);

	switch (args.op) {
	case MACH_HOST_GET_SPECIAL_PORT: {
		args.port = Name::null;
		/* Asked only of a name port's holder: a denial may be logged. */
		bool privileged = held == HostPort::Host && mach_shim_privileged();
		TransitRight right;
		kr = host_special_port(held, privileged, args.node, args.which, &right);
		if (kr != Kr::Success || !right.port)
			return ioctl_result(kr);
		return ioctl_result(caller.space().copyout(right, &args.port));
	}
	case MACH_HOST_INFO: {
		if (held != HostPort::Host && held != HostPort::Priv)
			return ioctl_result(Kr::InvalidArgument);
		u32 info[host_info_max_count];
		u32 count = args.count;
		kr = host_info(args.which, info, &count);
		if (kr != Kr::Success)
			return ioctl_result(kr);
		if (mach_shim_copy_out(args.data, info, count * sizeof(u32)))
			return -MACH_EFAULT;
		args.count = count;
		return ioctl_result(Kr::Success);
	}
	default: {	/* MACH_HOST_SET_TASK_TOKEN */
		if (held != HostPort::Security)
			return ioctl_result(Kr::InvalidSecurity);
		/*
		 * The task is an argument, carried in a port descriptor by a MIG
		 * stub: a name not held fails its send (MACH_SEND_INVALID_RIGHT),
		 * a null one reaches the server as no task.
		 */
		if (args.port == Name::null)
			return ioctl_result(Kr::InvalidArgument);
		if (!caller.space().lookup_send(Name{args.port}))
			return ioctl_result(Kr::SendInvalidRight);
		Ref<Task> task;
		kr = resolve_task(caller, args.port, Kr::InvalidArgument, &task);
		if (kr != Kr::Success)
			return ioctl_result(kr);
		Tokens tokens;
		if (mach_shim_copy_in(&tokens, args.data, sizeof(tokens)))
			return -MACH_EFAULT;
		return ioctl_result(task_set_token(*task.get(), tokens,
					     host_to_give(caller, args.task_host)));
	}
	}
}

/*
 * task_sample's port: as MIG's mach_port_make_send_t carries it, a send
 * right made from the receive right named (MACH_SEND_INVALID_RIGHT for
 * any other name, as a stub's send of it fails), or none.
 */
long task_sample_call(Task &caller, Task &task, u64 program, u32 name)
{
	TransitRight right;
	if (name != Name::null) {
		Kr kr = caller.space().copyin_right(Name{name}, MakeSend, &right);
		if (kr != Kr::Success)
			return ioctl_result(kr);
	}
	return ioctl_result(task_sample(task, right, program));
}

/* task_suspend2: the token, a send-once right, named in the caller's space. */
long task_suspend2_call(Task &caller, Task &task, mach_task_control_args &args)
{
	TransitRight token;
	Kr kr = task_suspend2(task, &token);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	return ioctl_result(caller.space().copyout(token, &args.value));
}

/* task_for_pid and task_name_for_pid: traps, made on the caller's own port. */
long task_for_pid_call(Task &caller, mach_task_control_args &args)
{
	bool name = args.op == MACH_TASK_NAME_FOR_PID;
	u32 pid = args.value;
	args.value = Name::null;
	Ref<Task> own;
	if (resolve_task(caller, args.task, Kr::Failure, &own) != Kr::Success)
		return ioctl_result(Kr::Failure);
	TransitRight right;
	Kr kr = task_for_pid(caller, pid, name, &right);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	return ioctl_result(caller.space().copyout(right, &args.value));
}

long task_control(Task &caller, mach_task_control_args &args)
{
	bool takes_value = args.op == MACH_TASK_SAMPLE || args.op == MACH_TASK_FOR_PID ||
			   args.op == MACH_TASK_NAME_FOR_PID;
	if (args.flags || (args.value && !takes_value))
		return ioctl_malformed;
	if (args.op == MACH_TASK_FOR_PID || args.op == MACH_TASK_NAME_FOR_PID)
		return task_for_pid_call(caller, args);
	Ref<Task> task;
	u64 program = 0;
	bool inspects = args.op == MACH_TASK_PID || args.op == MACH_TASK_IS_SELF;
	Kr kr = inspects ?
		resolve_task_name(caller, args.task, &task) :
		resolve_target_task(caller, args.task, Kr::InvalidArgument, &task, &program);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	switch (args.op) {
	case MACH_TASK_SUSPEND:
		return ioctl_result(task_suspend(*task.get()));
	case MACH_TASK_RESUME:
		return ioctl_result(task_resume(*task.get()));
	case MACH_TASK_TERMINATE:
		return ioctl_result(task_terminate(*task.get(), program));
	case MACH_TASK_PID:
		args.value = task_pid(*task.get());
		return ioctl_result(Kr::Success);
	case MACH_TASK_SAMPLE:
		return task_sample_call(caller, *task.get(), program, args.value);
	case MACH_TASK_SUSPEND2:
		return task_suspend2_call(caller, *task.get(), args);
	case MACH_TASK_IS_SELF:
		args.value = task_is_self(caller, *task.get());
		return ioctl_result(Kr::Success);
	default:
		return ioctl_malformed;
	}
}

long vm(Task &caller, mach_vm_args &args)
{
	constexpr u32 known = MACH_VM_ANYWHERE | MACH_VM_SET_MAXIMUM | MACH_VM_OVERWRITE;
	if (args.flags & ~known)
		return ioctl_malformed;
	/* vm_wire is the host's privileged port's call: a task port is its second. */
	if (args.op == MACH_VM_WIRE) {
		HostPort held;
		Kr kr = resolve_host(caller, static_cast<u32>(args.data), &held);
		if (kr != Kr::Success)
			return ioctl_result(kr);
		if (held != HostPort::Priv)
			return ioctl_result(Kr::InvalidHost);
	}
	Ref<Task> task;
	u64 program;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task, &program,
				    vm_changes_mappings(args.op));
	if (kr != Kr::Success)
		return ioctl_result(kr);
	return ioctl_result(vm_call(*task.get(), program, args));
}

long vm_map(Task &caller, mach_vm_map_args &args)
{
	if (args.op < MACH_VM_MAP || args.op > MACH_VM_MAKE_ENTRY)
		return ioctl_malformed;
	return ioctl_result(vm_map_call(caller, args));
}

template <typename Args, long (*decode)(Task &, Args &)>
long decode_as(Task &caller, void *args)
{
	return decode(caller, *static_cast<Args *>(args));
}

long version_call(Task &, mach_version_args &args)
{
	return version(args);
}

long msg_call(Task &caller, mach_msg_args &args)
{
	return ioctl_result(mach_msg(caller, args));
}

long msg_overwrite_call(Task &caller, mach_msg_overwrite_args &args)
{
	return ioctl_result(mach_msg(caller, args.args, args.rcv_msg));
}

/* The table: each ioctl's struct and its decoder (uapi/mach/ioctl.h). */
long dispatch(Task &caller, unsigned int nr, void *args)
{
	switch (nr) {
	case MACH_IOC_NR_VERSION:
		return decode_as<mach_version_args, version_call>(caller, args);
	case MACH_IOC_NR_TASK_SELF:
		return decode_as<mach_task_self_args, task_self>(caller, args);
	case MACH_IOC_NR_TASK_INFO:
		return decode_as<mach_task_info_args, task_info>(caller, args);
	case MACH_IOC_NR_PORT_DEALLOCATE:
		return decode_as<mach_port_deallocate_args, port_deallocate_ioctl>(caller, args);
	case MACH_IOC_NR_PORT:
		return decode_as<mach_port_args, port_ioctl>(caller, args);
	case MACH_IOC_NR_MSG:
		return decode_as<mach_msg_args, msg_call>(caller, args);
	case MACH_CORE_NR_MSG_OVERWRITE:
		return decode_as<mach_msg_overwrite_args, msg_overwrite_call>(caller, args);
	case MACH_IOC_NR_SPECIAL_PORT:
		return decode_as<mach_special_port_args, special_port_ioctl>(caller, args);
	case MACH_IOC_NR_TASK_PORTS:
		return decode_as<mach_task_ports_args, task_ports_ioctl>(caller, args);
	case MACH_IOC_NR_EXCEPTION_PORTS:
		return decode_as<mach_exception_ports_args, exception_ports_ioctl>(caller, args);
	case MACH_IOC_NR_TASK_CREATE:
		return decode_as<mach_task_create_args, task_create_plain>(caller, args);
	case MACH_IOC_NR_TASK_CONTROL:
		return decode_as<mach_task_control_args, task_control>(caller, args);
	case MACH_IOC_NR_VM:
		return decode_as<mach_vm_args, vm>(caller, args);
	case MACH_IOC_NR_THREAD:
		return decode_as<mach_thread_args, thread_ioctl>(caller, args);
	case MACH_IOC_NR_HOST:
		return decode_as<mach_host_args, host_call>(caller, args);
	case MACH_IOC_NR_TASK_CREATE_TOKEN:
		return decode_as<mach_task_create_token_args, task_create_token>(caller, args);
	case MACH_IOC_NR_SEMAPHORE:
		return decode_as<mach_semaphore_args, semaphore_ioctl>(caller, args);
	case MACH_IOC_NR_VM_MAP:
		return decode_as<mach_vm_map_args, vm_map>(caller, args);
	default:
		return -MACH_ENOTTY;
	}
}

/*
 * The task of the process calling, counted (TASK_EVENTS_INFO's
 * syscalls_mach); null if a /dev/mach fd reached another process, where
 * it is not its channel.
 */
Task *calling(mach_task *task)
{
	Task *caller = Task::from(task);

	if (!mach_shim_task_is_current(caller->os()))
		return nullptr;
	caller->count_mach_call();
	return caller;
}

} /* namespace */
} /* namespace mach */

using namespace mach;

extern "C" long mach_core_later_done(mach_task *task, unsigned int nr, void *args,
				     int err, const mach_later_made *made)
{
	if (nr == MACH_IOC_NR_THREAD) {
		auto &thread = *static_cast<mach_thread_args *>(args);
		return ioctl_result(thread_create_done(*Task::from(task), &thread.value, err,
						       made->thread));
	}
	if (nr != MACH_IOC_NR_TASK_CREATE && nr != MACH_IOC_NR_TASK_CREATE_TOKEN)
		return -MACH_EINVAL;
	/* A token's create is the args' first member. */
	static_assert(__builtin_offsetof(mach_task_create_token_args, create) == 0);
	auto &create = *static_cast<mach_task_create_args *>(args);
	return ioctl_result(task_create_done(*Task::from(task), &create.child, err,
					     made->child));
}

extern "C" long mach_core_ioctl(mach_task *task, unsigned int nr, void *args)
{
	Task *caller = calling(task);

	return caller ? dispatch(*caller, nr, args) : -MACH_EBADF;
}

extern "C" long mach_core_trap(mach_task *task, unsigned int nr, u64 arg)
{
	Task *caller = calling(task);
	u32 low = static_cast<u32>(arg), high = static_cast<u32>(arg >> 32);

	if (!caller)
		return -MACH_EBADF;
	switch (nr) {
	case MACH_IOC_NR_TRAP_SEMAPHORE_SIGNAL:
		return semaphore_trap(*caller, false, low);
	case MACH_IOC_NR_TRAP_SEMAPHORE_WAIT:
		return semaphore_trap(*caller, true, low);
	case MACH_IOC_NR_TRAP_TASK_SELF: {
		/* XNU's answer to any failure: MACH_PORT_NULL. */
		Name name{Name::null};
		return make_self_send(*caller, &name) == Kr::Success ? name.value : Name::null;
	}
	case MACH_IOC_NR_TRAP_PORT_DEALLOCATE:
		return port_deallocate_in(*caller, high, Name{low});
	}
	return -MACH_ENOTTY;
}
