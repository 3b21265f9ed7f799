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
 *
 * The clone is a round trip to the agent and a system call, most of what
 * thread_create costs. A task that has made two threads keeps spares:
 * up to MACH_THREAD_SPARES more cloned ahead and parked, one of which the
 * next thread_create takes at once while the agent clones another, one
 * at a time. A spare is no Mach thread until taken: no task_threads
 * lists it, it keeps no process alive (mach_task_spares_alive_locked()),
 * and it dies with its program.
 */
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <uapi/linux/sched.h>
#include <asm/unistd.h>

#include <mach/ioctl.h>

#include "agent.h"
#include "creds.h"
#include "stub.h"
#include "task_os.h"
#include "thread_arch.h"
#include "thread_os.h"
#include "thread_record.h"
#include "trampoline.h"

static void mach_thread_spare_made(struct mach_thread_os *t);
static void mach_thread_make_spare(struct mach_task_os *os, u64 program);

/*
 * The thread a clone's result names, if it is the one the stub was asked
 * to clone: a thread of ours with t's cookie as its TLS base. Else NULL.
 * The result comes back from user space (shell.c's clone has the same
 * check): a covered stub, a seccomp supervisor or a tracer can give any.
 */
static struct pid *mach_thread_clone_pid(struct mach_thread_os *t, long result)
{
	struct task_struct *thread;
	struct pid *pid = NULL;

	if (result <= 0)
		return NULL;
	rcu_read_lock();
	thread = pid_task(find_vpid(result), PIDTYPE_PID);
	if (thread && same_thread_group(thread, current) &&
	    mach_arch_tls(thread) == t->cookie)
		pid = get_pid(task_pid(thread));
	rcu_read_unlock();
	return pid;
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
		next->child_request = MACH_IOC_THREAD_ENTER;
		return true;
	}
	if (result < 0) {
		call->ret = result;
	} else {
		/* Release: a trampoline's clone ends after thread_create. */
		smp_store_release(&t->pid, mach_thread_clone_pid(t, result));
		if (!t->pid)
			call->ret = -ESRCH;
	}
	if (t->spare_for)
		mach_thread_spare_made(t);
	return false;
}

static void mach_thread_call_release(struct mach_agent_call *call)
{
	mach_thread_put(container_of(call, struct mach_thread_os, call));
}

/*
 * In the agent, a spare's clone done or failed: it goes into a free slot
 * of its task's, else it ends; and the next is queued while a slot is
 * free. Before the call is seen done, so that whoever waited for it
 * finds it there.
 */
static void mach_thread_spare_made(struct mach_thread_os *t)
{
	struct mach_task_os *os = t->spare_for;
	bool kept = false;

	spin_lock(&os->agent.lock);
	os->spare_coming = NULL;
	/* A clone refused (RLIMIT_NPROC, pids.max): no spare takes a place. */
	if (!t->pid)
		os->spare_refused = true;
	if (t->pid && os->nr_spares < MACH_THREAD_SPARES && !os->agent.closed) {
		os->spares[os->nr_spares] = t;		/* the slot's reference */
		os->spare_pids[os->nr_spares++] = t->pid;
		kept = true;
	}
	t->spare_step_done = true;
	spin_unlock(&os->agent.lock);
	if (!kept) {
		mach_shim_thread_free(t);
		return;
	}
	smp_mb();	/* the spare, then the look; pairs with _unnamed() */
	mach_shell_end_if_idle(os);
	mach_thread_make_spare(os, t->call.program);
}

/*
 * A spare's call let go: one that never reached its last step (the task
 * ended or exec'd first, or its waiter gave up before the agent took it)
 * ends here. From the agent, the task's end or a waiter: its task is
 * still there.
 */
static void mach_thread_spare_call_release(struct mach_agent_call *call)
{
	struct mach_thread_os *t = container_of(call, struct mach_thread_os, call);
	struct mach_task_os *os = t->spare_for;

	if (!t->spare_step_done) {
		spin_lock(&os->agent.lock);
		if (os->spare_coming == t)
			os->spare_coming = NULL;
		spin_unlock(&os->agent.lock);
		mach_shim_thread_free(t);
	}
	mach_thread_put(t);	/* the call's */
}

/* A record for a new thread of os's, published, created suspended. */
static struct mach_thread_os *mach_thread_new(struct mach_task_os *os, u64 program,
					      void (*release)(struct mach_agent_call *))
{
	struct mach_thread_os *t = mach_thread_alloc(os, 2);	/* the core's, the call's */

	if (!t)
		return NULL;
	atomic_set(&t->holds, 1);	/* created suspended */
	mach_agent_call_init(&t->call, mach_thread_step, release);
	t->call.program = program;
	mach_thread_publish(t);
	return t;
}

/*
 * The program a spare is for: the caller's, or for a call of the task's
 * own (0: any), the one it runs now, so that no spare queued or made
 * before an exec is taken after it.
 */
static u64 mach_thread_spare_program(struct mach_task_os *os, u64 program)
{
	return program ?: READ_ONCE(os->program);
}

/* Under os->agent.lock: may the agent begin cloning one more spare? */
static bool mach_thread_spare_wanted_locked(struct mach_task_os *os)
{
	lockdep_assert_held(&os->agent.lock);
	return os->nr_spares < MACH_THREAD_SPARES && !os->spare_coming;
}

/*
 * From the second thread of a task on, its agent clones a spare while a
 * slot is free: if it has an agent (none is made for it: a task whose
 * threads its own threads make may never need one). Called for each
 * thread made, and by the agent for each spare it made (threads_made is
 * 2 by then).
 */
static void mach_thread_make_spare(struct mach_task_os *os, u64 program)
{
	struct mach_thread_os *t;
	bool go;

	spin_lock(&os->agent.lock);
	if (os->threads_made < 2)
		os->threads_made++;
	go = os->threads_made == 2 && mach_thread_spare_wanted_locked(os) &&
	     !os->spare_refused && !os->agent.closed &&
	     !mach_agent_thread_gone(os->agent.thread);
	spin_unlock(&os->agent.lock);
	program = mach_thread_spare_program(os, program);
	t = go ? mach_thread_new(os, program, mach_thread_spare_call_release) : NULL;
	if (!t)
		return;
	t->spare_for = os;
	spin_lock(&os->agent.lock);
	go = mach_thread_spare_wanted_locked(os);	/* not another's meanwhile */
	if (go)
		os->spare_coming = t;
	else
		t->spare_step_done = true;
	spin_unlock(&os->agent.lock);
	if (go)
		mach_agent_queue(&os->agent, &t->call);	/* refused: released */
	else
		mach_shim_thread_free(t);
	mach_agent_call_put(&t->call);
}

/*
 * Is the spare alive, and would a clone by the agent now be the same: the
 * same credentials (a setuid since is the agent's, not the spare's), the
 * same seccomp filter and no_new_privs?
 */
static bool mach_thread_spare_current(struct mach_task_os *os,
				      struct mach_thread_os *t)
{
	struct task_struct *spare, *agent;
	bool same;

	/* An agent made on demand must be as its model is now (agent.c). */
	if (!mach_agent_model_current(&os->agent))
		return false;
	spin_lock(&os->agent.lock);
	agent = os->agent.thread;
	rcu_read_lock();
	spare = pid_task(t->pid, PIDTYPE_PID);
	same = spare && agent && !(READ_ONCE(spare->flags) & PF_EXITING) &&
	       mach_same_identity(spare, agent);
	rcu_read_unlock();
	spin_unlock(&os->agent.lock);
	return same;
}

/*
 * The oldest spare (the likeliest to have parked) out of its slot, with
 * the slot's reference; or NULL.
 */
static struct mach_thread_os *mach_thread_unslot_spare(struct mach_task_os *os)
{
	struct mach_thread_os *t = NULL;
	unsigned int i;

	spin_lock(&os->agent.lock);
	if (os->nr_spares) {
		t = os->spares[0];
		for (i = 1; i < os->nr_spares; i++) {
			os->spares[i - 1] = os->spares[i];
			os->spare_pids[i - 1] = os->spare_pids[i];
		}
		os->nr_spares--;
		os->spares[os->nr_spares] = NULL;
		os->spare_pids[os->nr_spares] = NULL;
	}
	spin_unlock(&os->agent.lock);
	return t;
}

/*
 * A spare, waited for if there is none and the agent is cloning one, if
 * it is for program and current: the core's now. Else NULL, and *err if
 * the wait was cut short (-EINTR: killed, or the task stopped). A caller
 * that can clone a thread itself (here) does not wait for a clone the
 * agent has not begun: a woken agent may wait for its CPU longer than
 * that clone takes. Spares made for another program, or by an agent
 * since changed, end here.
 */
static struct mach_thread_os *mach_thread_take_spare(struct mach_task_os *os,
						     u64 program, bool here, int *err)
{
	struct mach_thread_os *t, *coming = NULL;

	*err = 0;
	spin_lock(&os->agent.lock);
	if (!os->nr_spares && os->spare_coming &&
	    !(here && !list_empty(&os->spare_coming->call.node)) &&
	    mach_agent_call_get(&os->spare_coming->call))
		coming = os->spare_coming;
	spin_unlock(&os->agent.lock);
	if (coming) {
		if (mach_agent_await(&os->agent, &coming->call) == -EINTR)
			*err = -EINTR;
		mach_agent_call_put(&coming->call);
		if (*err)
			return NULL;
	}
	while ((t = mach_thread_unslot_spare(os))) {
		if (t->call.program == mach_thread_spare_program(os, program) &&
		    !READ_ONCE(t->dying) && mach_thread_spare_current(os, t))
			return t;
		mach_shim_thread_free(t);
	}
	return NULL;
}

void mach_thread_drop_spares(struct mach_task_os *os)
{
	struct mach_thread_os *t;

	while ((t = mach_thread_unslot_spare(os)))
		mach_shim_thread_free(t);
}

/* Has it entered the module (and parked, or gone on), or is it ending? */
static bool mach_thread_arrived(struct mach_thread_os *t)
{
	return READ_ONCE(t->thread) || READ_ONCE(t->dying);
}

/* Is the thread its clone made (if it is made) still there? */
static bool mach_thread_pid_alive(struct mach_thread_os *t)
{
	struct pid *pid = smp_load_acquire(&t->pid);	/* the clone step's release */
	bool alive;

	rcu_read_lock();
	alive = pid && pid_task(pid, PIDTYPE_PID);
	rcu_read_unlock();
	return alive;
}

/*
 * thread_create does not wait for its thread to reach its park: what
 * needs the thread itself (its registers, its times) waits here, unless
 * it died on the way.
 */
int mach_thread_wait_entered(struct mach_thread_os *t)
{
	while (!mach_thread_arrived(t)) {
		if (wait_event_killable_timeout(t->wait, mach_thread_arrived(t),
						HZ / 10) < 0)
			return -EINTR;
		if (!mach_thread_arrived(t) && !READ_ONCE(t->cloning) &&
		    !mach_thread_pid_alive(t))
			return -ESRCH;
	}
	return 0;
}

/*
 * The clone by the agent, waited for: the thread enters and parks on its
 * own, soon after. 0 or -errno (t is to be freed).
 */
static int mach_thread_clone_by_agent(struct mach_task_os *os, struct mach_thread_os *t)
{
	long ret;

	t->call.restartable = true;	/* t is dropped if it never runs */
	ret = mach_agent_run(&os->agent, &t->call);
	mach_agent_call_put(&t->call);
	/* A clone answered for (seccomp) with our MACH_LATER: not ours. */
	return ret == MACH_LATER ? -ESRCH : ret;
}

struct mach_thread_os *mach_shim_thread_create(struct mach_task_os *os, u64 program,
					       mach_bool later, int *err)
{
	/* The caller's own task: the caller can clone the thread itself. */
	bool here = later && mach_shim_task_is_current(os);
	struct mach_thread_os *t;

	t = mach_thread_take_spare(os, program, here, err);
	if (t) {
		mach_thread_make_spare(os, program);
		return t;
	}
	if (*err)
		return NULL;
	t = mach_thread_new(os, program, mach_thread_call_release);
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	if (here) {
		*err = MACH_LATER;	/* mach_shim_thread_clone() clones it */
		return t;
	}
	*err = mach_thread_clone_by_agent(os, t);
	if (*err) {
		mach_shim_thread_kill(t);
		mach_shim_thread_free(t);
		return NULL;
	}
	mach_thread_make_spare(os, program);
	return t;
}

/*
 * Was t's clone made all the same, though the caller never told its
 * result (it ended on its trampoline)? It entered, or a live thread of
 * its process wears its cookie: then it is t's thread.
 */
static bool mach_thread_clone_made(struct mach_thread_os *t)
{
	struct task_struct *leader, *thread, *found = READ_ONCE(t->thread);
	struct pid *pid = NULL;

	rcu_read_lock();
	leader = pid_task(t->owner->pid, PIDTYPE_TGID);
	if (!found && leader) {
		for_each_thread(leader, thread) {
			if (!(thread->flags & PF_EXITING) && mach_arch_tls(thread) == t->cookie) {
				found = thread;
				break;
			}
		}
	}
	if (found)
		pid = get_pid(task_pid(found));
	rcu_read_unlock();
	if (!pid)
		return false;
	smp_store_release(&t->pid, pid);	/* as mach_thread_step() sets it */
	return true;
}

/*
 * The trampoline's clone has run, or its caller or its process ended on
 * the way: its result, and the call's reference. A thread that will
 * never be (or is not ours) is told to end; the core takes back what it
 * made for it. One whose caller was terminated once it was cloned lives
 * on, as on XNU, where the call would have finished first: it is in its
 * task and named, and the caller is gone.
 */
static long mach_thread_clone_finish(struct mach_agent_call *call)
{
	struct mach_thread_os *t = container_of(call, struct mach_thread_os, call);
	long ret = call->ret;

	if (call->abandoned && !READ_ONCE(t->pid) && mach_thread_clone_made(t))
		ret = 0;
	if (ret)
		mach_shim_thread_kill(t);
	WRITE_ONCE(t->cloning, false);
	wake_up_all(&t->wait);		/* mach_thread_wait_entered() */
	mach_agent_call_put(call);
	return ret;
}

int mach_shim_thread_clone(struct mach_task_os *os, struct mach_thread_os *t)
{
	const struct mach_later_made made = { .thread = t };

	/*
	 * From the second thread on, the agent clones a spare meanwhile;
	 * the calling thread makes this one itself, on its way out of the
	 * ioctl (trampoline.c), and waits for nobody.
	 */
	mach_thread_make_spare(os, t->call.program);
	WRITE_ONCE(t->cloning, true);
	if (mach_trampoline_start(os, &t->call, mach_thread_clone_finish, &made))
		return MACH_LATER;	/* it holds the call's reference */
	WRITE_ONCE(t->cloning, false);
	return mach_thread_clone_by_agent(os, t);
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

