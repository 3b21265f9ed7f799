// SPDX-License-Identifier: GPL-2.0
/*
 * task.c - Mach tasks as Linux thread groups.
 *
 * A process becomes a task the first time it opens /dev/mach; the task
 * is found again by its thread-group pid. It lives as long as the
 * process: we wait on the pid's pidfd wait queue, which Linux wakes when
 * the whole thread group has exited, and then tear the task down from a
 * work item (the wake comes with tasklist_lock held).
 *
 * Locking: mach_tasks_lock guards mach_tasks and each os->registered.
 * It is taken before any lock of the core. mach_os_all_lock guards
 * mach_os_all, every task object alive, for diagnostics; a leaf.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched/cputime.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <mach/netlink.h>

#include "compat.h"
#include "agent.h"
#include "creds.h"
#include "netlink.h"
#include "node.h"
#include "sample.h"
#include "shell.h"
#include "task_os.h"
#include "thread_os.h"
#include "trampoline.h"
#include "upcalls.h"

static DEFINE_HASHTABLE(mach_tasks, 8);
static DEFINE_MUTEX(mach_tasks_lock);
/* Guarded by mach_tasks_lock: changes whenever a task comes or goes. */
static unsigned int mach_tasks_gen = 1;
static struct kmem_cache *mach_os_cache;
static struct workqueue_struct *mach_wq;
static atomic_long_t mach_os_live;
static LIST_HEAD(mach_os_all);
static DEFINE_SPINLOCK(mach_os_all_lock);
/* Woken when a task has been torn down. */
static DECLARE_WAIT_QUEUE_HEAD(mach_task_exit_wq);


/* Has every thread of the group exited? */
bool mach_pid_gone(struct pid *pid)
{
	struct task_struct *leader;
	bool gone;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	gone = !leader || (leader->exit_state && thread_group_empty(leader));
	rcu_read_unlock();
	return gone;
}

static void mach_task_exit_work(struct work_struct *work)
{
	struct mach_task_os *os = container_of(work, struct mach_task_os,
					       exit_work);
	struct mach_task *task = os->task;

	/* The queue is also woken for a traced process; wait for the end. */
	if (!mach_pid_gone(os->pid))
		return;

	mutex_lock(&mach_tasks_lock);
	if (!os->registered) {
		mutex_unlock(&mach_tasks_lock);
		return;
	}
	hash_del(&os->node);
	WRITE_ONCE(os->registered, false);	/* read unlocked: _register(), _wait_ready() */
	mach_tasks_gen++;
	mutex_unlock(&mach_tasks_lock);
	mach_netlink_event(os, MACH_EVENT_TERMINATED, 0);

	remove_wait_queue(&os->pid->wait_pidfd, &os->exit_wait);
	/* No wake can queue us again; drop a queueing that raced in. */
	cancel_work(&os->exit_work);

	mach_agent_close(&os->agent);
	mach_trampolines_drop(os);
	mach_thread_drop_spares(os);
	wake_up_all(&os->ready_wait);
	/* Its death told first (dead names), its shell reaped after. */
	mach_up->task_ended(task);
	if (os->shell)
		mach_shell_gone(os);
	wake_up_all(&mach_task_exit_wq);
	mach_task_put(task);	/* may free os */
}

static void mach_task_resume_work(struct work_struct *work)
{
	struct mach_task_os *os = container_of(work, struct mach_task_os,
					       resume_work);
	struct mach_task *task = os->task;

	/* And its reference goes: may free os, and this work with it. */
	mach_up->task_resume_dropped(task);
}

mach_bool mach_shim_task_resume_later(struct mach_task_os *os)
{
	/* Queued once at a time; a drop while it runs queues it again. */
	return queue_work(mach_wq, &os->resume_work);
}

static void mach_task_exit_told(struct callback_head *work)
{
	struct mach_task_os *os = container_of(work, struct mach_task_os,
					       exit_told);
	struct mach_task *task = os->task;

	mach_up->task_ended(task);
	mach_task_put(task);
}

/*
 * A /dev/mach file of task is let go by the last thread of its process on
 * its way out, after exit_mm() and exit_files(): no code of the task runs
 * any more. Its death is told from that thread, as soon as its parent's
 * waitpid() would be, rather than a wake-up later from the exit work that
 * sees the zombie (which then finds the task terminated already). Told by
 * one more task_work, run after the rest of the fds' final fput()s: once
 * its dead names are seen, every file it held is closed.
 */
void mach_task_release_on_exit(struct mach_task *task)
{
	struct mach_task_os *os = mach_task_os_of(task);

	if (!(current->flags & PF_EXITING) || READ_ONCE(os->pid) != task_tgid(current) ||
	    atomic_read(&current->signal->live) || xchg(&os->exit_queued, true))
		return;
	mach_task_get(task);
	init_task_work(&os->exit_told, mach_task_exit_told);
	if (task_work_add(current, &os->exit_told, TWA_NONE))
		mach_task_put(task);	/* too late: the exit work tells it */
}

static int mach_task_exit_wake(struct wait_queue_entry *wait,
			       unsigned int mode, int sync, void *key)
{
	struct mach_task_os *os = container_of(wait, struct mach_task_os,
					       exit_wait);
	struct task_struct *leader;

	/*
	 * Woken as the group's last thread is told to its parent (under
	 * tasklist_lock), the leader not reaped yet: its exit code, for the
	 * TERMINATED event. A group exit's code is the group's.
	 */
	rcu_read_lock();
	leader = pid_task(os->pid, PIDTYPE_TGID);
	if (leader && leader->exit_state && !READ_ONCE(os->exit_known)) {
		int code = READ_ONCE(leader->signal->group_exit_code);

		WRITE_ONCE(os->exit_code, code ?: READ_ONCE(leader->exit_code));
		smp_store_release(&os->exit_known, true);	/* pairs with netlink.c */
	}
	rcu_read_unlock();
	queue_work(mach_wq, &os->exit_work);
	return 0;
}

struct mach_task *mach_task_lookup_current(void)
{
	return mach_task_lookup(task_tgid(current));
}

/*
 * A cursor is a bucket and a place in it: a batch walks only what it
 * gives, not every task before it, under the lock every new task takes.
 */
unsigned int mach_tasks_batch(unsigned long *cursor, struct mach_task **out, unsigned long *at,
			      unsigned int max, unsigned int *gen)
{
	unsigned long bkt = *cursor >> 32;
	unsigned int skip = (u32)*cursor, n = 0, place;
	struct mach_task_os *os;

	mutex_lock(&mach_tasks_lock);
	*gen = mach_tasks_gen;
	for (; n < max && bkt < HASH_SIZE(mach_tasks); bkt++, skip = 0) {
		place = 0;
		hlist_for_each_entry(os, &mach_tasks[bkt], node) {
			if (place++ < skip)
				continue;
			if (n == max)
				break;
			mach_task_get(os->task);
			*cursor = bkt << 32 | place;
			if (at)
				at[n] = *cursor;
			out[n++] = os->task;
		}
	}
	mutex_unlock(&mach_tasks_lock);
	if (n < max)
		*cursor = ULONG_MAX;	/* the end, wherever it stopped */
	return n;
}

/* Under mach_tasks_lock; no new reference. */
static struct mach_task *mach_task_lookup_locked(struct pid *pid)
{
	struct mach_task_os *os;

	hash_for_each_possible(mach_tasks, os, node, (unsigned long)pid)
		if (os->pid == pid && os->registered)
			return os->task;
	return NULL;
}

struct mach_task *mach_task_lookup(struct pid *pid)
{
	struct mach_task *task;

	mutex_lock(&mach_tasks_lock);
	task = mach_task_lookup_locked(pid);
	if (task)
		mach_task_get(task);
	mutex_unlock(&mach_tasks_lock);
	return task;
}

/*
 * The task of the Linux parent of process pid, if it still has one that
 * runs the program it forked pid from: a task made late (at pid's first
 * Mach call) takes its parent's ports as they are now, as a Mach task
 * took them at fork, and a parent that exec'd since (a set-uid program,
 * say) has others. *what: what else it takes (core.h).
 *  - The parent's exception handlers: not into a program run with more
 *    than its parent could watch (a set-id exec: XNU's ipc_task_reset()
 *    drops them), unless the parent is root: else whoever set them would
 *    hold that program's task port with its first exception.
 *  - The tokens the parent was given: only while pid runs as its parent
 *    did (not exec'd, the same ids), for its own speak for it otherwise.
 *  - A privileged host port as its host port: only with the privilege.
 * Under mach_tasks_lock.
 */
static struct mach_task *mach_task_of_parent(struct pid *pid, unsigned int *what)
{
	struct task_struct *leader, *parent_thread;
	const struct cred *cred, *parent_cred;
	struct mach_task_os *os;
	struct pid *parent = NULL;

	*what = 0;
	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	if (leader) {
		parent_thread = rcu_dereference(leader->real_parent);
		if (leader->parent_exec_id == READ_ONCE(parent_thread->self_exec_id))
			parent = task_tgid(parent_thread);
		cred = __task_cred(leader);
		parent_cred = __task_cred(parent_thread);
		if (mach_task_owner_dumpable(leader) || uid_eq(parent_cred->euid, GLOBAL_ROOT_UID))
			*what |= MACH_INHERIT_HANDLERS;
		if (leader->self_exec_id == leader->parent_exec_id &&
		    mach_same_ids(cred, parent_cred))
			*what |= MACH_INHERIT_TOKENS;
		if (mach_cred_privileged(cred))
			*what |= MACH_INHERIT_PRIVILEGE;
	}
	rcu_read_unlock();
	if (!parent)
		return NULL;
	hash_for_each_possible(mach_tasks, os, node, (unsigned long)parent)
		if (os->pid == parent && os->registered)
			return os->task;
	return NULL;
}

/* A task's Linux side, not yet tied to a process, or NULL. */
static struct mach_task_os *mach_task_os_new(bool shell, bool inherit_memory)
{
	struct mach_task_os *os;

	os = kmem_cache_zalloc(mach_os_cache, GFP_KERNEL_ACCOUNT);
	if (!os)
		return NULL;
	atomic_long_inc(&mach_os_live);
	__module_get(THIS_MODULE);	/* until mach_shim_task_free() */
	spin_lock(&mach_os_all_lock);
	list_add_tail(&os->all, &mach_os_all);
	spin_unlock(&mach_os_all_lock);
	os->shell = shell;
	os->inherit_memory = inherit_memory;
	os->numa_node = NUMA_NO_NODE;
	mutex_init(&os->ranges_lock);
	mutex_init(&os->exception_lock);
	mutex_init(&os->sample_lock);
	INIT_LIST_HEAD(&os->trampolines);
	/* A shell without its parent's memory has it until its exec. */
	os->ready = !shell || inherit_memory;
	init_waitqueue_head(&os->ready_wait);
	mach_agent_init(&os->agent);
	INIT_WORK(&os->exit_work, mach_task_exit_work);
	INIT_WORK(&os->resume_work, mach_task_resume_work);
	init_waitqueue_func_entry(&os->exit_wait, mach_task_exit_wake);
	return os;
}

void mach_shim_task_created(struct mach_task_os *os, struct mach_task *task)
{
	smp_store_release(&os->task, task);	/* pairs with mach_tasks_all() */
}

/*
 * The mm the thread group pid runs now (mmget()), or NULL: its leader's,
 * or if the leader exited alone (pthread_exit), another thread's.
 */
static struct mm_struct *mach_group_mm(struct pid *pid)
{
	struct task_struct *leader, *thread, *found = NULL;
	struct mm_struct *mm;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	if (leader) {
		for_each_thread(leader, thread) {
			if (READ_ONCE(thread->mm)) {
				found = thread;
				get_task_struct(found);
				break;
			}
		}
	}
	rcu_read_unlock();
	if (!found)
		return NULL;
	mm = get_task_mm(found);
	put_task_struct(found);
	return mm;
}

/* The mm the thread group pid runs now (mmgrab()bed), or NULL. */
static struct mm_struct *mach_mm_of(struct pid *pid)
{
	struct mm_struct *mm = mach_group_mm(pid);

	if (!mm)
		return NULL;
	mmgrab(mm);
	mmput(mm);
	return mm;
}

static void mach_task_register_locked(struct mach_task_os *os, struct pid *pid)
{
	if (os->registered || os->pid)
		return;		/* the other side of a spawn was first */
	WRITE_ONCE(os->pid, get_pid(pid));
	os->program_mm = mach_mm_of(pid);
	os->program = 1;
	mach_task_get(os->task);	/* the registry's */
	hash_add(mach_tasks, &os->node, (unsigned long)pid);
	smp_store_release(&os->registered, true);	/* pairs with _register() */
	mach_tasks_gen++;
	mach_netlink_event(os, MACH_EVENT_CREATED, 0);
	add_wait_queue(&pid->wait_pidfd, &os->exit_wait);
	/* A shell registered by its parent may have died already. */
	if (mach_pid_gone(pid))
		queue_work(mach_wq, &os->exit_work);
}

void mach_task_register(struct mach_task_os *os, struct pid *pid)
{
	/*
	 * The other side of a spawn was first: no need to queue for the lock.
	 * Not os->pid, set first: a parent that saw only that would go on
	 * to wait for a shell it then found unregistered, and so dead.
	 */
	if (smp_load_acquire(&os->registered))
		return;
	mutex_lock(&mach_tasks_lock);
	mach_task_register_locked(os, pid);
	mutex_unlock(&mach_tasks_lock);
}

mach_bool mach_shim_task_ready(struct mach_task_os *os)
{
	return smp_load_acquire(&os->ready);	/* pairs with _set_ready() */
}

int mach_task_wait_ready(struct mach_task_os *os)
{
	/* An exit ends the wait too: then there is nothing to wait for. */
	return wait_event_killable(os->ready_wait, mach_shim_task_ready(os) ||
				   !READ_ONCE(os->registered));
}

mach_bool mach_shim_task_wait_ready(struct mach_task_os *os)
{
	return !mach_task_wait_ready(os);
}

/*
 * Is the program os's process runs now its owner's, as the one before
 * was (not a set-id one, whose memory its caller may not read)? Gone: no
 * matter.
 */
static bool mach_task_execed_as_owner(struct mach_task_os *os)
{
	struct task_struct *leader = get_pid_task(os->pid, PIDTYPE_TGID);
	bool owner = true;

	if (leader) {
		owner = mach_task_owner_dumpable(leader);
		put_task_struct(leader);
	}
	return owner;
}

/*
 * The mm pid's thread group runs, or NULL: to compare with one that
 * cannot be freed meanwhile, never to use.
 */
static struct mm_struct *mach_group_mm_peek(struct pid *pid)
{
	struct task_struct *leader, *thread;
	struct mm_struct *mm = NULL;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	if (leader) {
		for_each_thread(leader, thread) {
			mm = READ_ONCE(thread->mm);
			if (mm)
				break;
		}
	}
	rcu_read_unlock();
	return mm;
}

/*
 * Does os's process still run the program the last look saw? Compared
 * without a reference: program_mm is mmgrab()bed, and once the task is
 * ready it changes only in a look, under the core's program lock that the
 * caller holds, so no other mm can have its address.
 */
static bool mach_task_program_unchanged(struct mach_task_os *os)
{
	if (!smp_load_acquire(&os->registered))	/* pairs with _register() */
		return false;
	return mach_group_mm_peek(os->pid) == os->program_mm;
}

bool mach_task_process_runs(struct mach_task_os *os, u64 program)
{
	struct mm_struct *mm;
	bool same;

	mutex_lock(&mach_tasks_lock);
	mm = mach_group_mm_peek(os->pid);
	same = (!program || program == os->program) && (!mm || mm == os->program_mm);
	mutex_unlock(&mach_tasks_lock);
	return same;
}

/*
 * Programs. A task port is given out for the program its process runs;
 * an exec shows as the process's mm changing. The core looks, one
 * caller at a time, and renews the task for each exec this finds.
 */
mach_u64 mach_shim_task_program_look(struct mach_task_os *os, enum mach_exec_seen *exec)
{
	struct task_struct *leader;
	struct mm_struct *now;
	u64 gen = 0;

	*exec = MACH_EXEC_NONE;
	if (mach_task_program_unchanged(os))
		return os->program;	/* the common case: no exec */
	/*
	 * An exec holds its exec_update_lock from its new mm to its new
	 * credentials: looked at in between, the mm would be the new
	 * program's and its dumpability still the old one's (a set-uid
	 * program seen as its owner's, its task's handlers kept).
	 */
	leader = get_pid_task(READ_ONCE(os->pid), PIDTYPE_TGID);
	if (leader && down_read_killable(&leader->signal->exec_update_lock)) {
		put_task_struct(leader);
		return 0;
	}
	mutex_lock(&mach_tasks_lock);
	if (!os->registered)
		goto out;
	now = mach_mm_of(os->pid);
	if (now == os->program_mm) {
		if (now) {
			mmdrop(now);
			gen = os->program;
		}
		goto out;
	}
	if (!now)
		goto out;	/* exiting */
	if (os->program_mm)
		mmdrop(os->program_mm);
	os->program_mm = now;
	gen = ++os->program;
	*exec = MACH_EXEC_SAME_OWNER;
out:
	mutex_unlock(&mach_tasks_lock);
	/* Asked of the leader now: an exec from another thread replaced it. */
	if (*exec && !mach_task_execed_as_owner(os))
		*exec = MACH_EXEC_OTHER_OWNER;
	if (leader) {
		up_read(&leader->signal->exec_update_lock);
		put_task_struct(leader);
	}
	return gen;
}

mach_u64 mach_shim_task_program_seen(struct mach_task_os *os)
{
	u64 gen = 0;

	mutex_lock(&mach_tasks_lock);
	if (os->registered)
		gen = os->program;
	mutex_unlock(&mach_tasks_lock);
	return gen;
}

struct mm_struct *mach_task_pin_program(struct mach_task_os *os, u64 program)
{
	struct mm_struct *mm = NULL;

	mutex_lock(&mach_tasks_lock);
	if (os->registered && os->program_mm &&
	    (!program || program == os->program) && mmget_not_zero(os->program_mm))
		mm = os->program_mm;
	mutex_unlock(&mach_tasks_lock);
	return mm;
}

void mach_task_set_program_mm(struct mach_task_os *os, struct mm_struct *mm)
{
	mutex_lock(&mach_tasks_lock);
	if (os->program_mm)
		mmdrop(os->program_mm);
	mmgrab(mm);
	os->program_mm = mm;
	mutex_unlock(&mach_tasks_lock);
}

static struct mach_task *mach_task_make(struct pid *pid);

struct mach_task *mach_task_of_current(bool *made)
{
	struct pid *pid = task_tgid(current);
	struct mach_task *task;
	struct mach_task_os *os;

	mutex_lock(&mach_tasks_lock);
	hash_for_each_possible(mach_tasks, os, node, (unsigned long)pid) {
		if (os->pid == pid) {
			task = os->task;
			mach_task_get(task);
			mutex_unlock(&mach_tasks_lock);
			*made = false;
			return task;
		}
	}
	mutex_unlock(&mach_tasks_lock);

	task = mach_task_make(pid);
	*made = true;
	/* Raced with another thread making it: that one stands. */
	return task ?: mach_task_of_current(made);
}

/*
 * A new task for the process pid (no task yet), which takes its ports
 * from its Linux parent's task or the host: made unlocked, then
 * registered. NULL if another was registered meanwhile.
 */
static struct mach_task *mach_task_make(struct pid *pid)
{
	struct mach_task *task, *parent;
	struct mach_task_os *os;
	unsigned int what;

	os = mach_task_os_new(false, false);
	if (!os)
		return ERR_PTR(-ENOMEM);
	task = mach_up->task_make(os);	/* gives os back on failure */
	if (!task)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&mach_tasks_lock);
	if (mach_task_lookup_locked(pid)) {
		mutex_unlock(&mach_tasks_lock);
		mach_task_put(task);
		return NULL;
	}
	parent = mach_task_of_parent(pid, &what);
	mach_up->task_inherit(task, parent, what);	/* or the host's ports */
	if (parent)
		os->parent_pid = get_pid(mach_task_os_of(parent)->pid);
	mach_task_register_locked(os, pid);
	mutex_unlock(&mach_tasks_lock);
	return task;
}

struct mach_task *mach_task_of_pid(struct pid *pid)
{
	struct mach_task *task;

	do {
		task = mach_task_lookup(pid);
		if (!task)
			task = mach_task_make(pid);
	} while (!task);
	return task;
}

int mach_shim_task_prepare(const struct mach_task_plan *plan,
			   struct mach_task_os **made)
{
	struct mach_task_os *os;

	os = mach_task_os_new(true, plan->inherit_memory);
	if (!os)
		return -ENOMEM;
	if (plan->parent)
		os->parent_pid = get_pid(READ_ONCE(plan->parent->pid));
	os->clone = plan->clone;
	os->parent_held = plan->parent_held;
	os->teleport = plan->teleport;
	os->by_agent = plan->by_agent;
	if (plan->node >= 0) {
		os->numa_node = plan->node;
		/*
		 * Mach calls see it placed; a teleport's parent ends only once
		 * it is, and a placement that may be refused is answered.
		 */
		mach_task_set_up_first(os, os->teleport ||
				       !mach_node_placement_sure(plan->parent, plan->node));
	}
	if (plan->credentials) {
		if (!mach_token_credentials(os, plan->uid, plan->gid)) {
			mach_shim_task_free(os);
			return -EINVAL;
		}
		mach_task_set_up_first(os, true);	/* never seen with the parent's */
	}
	*made = os;
	return 0;
}

void mach_task_set_up_first(struct mach_task_os *os, bool caller_waits)
{
	/* Before the clone: the shell sets ready once it has done it all. */
	os->ready = false;
	if (caller_waits)
		os->creator_waits = true;
}

int mach_task_wait_gone(struct mach_task_os *os)
{
	return wait_event_killable(mach_task_exit_wq, !READ_ONCE(os->registered));
}

int mach_shim_task_kill(struct mach_task_os *os, u64 program)
{
	struct mm_struct *mm = mach_task_pin_program(os, program);
	int ret;

	/* Not a program the caller's right was given out for. */
	if (!mm && program)
		return 0;
	if (mm)
		mmput(mm);
	ret = mach_task_end(os);
	if (ret && ret != -ESRCH)
		return ret;
	return mach_task_wait_gone(os);
}

int mach_task_end(struct mach_task_os *os)
{
	mach_task_mark_end(os, MACH_END_TERMINATED);
	return kill_pid(os->pid, SIGKILL, 1);
}

/*
 * Its last right went. A shell not set up yet has no agent to be idle
 * with: mach_task_set_ready() looks again once it has, and no right can
 * be made meanwhile (only a thread of its own could, and it has none).
 */
void mach_shim_task_unnamed(struct mach_task_os *os)
{
	WRITE_ONCE(os->unnamed, true);
	smp_mb();	/* the mark, then the look; set_ready: ready, then the mark */
	mach_shell_end_if_idle(os);
}

void mach_task_set_ready(struct mach_task_os *os)
{
	smp_store_release(&os->ready, true);	/* pairs with _wait_ready() */
	/* A sample port it inherited: sampled from now (sample.c). */
	mach_shim_task_sample(os, 0);
	/* Sync: the shell's agent goes on to wait for its first call. */
	wake_up_sync(&os->ready_wait);
	smp_mb();	/* pairs with mach_shim_task_unnamed() */
	mach_shell_end_if_idle(os);
}

unsigned int mach_tasks_all(struct mach_task **out, unsigned int max)
{
	struct mach_task_os *os;
	unsigned int n = 0;

	spin_lock(&mach_os_all_lock);
	list_for_each_entry(os, &mach_os_all, all) {
		if (n == max)
			break;
		/* Not yet created, or on its way to mach_shim_task_free(). */
		struct mach_task *task = smp_load_acquire(&os->task);

		if (task && mach_task_get_not_zero(task))
			out[n++] = task;
	}
	spin_unlock(&mach_os_all_lock);
	return n;
}

void mach_shim_task_free(struct mach_task_os *os)
{
	mach_sample_free(os);
	spin_lock(&mach_os_all_lock);
	list_del(&os->all);
	spin_unlock(&mach_os_all_lock);
	mach_ranges_free(&os->copy_ranges);
	mach_ranges_free(&os->none_ranges);
	if (os->program_mm)
		mmdrop(os->program_mm);
	if (os->exception_mm)
		mmdrop(os->exception_mm);
	put_pid(os->pid);
	put_pid(os->parent_pid);
	kmem_cache_free(mach_os_cache, os);
	atomic_long_dec(&mach_os_live);
	module_put(THIS_MODULE);
}

int mach_shim_task_pid(struct mach_task_os *os)
{
	return pid_vnr(os->pid);
}

bool mach_shim_task_is_current(const struct mach_task_os *os)
{
	return os->pid == task_tgid(current);
}

/* TASK_VM_INFO's detail: what /proc/PID/status shows as Rss* and VmSwap. */
static void mach_task_vm_stats(struct mm_struct *mm, struct mach_task_stats *stats)
{
	stats->anon_bytes = (u64)mach_mm_counter_sum(mm, MM_ANONPAGES) << PAGE_SHIFT;
	stats->shmem_bytes = (u64)mach_mm_counter_sum(mm, MM_SHMEMPAGES) << PAGE_SHIFT;
	stats->file_bytes = (u64)mach_mm_counter_sum(mm, MM_FILEPAGES) << PAGE_SHIFT;
	stats->swap_bytes = (u64)mach_mm_counter_sum(mm, MM_SWAPENTS) << PAGE_SHIFT;
	stats->regions = READ_ONCE(mm->map_count);
	stats->min_address = FIRST_USER_ADDRESS;
	stats->max_address = mm->task_size;
}

/* TF_LP64: a 64-bit address space (not an ia32 or x32 one). */
static bool mach_task_lp64(struct task_struct *leader)
{
#ifdef TIF_ADDR32
	return !test_tsk_thread_flag(leader, TIF_ADDR32);
#else
	return IS_ENABLED(CONFIG_64BIT);
#endif
}

/*
 * TASK_EVENTS_INFO's faults and context switches: the exited threads'
 * are summed into the signal struct, the live ones' are their own.
 */
static void mach_task_event_stats(struct task_struct *leader,
				  struct mach_task_stats *stats)
{
	struct signal_struct *sig = leader->signal;
	struct task_struct *t;

	rcu_read_lock();
	stats->minor_faults = READ_ONCE(sig->min_flt);
	stats->major_faults = READ_ONCE(sig->maj_flt);
	stats->switches = READ_ONCE(sig->nvcsw) + READ_ONCE(sig->nivcsw);
	for_each_thread(leader, t) {
		stats->minor_faults += READ_ONCE(t->min_flt);
		stats->major_faults += READ_ONCE(t->maj_flt);
		stats->switches += READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
	}
	rcu_read_unlock();
}

bool mach_shim_task_stats(struct mach_task_os *os, unsigned int want,
			  struct mach_task_stats *stats)
{
	struct task_struct *leader, *t;
	struct mm_struct *mm;
	unsigned long rss;
	u64 utime, stime;

	/* (A new shell is ready by now: resolving its port waited for it.) */
	rcu_read_lock();
	leader = pid_task(os->pid, PIDTYPE_TGID);
	if (leader)
		get_task_struct(leader);
	rcu_read_unlock();
	if (!leader)
		return false;

	if (want & MACH_STATS_MEMORY) {
		mm = mach_group_mm(os->pid);
		if (!mm) {
			put_task_struct(leader);
			return false;
		}
		stats->virtual_bytes = (u64)mm->total_vm << PAGE_SHIFT;
		rss = get_mm_rss_sum(mm);
		stats->resident_bytes = (u64)rss << PAGE_SHIFT;
		stats->resident_max_bytes = (u64)max(get_mm_hiwater_rss(mm),
						     rss) << PAGE_SHIFT;
		if (want & MACH_STATS_VM)
			mach_task_vm_stats(mm, stats);
		mmput(mm);
	}

	/* Threads that exited have been summed into the signal struct. */
	if (want & MACH_STATS_DEAD_TIMES) {
		stats->dead_user_ns = leader->signal->utime;
		stats->dead_system_ns = leader->signal->stime;
	}
	if (want & MACH_STATS_TOKENS)
		mach_tokens_of(leader, stats->security, stats->audit);
	if (want & MACH_STATS_NODE)
		stats->node = os->numa_node;
	if (want & MACH_STATS_ABI)
		stats->lp64 = mach_task_lp64(leader);
	if (want & MACH_STATS_EVENTS)
		mach_task_event_stats(leader, stats);
	if (want & MACH_STATS_LIVE_TIMES) {
		rcu_read_lock();
		for_each_thread(leader, t) {
			task_cputime_adjusted(t, &utime, &stime);
			stats->live_user_ns += utime;
			stats->live_system_ns += stime;
		}
		rcu_read_unlock();
	}
	put_task_struct(leader);
	return true;
}

long mach_tasks_live(void)
{
	return atomic_long_read(&mach_os_live);
}

int mach_tasks_init(void)
{
	mach_os_cache = KMEM_CACHE(mach_task_os, SLAB_ACCOUNT);
	if (!mach_os_cache)
		return -ENOMEM;
	mach_wq = alloc_workqueue("mach", WQ_PERCPU, 0);
	if (!mach_wq) {
		kmem_cache_destroy(mach_os_cache);
		return -ENOMEM;
	}
	return 0;
}

void mach_tasks_exit(void)
{
	/* Every task holds the module, so none is left; finish their work. */
	destroy_workqueue(mach_wq);
	kmem_cache_destroy(mach_os_cache);
}
