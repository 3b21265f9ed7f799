// SPDX-License-Identifier: GPL-2.0
/*
 * sema_wait.c - the lock and the waits of semaphores (core/sema.cc).
 *
 * As the kernel's own semaphores (kernel/locking/semaphore.c): a spin
 * lock guards the count and the waiters; a waiter sleeps with the lock
 * let go, and a signal wakes the one waiter it chose, by its thread,
 * while holding that lock. The waiter takes the lock again before it
 * looks at its record, so the waker never touches a record or a thread
 * that has left. A timed wait sleeps to a deadline of the monotonic
 * clock on an hrtimer, as mach_timespec_t's nanoseconds ask, not to the
 * next jiffy. A signal to handle ends the wait (KERN_ABORTED, as XNU's
 * abort-safe wait); a stop of the thread (task_work: thread_stop.c) or
 * its abort only suspends it: the call restarts once they are served, or
 * fails with EINTR if the thread was aborted. Right after a signal that
 * woke a peer, the wait spins while that peer runs (spin.c), as message
 * round trips do.
 */
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>

#include "shim_kernel.h"
#include "spin.h"
#include "thread_record.h"

static_assert(MACH_ERESTARTNOINTR == ERESTARTNOINTR);

struct mach_shim_spinlock {
	spinlock_t lock;
};

struct mach_shim_spinlock *mach_shim_spinlock_create(void)
{
	struct mach_shim_spinlock *lock = mach_shim_alloc(MACH_KIND_MEMORY,
							  sizeof(*lock));

	if (lock)
		spin_lock_init(&lock->lock);	/* lockdep: one class, semaphores' */
	return lock;
}

void mach_shim_spinlock_destroy(struct mach_shim_spinlock *lock)
{
	mach_shim_free(MACH_KIND_MEMORY, lock);
}

void mach_shim_spinlock_acquire(struct mach_shim_spinlock *lock)
	__acquires(&lock->lock)
{
	spin_lock(&lock->lock);
}

void mach_shim_spinlock_release(struct mach_shim_spinlock *lock)
	__releases(&lock->lock)
{
	spin_unlock(&lock->lock);
}

void mach_shim_spinlock_assert_held(struct mach_shim_spinlock *lock)
{
	lockdep_assert_held(&lock->lock);
}

/* What ends the wait: a signal to handle, or a stop (task_work) only. */
static int mach_wait_interrupted(void)
{
	if (fatal_signal_pending(current) || task_sigpending(current))
		return -EINTR;
	return signal_pending(current) ? -ERESTARTNOINTR : 0;
}

static bool mach_flag_set(void *flag)
{
	/* Pairs with the waker's store-release, made under the lock. */
	return smp_load_acquire((const mach_bool *)flag);
}

int mach_shim_sleep_locked(struct mach_shim_spinlock *lock, const mach_bool *woken,
			   u64 deadline_ns)
	__must_hold(&lock->lock)
{
	struct task_struct *peer = mach_handoff_take();
	ktime_t expires = ns_to_ktime(deadline_ns);
	bool timed = deadline_ns != MACH_SHIM_FOREVER;
	int ret;

	lockdep_assert_held(&lock->lock);
	if (peer) {
		spin_unlock(&lock->lock);
		mach_spin_until(mach_flag_set, (void *)woken, peer);
		put_task_struct(peer);
		spin_lock(&lock->lock);
		return 0;
	}
	/* Asleep before the lock goes: a wake-up under it finds us so. */
	set_current_state(TASK_INTERRUPTIBLE);
	ret = mach_wait_interrupted();
	if (!ret && timed && ktime_get_ns() >= deadline_ns)
		ret = -ETIMEDOUT;
	if (ret) {
		__set_current_state(TASK_RUNNING);
		return ret;
	}
	spin_unlock(&lock->lock);
	schedule_hrtimeout_range(timed ? &expires : NULL, current->timer_slack_ns,
				 HRTIMER_MODE_ABS);
	__set_current_state(TASK_RUNNING);
	spin_lock(&lock->lock);
	return 0;
}

struct mach_shim_peer *mach_shim_wake_thread(const void *thread, mach_bool peer)
{
	struct task_struct *task = (struct task_struct *)thread;

	wake_up_process(task);
	/* On this CPU, nobody can spin while it runs. */
	if (!peer || task_cpu(task) == raw_smp_processor_id())
		return NULL;
	get_task_struct(task);	/* it waits under our lock: it lives */
	return (struct mach_shim_peer *)task;
}

/* Not under the lock: it may put the last reference of a former peer. */
void mach_shim_note_peer(struct mach_shim_peer *peer)
{
	mach_handoff_note((struct task_struct *)peer);
}

void mach_shim_forget_peer(void)
{
	struct task_struct *peer = mach_handoff_take();

	if (peer)
		put_task_struct(peer);
}

u64 mach_shim_now_ns(void)
{
	return ktime_get_ns();
}

const void *mach_shim_current_id(void)
{
	return current;
}

const void *mach_shim_thread_id(struct mach_thread_os *thread)
{
	return READ_ONCE(thread->thread);
}
