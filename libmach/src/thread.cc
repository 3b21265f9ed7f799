// SPDX-License-Identifier: LGPL-2.1-or-later
// thread.cc - thread_create, thread state, resume/suspend/terminate,
// task_threads.
#include <sys/mman.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/ioctl.h>

#include "channel.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

kern_return_t thread_call(__u32 op, mach_port_t port, mach_thread_args &args)
{
	args.op = op;
	args.port = port;
	return libmach::call(MACH_IOC_THREAD, &args);
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
