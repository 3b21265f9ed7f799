// SPDX-License-Identifier: GPL-2.0
/*
 * clone.c - norma_task_clone and norma_task_teleport, and the inheritance
 * a region keeps when Linux's representation of it says otherwise.
 *
 * A clone shares every region of its parent: before the fork, each
 * private writable region is replaced once by a shared shmem mapping with
 * the same bytes (as vm_inherit(SHARE) does), and NONE regions lose
 * VM_DONTCOPY for the moment of the fork. The exceptions get what a fork
 * gives: the main thread's stack, which must keep growing down, and
 * regions whose flags a shared mapping cannot carry (MACH_CLONE_PRIVATE:
 * wiped at fork, locked, ...) are copied; the kernel's own NONE regions
 * (the uprobes page) stay out. A second clone of the same parent finds
 * everything shared already, and fork() skips the page tables of shared
 * file mappings: it costs less than a fork.
 *
 * Both tasks keep the parent's inheritance: NONE regions get VM_DONTCOPY
 * back, and a region that Mach calls COPY but Linux now shares is listed
 * in the task's copy ranges. vm_region reports COPY for it, and a later
 * task_create gives the child a private copy of it.
 *
 * A teleport is a clone whose parent is terminated at once: see below.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unistd.h>

#include <mach/netlink.h>

#include "compat.h"
#include "agent.h"
#include "clone.h"
#include "netlink.h"
#include "stub.h"
#include "task_os.h"
#include "vm_share.h"

/* ---- ranges (sets of them: core/ranges.h) ------------------------------ */

/* A task's copy ranges, handed to a child made from it. */
int mach_ranges_inherit(struct mach_task_os *child, struct mach_task_os *parent)
{
	struct mach_ranges copy = {};
	int ret;

	/* Most tasks have none: task_create's path takes no lock for them. */
	if (!READ_ONCE(parent->copy_ranges.count))
		return 0;
	mutex_lock(&parent->ranges_lock);
	ret = mach_ranges_copy(&copy, &parent->copy_ranges);
	mutex_unlock(&parent->ranges_lock);
	if (ret)
		return ret;
	mutex_lock(&child->ranges_lock);
	mach_ranges_free(&child->copy_ranges);
	child->copy_ranges = copy;
	mutex_unlock(&child->ranges_lock);
	/* Its copies are taken as it starts: task_create waits for that. */
	if (copy.count && !child->clone)
		mach_task_set_up_first(child, true);
	return 0;
}

/* Is vma one of the shared mappings this module made of a private one? */
static bool mach_vma_made_shared(const struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & VM_SHARED) &&
	       !strcmp(file_dentry(vma->vm_file)->d_name.name, MACH_SHARED_NAME);
}

bool mach_vm_copy_despite_sharing(struct mach_task_os *os,
				  const struct vm_area_struct *vma)
{
	bool copy;

	if (!mach_vma_made_shared(vma))
		return false;
	mutex_lock(&os->ranges_lock);
	copy = mach_ranges_contain(&os->copy_ranges, vma->vm_start);
	mutex_unlock(&os->ranges_lock);
	return copy;
}

/*
 * vm_inherit or vm_deallocate of [start, end) in the calling task: what
 * Mach calls the range from now is Linux's word, except COPY over a
 * mapping this module shared, which is listed.
 */
int mach_vm_note_inheritance(struct mach_task_os *os, unsigned long start,
			     unsigned long end, bool copy)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long at, piece_end;
	bool shared;
	int ret;

	/* (The mmap lock is taken first where both are: vm_region.) */
	mutex_lock(&os->ranges_lock);
	ret = mach_ranges_remove(&os->copy_ranges, start, end);
	mutex_unlock(&os->ranges_lock);
	for (at = start; !ret && copy && at < end; at = piece_end) {
		mmap_read_lock(mm);
		vma = find_vma(mm, at);
		if (vma && vma->vm_start < end) {
			at = max(at, vma->vm_start);
			piece_end = min(end, vma->vm_end);
			shared = mach_vma_made_shared(vma);
		}
		mmap_read_unlock(mm);
		if (!vma || vma->vm_start >= end)
			break;
		if (shared) {
			mutex_lock(&os->ranges_lock);
			ret = mach_ranges_add(&os->copy_ranges, at, piece_end);
			mutex_unlock(&os->ranges_lock);
		}
	}
	return ret;
}

/* ---- the clone ----------------------------------------------------------- */

/* Under the mmap lock: the first VMA at or after addr that is not the stub. */
static struct vm_area_struct *mach_next_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	while (vma && mach_stub_vma(vma))
		vma = find_vma(mm, vma->vm_end);
	return vma;
}

/*
 * What a shared mapping cannot carry: a region a fork wipes (random state,
 * that no two processes may share), one locked in memory, one kept out of
 * core dumps, one a userfaultfd serves, a shadow stack. A clone leaves
 * them private, and gets what a fork gives of them.
 */
#define MACH_CLONE_PRIVATE (VM_WIPEONFORK | VM_DROPPABLE | VM_LOCKED | VM_LOCKONFAULT | \
			    VM_DONTDUMP | VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR | \
			    VM_SHADOW_STACK)

/* Would a clone make this region shared? Not the stack that grows down. */
static bool mach_clone_converts(unsigned long flags)
{
	return (flags & VM_WRITE) &&
	       !(flags & (VM_MAYSHARE | VM_GROWSDOWN | MACH_CLONE_PRIVATE));
}

/*
 * Is it NONE for Mach, and so the clone's too for the moment of the fork?
 * Not the kernel's own (VM_SPECIAL: the uprobes page, a driver's), which
 * point at their process's objects: MADV_DOFORK refuses them too.
 */
static bool mach_clone_takes_none(unsigned long flags)
{
	return (flags & VM_DONTCOPY) && !(flags & VM_SPECIAL);
}

mach_bool mach_shim_task_memory_private(struct mach_task_os *os, u64 program)
{
	struct mm_struct *mm = mach_task_pin_program(os, program);
	struct vm_area_struct *vma;
	bool found = false;

	if (!mm)
		return true;	/* not known: hold it */
	mmap_read_lock(mm);
	for (vma = mach_next_vma(mm, 0); vma && !found;
	     vma = mach_next_vma(mm, vma->vm_end))
		found = mach_clone_converts(vma->vm_flags);
	mmap_read_unlock(mm);
	mmput(mm);
	return found;
}

/*
 * In the parent, before the fork: every private writable region becomes
 * shared (listed as COPY: that is what it was), and NONE regions are
 * listed in child->none_ranges and copied this once.
 */
int mach_clone_share_all(struct mach_task_os *parent, struct mach_task_os *child)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long at = 0, start, end, flags;
	int ret = 0;

	while (!ret) {
		mmap_read_lock(mm);
		vma = mach_next_vma(mm, at);
		if (!vma) {
			mmap_read_unlock(mm);
			break;
		}
		start = vma->vm_start;
		end = vma->vm_end;
		flags = vma->vm_flags;
		mmap_read_unlock(mm);
		at = end;

		/*
		 * Not the stack that grows down: as a shared mapping it could
		 * not grow, and a clone has no thread to use it. The clone gets
		 * a copy of it.
		 */
		if (mach_clone_converts(flags) && !child->teleport) {
			/* Made private since it was looked at: not held. */
			if (!child->parent_held) {
				ret = -EAGAIN;
				break;
			}
			ret = mach_vm_share_range(start, end);
			if (!ret && !(flags & VM_DONTCOPY))
				ret = mach_vm_note_inheritance(parent, start, end, true);
		}
		if (!ret && mach_clone_takes_none(flags)) {
			mutex_lock(&child->ranges_lock);
			ret = mach_ranges_add(&child->none_ranges, start, end);
			mutex_unlock(&child->ranges_lock);
		}
	}
	if (!ret)
		ret = mach_ranges_inherit(child, parent);
	/* NONE regions go to the clone too: for the moment of the fork. */
	mmap_write_lock(mm);
	for (unsigned int i = 0; i < child->none_ranges.count; i++) {
		vma = find_vma(mm, child->none_ranges.r[i].start);
		if (vma && vma->vm_start == child->none_ranges.r[i].start &&
		    mach_clone_takes_none(vma->vm_flags))
			vm_flags_clear(vma, VM_DONTCOPY);
	}
	mmap_write_unlock(mm);
	return ret;
}

/* Under the mmap write lock: NONE again for the regions listed in rs. */
static void mach_mark_none(struct mm_struct *mm, const struct mach_ranges *rs)
{
	struct vm_area_struct *vma;
	unsigned int i;

	for (i = 0; i < rs->count; i++) {
		vma = find_vma(mm, rs->r[i].start);
		if (vma && vma->vm_start == rs->r[i].start)
			vm_flags_set(vma, VM_DONTCOPY);
	}
}

/* In the parent, after the fork. */
void mach_clone_restore_parent(struct mach_task_os *child)
{
	mmap_write_lock(current->mm);
	mach_mark_none(current->mm, &child->none_ranges);
	mmap_write_unlock(current->mm);
}

/* A private copy of [start, end), a shared mapping of file at pos. */
static int mach_privatize(unsigned long start, unsigned long end, unsigned long prot,
			  struct file *file, loff_t pos, struct mach_share_buf *buf)
{
	unsigned long addr;

	addr = vm_mmap(NULL, start, end - start, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	if (IS_ERR_VALUE(addr))
		return addr;
	return mach_vm_copy_from_file(file, pos, start, end, buf);
}

/*
 * In a new shell with its parent's memory: a clone marks its NONE regions;
 * any other child takes a private copy of each region listed as COPY.
 */
int mach_shell_take_inheritance(struct mach_task_os *os, bool clone)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct mach_share_buf *buf;
	int ret = 0;

	/* (The parent reads the list too, to mark its own: it stays.) */
	mmap_write_lock(mm);
	mach_mark_none(mm, &os->none_ranges);
	mmap_write_unlock(mm);
	if (clone || !os->copy_ranges.count)
		return 0;

	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (unsigned int i = 0; !ret && i < os->copy_ranges.count; i++) {
		unsigned long at = os->copy_ranges.r[i].start;
		unsigned long end = os->copy_ranges.r[i].end;

		while (!ret && at < end) {
			struct file *file = NULL;
			unsigned long piece_end = 0, prot = 0;
			loff_t pos = 0;

			mmap_read_lock(mm);
			vma = find_vma(mm, at);
			if (vma && vma->vm_start < end) {
				at = max(at, vma->vm_start);
				piece_end = min(end, vma->vm_end);
				if (mach_vma_made_shared(vma)) {
					file = get_file(vma->vm_file);
					pos = ((loff_t)vma->vm_pgoff << PAGE_SHIFT) +
					      (at - vma->vm_start);
					prot = mach_vm_prot_of(vma->vm_flags);
				}
			}
			mmap_read_unlock(mm);
			if (!piece_end)
				break;
			if (file) {
				ret = mach_privatize(at, piece_end, prot, file, pos, buf);
				fput(file);
			}
			at = piece_end;
		}
	}
	kfree(buf);
	mutex_lock(&os->ranges_lock);
	mach_ranges_free(&os->copy_ranges);	/* all private now */
	mutex_unlock(&os->ranges_lock);
	return ret;
}

/* ---- the teleport -------------------------------------------------------- */

/*
 * A teleport's parent, suspended, first moves the pages it maps to the
 * child's node (those others map too, a library's text, stay unless the
 * caller may move them: CAP_SYS_NICE), then forks the child, which shares
 * them copy-on-write, and ends: they are the child's alone. No region has
 * to become shared, since nothing of the parent runs after the fork. This
 * is migrate_pages(self, the other nodes, the child's node), with the node
 * masks the stub page holds: from nodes that have no memory, there is
 * nothing to move, and each would cost a walk of the page tables.
 */
void mach_teleport_migrate(struct mach_task_os *child, unsigned long stub,
			   struct mach_syscall *next)
{
	next->nr = __NR_migrate_pages;
	next->args[0] = 0;
	next->args[1] = MACH_STUB_NODES + 1;	/* the kernel reads one less */
	next->args[2] = stub + offsetof(struct mach_stub_page, other_nodes) +
			child->numa_node * sizeof(u64);
	next->args[3] = stub + offsetof(struct mach_stub_page, node_masks) +
			child->numa_node * sizeof(u64);
}

/*
 * Then, in the child, if the parent could not move every page (one was
 * busy at the time): once the parent is gone, the rest is the child's
 * alone, and moves now.
 */
struct mach_pages_left_call {
	struct mach_agent_call call;
	/* set before it is queued, then read-only: */
	struct mach_task_os *parent;	/* its task is referenced */
	struct mach_task_os *child;
};

static bool mach_pages_left_step(struct mach_agent_call *call, long result,
			     struct mach_syscall *next)
{
	struct mach_pages_left_call *c = container_of(call, struct mach_pages_left_call, call);

	if (call->stage++) {
		call->ret = result < 0 ? result : 0;	/* > 0: pages that stayed */
		return false;
	}
	call->ret = mach_task_wait_gone(c->parent);
	if (call->ret)
		return false;
	mach_teleport_migrate(c->child, c->child->agent.stub, next);
	return true;
}

static void mach_pages_left_release(struct mach_agent_call *call)
{
	struct mach_pages_left_call *c = container_of(call, struct mach_pages_left_call, call);

	mach_task_put(c->parent->task);
	kfree(c);
}

int mach_shim_task_teleport_end(struct mach_task_os *parent, u64 program,
				struct mach_task *child)
{
	bool self = mach_shim_task_is_current(parent);
	struct mach_pages_left_call *c;
	int ret;

	/* Told before it ends: it may be the caller, which never returns. */
	mach_task_mark_end(parent, MACH_END_TELEPORTED);
	mach_netlink_event(parent, MACH_EVENT_TELEPORTED,
			   pid_nr(READ_ONCE(mach_task_os_of(child)->pid)));
	/* The parent moved them all: ending it is all there is to do. */
	if (!mach_task_os_of(child)->pages_left)
		return mach_shim_task_kill(parent, self ? 0 : program);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	mach_agent_call_init(&c->call, mach_pages_left_step, mach_pages_left_release);
	mach_task_get(parent->task);
	c->parent = parent;
	c->child = mach_task_os_of(child);
	if (self) {
		/* It ends here: its child moves on alone once it is gone. */
		ret = mach_agent_queue(&c->child->agent, &c->call);
		if (!ret)
			ret = mach_shim_task_kill(parent, 0);
	} else {
		ret = mach_shim_task_kill(parent, program);
		if (!ret)
			mach_agent_run(&c->child->agent, &c->call);	/* best effort */
	}
	mach_agent_call_put(&c->call);
	return ret;
}
