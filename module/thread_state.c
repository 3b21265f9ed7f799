// SPDX-License-Identifier: GPL-2.0
/*
 * thread_state.c - a Mach thread's state (thread_get_state and
 * thread_set_state, its FPU and its last exception), read and written
 * while it cannot run: before it first ran, or stopped. The registers
 * themselves are the architecture's (thread_arch.h).
 */
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/wait.h>

#include "thread_record.h"

/*
 * Has a thread that has started stopped (its registers then read under
 * regs_lock)? A held thread may not have reached its stop yet: give it a
 * moment. One that is not held runs, and has none to give.
 */
static bool mach_thread_wait_stopped(struct mach_thread_os *t)
{
	if (!atomic_read(&t->holds) ||
	    wait_event_killable_timeout(t->wait, READ_ONCE(t->stopped) ||
					READ_ONCE(t->dying), HZ) <= 0)
		return false;
	return !READ_ONCE(t->dying) && t->thread;
}

/*
 * Its thread, whose saved registers stay as they are while it is parked or
 * stopped, until mach_thread_regs_end(): or NULL.
 */
static struct task_struct *mach_thread_regs_begin(struct mach_thread_os *t)
{
	struct task_struct *thread;

	mutex_lock(&t->regs_lock);
	thread = smp_load_acquire(&t->thread);	/* and with it exec_id */
	if (!thread || !mach_thread_stopped(t) ||
	    !mach_thread_same_program(t, thread)) {
		mutex_unlock(&t->regs_lock);
		return NULL;
	}
	return thread;
}

static void mach_thread_regs_end(struct mach_thread_os *t)
{
	mutex_unlock(&t->regs_lock);
}

void mach_shim_thread_fault_begin(struct mach_thread_os *t, struct mach_fault *fault)
{
	mutex_lock(&t->regs_lock);
	t->fault = fault;
	mutex_unlock(&t->regs_lock);
}

void mach_shim_thread_fault_end(struct mach_thread_os *t)
{
	mutex_lock(&t->regs_lock);
	t->fault = NULL;
	mutex_unlock(&t->regs_lock);
}

bool mach_shim_thread_in_fault(struct mach_thread_os *t)
{
	return READ_ONCE(t->fault);
}

/*
 * Its state at a fault it waits on, under regs_lock (held on true): that,
 * rather than its registers, is what it goes on with.
 */
static struct mach_fault *mach_thread_fault_begin(struct mach_thread_os *t)
{
	mutex_lock(&t->regs_lock);
	if (t->fault)
		return t->fault;
	mutex_unlock(&t->regs_lock);
	return NULL;
}

int mach_shim_thread_get_state(struct mach_thread_os *t, u64 *regs)
{
	struct task_struct *thread;
	struct mach_fault *fault = mach_thread_fault_begin(t);

	if (fault) {
		memcpy(regs, fault->regs, sizeof(fault->regs));
		mutex_unlock(&t->regs_lock);
		return 0;
	}
	/* Its own: the registers it made this call with, as on XNU. */
	if (mach_shim_thread_is_current(t)) {
		mach_arch_own_state_read(regs);
		return 0;
	}

	if (mach_thread_wait_entered(t))
		return -EBUSY;
	/* Acquire: the state is whole once state_set is seen. */
	if (mach_thread_unstarted(t) && smp_load_acquire(&t->state_set)) {
		memcpy(regs, t->state, sizeof(t->state));
		return 0;
	}
	/* Its registers now: stopped, or the stub's it came back through. */
	if (!mach_thread_unstarted(t) && !mach_thread_wait_stopped(t))
		return -EBUSY;
	thread = mach_thread_regs_begin(t);
	if (!thread)
		return -EBUSY;
	mach_arch_state_read(thread, task_pt_regs(thread), regs);
	mach_thread_regs_end(t);
	return 0;
}

int mach_shim_thread_set_state(struct mach_thread_os *t, const u64 *regs)
{
	struct task_struct *thread;
	struct mach_fault *fault = mach_thread_fault_begin(t);

	if (fault) {
		memcpy(fault->regs, regs, sizeof(fault->regs));
		fault->regs_set = true;
		mutex_unlock(&t->regs_lock);
		return 0;
	}
	/*
	 * Its own: it returns from this call to them, rax the call's result
	 * (as from XNU's trap). Its fs and gs bases have no setter here.
	 */
	if (mach_shim_thread_is_current(t)) {
		if (!mach_arch_own_bases(regs))
			return -EINVAL;
		mach_arch_state_write(current_pt_regs(), regs);
		mach_arch_no_restart(current_pt_regs());
		return 0;
	}

	/* Not started: it leaves its park with the state, unless resumed. */
	if (mach_thread_unstarted(t)) {
		if (!atomic_read(&t->holds))
			return -EBUSY;	/* on its way to run: running */
		memcpy(t->state, regs, sizeof(t->state));
		/* Release: pairs with thread_get_state's acquire. */
		smp_store_release(&t->state_set, true);
		return 0;
	}
	if (!mach_thread_wait_stopped(t))
		return -EBUSY;
	thread = mach_thread_regs_begin(t);
	if (!thread)
		return -EBUSY;
	/* It was stopped in the middle of anything: that is abandoned. */
	mach_arch_state_write_all(task_pt_regs(thread), regs);
	mach_thread_regs_end(t);
	return 0;
}

/*
 * Its thread, parked (not started yet) or stopped, in the program it was
 * made in, and kept so until mach_thread_still_end(); or the calling
 * thread itself. A thread let out of its park but not started yet runs
 * its leave steps through the stub, in user mode: it is waited for as a
 * running one, for the kernel's FPU setter must never meet a live task.
 */
static struct task_struct *mach_thread_still_begin(struct mach_thread_os *t)
{
	/* The calling thread's own are still while it makes this call. */
	if (mach_shim_thread_is_current(t))
		return current;
	if (mach_thread_wait_entered(t))
		return NULL;
	if (!(mach_thread_unstarted(t) && READ_ONCE(t->parked)) &&
	    !mach_thread_wait_stopped(t))
		return NULL;
	return mach_thread_regs_begin(t);
}

static void mach_thread_still_end(struct mach_thread_os *t, struct task_struct *thread)
{
	if (thread != current)
		mach_thread_regs_end(t);
}

int mach_shim_thread_get_exception(struct mach_thread_os *t, u32 *words)
{
	struct mach_fault *fault = mach_thread_fault_begin(t);
	struct task_struct *thread;

	if (fault) {
		memcpy(words, fault->exception, sizeof(fault->exception));
		mutex_unlock(&t->regs_lock);
		return 0;
	}
	thread = mach_thread_still_begin(t);
	if (!thread)
		return -EBUSY;
	mach_arch_exception(thread, words);
	mach_thread_still_end(t, thread);
	return 0;
}

int mach_shim_thread_get_fpu(struct mach_thread_os *t, void *fxsave)
{
	struct mach_fault *fault = mach_thread_fault_begin(t);
	struct task_struct *thread;
	int ret;

	if (fault) {
		memcpy(fxsave, fault->fxsave, sizeof(fault->fxsave));
		mutex_unlock(&t->regs_lock);
		return 0;
	}
	thread = mach_thread_still_begin(t);
	if (!thread)
		return -EBUSY;
	ret = mach_arch_fpu_get(thread, fxsave);
	mach_thread_still_end(t, thread);
	return ret;
}

int mach_shim_thread_set_fpu(struct mach_thread_os *t, const void *fxsave)
{
	struct mach_fault *fault = mach_thread_fault_begin(t);
	struct task_struct *thread;
	int ret;

	if (fault) {
		memcpy(fault->fxsave, fxsave, sizeof(fault->fxsave));
		fault->fxsave_set = true;
		mutex_unlock(&t->regs_lock);
		return 0;
	}
	thread = mach_thread_still_begin(t);
	if (!thread)
		return -EBUSY;
	ret = mach_arch_fpu_set(thread, fxsave);
	mach_thread_still_end(t, thread);
	return ret;
}
