// SPDX-License-Identifier: LGPL-2.1-or-later
// processor_set.cc - the host's processor set: processor_set_default,
// host_processor_set_priv, processor_set_tasks, processor_set_threads,
// processor_set_info.
#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

// MIG's largest count of processor_set_info_t.
constexpr unsigned pset_info_max = 5;

kern_return_t host_call(mach_host_args &args)
{
	return libmach::call(MACH_IOC_HOST, &args);
}

// processor_set_tasks (4005) and processor_set_threads (4006).
kern_return_t things(processor_set_t set, unsigned op, mach_msg_id_t id, mach_port_t **list,
		     mach_msg_type_number_t *count)
{
	if (!list || !count)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = op;
	args.host = set;
	kern_return_t kr = host_call(args);
	if (kr == libmach::send_as_message)
		return libmach::rpc_ports_out(set, id, list, count);
	if (kr == KERN_SUCCESS) {
		*list = reinterpret_cast<mach_port_t *>(args.data);
		*count = args.count;
	}
	return kr;
}

} // namespace

LIBMACH_API kern_return_t processor_set_default(host_t host, processor_set_name_t *default_set)
{
	if (!default_set)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = MACH_HOST_PSET_DEFAULT;
	args.host = host;
	kern_return_t kr = host_call(args);
	if (kr == libmach::send_as_message)	// processor_set_default (213)
		return libmach::rpc_port_out(host, 213, nullptr, 0, default_set);
	*default_set = kr == KERN_SUCCESS ? args.port : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t host_processor_set_priv(host_priv_t host_priv,
						  processor_set_name_t set_name,
						  processor_set_t *set)
{
	if (!set)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = MACH_HOST_PSET_PRIV;
	args.host = host_priv;
	args.port = set_name;
	kern_return_t kr = host_call(args);
	if (kr == libmach::send_as_message)	// host_processor_set_priv (420)
		return libmach::rpc_general(host_priv, 420, &set_name, 1, MACH_MSG_TYPE_COPY_SEND,
					    nullptr, 0, set, 1, nullptr, 0, nullptr);
	*set = kr == KERN_SUCCESS ? args.port : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t processor_set_tasks(processor_set_t set, task_array_t *list,
					      mach_msg_type_number_t *count)
{
	return things(set, MACH_HOST_PSET_TASKS, 4005, list, count);
}

LIBMACH_API kern_return_t processor_set_threads(processor_set_t set, thread_act_array_t *list,
						mach_msg_type_number_t *count)
{
	return things(set, MACH_HOST_PSET_THREADS, 4006, list, count);
}

LIBMACH_API kern_return_t processor_set_info(processor_set_name_t set_name, int flavor,
					     host_t *host, processor_set_info_t info,
					     mach_msg_type_number_t *count)
{
	if (!host || !count)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = MACH_HOST_PSET_INFO;
	args.host = set_name;
	args.which = flavor;
	args.count = *count;
	args.data = reinterpret_cast<__u64>(info);
	kern_return_t kr = host_call(args);
	if (kr == libmach::send_as_message) {
		// processor_set_info (4009): the host in a descriptor, then NDR,
		// the count and the words.
		uint32_t in[2] = { static_cast<uint32_t>(flavor),
				   *count < pset_info_max ? *count : pset_info_max };
		uint32_t out[1 + pset_info_max];
		unsigned n = 0;
		kr = libmach::rpc_general(set_name, 4009, nullptr, 0, 0, in, 2, host, 1, out,
					  1 + pset_info_max, &n);
		if (kr != KERN_SUCCESS)
			return kr;
		if (n < 1 || out[0] > *count || n != 1 + out[0]) {
			mach_port_deallocate(mach_task_self(), *host);
			*host = MACH_PORT_NULL;
			return MIG_TYPE_ERROR;
		}
		for (unsigned i = 0; i < out[0]; i++)
			info[i] = static_cast<integer_t>(out[1 + i]);
		*count = out[0];
		return KERN_SUCCESS;
	}
	if (kr == KERN_SUCCESS) {
		*host = args.port;
		*count = args.count;
	} else {
		*host = MACH_PORT_NULL;
	}
	return kr;
}
