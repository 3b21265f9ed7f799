/* SPDX-License-Identifier: GPL-2.0 */
/* vm.h - the vm_* calls: Mach's argument rules, then the host does them. */
#ifndef MACH_CORE_VM_H
#define MACH_CORE_VM_H

#include "base.h"

struct mach_vm_args;

namespace mach {

class Task;

inline constexpr u64 page_size = 4096;

/*
 * One vm_* call on task, whose process runs image, with the arguments in
 * args (updated in place).
 */
Kr vm_call(Task &task, u64 image, mach_vm_args &args);

/* The kern_return_t for a host error of a vm_* op. */
Kr vm_error(u32 op, int err);

} /* namespace mach */

#endif /* MACH_CORE_VM_H */
