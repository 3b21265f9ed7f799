// SPDX-License-Identifier: LGPL-2.1-or-later
// vm_map.cc - mappings and memory entries (vm_map, vm_remap,
// mach_make_memory_entry), and the vm_* calls that only advise or wire:
// vm_behavior_set, vm_wire, vm_region_recurse_64.
#include <string.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

void put64(uint32_t *words, uint64_t value)
{
	words[0] = static_cast<uint32_t>(value);
	words[1] = static_cast<uint32_t>(value >> 32);
}

uint64_t get64(const uint32_t *words)
{
	return words[0] | static_cast<uint64_t>(words[1]) << 32;
}

// The call sent to a port that is no task's, as its mach_vm routine, for a
// server standing in for the task: mach_vm_map (4811), mach_vm_remap
// (4813), _mach_make_memory_entry (4817), in XNU's layouts.
kern_return_t map_as_message(mach_vm_map_args &args)
{
	uint32_t in[13], out[4];
	mach_port_t port = args.object, got = MACH_PORT_NULL;
	unsigned n = 0;
	kern_return_t kr;

	switch (args.op) {
	case MACH_VM_MAP:
		put64(&in[0], args.address);
		put64(&in[2], args.size);
		put64(&in[4], args.mask);
		in[6] = args.flags;
		put64(&in[7], args.offset);
		in[9] = args.copy;
		in[10] = args.cur_protection;
		in[11] = args.max_protection;
		in[12] = args.inheritance;
		kr = libmach::rpc_general(args.task, 4811, &port, 1, MACH_MSG_TYPE_COPY_SEND, in,
					  13, nullptr, 0, out, 2, &n);
		if (kr == KERN_SUCCESS)
			args.address = get64(out);
		return kr;
	case MACH_VM_REMAP:
		put64(&in[0], args.address);
		put64(&in[2], args.size);
		put64(&in[4], args.mask);
		in[6] = args.flags;
		put64(&in[7], args.offset);
		in[9] = args.copy;
		in[10] = args.inheritance;
		kr = libmach::rpc_general(args.task, 4813, &port, 1, MACH_MSG_TYPE_COPY_SEND, in,
					  11, nullptr, 0, out, 4, &n);
		if (kr == KERN_SUCCESS) {
			args.address = get64(out);
			args.cur_protection = out[2];
			args.max_protection = out[3];
		}
		return kr;
	default:	// MACH_VM_MAKE_ENTRY
		put64(&in[0], args.size);
		put64(&in[2], args.offset);
		in[4] = args.cur_protection;
		kr = libmach::rpc_general(args.task, 4817, &port, 1, MACH_MSG_TYPE_COPY_SEND, in,
					  5, &got, 1, out, 2, &n);
		if (kr == KERN_SUCCESS && n != 2) {
			if (got != MACH_PORT_NULL)
				mach_port_deallocate(mach_task_self(), got);
			return MIG_TYPE_ERROR;
		}
		if (kr == KERN_SUCCESS) {
			args.size = get64(out);
			args.object = got;
		}
		return kr;
	}
}

kern_return_t map_call(mach_vm_map_args &args)
{
	kern_return_t kr = libmach::call(MACH_IOC_VM_MAP, &args);
	return kr == libmach::send_as_message ? map_as_message(args) : kr;
}

} // namespace

LIBMACH_API kern_return_t mach_vm_map(vm_map_t task, mach_vm_address_t *address,
				      mach_vm_size_t size, mach_vm_offset_t mask, int flags,
				      mem_entry_name_port_t object,
				      memory_object_offset_t offset, boolean_t copy,
				      vm_prot_t cur_protection, vm_prot_t max_protection,
				      vm_inherit_t inheritance)
{
	if (!address)
		return KERN_INVALID_ARGUMENT;
	mach_vm_map_args args = {};
	args.op = MACH_VM_MAP;
	args.task = task;
	args.address = *address;
	args.size = size;
	args.mask = mask;
	args.offset = offset;
	args.object = object;
	args.flags = flags;
	args.cur_protection = cur_protection;
	args.max_protection = max_protection;
	args.inheritance = inheritance;
	args.copy = copy != FALSE;
	kern_return_t kr = map_call(args);
	if (kr == KERN_SUCCESS)
		*address = args.address;
	return kr;
}

LIBMACH_API kern_return_t vm_map(vm_map_t task, vm_address_t *address, vm_size_t size,
				 vm_address_t mask, int flags, mem_entry_name_port_t object,
				 vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
				 vm_prot_t max_protection, vm_inherit_t inheritance)
{
	return mach_vm_map(task, address, size, mask, flags, object, offset, copy,
			   cur_protection, max_protection, inheritance);
}

LIBMACH_API kern_return_t mach_vm_remap(vm_map_t task, mach_vm_address_t *address,
					mach_vm_size_t size, mach_vm_offset_t mask, int flags,
					vm_map_t src_task, mach_vm_address_t src_address,
					boolean_t copy, vm_prot_t *cur_protection,
					vm_prot_t *max_protection, vm_inherit_t inheritance)
{
	if (!address || !cur_protection || !max_protection)
		return KERN_INVALID_ARGUMENT;
	mach_vm_map_args args = {};
	args.op = MACH_VM_REMAP;
	args.task = task;
	args.address = *address;
	args.size = size;
	args.mask = mask;
	args.offset = src_address;
	args.object = src_task;
	args.flags = flags;
	args.inheritance = inheritance;
	args.copy = copy != FALSE;
	kern_return_t kr = map_call(args);
	if (kr == KERN_SUCCESS) {
		*address = args.address;
		*cur_protection = args.cur_protection;
		*max_protection = args.max_protection;
	}
	return kr;
}

LIBMACH_API kern_return_t vm_remap(vm_map_t task, vm_address_t *address, vm_size_t size,
				   vm_address_t mask, int flags, vm_map_t src_task,
				   vm_address_t src_address, boolean_t copy,
				   vm_prot_t *cur_protection, vm_prot_t *max_protection,
				   vm_inherit_t inheritance)
{
	return mach_vm_remap(task, address, size, mask, flags, src_task, src_address, copy,
			     cur_protection, max_protection, inheritance);
}

LIBMACH_API kern_return_t mach_make_memory_entry_64(vm_map_t task, memory_object_size_t *size,
						    memory_object_offset_t offset,
						    vm_prot_t permission,
						    mach_port_t *object_handle,
						    mem_entry_name_port_t parent_entry)
{
	if (!size || !object_handle)
		return KERN_INVALID_ARGUMENT;
	mach_vm_map_args args = {};
	args.op = MACH_VM_MAKE_ENTRY;
	args.task = task;
	args.size = *size;
	args.offset = offset;
	args.cur_protection = permission;
	args.object = parent_entry;
	kern_return_t kr = map_call(args);
	if (kr == KERN_SUCCESS) {
		*size = args.size;
		*object_handle = args.object;
	}
	return kr;
}

LIBMACH_API kern_return_t mach_make_memory_entry(vm_map_t task, vm_size_t *size,
						 vm_offset_t offset, vm_prot_t permission,
						 mem_entry_name_port_t *object_handle,
						 mem_entry_name_port_t parent_entry)
{
	if (!size)
		return KERN_INVALID_ARGUMENT;
	memory_object_size_t size64 = *size;
	kern_return_t kr = mach_make_memory_entry_64(task, &size64, offset, permission,
						     object_handle, parent_entry);
	if (kr == KERN_SUCCESS)
		*size = size64;
	return kr;
}

namespace {

kern_return_t range_call(__u32 op, vm_map_t task, mach_vm_address_t address,
			 mach_vm_size_t size, __u32 value, __u64 data = 0)
{
	mach_vm_args args = {};
	args.op = op;
	args.task = task;
	args.address = address;
	args.size = size;
	args.value = value;
	args.data = data;
	kern_return_t kr = libmach::call(MACH_IOC_VM, &args);
	if (kr == libmach::send_as_message && op == MACH_VM_BEHAVIOR) {
		// mach_vm_behavior_set (4810): address, size, behavior
		uint32_t in[5] = {static_cast<uint32_t>(address),
				  static_cast<uint32_t>(address >> 32),
				  static_cast<uint32_t>(size), static_cast<uint32_t>(size >> 32),
				  value};
		return libmach::rpc(task, 4810, in, 5);
	}
	return kr == libmach::send_as_message ? MACH_SEND_INVALID_DEST : kr;
}

} // namespace

LIBMACH_API kern_return_t mach_vm_behavior_set(vm_map_t task, mach_vm_address_t address,
					       mach_vm_size_t size, vm_behavior_t behavior)
{
	return range_call(MACH_VM_BEHAVIOR, task, address, size, behavior);
}

LIBMACH_API kern_return_t vm_behavior_set(vm_map_t task, vm_address_t address,
					  vm_size_t size, vm_behavior_t behavior)
{
	return mach_vm_behavior_set(task, address, size, behavior);
}

// Wiring is mlock() in the task: its RLIMIT_MEMLOCK or CAP_IPC_LOCK decide,
// beside the host's privileged port that XNU asks for.
LIBMACH_API kern_return_t mach_vm_wire(host_priv_t host, vm_map_t task,
				       mach_vm_address_t address, mach_vm_size_t size,
				       vm_prot_t access)
{
	return range_call(MACH_VM_WIRE, task, address, size, access, host);
}

LIBMACH_API kern_return_t vm_wire(host_priv_t host, vm_map_t task, vm_address_t address,
				  vm_size_t size, vm_prot_t access)
{
	return mach_vm_wire(host, task, address, size, access);
}

// No submaps on Linux: every region is at depth 0, and what vm_region
// knows of it is what is told.
LIBMACH_API kern_return_t mach_vm_region_recurse(vm_map_read_t task, mach_vm_address_t *address,
						 mach_vm_size_t *size, natural_t *depth,
						 vm_region_recurse_info_t info,
						 mach_msg_type_number_t *count)
{
	if (!address || !size || !depth || !info || !count)
		return KERN_INVALID_ARGUMENT;
	mach_msg_type_number_t n = *count;
	if (n >= VM_REGION_SUBMAP_INFO_V2_COUNT_64)
		n = VM_REGION_SUBMAP_INFO_V2_COUNT_64;
	else if (n >= VM_REGION_SUBMAP_INFO_V1_COUNT_64)
		n = VM_REGION_SUBMAP_INFO_V1_COUNT_64;
	else if (n >= VM_REGION_SUBMAP_INFO_V0_COUNT_64)
		n = VM_REGION_SUBMAP_INFO_V0_COUNT_64;
	else
		return KERN_INVALID_ARGUMENT;

	vm_region_basic_info_data_64_t basic;
	mach_msg_type_number_t basic_count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_port_t object = MACH_PORT_NULL;
	vm_address_t at = *address;
	vm_size_t length = 0;
	kern_return_t kr = vm_region_64(task, &at, &length, VM_REGION_BASIC_INFO_64,
					reinterpret_cast<vm_region_info_t>(&basic), &basic_count,
					&object);
	if (kr != KERN_SUCCESS)
		return kr;
	vm_region_submap_info_data_64_t sub = {};
	sub.protection = basic.protection;
	sub.max_protection = basic.max_protection;
	sub.inheritance = basic.inheritance;
	sub.share_mode = basic.shared ? SM_SHARED : SM_PRIVATE;
	sub.ref_count = 1;
	sub.behavior = basic.behavior;
	memcpy(info, &sub, n * sizeof(natural_t));
	*address = at;
	*size = length;
	*depth = 0;
	*count = n;
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t vm_region_recurse_64(vm_map_read_t task, vm_address_t *address,
					       vm_size_t *size, natural_t *depth,
					       vm_region_recurse_info_t info,
					       mach_msg_type_number_t *count)
{
	mach_vm_address_t at = address ? *address : 0;
	mach_vm_size_t length = 0;
	if (!address || !size)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = mach_vm_region_recurse(task, &at, &length, depth, info, count);
	if (kr == KERN_SUCCESS) {
		*address = at;
		*size = length;
	}
	return kr;
}
