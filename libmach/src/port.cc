// SPDX-License-Identifier: LGPL-2.1-or-later
// port.cc - port right calls.
#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API kern_return_t mach_port_deallocate(ipc_space_t task,
					       mach_port_name_t name)
{
	kern_return_t kr = MIG_BAD_ID;
	// The trap packs both names in one 64-bit argument.
	if (sizeof(unsigned long) == sizeof(uint64_t))
		kr = libmach::call_value(MACH_IOC_PORT_DEALLOCATE_TRAP,
					 static_cast<uint64_t>(task) << 32 | name);
	if (kr == MIG_BAD_ID) {	// none, or a module older than the trap
		mach_port_deallocate_args args = {};
		args.task = task;
		args.name = name;
		kr = libmach::call(MACH_IOC_PORT_DEALLOCATE, &args);
	}
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[1] = { name };
	return libmach::rpc(task, 3206, in, 1);	/* mach_port_deallocate */
}
