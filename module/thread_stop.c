// SPDX-License-Identifier: GPL-2.0
/*
 * thread_stop.c - holding and ending a running Mach thread.
 *
 * A running thread is stopped or ended by task_work (TWA_SIGNAL): on its
 * way back to user mode, where a stopped thread would stop (a system call
 * it was blocked in restarts), it waits in the work until nothing holds it,
 * or is sent to the stub's exit.
 */
#include <linux/jiffies.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/task_work.h>

#include "stub.h"
#include "thread_os.h"
#include "thread_record.h"
#include "trampoline.h"

/*
 * Is current on a detour through its task's stub (making the agent, or a
 * trampoline's system call), its own registers saved aside until it is
 * back? A stop then would show, and lose, the stub's.
 */
static bool mach_thread_detoured(struct mach_thread_os *t)
{
	return instruction_pointer(current_pt_regs()) - t->stub < PAGE_SIZE;
}

/* Stopped where it is until nothing holds it (or it is killed). */
static void mach_thread_stop_here(struct mach_thread_os *t)
{
	mach_arch_save_own_state();
	/* Its state saved before it is seen stopped (readers: ->stopped). */
	smp_store_release(&t->stopped, true);
	wake_up_all(&t->wait);
	/*
	 * Killable: a stopped thread waits without counting as hung. It is
	 * no longer stopped only once, under regs_lock, no hold is left: a
	 * stop that came while it was leaving found it stopped (->stopped
	 * still true) and may be reading it now.
	 */
	for (;;) {
		int killed = wait_event_killable(t->wait, mach_thread_free_to_go(t));

		mutex_lock(&t->regs_lock);
		if (killed || mach_thread_free_to_go(t)) {
			WRITE_ONCE(t->stopped, false);
			mutex_unlock(&t->regs_lock);
			break;
		}
		mutex_unlock(&t->regs_lock);
	}
}

/* Held: a running thread stops on its way back to user mode. */
static void mach_thread_stop_work(struct callback_head *work)
{
	struct mach_thread_os *t = container_of(work, struct mach_thread_os,
						work);

	spin_lock(&mach_threads_lock);
	t->work_queued = false;
	spin_unlock(&mach_threads_lock);
	/* Queued before an exec, it runs in the new program: no stop there. */
	if (!(current->flags & PF_EXITING) && mach_thread_same_program(t, current)) {
		bool detoured = mach_thread_detoured(t);

		/* Detoured, it stops once back (mach_thread_detour_done()). */
		if (!detoured)
			mach_thread_stop_here(t);
		/*
		 * Terminated, it ends at the stub; a call it was on the way
		 * out of ends with it, what it made settled now rather than
		 * by whoever next finds its trampoline. An aborted system
		 * call fails, as thread_abort says.
		 */
		if (READ_ONCE(t->dying)) {
			if (detoured)
				mach_trampoline_abandon();
			mach_arch_leave_to(current_pt_regs(), t->stub + MACH_STUB_EXIT);
		} else if (!detoured && xchg(&t->aborting, false)) {
			mach_arch_fail_syscall(current_pt_regs());
		}
	}
	mach_thread_put(t);
}

void mach_thread_detour_done(struct mach_task_os *os)
{
	struct mach_thread_os *t;

	spin_lock(&mach_threads_lock);
	t = mach_thread_find_current_locked(os);
	spin_unlock(&mach_threads_lock);
	if (!t)
		return;
	if (!mach_thread_free_to_go(t) && !mach_thread_detoured(t))
		mach_thread_interrupt(t);
	mach_thread_put(t);
}

mach_bool mach_shim_thread_quiet(struct mach_thread_os *t)
{
	struct task_struct *thread = READ_ONCE(t->thread);

	/* Waiting for its exception's answer, it runs none of its code. */
	if (READ_ONCE(t->dying) || mach_thread_stopped(t) ||
	    !READ_ONCE(t->started) || READ_ONCE(t->quiescing) || READ_ONCE(t->fault))
		return true;
	/* (Stopped by a signal, it meets its stop work before user mode.) */
	return !thread || (READ_ONCE(thread->flags) & PF_EXITING) ||
	       task_is_stopped_or_traced(thread);
}

void mach_shim_thread_set_quiescing(struct mach_thread_os *t, mach_bool on)
{
	WRITE_ONCE(t->quiescing, on);
}

int mach_shim_thread_wait_quiet(struct mach_thread_os *t, u32 timeout_ms)
{
	unsigned long until = jiffies + msecs_to_jiffies(timeout_ms);

	/* Its stop work wakes t->wait; an exit or a signal stop does not. */
	while (!mach_shim_thread_quiet(t)) {
		if (time_after(jiffies, until))
			return -ETIMEDOUT;
		if (wait_event_killable_timeout(t->wait, mach_shim_thread_quiet(t),
						HZ / 50) < 0)
			return -EINTR;
	}
	return 0;
}

void mach_thread_interrupt(struct mach_thread_os *t)
{
	struct task_struct *thread = NULL;

	spin_lock(&mach_threads_lock);
	if (t->started && t->thread && !t->work_queued) {
		thread = t->thread;
		get_task_struct(thread);
		t->work_queued = true;
	}
	spin_unlock(&mach_threads_lock);
	if (!thread)
		return;
	refcount_inc(&t->refs);		/* the work's */
	init_task_work(&t->work, mach_thread_stop_work);
	if (task_work_add(thread, &t->work, TWA_SIGNAL)) {
		spin_lock(&mach_threads_lock);
		t->work_queued = false;	/* it is exiting already */
		spin_unlock(&mach_threads_lock);
		mach_thread_put(t);
	}
	put_task_struct(thread);
}

void mach_shim_thread_hold(struct mach_thread_os *t)
{
	if (atomic_inc_return(&t->holds) == 1)
		mach_thread_interrupt(t);
}

/* Stopped in its stop work, or no longer to be waited for. */
static bool mach_thread_at_rest(struct mach_thread_os *t)
{
	return READ_ONCE(t->dying) ||
	       (READ_ONCE(t->started) && READ_ONCE(t->stopped));
}

/* Why a held thread will not stop: 0 if it is on its way. */
static int mach_thread_wont_stop(struct mach_thread_os *t)
{
	struct task_struct *thread = READ_ONCE(t->thread);

	if (READ_ONCE(t->dying))
		return -ESRCH;
	if (!thread || !READ_ONCE(t->started))
		return 0;	/* leaving its park: it stops on its way out */
	if ((READ_ONCE(thread->flags) & PF_EXITING) ||
	    !mach_thread_same_program(t, thread))
		return -ESRCH;
	/* Its stop work waits for SIGCONT or the tracer. */
	return task_is_stopped_or_traced(thread) ? -EBUSY : 0;
}

int mach_shim_thread_stop(struct mach_thread_os *t, mach_bool *held)
{
	int err;

	*held = false;
	if (mach_shim_thread_is_current(t) || READ_ONCE(t->fault))
		return 0;
	/* Parked since it was made and suspended: its state is t->state. */
	if (mach_thread_unstarted(t) && atomic_read(&t->holds))
		return 0;
	mach_shim_thread_hold(t);
	*held = true;
	/*
	 * As XNU's thread_stop, no bound; a signal ends the wait, as it
	 * aborts XNU's, and so does another's stop of the caller (its stop
	 * work comes by TWA_SIGNAL): two threads stopping each other must
	 * not wait for each other. The stop work wakes t->wait, an exit or
	 * a signal stop does not: look again now and then for those.
	 */
	while (!mach_thread_at_rest(t)) {
		err = mach_thread_wont_stop(t);
		if (err)
			return err;
		if (wait_event_interruptible_timeout(t->wait, mach_thread_at_rest(t),
						     HZ / 10) < 0)
			return -EINTR;
	}
	return READ_ONCE(t->dying) ? -ESRCH : 0;
}

void mach_shim_thread_release(struct mach_thread_os *t)
{
	if (atomic_dec_and_test(&t->holds))
		wake_up_all(&t->wait);
}

void mach_shim_thread_abort(struct mach_thread_os *t)
{
	/* Not yet run: it is in no system call to abort. */
	if (mach_thread_unstarted(t))
		return;
	WRITE_ONCE(t->aborting, true);
	/* Stopped, it sees it on its way out; running, it is interrupted. */
	if (!READ_ONCE(t->stopped))
		mach_thread_interrupt(t);
}

void mach_shim_thread_abort_safely(struct mach_thread_os *t)
{
	/*
	 * Interrupted where it may be (a blocked system call returns to the
	 * stop work, then restarts): unless held, it goes on at once.
	 */
	if (!mach_thread_unstarted(t) && !READ_ONCE(t->stopped))
		mach_thread_interrupt(t);
}

void mach_shim_thread_kill(struct mach_thread_os *t)
{
	WRITE_ONCE(t->dying, true);
	wake_up_all(&t->wait);
	if (!READ_ONCE(t->stopped))
		mach_thread_interrupt(t);
}
