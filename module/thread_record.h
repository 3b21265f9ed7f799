/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread_record.h - the record of a Mach thread, shared by the files of
 * the Linux side of threads:
 *
 *   thread_record.c the records, found by hash, and what they say
 *                   of their threads (gone? current?)
 *   thread.c        made by thread_create's clone (or a spare), let go
 *                   by the core
 *   thread_park.c   a new thread's first park, and its way out of it
 *   thread_stop.c   holding a running thread by task_work, ending it
 *   thread_state.c  its state while stopped (the registers: thread_arch.h)
 *   thread_adopt.c  running threads of a task made Mach threads as they are
 *   thread_stats.c  run state and times
 *
 * Locks (neither is taken under the other, nor under the agent's lock):
 *   regs_lock (a mutex, per record): while held, the thread's saved user
 *     registers (on its kernel stack) may be used: it stays parked or
 *     stopped. The thread takes it to leave either. Taken with no lock
 *     of the glue's held, nor of the core's.
 *   mach_threads_lock (a spinlock, global, innermost): the records' hash
 *     table and the fields that say so below. Taken under the core's
 *     mutexes (Task::lock_ as a suspension holds a thread, adopt_lock_
 *     as it adopts) and rcu_read_lock() (adoption walks a thread group),
 *     under no other lock of the glue's; nothing is taken under it.
 */
#ifndef MACH_THREAD_RECORD_H
#define MACH_THREAD_RECORD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>

#include "core/core.h"
#include <linux/task_work.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "agent.h"
#include "thread_arch.h"

struct mach_task_os;

struct mach_thread_os {
	struct mach_agent_call call;	/* the clone, in the task's agent */
	refcount_t refs;		/* atomic: the core's, the call's, the thread's */
	/*
	 * In mach_threads, under key: the cookie until the thread entered,
	 * then the thread. Both guarded by mach_threads_lock.
	 */
	struct hlist_node node;
	unsigned long key;
	unsigned long cookie;
	/* Its task's os, set at alloc (immutable): compared only. */
	const struct mach_task_os *owner;
	/*
	 * A spare's task, set before its clone is queued (immutable): its
	 * slot is filled there once the clone is done. The call keeps no
	 * reference: the agent runs it, or the task's end fails it.
	 */
	struct mach_task_os *spare_for;
	/*
	 * The spare's last step has run (its slot filled, or it ended): set
	 * by the agent under the task's agent.lock, read by the call's
	 * release once it has the last reference.
	 */
	bool spare_step_done;
	/*
	 * The thread, from the clone's result: set once by the clone step
	 * (store-release), in the agent before thread_create returns the
	 * record, or on the caller's trampoline after; then read-only.
	 */
	struct pid *pid;
	/* Its clone is on the caller's trampoline (READ_ONCE/WRITE_ONCE). */
	bool cloning;
	/*
	 * Once it entered; a reference. Set under mach_threads_lock, once
	 * (or before the record is published), and read without it
	 * (READ_ONCE; smp_load_acquire() where exec_id is read next).
	 */
	struct task_struct *thread;
	/*
	 * The program it became a Mach thread in (thread's self_exec_id
	 * then). After an exec the record, and any right to it, no longer
	 * reaches the thread: it neither stops nor shows its registers.
	 * Set with thread, just before it (store-release); then read-only.
	 */
	u64 exec_id;
	/* its task's stub: set with thread, then the thread's own */
	unsigned long stub;
	wait_queue_head_t wait;		/* its own lock */
	/*
	 * Its saved registers are on its kernel stack, which the task_struct
	 * reference does not keep: killed, it would free it. They are used
	 * under this lock, while it is parked or stopped; it takes the lock
	 * to leave either (parked and stopped are cleared under it).
	 */
	struct mutex regs_lock;
	/*
	 * While it waits for its exception's handlers (exception.c): its
	 * state at the fault, which thread_get_state and thread_set_state
	 * use instead. Set and cleared by the thread under regs_lock.
	 */
	struct mach_fault *fault;
	atomic_t holds;			/* atomic: suspend counts that hold it */
	/* dying, parked, stopped: READ_ONCE/WRITE_ONCE */
	bool dying;			/* thread_terminate, or the core let go */
	bool parked;			/* waiting to run for the first time */
	bool stopped;			/* waiting in the stop work */
	/* set under mach_threads_lock (or before publishing); READ_ONCE */
	bool started;			/* left its first park */
	bool work_queued;		/* guarded by mach_threads_lock */
	/*
	 * state is written while it is unstarted and held, then state_set
	 * with a store-release; read by thread_get_state (load-acquire)
	 * and by the thread once let go (after smp_rmb()).
	 */
	bool state_set;			/* state is whole */
	bool aborting;			/* WRITE_ONCE, xchg: fail the system call */
	bool quiescing;			/* READ_ONCE/WRITE_ONCE: holding its task */
	int leaving;			/* the thread's own: steps on the way out */
	u64 state[MACH_STATE_WORDS];	/* what it leaves its park with */
	/* queued by the work_queued winner; then the thread's task_work */
	struct callback_head work;
};

/* Steps a thread takes on its way out of its first park. */
/* The last, a read() for a rax wider than an int. */
#define MACH_LEAVE_BY_READ (MACH_ARCH_LEAVE_STEPS + 1)

extern spinlock_t mach_threads_lock;

/* thread.c */
void mach_thread_put(struct mach_thread_os *t);
/* A new record of owner's with refs references, not in the table yet. */
struct mach_thread_os *mach_thread_alloc(const struct mach_task_os *owner,
					 unsigned int refs);
/* Into the table: by its thread if it has one, else by a new cookie. */
void mach_thread_publish(struct mach_thread_os *t);
/*
 * Under mach_threads_lock: the record of a thread not started yet that
 * is current (on its way out), or whose cookie current carries (entering
 * first); it takes a reference. NULL if none.
 */
struct mach_thread_os *
mach_thread_find_entering_locked(const struct mach_task_os *owner);
/* Under mach_threads_lock: current has entered as t's thread. */
void mach_thread_set_entered_locked(struct mach_thread_os *t);
/*
 * Under mach_threads_lock: is thread, of owner's process, one that a record
 * names (or one owner's thread_create made, not entered yet)?
 */
bool mach_thread_known_locked(const struct mach_task_os *owner,
			      struct task_struct *thread);
/* Under mach_threads_lock: current's record, once it runs (a reference). */
struct mach_thread_os *mach_thread_find_current_locked(const struct mach_task_os *owner);
/* Under mach_threads_lock: the record current leaves by (a reference). */
struct mach_thread_os *mach_thread_find_reading_locked(void);
int mach_thread_wait_entered(struct mach_thread_os *t);

/* Does t's thread still run the program it became a Mach thread in? */
static inline bool mach_thread_same_program(struct mach_thread_os *t,
					   struct task_struct *thread)
{
	return READ_ONCE(thread->self_exec_id) == t->exec_id;
}

/* Is it stopped (parked since it was made, or held in its stop work)? */
static inline bool mach_thread_stopped(struct mach_thread_os *t)
{
	return !READ_ONCE(t->dying) &&
	       (READ_ONCE(t->parked) || READ_ONCE(t->stopped));
}

static inline bool mach_thread_free_to_go(struct mach_thread_os *t)
{
	return !atomic_read(&t->holds) || READ_ONCE(t->dying);
}

/*
 * Until it has left its first park for good, a thread has run nothing of
 * its own: it is on its way to the park, in it, or taking the steps out
 * (mach_thread_enter()), and what it is to run is t->state. Its entry and
 * its park are not one step, so this, not t->parked, tells whether its
 * state may be set.
 */
static inline bool mach_thread_unstarted(struct mach_thread_os *t)
{
	return !READ_ONCE(t->started);
}

/* thread_stop.c: queue the stop work on a running thread, once. */
void mach_thread_interrupt(struct mach_thread_os *t);

#endif /* MACH_THREAD_RECORD_H */
