/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agent.h - agents (agent.c): each task's hidden thread, parked in the
 * module, that runs calls in its task's context. A call is a sequence of
 * steps; each step runs in the agent, in kernel mode, and either asks for
 * one more system call through the stub (its result is the next step's
 * argument) or ends the call.
 *
 * The agent knows calls and steps, not what they are for: the features
 * built on it (shell.c, thread*.c, trampoline.c, vm.c, clone.c) give it
 * calls, and handle their own requests from the stub (dev.c routes them).
 */
#ifndef MACH_AGENT_H
#define MACH_AGENT_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <linux/sched.h>
#include <asm/current.h>

#include "stub.h"

struct file;
struct mm_struct;
struct task_struct;
struct mach_agent_summon;
struct mach_agent_model;
struct mach_task_os;

struct mach_agent_call {
	struct list_head node;	/* in agent->queue, under agent->lock */
	/*
	 * Set at init, then read-only. step, in the agent: true with *next
	 * to run, false when the call is done.
	 */
	bool (*step)(struct mach_agent_call *call, long result,
		     struct mach_syscall *next);
	void (*release)(struct mach_agent_call *call);	/* frees it */
	refcount_t refs;		/* atomic */
	wait_queue_head_t done_wait;	/* its own lock */
	bool done;		/* set last, release; read with acquire */
	/* set before it is queued, then read-only: see task.c */
	u64 program;		/* the program it is for (0: any) */
	/* the agent's while it runs the call; its caller's once done */
	int stage;		/* the step's own bookkeeping, from 0 */
	/*
	 * Set before it is queued: its caller's ioctl did nothing yet that
	 * would forbid making it again, should its own task need an agent.
	 */
	bool restartable;
	/*
	 * Set with ret -EINTR by a trampoline dropped before its thread came
	 * back (trampoline.c): the result its step never saw is unknown. No
	 * result from user space sets it.
	 */
	bool abandoned;
	long ret;		/* the call's result, once done */
};

struct mach_agent {
	/*
	 * lock: a spinlock, innermost: nothing is taken under it. It is
	 * taken under the core's mutexes (Task::adopt_lock_, through
	 * mach_shim_thread_adopt_others()), never under mach_threads_lock or
	 * mach_spawns_lock, nor they under it.
	 * It guards the fields below that say so, the task's list of
	 * trampolines (mach_task_os.trampolines, trampoline.c) and its
	 * spare threads (mach_task_os.spare*, thread.c).
	 */
	spinlock_t lock;
	/*
	 * Guarded by lock; thread, closed, starting and start_failed are
	 * also looked at with READ_ONCE without it (mach_agent_is_current(),
	 * the waits' conditions).
	 */
	struct task_struct *thread;	/* a reference */
	struct list_head queue;		/* calls waiting */
	bool closed;			/* the task is gone */
	bool starting;			/* a thread is becoming it */
	bool start_failed;		/* until AGENT_WAIT sees it */
	wait_queue_head_t wait;		/* its own lock: the agent idles here */
	wait_queue_head_t started;	/* its own lock: callers wait for a thread */
	/*
	 * The agent thread's only; the task's end takes it once no thread
	 * of the process is left (mach_agent_close()).
	 */
	struct mach_agent_call *serving;
	/*
	 * Written by the agent thread (mach_agent_start(): before thread is
	 * set; a shell's, while it is the process's only thread), or under
	 * lock by mach_agent_on_demand_ioctl() while no thread serves; read
	 * by the task's threads that saw thread set, or demand_mm, under lock.
	 */
	unsigned long stub;
	int fd;
	/*
	 * An agent made on demand (agent_summon.c), guarded by lock. The
	 * program that asked for it, by its mm (mmgrab()bed, compared only)
	 * and its /dev/mach file (compared only): NULL if none did.
	 */
	struct mm_struct *demand_mm;
	struct file *demand_file;
	/* The summons under way, at most one; since when (jiffies). */
	struct mach_agent_summon *summon;
	unsigned long summoned_at;
	/* Its thread, if it makes the agent after its ioctl. */
	struct task_struct *summon_here;	/* compared only */
	/*
	 * The thread a summoned agent is cloned from (model_next, until it
	 * enters) and was (model). The agent's credentials are its model's
	 * then, and go stale when the model's change (no setxid broadcast of
	 * glibc's reaches a thread it did not make).
	 */
	struct mach_agent_model *model_next;
	struct mach_agent_model *model;
};

/* How long a thread may take to start as the agent (emulation is slow). */
#define MACH_AGENT_START_WAIT	(5 * HZ)

void mach_agent_init(struct mach_agent *agent);
/* The task is gone: calls fail, the thread is released. */
void mach_agent_close(struct mach_agent *agent);
void mach_agent_call_init(struct mach_agent_call *call,
			  bool (*step)(struct mach_agent_call *, long,
				       struct mach_syscall *),
			  void (*release)(struct mach_agent_call *));
void mach_agent_call_put(struct mach_agent_call *call);
/* One more reference to call, unless it is being released (false). */
bool mach_agent_call_get(struct mach_agent_call *call);
/*
 * Queue call without waiting for it (it takes a reference): 0, or
 * -ESRCH or -EINTR, and the call is then done with that error.
 */
int mach_agent_queue(struct mach_agent *agent, struct mach_agent_call *call);
/*
 * Queue call without waiting for the agent either: one the program asked
 * for on demand is made meanwhile, and takes it once it serves (a reap
 * from the task's end must not wait for a thread of a process that may
 * be waiting for that end). As mach_agent_queue() otherwise.
 */
int mach_agent_queue_later(struct mach_agent *agent, struct mach_agent_call *call);
/* Run call and wait for it: its result, -ESRCH or -EINTR. */
long mach_agent_run(struct mach_agent *agent, struct mach_agent_call *call);
/*
 * Wait for a queued call (one may wait for another's, holding a
 * reference): its result, -ESRCH, or -EINTR (then it is taken off the
 * queue if the agent has not taken it yet).
 */
long mach_agent_await(struct mach_agent *agent, struct mach_agent_call *call);
/*
 * MACH_IOC_AGENT: libmach's thread becomes the agent of its own task
 * (file: a /dev/mach of the caller's own task, fd its number); the
 * agent itself, restarting it after a stop, goes on serving. -EBADF from
 * another process or with another fd, -EBUSY if another thread serves.
 */
long mach_agent_start_ioctl(struct mach_task_os *os, struct file *file,
			    unsigned long fd);
/*
 * MACH_IOC_AGENT_RETURN: agent's thread back from the stub with result;
 * -EPERM from any other thread.
 */
long mach_agent_return_ioctl(struct mach_agent *agent, long result);
/* MACH_IOC_AGENT_WAIT: 0 once the agent serves, -ESRCH, -ENOMEM, -EINTR. */
long mach_agent_wait_ioctl(struct mach_task_os *os);
/* Become os's agent in a new process, and start serving call. */
long mach_agent_adopt(struct mach_task_os *os, struct mach_agent_call *call);
/*
 * Leave the caller's ioctl for agent's stub to run sc; it comes back
 * with request. sc's number.
 */
long mach_agent_dispatch(struct mach_agent *agent, unsigned int request,
			 const struct mach_syscall *sc);
/*
 * Wait until the agent serves: 0, -ESRCH if none does or is on its way,
 * -EINTR (killed, or a new shell stayed stopped before its agent entered).
 */
int mach_agent_wait(struct mach_agent *agent);
/* The agent's stub while it serves, or 0; waits for nothing. */
unsigned long mach_agent_stub(struct mach_agent *agent);
/* Is fd, in the calling process, file? */
bool mach_agent_fd_is(unsigned long fd, struct file *file);
/* Has thread, an agent's or its model's, gone (exited, or exec'd)? */
bool mach_agent_thread_gone(struct task_struct *thread);
/* Is the calling thread os's agent? */
bool mach_agent_is_current(struct mach_agent *agent);

/*
 * Agents made on demand (agent_summon.c). MACH_IOC_AGENT_ON_DEMAND:
 * libmach's /dev/mach fd of the caller's own task, through which an
 * agent made later enters. 0, -EBADF.
 */
long mach_agent_on_demand_ioctl(struct mach_task_os *os, struct file *file,
				unsigned long fd);
/* Has the program that runs asked for an agent on demand? */
bool mach_agent_on_demand(struct mach_agent *agent);
/*
 * The stub an agent made on demand would leave through, if the program
 * that asked for one still runs (mapped now if a thread of it asks);
 * 0 otherwise.
 */
unsigned long mach_agent_demand_stub(struct mach_agent *agent);
/*
 * A thread of os's process (a reference), or NULL: not the caller, the
 * agent, its spares, one that never leaves the kernel or is leaving for
 * good, nor one on the stub (an ended Mach thread on its way out). One
 * running or in an interruptible wait first; a thread stopped, or held by
 * Mach, may be found: it makes the agent once it goes on (the caller gives
 * up before, as for an agent stopped).
 */
struct task_struct *mach_agent_find_thread(struct mach_task_os *os);
/* Is the agent made on demand still as its model is now (or none)? */
bool mach_agent_model_current(struct mach_agent *agent);
/*
 * The same, from the agent itself before a call; a model that ended is
 * replaced by a thread of the program that is as it was. True: stale.
 */
bool mach_agent_stale(struct mach_agent *agent);
void mach_agent_model_free(struct mach_agent_model *model);
/*
 * Have a thread of os's process make its agent: 0 if one is on its way
 * (agent->starting), -ESRCH if none can be. A thread of the process
 * whose call can be made again (restartable) makes it itself after its
 * ioctl, which fails now (-EAGAIN) and is made again; another thread is
 * sent otherwise.
 */
int mach_agent_summon(struct mach_task_os *os, bool restartable);
/*
 * Is the calling thread the one sent to make its task's agent, by another
 * task's call, and not gone yet? Only its way out makes it: it must not
 * wait for it (mach_agent_summon() says what to do instead).
 */
bool mach_agent_sent_here(struct mach_agent *agent);
/*
 * After an ioctl that answered ret: was the calling thread to make its
 * task's agent (mach_agent_summon())? Then it leaves for the stub to clone
 * it, and comes back to make the ioctl again, or (!again) with ret: the
 * stub's system call, the ioctl's return value. Else ret.
 */
long mach_agent_summon_after_ioctl(struct mach_task_os *os, long ret, bool again);
/* A mark left on the calling thread by a call that did not end in dev.c. */
void mach_agent_summon_forget(struct mach_task_os *os);
/* Is the calling thread to make its task's agent after its ioctl? */
static inline bool mach_agent_summon_is_here(struct mach_agent *agent)
{
	return READ_ONCE(agent->summon_here) == current;
}
/*
 * Before a call of a thread of os's process that may need the agent and
 * cannot be made again once begun (dev.c): have the thread make it first,
 * if the program asked for one on demand and has none. The stub's system
 * call, or 0 (go on).
 */
long mach_agent_summon_before(struct mach_task_os *os);
static inline bool mach_agent_missing(struct mach_agent *agent)
{
	/* (An agent ends only with its process, or retiring: thread NULL.) */
	return READ_ONCE(agent->demand_mm) && !READ_ONCE(agent->thread);
}
/* MACH_IOC_AGENT_SUMMONED: the summoning thread back from the clone. */
long mach_agent_summoned_ioctl(struct mach_task_os *os, long result,
			       void (*back)(struct mach_task_os *os));
/*
 * Is a thread away making the agent, its registers the stub's until it is
 * back (mach_shim_task_detours_wait())?
 */
bool mach_agent_summon_away(struct mach_agent *agent);
/*
 * A caller's wait for the agent is over: drop a summons that cannot end
 * (its thread died) or has not begun in all that time, so that the next
 * call sends a thread again.
 */
void mach_agent_summon_drop_stuck(struct mach_agent *agent);
/* MACH_IOC_AGENT_BORN: the clone, entering as the agent. */
long mach_agent_born_ioctl(struct mach_task_os *os);
/* The task is gone: drop what a summons left. */
void mach_agent_summon_close(struct mach_agent *agent);
/*
 * A clone made on demand becomes the agent, back through the stub with fd;
 * model: what it was cloned from (taken over).
 */
long mach_agent_enter(struct mach_agent *agent, int fd, struct mach_agent_model *model);
/* The agent's own way back in after a stop: it goes on serving. */
long mach_agent_enter_again(struct mach_agent *agent);

#endif /* MACH_AGENT_H */
