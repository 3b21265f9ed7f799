/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm_entry.h - memory entries (mach_make_memory_entry), and the calls
 * that map memory: vm_map, vm_remap.
 *
 * An entry names a piece of a memory object the host keeps (a file, on
 * Linux): its offset there, its size and the protections it allows. Its
 * port, a kernel port, owns it; the entry goes when the last right to
 * the port does. Mapping it in any task shares the same memory.
 */
#ifndef MACH_CORE_VM_ENTRY_H
#define MACH_CORE_VM_ENTRY_H

#include "base.h"
#include "port.h"

struct mach_vm_map_args;

namespace mach {

class Task;

/* The entry a port owns (Port::create_for_entry()) going with it. */
void memory_entry_destroy(void *entry);

/* vm_map of object, a memory entry's port or none (zero fill), in task. */
Kr vm_map_object(Task &task, u64 program, mach_vm_map_args &args, Port *object);
/* vm_remap of source's range (args.offset) into task. */
Kr vm_remap_from(Task &task, u64 program, Task &source, u64 source_program,
		 mach_vm_map_args &args);
/*
 * mach_make_memory_entry of task's range (args.offset, args.size), fresh
 * memory or a piece of parent's (a memory entry's port, or none): the new
 * entry's port into *entry (none for a fresh one of size 0).
 */
Kr make_memory_entry(Task &task, u64 program, mach_vm_map_args &args, Port *parent,
		     Ref<Port> *entry);

/*
 * MACH_IOC_VM_MAP's calls (MACH_VM_MAP, _REMAP, _MAKE_ENTRY) made by
 * caller on the task args.task names; args updated in place.
 */
Kr vm_map_call(Task &caller, mach_vm_map_args &args);

} /* namespace mach */

#endif /* MACH_CORE_VM_ENTRY_H */
