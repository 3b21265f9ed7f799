/* SPDX-License-Identifier: GPL-2.0 */
/* vm.h - the vm_* calls: Mach's argument rules, then the host does them. */
#ifndef MACH_CORE_VM_H
#define MACH_CORE_VM_H

#include "base.h"

struct mach_vm_args;

namespace mach {

class Task;

/*
 * One vm_* call on task, whose process runs program, with the arguments in
 * args (updated in place). kernel_data: READ's and WRITE's data is a
 * kernel buffer (a message's out-of-line bytes), not the caller's memory.
 */
Kr vm_call(Task &task, u64 program, mach_vm_args &args, bool kernel_data = false);

/*
 * Does op change the task's mappings, so that its agent runs it (and not
 * the caller, which only reads and writes the task's memory)?
 */
bool vm_changes_mappings(u32 op);

/* The kern_return_t for a host error of a vm_* op. */
Kr vm_error(u32 op, int err);

} /* namespace mach */

#endif /* MACH_CORE_VM_H */
