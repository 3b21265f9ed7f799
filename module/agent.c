// SPDX-License-Identifier: GPL-2.0
/*
 * agent.c - each task's agent: a hidden thread of its process, parked in
 * the module, that does what another task asks of this one.
 *
 * Linux lets us change only the address space and fd table of the
 * process we run in, so a call on another task is queued to that task's
 * agent. The agent runs the call's steps in kernel mode (vm_mmap,
 * fd_install, ...) and, for what has no exported kernel function
 * (clone, execveat, mprotect, madvise, waitid), leaves the ioctl with
 * that system call set up to run through the stub page, which brings
 * its result straight back into the next step.
 *
 * In a process that opened /dev/mach, libmach starts the agent with
 * MACH_IOC_AGENT (argument: its /dev/mach fd) and waits for it to enter
 * (MACH_IOC_AGENT_WAIT); in a shell the agent is the only thread, and
 * shell.c makes it one (mach_agent_adopt()). The agent comes back from
 * the stub with MACH_IOC_AGENT_RETURN, and nothing else does. The agent
 * waits interruptibly (an idle agent counts for no load); it blocks every
 * signal, so only a fatal one ends it.
 *
 * This file knows calls and their steps, not what they do: the features
 * that use an agent (shells, threads, trampolines, vm, inheritance) call
 * down into it, never it up into them.
 *
 * A process ends with its last thread; the agent is not one of its
 * threads. Linux tells no module that a thread ended, so an idle agent of
 * a process (a shell's agent is its only thread by design) looks every
 * MACH_AGENT_ALONE_POLL for being the last one alive, and if it is, ends
 * the process as its last thread would have (as XNU ends a process whose
 * last thread terminates).
 */
#include <linux/file.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <asm/unistd.h>

#include <mach/ioctl.h>

#include "agent.h"
#include "creds.h"
#include "spin.h"
#include "stub.h"
#include "task_os.h"

void mach_agent_init(struct mach_agent *agent)
{
	spin_lock_init(&agent->lock);
	INIT_LIST_HEAD(&agent->queue);
	init_waitqueue_head(&agent->wait);
	init_waitqueue_head(&agent->started);
	agent->fd = -1;
}

void mach_agent_call_init(struct mach_agent_call *call,
			  bool (*step)(struct mach_agent_call *, long,
				       struct mach_syscall *),
			  void (*release)(struct mach_agent_call *))
{
	INIT_LIST_HEAD(&call->node);
	call->done = false;
	call->program = 0;
	call->stage = 0;
	call->restartable = false;
	call->abandoned = false;
	call->ret = 0;
	call->step = step;
	call->release = release;
	refcount_set(&call->refs, 1);
	init_waitqueue_head(&call->done_wait);
}

void mach_agent_call_put(struct mach_agent_call *call)
{
	if (refcount_dec_and_test(&call->refs))
		call->release(call);
}

/* done is set last: whoever sees it set may read ret and the results. */
static bool mach_agent_call_done(struct mach_agent_call *call)
{
	return smp_load_acquire(&call->done);	/* pairs with _finish() */
}

/*
 * The agent waits for its next call once it has finished this one: its
 * wake of the caller is a sync one, as a pipe's writer's is.
 */
static void mach_agent_call_finish(struct mach_agent_call *call, long ret)
{
	call->ret = ret;
	smp_store_release(&call->done, true);	/* pairs with _done() */
	wake_up_sync(&call->done_wait);
	mach_agent_call_put(call);	/* the agent's reference */
}

static bool mach_agent_call_done_arg(void *call)
{
	return mach_agent_call_done(call);
}

bool mach_agent_fd_is(unsigned long fd, struct file *file)
{
	struct file *f;
	bool same;

	if (fd > INT_MAX)
		return false;
	f = fget(fd);
	same = f && f == file;
	if (f)
		fput(f);
	return same;
}

bool mach_agent_is_current(struct mach_agent *agent)
{
	return READ_ONCE(agent->thread) == current;
}

bool mach_agent_thread_gone(struct task_struct *thread)
{
	return !thread || (READ_ONCE(thread->flags) & PF_EXITING);
}

/* Does a thread serve as the agent (not one that exited, or exec'd)? */
static bool mach_agent_serves(struct mach_agent *agent)
{
	bool serves;

	spin_lock(&agent->lock);
	serves = !agent->closed && !mach_agent_thread_gone(agent->thread);
	spin_unlock(&agent->lock);
	return serves;
}

/*
 * Has the agent started, or is none on its way? One is while a thread is
 * in mach_agent_start(), and until a new shell's first thread enters (it
 * does before it runs anything). libmach waits for the agent it starts
 * before it makes a call (MACH_IOC_AGENT_WAIT): a self task with none,
 * and none starting, has none to wait for.
 */
static bool mach_agent_none_coming(struct mach_agent *agent)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	bool coming;

	spin_lock(&agent->lock);
	coming = !agent->closed && mach_agent_thread_gone(agent->thread) &&
		 (agent->starting || (os->shell && !agent->thread));
	spin_unlock(&agent->lock);
	return !coming;
}

/*
 * How long a task may stay stopped (SIGSTOP, ptrace) while a caller waits
 * for its agent, before the caller gives up (KERN_ABORTED): a client must
 * not stall a server that calls into it by stopping itself.
 */
#define MACH_AGENT_STOPPED_WAIT	HZ

/* Tells, looked at now and then, when a task has been stopped too long. */
struct mach_stop_watch {
	/* its waiter's only (on its stack) */
	bool stopped;
	unsigned long since;
};

static bool mach_stop_watch_expired(struct mach_stop_watch *w, bool stopped)
{
	if (!stopped) {
		w->stopped = false;
		return false;
	}
	if (!w->stopped) {
		w->stopped = true;
		w->since = jiffies;
	}
	return time_after(jiffies, w->since + MACH_AGENT_STOPPED_WAIT);
}

/* Is os's process stopped (SIGSTOP, ptrace)? */
static bool mach_agent_process_stopped(struct mach_task_os *os)
{
	struct pid *pid = READ_ONCE(os->pid);
	struct task_struct *thread;
	bool stopped;

	if (!pid)
		return false;
	rcu_read_lock();
	thread = pid_task(pid, PIDTYPE_TGID);
	stopped = thread && task_is_stopped_or_traced(thread);
	rcu_read_unlock();
	return stopped;
}

/* How many times a wait sends a thread to make the agent before it gives up. */
#define MACH_AGENT_SUMMONS	3
#define MACH_AGENT_SUMMON_AGAIN	(HZ / 50)

/*
 * Killable, and bounded but for a new shell that runs: its first thread
 * is on its way into the module for as long as the shell lives. A task
 * whose program asked for its agent on demand has one made now.
 */
static int mach_agent_wait_for(struct mach_agent *agent, bool restartable)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	struct mach_stop_watch watch = {};
	unsigned long start = jiffies;
	int summons = 0, err;

	for (;;) {
		if (mach_agent_none_coming(agent)) {
			if (mach_agent_serves(agent))
				return 0;
			/* Its clone was refused (RLIMIT_NPROC, memory). */
			if (summons && READ_ONCE(agent->start_failed))
				return -ENOMEM;
			if (summons++ == MACH_AGENT_SUMMONS)
				return -ESRCH;
			/* Not sent from where it was: a little later, then. */
			if (summons > 1 &&
			    schedule_timeout_killable(MACH_AGENT_SUMMON_AGAIN) &&
			    fatal_signal_pending(current))
				return -EINTR;
			err = mach_agent_summon(os, restartable);
			if (err)
				return err;
			start = jiffies;
			continue;
		}
		if (mach_agent_sent_here(agent)) {
			err = mach_agent_summon(os, restartable);
			return err ? err : -ESRCH;
		}
		if (wait_event_killable_timeout(agent->started,
						mach_agent_none_coming(agent),
						HZ / 10) < 0)
			return -EINTR;
		if (mach_stop_watch_expired(&watch, mach_agent_process_stopped(os)))
			return -EINTR;	/* KERN_ABORTED, as a hold's wait */
		if (READ_ONCE(agent->starting) &&
		    time_after(jiffies, start + MACH_AGENT_START_WAIT)) {
			mach_agent_summon_drop_stuck(agent);
			return -ESRCH;
		}
	}
}

int mach_agent_wait(struct mach_agent *agent)
{
	return mach_agent_wait_for(agent, false);
}

/*
 * The core waits so that its task's threads can be adopted, their way out
 * the stub: a thread of the process asking needs no agent made for that.
 */
int mach_shim_task_agent_wait(struct mach_task_os *os)
{
	if (os->pid == task_tgid(current) && mach_agent_demand_stub(&os->agent))
		return 0;
	return mach_agent_wait(&os->agent);
}

unsigned long mach_agent_stub(struct mach_agent *agent)
{
	return mach_agent_serves(agent) ? agent->stub : mach_agent_demand_stub(agent);
}

/*
 * Not a sync wake-up, even when the caller waits next (mach_agent_run()):
 * it spins first (spin.c), and a sync wake would pull the agent onto its
 * CPU.
 */
/* A call refused is done, with its error, for whoever waits for it too. */
int mach_agent_queue(struct mach_agent *agent, struct mach_agent_call *call)
{
	int ret = mach_agent_wait_for(agent, call->restartable);

	if (!ret) {
		spin_lock(&agent->lock);
		if (agent->closed || mach_agent_thread_gone(agent->thread)) {
			ret = -ESRCH;
		} else {
			refcount_inc(&call->refs);
			list_add_tail(&call->node, &agent->queue);
		}
		spin_unlock(&agent->lock);
	}
	if (!ret) {
		wake_up(&agent->wait);
	} else {
		call->ret = ret;
		smp_store_release(&call->done, true);	/* pairs with _done() */
		wake_up_all(&call->done_wait);
	}
	return ret;
}

int mach_agent_queue_later(struct mach_agent *agent, struct mach_agent_call *call)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	bool queued = false;

	if (mach_agent_serves(agent) || !mach_agent_on_demand(agent))
		return mach_agent_queue(agent, call);
	spin_lock(&agent->lock);
	if (!agent->closed) {
		refcount_inc(&call->refs);
		list_add_tail(&call->node, &agent->queue);
		queued = true;
	}
	spin_unlock(&agent->lock);
	if (!queued)
		return mach_agent_queue(agent, call);	/* refused as it is */
	mach_agent_summon(os, false);	/* or one is on its way, or none can be */
	return 0;
}

/*
 * A call the agent has not taken yet will never run: for anyone else who
 * waits for it, it is done, as one the agent could not run (-ESRCH).
 */
static void mach_agent_cancel(struct mach_agent *agent, struct mach_agent_call *call)
{
	bool queued;

	spin_lock(&agent->lock);
	queued = !list_empty(&call->node);
	list_del_init(&call->node);
	spin_unlock(&agent->lock);
	if (queued)
		mach_agent_call_finish(call, -ESRCH);	/* puts the queue's reference */
}

long mach_agent_run(struct mach_agent *agent, struct mach_agent_call *call)
{
	long ret = mach_agent_queue(agent, call);

	return ret ? ret : mach_agent_await(agent, call);
}

/*
 * The agent the caller waited for is gone. One made on demand whose model
 * changed handed the call back, not begun (mach_agent_retire()): the next
 * agent takes it, made now if none is on its way (by the caller itself if
 * it can make its call again). 0 to wait on, *thread the next agent or
 * NULL while it is made; -ESRCH; -EAGAIN: the caller makes it.
 */
static int mach_agent_await_next(struct mach_agent *agent,
				 struct mach_agent_call *call,
				 struct task_struct **thread)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	struct task_struct *next;
	bool queued, alive, starting;
	int err;

	spin_lock(&agent->lock);
	queued = !list_empty(&call->node);
	next = agent->thread;
	alive = queued && !mach_agent_thread_gone(next);
	if (alive)
		get_task_struct(next);
	starting = agent->starting;
	spin_unlock(&agent->lock);
	if (!queued)
		return -ESRCH;	/* it died with the call in hand */
	if (*thread)
		put_task_struct(*thread);
	*thread = alive ? next : NULL;
	if (alive || starting)
		return 0;
	err = mach_agent_summon(os, call->restartable);
	return err == -EAGAIN ? err : err ? -ESRCH : 0;
}

/*
 * A caller waits killably. The agent may die with the call in hand and
 * never finish it: that is noticed by looking at its thread now and then.
 * So is an agent stopped (its task stopped by SIGSTOP or ptrace) for
 * longer than MACH_AGENT_STOPPED_WAIT: then the caller gives up (-EINTR:
 * KERN_ABORTED), and a call not taken yet never runs; one in hand ends
 * when the task runs again, unseen.
 */
long mach_agent_await(struct mach_agent *agent, struct mach_agent_call *call)
{
	struct mach_stop_watch watch = {};
	unsigned long since = jiffies;	/* of the wait for a next agent */
	struct task_struct *thread;
	long ret;

	spin_lock(&agent->lock);
	thread = agent->thread;
	if (thread)
		get_task_struct(thread);
	spin_unlock(&agent->lock);

	/* A short call is done before a sleep and a wake-up would be. */
	if (thread)
		mach_spin_until(mach_agent_call_done_arg, call, thread);
	for (;;) {
		ret = wait_event_killable_timeout(call->done_wait,
						  mach_agent_call_done(call),
						  HZ / 10);
		if (ret < 0) {
			ret = -EINTR;
			break;
		}
		if (mach_agent_call_done(call)) {
			ret = call->ret;
			break;
		}
		if (READ_ONCE(agent->closed)) {
			ret = -ESRCH;
			break;
		}
		if (mach_agent_thread_gone(thread)) {
			ret = mach_agent_await_next(agent, call, &thread);
			if (!ret && !thread &&
			    time_after(jiffies, since + MACH_AGENT_START_WAIT))
				ret = -ESRCH;
			if (ret)
				break;
		}
		if (thread)
			since = jiffies;
		if (mach_stop_watch_expired(&watch, thread &&
					    task_is_stopped_or_traced(thread))) {
			ret = -EINTR;
			break;
		}
	}
	/* A call given up on never runs after (not taken yet: it is not). */
	if (ret < 0)
		mach_agent_cancel(agent, call);
	if (thread)
		put_task_struct(thread);
	return ret;
}

bool mach_agent_call_get(struct mach_agent_call *call)
{
	return refcount_inc_not_zero(&call->refs);
}

static struct mach_agent_call *mach_agent_next(struct mach_agent *agent)
{
	struct mach_agent_call *call;

	spin_lock(&agent->lock);
	call = list_first_entry_or_null(&agent->queue, struct mach_agent_call,
					node);
	if (call)
		list_del_init(&call->node);
	spin_unlock(&agent->lock);
	return call;
}

static bool mach_agent_has_work(struct mach_agent *agent)
{
	bool work;

	spin_lock(&agent->lock);
	work = !list_empty(&agent->queue);
	spin_unlock(&agent->lock);
	return work;
}

long mach_agent_dispatch(struct mach_agent *agent, unsigned int request,
			 const struct mach_syscall *sc)
{
	return mach_stub_dispatch(agent->stub, agent->fd, request, sc);
}

#define MACH_AGENT_ALONE_POLL	HZ

/*
 * Is the agent of os (current), with its spare threads if it has any,
 * all that is left of a process whose threads have ended one by one, its
 * leader a zombie? Not a shell's.
 */
static bool mach_agent_alone(struct mach_task_os *os)
{
	struct task_struct *leader = current->group_leader;
	int spares;

	if (os->shell || leader == current || !READ_ONCE(leader->exit_state))
		return false;
	spin_lock(&os->agent.lock);
	spares = mach_task_spares_alive_locked(os);
	spin_unlock(&os->agent.lock);
	return atomic_read(&current->signal->live) == 1 + spares;
}

/* Wait for a call (0), or for an end of the process (1); -ERESTARTSYS. */
static int mach_agent_idle(struct mach_agent *agent, struct mach_task_os *os)
{
	long left;

	for (;;) {
		left = wait_event_interruptible_timeout(agent->wait,
							mach_agent_has_work(agent),
							os->shell ? MAX_SCHEDULE_TIMEOUT :
							MACH_AGENT_ALONE_POLL);
		if (left < 0)
			return left;
		if (left > 0)
			return 0;
		if (mach_agent_alone(os))
			return 1;
	}
}

/*
 * The agent (current) ends, stale: call, taken and not begun, goes back
 * to the head of the queue. The next call's caller has the next agent made
 * (mach_agent_await_next(), mach_agent_wait_for()).
 */
static void mach_agent_retire(struct mach_agent *agent, struct mach_agent_call *call)
{
	struct mach_agent_model *model;

	spin_lock(&agent->lock);
	list_add(&call->node, &agent->queue);	/* the agent's reference with it */
	agent->serving = NULL;
	agent->thread = NULL;
	model = agent->model;
	agent->model = NULL;
	spin_unlock(&agent->lock);
	put_task_struct(current);	/* agent->thread's */
	mach_agent_model_free(model);
	wake_up_all(&call->done_wait);	/* its waiter makes the next agent */
}

/* The agent's loop: finish the step in hand, then take the next call. */
static long mach_agent_serve(struct mach_agent *agent, long result)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	struct mach_agent_call *call = agent->serving;
	struct mach_syscall next;

	for (;;) {
		/* Credentials its model has no longer: another agent takes it. */
		if (call && call->stage == 0 && mach_agent_stale(agent)) {
			mach_agent_retire(agent, call);
			memset(&next, 0, sizeof(next));
			next.nr = __NR_exit;
			return mach_agent_dispatch(agent, MACH_IOC_AGENT_RETURN, &next);
		}
		/* A call for the program this process ran before an exec. */
		if (call && call->stage == 0 && !mach_task_runs_program(os, call->program)) {
			agent->serving = NULL;
			mach_agent_call_finish(call, -ESRCH);
			call = NULL;
		}
		if (call) {
			memset(&next, 0, sizeof(next));
			if (call->step(call, result, &next))
				return mach_agent_dispatch(agent, MACH_IOC_AGENT_RETURN,
							   &next);
			agent->serving = NULL;
			mach_agent_call_finish(call, call->ret);
		}
		switch (mach_agent_idle(agent, os)) {
		case 0:
			break;
		case 1:
			/* With the status Linux gives: its leader's. */
			memset(&next, 0, sizeof(next));
			next.nr = __NR_exit_group;
			next.args[0] = (READ_ONCE(current->group_leader->exit_code) >> 8) & 0xff;
			return mach_agent_dispatch(agent, MACH_IOC_AGENT_RETURN,
						   &next);
		default:
			return -ERESTARTSYS;	/* back here after the signal */
		}
		call = mach_agent_next(agent);
		agent->serving = call;
		result = 0;
	}
}

static void mach_agent_set_thread(struct mach_agent *agent, struct mach_agent_model *model)
{
	struct mach_agent_model *old_model;
	struct task_struct *old;

	get_task_struct(current);
	spin_lock(&agent->lock);
	old = agent->thread;
	agent->thread = current;
	old_model = agent->model;
	agent->model = model;
	agent->starting = false;
	spin_unlock(&agent->lock);
	wake_up_all(&agent->started);
	if (old)
		put_task_struct(old);
	mach_agent_model_free(old_model);
}

/* Drop a call that a dead agent left in hand. */
static void mach_agent_drop_serving(struct mach_agent *agent)
{
	struct mach_agent_call *call = agent->serving;

	agent->serving = NULL;
	if (call)
		mach_agent_call_finish(call, -ESRCH);
}

long mach_agent_enter_again(struct mach_agent *agent)
{
	return mach_agent_serve(agent, 0);
}

long mach_agent_enter(struct mach_agent *agent, int fd, struct mach_agent_model *model)
{
	mach_agent_drop_serving(agent);
	agent->fd = fd;
	mach_agent_set_thread(agent, model);
	return mach_agent_serve(agent, 0);
}

long mach_agent_adopt(struct mach_task_os *os, struct mach_agent_call *call)
{
	struct mach_agent *agent = &os->agent;

	mach_agent_set_thread(agent, NULL);
	agent->fd = mach_stub_fd();
	agent->serving = call;
	return mach_agent_serve(agent, 0);
}

/*
 * libmach's thread, with its /dev/mach fd, becoming the agent of its own
 * task (the first time, or after an exec killed the last one).
 */
static long mach_agent_start(struct mach_task_os *os, struct file *file,
			     unsigned long fd)
{
	struct mach_agent *agent = &os->agent;
	struct task_struct *old;
	unsigned long stub;

	if (!mach_agent_fd_is(fd, file))
		return -EBADF;

	/* One thread becomes the agent; others that try meanwhile are refused. */
	spin_lock(&agent->lock);
	old = agent->thread;
	if (agent->starting || (old && !mach_agent_thread_gone(old))) {
		spin_unlock(&agent->lock);
		return -EBUSY;
	}
	agent->starting = true;
	agent->start_failed = false;
	spin_unlock(&agent->lock);

	stub = mach_stub_map();
	if (IS_ERR_VALUE(stub)) {
		spin_lock(&agent->lock);
		agent->starting = false;
		agent->start_failed = true;
		spin_unlock(&agent->lock);
		wake_up_all(&agent->started);
		return stub;
	}
	mach_agent_drop_serving(agent);
	agent->stub = stub;
	agent->fd = fd;
	mach_agent_set_thread(agent, NULL);
	return mach_agent_serve(agent, 0);
}

/*
 * MACH_IOC_AGENT_WAIT: libmach has started a thread to become its task's
 * agent, and waits until it has (or was refused), before any call that
 * might need it: a task with no agent then needs no wait for one.
 */
long mach_agent_wait_ioctl(struct mach_task_os *os)
{
	struct mach_agent *agent = &os->agent;
	bool failed;

	if (os->pid != task_tgid(current))
		return -EBADF;
	if (wait_event_killable_timeout(agent->started, mach_agent_serves(agent) ||
					READ_ONCE(agent->closed) ||
					READ_ONCE(agent->start_failed),
					MACH_AGENT_START_WAIT) < 0)
		return -EINTR;
	spin_lock(&agent->lock);
	failed = agent->start_failed;
	agent->start_failed = false;
	spin_unlock(&agent->lock);
	return mach_agent_serves(agent) ? 0 : failed ? -ENOMEM : -ESRCH;
}

long mach_agent_start_ioctl(struct mach_task_os *os, struct file *file,
			    unsigned long fd)
{
	if (os->pid != task_tgid(current))
		return -EBADF;	/* a file of another process's */
	/* The agent's own, restarted after a stop: it goes on serving. */
	if (mach_agent_is_current(&os->agent))
		return mach_agent_serve(&os->agent, 0);
	return mach_agent_start(os, file, fd);
}

long mach_agent_return_ioctl(struct mach_agent *agent, long result)
{
	if (!mach_agent_is_current(agent))
		return -EPERM;	/* not the agent */
	return mach_agent_serve(agent, result);
}

void mach_agent_close(struct mach_agent *agent)
{
	struct mach_agent_call *call;
	struct task_struct *thread;

	spin_lock(&agent->lock);
	agent->closed = true;
	thread = agent->thread;
	agent->thread = NULL;
	spin_unlock(&agent->lock);
	wake_up_all(&agent->started);

	/*
	 * One call at a time off the queue, under its lock: a caller that
	 * gives up meanwhile (mach_agent_cancel()) takes its own off, and
	 * either finds it there or not, never on a list of ours.
	 */
	while ((call = mach_agent_next(agent)))
		mach_agent_call_finish(call, -ESRCH);
	mach_agent_drop_serving(agent);
	mach_agent_summon_close(agent);
	if (thread)
		put_task_struct(thread);
}

/* A call of the core's, run in the task (mach_shim_task_call). */
struct mach_core_call {
	struct mach_agent_call call;
	/* fn, abandon, size: set before it is queued, then read-only */
	void (*fn)(void *arg);
	void (*abandon)(void *arg);
	atomic_t abandoned;	/* atomic: the caller gave up */
	size_t size;
	/* the agent's while it runs; the caller's once done (call.done) */
	u8 arg[];
};

static bool mach_core_call_step(struct mach_agent_call *call, long result,
				struct mach_syscall *next)
{
	struct mach_core_call *cc = container_of(call, struct mach_core_call,
						 call);

	cc->fn(cc->arg);
	return false;
}

static void mach_core_call_release(struct mach_agent_call *call)
{
	struct mach_core_call *cc = container_of(call, struct mach_core_call,
						 call);

	if (atomic_read(&cc->abandoned))
		cc->abandon(cc->arg);
	kfree(cc);
}

int mach_shim_task_call(struct mach_task_os *os, u64 program, void (*fn)(void *),
			void (*abandon)(void *), void *arg, size_t size)
{
	struct mach_core_call *cc;
	long ret;

	cc = kmalloc(struct_size(cc, arg, size), GFP_KERNEL);
	if (!cc) {
		abandon(arg);
		return -ENOMEM;
	}
	mach_agent_call_init(&cc->call, mach_core_call_step,
			     mach_core_call_release);
	cc->call.program = program;
	cc->fn = fn;
	cc->abandon = abandon;
	atomic_set(&cc->abandoned, 0);
	cc->size = size;
	memcpy(cc->arg, arg, size);
	ret = mach_agent_run(&os->agent, &cc->call);
	if (!ret)
		memcpy(arg, cc->arg, size);
	else
		atomic_set(&cc->abandoned, 1);	/* the last put releases */
	mach_agent_call_put(&cc->call);
	return ret;
}
