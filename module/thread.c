// SPDX-License-Identifier: GPL-2.0
/*
 * thread.c - Mach threads: Linux threads of a task's process, cloned by
 * its agent, parked in the module until thread_resume. This file keeps
 * their records (thread_record.h lists the others).
 *
 * The agent clones a thread with no stack (it runs nothing but the stub)
 * and marks it with a cookie as its TLS base, as shell.c marks a shell.
 * The thread re-enters through the stub (MACH_IOC_THREAD_ENTER), finds
 * its record by the cookie and parks (thread_park.c). Records are found
 * by hash: by the cookie until the thread entered, then by the thread.
 */
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <uapi/linux/sched.h>
#include <asm/unistd.h>

#include <mach/ioctl.h>

#include "agent.h"
#include "stub.h"
#include "task_os.h"
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
	t->thread = current;
	t->exec_id = current->self_exec_id;
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

static bool mach_thread_step(struct mach_agent_call *call, long result,
			     struct mach_syscall *next)
{
	struct mach_thread_os *t = container_of(call, struct mach_thread_os,
						call);

	if (call->stage++ == 0) {
		next->nr = __NR_clone;
		next->args[0] = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS;
		next->args[4] = t->cookie;
		next->child_request = MACH_IOC_THREAD_ENTER;
		return true;
	}
	if (result < 0)
		call->ret = result;
	else
		t->pid = find_get_pid(result);
	return false;
}

static void mach_thread_call_release(struct mach_agent_call *call)
{
	mach_thread_put(container_of(call, struct mach_thread_os, call));
}

/* Has it entered the module (and parked, or gone on), or is it ending? */
static bool mach_thread_settled(struct mach_thread_os *t)
{
	return READ_ONCE(t->thread) || READ_ONCE(t->dying);
}

/*
 * thread_create does not wait for its thread to reach its park: what
 * needs the thread itself (its registers, its times) waits here, unless
 * it died on the way.
 */
int mach_thread_wait_entered(struct mach_thread_os *t)
{
	while (!mach_thread_settled(t)) {
		if (wait_event_killable_timeout(t->wait, mach_thread_settled(t),
						HZ / 10) < 0)
			return -EINTR;
		if (!mach_thread_settled(t) &&
		    (!t->pid || !pid_task(t->pid, PIDTYPE_PID)))
			return -ESRCH;
	}
	return 0;
}

struct mach_thread_os *mach_shim_thread_create(struct mach_task_os *os,
					       u64 program, int *err)
{
	struct mach_thread_os *t;
	long ret;

	t = mach_thread_alloc(os, 2);	/* the core's and the call's */
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	atomic_set(&t->holds, 1);	/* created suspended */
	mach_agent_call_init(&t->call, mach_thread_step, mach_thread_call_release);
	t->call.program = program;
	mach_thread_publish(t);

	/* The clone: the thread enters and parks on its own, soon after. */
	ret = mach_agent_run(&os->agent, &t->call);
	mach_agent_call_put(&t->call);
	if (ret) {
		mach_shim_thread_kill(t);
		mach_shim_thread_free(t);
		*err = ret;
		return NULL;
	}
	return t;
}

/*
 * The core lets go: a thread that never ran is told to end. One that runs
 * was ended already if it was to be, or is a thread of its own program.
 */
void mach_shim_thread_free(struct mach_thread_os *t)
{
	if (!READ_ONCE(t->started))
		mach_shim_thread_kill(t);
	mach_thread_put(t);
}

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
