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

struct mach_vm_map_args;

namespace mach {

class Task;
class Port;

/* The entry a port owns (Port::create_for_entry()) going with it. */
void memory_entry_destroy(void *entry);

/*
 * MACH_IOC_VM_MAP's calls (MACH_VM_MAP, _REMAP, _MAKE_ENTRY) made by
 * caller on the task args.task names; args updated in place.
 */
Kr vm_map_call(Task &caller, mach_vm_map_args &args);

} /* namespace mach */

#endif /* MACH_CORE_VM_ENTRY_H */
