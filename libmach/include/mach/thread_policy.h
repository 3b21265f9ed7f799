/*
 * libmach: <mach/thread_policy.h> -- flavours of thread_policy_set() and
 * thread_policy_get(), as XNU numbers and lays them out.
 *
 * On Linux: the extended (timeshare) policy is SCHED_OTHER, and a thread
 * not sharing time (timeshare FALSE) is refused with KERN_NOT_SUPPORTED
 * (CFS has no fixed-priority class below the real-time ones); a time
 * constraint is SCHED_DEADLINE (runtime = computation, deadline =
 * constraint, period = period or the constraint), which needs
 * CAP_SYS_NICE (KERN_NO_ACCESS without; KERN_RESOURCE_SHORTAGE if the
 * deadline admission refuses it); precedence is the nice value (nice =
 * -importance, within -20..19; a lower nice as setpriority(2) allows it);
 * an affinity tag is kept and read back, a hint that places nothing.
 * Other flavours: KERN_INVALID_ARGUMENT.
 */
#ifndef _MACH_THREAD_POLICY_H_
#define _MACH_THREAD_POLICY_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/boolean.h>
#include <mach/message.h>
#include <mach/machine/vm_types.h>

typedef natural_t thread_policy_flavor_t;
typedef integer_t *thread_policy_t;

#define THREAD_STANDARD_POLICY 1 /* the extended one with its default */

struct thread_standard_policy {
	natural_t no_data;
};
typedef struct thread_standard_policy thread_standard_policy_data_t;
typedef struct thread_standard_policy *thread_standard_policy_t;

#define THREAD_STANDARD_POLICY_COUNT 0

#define THREAD_EXTENDED_POLICY 1

struct thread_extended_policy {
	boolean_t timeshare;
};
typedef struct thread_extended_policy thread_extended_policy_data_t;
typedef struct thread_extended_policy *thread_extended_policy_t;

#define THREAD_EXTENDED_POLICY_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_extended_policy_data_t) / sizeof(integer_t)))

/* In absolute time units (nanoseconds here: mach_timebase_info 1/1). */
#define THREAD_TIME_CONSTRAINT_POLICY 2

struct thread_time_constraint_policy {
	uint32_t  period;
	uint32_t  computation;
	uint32_t  constraint;
	boolean_t preemptible;
};
typedef struct thread_time_constraint_policy thread_time_constraint_policy_data_t;
typedef struct thread_time_constraint_policy *thread_time_constraint_policy_t;

#define THREAD_TIME_CONSTRAINT_POLICY_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_time_constraint_policy_data_t) / sizeof(integer_t)))

#define THREAD_PRECEDENCE_POLICY 3

struct thread_precedence_policy {
	integer_t importance;
};
typedef struct thread_precedence_policy thread_precedence_policy_data_t;
typedef struct thread_precedence_policy *thread_precedence_policy_t;

#define THREAD_PRECEDENCE_POLICY_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_precedence_policy_data_t) / sizeof(integer_t)))

#define THREAD_AFFINITY_POLICY 4

struct thread_affinity_policy {
	integer_t affinity_tag;
};
typedef struct thread_affinity_policy thread_affinity_policy_data_t;
typedef struct thread_affinity_policy *thread_affinity_policy_t;

#define THREAD_AFFINITY_TAG_NULL 0

#define THREAD_AFFINITY_POLICY_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_affinity_policy_data_t) / sizeof(integer_t)))

_MACH_STATIC_ASSERT(THREAD_TIME_CONSTRAINT_POLICY_COUNT == 4, "THREAD_TIME_CONSTRAINT_POLICY_COUNT");

#endif /* _MACH_THREAD_POLICY_H_ */
