// SPDX-License-Identifier: LGPL-2.1-or-later
// norma.cc - NORMA's calls: a node is a NUMA node of the host.
#include <sched.h>

#include <mach/mach.h>
#include <mach/mach_norma.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

static kern_return_t create_on_node(task_t parent, boolean_t inherit_memory, int node,
				    __u32 flags, task_t *child)
{
	if (!child)
		return KERN_INVALID_ARGUMENT;
	*child = MACH_PORT_NULL;
	if (node < 0)
		return KERN_INVALID_ARGUMENT;
	mach_task_create_args args = {};
	args.parent = parent;
	args.inherit_memory = inherit_memory;
	args.flags = MACH_TASK_CREATE_ON_NODE | flags;
	args.node = node;
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CREATE, &args);
	if (kr == libmach::send_as_message) {	// mach_norma (555000), to a stand-in
		mach_msg_id_t id = !(flags & MACH_TASK_CREATE_CLONE) ? 555006 :
				   (flags & MACH_TASK_CREATE_TELEPORT) ? 555009 : 555005;
		uint32_t in[2] = { static_cast<uint32_t>(inherit_memory),
				   static_cast<uint32_t>(node) };
		return libmach::rpc_port_out(parent, id, in, 2, child);
	}
	if (kr == KERN_SUCCESS)
		*child = args.child;
	return kr;
}

LIBMACH_API kern_return_t norma_task_create(task_t parent_task, boolean_t inherit_memory,
					    int child_node, task_t *child_task)
{
	return create_on_node(parent_task, inherit_memory, child_node, 0, child_task);
}

LIBMACH_API kern_return_t norma_task_clone(task_t task, boolean_t inherit_memory,
					   int child_node, task_t *child_task)
{
	return create_on_node(task, inherit_memory, child_node, MACH_TASK_CREATE_CLONE,
			      child_task);
}

LIBMACH_API kern_return_t norma_task_teleport(task_t task, boolean_t inherit_memory,
					      int child_node, task_t *child_task)
{
	return create_on_node(task, inherit_memory, child_node,
			      MACH_TASK_CREATE_CLONE | MACH_TASK_CREATE_TELEPORT, child_task);
}

// task_set_child_node (555000): always a message, as MIG's stub sends it.
LIBMACH_API kern_return_t task_set_child_node(task_t task, int child_node)
{
	uint32_t in[1] = { static_cast<uint32_t>(child_node) };

	return libmach::rpc(task, 555000, in, 1);
}

LIBMACH_API kern_return_t norma_node_self(host_t host, int *node)
{
	host_basic_info_data_t info;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	unsigned int cpu, here;

	if (!node)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = host_info(host, HOST_BASIC_INFO, reinterpret_cast<host_info_t>(&info),
				     &count);
	if (kr != KERN_SUCCESS)
		return kr;
	if (getcpu(&cpu, &here) != 0)
		return KERN_FAILURE;
	*node = here;
	return KERN_SUCCESS;
}
