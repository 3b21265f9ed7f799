// SPDX-License-Identifier: GPL-2.0
/*
 * shell_idle.c - a shell nothing names ends once it is idle.
 *
 * A task made by task_create is a process of its own, its shell. Once no
 * right names the task, nothing can give it work again: if what is left
 * of it is its agent (and its spare threads, thread.c), it ends, as XNU's
 * task ends with its last reference. A shell whose program exec'd (and
 * so lost its agent) runs that program: no longer a shell to end.
 */
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include <mach/netlink.h>

#include "task_os.h"

void mach_shell_end_if_idle(struct mach_task_os *os)
{
	struct pid *pid = READ_ONCE(os->pid);
	struct task_struct *leader, *agent;
	bool idle;

	if (!os->shell || !pid || !READ_ONCE(os->unnamed))
		return;
	spin_lock(&os->agent.lock);
	agent = os->agent.thread;
	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	idle = leader && agent &&
	       get_nr_threads(leader) == 1 + mach_task_spares_alive_locked(os) &&
	       same_thread_group(leader, agent) && !(agent->flags & PF_EXITING);
	rcu_read_unlock();
	spin_unlock(&os->agent.lock);
	if (idle) {
		mach_task_mark_end(os, MACH_END_TERMINATED);
		kill_pid(pid, SIGKILL, 1);
	}
}
