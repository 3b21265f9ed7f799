/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim.h - everything the freestanding core asks of its host.
 *
 * Two implementations: in the kernel, the glue below the core (module/
 * shim.c for the generic services, and beside each part of the Linux side
 * the calls on it: task.c, task_access.c, port.c, fd_place.c, quota.c,
 * creds.c, node.c, shell.c, clone.c, vm.c, vm_map.c, agent.c, thread.c,
 * thread_record.c, thread_adopt.c, thread_stop.c, thread_state.c,
 * thread_stats.c, thread_sched.c, sema_wait.c, host_stats.c, exception.c,
 * guard_exception.c, sample.c, netlink_event.c); tests/shim_user.cc for
 * the host unit tests. The core sees only these declarations: no Linux
 * header ever reaches C++.
 */
#ifndef MACH_CORE_SHIM_H
#define MACH_CORE_SHIM_H

#include "ctypes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Object kinds, each with its own slab cache in the kernel. */
enum mach_shim_kind {
	MACH_KIND_TASK,
	MACH_KIND_PORT,
	MACH_KIND_MEMORY,	/* variable-size tables */
	MACH_KIND_COUNT
};

/*
 * A cache for the objects of a fixed-size kind, made at load by the core,
 * which alone knows their size: 0 or -MACH_ENOMEM (-MACH_EINVAL: twice).
 */
int mach_shim_cache_create(enum mach_shim_kind kind, mach_size size);
/* May sleep. Returns NULL on failure. Zeroed. */
void *mach_shim_alloc(enum mach_shim_kind kind, mach_size size);
void mach_shim_free(enum mach_shim_kind kind, void *p);

/*
 * What each user may make the module hold (module/quota.c): objects are
 * counted against their maker's limits, and hold a reference on the
 * record of them. current: the calling process's user, with a reference,
 * or NULL (no memory). charge: false (nothing counted) past the limit.
 */
enum mach_shim_quota {
	MACH_QUOTA_PORTS,
	MACH_QUOTA_MESSAGE_BYTES,
	MACH_QUOTA_COUNT
};
struct mach_shim_user;
struct mach_shim_user *mach_shim_user_current(void);
void mach_shim_user_get(struct mach_shim_user *user);
void mach_shim_user_put(struct mach_shim_user *user);
mach_bool mach_shim_user_charge(struct mach_shim_user *user, enum mach_shim_quota quota,
				mach_u64 amount);
void mach_shim_user_uncharge(struct mach_shim_user *user, enum mach_shim_quota quota,
			     mach_u64 amount);

/*
 * A sleeping lock (a mutex in the kernel), one lockdep class per role:
 * locks of one class never nest (the order between classes is written in
 * module/mach.h).
 */
enum mach_lock_class {
	MACH_LOCK_TASK,
	MACH_LOCK_SPACE,
	MACH_LOCK_PORT,
	MACH_LOCK_PORT_SET,	/* a port set's: taken before its members' */
	MACH_LOCK_QUIESCE,
	MACH_LOCK_ADOPT,
	MACH_LOCK_THREAD,
	MACH_LOCK_EXCEPTIONS,	/* a thread's, task's or the host's handlers */
	MACH_LOCK_SEMAPHORES,	/* a task's list of semaphores */
	MACH_LOCK_HOST,		/* the host's special ports */
	MACH_LOCK_PROGRAM,	/* a task's look for an exec, and its renewal */
	MACH_LOCK_CLASS_COUNT
};
struct mach_shim_lock;
struct mach_shim_lock *mach_shim_lock_create(enum mach_lock_class cls);
void mach_shim_lock_destroy(struct mach_shim_lock *lock);
void mach_shim_lock_acquire(struct mach_shim_lock *lock);
/* 0, or -MACH_EINTR if a fatal signal came first. */
int mach_shim_lock_acquire_killable(struct mach_shim_lock *lock);
void mach_shim_lock_release(struct mach_shim_lock *lock);
/* Warns (lockdep, in a debug kernel) unless the caller holds lock. */
void mach_shim_lock_assert_held(struct mach_shim_lock *lock);

/*
 * A wait queue (wait_queue_head_t in the kernel): waiters sleep until
 * ready(arg) holds; wake() makes them look again. Also what poll() of a
 * port file waits on.
 */
struct mach_shim_waitq;
struct mach_shim_waitq *mach_shim_waitq_create(void);
void mach_shim_waitq_destroy(struct mach_shim_waitq *q);
void mach_shim_waitq_wake(struct mach_shim_waitq *q);
/* The waker waits for an answer next: the woken thread is its peer. */
void mach_shim_waitq_wake_peer(struct mach_shim_waitq *q);
#define MACH_SHIM_FOREVER (~0ULL)
/* 0 once ready, -MACH_ETIMEDOUT, or -MACH_EINTR for a signal. */
int mach_shim_waitq_wait(struct mach_shim_waitq *q, mach_bool (*ready)(void *),
			 void *arg, mach_u64 timeout_ms);
/* 0 once ready, or -MACH_EINTR for a fatal signal: no other ends it. */
int mach_shim_waitq_wait_killable(struct mach_shim_waitq *q, mach_bool (*ready)(void *),
				  void *arg);

/*
 * Semaphores' lock and waits (module/sema_wait.c): a spin lock guarding a
 * count and its waiters, under which a waiter sleeps and a signal wakes
 * the one it chose, as the kernel's own semaphores do. Nothing sleeps
 * under it but mach_shim_sleep_locked(), which lets it go meanwhile; no
 * lock but the scheduler's (a wake-up) is taken under it.
 */
struct mach_shim_spinlock;
struct mach_shim_spinlock *mach_shim_spinlock_create(void);
void mach_shim_spinlock_destroy(struct mach_shim_spinlock *lock);
void mach_shim_spinlock_acquire(struct mach_shim_spinlock *lock);
void mach_shim_spinlock_release(struct mach_shim_spinlock *lock);
void mach_shim_spinlock_assert_held(struct mach_shim_spinlock *lock);
/*
 * With lock held, the calling thread sleeps until mach_shim_wake_thread()
 * under that lock, until deadline_ns (mach_shim_now_ns()'s clock;
 * MACH_SHIM_FOREVER: none), or until a signal; lock is held again when it
 * returns. 0: woken, or for no reason (the caller looks again at what it
 * waits for); -MACH_ETIMEDOUT; -MACH_EINTR (a signal to handle, or a
 * fatal one); -MACH_ERESTARTNOINTR (only a stop or an abort of the thread
 * is pending: the call restarts once they are served). Right after this
 * thread woke a peer (spin.c), it may first spin while *woken is clear.
 */
int mach_shim_sleep_locked(struct mach_shim_spinlock *lock, const mach_bool *woken,
			   mach_u64 deadline_ns);
/*
 * Wakes thread (mach_shim_current_id() of a thread in
 * mach_shim_sleep_locked()), under the lock it sleeps with. peer: the
 * caller waits for an answer next, and gets the woken thread to note as
 * its peer once the lock is let go (or null: no spin would help).
 */
struct mach_shim_peer;
struct mach_shim_peer *mach_shim_wake_thread(const void *thread, mach_bool peer);
void mach_shim_note_peer(struct mach_shim_peer *peer);
/* A wait that ended without sleeping: the peer noted before is stale. */
void mach_shim_forget_peer(void);
/* Nanoseconds of the monotonic clock. */
mach_u64 mach_shim_now_ns(void);
/* Sorts n words in place, ascending (the kernel's heapsort: no recursion). */
void mach_shim_sort_u32(mach_u32 *words, mach_u32 n);
/*
 * Who a thread is, for comparison only: the calling thread's, and a Mach
 * thread's (null if it has no Linux thread).
 */
struct mach_thread_os;
const void *mach_shim_current_id(void);
const void *mach_shim_thread_id(struct mach_thread_os *thread);

/*
 * One lock for where receive rights in transit sit (rare), so that a
 * receive right is never queued, however indirectly, on its own port.
 * Innermost: no other lock is taken while it is held.
 */
void mach_shim_transit_lock(void);
void mach_shim_transit_unlock(void);

/* Reference counts (refcount_t in the kernel: saturating, checked). */
struct mach_shim_ref { int value; };	/* atomic: only through these calls */
void mach_shim_ref_init(struct mach_shim_ref *ref, int n);
void mach_shim_ref_get(struct mach_shim_ref *ref);
mach_bool mach_shim_ref_put(struct mach_shim_ref *ref); /* true: was last */
/* A reference unless the count is 0 already (the object is going). */
mach_bool mach_shim_ref_get_not_zero(struct mach_shim_ref *ref);
/* Its count now, for diagnostics only. */
mach_u32 mach_shim_ref_read(const struct mach_shim_ref *ref);

/* Copies to and from the calling process; 0 or -MACH_EFAULT. */
int mach_shim_copy_out(mach_u64 uaddr, const void *src, mach_size size);
int mach_shim_copy_in(void *dst, mach_u64 uaddr, mach_size size);

/*
 * Memory of the calling process, for out-of-line data: fresh anonymous
 * read-write pages (0 or -errno), and unmapping the pages a range touches.
 */
int mach_shim_vm_allocate(mach_u64 size, mach_u64 *uaddr);
void mach_shim_vm_deallocate(mach_u64 uaddr, mach_u64 size);

/* The calling process's credentials, as Mach's security and audit tokens. */
void mach_shim_current_tokens(mach_u32 security[2], mach_u32 audit[8]);
/* Has the calling process the host's privilege (CAP_SYS_ADMIN)? */
mach_bool mach_shim_privileged(void);
/* Has os's process the host's privilege now? */
struct mach_task_os;
mach_bool mach_shim_task_privileged(struct mach_task_os *os);

/*
 * The host's page size, and where user addresses end (the first address
 * no user mapping can have): what vm_* calls round to, and what a thread
 * may be given as its rip, rsp and segment bases.
 */
mach_u64 mach_shim_page_size(void);
mach_u64 mach_shim_user_address_end(void);
/*
 * host_kernel_version's string, as uname(2) shows it to the caller
 * ("sysname release version machine\n"): its length with the NUL, at
 * most room, which is at least 1.
 */
mach_u32 mach_shim_kernel_version(char *out, mach_u32 room);

/* What host_info() reports: a value, its caller's (on its stack). */
struct mach_host_facts {
	mach_u32 cpus_possible;
	mach_u32 cpus_online;
	mach_u64 memory_bytes;
	mach_u32 nodes_online;		/* NUMA nodes */
	mach_u32 node_ids;		/* every node id is below this */
};
void mach_shim_host_facts(struct mach_host_facts *facts);

/*
 * Linux's own accounting, for host_statistics and host_processor_info
 * (module/host_stats.c): values, their caller's. Times in nanoseconds.
 */
struct mach_host_load {
	mach_u64 avenrun[3];		/* 1, 5, 15 minutes; 1.0 is 1 << 11 */
	mach_u32 cpus_online;
	mach_u32 tick_ms;		/* one scheduler tick (1000 / HZ), rounded up */
};
void mach_shim_host_load(struct mach_host_load *load);

struct mach_host_vm {			/* pages, and events since boot */
	mach_u64 total;			/* RAM the kernel manages */
	mach_u64 free;
	mach_u64 active;		/* LRU lists, anonymous and file */
	mach_u64 inactive;
	mach_u64 anon;			/* anonymous pages on the LRU lists */
	mach_u64 file;			/* file pages on the LRU lists */
	mach_u64 faults;		/* page faults */
	mach_u64 major_faults;		/* ... that waited for I/O */
	mach_u64 swapins;		/* pages read from and written to swap */
	mach_u64 swapouts;
	mach_u64 reactivations;		/* pages found in use again on an LRU list */
};
void mach_shim_host_vm(struct mach_host_vm *vm);

/* CPU ids are below this (nr_cpu_ids). */
mach_u32 mach_shim_cpu_ids(void);
/*
 * CPU cpu's time in each state since boot, if it is a possible CPU
 * (else false, *out untouched); *online whether it runs now.
 */
struct mach_cpu_times {
	mach_u64 user_ns;
	mach_u64 nice_ns;
	mach_u64 system_ns;		/* irq and softirq too */
	mach_u64 idle_ns;		/* iowait too */
};
mach_bool mach_shim_cpu_times(mach_u32 cpu, struct mach_cpu_times *out, mach_bool *online);

/* The clocks of clock_get_time: CLOCK_MONOTONIC, CLOCK_REALTIME. */
enum mach_shim_clock { MACH_CLOCK_MONOTONIC, MACH_CLOCK_REALTIME };
mach_u64 mach_shim_clock_ns(enum mach_shim_clock clock);

struct mach_task;
struct mach_task_os;
/*
 * Every task, in batches: up to max of them from *cursor on (0 to start),
 * each with a reference its caller puts (mach_task_put()), and *cursor
 * past them. Fewer than max: the end.
 */
mach_u32 mach_shim_tasks_batch(mach_u64 *cursor, struct mach_task **out, mach_u32 max);
/*
 * May the calling process control os's process by Linux's rule for
 * ptrace (PTRACE_MODE_ATTACH_REALCREDS: the same user by its real ids,
 * and a process that is dumpable; or CAP_SYS_PTRACE over it)? *ticket:
 * the program it runs, for mach_shim_task_ticket_holds() after.
 */
mach_bool mach_shim_may_control(struct mach_task_os *os, mach_u64 *ticket);

/*
 * Port rights as file descriptors of the calling process. A port has
 * one file (holding a reference on the port) that every fd naming a
 * right to it refers to; each space entry holds a reference on it too.
 */
struct mach_port;
struct mach_shim_file;
/*
 * A new file standing for port (null: a bare dead name), or NULL. It takes
 * over a reference the caller made on port, which its release drops.
 */
struct mach_shim_file *mach_shim_file_create(struct mach_port *port);
/* A new close-on-exec fd referring to file: the fd or -errno. */
int mach_shim_fd_install(struct mach_shim_file *file);
/*
 * Likewise at fd exactly: fd, -MACH_EBUSY if it is in use, -MACH_EMFILE
 * if it is too far above the lowest free number (or the limit), -errno.
 */
int mach_shim_fd_install_at(int fd, struct mach_shim_file *file);
void mach_shim_file_get(struct mach_shim_file *file);
/* Does fd in the calling process still refer to file? */
mach_bool mach_shim_fd_is(int fd, const struct mach_shim_file *file);
/* Close fd in the calling process (the caller checked it is ours). */
void mach_shim_fd_close(int fd);
void mach_shim_file_put(struct mach_shim_file *file);

/* The Linux side of a task (module/task.c). */
struct mach_task;
struct mach_task_os;
/* A value, its caller's (on its stack), filled by mach_shim_task_stats(). */
struct mach_task_stats {
	mach_u64 virtual_bytes;
	mach_u64 resident_bytes;
	mach_u64 resident_max_bytes;
	mach_u64 dead_user_ns;		/* threads that have exited */
	mach_u64 dead_system_ns;
	mach_u64 live_user_ns;		/* threads still running */
	mach_u64 live_system_ns;
	mach_u32 security[2];		/* the process's security token */
	mach_u32 audit[8];		/* and audit token */
	mach_s32 node;			/* the NUMA node it was placed on, or -1 */
	/* MACH_STATS_EVENTS: of every thread, live and exited */
	mach_u64 minor_faults;
	mach_u64 major_faults;
	mach_u64 switches;		/* voluntary and involuntary */
	/* MACH_STATS_VM: the address space in more detail */
	mach_u64 anon_bytes;		/* resident anonymous memory */
	mach_u64 shmem_bytes;		/* resident shared memory */
	mach_u64 file_bytes;		/* resident file pages */
	mach_u64 swap_bytes;		/* swapped out */
	mach_u64 min_address;		/* the lowest address it may map */
	mach_u64 max_address;		/* where its user addresses end */
	mach_u32 regions;		/* its mappings */
	mach_bool lp64;			/* MACH_STATS_ABI: 64-bit addressing */
};
/* What a caller of mach_shim_task_stats() needs filled in. */
enum mach_stats_want {
	MACH_STATS_MEMORY = 1 << 0,	/* *_bytes */
	MACH_STATS_DEAD_TIMES = 1 << 1,	/* dead_*_ns */
	MACH_STATS_LIVE_TIMES = 1 << 2,	/* live_*_ns: walks the threads */
	MACH_STATS_TOKENS = 1 << 3,	/* security, audit */
	MACH_STATS_NODE = 1 << 4,	/* node */
	MACH_STATS_EVENTS = 1 << 5,	/* faults, switches: walks the threads */
	MACH_STATS_VM = 1 << 6,		/* anon_bytes ... regions */
	MACH_STATS_ABI = 1 << 7,	/* lp64 */
};
/* Fills what want asks for; false if the process is already gone. */
mach_bool mach_shim_task_stats(struct mach_task_os *os, unsigned int want,
			       struct mach_task_stats *stats);
/*
 * os backs task from now on (Task::create()): the glue keeps the pointer,
 * without a reference; the task holds os until mach_shim_task_free().
 */
void mach_shim_task_created(struct mach_task_os *os, struct mach_task *task);
/* Called once when the core frees a task: release the Linux side. */
void mach_shim_task_free(struct mach_task_os *os);
/*
 * A suspension token of os's task went unused: mach_task_resume_dropped()
 * is to be called soon, from a worker, any context now. The core took a
 * reference on the task for it: false if the worker was queued already
 * (it runs once for both), and the core drops it again.
 */
mach_bool mach_shim_task_resume_later(struct mach_task_os *os);
/* For the operator's event stream (module/netlink_event.c): what befell os. */
enum mach_shim_event {
	MACH_SHIM_EVENT_SUSPENDED = 3,	/* value: the suspend count now */
	MACH_SHIM_EVENT_RESUMED = 4,
};
void mach_shim_task_event(struct mach_task_os *os, enum mach_shim_event event,
			  mach_u32 value);
/*
 * A port died while senders waited for room in its queue: waiters of them,
 * queued messages destroyed with it (for the operator's event stream).
 */
void mach_shim_port_destroyed(mach_u32 waiters, mach_u32 queued);
/*
 * The program os's process runs (its exec image) is a generation number
 * that the calls below take, so that a right given out for one program
 * never reaches the next one (a set-uid program, say). The core asks
 * (Task::program()) and, when the process has exec'd, renews the task.
 *
 * What an exec was, as mach_shim_task_program_look() saw it: none; one
 * of a program its owner may read, as the one before was; or one of a
 * set-id program, whose exception handlers its callers may not keep.
 */
enum mach_exec_seen {
	MACH_EXEC_NONE,
	MACH_EXEC_SAME_OWNER,
	MACH_EXEC_OTHER_OWNER,
};
/*
 * The generation of the program os's process runs now, and in *exec
 * whether that is a new one since the last look (one caller at a time:
 * the core's program lock). 0 if the process is gone or exiting.
 */
mach_u64 mach_shim_task_program_look(struct mach_task_os *os, enum mach_exec_seen *exec);
/* The generation the last look saw, without a look (0: gone). */
mach_u64 mach_shim_task_program_seen(struct mach_task_os *os);
/*
 * A new shell still sets itself up in its parent's mm: its exec there is
 * not one for Mach. Has it finished? And a wait until it has (false if
 * the wait was killed; its process's exit ends the wait too).
 */
mach_bool mach_shim_task_ready(struct mach_task_os *os);
mach_bool mach_shim_task_wait_ready(struct mach_task_os *os);

/* Is node a NUMA node online, with memory and CPUs, that a task may use? */
mach_bool mach_shim_node_usable(mach_u32 node);
/* Has a task's program private writable memory a clone would make shared? */
mach_bool mach_shim_task_memory_private(struct mach_task_os *os, mach_u64 program);

/*
 * How a new task is to be made: the whole plan, decided by the core
 * (core/task_create.cc) before anything is made, carried out by the host.
 * Its caller's only; read-only once decided.
 */
struct mach_task_plan {
	mach_bool inherit_memory;	/* a copy of its parent's memory */
	mach_s32 node;			/* its CPUs and memory, or -1: anywhere */
	/*
	 * NORMA: it shares every region of its parent (clone). parent_held:
	 * the parent's threads are held meanwhile (they must be, for any of
	 * its private memory to be made shared; else the clone fails, -EAGAIN).
	 */
	mach_bool clone;
	mach_bool parent_held;
	/*
	 * norma_task_teleport: its parent moves its pages to node before the
	 * fork, is suspended for good, and ends once the child exists.
	 */
	mach_bool teleport;
	/*
	 * Forked by its parent's agent, never by the calling thread on its
	 * way out of the call (a trampoline, MACH_LATER): the caller needs
	 * the answer before it returns (a request served by message).
	 */
	mach_bool by_agent;
	/* Its process runs as uid and gid of the initial user namespace. */
	mach_bool credentials;
	mach_u32 uid, gid;
	/* The task it is made from (for the operator's view only). */
	struct mach_task_os *parent;
};
/*
 * The Linux side of a new task that plan describes, not yet backed by a
 * process: 0 and *os, which the core makes its task around
 * (mach_task_create()); -MACH_ENOMEM, or -MACH_EINVAL if the credentials
 * are not valid ids.
 */
int mach_shim_task_prepare(const struct mach_task_plan *plan, struct mach_task_os **os);
/*
 * A teleport's child exists: its parent is terminated, and the pages only
 * the child maps then that are not on its node yet move there. 0 or
 * -errno. A parent that is the caller's own task never returns.
 */
int mach_shim_task_teleport_end(struct mach_task_os *parent, mach_u64 program,
				struct mach_task *child);
/*
 * An answer the calling thread gives only once it has made a system call
 * of its own, on its way out of the ioctl (module/trampoline.c): the call
 * is finished by mach_core_later_done() then.
 */
#define MACH_LATER (-MACH_EINPROGRESS)
/*
 * What a call answered MACH_LATER made for its caller before the calling
 * thread left, handed back to mach_core_later_done(), alive until it
 * returns: the thread of a thread_create, or the child of a task_create.
 * The names given for them may be another right's by then.
 */
struct mach_later_made {
	struct mach_thread_os *thread;
	struct mach_task *child;
};
/*
 * Back child with a new process forked from parent's as its plan says:
 * 0 once it exists (and once it has set up what a plain one has not: the
 * credentials, the node, copies of COPY regions the parent shares), or
 * -errno (-ESRCH: the parent has no agent or the child died, -EINTR: we
 * were killed), or MACH_LATER: the calling thread forks it itself.
 * -EINTR with the parent held (plan parent_held or teleport): its agent
 * may still be making the parent's memory shared, and the glue resumes
 * it once the agent is done (mach_task_hold_released()), not the core.
 */
int mach_shim_task_spawn(struct mach_task_os *parent, mach_u64 program,
			 struct mach_task *child);
/*
 * task_terminate: kill the process (if it still runs program; 0 for any),
 * wait until its task is torn down.
 */
int mach_shim_task_kill(struct mach_task_os *os, mach_u64 program);
/*
 * No send right to the task port is left. A shell that runs no thread
 * but its agent can never be reached again: it ends (at once, without
 * waiting; any context).
 */
void mach_shim_task_unnamed(struct mach_task_os *os);
/*
 * A vm_* call on os's address space, its range checked and rounded by
 * the core: [start, end) page-aligned and non-empty, except READ, WRITE
 * and COPY, which are byte-exact. 0 or -errno (module/vm.c says which).
 * Its caller's, or the agent's while the call runs there (module/vm.c).
 */
struct mach_vm_object;
struct mach_shim_vm_request {
	unsigned int op;		/* MACH_VM_* of uapi/mach/abi.h */
	unsigned int value;		/* protection or inheritance */
	mach_u64 program;			/* Task::program() */
	mach_u64 start, end;
	mach_u64 data;			/* the caller's buffer, or COPY's target */
	mach_bool anywhere;		/* ALLOCATE, MAP */
	mach_bool kernel_data;		/* READ, WRITE: data is a kernel buffer */
	mach_bool overwrite;		/* ALLOCATE, MAP: a fixed one replaces */
	mach_bool copy;			/* MAP: a copy of object; MAKE_ENTRY: of the range */
	mach_bool set_maximum;		/* PROTECT: value is the new maximum */
	/*
	 * MAP: the memory mapped (the caller's reference), or none for zero
	 * fill; MAKE_ENTRY: out, a new reference to the range's memory.
	 */
	struct mach_vm_object *object;
	mach_u64 offset;		/* MAP, MAKE_ENTRY (out): byte offset in object */
	mach_u64 mask;			/* MAP: the address's alignment mask */
	unsigned int map_inheritance;	/* MAP: vm_inherit_t */
	/* out: ALLOCATE's and MAP's address; REGION's whole answer */
	mach_u64 address, size;
	/*
	 * out: REGION, MAKE_ENTRY; MAP's max_protection in and out (the
	 * maximum asked, then the one the new mapping has)
	 */
	unsigned int protection, max_protection, inheritance;
	mach_bool shared;
};
int mach_shim_vm(struct mach_task_os *os, struct mach_shim_vm_request *req);
/*
 * A memory entry's memory (module/vm_map.c): a new object of size bytes
 * of zeros in *object, 0 or -errno; and the entry's reference let go.
 */
int mach_shim_vm_object_create(mach_u64 size, struct mach_vm_object **object);
void mach_shim_vm_object_get(struct mach_vm_object *object);
void mach_shim_vm_object_put(struct mach_vm_object *object);

/*
 * Runs fn on a copy of the size bytes at arg inside os's process (in its
 * agent), then copies them back: 0, or -MACH_ESRCH if it has no agent,
 * -MACH_EINTR if we were killed meanwhile, -MACH_ENOMEM. A caller that
 * fails does not see the result: abandon() is called on the copy (or on
 * arg itself if no copy was made) to release what fn left in it, or what
 * it would have consumed if it never ran.
 */
int mach_shim_task_call(struct mach_task_os *os, mach_u64 program,
			void (*fn)(void *), void (*abandon)(void *), void *arg,
			mach_size size);
/*
 * In os's process, by its agent: fcntl(fd, F_DUPFD_CLOEXEC, min), which
 * makes the lowest free number at or above min refer to fd's file and
 * replaces nothing: that number, or -errno (-MACH_EINVAL past the fd
 * limit); -MACH_ESRCH if it has no agent, -MACH_EINTR if we were killed.
 * Never from os's own agent.
 */
int mach_shim_task_dup_fd(struct mach_task_os *os, mach_u64 program, int fd, int min);
/*
 * Threads (module/thread.c). A thread made by thread_create is a Linux
 * thread of the task's process, cloned by its agent and parked in the
 * module until resumed; its registers are set while it is parked.
 */
struct mach_thread_os;
/*
 * A new parked thread in os's process (running program): it, or NULL and
 * *err. With later, from an ioctl, a thread of the caller's own task may
 * be given not cloned yet, *err MACH_LATER: mach_shim_thread_clone() then
 * clones it, once the core has made and named all it needs.
 */
struct mach_thread_os *mach_shim_thread_create(struct mach_task_os *os,
					       mach_u64 program, mach_bool later, int *err);
/*
 * Clone a thread given MACH_LATER: 0 once cloned, -errno, or MACH_LATER:
 * the calling thread clones it on its way out of the ioctl, and the call
 * is finished by mach_core_later_done() (nothing may fail after this).
 */
int mach_shim_thread_clone(struct mach_task_os *os, struct mach_thread_os *thread);
void mach_shim_thread_free(struct mach_thread_os *thread);
/*
 * Holds keep a thread stopped: a thread's own suspend count and its
 * task's each hold it once. It is made held once (created suspended); a
 * running thread that gets held stops on its way back to user mode, where
 * a stopped thread would.
 */
void mach_shim_thread_hold(struct mach_thread_os *thread);
void mach_shim_thread_release(struct mach_thread_os *thread);
/*
 * thread_get_state's and thread_set_state's stop (XNU's thread_stop): a
 * thread that may be running is held (*held: release it after) and waited
 * for, killably, until it stands where its user registers are saved. 0
 * then, or when it holds still already: the calling thread itself, one
 * waiting for its exception's handlers, one parked since it was made and
 * still suspended. -MACH_EINTR on a signal (a stop of the caller's own
 * among them: two threads stopping each other never wait for each other
 * forever), -MACH_ESRCH if it ends
 * or leaves the program (exec), -MACH_EBUSY if a signal or ptrace stopped
 * it instead.
 */
int mach_shim_thread_stop(struct mach_thread_os *thread, mach_bool *held);
/* x86_THREAD_STATE64 of a parked thread, as 21 words: 0 or -errno. */
int mach_shim_thread_get_state(struct mach_thread_os *thread, mach_u64 *regs);
int mach_shim_thread_set_state(struct mach_thread_os *thread, const mach_u64 *regs);
/*
 * x86_EXCEPTION_STATE64 of a suspended thread, as 4 words: trap number and
 * cpu (16 bits each), error code, fault address (64 bits). 0 or -errno.
 */
int mach_shim_thread_get_exception(struct mach_thread_os *thread, mach_u32 *words);
/* The FXSAVE image (512 bytes) of a suspended thread: 0 or -errno. */
int mach_shim_thread_get_fpu(struct mach_thread_os *thread, void *fxsave);
int mach_shim_thread_set_fpu(struct mach_thread_os *thread, const void *fxsave);
/* End the thread, parked or running. */
void mach_shim_thread_kill(struct mach_thread_os *thread);
/*
 * The calling thread, which faulted, waits for its exception's handlers
 * (core.h's struct mach_fault) between begin and end: meanwhile its state
 * is fault's, for anyone's thread_get_state and thread_set_state.
 */
struct mach_fault;
void mach_shim_thread_fault_begin(struct mach_thread_os *thread, struct mach_fault *fault);
void mach_shim_thread_fault_end(struct mach_thread_os *thread);
/* Is it waiting for its exception's handlers (its state then holds still)? */
mach_bool mach_shim_thread_in_fault(struct mach_thread_os *thread);
/*
 * thread_abort: a system call the thread is blocked in (or stopped in)
 * fails with EINTR instead of restarting; nothing if it is in user mode.
 */
void mach_shim_thread_abort(struct mach_thread_os *thread);
/*
 * Wait until os's agent serves (a new shell's first thread enters, or a
 * thread starting as one is done): 0, or -MACH_ESRCH if it has none and
 * none is starting (it is not waited for), -MACH_EINTR on a fatal signal
 * or if a new shell stays stopped (SIGSTOP, ptrace) for a second first.
 */
int mach_shim_task_agent_wait(struct mach_task_os *os);
/*
 * Wait a second at most for os's threads on a detour through the stub
 * (making the agent, a trampoline's system call) to be back: until then
 * their registers are the stub's, and adoption passes them over.
 */
void mach_shim_task_detours_wait(struct mach_task_os *os);
/*
 * The calling thread of os's process, made a Mach thread (mach_thread_self):
 * or NULL. Neither this nor the next waits for the agent (whose stub is
 * an adopted thread's way out): NULL or 0 if it does not serve.
 */
struct mach_thread_os *mach_shim_thread_adopt(struct mach_task_os *os);
/*
 * The Linux threads of os's process that are no Mach thread yet, made
 * Mach threads as they run: up to capacity of them into out. Returns how
 * many. Never the agent, nor a thread being made or ended.
 */
mach_u32 mach_shim_thread_adopt_others(struct mach_task_os *os,
				       struct mach_thread_os **out, mach_u32 capacity);
/* Is it the calling thread? */
mach_bool mach_shim_thread_is_current(struct mach_thread_os *thread);
/* Has it exited (by itself, or ended)? */
mach_bool mach_shim_thread_gone(struct mach_thread_os *thread);
/* Its thread id in the caller's pid namespace, 0 if it has none (yet). */
mach_s32 mach_shim_thread_tid(struct mach_thread_os *thread);
/*
 * Does it run none of its own code until released: stopped where a held
 * thread stops, parked, stopped by a signal, or ending? wait: until it
 * does (a held thread gets there), for up to timeout_ms: 0,
 * -MACH_ETIMEDOUT, or -MACH_EINTR on a fatal signal.
 */
mach_bool mach_shim_thread_quiet(struct mach_thread_os *thread);
int mach_shim_thread_wait_quiet(struct mach_thread_os *thread, mach_u32 timeout_ms);
/*
 * The calling thread waits to hold its own task, or holds it: it runs
 * none of its code meanwhile, and counts as quiet.
 */
void mach_shim_thread_set_quiescing(struct mach_thread_os *thread, mach_bool on);
/* THREAD_BASIC_INFO's: times, and the run state (TH_STATE_*); the caller's. */
/*
 * What thread_info's identifier and extended flavours show of a thread
 * beside its stats: its TLS base (the pthread_t, XNU's thread_handle)
 * and its name (Linux's comm, NUL-terminated).
 */
struct mach_thread_identity {
	mach_u64 handle;
	char name[16];
};
void mach_shim_thread_identity(struct mach_thread_os *thread,
			       struct mach_thread_identity *identity);
/*
 * A thread's Linux scheduling, for thread_policy_get and _set: policy
 * (SCHED_OTHER 0, FIFO 1, RR 2, BATCH 3, IDLE 5, DEADLINE 6), nice, and
 * SCHED_DEADLINE's runtime, deadline and period in ns.
 */
struct mach_thread_sched {
	mach_u32 policy;
	mach_s32 nice;
	mach_u64 runtime_ns;
	mach_u64 deadline_ns;
	mach_u64 period_ns;
};
#define MACH_SCHED_OTHER	0
#define MACH_SCHED_DEADLINE	6
/* 0, or -MACH_ESRCH if it has no thread (ended, or not entered yet). */
int mach_shim_thread_sched_get(struct mach_thread_os *thread, struct mach_thread_sched *sched);
/*
 * With the caller's rights, as sched_setattr(2) and setpriority(2) would
 * check them: set_nice, its nice whatever its policy (a lower one within
 * the caller's RLIMIT_NICE or with CAP_SYS_NICE); set_sched, policy
 * SCHED_OTHER (at its nice) or SCHED_DEADLINE (with CAP_SYS_NICE) and
 * its parameters. 0, -MACH_EPERM, -MACH_EBUSY (deadline admission
 * refused), -MACH_EINVAL, -MACH_ESRCH.
 */
int mach_shim_thread_set_nice(struct mach_thread_os *thread, mach_s32 nice);
int mach_shim_thread_set_sched(struct mach_thread_os *thread,
			       const struct mach_thread_sched *sched);
/* thread_abort_safely: a system call it is blocked in restarts. */
void mach_shim_thread_abort_safely(struct mach_thread_os *thread);
struct mach_thread_stats {
	mach_u64 user_ns;
	mach_u64 system_ns;
	mach_u32 run_state;
};
void mach_shim_thread_stats(struct mach_thread_os *thread,
			    struct mach_thread_stats *stats);

/*
 * task_sample (module/sample.c): brings the sampling of os's threads to
 * what its task's mach_task_sampling() says now. If it should be sampled
 * and is not, sampling starts on every thread of its process (threads
 * that start later are sampled too), unless the process is not there or
 * not set up yet (a new shell: it starts once it is), and only while it
 * runs program (0: the one the last look saw), an exec's credentials
 * waited for; if it should not be, sampling stops, and no batch is sent
 * once this returns (but from the host's sender itself, which sends no
 * more). 0, or -errno if it could not start (-MACH_ENOMEM; -MACH_ESRCH:
 * another program). Any context that may sleep, no lock of the core held.
 */
int mach_shim_task_sample(struct mach_task_os *os, mach_u64 program);
/*
 * The samples of os's threads taken so far are sent now, to the sample
 * port the task has now (mach_task_sample_send()), before it is
 * replaced or cleared; returns once they are. Nothing if it is not
 * sampled, or if called from the host's sender itself.
 */
void mach_shim_task_sample_flush(struct mach_task_os *os);

/*
 * task_for_pid (name false) and task_name_for_pid (name true), the
 * Linux side (module/task_access.c): may the caller have the control
 * (or name) port of process nr, as the caller's pid namespace numbers it?
 * Then 0 and the process's task in *task (a reference; made now if the
 * process was none), and in *ticket which program it runs: the caller
 * checks with mach_shim_task_ticket_holds() once it holds the port, so
 * that a port is never given for a program that replaced the one the
 * check was made for. -ESRCH: no such process; -EPERM: not allowed;
 * -MACH_ENOMEM.
 */
int mach_shim_task_for_pid(mach_s32 nr, mach_bool name, struct mach_task **task,
			   mach_u64 *ticket);
mach_bool mach_shim_task_ticket_holds(struct mach_task_os *os, mach_u64 ticket);
/*
 * task_set_name: os's process is called name (a C string) from now, if it
 * still runs program (0: the last one seen), an exec waited out.
 */
void mach_shim_task_set_name(struct mach_task_os *os, const char *name, mach_u64 program);
/* The pid of os's process as the caller sees it; 0 if it cannot. */
int mach_shim_task_pid(struct mach_task_os *os);
/* Is the calling process the one backing os? */
mach_bool mach_shim_task_is_current(const struct mach_task_os *os);
/*
 * os was given an exception handler: its faults are to be raised from
 * now on (its agent arms its process; without one, nothing changes).
 */
void mach_shim_task_arm_exceptions(struct mach_task_os *os);
/* The host was given an exception handler: every task is armed. */
void mach_shim_tasks_arm_exceptions(void);
/*
 * The calling thread broke a port's guard (XNU's fatal kinds): on its way
 * back to user space it raises EXC_GUARD with code and subcode to its
 * handlers, and then its process is killed, whatever they answer.
 */
void mach_shim_guard_exception(mach_u64 code, mach_u64 subcode);

#ifdef __cplusplus
}
#endif

#endif /* MACH_CORE_SHIM_H */
