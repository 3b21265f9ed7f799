// SPDX-License-Identifier: LGPL-2.1-or-later
// port.cc - port right calls.
#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API kern_return_t mach_port_deallocate(ipc_space_t task,
					       mach_port_name_t name)
{
	mach_port_deallocate_args args = {};
	args.task = task;
	args.name = name;
	return libmach::call(MACH_IOC_PORT_DEALLOCATE, &args);
}
