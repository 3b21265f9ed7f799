/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core.h - what the C glue asks of the C++ core.
 *
 * Objects are reference counted; whoever drops the last reference frees.
 */
#ifndef MACH_CORE_CORE_H
#define MACH_CORE_CORE_H

#include "shim.h"
#include "x86_thread_state.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mach_port;
struct mach_task_os;

/*
 * A task, as far as the glue sees it: counted references and its Linux
 * side. The core's Task extends it. The last reference's drop frees the
 * task through release, which the core set: the glue below the core holds
 * and drops references without a call up into it (as a kref is put).
 */
struct mach_task {
	struct mach_shim_ref refs;
	struct mach_task_os *os;		/* immutable */
	void (*release)(struct mach_task *task);	/* immutable */
};

static inline void mach_task_get(struct mach_task *task)
{
	mach_shim_ref_get(&task->refs);
}

static inline void mach_task_put(struct mach_task *task)
{
	if (mach_shim_ref_put(&task->refs))
		task->release(task);
}

/* A reference unless task is being freed already (a walk of all tasks). */
static inline mach_bool mach_task_get_not_zero(struct mach_task *task)
{
	return mach_shim_ref_get_not_zero(&task->refs);
}

static inline struct mach_task_os *mach_task_os_of(struct mach_task *task)
{
	return task->os;
}

/*
 * The caches of the core's objects and the host's own ports, made at load;
 * the ports are killed at unload: 0 or -errno.
 */
int mach_core_init(void);
void mach_core_exit(void);


/*
 * A new live task backed by os; the caller gets one reference. The task
 * owns os from here on, and gives it back through mach_shim_task_free()
 * when it is freed, or at once if creation fails (NULL).
 */
struct mach_task *mach_task_create(struct mach_task_os *os);
/* The process is gone: its ports die and its space is emptied. */
void mach_task_terminate(struct mach_task *task);
/*
 * The worker mach_shim_task_resume_later() asked for: dropped tokens'
 * holds go, and so does the reference the core took for it.
 */
void mach_task_resume_dropped(struct mach_task *task);
/*
 * A hold the core left to the glue is let go (mach_shim_task_spawn()'s
 * -MACH_EINTR): the task resumes, from the same worker. The caller holds
 * a reference to task.
 */
void mach_task_hold_released(struct mach_task *task);
/* An exec of its process not seen yet is seen now (Task::program()). */
void mach_task_notice_exec(struct mach_task *task);
/*
 * What a task made late takes of its parent's besides its ports (a
 * task_create'd one takes all of it).
 */
enum mach_inherit {
	MACH_INHERIT_HANDLERS = 1,	/* its exception handlers */
	MACH_INHERIT_TOKENS = 2,	/* the tokens it was given */
	MACH_INHERIT_PRIVILEGE = 4,	/* a privileged host port as its host port */
	MACH_INHERIT_ALL = 7,
};
/*
 * What a new task takes: parent's ports and what (enum mach_inherit), or
 * the host's ports if parent is NULL.
 */
void mach_task_inherit(struct mach_task *child, struct mach_task *parent, unsigned int what);
/* Drop rights whose fd the process closed behind Mach's back. */
void mach_task_sweep_space(struct mach_task *task);

/*
 * A fault of the calling thread, as the glue read it from its signal
 * frame: the Mach exception (EXC_* type, its two codes), and the thread's
 * state at the fault, which handlers read and may change meanwhile.
 */
struct mach_fault {
	mach_u32 type;
	mach_u32 pad;
	mach_u64 code[2];
	mach_u64 regs[MACH_X86_THREAD_STATE64_WORDS];	/* x86_THREAD_STATE64 */
	unsigned char fxsave[512];	/* x86_FLOAT_STATE64's FXSAVE image */
	mach_u32 exception[4];		/* x86_EXCEPTION_STATE64 */
	mach_bool regs_set;		/* written by a handler: to be applied */
	mach_bool fxsave_set;
};
/*
 * Raise it to the thread's, its task's and the host's handlers in turn:
 * 1 if one answered KERN_SUCCESS (the thread goes on with fault's state),
 * 0 if none did (Linux's signal follows), -MACH_EINTR if it was killed.
 */
int mach_core_raise_exception(struct mach_task *task, struct mach_fault *fault);
/* Has task a handler of some exception (its process is to be armed)? */
mach_bool mach_task_raises_exceptions(struct mach_task *task);
/*
 * task_sample (core/sample.cc; the host's side: module/sample.c). Should
 * task's threads be sampled (it lives, and has a live sample port)?
 */
mach_bool mach_task_sampling(struct mach_task *task);
/*
 * A batch of count samples (at most MACH_SAMPLE_MAX of uapi/mach/abi.h),
 * and how many were lost before it, sent to task's sample port from
 * process context. FULL: its queue had no room, the batch is lost (the
 * caller counts it in the next one's dropped). STOPPED: the task has no
 * sample port (any more): a dead one is cleared, and sampling stopped
 * (mach_shim_task_sample()), from the caller's context.
 */
struct mach_sample;
enum mach_sample_sent {
	MACH_SAMPLE_SENT,
	MACH_SAMPLE_FULL,
	MACH_SAMPLE_STOPPED,
};
enum mach_sample_sent mach_task_sample_send(struct mach_task *task,
					    const struct mach_sample *samples,
					    mach_u32 count, mach_u32 dropped);

/* A port file's release: the reference the file held. */
void mach_port_put(struct mach_port *port);
/* poll(): is a message queued for task, if it holds the receive right? */
mach_bool mach_port_readable(struct mach_port *port, struct mach_task *task);
struct mach_shim_waitq *mach_port_waitq(struct mach_port *port);

/*
 * One ioctl of the calling process on its own task. args is the kernel's
 * copy of the struct that nr takes (uapi/mach/abi.h), validated here and
 * updated in place for the caller to copy back. Returns a kern_return_t
 * (>= 0) or -errno for a malformed request.
 */
long mach_core_ioctl(struct mach_task *task, unsigned int nr, void *args);
/*
 * A trap of the calling process (nr: MACH_IOC_NR_TRAP_*), its arguments
 * in arg as uapi/mach/ioctl.h packs them: the same answers as the struct
 * call it stands for gives by mach_core_ioctl().
 */
long mach_core_trap(struct mach_task *task, unsigned int nr, mach_u64 arg);
/*
 * The nr dev.c gives MACH_IOC_MSG_OVERWRITE, whose uapi number is
 * MACH_IOC_MSG's with a longer struct: one no _IOC_NR (8 bits) can be.
 */
#define MACH_CORE_NR_MSG_OVERWRITE	0x100

/*
 * mach_core_ioctl() answers MACH_LATER (shim.h) when the calling thread
 * must first make a system call for the host on its way out: args are
 * final but for what comes of it, which mach_core_later_done() fills in
 * (err: the host's result, made: what the call made) before they are
 * copied back. It returns the ioctl's answer.
 */
long mach_core_later_done(struct mach_task *task, unsigned int nr, void *args,
			  int err, const struct mach_later_made *made);

/*
 * What the operator's view (module/netlink.c) reads of a task, without
 * touching any fd table: it runs in the reader's process, not the task's.
 */
/* What a port stands for (the values of uapi/mach/netlink.h's MACH_OBJECT_*). */
enum mach_port_object {
	MACH_PORT_OBJECT_NONE,
	MACH_PORT_OBJECT_TASK,
	MACH_PORT_OBJECT_TASK_NAME,
	MACH_PORT_OBJECT_THREAD,
	MACH_PORT_OBJECT_HOST,
	MACH_PORT_OBJECT_HOST_PRIV,
	MACH_PORT_OBJECT_HOST_SECURITY,
	MACH_PORT_OBJECT_LEDGER,
};

/* The views below: values, filled for their caller (on its stack or its buffer). */
struct mach_port_view {
	mach_u32 name;		/* the fd number */
	mach_u32 type;		/* MACH_PORT_TYPE_* bits */
	mach_u32 urefs;		/* of the send right or dead name */
	mach_u32 live;		/* 1 unless a bare dead name: then the rest is 0 */
	mach_u32 qlimit;	/* (0 is a limit too: MACH_PORT_QLIMIT_ZERO) */
	mach_u32 msgcount;
	mach_u32 seqno;
	mach_u32 kernel;	/* 1 if it stands for a kernel object */
	mach_u32 object;	/* enum mach_port_object */
	/* Notification requests pending on the port. */
	mach_u32 no_senders;	/* 0 or 1 */
	mach_u32 port_destroyed;	/* 0 or 1 */
	mach_u32 dead_names;	/* dead-name requests, of any space */
};

/* A name's rights, counted by type: a name of a send and a receive right counts in both. */
enum mach_right_kind {
	MACH_RIGHTS_SEND,
	MACH_RIGHTS_RECEIVE,
	MACH_RIGHTS_SEND_ONCE,
	MACH_RIGHTS_PORT_SET,
	MACH_RIGHTS_DEAD_NAME,
	MACH_RIGHTS_KINDS,
};

struct mach_task_view {
	mach_u32 suspend_count;
	mach_u32 names;			/* names in its space */
	mach_u32 rights[MACH_RIGHTS_KINDS];	/* by enum mach_right_kind */
	mach_u32 self_name;		/* its name for its own task port, or 0 */
	mach_u32 exception_mask;	/* 1 << type for each type with a handler */
};

struct mach_thread_view {
	mach_s32 tid;			/* in the reader's pid namespace; 0 if none yet */
	mach_u32 suspend_count;		/* the thread's own, not its task's */
};

mach_u32 mach_task_suspend_count(struct mach_task *task);
/* The task's Mach threads (made by thread_create or adopted). */
mach_u32 mach_task_thread_count(struct mach_task *task);
/* Up to capacity of task's names into out; returns how many there are. */
mach_u32 mach_task_port_views(struct mach_task *task, struct mach_port_view *out,
			      mach_u32 capacity);
/* The task's counts and what it has set; allocates nothing. */
void mach_task_get_view(struct mach_task *task, struct mach_task_view *out);
/* For diagnostics (debugfs): its references now, and whether it was terminated. */
mach_u32 mach_task_refs(struct mach_task *task);
mach_bool mach_task_dying(struct mach_task *task);
/*
 * Up to capacity of task's Mach threads into out; returns how many there
 * are (0 with capacity left unfilled if memory ran out).
 */
mach_u32 mach_task_thread_views(struct mach_task *task, struct mach_thread_view *out,
				mach_u32 capacity);
/*
 * An operator's call from outside any task (module/netlink.c): task_suspend
 * or task_resume of task. (Its terminate is the glue's: a kill, no wait.)
 */
enum mach_operator_call {
	MACH_OPERATOR_SUSPEND,
	MACH_OPERATOR_RESUME,
};
/* 0, or -EINVAL (resumed but not suspended), -ESRCH (ending), -EIO. */
int mach_task_operator_call(struct mach_task *task, enum mach_operator_call call);

#ifdef __cplusplus
}
#endif

#endif /* MACH_CORE_CORE_H */
