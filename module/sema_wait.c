// SPDX-License-Identifier: GPL-2.0
/*
 * sema_wait.c - the waits of semaphores (core/sema.cc).
 *
 * A semaphore's signal hands its count to one waiter it chose, in the
 * order of its policy: each waiter is queued with a key (its record in
 * the core) and woken by that key alone, not with the others. A timed
 * wait sleeps to a deadline of the monotonic clock on an hrtimer, as
 * mach_timespec_t's nanoseconds ask, not to the next jiffy. A signal to
 * handle ends the wait (KERN_ABORTED, as XNU's abort-safe wait); a stop
 * of the thread (task_work: thread_stop.c) or its abort only suspends
 * it: the call restarts once they are served, or fails with EINTR if
 * the thread was aborted. Right after a signal that woke a peer, the
 * wait spins while that peer runs (spin.c), as message round trips do.
 */
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

#include "shim_kernel.h"
#include "spin.h"
#include "thread_record.h"

static_assert(MACH_ERESTARTNOINTR == ERESTARTNOINTR);

/* A waiter on the caller's stack, queued on the semaphore's wait queue. */
struct mach_keyed_wait {
	struct wait_queue_entry entry;
	void *key;		/* immutable */
};

static int mach_keyed_wake(struct wait_queue_entry *entry, unsigned int mode,
			   int sync, void *key)
{
	struct mach_keyed_wait *w = container_of(entry, struct mach_keyed_wait,
						 entry);

	if (key && key != w->key)
		return 0;	/* another waiter's wake-up */
	return woken_wake_function(entry, mode, sync, key);
}

static bool mach_keyed_woken(void *arg)
{
	struct mach_keyed_wait *w = arg;

	return READ_ONCE(w->entry.flags) & WQ_FLAG_WOKEN;
}

/* What ends the wait: a signal to handle, or a stop (task_work) only. */
static int mach_wait_interrupted(void)
{
	if (fatal_signal_pending(current) || task_sigpending(current))
		return -EINTR;
	return signal_pending(current) ? -ERESTARTNOINTR : 0;
}

int mach_shim_waitq_wait_keyed(struct mach_shim_waitq *q, bool (*ready)(void *),
			       void *key, u64 deadline_ns)
{
	struct wait_queue_head *head = mach_shim_waitq_head(q);
	struct task_struct *peer = mach_handoff_take();
	ktime_t expires = ns_to_ktime(deadline_ns);
	bool timed = deadline_ns != MACH_SHIM_FOREVER;
	struct mach_keyed_wait w = { .key = key };
	int ret = 0;

	init_waitqueue_func_entry(&w.entry, mach_keyed_wake);
	w.entry.private = current;
	add_wait_queue(head, &w.entry);
	while (!ready(key)) {
		ret = mach_wait_interrupted();
		if (ret)
			break;
		if (timed && ktime_get_ns() >= deadline_ns) {
			ret = -ETIMEDOUT;
			break;
		}
		if (peer) {
			bool woken = mach_spin_until(mach_keyed_woken, &w, peer);

			put_task_struct(peer);
			peer = NULL;
			if (woken) {
				/* As wait_woken() does once it has seen it. */
				smp_store_mb(w.entry.flags, w.entry.flags & ~WQ_FLAG_WOKEN);
				continue;
			}
		}
		/* wait_woken()'s protocol, to an hrtimer's deadline. */
		set_current_state(TASK_INTERRUPTIBLE);
		if (!(READ_ONCE(w.entry.flags) & WQ_FLAG_WOKEN))
			schedule_hrtimeout_range(timed ? &expires : NULL,
						 current->timer_slack_ns,
						 HRTIMER_MODE_ABS);
		__set_current_state(TASK_RUNNING);
		/* Pairs with woken_wake_function()'s barrier before it sets it. */
		smp_store_mb(w.entry.flags, w.entry.flags & ~WQ_FLAG_WOKEN);
	}
	remove_wait_queue(head, &w.entry);
	if (peer)
		put_task_struct(peer);
	return ret;
}

/*
 * The thread waiting with key, with a reference, if it last ran on
 * another CPU (on this one, nobody can spin while it runs); or NULL.
 */
static struct task_struct *mach_keyed_peer_locked(struct wait_queue_head *head,
						  void *key)
{
	struct wait_queue_entry *entry;
	struct task_struct *peer;

	lockdep_assert_held(&head->lock);
	list_for_each_entry(entry, &head->head, entry) {
		if (entry->func != mach_keyed_wake ||
		    container_of(entry, struct mach_keyed_wait, entry)->key != key)
			continue;
		peer = entry->private;
		if (task_cpu(peer) == smp_processor_id())
			return NULL;
		get_task_struct(peer);	/* it is queued: it lives */
		return peer;
	}
	return NULL;
}

void mach_shim_waitq_wake_key(struct mach_shim_waitq *q, void *key, bool peer)
{
	struct wait_queue_head *head = mach_shim_waitq_head(q);
	struct task_struct *woken = NULL;
	unsigned long flags;

	spin_lock_irqsave(&head->lock, flags);
	if (peer)
		woken = mach_keyed_peer_locked(head, key);
	__wake_up_locked_key(head, TASK_NORMAL, key);
	spin_unlock_irqrestore(&head->lock, flags);
	if (woken)
		mach_handoff_note(woken);
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
