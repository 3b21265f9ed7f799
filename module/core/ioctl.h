/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctl.h - the /dev/mach front end's decoders, one file per area:
 * ioctl.cc (the table, tasks, vm, messages), ioctl_port.cc (mach_port_*
 * and the ports a task holds), ioctl_thread.cc, ioctl_host.cc. Each
 * decodes and checks its struct, copies the caller's memory in and out,
 * resolves the ports it names and hands the call to the object it acts
 * on; no Mach semantics live in them.
 */
#ifndef MACH_CORE_IOCTL_H
#define MACH_CORE_IOCTL_H

#include "task.h"
#include "uapi.h"

namespace mach {

/*
 * What an ioctl returns for kr: the kern_return_t itself, or -MACH_EREMOTE
 * when libmach is to send the call as a message to the port instead.
 */
inline long ioctl_result(Kr kr)
{
	if (kr == Kr::NotKernelObject)
		return -MACH_EREMOTE;
	return static_cast<long>(kr);
}

/* A request no call could mean. */
inline constexpr long ioctl_malformed = -MACH_EINVAL;

/* ioctl_port.cc */
long port_ioctl(Task &caller, mach_port_args &args);
long port_deallocate_ioctl(Task &caller, mach_port_deallocate_args &args);
/* mach_port_deallocate of name in the space task_name names (ioctl, trap). */
long port_deallocate_in(Task &caller, u32 task_name, Name name);
long special_port_ioctl(Task &caller, mach_special_port_args &args);
long task_ports_ioctl(Task &caller, mach_task_ports_args &args);
long exception_ports_ioctl(Task &caller, mach_exception_ports_args &args);

/* ioctl_thread.cc */
long thread_ioctl(Task &caller, mach_thread_args &args);

} /* namespace mach */

#endif /* MACH_CORE_IOCTL_H */
