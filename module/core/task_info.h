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
	TaskThreadTimesInfo = 3,	/* TASK_THREAD_TIMES_INFO */
	TaskBasicInfo32 = 4,		/* TASK_BASIC_INFO_32 */
	TaskBasicInfo64 = 5,		/* TASK_BASIC_INFO_64 (TASK_BASIC_INFO) */
	TaskSecurityToken = 13,		/* TASK_SECURITY_TOKEN */
	TaskAuditToken = 15,		/* TASK_AUDIT_TOKEN */
	MachTaskBasicInfo = 20,		/* MACH_TASK_BASIC_INFO */
	TaskNodeInfo = 100,		/* TASK_NODE_INFO: an extension */
};

/* The largest flavour, in natural_t. */
inline constexpr u32 task_info_max_count = 12;

/* The count of flavor in natural_t, or 0 for an unknown flavour. */
u32 task_info_count(u32 flavor);
/* The mach_stats_want bits flavor is made from. */
unsigned int task_info_needs(u32 flavor);

/*
 * Lays out flavor from stats into out (task_info_max_count natural_t).
 * Returns the count written, or 0 for an unknown flavour.
 */
u32 format_task_info(u32 flavor, const mach_task_stats &stats,
		     u32 suspend_count, u32 *out);

} /* namespace mach */

#endif /* MACH_CORE_TASK_INFO_H */
