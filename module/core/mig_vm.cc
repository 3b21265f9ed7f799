// SPDX-License-Identifier: GPL-2.0
/*
 * mig_vm.cc - the mach_vm interface (4800) as messages: the calls on a
 * task's address space that carry no memory in the message, decoded into
 * the vm_call() ioctl.cc makes. (XNU serves 3800, vm_map, only for 32-bit
 * clients; 64-bit programs send these.)
 */
#include "mig.h"
#include "resolve.h"
#include "uapi.h"
#include "vm.h"

namespace mach {
namespace {

/* VM_FLAGS_* a user may give an allocation (<mach/vm_statistics.h>). */
constexpr u32 vm_flags_anywhere = 0x1;
constexpr u32 vm_flags_user_allocate = 0xff07509f;

/* vm_call(op) on the request's task, with address and size at 32 and 40. */
Kr on_map(MigCall &call, mach_vm_args &args)
{
	Ref<Task> task;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task, &program,
			vm_changes_mappings(args.op));
	if (kr != Kr::Success)
		return kr;
	return vm_call(*task.get(), program, args);
}

mach_vm_args range_args(MigCall &call, u32 op)
{
	mach_vm_args args{};
	args.op = op;
	args.address = call.in64(mig_args);
	args.size = call.in64(mig_args + 8);
	return args;
}

/* address, size, flags: the address it got, after RetCode. */
Kr allocate_call(MigCall &call)
{
	if (!call.simple(mig_args + 20))
		return Kr::MigBadArguments;
	u32 flags = call.in32(mig_args + 16);
	if (flags & ~vm_flags_user_allocate)
		return Kr::InvalidArgument;
	mach_vm_args args = range_args(call, MACH_VM_ALLOCATE);
	if (flags & vm_flags_anywhere)
		args.flags = MACH_VM_ANYWHERE;
	Kr kr = on_map(call, args);
	if (kr == Kr::Success) {
		call.out64(mig_results, args.address);
		call.set_reply_size(mig_results + 8);
	}
	return kr;
}

Kr deallocate_call(MigCall &call)
{
	if (!call.simple(mig_args + 16))
		return Kr::MigBadArguments;
	mach_vm_args args = range_args(call, MACH_VM_DEALLOCATE);
	return on_map(call, args);
}

/* address, size, set_maximum, new_protection */
Kr protect_call(MigCall &call)
{
	if (!call.simple(mig_args + 24))
		return Kr::MigBadArguments;
	mach_vm_args args = range_args(call, MACH_VM_PROTECT);
	if (call.in32(mig_args + 16))
		args.flags = MACH_VM_SET_MAXIMUM;
	args.value = call.in32(mig_args + 20);
	return on_map(call, args);
}

/* address, size, new_inheritance */
Kr inherit_call(MigCall &call)
{
	if (!call.simple(mig_args + 20))
		return Kr::MigBadArguments;
	mach_vm_args args = range_args(call, MACH_VM_INHERIT);
	args.value = call.in32(mig_args + 16);
	return on_map(call, args);
}

/* source address, size, dest address, all in the task */
Kr copy_call(MigCall &call)
{
	if (!call.simple(mig_args + 24))
		return Kr::MigBadArguments;
	mach_vm_args args = range_args(call, MACH_VM_COPY);
	args.data = call.in64(mig_args + 16);
	return on_map(call, args);
}

/* address, size, and where in the sender's memory: the size read out. */
Kr read_overwrite_call(MigCall &call)
{
	if (!call.simple(mig_args + 24))
		return Kr::MigBadArguments;
	mach_vm_args args = range_args(call, MACH_VM_READ);
	args.data = call.in64(mig_args + 16);
	Kr kr = on_map(call, args);
	if (kr == Kr::Success) {
		call.out64(mig_results, call.in64(mig_args + 8));
		call.set_reply_size(mig_results + 8);
	}
	return kr;
}

/* VM_REGION_BASIC_INFO_64 and VM_REGION_BASIC_INFO, and their counts. */
constexpr u32 region_basic_info_64 = 9, region_basic_info_64_count = 9;
constexpr u32 region_basic_info = 10, region_basic_info_count = 8;

/*
 * address, flavor, the caller's room: the object name (a null port, as
 * on XNU), then NDR, the region's address and size, and its info.
 */
Kr region_call(MigCall &call)
{
	if (!call.simple(mig_args + 16))
		return Kr::MigBadArguments;
	u32 flavor = call.in32(mig_args + 8), room = call.in32(mig_args + 12);
	u32 count = flavor == region_basic_info_64 ? region_basic_info_64_count :
		    flavor == region_basic_info ? region_basic_info_count : 0;
	if (!count || room < count)
		return Kr::InvalidArgument;
	mach_vm_args args{};
	args.op = MACH_VM_REGION;
	args.address = call.in64(mig_args);
	Kr kr = on_map(call, args);
	if (kr != Kr::Success)
		return kr;
	/* protection, max, inheritance, shared, reserved, offset, behavior, wired */
	u32 words[5 + region_basic_info_64_count] = {};
	words[0] = static_cast<u32>(args.address);
	words[1] = static_cast<u32>(args.address >> 32);
	words[2] = static_cast<u32>(args.size);
	words[3] = static_cast<u32>(args.size >> 32);
	words[4] = count;
	words[5] = args.protection;
	words[6] = args.max_protection;
	words[7] = args.inheritance;
	words[8] = args.shared;
	TransitRight none;
	return call.out_ports(&none, 1, MoveSend, words, 5 + count) ? Kr::Success :
								      Kr::ResourceShortage;
}

constexpr MigRoutine routines[] = {
	{4800, mig_results + 8, allocate_call},
	{4801, mig_reply_error_size, deallocate_call},
	{4802, mig_reply_error_size, protect_call},
	{4803, mig_reply_error_size, inherit_call},
	{4807, mig_reply_error_size, copy_call},
	{4808, mig_results + 8, read_overwrite_call, true},
	{4816, mig_port_args + 20 + 4 * region_basic_info_64_count,
	 region_call, true},
};

} /* namespace */

const MigRoutines mig_vm_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
