/*
 * libmach: <mach/host_info.h> -- host_info() and host_statistics() flavors.
 */
#ifndef _MACH_HOST_INFO_H_
#define _MACH_HOST_INFO_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/machine.h>
#include <mach/machine/vm_types.h>
#include <mach/message.h>
#include <mach/time_value.h>
#include <mach/vm_statistics.h>

typedef integer_t *host_info_t;   /* buffer of integer_t */
typedef integer_t *host_info64_t;

#define HOST_INFO_MAX (1024)
typedef integer_t host_info_data_t[HOST_INFO_MAX];

#define KERNEL_VERSION_MAX (512)
typedef char kernel_version_t[KERNEL_VERSION_MAX];

#define KERNEL_BOOT_INFO_MAX (4096)
typedef char kernel_boot_info_t[KERNEL_BOOT_INFO_MAX];

typedef integer_t host_flavor_t;

#define HOST_BASIC_INFO          1
#define HOST_SCHED_INFO          3
#define HOST_RESOURCE_SIZES      4
#define HOST_PRIORITY_INFO       5
#define HOST_SEMAPHORE_TRAPS     7
#define HOST_MACH_MSG_TRAP       8
#define HOST_VM_PURGABLE         9
#define HOST_DEBUG_INFO_INTERNAL 10
#define HOST_CAN_HAS_DEBUGGER    11
#define HOST_PREFERRED_USER_ARCH 12
/* Linux extension: the NUMA nodes, which are NORMA's nodes here. */
#define HOST_NODE_INFO           100

#pragma pack(push, 4)
struct host_basic_info {
	integer_t        max_cpus;         /* CPUs the host can have */
	integer_t        avail_cpus;       /* CPUs available now */
	natural_t        memory_size;      /* bytes of memory, capped at 2 GiB */
	cpu_type_t       cpu_type;
	cpu_subtype_t    cpu_subtype;
	cpu_threadtype_t cpu_threadtype;
	integer_t        physical_cpu;     /* physical CPUs available now */
	integer_t        physical_cpu_max;
	integer_t        logical_cpu;      /* logical CPUs available now */
	integer_t        logical_cpu_max;
	uint64_t         max_mem;          /* bytes of physical memory */
};
#pragma pack(pop)
typedef struct host_basic_info host_basic_info_data_t;
typedef struct host_basic_info *host_basic_info_t;
#define HOST_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_basic_info_data_t) / sizeof(integer_t)))

#define HOST_BASIC_INFO_OLD_COUNT 5 /* up to cpu_subtype */

/* HOST_NODE_INFO (an extension): child_node of norma_task_create is one of these. */
struct host_node_info {
	integer_t node_count; /* NUMA nodes online */
	integer_t node_max;   /* every node id is below this */
};
typedef struct host_node_info host_node_info_data_t;
typedef struct host_node_info *host_node_info_t;
#define HOST_NODE_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_node_info_data_t) / sizeof(integer_t)))

struct host_sched_info {
	integer_t min_timeout; /* milliseconds */
	integer_t min_quantum; /* milliseconds */
};
typedef struct host_sched_info host_sched_info_data_t;
typedef struct host_sched_info *host_sched_info_t;
#define HOST_SCHED_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_sched_info_data_t) / sizeof(integer_t)))

struct host_priority_info {
	integer_t kernel_priority;
	integer_t system_priority;
	integer_t server_priority;
	integer_t user_priority;
	integer_t depress_priority;
	integer_t idle_priority;
	integer_t minimum_priority;
	integer_t maximum_priority;
};
typedef struct host_priority_info host_priority_info_data_t;
typedef struct host_priority_info *host_priority_info_t;
#define HOST_PRIORITY_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_priority_info_data_t) / sizeof(integer_t)))

/* HOST_PREFERRED_USER_ARCH: what user programs are best built for. */
struct host_preferred_user_arch {
	cpu_type_t    cpu_type;
	cpu_subtype_t cpu_subtype;
};
typedef struct host_preferred_user_arch host_preferred_user_arch_data_t;
typedef struct host_preferred_user_arch *host_preferred_user_arch_t;
#define HOST_PREFERRED_USER_ARCH_COUNT \
	((mach_msg_type_number_t)(sizeof(host_preferred_user_arch_data_t) / sizeof(integer_t)))

/*
 * host_statistics() and host_statistics64() flavors, from Linux's own
 * accounting (see the README for what each field is made of).
 */
#define HOST_LOAD_INFO     1 /* load averages and Mach factors */
#define HOST_VM_INFO       2 /* vm_statistics */
#define HOST_CPU_LOAD_INFO 3 /* ticks of all CPUs in each state */
#define HOST_VM_INFO64     4 /* vm_statistics64: host_statistics64() only */

struct host_load_info {
	integer_t avenrun[3];     /* 1, 5, 15 minutes, scaled by LOAD_SCALE */
	integer_t mach_factor[3]; /* CPUs left over, scaled by LOAD_SCALE */
};
typedef struct host_load_info host_load_info_data_t;
typedef struct host_load_info *host_load_info_t;
#define HOST_LOAD_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_load_info_data_t) / sizeof(integer_t)))

#define HOST_VM_INFO64_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_statistics64_data_t) / sizeof(integer_t)))
#define HOST_VM_INFO64_LATEST_COUNT HOST_VM_INFO64_COUNT
#define HOST_VM_INFO64_REV1_COUNT   HOST_VM_INFO64_LATEST_COUNT
#define HOST_VM_INFO64_REV0_COUNT   ((mach_msg_type_number_t)(HOST_VM_INFO64_REV1_COUNT - 14))

#define HOST_VM_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_statistics_data_t) / sizeof(integer_t)))
#define HOST_VM_INFO_LATEST_COUNT HOST_VM_INFO_COUNT
#define HOST_VM_INFO_REV2_COUNT   HOST_VM_INFO_LATEST_COUNT
#define HOST_VM_INFO_REV1_COUNT   ((mach_msg_type_number_t)(HOST_VM_INFO_REV2_COUNT - 1))
#define HOST_VM_INFO_REV0_COUNT   ((mach_msg_type_number_t)(HOST_VM_INFO_REV1_COUNT - 2))

/* Ticks (1/100 s) of every CPU together in each CPU_STATE_*. */
struct host_cpu_load_info {
	natural_t cpu_ticks[CPU_STATE_MAX];
};
typedef struct host_cpu_load_info host_cpu_load_info_data_t;
typedef struct host_cpu_load_info *host_cpu_load_info_t;
#define HOST_CPU_LOAD_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(host_cpu_load_info_data_t) / sizeof(integer_t)))

_MACH_STATIC_ASSERT(HOST_BASIC_INFO_COUNT == 12, "HOST_BASIC_INFO_COUNT");
_MACH_STATIC_ASSERT(HOST_PREFERRED_USER_ARCH_COUNT == 2, "HOST_PREFERRED_USER_ARCH_COUNT");
_MACH_STATIC_ASSERT(HOST_LOAD_INFO_COUNT == 6, "HOST_LOAD_INFO_COUNT");
_MACH_STATIC_ASSERT(HOST_VM_INFO_COUNT == 15, "HOST_VM_INFO_COUNT");
_MACH_STATIC_ASSERT(HOST_VM_INFO64_COUNT == 38, "HOST_VM_INFO64_COUNT");
_MACH_STATIC_ASSERT(HOST_CPU_LOAD_INFO_COUNT == 4, "HOST_CPU_LOAD_INFO_COUNT");
_MACH_STATIC_ASSERT(HOST_SCHED_INFO_COUNT == 2, "HOST_SCHED_INFO_COUNT");
_MACH_STATIC_ASSERT(HOST_PRIORITY_INFO_COUNT == 8, "HOST_PRIORITY_INFO_COUNT");

#endif /* _MACH_HOST_INFO_H_ */
