// SPDX-License-Identifier: LGPL-2.1-or-later
// thread.cc - thread_create(_running), thread state, resume/suspend/
// terminate/abort, thread_info, special ports, policy, task_threads.
#include <string.h>
#include <sys/mman.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

/* MIG's largest counts of thread_state_t, thread_info_t, thread_policy_t words. */
constexpr unsigned state_max = 1296, info_max = 32, policy_max = 16;

// A flavour and count words after it, as thread_set_state and
// thread_policy_set (and thread_create_running) send them.
kern_return_t send_words(mach_port_t port, mach_msg_id_t id, mach_thread_args &args,
			 unsigned max, mach_port_t *port_out = nullptr)
{
	if (args.count > max)
		return MIG_ARRAY_TOO_LARGE;
	uint32_t in[2 + state_max];
	in[0] = args.flavor;
	in[1] = args.count;
	memcpy(&in[2], reinterpret_cast<const void *>(args.data), 4 * args.count);
	if (port_out)
		return libmach::rpc_port_out(port, id, in, 2 + args.count, port_out);
	return libmach::rpc(port, id, in, 2 + args.count);
}

// thread_policy_get's reply: RetCode, the count, the words, get_default.
kern_return_t policy_get_as_message(mach_port_t port, mach_thread_args &args)
{
	uint32_t in[3] = { args.flavor, args.count < policy_max ? args.count : policy_max,
			   args.value };
	uint32_t out[2 + policy_max];
	unsigned n = 0;
	kern_return_t kr = libmach::rpc(port, 3618, in, 3, out, 2 + policy_max, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	if (n < 2 || out[0] > policy_max || n != out[0] + 2 || out[0] > args.count)
		return MIG_TYPE_ERROR;
	memcpy(reinterpret_cast<void *>(args.data), &out[1], 4 * out[0]);
	args.count = out[0];
	args.value = out[1 + out[0]];
	return KERN_SUCCESS;
}

// The call sent to a port that is no thread's (or task's) as its MIG
// routine (thread_act 3600, task 3400), for a server standing in for it.
kern_return_t thread_call_as_message(__u32 op, mach_port_t port, mach_thread_args &args)
{
	kern_return_t kr;

	switch (op) {
	case MACH_THREAD_CREATE:
		return libmach::rpc_port_out(port, 3411, nullptr, 0, &args.value);
	case MACH_THREAD_RESUME:
		return libmach::rpc(port, 3606, nullptr, 0);
	case MACH_THREAD_SUSPEND:
		return libmach::rpc(port, 3605, nullptr, 0);
	case MACH_THREAD_ABORT:
		return libmach::rpc(port, 3607, nullptr, 0);
	case MACH_THREAD_TERMINATE:
		return libmach::rpc(port, 3600, nullptr, 0);
	case MACH_THREAD_GET_STATE:
	case MACH_THREAD_INFO: {
		uint32_t flavor[1] = { args.flavor };
		mach_msg_type_number_t count = args.count;
		kr = op == MACH_THREAD_INFO ?
		     libmach::rpc_count_out(port, 3612, flavor, 1, info_max,
					    reinterpret_cast<void *>(args.data), &count) :
		     libmach::rpc_count_out(port, 3603, flavor, 1, state_max,
					    reinterpret_cast<void *>(args.data), &count);
		if (kr == KERN_SUCCESS)
			args.count = count;
		return kr;
	}
	case MACH_THREAD_SET_STATE:
		return send_words(port, 3604, args, state_max);
	case MACH_THREAD_CREATE_RUNNING:
		return send_words(port, 3412, args, state_max, &args.value);
	case MACH_THREAD_ABORT_SAFELY:
		return libmach::rpc(port, 3608, nullptr, 0);
	case MACH_THREAD_GET_SPECIAL_PORT: {
		uint32_t which[1] = { args.flavor };
		return libmach::rpc_port_out(port, 3610, which, 1, &args.value);
	}
	case MACH_THREAD_SET_SPECIAL_PORT: {
		uint32_t which[1] = { args.flavor };
		return libmach::rpc_with_port(port, 3611, args.value, MACH_MSG_TYPE_COPY_SEND,
					      which, 1);
	}
	case MACH_THREAD_POLICY_SET:
		return send_words(port, 3617, args, policy_max);
	case MACH_THREAD_POLICY_GET:
		return policy_get_as_message(port, args);
	default:
		return KERN_INVALID_ARGUMENT;	/* the module sends no other here */
	}
}

kern_return_t thread_call(__u32 op, mach_port_t port, mach_thread_args &args)
{
	args.op = op;
	args.port = port;
	kern_return_t kr = libmach::call(MACH_IOC_THREAD, &args);
	/* (task_threads answers with its own pages: its caller sends it.) */
	if (kr == libmach::send_as_message && op != MACH_THREAD_LIST)
		return thread_call_as_message(op, port, args);
	return kr;
}

} // namespace

LIBMACH_API kern_return_t thread_create(task_t task, thread_act_t *thread)
{
	if (!thread)
		return KERN_INVALID_ARGUMENT;
	mach_thread_args args = {};
	kern_return_t kr = thread_call(MACH_THREAD_CREATE, task, args);
	*thread = kr == KERN_SUCCESS ? args.value : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t thread_resume(thread_read_t thread)
{
	mach_thread_args args = {};
	return thread_call(MACH_THREAD_RESUME, thread, args);
}

LIBMACH_API kern_return_t thread_suspend(thread_read_t thread)
{
	mach_thread_args args = {};
	return thread_call(MACH_THREAD_SUSPEND, thread, args);
}

LIBMACH_API kern_return_t thread_abort(thread_act_t thread)
{
	mach_thread_args args = {};
	return thread_call(MACH_THREAD_ABORT, thread, args);
}

LIBMACH_API kern_return_t thread_terminate(thread_act_t thread)
{
	mach_thread_args args = {};
	return thread_call(MACH_THREAD_TERMINATE, thread, args);
}

LIBMACH_API kern_return_t thread_get_state(thread_read_t thread,
					   thread_state_flavor_t flavor,
					   thread_state_t state,
					   mach_msg_type_number_t *count)
{
	if (!state || !count)
		return KERN_INVALID_ARGUMENT;
	mach_thread_args args = {};
	args.flavor = flavor;
	args.count = *count;
	args.data = reinterpret_cast<__u64>(state);
	kern_return_t kr = thread_call(MACH_THREAD_GET_STATE, thread, args);
	if (kr == KERN_SUCCESS)
		*count = args.count;
	return kr;
}

LIBMACH_API kern_return_t thread_set_state(thread_act_t thread,
					   thread_state_flavor_t flavor,
					   thread_state_t state,
					   mach_msg_type_number_t count)
{
	if (!state)
		return KERN_INVALID_ARGUMENT;
	if (count > state_max)	/* a MIG stub sends no more */
		return MIG_ARRAY_TOO_LARGE;
	mach_thread_args args = {};
	args.flavor = flavor;
	args.count = count;
	args.data = reinterpret_cast<__u64>(state);
	return thread_call(MACH_THREAD_SET_STATE, thread, args);
}

// The list comes back in fresh pages, the caller's to vm_deallocate.
LIBMACH_API kern_return_t task_threads(task_inspect_t task,
				       thread_act_array_t *threads,
				       mach_msg_type_number_t *count)
{
	if (!threads || !count)
		return KERN_INVALID_ARGUMENT;
	mach_msg_type_number_t room = 16;
	for (;;) {
		size_t bytes = room * sizeof(thread_act_t);
		void *buf = libmach::out_of_line(bytes);
		if (!buf)
			return KERN_RESOURCE_SHORTAGE;
		mach_thread_args args = {};
		args.count = room;
		args.data = reinterpret_cast<__u64>(buf);
		kern_return_t kr = thread_call(MACH_THREAD_LIST, task, args);
		if (kr == libmach::send_as_message) {	// task_threads (3402)
			munmap(buf, bytes);
			return libmach::rpc_ports_out(task, 3402, threads, count);
		}
		if (kr == KERN_NO_SPACE) {	// more now: make room, ask again
			munmap(buf, bytes);
			room = args.count + 16;
			continue;
		}
		if (kr != KERN_SUCCESS) {
			munmap(buf, bytes);
			return kr;
		}
		*threads = static_cast<thread_act_array_t>(buf);
		*count = args.count;
		return KERN_SUCCESS;
	}
}

LIBMACH_API mach_port_name_t thread_self_trap(void)
{
	mach_thread_args args = {};
	if (thread_call(MACH_THREAD_SELF, mach_task_self(), args) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return args.value;
}

LIBMACH_API mach_port_t mach_thread_self(void)
{
	return thread_self_trap();
}

LIBMACH_API kern_return_t thread_info(thread_inspect_t thread, thread_flavor_t flavor,
				      thread_info_t info, mach_msg_type_number_t *count)
{
	if (!info || !count)
		return KERN_INVALID_ARGUMENT;
	mach_thread_args args = {};
	args.flavor = flavor;
	args.count = *count;
	args.data = reinterpret_cast<__u64>(info);
	kern_return_t kr = thread_call(MACH_THREAD_INFO, thread, args);
	if (kr == KERN_SUCCESS)
		*count = args.count;
	return kr;
}

LIBMACH_API kern_return_t thread_create_running(task_t task, thread_state_flavor_t flavor,
						thread_state_t state,
						mach_msg_type_number_t count,
						thread_act_t *thread)
{
	if (!thread || (!state && count))
		return KERN_INVALID_ARGUMENT;
	if (count > state_max)	/* a MIG stub sends no more */
		return MIG_ARRAY_TOO_LARGE;
	mach_thread_args args = {};
	args.flavor = flavor;
	args.count = count;
	args.data = reinterpret_cast<__u64>(state);
	kern_return_t kr = thread_call(MACH_THREAD_CREATE_RUNNING, task, args);
	*thread = kr == KERN_SUCCESS ? args.value : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t thread_abort_safely(thread_act_t thread)
{
	mach_thread_args args = {};
	return thread_call(MACH_THREAD_ABORT_SAFELY, thread, args);
}

LIBMACH_API kern_return_t thread_get_special_port(thread_inspect_t thread, int which,
						  mach_port_t *port)
{
	if (!port)
		return KERN_INVALID_ARGUMENT;
	mach_thread_args args = {};
	args.flavor = static_cast<__u32>(which);
	kern_return_t kr = thread_call(MACH_THREAD_GET_SPECIAL_PORT, thread, args);
	*port = kr == KERN_SUCCESS ? args.value : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t thread_set_special_port(thread_act_t thread, int which,
						  mach_port_t port)
{
	mach_thread_args args = {};
	args.flavor = static_cast<__u32>(which);
	args.value = port;
	return thread_call(MACH_THREAD_SET_SPECIAL_PORT, thread, args);
}

LIBMACH_API kern_return_t thread_policy_set(thread_act_t thread, thread_policy_flavor_t flavor,
					    thread_policy_t info, mach_msg_type_number_t count)
{
	if (!info && count)
		return KERN_INVALID_ARGUMENT;
	if (count > policy_max)	/* a MIG stub sends no more */
		return MIG_ARRAY_TOO_LARGE;
	mach_thread_args args = {};
	args.flavor = flavor;
	args.count = count;
	args.data = reinterpret_cast<__u64>(info);
	return thread_call(MACH_THREAD_POLICY_SET, thread, args);
}

LIBMACH_API kern_return_t thread_policy_get(thread_inspect_t thread, thread_policy_flavor_t flavor,
					    thread_policy_t info, mach_msg_type_number_t *count,
					    boolean_t *get_default)
{
	if (!count || !get_default || (!info && *count))
		return KERN_INVALID_ARGUMENT;
	mach_thread_args args = {};
	args.flavor = flavor;
	args.count = *count;
	args.data = reinterpret_cast<__u64>(info);
	args.value = *get_default != 0;
	kern_return_t kr = thread_call(MACH_THREAD_POLICY_GET, thread, args);
	if (kr == KERN_SUCCESS) {
		*count = args.count;
		*get_default = args.value;
	}
	return kr;
}
