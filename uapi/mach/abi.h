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
#define MACH_FEATURE_SEMAPHORES	(1U << 8)	/* MACH_IOC_SEMAPHORE */
#define MACH_FEATURE_VM_MAP	(1U << 9)	/* MACH_IOC_VM_MAP, memory entries */
#define MACH_FEATURE_PORT_CALLS	(1U << 10)	/* MACH_PORT_OP_CONSTRUCT .. _SPACE_BASIC_INFO */
#define MACH_FEATURE_HOST_STATS	(1U << 11)	/* MACH_HOST_STATISTICS .. PSET_INFO */
#define MACH_FEATURE_TASK_CALLS	(1U << 12)	/* MACH_TASK_SUSPEND2 ... NAME_FOR_PID */
#define MACH_FEATURE_THREAD_CALLS	(1U << 14)	/* MACH_THREAD_CREATE_RUNNING to _POLICY_SET */
#define MACH_FEATURE_TRAPS	(1U << 15)	/* MACH_IOC_NR_TRAP_* */

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
	MACH_IOC_NR_SEMAPHORE		= 0x0f,
	MACH_IOC_NR_VM_MAP		= 0x10,
	MACH_IOC_NR_COUNT
};

/*
 * The traps' numbers (uapi/mach/ioctl.h): calls whose arguments fit in
 * the ioctl's own argument, as XNU's traps take theirs in registers, so
 * that nothing is copied in or out.
 */
enum {
	MACH_IOC_NR_TRAP_SEMAPHORE_SIGNAL	= 0x50,
	MACH_IOC_NR_TRAP_SEMAPHORE_WAIT		= 0x51,
	MACH_IOC_NR_TRAP_TASK_SELF		= 0x52,
	MACH_IOC_NR_TRAP_PORT_DEALLOCATE	= 0x53,
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
	/*
	 * info = user address of struct mach_port_construct_info -> name.
	 * The calls below that take or give a 64-bit guard or context carry
	 * it in info itself.
	 */
	MACH_PORT_OP_CONSTRUCT		= 15,
	MACH_PORT_OP_DESTRUCT		= 16,	/* name, delta = srdelta, info = guard */
	MACH_PORT_OP_GUARD		= 17,	/* name, info = guard, value = strict */
	MACH_PORT_OP_UNGUARD		= 18,	/* name, info = guard */
	MACH_PORT_OP_GET_CONTEXT	= 19,	/* name -> info */
	MACH_PORT_OP_SET_CONTEXT	= 20,	/* name, info */
	MACH_PORT_OP_RENAME		= 21,	/* name = old, poly = new */
	MACH_PORT_OP_ALLOCATE_NAME	= 22,	/* right, name */
	MACH_PORT_OP_INSERT_MEMBER	= 23,	/* name, poly = set */
	MACH_PORT_OP_EXTRACT_MEMBER	= 24,	/* name, poly = set */
	/*
	 * name, right = trailer type, value = seqno (in: 0 for the first;
	 * out: the message's), count = room in bytes at info for the trailer
	 * (out: its size) -> poly = the message's size, delta = its id.
	 */
	MACH_PORT_OP_PEEK		= 25,
	MACH_PORT_OP_GET_SRIGHTS	= 26,	/* name -> value */
	MACH_PORT_OP_SET_SEQNO		= 27,	/* name, value */
	MACH_PORT_OP_KOBJECT		= 28,	/* name -> value = IKOT type, info = 0 */
	/*
	 * count = capacity of info in struct mach_port_name_info; out: how
	 * many names there are (KERN_NO_SPACE if more than fit).
	 */
	MACH_PORT_OP_SPACE_INFO		= 29,
	MACH_PORT_OP_GUARD_WITH_FLAGS	= 30,	/* name, info = guard, value = MPG_ flags */
	/* name, info = the old guard; the new one's low 32 bits in value, high in count */
	MACH_PORT_OP_SWAP_GUARD		= 31,
	MACH_PORT_OP_SPACE_BASIC_INFO	= 32,	/* -> value = names in use */
};

/* MACH_PORT_OP_CONSTRUCT's argument: mach_port_options_t and the context. */
struct mach_port_construct_info {
	__u32 options[6];	/* mach_port_options_t: flags, qlimit, the union */
	__u64 context;
};

/* One name of MACH_PORT_OP_SPACE_INFO: ipc_info_name_t. */
struct mach_port_name_info {
	__u32 name;
	__u32 collision;	/* 0 */
	__u32 type;		/* MACH_PORT_TYPE_* bits */
	__u32 urefs;
	__u32 object;		/* a number for the port alone (0 for a dead name) */
	__u32 next;		/* 0 */
	__u32 hash;		/* 0 */
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

/*
 * MACH_IOC_MSG_OVERWRITE: mach_msg_overwrite(msg, ..., rcv_msg, ...): as
 * MACH_IOC_MSG, but the receive writes into rcv_msg (0: into msg). The
 * same ioctl number with this longer struct; MACH_IOC_MSG is the case of
 * rcv_msg 0.
 */
struct mach_msg_overwrite_args {
	struct mach_msg_args args;
	__u64 rcv_msg;		/* in: user address of the receive buffer */
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
	MACH_TASK_SUSPEND2	= 6,	/* value out: the suspension token's name */
	MACH_TASK_IS_SELF	= 7,	/* task: any of its ports; value out: boolean */
	MACH_TASK_FOR_PID	= 8,	/* value: pid in, the task port's name out */
	MACH_TASK_NAME_FOR_PID	= 9,	/* value: pid in, the name port's name out */
};
/*
 * SUSPEND2 (task_suspend2) suspends the task and gives a send-once right
 * to its resume port: task_resume2 is a message sent to that right (XNU's
 * id 3437), and dropping the right unused resumes the task too.
 * TASK_FOR_PID and NAME_FOR_PID (task_for_pid, task_name_for_pid): task
 * is a send right to the caller's own task; the answer is KERN_FAILURE
 * unless the caller may ptrace-attach the process (with its real
 * credentials), or for a name port read its /proc/PID/status.
 */
struct mach_task_control_args {
	__u32 task;		/* in: send right to the task */
	__u32 op;		/* in: MACH_TASK_* */
	__u32 flags;		/* in: zero */
	__u32 value;		/* in: SAMPLE's port, *_FOR_PID's pid, else zero; out: see ops */
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
	MACH_VM_BEHAVIOR	= 9,	/* address, size, value = vm_behavior_t */
	/* address, size, value = vm_prot_t (NONE: unwire), data = host priv name */
	MACH_VM_WIRE		= 10,
	/* 11 to 13: struct mach_vm_map_args (MACH_IOC_VM_MAP) */
};
#define MACH_VM_ANYWHERE	(1U << 0)	/* ALLOCATE: VM_FLAGS_ANYWHERE */
#define MACH_VM_SET_MAXIMUM	(1U << 1)	/* PROTECT: set_maximum */
#define MACH_VM_OVERWRITE	(1U << 2)	/* ALLOCATE: VM_FLAGS_OVERWRITE */

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
 * MACH_IOC_VM_MAP: mappings of memory entries, and the entries. An entry
 * is a kernel port (a send right): the memory it names can be mapped into
 * any task, shared. flags are vm_map's VM_FLAGS_* as the caller gave them.
 */
enum mach_vm_map_op {
	/*
	 * vm_map: object = an entry's name, or 0 for fresh zero-fill memory;
	 * offset into it, size (0: the rest of the entry), mask, flags, copy,
	 * cur_ and max_protection, inheritance -> address (in: if FIXED).
	 */
	MACH_VM_MAP		= 11,
	/*
	 * vm_remap: object = the source task, offset = the source address,
	 * size, mask, flags, copy, inheritance -> address, cur_ and
	 * max_protection (out).
	 */
	MACH_VM_REMAP		= 12,
	/*
	 * mach_make_memory_entry_64: task, offset = the address, size (in;
	 * out: rounded), cur_protection = permission, object = parent entry
	 * or 0 -> object = the new entry's name (0: none made).
	 */
	MACH_VM_MAKE_ENTRY	= 13,
};
struct mach_vm_map_args {
	__u32 op;		/* in: MACH_VM_MAP, _REMAP, _MAKE_ENTRY */
	__u32 task;		/* in: send right to the target task */
	__u64 address;		/* in/out */
	__u64 size;		/* in/out */
	__u64 mask;		/* in: alignment mask of the address */
	__u64 offset;		/* in: see the ops */
	__u32 object;		/* in: see the ops; out: MAKE_ENTRY's entry */
	__u32 flags;		/* in: VM_FLAGS_* */
	__u32 cur_protection;	/* in/out */
	__u32 max_protection;	/* in/out */
	__u32 inheritance;	/* in */
	__u32 copy;		/* in: boolean_t */
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
 * MACH_IOC_HOST: the host's calls, and those of its clocks and processor
 * set. host is a send right to one of the host's ports (or a clock's or
 * the processor set's, as said); which one a call needs is the anchors'
 * rule. Memory handed back out of line (PROCESSOR_INFO, PSET_TASKS,
 * PSET_THREADS) is fresh pages of the caller's at data, count items
 * long (none if 0), that the caller deallocates as after vm_allocate.
 */
enum mach_host_op {
	MACH_HOST_GET_SPECIAL_PORT = 1,	/* node, which -> port */
	MACH_HOST_INFO		= 2,	/* which = flavor; count (room; out), data */
	MACH_HOST_SET_TASK_TOKEN = 3,	/* port = task, task_host, data = tokens */
	MACH_HOST_STATISTICS	= 4,	/* which = flavor; count (room; out), data */
	MACH_HOST_STATISTICS64	= 5,	/* the same, host_statistics64 */
	/* which = flavor -> port = processor count, data, count (words) */
	MACH_HOST_PROCESSOR_INFO = 6,
	MACH_HOST_CLOCK_SERVICE	= 7,	/* which = clock_id_t -> port */
	/* host = a clock -> data: user address of a mach_timespec_t */
	MACH_HOST_CLOCK_GET_TIME = 8,
	/* host = a clock; which = flavor; count (room; out), data */
	MACH_HOST_CLOCK_ATTRIBUTES = 9,
	MACH_HOST_PSET_DEFAULT	= 10,	/* -> port: the default set's name port */
	/* host = host_priv; port = the set's name port (in) -> its control port */
	MACH_HOST_PSET_PRIV	= 11,
	/* host = a set's control port -> data, count (send rights' names) */
	MACH_HOST_PSET_TASKS	= 12,
	MACH_HOST_PSET_THREADS	= 13,
	MACH_HOST_SET_SPECIAL_PORT = 14,	/* host = host_priv; which, port */
	/* host = a set's name port; which = flavor; count, data -> port = host */
	MACH_HOST_PSET_INFO	= 15,
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

/*
 * MACH_IOC_SEMAPHORE: semaphore_create and semaphore_destroy on a task,
 * and XNU's semaphore traps on the caller's names of semaphores. A
 * semaphore is a kernel port: its name is a send right, and the
 * semaphore lives while send rights to it do (destroyed, or its task
 * gone, the port stays, and calls on it answer KERN_TERMINATED).
 * DESTROY consumes one user reference of the name, as MIG's move-send.
 * The waits return what the traps do (KERN_OPERATION_TIMED_OUT, KERN_ABORTED
 * for a signal to handle, KERN_TERMINATED); a thread stopped while it
 * waits (task_suspend) waits again once resumed, and thread_abort ends
 * its wait with -1 and EINTR (libmach: KERN_ABORTED). With
 * MACH_SEMAPHORE_TIMED the wait lasts at most sec and nsec (0 and 0:
 * not at all).
 */
enum mach_semaphore_op {
	MACH_SEMAPHORE_CREATE	= 1,	/* task, policy, value -> semaphore */
	MACH_SEMAPHORE_DESTROY	= 2,	/* task, semaphore */
	MACH_SEMAPHORE_SIGNAL	= 3,	/* semaphore */
	MACH_SEMAPHORE_SIGNAL_ALL = 4,	/* semaphore */
	MACH_SEMAPHORE_SIGNAL_THREAD = 5, /* semaphore, thread (or null: any) */
	MACH_SEMAPHORE_WAIT	= 6,	/* semaphore */
	MACH_SEMAPHORE_WAIT_SIGNAL = 7,	/* semaphore (waited on), signal */
};
#define MACH_SEMAPHORE_TIMED	(1U << 0)	/* WAIT, WAIT_SIGNAL: sec, nsec */
struct mach_semaphore_args {
	__u32 op;		/* in: MACH_SEMAPHORE_* */
	__u32 flags;		/* in: MACH_SEMAPHORE_TIMED or zero */
	__u32 task;		/* in: CREATE, DESTROY: send right to the task */
	__u32 semaphore;	/* in; out: CREATE's new send right */
	__u32 signal;		/* in: WAIT_SIGNAL's semaphore to signal */
	__u32 thread;		/* in: SIGNAL_THREAD's thread, or null */
	__s32 policy;		/* in: CREATE's sync_policy_t */
	__s32 value;		/* in: CREATE's initial count */
	__u32 sec;		/* in: with TIMED, mach_timespec_t */
	__s32 nsec;
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
MACH_ABI_ASSERT(sizeof(struct mach_port_construct_info) == 32, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_port_name_info) == 28, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_msg_args) == 32, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_msg_overwrite_args) == 40, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_special_port_args) == 16, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_ports_args) == 24, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_exception_ports_args) == 64, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_create_args) == 32, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_control_args) == 16, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_vm_args) == 56, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_thread_args) == 32, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_vm_map_args) == 64, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_tokens) == 40, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_host_args) == 40, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_task_create_token_args) == 48, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_sample) == 16, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_semaphore_args) == 40, "abi");
MACH_ABI_ASSERT(sizeof(struct mach_sample_body) == 16 + 16 * MACH_SAMPLE_MAX, "abi");
#undef MACH_ABI_ASSERT

#endif /* _UAPI_MACH_ABI_H */
