// SPDX-License-Identifier: GPL-2.0
/*
 * exception.c - a task's faults as Mach exceptions.
 *
 * No exported symbol lets a module see a user fault before its signal
 * is delivered; a signal handler can. A task whose exceptions have a
 * handler is armed: in its own process (its agent's context), the
 * dispositions of the signals a fault raises become the stub's exception
 * entry (stub.c), in a stub page of the process's own, which keeps the
 * program's own dispositions behind it. A fault then runs the entry,
 * which asks the module (MACH_IOC_EXCEPTION) with the signal frame:
 *
 *  - a fault the kernel raised (si_code > 0) of a registered task's
 *    thread is raised to its handlers (core/exception.cc); one that
 *    answers KERN_SUCCESS has the thread go on from the frame, with the
 *    state it gave, through rt_sigreturn();
 *  - otherwise the signal goes on as Linux would have taken it: the
 *    program's handler is entered, with the frame the kernel made and
 *    the mask its sigaction asks for; or the default action is taken,
 *    the signal queued again with its own siginfo once the disposition
 *    is SIG_DFL (a fault's, even if blocked or ignored, as the kernel
 *    forces it).
 *
 * A fork() copies the page and the dispositions: a child that is no task
 * takes its program's dispositions from there. Limits: a program that
 * sets its own disposition of these signals after the task was armed
 * replaces the entry (XNU's Mach-first order is lost until the task is
 * armed again: setting an exception port arms it); one that reads them
 * sees the entry; an exception reply does not change the fs and gs bases.
 */
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/ucontext.h>

#include "exception.h"
#include "exception_arch.h"
#include "stub.h"
#include "task_os.h"
#include "upcalls.h"

/*
 * An FXSAVE image in a signal frame: its last 48 bytes (464 on) are the
 * kernel's software bytes (whether an XSAVE area follows), not state.
 */
#define MACH_FXSAVE_USER_BYTES 464

/* The signals of faults. */
static const int mach_exception_signals[] = {
	SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP,
};

static bool mach_exception_signal_of_faults(int sig)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mach_exception_signals); i++)
		if (mach_exception_signals[i] == sig)
			return true;
	return false;
}

/* The program's disposition behind an entry it inherited, if it did. */
static bool mach_exception_inherited(unsigned long handler, int sig,
				     struct mach_stub_action *program)
{
	struct mach_stub_page *data;
	struct page *page;

	if ((handler & ~PAGE_MASK) != MACH_STUB_EXCEPTION)
		return false;
	page = mach_stub_page_get(handler);
	if (!page)
		return false;
	data = page_address(page);
	memcpy(program, &data->program[sig], sizeof(*program));
	put_page(page);
	return true;
}

/* A disposition as the stub page keeps it. */
static void mach_exception_action(const struct k_sigaction *ka,
				  struct mach_stub_action *action)
{
	action->handler = (unsigned long)ka->sa.sa_handler;
	action->flags = ka->sa.sa_flags;
	action->restorer = (unsigned long)ka->sa.sa_restorer;
	action->mask = ka->sa.sa_mask.sig[0];
}

/*
 * The entry becomes sig's disposition, the program's own kept in data.
 * The program's is read, then (the page lookup of an inherited entry
 * sleeps) installed only if no sigaction() came between; else again.
 */
static void mach_exception_take_signal(struct mach_stub_page *data, int sig,
				       unsigned long stub)
{
	/* Our own: only our exec would change it. */
	struct sighand_struct *sighand = rcu_dereference_protected(current->sighand, true);
	struct k_sigaction *ka = &sighand->action[sig - 1];
	unsigned long entry = stub + MACH_STUB_EXCEPTION;
	struct mach_stub_action seen, now, program;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		spin_lock_irq(&sighand->siglock);
		mach_exception_action(ka, &seen);
		spin_unlock_irq(&sighand->siglock);
		if (seen.handler == entry)
			return;
		program = seen;
		/* A fork's child, armed in turn: its program's, from the parent. */
		mach_exception_inherited(seen.handler, sig, &program);

		spin_lock_irq(&sighand->siglock);
		mach_exception_action(ka, &now);
		if (!memcmp(&now, &seen, sizeof(now))) {
			memcpy(&data->program[sig], &program, sizeof(program));
			ka->sa.sa_handler = (__sighandler_t)entry;
			ka->sa.sa_flags = SA_SIGINFO | SA_RESTORER |
					  (program.flags & (SA_ONSTACK | SA_RESTART));
			ka->sa.sa_restorer = (__sigrestore_t)(stub + MACH_STUB_RESTORER);
			sigemptyset(&ka->sa.sa_mask);
			tries = -1;
		}
		spin_unlock_irq(&sighand->siglock);
		if (tries < 0)
			return;
	}
}

/* Under os->exception_lock, in a thread of os's process. */
static int mach_exception_arm_locked(struct mach_task_os *os, int fd)
{
	struct mach_stub_page *data;
	struct page *page;
	unsigned long stub;
	int i;

	/* A page of the process's own: its fd, and its program's dispositions. */
	if (!os->exception_stub || os->exception_mm != current->mm) {
		stub = mach_stub_map();
		if (IS_ERR_VALUE(stub))
			return stub;
		os->exception_stub = stub;
		if (os->exception_mm)
			mmdrop(os->exception_mm);
		mmgrab(current->mm);
		WRITE_ONCE(os->exception_mm, current->mm);
	}
	stub = os->exception_stub;
	page = mach_stub_page_get(stub);
	if (!page)
		return -EFAULT;	/* the program unmapped it */
	data = page_address(page);
	data->exception_fd = fd;
	for (i = 0; i < ARRAY_SIZE(mach_exception_signals); i++)
		mach_exception_take_signal(data, mach_exception_signals[i], stub);
	put_page(page);
	return 0;
}

static int mach_exception_arm_fd(struct mach_task_os *os, int fd)
{
	int ret;

	/* Only in the task's own process, one arming at a time. */
	if (os->pid != task_tgid(current))
		return -EPERM;
	mutex_lock(&os->exception_lock);
	ret = mach_exception_arm_locked(os, fd);
	mutex_unlock(&os->exception_lock);
	return ret;
}

int mach_exception_arm(struct mach_task_os *os)
{
	return mach_exception_arm_fd(os, os->agent.fd);
}

void mach_exception_agent_starting(struct mach_task_os *os, struct file *file,
				   unsigned long fd)
{
	if (os->pid == task_tgid(current) &&
	    READ_ONCE(os->exception_mm) != current->mm &&
	    mach_up->raises_exceptions(os->task) && mach_agent_fd_is(fd, file))
		mach_exception_arm_fd(os, fd);
}

static void mach_exception_arm_call(void *arg)
{
	struct mach_task_os **os = arg;

	mach_exception_arm(*os);
}

static void mach_exception_arm_abandon(void *arg)
{
}

int mach_exception_arm_task(struct mach_task_os *os)
{
	/* Any thread of the process can, through the fd its agent has or will have. */
	if (os->pid == task_tgid(current) &&
	    (mach_agent_is_current(&os->agent) || mach_agent_on_demand(&os->agent)))
		return mach_exception_arm(os);
	return mach_shim_task_call(os, 0, mach_exception_arm_call,
				   mach_exception_arm_abandon, &os, sizeof(os));
}

void mach_shim_task_arm_exceptions(struct mach_task_os *os)
{
	mach_exception_arm_task(os);	/* no agent: no exception, as before */
}

/*
 * A batch of tasks at a time, each armed by its agent; those to come arm
 * as they start. A task that went meanwhile can move another past the
 * walk's cursor: the walk is made again (arming twice does no harm)
 * while the registry changed under it, a few times at most.
 */
void mach_shim_tasks_arm_exceptions(void)
{
	struct mach_task *batch[16];
	unsigned int n, i, gen, first, walks = 0;
	unsigned long cursor;

	do {
		cursor = 0;
		mach_tasks_batch(&cursor, batch, NULL, 0, &first);
		do {
			n = mach_tasks_batch(&cursor, batch, NULL, ARRAY_SIZE(batch), &gen);
			for (i = 0; i < n; i++) {
				mach_exception_arm_task(mach_task_os_of(batch[i]));
				mach_task_put(batch[i]);
			}
		} while (n == ARRAY_SIZE(batch) && !fatal_signal_pending(current));
	} while (gen != first && ++walks < 4 && !fatal_signal_pending(current));
}

/*
 * Raise the calling thread's fault (sig, si, the frame uc at uframe) to
 * its handlers: 0 if one took it, and the frame says how it goes on; 1
 * if none did; -errno if the frame could not be written.
 */
static int mach_exception_raise(int sig, const siginfo_t *si, struct ucontext *uc,
				struct ucontext __user *uframe)
{
	void __user *fpstate = (void __user *)uc->uc_mcontext.fpstate;
	struct mach_task *task = mach_task_lookup_current();
	struct mach_fault *fault;
	int ret = 1;

	if (!task)
		return 1;	/* a fork's child that is no task */
	fault = kzalloc(sizeof(*fault), GFP_KERNEL);
	if (!fault)
		goto out;
	if (fpstate && copy_from_user(fault->fxsave, fpstate, sizeof(fault->fxsave)))
		memset(fault->fxsave, 0, sizeof(fault->fxsave));
	if (mach_agent_is_current(&mach_task_os_of(task)->agent) ||
	    !mach_arch_fault_exception(sig, si->si_code, (unsigned long)si->si_addr,
				       &uc->uc_mcontext, fault->fxsave, fault))
		goto out;
	mach_arch_fault_read(&uc->uc_mcontext, fault);

	ret = mach_up->exception_raise(task, fault);
	if (ret < 0) {
		ret = 0;	/* killed while it waited: it goes no further */
		goto out;
	}
	ret = ret == 1 ? 0 : 1;
	/*
	 * What thread_set_state did meanwhile holds whatever the answer, as
	 * on XNU: the thread goes on, or to its signal, with that state.
	 */
	if (fault->regs_set) {
		mach_arch_fault_write(fault, &uc->uc_mcontext);
		if (copy_to_user(&uframe->uc_mcontext, &uc->uc_mcontext,
				 sizeof(uc->uc_mcontext)))
			ret = -EFAULT;
	}
	/* Not its last 48 bytes: the kernel's own, saying what follows. */
	if (fault->fxsave_set && fpstate &&
	    copy_to_user(fpstate, fault->fxsave, MACH_FXSAVE_USER_BYTES))
		ret = -EFAULT;
out:
	kfree(fault);
	mach_task_put(task);
	return ret;
}

/* sig's disposition, if it is still the entry, becomes SIG_DFL. */
static void mach_exception_default(int sig, unsigned long entry)
{
	/* Our own: only our exec would change it. */
	struct sighand_struct *sighand = rcu_dereference_protected(current->sighand, true);
	struct k_sigaction *ka = &sighand->action[sig - 1];

	spin_lock_irq(&sighand->siglock);
	if ((unsigned long)ka->sa.sa_handler == entry) {
		ka->sa.sa_handler = SIG_DFL;
		ka->sa.sa_flags = 0;
		ka->sa.sa_restorer = NULL;
		sigemptyset(&ka->sa.sa_mask);
	}
	spin_unlock_irq(&sighand->siglock);
}

/*
 * The signal, declined by Mach, as Linux would have taken it: the
 * program's disposition behind the entry. A handler's address for the
 * stub to enter, or 0.
 */
static long mach_exception_signal(struct mach_stub_page *data, int sig,
				  const siginfo_t *si, struct ucontext *uc,
				  struct ucontext __user *uframe, unsigned long entry)
{
	bool forced = si->si_code > 0;
	struct mach_stub_action program;
	struct kernel_siginfo info;
	sigset_t mask;

	memcpy(&program, &data->program[sig], sizeof(program));
	if (program.handler == (unsigned long)SIG_IGN && !forced)
		return 0;
	if (program.handler == (unsigned long)SIG_DFL ||
	    program.handler == (unsigned long)SIG_IGN) {
		mach_exception_default(sig, entry);
		/* A fault is taken even where the program blocks its signal. */
		if (forced && sigismember(&uc->uc_sigmask, sig)) {
			sigdelset(&uc->uc_sigmask, sig);
			if (copy_to_user(&uframe->uc_sigmask, &uc->uc_sigmask,
					 sizeof(uc->uc_sigmask)))
				return -EFAULT;
		}
		/* Pending, blocked by the frame until rt_sigreturn(). */
		memcpy(&info, si, sizeof(info));
		info.si_signo = sig;
		return send_sig_info(sig, &info, current) ? -EAGAIN : 0;
	}

	/* The program's handler, with the mask its sigaction gives. */
	mask = uc->uc_sigmask;
	mask.sig[0] |= program.mask;
	if (!(program.flags & SA_NODEFER))
		sigaddset(&mask, sig);
	sigdelsetmask(&mask, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &mask, NULL);
	/*
	 * SA_RESETHAND: the process's disposition goes back to SIG_DFL, as
	 * the kernel's delivery would leave it (the entry with it: the page
	 * may be a fork's parent's too, and is not this process's to change).
	 */
	if (program.flags & SA_RESETHAND)
		mach_exception_default(sig, entry);
	return program.handler;
}

long mach_exception_ioctl(unsigned long ucontext)
{
	struct ucontext __user *uframe = (struct ucontext __user *)ucontext;
	struct pt_regs *regs = current_pt_regs();
	unsigned long stub = regs->ip & PAGE_MASK;
	int sig = (int)regs->r8;
	struct mach_stub_page *data;
	struct ucontext uc;
	struct page *page;
	siginfo_t si;
	long ret;

	/* Only from the entry, back from its ioctl (at offset 70). */
	if ((regs->ip & ~PAGE_MASK) != MACH_STUB_EXCEPTION + 24)
		return -EPERM;
	if (!mach_exception_signal_of_faults(sig))
		return -EINVAL;
	if (copy_from_user(&si, (void __user *)regs->r9, sizeof(si)) ||
	    copy_from_user(&uc, uframe, sizeof(uc)))
		return -EFAULT;
	if (si.si_signo != sig)
		return -EINVAL;
	page = mach_stub_page_get(stub);
	if (!page)
		return -EPERM;

	ret = 1;
	if (si.si_code > 0)
		ret = mach_exception_raise(sig, &si, &uc, uframe);
	if (ret > 0) {
		data = page_address(page);
		ret = mach_exception_signal(data, sig, &si, &uc, uframe,
					    stub + MACH_STUB_EXCEPTION);
	}
	put_page(page);
	return ret;
}
