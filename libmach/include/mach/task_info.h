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
#define TASK_BASIC2_INFO_32 6 /* as TASK_BASIC_INFO_32, with the peak resident size */

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

/* TASK_AFFINITY_TAG_INFO: no affinity sets are ever made, so all zero. */
#define TASK_AFFINITY_TAG_INFO 16

struct task_affinity_tag_info {
	integer_t set_count;
	integer_t min;
	integer_t max;
	integer_t task_count;
};
typedef struct task_affinity_tag_info task_affinity_tag_info_data_t;
typedef struct task_affinity_tag_info *task_affinity_tag_info_t;
#define TASK_AFFINITY_TAG_INFO_COUNT \
	(sizeof(task_affinity_tag_info_data_t) / sizeof(natural_t))

/*
 * TASK_DYLD_INFO: Linux has no dyld, so the answer names no image list
 * (address and size 0); the format says whether the task is 64-bit. A
 * count of 4 (before the format field) is still accepted, as on XNU.
 */
#define TASK_DYLD_INFO 17

struct task_dyld_info {
	mach_vm_address_t all_image_info_addr;
	mach_vm_size_t    all_image_info_size;
	integer_t         all_image_info_format;
};
typedef struct task_dyld_info task_dyld_info_data_t;
typedef struct task_dyld_info *task_dyld_info_t;
#define TASK_DYLD_INFO_COUNT \
	(sizeof(task_dyld_info_data_t) / sizeof(natural_t))
#define TASK_DYLD_ALL_IMAGE_INFO_32 0 /* format value */
#define TASK_DYLD_ALL_IMAGE_INFO_64 1 /* format value */

/*
 * TASK_POWER_INFO: the times (nanoseconds, all threads); Linux counts no
 * wake-ups by their cause, so those are 0.
 */
#define TASK_POWER_INFO 21

struct task_power_info {
	uint64_t total_user;
	uint64_t total_system;
	uint64_t task_interrupt_wakeups;
	uint64_t task_platform_idle_wakeups;
	uint64_t task_timer_wakeups_bin_1;
	uint64_t task_timer_wakeups_bin_2;
};
typedef struct task_power_info task_power_info_data_t;
typedef struct task_power_info *task_power_info_t;
#define TASK_POWER_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_power_info_data_t) / sizeof(natural_t)))

/*
 * TASK_VM_INFO: internal is the resident anonymous and shared memory,
 * external the resident file pages (Linux keeps no peaks of them: the
 * peaks are the current values), phys_footprint the task's own memory,
 * resident or swapped; nothing is compressed or purgeable. Older, shorter
 * revisions are answered to a smaller count, as on XNU.
 */
#define TASK_VM_INFO 22

struct task_vm_info {
	mach_vm_size_t virtual_size;
	integer_t      region_count;
	integer_t      page_size;
	mach_vm_size_t resident_size;
	mach_vm_size_t resident_size_peak;

	mach_vm_size_t device;
	mach_vm_size_t device_peak;
	mach_vm_size_t internal;
	mach_vm_size_t internal_peak;
	mach_vm_size_t external;
	mach_vm_size_t external_peak;
	mach_vm_size_t reusable;
	mach_vm_size_t reusable_peak;
	mach_vm_size_t purgeable_volatile_pmap;
	mach_vm_size_t purgeable_volatile_resident;
	mach_vm_size_t purgeable_volatile_virtual;
	mach_vm_size_t compressed;
	mach_vm_size_t compressed_peak;
	mach_vm_size_t compressed_lifetime;

	/* rev1 */
	mach_vm_size_t phys_footprint;

	/* rev2 */
	mach_vm_address_t min_address;
	mach_vm_address_t max_address;

	/* rev3 */
	int64_t ledger_phys_footprint_peak;
	int64_t ledger_purgeable_nonvolatile;
	int64_t ledger_purgeable_novolatile_compressed;
	int64_t ledger_purgeable_volatile;
	int64_t ledger_purgeable_volatile_compressed;
	int64_t ledger_tag_network_nonvolatile;
	int64_t ledger_tag_network_nonvolatile_compressed;
	int64_t ledger_tag_network_volatile;
	int64_t ledger_tag_network_volatile_compressed;
	int64_t ledger_tag_media_footprint;
	int64_t ledger_tag_media_footprint_compressed;
	int64_t ledger_tag_media_nofootprint;
	int64_t ledger_tag_media_nofootprint_compressed;
	int64_t ledger_tag_graphics_footprint;
	int64_t ledger_tag_graphics_footprint_compressed;
	int64_t ledger_tag_graphics_nofootprint;
	int64_t ledger_tag_graphics_nofootprint_compressed;
	int64_t ledger_tag_neural_footprint;
	int64_t ledger_tag_neural_footprint_compressed;
	int64_t ledger_tag_neural_nofootprint;
	int64_t ledger_tag_neural_nofootprint_compressed;

	/* rev4 */
	uint64_t limit_bytes_remaining;

	/* rev5 */
	integer_t decompressions;

	/* rev6 */
	int64_t ledger_swapins;

	/* rev7 */
	int64_t ledger_tag_neural_nofootprint_total;
	int64_t ledger_tag_neural_nofootprint_peak;
};
typedef struct task_vm_info task_vm_info_data_t;
typedef struct task_vm_info *task_vm_info_t;
#define TASK_VM_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_vm_info_data_t) / sizeof(natural_t)))
#define TASK_VM_INFO_REV7_COUNT TASK_VM_INFO_COUNT
#define TASK_VM_INFO_REV6_COUNT ((mach_msg_type_number_t)(TASK_VM_INFO_REV7_COUNT - 4))
#define TASK_VM_INFO_REV5_COUNT ((mach_msg_type_number_t)(TASK_VM_INFO_REV6_COUNT - 2))
#define TASK_VM_INFO_REV4_COUNT ((mach_msg_type_number_t)(TASK_VM_INFO_REV5_COUNT - 1))
#define TASK_VM_INFO_REV3_COUNT ((mach_msg_type_number_t)(TASK_VM_INFO_REV4_COUNT - 2))
#define TASK_VM_INFO_REV2_COUNT ((mach_msg_type_number_t)(TASK_VM_INFO_REV3_COUNT - 42))
#define TASK_VM_INFO_REV1_COUNT ((mach_msg_type_number_t)(TASK_VM_INFO_REV2_COUNT - 4))
#define TASK_VM_INFO_REV0_COUNT ((mach_msg_type_number_t)(TASK_VM_INFO_REV1_COUNT - 2))

/* TASK_POWER_INFO_V2: x86_64's layout (no task_energy); no GPU, no P-cores. */
#define TASK_POWER_INFO_V2 26

typedef struct {
	uint64_t task_gpu_utilisation;
	uint64_t task_gpu_stat_reserved0;
	uint64_t task_gpu_stat_reserved1;
	uint64_t task_gpu_stat_reserved2;
} gpu_energy_data;
typedef gpu_energy_data *gpu_energy_data_t;

struct task_power_info_v2 {
	task_power_info_data_t cpu_energy;
	gpu_energy_data        gpu_energy;
	uint64_t               task_ptime;
	uint64_t               task_pset_switches;
};
typedef struct task_power_info_v2 task_power_info_v2_data_t;
typedef struct task_power_info_v2 *task_power_info_v2_t;
#define TASK_POWER_INFO_V2_COUNT_OLD \
	((mach_msg_type_number_t)(sizeof(task_power_info_v2_data_t) - sizeof(uint64_t) * 2) / sizeof(natural_t))
#define TASK_POWER_INFO_V2_COUNT \
	((mach_msg_type_number_t)(sizeof(task_power_info_v2_data_t) / sizeof(natural_t)))

/* TASK_FLAGS_INFO: whether the task is 64-bit. */
#define TASK_FLAGS_INFO 28

struct task_flags_info {
	uint32_t flags;
};
typedef struct task_flags_info task_flags_info_data_t;
typedef struct task_flags_info *task_flags_info_t;
#define TASK_FLAGS_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_flags_info_data_t) / sizeof(natural_t)))
#define TF_LP64     0x00000001 /* 64-bit addressing */
#define TF_64B_DATA 0x00000002 /* 64-bit data registers */

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
_MACH_STATIC_ASSERT(TASK_AFFINITY_TAG_INFO_COUNT == 4, "TASK_AFFINITY_TAG_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_DYLD_INFO_COUNT == 5, "TASK_DYLD_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_POWER_INFO_COUNT == 12, "TASK_POWER_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_POWER_INFO_V2_COUNT == 24, "TASK_POWER_INFO_V2_COUNT");
_MACH_STATIC_ASSERT(TASK_POWER_INFO_V2_COUNT_OLD == 20, "TASK_POWER_INFO_V2_COUNT_OLD");
_MACH_STATIC_ASSERT(TASK_VM_INFO_COUNT == 93, "TASK_VM_INFO_COUNT");
_MACH_STATIC_ASSERT(TASK_VM_INFO_REV0_COUNT == 36, "TASK_VM_INFO_REV0_COUNT");
_MACH_STATIC_ASSERT(TASK_FLAGS_INFO_COUNT == 1, "TASK_FLAGS_INFO_COUNT");

#endif /* _MACH_TASK_INFO_H_ */
