/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exception.h - faults as Mach exceptions (exception.c): the signals a
 * fault raises are handled in the stub, which asks the module to raise
 * the exception; what Mach declines goes on as Linux's signal.
 */
#ifndef MACH_EXCEPTION_H
#define MACH_EXCEPTION_H

struct file;
struct mach_task_os;

/*
 * os's faults go to its exception handlers from now on: its process's
 * dispositions of the fault signals become the stub's, the program's own
 * kept behind them. Run by os's agent (or a thread of os's process);
 * again after an exec. 0 or -errno.
 */
int mach_exception_arm(struct mach_task_os *os);
/* The same, from anywhere: run by os's agent, waited for. */
int mach_exception_arm_task(struct mach_task_os *os);
/*
 * A thread of os's process becomes its agent with fd (file): after an
 * exec the new program is armed again, if os has handlers.
 */
void mach_exception_agent_starting(struct mach_task_os *os, struct file *file,
				   unsigned long fd);
/* MACH_IOC_EXCEPTION: see uapi/mach/ioctl.h. */
long mach_exception_ioctl(unsigned long ucontext);

#endif /* MACH_EXCEPTION_H */
