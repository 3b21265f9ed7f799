/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * netlink.h - the generic netlink family "mach": the operator's view of
 * Mach tasks on the host (machctl(8) is its client).
 *
 * Resolve the family by name (MACH_GENL_NAME) after the module loads and
 * check MACH_A_HOST_VERSION against MACH_GENL_VERSION. Every attribute is
 * a fixed-width integer or a nest of them; statistics are u64. Unknown
 * attributes, wrong types and wrong nesting are refused (strict policy on
 * every level), a request's PID must name a task the caller may read.
 *
 * Visibility is /proc's: a caller sees the tasks whose credentials match
 * its own (uid and gid, real, effective and saved) and whose process is
 * dumpable, or all of them with CAP_SYS_ADMIN or CAP_SYS_PTRACE.
 *
 * Commands and the attribute tree of their answers:
 *
 * MACH_CMD_HOST_GET (doit; request: no attributes)
 *   MACH_A_HOST_VERSION      u32  MACH_GENL_VERSION
 *   MACH_A_HOST_ABI          u32  MACH_ABI_VERSION of <mach/abi.h>
 *   MACH_A_HOST_TASKS        u64  live tasks
 *   MACH_A_HOST_GENERATION   u32  the task list's generation
 *   MACH_A_HOST_NODES        nest, one MACH_A_NODE per online node:
 *     MACH_A_NODE            nest
 *       MACH_A_NODE_ID       u32
 *       MACH_A_NODE_CPUS     u32  CPUs online on the node
 *       MACH_A_NODE_MEM_TOTAL u64 bytes
 *       MACH_A_NODE_MEM_FREE  u64 bytes
 *
 * MACH_CMD_TASK_GET (dump; request: no attributes) one message a task:
 *   MACH_A_TASK_PID          u32  thread group id in the caller's pid ns
 *   MACH_A_TASK_PPID         u32  Linux parent
 *   MACH_A_TASK_PARENT       u32  the task it was made from (task_create's
 *                                 parent; for a process that became a task
 *                                 itself, its Linux parent's task), or absent
 *   MACH_A_TASK_PORT         u32  its own name for its task port (what
 *                                 mach_task_self() returns there), or absent
 *   MACH_A_TASK_ORIGIN       u32  MACH_ORIGIN_*
 *   MACH_A_TASK_NODE         u32  node placed on, or absent
 *   MACH_A_TASK_SUSPEND      u32  suspend count
 *   MACH_A_TASK_THREADS      u32  Linux threads (the agent included)
 *   MACH_A_TASK_MACH_THREADS u32  Mach threads
 *   MACH_A_TASK_PORTS        u32  names in its space
 *   MACH_A_TASK_RIGHTS       nest, its names by the rights they hold (a
 *                                 name of a send and a receive right counts
 *                                 in both):
 *     MACH_A_RIGHTS_SEND     u64
 *     MACH_A_RIGHTS_RECEIVE  u64
 *     MACH_A_RIGHTS_SEND_ONCE u64
 *     MACH_A_RIGHTS_PORT_SET u64
 *     MACH_A_RIGHTS_DEAD_NAME u64
 *   MACH_A_TASK_EXC_MASK     u32  exception_mask_t: 1 << type for each
 *                                 exception type with a task exception port
 *   MACH_A_TASK_UID          u32  euid in the caller's user namespace
 *   MACH_A_TASK_STATS        nest
 *     MACH_A_STAT_VIRTUAL    u64  bytes
 *     MACH_A_STAT_RESIDENT   u64  bytes
 *     MACH_A_STAT_USER_NS    u64
 *     MACH_A_STAT_SYSTEM_NS  u64
 *   MACH_A_TASK_SECURITY     nest of 2 MACH_A_TOKEN_WORD u32
 *   MACH_A_TASK_AUDIT        nest of 8 MACH_A_TOKEN_WORD u32
 *
 * MACH_CMD_THREAD_GET (dump; request: MACH_A_TASK_PID) one a thread:
 *   MACH_A_THREAD_TID        u32
 *   MACH_A_THREAD_STATE      u32  MACH_THREAD_STATE_*
 *   MACH_A_THREAD_AGENT      flag the task's hidden agent
 *   MACH_A_THREAD_SPARE      flag a thread its agent cloned ahead for the
 *                                 next thread_create: no Mach thread yet
 *   MACH_A_THREAD_SUSPEND    u32  the Mach thread's own suspend count
 *                                 (thread_suspend); absent for a thread no
 *                                 Mach call has named yet, and the agent
 *   MACH_A_THREAD_STATS      nest
 *     MACH_A_STAT_USER_NS    u64
 *     MACH_A_STAT_SYSTEM_NS  u64
 *
 * MACH_CMD_PORT_GET (dump; request: MACH_A_TASK_PID) one a name:
 *   MACH_A_PORT_NAME         u32  the fd number
 *   MACH_A_PORT_TYPE         u32  MACH_PORT_TYPE_* bits
 *   MACH_A_PORT_UREFS        u32
 *   MACH_A_PORT_QLIMIT       u32
 *   MACH_A_PORT_MSGCOUNT     u32
 *   MACH_A_PORT_SEQNO        u32
 *   MACH_A_PORT_KERNEL       flag it stands for a kernel object
 *   MACH_A_PORT_OBJECT       u32  MACH_OBJECT_*: what it stands for
 *   MACH_A_PORT_REQUESTS     nest, notification requests pending on it:
 *     MACH_A_REQ_NO_SENDERS  u64  0 or 1
 *     MACH_A_REQ_PORT_DESTROYED u64  0 or 1
 *     MACH_A_REQ_DEAD_NAME   u64  dead-name requests, of every task
 *   (A bare dead name has no object nor requests, and its counts are 0.)
 *
 * MACH_CMD_TASK_SUSPEND, MACH_CMD_TASK_RESUME, MACH_CMD_TASK_TERMINATE
 * (doit; request: MACH_A_TASK_PID; the operator's task_suspend,
 * task_resume and task_terminate, for CAP_SYS_ADMIN in the initial user
 * namespace only: EPERM else). The answer is the ack: 0, ESRCH (no such
 * task, or it is ending), EINVAL (resume of a task that is not suspended),
 * EIO (the call failed otherwise). terminate sends the kill and returns at
 * once: the task is gone when its TERMINATED event comes, or when
 * MACH_CMD_TASK_GET no longer lists it (machctl waits so).
 *
 * MACH_CMD_EVENT (multicast to the group MACH_GENL_MCGRP_EVENTS, which
 * only CAP_SYS_ADMIN may join; listeners in the initial network
 * namespace), one message an event, in the order they happened:
 *   MACH_A_EVENT_TYPE        u32  MACH_EVENT_*
 *   MACH_A_EVENT_TIME_NS     u64  CLOCK_REALTIME
 *   MACH_A_TASK_PID          u32  in the initial pid namespace
 *   MACH_A_TASK_PPID         u32  (CREATED) its Linux parent
 *   MACH_A_TASK_PARENT       u32  (CREATED) the task it was made from
 *   MACH_A_TASK_ORIGIN       u32  (CREATED) MACH_ORIGIN_*
 *   MACH_A_TASK_SUSPEND      u32  (SUSPENDED, RESUMED) the count after it
 *   MACH_A_EVENT_REASON      u32  (TERMINATED) MACH_END_*
 *   MACH_A_EVENT_STATUS      u32  (TERMINATED, EXITED) its exit status;
 *                                 (KILLED) the signal
 *   MACH_A_EVENT_CHILD       u32  (TELEPORTED) the task it moved into
 *   MACH_A_THREAD_TID        u32  (EXCEPTION) the thread that raised it
 *   MACH_A_EVENT_EXCEPTION   u32  (EXCEPTION) the exception type
 *   MACH_A_PORT_WAITERS      u32  (PORT_DESTROYED) senders that waited
 *   MACH_A_PORT_MSGCOUNT     u32  (PORT_DESTROYED) messages destroyed
 * PORT_DESTROYED: an ordinary port died (its receive right destroyed, or
 * its task ended) while senders waited for room in its full queue; its
 * MACH_A_TASK_PID is the process whose call or exit killed it, absent
 * when a kernel worker did. A teleport gives TELEPORTED, then TERMINATED
 * (MACH_END_TELEPORTED) of the task that moved; its child's CREATED
 * comes before both. EXCEPTION is defined for exception delivery, which
 * the module does not do yet: nothing sends it today.
 *
 * Dumps of tasks carry the task list's generation: a dump during which
 * tasks came or went is flagged NLM_F_DUMP_INTR, and should be retried.
 * A dump of threads or ports of a task that dies mid-dump ends early.
 */
#ifndef _UAPI_MACH_NETLINK_H
#define _UAPI_MACH_NETLINK_H

#define MACH_GENL_NAME		"mach"
#define MACH_GENL_VERSION	1
#define MACH_GENL_MCGRP_EVENTS	"events"

enum {
	MACH_EVENT_CREATED = 1,		/* a process became a task */
	MACH_EVENT_TERMINATED,		/* its process is gone */
	MACH_EVENT_SUSPENDED,		/* task_suspend */
	MACH_EVENT_RESUMED,		/* task_resume */
	MACH_EVENT_TELEPORTED,		/* norma_task_teleport moved it */
	MACH_EVENT_EXCEPTION,		/* an exception was raised (not yet sent) */
	MACH_EVENT_PORT_DESTROYED,	/* a port died with senders waiting */
};

/* Why a task ended (MACH_A_EVENT_REASON). */
enum {
	MACH_END_TERMINATED = 1,	/* task_terminate, or no one could reach it */
	MACH_END_EXITED,		/* its process exited by itself */
	MACH_END_KILLED,		/* by a signal */
	MACH_END_TELEPORTED,		/* it moved into its child */
};

/* What a port stands for (MACH_A_PORT_OBJECT). */
enum {
	MACH_OBJECT_NONE,		/* an ordinary port */
	MACH_OBJECT_TASK,		/* a task's control port */
	MACH_OBJECT_TASK_NAME,
	MACH_OBJECT_THREAD,
	MACH_OBJECT_HOST,		/* the host name port */
	MACH_OBJECT_HOST_PRIV,
	MACH_OBJECT_HOST_SECURITY,
	MACH_OBJECT_LEDGER,
};

enum {
	MACH_CMD_UNSPEC,
	MACH_CMD_HOST_GET,
	MACH_CMD_TASK_GET,
	MACH_CMD_THREAD_GET,
	MACH_CMD_PORT_GET,
	MACH_CMD_EVENT,		/* only sent, to MACH_GENL_MCGRP_EVENTS */
	MACH_CMD_TASK_SUSPEND,	/* CAP_SYS_ADMIN */
	MACH_CMD_TASK_RESUME,	/* CAP_SYS_ADMIN */
	MACH_CMD_TASK_TERMINATE,	/* CAP_SYS_ADMIN */
	__MACH_CMD_MAX,
};
#define MACH_CMD_MAX (__MACH_CMD_MAX - 1)

enum {
	MACH_ORIGIN_SELF,		/* opened /dev/mach itself */
	MACH_ORIGIN_TASK_CREATE,
	MACH_ORIGIN_NORMA,		/* norma_task_create: placed on a node */
	MACH_ORIGIN_CLONE,		/* norma_task_clone */
	MACH_ORIGIN_TELEPORT,		/* norma_task_teleport */
	MACH_ORIGIN_TOKEN,		/* made with a security token */
};

enum {
	MACH_THREAD_STATE_RUNNING = 1,	/* TH_STATE_* of the anchors */
	MACH_THREAD_STATE_STOPPED,
	MACH_THREAD_STATE_WAITING,
	MACH_THREAD_STATE_UNINTERRUPTIBLE,
	MACH_THREAD_STATE_HALTED,
};

enum {
	MACH_A_UNSPEC,
	MACH_A_PAD,
	/* host */
	MACH_A_HOST_VERSION,
	MACH_A_HOST_ABI,
	MACH_A_HOST_TASKS,
	MACH_A_HOST_GENERATION,
	MACH_A_HOST_NODES,
	/* task */
	MACH_A_TASK_PID,
	MACH_A_TASK_PPID,
	MACH_A_TASK_ORIGIN,
	MACH_A_TASK_NODE,
	MACH_A_TASK_SUSPEND,
	MACH_A_TASK_THREADS,
	MACH_A_TASK_MACH_THREADS,
	MACH_A_TASK_PORTS,
	MACH_A_TASK_UID,
	MACH_A_TASK_STATS,
	MACH_A_TASK_SECURITY,
	MACH_A_TASK_AUDIT,
	/* thread */
	MACH_A_THREAD_TID,
	MACH_A_THREAD_STATE,
	MACH_A_THREAD_AGENT,
	MACH_A_THREAD_STATS,
	/* port */
	MACH_A_PORT_NAME,
	MACH_A_PORT_TYPE,
	MACH_A_PORT_UREFS,
	MACH_A_PORT_QLIMIT,
	MACH_A_PORT_MSGCOUNT,
	MACH_A_PORT_SEQNO,
	MACH_A_PORT_KERNEL,
	/* event */
	MACH_A_EVENT_TYPE,
	MACH_A_EVENT_TIME_NS,
	/* added in the same version: new attributes go at the end */
	MACH_A_TASK_PARENT,
	MACH_A_TASK_PORT,
	MACH_A_TASK_RIGHTS,
	MACH_A_TASK_EXC_MASK,
	MACH_A_THREAD_SUSPEND,
	MACH_A_PORT_OBJECT,
	MACH_A_PORT_REQUESTS,
	MACH_A_PORT_WAITERS,
	MACH_A_EVENT_REASON,
	MACH_A_EVENT_STATUS,
	MACH_A_EVENT_CHILD,
	MACH_A_EVENT_EXCEPTION,
	MACH_A_THREAD_SPARE,
	__MACH_A_MAX,
};
#define MACH_A_MAX (__MACH_A_MAX - 1)

/* In MACH_A_HOST_NODES. */
enum {
	MACH_A_NODE_UNSPEC,
	MACH_A_NODE_PAD,
	MACH_A_NODE,
	MACH_A_NODE_ID,
	MACH_A_NODE_CPUS,
	MACH_A_NODE_MEM_TOTAL,
	MACH_A_NODE_MEM_FREE,
	__MACH_A_NODE_MAX,
};
#define MACH_A_NODE_MAX (__MACH_A_NODE_MAX - 1)

/* In MACH_A_TASK_STATS and MACH_A_THREAD_STATS. */
enum {
	MACH_A_STAT_UNSPEC,
	MACH_A_STAT_PAD,
	MACH_A_STAT_VIRTUAL,
	MACH_A_STAT_RESIDENT,
	MACH_A_STAT_USER_NS,
	MACH_A_STAT_SYSTEM_NS,
	__MACH_A_STAT_MAX,
};
#define MACH_A_STAT_MAX (__MACH_A_STAT_MAX - 1)

/* In MACH_A_TASK_RIGHTS. */
enum {
	MACH_A_RIGHTS_UNSPEC,
	MACH_A_RIGHTS_PAD,
	MACH_A_RIGHTS_SEND,
	MACH_A_RIGHTS_RECEIVE,
	MACH_A_RIGHTS_SEND_ONCE,
	MACH_A_RIGHTS_PORT_SET,
	MACH_A_RIGHTS_DEAD_NAME,
	__MACH_A_RIGHTS_MAX,
};
#define MACH_A_RIGHTS_MAX (__MACH_A_RIGHTS_MAX - 1)

/* In MACH_A_PORT_REQUESTS. */
enum {
	MACH_A_REQ_UNSPEC,
	MACH_A_REQ_PAD,
	MACH_A_REQ_NO_SENDERS,
	MACH_A_REQ_PORT_DESTROYED,
	MACH_A_REQ_DEAD_NAME,
	__MACH_A_REQ_MAX,
};
#define MACH_A_REQ_MAX (__MACH_A_REQ_MAX - 1)

/* In MACH_A_TASK_SECURITY and MACH_A_TASK_AUDIT, in order. */
enum {
	MACH_A_TOKEN_UNSPEC,
	MACH_A_TOKEN_WORD,
	__MACH_A_TOKEN_MAX,
};

#endif /* _UAPI_MACH_NETLINK_H */
