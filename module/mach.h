/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mach.h - the glue's internal interface: each part's init and exit, in
 * the order main.c chains them, and what the parts ask of each other.
 */
#ifndef MACH_GLUE_H
#define MACH_GLUE_H

#include "core/core.h"

int mach_shim_init(void);
void mach_shim_exit(void);
/* Objects of kind currently allocated, for the stats in sysfs. */
long mach_shim_live(enum mach_shim_kind kind);

struct wait_queue_head;
struct wait_queue_head *mach_shim_waitq_head(struct mach_shim_waitq *q);

int mach_tasks_init(void);
void mach_tasks_exit(void);
/* The calling process's task, made on first use; a new reference. */
struct mach_task *mach_task_of_current(void);
/* The calling process's task if it is one (a new reference), or NULL. */
struct mach_task *mach_task_lookup_current(void);
long mach_tasks_live(void);

int mach_dev_init(void);
void mach_dev_exit(void);

#endif /* MACH_GLUE_H */
