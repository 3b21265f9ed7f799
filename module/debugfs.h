/* SPDX-License-Identifier: GPL-2.0 */
/* debugfs.h - /sys/kernel/debug/mach, for diagnostics (debugfs.c). */
#ifndef MACH_DEBUGFS_H
#define MACH_DEBUGFS_H

void mach_debugfs_init(void);
void mach_debugfs_exit(void);

#endif /* MACH_DEBUGFS_H */
