// SPDX-License-Identifier: GPL-2.0
/*
 * sample.c - task_sample: the program counters of a task's threads,
 * sampled while it has a sample port, and handed in batches to the core
 * (core/sample.cc), which sends them to the port.
 *
 * Each thread carries a software perf event counting its time on a CPU
 * (PERF_COUNT_SW_TASK_CLOCK, made with perf_event_create_kernel_counter()):
 * its hrtimer fires, in hard interrupt context on the thread's own CPU and
 * while the thread runs, once per MACH_SAMPLE_PERIOD_NS of that time, and
 * our overflow handler notes the thread's tid and user pc in the
 * sampler's batch. Nothing is paid while a thread does not run, and a
 * thread's cost is its share of those timer interrupts. The events are
 * inherited by the threads a thread clones (inherit, inherit_thread: not
 * by a fork), so that threads started later are sampled too, a task's
 * agent's included (thread_create clones from it; the handler skips the
 * agent itself, which is no Mach thread), and they go at exec
 * (remove_on_exec): the new program is not sampled (the core drops the
 * port too, Task::renew_port()).
 *
 * The handler only notes; a work item sends, from process context: at
 * most MACH_SAMPLE_FLUSH_MS after a batch's first sample, at once when
 * MACH_SAMPLE_MAX are waiting. A batch that finds the port's queue full
 * is dropped (and counted, for the next message), never waited for;
 * one that finds it dead stops the sampling (the core clears the port and
 * calls mach_shim_task_sample(), here, from the work itself).
 *
 * Lifetime: a task's sampler is os->sampler, made by
 * mach_shim_task_sample() when the core says the task is to be sampled
 * and stopped when it says not (port cleared or replaced by none, the
 * task terminated, an exec); the core's Task::terminate() says so before
 * the task is freed, and the task holds the module, so nothing of a
 * sampler outlives its task, and the module's exit drains the workqueue
 * (a work that dropped a task's last reference may still be finishing).
 * Before it clears or replaces the port the core has the batch taken so
 * far sent at once (mach_shim_task_sample_flush()). Stopping releases
 * every event (after which no handler runs, nor queues the work), then
 * waits for the work, unless it is the work that stops.
 *
 * Locks: os->sample_lock (a mutex; module/mach.h places it) guards
 * os->sampler, and is held while a sampler starts (it takes perf's own
 * locks inside); a sampler's lock (raw: it is taken in the handler, hard
 * interrupt context even on PREEMPT_RT) guards its batches, innermost.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <mach/abi.h>

#include "agent.h"
#include "sample.h"
#include "task_os.h"
#include "upcalls.h"

/* The samples a batch holds: what a page holds. */
#define MACH_SAMPLE_ROOM ((PAGE_SIZE - sizeof(u64)) / sizeof(struct mach_sample))

struct mach_sample_batch {
	u32 count;
	struct mach_sample samples[MACH_SAMPLE_ROOM];
};

struct mach_sampler {
	refcount_t refs;		/* os->sampler's, and a running work's */
	/* set at start, then read-only; neither a reference (see above) */
	struct mach_task_os *os;
	struct pid *tgid;		/* os->pid */
	raw_spinlock_t lock;
	/* guarded by lock */
	struct mach_sample_batch *filling;	/* the handler's */
	u32 dropped;			/* lost since the last message sent */
	/* the work's (it runs one at a time) */
	struct mach_sample_batch *spare;
	struct delayed_work flush;
	/*
	 * Guarded by os->sample_lock while it starts, then its stopper's:
	 * an event per thread it was started on (inherited ones are their
	 * children), and that thread (a reference).
	 */
	struct perf_event **events;
	struct task_struct **targets;
	unsigned int nevents, room;
};

static struct workqueue_struct *mach_sample_wq;
/* Samplers made and not yet freed (for tests and operators). */
static atomic_long_t mach_samplers_alive;

long mach_samplers_live(void)
{
	return atomic_long_read(&mach_samplers_alive);
}

static void mach_sampler_put(struct mach_sampler *s)
{
	if (!refcount_dec_and_test(&s->refs))
		return;
	atomic_long_dec(&mach_samplers_alive);
	kfree(s->filling);
	kfree(s->spare);
	kfree(s->events);
	kfree(s->targets);
	kfree(s);
}

/* The overflow handler: current is the sampled thread, on its CPU. */
static void mach_sample_overflow(struct perf_event *event,
				 struct perf_sample_data *data,
				 struct pt_regs *regs)
{
	struct mach_sampler *s = event->overflow_handler_context;
	struct mach_sample_batch *b;
	struct pt_regs *user;
	unsigned long flags;
	u64 tid, pc;
	u32 n = 0;

	/* Its own threads only (a fork's never inherit), never its agent. */
	if ((current->flags & (PF_KTHREAD | PF_EXITING)) || task_tgid(current) != s->tgid ||
	    mach_agent_is_current(&s->os->agent))
		return;
	/* Inside the kernel (a system call): where it goes back to. */
	user = regs && user_mode(regs) ? regs : task_pt_regs(current);
	pc = instruction_pointer(user);
	tid = task_pid_vnr(current);

	raw_spin_lock_irqsave(&s->lock, flags);
	b = s->filling;
	if (b->count < MACH_SAMPLE_ROOM) {
		b->samples[b->count].thread = tid;
		b->samples[b->count].pc = pc;
		n = ++b->count;
	} else if (s->dropped < U32_MAX) {
		s->dropped++;	/* the sender is behind: no room */
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);

	if (n == 1)
		queue_delayed_work(mach_sample_wq, &s->flush,
				   msecs_to_jiffies(MACH_SAMPLE_FLUSH_MS));
	else if (n == MACH_SAMPLE_MAX)
		mod_delayed_work(mach_sample_wq, &s->flush, 0);
}

static u32 mach_add_dropped(u32 dropped, u32 more)
{
	return dropped > U32_MAX - more ? U32_MAX : dropped + more;
}

/* The sender: the batch filled so far, in messages of MACH_SAMPLE_MAX. */
static void mach_sample_flush(struct work_struct *work)
{
	struct mach_sampler *s = container_of(to_delayed_work(work),
					      struct mach_sampler, flush);
	struct mach_task *task = READ_ONCE(s->os->task);
	enum mach_sample_sent sent = MACH_SAMPLE_STOPPED;
	struct mach_sample_batch *b;
	u32 dropped, done = 0, n = 0;

	/*
	 * Whoever stops s waits for us first, unless it is us (below):
	 * then our reference keeps s until we return.
	 */
	refcount_inc(&s->refs);
	raw_spin_lock_irq(&s->lock);
	b = s->filling;
	s->filling = s->spare;
	s->spare = NULL;
	dropped = s->dropped;
	s->dropped = 0;
	raw_spin_unlock_irq(&s->lock);

	/* A task being freed stops us; its memory lasts until we return. */
	if (mach_task_get_not_zero(task)) {
		while (done < b->count) {
			n = min_t(u32, b->count - done, MACH_SAMPLE_MAX);
			sent = mach_up->task_sample_send(task, b->samples + done, n, dropped);
			if (sent != MACH_SAMPLE_SENT)
				break;
			dropped = 0;
			done += n;
		}
		if (sent == MACH_SAMPLE_FULL) {
			raw_spin_lock_irq(&s->lock);
			s->dropped = mach_add_dropped(s->dropped,
						      mach_add_dropped(dropped, b->count - done));
			raw_spin_unlock_irq(&s->lock);
		}
		/* May be the last: the task ends, and stops s from here. */
		mach_task_put(task);
	}
	b->count = 0;
	s->spare = b;
	mach_sampler_put(s);
}

/* Up to room threads of the group tgid (new references) into out. */
static unsigned int mach_sample_threads(struct pid *tgid, struct task_struct **out,
					unsigned int room, bool *more)
{
	struct task_struct *leader, *t;
	unsigned int n = 0;

	*more = false;
	rcu_read_lock();
	leader = pid_task(tgid, PIDTYPE_TGID);
	if (leader) {
		for_each_thread(leader, t) {
			if (t->flags & PF_EXITING)
				continue;
			if (n == room) {
				*more = true;
				break;
			}
			get_task_struct(t);
			out[n++] = t;
		}
	}
	rcu_read_unlock();
	return n;
}

/*
 * Has t an event of s's: one made for it, or one it inherited (a child of
 * one of those, which perf lists under child_mutex)? Perf may have
 * swapped the contexts of a thread and its clone, events and all, but
 * every sampled thread keeps exactly one: the targets' set is unchanged.
 */
static bool mach_sampler_covers(struct mach_sampler *s, struct task_struct *t)
{
	struct perf_event *child;
	unsigned int i;
	bool found = false;

	for (i = 0; i < s->nevents; i++)
		if (s->targets[i] == t)
			return true;
	for (i = 0; i < s->nevents && !found; i++) {
		mutex_lock(&s->events[i]->child_mutex);
		list_for_each_entry(child, &s->events[i]->child_list, child_list) {
			if (child->hw.target == t) {
				found = true;
				break;
			}
		}
		mutex_unlock(&s->events[i]->child_mutex);
	}
	return found;
}

/* One more event, on t (whose reference it takes): 0 or -errno. */
static int mach_sampler_attach(struct mach_sampler *s, struct task_struct *t)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.sample_period = MACH_SAMPLE_PERIOD_NS,
		.inherit = 1,
		.inherit_thread = 1,
		.remove_on_exec = 1,
	};
	struct perf_event *event;

	if (s->nevents == s->room) {
		unsigned int room = max(2 * s->room, 8U);
		struct perf_event **events;
		struct task_struct **targets;

		events = krealloc_array(s->events, room, sizeof(*events), GFP_KERNEL_ACCOUNT);
		if (!events)
			goto nomem;
		s->events = events;
		targets = krealloc_array(s->targets, room, sizeof(*targets), GFP_KERNEL_ACCOUNT);
		if (!targets)
			goto nomem;
		s->targets = targets;
		s->room = room;
	}
	event = perf_event_create_kernel_counter(&attr, -1, t, mach_sample_overflow, s);
	if (IS_ERR(event)) {
		put_task_struct(t);
		/* It exited meanwhile: nothing to sample. */
		return PTR_ERR(event) == -ESRCH ? 0 : PTR_ERR(event);
	}
	s->events[s->nevents] = event;
	s->targets[s->nevents++] = t;
	return 0;

nomem:
	put_task_struct(t);
	return -ENOMEM;
}

/*
 * An event on every thread of the group that has none of ours. The first
 * pass finds threads that all began before any event of ours: none has
 * one. A thread made meanwhile by one that had an event inherited it;
 * the others are found by the next pass, until one finds none new. (A
 * clone that began before its creator's event and ends after the last
 * pass looked goes unsampled: the window is the inside of one clone().)
 * 0 or -errno.
 */
static int mach_sampler_attach_all(struct mach_sampler *s)
{
	struct task_struct **found;
	unsigned int room = 16, n, i, added;
	bool first = true, more;
	int err = 0;

	do {
		found = kmalloc_array(room, sizeof(*found), GFP_KERNEL);
		if (!found)
			return -ENOMEM;
		n = mach_sample_threads(s->tgid, found, room, &more);
		added = 0;
		for (i = 0; i < n; i++) {
			/* Too many for room: all of them again, with more room. */
			if (more || err || (!first && mach_sampler_covers(s, found[i]))) {
				put_task_struct(found[i]);
				continue;
			}
			err = mach_sampler_attach(s, found[i]);
			added++;
		}
		kfree(found);
		if (more)
			room *= 2;
		else
			first = false;
	} while (!err && (more || added));
	return err;
}

/*
 * Events on every thread of the process, if it still runs program (0:
 * the one the core last saw): under exec_update_lock, as perf_event_open()
 * attaches. Between the caller's check and here the process may have
 * exec'd a set-id program, whose exec has removed events already: none
 * may land on it. 0, or -errno (-ESRCH: another program).
 */
static int mach_sampler_attach_program(struct mach_sampler *s, u64 program)
{
	struct task_struct *leader = get_pid_task(s->tgid, PIDTYPE_TGID);
	int err;

	if (!leader)
		return 0;	/* gone: nothing to sample */
	err = down_read_killable(&leader->signal->exec_update_lock);
	if (!err) {
		err = mach_task_process_runs(s->os, program) ?
		      mach_sampler_attach_all(s) : -ESRCH;
		up_read(&leader->signal->exec_update_lock);
	}
	put_task_struct(leader);
	return err;
}

static void mach_sampler_stop(struct mach_sampler *s)
{
	unsigned int i;

	/* Each gone with its children: no handler runs from here on. */
	for (i = 0; i < s->nevents; i++) {
		perf_event_release_kernel(s->events[i]);
		put_task_struct(s->targets[i]);
	}
	s->nevents = 0;
	if (current_work() == &s->flush.work)
		cancel_delayed_work(&s->flush);	/* we are it: nothing more */
	else
		cancel_delayed_work_sync(&s->flush);
	mach_sampler_put(s);
}

/*
 * A sampler of os's process, its events on every thread if it runs
 * program; or NULL (no memory). *err: 0, or why it has no events: then
 * it is to be stopped, not under sample_lock (its work's lock comes
 * first: mach_sample_flush() may take sample_lock).
 */
static struct mach_sampler *mach_sampler_start(struct mach_task_os *os, u64 program,
					       int *err)
{
	struct mach_sampler *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	atomic_long_inc(&mach_samplers_alive);
	refcount_set(&s->refs, 1);
	s->os = os;
	s->tgid = os->pid;
	raw_spin_lock_init(&s->lock);
	INIT_DELAYED_WORK(&s->flush, mach_sample_flush);
	s->filling = kzalloc(sizeof(*s->filling), GFP_KERNEL_ACCOUNT);
	s->spare = kzalloc(sizeof(*s->spare), GFP_KERNEL_ACCOUNT);
	if (!s->filling || !s->spare) {
		mach_sampler_put(s);
		return NULL;
	}
	*err = mach_sampler_attach_program(s, program);
	return s;
}

int mach_shim_task_sample(struct mach_task_os *os, u64 program)
{
	struct mach_sampler *stop = NULL, *s;
	struct mach_task *task;
	bool want;
	int err = 0;

	mutex_lock(&os->sample_lock);
	/*
	 * A new shell is sampled once set up (mach_task_set_ready()): before,
	 * its only thread may yet exec the shell's image. (No task yet: one
	 * whose making failed, terminated as it is freed.)
	 */
	task = smp_load_acquire(&os->task);	/* pairs with mach_shim_task_created() */
	want = task && mach_up->task_sampling(task) && READ_ONCE(os->registered) &&
	       smp_load_acquire(&os->ready);	/* pairs with mach_task_set_ready() */
	if (want && !os->sampler) {
		s = mach_sampler_start(os, program, &err);
		if (!s)
			err = -ENOMEM;
		else if (err)
			stop = s;
		else
			WRITE_ONCE(os->sampler, s);
	} else if (!want && os->sampler) {
		stop = os->sampler;
		WRITE_ONCE(os->sampler, NULL);
	}
	mutex_unlock(&os->sample_lock);
	/* Not under the lock: the work may be waiting for it. */
	if (stop)
		mach_sampler_stop(stop);
	return err;
}

void mach_shim_task_sample_flush(struct mach_task_os *os)
{
	struct mach_sampler *s;

	mutex_lock(&os->sample_lock);
	s = os->sampler;
	if (s)
		refcount_inc(&s->refs);
	mutex_unlock(&os->sample_lock);
	if (!s)
		return;
	/* Now rather than when its batch would have gone (not from itself). */
	if (current_work() != &s->flush.work) {
		mod_delayed_work(mach_sample_wq, &s->flush, 0);
		flush_delayed_work(&s->flush);
	}
	mach_sampler_put(s);
}

void mach_sample_free(struct mach_task_os *os)
{
	/* Terminated, so stopped: but nothing may outlive it. */
	if (os->sampler) {
		mach_sampler_stop(os->sampler);
		os->sampler = NULL;
	}
}

int mach_sample_init(void)
{
	mach_sample_wq = alloc_workqueue("mach_sample", WQ_UNBOUND, 0);
	return mach_sample_wq ? 0 : -ENOMEM;
}

void mach_sample_exit(void)
{
	/* No task is left, so no sampler: a work may still be finishing. */
	destroy_workqueue(mach_sample_wq);
}
