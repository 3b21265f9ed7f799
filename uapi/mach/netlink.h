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
 *   MACH_A_TASK_ORIGIN       u32  MACH_ORIGIN_*
 *   MACH_A_TASK_NODE         u32  node placed on, or absent
 *   MACH_A_TASK_SUSPEND      u32  suspend count
 *   MACH_A_TASK_THREADS      u32  Linux threads (the agent included)
 *   MACH_A_TASK_MACH_THREADS u32  Mach threads
 *   MACH_A_TASK_PORTS        u32  names in its space
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
 *
 * MACH_CMD_EVENT (multicast to the group MACH_GENL_MCGRP_EVENTS, which
 * only CAP_SYS_ADMIN may join; listeners in the initial network
 * namespace), one message an event, in the order they happened:
 *   MACH_A_EVENT_TYPE        u32  MACH_EVENT_*
 *   MACH_A_EVENT_TIME_NS     u64  CLOCK_REALTIME
 *   MACH_A_TASK_PID          u32  in the initial pid namespace
 *   MACH_A_TASK_PPID         u32  (CREATED) its Linux parent
 *   MACH_A_TASK_ORIGIN       u32  (CREATED) as known when it registered:
 *                                 task_create or self
 *   MACH_A_TASK_SUSPEND      u32  (SUSPENDED, RESUMED) the count after it
 *
 the task list's generation: a dump during which
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
};

enum {
	MACH_CMD_UNSPEC,
	MACH_CMD_HOST_GET,
	MACH_CMD_TASK_GET,
	MACH_CMD_THREAD_GET,
	MACH_CMD_PORT_GET,
	MACH_CMD_EVENT,		/* only sent, to MACH_GENL_MCGRP_EVENTS */
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

/* In MACH_A_TASK_SECURITY and MACH_A_TASK_AUDIT, in order. */
enum {
	MACH_A_TOKEN_UNSPEC,
	MACH_A_TOKEN_WORD,
	__MACH_A_TOKEN_MAX,
};

#endif /* _UAPI_MACH_NETLINK_H */
