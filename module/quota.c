// SPDX-License-Identifier: GPL-2.0
/*
 * quota.c - what each user may make the module hold, counted against
 * limits the administrator sets, as inotify and POSIX message queues
 * count theirs: ports, and the bytes of queued messages (body,
 * descriptors, out-of-line data and port arrays). Neither has another
 * bound: a right carried in a message has no file descriptor, and a
 * message to a send-once right needs no room in its queue. The memory
 * itself is charged to the caller's memory cgroup as well (shim.c).
 *
 * A user's counts live in a record found by uid (the real one, as
 * inotify's). Each charged object holds a reference on it, so the record
 * lasts as long as anything is counted there.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "shim_kernel.h"

static unsigned long max_user_ports = 65536;
module_param(max_user_ports, ulong, 0644);
MODULE_PARM_DESC(max_user_ports, "ports one user's tasks may hold alive (default 65536)");

static unsigned long max_user_message_bytes = 128UL << 20;
module_param(max_user_message_bytes, ulong, 0644);
MODULE_PARM_DESC(max_user_message_bytes,
		 "bytes of queued messages one user may have sent (default 128 MiB)");

struct mach_shim_user {
	struct hlist_node node;		/* in mach_users, under mach_users_lock; rcu */
	struct rcu_head rcu;		/* the last put's */
	kuid_t uid;			/* immutable */
	refcount_t refs;		/* atomic */
	atomic_long_t used[MACH_QUOTA_COUNT];	/* atomic */
};

static DEFINE_HASHTABLE(mach_users, 6);
static DEFINE_SPINLOCK(mach_users_lock);

static struct mach_shim_user *mach_user_find(kuid_t uid)
{
	struct mach_shim_user *u;

	hash_for_each_possible_rcu(mach_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid) && refcount_inc_not_zero(&u->refs))
			return u;
	return NULL;
}

struct mach_shim_user *mach_shim_user_current(void)
{
	kuid_t uid = current_uid();
	struct mach_shim_user *u, *fresh;

	rcu_read_lock();
	u = mach_user_find(uid);
	rcu_read_unlock();
	if (u)
		return u;
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!fresh)
		return NULL;
	fresh->uid = uid;
	refcount_set(&fresh->refs, 1);
	spin_lock(&mach_users_lock);
	u = mach_user_find(uid);
	if (!u) {
		hash_add_rcu(mach_users, &fresh->node, __kuid_val(uid));
		u = fresh;
		fresh = NULL;
	}
	spin_unlock(&mach_users_lock);
	kfree(fresh);
	return u;
}

void mach_shim_user_get(struct mach_shim_user *u)
{
	refcount_inc(&u->refs);
}

/*
 * A record at zero references is never found again (lookups take a
 * reference only from a live one), so it leaves the table after the fact.
 */
void mach_shim_user_put(struct mach_shim_user *u)
{
	if (!refcount_dec_and_test(&u->refs))
		return;
	spin_lock(&mach_users_lock);
	hash_del_rcu(&u->node);
	spin_unlock(&mach_users_lock);
	kfree_rcu(u, rcu);
}

static unsigned long mach_quota_limit(enum mach_shim_quota quota)
{
	return quota == MACH_QUOTA_PORTS ? READ_ONCE(max_user_ports) :
					   READ_ONCE(max_user_message_bytes);
}

mach_bool mach_shim_user_charge(struct mach_shim_user *u, enum mach_shim_quota quota,
				mach_u64 amount)
{
	atomic_long_t *used = &u->used[quota];

	if (amount > mach_quota_limit(quota))
		return false;
	if ((unsigned long)atomic_long_add_return(amount, used) > mach_quota_limit(quota)) {
		atomic_long_sub(amount, used);
		return false;
	}
	return true;
}

void mach_shim_user_uncharge(struct mach_shim_user *u, enum mach_shim_quota quota,
			     mach_u64 amount)
{
	atomic_long_sub(amount, &u->used[quota]);
}

/* Every charged object is gone by now: a record left is a leak. */
void mach_quota_exit(void)
{
	struct mach_shim_user *u;
	int bucket;

	hash_for_each(mach_users, bucket, u, node)
		pr_err("leaked the counts of uid %u\n", __kuid_val(u->uid));
}
