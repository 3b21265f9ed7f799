/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread_policy.h - thread_policy_get and thread_policy_set (XNU's
 * <mach/thread_policy.h> flavours) on the Linux scheduler: timeshare is
 * SCHED_OTHER, a time constraint SCHED_DEADLINE, precedence the nice
 * value; an affinity tag is kept, a hint as on XNU, and places nothing.
 */
#ifndef MACH_CORE_THREAD_POLICY_H
#define MACH_CORE_THREAD_POLICY_H

#include "thread.h"

namespace mach {

/* MIG's thread_policy_t: at most 16 integer_t. */
inline constexpr u32 thread_policy_max = 16;

/*
 * flavor's words into info (thread_policy_max), with room for *count;
 * *count becomes how many. *get_default: in, the defaults are asked for;
 * out, the defaults are what was given (the thread does not have it).
 */
Kr thread_policy_get(Thread &thread, u32 flavor, u32 *info, u32 *count, bool *get_default);
/* count words of flavor from info. */
Kr thread_policy_set(Thread &thread, u32 flavor, const u32 *info, u32 count);

} /* namespace mach */

#endif /* MACH_CORE_THREAD_POLICY_H */
