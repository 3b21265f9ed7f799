/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_os.h - the Linux side of a task (task.c): its process, the
 * registry of tasks, the program it runs, and the state of a new shell.
 */
#ifndef MACH_TASK_OS_H
#define MACH_TASK_OS_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "core/core.h"
#include "core/ranges.h"
#include "agent.h"

struct mach_sampler;
struct mm_struct;
struct pid;

/*
 * Threads a task keeps cloned ahead for thread_create (thread.c): two, so
 * that a second call in a row finds one while the agent clones the next.
 */
#define MACH_THREAD_SPARES	2

int mach_tasks_init(void);
void mach_tasks_exit(void);
/* task_access.c's procfs, where task_for_pid's check is made. */
int mach_task_access_init(void);
void mach_task_access_exit(void);
/*
 * The calling process's task, made on first use (*made); a new
 * reference, or an ERR_PTR.
 */
struct mach_task *mach_task_of_current(bool *made);
/* A /dev/mach file of task is released: by its exiting process? */
void mach_task_release_on_exit(struct mach_task *task);
/* The calling process's task if it is one (a new reference), or NULL. */
struct mach_task *mach_task_lookup_current(void);
/*
 * The task of process pid (a reference), made now if it has none: a
 * process becomes a task without opening /dev/mach (task_for_pid). It
 * has no agent until libmach starts one in it. Or an ERR_PTR.
 */
struct mach_task *mach_task_of_pid(struct pid *pid);
long mach_tasks_live(void);
/*
 * Up to max registered tasks from *cursor on (new references) into out:
 * how many, fewer than max at the end. A walk starts with *cursor 0, and
 * each batch moves it past what it gave; at, if not NULL, gets the cursor
 * past each task. *gen: the registry's generation, changed by each task
 * that comes or goes, for dumps to see they were interrupted.
 */
unsigned int mach_tasks_batch(unsigned long *cursor, struct mach_task **out, unsigned long *at,
			      unsigned int max, unsigned int *gen);
/* Up to max task objects alive, registered or not (new references). */
unsigned int mach_tasks_all(struct mach_task **out, unsigned int max);


struct mach_task_os {
	/*
	 * Set once, by the core's making of the task around it
	 * (mach_shim_task_created(), a store-release for mach_tasks_all());
	 * a reference while it is registered.
	 */
	struct mach_task *task;
	/*
	 * Set once, under mach_tasks_lock with WRITE_ONCE, then read-only;
	 * READ_ONCE where it may not be set yet.
	 */
	struct pid *pid;		/* the thread group; a reference */
	struct hlist_node node;		/* in mach_tasks, under mach_tasks_lock */
	struct list_head all;		/* in mach_os_all, under mach_os_all_lock */
	/*
	 * Guarded by mach_tasks_lock; READ_ONCE without it by waits
	 * and debugfs.
	 */
	bool registered;		/* in mach_tasks, waiting for exit */
	bool shell;			/* immutable: made by task_create */
	struct wait_queue_entry exit_wait;	/* on pid->wait_pidfd, its lock */
	struct work_struct exit_work;	/* the workqueue's */
	/* Releases the holds of dropped suspension tokens; the workqueue's. */
	struct work_struct resume_work;
	/* the exit_queued winner's only: see mach_task_release_on_exit() */
	struct callback_head exit_told;
	bool exit_queued;		/* atomic: xchg */
	struct mach_agent agent;	/* its own lock */
	bool inherit_memory;		/* immutable: a shell copies its parent's? */
	/*
	 * Guarded by mach_tasks_lock: the program it runs, see task.c.
	 * Its agent looks without the lock (mach_task_runs_program(),
	 * READ_ONCE).
	 */
	struct mm_struct *program_mm;	/* mmgrab()bed */
	u64 program;
	/*
	 * Not a shell still in its parent's mm. Store-release, load-acquire;
	 * cleared plainly before the shell is spawned.
	 */
	bool ready;
	/*
	 * Set before the shell is spawned (at creation, or in its parent's
	 * spawn step), then read-only:
	 */
	int numa_node;			/* placed there by NORMA, or NUMA_NO_NODE */
	bool clone;			/* made by norma_task_clone */
	bool parent_held;		/* ... its parent's threads held meanwhile */
	bool teleport;			/* ... by norma_task_teleport */
	bool by_agent;			/* ... forked by its parent's agent */
	bool pages_left;		/* its parent could not move them all */
	bool creator_waits;		/* task_create waits until it is ready */
	struct mutex ranges_lock;
	/*
	 * Guarded by ranges_lock (a READ_ONCE look at copy_ranges.count
	 * without it). A new shell reads both unlocked as it starts: its
	 * parent wrote them before, and no other writer reaches it yet.
	 */
	struct mach_ranges copy_ranges;	/* shared to Linux, COPY to Mach */
	struct mach_ranges none_ranges;	/* a clone's NONE regions, in flight */
	/*
	 * A shell's credentials, from the security token it was made with:
	 * set at creation, before the task is seen; then read-only.
	 */
	bool token_credentials;
	kuid_t token_uid;
	kgid_t token_gid;
	struct list_head trampolines;	/* guarded by agent.lock */
	wait_queue_head_t ready_wait;	/* its own lock */
	/* For the operator's view (netlink.c); set once, before it is seen. */
	struct pid *parent_pid;		/* the task it was made from; a reference */
	/* Why it ended, if Mach ended it: a MACH_END_*, set once (cmpxchg). */
	u32 end_reason;			/* READ_ONCE to read */
	/*
	 * Its exit code (wait status), taken as its group's last exit wakes
	 * us: exit_code WRITE_ONCE, then exit_known store-release; read with
	 * load-acquire, then READ_ONCE.
	 */
	bool exit_known;
	int exit_code;
	/*
	 * Its exception stub (exception.c), in the mm it was mapped in
	 * (mmgrab()bed, so that a new mm is never taken for it; compared
	 * only): armed by a thread of its own process under exception_lock.
	 */
	struct mutex exception_lock;
	unsigned long exception_stub;	/* guarded by exception_lock */
	struct mm_struct *exception_mm;	/* the same; READ_ONCE to compare */
	/*
	 * No right names it any more (atomic: WRITE_ONCE, READ_ONCE): a
	 * shell not yet set up then ends as soon as it is.
	 */
	bool unnamed;
	/*
	 * task_sample (sample.c): its threads' sampler, guarded by
	 * sample_lock (debugfs.c looks without it, READ_ONCE).
	 */
	struct mutex sample_lock;
	struct mach_sampler *sampler;
	/*
	 * thread_create's spares (thread.c), guarded by agent.lock: up to
	 * MACH_THREAD_SPARES threads cloned ahead and parked, spares[0..
	 * nr_spares) oldest first, and their pids (the records' references);
	 * spare_coming, the one the agent is cloning (its call holds it);
	 * threads_made counts thread_create's calls up to 2: from the
	 * second on, the task keeps its spares, unless a spare's clone was
	 * refused.
	 */
	struct mach_thread_os *spares[MACH_THREAD_SPARES];
	struct pid *spare_pids[MACH_THREAD_SPARES];
	unsigned int nr_spares;
	struct mach_thread_os *spare_coming;
	unsigned int threads_made;
	bool spare_refused;
};

/* Mach ends os (a MACH_END_*): told with its TERMINATED event. */
static inline void mach_task_mark_end(struct mach_task_os *os, u32 reason)
{
	cmpxchg(&os->end_reason, 0, reason);
}

/*
 * Under os->agent.lock: how many spare threads of os's process are alive,
 * which are the module's and no threads of the program's.
 */
static inline int mach_task_spares_alive_locked(struct mach_task_os *os)
{
	struct task_struct *spare;
	unsigned int i;
	int alive = 0;

	lockdep_assert_held(&os->agent.lock);
	rcu_read_lock();
	for (i = 0; i < os->nr_spares; i++) {
		spare = pid_task(os->spare_pids[i], PIDTYPE_PID);
		alive += spare && !(READ_ONCE(spare->flags) & PF_EXITING);
	}
	rcu_read_unlock();
	return alive;
}

/*
 * os's spares' pids, each referenced or NULL: to know them after
 * os->agent.lock (taken with it).
 */
struct mach_spare_pids {
	struct pid *pid[MACH_THREAD_SPARES];
};

static inline void mach_task_get_spare_pids_locked(struct mach_task_os *os,
						   struct mach_spare_pids *pids)
{
	unsigned int i;

	lockdep_assert_held(&os->agent.lock);
	for (i = 0; i < MACH_THREAD_SPARES; i++)
		pids->pid[i] = i < os->nr_spares ? get_pid(os->spare_pids[i]) : NULL;
}

static inline bool mach_spare_pids_have(const struct mach_spare_pids *pids,
					struct task_struct *thread)
{
	unsigned int i;

	for (i = 0; i < MACH_THREAD_SPARES; i++)
		if (pids->pid[i] && pids->pid[i] == task_pid(thread))
			return true;
	return false;
}

static inline void mach_put_spare_pids(struct mach_spare_pids *pids)
{
	unsigned int i;

	for (i = 0; i < MACH_THREAD_SPARES; i++)
		put_pid(pids->pid[i]);
}

/*
 * shell_idle.c: a shell nothing names ends once idle, its only threads
 * its agent and its spares. Looked at each time any may have changed.
 */
void mach_shell_end_if_idle(struct mach_task_os *os);

/* Tie os to the thread group pid; a second call does nothing. */
void mach_task_register(struct mach_task_os *os, struct pid *pid);
/* The program (mm) os runs if it is still program (0: any), mmget()ed; or NULL. */
struct mm_struct *mach_task_pin_program(struct mach_task_os *os, u64 program);
/* Does the calling thread (os's agent) run program (0: any)? */
static inline bool mach_task_runs_program(struct mach_task_os *os,
					  u64 program)
{
	return !program || (READ_ONCE(os->program) == program &&
			    current->mm == READ_ONCE(os->program_mm));
}
/* A shell's own exec: its new mm is still the same program for Mach. */
void mach_task_set_program_mm(struct mach_task_os *os, struct mm_struct *mm);
/*
 * Does os's process run program (0: the one the last look saw), or has it
 * exec'd since? The caller holds its exec_update_lock, so that the answer
 * holds too. True for a process gone or on its way out: it execs no more.
 */
bool mach_task_process_runs(struct mach_task_os *os, u64 program);
/* A shell is ready for calls from outside once set up. */
void mach_task_set_ready(struct mach_task_os *os);
int mach_task_wait_ready(struct mach_task_os *os);
/* The task of the thread group pid, if any: a new reference. */
struct mach_task *mach_task_lookup(struct pid *pid);
/* Has every thread of the group exited? */
bool mach_pid_gone(struct pid *pid);

/*
 * Terminate os's process (SIGKILL), told as MACH_END_TERMINATED; no wait.
 * 0, or -ESRCH if it has no process (any more).
 */
int mach_task_end(struct mach_task_os *os);
/* Wait until os's process is gone (task.c). */
int mach_task_wait_gone(struct mach_task_os *os);
/*
 * A new shell does more before it is ready: Mach calls on it wait for
 * that, and task_create too if caller_waits (what Linux alone would show
 * otherwise must not be seen: a parent's credentials, or memory shared
 * that is to be copied).
 */
void mach_task_set_up_first(struct mach_task_os *os, bool caller_waits);

#endif /* MACH_TASK_OS_H */
