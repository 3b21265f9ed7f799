/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim_kernel.h - the kernel side of the core's shim (shim.c, quota.c):
 * what the rest of the glue asks of it beyond core/shim.h.
 */
#ifndef MACH_SHIM_KERNEL_H
#define MACH_SHIM_KERNEL_H

#include "core/core.h"

struct wait_queue_head;

/* After the core's exit: reports what leaked, frees the caches. */
void mach_shim_exit(void);
void mach_quota_exit(void);
/* Objects of kind currently allocated, for the stats in sysfs. */
long mach_shim_live(enum mach_shim_kind kind);

struct wait_queue_head *mach_shim_waitq_head(struct mach_shim_waitq *q);
struct task_struct;

#endif /* MACH_SHIM_KERNEL_H */
