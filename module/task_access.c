// SPDX-License-Identifier: GPL-2.0
/*
 * task_access.c - task_for_pid and task_name_for_pid: who may have a
 * task's port, by Linux's own rules.
 *
 * A control port lets its holder do what a debugger does, so it is given
 * exactly where the caller may ptrace-attach the process: Linux's
 * ptrace_may_access(PTRACE_MODE_ATTACH_REALCREDS) is not exported, so the
 * check is made where an exported path makes it for the caller: opening
 * /proc/PID/mem (mm_access(), PTRACE_MODE_ATTACH) from the caller's own
 * context, with its filesystem ids set to its real ids for the open, so
 * that the comparison is of real credentials as ptrace(2)'s. Yama's
 * ptrace_scope, the LSMs, dumpability and CAP_SYS_PTRACE all take part,
 * as for ptrace; so does /proc's own (the mem file's mode, hidepid).
 * A name port only inspects: it is given where the caller may read the
 * process's /proc/PID/status. Either way, with no /proc mounted where the
 * caller sees it, nothing is given.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "task_os.h"

/* May the caller open /proc/nr/file, with its real ids as its fs ids? */
static bool mach_proc_open_allowed(pid_t nr, const char *file)
{
	const struct cred *cred = current_cred(), *old = NULL;
	struct cred *real = NULL;
	struct file *f;
	char path[40];

	/* Most callers' fs ids are their real ids already. */
	if (!uid_eq(cred->fsuid, cred->uid) || !gid_eq(cred->fsgid, cred->gid)) {
		real = prepare_creds();
		if (!real)
			return false;
		real->fsuid = real->uid;
		real->fsgid = real->gid;
		old = override_creds(real);
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", nr, file);
	f = filp_open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (real) {
		revert_creds(old);
		put_cred(real);
	}
	if (IS_ERR(f))
		return false;
	filp_close(f, NULL);
	return true;
}

/*
 * May the caller control os's process, by task_for_pid's rule (above)?
 * What processor_set_tasks and processor_set_threads list: holding the
 * host's privileged port, which may be sent to anyone, gives no more.
 */
bool mach_shim_may_control(struct mach_task_os *os)
{
	struct task_struct *t = get_pid_task(os->pid, PIDTYPE_TGID);
	bool mine;
	pid_t nr;

	if (!t)
		return false;
	mine = same_thread_group(t, current);
	put_task_struct(t);
	if (mine)
		return true;
	nr = pid_vnr(os->pid);
	return nr > 0 && mach_proc_open_allowed(nr, "mem");
}

/* Which program the process runs: its leader's exec count, or 0 if gone. */
static u64 mach_exec_ticket(struct pid *pid)
{
	struct task_struct *leader;
	u64 ticket = 0;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	/*
	 * (+1: a leader that never exec'd has 0.) Not the system's init:
	 * task_terminate's kill would reach it, which nothing in userspace
	 * can, and the kernel panics when it dies.
	 */
	if (leader && !leader->exit_state && !(leader->flags & PF_KTHREAD) &&
	    !is_global_init(leader))
		ticket = READ_ONCE(leader->self_exec_id) + 1;
	rcu_read_unlock();
	return ticket;
}

int mach_shim_task_for_pid(mach_s32 nr, mach_bool name, struct mach_task **out,
			   mach_u64 *ticket)
{
	struct mach_task *task;
	struct pid *pid;
	bool allowed;

	*out = NULL;
	if (nr <= 0)
		return -ESRCH;
	pid = find_get_pid(nr);
	if (!pid)
		return -ESRCH;
	/* A process (a thread group's leader), not a kernel thread. */
	*ticket = mach_exec_ticket(pid);
	if (!*ticket) {
		put_pid(pid);
		return -ESRCH;
	}
	allowed = mach_proc_open_allowed(nr, name ? "status" : "mem");
	/* The process checked is the one pid still names (not a reuse). */
	if (!allowed || mach_exec_ticket(pid) != *ticket) {
		put_pid(pid);
		return -EPERM;
	}
	task = mach_task_of_pid(pid);
	put_pid(pid);
	if (IS_ERR(task))
		return PTR_ERR(task);
	*out = task;
	return 0;
}

mach_bool mach_shim_task_ticket_holds(struct mach_task_os *os, mach_u64 ticket)
{
	return mach_exec_ticket(os->pid) == ticket;
}

/*
 * task_set_name: the leader's comm, as __set_task_comm() (not exported)
 * sets it, under its task_lock. (No trace or perf comm event is made.)
 */
void mach_shim_task_set_name(struct mach_task_os *os, const char *name)
{
	struct task_struct *leader = get_pid_task(os->pid, PIDTYPE_TGID);

	if (!leader)
		return;
	task_lock(leader);
	strscpy_pad(leader->comm, name, sizeof(leader->comm));
	task_unlock(leader);
	put_task_struct(leader);
}
