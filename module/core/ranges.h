/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ranges.h - sets of address ranges, for the inheritance Linux's VMAs
 * cannot say (module/clone.c): the regions a task calls COPY that Linux
 * now shares, and a clone's NONE regions while it is made. C, for the
 * glue; the caller serialises calls on one set.
 */
#ifndef MACH_CORE_RANGES_H
#define MACH_CORE_RANGES_H

#include "shim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Guarded as the set that holds it is. */
struct mach_range {
	mach_u64 start, end;		/* [start, end), start < end */
};

/* No lock of its own: its holder's (mach_task_os: its ranges_lock). */
struct mach_ranges {
	struct mach_range *r;		/* count of them, in no order */
	mach_u32 count;
	mach_u32 capacity;
};

/* [start, end) joins the set: 0 or -MACH_ENOMEM (the set is unchanged). */
int mach_ranges_add(struct mach_ranges *rs, mach_u64 start, mach_u64 end);
/*
 * [start, end) leaves the set: ranges it cuts keep their pieces outside.
 * 0 or -MACH_ENOMEM (a split found no room: the set lost [start, end)
 * and perhaps some of a split range's pieces).
 */
int mach_ranges_remove(struct mach_ranges *rs, mach_u64 start, mach_u64 end);
mach_bool mach_ranges_contain(const struct mach_ranges *rs, mach_u64 addr);
/* to becomes a copy of from (whose caller holds it still): 0 or -ENOMEM. */
int mach_ranges_copy(struct mach_ranges *to, const struct mach_ranges *from);
void mach_ranges_free(struct mach_ranges *rs);

#ifdef __cplusplus
}
#endif

#endif /* MACH_CORE_RANGES_H */
