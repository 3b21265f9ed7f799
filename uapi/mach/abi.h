/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The ioctl ABI of /dev/mach, shared by mach.ko and libmach.
 *
 * Every call is one ioctl on an open /dev/mach whose argument is one of
 * the fixed-layout structs below: __u32/__u64 only, user pointers as
 * __u64, explicit padding. A shipped struct never changes; a new need
 * gets a new ioctl number or a flag bit.
 *
 * Return value of every ioctl:
 *   >= 0  the call was carried out or refused by Mach: the value is a
 *         kern_return_t (KERN_SUCCESS, KERN_INVALID_NAME,
 *         MACH_SEND_INVALID_DEST, ...), exactly what the Mach call returns;
 *   -1    the request itself was malformed, errno says how:
 *         ENOTTY  unknown ioctl number (or a size the number does not fit),
 *         EINVAL  unknown flag bits or non-zero padding/reserved fields,
 *         EFAULT  an argument or buffer address is not readable/writable,
 *         EBADF   this /dev/mach descriptor belongs to another process's
 *                 task (it was inherited by fork or passed over a socket),
 *         ENOMEM  the kernel could not allocate what the call needs,
 *         EREMOTE the port the call is made on is an ordinary port, no
 *                 kernel object's: the caller sends the call to it as
 *                 XNU's MIG request instead, for whoever holds its
 *                 receive right to answer (libmach does; the message
 *                 front end serves the same requests sent to a kernel
 *                 object's port).
 *
 * Port names are the numbers of file descriptors in the calling process
 * that hold the right; name 0 is MACH_PORT_NULL and never a right.
 */
#ifndef _UAPI_MACH_ABI_H
#define _UAPI_MACH_ABI_H

#ifndef MACH_ABI_NO_LINUX_TYPES
#include <linux/types.h>
#endif

#define MACH_ABI_VERSION	1

/* Bits of mach_version_args.features: what this module implements. */
#define MACH_FEATURE_TASK_SELF	(1U << 0)
#define MACH_FEATURE_TASK_INFO	(1U << 1)
#define MACH_FEATURE_PORTS	(1U << 2)
#define MACH_FEATURE_MSG	(1U << 3)
#define MACH_FEATURE_TASKS	(1U << 4)
#define MACH_FEATURE_HOST	(1U << 5)
#define MACH_FEATURE_EXCEPTION_LEVELS	(1U << 6)	/* MACH_EXCEPTION_PORTS_THREAD, _HOST */
#define MACH_FEATURE_SAMPLE	(1U << 7)	/* MACH_TASK_SAMPLE */
#define MACH_FEATURE_THREAD_CALLS	(1U << 14)	/* MACH_THREAD_CREATE_RUNNING to _POLICY_SET */

enum mach_ioc_nr {
	MACH_IOC_NR_VERSION		= 0x00,
	MACH_IOC_NR_TASK_SELF		= 0x01,
	MACH_IOC_NR_TASK_INFO		= 0x02,
	MACH_IOC_NR_PORT_DEALLOCATE	= 0x03,
	MACH_IOC_NR_PORT		= 0x04,
	MACH_IOC_NR_MSG			= 0x05,
	MACH_IOC_NR_SPECIAL_PORT	= 0x06,
	MACH_IOC_NR_TASK_PORTS		= 0x07,
	MACH_IOC_NR_EXCEPTION_PORTS	= 0x08,
	MACH_IOC_NR_TASK_CREATE		= 0x09,
	MACH_IOC_NR_TASK_CONTROL	= 0x0a,
	MACH_IOC_NR_VM			= 0x0b,
	MACH_IOC_NR_THREAD		= 0x0c,
	MACH_IOC_NR_HOST		= 0x0d,
	MACH_IOC_NR_TASK_CREATE_TOKEN	= 0x0e,
	MACH_IOC_NR_COUNT
};

/* MACH_IOC_VERSION: what the loaded module speaks. */
struct mach_version_args {
	__u32 abi_version;	/* out: MACH_ABI_VERSION */
	__u32 features;		/* out: MACH_FEATURE_* */
	__u64 reserved[2];	/* out: zero */
};

/*
 * MACH_IOC_TASK_SELF: a send right to the caller's own task port
 * (task_self_trap). A second call coalesces into the same name with
 * one more user reference, as in Mach.
 */
struct mach_task_self_args {
	__u32 name;		/* out: the port name */
	__u32 flags;		/* in: zero */
};

/* MACH_IOC_TASK_INFO: task_info(task, flavor, info, &count). */
struct mach_task_info_args {
	__u32 task;		/* in: send right to a task port */
	__u32 flavor;		/* in: TASK_BASIC_INFO_64, MACH_TASK_BASIC_INFO, ... */
	__u32 count;		/* in: capacity of info in natural_t; out: used */
	__u32 flags;		/* in: zero */
	__u64 info;		/* in: user address of count natural_t */
};

/* MACH_IOC_PORT_DEALLOCATE: mach_port_deallocate(task, name). */
struct mach_port_deallocate_args {
	__u32 task;		/* in: send right to a task port */
	__u32 name;		/* in: name in that task's space */
	__u32 flags;		/* in: zero */
	__u32 pad;		/* in: zero */
};

/* MACH_IOC_PORT: the mach_port_* family, one op per call. */
enum mach_port_op {
	MACH_PORT_OP_ALLOCATE		= 1,	/* right -> name */
	MACH_PORT_OP_DESTROY		= 2,	/* name */
	MACH_PORT_OP_MOD_REFS		= 3,	/* name, right, delta */
	MACH_PORT_OP_GET_REFS		= 4,	/* name, right -> value */
	MACH_PORT_OP_TYPE		= 5,	/* name -> value */
	MACH_PORT_OP_INSERT_RIGHT	= 6,	/* name, poly, right = disposition */
	MACH_PORT_OP_GET_ATTRIBUTES	= 7,	/* name, right = flavor, info, count */
	MACH_PORT_OP_SET_ATTRIBUTES	= 8,	/* name, right = flavor, info, count */
	MACH_PORT_OP_SET_MSCOUNT	= 9,	/* name, value */
	/*
	 * name, right = notification id, value = sync (in) and the previous
	 * send-once right's name (out), poly = the notify port's name and
	 * delta = its disposition (MAKE_SEND_ONCE or MOVE_SEND_ONCE).
	 */
	MACH_PORT_OP_REQUEST_NOTIFICATION = 10,
	MACH_PORT_OP_MOVE_MEMBER	= 11,	/* name = member, poly = set or 0 */
	/*
	 * count = capacity of info in (name, type) pairs; out: how many
	 * names there are (KERN_NO_SPACE if more than fit).
	 */
	MACH_PORT_OP_NAMES		= 12,
	/* name, right = disposition -> poly = the caller's name, value = type */
	MACH_PORT_OP_EXTRACT_RIGHT	= 13,
	/* name = a port set; count and info as for NAMES, but single names */
	MACH_PORT_OP_GET_SET_STATUS	= 14,
};

struct mach_port_args {
	__u32 op;		/* in: MACH_PORT_OP_* */
	__u32 task;		/* in: send right to the task whose space is meant */
	__u32 name;		/* in/out: the name operated on */
	__u32 right;		/* in: mach_port_right_t, disposition or flavor */
	__s32 delta;		/* in: MOD_REFS */
	__u32 poly;		/* in: INSERT_RIGHT: the caller's name of the right */
	__u32 value;		/* in/out: refs, type bits, make-send count */
	__u32 count;		/* in/out: attributes, in natural_t */
	__u64 info;		/* in: user address of the attributes */
	__u32 flags;		/* in: zero */
	__u32 pad;		/* in: zero */
};

/*
 * MACH_IOC_MSG: mach_msg(msg, option, send_size, rcv_size, rcv_name,
 * timeout, notify). Send and receive in one call when both are asked.
 */
struct mach_msg_args {
	__u64 msg;		/* in: user address of the message buffer */
	__u32 option;		/* in: MACH_SEND_MSG | MACH_RCV_MSG | ... */
	__u32 send_size;	/* in */
	__u32 rcv_size;		/* in */
	__u32 rcv_name;		/* in */
	__u32 timeout;		/* in: milliseconds, with *_TIMEOUT */
	__u32 notify;		/* in: MACH_PORT_NULL */
};

/* MACH_IOC_SPECIAL_PORT: task_get_special_port / task_set_special_port. */
#define MACH_SPECIAL_PORT_SET	(1U << 0)
struct mach_special_port_args {
	__u32 task;		/* in: send right to the task */
	__u32 which;		/* in: TASK_*_PORT */
	__u32 port;		/* in (set) or out (get): a send right's name */
	__u32 flags;		/* in: MACH_SPECIAL_PORT_SET or zero */
};

/* MACH_IOC_TASK_PORTS: mach_ports_register (SET) and mach_ports_lookup. */
#define MACH_TASK_PORTS_MAX	3	/* TASK_PORT_REGISTER_MAX */
#define MACH_TASK_PORTS_SET	(1U << 0)
struct mach_task_ports_args {
	__u32 task;		/* in: send right to the task */
	__u32 count;		/* in (set) or out (lookup) */
	__u32 flags;		/* in: MACH_TASK_PORTS_SET or zero */
	__u32 names[MACH_TASK_PORTS_MAX];	/* in (set) or out (lookup) */
};

/*
 * MACH_IOC_EXCEPTION_PORTS: task_get/set/swap_exception_ports, and with
 * THREAD or HOST (one at most) the thread_* or host_* forms, on the
 * thread or on the host's privileged port that task names (any other
 * port: KERN_INVALID_ARGUMENT, the host name port too). With GET the
 * handlers for mask are written to the four user arrays (count in: their
 * capacity, out: the handler groups); with SET port, behavior and flavor
 * become the handlers for mask; with both, the old ones are read and the
 * new ones set in one step (swap). The module has THREAD and HOST if
 * MACH_FEATURE_EXCEPTION_LEVELS is in its features.
 */
#define MACH_EXCEPTION_PORTS_SET	(1U << 0)
#define MACH_EXCEPTION_PORTS_GET	(1U << 1)
#define MACH_EXCEPTION_PORTS_THREAD	(1U << 2)	/* task names a thread */
#define MACH_EXCEPTION_PORTS_HOST	(1U << 3)	/* task names host_priv */
struct mach_exception_ports_args {
	__u32 task;		/* in: send right to the task (thread, host) */
	__u32 mask;		/* in: exception_mask_t */
	__u32 port;		/* in: a send right's name, or MACH_PORT_NULL */
	__u32 behavior;		/* in */
	__u32 flavor;		/* in */
	__u32 flags;		/* in: MACH_EXCEPTION_PORTS_* */
	__u32 count;		/* in/out */
	__u32 pad;		/* in: zero */
	__u64 masks;		/* in: user addresses of the output arrays */
	__u64 ports;
	__u64 behaviors;
	__u64 flavors;
};

/*
 * MACH_IOC_TASK_CREATE: task_create(parent, ledgers, ledger_count,
 * inherit_memory, &child), and the NORMA calls by flag. The caller must
 * have started its agent if parent is its own task (libmach does, at
 * first use).
 */
#define MACH_TASK_CREATE_ON_NODE	(1U << 0)	/* placed on node */
#define MACH_TASK_CREATE_CLONE		(1U << 1)	/* norma_task_clone */
#define MACH_TASK_CREATE_TELEPORT	(1U << 2)	/* norma_task_teleport */
struct mach_task_create_args {
	__u32 parent;		/* in: send right to the parent task */
	__u32 inherit_memory;	/* in: boolean_t */
	__u64 ledgers;		/* in: user address of ledger_count names */
	__u32 ledger_count;	/* in */
	__u32 child;		/* out: send right to the new task's port */
	__u32 flags;		/* in: MACH_TASK_CREATE_* */
	__u32 node;		/* in: with MACH_TASK_CREATE_ON_NODE; else zero */
};

/*
 * MACH_IOC_TASK_CONTROL: task_suspend, task_resume, task_terminate,
 * pid_for_task (the pid of the task's process, in the caller's pid
 * namespace; 0 if it has none there), and task_sample (value: the name
 * of a receive right, from which the sample port's send right is made,
 * as MIG's mach_port_make_send_t; MACH_PORT_NULL stops sampling).
 */
enum mach_task_control_op {
	MACH_TASK_SUSPEND	= 1,
	MACH_TASK_RESUME	= 2,
	MACH_TASK_TERMINATE	= 3,
	MACH_TASK_PID		= 4,
	MACH_TASK_SAMPLE	= 5,
};
struct mach_task_control_args {
	__u32 task;		/* in: send right to the task */
	__u32 op;		/* in: MACH_TASK_* */
	__u32 flags;		/* in: zero */
	__u32 value;		/* in: SAMPLE's port, else zero; out: PID's answer */
};

/*
 * The messages task_sample's port receives. While a task has a sample
 * port, each of its threads (not its agent) has its user program counter
 * sampled once per MACH_SAMPLE_PERIOD_NS of the thread's time on a CPU
 * (user and system: inside a system call, the pc is where it returns to);
 * the samples are sent to the port, from process context, in simple
 * messages of at most MACH_SAMPLE_MAX samples: at most
 * MACH_SAMPLE_FLUSH_MS after the first of them was taken, at once when
 * MACH_SAMPLE_MAX are waiting. After the mach_msg_header_t (msgh_id
 * MACH_SAMPLE_MSG_ID, sent through a send right, no reply port;
 * msgh_size 40 + 16 * count) comes struct mach_sample_body, cut after
 * its count samples; the trailer's tokens are the kernel's (zero). A
 * port whose queue is full loses the batch rather than holding the task:
 * dropped counts the samples lost since the previous message that was
 * delivered. The samples taken before the port is replaced or cleared,
 * or the task ends, are sent to it first.
 */
#define MACH_SAMPLE_MSG_ID	34220
#define MACH_SAMPLE_MAX		64
#define MACH_SAMPLE_PERIOD_NS	10000000ULL	/* 10 ms */
#define MACH_SAMPLE_FLUSH_MS	100
struct mach_sample {
	__u64 thread;		/* its tid, as gettid() returns it in the task */
	__u64 pc;		/* its user instruction pointer */
};
struct mach_sample_body {
	__u32 ndr[2];		/* NDR_record */
	__u32 count;		/* samples that follow, 1 to MACH_SAMPLE_MAX */
	__u32 dropped;		/* samples lost since the last message delivered */
	struct mach_sample samples[MACH_SAMPLE_MAX];
};

/*
 * MACH_IOC_VM: the vm_* calls on any task's address space. Addresses and
 * sizes are the caller's, unrounded: the module rounds them as Mach does.
 */
enum mach_vm_op {
	MACH_VM_ALLOCATE	= 1,	/* address (in: if FIXED; out), size */
	MACH_VM_DEALLOCATE	= 2,	/* address, size */
	MACH_VM_PROTECT		= 3,	/* address, size, value = vm_prot_t */
	MACH_VM_INHERIT		= 4,	/* address, size, value = vm_inherit_t */
	MACH_VM_READ		= 5,	/* address, size -> data (caller's buffer) */
	MACH_VM_WRITE		= 6,	/* data (caller's buffer) -> address, size */
	MACH_VM_COPY		= 7,	/* address, size -> data (the task's) */
	MACH_VM_REGION		= 8,	/* address (in/out), size (out), region */
};
#define MACH_VM_ANYWHERE	(1U << 0)	/* ALLOCATE: VM_FLAGS_ANYWHERE */
#define MACH_VM_SET_MAXIMUM	(1U << 1)	/* PROTECT: set_maximum */

struct mach_vm_args {
	__u32 op;		/* in: MACH_VM_* */
	__u32 task;		/* in: send right to the task */
	__u64 address;		/* in/out */
	__u64 size;		/* in/out */
	__u64 data;		/* in: see the ops */
	__u32 value;		/* in: protection or inheritance */
	__u32 flags;		/* in: MACH_VM_ANYWHERE, MACH_VM_SET_MAXIMUM */
	/* out, REGION: what vm_region_basic_info reports */
	__u32 protection;
	__u32 max_protection;
	__u32 inheritance;
	__u32 shared;		/* boolean_t */
};

/*
 * MACH_IOC_THREAD: thread_create, thread_resume, thread_suspend,
 * thread_terminate, thread_get_state, thread_set_state, task_threads,
 * thread_info, thread_abort; thread_create_running, thread_abort_safely,
 * thread_get/set_special_port, thread_policy_get/set.
 */
enum mach_thread_op {
	MACH_THREAD_CREATE	= 1,	/* port = task -> value = the thread's name */
	MACH_THREAD_RESUME	= 2,	/* port = thread */
	MACH_THREAD_SUSPEND	= 3,
	MACH_THREAD_TERMINATE	= 4,
	MACH_THREAD_GET_STATE	= 5,	/* flavor, count (in: room; out), data */
	MACH_THREAD_SET_STATE	= 6,	/* flavor, count, data */
	MACH_THREAD_LIST	= 7,	/* port = task; count (room; out), data */
	MACH_THREAD_SELF	= 8,	/* port = the caller's task -> value */
	MACH_THREAD_INFO	= 9,	/* flavor, count (room; out), data */
	MACH_THREAD_ABORT	= 10,	/* port = thread */
	/* MACH_FEATURE_THREAD_CALLS: */
	MACH_THREAD_CREATE_RUNNING = 11, /* port = task; flavor, count, data -> value */
	MACH_THREAD_ABORT_SAFELY = 12,	/* port = thread */
	MACH_THREAD_GET_SPECIAL_PORT = 13, /* flavor = which -> value = the right's name */
	MACH_THREAD_SET_SPECIAL_PORT = 14, /* flavor = which, value = a send right or 0 */
	/* flavor, count (in: room; out), data; value = get_default (in and out) */
	MACH_THREAD_POLICY_GET	= 15,
	MACH_THREAD_POLICY_SET	= 16,	/* flavor, count, data */
};
struct mach_thread_args {
	__u32 op;		/* in: MACH_THREAD_* */
	__u32 port;		/* in: a send right to the task or thread */
	__u32 flavor;		/* in: thread_state_flavor_t */
	__u32 count;		/* in/out: natural_t of state, or names */
	__u64 data;		/* in: user address of the state or the names */
	__u32 value;		/* out: CREATE's name; see the ops */
	__u32 flags;		/* in: zero */
};

/* security_token_t and audit_token_t, as XNU lays them out. */
struct mach_tokens {
	__u32 security[2];	/* uid, gid */
	__u32 audit[8];		/* auid, euid, egid, ruid, rgid, pid, asid, pidversion */
};

/*
 * MACH_IOC_HOST: the host's calls. host is a send right to one of the
 * host's ports; which one a call needs is the anchors' rule.
 */
enum mach_host_op {
	MACH_HOST_GET_SPECIAL_PORT = 1,	/* node, which -> port */
	MACH_HOST_INFO		= 2,	/* which = flavor; count (room; out), data */
	MACH_HOST_SET_TASK_TOKEN = 3,	/* port = task, task_host, data = tokens */
};
struct mach_host_args {
	__u32 op;		/* in: MACH_HOST_* */
	__u32 host;		/* in: a send right to a host port */
	__s32 node;		/* in: GET_SPECIAL_PORT's node */
	__u32 which;		/* in: HOST_*_PORT id, or host_flavor_t */
	__u32 port;		/* out: GET_SPECIAL_PORT; in: SET_TASK_TOKEN's task */
	__u32 count;		/* in/out: INFO's integer_t words */
	__u64 data;		/* in: user address of INFO's room or the tokens */
	__u32 task_host;	/* in: SET_TASK_TOKEN's host port for the task */
	__u32 flags;		/* in: zero */
};

/*
 * MACH_IOC_TASK_CREATE_TOKEN: host_security_create_task_token(). As
 * task_create(), with the host security port, the child's host port and
 * its tokens (a user address of struct mach_tokens).
 */
struct mach_task_create_token_args {
	struct mach_task_create_args create;
	__u32 host_security;	/* in: send right to the host security port */
	__u32 host;		/* in: the host port the child is to hold */
	__u64 tokens;		/* in: user address of struct mach_tokens */
};

#ifdef __cplusplus
#define MACH_ABI_ASSERT static_assert
#else
#define MACH_ABI_ASSERT _Static_assert
#endif
MACH_ABI_ASSERT(sizeof(struct mach_version_args) == 24, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_self_args) == 8, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_info_args) == 24, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_port_deallocate_args) == 16, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_port_args) == 48, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_msg_args) == 32, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_special_port_args) == 16, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_ports_args) == 24, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_exception_ports_args) == 64, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_create_args) == 32, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_control_args) == 16, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_vm_args) == 56, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_thread_args) == 32, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_tokens) == 40, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_host_args) == 40, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_create_token_args) == 48, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_sample) == 16, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_sample_body) == 16 + 16 * MACH_SAMPLE_MAX, "abi");
#undef MACH_ABI_ASSERT

#endif /* _UAPI_MACH_ABI_H */
