// SPDX-License-Identifier: LGPL-2.1-or-later
// port_ops.cc - the mach_port_* family and the task's special ports.
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

/* The largest count of attribute words in a message (mach_port_info_t). */
constexpr unsigned port_info_max = 17;

// The call sent to a port that is no task's as mach_port's MIG routine
// (subsystem 3200), for a server standing in for the task to answer.
kern_return_t port_call_as_message(mach_port_args &args)
{
	uint32_t in[3 + port_info_max], out[1 + port_info_max];
	kern_return_t kr;

	switch (args.op) {
	case MACH_PORT_OP_ALLOCATE:
		in[0] = args.right;
		kr = libmach::rpc(args.task, 3204, in, 1, out, 1);
		if (kr == KERN_SUCCESS)
			args.name = out[0];
		return kr;
	case MACH_PORT_OP_DESTROY:
		in[0] = args.name;
		return libmach::rpc(args.task, 3205, in, 1);
	case MACH_PORT_OP_MOD_REFS:
		in[0] = args.name;
		in[1] = args.right;
		in[2] = static_cast<uint32_t>(args.delta);
		return libmach::rpc(args.task, 3208, in, 3);
	case MACH_PORT_OP_GET_REFS:
	case MACH_PORT_OP_TYPE:
		in[0] = args.name;
		in[1] = args.right;
		kr = args.op == MACH_PORT_OP_TYPE ? libmach::rpc(args.task, 3201, in, 1, out, 1) :
						    libmach::rpc(args.task, 3207, in, 2, out, 1);
		if (kr == KERN_SUCCESS)
			args.value = out[0];
		return kr;
	case MACH_PORT_OP_INSERT_RIGHT:
		in[0] = args.name;
		return libmach::rpc_with_port(args.task, 3214, args.poly, args.right, in, 1);
	case MACH_PORT_OP_GET_ATTRIBUTES:
		in[0] = args.name;
		in[1] = args.right;
		return libmach::rpc_count_out(args.task, 3217, in, 2, port_info_max,
					      reinterpret_cast<void *>(args.info), &args.count);
	case MACH_PORT_OP_SET_ATTRIBUTES:
		if (args.count > port_info_max)
			return MIG_ARRAY_TOO_LARGE;
		in[0] = args.name;
		in[1] = args.right;
		in[2] = args.count;
		memcpy(&in[3], reinterpret_cast<const void *>(args.info), 4 * args.count);
		return libmach::rpc(args.task, 3218, in, 3 + args.count);
	case MACH_PORT_OP_SET_MSCOUNT:
		in[0] = args.name;
		in[1] = args.value;
		return libmach::rpc(args.task, 3210, in, 2);
	case MACH_PORT_OP_MOVE_MEMBER:
		in[0] = args.name;
		in[1] = args.poly;
		return libmach::rpc(args.task, 3212, in, 2);
	default:
		return KERN_INVALID_TASK;	/* the module sends no other here */
	}
}

kern_return_t port_call(mach_port_args &args)
{
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	return kr == libmach::send_as_message ? port_call_as_message(args) : kr;
}

mach_port_args op(unsigned int code, ipc_space_t task, mach_port_name_t name)
{
	mach_port_args args = {};
	args.op = code;
	args.task = task;
	args.name = name;
	return args;
}

} // namespace

namespace {

// Fetches a list the kernel reports (MACH_PORT_OP_NAMES and co.): items of
// words natural_t each, into a malloc'd buffer (*count items). The list
// may grow between asking its length and reading it: then ask again.
kern_return_t fetch_list(unsigned int code, ipc_space_t task, mach_port_name_t name,
			 unsigned int words, natural_t **items, unsigned int *count)
{
	mach_port_args args = op(code, task, name);
	// Learns how many there are, or that the port is no task's.
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message)
		return kr;
	while (kr == KERN_SUCCESS || kr == KERN_NO_SPACE) {
		unsigned int capacity = args.count + 16;
		auto *buf = static_cast<natural_t *>(malloc(capacity * words * sizeof(natural_t)));
		if (!buf)
			return KERN_RESOURCE_SHORTAGE;
		args = op(code, task, name);
		args.count = capacity;
		args.info = reinterpret_cast<__u64>(buf);
		kr = port_call(args);
		if (kr == KERN_SUCCESS) {
			*items = buf;
			*count = args.count;
			return KERN_SUCCESS;
		}
		free(buf);
	}
	return kr;
}

// An out-of-line array of count natural_t (libmach::out_of_line()).
natural_t *out_of_line(unsigned int count)
{
	return static_cast<natural_t *>(libmach::out_of_line(count * sizeof(natural_t)));
}

} // namespace

LIBMACH_API kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
					     mach_port_name_t *name)
{
	if (!name)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_ALLOCATE, task, MACH_PORT_NULL);
	args.right = right;
	kern_return_t kr = port_call(args);
	*name = kr == KERN_SUCCESS ? args.name : MACH_PORT_NULL;
	return kr;
}

// A fresh receive right of the caller's, as the trap gives one; none
// (MACH_PORT_NULL) if it could not be made.
LIBMACH_API mach_port_name_t mach_reply_port(void)
{
	mach_port_name_t name = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name);
	return name;
}

LIBMACH_API kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	mach_port_args args = op(MACH_PORT_OP_DESTROY, task, name);
	return port_call(args);
}

LIBMACH_API kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
					     mach_port_right_t right, mach_port_delta_t delta)
{
	mach_port_args args = op(MACH_PORT_OP_MOD_REFS, task, name);
	args.right = right;
	args.delta = delta;
	return port_call(args);
}

LIBMACH_API kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
					     mach_port_right_t right, mach_port_urefs_t *refs)
{
	if (!refs)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_GET_REFS, task, name);
	args.right = right;
	kern_return_t kr = port_call(args);
	if (kr == KERN_SUCCESS)
		*refs = args.value;
	return kr;
}

LIBMACH_API kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
					 mach_port_type_t *type)
{
	if (!type)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_TYPE, task, name);
	kern_return_t kr = port_call(args);
	if (kr == KERN_SUCCESS)
		*type = args.value;
	return kr;
}

LIBMACH_API kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
						 mach_port_t poly, mach_msg_type_name_t poly_poly)
{
	mach_port_args args = op(MACH_PORT_OP_INSERT_RIGHT, task, name);
	args.poly = poly;
	args.right = poly_poly;
	return port_call(args);
}

LIBMACH_API kern_return_t mach_port_get_attributes(ipc_space_read_t task, mach_port_name_t name,
						   mach_port_flavor_t flavor, mach_port_info_t info,
						   mach_msg_type_number_t *count)
{
	if (!count)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_GET_ATTRIBUTES, task, name);
	args.right = flavor;
	args.count = *count;
	args.info = reinterpret_cast<__u64>(info);
	kern_return_t kr = port_call(args);
	if (kr == KERN_SUCCESS)
		*count = args.count;
	return kr;
}

LIBMACH_API kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
						   mach_port_flavor_t flavor, mach_port_info_t info,
						   mach_msg_type_number_t count)
{
	if (count > port_info_max)	/* a MIG stub sends no more */
		return MIG_ARRAY_TOO_LARGE;
	mach_port_args args = op(MACH_PORT_OP_SET_ATTRIBUTES, task, name);
	args.right = flavor;
	args.count = count;
	args.info = reinterpret_cast<__u64>(info);
	return port_call(args);
}

LIBMACH_API kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
						mach_port_mscount_t mscount)
{
	mach_port_args args = op(MACH_PORT_OP_SET_MSCOUNT, task, name);
	args.value = mscount;
	return port_call(args);
}

LIBMACH_API kern_return_t task_get_special_port(task_inspect_t task, int which,
						mach_port_t *port)
{
	if (!port)
		return KERN_INVALID_ARGUMENT;
	mach_special_port_args args = {};
	args.task = task;
	args.which = which;
	kern_return_t kr = libmach::call(MACH_IOC_SPECIAL_PORT, &args);
	if (kr == libmach::send_as_message) {
		uint32_t in[1] = { static_cast<uint32_t>(which) };
		return libmach::rpc_port_out(task, 3409, in, 1, port);
	}
	*port = kr == KERN_SUCCESS ? args.port : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t task_set_special_port(task_t task, int which, mach_port_t port)
{
	mach_special_port_args args = {};
	args.task = task;
	args.which = which;
	args.port = port;
	args.flags = MACH_SPECIAL_PORT_SET;
	kern_return_t kr = libmach::call(MACH_IOC_SPECIAL_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[1] = { static_cast<uint32_t>(which) };
	return libmach::rpc_with_port(task, 3410, port, MACH_MSG_TYPE_COPY_SEND, in, 1);
}

LIBMACH_API kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
							 mach_msg_id_t msgid,
							 mach_port_mscount_t sync,
							 mach_port_t notify,
							 mach_msg_type_name_t notify_poly,
							 mach_port_t *previous)
{
	if (!previous)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_REQUEST_NOTIFICATION, task, name);
	args.right = msgid;
	args.value = sync;
	args.poly = notify;
	args.delta = notify_poly;
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_request_notification (3213)
		uint32_t in[3] = { name, static_cast<uint32_t>(msgid), sync };
		*previous = MACH_PORT_NULL;
		return libmach::rpc_general(task, 3213, &notify, 1, notify_poly, in, 3, previous,
					    1, nullptr, 0, nullptr, MACH_MSG_TYPE_PORT_SEND_ONCE);
	}
	*previous = kr == KERN_SUCCESS ? args.value : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
						mach_port_name_t after)
{
	mach_port_args args = op(MACH_PORT_OP_MOVE_MEMBER, task, member);
	args.poly = after;
	return port_call(args);
}

LIBMACH_API kern_return_t mach_ports_register(task_t task, mach_port_array_t ports,
					      mach_msg_type_number_t count)
{
	mach_task_ports_args args = {};
	args.task = task;
	args.flags = MACH_TASK_PORTS_SET;
	args.count = count;
	if (count > MACH_TASK_PORTS_MAX)
		return KERN_INVALID_ARGUMENT;
	for (mach_msg_type_number_t i = 0; i < count; i++)
		args.names[i] = ports[i];
	kern_return_t kr = libmach::call(MACH_IOC_TASK_PORTS, &args);
	if (kr != libmach::send_as_message)
		return kr;
	// mach_ports_register (3403) as XNU 15 sends it: three port descriptors.
	return libmach::rpc_general(task, 3403, args.names, MACH_TASK_PORTS_MAX,
				    MACH_MSG_TYPE_COPY_SEND, nullptr, 0, nullptr, 0, nullptr, 0,
				    nullptr);
}

// The array comes out of line, as on the anchors: vm_deallocate (or
// munmap) it when done.
LIBMACH_API kern_return_t mach_ports_lookup(task_t task, mach_port_array_t *ports,
					    mach_msg_type_number_t *count)
{
	if (!ports || !count)
		return KERN_INVALID_ARGUMENT;
	mach_task_ports_args args = {};
	args.task = task;
	kern_return_t kr = libmach::call(MACH_IOC_TASK_PORTS, &args);
	if (kr == libmach::send_as_message) {	// mach_ports_lookup (3404)
		kr = libmach::rpc_general(task, 3404, nullptr, 0, 0, nullptr, 0, args.names,
					  MACH_TASK_PORTS_MAX, nullptr, 0, nullptr);
		args.count = MACH_TASK_PORTS_MAX;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	natural_t *array = out_of_line(MACH_TASK_PORTS_MAX);
	if (!array) {
		for (mach_port_t name : args.names)
			mach_port_deallocate(mach_task_self(), name);
		return KERN_RESOURCE_SHORTAGE;
	}
	memcpy(array, args.names, sizeof(args.names));
	*ports = array;
	*count = args.count;
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
					  mach_msg_type_number_t *names_count,
					  mach_port_type_array_t *types,
					  mach_msg_type_number_t *types_count)
{
	if (!names || !names_count || !types || !types_count)
		return KERN_INVALID_ARGUMENT;
	natural_t *pairs;
	unsigned int count;
	kern_return_t kr = fetch_list(MACH_PORT_OP_NAMES, task, MACH_PORT_NULL, 2, &pairs, &count);
	if (kr == libmach::send_as_message) {	// mach_port_names (3200)
		void *arrays[2] = {};
		uint32_t counts[2];
		kr = libmach::rpc_memory(task, 3200, false, nullptr, 0, nullptr, 0, arrays, counts, 2, 4);
		if (kr == KERN_SUCCESS) {
			*names = static_cast<mach_port_name_array_t>(arrays[0]);
			*types = static_cast<mach_port_type_array_t>(arrays[1]);
			*names_count = counts[0];
			*types_count = counts[1];
		}
		return kr;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	natural_t *name_array = out_of_line(count), *type_array = out_of_line(count);
	if (!name_array || !type_array) {
		if (name_array)
			munmap(name_array, count * sizeof(natural_t));
		free(pairs);
		return KERN_RESOURCE_SHORTAGE;
	}
	for (unsigned int i = 0; i < count; i++) {
		name_array[i] = pairs[2 * i];
		type_array[i] = pairs[2 * i + 1];
	}
	free(pairs);
	*names = name_array;
	*types = type_array;
	*names_count = *types_count = count;
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
						  mach_msg_type_name_t msgt_name, mach_port_t *poly,
						  mach_msg_type_name_t *poly_poly)
{
	if (!poly || !poly_poly)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_EXTRACT_RIGHT, task, name);
	args.right = msgt_name;
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_extract_right (3215)
		uint32_t in[2] = { name, msgt_name };
		return libmach::rpc_poly_port_out(task, 3215, in, 2, poly, poly_poly);
	}
	*poly = kr == KERN_SUCCESS ? args.poly : MACH_PORT_NULL;
	*poly_poly = kr == KERN_SUCCESS ? args.value : 0;
	return kr;
}

// The array comes out of line, as on the anchors: vm_deallocate (or
// munmap) it when done.
LIBMACH_API kern_return_t mach_port_get_set_status(ipc_space_read_t task, mach_port_name_t name,
						   mach_port_name_array_t *members,
						   mach_msg_type_number_t *count)
{
	if (!members || !count)
		return KERN_INVALID_ARGUMENT;
	natural_t *list;
	unsigned int n;
	kern_return_t kr = fetch_list(MACH_PORT_OP_GET_SET_STATUS, task, name, 1, &list, &n);
	if (kr == libmach::send_as_message) {	// mach_port_get_set_status (3211)
		void *array = nullptr;
		uint32_t in[1] = { name }, got;
		kr = libmach::rpc_memory(task, 3211, false, nullptr, 0, in, 1, &array, &got, 1, 4);
		if (kr == KERN_SUCCESS) {
			*members = static_cast<mach_port_name_array_t>(array);
			*count = got;
		}
		return kr;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	natural_t *array = out_of_line(n);
	if (array)
		memcpy(array, list, n * sizeof(natural_t));
	free(list);
	if (!array)
		return KERN_RESOURCE_SHORTAGE;
	*members = array;
	*count = n;
	return KERN_SUCCESS;
}
