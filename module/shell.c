// SPDX-License-Identifier: GPL-2.0
/*
 * shell.c - task_create: a new task is backed by a new process, its
 * shell, forked by the parent task's agent.
 *
 * inherit_memory = TRUE: the agent runs clone() with no flags (exit
 * signal 0, so the parent program's wait() never sees the shell). The
 * copy of memory is Linux's own copy-on-write dup_mmap(), and each
 * range's inheritance is its VMA's: VM_DONTCOPY ranges are left out,
 * shared ones stay shared.
 *
 * inherit_memory = FALSE: the agent runs vfork(), and the child execs a
 * tiny image the module keeps in a shmem file; the image only re-enters
 * the module, which maps the stub and unmaps everything else. The parent's
 * page tables are never copied, so the cost does not grow with its size.
 *
 * Either way the child's only thread re-enters the module through the
 * copied stub and fd (the parent's /dev/mach file: that is how it is
 * recognised), is registered as the new task, closes every fd it
 * inherited, and becomes the new task's agent.
 */
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
#include <asm/unistd.h>

#include <mach/ioctl.h>

#include "mach.h"

enum mach_spawn_state {
	MACH_SPAWN_RUNNING,
	MACH_SPAWN_READY,
	MACH_SPAWN_FAILED,
};

struct mach_spawn {
	refcount_t refs;
	struct mach_agent_call parent_call;	/* clone(), in the parent */
	struct mach_agent_call child_call;	/* set-up, in the child */
	struct mach_task *parent;		/* a reference */
	bool inherit_memory;
	struct task_struct *cloner;	/* the parent's agent; not a reference */
	bool claimed;			/* guarded by mach_tasks_lock */
	struct pid *child_pid;		/* from clone()'s result */
	struct mach_task *child;	/* once claimed; a reference */
	int state;			/* enum mach_spawn_state */
	wait_queue_head_t wait;		/* claimed, state */
};

/* The image a shell without inherited memory execs. */
static struct file *mach_shell_image;

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
	if (spawn->child)
		mach_task_put(spawn->child);
	put_pid(spawn->child_pid);
	mach_task_put(spawn->parent);
	kfree(spawn);
}

/* The state is set last: whoever sees it settled may read the child. */
static void mach_spawn_set_state(struct mach_spawn *spawn, int state)
{
	smp_store_release(&spawn->state, state);	/* pairs with _state() */
	wake_up_all(&spawn->wait);
}

static int mach_spawn_state(struct mach_spawn *spawn)
{
	return smp_load_acquire(&spawn->state);	/* pairs with _set_state() */
}

static bool mach_spawn_claimed(struct mach_spawn *spawn)
{
	bool claimed;

	mach_tasks_lock_acquire();
	claimed = spawn->claimed;
	mach_tasks_lock_release();
	return claimed;
}

/* Wait until cond(spawn): 0, or -ECHILD if the child died, -EINTR. */
static int mach_spawn_wait(struct mach_spawn *spawn,
			   bool (*cond)(struct mach_spawn *))
{
	while (!cond(spawn)) {
		if (wait_event_killable_timeout(spawn->wait, cond(spawn),
						HZ / 10) < 0)
			return -EINTR;
		if (!cond(spawn) && mach_pid_gone(spawn->child_pid))
			return cond(spawn) ? 0 : -ECHILD;
	}
	return 0;
}

/* In the parent's agent: fork the shell, and see it claimed. */
static bool mach_spawn_parent_step(struct mach_agent_call *call, long result,
				   struct mach_syscall *next)
{
	struct mach_spawn *spawn = container_of(call, struct mach_spawn,
						parent_call);
	struct mach_task_os *os = mach_task_os_of(spawn->parent);

	if (call->stage++ == 0) {
		spawn->cloner = current;
		mach_tasks_lock_acquire();
		os->spawning = spawn;
		mach_tasks_lock_release();
		next->nr = __NR_clone;
		next->args[0] = spawn->inherit_memory ? 0 : CLONE_VM | CLONE_VFORK;
		return true;
	}

	if (result > 0)
		spawn->child_pid = find_get_pid(result);
	if (!spawn->child_pid)
		call->ret = result < 0 ? result : -ESRCH;
	else
		call->ret = mach_spawn_wait(spawn, mach_spawn_claimed);
	mach_tasks_lock_acquire();
	os->spawning = NULL;
	mach_tasks_lock_release();
	return false;
}

static void mach_spawn_parent_release(struct mach_agent_call *call)
{
	mach_spawn_put(container_of(call, struct mach_spawn, parent_call));
}

static int mach_close_match(const void *unused, struct file *file,
			    unsigned int fd)
{
	return fd + 1;
}

/* Close every fd the shell inherited. */
static void mach_close_inherited_fds(void)
{
	unsigned int fd = 0;
	int next;

	while ((next = iterate_fd(current->files, fd, mach_close_match,
				  NULL)) > 0) {
		close_fd(next - 1);
		fd = next;
	}
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
	struct mm_struct *mm = current->mm;
	unsigned long stub, start, end;
	struct vm_area_struct *vma;

	stub = mach_stub_map();
	if (IS_ERR_VALUE(stub))
		return stub;
	agent->stub = stub;
	for (;;) {
		VMA_ITERATOR(vmi, mm, 0);

		end = 0;
		mmap_read_lock(mm);
		for_each_vma(vmi, vma) {
			if (vma->vm_start != stub) {
				start = vma->vm_start;
				end = vma->vm_end;
				break;
			}
		}
		mmap_read_unlock(mm);
		if (!end)
			return 0;
		if (vm_munmap(start, end - start))
			return -ENOMEM;
	}
}

/* In the new shell, as its agent: shed the parent's fds (and memory). */
static bool mach_spawn_child_step(struct mach_agent_call *call, long result,
				  struct mach_syscall *next)
{
	struct mach_spawn *spawn = container_of(call, struct mach_spawn,
						child_call);
	struct mach_agent *agent = &mach_task_os_of(spawn->child)->agent;
	struct mach_stub_page *stub;
	struct file *dev;
	int fd, image;

	switch (call->stage++) {
	case 0:
		mach_close_inherited_fds();
		dev = mach_dev_file_create(spawn->child);
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
			result = 0;
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
	case 1:
		/* The image re-entered with 0, or execveat() failed. */
		if (result == 0)
			result = mach_shell_empty_mm(agent);
		break;
	}

	call->ret = result;
	if (result) {
		/* Never back to user mode: the stub would run garbage. */
		send_sig(SIGKILL, current, 1);
		mach_spawn_set_state(spawn, MACH_SPAWN_FAILED);
	} else {
		mach_spawn_set_state(spawn, MACH_SPAWN_READY);
	}
	return false;
}

static void mach_spawn_child_release(struct mach_agent_call *call)
{
	mach_spawn_put(container_of(call, struct mach_spawn, child_call));
}

long mach_spawn_claim(struct mach_task_os *parent)
{
	struct mach_task_os *os;
	struct mach_spawn *spawn;
	struct mach_task *task;
	bool ours;

	mach_tasks_lock_acquire();
	spawn = parent->spawning;
	rcu_read_lock();
	ours = spawn && !spawn->claimed &&
	       rcu_dereference(current->real_parent) == spawn->cloner;
	rcu_read_unlock();
	if (ours) {
		spawn->claimed = true;
		refcount_inc(&spawn->refs);
	}
	mach_tasks_lock_release();
	if (!ours)
		return -EBADF;
	wake_up_all(&spawn->wait);

	/* The core hands down the parent's ports once we are made. */
	task = mach_task_register_current(NULL, true);
	if (IS_ERR(task)) {
		send_sig(SIGKILL, current, 1);
		mach_spawn_set_state(spawn, MACH_SPAWN_FAILED);
		mach_spawn_put(spawn);
		return PTR_ERR(task);
	}
	spawn->child = task;
	os = mach_task_os_of(task);
	os->agent.stub = parent->agent.stub;
	mach_agent_call_init(&spawn->child_call, mach_spawn_child_step,
			     mach_spawn_child_release);
	return mach_agent_adopt(os, &spawn->child_call);
}

static bool mach_spawn_settled(struct mach_spawn *spawn)
{
	return mach_spawn_state(spawn) != MACH_SPAWN_RUNNING;
}

int mach_shim_task_spawn(struct mach_task_os *parent, mach_bool inherit_memory,
			 struct mach_task **child)
{
	struct mach_spawn *spawn;
	long ret;

	spawn = kzalloc(sizeof(*spawn), GFP_KERNEL_ACCOUNT);
	if (!spawn)
		return -ENOMEM;
	refcount_set(&spawn->refs, 2);	/* ours and parent_call's */
	init_waitqueue_head(&spawn->wait);
	spawn->inherit_memory = inherit_memory;
	spawn->parent = parent->task;
	mach_task_get(spawn->parent);
	mach_agent_call_init(&spawn->parent_call, mach_spawn_parent_step,
			     mach_spawn_parent_release);

	ret = mach_agent_run(&parent->agent, &spawn->parent_call);
	mach_agent_call_put(&spawn->parent_call);
	if (!ret)
		ret = mach_spawn_wait(spawn, mach_spawn_settled);
	if (!ret && mach_spawn_state(spawn) != MACH_SPAWN_READY)
		ret = -ECHILD;
	if (!ret) {
		*child = spawn->child;
		spawn->child = NULL;
	} else if (spawn->child_pid) {
		kill_pid(spawn->child_pid, SIGKILL, 1);
	}
	mach_spawn_put(spawn);
	return ret;
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
		 * ioctl(0, MACH_IOC_AGENT, 0); ud2
		 * Registers start zeroed, so only esi and eax need loading.
		 */
		.code = {
			0xbe, MACH_IOC_AGENT & 0xff, (MACH_IOC_AGENT >> 8) & 0xff,
			(MACH_IOC_AGENT >> 16) & 0xff, MACH_IOC_AGENT >> 24,
			0xb8, __NR_ioctl, 0, 0, 0,
			0x0f, 0x05,
			0x0f, 0x0b,
		},
	};
	loff_t pos = 0;
	ssize_t n;

	mach_shell_image = shmem_file_setup("mach-shell", sizeof(elf),
					    VM_NORESERVE);
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
	struct pid *pid;
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
void mach_shell_reap(struct pid *pid)
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
		mach_agent_queue(&mach_task_os_of(parent)->agent, &reap->call);
		mach_agent_call_put(&reap->call);
	}
	mach_task_put(parent);
}
