// SPDX-License-Identifier: GPL-2.0
/*
 * trampoline.c - a call that needs a system call in the caller's own
 * process is made by the calling thread itself, not by the task's agent.
 *
 * Waking the agent and being woken by it costs about half a fork under
 * emulation; task_create(mach_task_self(), ...) needs neither. The calling
 * thread leaves its ioctl for the stub as an agent would (its registers,
 * saved, are set to the system call), comes back through
 * MACH_IOC_TRAMPOLINE_RETURN with the result, and when the call is done
 * gets its registers back and returns from the original ioctl with the
 * answer. Signals stay blocked on the way, so nothing but a fatal one can
 * run in between.
 */
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <mach/ioctl.h>

#include "agent.h"
#include "stub.h"
#include "task_os.h"
#include "trampoline.h"

/*
 * Listed in os->trampolines for as long as its thread's registers are the
 * stub's: adoption, which would pass such a thread over, waits for the
 * list to be empty (mach_shim_task_detours_wait()).
 */
struct mach_trampoline {
	struct list_head node;		/* in os->trampolines, under agent.lock */
	/*
	 * The rest is its calling thread's (set before it is listed, but
	 * for nr, which only that thread reads), or the task's end's once no
	 * thread is left (mach_trampolines_drop()).
	 */
	struct task_struct *thread;	/* the caller; not a reference */
	struct mach_agent_call *call;	/* a reference */
	long (*finish)(struct mach_agent_call *call);	/* puts it */
	struct pt_regs regs;		/* where the ioctl returns to */
	sigset_t blocked;		/* and the signal mask it had */
	long nr;			/* the system call asked for */
	unsigned int ioctl_nr;		/* the ioctl, and its args to copy back */
	void __user *uarg;
	size_t size;
	u8 args[64];
};

/*
 * The calling thread's, under os->agent.lock. Only that thread takes it
 * off the list, or the task's end once no thread is left: it stays valid
 * for the caller once the lock is dropped.
 */
static struct mach_trampoline *mach_trampoline_find_locked(struct mach_task_os *os)
{
	struct mach_trampoline *tr;

	lockdep_assert_held(&os->agent.lock);
	list_for_each_entry(tr, &os->trampolines, node)
		if (tr->thread == current)
			return tr;
	return NULL;
}

bool mach_trampoline_start(struct mach_task_os *os, struct mach_agent_call *call,
			   long (*finish)(struct mach_agent_call *call))
{
	struct mach_agent *agent = &os->agent;
	struct mach_trampoline *tr;
	struct mach_syscall next = {};
	sigset_t all;

	bool started;

	/* Only in the call's own process, through its stub, from 64-bit code. */
	if (!mach_shim_task_is_current(os) || !user_64bit_mode(current_pt_regs()))
		return false;
	/* The stub and fd an agent has, or one made on demand would have. */
	spin_lock(&agent->lock);	/* the agent's stub and fd are set first */
	started = agent->thread && !agent->closed;
	spin_unlock(&agent->lock);
	if (!started && !mach_agent_demand_stub(agent))
		return false;
	tr = kzalloc(sizeof(*tr), GFP_KERNEL);
	if (!tr)
		return false;
	tr->thread = current;
	tr->call = call;
	tr->finish = finish;
	tr->regs = *current_pt_regs();
	tr->blocked = current->blocked;
	siginitsetinv(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &all, NULL);

	if (!call->step(call, 0, &next)) {
		/* Done without a system call after all: nothing to leave for. */
		sigprocmask(SIG_SETMASK, &tr->blocked, NULL);
		kfree(tr);
		return false;
	}
	spin_lock(&agent->lock);
	list_add(&tr->node, &os->trampolines);
	spin_unlock(&agent->lock);
	/* The stub re-enters through the agent's fd: it is this process's. */
	tr->nr = mach_agent_dispatch(agent, MACH_IOC_TRAMPOLINE_RETURN, &next);
	return true;
}

long mach_trampoline_leave(struct mach_task_os *os, unsigned int ioctl_nr,
			   const void *args, size_t size, void __user *uarg)
{
	struct mach_trampoline *tr;

	spin_lock(&os->agent.lock);
	tr = mach_trampoline_find_locked(os);
	spin_unlock(&os->agent.lock);
	if (!tr || size > sizeof(tr->args))
		return -EINVAL;		/* cannot be: the core asked for it */
	tr->ioctl_nr = ioctl_nr;
	tr->uarg = uarg;
	tr->size = size;
	memcpy(tr->args, args, size);
	return tr->nr;		/* the stub's rax */
}

/*
 * No thread of os's process is detoured through the stub, on a trampoline
 * or away making the agent: wait a while for those that are. A stop (a
 * second of it) or a death leaves them behind.
 */
static bool mach_task_detoured(struct mach_task_os *os)
{
	bool listed;

	spin_lock(&os->agent.lock);
	listed = !list_empty(&os->trampolines);
	spin_unlock(&os->agent.lock);
	return listed || mach_agent_summon_away(&os->agent);
}

void mach_shim_task_detours_wait(struct mach_task_os *os)
{
	wait_event_killable_timeout(os->agent.started, !mach_task_detoured(os), HZ);
}

long mach_trampoline_resume(struct mach_task_os *os, long result,
			    long (*done)(struct mach_task *task, unsigned int nr,
					 void *args, int err))
{
	struct mach_agent_call *call;
	struct mach_trampoline *tr;
	struct mach_syscall next = {};
	long ret;

	if (os->pid != task_tgid(current))
		return -EBADF;		/* a file of another process's */
	spin_lock(&os->agent.lock);
	tr = mach_trampoline_find_locked(os);
	spin_unlock(&os->agent.lock);
	if (!tr)
		return -EPERM;		/* not on one */

	call = tr->call;
	if (call->step(call, result, &next)) {
		/* Only single-call trampolines exist; more would go here. */
		return -EINVAL;
	}
	/* Back to where the ioctl was made: its own registers, then unlisted. */
	spin_lock(&os->agent.lock);
	*current_pt_regs() = tr->regs;
	list_del(&tr->node);
	spin_unlock(&os->agent.lock);
	wake_up_all(&os->agent.started);	/* adoption's wait */
	sigprocmask(SIG_SETMASK, &tr->blocked, NULL);

	ret = tr->finish(call);
	ret = done(os->task, tr->ioctl_nr, tr->args, ret);
	if (ret >= 0 && copy_to_user(tr->uarg, tr->args, tr->size))
		ret = -EFAULT;
	kfree(tr);
	return ret;
}

/* The process died on a trampoline (a fatal signal in the clone). */
void mach_trampolines_drop(struct mach_task_os *os)
{
	struct mach_trampoline *tr, *tmp;
	LIST_HEAD(dropped);

	spin_lock(&os->agent.lock);
	list_splice_init(&os->trampolines, &dropped);
	spin_unlock(&os->agent.lock);
	wake_up_all(&os->agent.started);
	list_for_each_entry_safe(tr, tmp, &dropped, node) {
		tr->call->ret = -EINTR;	/* whatever it made must not live on */
		tr->finish(tr->call);
		kfree(tr);
	}
}
