// SPDX-License-Identifier: GPL-2.0
/*
 * vm_map.c - memory entries and the mappings made of them: vm_map,
 * vm_remap and mach_make_memory_entry, after the core has checked them.
 *
 * A memory entry's memory is a file: a shmem file the module made (a
 * named entry created fresh, a copy of a range, or a private range made
 * shared the way vm_inherit(SHARE) does), or whatever file a shared
 * range already maps. The entry holds a reference to it and the byte
 * offset it starts at; mapping it in a task is a vm_mmap() of that file
 * in the task's own context (its agent, or the caller for itself), so
 * every task that maps it shares the same pages. A copy (copy = TRUE)
 * is fresh private memory filled from the file.
 *
 * Errors as vm.c's, and -EINVAL: the range is not one mapping of one
 * file once shared (Linux has no object that spans two files).
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#include <mach/abi.h>

#include "compat.h"
#include "clone.h"
#include "vm_map.h"
#include "vm_share.h"

enum { MACH_INHERIT_SHARE = 0, MACH_INHERIT_COPY = 1, MACH_INHERIT_NONE = 2 };

static struct file *mach_vm_file(struct mach_vm_object *object)
{
	return (struct file *)object;
}

int mach_shim_vm_object_create(u64 size, struct mach_vm_object **object)
{
	struct file *file;

	if (size > MAX_LFS_FILESIZE)
		return -ENOMEM;
	file = shmem_file_setup(MACH_SHARED_NAME, size, MACH_SHMEM_ACCOUNTED);
	if (IS_ERR(file))
		return PTR_ERR(file);
	*object = (struct mach_vm_object *)file;
	return 0;
}

void mach_shim_vm_object_get(struct mach_vm_object *object)
{
	get_file(mach_vm_file(object));
}

void mach_shim_vm_object_put(struct mach_vm_object *object)
{
	fput(mach_vm_file(object));
}

/*
 * Room for len bytes anywhere, its start aligned to mask + 1: reserved
 * (inaccessible) at *at, for a MAP_FIXED mapping to replace. Linux aligns
 * nothing, so a larger reservation is trimmed to the aligned piece.
 */
static int mach_vm_reserve_aligned(unsigned long len, unsigned long mask,
				   unsigned long *at)
{
	unsigned long room = len + mask + 1 - PAGE_SIZE, got, start;

	if (room < len)
		return -ENOMEM;
	got = vm_mmap(NULL, 0, room, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, 0);
	if (IS_ERR_VALUE(got))
		return got;
	start = (got + mask) & ~mask;
	if (start > got)
		vm_munmap(got, start - got);
	if (got + room > start + len)
		vm_munmap(start + len, got + room - (start + len));
	*at = start;
	return 0;
}

/*
 * The new mapping [start, end) given vm_map's maximum, if Linux made it a
 * mapping of its own: merged with a neighbour, it is left for the core
 * to lower with set_maximum, which splits it off. req->max_protection
 * says what it has now.
 */
static void mach_vm_map_max(unsigned long start, unsigned long end,
			    struct mach_shim_vm_request *req)
{
	unsigned long drop = ~mach_vm_may_flags(req->max_protection) &
			     (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	if (!drop)
		return;		/* all of it: what every mapping starts with */
	mmap_write_lock(mm);
	vma = find_vma(mm, start);
	/* Refused where a thread raised its access meanwhile: left as well. */
	if (vma && vma->vm_start == start && vma->vm_end == end)
		mach_vma_lower_max(vma, drop);
	req->max_protection = vma ? mach_vm_max_prot(vma->vm_flags) : 0;
	mmap_write_unlock(mm);
}

/* vm_map's memory, in our own address space. */
int mach_vm_map_here(struct mach_task_os *os, struct mach_shim_vm_request *req)
{
	unsigned long len = req->end - req->start, at = req->start, addr;
	struct file *file = req->object && !req->copy ?
			    mach_vm_file(req->object) : NULL;
	unsigned long mask = req->mask | ~PAGE_MASK;
	unsigned long flags = file ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS;
	bool reserved = false;
	struct mach_share_buf *buf;
	int ret;

	/* Zero fill that a child shares: Linux's own shared anonymous memory. */
	if (!req->object && req->map_inheritance == MACH_INHERIT_SHARE)
		flags = MAP_SHARED | MAP_ANONYMOUS;
	if (!req->anywhere) {
		ret = mach_vm_fixed_flags(req, &flags);
		if (ret)
			return ret;
		if (req->overwrite)
			mach_vm_note_inheritance(os, req->start, req->end, false);
	} else if (mask != ~PAGE_MASK) {
		ret = mach_vm_reserve_aligned(len, mask, &at);
		if (ret)
			return ret;
		flags |= MAP_FIXED;
		reserved = true;
	}
	/*
	 * A maximum without write: the file opened read-only for the mapping,
	 * which Linux then never lets become writable (a MAP_SHARED of it has
	 * no VM_MAYWRITE), whatever mprotect() is asked later.
	 */
	if (file && !(req->max_protection & PROT_WRITE)) {
		file = dentry_open(&file->f_path, O_RDONLY | O_LARGEFILE, file->f_cred);
		if (IS_ERR(file)) {
			if (reserved)
				vm_munmap(at, len);
			return PTR_ERR(file);
		}
		addr = vm_mmap(file, at, len, req->value, flags, req->offset);
		fput(file);	/* the mapping holds its own reference */
	} else {
		addr = vm_mmap(file, at, len, req->value, flags, file ? req->offset : 0);
	}
	if (IS_ERR_VALUE(addr)) {
		if (reserved)
			vm_munmap(at, len);
		return addr == -EPERM ? -ENXIO : addr;
	}
	req->address = addr;

	if (req->object && req->copy) {
		buf = kmalloc(sizeof(*buf), GFP_KERNEL);
		ret = buf ? mach_vm_copy_from_file(mach_vm_file(req->object),
						   req->offset, addr, addr + len, buf) :
			    -ENOMEM;
		kfree(buf);
		if (ret) {
			vm_munmap(addr, len);
			return ret;
		}
	}
	/* A shared file that Mach calls COPY: a child gets a copy of it. */
	if (file && req->map_inheritance == MACH_INHERIT_COPY)
		ret = mach_vm_note_inheritance(os, addr, addr + len, true);
	else
		ret = 0;
	if (!ret)
		mach_vm_map_max(addr, addr + len, req);
	return ret;
}

/* The range's memory, copied into a fresh file of its own. */
static int mach_vm_entry_copy(struct mach_shim_vm_request *req)
{
	struct mach_share_buf *buf;
	struct mach_vm_object *object;
	int ret;

	ret = mach_shim_vm_object_create(req->end - req->start, &object);
	if (ret)
		return ret;
	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	ret = buf ? mach_vm_copy_to_file(mach_vm_file(object), req->start,
					 req->end, buf) : -ENOMEM;
	kfree(buf);
	if (ret) {
		mach_shim_vm_object_put(object);
		return ret;
	}
	req->object = object;
	req->offset = 0;
	return 0;
}

/*
 * A range of several private mappings alike (protection, maximum,
 * inheritance) made shared as one file, so that one entry can name it:
 * -EAGAIN if it is one mapping, or they differ (each is then made shared
 * alone).
 */
static int mach_vm_share_whole(unsigned long start, unsigned long end)
{
	const unsigned long alike = VM_READ | VM_WRITE | VM_EXEC | VM_DONTCOPY |
				    VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
				    VM_MAYSHARE | VM_IO | VM_PFNMAP;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct mach_share_buf *buf;
	unsigned long flags = 0;
	int pieces = 0, ret = 0;

	mmap_read_lock(mm);
	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = find_vma(mm, vma->vm_end)) {
		if (pieces++ && (vma->vm_flags & alike) != (flags & alike))
			ret = -EAGAIN;
		flags = vma->vm_flags;
	}
	mmap_read_unlock(mm);
	if (ret || pieces < 2 || (flags & (VM_MAYSHARE | VM_IO | VM_PFNMAP)))
		return -EAGAIN;
	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = mach_vm_share_piece(start, end, flags, buf);
	kfree(buf);
	return ret;
}

/*
 * mach_make_memory_entry of [start, end) of our own memory: the file that
 * maps it (private memory made shared first), or a copy of it.
 */
int mach_vm_make_entry_here(struct mach_task_os *os,
			    struct mach_shim_vm_request *req)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	bool was_private;
	int ret;

	mmap_read_lock(mm);
	ret = mach_vm_check(mm, req->start, req->end, req->value);
	vma = ret ? NULL : find_vma(mm, req->start);
	if (vma) {
		req->protection = mach_vm_prot_of(vma->vm_flags);
		req->max_protection = mach_vm_max_prot(vma->vm_flags);
		was_private = !(vma->vm_flags & VM_MAYSHARE);
	}
	mmap_read_unlock(mm);
	if (ret)
		return ret;
	if (req->copy)
		return mach_vm_entry_copy(req);

	ret = mach_vm_share_whole(req->start, req->end);
	if (ret == -EAGAIN)
		ret = mach_vm_share_range(req->start, req->end);
	/* It was COPY to Mach, and stays so for this task's children. */
	if (!ret && was_private)
		ret = mach_vm_note_inheritance(os, req->start, req->end, true);
	if (ret)
		return ret;
	mmap_read_lock(mm);
	vma = find_vma(mm, req->start);
	if (!vma || vma->vm_start > req->start || vma->vm_end < req->end ||
	    !(vma->vm_flags & VM_MAYSHARE) || !vma->vm_file) {
		ret = -EINVAL;
	} else {
		req->object = (struct mach_vm_object *)get_file(vma->vm_file);
		req->offset = ((u64)vma->vm_pgoff << PAGE_SHIFT) +
			      (req->start - vma->vm_start);
	}
	mmap_read_unlock(mm);
	return ret;
}
