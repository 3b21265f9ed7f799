// SPDX-License-Identifier: GPL-2.0
/*
 * vm.c - the vm_* calls on a task's address space, after the core has
 * checked and rounded their arguments.
 *
 * Reading, writing and describing another process's memory needs no help:
 * access_process_vm() and the target's mm do. Changing its mappings
 * (vm_mmap, vm_munmap, mprotect, madvise) only works on current->mm, so
 * those run in the task's agent, unless the task is the caller's own.
 *
 * The stub page is invisible: vm_region steps over it, and a call whose
 * range touches it finds nothing there (KERN_INVALID_ADDRESS).
 *
 * Errors: -ENXIO the range is not (wholly) mapped, -EACCES the pages do
 * not allow it, -EEXIST a fixed allocation overlaps, -ENOMEM no room,
 * -EFAULT the caller's own buffer, -ESRCH the task is gone.
 */
#include <linux/bvec.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/uaccess.h>
#include <asm/unistd.h>

#include <mach/abi.h>

#include "compat.h"
#include "agent.h"
#include "clone.h"
#include "stub.h"
#include "task_os.h"
#include "vm_map.h"
#include "vm_share.h"

/* Mach's protection bits are Linux's PROT_* bits. */
static_assert(PROT_READ == 1 && PROT_WRITE == 2 && PROT_EXEC == 4);

enum { MACH_INHERIT_SHARE = 0, MACH_INHERIT_COPY = 1, MACH_INHERIT_NONE = 2 };

/*
 * Is [start, end) mapped without a hole and without the stub, with every
 * page allowing prot? -ENXIO, -EACCES or 0. Under the mmap lock.
 */
int mach_vm_check(struct mm_struct *mm, u64 start, u64 end, unsigned long prot)
{
	unsigned long need = (prot & PROT_READ ? VM_READ : 0) |
			     (prot & PROT_WRITE ? VM_WRITE : 0) |
			     (prot & PROT_EXEC ? VM_EXEC : 0);
	struct vm_area_struct *vma;
	u64 at = start;

	if (end > TASK_SIZE_MAX)
		return -ENXIO;
	while (at < end) {
		vma = find_vma(mm, at);
		if (!vma || vma->vm_start > at || mach_stub_vma(vma))
			return -ENXIO;
		if ((vma->vm_flags & need) != need)
			return -EACCES;
		at = vma->vm_end;
	}
	return 0;
}

/* Does [start, end) touch the stub? Under the mmap lock. */
static bool mach_vm_touches_stub(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	for (; vma && vma->vm_start < end; vma = find_vma(mm, vma->vm_end))
		if (mach_stub_vma(vma))
			return true;
	return false;
}

/*
 * Copy between buf and mm at addr, one page: as access_process_vm(), but
 * on the mm the caller pinned (the program its right is for).
 */
static int mach_vm_access(struct mm_struct *mm, u64 addr, void *buf,
			  unsigned int len, bool write)
{
	unsigned int offset = offset_in_page(addr);
	struct page *page;
	void *map;
	long got;

	mmap_read_lock(mm);
	got = get_user_pages_remote(mm, addr, 1, write ? FOLL_WRITE : 0, &page,
				    NULL);
	mmap_read_unlock(mm);
	if (got != 1)
		return -EACCES;
	map = kmap_local_page(page);
	if (write) {
		memcpy(map + offset, buf, len);
		set_page_dirty_lock(page);
	} else {
		memcpy(buf, map + offset, len);
	}
	kunmap_local(map);
	put_page(page);
	return 0;
}

static int mach_vm_check_mm(struct mm_struct *mm, u64 start, u64 end,
			    unsigned long prot)
{
	int ret;

	mmap_read_lock(mm);
	ret = mach_vm_check(mm, start, end, prot);
	mmap_read_unlock(mm);
	return ret;
}

/*
 * vm_copy's bytes, through page, a piece within a page on both sides at a
 * time: as from a snapshot of the source (XNU copies it in first), so
 * from the end when the destination starts inside the source.
 */
static int mach_vm_copy_pieces(struct mm_struct *mm, u64 from, u64 to, u64 len,
			       void *page)
{
	bool back = to > from && to < from + len;
	int ret = 0;

	while (!ret && len) {
		u64 src = back ? from + len - 1 : from, dst = back ? to + len - 1 : to;
		unsigned int n = min_t(u64, len, back ?
				       min(offset_in_page(src), offset_in_page(dst)) + 1 :
				       PAGE_SIZE - max(offset_in_page(src), offset_in_page(dst)));

		if (back) {
			src -= n - 1;
			dst -= n - 1;
		} else {
			from += n;
			to += n;
		}
		ret = mach_vm_access(mm, src, page, n, false);
		if (!ret)
			ret = mach_vm_access(mm, dst, page, n, true);
		len -= n;
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
	}
	return ret;
}

/* vm_read, vm_write, vm_copy: through one bounce page, a page at a time. */
static int mach_vm_transfer(struct mach_task_os *os,
			    struct mach_shim_vm_request *req)
{
	u64 len = req->end - req->start, at = req->start, to = req->data;
	/* A message's out-of-line bytes, when the call came as one. */
	u8 *kbuf = req->kernel_data ? (u8 *)(uintptr_t)req->data : NULL;
	struct mm_struct *mm;
	void *page;
	int ret;

	mm = mach_task_pin_program(os, req->program);
	if (!mm)
		return -ESRCH;
	ret = mach_vm_check_mm(mm, req->start, req->end,
			       req->op == MACH_VM_WRITE ? PROT_WRITE : PROT_READ);
	/*
	 * vm_write's bytes are a message's on XNU, all copied in before any
	 * is written: a source that is not wholly readable writes nothing.
	 */
	if (!ret && req->op == MACH_VM_WRITE && !req->kernel_data &&
	    mach_vm_check_mm(current->mm, req->data, req->data + len, PROT_READ))
		ret = -EFAULT;
	if (!ret && req->op == MACH_VM_COPY)
		ret = to + len < to ? -ENXIO :
		      mach_vm_check_mm(mm, to, to + len, PROT_WRITE);
	page = ret ? NULL : (void *)__get_free_page(GFP_KERNEL);
	if (!ret && !page)
		ret = -ENOMEM;

	if (!ret && req->op == MACH_VM_COPY) {
		ret = mach_vm_copy_pieces(mm, req->start, to, len, page);
		at = req->end;
	}
	while (!ret && at < req->end) {
		/* No step crosses a page. */
		unsigned int n = min_t(u64, req->end - at,
				       PAGE_SIZE - offset_in_page(at));
		u64 done = at - req->start;

		switch (req->op) {
		case MACH_VM_READ:
			if (req->kernel_data) {
				ret = mach_vm_access(mm, at, kbuf + done, n, false);
				break;
			}
			ret = mach_vm_access(mm, at, page, n, false);
			if (!ret && copy_to_user(u64_to_user_ptr(req->data + done),
						 page, n))
				ret = -EFAULT;
			break;
		case MACH_VM_WRITE:
			if (req->kernel_data)
				ret = mach_vm_access(mm, at, kbuf + done, n, true);
			else if (copy_from_user(page, u64_to_user_ptr(req->data + done), n))
				ret = -EFAULT;
			else
				ret = mach_vm_access(mm, at, page, n, true);
			break;
		}
		at += n;
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
	}
	if (page)
		free_page((unsigned long)page);
	mmput(mm);
	return ret;
}

unsigned int mach_vm_prot_of(unsigned long flags)
{
	return (flags & VM_READ ? PROT_READ : 0) |
	       (flags & VM_WRITE ? PROT_WRITE : 0) |
	       (flags & VM_EXEC ? PROT_EXEC : 0);
}

unsigned int mach_vm_max_prot(unsigned long flags)
{
	return (flags & VM_MAYREAD ? PROT_READ : 0) |
	       (flags & VM_MAYWRITE ? PROT_WRITE : 0) |
	       (flags & VM_MAYEXEC ? PROT_EXEC : 0);
}

/* vm_region: the region at or after req->start, the stub skipped. */
static int mach_vm_region(struct mach_task_os *os,
			  struct mach_shim_vm_request *req)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int ret = -ENXIO;

	mm = mach_task_pin_program(os, req->program);
	if (!mm)
		return -ESRCH;
	mmap_read_lock(mm);
	vma = find_vma(mm, req->start);
	while (vma && mach_stub_vma(vma))
		vma = find_vma(mm, vma->vm_end);
	if (vma) {
		req->address = vma->vm_start;
		req->size = vma->vm_end - vma->vm_start;
		req->protection = mach_vm_prot_of(vma->vm_flags);
		req->max_protection = mach_vm_max_prot(vma->vm_flags);
		req->shared = !!(vma->vm_flags & VM_MAYSHARE);
		if (vma->vm_flags & VM_DONTCOPY)
			req->inheritance = MACH_INHERIT_NONE;
		else if (mach_vm_copy_despite_sharing(os, vma))
			req->inheritance = MACH_INHERIT_COPY;
		else if (req->shared)
			req->inheritance = MACH_INHERIT_SHARE;
		else
			req->inheritance = MACH_INHERIT_COPY;
		ret = 0;
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return ret;
}

/* The rest runs in the task itself: current->mm is the task's. */

/*
 * Where a fixed mapping of [start, end) may go: 0, -ENXIO outside the
 * address space (or below what Linux lets us map), -EEXIST over the stub
 * (which no Mach call can replace). The MAP_FIXED flags that go with it.
 */
int mach_vm_fixed_flags(struct mach_shim_vm_request *req, unsigned long *flags)
{
	struct mm_struct *mm = current->mm;
	bool stub;

	if (req->end > TASK_SIZE_MAX)
		return -ENXIO;
	if (!req->overwrite) {
		*flags |= MAP_FIXED_NOREPLACE;
		return 0;
	}
	mmap_read_lock(mm);
	stub = mach_vm_touches_stub(mm, req->start, req->end);
	mmap_read_unlock(mm);
	if (stub)
		return -EEXIST;
	/* What was mapped there is gone, and what Mach called it. */
	*flags |= MAP_FIXED;
	return 0;
}

static int mach_vm_allocate_here(struct mach_task_os *os,
				 struct mach_shim_vm_request *req)
{
	unsigned long len = req->end - req->start, addr;
	unsigned long flags = MAP_PRIVATE | MAP_ANONYMOUS;
	int ret;

	if (!req->anywhere) {
		ret = mach_vm_fixed_flags(req, &flags);
		if (ret)
			return ret;
		if (req->overwrite)
			mach_vm_note_inheritance(os, req->start, req->end, false);
	}
	addr = vm_mmap(NULL, req->anywhere ? 0 : req->start, len,
		       PROT_READ | PROT_WRITE, flags, 0);
	/* Below mmap_min_addr: as outside the map on XNU. */
	if (addr == -EPERM)
		return -ENXIO;
	if (IS_ERR_VALUE(addr))
		return addr;
	req->address = addr;
	return 0;
}

static int mach_vm_deallocate_here(struct mach_task_os *os,
				   struct mach_shim_vm_request *req)
{
	struct mm_struct *mm = current->mm;
	bool stub;

	if (req->end > TASK_SIZE_MAX)
		return -ENXIO;
	mmap_read_lock(mm);
	stub = mach_vm_touches_stub(mm, req->start, req->end);
	mmap_read_unlock(mm);
	if (stub)
		return -ENXIO;
	mach_vm_note_inheritance(os, req->start, req->end, false);
	return vm_munmap(req->start, req->end - req->start);
}

static int mach_vm_check_here(struct mach_shim_vm_request *req)
{
	struct mm_struct *mm = current->mm;
	int ret;

	mmap_read_lock(mm);
	ret = mach_vm_check(mm, req->start, req->end, 0);
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Pin the pages of our own memory from *at on, up to end and a batch: their
 * count, or an error. A page never touched is a hole, which FOLL_DUMP
 * reports rather than faults in (as a core dump does); holes are stepped
 * over, *at moving past them, under one hold of the mmap lock.
 */
static long mach_vm_pin_present(unsigned long *at, unsigned long end,
				struct page **pages)
{
	struct mm_struct *mm = current->mm;
	long got;

	mmap_read_lock(mm);
	for (;;) {
		got = get_user_pages(*at, min((end - *at) >> PAGE_SHIFT,
					      (unsigned long)MACH_SHARE_BATCH),
				     FOLL_FORCE | FOLL_DUMP, pages);
		if (got != -EFAULT)
			break;
		*at += PAGE_SIZE;
		if (*at >= end || need_resched()) {
			got = 0;
			break;
		}
	}
	mmap_read_unlock(mm);
	return got;
}

/*
 * Copy [start, end) of our own memory into file from offset 0: a batch of
 * pages pinned at a time (FOLL_FORCE: a range need not be readable to be
 * shared) and written in one call, one copy each. A hole stays a hole in
 * the file, which reads as zeros as well: a big reservation costs no memory.
 */
int mach_vm_copy_to_file(struct file *file, unsigned long start,
			 unsigned long end, struct mach_share_buf *buf)
{
	unsigned long at = start;
	struct iov_iter iter;
	loff_t pos;
	long got, i;
	ssize_t n;

	while (at < end) {
		got = mach_vm_pin_present(&at, end, buf->pages);
		if (got < 0)
			return got;
		for (i = 0; i < got; i++)
			bvec_set_page(&buf->bvec[i], buf->pages[i], PAGE_SIZE, 0);
		iov_iter_bvec(&iter, WRITE, buf->bvec, got, got * PAGE_SIZE);
		pos = at - start;
		n = got ? vfs_iter_write(file, &iter, &pos, 0) : 0;
		for (i = 0; i < got; i++)
			put_page(buf->pages[i]);
		if (n != got * PAGE_SIZE)
			return n < 0 ? n : -ENOSPC;
		at += got * PAGE_SIZE;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/*
 * The way back, for a range Mach calls COPY that Linux shares: file's bytes
 * from pos into our own fresh private memory at [start, end). Only the
 * file's data (SEEK_DATA): its holes read as zeros, and so do the new
 * pages left untouched. In batches of pages pinned for writing (FOLL_FORCE:
 * the range may be read-only), each read into in one call.
 */
int mach_vm_copy_from_file(struct file *file, loff_t pos, unsigned long start,
			   unsigned long end, struct mach_share_buf *buf)
{
	loff_t stop = pos + (end - start), data = pos, hole;
	struct mm_struct *mm = current->mm;
	struct iov_iter iter;
	long got, i;
	ssize_t n;

	while (data < stop) {
		data = vfs_llseek(file, data, SEEK_DATA);
		if (data == -ENXIO || data >= stop)
			return 0;	/* no data from here on */
		if (data < 0)
			return data;
		hole = vfs_llseek(file, data, SEEK_HOLE);
		if (hole < 0)
			return hole;
		hole = min(hole, stop);
		while (data < hole) {
			mmap_read_lock(mm);
			got = get_user_pages(start + (data - pos),
					     min_t(loff_t, (hole - data) >> PAGE_SHIFT,
						   MACH_SHARE_BATCH),
					     FOLL_WRITE | FOLL_FORCE, buf->pages);
			mmap_read_unlock(mm);
			if (got <= 0)
				return got ? got : -EFAULT;
			for (i = 0; i < got; i++)
				bvec_set_page(&buf->bvec[i], buf->pages[i], PAGE_SIZE, 0);
			iov_iter_bvec(&iter, READ, buf->bvec, got, got * PAGE_SIZE);
			n = vfs_iter_read(file, &iter, &data, 0);
			for (i = 0; i < got; i++) {
				set_page_dirty_lock(buf->pages[i]);
				put_page(buf->pages[i]);
			}
			if (n != got * PAGE_SIZE)
				return n < 0 ? n : -EIO;
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}

/*
 * Take drop (VM_MAY* flags) out of vma's maximum, the mmap lock held for
 * writing. A mapping's access stays within its maximum: -EAGAIN, nothing
 * changed, if it has an access the maximum would lose (a thread raised
 * it meanwhile; the caller lowers the access first). Since 6.7 a shared
 * mapping with VM_MAYWRITE counts as one of its file's writers from its
 * linking to its unmapping: the count is given back with the flag, once
 * the mapping cannot write, as a sealed memfd's mmap requires.
 */
int mach_vma_lower_max(struct vm_area_struct *vma, unsigned long drop)
{
	BUILD_BUG_ON((VM_READ << 4) != VM_MAYREAD || (VM_WRITE << 4) != VM_MAYWRITE ||
		     (VM_EXEC << 4) != VM_MAYEXEC);
	drop &= VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (vma->vm_flags & (drop >> 4))
		return -EAGAIN;
	if (MACH_SHARED_MAYWRITE_COUNTED && (drop & VM_MAYWRITE) && vma->vm_file &&
	    (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE))
		mapping_unmap_writable(vma->vm_file->f_mapping);
	vm_flags_clear(vma, drop);
	return 0;
}

/*
 * vm_inherit(SHARE) on a private range: replace each private piece with
 * a shared shmem mapping holding the same bytes, so that a clone() shares
 * it. (Other threads of the task must not write meanwhile: the threads
 * issue parks them.) The piece keeps its maximum: the new mapping, which
 * its own file keeps from merging with a neighbour, loses the VM_MAY*
 * flags the old one lacked (vm_flags), VM_SHARED kept.
 */
int mach_vm_share_piece(unsigned long start, unsigned long end,
			unsigned long vm_flags, struct mach_share_buf *buf)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct file *file;
	unsigned long addr;
	int ret;

	file = shmem_file_setup(MACH_SHARED_NAME, end - start,
				MACH_SHMEM_ACCOUNTED);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = mach_vm_copy_to_file(file, start, end, buf);
	if (!ret) {
		addr = vm_mmap(file, start, end - start, mach_vm_prot_of(vm_flags),
			       MAP_SHARED | MAP_FIXED, 0);
		if (IS_ERR_VALUE(addr))
			ret = addr;
	}
	fput(file);
	if (ret)
		return ret;
	mmap_write_lock(mm);
	vma = find_vma(mm, start);
	if (vma && vma->vm_start == start && vma->vm_end == end)
		ret = mach_vma_lower_max(vma, ~vm_flags);
	else
		ret = -EAGAIN;	/* changed under us */
	mmap_write_unlock(mm);
	return ret;
}

static int mach_vm_share_here(struct mach_shim_vm_request *req)
{
	struct mm_struct *mm = current->mm;
	unsigned long at = req->start, end = 0, flags = 0;
	struct vm_area_struct *vma;
	struct mach_share_buf *buf;
	int ret = 0;

	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (!ret && at < req->end) {
		mmap_read_lock(mm);
		vma = find_vma(mm, at);
		if (!vma || vma->vm_start > at) {
			ret = -ENXIO;
		} else {
			end = min_t(u64, vma->vm_end, req->end);
			flags = vma->vm_flags;
		}
		mmap_read_unlock(mm);
		/* Memory without pages of its own (a device's) has no copy. */
		if (!ret && (flags & (VM_IO | VM_PFNMAP)))
			ret = -EACCES;
		if (!ret && !(flags & VM_MAYSHARE))
			ret = mach_vm_share_piece(at, end, flags, buf);
		at = end;
	}
	kfree(buf);
	return ret;
}

int mach_vm_share_range(unsigned long start, unsigned long end)
{
	struct mach_shim_vm_request req = { .start = start, .end = end };

	return mach_vm_share_here(&req);
}

struct mach_vm_call {
	struct mach_agent_call call;
	/* the agent's while it runs; the caller's before and once done */
	struct mach_shim_vm_request req;
	struct mach_task_os *os;	/* set before it is queued: read-only */
	/* set_maximum's, the agent's: the piece of the range at hand */
	unsigned long at, piece_end;
	unsigned long dump;		/* its VM_DONTDUMP before the split */
	unsigned int cur;		/* its protection */
	int phase;
};

unsigned long mach_vm_may_flags(unsigned int prot)
{
	return (prot & PROT_READ ? VM_MAYREAD : 0) |
	       (prot & PROT_WRITE ? VM_MAYWRITE : 0) |
	       (prot & PROT_EXEC ? VM_MAYEXEC : 0);
}

/*
 * vm_protect(set_maximum): Linux keeps a mapping's maximum in VM_MAYREAD,
 * VM_MAYWRITE and VM_MAYEXEC, which mprotect() (ours or the program's)
 * never raises past. A VMA can only be split by a call that changes it,
 * so each piece of the range is cut out by an madvise() that flips its
 * VM_DONTDUMP; mprotect() lowers the current protection to fit the new
 * maximum; then, under the mmap lock, the flip is undone and the maximum
 * lowered (-EAGAIN if a thread raised the protection again meanwhile).
 * -EACCES for a maximum higher than the piece's.
 */
enum { MACH_MAX_START, MACH_MAX_SPLIT, MACH_MAX_PROTECT };

static bool mach_vm_max_step(struct mach_vm_call *vm, long result,
			     struct mach_syscall *next)
{
	struct mach_shim_vm_request *req = &vm->req;
	unsigned long drop = mach_vm_may_flags(~req->value & 7);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	switch (vm->phase) {
	case MACH_MAX_START:
		ret = mach_vm_check_here(req);
		vm->at = req->start;
		break;
	case MACH_MAX_SPLIT:
		ret = result;
		if (ret)
			break;
		vm->phase = MACH_MAX_PROTECT;
		next->nr = __NR_mprotect;
		next->args[0] = vm->at;
		next->args[1] = vm->piece_end - vm->at;
		next->args[2] = vm->cur & req->value;
		return true;
	case MACH_MAX_PROTECT:
		ret = result;
		if (ret)
			break;
		mmap_write_lock(mm);
		vma = find_vma(mm, vm->at);
		if (vma && vma->vm_start == vm->at && vma->vm_end == vm->piece_end) {
			if (vm->dump)
				vm_flags_set(vma, VM_DONTDUMP);
			else
				vm_flags_clear(vma, VM_DONTDUMP);
			ret = mach_vma_lower_max(vma, drop);
		} else {
			ret = -EAGAIN;	/* changed under us: try again */
		}
		mmap_write_unlock(mm);
		vm->at = vm->piece_end;
		break;
	}
	if (ret || vm->at >= req->end) {
		vm->call.ret = ret;
		return false;
	}

	/* The next piece: [at, piece_end), one VMA's part of the range. */
	mmap_read_lock(mm);
	vma = find_vma(mm, vm->at);
	if (!vma || vma->vm_start > vm->at) {
		ret = -ENXIO;
	} else {
		vm->piece_end = min_t(u64, vma->vm_end, req->end);
		vm->dump = vma->vm_flags & VM_DONTDUMP;
		vm->cur = mach_vm_prot_of(vma->vm_flags);
		if (req->value & ~mach_vm_max_prot(vma->vm_flags))
			ret = -EACCES;	/* a maximum is never raised */
	}
	mmap_read_unlock(mm);
	if (ret) {
		vm->call.ret = ret;
		return false;
	}
	vm->phase = MACH_MAX_SPLIT;
	next->nr = __NR_madvise;
	next->args[0] = vm->at;
	next->args[1] = vm->piece_end - vm->at;
	next->args[2] = vm->dump ? MADV_DODUMP : MADV_DONTDUMP;
	return true;
}

/* Linux's madvise() advice for a vm_behavior_t the core let through. */
#define MACH_NO_ADVICE (-1UL)
static unsigned long mach_vm_advice(unsigned int behavior)
{
	switch (behavior) {
	case 0:		/* VM_BEHAVIOR_DEFAULT */
		return MADV_NORMAL;
	case 1:		/* RANDOM */
		return MADV_RANDOM;
	case 2:		/* SEQUENTIAL */
		return MADV_SEQUENTIAL;
	case 4:		/* WILLNEED */
		return MADV_WILLNEED;
	case 5:		/* DONTNEED: the pages are cold, their bytes kept */
		return MADV_COLD;
	case 6:		/* FREE: the bytes may go */
	case 8:		/* REUSABLE */
		return MADV_FREE;
	case 11:	/* PAGEOUT */
		return MADV_PAGEOUT;
	default:	/* RSEQNTL, ZERO_WIRED_PAGES, REUSE, CAN_REUSE */
		return MACH_NO_ADVICE;
	}
}

static bool mach_vm_step(struct mach_agent_call *call, long result,
			 struct mach_syscall *next)
{
	struct mach_vm_call *vm = container_of(call, struct mach_vm_call, call);
	struct mach_shim_vm_request *req = &vm->req;

	if (req->op == MACH_VM_PROTECT && req->set_maximum)
		return mach_vm_max_step(vm, result, next);
	if (call->stage++) {
		call->ret = result;	/* of mprotect(), madvise() or mlock() */
		/*
		 * Advice Linux declines for this kind of memory is still advice
		 * (and WILLNEED of anonymous memory is -EBADF without swap).
		 */
		if (req->op == MACH_VM_BEHAVIOR && (result == -EINVAL || result == -EBADF))
			call->ret = 0;
		/* What Linux's flags do not say, clone.c keeps. */
		if (!result && req->op == MACH_VM_INHERIT)
			call->ret = mach_vm_note_inheritance(vm->os, req->start, req->end,
							     req->value == MACH_INHERIT_COPY);
		return false;
	}
	switch (req->op) {
	case MACH_VM_ALLOCATE:
		call->ret = mach_vm_allocate_here(vm->os, req);
		return false;
	case MACH_VM_DEALLOCATE:
		call->ret = mach_vm_deallocate_here(vm->os, req);
		return false;
	case MACH_VM_MAKE_ENTRY:
		call->ret = mach_vm_make_entry_here(vm->os, req);
		return false;
	case MACH_VM_MAP:
		call->ret = mach_vm_map_here(vm->os, req);
		if (call->ret || req->map_inheritance != MACH_INHERIT_NONE)
			return false;
		next->nr = __NR_madvise;
		next->args[0] = req->address;
		next->args[1] = req->end - req->start;
		next->args[2] = MADV_DONTFORK;
		return true;
	}

	call->ret = mach_vm_check_here(req);
	if (!call->ret && req->op == MACH_VM_INHERIT &&
	    req->value == MACH_INHERIT_SHARE)
		call->ret = mach_vm_share_here(req);
	if (call->ret)
		return false;
	next->args[0] = req->start;
	next->args[1] = req->end - req->start;
	switch (req->op) {
	case MACH_VM_PROTECT:
		next->nr = __NR_mprotect;
		next->args[2] = req->value;
		break;
	case MACH_VM_BEHAVIOR:
		next->nr = __NR_madvise;
		next->args[2] = mach_vm_advice(req->value);
		/* Advice Linux has no word for: the range was checked. */
		return next->args[2] != MACH_NO_ADVICE;
	case MACH_VM_WIRE:
		next->nr = req->value ? __NR_mlock : __NR_munlock;
		break;
	default:
		next->nr = __NR_madvise;
		next->args[2] = req->value == MACH_INHERIT_NONE ?
				MADV_DONTFORK : MADV_DOFORK;
	}
	return true;
}

static void mach_vm_release(struct mach_agent_call *call)
{
	struct mach_vm_call *vm = container_of(call, struct mach_vm_call, call);

	/* MAP's, or a MAKE_ENTRY's that its caller did not stay for. */
	if (vm->req.object)
		mach_shim_vm_object_put(vm->req.object);
	kfree(vm);
}

int mach_shim_vm(struct mach_task_os *os, struct mach_shim_vm_request *req)
{
	struct mach_vm_call *vm;
	long ret;

	/* (A new shell is ready: resolving its port waited for that.) */
	switch (req->op) {
	case MACH_VM_READ:
	case MACH_VM_WRITE:
	case MACH_VM_COPY:
		return mach_vm_transfer(os, req);
	case MACH_VM_REGION:
		return mach_vm_region(os, req);
	case MACH_VM_ALLOCATE:
		if (mach_shim_task_is_current(os))
			return mach_vm_allocate_here(os, req);
		break;
	case MACH_VM_DEALLOCATE:
		if (mach_shim_task_is_current(os))
			return mach_vm_deallocate_here(os, req);
		break;
	case MACH_VM_MAKE_ENTRY:
		if (mach_shim_task_is_current(os))
			return mach_vm_make_entry_here(os, req);
		break;
	case MACH_VM_MAP:
		/* (NONE needs madvise(), which only the agent can run.) */
		if (mach_shim_task_is_current(os) &&
		    req->map_inheritance != MACH_INHERIT_NONE)
			return mach_vm_map_here(os, req);
		break;
	}

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->req = *req;
	/* The call's own: it may outlive a caller that was killed. */
	if (req->op == MACH_VM_MAP && req->object)
		mach_shim_vm_object_get(req->object);
	vm->os = os;
	mach_agent_call_init(&vm->call, mach_vm_step, mach_vm_release);
	vm->call.program = req->program;
	vm->call.restartable = true;	/* nothing is changed before its steps */
	ret = mach_agent_run(&os->agent, &vm->call);
	if (!ret) {
		struct mach_vm_object *object = req->object;

		*req = vm->req;
		if (req->op == MACH_VM_MAKE_ENTRY)
			vm->req.object = NULL;	/* the caller's now */
		else
			req->object = object;
	}
	mach_agent_call_put(&vm->call);
	return ret;
}
