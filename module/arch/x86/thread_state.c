// SPDX-License-Identifier: GPL-2.0
/*
 * thread_state.c - x86-64 for Mach threads: x86_THREAD_STATE64 from and
 * into a thread's saved user registers, x86_FLOAT_STATE64's FXSAVE image
 * through the regset ptrace uses, x86_EXCEPTION_STATE64 from the thread's
 * last trap, and the fs and gs bases, which a thread sets itself on its
 * way out (no exported setter does it for another thread).
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/ptrace.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <asm/fpu/api.h>
#include <asm/prctl.h>
#include <asm/unistd.h>

#include "../../compat.h"
#include "../../stub.h"
#include "../../thread_arch.h"

/* The flags a thread's state may set, as ptrace allows. */
#define MACH_USER_FLAGS (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_DF | \
			 X86_EFLAGS_OF | X86_EFLAGS_AC)

void mach_arch_state_read(struct task_struct *thread, const struct pt_regs *r,
			  u64 *state)
{
	memset(state, 0, sizeof(u64) * MACH_STATE_WORDS);
	state[MACH_X86_RAX] = r->ax;
	state[MACH_X86_RBX] = r->bx;
	state[MACH_X86_RCX] = r->cx;
	state[MACH_X86_RDX] = r->dx;
	state[MACH_X86_RDI] = r->di;
	state[MACH_X86_RSI] = r->si;
	state[MACH_X86_RBP] = r->bp;
	state[MACH_X86_RSP] = r->sp;
	state[MACH_X86_R8] = r->r8;
	state[MACH_X86_R9] = r->r9;
	state[MACH_X86_R10] = r->r10;
	state[MACH_X86_R11] = r->r11;
	state[MACH_X86_R12] = r->r12;
	state[MACH_X86_R13] = r->r13;
	state[MACH_X86_R14] = r->r14;
	state[MACH_X86_R15] = r->r15;
	state[MACH_X86_RIP] = r->ip;
	state[MACH_X86_RFLAGS] = r->flags;
	state[MACH_X86_CS] = r->cs;
	/* Saved when it was switched out: it is not running. */
	state[MACH_X86_FS] = thread->thread.fsbase;
	state[MACH_X86_GS] = thread->thread.gsbase;
}

void mach_arch_save_own_state(void)
{
	mach_save_own_fsgs();
	/* Its user FPU registers into its fpstate, reloaded on exit to user. */
	kernel_fpu_begin();
	kernel_fpu_end();
}

void mach_arch_own_state_read(u64 *state)
{
	mach_save_own_fsgs();	/* the live bases, into current->thread */
	mach_arch_state_read(current, current_pt_regs(), state);
}

bool mach_arch_own_bases(const u64 *state)
{
	mach_save_own_fsgs();
	return state[MACH_X86_FS] == current->thread.fsbase &&
	       state[MACH_X86_GS] == current->thread.gsbase;
}

void mach_arch_state_write(struct pt_regs *r, const u64 *s)
{
	r->bx = s[MACH_X86_RBX];
	r->cx = s[MACH_X86_RCX];
	r->dx = s[MACH_X86_RDX];
	r->di = s[MACH_X86_RDI];
	r->si = s[MACH_X86_RSI];
	r->bp = s[MACH_X86_RBP];
	r->sp = s[MACH_X86_RSP];
	r->r8 = s[MACH_X86_R8];
	r->r9 = s[MACH_X86_R9];
	r->r10 = s[MACH_X86_R10];
	r->r11 = s[MACH_X86_R11];
	r->r12 = s[MACH_X86_R12];
	r->r13 = s[MACH_X86_R13];
	r->r14 = s[MACH_X86_R14];
	r->r15 = s[MACH_X86_R15];
	r->ip = s[MACH_X86_RIP];
	r->flags = (r->flags & ~MACH_USER_FLAGS) |
		   (s[MACH_X86_RFLAGS] & MACH_USER_FLAGS);
}

void mach_arch_state_write_all(struct pt_regs *r, const u64 *state)
{
	mach_arch_state_write(r, state);
	r->ax = state[MACH_X86_RAX];
	r->orig_ax = -1;
}

u64 mach_arch_state_return(const u64 *state)
{
	return state[MACH_X86_RAX];
}

bool mach_arch_leave_step(const u64 *state, int i, struct mach_syscall *sc)
{
	/* immutable */
	static const struct { int word, code; } bases[MACH_ARCH_LEAVE_STEPS] = {
		{ MACH_X86_FS, ARCH_SET_FS }, { MACH_X86_GS, ARCH_SET_GS },
	};

	if (!state[bases[i].word])
		return false;
	memset(sc, 0, sizeof(*sc));
	sc->nr = __NR_arch_prctl;
	sc->args[0] = bases[i].code;
	sc->args[1] = state[bases[i].word];
	return true;
}

void mach_arch_no_restart(struct pt_regs *r)
{
	r->orig_ax = -1;
}

void mach_arch_leave_to(struct pt_regs *r, unsigned long ip)
{
	r->ip = ip;
	r->orig_ax = -1;
}

void mach_arch_fail_syscall(struct pt_regs *r)
{
	if ((long)r->orig_ax < 0)
		return;		/* it was in user mode */
	switch (r->ax) {
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		r->ax = -EINTR;
		r->orig_ax = -1;	/* restart nothing */
		break;
	}
}

void mach_arch_exception(struct task_struct *thread, u32 *words)
{
	u64 cr2 = thread->thread.cr2;

	/* What the last trap of the thread left (a page fault, say). */
	words[0] = (thread->thread.trap_nr & 0xffff) | (task_cpu(thread) << 16);
	words[1] = thread->thread.error_code;
	memcpy(&words[2], &cr2, sizeof(cr2));
}

/* The FXSAVE regset (NT_PRFPREG), as ptrace reads and writes it. */
static const struct user_regset *mach_arch_fpu_regset(struct task_struct *thread)
{
	const struct user_regset_view *view = task_user_regset_view(thread);
	unsigned int i;

	for (i = 0; i < view->n; i++)
		if (view->regsets[i].core_note_type == NT_PRFPREG)
			return &view->regsets[i];
	return NULL;
}

int mach_arch_fpu_get(struct task_struct *thread, void *fxsave)
{
	const struct user_regset *regset = mach_arch_fpu_regset(thread);

	if (!regset)
		return -EBUSY;
	return regset_get(thread, regset, 512, fxsave) == 512 ? 0 : -EIO;
}

int mach_arch_fpu_set(struct task_struct *thread, const void *fxsave)
{
	const struct user_regset *regset = mach_arch_fpu_regset(thread);

	if (!regset || !regset->set)
		return -EBUSY;
	return regset->set(thread, regset, 0, 512, fxsave, NULL);
}

unsigned long mach_arch_tls(struct task_struct *thread)
{
	return thread->thread.fsbase;
}
