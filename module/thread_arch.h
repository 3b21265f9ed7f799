/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread_arch.h - what Mach threads need of the architecture: a thread's
 * user registers as the words of its Mach thread state, its FPU image,
 * its last exception, and how a thread leaves the module with a state.
 * x86-64: arch/x86/thread_state.c; another architecture gives its own.
 */
#ifndef MACH_THREAD_ARCH_H
#define MACH_THREAD_ARCH_H

#include <linux/types.h>

#include "core/x86_thread_state.h"

struct pt_regs;
struct task_struct;
struct mach_syscall;

/* Words of the thread state (x86_THREAD_STATE64). */
#define MACH_STATE_WORDS MACH_X86_THREAD_STATE64_WORDS

/* state from a stopped thread's saved user registers r. */
void mach_arch_state_read(struct task_struct *thread, const struct pt_regs *r,
			  u64 *state);
/*
 * The calling thread's own state: the user registers it entered the
 * kernel with, and its live fs and gs bases.
 */
void mach_arch_own_state_read(u64 *state);
/*
 * The calling thread's live fs and gs bases and FPU state, saved where a
 * read of its state finds them and a write is not undone (before it is
 * seen stopped: its switch out, which would save them, may not have come
 * yet); its FPU is then loaded from there on its way to user mode.
 */
void mach_arch_save_own_state(void);
/* Are the fs and gs bases of state the calling thread's own? */
bool mach_arch_own_bases(const u64 *state);
/* state into r, but for the return register (rax). */
void mach_arch_state_write(struct pt_regs *r, const u64 *state);
/*
 * state into a stopped thread's r, the return register too: whatever it
 * was doing (a system call to restart) is abandoned.
 */
void mach_arch_state_write_all(struct pt_regs *r, const u64 *state);
/* What a thread leaving its park with state returns in rax. */
u64 mach_arch_state_return(const u64 *state);
/* Steps a thread takes on its way out for what has no exported setter. */
#define MACH_ARCH_LEAVE_STEPS	2	/* arch_prctl() of the fs and gs bases */
/* Step i of those: true with *sc to run, false if state needs none. */
bool mach_arch_leave_step(const u64 *state, int i, struct mach_syscall *sc);

/* r returns to user mode as it is: no system call restarts. */
void mach_arch_no_restart(struct pt_regs *r);
/* r goes to ip instead, restarting nothing. */
void mach_arch_leave_to(struct pt_regs *r, unsigned long ip);
/* An interrupted system call fails with EINTR rather than restart. */
void mach_arch_fail_syscall(struct pt_regs *r);

/* x86_EXCEPTION_STATE64 of a stopped thread: 4 words. */
void mach_arch_exception(struct task_struct *thread, u32 *words);
/* Its FXSAVE image (512 bytes), as ptrace reads and writes it: 0, -errno. */
int mach_arch_fpu_get(struct task_struct *thread, void *fxsave);
int mach_arch_fpu_set(struct task_struct *thread, const void *fxsave);

/* The TLS base a clone was given: the cookie shells and threads carry. */
unsigned long mach_arch_tls(struct task_struct *thread);

#endif /* MACH_THREAD_ARCH_H */
