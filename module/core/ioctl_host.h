/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctl_host.h - the MACH_IOC_HOST ops beyond the first three (ioctl.cc
 * decodes those): statistics, processors, clocks, the processor set and
 * host_set_special_port, decoded into host_stats.h, clock.h,
 * processor_set.h and host.h.
 */
#ifndef MACH_CORE_IOCTL_HOST_H
#define MACH_CORE_IOCTL_HOST_H

#include "host.h"
#include "task.h"
#include "uapi.h"

namespace mach {

/*
 * args' op, made on the port args.host names, which is held (HostPort::
 * Count: a kernel object of another kind). What the ioctl returns: a
 * kern_return_t, or -errno for a malformed request.
 */
long host_ioctl(Task &caller, mach_host_args &args, HostPort held);

} /* namespace mach */

#endif /* MACH_CORE_IOCTL_HOST_H */
