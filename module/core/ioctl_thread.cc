// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_thread.cc - MACH_IOC_THREAD decoded: thread_create and the calls
 * on a thread (thread_calls.h, thread_policy.h).
 */
#include "ioctl.h"
#include "resolve.h"
#include "thread_calls.h"
#include "thread_policy.h"

namespace mach {
namespace {

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
		return ioctl_result(kr);
	/* The caller's own task's thread may be cloned by the calling thread. */
	bool later = false;
	if (args.op == MACH_THREAD_CREATE_RUNNING) {
		u32 state[thread_state_max];
		kr = copy_in_state(args, state);
		if (kr == Kr::Success)
			kr = thread_create_running(caller, *task.get(), program, args.flavor, state,
						   args.count, &args.value, &later);
		return kr == Kr::Success && later ? MACH_LATER : ioctl_result(kr);
	}
	if (create) {
		kr = thread_create(caller, *task.get(), program, &args.value, &later);
		return kr == Kr::Success && later ? MACH_LATER : ioctl_result(kr);
	}

	constexpr u32 max = 1024;
	u32 capacity = args.count < max ? args.count : max, count = 0;
	u32 *names = nullptr;
	if (capacity) {
		names = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY, 4ull * capacity));
		if (!names) {
			args.count = 0;
			return ioctl_result(Kr::ResourceShortage);
		}
	}
	kr = thread_list(caller, *task.get(), names, capacity, &count);
	if (kr == Kr::Success && count && mach_shim_copy_out(args.data, names, 4ull * count))
		kr = Kr::InvalidAddress;
	if (names)
		mach_shim_free(MACH_KIND_MEMORY, names);
	args.count = count;
	return ioctl_result(kr);
}

long thread_state(Thread &thread, mach_thread_args &args)
{
	u32 state[thread_state_max];
	u32 count = args.count;
	if (args.op == MACH_THREAD_SET_STATE) {
		Kr kr = copy_in_state(args, state);
		if (kr != Kr::Success)
			return ioctl_result(kr);
		return ioctl_result(thread_set_state(thread, args.flavor, state, count));
	}
	Kr kr = thread_get_state(thread, args.flavor, state, &count);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	if (mach_shim_copy_out(args.data, state, count * sizeof(u32)))
		return ioctl_result(Kr::InvalidAddress);
	args.count = count;
	return ioctl_result(Kr::Success);
}

/* thread_get_special_port, thread_set_special_port. */
long thread_special_port(Task &caller, Thread &thread, mach_thread_args &args)
{
	TransitRight right;
	if (args.op == MACH_THREAD_SET_SPECIAL_PORT) {
		if (Name{args.value}.valid()) {
			Kr kr = caller.space().copyin_right(Name{args.value}, CopySend, &right);
			if (kr != Kr::Success)
				return ioctl_result(kr);
		}
		return ioctl_result(thread_set_special_port(thread, args.flavor, right));
	}
	args.value = Name::null;
	Kr kr = thread_get_special_port(thread, args.flavor, &right);
	if (kr != Kr::Success || !right.port)
		return ioctl_result(kr);
	return ioctl_result(caller.space().copyout(right, &args.value));
}

/* thread_policy_get, thread_policy_set. */
long thread_policy(Thread &thread, mach_thread_args &args)
{
	u32 info[thread_policy_max] = {};
	u32 count = args.count < thread_policy_max ? args.count : thread_policy_max;
	if (args.op == MACH_THREAD_POLICY_SET) {
		if (args.count > thread_policy_max)
			return ioctl_malformed;	/* (libmach: MIG_ARRAY_TOO_LARGE) */
		if (count && mach_shim_copy_in(info, args.data, 4ull * count))
			return ioctl_result(Kr::InvalidAddress);
		return ioctl_result(thread_policy_set(thread, args.flavor, info, count));
	}
	if (args.value > 1)
		return ioctl_malformed;	/* get_default is a boolean */
	bool get_default = args.value;
	Kr kr = thread_policy_get(thread, args.flavor, info, &count, &get_default);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	if (count && mach_shim_copy_out(args.data, info, 4ull * count))
		return ioctl_result(Kr::InvalidAddress);
	args.count = count;
	args.value = get_default;
	return ioctl_result(Kr::Success);
}

} /* namespace */

long thread_ioctl(Task &caller, mach_thread_args &args)
{
	if (args.flags)
		return ioctl_malformed;
	if (args.op == MACH_THREAD_CREATE || args.op == MACH_THREAD_CREATE_RUNNING ||
	    args.op == MACH_THREAD_LIST)
		return thread_task_call(caller, args);
	if (args.op == MACH_THREAD_SELF)
		return ioctl_result(thread_self(caller, &args.value));

	Ref<Thread> thread;
	Kr kr = resolve_target_thread(caller, args.port, &thread);
	if (kr != Kr::Success)
		return ioctl_result(kr);
	bool run;

	switch (args.op) {
	case MACH_THREAD_RESUME:
		return ioctl_result(thread->resume(&run));
	case MACH_THREAD_SUSPEND:
		return ioctl_result(thread->suspend());
	case MACH_THREAD_INFO: {
		u32 info[thread_info_max];
		u32 count = args.count;
		kr = thread_info(*thread.get(), args.flavor, info, &count);
		if (kr != Kr::Success)
			return ioctl_result(kr);
		if (mach_shim_copy_out(args.data, info, count * sizeof(u32)))
			return ioctl_result(Kr::InvalidAddress);
		args.count = count;
		return ioctl_result(Kr::Success);
	}
	case MACH_THREAD_ABORT:
		mach_shim_thread_abort(thread->os());
		return ioctl_result(Kr::Success);
	case MACH_THREAD_ABORT_SAFELY:
		return ioctl_result(thread_abort_safely(*thread.get()));
	case MACH_THREAD_GET_SPECIAL_PORT:
	case MACH_THREAD_SET_SPECIAL_PORT:
		return thread_special_port(caller, *thread.get(), args);
	case MACH_THREAD_POLICY_GET:
	case MACH_THREAD_POLICY_SET:
		return thread_policy(*thread.get(), args);
	case MACH_THREAD_TERMINATE:
		thread_terminate(*thread.get());
		return ioctl_result(Kr::Success);
	case MACH_THREAD_GET_STATE:
	case MACH_THREAD_SET_STATE:
		return thread_state(*thread.get(), args);
	default:
		return ioctl_malformed;
	}
}

} /* namespace mach */
