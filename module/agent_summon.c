// SPDX-License-Identifier: GPL-2.0
/*
 * agent_summon.c - an agent made when a call first needs one, not when its
 * process first calls Mach.
 *
 * An agent is a thread of its process, and only a thread of the process
 * can make one: no exported function clones a thread into another
 * process. libmach asks for an agent on demand (MACH_IOC_AGENT_ON_DEMAND)
 * rather than starting one, so a process that no other task ever acts in
 * (most fork() children) never pays for a second thread. When a call
 * needs the agent, a thread of the process is sent through the stub to
 * clone it, and comes back to where it was:
 *
 *  - another task's call sends one of its threads, by task_work
 *    (TWA_SIGNAL: a blocked system call is interrupted). Its registers are
 *    saved as they would be set had no signal come (a system call set to
 *    restart), the thread is sent to the stub's clone with every signal
 *    blocked, and MACH_IOC_AGENT_SUMMONED gives them and its signal mask
 *    back whole. A signal that came meanwhile is taken then, as if it had
 *    come just after the system call was made again.
 *
 *  - a thread of the process itself makes it before a call that may need
 *    it and could not be made again once begun (dev.c: a message, a
 *    clone, a call that holds the task's other threads), or after one
 *    that failed for want of it having changed nothing yet: it leaves its
 *    ioctl for the clone, and comes back to make the ioctl again.
 *
 * A thread interrupted in user mode inside an rseq critical section is not
 * sent: the kernel would clear its rseq_cs at the stub's system call, and
 * the critical section would then not be aborted when it resumes. Nor is
 * one inside a system call that runs task work while it waits (io_uring's,
 * KVM's). The caller tries again a little later.
 *
 * The clone enters with MACH_IOC_AGENT_BORN and serves. Its credentials
 * are those of the thread it was cloned from, its model; glibc's setxid
 * broadcast does not reach a thread glibc did not make, so before each
 * call the agent compares itself with its model (or, the model gone, with
 * any thread of the process), and if they differ it hands the call back
 * and ends; the call's caller has the next agent made (agent.c).
 */
#include <linux/compat.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <uapi/linux/rseq.h>
#include <asm/unistd.h>

#include <mach/ioctl.h>

#include "agent.h"
#include "creds.h"
#include "stub.h"
#include "task_os.h"

struct mach_agent_summon {
	struct callback_head work;
	struct mach_task *task;		/* a reference */
	/* The thread sent, its registers and signal mask to come back to. */
	struct task_struct *thread;	/* a reference */
	struct pt_regs regs;
	sigset_t blocked;
	/* Back from the clone: dev.c's step for a stop that came meanwhile. */
	void (*back)(struct mach_task_os *os);
	bool away;		/* on its way: agent->summon's from then on */
	bool again;		/* back to make its ioctl again */
	bool queued;		/* as task work, sent by another thread */
};

struct mach_agent_model {
	struct task_struct *thread;	/* a reference */
	struct mach_identity id;	/* its identity when it cloned the agent */
};

void mach_agent_model_free(struct mach_agent_model *model)
{
	if (!model)
		return;
	put_task_struct(model->thread);
	mach_identity_put(&model->id);
	kfree(model);
}

static void mach_agent_summon_free(struct mach_agent_summon *s)
{
	if (s->thread)
		put_task_struct(s->thread);
	mach_task_put(s->task);
	kfree(s);
}

/*
 * Has the thread a summoned agent was cloned from changed its credentials,
 * seccomp filter or no_new_privs since? If it has ended, another thread of
 * the program (its leader first) that is as it was takes its place.
 */
bool mach_agent_stale(struct mach_agent *agent)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	struct mach_agent_model *model = agent->model;	/* the agent's to change */
	struct task_struct *other;

	if (!model)
		return false;
	if (!mach_agent_thread_gone(model->thread))
		return !mach_identity_is(&model->id, model->thread);
	other = mach_agent_find_thread(os);
	if (!other)
		return true;
	if (!mach_identity_is(&model->id, other)) {
		put_task_struct(other);
		return true;
	}
	spin_lock(&agent->lock);
	swap(model->thread, other);
	spin_unlock(&agent->lock);
	put_task_struct(other);
	return false;
}

bool mach_agent_model_current(struct mach_agent *agent)
{
	struct mach_agent_model *model;
	bool current_as;

	spin_lock(&agent->lock);
	model = agent->model;
	current_as = !model || (!mach_agent_thread_gone(model->thread) &&
				mach_identity_is(&model->id, model->thread));
	spin_unlock(&agent->lock);
	return current_as;
}

static void mach_agent_summon_free_stuck(struct mach_agent *agent,
					 struct mach_agent_summon *s,
					 struct mach_agent_model *next);

/* Under agent->lock: is the program that asked for an agent still there? */
static bool mach_agent_demand_valid_locked(struct mach_agent *agent)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	struct task_struct *leader, *thread;
	struct mm_struct *mm;
	bool valid = false;

	lockdep_assert_held(&agent->lock);
	if (!agent->demand_mm || agent->closed)
		return false;
	rcu_read_lock();
	leader = pid_task(os->pid, PIDTYPE_TGID);
	/*
	 * An exec gives the group a new mm (compared only). A thread that has
	 * let go of its mm (a leader that exited alone) tells nothing.
	 */
	if (leader) {
		for_each_thread(leader, thread) {
			mm = READ_ONCE(thread->mm);
			if (mm) {
				valid = mm == agent->demand_mm;
				break;
			}
		}
	}
	rcu_read_unlock();
	return valid;
}

bool mach_agent_on_demand(struct mach_agent *agent)
{
	bool valid;

	spin_lock(&agent->lock);
	valid = mach_agent_demand_valid_locked(agent);
	spin_unlock(&agent->lock);
	return valid;
}

/*
 * The stub is mapped when it is first needed, not when the program asks
 * for an agent: a process no other task acts in never maps it (under
 * emulation, a quarter of a fork child's first call).
 */
unsigned long mach_agent_demand_stub(struct mach_agent *agent)
{
	struct mach_task_os *os = container_of(agent, struct mach_task_os, agent);
	unsigned long stub, made;
	bool here;

	spin_lock(&agent->lock);
	stub = mach_agent_demand_valid_locked(agent) ? agent->stub : 0;
	here = !stub && mach_agent_demand_valid_locked(agent) &&
	       current->mm == agent->demand_mm && os->pid == task_tgid(current);
	spin_unlock(&agent->lock);
	if (!here)
		return stub;
	made = mach_stub_map();
	if (IS_ERR_VALUE(made))
		return 0;
	spin_lock(&agent->lock);
	here = !agent->stub && current->mm == agent->demand_mm;
	if (here)
		agent->stub = made;
	stub = agent->stub;
	spin_unlock(&agent->lock);
	if (!here)
		vm_munmap(made, PAGE_SIZE);	/* another thread's came first */
	return stub;
}

long mach_agent_on_demand_ioctl(struct mach_task_os *os, struct file *file,
				unsigned long fd)
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_summon *gone = NULL;
	struct mach_agent_model *next = NULL;
	struct mm_struct *old = NULL;
	bool same;

	if (os->pid != task_tgid(current) || !mach_agent_fd_is(fd, file))
		return -EBADF;
	spin_lock(&agent->lock);
	same = agent->demand_mm == current->mm && agent->demand_file == file;
	spin_unlock(&agent->lock);
	if (same)
		return 0;	/* asked already */
	mmgrab(current->mm);
	spin_lock(&agent->lock);
	if (!mach_agent_thread_gone(agent->thread) &&
	    agent->thread->mm == current->mm) {
		/* One serves this program (libmach's own). */
		spin_unlock(&agent->lock);
		mmdrop(current->mm);
		return 0;
	}
	/*
	 * A summons of the program before an exec ended with it (its
	 * threads killed): what is left of it goes. One still queued as
	 * work frees itself, finding it is not agent->summon.
	 */
	if (agent->demand_mm != current->mm) {
		gone = agent->summon;
		agent->summon = NULL;
		if (gone && gone->queued && !gone->away)
			gone = NULL;
		next = agent->model_next;
		agent->model_next = NULL;
		agent->summon_here = NULL;
		agent->starting = false;
	}
	old = agent->demand_mm;
	agent->demand_mm = current->mm;
	agent->demand_file = file;
	if (old != current->mm)
		agent->stub = 0;	/* mapped when first needed */
	agent->fd = fd;
	spin_unlock(&agent->lock);
	if (old)
		mmdrop(old);
	mach_agent_summon_free_stuck(agent, gone, next);
	return 0;
}

/*
 * How soon a work queued to thread would run, the sooner the better: 0
 * running (it is not even interrupted), 1 in an interruptible wait (which
 * it leaves, to make it again), 2 stopped or in a wait nothing interrupts.
 */
static int mach_agent_thread_rank(struct task_struct *thread)
{
	unsigned int state = READ_ONCE(thread->__state);

	return state == TASK_RUNNING ? 0 : state == TASK_INTERRUPTIBLE ? 1 : 2;
}

struct task_struct *mach_agent_find_thread(struct mach_task_os *os)
{
	struct task_struct *leader, *thread, *found = NULL;
	struct mach_spare_pids spares;
	int rank, best = 3;
	unsigned long stub;

	spin_lock(&os->agent.lock);
	mach_task_get_spare_pids_locked(os, &spares);
	stub = os->agent.stub;
	spin_unlock(&os->agent.lock);
	rcu_read_lock();
	leader = pid_task(os->pid, PIDTYPE_TGID);
	if (leader) {
		for_each_thread(leader, thread) {
			if (thread == current || mach_spare_pids_have(&spares, thread) ||
			    thread == READ_ONCE(os->agent.thread) ||
			    (READ_ONCE(thread->flags) &
			     (PF_EXITING | PF_IO_WORKER | PF_KTHREAD)) ||
			    instruction_pointer(task_pt_regs(thread)) - stub < PAGE_SIZE)
				continue;
			rank = mach_agent_thread_rank(thread);
			if (rank < best) {
				found = thread;
				best = rank;
			}
			if (!best)
				break;
		}
	}
	if (found)
		get_task_struct(found);
	rcu_read_unlock();
	mach_put_spare_pids(&spares);
	return found;
}

/* The summons failed, or was not needed: callers no longer wait for it. */
static void mach_agent_summon_fail(struct mach_agent *agent,
				   struct mach_agent_summon *s)
{
	bool ours;

	spin_lock(&agent->lock);
	ours = agent->summon == s;
	if (ours) {
		agent->summon = NULL;
		agent->starting = false;
		if (agent->summon_here == s->thread)
			agent->summon_here = NULL;
	}
	spin_unlock(&agent->lock);
	if (ours)
		wake_up_all(&agent->started);
	mach_agent_summon_free(s);
}

/* rseq's area of the calling thread, or NULL. */
static struct rseq __user *mach_rseq_area(void)
{
#ifdef MACH_COMPAT_RSEQ_DATA
	return current->rseq.usrptr;
#elif defined(CONFIG_RSEQ)
	return current->rseq;
#else
	return NULL;
#endif
}

/*
 * Would leaving for the stub now tear an rseq critical section (or can
 * that not be told)?
 */
static bool mach_in_rseq_cs(const struct pt_regs *regs)
{
	struct rseq __user *area = mach_rseq_area();
	struct rseq_cs cs;
	u64 ptr;

	if (!area)
		return false;
	if (get_user(ptr, &area->rseq_cs))
		return true;
	if (!ptr)
		return false;
	if (copy_from_user(&cs, u64_to_user_ptr(ptr), sizeof(cs)))
		return true;
	return regs->ip - cs.start_ip < cs.post_commit_offset;
}

/*
 * The calling thread leaves for the stub to clone the agent, and comes
 * back to back: the clone's number (the stub's rax), or -errno with
 * nothing changed (s freed). s becomes agent->summon.
 */
static long mach_agent_summon_leave(struct mach_task_os *os,
				    struct mach_agent_summon *s,
				    const struct pt_regs *back)
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_model *model;
	struct mach_syscall sc = {};
	unsigned long stub;
	struct page *page;
	sigset_t all;
	bool ok;
	int fd;

	spin_lock(&agent->lock);
	ok = mach_agent_demand_valid_locked(agent) && current->mm == agent->demand_mm &&
	     agent->starting && agent->summon == s;
	fd = agent->fd;
	spin_unlock(&agent->lock);
	stub = ok ? mach_agent_demand_stub(agent) : 0;
	if (!stub)
		goto fail;
	/* The stub is where it was put, and the fd is still the program's. */
	page = mach_stub_page_get(stub);
	if (!page)
		goto fail;
	put_page(page);
	ok = mach_agent_fd_is(fd, READ_ONCE(agent->demand_file));
	model = ok ? kmalloc(sizeof(*model), GFP_KERNEL) : NULL;
	if (!model)
		goto fail;
	model->thread = current;
	get_task_struct(current);
	mach_identity_of_current(&model->id);

	s->regs = *back;
	s->regs.orig_ax = -1;	/* back as from an interrupt: nothing restarts */
	spin_lock(&agent->lock);
	ok = agent->starting && !agent->closed && agent->summon == s;
	if (ok) {
		s->away = true;
		swap(agent->model_next, model);
	}
	spin_unlock(&agent->lock);
	mach_agent_model_free(model);	/* the one before, or this one */
	if (!ok)
		goto fail;
	/*
	 * The program's mask: a wait with a mask of its own (sigsuspend,
	 * ppoll) keeps it aside until the way out, and sets its own again
	 * when it is made again.
	 */
	s->blocked = test_restore_sigmask() ? current->saved_sigmask : current->blocked;
	clear_restore_sigmask();
	siginitsetinv(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &all, NULL);

	sc.nr = __NR_clone;
	sc.args[0] = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		     CLONE_THREAD | CLONE_SYSVSEM;
	sc.child_request = MACH_IOC_AGENT_BORN;
	return mach_stub_dispatch(stub, fd, MACH_IOC_AGENT_SUMMONED, &sc);
fail:
	mach_agent_summon_fail(agent, s);
	return -ESRCH;
}

/*
 * Where a thread sent from its way back to user mode comes back to: as it
 * would have gone on, had no signal come. The work runs where task work is
 * run: on the way out, before or after a system call it interrupted is set
 * to restart, but also inside a system call that waits (io_uring's, KVM's),
 * which cannot be told from outside but by its result not set yet: false
 * then, and it is not sent.
 */
static bool mach_agent_summon_back(const struct pt_regs *regs, struct pt_regs *back)
{
	*back = *regs;
	if ((long)regs->orig_ax < 0)
		return true;	/* from user mode, not from a system call */
	if (in_compat_syscall())
		return false;
	switch ((long)regs->ax) {
	case -ENOSYS:
		return false;	/* still inside it, or nothing to tell it by */
	case -ERESTARTNOHAND:
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
		back->ax = regs->orig_ax;
		back->ip -= 2;
		break;
	case -ERESTART_RESTARTBLOCK:
		back->ax = __NR_restart_syscall;
		back->ip -= 2;
		break;
	}
	return true;
}

/*
 * The work, on the thread sent: it leaves for the stub, unless it cannot
 * be sent from where it is, or a signal of its own waits to be taken (it
 * goes first: then the caller tries again, a little later).
 */
static void mach_agent_summon_arrive(struct callback_head *work)
{
	struct mach_agent_summon *s = container_of(work, struct mach_agent_summon, work);
	struct mach_task_os *os = mach_task_os_of(s->task);
	struct pt_regs *regs = current_pt_regs();
	struct pt_regs back;
	long nr;

	if ((current->flags & PF_EXITING) || !user_64bit_mode(regs) ||
	    task_sigpending(current) || !mach_agent_summon_back(regs, &back) ||
	    mach_in_rseq_cs(regs)) {
		mach_agent_summon_fail(&os->agent, s);
		return;
	}
	nr = mach_agent_summon_leave(os, s, &back);
	if (nr >= 0) {
		regs->ax = nr;
		regs->orig_ax = -1;	/* nothing for the way out to restart */
	}
}

/* Can the calling thread be sent through the stub (64-bit code)? */
static bool mach_agent_can_leave(void)
{
	return user_64bit_mode(current_pt_regs()) && !in_compat_syscall();
}

/* Does no agent serve, nor is one on its way? Under agent->lock. */
static bool mach_agent_none_locked(struct mach_agent *agent)
{
	return !agent->starting && mach_agent_thread_gone(agent->thread);
}

/*
 * A summons that can no longer end (its thread, or the clone it made,
 * died on the way: an exec, a kill) is dropped after a while, under
 * agent->lock: what to free, once it is dropped.
 */
static bool mach_agent_drop_stuck_locked(struct mach_agent *agent,
					 struct mach_agent_summon **s,
					 struct mach_agent_model **next)
{
	struct mach_agent_summon *away = agent->summon;

	lockdep_assert_held(&agent->lock);
	/*
	 * A summons still queued as work is its work's to free; one that is
	 * not is its thread's (on its way, or about to be), unless that
	 * thread died. Without one, a clone that never entered is given up
	 * after a while.
	 */
	if (away && away->queued && !away->away) {
		/*
		 * Its thread has not come by the work in a caller's whole
		 * wait (it waits killably, or is stopped by its tracer): the
		 * next call sends another. The work, which cannot be taken
		 * back, finds it is no longer agent->summon when it runs.
		 */
		if (!time_after(jiffies, agent->summoned_at + MACH_AGENT_START_WAIT))
			return false;
		agent->summon = NULL;
	} else if (away) {
		if (!mach_agent_thread_gone(away->thread))
			return false;
		agent->summon = NULL;
		*s = away;
	} else if (!agent->starting ||
		   !time_after(jiffies, agent->summoned_at + 2 * MACH_AGENT_START_WAIT)) {
		return false;
	}
	if (away && agent->summon_here == away->thread)
		agent->summon_here = NULL;
	agent->starting = false;
	*next = agent->model_next;
	agent->model_next = NULL;
	return true;
}

static void mach_agent_summon_free_stuck(struct mach_agent *agent,
					 struct mach_agent_summon *s,
					 struct mach_agent_model *next)
{
	if (s)
		mach_agent_summon_free(s);
	mach_agent_model_free(next);
	if (s || next)
		wake_up_all(&agent->started);
}

void mach_agent_summon_drop_stuck(struct mach_agent *agent)
{
	struct mach_agent_summon *stuck = NULL;
	struct mach_agent_model *next = NULL;
	bool dropped;

	spin_lock(&agent->lock);
	dropped = mach_agent_drop_stuck_locked(agent, &stuck, &next);
	spin_unlock(&agent->lock);
	mach_agent_summon_free_stuck(agent, stuck, next);
	if (dropped)
		wake_up_all(&agent->started);
}

/* Under agent->lock: a summons is under way from now, by s. */
static void mach_agent_summon_start_locked(struct mach_agent *agent,
					   struct mach_agent_summon *s)
{
	agent->starting = true;
	agent->start_failed = false;
	agent->summon = s;
	agent->summoned_at = jiffies;
}

static struct mach_agent_summon *mach_agent_summon_new(struct mach_task_os *os,
						       struct task_struct *thread)
{
	struct mach_agent_summon *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->task = os->task;
	mach_task_get(s->task);
	s->thread = thread;
	get_task_struct(thread);
	return s;
}

bool mach_agent_sent_here(struct mach_agent *agent)
{
	bool here;

	spin_lock(&agent->lock);
	here = agent->starting && agent->summon && agent->summon->thread == current &&
	       !agent->summon->away;
	spin_unlock(&agent->lock);
	return here;
}

int mach_agent_summon(struct mach_task_os *os, bool restartable)
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_summon *s, *stuck = NULL;
	struct mach_agent_model *next = NULL;
	struct task_struct *thread;
	bool here, published = false;
	int ret;

	/* The caller makes it itself, after its ioctl, which is made again. */
	here = restartable && os->pid == task_tgid(current) && mach_agent_can_leave();
	thread = here ? current : mach_agent_find_thread(os);
	if (!thread)
		return -ESRCH;
	s = mach_agent_summon_new(os, thread);
	if (!here)
		put_task_struct(thread);	/* s has its own */
	if (!s)
		return -ESRCH;
	s->queued = !here;

	spin_lock(&agent->lock);
	mach_agent_drop_stuck_locked(agent, &stuck, &next);
	if (agent->starting && agent->summon && agent->summon->thread == current &&
	    !agent->summon->away) {
		/* Sent itself, by another's call: only its way out makes it. */
		if (here)
			agent->summon_here = current;
		ret = here ? -EAGAIN : -ESRCH;
		published = false;
	} else if (agent->starting) {
		ret = 0;
	} else if (!mach_agent_demand_valid_locked(agent) || !mach_agent_none_locked(agent)) {
		ret = -ESRCH;
	} else {
		mach_agent_summon_start_locked(agent, s);
		if (here)
			agent->summon_here = current;
		ret = here ? -EAGAIN : 1;
		published = true;
	}
	spin_unlock(&agent->lock);
	mach_agent_summon_free_stuck(agent, stuck, next);
	if (!published) {
		mach_agent_summon_free(s);
		return ret;
	}
	if (here)
		return -EAGAIN;
	init_task_work(&s->work, mach_agent_summon_arrive);
	if (!task_work_add(s->thread, &s->work, TWA_SIGNAL))
		return 0;
	mach_agent_summon_fail(agent, s);	/* it was exiting */
	return -ESRCH;
}

long mach_agent_summon_after_ioctl(struct mach_task_os *os, long ret, bool again)
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_summon *s;
	struct pt_regs back;
	long nr;

	spin_lock(&agent->lock);
	s = agent->summon;
	if (agent->summon_here != current || !s || s->thread != current || s->away)
		s = NULL;
	if (agent->summon_here == current)
		agent->summon_here = NULL;
	spin_unlock(&agent->lock);
	if (!s)
		return ret;
	/*
	 * Its summons is queued as work, which runs on its way out: the
	 * ioctl is made again after it (or ends with its answer).
	 */
	if (s->queued)
		return again ? -ERESTARTNOINTR : ret;
	s->again = again;
	back = *current_pt_regs();
	if (again) {
		/* Back at the ioctl's own system call, to make it again. */
		back.ip -= 2;	/* syscall and int $0x80 are two bytes */
		back.ax = back.orig_ax;
	} else {
		/* Back with its answer, made again if it was to be. */
		struct pt_regs answer = back;

		answer.ax = ret;
		if (!mach_agent_summon_back(&answer, &back))
			back = answer;
	}
	nr = mach_agent_summon_leave(os, s, &back);
	return nr < 0 ? ret : nr;
}

void mach_agent_summon_forget(struct mach_task_os *os)
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_summon *s;

	spin_lock(&agent->lock);
	s = agent->summon;
	if (agent->summon_here != current || !s || s->thread != current || s->away)
		s = NULL;
	spin_unlock(&agent->lock);
	if (s)
		mach_agent_summon_fail(agent, s);
}

long mach_agent_summon_before(struct mach_task_os *os)
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_summon *s;
	bool coming;
	int err;

	if (os->pid != task_tgid(current) || !mach_agent_can_leave())
		return 0;
	err = mach_agent_summon(os, true);
	if (err == -EAGAIN)
		return mach_agent_summon_after_ioctl(os, 0, true);
	/* Another thread is making it: wait, unless it is this one. */
	spin_lock(&agent->lock);
	s = agent->summon;
	coming = agent->starting && !(s && s->thread == current);
	spin_unlock(&agent->lock);
	if (coming && mach_agent_wait(agent) == -EINTR && fatal_signal_pending(current))
		return -EINTR;
	return 0;
}

/*
 * After the ioctl's return: sys_ioctl() returns an int, which the way out
 * wrote to rax; the thread's own rax, a pointer say, is put back whole.
 * Then the caller's step, for a stop that came meanwhile: run after this,
 * it sees the thread as it is.
 */
static void mach_agent_summon_rax(struct callback_head *work)
{
	struct mach_agent_summon *s = container_of(work, struct mach_agent_summon, work);
	struct mach_task_os *os = mach_task_os_of(s->task);

	current_pt_regs()->ax = s->regs.ax;
	s->back(os);
	mach_agent_summon_free(s);
}

long mach_agent_summoned_ioctl(struct mach_task_os *os, long result,
			       void (*back)(struct mach_task_os *os))
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_model *next = NULL;
	struct mach_agent_summon *s;
	long ret;

	if (os->pid != task_tgid(current))
		return -EBADF;
	spin_lock(&agent->lock);
	s = agent->summon;
	/* Only the thread sent, on its way back through the stub. */
	if (!s || s->thread != current || !s->away) {
		spin_unlock(&agent->lock);
		return -EPERM;
	}
	/* Its own registers before it stops being away (adoption's wait). */
	*current_pt_regs() = s->regs;
	agent->summon = NULL;
	if (result < 0) {
		/* No clone: no agent is coming. */
		agent->starting = false;
		agent->start_failed = result == -ENOMEM || result == -EAGAIN;
		next = agent->model_next;
		agent->model_next = NULL;
	}
	spin_unlock(&agent->lock);
	/* Callers of the agent, and adoption (mach_shim_task_detours_wait()). */
	wake_up_all(&agent->started);
	mach_agent_model_free(next);

	sigprocmask(SIG_SETMASK, &s->blocked, NULL);
	/* No agent to make it again with (RLIMIT_NPROC, say): it fails. */
	if (result < 0 && s->again) {
		current_pt_regs()->ip += 2;
		s->regs.ax = -ENOMEM;
	}
	ret = s->regs.ax;
	s->back = back;
	init_task_work(&s->work, mach_agent_summon_rax);
	if (task_work_add(current, &s->work, TWA_SIGNAL))
		mach_agent_summon_free(s);	/* it is exiting */
	return ret;
}

bool mach_agent_summon_away(struct mach_agent *agent)
{
	struct mach_agent_summon *s;
	bool away;

	spin_lock(&agent->lock);
	s = agent->summon;
	away = s && s->away;
	spin_unlock(&agent->lock);
	return away;
}

long mach_agent_born_ioctl(struct mach_task_os *os)
{
	struct mach_agent *agent = &os->agent;
	struct mach_agent_model *model;

	if (os->pid != task_tgid(current))
		return -EBADF;
	/* The agent itself, its ioctl restarted after a stop. */
	if (mach_agent_is_current(agent))
		return mach_agent_enter_again(agent);
	spin_lock(&agent->lock);
	model = agent->model_next;
	if (!model || !agent->starting || agent->closed ||
	    current->mm != agent->demand_mm ||
	    !mach_agent_thread_gone(agent->thread)) {
		spin_unlock(&agent->lock);
		return -EPERM;		/* the stub's exit ends it */
	}
	agent->model_next = NULL;
	spin_unlock(&agent->lock);
	return mach_agent_enter(agent, mach_stub_fd(), model);
}

void mach_agent_summon_close(struct mach_agent *agent)
{
	struct mach_agent_model *next, *model;
	struct mach_agent_summon *s;
	struct mm_struct *mm;

	spin_lock(&agent->lock);
	s = agent->summon;
	agent->summon = NULL;
	next = agent->model_next;
	agent->model_next = NULL;
	model = agent->model;
	agent->model = NULL;
	mm = agent->demand_mm;
	agent->demand_mm = NULL;
	spin_unlock(&agent->lock);
	/*
	 * The process is gone. A summons on its way was left there; one
	 * still queued as work is its work's to free (it has run, at its
	 * thread's exit at the latest).
	 */
	if (s && (s->away || !s->queued))
		mach_agent_summon_free(s);
	mach_agent_model_free(next);
	mach_agent_model_free(model);
	if (mm)
		mmdrop(mm);
}
