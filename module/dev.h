/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev.h - /dev/mach (dev.c).
 */
#ifndef MACH_DEV_H
#define MACH_DEV_H

#include <linux/types.h>

int mach_dev_init(void);
void mach_dev_exit(void);

#endif /* MACH_DEV_H */
