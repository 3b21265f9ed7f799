/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clone.h - norma_task_clone and teleport, and the inheritance Linux
 * cannot say (clone.c).
 */
#ifndef MACH_CLONE_H
#define MACH_CLONE_H

#include <linux/types.h>

struct mach_syscall;
struct mach_task_os;
struct vm_area_struct;

/* norma_task_clone and the inheritance Linux cannot say (clone.c). */
#define MACH_SHARED_NAME "mach-shared"	/* the shmem files of shared ranges */
int mach_ranges_inherit(struct mach_task_os *child, struct mach_task_os *parent);
bool mach_vm_copy_despite_sharing(struct mach_task_os *os,
				  const struct vm_area_struct *vma);
int mach_vm_note_inheritance(struct mach_task_os *os, unsigned long start,
			     unsigned long end, bool copy);
int mach_clone_share_all(struct mach_task_os *parent, struct mach_task_os *child);
void mach_clone_restore_parent(struct mach_task_os *child);
int mach_shell_take_inheritance(struct mach_task_os *os, bool clone);
void mach_teleport_migrate(struct mach_task_os *child, unsigned long stub,
			   struct mach_syscall *next);

#endif /* MACH_CLONE_H */
