// SPDX-License-Identifier: GPL-2.0
/* thread_policy.cc - thread_policy_get and thread_policy_set on Linux's scheduler. */
#include "thread_policy.h"

namespace mach {
namespace {

/* <mach/thread_policy.h>: THREAD_STANDARD_POLICY is the extended one, 1. */
constexpr u32 extended_policy = 1, extended_count = 1;
constexpr u32 time_constraint_policy = 2, time_constraint_count = 4;
constexpr u32 precedence_policy = 3, precedence_count = 1;
constexpr u32 affinity_policy = 4, affinity_count = 1;

/*
 * XNU's bounds of a real-time computation, and what it reports of a
 * thread without a constraint (half and all of its 10 ms quantum), in
 * absolute time: nanoseconds on x86.
 */
constexpr u32 min_rt_quantum = 50000, max_rt_quantum = 50000000;
constexpr u32 default_computation = 5000000, default_constraint = 10000000;
constexpr s32 nice_min = -20, nice_max = 19;

Kr sched_error(int err)
{
	switch (err) {
	case 0:
		return Kr::Success;
	case -MACH_ESRCH:
		return Kr::Terminated;
	case -MACH_EPERM:
		return Kr::NoAccess;		/* Linux's rule: not the caller's to raise */
	case -MACH_EBUSY:
		return Kr::ResourceShortage;	/* deadline admission: no bandwidth left */
	default:
		return Kr::InvalidArgument;
	}
}

bool timeshare(const mach_thread_sched &sched)
{
	return sched.policy != 1 && sched.policy != 2 && sched.policy != MACH_SCHED_DEADLINE;
}

Kr set_time_constraint(Thread &thread, const u32 *info)
{
	u32 period = info[0], computation = info[1], constraint = info[2];
	if (constraint < computation || computation > max_rt_quantum ||
	    computation < min_rt_quantum)
		return Kr::InvalidArgument;
	/* As XNU: at least half the constraint. */
	if (computation < constraint / 2)
		computation = constraint / 2 < max_rt_quantum ? constraint / 2 : max_rt_quantum;
	/* SCHED_DEADLINE has no period shorter than its deadline. */
	if (period && period < constraint)
		return Kr::InvalidArgument;
	mach_thread_sched sched{};
	sched.policy = MACH_SCHED_DEADLINE;
	sched.runtime_ns = computation;
	sched.deadline_ns = constraint;
	sched.period_ns = period ? period : constraint;
	/* (preemptible, info[3]: a deadline thread is always preemptible.) */
	return sched_error(mach_shim_thread_set_sched(thread.os(), &sched));
}

} /* namespace */

Kr thread_policy_get(Thread &thread, u32 flavor, u32 *info, u32 *count, bool *get_default)
{
	mach_thread_sched sched{};
	if (*count > thread_policy_max)
		*count = thread_policy_max;
	__builtin_memset(info, 0, 4 * *count);
	switch (flavor) {
	case extended_policy:
		if (!*get_default) {
			Kr kr = sched_error(mach_shim_thread_sched_get(thread.os(), &sched));
			if (kr != Kr::Success)
				return kr;
			/* A real-time thread answers with the default. */
			*get_default = !timeshare(sched);
		}
		if (*count >= extended_count)
			info[0] = 1;	/* TRUE: SCHED_OTHER, BATCH, IDLE share time */
		return Kr::Success;
	case time_constraint_policy:
		if (*count < time_constraint_count)
			return Kr::InvalidArgument;
		if (!*get_default) {
			Kr kr = sched_error(mach_shim_thread_sched_get(thread.os(), &sched));
			if (kr != Kr::Success)
				return kr;
			*get_default = sched.policy != MACH_SCHED_DEADLINE;
		}
		if (*get_default) {
			info[0] = 0;
			info[1] = default_computation;
			info[2] = default_constraint;
		} else {
			info[0] = static_cast<u32>(sched.period_ns);
			info[1] = static_cast<u32>(sched.runtime_ns);
			info[2] = static_cast<u32>(sched.deadline_ns);
		}
		info[3] = 1;	/* preemptible */
		return Kr::Success;
	case precedence_policy:
		if (*count < precedence_count)
			return Kr::InvalidArgument;
		if (!*get_default) {
			Kr kr = sched_error(mach_shim_thread_sched_get(thread.os(), &sched));
			if (kr != Kr::Success)
				return kr;
			/* Importance above the task's, as nice below 0. */
			info[0] = static_cast<u32>(-sched.nice);
		}
		return Kr::Success;
	case affinity_policy:
		if (*count < affinity_count)
			return Kr::InvalidArgument;
		info[0] = *get_default ? 0 : thread.affinity_tag();
		return Kr::Success;
	default:
		return Kr::InvalidArgument;
	}
}

Kr thread_policy_set(Thread &thread, u32 flavor, const u32 *info, u32 count)
{
	switch (flavor) {
	case extended_policy: {
		bool share = count < extended_count || info[0];
		/* XNU's fixed priority without decay: CFS has no such class. */
		if (!share)
			return Kr::NotSupported;
		mach_thread_sched sched{};
		Kr kr = sched_error(mach_shim_thread_sched_get(thread.os(), &sched));
		if (kr != Kr::Success || timeshare(sched))
			return kr;
		sched = {};
		sched.policy = MACH_SCHED_OTHER;
		return sched_error(mach_shim_thread_set_sched(thread.os(), &sched));
	}
	case time_constraint_policy:
		if (count < time_constraint_count)
			return Kr::InvalidArgument;
		return set_time_constraint(thread, info);
	case precedence_policy: {
		if (count < precedence_count)
			return Kr::InvalidArgument;
		s32 importance = static_cast<s32>(info[0]);
		s32 nice = importance < -nice_max ? nice_max :
			   importance > -nice_min ? nice_min : -importance;
		return sched_error(mach_shim_thread_set_nice(thread.os(), nice));
	}
	case affinity_policy:
		if (count < affinity_count)
			return Kr::InvalidArgument;
		thread.set_affinity_tag(info[0]);
		return Kr::Success;
	default:
		return Kr::InvalidArgument;
	}
}

} /* namespace mach */
