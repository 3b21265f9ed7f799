// SPDX-License-Identifier: GPL-2.0
/*
 * guard_exception.c - a port guard broken by a call, as XNU takes its
 * fatal ones (mach_port_guard_ast()): on the calling thread's way back to
 * user space, EXC_GUARD goes to its handlers (thread, task, host, as a
 * fault's does), and then its process is killed, whatever they answer.
 * The call's own answer is never seen.
 *
 * The way back is a task_work, run where XNU runs its AST: after the
 * call, before user mode, in the thread itself, which may sleep there
 * for the handlers' replies. Its state is what user mode would resume
 * with, the call's return value in rax. The work holds the module: the
 * thread may wait there after closing every file of the module's.
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/task_work.h>

#include "core/core.h"
#include "task_os.h"
#include "thread_arch.h"
#include "upcalls.h"

#define MACH_EXC_GUARD 12	/* EXC_GUARD */

struct mach_guard_break {
	struct callback_head work;
	u64 code;
	u64 subcode;
};

/* EXC_GUARD to the calling thread's handlers, as a fault of its own. */
static void mach_guard_tell(const struct mach_guard_break *g)
{
	struct mach_task *task = mach_task_lookup_current();
	struct mach_fault *fault;

	if (!task)
		return;
	fault = kzalloc(sizeof(*fault), GFP_KERNEL);
	if (fault) {
		fault->type = MACH_EXC_GUARD;
		fault->code[0] = g->code;
		fault->code[1] = g->subcode;
		mach_arch_own_state_read(fault->regs);
		if (mach_arch_fpu_get(current, fault->fxsave))
			memset(fault->fxsave, 0, sizeof(fault->fxsave));
		mach_up->exception_raise(task, fault);
		kfree(fault);
	}
	mach_task_put(task);
}

static void mach_guard_raise(struct callback_head *work)
{
	struct mach_guard_break *g = container_of(work, struct mach_guard_break, work);

	/* Dying already (killed, or the work runs at its exit): nothing to tell. */
	if (!(current->flags & PF_EXITING) && !fatal_signal_pending(current))
		mach_guard_tell(g);
	kfree(g);
	/* A fatal signal to one thread ends its whole process. */
	send_sig(SIGKILL, current, 1);
	module_put(THIS_MODULE);
}

void mach_shim_guard_exception(u64 code, u64 subcode)
{
	struct mach_guard_break *g;

	if (current->flags & PF_KTHREAD)
		return;		/* no user space to go back to */
	g = kmalloc(sizeof(*g), GFP_KERNEL);
	if (!g) {
		send_sig(SIGKILL, current, 1);	/* fatal still, if unannounced */
		return;
	}
	g->code = code;
	g->subcode = subcode;
	init_task_work(&g->work, mach_guard_raise);
	__module_get(THIS_MODULE);	/* the caller holds the module: its file */
	if (task_work_add(current, &g->work, TWA_RESUME)) {
		module_put(THIS_MODULE);
		kfree(g);	/* it is exiting already */
	}
}
