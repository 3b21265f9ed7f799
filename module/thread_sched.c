// SPDX-License-Identifier: GPL-2.0
/*
 * thread_sched.c - a Mach thread's Linux scheduling (thread_policy_get
 * and thread_policy_set: its policy, nice and SCHED_DEADLINE parameters)
 * and its identity (thread_info's identifier and extended flavours).
 */
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <uapi/linux/sched/types.h>

#include "compat.h"
#include "thread_record.h"

/* Its thread, with a reference: NULL if it has none (yet, or any more). */
static struct task_struct *mach_thread_get_task(struct mach_thread_os *t)
{
	struct task_struct *thread;

	mach_thread_wait_entered(t);
	spin_lock(&mach_threads_lock);
	thread = READ_ONCE(t->dying) ? NULL : t->thread;
	if (thread)
		get_task_struct(thread);
	spin_unlock(&mach_threads_lock);
	if (thread && (thread->exit_state || !mach_thread_same_program(t, thread))) {
		put_task_struct(thread);
		thread = NULL;
	}
	return thread;
}

void mach_shim_thread_identity(struct mach_thread_os *t,
			       struct mach_thread_identity *identity)
{
	struct task_struct *thread;

	memset(identity, 0, sizeof(*identity));
	thread = mach_thread_get_task(t);
	if (!thread)
		return;
	if (thread == current)
		mach_arch_save_own_state();
	identity->handle = mach_arch_tls(thread);
	mach_task_comm(identity->name, sizeof(identity->name), thread);
	put_task_struct(thread);
}

int mach_shim_thread_sched_get(struct mach_thread_os *t, struct mach_thread_sched *sched)
{
	struct task_struct *thread = mach_thread_get_task(t);

	memset(sched, 0, sizeof(*sched));
	if (!thread)
		return -ESRCH;
	sched->policy = READ_ONCE(thread->policy);
	sched->nice = task_nice(thread);
	if (sched->policy == SCHED_DEADLINE) {
		sched->runtime_ns = thread->dl.dl_runtime;
		sched->deadline_ns = thread->dl.dl_deadline;
		sched->period_ns = thread->dl.dl_period;
	}
	put_task_struct(thread);
	return 0;
}

int mach_shim_thread_set_nice(struct mach_thread_os *t, s32 nice)
{
	struct task_struct *thread = mach_thread_get_task(t);
	int err = 0;

	if (!thread)
		return -ESRCH;
	/* (can_nice() asks of the caller: its limit, its capability.) */
	if (nice < task_nice(thread) && !can_nice(thread, nice))
		err = -EPERM;
	else
		set_user_nice(thread, nice);
	put_task_struct(thread);
	return err;
}

int mach_shim_thread_set_sched(struct mach_thread_os *t,
			       const struct mach_thread_sched *sched)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = sched->policy,
		.sched_runtime = sched->runtime_ns,
		.sched_deadline = sched->deadline_ns,
		.sched_period = sched->period_ns,
	};
	struct task_struct *thread;
	int err;

	if (sched->policy != SCHED_NORMAL && sched->policy != SCHED_DEADLINE)
		return -EINVAL;
	thread = mach_thread_get_task(t);
	if (!thread)
		return -ESRCH;
	attr.sched_nice = task_nice(thread);
	/* The exported setter checks nothing: sched_setattr(2)'s rule here. */
	if (sched->policy == SCHED_DEADLINE && !capable(CAP_SYS_NICE))
		err = -EPERM;
	else
		err = sched_setattr_nocheck(thread, &attr);
	put_task_struct(thread);
	return err;
}
