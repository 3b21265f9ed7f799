// SPDX-License-Identifier: LGPL-2.1-or-later
// semaphore.cc - Mach semaphores: semaphore_create and semaphore_destroy
// (task routines: a message to a port standing in for a task), and the
// signals and waits, one ioctl each, as XNU's traps are one system call.
#include <errno.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/semaphore.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

// One MACH_IOC_SEMAPHORE. A wait that thread_abort ended fails with
// EINTR (the module restarts it after a mere stop): KERN_ABORTED.
kern_return_t semaphore_call(mach_semaphore_args &args)
{
	errno = 0;
	kern_return_t kr = libmach::call(MACH_IOC_SEMAPHORE, &args);
	if (kr == KERN_FAILURE && errno == EINTR)
		return KERN_ABORTED;
	return kr;
}

kern_return_t on_semaphore(uint32_t op, mach_port_name_t semaphore)
{
	mach_semaphore_args args = {};
	args.op = op;
	args.semaphore = semaphore;
	return semaphore_call(args);
}

// The signal and the wait of a name, the name the ioctl's argument (by
// the struct with a module older than the traps).
kern_return_t trap(unsigned long cmd, uint32_t op, mach_port_name_t semaphore)
{
	errno = 0;
	kern_return_t kr = libmach::call_value(cmd, semaphore);
	if (kr == MIG_BAD_ID)
		return on_semaphore(op, semaphore);
	if (kr == KERN_FAILURE && errno == EINTR)
		return KERN_ABORTED;
	return kr;
}

kern_return_t wait(mach_port_name_t wait_name, mach_port_name_t signal_name, bool with_signal,
		   bool timed, unsigned int sec, clock_res_t nsec)
{
	mach_semaphore_args args = {};
	args.op = with_signal ? MACH_SEMAPHORE_WAIT_SIGNAL : MACH_SEMAPHORE_WAIT;
	args.flags = timed ? MACH_SEMAPHORE_TIMED : 0;
	args.semaphore = wait_name;
	args.signal = signal_name;
	args.sec = sec;
	args.nsec = nsec;
	return semaphore_call(args);
}

} // namespace

LIBMACH_API kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy,
					   int value)
{
	if (!semaphore)
		return KERN_INVALID_ARGUMENT;
	mach_semaphore_args args = {};
	args.op = MACH_SEMAPHORE_CREATE;
	args.task = task;
	args.policy = policy;
	args.value = value;
	kern_return_t kr = semaphore_call(args);
	if (kr == libmach::send_as_message) {	// semaphore_create (3418)
		uint32_t in[2] = { static_cast<uint32_t>(policy), static_cast<uint32_t>(value) };
		return libmach::rpc_port_out(task, 3418, in, 2, semaphore);
	}
	*semaphore = kr == KERN_SUCCESS ? args.semaphore : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore)
{
	mach_semaphore_args args = {};
	args.op = MACH_SEMAPHORE_DESTROY;
	args.task = task;
	args.semaphore = semaphore;
	kern_return_t kr = semaphore_call(args);
	if (kr == libmach::send_as_message)	// semaphore_destroy (3419), moving the right
		return libmach::rpc_with_port(task, 3419, semaphore, MACH_MSG_TYPE_MOVE_SEND,
					      nullptr, 0);
	return kr;
}

LIBMACH_API kern_return_t semaphore_signal_trap(mach_port_name_t signal_name)
{
	return trap(MACH_IOC_SEMAPHORE_SIGNAL, MACH_SEMAPHORE_SIGNAL, signal_name);
}

LIBMACH_API kern_return_t semaphore_signal_all_trap(mach_port_name_t signal_name)
{
	return on_semaphore(MACH_SEMAPHORE_SIGNAL_ALL, signal_name);
}

LIBMACH_API kern_return_t semaphore_signal_thread_trap(mach_port_name_t signal_name,
						       mach_port_name_t thread_name)
{
	mach_semaphore_args args = {};
	args.op = MACH_SEMAPHORE_SIGNAL_THREAD;
	args.semaphore = signal_name;
	args.thread = thread_name;
	return semaphore_call(args);
}

LIBMACH_API kern_return_t semaphore_wait_trap(mach_port_name_t wait_name)
{
	return trap(MACH_IOC_SEMAPHORE_WAIT, MACH_SEMAPHORE_WAIT, wait_name);
}

LIBMACH_API kern_return_t semaphore_wait_signal_trap(mach_port_name_t wait_name,
						     mach_port_name_t signal_name)
{
	return wait(wait_name, signal_name, true, false, 0, 0);
}

LIBMACH_API kern_return_t semaphore_timedwait_trap(mach_port_name_t wait_name, unsigned int sec,
						   clock_res_t nsec)
{
	return wait(wait_name, MACH_PORT_NULL, false, true, sec, nsec);
}

LIBMACH_API kern_return_t semaphore_timedwait_signal_trap(mach_port_name_t wait_name,
							  mach_port_name_t signal_name,
							  unsigned int sec, clock_res_t nsec)
{
	return wait(wait_name, signal_name, true, true, sec, nsec);
}

LIBMACH_API kern_return_t semaphore_signal(semaphore_t semaphore)
{
	return semaphore_signal_trap(semaphore);
}

LIBMACH_API kern_return_t semaphore_signal_all(semaphore_t semaphore)
{
	return semaphore_signal_all_trap(semaphore);
}

LIBMACH_API kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread)
{
	return semaphore_signal_thread_trap(semaphore, thread);
}

LIBMACH_API kern_return_t semaphore_wait(semaphore_t semaphore)
{
	return semaphore_wait_trap(semaphore);
}

LIBMACH_API kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time)
{
	return semaphore_timedwait_trap(semaphore, wait_time.tv_sec, wait_time.tv_nsec);
}

LIBMACH_API kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore,
						semaphore_t signal_semaphore)
{
	return semaphore_wait_signal_trap(wait_semaphore, signal_semaphore);
}

LIBMACH_API kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
						     semaphore_t signal_semaphore,
						     mach_timespec_t wait_time)
{
	return semaphore_timedwait_signal_trap(wait_semaphore, signal_semaphore,
					       wait_time.tv_sec, wait_time.tv_nsec);
}
