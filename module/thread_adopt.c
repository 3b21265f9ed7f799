// SPDX-License-Identifier: GPL-2.0
/*
 * thread_adopt.c - running threads of a task's process made Mach threads
 * as they are: the caller of mach_thread_self, and the others that
 * task_threads or a suspension of the task must see.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>

#include "agent.h"
#include "task_os.h"
#include "thread_record.h"
#include "trampoline.h"

/* A running thread of os's process, made a Mach thread as it is. */
static struct mach_thread_os *mach_thread_adopt(struct mach_task_os *os,
						struct task_struct *thread)
{
	/* Its way out, when it is ended, is through its task's stub. */
	unsigned long stub = mach_agent_stub(&os->agent);
	struct mach_thread_os *t;

	if (!stub)
		return NULL;	/* no agent, no stub: it could not be ended */
	t = mach_thread_alloc(os, 1);	/* the core's */
	if (!t)
		return NULL;
	t->thread = thread;
	t->exec_id = READ_ONCE(thread->self_exec_id);
	get_task_struct(thread);
	t->stub = stub;
	t->started = true;	/* running as it is */
	mach_thread_publish(t);
	return t;
}

struct mach_thread_os *mach_shim_thread_adopt(struct mach_task_os *os)
{
	return mach_thread_adopt(os, current);
}

u32 mach_shim_thread_adopt_others(struct mach_task_os *os,
				  struct mach_thread_os **out, u32 capacity)
{
	struct task_struct *leader, *agent, *thread, **found;
	u32 n = 0, adopted = 0, i;
	unsigned long stub;

	/* Its agent first: until it has started it could pass for a thread. */
	stub = capacity ? mach_agent_stub(&os->agent) : 0;
	if (!stub)
		return 0;
	found = kmalloc_array(capacity, sizeof(*found), GFP_KERNEL);
	leader = found ? get_pid_task(os->pid, PIDTYPE_TGID) : NULL;
	if (!leader) {
		kfree(found);
		return 0;
	}
	spin_lock(&os->agent.lock);
	agent = os->agent.thread;	/* compared only */
	spin_unlock(&os->agent.lock);

	rcu_read_lock();
	spin_lock(&mach_threads_lock);
	for_each_thread(leader, thread) {
		if (n == capacity)
			break;
		/*
		 * Nor one the stub is running: an ended Mach thread on its way
		 * out (its record may be gone already) uses the stub's exit.
		 * Nor a thread that never leaves the kernel (io_uring's
		 * workers): it has no user state to show, suspend or end.
		 */
		if (thread == agent ||
		    (thread->flags & (PF_EXITING | PF_IO_WORKER | PF_KTHREAD)) ||
		    instruction_pointer(task_pt_regs(thread)) - stub < PAGE_SIZE ||
		    mach_thread_known_locked(os, thread))
			continue;
		get_task_struct(thread);
		found[n++] = thread;
	}
	spin_unlock(&mach_threads_lock);
	rcu_read_unlock();
	put_task_struct(leader);

	for (i = 0; i < n; i++) {
		struct mach_thread_os *t = mach_thread_adopt(os, found[i]);

		if (t)
			out[adopted++] = t;
		put_task_struct(found[i]);
	}
	kfree(found);
	return adopted;
}
