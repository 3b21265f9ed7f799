// SPDX-License-Identifier: GPL-2.0
/*
 * spin.c - a thread that has just woken another and now waits for its
 * answer spins a moment before it sleeps, while that other thread runs on
 * another CPU.
 *
 * A request and its reply (a message round trip, a call run by a task's
 * agent) each cost a sleep and a cross-CPU wake-up; the answer often
 * comes sooner than the wake-up would. This is the adaptive spinning of
 * the kernel's mutexes: it goes on only while the peer is runnable on
 * another CPU, and never longer than MACH_SPIN_NS, nor past the point
 * where this CPU is wanted (need_resched) or a signal is pending.
 *
 * The peer of a message is whoever waited on the port it was sent to:
 * the send notes it in a per-CPU slot, and a wait of the same thread on
 * the same CPU right after takes it. A slot found stale (another thread,
 * another CPU after a migration) only costs the spin it does not do.
 */
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

#include "spin.h"

/* Long enough for a short reply under emulation, short against a tick. */
#define MACH_SPIN_NS (100 * NSEC_PER_USEC)

/* Per CPU: its CPU's, with preemption off (module exit: no one else's). */
struct mach_handoff {
	struct task_struct *waker;	/* compared only, never dereferenced */
	struct task_struct *peer;	/* a reference */
};

static DEFINE_PER_CPU(struct mach_handoff, mach_handoffs);

/*
 * Not a sync wake-up: that hint says the waker is about to sleep, and
 * pulls the woken thread onto the waker's CPU, where the spin below can
 * never run. The waker spins first, so the woken stays where it last ran.
 */
void mach_handoff_wake(struct wait_queue_head *head)
{
	struct task_struct *peer = NULL;
	struct wait_queue_entry *first;
	unsigned long flags;

	/* Whom the wake is for, under the lock the wake takes anyway. */
	spin_lock_irqsave(&head->lock, flags);
	first = list_first_entry_or_null(&head->head, struct wait_queue_entry,
					 entry);
	/* Only a thread in mach_shim_waitq_wait(), not a poll() entry. */
	if (first && first->func == woken_wake_function) {
		peer = first->private;
		get_task_struct(peer);	/* it is queued: it lives */
	}
	__wake_up_locked_key(head, TASK_NORMAL, NULL);
	spin_unlock_irqrestore(&head->lock, flags);
	if (peer)
		mach_handoff_note(peer);
}

void mach_handoff_note(struct task_struct *peer)
{
	struct task_struct *old;

	preempt_disable();
	old = this_cpu_read(mach_handoffs.peer);
	this_cpu_write(mach_handoffs.peer, peer);
	this_cpu_write(mach_handoffs.waker, current);
	preempt_enable();
	if (old)
		put_task_struct(old);
}

struct task_struct *mach_handoff_take(void)
{
	struct task_struct *peer = NULL;

	preempt_disable();
	if (this_cpu_read(mach_handoffs.waker) == current) {
		peer = this_cpu_read(mach_handoffs.peer);
		this_cpu_write(mach_handoffs.peer, NULL);
		this_cpu_write(mach_handoffs.waker, NULL);
	}
	preempt_enable();
	return peer;
}

/* Running, or woken and on its way to a CPU. */
static bool mach_peer_runs(struct task_struct *peer)
{
	unsigned int state = READ_ONCE(peer->__state);

	return state == TASK_RUNNING || state == TASK_WAKING;
}

bool mach_spin_until(bool (*done)(void *), void *arg, struct task_struct *peer)
{
	u64 until = local_clock() + MACH_SPIN_NS;

	while (!done(arg)) {
		if (need_resched() || signal_pending(current) ||
		    !mach_peer_runs(peer) ||
		    task_cpu(peer) == raw_smp_processor_id() ||
		    local_clock() > until)
			return false;
		cpu_relax();
	}
	return true;
}

void mach_spin_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mach_handoff *h = per_cpu_ptr(&mach_handoffs, cpu);

		if (h->peer)
			put_task_struct(h->peer);
		h->peer = NULL;
		h->waker = NULL;
	}
}
