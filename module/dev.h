/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev.h - /dev/mach (dev.c).
 */
#ifndef MACH_DEV_H
#define MACH_DEV_H

#include <linux/types.h>

struct file;
struct mach_task;

int mach_dev_init(void);
void mach_dev_exit(void);
/* Is file an open /dev/mach? */
bool mach_dev_file(const struct file *file);
/* A new /dev/mach file for task, as if its process had opened it. */
struct file *mach_dev_file_create(struct mach_task *task);

#endif /* MACH_DEV_H */
