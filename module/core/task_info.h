/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_info.h - task_info() flavours, laid out as on the anchors (XNU's
 * task_info structs are packed to 4 bytes, so the counts match on LP64).
 */
#ifndef MACH_CORE_TASK_INFO_H
#define MACH_CORE_TASK_INFO_H

#include "base.h"

namespace mach {

enum TaskFlavor : u32 {
	TaskAbsolutetimeInfo = 1,	/* TASK_ABSOLUTETIME_INFO */
	TaskEventsInfo = 2,		/* TASK_EVENTS_INFO */
	TaskThreadTimesInfo = 3,	/* TASK_THREAD_TIMES_INFO */
	TaskBasicInfo32 = 4,		/* TASK_BASIC_INFO_32 */
	TaskBasicInfo64 = 5,		/* TASK_BASIC_INFO_64 (TASK_BASIC_INFO) */
	TaskBasic2Info32 = 6,		/* TASK_BASIC2_INFO_32 */
	TaskSecurityToken = 13,		/* TASK_SECURITY_TOKEN */
	TaskAuditToken = 15,		/* TASK_AUDIT_TOKEN */
	TaskAffinityTagInfo = 16,	/* TASK_AFFINITY_TAG_INFO */
	TaskDyldInfo = 17,		/* TASK_DYLD_INFO */
	MachTaskBasicInfo = 20,		/* MACH_TASK_BASIC_INFO */
	TaskPowerInfo = 21,		/* TASK_POWER_INFO */
	TaskVmInfo = 22,		/* TASK_VM_INFO */
	TaskPowerInfoV2 = 26,		/* TASK_POWER_INFO_V2 */
	TaskFlagsInfo = 28,		/* TASK_FLAGS_INFO */
	TaskNodeInfo = 100,		/* TASK_NODE_INFO: an extension */
};

/* The largest flavour, in natural_t: TASK_VM_INFO_COUNT (its rev7). */
inline constexpr u32 task_info_max_count = 93;

/*
 * The least count of flavor in natural_t that XNU accepts (a shorter
 * room is KERN_INVALID_ARGUMENT), or 0 for an unknown flavour. Some
 * flavours grew: TASK_DYLD_INFO, TASK_POWER_INFO_V2 and TASK_VM_INFO
 * answer as much as the room holds, as XNU does.
 */
u32 task_info_count(u32 flavor);
/* The mach_stats_want bits flavor is made from. */
unsigned int task_info_needs(u32 flavor);

/* What the task itself counts, for TASK_EVENTS_INFO. */
struct TaskEvents {		/* a value: its builder's only */
	u64 messages_sent;
	u64 messages_received;
	u64 mach_calls;
};

/*
 * Lays out flavor from stats into out (task_info_max_count natural_t),
 * for a room of capacity (at least task_info_count(flavor)). Returns
 * the count written, or 0 for an unknown flavour.
 */
u32 format_task_info(u32 flavor, const mach_task_stats &stats, const TaskEvents &events,
		     u32 suspend_count, u32 capacity, u32 *out);

} /* namespace mach */

#endif /* MACH_CORE_TASK_INFO_H */
