// SPDX-License-Identifier: GPL-2.0
/* thread_calls.cc - the thread_* calls and task_threads. */
#include "resolve.h"
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

/*
 * What was made and named for a thread that will not be goes: the name
 * only if it is still the thread's (the thread terminated by the program
 * meanwhile, what is left under the name is the program's to tell).
 */
Kr unmake_named(Task &caller, Task &task, Thread &thread, u32 *name, int err)
{
	if (Ref<Port> port = thread.port())
		caller.space().take_back(Name{*name}, port.get());
	*name = Name::null;
	thread_unmake(task, thread);
	return spawn_error(err);
}

/*
 * A thread that came not cloned yet (*later), named *name now: cloned, by
 * the calling thread on its way out of the ioctl (*later stays set) or
 * here. Past this point nothing may fail but the clone.
 */
Kr clone_named(Task &caller, Task &task, Thread &thread, u32 *name, bool *later)
{
	if (!later || !*later)
		return Kr::Success;
	int err = mach_shim_thread_clone(task.os(), thread.os());
	if (err == MACH_LATER)
		return Kr::Success;
	*later = false;
	return err ? unmake_named(caller, task, thread, name, err) : Kr::Success;
}

} /* namespace */

Kr thread_make(Task &task, u64 program, Ref<Thread> *made, bool *later)
{
	int err = 0;
	mach_thread_os *os = mach_shim_thread_create(task.os(), program, later != nullptr,
						     &err);
	if (!os)
		return spawn_error(err);
	Thread *thread = Thread::create(&task, os);	/* owns os */
	if (!thread)
		return Kr::ResourceShortage;
	*made = Ref<Thread>::adopt(thread);
	if (task.add_thread(thread)) {
		if (later)
			*later = err == MACH_LATER;
		return Kr::Success;
	}
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

Kr thread_create(Task &caller, Task &task, u64 program, u32 *name, bool *later)
{
	Ref<Thread> thread;
	Kr kr = thread_make(task, program, &thread, later);
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
	return clone_named(caller, task, *thread.get(), name, later);
}

Kr thread_create_done(Task &caller, u32 *name, int err, const mach_thread_os *made)
{
	if (!err)
		return Kr::Success;
	/* Its record was told to end; the thread, if not terminated already. */
	if (Ref<Thread> thread = caller.thread_backed_by(made))
		return unmake_named(caller, caller, *thread.get(), name, err);
	*name = Name::null;
	return spawn_error(err);
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

namespace {

constexpr u32 basic_info = 3, basic_info_count = 10;
constexpr u32 identifier_info = 4, identifier_info_count = 6;
constexpr u32 extended_info = 5, extended_info_count = 28;
constexpr u32 policy_timeshare = 1, policy_rr = 2;
/* XNU's priorities: a timeshare thread's base, and the most a user's may be. */
constexpr s32 basepri_default = 31, maxpri_user = 63;

/* XNU's priority of a thread at nice: its importance (-nice) above the base. */
s32 xnu_priority(s32 nice)
{
	s32 pri = basepri_default - nice;
	return pri < 0 ? 0 : pri > maxpri_user ? maxpri_user : pri;
}

void put64(u32 *words, u64 value)
{
	__builtin_memcpy(words, &value, sizeof(value));
}

/* THREAD_BASIC_INFO (10 integer_t), as on the anchors. */
void basic(Thread &thread, const mach_thread_stats &stats, u32 policy, u32 *info)
{
	const u32 words[basic_info_count] = {
		static_cast<u32>(stats.user_ns / 1000000000u),
		static_cast<u32>(stats.user_ns % 1000000000u / 1000u),
		static_cast<u32>(stats.system_ns / 1000000000u),
		static_cast<u32>(stats.system_ns % 1000000000u / 1000u),
		0,			/* cpu_usage */
		policy,
		stats.run_state,
		0,			/* flags */
		thread.suspend_count(),
		0,			/* sleep_time */
	};
	__builtin_memcpy(info, words, sizeof(words));
}

/*
 * THREAD_EXTENDED_INFO (28 integer_t): times in ns (to the microsecond,
 * as XNU's), the basic info's words, XNU's priorities, its name (64 bytes).
 */
void extended(Thread &thread, u32 *info)
{
	mach_thread_stats stats{};
	mach_shim_thread_stats(thread.os(), &stats);
	mach_thread_sched sched{};
	mach_shim_thread_sched_get(thread.os(), &sched);
	bool timeshare = sched.policy != 1 && sched.policy != 2 &&
			 sched.policy != MACH_SCHED_DEADLINE;
	u32 b[basic_info_count];
	basic(thread, stats, timeshare ? policy_timeshare : policy_rr, b);
	put64(&info[0], stats.user_ns / 1000u * 1000u);
	put64(&info[2], stats.system_ns / 1000u * 1000u);
	info[4] = b[4];		/* cpu_usage */
	info[5] = b[5];		/* policy */
	info[6] = b[6];		/* run_state */
	info[7] = b[7];		/* flags */
	info[8] = b[9];		/* sleep_time */
	info[9] = static_cast<u32>(xnu_priority(sched.nice));	/* curpri */
	info[10] = info[9];					/* priority */
	info[11] = static_cast<u32>(maxpri_user);		/* maxpriority */
	mach_thread_identity id{};
	mach_shim_thread_identity(thread.os(), &id);
	__builtin_memset(&info[12], 0, 64);
	__builtin_memcpy(&info[12], id.name, sizeof(id.name));
	reinterpret_cast<char *>(&info[12])[sizeof(id.name) - 1] = 0;
}

} /* namespace */

/*
 * THREAD_BASIC_INFO, THREAD_IDENTIFIER_INFO (thread_id: its Linux thread
 * id as the caller sees it; thread_handle: its TLS base, the pthread_t;
 * no dispatch queue), THREAD_EXTENDED_INFO.
 */
Kr thread_info(Thread &thread, u32 flavor, u32 *info, u32 *count)
{
	static_assert(extended_info_count <= thread_info_max);
	switch (flavor) {
	case basic_info: {
		if (*count < basic_info_count)
			return Kr::InvalidArgument;
		mach_thread_stats stats{};
		mach_shim_thread_stats(thread.os(), &stats);
		basic(thread, stats, policy_timeshare, info);
		*count = basic_info_count;
		return Kr::Success;
	}
	case identifier_info: {
		if (*count < identifier_info_count)
			return Kr::InvalidArgument;
		mach_thread_identity id{};
		mach_shim_thread_identity(thread.os(), &id);
		put64(&info[0], static_cast<u64>(mach_shim_thread_tid(thread.os())));
		put64(&info[2], id.handle);
		put64(&info[4], 0);
		*count = identifier_info_count;
		return Kr::Success;
	}
	case extended_info:
		if (*count < extended_info_count)
			return Kr::InvalidArgument;
		extended(thread, info);
		*count = extended_info_count;
		return Kr::Success;
	default:
		return Kr::InvalidArgument;
	}
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

Kr thread_make_with_state(Task &task, u64 program, u32 flavor, u32 *state, u32 count,
			  Ref<Thread> *made, bool *later)
{
	Kr kr = thread_make(task, program, made, later);
	if (kr != Kr::Success)
		return kr;
	kr = thread_set_state(*made->get(), flavor, state, count);
	if (kr != Kr::Success) {
		thread_unmake(task, *made->get());
		*made = Ref<Thread>{};
	}
	return kr;
}

Kr thread_create_running(Task &caller, Task &task, u64 program, u32 flavor, u32 *state,
			 u32 count, u32 *name, bool *later)
{
	/*
	 * Only its registers are kept for a thread not cloned yet: one given
	 * another state (its FPU's) is cloned before it is set.
	 */
	u32 inner = unified_state_inner(flavor);
	if ((inner ? inner : flavor) != thread_state_flavor)
		later = nullptr;
	Ref<Thread> thread;
	Kr kr = thread_make_with_state(task, program, flavor, state, count, &thread, later);
	if (kr != Kr::Success)
		return kr;
	Ref<Port> port = thread->port();
	Name made{Name::null};
	kr = port ? caller.space().make_send(port.get(), &made) : Kr::Failure;
	if (kr != Kr::Success) {
		thread_unmake(task, *thread.get());
		return kr;
	}
	*name = made.value;
	bool run;
	thread->resume(&run);
	return clone_named(caller, task, *thread.get(), name, later);
}

Kr thread_abort_safely(Thread &thread)
{
	mach_shim_thread_abort_safely(thread.os());
	return Kr::Success;
}

Kr thread_get_special_port(Thread &thread, u32 which, TransitRight *right)
{
	*right = {};
	if (which < thread_kernel_port || which > thread_read_port)
		return Kr::InvalidArgument;
	/* One port per thread here: the inspect and read ports are it too. */
	Ref<Port> port = thread.port();
	if (!port)
		return Kr::Failure;	/* no longer active */
	port->make_send();
	*right = TransitRight{port.release(), MoveSend};
	return Kr::Success;
}

Kr thread_set_special_port(Thread &, u32 which, TransitRight right)
{
	if (right.port)
		right.port->drop(right);
	/* XNU (its system integrity on): a thread's own port stays its own. */
	return which == thread_kernel_port ? Kr::NoAccess : Kr::InvalidArgument;
}

void thread_terminate(Thread &thread)
{
	thread.terminate();
	thread.task()->remove_thread(&thread);
	mach_shim_thread_kill(thread.os());
}

} /* namespace mach */
