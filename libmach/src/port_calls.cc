// SPDX-License-Identifier: LGPL-2.1-or-later
// port_calls.cc - the mach_port_* calls beyond the classic family:
// construct, guards and context, chosen names, set membership one set at a
// time, peek, and the debugging views (port_ops.cc has the others).
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

mach_port_args op(unsigned int code, ipc_space_t task, mach_port_name_t name)
{
	mach_port_args args = {};
	args.op = code;
	args.task = task;
	args.name = name;
	return args;
}

// A 64-bit argument of a MIG request, as two words (MIG packs at 4 bytes).
void put64(uint32_t *words, uint64_t value)
{
	memcpy(words, &value, sizeof(value));
}

// A call of name and one more word, answered by a RetCode: by ioctl, or
// to a port no task's as its MIG request (id).
kern_return_t two_words(mach_port_args &args, mach_msg_id_t id, uint32_t first, uint32_t second)
{
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[2] = { first, second };
	return libmach::rpc(args.task, id, in, 2);
}

} // namespace

LIBMACH_API kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
					      mach_port_context_t context, mach_port_name_t *name)
{
	if (!options || !name)
		return KERN_INVALID_ARGUMENT;
	mach_port_construct_info info = {};
	static_assert(sizeof(info.options) == sizeof(*options));
	memcpy(info.options, options, sizeof(*options));
	info.context = context;
	mach_port_args args = op(MACH_PORT_OP_CONSTRUCT, task, MACH_PORT_NULL);
	args.info = reinterpret_cast<__u64>(&info);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_construct (3231)
		uint32_t in[2], out[1];
		put64(in, context);
		kr = libmach::rpc_memory(task, 3231, true, options, sizeof(*options), in, 2,
					 nullptr, nullptr, 0, 1, out, 1);
		*name = kr == KERN_SUCCESS ? out[0] : MACH_PORT_NULL;
		return kr;
	}
	*name = kr == KERN_SUCCESS ? args.name : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
					     mach_port_delta_t srdelta, mach_port_context_t guard)
{
	mach_port_args args = op(MACH_PORT_OP_DESTRUCT, task, name);
	args.delta = srdelta;
	args.info = guard;
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[4] = { name, static_cast<uint32_t>(srdelta) };	// mach_port_destruct (3232)
	put64(&in[2], guard);
	return libmach::rpc(task, 3232, in, 4);
}

LIBMACH_API kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name,
					  mach_port_context_t guard, boolean_t strict)
{
	mach_port_args args = op(MACH_PORT_OP_GUARD, task, name);
	args.info = guard;
	args.value = strict;
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[4] = { name };	// mach_port_guard (3233)
	put64(&in[1], guard);
	in[3] = static_cast<uint32_t>(strict);
	return libmach::rpc(task, 3233, in, 4);
}

LIBMACH_API kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name,
					    mach_port_context_t guard)
{
	mach_port_args args = op(MACH_PORT_OP_UNGUARD, task, name);
	args.info = guard;
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[3] = { name };	// mach_port_unguard (3234)
	put64(&in[1], guard);
	return libmach::rpc(task, 3234, in, 3);
}

LIBMACH_API kern_return_t mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
						     mach_port_context_t guard, uint64_t flags)
{
	mach_port_args args = op(MACH_PORT_OP_GUARD_WITH_FLAGS, task, name);
	args.info = guard;
	args.value = static_cast<uint32_t>(flags);	/* MPG_ flags: the low bits */
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[5] = { name };	// mach_port_guard_with_flags (3237)
	put64(&in[1], guard);
	put64(&in[3], flags);
	return libmach::rpc(task, 3237, in, 5);
}

LIBMACH_API kern_return_t mach_port_swap_guard(ipc_space_t task, mach_port_name_t name,
					       mach_port_context_t old_guard,
					       mach_port_context_t new_guard)
{
	mach_port_args args = op(MACH_PORT_OP_SWAP_GUARD, task, name);
	args.info = old_guard;
	args.value = static_cast<uint32_t>(new_guard);
	args.count = static_cast<uint32_t>(new_guard >> 32);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[5] = { name };	// mach_port_swap_guard (3238)
	put64(&in[1], old_guard);
	put64(&in[3], new_guard);
	return libmach::rpc(task, 3238, in, 5);
}

// Every name here is in use: the table is the names there are.
LIBMACH_API kern_return_t mach_port_space_basic_info(ipc_space_inspect_t task,
						     ipc_info_space_basic_t *basic_info)
{
	if (!basic_info)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_SPACE_BASIC_INFO, task, MACH_PORT_NULL);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_space_basic_info (3235)
		uint32_t out[6];
		kr = libmach::rpc(task, 3235, nullptr, 0, out, 6);
		if (kr == KERN_SUCCESS)
			memcpy(basic_info, out, sizeof(*basic_info));
		return kr;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	memset(basic_info, 0, sizeof(*basic_info));
	basic_info->iisb_table_size = args.value;
	basic_info->iisb_table_inuse = args.value;
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t mach_port_get_context(ipc_space_read_t task, mach_port_name_t name,
						mach_port_context_t *context)
{
	if (!context)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_GET_CONTEXT, task, name);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_get_context (3228)
		uint32_t in[1] = { name }, out[2];
		kr = libmach::rpc(task, 3228, in, 1, out, 2);
		if (kr == KERN_SUCCESS)
			memcpy(context, out, sizeof(*context));
		return kr;
	}
	if (kr == KERN_SUCCESS)
		*context = args.info;
	return kr;
}

LIBMACH_API kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name,
						mach_port_context_t context)
{
	mach_port_args args = op(MACH_PORT_OP_SET_CONTEXT, task, name);
	args.info = context;
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr != libmach::send_as_message)
		return kr;
	uint32_t in[3] = { name };	// mach_port_set_context (3229)
	put64(&in[1], context);
	return libmach::rpc(task, 3229, in, 3);
}

LIBMACH_API kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name,
					   mach_port_name_t new_name)
{
	mach_port_args args = op(MACH_PORT_OP_RENAME, task, old_name);
	args.poly = new_name;
	return two_words(args, 3202, old_name, new_name);
}

LIBMACH_API kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right,
						  mach_port_name_t name)
{
	mach_port_args args = op(MACH_PORT_OP_ALLOCATE_NAME, task, name);
	args.right = right;
	return two_words(args, 3203, right, name);
}

LIBMACH_API kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
						  mach_port_name_t pset)
{
	mach_port_args args = op(MACH_PORT_OP_INSERT_MEMBER, task, name);
	args.poly = pset;
	return two_words(args, 3226, name, pset);
}

LIBMACH_API kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
						   mach_port_name_t pset)
{
	mach_port_args args = op(MACH_PORT_OP_EXTRACT_MEMBER, task, name);
	args.poly = pset;
	return two_words(args, 3227, name, pset);
}

LIBMACH_API kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
					      mach_port_seqno_t seqno)
{
	mach_port_args args = op(MACH_PORT_OP_SET_SEQNO, task, name);
	args.value = seqno;
	return two_words(args, 3216, name, seqno);
}

LIBMACH_API kern_return_t mach_port_get_srights(ipc_space_t task, mach_port_name_t name,
						mach_port_rights_t *srights)
{
	if (!srights)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_GET_SRIGHTS, task, name);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_get_srights (3222)
		uint32_t in[1] = { name };
		return libmach::rpc(task, 3222, in, 1, srights, 1);
	}
	if (kr == KERN_SUCCESS)
		*srights = args.value;
	return kr;
}

// The trailer count is in and out, in bytes, as MIG's CountInOut: at
// most the 68 bytes of mach_msg_max_trailer_t cross.
LIBMACH_API kern_return_t mach_port_peek(ipc_space_t task, mach_port_name_t name,
					 mach_msg_trailer_type_t trailer_type,
					 mach_port_seqno_t *request_seqnop, mach_msg_size_t *msg_sizep,
					 mach_msg_id_t *msg_idp, mach_msg_trailer_info_t trailer_infop,
					 mach_msg_type_number_t *trailer_infopCnt)
{
	constexpr unsigned trailer_max = 68;
	if (!request_seqnop || !msg_sizep || !msg_idp || !trailer_infop || !trailer_infopCnt)
		return KERN_INVALID_ARGUMENT;
	unsigned room = *trailer_infopCnt < trailer_max ? *trailer_infopCnt : trailer_max;
	mach_port_args args = op(MACH_PORT_OP_PEEK, task, name);
	args.right = trailer_type;
	args.value = *request_seqnop;
	args.count = room;
	args.info = reinterpret_cast<__u64>(trailer_infop);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_peek (3209)
		uint32_t in[4] = { name, trailer_type, *request_seqnop, room };
		uint32_t out[4 + trailer_max / 4];
		unsigned n = 0;
		kr = libmach::rpc(task, 3209, in, 4, out, 4 + trailer_max / 4, &n);
		if (kr != KERN_SUCCESS)
			return kr;
		if (n < 4 || out[3] > room || (out[3] + 3) / 4 != n - 4)
			return MIG_TYPE_ERROR;
		*request_seqnop = out[0];
		*msg_sizep = out[1];
		*msg_idp = static_cast<mach_msg_id_t>(out[2]);
		memcpy(trailer_infop, &out[4], out[3]);
		*trailer_infopCnt = out[3];
		return KERN_SUCCESS;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	*request_seqnop = args.value;
	*msg_sizep = args.poly;
	*msg_idp = args.delta;
	*trailer_infopCnt = args.count;
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t mach_port_kobject(ipc_space_read_t task, mach_port_name_t name,
					    natural_t *object_type, mach_vm_address_t *object_addr)
{
	if (!object_type || !object_addr)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_KOBJECT, task, name);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_kobject (3230)
		uint32_t in[1] = { name }, out[3];
		kr = libmach::rpc(task, 3230, in, 1, out, 3);
		if (kr == KERN_SUCCESS) {
			*object_type = out[0];
			memcpy(object_addr, &out[1], sizeof(*object_addr));
		}
		return kr;
	}
	if (kr == KERN_SUCCESS) {
		*object_type = args.value;
		*object_addr = args.info;
	}
	return kr;
}

// Removed from XNU's kernel, which answers its request (3225) MIG_BAD_ID:
// libmach answers it as mach_port_kobject does, the address 32 bits wide.
LIBMACH_API kern_return_t mach_port_kernel_object(ipc_space_read_t task, mach_port_name_t name,
						  unsigned *object_type, unsigned *object_addr)
{
	if (!object_type || !object_addr)
		return KERN_INVALID_ARGUMENT;
	mach_port_args args = op(MACH_PORT_OP_KOBJECT, task, name);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {
		uint32_t in[1] = { name }, out[2];
		kr = libmach::rpc(task, 3225, in, 1, out, 2);
		if (kr == KERN_SUCCESS) {
			*object_type = out[0];
			*object_addr = out[1];
		}
		return kr;
	}
	if (kr == KERN_SUCCESS) {
		*object_type = args.value;
		*object_addr = static_cast<unsigned>(args.info);
	}
	return kr;
}

// The table comes out of line, as on XNU (vm_deallocate or munmap it);
// the tree XNU keeps no more is always empty.
LIBMACH_API kern_return_t mach_port_space_info(ipc_space_read_t space, ipc_info_space_t *space_info,
					       ipc_info_name_array_t *table_info,
					       mach_msg_type_number_t *table_infoCnt,
					       ipc_info_tree_name_array_t *tree_info,
					       mach_msg_type_number_t *tree_infoCnt)
{
	if (!space_info || !table_info || !table_infoCnt || !tree_info || !tree_infoCnt)
		return KERN_INVALID_ARGUMENT;
	static_assert(sizeof(ipc_info_name_t) == sizeof(mach_port_name_info));
	mach_port_args args = op(MACH_PORT_OP_SPACE_INFO, space, MACH_PORT_NULL);
	kern_return_t kr = libmach::call(MACH_IOC_PORT, &args);
	if (kr == libmach::send_as_message) {	// mach_port_space_info (3223)
		void *arrays[2] = {};
		uint32_t counts[2], words[6];
		kr = libmach::rpc_memory(space, 3223, false, nullptr, 0, nullptr, 0, arrays, counts,
					 2, sizeof(ipc_info_name_t), words, 6);
		if (kr != KERN_SUCCESS)
			return kr;
		memcpy(space_info, words, sizeof(*space_info));
		*table_info = static_cast<ipc_info_name_array_t>(arrays[0]);
		*table_infoCnt = counts[0];
		*tree_info = nullptr;
		*tree_infoCnt = 0;
		return KERN_SUCCESS;
	}
	// The names may grow between asking their number and reading them.
	while (kr == KERN_SUCCESS || kr == KERN_NO_SPACE) {
		unsigned capacity = args.count + 16;
		auto *names = static_cast<ipc_info_name_t *>(malloc(capacity * sizeof(ipc_info_name_t)));
		if (!names)
			return KERN_RESOURCE_SHORTAGE;
		args = op(MACH_PORT_OP_SPACE_INFO, space, MACH_PORT_NULL);
		args.count = capacity;
		args.info = reinterpret_cast<__u64>(names);
		kr = libmach::call(MACH_IOC_PORT, &args);
		if (kr != KERN_SUCCESS) {
			free(names);
			continue;
		}
		size_t bytes = args.count * sizeof(ipc_info_name_t);
		void *table = bytes ? libmach::out_of_line(bytes) : nullptr;
		if (bytes && table)
			memcpy(table, names, bytes);
		free(names);
		if (bytes && !table)
			return KERN_RESOURCE_SHORTAGE;
		memset(space_info, 0, sizeof(*space_info));
		space_info->iis_table_size = args.count;
		*table_info = static_cast<ipc_info_name_array_t>(table);
		*table_infoCnt = args.count;
		*tree_info = nullptr;
		*tree_infoCnt = 0;
		return KERN_SUCCESS;
	}
	return kr;
}
