/*
 * libmach: <mach/task_info.h> -- task_info() flavors and their data.
 *
 * The whole flavor set is packed to 4 bytes as on XNU, so the 64-bit
 * structures have the counts XNU programs expect (e.g. 10 for
 * TASK_BASIC_INFO_64, 12 for MACH_TASK_BASIC_INFO).
 */
#ifndef _MACH_TASK_INFO_H_
#define _MACH_TASK_INFO_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/machine/vm_types.h>
#include <mach/message.h>
#include <mach/policy.h>
#include <mach/time_value.h>

typedef natural_t task_flavor_t;
typedef integer_t *task_info_t; /* buffer of integer_t, length in natural_t units */

#define TASK_INFO_MAX (1024)
typedef integer_t task_info_data_t[TASK_INFO_MAX];

#pragma pack(push, 4)

/* TASK_BASIC_INFO_32: sizes truncated to 32 bits. */
#define TASK_BASIC_INFO_32  4
#define TASK_BASIC2_INFO_32 6

struct task_basic_info_32 {
	integer_t    suspend_count; /* times the task has been suspended */
	natural_t    virtual_size;  /* bytes of address space */
	natural_t    resident_size; /* bytes resident in memory */
	time_value_t user_time;     /* user time of terminated threads */
	time_value_t system_time;   /* system time of terminated threads */
	policy_t     policy;        /* default policy of new threads */
};
typedef struct task_basic_info_32 task_basic_info_32_data_t;
typedef struct task_basic_info_32 *task_basic_info_32_t;
#define TASK_BASIC_INFO_32_COUNT \
	(sizeof(task_basic_info_32_data_t) / sizeof(natural_t))

/* TASK_BASIC_INFO_64: 64-bit sizes. */
struct task_basic_info_64 {
	integer_t      suspend_count;
	mach_vm_size_t virtual_size;
	mach_vm_size_t resident_size;
	time_value_t   user_time;
	time_value_t   system_time;
	policy_t       policy;
};
typedef struct task_basic_info_64 task_basic_info_64_data_t;
typedef struct task_basic_info_64 *task_basic_info_64_t;

#if defined(__aarch64__)
/* On arm64 the XNU user headers route the 64-bit flavor through number 18. */
#define TASK_BASIC_INFO_64_2 18
struct task_basic_info_64_2 {
	integer_t      suspend_count;
	mach_vm_size_t virtual_size;
	mach_vm_size_t resident_size;
	time_value_t   user_time;
	time_value_t   system_time;
	policy_t       policy;
};
typedef struct task_basic_info_64_2 task_basic_info_64_2_data_t;
typedef struct task_basic_info_64_2 *task_basic_info_64_2_t;
#define TASK_BASIC_INFO_64_2_COUNT \
	(sizeof(task_basic_info_64_2_data_t) / sizeof(natural_t))

#define TASK_BASIC_INFO_64       TASK_BASIC_INFO_64_2
#define TASK_BASIC_INFO_64_COUNT TASK_BASIC_INFO_64_2_COUNT
#else
#define TASK_BASIC_INFO_64 5
#define TASK_BASIC_INFO_64_COUNT \
	(sizeof(task_basic_info_64_data_t) / sizeof(natural_t))
#endif

/* TASK_BASIC_INFO: native sizes; on LP64 this is the 64-bit flavor. */
struct task_basic_info {
	integer_t    suspend_count;
	vm_size_t    virtual_size;
	vm_size_t    resident_size;
	time_value_t user_time;
	time_value_t system_time;
	policy_t     policy;
};
typedef struct task_basic_info task_basic_info_data_t;
typedef struct task_basic_info *task_basic_info_t;
#define TASK_BASIC_INFO_COUNT \
	(sizeof(task_basic_info_data_t) / sizeof(natural_t))
#define TASK_BASIC_INFO TASK_BASIC_INFO_64

/* TASK_EVENTS_INFO */
#define TASK_EVENTS_INFO 2

struct task_events_info {
	integer_t faults;            /* page faults */
	integer_t pageins;           /* actual page-ins */
	integer_t cow_faults;        /* copy-on-write faults */
	integer_t messages_sent;
	integer_t messages_received;
	integer_t syscalls_mach;
	integer_t syscalls_unix;
	integer_t csw;               /* context switches */
};
typedef struct task_events_info task_events_info_data_t;
typedef struct task_events_info *task_events_info_t;
#define TASK_EVENTS_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_events_info_data_t) / sizeof(natural_t)))

/* TASK_THREAD_TIMES_INFO: times of the live threads only. */
#define TASK_THREAD_TIMES_INFO 3

struct task_thread_times_info {
	time_value_t user_time;
	time_value_t system_time;
};
typedef struct task_thread_times_info task_thread_times_info_data_t;
typedef struct task_thread_times_info *task_thread_times_info_t;
#define TASK_THREAD_TIMES_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_thread_times_info_data_t) / sizeof(natural_t)))

/* TASK_ABSOLUTETIME_INFO */
#define TASK_ABSOLUTETIME_INFO 1

struct task_absolutetime_info {
	uint64_t total_user;
	uint64_t total_system;
	uint64_t threads_user;   /* live threads only */
	uint64_t threads_system;
};
typedef struct task_absolutetime_info task_absolutetime_info_data_t;
typedef struct task_absolutetime_info *task_absolutetime_info_t;
#define TASK_ABSOLUTETIME_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_absolutetime_info_data_t) / sizeof(natural_t)))

/* TASK_SECURITY_TOKEN: the task's security_token_t. */
#define TASK_SECURITY_TOKEN 13
#define TASK_SECURITY_TOKEN_COUNT \
	((mach_msg_type_number_t)(sizeof(security_token_t) / sizeof(natural_t)))

/* TASK_AUDIT_TOKEN: the task's audit_token_t. */
#define TASK_AUDIT_TOKEN 15
#define TASK_AUDIT_TOKEN_COUNT \
	(sizeof(audit_token_t) / sizeof(natural_t))

/*
 * TASK_NODE_INFO (an extension of libmach): the NUMA node a NORMA call
 * placed the task on, or -1 for a task placed nowhere.
 */
#define TASK_NODE_INFO 100
typedef struct task_node_info {
	integer_t node;
} task_node_info_data_t;
typedef struct task_node_info *task_node_info_t;
#define TASK_NODE_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_node_info_data_t) / sizeof(natural_t)))

/* MACH_TASK_BASIC_INFO: 64-bit on every target. */
#define MACH_TASK_BASIC_INFO 20

struct mach_task_basic_info {
	mach_vm_size_t virtual_size;
	mach_vm_size_t resident_size;
	mach_vm_size_t resident_size_max; /* peak resident size */
	time_value_t   user_time;         /* user time of terminated threads */
	time_value_t   system_time;       /* system time of terminated threads */
	policy_t       policy;
	integer_t      suspend_count;
};
typedef struct mach_task_basic_info mach_task_basic_info_data_t;
typedef struct mach_task_basic_info *mach_task_basic_info_t;
#define MACH_TASK_BASIC_INFO_COUNT \
	(sizeof(mach_task_basic_info_data_t) / sizeof(natural_t))

#pragma pack(pop)

_MACH_STATIC_ASSERT(TASK_BASIC_INFO_32_COUNT == 8, "TASK_BASIC_INFO_32_COUNT");
_MACH_STATIC_ASSERT(TASK_BASIC_INFO_64_COUNT == 10, "TASK_BASIC_INFO_64_COUNT");
_MACH_STATIC_ASSERT(TASK_BASIC_INFO_COUNT == 10, "TASK_BASIC_INFO_COUNT on LP64");
_MACH_STATIC_ASSERT(MACH_TASK_BASIC_INFO_COUNT == 12, "MACH_TASK_BASIC_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_EVENTS_INFO_COUNT == 8, "TASK_EVENTS_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_THREAD_TIMES_INFO_COUNT == 4, "TASK_THREAD_TIMES_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_ABSOLUTETIME_INFO_COUNT == 8, "TASK_ABSOLUTETIME_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_SECURITY_TOKEN_COUNT == 2, "TASK_SECURITY_TOKEN_COUNT");
_MACH_STATIC_ASSERT(TASK_AUDIT_TOKEN_COUNT == 8, "TASK_AUDIT_TOKEN_COUNT");

#endif /* _MACH_TASK_INFO_H_ */
