// SPDX-License-Identifier: GPL-2.0
/* thread_calls.cc - the thread_* calls and task_threads. */
#include "task_create.h"
#include "thread_calls.h"

namespace mach {
namespace {

/* rip, rsp and the fs and gs bases a thread may be given: user, canonical. */
bool user_address(u64 a)
{
	return a < mach_shim_user_address_end();
}

/*
 * thread_get_state's and thread_set_state's stop, as XNU's thread_stop
 * and thread_unstop: a running thread is held until it stands where its
 * user registers are saved, the work is done, and it goes on (unless it
 * is suspended). One that holds still already (suspended and parked,
 * waiting for its exception's handlers, or the caller itself) is not
 * held. No core lock is held across the wait.
 */
class Stop {
public:
	explicit Stop(Thread &thread) : os_(thread.os())
	{
		mach_bool held = false;
		int err = mach_shim_thread_stop(os_, &held);
		held_ = held;
		kr_ = !err ? Kr::Success : err == -MACH_EINTR ? Kr::Aborted :
		      err == -MACH_ESRCH ? Kr::Terminated : Kr::Failure;
	}
	~Stop()
	{
		if (held_)
			mach_shim_thread_release(os_);
	}
	Stop(const Stop &) = delete;
	Stop &operator=(const Stop &) = delete;

	Kr result() const { return kr_; }

private:
	mach_thread_os *const os_;
	bool held_;
	Kr kr_;
};

Kr exception_state(Thread &thread, u32 *state, u32 *count)
{
	if (*count < exception_state_count)
		return Kr::InvalidArgument;
	Stop stop(thread);
	if (stop.result() != Kr::Success)
		return stop.result();
	if (mach_shim_thread_get_exception(thread.os(), state))
		return Kr::Failure;
	*count = exception_state_count;
	return Kr::Success;
}

} /* namespace */

Kr thread_make(Task &task, u64 program, Ref<Thread> *made)
{
	int err = 0;
	mach_thread_os *os = mach_shim_thread_create(task.os(), program, &err);
	if (!os)
		return spawn_error(err);
	Thread *thread = Thread::create(&task, os);	/* owns os */
	if (!thread)
		return Kr::ResourceShortage;
	*made = Ref<Thread>::adopt(thread);
	if (task.add_thread(thread))
		return Kr::Success;
	thread->terminate();	/* the task died meanwhile */
	mach_shim_thread_kill(os);
	*made = Ref<Thread>{};
	return Kr::InvalidArgument;
}

void thread_unmake(Task &task, Thread &thread)
{
	task.remove_thread(&thread);
	thread.terminate();
	mach_shim_thread_kill(thread.os());
}

Kr thread_create(Task &caller, Task &task, u64 program, u32 *name)
{
	Ref<Thread> thread;
	Kr kr = thread_make(task, program, &thread);
	if (kr != Kr::Success)
		return kr;
	Ref<Port> port = thread->port();
	Name made{Name::null};
	kr = caller.space().make_send(port.get(), &made);
	if (kr != Kr::Success) {
		thread_unmake(task, *thread.get());
		return kr;
	}
	*name = made.value;
	return Kr::Success;
}

Kr thread_self(Task &caller, u32 *name)
{
	Ref<Thread> thread = caller.adopt_current();
	if (!thread)
		return Kr::ResourceShortage;
	Ref<Port> port = thread->port();
	Name made{Name::null};
	Kr kr = port ? caller.space().make_send(port.get(), &made) : Kr::Failure;
	*name = made.value;
	return kr;
}

Kr thread_rights(Task &task, TransitRight *rights, u32 capacity, u32 *count)
{
	*count = 0;
	Thread **threads = nullptr;
	if (capacity) {
		threads = static_cast<Thread **>(mach_shim_alloc(MACH_KIND_MEMORY,
								 sizeof(Thread *) * capacity));
		if (!threads)
			return Kr::ResourceShortage;
	}
	task.adopt_threads();
	task.threads(threads, capacity, count);
	u32 got = *count < capacity ? *count : capacity;
	for (u32 i = 0; i < got; i++) {
		Ref<Port> port = threads[i]->port();
		rights[i] = {};
		if (port) {
			port->make_send();
			rights[i] = TransitRight{port.release(), MoveSend};
		}
		threads[i]->put();
	}
	if (threads)
		mach_shim_free(MACH_KIND_MEMORY, threads);
	return *count > capacity ? Kr::NoSpace : Kr::Success;
}

Kr thread_list(Task &caller, Task &task, u32 *names, u32 capacity, u32 *count)
{
	TransitRight *rights = nullptr;
	if (capacity) {
		rights = static_cast<TransitRight *>(mach_shim_alloc(MACH_KIND_MEMORY,
								     sizeof(TransitRight) * capacity));
		if (!rights) {
			*count = 0;
			return Kr::ResourceShortage;
		}
	}
	Kr kr = thread_rights(task, rights, capacity, count);
	u32 got = *count < capacity ? *count : capacity;
	for (u32 i = 0; i < got; i++) {
		names[i] = Name::null;
		if (rights[i].port)
			caller.space().copyout(rights[i], &names[i]);
	}
	if (rights)
		mach_shim_free(MACH_KIND_MEMORY, rights);
	return kr;
}

/* THREAD_BASIC_INFO, laid out as on the anchors (10 integer_t). */
Kr thread_info(Thread &thread, u32 flavor, u32 *info, u32 *count)
{
	constexpr u32 basic_info = 3, basic_info_count = 10;
	constexpr u32 policy_timeshare = 1;
	static_assert(basic_info_count <= thread_info_max);
	if (flavor != basic_info || *count < basic_info_count)
		return Kr::InvalidArgument;
	mach_thread_stats stats{};
	mach_shim_thread_stats(thread.os(), &stats);
	const u32 basic[basic_info_count] = {
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
	__builtin_memcpy(info, basic, sizeof(basic));
	*count = basic_info_count;
	return Kr::Success;
}

u32 thread_state_settable(u32 flavor)
{
	switch (flavor) {
	case thread_state_flavor:
		return thread_state_count;
	case float_state_flavor:
		return float_state_count;
	case unified_thread_state_flavor:
		return state_header_count + thread_state_count;
	case unified_float_state_flavor:
		return state_header_count + float_state_count;
	default:
		return 0;
	}
}

Kr thread_get_state(Thread &thread, u32 flavor, u32 *state, u32 *count)
{
	if (u32 inner = unified_state_inner(flavor)) {
		if (*count < state_header_count)
			return Kr::InvalidArgument;
		u32 words = *count - state_header_count;
		Kr kr = thread_get_state(thread, inner, state + state_header_count, &words);
		if (kr != Kr::Success)
			return kr;
		state[0] = inner;
		state[1] = words;
		*count = state_header_count + words;
		return Kr::Success;
	}
	switch (flavor) {
	case exception_state_flavor:
		return exception_state(thread, state, count);
	case float_state_flavor: {
		if (*count < float_state_count)
			return Kr::InvalidArgument;
		Stop stop(thread);
		if (stop.result() != Kr::Success)
			return stop.result();
		__builtin_memset(state, 0, float_state_count * sizeof(u32));
		if (mach_shim_thread_get_fpu(thread.os(), &state[float_state_fxsave]))
			return Kr::Failure;
		*count = float_state_count;
		return Kr::Success;
	}
	case thread_state_flavor: {
		if (*count < thread_state_count)
			return Kr::InvalidArgument;
		Stop stop(thread);
		if (stop.result() != Kr::Success)
			return stop.result();
		u64 regs[MACH_X86_THREAD_STATE64_WORDS];
		if (mach_shim_thread_get_state(thread.os(), regs))
			return Kr::Failure;
		__builtin_memcpy(state, regs, sizeof(regs));
		*count = thread_state_count;
		return Kr::Success;
	}
	default:
		return Kr::InvalidArgument;
	}
}

Kr thread_set_state(Thread &thread, u32 flavor, u32 *state, u32 count)
{
	if (u32 inner = unified_state_inner(flavor)) {
		/* The header names the flavour it holds: the 64-bit one only. */
		if (count < state_header_count || state[0] != inner ||
		    state[1] > count - state_header_count)
			return Kr::InvalidArgument;
		return thread_set_state(thread, inner, state + state_header_count, state[1]);
	}
	switch (flavor) {
	case float_state_flavor: {
		if (count < float_state_count)
			return Kr::InvalidArgument;
		/* (Its own live FPU is no image to write over.) */
		if (mach_shim_thread_is_current(thread.os()) &&
		    !mach_shim_thread_in_fault(thread.os()))
			return Kr::Failure;
		Stop stop(thread);
		if (stop.result() != Kr::Success)
			return stop.result();
		/* MXCSR's reserved bits are dropped, as XNU does. */
		state[float_state_mxcsr] &= mxcsr_defined;
		return mach_shim_thread_set_fpu(thread.os(), &state[float_state_fxsave]) ?
		       Kr::Failure : Kr::Success;
	}
	case thread_state_flavor: {
		if (count < thread_state_count)
			return Kr::InvalidArgument;
		u64 regs[MACH_X86_THREAD_STATE64_WORDS];
		__builtin_memcpy(regs, state, sizeof(regs));
		if (!user_address(regs[MACH_X86_RIP]) || !user_address(regs[MACH_X86_RSP]) ||
		    !user_address(regs[MACH_X86_FS]) || !user_address(regs[MACH_X86_GS]))
			return Kr::InvalidArgument;
		Stop stop(thread);
		if (stop.result() != Kr::Success)
			return stop.result();
		return mach_shim_thread_set_state(thread.os(), regs) ? Kr::Failure :
								      Kr::Success;
	}
	default:
		/* x86_EXCEPTION_STATE64 is read-only; the rest unknown. */
		return Kr::InvalidArgument;
	}
}

void thread_terminate(Thread &thread)
{
	thread.terminate();
	thread.task()->remove_thread(&thread);
	mach_shim_thread_kill(thread.os());
}

} /* namespace mach */
