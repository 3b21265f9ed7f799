/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm_map.h - memory entries and mappings of them (vm_map.c), and what
 * they share with vm.c.
 */
#ifndef MACH_VM_MAP_H
#define MACH_VM_MAP_H

#include <linux/types.h>

#include "core/shim.h"

struct mm_struct;

/* MACH_VM_MAP and MACH_VM_MAKE_ENTRY in our own address space (vm_map.c). */
int mach_vm_map_here(struct mach_task_os *os, struct mach_shim_vm_request *req);
int mach_vm_make_entry_here(struct mach_task_os *os,
			    struct mach_shim_vm_request *req);

/* vm.c's: is [start, end) mapped, allowing prot (under the mmap lock)? */
int mach_vm_check(struct mm_struct *mm, u64 start, u64 end, unsigned long prot);
/* vm.c's: the MAP_FIXED flags for req's fixed range, or -errno. */
int mach_vm_fixed_flags(struct mach_shim_vm_request *req, unsigned long *flags);
unsigned int mach_vm_max_prot(unsigned long vm_flags);
unsigned long mach_vm_may_flags(unsigned int prot);
/* vm.c's: our [start, end) copied into file from offset 0. */
struct mach_share_buf;
int mach_vm_copy_to_file(struct file *file, unsigned long start,
			 unsigned long end, struct mach_share_buf *buf);

/* vm.c's: drop (VM_MAY*) out of vma's maximum, mmap lock held to write. */
struct vm_area_struct;
int mach_vma_lower_max(struct vm_area_struct *vma, unsigned long drop);
/* vm.c's: our private [start, end) replaced by one shared copy of it. */
int mach_vm_share_piece(unsigned long start, unsigned long end,
			unsigned long vm_flags, struct mach_share_buf *buf);

#endif /* MACH_VM_MAP_H */
