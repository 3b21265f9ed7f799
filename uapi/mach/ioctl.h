/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ioctl numbers of /dev/mach; the structs and conventions are in abi.h. */
#ifndef _UAPI_MACH_IOCTL_H
#define _UAPI_MACH_IOCTL_H

#include <linux/ioctl.h>
#include "abi.h"

#define MACH_DEVICE_PATH	"/dev/mach"
#define MACH_IOC_MAGIC		0xB9

#define MACH_IOC_VERSION \
	_IOR(MACH_IOC_MAGIC, MACH_IOC_NR_VERSION, struct mach_version_args)
#define MACH_IOC_TASK_SELF \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_SELF, struct mach_task_self_args)
#define MACH_IOC_TASK_INFO \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_INFO, struct mach_task_info_args)
#define MACH_IOC_PORT_DEALLOCATE \
	_IOW(MACH_IOC_MAGIC, MACH_IOC_NR_PORT_DEALLOCATE, \
	     struct mach_port_deallocate_args)

#define MACH_IOC_PORT \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_PORT, struct mach_port_args)
#define MACH_IOC_MSG \
	_IOW(MACH_IOC_MAGIC, MACH_IOC_NR_MSG, struct mach_msg_args)
#define MACH_IOC_MSG_OVERWRITE \
	_IOW(MACH_IOC_MAGIC, MACH_IOC_NR_MSG, struct mach_msg_overwrite_args)
#define MACH_IOC_SPECIAL_PORT \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_SPECIAL_PORT, \
	      struct mach_special_port_args)

#define MACH_IOC_TASK_PORTS \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_PORTS, struct mach_task_ports_args)
#define MACH_IOC_EXCEPTION_PORTS \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_EXCEPTION_PORTS, \
	      struct mach_exception_ports_args)

#define MACH_IOC_TASK_CREATE \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_CREATE, struct mach_task_create_args)
#define MACH_IOC_TASK_CONTROL \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_CONTROL, struct mach_task_control_args)
#define MACH_IOC_VM \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_VM, struct mach_vm_args)
#define MACH_IOC_THREAD \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_THREAD, struct mach_thread_args)
#define MACH_IOC_HOST \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_HOST, struct mach_host_args)
#define MACH_IOC_VM_MAP \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_VM_MAP, struct mach_vm_map_args)
#define MACH_IOC_TASK_CREATE_TOKEN \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_CREATE_TOKEN, \
	      struct mach_task_create_token_args)
#define MACH_IOC_SEMAPHORE \
	_IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_SEMAPHORE, struct mach_semaphore_args)

/*
 * Traps: the hottest calls, their arguments in the ioctl's argument as
 * XNU's traps take theirs in registers, with nothing copied in or out.
 * Each answers as the struct call it stands for.
 *
 * semaphore_signal and semaphore_wait: the argument is the name (its low
 * 32 bits); a kern_return_t, or -1 with EINTR for a wait thread_abort
 * ended (MACH_IOC_SEMAPHORE's answers).
 */
#define MACH_IOC_SEMAPHORE_SIGNAL \
	_IO(MACH_IOC_MAGIC, MACH_IOC_NR_TRAP_SEMAPHORE_SIGNAL)
#define MACH_IOC_SEMAPHORE_WAIT \
	_IO(MACH_IOC_MAGIC, MACH_IOC_NR_TRAP_SEMAPHORE_WAIT)
/* task_self_trap: no argument; the name, or MACH_PORT_NULL (0) as XNU. */
#define MACH_IOC_TASK_SELF_TRAP \
	_IO(MACH_IOC_MAGIC, MACH_IOC_NR_TRAP_TASK_SELF)
/*
 * mach_port_deallocate: the task's name in the high 32 bits, the name to
 * deallocate in the low; MACH_IOC_PORT_DEALLOCATE's answers.
 */
#define MACH_IOC_PORT_DEALLOCATE_TRAP \
	_IO(MACH_IOC_MAGIC, MACH_IOC_NR_TRAP_PORT_DEALLOCATE)

/*
 * The agent's ioctl (no struct): a thread libmach starts passes its
 * /dev/mach fd and becomes its task's agent; it never returns to its
 * caller (but with -1: EBADF, the fd is not the caller's own task's
 * /dev/mach; EBUSY, another thread is the agent; ENOMEM).
 */
#define MACH_IOC_AGENT		_IO(MACH_IOC_MAGIC, 0x40)
/*
 * Once that thread is started, the caller waits (up to 5 s; a fatal signal
 * ends the wait) until it has become the agent: 0, or -1 with ESRCH (no
 * thread did) or ENOMEM (it was refused for want of memory). A call that
 * needs the agent of a task with none, and none entering, is refused at
 * once: start it, and wait for it, before such a call.
 */
#define MACH_IOC_AGENT_WAIT	_IO(MACH_IOC_MAGIC, 0x41)
/*
 * Instead of starting an agent: libmach passes its /dev/mach fd (close-on-
 * exec, kept open), and the module has a thread of the process make the
 * agent when a call first needs one, by sending it through the stub (it
 * comes back to where it was, its registers and signal mask whole). 0, or
 * -1 with EBADF (the fd is not the caller's own task's /dev/mach).
 */
#define MACH_IOC_AGENT_ON_DEMAND _IO(MACH_IOC_MAGIC, 0x47)

/*
 * Module-internal requests: issued only by the module's own code, the
 * stub page it maps into each task and the first instructions of a new
 * shell, never by libmach or a program. Each is the way back into the
 * module of one role, and its argument is the result of the system call
 * the module had that thread make. From any other thread they fail, and
 * change nothing: -1 with EPERM (not a thread of that role), EBADF (a
 * /dev/mach of another process's, where the role needs its own), EINVAL
 * (a 32-bit caller). Their numbers may change with the module.
 */
/* A task's agent, back from a system call it ran for a call. */
#define MACH_IOC_AGENT_RETURN	_IO(MACH_IOC_MAGIC, 0x42)
/* A new shell's only thread, entering for the first time. */
#define MACH_IOC_SPAWN_ENTER	_IO(MACH_IOC_MAGIC, 0x43)
/* A thread on a trampoline (a call it runs in its own process itself). */
#define MACH_IOC_TRAMPOLINE_RETURN _IO(MACH_IOC_MAGIC, 0x44)
/* A thread made by thread_create: its first entry, and its way out. */
#define MACH_IOC_THREAD_ENTER	_IO(MACH_IOC_MAGIC, 0x45)
/*
 * A thread that faulted, in the stub's signal handler (its argument the
 * handler's ucontext): 0 to return from the handler, a handler of the
 * program's to run instead. EPERM from anywhere but the stub.
 */
#define MACH_IOC_EXCEPTION	_IO(MACH_IOC_MAGIC, 0x46)
/* A thread sent to make its task's agent, back from the clone. */
#define MACH_IOC_AGENT_SUMMONED	_IO(MACH_IOC_MAGIC, 0x48)
/* That clone, entering as the agent. */
#define MACH_IOC_AGENT_BORN	_IO(MACH_IOC_MAGIC, 0x49)

#endif /* _UAPI_MACH_IOCTL_H */
