// SPDX-License-Identifier: GPL-2.0
/*
 * thread_stats.c - what thread_info shows of a Mach thread: its run state
 * and its user and system times; its thread id, for the operator.
 */
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/task.h>

#include "thread_record.h"

void mach_shim_thread_stats(struct mach_thread_os *t,
			    struct mach_thread_stats *stats)
{
	enum { TH_STATE_RUNNING = 1, TH_STATE_STOPPED = 2, TH_STATE_WAITING = 3,
	       TH_STATE_HALTED = 5 };
	struct task_struct *thread;
	u64 utime, stime;

	mach_thread_wait_entered(t);	/* else it reads as halted */
	spin_lock(&mach_threads_lock);
	thread = t->thread;
	if (thread)
		get_task_struct(thread);
	spin_unlock(&mach_threads_lock);

	if (READ_ONCE(t->dying) || !thread || thread->exit_state)
		stats->run_state = TH_STATE_HALTED;
	else if (mach_thread_stopped(t))
		stats->run_state = TH_STATE_STOPPED;
	else if (READ_ONCE(thread->__state) == TASK_RUNNING)
		stats->run_state = TH_STATE_RUNNING;
	else
		stats->run_state = TH_STATE_WAITING;
	if (thread) {
		task_cputime_adjusted(thread, &utime, &stime);
		stats->user_ns = utime;
		stats->system_ns = stime;
		put_task_struct(thread);
	}
}

s32 mach_shim_thread_tid(struct mach_thread_os *t)
{
	/* References until t is freed; the core holds t meanwhile. */
	struct task_struct *thread = READ_ONCE(t->thread);
	struct pid *pid = READ_ONCE(t->pid);

	/* Cloned but not entered yet (thread_create returns before): its pid. */
	if (pid)
		return pid_vnr(pid);
	return thread ? task_pid_vnr(thread) : 0;
}
