/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread_os.h - the Linux side of Mach threads (thread*.c) as the rest of
 * the glue sees it: the requests a thread makes of /dev/mach itself. The
 * core reaches the rest through the shim (core/shim.h, mach_shim_thread_*).
 */
#ifndef MACH_THREAD_OS_H
#define MACH_THREAD_OS_H

struct mach_task_os;

/*
 * MACH_IOC_THREAD_ENTER from a thread os's agent cloned for
 * thread_create (or coming back from a step on its way out): it parks
 * until it is resumed (then runs its state) or ended. -EPERM from any
 * other thread, -EBADF through another process's file.
 */
long mach_thread_enter(struct mach_task_os *os);
/* read() of /dev/mach by such a thread leaving with a wide rax; or -EINVAL. */
long mach_thread_read_state(struct mach_task_os *os);
/*
 * Back from a detour through the stub (MACH_IOC_AGENT_SUMMONED, or a
 * trampoline's last return), current stops if it was held meanwhile: its
 * stop work let it go on while its registers were the stub's.
 */
void mach_thread_detour_done(struct mach_task_os *os);
/* The task's end: its spares, if any, end too (thread.c). */
void mach_thread_drop_spares(struct mach_task_os *os);

#endif /* MACH_THREAD_OS_H */
