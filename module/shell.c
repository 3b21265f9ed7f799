// SPDX-License-Identifier: GPL-2.0
/*
 * shell.c - task_create: a new task is backed by a new process, its
 * shell, forked in the parent task's process: by its agent, or by the
 * calling thread itself when the parent is the caller's own task
 * (trampoline.c).
 *
 * inherit_memory = TRUE: clone() with exit signal 0 (the parent program's
 * wait() never sees the shell). The copy of memory is Linux's own
 * copy-on-write dup_mmap(), and each range's inheritance is its VMA's:
 * VM_DONTCOPY ranges are left out, shared ones stay shared.
 *
 * inherit_memory = FALSE: vfork(), and the child execs a tiny image the
 * module keeps in a shmem file; the image only re-enters the module,
 * which maps a stub and unmaps everything else. The parent's page tables
 * are never copied, so the cost does not grow with its size.
 *
 * Either way the clone shares the parent's fd table (CLONE_FILES) and
 * carries a cookie as its TLS base. Its only thread re-enters through the
 * copied stub and fd (MACH_IOC_SPAWN_ENTER, the clone's child request),
 * finds its spawn by the cookie (and by its parent),
 * becomes the new task's agent, and leaves the shared fd table for one of
 * its own. The parent registers the task from the clone's result, so the
 * caller returns as soon as the process exists.
 */
#include <linux/anon_inodes.h>
#include <linux/close_range.h>
#include <linux/elf.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <uapi/linux/sched.h>
#include <uapi/linux/wait.h>
#include <asm/unistd.h>

#include <mach/ioctl.h>

#include "compat.h"
#include "agent.h"
#include "clone.h"
#include "creds.h"
#include "exception.h"
#include "node.h"
#include "shell.h"
#include "stub.h"
#include "task_os.h"
#include "trampoline.h"
#include "thread_arch.h"
#include "upcalls.h"

/*
 * A spawn in flight. The parent's agent marks its clone() with a cookie
 * as the child's TLS base; the child, entering the module before it ever
 * runs user code, presents the cookie and so finds its own spawn.
 */
struct mach_spawn {
	refcount_t refs;		/* atomic */
	/* in mach_spawns until claimed: guarded by mach_spawns_lock */
	struct list_head node;
	/* set under mach_spawns_lock as it is listed, then read-only */
	unsigned long cookie;
	struct mach_agent_call parent_call;	/* clone(), in the parent */
	struct mach_agent_call child_call;	/* set-up, in the child */
	/*
	 * Set at creation, before the parent's call is queued, then
	 * read-only; but stub, set by the parent's step before the spawn is
	 * listed, and read by the child that claimed it.
	 */
	bool inherit_memory;
	struct mach_agent *cloner;	/* the parent's agent */
	struct pid *parent_pid;		/* and its thread group */
	unsigned long stub;		/* its stub, which the child inherits */
	struct mach_task *child;	/* a reference */
	/*
	 * A parent held for the spawn whose caller gave up (killed): a
	 * reference, set by the caller before it lets parent_call go; its
	 * hold goes with the call's last reference, once the agent is done.
	 */
	struct mach_task *held_parent;
	bool aborted;			/* its caller gave up; under mach_spawns_lock */
	/* the child's agent's, in its set-up call: */
	unsigned int id_step;		/* mach_shell_credentials_step()'s */
	unsigned int place_step;	/* mach_shell_place_step()'s */
};

/*
 * Spawns whose child has not entered yet. A lock of their own: the parent
 * registering the task and its child claiming the spawn must not queue on
 * the registry's mutex at the same moment. mach_spawns_lock is innermost:
 * nothing is taken under it, and it is taken under nothing of the glue's
 * (a parent's agent step takes it with no lock held).
 */
static LIST_HEAD(mach_spawns);
static DEFINE_SPINLOCK(mach_spawns_lock);
static unsigned long mach_spawn_cookies;	/* guarded by mach_spawns_lock */

/* The image a shell without inherited memory execs. */
static struct file *mach_shell_image;

/* Built once at init (on its stack), written into mach_shell_image. */
struct mach_shell_elf {
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdr;
	u8 code[16];
} __packed;

#define MACH_SHELL_BASE 0x400000UL

static void mach_spawn_put(struct mach_spawn *spawn)
{
	if (!refcount_dec_and_test(&spawn->refs))
		return;
	put_pid(spawn->parent_pid);
	mach_task_put(spawn->child);
	kfree(spawn);
}

/* Take spawn off the list; true if it was there (never claimed). */
static bool mach_spawn_unlist(struct mach_spawn *spawn)
{
	bool listed;

	spin_lock(&mach_spawns_lock);
	listed = !list_empty(&spawn->node);
	list_del_init(&spawn->node);
	spin_unlock(&mach_spawns_lock);
	if (listed)
		mach_spawn_put(spawn);	/* the list's reference */
	return listed;
}

/*
 * The process a clone's result names, if it is the shell the stub was
 * asked to clone: a child of ours with the spawn's cookie as its TLS
 * base, that has not exec'd. Else NULL, and the shell registers itself
 * as it enters (mach_spawn_enter()). The result comes back from user
 * space: the stub can be covered, and a seccomp supervisor or a tracer
 * can answer the clone in its stead with any pid.
 */
static struct pid *mach_spawn_clone_pid(struct mach_spawn *spawn, long result)
{
	struct task_struct *child;
	struct pid *pid = NULL;

	if (result <= 0)
		return NULL;
	rcu_read_lock();
	child = pid_task(find_vpid(result), PIDTYPE_PID);
	if (child && same_thread_group(rcu_dereference(child->real_parent), current) &&
	    READ_ONCE(child->self_exec_id) == child->parent_exec_id &&
	    mach_arch_tls(child) == spawn->cookie)
		pid = get_pid(task_tgid(child));
	rcu_read_unlock();
	return pid;
}

/* In the parent's agent: fork the shell, and tie the task to it. */
static bool mach_spawn_parent_step(struct mach_agent_call *call, long result,
				   struct mach_syscall *next)
{
	struct mach_spawn *spawn = container_of(call, struct mach_spawn,
						parent_call);
	struct mach_task_os *parent = container_of(spawn->cloner,
						   struct mach_task_os, agent);
	struct mach_task_os *child = mach_task_os_of(spawn->child);
	struct pid *pid;
	int err = 0;

	/* A teleport's parent first moves its pages to the child's node. */
	if (call->stage == 0 && child->teleport && child->numa_node != NUMA_NO_NODE) {
		call->stage = 1;
		mach_teleport_migrate(child, spawn->cloner->stub, next);
		return true;
	}
	if (call->stage < 2) {
		/* Pages that could not move (busy) the child moves later. */
		if (call->stage == 1)
			child->pages_left = result != 0;
		call->stage = 2;
		/*
		 * Memory the child will share though Mach says COPY (clone.c):
		 * a clone shares all of it, another child copies it.
		 */
		if (child->clone)
			err = mach_clone_share_all(parent, child);
		else if (spawn->inherit_memory)
			err = mach_ranges_inherit(child, parent);
		if (err) {
			if (child->clone)
				mach_clone_restore_parent(child);
			call->ret = err;
			return false;
		}
		spawn->stub = spawn->cloner->stub;
		spin_lock(&mach_spawns_lock);
		/*
		 * Its caller gave up while we had the call in hand (killed,
		 * or we were stopped too long): it has let the task go, and
		 * a clone now would be a shell no one asked for, and a spawn
		 * listed for ever if we died in the clone.
		 */
		if (spawn->aborted) {
			spin_unlock(&mach_spawns_lock);
			if (child->clone)
				mach_clone_restore_parent(child);
			call->ret = -EINTR;
			return false;
		}
		/* A page-aligned user address: a valid TLS base, never used. */
		mach_spawn_cookies = (mach_spawn_cookies + 1) & 0xffffffffUL;
		spawn->cookie = (mach_spawn_cookies + 1) << PAGE_SHIFT;
		refcount_inc(&spawn->refs);
		list_add_tail(&spawn->node, &mach_spawns);
		spin_unlock(&mach_spawns_lock);
		next->nr = __NR_clone;
		/*
		 * The shell shares our fd table until its first step leaves
		 * it for an empty one: it never holds a reference to a file
		 * of ours, and the table is not copied.
		 */
		next->args[0] = CLONE_SETTLS | CLONE_FILES |
			(spawn->inherit_memory ? 0 : CLONE_VM | CLONE_VFORK);
		next->args[4] = spawn->cookie;
		next->child_request = MACH_IOC_SPAWN_ENTER;
		return true;
	}

	if (child->clone)
		mach_clone_restore_parent(child);
	if (result < 0) {
		mach_spawn_unlist(spawn);
		call->ret = result;
		return false;
	}
	/* The child may not have run yet; it registers too, whoever is first. */
	pid = mach_spawn_clone_pid(spawn, result);
	if (pid) {
		mach_task_register(child, pid);
		put_pid(pid);
	} else if (!smp_load_acquire(&child->registered)) {	/* pairs with _register() */
		/* Not our clone, and none entered as it: no shell is coming. */
		mach_spawn_unlist(spawn);
		call->ret = -ESRCH;
	}
	return false;
}

static void mach_spawn_parent_release(struct mach_agent_call *call)
{
	struct mach_spawn *spawn = container_of(call, struct mach_spawn, parent_call);

	/* No step of the agent's runs in the parent any more: it may run. */
	if (spawn->held_parent) {
		mach_up->task_hold_released(spawn->held_parent);
		mach_task_put(spawn->held_parent);
	}
	mach_spawn_put(spawn);
}

/* /dev/mach's operations, handed in by dev.c at init. */
static const struct file_operations *mach_shell_dev_fops __ro_after_init;

/* A /dev/mach file for task, as if its process had opened it. */
static struct file *mach_shell_dev_file(struct mach_task *task)
{
	struct file *file;

	file = anon_inode_getfile("[mach]", mach_shell_dev_fops, task, O_RDWR);
	if (!IS_ERR(file))
		mach_task_get(task);	/* put by /dev/mach's release */
	return file;
}

static int mach_install_file(struct file *file, unsigned int flags)
{
	int fd = get_unused_fd_flags(flags);

	if (fd < 0) {
		fput(file);
		return fd;
	}
	fd_install(fd, file);
	return fd;
}

/* After the exec: keep only a stub of the shell's own. */
static int mach_shell_empty_mm(struct mach_agent *agent)
{
	unsigned long stub = mach_stub_map();
	int ret;

	if (IS_ERR_VALUE(stub))
		return stub;
	agent->stub = stub;
	mach_task_set_program_mm(container_of(agent, struct mach_task_os, agent),
			    current->mm);
	/* The image, its stack, vdso and vvar: everything else. */
	ret = vm_munmap(0, stub);
	if (!ret)
		ret = vm_munmap(stub + PAGE_SIZE, TASK_SIZE_MAX - stub - PAGE_SIZE);
	return ret;
}

/* In the new shell, as its agent: shed the parent's fds (and memory). */
static bool mach_spawn_child_step(struct mach_agent_call *call, long result,
				  struct mach_syscall *next)
{
	struct mach_spawn *spawn = container_of(call, struct mach_spawn,
						child_call);
	struct mach_task_os *os = mach_task_os_of(spawn->child);
	struct mach_agent *agent = &os->agent;
	struct mach_stub_page *stub;
	struct file *dev;
	int fd, image, ret;

	switch (call->stage++) {
	case 0:
		/*
		 * Leave the parent's fd table for one of our own, keeping only
		 * the fds up to the one the stub re-enters through.
		 */
		next->nr = __NR_close_range;
		next->args[0] = agent->fd + 1;
		next->args[1] = ~0U;
		next->args[2] = CLOSE_RANGE_UNSHARE;
		return true;
	case 1:
		/*
		 * The ids its token gives, then its node's CPUs and memory,
		 * one system call at a time (they outlast an exec).
		 */
		ret = mach_shell_credentials_step(os, &spawn->id_step, result, next);
		if (!ret)
			ret = mach_shell_place_step(os, agent->stub, &spawn->place_step,
						    result, next);
		if (ret > 0) {
			call->stage = 1;
			return true;
		}
		result = ret;
		if (result)
			break;
		/* Those too: our ioctl holds its own reference to its file. */
		for (fd = 0; fd <= agent->fd; fd++)
			close_fd(fd);
		dev = mach_shell_dev_file(spawn->child);
		if (IS_ERR(dev)) {
			result = PTR_ERR(dev);
			break;
		}
		/* The image finds its /dev/mach at fd 0. */
		fd = mach_install_file(dev, spawn->inherit_memory ? O_CLOEXEC : 0);
		if (fd < 0) {
			result = fd;
			break;
		}
		agent->fd = fd;
		if (spawn->inherit_memory) {
			result = mach_shell_take_inheritance(os, os->clone);
			break;
		}
		get_file(mach_shell_image);
		image = mach_install_file(mach_shell_image, O_CLOEXEC);
		if (image < 0) {
			result = image;
			break;
		}
		/* Still in the parent's memory: use its stub's argv. */
		stub = (struct mach_stub_page *)agent->stub;
		next->nr = __NR_execveat;
		next->args[0] = image;
		next->args[1] = (unsigned long)stub->empty;
		next->args[2] = (unsigned long)stub->argv;
		next->args[3] = 0;
		next->args[4] = AT_EMPTY_PATH;
		return true;
	case 2:
		/* The image re-entered with 0, or execveat() failed. */
		if (result == 0)
			result = mach_shell_empty_mm(agent);
		break;
	}

	call->ret = result;
	if (result)	/* never back to user mode: the stub would run garbage */
		send_sig(SIGKILL, current, 1);
	else
		mach_task_set_ready(mach_task_os_of(spawn->child));
	/* Handlers it inherited: its faults are theirs from the start. */
	if (!result && mach_up->raises_exceptions(spawn->child))
		mach_exception_arm(mach_task_os_of(spawn->child));
	return false;
}

static void mach_spawn_child_release(struct mach_agent_call *call)
{
	mach_spawn_put(container_of(call, struct mach_spawn, child_call));
}

long mach_spawn_enter(void)
{
	unsigned long cookie = mach_arch_tls(current);
	struct mach_spawn *spawn, *found = NULL;
	struct mach_task_os *os;
	struct pid *parent;
	sigset_t blocked;
	bool aborted;

	/*
	 * The cookie is no secret: the clone must also be the parent's child,
	 * or the process the parent registered as the task's when its clone
	 * returned (a parent that exits before its shell first runs leaves
	 * the shell another's child).
	 */
	rcu_read_lock();
	parent = task_tgid(rcu_dereference(current->real_parent));
	rcu_read_unlock();

	spin_lock(&mach_spawns_lock);
	list_for_each_entry(spawn, &mach_spawns, node) {
		if (spawn->cookie == cookie &&
		    (spawn->parent_pid == parent ||
		     READ_ONCE(mach_task_os_of(spawn->child)->pid) == task_tgid(current))) {
			found = spawn;
			list_del_init(&spawn->node);	/* its reference is ours */
			break;
		}
	}
	spin_unlock(&mach_spawns_lock);
	if (!found)
		return -EPERM;	/* not a new shell; from a stub, this ends it */

	/* A shell blocks every signal that can be: only a fatal one ends it. */
	siginitsetinv(&blocked, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	os = mach_task_os_of(found->child);
	mach_task_register(os, task_tgid(current));
	/*
	 * Its caller gave up: it either saw us registered and kills us, or
	 * set this before we looked, and we end as one that never was.
	 */
	spin_lock(&mach_spawns_lock);
	aborted = found->aborted;
	spin_unlock(&mach_spawns_lock);
	if (aborted) {
		mach_spawn_put(found);
		return -EPERM;
	}
	os->agent.stub = found->stub;
	mach_agent_call_init(&found->child_call, mach_spawn_child_step,
			     mach_spawn_child_release);
	return mach_agent_adopt(os, &found->child_call);
}

/* A spawn of child from parent's agent: a reference for the caller. */
static struct mach_spawn *mach_spawn_new(struct mach_task_os *parent,
					 struct mach_task *child)
{
	struct mach_spawn *spawn = kzalloc(sizeof(*spawn), GFP_KERNEL_ACCOUNT);

	if (!spawn)
		return NULL;
	refcount_set(&spawn->refs, 2);	/* the caller's and parent_call's */
	INIT_LIST_HEAD(&spawn->node);
	spawn->inherit_memory = mach_task_os_of(child)->inherit_memory;
	spawn->cloner = &parent->agent;
	spawn->parent_pid = get_pid(parent->pid);
	spawn->child = child;
	mach_task_get(child);
	mach_agent_call_init(&spawn->parent_call, mach_spawn_parent_step,
			     mach_spawn_parent_release);
	return spawn;
}

/* A spawn that failed on the way: its child, if it came to be, must go. */
static void mach_spawn_abort(struct mach_spawn *spawn)
{
	bool listed;

	/*
	 * One section: the parent's agent lists it no more, and a child
	 * that claimed it already sees the mark once registered
	 * (mach_spawn_enter()), so the kill below finds it or it ends.
	 */
	spin_lock(&mach_spawns_lock);
	spawn->aborted = true;
	listed = !list_empty(&spawn->node);
	list_del_init(&spawn->node);
	spin_unlock(&mach_spawns_lock);
	if (listed)
		mach_spawn_put(spawn);	/* the list's reference */
	mach_shim_task_kill(mach_task_os_of(spawn->child), 0);
}

/*
 * A shell with more to set up than a plain one (mach_task_set_up_first()) is
 * seen only once it has: never with its parent's credentials, off its
 * node, or sharing what it was to copy.
 */
static int mach_spawn_wait_set_up(struct mach_spawn *spawn)
{
	struct mach_task_os *os = mach_task_os_of(spawn->child);

	if (!os->creator_waits)
		return 0;
	if (mach_task_wait_ready(os))
		return -EINTR;
	return smp_load_acquire(&os->ready) ? 0 : -ESRCH;	/* it died */
}

/* The trampoline's spawn has run its clone: its result, and our reference. */
static long mach_spawn_finish(struct mach_agent_call *call)
{
	struct mach_spawn *spawn = container_of(call, struct mach_spawn,
						parent_call);
	long ret = call->ret;

	if (!ret)
		ret = mach_spawn_wait_set_up(spawn);
	if (ret)
		mach_spawn_abort(spawn);
	mach_agent_call_put(call);
	mach_spawn_put(spawn);
	return ret;
}

int mach_shim_task_spawn(struct mach_task_os *parent, u64 program,
			 struct mach_task *child)
{
	const struct mach_later_made made = { .child = child };
	struct mach_spawn *spawn;
	long ret;

	spawn = mach_spawn_new(parent, child);
	if (!spawn)
		return -ENOMEM;
	spawn->parent_call.program = program;	/* cloned from that program only */
	/*
	 * A teleport's or a clone's caller may be held by its own task's
	 * suspension: on a trampoline it would stop on its way to the stub.
	 * A request served by message is answered inside the sender's
	 * mach_msg, before it returns: its parent's agent forks it.
	 */
	/*
	 * The calling thread, which belongs to parent, forks the shell itself
	 * on its way out of the ioctl (trampoline.c), if it can: that saves
	 * waking the agent and being woken by it, which costs as much as half
	 * a fork.
	 */
	if (!mach_task_os_of(child)->teleport && !mach_task_os_of(child)->parent_held &&
	    !mach_task_os_of(child)->by_agent &&
	    mach_trampoline_start(parent, &spawn->parent_call, mach_spawn_finish, &made))
		return MACH_LATER;	/* it holds our reference */

	ret = mach_agent_run(&parent->agent, &spawn->parent_call);
	if (ret == MACH_LATER)
		ret = -ESRCH;	/* a clone answered for (seccomp) with it */
	if (!ret)
		ret = mach_spawn_wait_set_up(spawn);
	if (ret)
		mach_spawn_abort(spawn);
	/*
	 * Given up on with the parent held, its agent may still be copying
	 * the parent's private memory into what replaces it: a store the
	 * parent made now could be lost. Its hold goes with the call.
	 */
	if (ret == -EINTR && (mach_task_os_of(child)->parent_held ||
			      mach_task_os_of(child)->teleport)) {
		mach_task_get(parent->task);
		spawn->held_parent = parent->task;
	}
	mach_agent_call_put(&spawn->parent_call);
	mach_spawn_put(spawn);
	return ret;
}

void mach_shell_dev_fops_init(const struct file_operations *fops)
{
	mach_shell_dev_fops = fops;
}

int mach_shell_init(void)
{
	struct mach_shell_elf elf = {
		.ehdr = {
			.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3,
				     ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
			.e_type = ET_EXEC,
			.e_machine = EM_X86_64,
			.e_version = EV_CURRENT,
			.e_entry = MACH_SHELL_BASE +
				   offsetof(struct mach_shell_elf, code),
			.e_phoff = offsetof(struct mach_shell_elf, phdr),
			.e_ehsize = sizeof(Elf64_Ehdr),
			.e_phentsize = sizeof(Elf64_Phdr),
			.e_phnum = 1,
		},
		.phdr = {
			.p_type = PT_LOAD,
			.p_flags = PF_R | PF_X,
			.p_vaddr = MACH_SHELL_BASE,
			.p_paddr = MACH_SHELL_BASE,
			.p_filesz = sizeof(struct mach_shell_elf),
			.p_memsz = sizeof(struct mach_shell_elf),
			.p_align = PAGE_SIZE,
		},
		/*
		 * ioctl(0, MACH_IOC_AGENT_RETURN, 0); ud2: the agent, back
		 * from the execveat() of mach_spawn_child_step().
		 * Registers start zeroed, so only esi and eax need loading.
		 */
		.code = {
			0xbe, MACH_IOC_AGENT_RETURN & 0xff,
			(MACH_IOC_AGENT_RETURN >> 8) & 0xff,
			(MACH_IOC_AGENT_RETURN >> 16) & 0xff,
			MACH_IOC_AGENT_RETURN >> 24,
			0xb8, __NR_ioctl, 0, 0, 0,
			0x0f, 0x05,
			0x0f, 0x0b,
		},
	};
	loff_t pos = 0;
	ssize_t n;

	mach_shell_image = shmem_file_setup("mach-shell", sizeof(elf),
					    MACH_SHMEM_NORESERVE);
	if (IS_ERR(mach_shell_image))
		return PTR_ERR(mach_shell_image);
	n = kernel_write(mach_shell_image, &elf, sizeof(elf), &pos);
	if (n != sizeof(elf)) {
		fput(mach_shell_image);
		return n < 0 ? n : -EIO;
	}
	return 0;
}

void mach_shell_exit(void)
{
	fput(mach_shell_image);
}

struct mach_reap {
	struct mach_agent_call call;
	struct pid *pid;	/* set before it is queued, then read-only */
};

/* In the parent's agent: reap the shell, which is a zombie by now. */
static bool mach_reap_step(struct mach_agent_call *call, long result,
			   struct mach_syscall *next)
{
	struct mach_reap *reap = container_of(call, struct mach_reap, call);

	if (call->stage++)
		return false;
	next->nr = __NR_waitid;
	next->args[0] = P_PID;
	next->args[1] = pid_vnr(reap->pid);
	next->args[3] = WEXITED | WNOHANG | __WALL;
	return true;
}

static void mach_reap_release(struct mach_agent_call *call)
{
	struct mach_reap *reap = container_of(call, struct mach_reap, call);

	put_pid(reap->pid);
	kfree(reap);
}

/*
 * A shell has exited. Its exit signal is 0, so nothing tells its parent;
 * the parent task's agent reaps it. (If the parent process died first,
 * the shell went to init, which reaps it.)
 */
static void mach_shell_reap(struct pid *pid)
{
	struct task_struct *leader;
	struct mach_task *parent;
	struct mach_reap *reap;
	struct pid *ppid = NULL;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	if (leader)
		ppid = get_pid(task_tgid(rcu_dereference(leader->real_parent)));
	rcu_read_unlock();
	if (!ppid)
		return;
	parent = mach_task_lookup(ppid);
	put_pid(ppid);
	if (!parent)
		return;
	reap = kzalloc(sizeof(*reap), GFP_KERNEL);
	if (reap) {
		reap->pid = get_pid(pid);
		mach_agent_call_init(&reap->call, mach_reap_step,
				     mach_reap_release);
		mach_agent_queue_later(&mach_task_os_of(parent)->agent, &reap->call);
		mach_agent_call_put(&reap->call);
	}
	mach_task_put(parent);
}

/* A shell killed before it first ran never claims its spawn. */
static void mach_spawn_forget(struct mach_task *task)
{
	struct mach_spawn *spawn, *found = NULL;

	spin_lock(&mach_spawns_lock);
	list_for_each_entry(spawn, &mach_spawns, node) {
		if (spawn->child == task) {
			found = spawn;
			list_del_init(&spawn->node);
			break;
		}
	}
	spin_unlock(&mach_spawns_lock);
	if (found)
		mach_spawn_put(found);	/* the list's reference */
}

void mach_shell_gone(struct mach_task_os *os)
{
	mach_spawn_forget(os->task);
	mach_shell_reap(os->pid);
}
