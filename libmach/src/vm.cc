// SPDX-License-Identifier: LGPL-2.1-or-later
// vm.cc - the vm_* calls on any task's address space.
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

// Puts a 64-bit value into two request words, as MIG lays it out.
void put64(uint32_t *words, uint64_t value)
{
	words[0] = static_cast<uint32_t>(value);
	words[1] = static_cast<uint32_t>(value >> 32);
}

// The call sent to a port that is no task's as its mach_vm routine
// (subsystem 4800), for a server standing in for the task to answer.
kern_return_t vm_call_as_message(mach_vm_args &args)
{
	uint32_t in[6], out[2];
	kern_return_t kr;

	put64(&in[0], args.address);
	put64(&in[2], args.size);
	switch (args.op) {
	case MACH_VM_ALLOCATE:
		in[4] = args.flags & MACH_VM_ANYWHERE ? VM_FLAGS_ANYWHERE : VM_FLAGS_FIXED;
		if (args.flags & MACH_VM_OVERWRITE)
			in[4] |= VM_FLAGS_OVERWRITE;
		kr = libmach::rpc(args.task, 4800, in, 5, out, 2);
		if (kr == KERN_SUCCESS)
			args.address = out[0] | static_cast<uint64_t>(out[1]) << 32;
		return kr;
	case MACH_VM_DEALLOCATE:
		return libmach::rpc(args.task, 4801, in, 4);
	case MACH_VM_PROTECT:
		in[4] = (args.flags & MACH_VM_SET_MAXIMUM) != 0;
		in[5] = args.value;
		return libmach::rpc(args.task, 4802, in, 6);
	case MACH_VM_INHERIT:
		in[4] = args.value;
		return libmach::rpc(args.task, 4803, in, 5);
	case MACH_VM_READ:	/* mach_vm_read_overwrite, into the caller's buffer */
		put64(&in[4], args.data);
		return libmach::rpc(args.task, 4808, in, 6, out, 2);
	case MACH_VM_COPY:
		put64(&in[4], args.data);
		return libmach::rpc(args.task, 4807, in, 6);
	case MACH_VM_WRITE:	/* the bytes out of line, then address and count */
		put64(&in[0], args.address);
		in[2] = static_cast<uint32_t>(args.size);
		return libmach::rpc_memory(args.task, 4806, true, reinterpret_cast<const void *>(args.data),
					   in[2], in, 3, nullptr, nullptr, 0, 1);
	default:
		return KERN_INVALID_ARGUMENT;	/* the module sends no other here */
	}
}

kern_return_t vm_call(mach_vm_args &args)
{
	kern_return_t kr = libmach::call(MACH_IOC_VM, &args);
	/* (A region's answer has its own layout: region() sends it.) */
	if (kr == libmach::send_as_message && args.op != MACH_VM_REGION)
		return vm_call_as_message(args);
	return kr;
}

mach_vm_args vm_args(__u32 op, vm_map_t task, vm_address_t address,
		     vm_size_t size)
{
	mach_vm_args args = {};
	args.op = op;
	args.task = task;
	args.address = address;
	args.size = size;
	return args;
}

} // namespace

LIBMACH_API kern_return_t vm_allocate(vm_map_t task, vm_address_t *address,
				      vm_size_t size, int flags)
{
	if (!address)
		return KERN_INVALID_ARGUMENT;
	// Only placement is honoured; the other user flags are hints.
	if (flags & ~VM_FLAGS_USER_ALLOCATE)
		return KERN_INVALID_ARGUMENT;
	mach_vm_args args = vm_args(MACH_VM_ALLOCATE, task, *address, size);
	if (flags & VM_FLAGS_ANYWHERE)
		args.flags = MACH_VM_ANYWHERE;
	else if (flags & VM_FLAGS_OVERWRITE)
		args.flags = MACH_VM_OVERWRITE;
	kern_return_t kr = vm_call(args);
	if (kr == KERN_SUCCESS)
		*address = args.address;
	return kr;
}

LIBMACH_API kern_return_t vm_deallocate(vm_map_t task, vm_address_t address,
					vm_size_t size)
{
	mach_vm_args args = vm_args(MACH_VM_DEALLOCATE, task, address, size);
	return vm_call(args);
}

LIBMACH_API kern_return_t vm_protect(vm_map_t task, vm_address_t address,
				     vm_size_t size, boolean_t set_maximum,
				     vm_prot_t new_protection)
{
	mach_vm_args args = vm_args(MACH_VM_PROTECT, task, address, size);
	args.value = new_protection;
	if (set_maximum)
		args.flags = MACH_VM_SET_MAXIMUM;
	return vm_call(args);
}

LIBMACH_API kern_return_t vm_inherit(vm_map_t task, vm_address_t address,
				     vm_size_t size, vm_inherit_t inheritance)
{
	mach_vm_args args = vm_args(MACH_VM_INHERIT, task, address, size);
	args.value = inheritance;
	return vm_call(args);
}

LIBMACH_API kern_return_t vm_read_overwrite(vm_map_read_t task,
					    vm_address_t address, vm_size_t size,
					    vm_address_t data, vm_size_t *out_size)
{
	mach_vm_args args = vm_args(MACH_VM_READ, task, address, size);
	args.data = data;
	kern_return_t kr = vm_call(args);
	if (kr == KERN_SUCCESS && out_size)
		*out_size = size;
	return kr;
}

namespace {

// Fresh pages for vm_read's bytes, as far into the first page as they
// are in the source (XNU's copy-out keeps that offset), and never inside
// the range read: a hole there is no place for them (it would read as
// mapped). bytes: the whole pages.
void *read_buffer(vm_address_t address, vm_size_t size, size_t bytes)
{
	void *held[4];
	unsigned n = 0;
	void *buf;

	while ((buf = libmach::out_of_line(bytes))) {
		uintptr_t at = reinterpret_cast<uintptr_t>(buf);
		if (at + bytes <= address || at >= address + size || n == 4)
			break;
		held[n++] = buf;	// kept while another is found
	}
	while (n)
		munmap(held[--n], bytes);
	return buf;
}

} // namespace

// The data comes back in fresh pages of the caller's, which it owns and
// gives back with vm_deallocate, as from Mach.
LIBMACH_API kern_return_t vm_read(vm_map_read_t task, vm_address_t address,
				  vm_size_t size, vm_offset_t *data,
				  mach_msg_type_number_t *count)
{
	if (!data || !count || size > UINT32_MAX)
		return KERN_INVALID_ARGUMENT;
	size_t page = getpagesize(), offset = address & (page - 1);
	size_t bytes = (offset + size + page - 1) & ~(page - 1);
	char *buf = nullptr;
	if (size && !(buf = static_cast<char *>(read_buffer(address, size, bytes))))
		return KERN_RESOURCE_SHORTAGE;
	mach_vm_args args = vm_args(MACH_VM_READ, task, address, size);
	args.data = reinterpret_cast<vm_address_t>(buf + offset);
	kern_return_t kr = libmach::call(MACH_IOC_VM, &args);
	if (kr != KERN_SUCCESS && buf)
		munmap(buf, bytes);
	if (kr == libmach::send_as_message) {	// mach_vm_read (4804): the bytes out of line
		uint32_t in[4], n;
		void *got = nullptr;
		put64(&in[0], address);
		put64(&in[2], size);
		kr = libmach::rpc_memory(task, 4804, false, nullptr, 0, in, 4, &got, &n, 1, 1);
		if (kr == KERN_SUCCESS) {
			*data = reinterpret_cast<vm_offset_t>(got);
			*count = n;
		}
		return kr;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	*data = size ? reinterpret_cast<vm_offset_t>(buf + offset) : 0;
	*count = size;
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t vm_write(vm_map_t task, vm_address_t address,
				   vm_offset_t data,
				   mach_msg_type_number_t count)
{
	mach_vm_args args = vm_args(MACH_VM_WRITE, task, address, count);
	args.data = data;
	return vm_call(args);
}

LIBMACH_API kern_return_t vm_copy(vm_map_t task, vm_address_t source,
				  vm_size_t size, vm_address_t dest)
{
	mach_vm_args args = vm_args(MACH_VM_COPY, task, source, size);
	args.data = dest;
	return vm_call(args);
}

namespace {

template <typename Info>
void fill_basic_info(const mach_vm_args &args, Info *info)
{
	*info = {};
	info->protection = args.protection;
	info->max_protection = args.max_protection;
	info->inheritance = args.inheritance;
	info->shared = args.shared;
	info->behavior = VM_BEHAVIOR_DEFAULT;
}

// mach_vm_region (4816) sent to a port standing in for a task: the object
// name port, then the region's address, size and info.
kern_return_t region_as_message(vm_map_read_t task, vm_address_t *address, vm_size_t *size,
				vm_region_flavor_t flavor, vm_region_info_t info,
				mach_msg_type_number_t *count, mach_port_t *object_name)
{
	constexpr unsigned info_max = 10;	/* MIG's vm_region_info_t */
	uint32_t in[4], out[5 + info_max];
	mach_port_t object = MACH_PORT_NULL;
	unsigned n;

	put64(&in[0], *address);
	in[2] = flavor;
	in[3] = *count < info_max ? *count : info_max;
	kern_return_t kr = libmach::rpc_general(task, 4816, nullptr, 0, 0, in, 4, &object, 1, out,
						5 + info_max, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	if (n < 5 || out[4] != n - 5 || out[4] > *count) {
		if (object != MACH_PORT_NULL)
			mach_port_deallocate(mach_task_self(), object);
		return MIG_TYPE_ERROR;
	}
	*address = out[0] | static_cast<uint64_t>(out[1]) << 32;
	*size = out[2] | static_cast<uint64_t>(out[3]) << 32;
	memcpy(info, &out[5], 4 * out[4]);
	*count = out[4];
	if (object_name)
		*object_name = object;
	else if (object != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), object);
	return KERN_SUCCESS;
}

kern_return_t region(vm_map_read_t task, vm_address_t *address,
		     vm_size_t *size, vm_region_flavor_t flavor,
		     vm_region_info_t info, mach_msg_type_number_t *count,
		     mach_port_t *object_name)
{
	if (!address || !size || !info || !count)
		return KERN_INVALID_ARGUMENT;
	mach_msg_type_number_t need;
	if (flavor == VM_REGION_BASIC_INFO_64)
		need = VM_REGION_BASIC_INFO_COUNT_64;
	else if (flavor == VM_REGION_BASIC_INFO)
		need = VM_REGION_BASIC_INFO_COUNT;
	else
		return KERN_INVALID_ARGUMENT;
	if (*count < need)
		return KERN_INVALID_ARGUMENT;

	mach_vm_args args = vm_args(MACH_VM_REGION, task, *address, 0);
	kern_return_t kr = vm_call(args);
	if (kr == libmach::send_as_message)
		return region_as_message(task, address, size, flavor, info, count, object_name);
	if (kr != KERN_SUCCESS)
		return kr;
	*address = args.address;
	*size = args.size;
	if (flavor == VM_REGION_BASIC_INFO_64)
		fill_basic_info(args, reinterpret_cast<vm_region_basic_info_64_t>(info));
	else
		fill_basic_info(args, reinterpret_cast<vm_region_basic_info_t>(info));
	*count = need;
	if (object_name)
		*object_name = MACH_PORT_NULL;	// as on XNU: never a port
	return KERN_SUCCESS;
}

} // namespace

LIBMACH_API kern_return_t vm_region(vm_map_read_t task, vm_address_t *address,
				    vm_size_t *size, vm_region_flavor_t flavor,
				    vm_region_info_t info,
				    mach_msg_type_number_t *count,
				    mach_port_t *object_name)
{
	return region(task, address, size, flavor, info, count, object_name);
}

LIBMACH_API kern_return_t vm_region_64(vm_map_read_t task, vm_address_t *address,
				       vm_size_t *size, vm_region_flavor_t flavor,
				       vm_region_info_t info,
				       mach_msg_type_number_t *count,
				       mach_port_t *object_name)
{
	return region(task, address, size, flavor, info, count, object_name);
}
