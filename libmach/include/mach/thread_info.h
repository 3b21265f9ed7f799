/*
 * libmach: <mach/thread_info.h> -- thread_info() flavors and their data.
 */
#ifndef _MACH_THREAD_INFO_H_
#define _MACH_THREAD_INFO_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/boolean.h>
#include <mach/machine/vm_types.h>
#include <mach/message.h>
#include <mach/policy.h>
#include <mach/time_value.h>

typedef natural_t thread_flavor_t;
typedef integer_t *thread_info_t; /* buffer of integer_t, length in natural_t units */

#define THREAD_INFO_MAX (32)
typedef integer_t thread_info_data_t[THREAD_INFO_MAX];

/* THREAD_BASIC_INFO */
#define THREAD_BASIC_INFO 3

struct thread_basic_info {
	time_value_t user_time;     /* user run time */
	time_value_t system_time;   /* system run time */
	integer_t    cpu_usage;     /* scaled by TH_USAGE_SCALE */
	policy_t     policy;        /* policy in effect */
	integer_t    run_state;     /* TH_STATE_* */
	integer_t    flags;         /* TH_FLAGS_* */
	integer_t    suspend_count; /* times the thread has been suspended */
	integer_t    sleep_time;    /* seconds asleep */
};
typedef struct thread_basic_info thread_basic_info_data_t;
typedef struct thread_basic_info *thread_basic_info_t;
#define THREAD_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_basic_info_data_t) / sizeof(natural_t)))

/* THREAD_IDENTIFIER_INFO */
#define THREAD_IDENTIFIER_INFO 4

struct thread_identifier_info {
	uint64_t thread_id;      /* its Linux thread id, as the caller sees it */
	uint64_t thread_handle;  /* its TLS base: its pthread_t */
	uint64_t dispatch_qaddr; /* 0: no dispatch queue */
};
typedef struct thread_identifier_info thread_identifier_info_data_t;
typedef struct thread_identifier_info *thread_identifier_info_t;
#define THREAD_IDENTIFIER_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_identifier_info_data_t) / sizeof(natural_t)))

/* THREAD_EXTENDED_INFO: its times in ns, XNU-ranked priorities, name. */
#define THREAD_EXTENDED_INFO 5
#define MAXTHREADNAMESIZE 64

struct thread_extended_info {
	uint64_t pth_user_time;   /* user run time, ns */
	uint64_t pth_system_time; /* system run time, ns */
	int32_t  pth_cpu_usage;   /* scaled by TH_USAGE_SCALE */
	int32_t  pth_policy;      /* POLICY_TIMESHARE, or POLICY_RR if real-time */
	int32_t  pth_run_state;   /* TH_STATE_* */
	int32_t  pth_flags;       /* TH_FLAGS_* */
	int32_t  pth_sleep_time;
	int32_t  pth_curpri;      /* 31 - nice, as XNU ranks priorities */
	int32_t  pth_priority;
	int32_t  pth_maxpriority; /* 63, a user thread's highest */
	char     pth_name[MAXTHREADNAMESIZE]; /* Linux's comm */
};
typedef struct thread_extended_info thread_extended_info_data_t;
typedef struct thread_extended_info *thread_extended_info_t;
#define THREAD_EXTENDED_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(thread_extended_info_data_t) / sizeof(natural_t)))

/* cpu_usage is in thousandths. */
#define TH_USAGE_SCALE 1000

/* run_state */
#define TH_STATE_RUNNING         1 /* running normally */
#define TH_STATE_STOPPED         2 /* stopped (suspended) */
#define TH_STATE_WAITING         3 /* waiting normally */
#define TH_STATE_UNINTERRUPTIBLE 4 /* in an uninterruptible wait */
#define TH_STATE_HALTED          5 /* halted at a clean point */

/* flags */
#define TH_FLAGS_SWAPPED            0x1 /* stack swapped out */
#define TH_FLAGS_IDLE               0x2 /* an idle thread */
#define TH_FLAGS_GLOBAL_FORCED_IDLE 0x4

#define THREAD_SCHED_TIMESHARE_INFO 10
#define THREAD_SCHED_RR_INFO        11
#define THREAD_SCHED_FIFO_INFO      12

_MACH_STATIC_ASSERT(THREAD_BASIC_INFO_COUNT == 10, "THREAD_BASIC_INFO_COUNT");
_MACH_STATIC_ASSERT(THREAD_IDENTIFIER_INFO_COUNT == 6, "THREAD_IDENTIFIER_INFO_COUNT");
_MACH_STATIC_ASSERT(THREAD_EXTENDED_INFO_COUNT == 28, "THREAD_EXTENDED_INFO_COUNT");

#endif /* _MACH_THREAD_INFO_H_ */
