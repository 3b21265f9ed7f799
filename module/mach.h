/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mach.h - the glue's internal interface: each part's init and exit, in
 * the order main.c chains them, and what the parts ask of each other.
 *
 * Locking, both layers (core: module/core/, C++ Lock members, each role
 * its own lockdep class: core/shim.h's mach_lock_class). A lock is never
 * taken while one later in this list is held:
 *
 *   Task::quiesce_lock_ (core)   one holder of a task for suspend_and_wait()
 *   Task::adopt_lock_ (core)     making a task's running threads Mach threads
 *   mach_task_os.image_lock      noticing an exec and renewing the task for it
 *   mach_tasks_lock (task.c)     the registry of tasks and each one's image
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
 *   a thread record's regs_lock  its saved registers (thread.c)
 * Spinlocks, innermost (nothing is taken under them, and they are taken
 * under any of the above, the core's task and thread locks included: a
 * hold or release of a thread wakes it through them):
 *   mach_agent.lock              an agent's thread, queue and trampolines
 *   mach_threads_lock            the thread records (thread.c)
 *   mach_spawns_lock             the spawns in flight (shell.c)
 *   mach_users_lock              the per-user quota records (quota.c)
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
/* A MACH_EVENT_* of os for the family's event group (netlink.c). */
void mach_netlink_event(struct mach_task_os *os, u32 event, u32 value);

int mach_dev_init(void);
void mach_dev_exit(void);
/* Is file an open /dev/mach? */
bool mach_dev_file(const struct file *file);
/* A new /dev/mach file for task, as if its process had opened it. */
struct file *mach_dev_file_create(struct mach_task *task);

/* The stub page (stub.c). */
/* Nodes a task can be placed on: one word of node mask each. */
#define MACH_STUB_NODES 64

struct mach_stub_page {
	u8 code[32];
	u64 argv[2];		/* { empty, NULL }: execveat()'s argv */
	char empty[8];		/* "" */
	u64 node_masks[MACH_STUB_NODES];	/* set_mempolicy()'s, node n's at n */
	u64 other_nodes[MACH_STUB_NODES];	/* the nodes with memory but n */
};

/* The stub's offset of "exit this thread". */
#define MACH_STUB_EXIT 25

int mach_stub_init(void);
void mach_stub_exit(void);
/* Map a stub into the calling process: its address or -errno. */
unsigned long mach_stub_map(void);
bool mach_stub_vma(const struct vm_area_struct *vma);

/*
 * Agents (agent.c): each task's hidden thread, parked in the module,
 * that runs calls in its task's context. A call is a sequence of steps;
 * each step runs in the agent, in kernel mode, and either asks for one
 * more system call through the stub (its result is the next step's
 * argument) or ends the call.
 */
struct mach_syscall {
	long nr;
	unsigned long args[6];
};

struct mach_agent_call {
	struct list_head node;
	/* In the agent: true with *next to run, false when the call is done. */
	bool (*step)(struct mach_agent_call *call, long result,
		     struct mach_syscall *next);
	void (*release)(struct mach_agent_call *call);	/* frees it */
	refcount_t refs;
	wait_queue_head_t done_wait;
	bool done;
	u64 image;		/* the program it is for (0: any), see task.c */
	int stage;		/* the step's own bookkeeping, from 0 */
	long ret;		/* the call's result, once done */
};

struct mach_agent {
	spinlock_t lock;		/* guards what says so below */
	struct task_struct *thread;	/* guarded by lock; a reference */
	struct list_head queue;		/* guarded by lock: calls waiting */
	bool closed;			/* guarded by lock: the task is gone */
	bool starting;			/* guarded by lock: a thread is becoming it */
	bool start_failed;		/* guarded by lock: until AGENT_WAIT sees it */
	wait_queue_head_t wait;		/* the agent idles here */
	wait_queue_head_t started;	/* callers wait for a thread here */
	/* Used by the agent thread only. */
	struct mach_agent_call *serving;
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
/* Queue call without waiting for it (it takes a reference); -ESRCH. */
int mach_agent_queue(struct mach_agent *agent, struct mach_agent_call *call);
/* Run call and wait for it: its result, -ESRCH or -EINTR. */
long mach_agent_run(struct mach_agent *agent, struct mach_agent_call *call);
/* MACH_IOC_AGENT from the task's own process. */
long mach_agent_ioctl(struct mach_task_os *os, struct file *file,
		      unsigned long arg);
/* MACH_IOC_AGENT_WAIT: 0 once the agent serves, -ESRCH, -ENOMEM, -EINTR. */
long mach_agent_wait_ioctl(struct mach_task_os *os);
/* Become os's agent in a new process, and start serving call. */
long mach_agent_adopt(struct mach_task_os *os, struct mach_agent_call *call);
/* Set the caller's registers to run sc through agent's stub: sc's number. */
long mach_agent_dispatch(struct mach_agent *agent, const struct mach_syscall *sc);
/*
 * Wait until the agent serves: 0, -ESRCH if none does or is on its way,
 * -EINTR (killed, or a new shell stayed stopped before its agent entered).
 */
int mach_agent_wait(struct mach_agent *agent);
/* The agent's stub while it serves, or 0; waits for nothing. */
unsigned long mach_agent_stub(struct mach_agent *agent);
/* Is the calling thread os's agent? */
bool mach_agent_is_current(struct mach_agent *agent);

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
	 * time for this task only (see mach_task_check_image()).
	 */
	struct mutex image_lock;
	/* guarded by mach_tasks_lock: the program it runs, see task.c */
	struct mm_struct *image;	/* mmgrab()bed */
	u64 image_gen;
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
};

/* A task not yet tied to a process (a reference), or ERR_PTR. */
struct mach_task *mach_task_prepare(bool shell, bool inherit_memory);
/* Tie os to the thread group pid; a second call does nothing. */
void mach_task_register(struct mach_task_os *os, struct pid *pid);
/* The image (mm) os runs if it is still image (0: any), mmget()ed; or NULL. */
struct mm_struct *mach_task_pin_image(struct mach_task_os *os, u64 image);
/* Does the calling thread (os's agent) run image (0: any)? */
bool mach_task_runs_image(struct mach_task_os *os, u64 image);
/* A shell's own exec: its new mm is still the same program for Mach. */
void mach_task_set_image(struct mach_task_os *os, struct mm_struct *mm);
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

/* Shells (shell.c): the processes that back tasks made by task_create. */
/* A new shell's first entry, through its parent's /dev/mach file. */
long mach_spawn_claim(void);
/* Tell a trampoline's spawn is done: its result (the call is released). */
long mach_spawn_finish(struct mach_agent_call *call);
/* A shell exited: its parent task's agent reaps it. */
void mach_shell_exited(struct mach_task_os *os);
int mach_shell_init(void);
void mach_shell_exit(void);

/*
 * Trampolines (trampoline.c): the calling thread runs an agent call in
 * its own process itself, leaving its ioctl for the stub and coming back.
 */
/* Can the calling thread do call (whose task is os)? Then it will. */
bool mach_trampoline_start(struct mach_task_os *os, struct mach_agent_call *call);
/* The ioctl whose core asked for it leaves: args to copy back later. */
long mach_trampoline_leave(struct mach_task_os *os, unsigned int ioctl_nr,
			   const void *args, size_t size, void __user *uarg);
/* MACH_IOC_AGENT from a thread on a trampoline: the next step, or the end. */
long mach_trampoline_resume(struct mach_task_os *os, long result);
void mach_trampolines_drop(struct mach_task_os *os);

/*
 * Spinning for an answer (spin.c). A sync wake of head's first waiter
 * notes whom it woke; the waker's next wait takes it (a reference, or
 * NULL) and spins while that peer runs elsewhere: true once done(arg),
 * false when it gave up.
 */
struct wait_queue_head;
void mach_handoff_wake(struct wait_queue_head *head);
struct task_struct *mach_handoff_take(void);
bool mach_spin_until(bool (*done)(void *), void *arg, struct task_struct *peer);
void mach_spin_exit(void);
/* MACH_IOC_AGENT from a thread the agent cloned (thread.c); -ENOENT if not. */
long mach_thread_enter(struct mach_task_os *os);
/* read() of /dev/mach by such a thread leaving with a wide rax; else -EINVAL. */
long mach_thread_read_state(struct mach_task_os *os);

#endif /* MACH_GLUE_H */
