// SPDX-License-Identifier: GPL-2.0
/*
 * thread.c - Mach threads: Linux threads of a task's process, cloned by
 * its agent, parked in the module until thread_resume. This file makes
 * them and lets them go (thread_record.h lists the other files).
 *
 * The agent clones a thread with no stack (it runs nothing but the stub)
 * and marks it with a cookie as its TLS base, as shell.c marks a shell.
 * The thread re-enters through the stub (MACH_IOC_THREAD_ENTER), finds
 * its record by the cookie and parks (thread_park.c). Records are found
 * by hash (thread_record.c).
 */
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
