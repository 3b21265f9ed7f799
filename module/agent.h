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

#include "stub.h"

struct file;
struct task_struct;
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
	 * spare thread (mach_task_os.spare*, thread.c).
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
	 * set; a shell's, while it is the process's only thread), and read
	 * by the task's threads that saw thread set under lock.
	 */
	unsigned long stub;
	int fd;
};

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
/* Is the calling thread os's agent? */
bool mach_agent_is_current(struct mach_agent *agent);

#endif /* MACH_AGENT_H */
