// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl.cc - the calls of /dev/mach: validation of each request, then
 * the Mach call itself. The glue has copied the struct in once; every
 * field is checked here before it is used.
 */
#include "core.h"
#include "host.h"
#include "msg.h"
#include "task.h"
#include "task_info.h"
#include "thread.h"
#include "uapi.h"
#include "vm.h"

namespace mach {
namespace {

long result(Kr kr)
{
	return static_cast<long>(kr);
}

constexpr long malformed = -MACH_EINVAL;

/*
 * The task a send right of the caller names, and the program its process
 * runs (mach_shim_task_image(); 0 for the caller's own). A name that is
 * not a send right of the caller, or whose port died, is not a
 * destination at all (MACH_SEND_INVALID_DEST); a live port of another
 * kind gives not_a_task. A port that stood for the process's program
 * before an exec is dead from the moment that is seen: the new program
 * is not the one the right was given out for. A call that the task's
 * agent runs (queued) does not wait for a new shell to be set up.
 */
Kr resolve_task(Task &caller, u32 name, Kr not_a_task, Ref<Task> *task,
		u64 *image = nullptr, bool queued = false)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	*task = port->task();
	if (!*task)
		return port->dead() ? Kr::SendInvalidDest : not_a_task;
	/* The caller runs its own program: 0 asks the host for no check. */
	if (image)
		*image = 0;
	if (task->get() == &caller)
		return Kr::Success;
	u64 gen = queued ? mach_shim_task_image_queued((*task)->os()) :
			   mach_shim_task_image((*task)->os());
	/* Checked after the image: a renewal in between killed the port. */
	if (!gen || port->dead()) {
		*task = Ref<Task>{};
		return Kr::SendInvalidDest;
	}
	if (image)
		*image = gen;
	return Kr::Success;
}

/*
 * As resolve_task(), and a task's name port too: for the calls that only
 * inspect (task_info, pid_for_task). A name port outlives an exec.
 */
Kr resolve_task_name(Task &caller, u32 name, Ref<Task> *task)
{
	Kr kr = resolve_task(caller, name, Kr::InvalidArgument, task);
	if (kr != Kr::InvalidArgument)
		return kr;
	Ref<Port> port = caller.space().lookup_send(Name{name});
	*task = port ? port->task_named() : Ref<Task>{};
	if (!*task)
		return Kr::InvalidArgument;
	/*
	 * An exec not yet seen is seen now (and renews the task), so that
	 * task_info's tokens are the new program's, not those given the old.
	 */
	if (task->get() != &caller)
		(void)mach_shim_task_image((*task)->os());
	return Kr::Success;
}

long version(mach_version_args &args)
{
	args = {};
	args.abi_version = MACH_ABI_VERSION;
	args.features = MACH_FEATURE_TASK_SELF | MACH_FEATURE_TASK_INFO |
			MACH_FEATURE_PORTS | MACH_FEATURE_MSG | MACH_FEATURE_TASKS |
			MACH_FEATURE_HOST;
	return result(Kr::Success);
}

long task_self(Task &caller, mach_task_self_args &args)
{
	if (args.flags)
		return malformed;
	args.name = Name::null;
	Ref<Port> port = caller.port();
	if (!port)
		return result(Kr::InvalidTask);
	Name name{Name::null};
	Kr kr = caller.space().make_send(port.get(), &name);
	args.name = name.value;
	return result(kr);
}

long task_info(Task &caller, mach_task_info_args &args)
{
	if (args.flags)
		return malformed;

	Ref<Task> task;
	Kr kr = resolve_task_name(caller, args.task, &task);
	if (kr != Kr::Success)
		return result(kr);

	u32 count = task_info_count(args.flavor);
	if (!count || args.count < count)
		return result(Kr::InvalidArgument);

	mach_task_stats stats{};
	if (!mach_shim_task_stats(task->os(), task_info_needs(args.flavor), &stats))
		return result(Kr::SendInvalidDest);	/* it is exiting */
	Tokens given;
	if (task->given_tokens(&given)) {
		__builtin_memcpy(stats.security, given.security, sizeof(stats.security));
		__builtin_memcpy(stats.audit, given.audit, sizeof(stats.audit));
	}

	u32 info[task_info_max_count];
	format_task_info(args.flavor, stats, task->suspend_count(), info);
	if (mach_shim_copy_out(args.info, info, count * sizeof(u32)))
		return -MACH_EFAULT;
	args.count = count;
	return result(Kr::Success);
}

/*
 * The mach_port_* calls name the task whose space they act on: the
 * caller's own (*remote stays empty), or another through its agent.
 */
Kr resolve_space(Task &caller, u32 name, Ref<Task> *remote, u64 *image)
{
	Ref<Task> task;
	Kr kr = resolve_task(caller, name, Kr::InvalidTask, &task, image);
	if (kr == Kr::Success && task.get() != &caller)
		*remote = static_cast<Ref<Task> &&>(task);
	return kr;
}

Kr remote_port_op(Task &caller, Ref<Task> target, u64 image, mach_port_args &args);

long port_deallocate(Task &caller, mach_port_deallocate_args &args)
{
	if (args.flags || args.pad)
		return malformed;
	Ref<Task> remote;
	u64 image;
	Kr kr = resolve_space(caller, args.task, &remote, &image);
	if (kr != Kr::Success)
		return result(kr);
	if (remote) {
		mach_port_args op{};
		op.name = args.name;	/* op 0: deallocate */
		return result(remote_port_op(caller, static_cast<Ref<Task> &&>(remote),
					     image, op));
	}
	return result(caller.space().deallocate(Name{args.name}));
}

/* mach_port_get_attributes / set_attributes flavours. */
enum PortFlavor : u32 {
	PortLimitsInfo = 1,	/* MACH_PORT_LIMITS_INFO: { qlimit } */
	PortReceiveStatus = 2,	/* MACH_PORT_RECEIVE_STATUS: mach_port_status_t */
};

struct PortStatus {
	u32 pset, seqno, mscount, qlimit, msgcount, sorights;
	u32 srights, pdrequest, nsrequest, flags;
};

/*
 * mach_port_get_attributes / set_attributes with the words in a kernel
 * buffer: words in (set; fault: they could not be read) or out (get,
 * *count of them).
 */
Kr port_attributes_io(Space &space, mach_port_args &args, u32 *words, u32 *count,
		      bool fault)
{
	Ref<Port> port = space.lookup_receive(Name{args.name});
	if (!port)
		return Name{args.name}.valid() ? Kr::InvalidRight : Kr::InvalidName;

	if (args.op == MACH_PORT_OP_SET_ATTRIBUTES) {
		if (args.right != PortLimitsInfo || args.count < 1)
			return Kr::InvalidValue;
		if (fault)
			return Kr::InvalidAddress;
		return port->set_qlimit(words[0]);
	}

	PortStatus status{};
	switch (args.right) {
	case PortLimitsInfo:
		status.pset = port->qlimit();	/* the limits struct is one word */
		*count = 1;
		break;
	case PortReceiveStatus:
		status.seqno = port->seqno();
		status.mscount = port->mscount();
		status.qlimit = port->qlimit();
		status.msgcount = port->msgcount();
		status.srights = port->send_rights() != 0;
		*count = sizeof(status) / sizeof(u32);
		break;
	default:
		return Kr::InvalidValue;
	}
	if (args.count < *count)
		return Kr::InvalidValue;
	__builtin_memcpy(words, &status, *count * sizeof(u32));
	return Kr::Success;
}

constexpr u32 attribute_words_max = sizeof(PortStatus) / sizeof(u32);

/* The caller's attribute words in (set), or -1 words if they fault. */
bool read_attributes(const mach_port_args &args, u32 *words)
{
	return args.op != MACH_PORT_OP_SET_ATTRIBUTES || args.count < 1 ||
	       !mach_shim_copy_in(words, args.info, sizeof(u32));
}

Kr write_attributes(mach_port_args &args, const u32 *words, u32 count)
{
	if (args.op != MACH_PORT_OP_GET_ATTRIBUTES)
		return Kr::Success;
	if (mach_shim_copy_out(args.info, words, count * sizeof(u32)))
		return Kr::InvalidAddress;
	args.count = count;
	return Kr::Success;
}

Kr port_attributes(Space &space, mach_port_args &args)
{
	u32 words[attribute_words_max] = {}, count = 0;
	bool fault = !read_attributes(args, words);
	Kr kr = port_attributes_io(space, args, words, &count, fault);
	return kr == Kr::Success ? write_attributes(args, words, count) : kr;
}

Kr request_notification(Space &space, mach_port_args &args)
{
	Kr kr = space.check_notification(Name{args.name}, args.right, args.value);
	if (kr != Kr::Success)
		return kr;

	TransitRight notify;
	u32 disposition = static_cast<u32>(args.delta);
	if (Name{args.poly}.valid()) {
		if (disposition != MakeSendOnce && disposition != MoveSendOnce)
			return Kr::InvalidValue;
		if (space.copyin_right(Name{args.poly}, disposition, &notify) != Kr::Success)
			return Kr::InvalidCapability;
	}
	TransitRight previous;
	kr = space.request_notification(Name{args.name}, args.right, args.value, notify,
					&previous);
	args.value = Name::null;
	if (previous.port)
		space.copyout(previous, &args.value);
	return kr;
}

/* The most names one call reports; more is KERN_NO_SPACE. */
constexpr u32 names_max = 1u << 16;

/*
 * A list the caller gets in its buffer (args.info, room for args.count
 * items of words u32 each): fill(out, capacity, &count) writes up to
 * capacity items and says how many there are. More than fit is
 * KERN_NO_SPACE, with args.count saying how many to make room for.
 */
template <typename Fill>
Kr report_list(mach_port_args &args, u32 words, Fill fill)
{
	u32 capacity = args.count < names_max ? args.count : names_max;
	u32 *items = nullptr;
	if (capacity) {
		items = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY, 4ull * words * capacity));
		if (!items)
			return Kr::ResourceShortage;
	}
	u32 count = 0;
	Kr kr = fill(items, capacity, &count);
	if (kr == Kr::Success && count > capacity)
		kr = Kr::NoSpace;
	else if (kr == Kr::Success && count &&
		 mach_shim_copy_out(args.info, items, 4ull * words * count))
		kr = Kr::InvalidAddress;
	if (items)
		mach_shim_free(MACH_KIND_MEMORY, items);
	args.count = count;
	return kr;
}

/*
 * A mach_port_* call on another task's space runs in that task's process
 * (its fd table holds the names), in its agent. What crosses between the
 * caller and there is in kernel memory: rights in transit, attribute
 * words, lists; the caller's own memory and space are touched here only.
 */
struct RemotePortOp {
	Task *target;		/* a reference, dropped by run or abandon */
	mach_port_args args;
	TransitRight in;	/* from the caller: inserted, or a notify port */
	TransitRight out;	/* for the caller: extracted, or the previous */
	u32 words[attribute_words_max];
	u32 nwords;
	bool fault;
	u32 *items;		/* a list: capacity entries of a kernel buffer */
	u32 capacity;
	u32 count;
	Kr kr;
};

void drop_transit(TransitRight &right)
{
	if (right.port)
		right.port->drop(right);
	right = {};
}

void remote_port_op_run(void *arg)
{
	RemotePortOp &op = *static_cast<RemotePortOp *>(arg);
	Space &space = op.target->space();
	mach_port_args &args = op.args;
	Name name{args.name};

	switch (args.op) {
	case MACH_PORT_OP_ALLOCATE:
		op.kr = space.allocate(args.right, &name);
		args.name = name.value;
		break;
	case MACH_PORT_OP_DESTROY:
		op.kr = space.destroy_name(name);
		break;
	case 0:		/* MACH_IOC_NR_PORT_DEALLOCATE */
		op.kr = space.deallocate(name);
		break;
	case MACH_PORT_OP_MOD_REFS:
		op.kr = space.mod_refs(name, args.right, args.delta);
		break;
	case MACH_PORT_OP_GET_REFS:
		op.kr = space.get_refs(name, args.right, &args.value);
		break;
	case MACH_PORT_OP_TYPE:
		op.kr = space.type(name, &args.value);
		break;
	case MACH_PORT_OP_INSERT_RIGHT:
		op.kr = space.insert(name, op.in);
		op.in = {};
		break;
	case MACH_PORT_OP_EXTRACT_RIGHT: {
		u32 type;
		op.kr = space.type(name, &type);
		if (op.kr == Kr::Success &&
		    space.copyin_right(name, args.right, &op.out) != Kr::Success)
			op.kr = Kr::InvalidRight;
		break;
	}
	case MACH_PORT_OP_GET_ATTRIBUTES:
	case MACH_PORT_OP_SET_ATTRIBUTES:
		op.kr = port_attributes_io(space, args, op.words, &op.nwords, op.fault);
		break;
	case MACH_PORT_OP_NAMES:
		space.names(op.items, op.capacity, &op.count);
		op.kr = Kr::Success;
		break;
	case MACH_PORT_OP_GET_SET_STATUS:
		op.kr = space.set_members(name, op.items, op.capacity, &op.count);
		break;
	case MACH_PORT_OP_MOVE_MEMBER:
		op.kr = space.move_member(name, Name{args.poly});
		break;
	case MACH_PORT_OP_SET_MSCOUNT: {
		Ref<Port> port = space.lookup_receive(name);
		op.kr = port ? Kr::Success : Kr::InvalidRight;
		if (port)
			port->set_mscount(args.value);
		break;
	}
	case MACH_PORT_OP_REQUEST_NOTIFICATION:
		op.kr = space.check_notification(name, args.right, args.value);
		if (op.kr == Kr::Success) {
			op.kr = space.request_notification(name, args.right, args.value,
							   op.in, &op.out);
			op.in = {};
		}
		break;
	}
	op.target->put();
	op.target = nullptr;
}

void remote_port_op_abandon(void *arg)
{
	RemotePortOp &op = *static_cast<RemotePortOp *>(arg);
	drop_transit(op.in);
	drop_transit(op.out);
	if (op.items)
		mach_shim_free(MACH_KIND_MEMORY, op.items);
	if (op.target)
		op.target->put();
}

/* What the caller gives the call: rights, attribute words, list room. */
Kr remote_port_op_prepare(Task &caller, RemotePortOp &op)
{
	mach_port_args &args = op.args;

	switch (args.op) {
	case MACH_PORT_OP_INSERT_RIGHT:
		if (args.right < MoveReceive || args.right > MakeSendOnce)
			return Kr::SendInvalidType;
		return caller.space().copyin_right(Name{args.poly}, args.right, &op.in);
	case MACH_PORT_OP_EXTRACT_RIGHT:
		if (args.right < MoveReceive || args.right > MakeSendOnce)
			return Kr::InvalidValue;
		return Kr::Success;
	case MACH_PORT_OP_SET_ATTRIBUTES:
		op.fault = !read_attributes(args, op.words);
		return Kr::Success;
	case MACH_PORT_OP_NAMES:
	case MACH_PORT_OP_GET_SET_STATUS: {
		u32 words = args.op == MACH_PORT_OP_NAMES ? 2 : 1;
		op.capacity = args.count < names_max ? args.count : names_max;
		if (!op.capacity)
			return Kr::Success;
		op.items = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY,
							      4ull * words * op.capacity));
		return op.items ? Kr::Success : Kr::ResourceShortage;
	}
	case MACH_PORT_OP_REQUEST_NOTIFICATION: {
		/* The notify port is the caller's, as in the MIG call. */
		u32 disposition = static_cast<u32>(args.delta);
		if (!Name{args.poly}.valid())
			return Kr::Success;
		if (disposition != MakeSendOnce && disposition != MoveSendOnce)
			return Kr::InvalidValue;
		if (caller.space().copyin_right(Name{args.poly}, disposition, &op.in) !=
		    Kr::Success)
			return Kr::InvalidCapability;
		return Kr::Success;
	}
	default:
		return Kr::Success;
	}
}

/* What comes back to the caller: rights into its space, words and lists. */
Kr remote_port_op_finish(Task &caller, RemotePortOp &op, mach_port_args &args)
{
	Kr kr = op.kr;
	args = op.args;
	drop_transit(op.in);	/* a notify port a failed request did not take */
	switch (args.op) {
	case MACH_PORT_OP_EXTRACT_RIGHT:
		if (kr == Kr::Success) {
			args.value = op.out.type;
			kr = caller.space().copyout(op.out, &args.poly);
			op.out = {};
		}
		break;
	case MACH_PORT_OP_REQUEST_NOTIFICATION:
		args.value = Name::null;
		if (op.out.port)
			caller.space().copyout(op.out, &args.value);
		op.out = {};
		break;
	case MACH_PORT_OP_GET_ATTRIBUTES:
		if (kr == Kr::Success)
			kr = write_attributes(args, op.words, op.nwords);
		break;
	case MACH_PORT_OP_NAMES:
	case MACH_PORT_OP_GET_SET_STATUS: {
		u32 words = args.op == MACH_PORT_OP_NAMES ? 2 : 1;
		if (kr == Kr::Success && op.count > op.capacity)
			kr = Kr::NoSpace;
		else if (kr == Kr::Success && op.count &&
			 mach_shim_copy_out(args.info, op.items, 4ull * words * op.count))
			kr = Kr::InvalidAddress;
		args.count = op.count;
		break;
	}
	}
	if (op.items)
		mach_shim_free(MACH_KIND_MEMORY, op.items);
	op.items = nullptr;
	return kr;
}

Kr remote_port_op(Task &caller, Ref<Task> target, u64 image, mach_port_args &args)
{
	RemotePortOp op{};
	op.args = args;
	Kr kr = remote_port_op_prepare(caller, op);
	if (kr != Kr::Success) {
		if (op.items)
			mach_shim_free(MACH_KIND_MEMORY, op.items);
		return kr;
	}
	mach_task_os *os = target->os();
	op.target = target.release();
	int err = mach_shim_task_call(os, image, remote_port_op_run,
				      remote_port_op_abandon, &op, sizeof(op));
	if (err) {
		/* abandon() released what it held (the host calls it). */
		if (err == -MACH_ENOMEM)
			return Kr::ResourceShortage;
		return err == -MACH_EINTR ? Kr::Aborted : Kr::InvalidTask;
	}
	return remote_port_op_finish(caller, op, args);
}

long port_op(Task &caller, mach_port_args &args)
{
	if (args.flags || args.pad)
		return malformed;
	Ref<Task> remote;
	u64 image;
	Kr kr = resolve_space(caller, args.task, &remote, &image);
	if (kr != Kr::Success)
		return result(kr);
	if (remote) {
		if (args.op < MACH_PORT_OP_ALLOCATE || args.op > MACH_PORT_OP_GET_SET_STATUS)
			return malformed;
		return result(remote_port_op(caller, static_cast<Ref<Task> &&>(remote),
					     image, args));
	}

	Space &space = caller.space();
	Name name{args.name};
	switch (args.op) {
	case MACH_PORT_OP_ALLOCATE:
		kr = space.allocate(args.right, &name);
		args.name = name.value;
		return result(kr);
	case MACH_PORT_OP_DESTROY:
		return result(space.destroy_name(name));
	case MACH_PORT_OP_MOD_REFS:
		return result(space.mod_refs(name, args.right, args.delta));
	case MACH_PORT_OP_GET_REFS:
		return result(space.get_refs(name, args.right, &args.value));
	case MACH_PORT_OP_TYPE:
		return result(space.type(name, &args.value));
	case MACH_PORT_OP_INSERT_RIGHT:
		return result(space.insert_right(name, Name{args.poly}, args.right));
	case MACH_PORT_OP_GET_ATTRIBUTES:
	case MACH_PORT_OP_SET_ATTRIBUTES:
		return result(port_attributes(space, args));
	case MACH_PORT_OP_NAMES:
		/* (name, type) pairs */
		return result(report_list(args, 2, [&](u32 *out, u32 capacity, u32 *count) {
			space.names(out, capacity, count);
			return Kr::Success;
		}));
	case MACH_PORT_OP_GET_SET_STATUS:
		return result(report_list(args, 1, [&](u32 *out, u32 capacity, u32 *count) {
			return space.set_members(name, out, capacity, count);
		}));
	case MACH_PORT_OP_EXTRACT_RIGHT: {
		if (args.right < MoveReceive || args.right > MakeSendOnce)
			return result(Kr::InvalidValue);
		u32 type;
		kr = space.type(name, &type);
		if (kr != Kr::Success)
			return result(kr);
		TransitRight right;
		if (space.copyin_right(name, args.right, &right) != Kr::Success)
			return result(Kr::InvalidRight);
		args.value = right.type;
		return result(space.copyout(right, &args.poly));
	}
	case MACH_PORT_OP_MOVE_MEMBER:
		return result(space.move_member(name, Name{args.poly}));
	case MACH_PORT_OP_REQUEST_NOTIFICATION:
		return result(request_notification(space, args));
	case MACH_PORT_OP_SET_MSCOUNT: {
		Ref<Port> port = space.lookup_receive(name);
		if (!port)
			return result(Kr::InvalidRight);
		port->set_mscount(args.value);
		return result(Kr::Success);
	}
	default:
		return malformed;
	}
}

long special_port(Task &caller, mach_special_port_args &args)
{
	if (args.flags & ~MACH_SPECIAL_PORT_SET)
		return malformed;

	Ref<Task> task;
	Kr kr = resolve_task(caller, args.task, Kr::InvalidArgument, &task);
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

long task_ports(Task &caller, mach_task_ports_args &args)
{
	if (args.flags & ~MACH_TASK_PORTS_SET)
		return malformed;
	Ref<Task> task;
	Kr kr = resolve_task(caller, args.task, Kr::InvalidArgument, &task);
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
				for (u32 j = 0; j < i; j++)
					if (rights[j].port)
						rights[j].port->drop(rights[j]);
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

/* EXCEPTION_DEFAULT .. EXCEPTION_STATE_IDENTITY_PROTECTED, with flags. */
bool valid_behavior(u32 behavior)
{
	constexpr u32 flags = 0xe0000000u;	/* MACH_EXCEPTION_CODES and co. */
	u32 base = behavior & ~flags;
	return base >= 1 && base <= 5;
}

long exception_ports(Task &caller, mach_exception_ports_args &args)
{
	constexpr u32 known = MACH_EXCEPTION_PORTS_SET | MACH_EXCEPTION_PORTS_GET;
	if ((args.flags & ~known) || !args.flags || args.pad)
		return malformed;
	Ref<Task> task;
	Kr kr = resolve_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return result(kr);
	bool set = args.flags & MACH_EXCEPTION_PORTS_SET;
	if (args.mask & ~all_exceptions)
		return result(Kr::InvalidArgument);
	if (set && !valid_behavior(args.behavior))
		return result(Kr::InvalidArgument);

	TransitRight port;
	if (set && Name{args.port}.valid()) {
		kr = caller.space().copyin_right(Name{args.port}, CopySend, &port);
		if (kr != Kr::Success)
			return result(kr);
	}
	if (args.flags & MACH_EXCEPTION_PORTS_GET) {
		u32 masks[exception_types], names[exception_types];
		u32 behaviors[exception_types], flavors[exception_types];
		ExceptionHandler handlers[exception_types];
		u32 capacity = args.count < exception_types ? args.count : exception_types;
		u32 groups = task->get_exception_ports(args.mask, capacity, masks, handlers);
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
		    mach_shim_copy_out(args.flavors, flavors, bytes)) {
			if (port.port)
				port.port->drop(port);
			return -MACH_EFAULT;
		}
		args.count = groups;
	}
	if (set)
		return result(task->set_exception_ports(args.mask, port, args.behavior,
							args.flavor));
	return result(Kr::Success);
}

Kr spawn_error(int err)
{
	switch (err) {
	case -MACH_ENOMEM:
	case -MACH_EAGAIN:
		return Kr::ResourceShortage;
	case -MACH_EINTR:
		return Kr::Aborted;
	default:
		return Kr::Failure;
	}
}

/*
 * The end of a task_create whose process came to be (err 0) or not. A
 * teleport then ends its parent (image is the parent's program, 0 for the
 * caller's own task, which then ends here); child is given for it.
 */
long finish_create(Task &caller, mach_task_create_args &create, Task &parent, u64 image,
		   Task *child, int err, bool clone_held = false)
{
	if (clone_held) {
		parent.resume();
		parent.end_wait();
	}
	if (!err && (create.flags & MACH_TASK_CREATE_TELEPORT)) {
		/*
		 * The child is made: its parent ends (the caller too, if that
		 * is its own task). One that will not end is a failure.
		 */
		bool self = &parent == &caller;
		if (mach_shim_task_teleport_end(parent.os(), self ? 0 : image, child))
			return result(Kr::Failure);
	}
	if (!err)
		return result(Kr::Success);
	/* A teleport that made nothing lets its parent run on. */
	if (create.flags & MACH_TASK_CREATE_TELEPORT)
		parent.resume();
	/* No process: the task died with it; take back our name for it. */
	caller.space().deallocate(Name{create.child});
	create.child = Name::null;
	return result(spawn_error(err));
}

/* What host_security_create_task_token() gives a task beyond task_create(). */
struct Grant {
	Tokens tokens;
	HostPort host;		/* the task's host port: the name or privileged one */
};

long task_create(Task &caller, mach_task_create_args &args, const Grant *grant = nullptr)
{
	constexpr u32 norma = MACH_TASK_CREATE_CLONE | MACH_TASK_CREATE_TELEPORT;
	constexpr u32 known = MACH_TASK_CREATE_ON_NODE | norma;
	bool on_node = args.flags & MACH_TASK_CREATE_ON_NODE;
	if ((args.flags & ~known) || (!on_node && (args.node || (args.flags & norma))))
		return malformed;
	args.child = Name::null;
	Ref<Task> parent;
	u64 image;
	Kr kr = resolve_task(caller, args.parent, Kr::InvalidArgument, &parent, &image);
	if (kr != Kr::Success)
		return result(kr);
	/* A node that is not there, or has no memory or no CPU: nothing made. */
	if (on_node && !mach_shim_node_usable(args.node))
		return result(Kr::InvalidArgument);
	/*
	 * The man page's rule: exactly two ledgers, both real (wired, then
	 * paged), or the parent's are used. What they limit is another issue.
	 */
	Ref<Port> ledgers[2];
	if (args.ledger_count == 2) {
		u32 names[2];
		if (mach_shim_copy_in(names, args.ledgers, sizeof(names)))
			return result(Kr::InvalidAddress);
		for (u32 i = 0; i < 2; i++) {
			ledgers[i] = caller.space().lookup_send(Name{names[i]});
			if (!ledgers[i] || ledgers[i]->object() != Object::Ledger) {
				ledgers[0] = ledgers[1] = Ref<Port>{};
				break;
			}
		}
	}

	mach_task *made = mach_shim_task_prepare(args.inherit_memory != 0);
	if (!made)
		return result(Kr::ResourceShortage);
	/* The task is whole before its process exists: nothing can see it. */
	Ref<Task> child = Ref<Task>::adopt(Task::from(made));
	child->inherit_from(*parent.get());
	/*
	 * A teleport's parent runs nothing from the moment it is cloned: what
	 * it would write, the clone would not see (see clone.c).
	 */
	bool teleport = args.flags & MACH_TASK_CREATE_TELEPORT;
	if (teleport)
		mach_shim_task_teleport(made);
	/*
	 * norma_task_clone(FALSE) is an empty task on the node: no sharing.
	 * A clone's parent is held, every thread stopped, while its private
	 * memory becomes shared (a store meanwhile would be lost); not when it
	 * has none left (a second clone), and a teleport's is for good.
	 */
	bool clone_held = false;
	if ((args.flags & norma) && args.inherit_memory) {
		clone_held = !teleport && mach_shim_task_memory_private(parent->os(), image);
		mach_shim_task_clone(made, clone_held);
	}
	if (on_node)
		mach_shim_task_place(made, args.node);
	if (grant) {
		/* Its process is to run as its security token says. */
		if (!mach_shim_task_give_credentials(made, grant->tokens.security[0],
						     grant->tokens.security[1]))
			return result(Kr::InvalidArgument);
		child->set_tokens(grant->tokens);
		child->set_special(TaskHostPort, host_port(grant->host));
	}
	for (u32 i = 0; i < 2 && ledgers[1]; i++) {
		ledgers[i]->get();
		ledgers[i]->add_send();
		child->set_special(TaskWiredLedgerPort + i,
				   TransitRight{ledgers[i].get(), MoveSend});
	}
	Ref<Port> port = child->port();
	Name name{Name::null};
	kr = caller.space().make_send(port.get(), &name);
	if (kr != Kr::Success)
		return result(kr);
	args.child = name.value;

	/* (What a teleport's parent wrote after the fork, the clone would not see.) */
	if (teleport || clone_held) {
		Kr held = parent->suspend_and_wait();
		if (held != Kr::Success) {
			caller.space().deallocate(name);
			args.child = Name::null;
			/* (Not suspended: it is ending.) */
			return result(held == Kr::Aborted ? held : Kr::InvalidArgument);
		}
		if (teleport)
			parent->end_wait();	/* it stays suspended */
	}
	int err = mach_shim_task_spawn(parent->os(), image, made);
	if (err == MACH_SPAWN_LATER)
		return MACH_CORE_LATER;
	return finish_create(caller, args, *parent.get(), image, child.get(), err, clone_held);
}

/*
 * The host port a send right of the caller names: HostPort::Count for a
 * live port of another kind; not a right at all, as resolve_task().
 */
Kr resolve_host(Task &caller, u32 name, HostPort *held)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port || port->dead())
		return Kr::SendInvalidDest;
	*held = host_port_of(port.get());
	return Kr::Success;
}

/* The host port a task is given: the privileged one if name is it. */
HostPort host_to_give(Task &caller, u32 name)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	return host_port_of(port.get()) == HostPort::Priv ? HostPort::Priv : HostPort::Host;
}

long task_create_token(Task &caller, mach_task_create_token_args &args)
{
	if (args.create.flags || args.create.node)
		return malformed;
	args.create.child = Name::null;
	HostPort held;
	Kr kr = resolve_host(caller, args.host_security, &held);
	if (kr == Kr::Success && held != HostPort::Security)
		kr = Kr::InvalidSecurity;
	if (kr != Kr::Success)
		return result(kr);
	Grant grant;
	if (mach_shim_copy_in(&grant.tokens, args.tokens, sizeof(grant.tokens)))
		return -MACH_EFAULT;
	grant.host = host_to_give(caller, args.host);
	return task_create(caller, args.create, &grant);
}

long host_call(Task &caller, mach_host_args &args)
{
	if (args.flags || args.op < MACH_HOST_GET_SPECIAL_PORT ||
	    args.op > MACH_HOST_SET_TASK_TOKEN)
		return malformed;
	HostPort held;
	Kr kr = resolve_host(caller, args.host, &held);
	if (kr != Kr::Success)
		return result(kr);

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
		Ref<Task> task;
		kr = resolve_task(caller, args.port, Kr::InvalidArgument, &task);
		if (kr != Kr::Success)
			return result(kr);
		Tokens tokens;
		if (mach_shim_copy_in(&tokens, args.data, sizeof(tokens)))
			return -MACH_EFAULT;
		task->set_tokens(tokens);
		return result(task->set_special(TaskHostPort,
						host_port(host_to_give(caller, args.task_host))));
	}
	}
}

long task_control(Task &caller, mach_task_control_args &args)
{
	if (args.flags || args.value)
		return malformed;
	Ref<Task> task;
	u64 image = 0;
	Kr kr = args.op == MACH_TASK_PID ?
		resolve_task_name(caller, args.task, &task) :
		resolve_task(caller, args.task, Kr::InvalidArgument, &task, &image);
	if (kr != Kr::Success)
		return result(kr);
	switch (args.op) {
	case MACH_TASK_SUSPEND:
		/* Every thread stops, those no call has named yet too. */
		task->adopt_threads();
		kr = task->suspend();
		if (kr == Kr::Success)
			mach_shim_task_event(task->os(), MACH_SHIM_EVENT_SUSPENDED,
					     task->suspend_count());
		return result(kr);
	case MACH_TASK_RESUME:
		kr = task->resume();
		if (kr == Kr::Success)
			mach_shim_task_event(task->os(), MACH_SHIM_EVENT_RESUMED,
					     task->suspend_count());
		return result(kr);
	case MACH_TASK_TERMINATE:
		if (mach_shim_task_kill(task->os(), image))
			return result(Kr::Aborted);
		return result(Kr::Success);
	case MACH_TASK_PID:
		args.value = mach_shim_task_pid(task->os());
		return result(Kr::Success);
	default:
		return malformed;
	}
}

long vm(Task &caller, mach_vm_args &args)
{
	constexpr u32 known = MACH_VM_ANYWHERE | MACH_VM_SET_MAXIMUM;
	if (args.flags & ~known)
		return malformed;
	Ref<Task> task;
	u64 image;
	Kr kr = resolve_task(caller, args.task, Kr::InvalidArgument, &task, &image,
			     vm_changes_mappings(args.op));
	if (kr != Kr::Success)
		return result(kr);
	return result(vm_call(*task.get(), image, args));
}

/*
 * The thread a send right of the caller names (as resolve_task()): a
 * thread port, like its task's, stands for the program its process ran
 * when it was given out, and dies when an exec is seen.
 */
Kr resolve_thread(Task &caller, u32 name, Ref<Thread> *thread)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	*thread = port->thread();
	if (!*thread)
		return port->dead() ? Kr::SendInvalidDest : Kr::InvalidArgument;
	Task *task = (*thread)->task();
	if (task == &caller)
		return Kr::Success;
	/* Checked after the image: a renewal in between killed the port. */
	if (!mach_shim_task_image(task->os()) || port->dead()) {
		*thread = Ref<Thread>{};
		return Kr::SendInvalidDest;
	}
	return Kr::Success;
}

/* rip and rsp a thread may be given: user addresses, canonical. */
bool user_address(u64 a)
{
	return a < 0x00007ffffffff000ull;
}

long thread_create(Task &caller, mach_thread_args &args)
{
	Ref<Task> task;
	u64 image;
	/* Its agent clones the thread. */
	Kr kr = resolve_task(caller, args.port, Kr::InvalidArgument, &task, &image,
			     true);
	if (kr != Kr::Success)
		return result(kr);
	int err = 0;
	mach_thread_os *os = mach_shim_thread_create(task->os(), image, &err);
	if (!os)
		return result(spawn_error(err));
	Thread *thread = Thread::create(task.get(), os);	/* owns os */
	if (!thread)
		return result(Kr::ResourceShortage);
	Ref<Thread> held = Ref<Thread>::adopt(thread);
	Ref<Port> port = thread->port();
	Name name{Name::null};
	if (!task->add_thread(thread))
		kr = Kr::InvalidArgument;	/* the task died meanwhile */
	else if ((kr = caller.space().make_send(port.get(), &name)) != Kr::Success)
		task->remove_thread(thread);
	if (kr != Kr::Success) {
		thread->terminate();
		mach_shim_thread_kill(os);
		return result(kr);
	}
	args.value = name.value;
	return result(Kr::Success);
}

long thread_list(Task &caller, mach_thread_args &args)
{
	Ref<Task> task;
	Kr kr = resolve_task(caller, args.port, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return result(kr);
	constexpr u32 max = 1024;
	u32 capacity = args.count < max ? args.count : max, count = 0;
	Thread **threads = nullptr;
	u32 *names = nullptr;
	if (capacity) {
		threads = static_cast<Thread **>(mach_shim_alloc(MACH_KIND_MEMORY,
								 sizeof(Thread *) * capacity));
		names = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY, 4ull * capacity));
		if (!threads || !names)
			kr = Kr::ResourceShortage;
	}
	if (kr == Kr::Success) {
		task->adopt_threads();
		task->threads(threads, capacity, &count);
	}
	u32 got = count < capacity ? count : capacity;
	for (u32 i = 0; kr == Kr::Success && i < got; i++) {
		Ref<Port> port = threads[i]->port();
		Name name{Name::null};
		if (port)
			caller.space().make_send(port.get(), &name);
		names[i] = name.value;
	}
	for (u32 i = 0; threads && kr == Kr::Success && i < got; i++)
		threads[i]->put();
	if (kr == Kr::Success && count > capacity)
		kr = Kr::NoSpace;
	else if (kr == Kr::Success && count && mach_shim_copy_out(args.data, names, 4ull * count))
		kr = Kr::InvalidAddress;
	if (threads)
		mach_shim_free(MACH_KIND_MEMORY, threads);
	if (names)
		mach_shim_free(MACH_KIND_MEMORY, names);
	args.count = count;
	return result(kr);
}

/* mach_thread_self: the calling thread, a Mach thread from its first call. */
long thread_self(Task &caller, mach_thread_args &args)
{
	Ref<Thread> thread = caller.adopt_current();
	if (!thread)
		return result(Kr::ResourceShortage);
	Ref<Port> port = thread->port();
	Name name{Name::null};
	Kr kr = port ? caller.space().make_send(port.get(), &name) : Kr::Failure;
	args.value = name.value;
	return result(kr);
}

/* THREAD_BASIC_INFO, laid out as on the anchors (10 integer_t). */
long thread_info(Thread &thread, mach_thread_args &args)
{
	constexpr u32 basic_info = 3, basic_info_count = 10;
	constexpr int policy_timeshare = 1;
	if (args.flavor != basic_info || args.count < basic_info_count)
		return result(Kr::InvalidArgument);
	mach_thread_stats stats{};
	mach_shim_thread_stats(thread.os(), &stats);
	u32 info[basic_info_count] = {
		static_cast<u32>(stats.user_ns / 1000000000u),
		static_cast<u32>(stats.user_ns % 1000000000u / 1000u),
		static_cast<u32>(stats.system_ns / 1000000000u),
		static_cast<u32>(stats.system_ns % 1000000000u / 1000u),
		0,			/* cpu_usage */
		policy_timeshare,
		stats.run_state,
		0,			/* flags */
		thread.suspend_count(),
		0,			/* sleep_time */
	};
	if (mach_shim_copy_out(args.data, info, sizeof(info)))
		return result(Kr::InvalidAddress);
	args.count = basic_info_count;
	return result(Kr::Success);
}

long thread_call(Task &caller, mach_thread_args &args)
{
	if (args.flags)
		return malformed;
	if (args.op == MACH_THREAD_CREATE)
		return thread_create(caller, args);
	if (args.op == MACH_THREAD_SELF)
		return thread_self(caller, args);
	if (args.op == MACH_THREAD_LIST)
		return thread_list(caller, args);

	Ref<Thread> thread;
	Kr kr = resolve_thread(caller, args.port, &thread);
	if (kr != Kr::Success)
		return result(kr);
	mach_thread_os *os = thread->os();
	bool run;
	u64 regs[thread_state_count / 2];

	switch (args.op) {
	case MACH_THREAD_RESUME:
		return result(thread->resume(&run));
	case MACH_THREAD_SUSPEND:
		return result(thread->suspend());
	case MACH_THREAD_INFO:
		return thread_info(*thread.get(), args);
	case MACH_THREAD_ABORT:
		mach_shim_thread_abort(os);
		return result(Kr::Success);
	case MACH_THREAD_TERMINATE:
		thread->terminate();
		thread->task()->remove_thread(thread.get());
		mach_shim_thread_kill(os);
		return result(Kr::Success);
	case MACH_THREAD_GET_STATE:
	case MACH_THREAD_SET_STATE:
		if (args.flavor == exception_state_flavor) {
			u32 words[exception_state_count];
			if (args.op == MACH_THREAD_SET_STATE ||	/* read-only */
			    args.count < exception_state_count)
				return result(Kr::InvalidArgument);
			if (thread->suspend_count() == 0 ||
			    mach_shim_thread_get_exception(os, words))
				return result(Kr::Failure);
			if (mach_shim_copy_out(args.data, words, sizeof(words)))
				return result(Kr::InvalidAddress);
			args.count = exception_state_count;
			return result(Kr::Success);
		}
		if (args.flavor == float_state_flavor) {
			u32 words[float_state_count] = {};
			if (args.count < float_state_count)
				return result(Kr::InvalidArgument);
			if (thread->suspend_count() == 0)
				return result(Kr::Failure);
			if (args.op == MACH_THREAD_SET_STATE) {
				if (mach_shim_copy_in(words, args.data, sizeof(words)))
					return result(Kr::InvalidAddress);
				/* MXCSR's reserved bits are dropped, as XNU does. */
				words[float_state_mxcsr] &= mxcsr_defined;
				return result(mach_shim_thread_set_fpu(os, &words[2]) ?
					      Kr::Failure : Kr::Success);
			}
			if (mach_shim_thread_get_fpu(os, &words[2]))
				return result(Kr::Failure);
			if (mach_shim_copy_out(args.data, words, sizeof(words)))
				return result(Kr::InvalidAddress);
			args.count = float_state_count;
			return result(Kr::Success);
		}
		if (args.flavor != thread_state_flavor)
			return result(Kr::InvalidArgument);
		if (args.count < thread_state_count)
			return result(Kr::InvalidArgument);
		/* Only a suspended thread's registers hold still (the host
		 * waits a moment for one on its way to its stop). */
		if (thread->suspend_count() == 0)
			return result(Kr::Failure);
		if (args.op == MACH_THREAD_GET_STATE) {
			if (mach_shim_thread_get_state(os, regs))
				return result(Kr::Failure);
			if (mach_shim_copy_out(args.data, regs, sizeof(regs)))
				return result(Kr::InvalidAddress);
			args.count = thread_state_count;
			return result(Kr::Success);
		}
		if (mach_shim_copy_in(regs, args.data, sizeof(regs)))
			return result(Kr::InvalidAddress);
		/* rip, rsp, and the fs and gs bases */
		if (!user_address(regs[16]) || !user_address(regs[7]) ||
		    !user_address(regs[19]) || !user_address(regs[20]))
			return result(Kr::InvalidArgument);
		return result(mach_shim_thread_set_state(os, regs) ? Kr::Failure : Kr::Success);
	default:
		return malformed;
	}
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
	Task &caller = *Task::from(task);
	/* Only the caller's own task is cloned from in place, never to teleport. */
	return finish_create(caller, *static_cast<mach_task_create_args *>(args), caller, 0,
			     nullptr, err);
}

extern "C" long mach_core_ioctl(mach_task *task, unsigned int nr, void *args)
{
	Task &caller = *Task::from(task);

	/* A /dev/mach fd that reached another process is not its channel. */
	if (!mach_shim_task_is_current(caller.os()))
		return -MACH_EBADF;

	switch (nr) {
	case MACH_IOC_NR_VERSION:
		return version(*static_cast<mach_version_args *>(args));
	case MACH_IOC_NR_TASK_SELF:
		return task_self(caller, *static_cast<mach_task_self_args *>(args));
	case MACH_IOC_NR_TASK_INFO:
		return task_info(caller, *static_cast<mach_task_info_args *>(args));
	case MACH_IOC_NR_PORT_DEALLOCATE:
		return port_deallocate(caller, *static_cast<mach_port_deallocate_args *>(args));
	case MACH_IOC_NR_PORT:
		return port_op(caller, *static_cast<mach_port_args *>(args));
	case MACH_IOC_NR_MSG:
		return result(mach_msg(caller, *static_cast<mach_msg_args *>(args)));
	case MACH_IOC_NR_SPECIAL_PORT:
		return special_port(caller, *static_cast<mach_special_port_args *>(args));
	case MACH_IOC_NR_TASK_PORTS:
		return task_ports(caller, *static_cast<mach_task_ports_args *>(args));
	case MACH_IOC_NR_EXCEPTION_PORTS:
		return exception_ports(caller, *static_cast<mach_exception_ports_args *>(args));
	case MACH_IOC_NR_TASK_CREATE:
		return task_create(caller, *static_cast<mach_task_create_args *>(args));
	case MACH_IOC_NR_TASK_CONTROL:
		return task_control(caller, *static_cast<mach_task_control_args *>(args));
	case MACH_IOC_NR_VM:
		return vm(caller, *static_cast<mach_vm_args *>(args));
	case MACH_IOC_NR_THREAD:
		return thread_call(caller, *static_cast<mach_thread_args *>(args));
	case MACH_IOC_NR_HOST:
		return host_call(caller, *static_cast<mach_host_args *>(args));
	case MACH_IOC_NR_TASK_CREATE_TOKEN:
		return task_create_token(caller,
					 *static_cast<mach_task_create_token_args *>(args));
	default:
		return -MACH_ENOTTY;
	}
}
