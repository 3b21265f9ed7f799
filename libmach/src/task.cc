// SPDX-License-Identifier: LGPL-2.1-or-later
// task.cc - task calls: mach_task_self, task_self_trap, task_info,
// task_create, task_suspend, task_resume, task_terminate, task_sample,
// task_suspend2, task_resume2, mach_task_is_self, task_for_pid,
// task_name_for_pid, task_set_name, task_set_info.
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/task_special_ports.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API mach_port_t mach_task_self(void)
{
	return libmach::self_task();
}

LIBMACH_API mach_port_name_t task_self_trap(void)
{
	int name = libmach::trap(MACH_IOC_TASK_SELF_TRAP, 0);
	if (name < 0 && errno == ENOTTY) {	// a module older than the trap
		mach_task_self_args args = {};
		if (libmach::call(MACH_IOC_TASK_SELF, &args) == KERN_SUCCESS)
			name = args.name;
	}
	return name > 0 ? name : MACH_PORT_NULL;
}

namespace {

/* MIG's largest count of task_info_t words. */
constexpr unsigned task_info_max = 94;

// task_info (3405) sent to a port standing in for a task.
kern_return_t task_info_as_message(task_name_t task, task_flavor_t flavor, task_info_t info,
				   mach_msg_type_number_t *count)
{
	uint32_t in[1] = { static_cast<uint32_t>(flavor) };

	return libmach::rpc_count_out(task, 3405, in, 1, task_info_max, info, count);
}

} // namespace

LIBMACH_API kern_return_t task_info(task_name_t task, task_flavor_t flavor,
				    task_info_t info,
				    mach_msg_type_number_t *count)
{
	if (!count)
		return KERN_INVALID_ARGUMENT;
	mach_task_info_args args = {};
	args.task = task;
	args.flavor = flavor;
	args.count = *count;
	args.info = reinterpret_cast<__u64>(info);
	kern_return_t kr = libmach::call(MACH_IOC_TASK_INFO, &args);
	if (kr == libmach::send_as_message)
		return task_info_as_message(task, flavor, info, count);
	if (kr == KERN_SUCCESS)
		*count = args.count;
	return kr;
}

LIBMACH_API kern_return_t task_create(task_t parent, ledger_array_t ledgers,
				      mach_msg_type_number_t ledger_count,
				      boolean_t inherit_memory, task_t *child)
{
	if (!child)
		return KERN_INVALID_ARGUMENT;
	mach_task_create_args args = {};
	args.parent = parent;
	args.inherit_memory = inherit_memory;
	args.ledgers = reinterpret_cast<__u64>(ledgers);
	args.ledger_count = ledger_count;
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CREATE, &args);
	if (kr == libmach::send_as_message)	/* task_create (3400) */
		return libmach::rpc_task_create(parent, 3400, nullptr, 0, ledgers, ledger_count,
						nullptr, 0, inherit_memory, child);
	*child = kr == KERN_SUCCESS ? args.child : MACH_PORT_NULL;
	return kr;
}

static kern_return_t task_control(task_t task, __u32 op)
{
	mach_task_control_args args = {};
	args.task = task;
	args.op = op;
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CONTROL, &args);
	if (kr != libmach::send_as_message)
		return kr;
	/* task_suspend, task_resume, task_terminate (subsystem 3400) */
	return libmach::rpc(task, op == MACH_TASK_SUSPEND ? 3407 :
			    op == MACH_TASK_RESUME ? 3408 : 3401, nullptr, 0);
}

LIBMACH_API kern_return_t task_suspend(task_read_t task)
{
	return task_control(task, MACH_TASK_SUSPEND);
}

LIBMACH_API kern_return_t task_resume(task_read_t task)
{
	return task_control(task, MACH_TASK_RESUME);
}

LIBMACH_API kern_return_t task_terminate(task_t task)
{
	return task_control(task, MACH_TASK_TERMINATE);
}

// <mach/sample.h> describes what the module sends (uapi/mach/abi.h).
static_assert(TASK_SAMPLE_MSG_ID == MACH_SAMPLE_MSG_ID);
static_assert(TASK_SAMPLE_MAX == MACH_SAMPLE_MAX);
static_assert(TASK_SAMPLE_PERIOD_USEC * 1000ULL == MACH_SAMPLE_PERIOD_NS);
static_assert(TASK_SAMPLE_FLUSH_MSEC == MACH_SAMPLE_FLUSH_MS);
static_assert(sizeof(task_sample_t) == sizeof(mach_sample));
static_assert(sizeof(task_sample_msg_t) ==
	      sizeof(mach_msg_header_t) + sizeof(mach_sample_body));

LIBMACH_API kern_return_t task_sample(task_t task, mach_port_t reply)
{
	mach_task_control_args args = {};
	args.task = task;
	args.op = MACH_TASK_SAMPLE;
	args.value = reply;
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CONTROL, &args);
	if (kr != libmach::send_as_message)
		return kr;
	/* task_sample (3422): the port made a send right, as MIG's stub does. */
	return libmach::rpc_with_port(task, 3422, reply, MACH_MSG_TYPE_MAKE_SEND, nullptr, 0);
}

LIBMACH_API kern_return_t pid_for_task(mach_port_name_t task, int *pid)
{
	if (!pid)
		return KERN_INVALID_ARGUMENT;
	mach_task_control_args args = {};
	args.task = task;
	args.op = MACH_TASK_PID;
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CONTROL, &args);
	*pid = kr == KERN_SUCCESS ? static_cast<int>(args.value) : -1;
	return kr;
}

// The host port is every task's TASK_HOST_PORT special port, as the
// kernel hands it out at task creation (and a parent to its children).
LIBMACH_API mach_port_name_t host_self_trap(void)
{
	mach_special_port_args args = {};
	args.task = mach_task_self();
	args.which = TASK_HOST_PORT;
	if (libmach::call(MACH_IOC_SPECIAL_PORT, &args) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return args.port;
}

LIBMACH_API mach_port_t mach_host_self(void)
{
	return host_self_trap();
}

LIBMACH_API kern_return_t task_suspend2(task_read_t task, task_suspension_token_t *token)
{
	if (!token)
		return KERN_INVALID_ARGUMENT;
	mach_task_control_args args = {};
	args.task = task;
	args.op = MACH_TASK_SUSPEND2;
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CONTROL, &args);
	if (kr == libmach::send_as_message)	/* task_suspend2 (3436): a send-once right out */
		return libmach::rpc_general(task, 3436, nullptr, 0, 0, nullptr, 0, token, 1,
					    nullptr, 0, nullptr, MACH_MSG_TYPE_PORT_SEND_ONCE);
	*token = kr == KERN_SUCCESS ? args.value : MACH_PORT_NULL;
	return kr;
}

// task_resume2 (3437) is sent to the token itself, moved as the request's
// destination, as XNU's stub sends it: the kernel serves it as it is sent.
LIBMACH_API kern_return_t task_resume2(task_suspension_token_t token)
{
	struct {
		mach_msg_header_t head;
		NDR_record_t ndr;
		kern_return_t ret;
		mach_msg_max_trailer_t trailer;
	} b = {};
	mach_port_t reply = mig_get_reply_port();

	b.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b.head.msgh_size = sizeof(mach_msg_header_t);
	b.head.msgh_remote_port = token;
	b.head.msgh_local_port = reply;
	b.head.msgh_id = 3437;
	mach_msg_return_t mr = mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG,
					sizeof(mach_msg_header_t), sizeof(b), reply,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		if ((mr & 0xffffc000) == (MACH_RCV_IN_PROGRESS & 0xffffc000))
			mig_dealloc_reply_port(reply);
		return mr;
	}
	mig_put_reply_port(reply);
	if (b.head.msgh_id != 3437 + 100) {
		mach_msg_destroy(&b.head);
		return b.head.msgh_id == MACH_NOTIFY_SEND_ONCE ? MIG_SERVER_DIED : MIG_REPLY_MISMATCH;
	}
	if ((b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    b.head.msgh_size != sizeof(mig_reply_error_t)) {
		mach_msg_destroy(&b.head);
		return MIG_TYPE_ERROR;
	}
	return b.ret;
}

LIBMACH_API boolean_t mach_task_is_self(task_name_t task)
{
	if (task == mach_task_self())
		return TRUE;
	mach_task_control_args args = {};
	args.task = task;
	args.op = MACH_TASK_IS_SELF;
	return libmach::call(MACH_IOC_TASK_CONTROL, &args) == KERN_SUCCESS && args.value;
}

static kern_return_t for_pid(mach_port_name_t target, int pid, __u32 op, mach_port_name_t *t)
{
	if (!t)
		return KERN_INVALID_ARGUMENT;
	mach_task_control_args args = {};
	args.task = target;
	args.op = op;
	args.value = static_cast<__u32>(pid);
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CONTROL, &args);
	*t = kr == KERN_SUCCESS ? args.value : MACH_PORT_NULL;
	/* A trap: no port of another's answers it, nor a malformed pid. */
	return kr == libmach::send_as_message || kr == KERN_INVALID_ARGUMENT ? KERN_FAILURE : kr;
}

LIBMACH_API kern_return_t task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t)
{
	return for_pid(target_tport, pid, MACH_TASK_FOR_PID, t);
}

LIBMACH_API kern_return_t task_name_for_pid(mach_port_name_t target_tport, int pid,
					    mach_port_name_t *tn)
{
	return for_pid(target_tport, pid, MACH_TASK_NAME_FOR_PID, tn);
}

// task_set_name (GNU Mach's gnumach 4202, a simpleroutine): always a
// message, served as it is sent; no reply. The name in XNU's MIG layout
// of a c_string[*:KERNEL_DEBUG_NAME_MAX]: offset, count (with the NUL),
// the bytes padded to a word.
LIBMACH_API kern_return_t task_set_name(task_t task, const_kernel_debug_name_t name)
{
	struct {
		mach_msg_header_t head;
		NDR_record_t ndr;
		mach_msg_type_number_t offset;
		mach_msg_type_number_t count;
		char name[KERNEL_DEBUG_NAME_MAX];
	} req = {};

	if (!name)
		return KERN_INVALID_ARGUMENT;
	req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	req.head.msgh_remote_port = task;
	req.head.msgh_id = 4202;
	req.ndr = NDR_record;
	req.count = mig_strncpy_zerofill(req.name, name, KERNEL_DEBUG_NAME_MAX);
	req.head.msgh_size = offsetof(decltype(req), name) + ((req.count + 3) & ~3u);
	return mach_msg(&req.head, MACH_SEND_MSG, req.head.msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

// task_set_info (3406): always a message, as MIG's stub sends it; the
// kernel's server answers for a task (XNU sets no flavour), a stand-in
// for itself.
LIBMACH_API kern_return_t task_set_info(task_t task, task_flavor_t flavor, task_info_t info,
					mach_msg_type_number_t count)
{
	if (count > task_info_max)
		return MIG_ARRAY_TOO_LARGE;
	uint32_t in[2 + task_info_max];
	in[0] = flavor;
	in[1] = count;
	if (count)
		memcpy(&in[2], info, 4 * count);
	return libmach::rpc(task, 3406, in, 2 + count);
}
