// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl.cc - the /dev/mach front end: each ioctl's struct decoded and
 * checked, the caller's memory copied in and out, the ports it names
 * resolved, and the call handed to the object it acts on (port_call.h,
 * task.h and task_calls.h, task_create.h, thread_calls.h, host.h, vm.h,
 * msg.h). No Mach semantics live here: a message front end decodes into
 * the same calls. The glue has copied the struct in once; every field is
 * checked before it is used.
 */
#include "core.h"
#include "exception.h"
#include "ioctl_host.h"
#include "msg.h"
#include "port_call.h"
#include "resolve.h"
#include "sample.h"
#include "sema_calls.h"
#include "task_calls.h"
#include "task_create.h"
#include "thread_calls.h"
#include "thread_policy.h"
#include "uapi.h"
#include "vm.h"
#include "vm_entry.h"

namespace mach {
namespace {

long result(Kr kr)
{
	/* libmach sends the call as a message to the port instead. */
	if (kr == Kr::NotKernelObject)
		return -MACH_EREMOTE;
	return static_cast<long>(kr);
}

constexpr long malformed = -MACH_EINVAL;

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
	return result(Kr::Success);
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
		return malformed;
	Name name{Name::null};
	Kr kr = make_self_send(caller, &name);
	args.name = name.value;
	return result(kr);
}

long task_info(Task &caller, mach_task_info_args &args)
{
	if (args.flags)
		return malformed;
	Ref<Task> task;
	Kr kr = resolve_target_task_name(caller, args.task, &task);
	if (kr != Kr::Success)
		return result(kr);
	u32 info[task_info_max_count];
	u32 count = args.count;
	kr = mach::task_info(*task.get(), args.flavor, info, &count);
	if (kr != Kr::Success)
		return result(kr);
	if (mach_shim_copy_out(args.info, info, count * sizeof(u32)))
		return -MACH_EFAULT;
	args.count = count;
	return result(Kr::Success);
}

/* The task whose space a mach_port_* call names, and its program. */
long port_call_on(Task &caller, u32 task_name, PortCall &call)
{
	Ref<Task> task;
	u64 program;
	Kr kr = resolve_target_task(caller, task_name, Kr::InvalidTask, &task, &program);
	if (kr != Kr::Success)
		return result(kr);
	return result(port_call(caller, *task.get(), program, call));
}

long deallocate(Task &caller, u32 task_name, Name name)
{
	Kr kr;
	/* Most name the caller's own space by mach_task_self(): one look-up. */
	if (caller.space().deallocate_via(Name{task_name}, caller.port_address(), name, &kr))
		return result(kr);
	PortCall call{};
	call.op = PortOp::Deallocate;
	call.name = name;
	return port_call_on(caller, task_name, call);
}

long port_deallocate(Task &caller, mach_port_deallocate_args &args)
{
	if (args.flags || args.pad)
		return malformed;
	return deallocate(caller, args.task, Name{args.name});
}

/* The caller's attribute words in (set); false if they fault. */
bool read_attributes(const mach_port_args &args, PortCall &call)
{
	if (args.op != MACH_PORT_OP_SET_ATTRIBUTES || args.count < 1)
		return true;
	return !mach_shim_copy_in(call.words, args.info, sizeof(u32));
}

long port_op(Task &caller, mach_port_args &args)
{
	if (args.flags || args.pad)
		return malformed;
	bool known = args.op >= MACH_PORT_OP_ALLOCATE && args.op <= static_cast<u32>(PortOp::Last);
	Ref<Task> task;
	u64 program;
	/* Each call libmach sends as a message to a port no kernel object's. */
	Kr kr = known ? resolve_target_task(caller, args.task, Kr::InvalidTask, &task, &program) :
			resolve_task(caller, args.task, Kr::InvalidTask, &task, &program);
	if (kr != Kr::Success)
		return result(kr);
	if (!known)
		return malformed;

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
				return result(Kr::ResourceShortage);
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
	return result(kr);
}

long special_port(Task &caller, mach_special_port_args &args)
{
	if (args.flags & ~MACH_SPECIAL_PORT_SET)
		return malformed;
	Ref<Task> task;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return result(kr);

	TransitRight right;
	if (args.flags & MACH_SPECIAL_PORT_SET) {
		if (Name{args.port}.valid()) {
			kr = caller.space().copyin_right(Name{args.port}, CopySend, &right);
			if (kr != Kr::Success)
				return result(kr);
		}
		return result(task->set_special(args.which, right));
	}
	kr = task->get_special(args.which, &right);
	args.port = Name::null;
	if (kr != Kr::Success || !right.port)
		return result(kr);
	return result(caller.space().copyout(right, &args.port));
}

void drop_rights(TransitRight *rights, u32 count)
{
	for (u32 i = 0; i < count; i++)
		if (rights[i].port)
			rights[i].port->drop(rights[i]);
}

long task_ports(Task &caller, mach_task_ports_args &args)
{
	if (args.flags & ~MACH_TASK_PORTS_SET)
		return malformed;
	Ref<Task> task;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return result(kr);

	TransitRight rights[registered_max];
	if (args.flags & MACH_TASK_PORTS_SET) {
		if (args.count > registered_max)
			return result(Kr::InvalidArgument);
		for (u32 i = 0; i < args.count; i++) {
			if (!Name{args.names[i]}.valid())
				continue;
			kr = caller.space().copyin_right(Name{args.names[i]}, CopySend, &rights[i]);
			if (kr != Kr::Success) {
				drop_rights(rights, i);
				return result(kr);
			}
		}
		return result(task->register_ports(rights, args.count));
	}
	task->lookup_ports(rights);
	args.count = registered_max;
	for (u32 i = 0; i < registered_max; i++) {
		args.names[i] = Name::null;
		if (rights[i].port)
			caller.space().copyout(rights[i], &args.names[i]);
	}
	return result(Kr::Success);
}

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

long exception_ports(Task &caller, mach_exception_ports_args &args)
{
	constexpr u32 ops = MACH_EXCEPTION_PORTS_SET | MACH_EXCEPTION_PORTS_GET;
	constexpr u32 levels = MACH_EXCEPTION_PORTS_THREAD | MACH_EXCEPTION_PORTS_HOST;
	if ((args.flags & ~(ops | levels)) || !(args.flags & ops) ||
	    (args.flags & levels) == levels || args.pad)
		return malformed;
	ExceptionLevel level = (args.flags & MACH_EXCEPTION_PORTS_THREAD) ? ExceptionLevel::Thread :
			       (args.flags & MACH_EXCEPTION_PORTS_HOST) ? ExceptionLevel::Host :
									   ExceptionLevel::Task;
	ExceptionTarget target;
	Kr kr = resolve_target_exceptions(caller, args.task, level, &target);
	if (kr != Kr::Success)
		return result(kr);
	bool set = args.flags & MACH_EXCEPTION_PORTS_SET;
	bool get = args.flags & MACH_EXCEPTION_PORTS_GET;
	/* Refused before the right is taken: the table checks the same. */
	kr = set ? check_exception_handler(args.mask, Name{args.port}.valid(), args.behavior,
					   args.flavor) :
		   check_exception_handler(args.mask, false, 0, 0);
	if (kr != Kr::Success)
		return result(kr);
	u32 capacity = args.count < exception_types ? args.count : exception_types;
	/* A swap changes the handlers: only if its answer can be written. */
	if (set && get && !exception_arrays_writable(args, capacity))
		return -MACH_EFAULT;

	TransitRight port;
	if (set && Name{args.port}.valid()) {
		kr = caller.space().copyin_right(Name{args.port}, CopySend, &port);
		if (kr != Kr::Success)
			return result(kr);
	}
	if (!get) {
		kr = target.table->set(args.mask, port, args.behavior, args.flavor);
		if (kr == Kr::Success)
			arm_exceptions(target);
		return result(kr);
	}

	u32 masks[exception_types], names[exception_types];
	u32 behaviors[exception_types], flavors[exception_types];
	ExceptionHandler handlers[exception_types];
	u32 groups;
	kr = set ? target.table->swap(args.mask, port, args.behavior, args.flavor, capacity,
				      masks, handlers, &groups) :
		   target.table->get(args.mask, capacity, masks, handlers, &groups);
	if (kr != Kr::Success)
		return result(kr);
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
	return result(Kr::Success);
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
		return malformed;
	args.child = Name::null;
	Ref<Task> parent;
	u64 program;
	Kr kr = parent_is_target ?
		resolve_target_task(caller, args.parent, Kr::InvalidArgument, &parent, &program) :
		resolve_task(caller, args.parent, Kr::InvalidArgument, &parent, &program);
	if (kr != Kr::Success)
		return result(kr);
	create.inherit_memory = args.inherit_memory != 0;
	create.on_node = on_node;
	create.node = args.node;
	create.clone = args.flags & MACH_TASK_CREATE_CLONE;
	create.teleport = args.flags & MACH_TASK_CREATE_TELEPORT;
	if (on_node && !mach_shim_node_usable(args.node))
		return result(Kr::InvalidArgument);
	if (args.ledger_count == 2) {
		u32 names[2];
		if (mach_shim_copy_in(names, args.ledgers, sizeof(names)))
			return result(Kr::InvalidAddress);
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
	return later ? MACH_LATER : result(kr);
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
		return malformed;
	args.create.child = Name::null;
	HostPort held;
	Kr kr = resolve_target_host(caller, args.host_security, &held);
	if (kr == Kr::Success && held != HostPort::Security)
		kr = Kr::InvalidSecurity;
	if (kr != Kr::Success)
		return result(kr);
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
		return malformed;
	HostPort held;
	Kr kr = resolve_target_host(caller, args.host, &held);
	if (kr != Kr::Success)
		return result(kr);
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
			return result(kr);
		return result(caller.space().copyout(right, &args.port));
	}
	case MACH_HOST_INFO: {
		if (held != HostPort::Host && held != HostPort::Priv)
			return result(Kr::InvalidArgument);
		u32 info[host_info_max_count];
		u32 count = args.count;
		kr = host_info(args.which, info, &count);
		if (kr != Kr::Success)
			return result(kr);
		if (mach_shim_copy_out(args.data, info, count * sizeof(u32)))
			return -MACH_EFAULT;
		args.count = count;
		return result(Kr::Success);
	}
	default: {	/* MACH_HOST_SET_TASK_TOKEN */
		if (held != HostPort::Security)
			return result(Kr::InvalidSecurity);
		/*
		 * The task is an argument, carried in a port descriptor by a MIG
		 * stub: a name not held fails its send (MACH_SEND_INVALID_RIGHT),
		 * a null one reaches the server as no task.
		 */
		if (args.port == Name::null)
			return result(Kr::InvalidArgument);
		if (!caller.space().lookup_send(Name{args.port}))
			return result(Kr::SendInvalidRight);
		Ref<Task> task;
		kr = resolve_task(caller, args.port, Kr::InvalidArgument, &task);
		if (kr != Kr::Success)
			return result(kr);
		Tokens tokens;
		if (mach_shim_copy_in(&tokens, args.data, sizeof(tokens)))
			return -MACH_EFAULT;
		return result(task_set_token(*task.get(), tokens,
					     host_to_give(caller, args.task_host)));
	}
	}
}

/*
 * task_sample's port: as MIG's mach_port_make_send_t carries it, a send
 * right made from the receive right named (MACH_SEND_INVALID_RIGHT for
 * any other name, as a stub's send of it fails), or none.
 */
long task_sample_call(Task &caller, Task &task, u32 name)
{
	TransitRight right;
	if (name != Name::null) {
		Kr kr = caller.space().copyin_right(Name{name}, MakeSend, &right);
		if (kr != Kr::Success)
			return result(kr);
	}
	return result(task_sample(task, right));
}

/* task_suspend2: the token, a send-once right, named in the caller's space. */
long task_suspend2_call(Task &caller, Task &task, mach_task_control_args &args)
{
	TransitRight token;
	Kr kr = task_suspend2(task, &token);
	if (kr != Kr::Success)
		return result(kr);
	return result(caller.space().copyout(token, &args.value));
}

/* task_for_pid and task_name_for_pid: traps, made on the caller's own port. */
long task_for_pid_call(Task &caller, mach_task_control_args &args)
{
	bool name = args.op == MACH_TASK_NAME_FOR_PID;
	u32 pid = args.value;
	args.value = Name::null;
	Ref<Task> own;
	if (resolve_task(caller, args.task, Kr::Failure, &own) != Kr::Success)
		return result(Kr::Failure);
	TransitRight right;
	Kr kr = task_for_pid(caller, pid, name, &right);
	if (kr != Kr::Success)
		return result(kr);
	return result(caller.space().copyout(right, &args.value));
}

long task_control(Task &caller, mach_task_control_args &args)
{
	bool takes_value = args.op == MACH_TASK_SAMPLE || args.op == MACH_TASK_FOR_PID ||
			   args.op == MACH_TASK_NAME_FOR_PID;
	if (args.flags || (args.value && !takes_value))
		return malformed;
	if (args.op == MACH_TASK_FOR_PID || args.op == MACH_TASK_NAME_FOR_PID)
		return task_for_pid_call(caller, args);
	Ref<Task> task;
	u64 program = 0;
	bool inspects = args.op == MACH_TASK_PID || args.op == MACH_TASK_IS_SELF;
	Kr kr = inspects ?
		resolve_task_name(caller, args.task, &task) :
		resolve_target_task(caller, args.task, Kr::InvalidArgument, &task, &program);
	if (kr != Kr::Success)
		return result(kr);
	switch (args.op) {
	case MACH_TASK_SUSPEND:
		return result(task_suspend(*task.get()));
	case MACH_TASK_RESUME:
		return result(task_resume(*task.get()));
	case MACH_TASK_TERMINATE:
		return result(task_terminate(*task.get(), program));
	case MACH_TASK_PID:
		args.value = task_pid(*task.get());
		return result(Kr::Success);
	case MACH_TASK_SAMPLE:
		return task_sample_call(caller, *task.get(), args.value);
	case MACH_TASK_SUSPEND2:
		return task_suspend2_call(caller, *task.get(), args);
	case MACH_TASK_IS_SELF:
		args.value = task_is_self(caller, *task.get());
		return result(Kr::Success);
	default:
		return malformed;
	}
}

long vm(Task &caller, mach_vm_args &args)
{
	constexpr u32 known = MACH_VM_ANYWHERE | MACH_VM_SET_MAXIMUM | MACH_VM_OVERWRITE;
	if (args.flags & ~known)
		return malformed;
	/* vm_wire is the host's privileged port's call: a task port is its second. */
	if (args.op == MACH_VM_WIRE) {
		HostPort held;
		Kr kr = resolve_host(caller, static_cast<u32>(args.data), &held);
		if (kr != Kr::Success)
			return result(kr);
		if (held != HostPort::Priv)
			return result(Kr::InvalidHost);
	}
	Ref<Task> task;
	u64 program;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task, &program,
				    vm_changes_mappings(args.op));
	if (kr != Kr::Success)
		return result(kr);
	return result(vm_call(*task.get(), program, args));
}

long vm_map(Task &caller, mach_vm_map_args &args)
{
	if (args.op < MACH_VM_MAP || args.op > MACH_VM_MAKE_ENTRY)
		return malformed;
	return result(vm_map_call(caller, args));
}

/* A state the caller gives (set_state, create_running): into state. */
Kr copy_in_state(const mach_thread_args &args, u32 *state)
{
	u32 words = thread_state_settable(args.flavor);
	if (words && args.count >= words &&
	    mach_shim_copy_in(state, args.data, words * sizeof(u32)))
		return Kr::InvalidAddress;
	return Kr::Success;
}

/* The calls on a task: create (its agent clones the thread), list. */
long thread_task_call(Task &caller, mach_thread_args &args)
{
	Ref<Task> task;
	u64 program;
	bool create = args.op == MACH_THREAD_CREATE || args.op == MACH_THREAD_CREATE_RUNNING;
	Kr kr = resolve_target_task(caller, args.port, Kr::InvalidArgument, &task, &program,
				    create);
	if (kr != Kr::Success)
		return result(kr);
	if (args.op == MACH_THREAD_CREATE_RUNNING) {
		u32 state[thread_state_max];
		kr = copy_in_state(args, state);
		if (kr == Kr::Success)
			kr = thread_create_running(caller, *task.get(), program, args.flavor, state,
						   args.count, &args.value);
		return result(kr);
	}
	if (create)
		return result(thread_create(caller, *task.get(), program, &args.value));

	constexpr u32 max = 1024;
	u32 capacity = args.count < max ? args.count : max, count = 0;
	u32 *names = nullptr;
	if (capacity) {
		names = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY, 4ull * capacity));
		if (!names) {
			args.count = 0;
			return result(Kr::ResourceShortage);
		}
	}
	kr = thread_list(caller, *task.get(), names, capacity, &count);
	if (kr == Kr::Success && count && mach_shim_copy_out(args.data, names, 4ull * count))
		kr = Kr::InvalidAddress;
	if (names)
		mach_shim_free(MACH_KIND_MEMORY, names);
	args.count = count;
	return result(kr);
}

long thread_state(Thread &thread, mach_thread_args &args)
{
	u32 state[thread_state_max];
	u32 count = args.count;
	if (args.op == MACH_THREAD_SET_STATE) {
		Kr kr = copy_in_state(args, state);
		if (kr != Kr::Success)
			return result(kr);
		return result(thread_set_state(thread, args.flavor, state, count));
	}
	Kr kr = thread_get_state(thread, args.flavor, state, &count);
	if (kr != Kr::Success)
		return result(kr);
	if (mach_shim_copy_out(args.data, state, count * sizeof(u32)))
		return result(Kr::InvalidAddress);
	args.count = count;
	return result(Kr::Success);
}

/* thread_get_special_port, thread_set_special_port. */
long thread_special_port(Task &caller, Thread &thread, mach_thread_args &args)
{
	TransitRight right;
	if (args.op == MACH_THREAD_SET_SPECIAL_PORT) {
		if (Name{args.value}.valid()) {
			Kr kr = caller.space().copyin_right(Name{args.value}, CopySend, &right);
			if (kr != Kr::Success)
				return result(kr);
		}
		return result(thread_set_special_port(thread, args.flavor, right));
	}
	args.value = Name::null;
	Kr kr = thread_get_special_port(thread, args.flavor, &right);
	if (kr != Kr::Success || !right.port)
		return result(kr);
	return result(caller.space().copyout(right, &args.value));
}

/* thread_policy_get, thread_policy_set. */
long thread_policy(Thread &thread, mach_thread_args &args)
{
	u32 info[thread_policy_max] = {};
	u32 count = args.count < thread_policy_max ? args.count : thread_policy_max;
	if (args.op == MACH_THREAD_POLICY_SET) {
		if (args.count > thread_policy_max)
			return malformed;	/* (libmach: MIG_ARRAY_TOO_LARGE) */
		if (count && mach_shim_copy_in(info, args.data, 4ull * count))
			return result(Kr::InvalidAddress);
		return result(thread_policy_set(thread, args.flavor, info, count));
	}
	if (args.value > 1)
		return malformed;	/* get_default is a boolean */
	bool get_default = args.value;
	Kr kr = thread_policy_get(thread, args.flavor, info, &count, &get_default);
	if (kr != Kr::Success)
		return result(kr);
	if (count && mach_shim_copy_out(args.data, info, 4ull * count))
		return result(Kr::InvalidAddress);
	args.count = count;
	args.value = get_default;
	return result(Kr::Success);
}

long thread_call(Task &caller, mach_thread_args &args)
{
	if (args.flags)
		return malformed;
	if (args.op == MACH_THREAD_CREATE || args.op == MACH_THREAD_CREATE_RUNNING ||
	    args.op == MACH_THREAD_LIST)
		return thread_task_call(caller, args);
	if (args.op == MACH_THREAD_SELF)
		return result(thread_self(caller, &args.value));

	Ref<Thread> thread;
	Kr kr = resolve_target_thread(caller, args.port, &thread);
	if (kr != Kr::Success)
		return result(kr);
	bool run;

	switch (args.op) {
	case MACH_THREAD_RESUME:
		return result(thread->resume(&run));
	case MACH_THREAD_SUSPEND:
		return result(thread->suspend());
	case MACH_THREAD_INFO: {
		u32 info[thread_info_max];
		u32 count = args.count;
		kr = thread_info(*thread.get(), args.flavor, info, &count);
		if (kr != Kr::Success)
			return result(kr);
		if (mach_shim_copy_out(args.data, info, count * sizeof(u32)))
			return result(Kr::InvalidAddress);
		args.count = count;
		return result(Kr::Success);
	}
	case MACH_THREAD_ABORT:
		mach_shim_thread_abort(thread->os());
		return result(Kr::Success);
	case MACH_THREAD_ABORT_SAFELY:
		return result(thread_abort_safely(*thread.get()));
	case MACH_THREAD_GET_SPECIAL_PORT:
	case MACH_THREAD_SET_SPECIAL_PORT:
		return thread_special_port(caller, *thread.get(), args);
	case MACH_THREAD_POLICY_GET:
	case MACH_THREAD_POLICY_SET:
		return thread_policy(*thread.get(), args);
	case MACH_THREAD_TERMINATE:
		thread_terminate(*thread.get());
		return result(Kr::Success);
	case MACH_THREAD_GET_STATE:
	case MACH_THREAD_SET_STATE:
		return thread_state(*thread.get(), args);
	default:
		return malformed;
	}
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
	return result(mach_msg(caller, args));
}

long msg_overwrite_call(Task &caller, mach_msg_overwrite_args &args)
{
	return result(mach_msg(caller, args.args, args.rcv_msg));
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
		return decode_as<mach_port_deallocate_args, port_deallocate>(caller, args);
	case MACH_IOC_NR_PORT:
		return decode_as<mach_port_args, port_op>(caller, args);
	case MACH_IOC_NR_MSG:
		return decode_as<mach_msg_args, msg_call>(caller, args);
	case MACH_CORE_NR_MSG_OVERWRITE:
		return decode_as<mach_msg_overwrite_args, msg_overwrite_call>(caller, args);
	case MACH_IOC_NR_SPECIAL_PORT:
		return decode_as<mach_special_port_args, special_port>(caller, args);
	case MACH_IOC_NR_TASK_PORTS:
		return decode_as<mach_task_ports_args, task_ports>(caller, args);
	case MACH_IOC_NR_EXCEPTION_PORTS:
		return decode_as<mach_exception_ports_args, exception_ports>(caller, args);
	case MACH_IOC_NR_TASK_CREATE:
		return decode_as<mach_task_create_args, task_create_plain>(caller, args);
	case MACH_IOC_NR_TASK_CONTROL:
		return decode_as<mach_task_control_args, task_control>(caller, args);
	case MACH_IOC_NR_VM:
		return decode_as<mach_vm_args, vm>(caller, args);
	case MACH_IOC_NR_THREAD:
		return decode_as<mach_thread_args, thread_call>(caller, args);
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
				     int err)
{
	if (nr != MACH_IOC_NR_TASK_CREATE && nr != MACH_IOC_NR_TASK_CREATE_TOKEN)
		return -MACH_EINVAL;
	/* A token's create is the args' first member. */
	static_assert(__builtin_offsetof(mach_task_create_token_args, create) == 0);
	auto &create = *static_cast<mach_task_create_args *>(args);
	return result(task_create_done(*Task::from(task), &create.child, err));
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
		return deallocate(*caller, high, Name{low});
	}
	return -MACH_ENOTTY;
}
