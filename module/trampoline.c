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
#include <linux/sched/task.h>
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
 * stub's, or until it is found exiting there (an exec's other thread, say,
 * killed in the stub's clone): adoption, which would pass such a thread
 * over, waits for the list to be empty (mach_shim_task_detours_wait()).
 */
struct mach_trampoline {
	struct list_head node;		/* in os->trampolines, under agent.lock */
	/*
	 * The rest is its calling thread's (set before it is listed, but
	 * for nr, which only that thread reads), or the task's end's once no
	 * thread is left (mach_trampolines_drop()), or an adopter's once the
	 * thread is exiting (mach_trampolines_drop_exiting()).
	 */
	struct task_struct *thread;	/* the caller; a reference */
	struct mach_agent_call *call;	/* a reference */
	long (*finish)(struct mach_agent_call *call);	/* puts it */
	struct mach_later_made made;	/* for the core, held by the call */
	struct pt_regs regs;		/* where the ioctl returns to */
	sigset_t blocked;		/* and the signal mask it had */
	long nr;			/* the system call asked for */
	unsigned int ioctl_nr;		/* the ioctl, and its args to copy back */
	void __user *uarg;
	size_t size;
	u8 args[64];
};

static void mach_trampoline_free(struct mach_trampoline *tr)
{
	put_task_struct(tr->thread);
	kfree(tr);
}

/*
 * The calling thread's, under os->agent.lock. Only that thread takes it
 * off the list, or the task's end once no thread is left, or an adopter
 * once that thread is exiting: it stays valid for the caller once the
 * lock is dropped.
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
			   long (*finish)(struct mach_agent_call *call),
			   const struct mach_later_made *made)
{
	struct mach_agent *agent = &os->agent;
	struct mach_trampoline *tr;
	struct mach_syscall next = {};
	unsigned long stub = 0;
	sigset_t all;
	int fd;

	/* Only in the call's own process, through its stub, from 64-bit code. */
	if (!mach_shim_task_is_current(os) || !user_64bit_mode(current_pt_regs()))
		return false;
	/*
	 * The stub and fd an agent has, or one made on demand would have.
	 * An agent that died with an exec left its thread, and no stub: the
	 * program since has its own stub, mapped when first needed.
	 */
	spin_lock(&agent->lock);	/* the agent's stub and fd are set first */
	if (!agent->closed && !mach_agent_thread_gone(agent->thread))
		stub = agent->stub;
	spin_unlock(&agent->lock);
	if (!stub)
		stub = mach_agent_demand_stub(agent);
	if (!stub)
		return false;
	spin_lock(&agent->lock);
	fd = agent->fd;		/* set with the stub */
	spin_unlock(&agent->lock);
	tr = kzalloc(sizeof(*tr), GFP_KERNEL);
	if (!tr)
		return false;
	tr->thread = current;
	get_task_struct(current);
	tr->call = call;
	tr->finish = finish;
	tr->made = *made;
	tr->regs = *current_pt_regs();
	tr->blocked = current->blocked;
	siginitsetinv(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &all, NULL);

	if (!call->step(call, 0, &next)) {
		/* Done without a system call after all: nothing to leave for. */
		sigprocmask(SIG_SETMASK, &tr->blocked, NULL);
		mach_trampoline_free(tr);
		return false;
	}
	spin_lock(&agent->lock);
	list_add(&tr->node, &os->trampolines);
	spin_unlock(&agent->lock);
	/* The stub re-enters through the agent's fd: it is this process's. */
	tr->nr = mach_stub_dispatch(stub, fd, MACH_IOC_TRAMPOLINE_RETURN, &next);
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

/* Ended as a thread that will never come back: what it made goes too. */
static void mach_trampoline_drop(struct mach_trampoline *tr)
{
	tr->call->ret = -EINTR;	/* whatever it made must not live on */
	tr->call->abandoned = true;	/* ... unless the call knows better */
	tr->finish(tr->call);
	mach_trampoline_free(tr);
}

void mach_trampoline_abandon(void)
{
	struct mach_task *task = mach_task_lookup_current();
	struct mach_trampoline *tr;
	struct mach_task_os *os;

	if (!task)
		return;
	os = mach_task_os_of(task);
	spin_lock(&os->agent.lock);
	tr = mach_trampoline_find_locked(os);
	if (tr)
		list_del(&tr->node);
	spin_unlock(&os->agent.lock);
	if (tr) {
		wake_up_all(&os->agent.started);	/* adoption's wait */
		mach_trampoline_drop(tr);
	}
	mach_task_put(task);
}

/*
 * The trampolines of threads exiting on them, while their process lives
 * on (an exec's other threads): they will never be back, and adoption
 * would wait for them on every call.
 */
static void mach_trampolines_drop_exiting(struct mach_task_os *os)
{
	struct mach_trampoline *tr, *tmp;
	LIST_HEAD(dropped);

	spin_lock(&os->agent.lock);
	list_for_each_entry_safe(tr, tmp, &os->trampolines, node)
		if (READ_ONCE(tr->thread->flags) & PF_EXITING)
			list_move(&tr->node, &dropped);
	spin_unlock(&os->agent.lock);
	list_for_each_entry_safe(tr, tmp, &dropped, node)
		mach_trampoline_drop(tr);
}

/*
 * Is a thread of os's process detoured through the stub, on a trampoline
 * or away making the agent? One exiting there is not waited for.
 */
static bool mach_task_detoured(struct mach_task_os *os)
{
	struct mach_trampoline *tr;
	bool listed = false;

	spin_lock(&os->agent.lock);
	list_for_each_entry(tr, &os->trampolines, node)
		listed |= !(READ_ONCE(tr->thread->flags) & PF_EXITING);
	spin_unlock(&os->agent.lock);
	return listed || mach_agent_summon_away(&os->agent);
}

/* Wait a while for them to be back: a stop (a second of it) leaves them. */
void mach_shim_task_detours_wait(struct mach_task_os *os)
{
	mach_trampolines_drop_exiting(os);
	wait_event_killable_timeout(os->agent.started, !mach_task_detoured(os), HZ);
}

long mach_trampoline_resume(struct mach_task_os *os, long result,
			    long (*done)(struct mach_task *task, unsigned int nr, void *args,
					 int err, const struct mach_later_made *made))
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

	/* What it made outlives finish's put, until done has seen it. */
	mach_agent_call_get(call);
	ret = tr->finish(call);
	ret = done(os->task, tr->ioctl_nr, tr->args, ret, &tr->made);
	mach_agent_call_put(call);
	if (ret >= 0 && copy_to_user(tr->uarg, tr->args, tr->size))
		ret = -EFAULT;
	mach_trampoline_free(tr);
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
	list_for_each_entry_safe(tr, tmp, &dropped, node)
		mach_trampoline_drop(tr);
}
