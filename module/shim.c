// SPDX-License-Identifier: GPL-2.0
/*
 * shim.c - the kernel side of core/shim.h: allocation from per-kind slab
 * caches (so a leak shows at unload), mutexes, refcount_t, copy-out.
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/mman.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/wait.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "shim_kernel.h"
#include "spin.h"
#include "upcalls.h"

const struct mach_upcalls *mach_up __ro_after_init;

static_assert(MACH_EBADF == EBADF && MACH_ENOMEM == ENOMEM &&
	      MACH_EFAULT == EFAULT && MACH_EINVAL == EINVAL &&
	      MACH_ENOTTY == ENOTTY && MACH_EINTR == EINTR &&
	      MACH_EAGAIN == EAGAIN && MACH_EPERM == EPERM &&
	      MACH_ESRCH == ESRCH && MACH_ENXIO == ENXIO &&
	      MACH_EACCES == EACCES && MACH_EEXIST == EEXIST &&
	      MACH_EBUSY == EBUSY && MACH_ETIMEDOUT == ETIMEDOUT &&
	      MACH_EIO == EIO && MACH_EINPROGRESS == EINPROGRESS &&
	      MACH_EREMOTE == EREMOTE && MACH_EMFILE == EMFILE &&
	      MACH_EOPNOTSUPP == EOPNOTSUPP);
static_assert(sizeof(struct mach_shim_ref) == sizeof(refcount_t));

static const char *const mach_cache_names[MACH_KIND_COUNT] = {
	[MACH_KIND_TASK] = "mach_task",
	[MACH_KIND_PORT] = "mach_port",
};

/* NULL for MACH_KIND_MEMORY, which is variable-size and uses kvmalloc. */
static struct kmem_cache *mach_caches[MACH_KIND_COUNT];
static atomic_long_t mach_live[MACH_KIND_COUNT];

/*
 * Charged to the caller's memory cgroup. Past its limit the allocation
 * fails, and the caller gets a Mach error (KERN_RESOURCE_SHORTAGE,
 * MACH_SEND_NO_BUFFER), rather than the cgroup's OOM killer choosing a
 * process, or a warning in the log for a size a user chose.
 */
#define MACH_GFP (GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

void *mach_shim_alloc(enum mach_shim_kind kind, size_t size)
{
	struct kmem_cache *cache = mach_caches[kind];
	void *p;

	if (cache)
		p = size <= kmem_cache_size(cache) ?
			kmem_cache_zalloc(cache, MACH_GFP) : NULL;
	else
		p = kvzalloc(size, MACH_GFP);
	if (p)
		atomic_long_inc(&mach_live[kind]);
	return p;
}

void mach_shim_free(enum mach_shim_kind kind, void *p)
{
	if (mach_caches[kind])
		kmem_cache_free(mach_caches[kind], p);
	else
		kvfree(p);
	atomic_long_dec(&mach_live[kind]);
}

long mach_shim_live(enum mach_shim_kind kind)
{
	return atomic_long_read(&mach_live[kind]);
}

struct mach_shim_lock {
	struct mutex mutex;	/* itself a lock */
};

static struct lock_class_key mach_lock_keys[MACH_LOCK_CLASS_COUNT];
static const char *const mach_lock_names[MACH_LOCK_CLASS_COUNT] = {
	[MACH_LOCK_TASK] = "mach_task.lock",
	[MACH_LOCK_SPACE] = "mach_space.lock",
	[MACH_LOCK_PORT] = "mach_port.lock",
	[MACH_LOCK_PORT_SET] = "mach_port_set.lock",
	[MACH_LOCK_QUIESCE] = "mach_task.quiesce",
	[MACH_LOCK_ADOPT] = "mach_task.adopt",
	[MACH_LOCK_THREAD] = "mach_thread.lock",
	[MACH_LOCK_EXCEPTIONS] = "mach_exceptions.lock",
	[MACH_LOCK_SEMAPHORES] = "mach_task.semaphores",
	[MACH_LOCK_HOST] = "mach_host.lock",
	[MACH_LOCK_PROGRAM] = "mach_task.program",
};

struct mach_shim_lock *mach_shim_lock_create(enum mach_lock_class cls)
{
	struct mach_shim_lock *lock = mach_shim_alloc(MACH_KIND_MEMORY,
						      sizeof(*lock));

	if (lock)
		__mutex_init(&lock->mutex, mach_lock_names[cls],
			     &mach_lock_keys[cls]);
	return lock;
}

void mach_shim_lock_destroy(struct mach_shim_lock *lock)
{
	mutex_destroy(&lock->mutex);
	mach_shim_free(MACH_KIND_MEMORY, lock);
}

void mach_shim_lock_acquire(struct mach_shim_lock *lock)
{
	mutex_lock(&lock->mutex);
}

int mach_shim_lock_acquire_killable(struct mach_shim_lock *lock)
{
	return mutex_lock_killable(&lock->mutex) ? -EINTR : 0;
}

void mach_shim_lock_release(struct mach_shim_lock *lock)
{
	mutex_unlock(&lock->mutex);
}

void mach_shim_lock_assert_held(struct mach_shim_lock *lock)
{
	lockdep_assert_held(&lock->mutex);
}

struct mach_shim_waitq {
	wait_queue_head_t head;	/* its own lock */
};

struct mach_shim_waitq *mach_shim_waitq_create(void)
{
	struct mach_shim_waitq *q = mach_shim_alloc(MACH_KIND_MEMORY,
						    sizeof(*q));

	if (q)
		init_waitqueue_head(&q->head);
	return q;
}

void mach_shim_waitq_destroy(struct mach_shim_waitq *q)
{
	mach_shim_free(MACH_KIND_MEMORY, q);
}

/*
 * Most wakes find no one (each dequeue wakes for a blocked sender). The
 * waiters' checks take the lock the wakers changed what they check
 * under, so the barrier in wq_has_sleeper() is all a skipped wake needs.
 */
void mach_shim_waitq_wake(struct mach_shim_waitq *q)
{
	if (wq_has_sleeper(&q->head))
		wake_up_all(&q->head);	/* and an exception's killable wait */
}

/* The waker waits for an answer next: the woken thread is its peer. */
void mach_shim_waitq_wake_peer(struct mach_shim_waitq *q)
{
	mach_handoff_wake(&q->head);
}

wait_queue_head_t *mach_shim_waitq_head(struct mach_shim_waitq *q)
{
	return &q->head;
}

static bool mach_wait_woken(void *wait)
{
	return READ_ONCE(((struct wait_queue_entry *)wait)->flags) & WQ_FLAG_WOKEN;
}

/*
 * ready() takes the core's mutexes, so it must run in TASK_RUNNING: the
 * wait_woken() loop rather than wait_event_*(), which would call it with
 * the task already marked asleep. Right after a send that woke a peer,
 * the first wait spins while the peer runs (spin.c).
 */
int mach_shim_waitq_wait(struct mach_shim_waitq *q, bool (*ready)(void *),
			 void *arg, u64 timeout_ms)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	long left = timeout_ms == MACH_SHIM_FOREVER ? MAX_SCHEDULE_TIMEOUT :
		    (long)msecs_to_jiffies(min_t(u64, timeout_ms, UINT_MAX));
	struct task_struct *peer = mach_handoff_take();
	int ret = 0;

	add_wait_queue(&q->head, &wait);
	while (!ready(arg)) {
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!left) {
			ret = -ETIMEDOUT;
			break;
		}
		if (peer) {
			bool woken = mach_spin_until(mach_wait_woken, &wait, peer);

			put_task_struct(peer);
			peer = NULL;
			if (woken) {
				/* As wait_woken() does once it has seen it. */
				smp_store_mb(wait.flags, wait.flags & ~WQ_FLAG_WOKEN);
				continue;
			}
		}
		left = wait_woken(&wait, TASK_INTERRUPTIBLE, left);
	}
	remove_wait_queue(&q->head, &wait);
	if (peer)
		put_task_struct(peer);
	return ret;
}

/* The same wait, which only a fatal signal ends (an exception's reply). */
int mach_shim_waitq_wait_killable(struct mach_shim_waitq *q, bool (*ready)(void *),
				  void *arg)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int ret = 0;

	add_wait_queue(&q->head, &wait);
	while (!ready(arg)) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		wait_woken(&wait, TASK_KILLABLE, MAX_SCHEDULE_TIMEOUT);
	}
	remove_wait_queue(&q->head, &wait);
	return ret;
}

static DEFINE_MUTEX(mach_transit_lock);
void mach_shim_transit_lock(void)
{
	mutex_lock(&mach_transit_lock);
}

void mach_shim_transit_unlock(void)
{
	mutex_unlock(&mach_transit_lock);
}

static refcount_t *mach_refcount(struct mach_shim_ref *ref)
{
	return (refcount_t *)ref;
}

void mach_shim_ref_init(struct mach_shim_ref *ref, int n)
{
	refcount_set(mach_refcount(ref), n);
}

void mach_shim_ref_get(struct mach_shim_ref *ref)
{
	refcount_inc(mach_refcount(ref));
}

bool mach_shim_ref_put(struct mach_shim_ref *ref)
{
	return refcount_dec_and_test(mach_refcount(ref));
}

u32 mach_shim_ref_read(const struct mach_shim_ref *ref)
{
	return refcount_read((const refcount_t *)ref);
}

bool mach_shim_ref_get_not_zero(struct mach_shim_ref *ref)
{
	return refcount_inc_not_zero(mach_refcount(ref));
}

int mach_shim_copy_out(u64 uaddr, const void *src, size_t size)
{
	return copy_to_user(u64_to_user_ptr(uaddr), src, size) ? -EFAULT : 0;
}

int mach_shim_copy_in(void *dst, u64 uaddr, size_t size)
{
	return copy_from_user(dst, u64_to_user_ptr(uaddr), size) ? -EFAULT : 0;
}

int mach_shim_vm_allocate(u64 size, u64 *uaddr)
{
	unsigned long addr;

	if (size > TASK_SIZE)
		return -ENOMEM;
	addr = vm_mmap(NULL, 0, PAGE_ALIGN(size), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	*uaddr = addr;
	return 0;
}

void mach_shim_vm_deallocate(u64 uaddr, u64 size)
{
	u64 start = uaddr & PAGE_MASK;

	if (size && uaddr < TASK_SIZE && size <= TASK_SIZE - uaddr)
		vm_munmap(start, PAGE_ALIGN(uaddr + size) - start);
}

u64 mach_shim_page_size(void)
{
	return PAGE_SIZE;
}

u64 mach_shim_user_address_end(void)
{
	return TASK_SIZE_MAX;
}

u32 mach_shim_kernel_version(char *out, u32 room)
{
	struct new_utsname *name;
	int len;

	/* (No uts_sem, unexported: only the host and domain names change.) */
	name = utsname();
	len = scnprintf(out, room, "%s %s %s %s\n", name->sysname, name->release,
			name->version, name->machine);
	return len + 1;
}

void mach_shim_host_facts(struct mach_host_facts *facts)
{
	facts->cpus_possible = num_possible_cpus();
	facts->cpus_online = num_online_cpus();
	facts->memory_bytes = (u64)totalram_pages() << PAGE_SHIFT;
	facts->nodes_online = num_online_nodes();
	facts->node_ids = nr_node_ids;
}

int mach_shim_cache_create(enum mach_shim_kind kind, mach_size size)
{
	if (!mach_cache_names[kind] || mach_caches[kind])
		return -EINVAL;
	mach_caches[kind] = kmem_cache_create(mach_cache_names[kind], size, 0,
					      SLAB_ACCOUNT, NULL);
	return mach_caches[kind] ? 0 : -ENOMEM;
}

void mach_shim_exit(void)
{
	enum mach_shim_kind kind;

	mach_spin_exit();

	for (kind = 0; kind < MACH_KIND_COUNT; kind++) {
		if (mach_shim_live(kind))
			pr_err("leaked %ld objects of kind %d\n",
			       mach_shim_live(kind), kind);
		kmem_cache_destroy(mach_caches[kind]);
		mach_caches[kind] = NULL;
	}
}

static int mach_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

void mach_shim_sort_u32(u32 *words, u32 n)
{
	sort(words, n, sizeof(*words), mach_u32_cmp, NULL);
}
