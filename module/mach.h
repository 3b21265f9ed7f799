/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mach.h - the glue's internal interface: each part's init and exit, in
 * the order main.c chains them, and what the parts ask of each other.
 * Parts with a header of their own: stub.h, agent.h, shell.h,
 * trampoline.h, thread_os.h (and thread_record.h, thread_arch.h inside
 * the thread files), spin.h.
 *
 * Locking, both layers (core: module/core/, C++ Lock members, each role
 * its own lockdep class: core/shim.h's mach_lock_class). A lock is never
 * taken while one later in this list is held:
 *
 *   Task::quiesce_lock_ (core)   one holder of a task for suspend_and_wait()
 *   Task::adopt_lock_ (core)     making a task's running threads Mach threads
 *   mach_task_os.program_lock    noticing an exec and renewing the task for it
 *   mach_tasks_lock (task.c)     the registry of tasks and each one's program
 *   mmap lock of a task's mm     (Linux's) vm_* calls, clones, vm_region
 *   mach_task_os.ranges_lock     copy_ranges and none_ranges (clone.c)
 *   mach_nl_lock (netlink.c)     the event group's listeners
 *   Task::lock_ (core)           special, registered and exception ports,
 *                                threads, suspend count, tokens
 *   Thread::lock_ (core)         a thread's port and suspend count
 *   Space::lock_ (core)          a task's names and rights
 *   Port::lock_ of a port set    its member list (lockdep: mach_port_set)
 *   Port::lock_ (core)           a port's queue, counts and requests
 *   mach_transit_lock (shim.c)   where receive rights in transit sit
 * A thread record's regs_lock (thread_record.h: its saved registers) is
 * taken with no other of these held, and takes none.
 * Spinlocks, innermost (nothing is taken under them, and they are taken
 * under any of the above, the core's task and thread locks included: a
 * hold or release of a thread wakes it through them):
 *   mach_agent.lock              an agent's thread, queue and trampolines
 *   mach_threads_lock            the thread records' hash (thread.c); also
 *                                under rcu_read_lock, walking a thread group
 *   mach_spawns_lock             the spawns in flight (shell.c)
 *   mach_users_lock              the per-user quota records (quota.c)
 * spin.c's per-CPU handoff slots take no lock (preemption is off).
 * A port's lock is dropped before the messages of a dead queue are
 * destroyed, and before a notification is sent to another port. No lock
 * is held across a wait for another task's agent.
 */
#ifndef MACH_GLUE_H
#define MACH_GLUE_H

#include <linux/bvec.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "core/core.h"
#include "core/ranges.h"
#include "agent.h"

struct file;
struct mm_struct;
struct vm_area_struct;
struct mach_spawn;

int mach_shim_init(void);
void mach_shim_exit(void);
void mach_quota_exit(void);
/* Objects of kind currently allocated, for the stats in sysfs. */
long mach_shim_live(enum mach_shim_kind kind);

struct wait_queue_head;
struct wait_queue_head *mach_shim_waitq_head(struct mach_shim_waitq *q);
struct task_struct;
/* The security and audit tokens of task's credentials. */
void mach_tokens_of(struct task_struct *task, u32 security[2], u32 audit[8]);

int mach_tasks_init(void);
void mach_tasks_exit(void);
/* The calling process's task, made on first use; a new reference. */
struct mach_task *mach_task_of_current(void);
/* A /dev/mach file of task is released: by its exiting process? */
void mach_task_release_on_exit(struct mach_task *task);
/* The calling process's task if it is one (a new reference), or NULL. */
struct mach_task *mach_task_lookup_current(void);
long mach_tasks_live(void);
/*
 * Up to max registered tasks from the pos'th on (new references) into
 * out: how many. *gen: the registry's generation, changed by each task
 * that comes or goes, for dumps to see they were interrupted.
 */
unsigned int mach_tasks_batch(unsigned long pos, struct mach_task **out,
			      unsigned int max, unsigned int *gen);

int mach_netlink_init(void);
void mach_netlink_exit(void);
/*
 * A MACH_EVENT_* of os for the family's event group (netlink.c). value:
 * the suspend count (SUSPENDED, RESUMED), the child's pid in the initial
 * namespace (TELEPORTED).
 */
void mach_netlink_event(struct mach_task_os *os, u32 event, u32 value);
/* Mach ends os (a MACH_END_*): told with its TERMINATED event. */
void mach_task_mark_end(struct mach_task_os *os, u32 reason);

int mach_dev_init(void);
void mach_dev_exit(void);
/* Is file an open /dev/mach? */
bool mach_dev_file(const struct file *file);
/* A new /dev/mach file for task, as if its process had opened it. */
struct file *mach_dev_file_create(struct mach_task *task);

/* The Linux side of a task (task.c). */

struct mach_task_os {
	struct mach_task *task;		/* the registry's reference */
	struct pid *pid;		/* the thread group; a reference */
	struct hlist_node node;		/* in mach_tasks */
	bool registered;		/* in mach_tasks, waiting for exit */
	bool shell;			/* made by task_create */
	struct wait_queue_entry exit_wait;	/* on pid->wait_pidfd */
	struct work_struct exit_work;
	struct callback_head exit_told;	/* see mach_task_release_on_exit() */
	bool exit_queued;
	struct mach_agent agent;
	bool inherit_memory;		/* a shell: does it copy its parent's? */
	/*
	 * Noticing an exec and renewing the task for it, one caller at a
	 * time for this task only (see mach_task_check_program()).
	 */
	struct mutex program_lock;
	/* guarded by mach_tasks_lock: the program it runs, see task.c */
	struct mm_struct *program_mm;	/* mmgrab()bed */
	u64 program;
	bool ready;			/* not a shell still in its parent's mm */
	int numa_node;			/* placed there by NORMA, or NUMA_NO_NODE */
	bool clone;			/* made by norma_task_clone */
	bool parent_held;		/* ... its parent's threads held meanwhile */
	bool teleport;			/* ... by norma_task_teleport */
	bool pages_left;		/* its parent could not move them all */
	bool creator_waits;		/* task_create waits until it is ready */
	struct mutex ranges_lock;
	struct mach_ranges copy_ranges;	/* shared to Linux, COPY to Mach */
	struct mach_ranges none_ranges;	/* a clone's NONE regions, in flight */
	/* a shell's credentials, from the security token it was made with */
	bool token_credentials;
	kuid_t token_uid;
	kgid_t token_gid;
	struct list_head trampolines;	/* guarded by agent.lock */
	wait_queue_head_t ready_wait;
	/* For the operator's view (netlink.c); set once, before it is seen. */
	struct pid *parent_pid;		/* the task it was made from; a reference */
	/* Why it ended, if Mach ended it: a MACH_END_*, set once (cmpxchg). */
	u32 end_reason;
	/* Its exit code (wait status), taken as its group's last exit wakes us. */
	bool exit_known;
	int exit_code;
};

/* A task not yet tied to a process (a reference), or ERR_PTR. */
struct mach_task *mach_task_prepare(bool shell, bool inherit_memory);
/* Tie os to the thread group pid; a second call does nothing. */
void mach_task_register(struct mach_task_os *os, struct pid *pid);
/* The program (mm) os runs if it is still program (0: any), mmget()ed; or NULL. */
struct mm_struct *mach_task_pin_program(struct mach_task_os *os, u64 program);
/* Does the calling thread (os's agent) run program (0: any)? */
bool mach_task_runs_program(struct mach_task_os *os, u64 program);
/* A shell's own exec: its new mm is still the same program for Mach. */
void mach_task_set_program_mm(struct mach_task_os *os, struct mm_struct *mm);
/* A shell is ready for calls from outside once set up. */
void mach_task_set_ready(struct mach_task_os *os);
int mach_task_wait_ready(struct mach_task_os *os);
/* The task of the thread group pid, if any: a new reference. */
struct mach_task *mach_task_lookup(struct pid *pid);
/* Has every thread of the group exited? */
bool mach_pid_gone(struct pid *pid);

/* A new shell is to run as uid and gid: false if they are no valid ids. */
bool mach_token_credentials(struct mach_task_os *os, u32 uid, u32 gid);
/*
 * In a new shell: take the credentials its security token gives, by the
 * system calls this steps through (creds.c).
 */
int mach_shell_credentials_step(struct mach_task_os *os, unsigned int *step,
				long result, struct mach_syscall *next);

/*
 * In a new shell placed on a node: its CPUs and memory policy, by the
 * steps this takes (node.c), as mach_shell_credentials_step().
 */
int mach_shell_place_step(struct mach_task_os *os, unsigned long stub,
			  unsigned int *step, long result, struct mach_syscall *next);

/* norma_task_clone and the inheritance Linux cannot say (clone.c). */
#define MACH_SHARED_NAME "mach-shared"	/* the shmem files of shared ranges */
int mach_ranges_inherit(struct mach_task_os *child, struct mach_task_os *parent);
bool mach_vm_copy_despite_sharing(struct mach_task_os *os,
				  const struct vm_area_struct *vma);
int mach_vm_note_inheritance(struct mach_task_os *os, unsigned long start,
			     unsigned long end, bool copy);
int mach_clone_share_all(struct mach_task_os *parent, struct mach_task_os *child);
void mach_clone_restore_parent(struct mach_task_os *child);
int mach_shell_take_inheritance(struct mach_task_os *os, bool clone);
void mach_teleport_migrate(struct mach_task_os *child, unsigned long stub,
			   struct mach_syscall *next);
/* Replace the private pieces of [start, end) with shared ones (vm.c). */
int mach_vm_share_range(unsigned long start, unsigned long end);
/* Pages pinned and copied to or from a shared range's file at a time. */
#define MACH_SHARE_BATCH 64
struct mach_share_buf {
	struct page *pages[MACH_SHARE_BATCH];
	struct bio_vec bvec[MACH_SHARE_BATCH];
};

/* file's bytes from pos into our fresh private [start, end) (vm.c). */
int mach_vm_copy_from_file(struct file *file, loff_t pos, unsigned long start,
			   unsigned long end, struct mach_share_buf *buf);
unsigned int mach_vm_prot_of(unsigned long vm_flags);
/* Wait until os's process is gone (task.c). */
int mach_task_wait_gone(struct mach_task_os *os);
/*
 * A new shell does more before it is ready: Mach calls on it wait for
 * that, and task_create too if caller_waits (what Linux alone would show
 * otherwise must not be seen: a parent's credentials, or memory shared
 * that is to be copied).
 */
void mach_task_set_up_first(struct mach_task_os *os, bool caller_waits);

#endif /* MACH_GLUE_H */
