/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm_share.h - private ranges made shared, and copies back (vm.c).
 */
#ifndef MACH_VM_SHARE_H
#define MACH_VM_SHARE_H

#include <linux/bvec.h>
#include <linux/types.h>

struct file;

/* Replace the private pieces of [start, end) with shared ones (vm.c). */
int mach_vm_share_range(unsigned long start, unsigned long end);
/* Pages pinned and copied to or from a shared range's file at a time. */
#define MACH_SHARE_BATCH 64
/* Its caller's only (one copy at a time). */
struct mach_share_buf {
	struct page *pages[MACH_SHARE_BATCH];
	struct bio_vec bvec[MACH_SHARE_BATCH];
};

/* file's bytes from pos into our fresh private [start, end) (vm.c). */
int mach_vm_copy_from_file(struct file *file, loff_t pos, unsigned long start,
			   unsigned long end, struct mach_share_buf *buf);
unsigned int mach_vm_prot_of(unsigned long vm_flags);

#endif /* MACH_VM_SHARE_H */
