// SPDX-License-Identifier: GPL-2.0
/*
 * task_access.c - task_for_pid and task_name_for_pid: who may have a
 * task's port, by Linux's own rules.
 *
 * A control port lets its holder do what a debugger does, so it is given
 * exactly where the caller may ptrace-attach the process: Linux's
 * ptrace_may_access(PTRACE_MODE_ATTACH_REALCREDS) is not exported, so the
 * check is made where an exported path makes it for the caller: opening
 * PID/mem (mm_access(), PTRACE_MODE_ATTACH) from the caller's own
 * context, with its filesystem ids set to its real ids for the open, so
 * that the comparison is of real credentials as ptrace(2)'s. Yama's
 * ptrace_scope, the LSMs, dumpability and CAP_SYS_PTRACE all take part,
 * as for ptrace; so does the mem file's mode.
 * A name port only inspects: it is given where the caller may read the
 * process's PID/status.
 *
 * The file is opened on a procfs of the module's own, mounted when it is
 * loaded, never by a path the caller resolves: a caller may mount what it
 * likes on its /proc in a namespace of its own, or chroot, and make an
 * ordinary file pass for any process's mem.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "task_os.h"

/* The module's procfs, of the pid namespace it was loaded in. */
static struct vfsmount *mach_proc_mnt;
static struct pid_namespace *mach_proc_ns;

int mach_task_access_init(void)
{
	/* (A built-in file system: get_fs_type() takes no module reference.) */
	struct file_system_type *proc = get_fs_type("proc");

	if (!proc)
		return -ENODEV;
	mach_proc_ns = get_pid_ns(task_active_pid_ns(current));
	mach_proc_mnt = kern_mount(proc);
	if (IS_ERR(mach_proc_mnt)) {
		put_pid_ns(mach_proc_ns);
		return PTR_ERR(mach_proc_mnt);
	}
	return 0;
}

void mach_task_access_exit(void)
{
	kern_unmount(mach_proc_mnt);
	put_pid_ns(mach_proc_ns);
}

/* May the caller open pid's file on our procfs, with its real ids as its fs ids? */
static bool mach_proc_open_allowed(struct pid *pid, const char *file)
{
	const struct cred *cred = current_cred(), *old = NULL;
	struct path root = { .mnt = mach_proc_mnt, .dentry = mach_proc_mnt->mnt_root };
	pid_t nr = pid_nr_ns(pid, mach_proc_ns);
	struct cred *real = NULL;
	struct file *f;
	char path[40];

	if (nr <= 0)
		return false;

	/* Most callers' fs ids are their real ids already. */
	if (!uid_eq(cred->fsuid, cred->uid) || !gid_eq(cred->fsgid, cred->gid)) {
		real = prepare_creds();
		if (!real)
			return false;
		real->fsuid = real->uid;
		real->fsgid = real->gid;
		old = override_creds(real);
	}
	snprintf(path, sizeof(path), "%d/%s", nr, file);
	f = file_open_root(&root, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (real) {
		revert_creds(old);
		put_cred(real);
	}
	if (IS_ERR(f))
		return false;
	filp_close(f, NULL);
	return true;
}

/* Which program the process runs: its leader's exec count, or 0 if gone. */
static u64 mach_exec_ticket(struct pid *pid)
{
	struct task_struct *leader;
	u64 ticket = 0;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	/*
	 * (+1: a leader that never exec'd has 0.) A leader that exited
	 * alone (pthread_exit) is a zombie while the process lives on in
	 * its other threads. Not the system's init: task_terminate's kill
	 * would reach it, which nothing in userspace can, and the kernel
	 * panics when it dies.
	 */
	if (leader && !(leader->exit_state && thread_group_empty(leader)) &&
	    !(leader->flags & PF_KTHREAD) && !is_global_init(leader))
		ticket = READ_ONCE(leader->self_exec_id) + 1;
	rcu_read_unlock();
	return ticket;
}

/*
 * May the caller control os's process, by task_for_pid's rule (above)?
 * What processor_set_tasks and processor_set_threads list: holding the
 * host's privileged port, which may be sent to anyone, gives no more.
 * *ticket: the program checked (0: none, init's or a kernel thread's).
 */
bool mach_shim_may_control(struct mach_task_os *os, u64 *ticket)
{
	struct task_struct *t = get_pid_task(os->pid, PIDTYPE_TGID);
	bool mine;

	*ticket = mach_exec_ticket(os->pid);
	if (!t)
		return false;
	mine = same_thread_group(t, current);
	put_task_struct(t);
	return *ticket && (mine || mach_proc_open_allowed(os->pid, "mem"));
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
	allowed = mach_proc_open_allowed(pid, name ? "status" : "mem");
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
 * Not a program exec'd since the caller's right was checked (a set-uid
 * one's name is not the caller's to set): under exec_update_lock.
 */
void mach_shim_task_set_name(struct mach_task_os *os, const char *name, u64 program)
{
	struct task_struct *leader = get_pid_task(os->pid, PIDTYPE_TGID);

	if (!leader)
		return;
	if (!down_read_killable(&leader->signal->exec_update_lock)) {
		if (mach_task_process_runs(os, program)) {
			task_lock(leader);
			strscpy_pad(leader->comm, name, sizeof(leader->comm));
			task_unlock(leader);
		}
		up_read(&leader->signal->exec_update_lock);
	}
	put_task_struct(leader);
}
