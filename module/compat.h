/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernels the module builds for,
 * in one place. The glue is written to the newest kernel's API; for older
 * kernels this supplies that API in terms of theirs. Which kernel has
 * what is probed in its headers at build time (module/compat.mk, the
 * other half of this, defines MACH_COMPAT_*), not read off its version:
 * Debian's stable kernels take backports (6.12.118 has WQ_PERCPU, 6.12.95
 * has not). The C++ core never sees any of it.
 */
#ifndef MACH_COMPAT_H
#define MACH_COMPAT_H

#include <linux/mm.h>
#include <linux/percpu_counter.h>
#include <linux/shmem_fs.h>
#include <linux/workqueue.h>

/* vma->vm_flags is read-only since 6.3, which brought these. */
#ifndef MACH_COMPAT_VM_FLAGS_SET
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * Since 6.7 a shared mapping counts as its file's writer by VM_MAYWRITE
 * (vma_is_shared_maywrite()): clearing that flag later would leave the
 * count unbalanced when it is unmapped. Before, VM_SHARED alone counted.
 */
#ifdef MACH_COMPAT_SHARED_MAYWRITE
#define MACH_SHARED_MAYWRITE_COUNTED true
#else
#define MACH_SHARED_MAYWRITE_COUNTED false
#endif

/* get_user_pages() and get_user_pages_remote() lost their vmas in 6.5. */
#ifdef MACH_COMPAT_GUP_VMAS
static inline long mach_get_user_pages(unsigned long start, unsigned long nr_pages,
				       unsigned int gup_flags, struct page **pages)
{
	return get_user_pages(start, nr_pages, gup_flags, pages, NULL);
}

static inline long mach_get_user_pages_remote(struct mm_struct *mm,
					      unsigned long start,
					      unsigned long nr_pages,
					      unsigned int gup_flags,
					      struct page **pages, int *locked)
{
	return get_user_pages_remote(mm, start, nr_pages, gup_flags, pages,
				     NULL, locked);
}

#define get_user_pages mach_get_user_pages
#define get_user_pages_remote mach_get_user_pages_remote
#endif

/*
 * A process's resident pages, exactly as /proc/PID/statm gives them.
 * Since 6.2 the counters are per-CPU (MACH_COMPAT_RSS_PERCPU) and
 * get_mm_rss() reads them approximately (off by up to a batch per CPU:
 * 85 KiB too few, on 6.12 in the test VM); get_mm_rss_sum() came later.
 * Before, the counters are plain and get_mm_rss() is what /proc reads.
 */
#ifndef MACH_COMPAT_GET_MM_RSS_SUM
static inline unsigned long get_mm_rss_sum(struct mm_struct *mm)
{
#ifdef MACH_COMPAT_RSS_PERCPU
	return percpu_counter_sum_positive(&mm->rss_stat[MM_FILEPAGES]) +
	       percpu_counter_sum_positive(&mm->rss_stat[MM_ANONPAGES]) +
	       percpu_counter_sum_positive(&mm->rss_stat[MM_SHMEMPAGES]);
#else
	return get_mm_rss(mm);
#endif
}
#endif

/* One of those counters (MM_ANONPAGES, ...), exactly as well. */
static inline unsigned long mach_mm_counter_sum(struct mm_struct *mm, int member)
{
#ifdef MACH_COMPAT_RSS_PERCPU
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
#else
	return get_mm_counter(mm, member);
#endif
}

/*
 * shmem_file_setup() takes the VMA flags as a vma_flags_t on 7.x; the
 * module only ever asks for "no reservation" or nothing.
 */
#ifdef MACH_COMPAT_SHMEM_VMA_FLAGS
#define MACH_SHMEM_NORESERVE	mk_vma_flags(VMA_NORESERVE_BIT)
#define MACH_SHMEM_ACCOUNTED	EMPTY_VMA_FLAGS
#else
#define MACH_SHMEM_NORESERVE	VM_NORESERVE
#define MACH_SHMEM_ACCOUNTED	0
#endif

/*
 * A workqueue says whether it is per-CPU where WQ_PERCPU exists: saying
 * neither warns on 7.x, and a warning panics the test VM. Per-CPU is
 * what 0 meant before.
 */
#ifndef MACH_COMPAT_WQ_PERCPU
#define WQ_PERCPU 0
#endif

/*
 * Is t's process dumpable by its owner, as /proc's read check asks (its
 * mm's flag, then task->exec_state's since 7.x)? Takes task_lock(t).
 */
#ifdef MACH_COMPAT_EXEC_STATE
#include <linux/sched/exec_state.h>

static inline bool mach_task_owner_dumpable(struct task_struct *t)
{
	struct task_exec_state *es;
	bool ok;

	rcu_read_lock();
	es = rcu_dereference(t->exec_state);
	ok = es && READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
	rcu_read_unlock();
	return ok;
}
#else
#include <linux/sched/coredump.h>
#include <linux/sched/task.h>

static inline bool mach_task_owner_dumpable(struct task_struct *t)
{
	bool ok;

	task_lock(t);
	ok = t->mm && get_dumpable(t->mm) == SUID_DUMP_USER;
	task_unlock(t);
	return ok;
}
#endif

/* VMA flags newer than 6.1: none there. */
#ifndef VM_DROPPABLE
#define VM_DROPPABLE VM_NONE
#endif
#ifndef VM_SHADOW_STACK
#define VM_SHADOW_STACK VM_NONE
#endif

/* rdmsrl() became rdmsrq() (6.16); both are macros. */
#include <asm/msr.h>
#ifdef rdmsrq
#define mach_rdmsr(msr, val) rdmsrq(msr, val)
#else
#define mach_rdmsr(msr, val) rdmsrl(msr, val)
#endif

/*
 * The calling thread's live fs and gs bases into its thread_struct, as
 * current_save_fsgs() does, which is exported only for KVM (6.x: when it
 * is built; 7.x: to KVM's modules alone): in the kernel, a 64-bit
 * thread's bases are the FS_BASE and KERNEL_GS_BASE MSRs.
 */
#include <asm/msr-index.h>
static inline void mach_save_own_fsgs(void)
{
	unsigned long flags;

	local_irq_save(flags);
	mach_rdmsr(MSR_FS_BASE, current->thread.fsbase);
	mach_rdmsr(MSR_KERNEL_GS_BASE, current->thread.gsbase);
	local_irq_restore(flags);
}

/*
 * A thread's comm: __get_task_comm() is gone in 7.x, whose
 * get_task_comm() takes any buffer of at least TASK_COMM_LEN; 6.x's
 * takes exactly TASK_COMM_LEN. Into buf of size bytes, NUL-terminated.
 */
static inline void mach_task_comm(char *buf, size_t size, struct task_struct *t)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, t);
	strscpy(buf, comm, size);
}

#endif /* MACH_COMPAT_H */
