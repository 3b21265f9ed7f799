// SPDX-License-Identifier: GPL-2.0
/*
 * thread_record.c - the records of Mach threads (thread_record.h), found
 * by hash: by the cookie until the thread entered, then by the thread.
 */
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "thread_record.h"

DEFINE_SPINLOCK(mach_threads_lock);
/* Every record, by key; guarded by mach_threads_lock. */
static DEFINE_HASHTABLE(mach_threads, 8);
static unsigned long mach_thread_cookies;	/* guarded by mach_threads_lock */

static void mach_thread_hash_locked(struct mach_thread_os *t, unsigned long key)
{
	lockdep_assert_held(&mach_threads_lock);
	t->key = key;
	hash_add(mach_threads, &t->node, key);
}

struct mach_thread_os *mach_thread_alloc(const struct mach_task_os *owner,
					 unsigned int refs)
{
	struct mach_thread_os *t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);

	if (!t)
		return NULL;
	refcount_set(&t->refs, refs);
	INIT_HLIST_NODE(&t->node);
	init_waitqueue_head(&t->wait);
	mutex_init(&t->regs_lock);
	t->owner = owner;
	return t;
}

void mach_thread_publish(struct mach_thread_os *t)
{
	spin_lock(&mach_threads_lock);
	if (t->thread) {
		mach_thread_hash_locked(t, (unsigned long)t->thread);
	} else {
		mach_thread_cookies = (mach_thread_cookies + 1) & 0xffffffffUL;
		/* Above the shells' cookies: a distinct page-aligned TLS base. */
		t->cookie = (0x100000000UL + mach_thread_cookies) << PAGE_SHIFT;
		mach_thread_hash_locked(t, t->cookie);
	}
	spin_unlock(&mach_threads_lock);
}

void mach_thread_put(struct mach_thread_os *t)
{
	if (!refcount_dec_and_test(&t->refs))
		return;
	spin_lock(&mach_threads_lock);
	hash_del(&t->node);
	spin_unlock(&mach_threads_lock);
	if (t->thread)
		put_task_struct(t->thread);
	put_pid(t->pid);
	kfree(t);
}

struct mach_thread_os *
mach_thread_find_entering_locked(const struct mach_task_os *owner)
{
	unsigned long cookie = mach_arch_tls(current);
	unsigned long self = (unsigned long)current;
	struct mach_thread_os *t;

	lockdep_assert_held(&mach_threads_lock);
	/*
	 * Ours while we are here; one whose last reference is gone is on its
	 * way out of the table (its thread was let go before it entered):
	 * not found.
	 */
	hash_for_each_possible(mach_threads, t, node, self)
		if (t->key == self && t->thread == current && !t->started &&
		    t->owner == owner && refcount_inc_not_zero(&t->refs))
			return t;
	hash_for_each_possible(mach_threads, t, node, cookie)
		if (t->key == cookie && !t->thread && t->cookie == cookie &&
		    !t->started && t->owner == owner &&
		    refcount_inc_not_zero(&t->refs))
			return t;
	return NULL;
}

void mach_thread_set_entered_locked(struct mach_thread_os *t)
{
	lockdep_assert_held(&mach_threads_lock);
	get_task_struct(current);
	t->exec_id = current->self_exec_id;
	/* Release: whoever sees thread set sees exec_id too. */
	smp_store_release(&t->thread, current);
	hash_del(&t->node);
	mach_thread_hash_locked(t, (unsigned long)current);
}

struct mach_thread_os *mach_thread_find_reading_locked(void)
{
	unsigned long self = (unsigned long)current;
	struct mach_thread_os *t;

	lockdep_assert_held(&mach_threads_lock);
	hash_for_each_possible(mach_threads, t, node, self)
		if (t->key == self && t->thread == current && !t->started &&
		    t->leaving == MACH_LEAVE_BY_READ &&
		    refcount_inc_not_zero(&t->refs))
			return t;
	return NULL;
}

struct mach_thread_os *mach_thread_find_current_locked(const struct mach_task_os *owner)
{
	unsigned long self = (unsigned long)current;
	struct mach_thread_os *t;

	lockdep_assert_held(&mach_threads_lock);
	hash_for_each_possible(mach_threads, t, node, self)
		if (t->key == self && t->thread == current && t->started &&
		    t->owner == owner && mach_thread_same_program(t, current) &&
		    refcount_inc_not_zero(&t->refs))
			return t;
	return NULL;
}

/*
 * Is thread a Mach thread already, one being made (not entered yet, it
 * carries its cookie), or one being ended?
 */
bool mach_thread_known_locked(const struct mach_task_os *owner,
			      struct task_struct *thread)
{
	unsigned long cookie = mach_arch_tls(thread);
	unsigned long key = (unsigned long)thread;
	struct mach_thread_os *t;

	lockdep_assert_held(&mach_threads_lock);
	hash_for_each_possible(mach_threads, t, node, key)
		if (t->key == key && t->thread == thread &&
		    mach_thread_same_program(t, thread))
			return true;
	hash_for_each_possible(mach_threads, t, node, cookie)
		if (t->key == cookie && !t->thread && t->cookie == cookie &&
		    t->owner == owner)
			return true;
	return false;
}

/* What a record says of its thread, for the core (core/shim.h). */
bool mach_shim_thread_is_current(struct mach_thread_os *t)
{
	return READ_ONCE(t->thread) == current && mach_thread_same_program(t, current);
}

bool mach_shim_thread_gone(struct mach_thread_os *t)
{
	struct task_struct *thread = READ_ONCE(t->thread);

	/* Not entered yet is not gone: it is on its way to its park. */
	return READ_ONCE(t->dying) ||
	       (thread && (READ_ONCE(thread->flags) & PF_EXITING));
}
