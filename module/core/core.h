/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core.h - what the C glue asks of the C++ core.
 *
 * Objects are reference counted; whoever drops the last reference frees.
 */
#ifndef MACH_CORE_CORE_H
#define MACH_CORE_CORE_H

#include "shim.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mach_task;
struct mach_port;
struct mach_task_os;

/* The host's own ports, made at load and killed at unload: 0 or -errno. */
int mach_core_init(void);
void mach_core_exit(void);

/* The size of the core's objects of kind, for the host's caches. */
mach_size mach_core_object_size(enum mach_shim_kind kind);

/*
 * A new live task backed by os; the caller gets one reference. The task
 * owns os from here on, and gives it back through mach_shim_task_free()
 * when it is freed, or at once if creation fails (NULL).
 */
struct mach_task *mach_task_create(struct mach_task_os *os);
void mach_task_get(struct mach_task *task);
struct mach_task_os *mach_task_os_of(struct mach_task *task);
void mach_task_put(struct mach_task *task);
/* The process is gone: its ports die and its space is emptied. */
void mach_task_terminate(struct mach_task *task);
/* The process exec'd: its task port is replaced (Task::renew_port()). */
void mach_task_renew_port(struct mach_task *task);
/* What a new task takes: parent's ports, or the host's if parent is NULL. */
void mach_task_inherit(struct mach_task *child, struct mach_task *parent);
/* Drop rights whose fd the process closed behind Mach's back. */
void mach_task_sweep_space(struct mach_task *task);

void mach_port_get(struct mach_port *port);
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
 * mach_core_ioctl() answers MACH_LATER (shim.h) when the calling thread
 * must first make a system call for the host on its way out: args are
 * final but for what comes of it, which mach_core_later_done() settles
 * (err: the host's result) before they are copied back. It returns the
 * ioctl's answer.
 */
long mach_core_later_done(struct mach_task *task, unsigned int nr, void *args,
			  int err);

/*
 * What the operator's view (module/netlink.c) reads of a task, without
 * touching any fd table: it runs in the reader's process, not the task's.
 */
struct mach_port_view {
	mach_u32 name;		/* the fd number */
	mach_u32 type;		/* MACH_PORT_TYPE_* bits */
	mach_u32 urefs;		/* of the send right or dead name */
	mach_u32 qlimit;	/* 0 for a bare dead name, as the counts below */
	mach_u32 msgcount;
	mach_u32 seqno;
	mach_u32 kernel;	/* 1 if it stands for a kernel object */
};

mach_u32 mach_task_suspend_count(struct mach_task *task);
/* The task's Mach threads (made by thread_create or adopted). */
mach_u32 mach_task_thread_count(struct mach_task *task);
/* Up to capacity of task's names into out; returns how many there are. */
mach_u32 mach_task_port_views(struct mach_task *task, struct mach_port_view *out,
			      mach_u32 capacity);

#ifdef __cplusplus
}
#endif

#endif /* MACH_CORE_CORE_H */
