// SPDX-License-Identifier: GPL-2.0
/*
 * vm_entry.cc - memory entries, vm_map and vm_remap: XNU's argument rules
 * (osfmk/vm/vm_memory_entry.c, vm_user.c), then the host maps.
 *
 * vm_remap is made of the other two: the source range becomes an entry
 * (shared, or a copy of it), which is mapped in the target, and let go.
 */
#include "vm_entry.h"
#include "port.h"
#include "resolve.h"
#include "space.h"
#include "task.h"
#include "uapi.h"
#include "vm.h"

namespace mach {
namespace {

constexpr u32 prot_all = 7;			/* VM_PROT_ALL */
constexpr u32 inherit_last = 2;			/* VM_INHERIT_NONE */
constexpr u32 flags_anywhere = 0x1;		/* VM_FLAGS_ANYWHERE */
constexpr u32 flags_overwrite = 0x4000;		/* VM_FLAGS_OVERWRITE */
constexpr u32 flags_return_data_addr = 0x100000;	/* VM_FLAGS_RETURN_DATA_ADDR */
/* VM_FLAGS_USER_MAP: USER_ALLOCATE and the RETURN_*DATA_ADDR flags */
constexpr u32 flags_user_map = 0xff07509f | 0x100000 | 0x800000;
/* mach_make_memory_entry's permission: MAP_MEM_* */
constexpr u32 mem_named_create = 0x020000;
constexpr u32 mem_vm_copy = 0x200000;
constexpr u32 mem_vm_share = 0x400000;
constexpr u32 mem_flags_user = 0x00ffe000;	/* MAP_MEM_FLAGS_USER */
constexpr u32 mem_flags_mask = 0x00ffff00;	/* MAP_MEM_FLAGS_MASK */

struct MemoryEntry {
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;
	mach_vm_object *object;	/* a reference */
	u64 offset;		/* where it starts in object */
	u64 size;		/* page-rounded */
	u32 protection;		/* what a mapping of it may allow */
};

u64 page_mask()
{
	return mach_shim_page_size() - 1;
}

/* [trunc(addr), round(addr + size)), false if that wraps. */
bool pages(u64 addr, u64 size, u64 *start, u64 *end)
{
	u64 last = addr + size;
	if (last < addr || last > ~page_mask())
		return false;
	*start = addr & ~page_mask();
	*end = (last + page_mask()) & ~page_mask();
	return true;
}

/* The entry port stands for (none for no port), or InvalidObject. */
Kr entry_of(Port *port, MemoryEntry **entry)
{
	*entry = port ? static_cast<MemoryEntry *>(port->memory_entry()) : nullptr;
	return port && !*entry ? Kr::InvalidObject : Kr::Success;
}

/* The port the caller's send right name is, into *port (none for null). */
Kr port_named(Task &caller, u32 name, Ref<Port> *port)
{
	if (name == Name::null)
		return Kr::Success;
	*port = caller.space().lookup_send(Name{name});
	return *port ? Kr::Success : Kr::SendInvalidRight;	/* MIG's copy-in */
}

/* A new entry's port, for object's reference (taken, whatever comes). */
Kr new_entry(mach_vm_object *object, u64 offset, u64 size, u32 prot, Ref<Port> *port)
{
	MemoryEntry *entry = make<MemoryEntry>();
	if (!entry) {
		mach_shim_vm_object_put(object);
		return Kr::ResourceShortage;
	}
	*entry = MemoryEntry{object, offset, size, prot};
	*port = Ref<Port>::adopt(Port::create_for_entry(entry));
	return *port ? Kr::Success : Kr::ResourceShortage;
}

/* The host's op on task, the task's threads held if it may share a range. */
Kr host_vm(Task &task, mach_shim_vm_request &req, bool hold)
{
	if (hold) {
		Kr held = task.suspend_and_wait();
		if (held == Kr::Aborted)
			return held;
		hold = held == Kr::Success;	/* else terminated: the call says so */
	}
	int err = mach_shim_vm(task.os(), &req);
	if (hold) {
		task.resume();
		task.end_wait();
	}
	return err ? vm_error(req.op, err) : Kr::Success;
}

/*
 * vm_map's rules for args (flags, protections, inheritance, the address)
 * into req: a mapping of size bytes at offset in object (null: zero fill).
 */
Kr map_request(const mach_vm_map_args &args, mach_shim_vm_request &req)
{
	if (args.flags & ~flags_user_map)
		return Kr::InvalidArgument;
	if ((args.cur_protection | args.max_protection) & ~prot_all ||
	    (args.cur_protection & ~args.max_protection))
		return Kr::InvalidArgument;
	if (args.inheritance > inherit_last)
		return Kr::InvalidArgument;
	req.op = MACH_VM_MAP;
	req.value = args.cur_protection;
	req.max_protection = args.max_protection;
	req.map_inheritance = args.inheritance;
	req.mask = args.mask;
	req.anywhere = args.flags & flags_anywhere;
	req.overwrite = !req.anywhere && (args.flags & flags_overwrite);
	u64 size = (args.size + page_mask()) & ~page_mask();
	if (!args.size || size < args.size)
		return Kr::InvalidArgument;
	if (req.anywhere) {
		req.start = 0;
		req.end = size;
		return Kr::Success;
	}
	if (!pages(args.address & ~page_mask(), size, &req.start, &req.end) || !req.start)
		return Kr::InvalidAddress;
	return Kr::Success;
}

/*
 * A new mapping's maximum, where the host could not lower it as it mapped:
 * lowered as vm_protect's set_maximum lowers it (module/vm.c), which
 * splits the mapping from a neighbour Linux merged it with. If it cannot
 * be, the mapping goes.
 */
Kr lower_maximum(Task &task, u64 program, u64 address, u64 size, u32 max)
{
	mach_shim_vm_request req{};
	req.op = MACH_VM_PROTECT;
	req.set_maximum = true;
	req.value = max;
	req.program = program;
	req.start = address;
	req.end = address + size;
	Kr kr = host_vm(task, req, false);
	if (kr != Kr::Success) {
		mach_shim_vm_request undo{};
		undo.op = MACH_VM_DEALLOCATE;
		undo.program = program;
		undo.start = address;
		undo.end = address + size;
		host_vm(task, undo, false);
	}
	return kr;
}

/* vm_map of entry (or zero fill) in task. */
Kr map_entry(Task &task, u64 program, mach_vm_map_args &args, MemoryEntry *entry)
{
	mach_shim_vm_request req{};
	Kr kr = map_request(args, req);
	if (kr != Kr::Success)
		return kr;
	req.program = program;
	if (entry) {
		u64 start, end;
		if (!pages(args.offset, args.size, &start, &end) || end > entry->size)
			return Kr::InvalidArgument;
		if ((entry->protection & args.max_protection) != args.max_protection ||
		    (entry->protection & args.cur_protection) != args.cur_protection)
			return Kr::InvalidRight;
		req.object = entry->object;
		req.offset = entry->offset + start;
		req.copy = args.copy != 0;
	}
	u64 size = req.end - req.start;
	kr = host_vm(task, req, false);
	if (kr != Kr::Success)
		return kr;
	args.address = req.address;
	/* What the host could not lower in place (the mapping merged). */
	return !(req.max_protection & ~args.max_protection) ? Kr::Success :
	       lower_maximum(task, program, req.address, size, args.max_protection);
}

/*
 * [start, end) of task's memory as an entry's: shared (the task's
 * threads held while a private range becomes shared), or a copy.
 */
Kr range_entry(Task &task, u64 program, u64 start, u64 end, u32 prot, bool copy,
	       mach_shim_vm_request &req)
{
	req = mach_shim_vm_request{};
	req.op = MACH_VM_MAKE_ENTRY;
	req.program = program;
	req.start = start;
	req.end = end;
	req.value = prot;
	req.copy = copy;
	return host_vm(task, req, !copy);
}

} /* namespace */

Kr make_memory_entry(Task &task, u64 program, mach_vm_map_args &args, Port *parent_port,
		     Ref<Port> *entry)
{
	u32 permission = args.cur_protection, prot = permission & prot_all;
	if (permission & mem_flags_mask & ~mem_flags_user)
		return Kr::InvalidValue;
	MemoryEntry *parent;
	Kr kr = entry_of(parent_port, &parent);
	if (kr != Kr::Success)
		return kr;

	if (permission & mem_named_create) {
		u64 size = (args.size + page_mask()) & ~page_mask();
		if (size < args.size)
			return Kr::InvalidArgument;
		if (!size)
			return Kr::Success;	/* no entry, as XNU answers */
		mach_vm_object *object;
		int err = mach_shim_vm_object_create(size, &object);
		if (err)
			return err == -MACH_ENOMEM ? Kr::ResourceShortage : Kr::InvalidArgument;
		args.size = size;
		return new_entry(object, 0, size, prot, entry);
	}

	u64 start, end;
	if (parent && !(permission & (mem_vm_copy | mem_vm_share))) {
		/* A piece of the parent entry, no more than it allows. */
		if (!pages(args.offset, args.size, &start, &end) || end > parent->size ||
		    start == end)
			return Kr::InvalidArgument;
		if ((parent->protection & prot) != prot)
			return Kr::ProtectionFailure;
		mach_shim_vm_object_get(parent->object);
		args.size = end - start;
		return new_entry(parent->object, parent->offset + start, end - start, prot, entry);
	}

	/* The task's own memory at offset. */
	if (!pages(args.offset, args.size, &start, &end))
		return Kr::InvalidArgument;
	if (start == end)
		return Kr::InvalidArgument;
	mach_shim_vm_request req;
	kr = range_entry(task, program, start, end, prot, permission & mem_vm_copy, req);
	if (kr != Kr::Success)
		return kr;
	args.size = end - start;
	return new_entry(req.object, req.offset, end - start, prot, entry);
}

Kr vm_map_object(Task &task, u64 program, mach_vm_map_args &args, Port *object)
{
	MemoryEntry *entry;
	Kr kr = entry_of(object, &entry);
	return kr == Kr::Success ? map_entry(task, program, args, entry) : kr;
}

Kr vm_remap_from(Task &target, u64 program, Task &source, u64 source_program,
		 mach_vm_map_args &args)
{
	u64 start, end;
	Kr kr;
	if (!args.size || !pages(args.offset, args.size, &start, &end))
		return Kr::InvalidArgument;

	/* The checks that need no source first: nothing is shared for nothing. */
	mach_vm_map_args map_args = args;
	map_args.cur_protection = map_args.max_protection = prot_all;
	map_args.size = end - start;
	mach_shim_vm_request req{};
	kr = map_request(map_args, req);
	if (kr != Kr::Success)
		return kr;

	kr = range_entry(source, source_program, start, end, 0, args.copy != 0, req);
	if (kr != Kr::Success)
		return kr;
	MemoryEntry entry{req.object, req.offset, end - start, prot_all};
	map_args.cur_protection = req.protection;
	map_args.max_protection = req.max_protection | req.protection;
	map_args.offset = 0;
	map_args.copy = false;
	kr = map_entry(target, program, map_args, &entry);
	mach_shim_vm_object_put(req.object);
	if (kr != Kr::Success)
		return kr;
	/* VM_FLAGS_RETURN_DATA_ADDR: where the source's first byte is. */
	args.address = map_args.address;
	if (args.flags & flags_return_data_addr)
		args.address += args.offset & page_mask();
	args.cur_protection = map_args.cur_protection;
	args.max_protection = map_args.max_protection;
	return Kr::Success;
}

void memory_entry_destroy(void *p)
{
	MemoryEntry *entry = static_cast<MemoryEntry *>(p);
	mach_shim_vm_object_put(entry->object);
	destroy(entry);
}

Kr vm_map_call(Task &caller, mach_vm_map_args &args)
{
	Ref<Task> task;
	u64 program;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task, &program, true);
	if (kr != Kr::Success)
		return kr;
	Ref<Port> port;
	Ref<Port> entry;
	Ref<Task> source;
	u64 source_program;
	switch (args.op) {
	case MACH_VM_MAP:
		kr = port_named(caller, args.object, &port);
		return kr == Kr::Success ? vm_map_object(*task.get(), program, args, port.get()) :
					   kr;
	case MACH_VM_REMAP:
		kr = resolve_task(caller, args.object, Kr::InvalidArgument, &source,
				  &source_program, true);
		if (kr != Kr::Success)
			return kr;
		return vm_remap_from(*task.get(), program, *source.get(), source_program, args);
	case MACH_VM_MAKE_ENTRY: {
		kr = port_named(caller, args.object, &port);
		if (kr == Kr::Success)
			kr = make_memory_entry(*task.get(), program, args, port.get(), &entry);
		args.object = Name::null;
		if (kr != Kr::Success || !entry)
			return kr;
		Name made{Name::null};
		kr = caller.space().make_send(entry.get(), &made);
		args.object = made.value;
		return kr;
	}
	default:
		return Kr::InvalidArgument;
	}
}

} /* namespace mach */
