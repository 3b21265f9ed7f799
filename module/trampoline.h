/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trampoline.h - trampolines (trampoline.c): the calling thread runs an
 * agent call in its own process itself, leaving its ioctl for the stub
 * and coming back.
 */
#ifndef MACH_TRAMPOLINE_H
#define MACH_TRAMPOLINE_H

#include <linux/compiler_types.h>
#include <linux/types.h>

#include "core/shim.h"

struct mach_agent_call;
struct mach_task_os;

/*
 * Can the calling thread do call (whose task is os)? Then it will, and
 * finish(call) gives the call's answer when its steps are done (or
 * -EINTR if the process dies first); it takes over the reference to call,
 * which keeps what made says alive.
 */
bool mach_trampoline_start(struct mach_task_os *os, struct mach_agent_call *call,
			   long (*finish)(struct mach_agent_call *call),
			   const struct mach_later_made *made);
/* The ioctl whose core asked for it leaves: args to copy back later. */
long mach_trampoline_leave(struct mach_task_os *os, unsigned int ioctl_nr,
			   const void *args, size_t size, void __user *uarg);
/*
 * MACH_IOC_TRAMPOLINE_RETURN from a thread on a trampoline: the next step,
 * or the end: the original ioctl's answer, which done works out from the
 * call's and what it made (the core's mach_core_later_done(), given by
 * dev.c). -EPERM from any other thread.
 */
struct mach_task;
long mach_trampoline_resume(struct mach_task_os *os, long result,
			    long (*done)(struct mach_task *task, unsigned int nr, void *args,
					 int err, const struct mach_later_made *made));
/*
 * The calling thread ends, terminated, on its trampoline (if it is on
 * one): its call is finished now, as if its process had died.
 */
void mach_trampoline_abandon(void);
/* The process died: drop the trampolines its threads were on. */
void mach_trampolines_drop(struct mach_task_os *os);

#endif /* MACH_TRAMPOLINE_H */
