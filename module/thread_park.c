// SPDX-License-Identifier: GPL-2.0
/*
 * thread_park.c - a new Mach thread's first park, and its way out of it.
 *
 * A thread the agent cloned for thread_create enters with
 * MACH_IOC_THREAD_ENTER and parks in the ioctl until nothing holds it.
 * Its registers are set while it is parked; once let go it leaves the
 * ioctl with them, straight into the code it was given, after the steps
 * through the stub for what only it can set (thread_arch.h).
 */
#include <linux/errno.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <asm/unistd.h>

#include <mach/ioctl.h>

#include "stub.h"
#include "task_os.h"
#include "thread_os.h"
#include "thread_record.h"

/* The registers a parked thread leaves with. */
static long mach_thread_load_state(struct mach_thread_os *t)
{
	struct pt_regs *r = current_pt_regs();
	sigset_t none;

	if (t->state_set)
		mach_arch_state_write(r, t->state);
	mach_arch_no_restart(r);	/* not a system call to restart */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* The ioctl's result is rax. */
	return t->state_set ? mach_arch_state_return(t->state) : 0;
}

/* Out of its park: its registers are no longer to be used by others. */
static void mach_thread_unpark(struct mach_thread_os *t)
{
	mutex_lock(&t->regs_lock);
	WRITE_ONCE(t->parked, false);
	mutex_unlock(&t->regs_lock);
}

/* Leaves its first park for good: with its state, or to the stub's exit. */
static long mach_thread_leave(struct mach_thread_os *t)
{
	long ret;

	mach_thread_unpark(t);
	spin_lock(&mach_threads_lock);
	t->started = true;
	spin_unlock(&mach_threads_lock);
	if (READ_ONCE(t->dying))
		return -ESRCH;	/* the stub ends the thread */
	ret = mach_thread_load_state(t);
	/* Held again on the way out: stop before running. */
	if (atomic_read(&t->holds))
		mach_thread_interrupt(t);
	return ret;
}

/* One more step out through the stub, which brings the thread back here. */
static long mach_thread_step_out(struct mach_thread_os *t,
				 const struct mach_syscall *sc)
{
	mach_thread_unpark(t);
	return mach_stub_dispatch(t->stub, mach_stub_fd(), MACH_IOC_THREAD_ENTER, sc);
}

/* The way out of the park once let go: a step through the stub, or out. */
static long mach_thread_go(struct mach_thread_os *t)
{
	struct mach_syscall sc;
	u64 rax;

	smp_rmb();	/* its state, set before the release that let it go */
	if (READ_ONCE(t->dying) || !t->state_set)
		return mach_thread_leave(t);
	/*
	 * What has no exported setter (x86: the fs and gs bases) the thread
	 * sets itself through the stub, and comes back for the rest.
	 */
	while (t->leaving < MACH_ARCH_LEAVE_STEPS) {
		int i = t->leaving++;

		if (mach_arch_leave_step(t->state, i, &sc))
			return mach_thread_step_out(t, &sc);
		mach_thread_unpark(t);
	}
	/*
	 * An ioctl's result is an int: a rax that does not fit one leaves
	 * through a read() of the same fd, whose result is a word
	 * (mach_thread_read_state()).
	 */
	rax = mach_arch_state_return(t->state);
	if (t->leaving == MACH_ARCH_LEAVE_STEPS && rax != (u64)(long)(int)rax) {
		memset(&sc, 0, sizeof(sc));
		sc.nr = __NR_read;
		sc.args[0] = mach_stub_fd();
		sc.args[1] = t->stub;
		sc.args[2] = 1;
		t->leaving = MACH_LEAVE_BY_READ;
		return mach_thread_step_out(t, &sc);
	}
	return mach_thread_leave(t);
}

long mach_thread_enter(struct mach_task_os *os)
{
	struct mach_thread_os *t;
	long ret;

	if (os->pid != task_tgid(current))
		return -EBADF;	/* its own task's file, as the stub has */
	/*
	 * Seen parked, its FPU state may be set at once, and it may not have
	 * slept yet (already let go, it never does): its live registers
	 * belong in its fpstate first, as a stop's (thread_stop.c).
	 */
	mach_arch_save_own_state();
	spin_lock(&mach_threads_lock);
	t = mach_thread_find_entering_locked(os);
	if (t && !t->thread) {
		mach_thread_set_entered_locked(t);
		t->stub = os->agent.stub;
	}
	if (t && !t->leaving)
		WRITE_ONCE(t->parked, true);
	spin_unlock(&mach_threads_lock);
	if (!t)
		return -EPERM;	/* not a thread being made: from a stub, it ends */
	wake_up_all(&t->wait);

	if (!t->leaving &&
	    wait_event_interruptible(t->wait, mach_thread_free_to_go(t))) {
		mach_thread_unpark(t);	/* it may be a fatal one */
		mach_thread_put(t);
		return -ERESTARTSYS;	/* back here after the signal */
	}
	ret = mach_thread_go(t);
	mach_thread_put(t);
	return ret;
}

long mach_thread_read_state(struct mach_task_os *os)
{
	struct mach_thread_os *t;
	long ret;

	spin_lock(&mach_threads_lock);
	t = mach_thread_find_reading_locked();
	spin_unlock(&mach_threads_lock);
	if (!t)
		return -EINVAL;	/* /dev/mach is not for reading otherwise */
	ret = mach_thread_leave(t);
	mach_thread_put(t);
	return ret;
}
