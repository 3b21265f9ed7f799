// SPDX-License-Identifier: GPL-2.0
/*
 * thread.c - Mach threads: Linux threads of a task's process, cloned by
 * its agent, parked in the module until thread_resume.
 *
 * The agent clones a thread with no stack (it runs nothing but the stub)
 * and marks it with a cookie as its TLS base, as shell.c marks a shell.
 * The thread re-enters through the stub, finds its record by the cookie
 * and parks. Its registers are set while it is parked; once nothing holds
 * it, it leaves the ioctl with them, straight into the code it was given.
 *
 * A running thread is stopped or ended by task_work (TWA_SIGNAL): on its
 * way back to user mode, where a stopped thread would stop (a system call
 * it was blocked in restarts), it waits in the work until nothing holds it,
 * or is sent to the stub's exit.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/regset.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <uapi/linux/sched.h>
#include <asm/prctl.h>
#include <asm/unistd.h>

#include "mach.h"

/* x86_THREAD_STATE64's words. */
enum {
	MACH_RAX, MACH_RBX, MACH_RCX, MACH_RDX, MACH_RDI, MACH_RSI, MACH_RBP,
	MACH_RSP, MACH_R8, MACH_R9, MACH_R10, MACH_R11, MACH_R12, MACH_R13,
	MACH_R14, MACH_R15, MACH_RIP, MACH_RFLAGS, MACH_CS, MACH_FS, MACH_GS,
	MACH_STATE_WORDS
};

/* The flags a thread's state may set, as ptrace allows. */
#define MACH_USER_FLAGS (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_DF | \
			 X86_EFLAGS_OF | X86_EFLAGS_AC)

struct mach_thread_os {
	struct mach_agent_call call;	/* the clone, in the task's agent */
	refcount_t refs;		/* the core's, the call's, the thread's */
	struct list_head node;		/* in mach_threads */
	unsigned long cookie;
	struct pid *pid;		/* the thread, from the clone's result */
	struct task_struct *thread;	/* once it entered; a reference */
	/*
	 * The program it became a Mach thread in (thread's self_exec_id
	 * then). After an exec the record, and any right to it, no longer
	 * reaches the thread: it neither stops nor shows its registers.
	 */
	u64 exec_id;
	unsigned long stub;		/* its task's stub */
	wait_queue_head_t wait;
	/*
	 * Its saved registers are on its kernel stack, which the task_struct
	 * reference does not keep: killed, it would free it. They are used
	 * under this lock, while it is parked or stopped; it takes the lock
	 * to leave either.
	 */
	struct mutex regs_lock;
	atomic_t holds;			/* suspend counts that hold it */
	bool dying;			/* thread_terminate, or the core let go */
	bool parked;			/* waiting to run for the first time */
	bool stopped;			/* waiting in the stop work */
	bool started;			/* left its first park */
	bool work_queued;		/* guarded by mach_threads_lock */
	bool state_set;
	bool aborting;			/* thread_abort: fail the system call */
	bool quiescing;			/* holding its own task, or waiting to */
	int leaving;			/* steps taken on the way out: bases */
	u64 state[MACH_STATE_WORDS];
	struct callback_head work;
};

static LIST_HEAD(mach_threads);		/* guarded by mach_threads_lock */
static DEFINE_SPINLOCK(mach_threads_lock);
static unsigned long mach_thread_cookies;	/* guarded by the lock */

/* Does t's thread still run the program it became a Mach thread in? */
static bool mach_thread_same_program(struct mach_thread_os *t,
				     struct task_struct *thread)
{
	return READ_ONCE(thread->self_exec_id) == t->exec_id;
}

static void mach_thread_put(struct mach_thread_os *t)
{
	if (!refcount_dec_and_test(&t->refs))
		return;
	spin_lock(&mach_threads_lock);
	list_del(&t->node);
	spin_unlock(&mach_threads_lock);
	if (t->thread)
		put_task_struct(t->thread);
	put_pid(t->pid);
	kfree(t);
}

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
static int mach_thread_wait_entered(struct mach_thread_os *t)
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
					       u64 image, int *err)
{
	struct mach_thread_os *t;
	long ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	refcount_set(&t->refs, 2);	/* the core's and the call's */
	init_waitqueue_head(&t->wait);
	mutex_init(&t->regs_lock);
	atomic_set(&t->holds, 1);	/* created suspended */
	mach_agent_call_init(&t->call, mach_thread_step, mach_thread_call_release);
	t->call.image = image;
	spin_lock(&mach_threads_lock);
	mach_thread_cookies = (mach_thread_cookies + 1) & 0xffffffffUL;
	/* Above the shells' cookies: a distinct page-aligned TLS base. */
	t->cookie = (0x100000000UL + mach_thread_cookies) << PAGE_SHIFT;
	list_add(&t->node, &mach_threads);
	spin_unlock(&mach_threads_lock);

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

/* Is it stopped (parked since it was made, or held in its stop work)? */
static bool mach_thread_stopped(struct mach_thread_os *t)
{
	return !READ_ONCE(t->dying) &&
	       (READ_ONCE(t->parked) || READ_ONCE(t->stopped));
}

static bool mach_thread_free_to_go(struct mach_thread_os *t)
{
	return !atomic_read(&t->holds) || READ_ONCE(t->dying);
}

/*
 * An aborted thread's system call, interrupted to stop it, would restart:
 * it fails with EINTR instead, as thread_abort says.
 */
static void mach_thread_fail_syscall(struct pt_regs *regs)
{
	if ((long)regs->orig_ax < 0)
		return;		/* it was in user mode */
	switch (regs->ax) {
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		regs->ax = -EINTR;
		regs->orig_ax = -1;	/* restart nothing */
		break;
	}
}

/* Held: a running thread stops on its way back to user mode. */
static void mach_thread_stop_work(struct callback_head *work)
{
	struct mach_thread_os *t = container_of(work, struct mach_thread_os,
						work);

	spin_lock(&mach_threads_lock);
	t->work_queued = false;
	spin_unlock(&mach_threads_lock);
	/* Queued before an exec, it runs in the new program: no stop there. */
	if (!(current->flags & PF_EXITING) && mach_thread_same_program(t, current)) {
		WRITE_ONCE(t->stopped, true);
		wake_up_all(&t->wait);
		/* Killable: a stopped thread waits without counting as hung. */
		wait_event_killable(t->wait, mach_thread_free_to_go(t));
		mutex_lock(&t->regs_lock);
		WRITE_ONCE(t->stopped, false);
		mutex_unlock(&t->regs_lock);
		if (READ_ONCE(t->dying)) {
			current_pt_regs()->ip = t->stub + MACH_STUB_EXIT;
			current_pt_regs()->orig_ax = -1;	/* restart nothing */
		} else if (xchg(&t->aborting, false)) {
			mach_thread_fail_syscall(current_pt_regs());
		}
	}
	mach_thread_put(t);
}

mach_bool mach_shim_thread_quiet(struct mach_thread_os *t)
{
	struct task_struct *thread = READ_ONCE(t->thread);

	if (READ_ONCE(t->dying) || mach_thread_stopped(t) ||
	    !READ_ONCE(t->started) || READ_ONCE(t->quiescing))
		return true;
	/* (Stopped by a signal, it meets its stop work before user mode.) */
	return !thread || (READ_ONCE(thread->flags) & PF_EXITING) ||
	       task_is_stopped_or_traced(thread);
}

void mach_shim_thread_set_quiescing(struct mach_thread_os *t, mach_bool on)
{
	WRITE_ONCE(t->quiescing, on);
}

int mach_shim_thread_wait_quiet(struct mach_thread_os *t, u32 timeout_ms)
{
	unsigned long until = jiffies + msecs_to_jiffies(timeout_ms);

	/* Its stop work wakes t->wait; an exit or a signal stop does not. */
	while (!mach_shim_thread_quiet(t)) {
		if (time_after(jiffies, until))
			return -ETIMEDOUT;
		if (wait_event_killable_timeout(t->wait, mach_shim_thread_quiet(t),
						HZ / 50) < 0)
			return -EINTR;
	}
	return 0;
}

/* Queue the stop work on a running thread, unless it is queued already. */
static void mach_thread_interrupt(struct mach_thread_os *t)
{
	struct task_struct *thread = NULL;

	spin_lock(&mach_threads_lock);
	if (t->started && t->thread && !t->work_queued) {
		thread = t->thread;
		get_task_struct(thread);
		t->work_queued = true;
	}
	spin_unlock(&mach_threads_lock);
	if (!thread)
		return;
	refcount_inc(&t->refs);		/* the work's */
	init_task_work(&t->work, mach_thread_stop_work);
	if (task_work_add(thread, &t->work, TWA_SIGNAL)) {
		spin_lock(&mach_threads_lock);
		t->work_queued = false;	/* it is exiting already */
		spin_unlock(&mach_threads_lock);
		mach_thread_put(t);
	}
	put_task_struct(thread);
}

void mach_shim_thread_hold(struct mach_thread_os *t)
{
	if (atomic_inc_return(&t->holds) == 1)
		mach_thread_interrupt(t);
}

void mach_shim_thread_release(struct mach_thread_os *t)
{
	if (atomic_dec_and_test(&t->holds))
		wake_up_all(&t->wait);
}

/*
 * Until it has left its first park for good, a thread has run nothing of
 * its own: it is on its way to the park, in it, or taking the steps out
 * (mach_thread_enter()), and what it is to run is t->state. Its entry and
 * its park are not one step, so this, not t->parked, tells whether its
 * state may be set.
 */
static bool mach_thread_unstarted(struct mach_thread_os *t)
{
	return !READ_ONCE(t->started);
}

/*
 * Has a thread that has started stopped (its registers then read under
 * regs_lock)? A held thread may not have reached its stop yet: give it a
 * moment. One that is not held runs, and has none to give.
 */
static bool mach_thread_wait_stopped(struct mach_thread_os *t)
{
	if (!atomic_read(&t->holds) ||
	    wait_event_killable_timeout(t->wait, READ_ONCE(t->stopped) ||
					READ_ONCE(t->dying), HZ) <= 0)
		return false;
	return !READ_ONCE(t->dying) && t->thread;
}

/* Its saved registers, while it stays parked or stopped: or NULL. */
static struct pt_regs *mach_thread_regs_begin(struct mach_thread_os *t)
{
	mutex_lock(&t->regs_lock);
	if (!t->thread || !mach_thread_stopped(t) ||
	    !mach_thread_same_program(t, t->thread)) {
		mutex_unlock(&t->regs_lock);
		return NULL;
	}
	return task_pt_regs(t->thread);
}

static void mach_thread_regs_end(struct mach_thread_os *t)
{
	mutex_unlock(&t->regs_lock);
}

int mach_shim_thread_get_state(struct mach_thread_os *t, u64 *regs)
{
	const struct pt_regs *r;

	if (mach_thread_wait_entered(t))
		return -EBUSY;
	/* Acquire: the state is whole once state_set is seen. */
	if (mach_thread_unstarted(t) && smp_load_acquire(&t->state_set)) {
		memcpy(regs, t->state, sizeof(t->state));
		return 0;
	}
	/* Its registers now: stopped, or the stub's it came back through. */
	if (!mach_thread_unstarted(t) && !mach_thread_wait_stopped(t))
		return -EBUSY;
	r = mach_thread_regs_begin(t);
	if (!r)
		return -EBUSY;
	memset(regs, 0, sizeof(u64) * MACH_STATE_WORDS);
	regs[MACH_RAX] = r->ax;
	regs[MACH_RBX] = r->bx;
	regs[MACH_RCX] = r->cx;
	regs[MACH_RDX] = r->dx;
	regs[MACH_RDI] = r->di;
	regs[MACH_RSI] = r->si;
	regs[MACH_RBP] = r->bp;
	regs[MACH_RSP] = r->sp;
	regs[MACH_R8] = r->r8;
	regs[MACH_R9] = r->r9;
	regs[MACH_R10] = r->r10;
	regs[MACH_R11] = r->r11;
	regs[MACH_R12] = r->r12;
	regs[MACH_R13] = r->r13;
	regs[MACH_R14] = r->r14;
	regs[MACH_R15] = r->r15;
	regs[MACH_RIP] = r->ip;
	regs[MACH_RFLAGS] = r->flags;
	regs[MACH_CS] = r->cs;
	/* Saved when it was switched out: it is not running. */
	regs[MACH_FS] = t->thread->thread.fsbase;
	regs[MACH_GS] = t->thread->thread.gsbase;
	mach_thread_regs_end(t);
	return 0;
}

int mach_shim_thread_get_exception(struct mach_thread_os *t, u32 *words)
{
	struct task_struct *thread;
	u64 cr2;

	if (mach_thread_wait_entered(t))
		return -EBUSY;
	if (!mach_thread_unstarted(t) && !mach_thread_wait_stopped(t))
		return -EBUSY;
	thread = t->thread;
	if (!thread || !mach_thread_same_program(t, thread))
		return -EBUSY;
	/* What the last trap of the thread left (a page fault, say). */
	words[0] = (thread->thread.trap_nr & 0xffff) | (task_cpu(thread) << 16);
	words[1] = thread->thread.error_code;
	cr2 = thread->thread.cr2;
	memcpy(&words[2], &cr2, sizeof(cr2));
	return 0;
}

/* The FXSAVE regset (NT_PRFPREG), as ptrace reads and writes it. */
static const struct user_regset *mach_thread_fpu_regset(struct task_struct *thread)
{
	const struct user_regset_view *view = task_user_regset_view(thread);
	unsigned int i;

	for (i = 0; i < view->n; i++)
		if (view->regsets[i].core_note_type == NT_PRFPREG)
			return &view->regsets[i];
	return NULL;
}

/* Its thread, stopped (or not started), in the program it was made in. */
static struct task_struct *mach_thread_still(struct mach_thread_os *t)
{
	struct task_struct *thread;

	if (mach_thread_wait_entered(t))
		return NULL;
	if (!mach_thread_unstarted(t) && !mach_thread_wait_stopped(t))
		return NULL;
	thread = READ_ONCE(t->thread);
	return thread && mach_thread_same_program(t, thread) ? thread : NULL;
}

int mach_shim_thread_get_fpu(struct mach_thread_os *t, void *fxsave)
{
	struct task_struct *thread = mach_thread_still(t);
	const struct user_regset *regset;

	regset = thread ? mach_thread_fpu_regset(thread) : NULL;
	if (!regset)
		return -EBUSY;
	return regset_get(thread, regset, 512, fxsave) == 512 ? 0 : -EIO;
}

int mach_shim_thread_set_fpu(struct mach_thread_os *t, const void *fxsave)
{
	struct task_struct *thread = mach_thread_still(t);
	const struct user_regset *regset;

	regset = thread ? mach_thread_fpu_regset(thread) : NULL;
	if (!regset || !regset->set)
		return -EBUSY;
	return regset->set(thread, regset, 0, 512, fxsave, NULL);
}

static void mach_thread_store_regs(struct pt_regs *r, const u64 *s)
{
	r->bx = s[MACH_RBX];
	r->cx = s[MACH_RCX];
	r->dx = s[MACH_RDX];
	r->di = s[MACH_RDI];
	r->si = s[MACH_RSI];
	r->bp = s[MACH_RBP];
	r->sp = s[MACH_RSP];
	r->r8 = s[MACH_R8];
	r->r9 = s[MACH_R9];
	r->r10 = s[MACH_R10];
	r->r11 = s[MACH_R11];
	r->r12 = s[MACH_R12];
	r->r13 = s[MACH_R13];
	r->r14 = s[MACH_R14];
	r->r15 = s[MACH_R15];
	r->ip = s[MACH_RIP];
	r->flags = (r->flags & ~MACH_USER_FLAGS) | (s[MACH_RFLAGS] & MACH_USER_FLAGS);
}

int mach_shim_thread_set_state(struct mach_thread_os *t, const u64 *regs)
{
	struct pt_regs *r;

	/* Not started: it leaves its park with the state, unless resumed. */
	if (mach_thread_unstarted(t)) {
		if (!atomic_read(&t->holds))
			return -EBUSY;	/* on its way to run: running */
		memcpy(t->state, regs, sizeof(t->state));
		/* Release: pairs with thread_get_state's acquire. */
		smp_store_release(&t->state_set, true);
		return 0;
	}
	if (!mach_thread_wait_stopped(t))
		return -EBUSY;
	r = mach_thread_regs_begin(t);
	if (!r)
		return -EBUSY;
	/* It was stopped in the middle of anything: that is abandoned. */
	mach_thread_store_regs(r, regs);
	r->ax = regs[MACH_RAX];
	r->orig_ax = -1;
	mach_thread_regs_end(t);
	return 0;
}

void mach_shim_thread_abort(struct mach_thread_os *t)
{
	/* Not yet run: it is in no system call to abort. */
	if (mach_thread_unstarted(t))
		return;
	WRITE_ONCE(t->aborting, true);
	/* Stopped, it sees it on its way out; running, it is interrupted. */
	if (!READ_ONCE(t->stopped))
		mach_thread_interrupt(t);
}

void mach_shim_thread_kill(struct mach_thread_os *t)
{
	WRITE_ONCE(t->dying, true);
	wake_up_all(&t->wait);
	if (!READ_ONCE(t->stopped))
		mach_thread_interrupt(t);
}

/* The registers a parked thread leaves with. */
static long mach_thread_load_state(struct mach_thread_os *t)
{
	struct pt_regs *r = current_pt_regs();
	const u64 *s = t->state;
	sigset_t none;

	if (t->state_set)
		mach_thread_store_regs(r, s);
	r->orig_ax = -1;	/* not a system call to restart */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return t->state_set ? s[MACH_RAX] : 0;	/* the ioctl's result is rax */
}

/* Out of its park: its registers are no longer to be used by others. */
static void mach_thread_unpark(struct mach_thread_os *t)
{
	mutex_lock(&t->regs_lock);
	WRITE_ONCE(t->parked, false);
	mutex_unlock(&t->regs_lock);
}

/* Steps a thread takes on its way out of its first park. */
#define MACH_LEAVE_BASES	2	/* arch_prctl() of the fs and gs bases */
#define MACH_LEAVE_BY_READ	3	/* then read() for a rax wider than int */

/* Leaves its first park for good: with its state, or to the stub's exit. */
static long mach_thread_leave(struct mach_thread_os *t)
{
	long ret;

	mach_thread_unpark(t);
	spin_lock(&mach_threads_lock);
	t->started = true;
	spin_unlock(&mach_threads_lock);
	if (READ_ONCE(t->dying))
		return -ESRCH;	/* the stub ends the thread */
	ret = mach_thread_load_state(t);
	/* Held again on the way out: stop before running. */
	if (atomic_read(&t->holds))
		mach_thread_interrupt(t);
	return ret;
}

/*
 * MACH_IOC_AGENT from a thread the agent cloned: it parks here until it is
 * resumed (then runs its state) or ended. -ENOENT: not such a thread.
 */
long mach_thread_enter(struct mach_task_os *os)
{
	unsigned long cookie = current->thread.fsbase;
	struct mach_thread_os *t, *found = NULL;
	long ret;

	spin_lock(&mach_threads_lock);
	list_for_each_entry(t, &mach_threads, node) {
		/*
		 * Ours while we are here; one whose last reference is gone is
		 * on its way off the list (its thread was let go before it
		 * entered): not found.
		 */
		if (!t->started && (t->thread == current ||
				    (!t->thread && t->cookie == cookie)) &&
		    refcount_inc_not_zero(&t->refs)) {
			found = t;
			break;
		}
	}
	if (found && !found->thread) {
		found->thread = current;
		found->exec_id = current->self_exec_id;
		get_task_struct(current);
		found->stub = os->agent.stub;
	}
	if (found && !found->leaving)
		WRITE_ONCE(found->parked, true);
	spin_unlock(&mach_threads_lock);
	if (!found)
		return -ENOENT;
	wake_up_all(&found->wait);

	if (!found->leaving &&
	    wait_event_interruptible(found->wait, mach_thread_free_to_go(found))) {
		mach_thread_unpark(found);	/* it may be a fatal one */
		mach_thread_put(found);
		return -ERESTARTSYS;	/* back here after the signal */
	}
	smp_rmb();	/* its state, set before the release that let it go */
	/*
	 * fs and gs bases have no exported setter: the thread sets its own
	 * with arch_prctl() through the stub, and comes back for the rest.
	 */
	if (!READ_ONCE(found->dying) && found->state_set) {
		static const struct { int word, code; } bases[MACH_LEAVE_BASES] = {
			{ MACH_FS, ARCH_SET_FS }, { MACH_GS, ARCH_SET_GS },
		};
		while (found->leaving < ARRAY_SIZE(bases)) {
			int i = found->leaving++;
			struct mach_syscall sc = {
				.nr = __NR_arch_prctl,
				.args = { bases[i].code, found->state[bases[i].word] },
			};

			mach_thread_unpark(found);
			if (!found->state[bases[i].word])
				continue;
			ret = mach_agent_dispatch(&os->agent, &sc);
			mach_thread_put(found);
			return ret;
		}
		/*
		 * An ioctl's result is an int: a rax that does not fit one
		 * leaves through a read() of the same fd, whose result is a
		 * word (mach_thread_read_state()).
		 */
		if (found->leaving == MACH_LEAVE_BASES &&
		    found->state[MACH_RAX] != (u64)(long)(int)found->state[MACH_RAX]) {
			struct mach_syscall sc = {
				.nr = __NR_read,
				.args = { current_pt_regs()->r12, found->stub, 1 },
			};

			found->leaving = MACH_LEAVE_BY_READ;
			mach_thread_unpark(found);
			ret = mach_agent_dispatch(&os->agent, &sc);
			mach_thread_put(found);
			return ret;
		}
	}
	ret = mach_thread_leave(found);
	mach_thread_put(found);
	return ret;
}

long mach_thread_read_state(struct mach_task_os *os)
{
	struct mach_thread_os *t, *found = NULL;
	long ret;

	spin_lock(&mach_threads_lock);
	list_for_each_entry(t, &mach_threads, node) {
		if (t->thread == current && !t->started &&
		    t->leaving == MACH_LEAVE_BY_READ &&
		    refcount_inc_not_zero(&t->refs)) {
			found = t;
			break;
		}
	}
	spin_unlock(&mach_threads_lock);
	if (!found)
		return -EINVAL;	/* /dev/mach is not for reading otherwise */
	ret = mach_thread_leave(found);
	mach_thread_put(found);
	return ret;
}

/* A running thread of os's process, made a Mach thread as it is. */
static struct mach_thread_os *mach_thread_adopt(struct mach_task_os *os,
						struct task_struct *thread)
{
	/* Its way out, when it is ended, is through its task's stub. */
	unsigned long stub = mach_agent_stub(&os->agent);
	struct mach_thread_os *t;

	if (!stub)
		return NULL;	/* no agent, no stub: it could not be ended */
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	refcount_set(&t->refs, 1);	/* the core's */
	init_waitqueue_head(&t->wait);
	mutex_init(&t->regs_lock);
	t->thread = thread;
	t->exec_id = READ_ONCE(thread->self_exec_id);
	get_task_struct(thread);
	t->stub = stub;
	t->started = true;	/* running as it is */
	spin_lock(&mach_threads_lock);
	list_add(&t->node, &mach_threads);
	spin_unlock(&mach_threads_lock);
	return t;
}

struct mach_thread_os *mach_shim_thread_adopt(struct mach_task_os *os)
{
	return mach_thread_adopt(os, current);
}

/*
 * Under mach_threads_lock: is thread a Mach thread already, one being
 * made (not entered yet, it carries its cookie), or one being ended?
 */
static bool mach_thread_known(struct task_struct *thread)
{
	struct mach_thread_os *t;

	list_for_each_entry(t, &mach_threads, node)
		if ((t->thread == thread && mach_thread_same_program(t, thread)) ||
		    (!t->thread && t->cookie == thread->thread.fsbase))
			return true;
	return false;
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
	agent = os->agent.thread;
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
		    task_pt_regs(thread)->ip - stub < PAGE_SIZE ||
		    mach_thread_known(thread))
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

bool mach_shim_thread_is_current(struct mach_thread_os *t)
{
	return READ_ONCE(t->thread) == current && mach_thread_same_program(t, current);
}

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

bool mach_shim_thread_gone(struct mach_thread_os *t)
{
	struct task_struct *thread = READ_ONCE(t->thread);

	/* Not entered yet is not gone: it is on its way to its park. */
	return READ_ONCE(t->dying) ||
	       (thread && (READ_ONCE(thread->flags) & PF_EXITING));
}
