// SPDX-License-Identifier: GPL-2.0
/*
 * mig_vm.cc - the mach_vm (4800) and vm_map (3800) interfaces as
 * messages: the calls on a task's address space, decoded into the
 * vm_call() ioctl.cc makes; vm_read's and vm_write's bytes travel out of
 * line, copied through the kernel.
 */
#include "mig.h"
#include "resolve.h"
#include "uapi.h"
#include "vm.h"
#include "vm_entry.h"

namespace mach {
namespace {

/* VM_FLAGS_* a user may give an allocation (<mach/vm_statistics.h>). */
constexpr u32 vm_flags_anywhere = 0x1;
constexpr u32 vm_flags_overwrite = 0x4000;
constexpr u32 vm_flags_user_allocate = 0xff07509f;

/*
 * vm_call(op) on the request's task; kernel_data: args.data is the
 * message's out-of-line bytes.
 */
Kr on_map(MigCall &call, mach_vm_args &args, bool kernel_data = false)
{
	Ref<Task> task;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task, &program,
			vm_changes_mappings(args.op));
	if (kr != Kr::Success)
		return kr;
	return vm_call(*task.get(), program, args, kernel_data);
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
	else if (flags & vm_flags_overwrite)
		args.flags = MACH_VM_OVERWRITE;
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

/*
 * address, size: the bytes, out of line (in fresh pages of the receiver's),
 * and their count. They are read into the kernel first: a message holds
 * at most ool_bytes_max of them.
 */
Kr read_call(MigCall &call)
{
	if (!call.simple(mig_args + 16))
		return Kr::MigBadArguments;
	mach_vm_args args = range_args(call, MACH_VM_READ);
	if (args.size > 0xffffffffu)
		return Kr::InvalidArgument;	/* no count for it, as libmach says */
	if (args.size > ool_bytes_max)
		return Kr::ResourceShortage;
	u32 size = static_cast<u32>(args.size);
	void *data = size ? mach_shim_alloc(MACH_KIND_MEMORY, size) : nullptr;
	if (size && !data)
		return Kr::ResourceShortage;
	args.data = reinterpret_cast<u64>(data);
	Kr kr = on_map(call, args, true);
	if (kr != Kr::Success) {
		if (data)
			mach_shim_free(MACH_KIND_MEMORY, data);
		return kr;
	}
	return call.out_memory(&data, &size, 1, &size, 1) ? Kr::Success : Kr::ResourceShortage;
}

/* The bytes out of line, then NDR, the address and their count. */
Kr write_call(MigCall &call)
{
	constexpr u32 address_at = mig_memory_args(1);
	if (!call.complex(1, address_at + 12))
		return Kr::MigBadArguments;
	u32 size;
	const void *data = call.memory(0, &size);
	if (!call.carries_memory(0) || size != call.in32(address_at + 8))
		return Kr::MigTypeError;
	mach_vm_args args{};
	args.op = MACH_VM_WRITE;
	args.address = call.in64(address_at);
	args.size = size;
	args.data = reinterpret_cast<u64>(data);
	return on_map(call, args, true);
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

/* address, size, behavior */
Kr behavior_call(MigCall &call)
{
	if (!call.simple(mig_args + 20))
		return Kr::MigBadArguments;
	mach_vm_args args = range_args(call, MACH_VM_BEHAVIOR);
	args.value = call.in32(mig_args + 16);
	return on_map(call, args);
}

/* A right taken from the request for its port, dropped when done. */
class HeldRight {
public:
	HeldRight(MigCall &call, u32 i) : right_(call.take_right(i)) {}
	~HeldRight()
	{
		if (right_.port)
			right_.port->drop(right_);
	}
	HeldRight(const HeldRight &) = delete;
	HeldRight &operator=(const HeldRight &) = delete;
	Port *port() const { return right_.port; }

private:
	TransitRight right_;
};

/* The request's task, for a call that changes its mappings. */
Kr mapped_task(MigCall &call, Ref<Task> *task, u64 *program)
{
	return task_of(call.caller, call.target, Kr::InvalidArgument, task, program, true);
}

/*
 * The object in a port descriptor, then NDR, address, size, mask, flags,
 * offset, copy, cur_ and max_protection, inheritance: the address.
 */
Kr map_call(MigCall &call)
{
	constexpr u32 at = mig_port_args;
	if (!call.complex(1, at + 52))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	HeldRight object(call, 0);
	mach_vm_map_args args{};
	args.address = call.in64(at);
	args.size = call.in64(at + 8);
	args.mask = call.in64(at + 16);
	args.flags = call.in32(at + 24);
	args.offset = call.in64(at + 28);
	args.copy = call.in32(at + 36);
	args.cur_protection = call.in32(at + 40);
	args.max_protection = call.in32(at + 44);
	args.inheritance = call.in32(at + 48);
	Ref<Task> task;
	u64 program;
	Kr kr = mapped_task(call, &task, &program);
	if (kr == Kr::Success)
		kr = vm_map_object(*task.get(), program, args, object.port());
	if (kr == Kr::Success) {
		call.out64(mig_results, args.address);
		call.set_reply_size(mig_results + 8);
	}
	return kr;
}

/*
 * The source task in a port descriptor, then NDR, the target address,
 * size, mask, flags, the source address, copy, inheritance: the address
 * and the protections.
 */
Kr remap_call(MigCall &call)
{
	constexpr u32 at = mig_port_args;
	if (!call.complex(1, at + 44))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	HeldRight source_port(call, 0);
	mach_vm_map_args args{};
	args.address = call.in64(at);
	args.size = call.in64(at + 8);
	args.mask = call.in64(at + 16);
	args.flags = call.in32(at + 24);
	args.offset = call.in64(at + 28);
	args.copy = call.in32(at + 36);
	args.inheritance = call.in32(at + 40);
	Ref<Task> task, source;
	u64 program, source_program;
	if (!source_port.port())
		return Kr::InvalidArgument;
	Kr kr = mapped_task(call, &task, &program);
	if (kr == Kr::Success)
		kr = task_of(call.caller, *source_port.port(), Kr::InvalidArgument, &source,
			     &source_program, true);
	if (kr == Kr::Success)
		kr = vm_remap_from(*task.get(), program, *source.get(), source_program, args);
	if (kr == Kr::Success) {
		call.out64(mig_results, args.address);
		call.out32(mig_results + 8, args.cur_protection);
		call.out32(mig_results + 12, args.max_protection);
		call.set_reply_size(mig_results + 16);
	}
	return kr;
}

/*
 * The parent entry in a port descriptor, then NDR, size, offset,
 * permission: the entry in a port descriptor, then NDR and the size.
 */
Kr make_entry_call(MigCall &call)
{
	constexpr u32 at = mig_port_args;
	if (!call.complex(1, at + 20))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	HeldRight parent(call, 0);
	mach_vm_map_args args{};
	args.size = call.in64(at);
	args.offset = call.in64(at + 8);
	args.cur_protection = call.in32(at + 16);
	Ref<Task> task;
	u64 program;
	Ref<Port> entry;
	Kr kr = mapped_task(call, &task, &program);
	if (kr == Kr::Success)
		kr = make_memory_entry(*task.get(), program, args, parent.port(), &entry);
	if (kr != Kr::Success)
		return kr;
	TransitRight right;
	if (entry) {
		entry->make_send();
		right = TransitRight{entry.release(), MoveSend};
	}
	u32 words[2] = {static_cast<u32>(args.size), static_cast<u32>(args.size >> 32)};
	return call.out_ports(&right, 1, MoveSend, words, 2) ? Kr::Success :
							      Kr::ResourceShortage;
}

/* VM_REGION_SUBMAP_INFO_COUNT_64 (V2), and the oldest count (V0). */
constexpr u32 submap_info_count = 19, submap_info_v0_count = 16;

/*
 * address, nesting depth, the caller's room: the region's address, size,
 * depth (0: Linux has no submaps) and vm_region_submap_info_64.
 */
Kr region_recurse_call(MigCall &call)
{
	if (!call.simple(mig_args + 16))
		return Kr::MigBadArguments;
	u32 room = call.in32(mig_args + 12);
	if (room < submap_info_v0_count)
		return Kr::InvalidArgument;
	u32 count = room < submap_info_count ? (room < 17 ? 16 : 17) : submap_info_count;
	mach_vm_args args{};
	args.op = MACH_VM_REGION;
	args.address = call.in64(mig_args);
	Kr kr = on_map(call, args);
	if (kr != Kr::Success)
		return kr;
	/* protection, max, inheritance, offset (2), user_tag, 5 page counts, ... */
	u32 info[submap_info_count] = {};
	info[0] = args.protection;
	info[1] = args.max_protection;
	info[2] = args.inheritance;
	info[10] = 1;					/* ref_count */
	info[11] = (args.shared ? 4u : 2u) << 24;	/* share_mode: SM_SHARED, SM_PRIVATE */
	call.out64(mig_results, args.address);
	call.out64(mig_results + 8, args.size);
	call.out32(mig_results + 16, 0);		/* nesting depth */
	call.out32(mig_results + 20, count);
	for (u32 i = 0; i < count; i++)
		call.out32(mig_results + 24 + 4 * i, info[i]);
	call.set_reply_size(mig_results + 24 + 4 * count);
	return Kr::Success;
}

constexpr u32 region_reply = mig_port_args + 20 + 4 * region_basic_info_64_count;
constexpr u32 recurse_reply = mig_results + 24 + 4 * submap_info_count;
constexpr u32 entry_reply = mig_port_args + 8;
constexpr u32 read_reply = mig_memory_args(1) + 4;

/*
 * vm_map (3800) has mach_vm's routines under other ids: on x86_64 its
 * vm_address_t and vm_size_t are 64-bit (machine_types.defs, __LP64__),
 * so their requests and replies are laid out alike, and one server does.
 */
constexpr MigRoutine routines[] = {
	/* vm_map (3800): 64-bit here, mach_vm's layouts and routines. */
	{3800, region_reply, region_call, true},		/* vm_region */
	{3801, mig_results + 8, allocate_call},			/* vm_allocate */
	{3802, mig_reply_error_size, deallocate_call},		/* vm_deallocate */
	{3803, mig_reply_error_size, protect_call},		/* vm_protect */
	{3804, mig_reply_error_size, inherit_call},		/* vm_inherit */
	{3805, read_reply, read_call},				/* vm_read */
	{3807, mig_reply_error_size, write_call},		/* vm_write */
	{3808, mig_reply_error_size, copy_call},		/* vm_copy */
	{3809, mig_results + 8, read_overwrite_call, true},	/* vm_read_overwrite */
	{3811, mig_reply_error_size, behavior_call},		/* vm_behavior_set */
	{3812, mig_results + 8, map_call},			/* vm_map */
	{3814, mig_results + 16, remap_call},			/* vm_remap */
	{3816, entry_reply, make_entry_call},			/* mach_make_memory_entry */
	{3822, recurse_reply, region_recurse_call, true},	/* vm_region_recurse_64 */
	{3824, region_reply, region_call, true},		/* vm_region_64 */
	{3825, entry_reply, make_entry_call},			/* mach_make_memory_entry_64 */
	/* mach_vm (4800) */
	{4800, mig_results + 8, allocate_call},
	{4801, mig_reply_error_size, deallocate_call},
	{4802, mig_reply_error_size, protect_call},
	{4803, mig_reply_error_size, inherit_call},
	{4804, read_reply, read_call},
	{4806, mig_reply_error_size, write_call},
	{4807, mig_reply_error_size, copy_call},
	{4808, mig_results + 8, read_overwrite_call, true},
	{4810, mig_reply_error_size, behavior_call},
	{4811, mig_results + 8, map_call},
	{4813, mig_results + 16, remap_call},
	{4815, recurse_reply, region_recurse_call, true},
	{4816, region_reply, region_call, true},
	{4817, entry_reply, make_entry_call},			/* _mach_make_memory_entry */
};

} /* namespace */

const MigRoutines mig_vm_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
