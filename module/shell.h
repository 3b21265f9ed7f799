/* SPDX-License-Identifier: GPL-2.0 */
/* shell.h - shells (shell.c): the processes that back tasks made by task_create. */
#ifndef MACH_SHELL_H
#define MACH_SHELL_H

#include <linux/fs.h>

struct mach_agent_call;
struct mach_task_os;

int mach_shell_init(void);
/* /dev/mach's operations, for the file a shell's process gets (dev.c's init). */
void mach_shell_dev_fops_init(const struct file_operations *fops);
/* The module unloads (not a shell's exit: that is mach_shell_gone()). */
void mach_shell_exit(void);
/*
 * MACH_IOC_SPAWN_ENTER: a new shell's first entry, through its parent's
 * /dev/mach file; it becomes the new task's agent. -EPERM from a thread
 * that is not the child of a spawn in flight.
 */
long mach_spawn_enter(void);
/*
 * A shell's process has exited (task.c tells, as for every task): its
 * spawn is forgotten, and its parent task's agent reaps it.
 */
void mach_shell_gone(struct mach_task_os *os);

#endif /* MACH_SHELL_H */
