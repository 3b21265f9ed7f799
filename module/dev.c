// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - /dev/mach: opening it makes the caller's task; every Mach call
 * is one ioctl, copied in once here and handed to the core.
 *
 * Statistics for tests and operators: /sys/class/misc/mach/live_*.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>

#include <mach/ioctl.h>

#include "agent.h"
#include "core/usercopy.h"
#include "dev.h"
#include "exception.h"
#include "sample.h"
#include "shell.h"
#include "shim_kernel.h"
#include "task_os.h"
#include "thread_os.h"
#include "trampoline.h"

/* Every ioctl, indexed by number: anything else is unknown (ENOTTY). */
static const unsigned int mach_ioctls[MACH_IOC_NR_COUNT] = {
	[MACH_IOC_NR_VERSION] = MACH_IOC_VERSION,
	[MACH_IOC_NR_TASK_SELF] = MACH_IOC_TASK_SELF,
	[MACH_IOC_NR_TASK_INFO] = MACH_IOC_TASK_INFO,
	[MACH_IOC_NR_PORT_DEALLOCATE] = MACH_IOC_PORT_DEALLOCATE,
	[MACH_IOC_NR_PORT] = MACH_IOC_PORT,
	[MACH_IOC_NR_MSG] = MACH_IOC_MSG,
	[MACH_IOC_NR_SPECIAL_PORT] = MACH_IOC_SPECIAL_PORT,
	[MACH_IOC_NR_TASK_PORTS] = MACH_IOC_TASK_PORTS,
	[MACH_IOC_NR_EXCEPTION_PORTS] = MACH_IOC_EXCEPTION_PORTS,
	[MACH_IOC_NR_TASK_CREATE] = MACH_IOC_TASK_CREATE,
	[MACH_IOC_NR_TASK_CONTROL] = MACH_IOC_TASK_CONTROL,
	[MACH_IOC_NR_VM] = MACH_IOC_VM,
	[MACH_IOC_NR_THREAD] = MACH_IOC_THREAD,
	[MACH_IOC_NR_HOST] = MACH_IOC_HOST,
	[MACH_IOC_NR_TASK_CREATE_TOKEN] = MACH_IOC_TASK_CREATE_TOKEN,
	[MACH_IOC_NR_SEMAPHORE] = MACH_IOC_SEMAPHORE,
	[MACH_IOC_NR_VM_MAP] = MACH_IOC_VM_MAP,
};

/* One ioctl's copy of its argument: the calling thread's only. */
union mach_ioctl_args {
	struct mach_version_args version;
	struct mach_task_self_args task_self;
	struct mach_task_info_args task_info;
	struct mach_port_deallocate_args port_deallocate;
	struct mach_port_args port;
	struct mach_msg_args msg;
	struct mach_msg_overwrite_args msg_overwrite;
	struct mach_special_port_args special_port;
	struct mach_task_ports_args task_ports;
	struct mach_exception_ports_args exception_ports;
	struct mach_task_create_args task_create;
	struct mach_task_control_args task_control;
	struct mach_vm_args vm;
	struct mach_thread_args thread;
	struct mach_host_args host;
	struct mach_task_create_token_args task_create_token;
	struct mach_semaphore_args semaphore;
	struct mach_vm_map_args vm_map;
};

static int mach_dev_open(struct inode *inode, struct file *file)
{
	bool made;
	struct mach_task *task = mach_task_of_current(&made);

	if (IS_ERR(task))
		return PTR_ERR(task);
	/*
	 * A task made before: after an exec, a new task port for the new
	 * program, and the old program's fds are gone. (A new one has
	 * neither: a fork's first open is what the fork figure measures.)
	 */
	if (!made) {
		mach_task_notice_exec(task);
		mach_task_sweep_space(task);
	}
	file->private_data = task;
	return 0;
}

static int mach_dev_release(struct inode *inode, struct file *file)
{
	mach_task_release_on_exit(file->private_data);
	mach_task_put(file->private_data);
	return 0;
}

/*
 * An agent back from its stub comes through its own task's file or, a new
 * shell's until it has a file of its own, through its parent's copy.
 */
static long mach_dev_agent_return(struct mach_task_os *os, long result)
{
	struct mach_task *task;
	long ret;

	if (os->pid == task_tgid(current))
		return mach_agent_return_ioctl(&os->agent, result);
	task = mach_task_lookup_current();
	if (!task)
		return -EPERM;	/* not a task at all */
	ret = mach_agent_return_ioctl(&mach_task_os_of(task)->agent, result);
	mach_task_put(task);
	return ret;
}

/*
 * The agent protocol: MACH_IOC_AGENT and its wait for libmach, and the
 * module-internal requests, each the way back in of one role, handled by
 * the file of that role. Each checks that the caller has it.
 */
static long mach_dev_agent_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	struct mach_task_os *os = mach_task_os_of(file->private_data);
	long ret;

	if (cmd == MACH_IOC_AGENT_WAIT)
		return mach_agent_wait_ioctl(os);
	/* The stub and the shell's first code are 64-bit. */
	if (!user_64bit_mode(current_pt_regs()))
		return -EINVAL;
	switch (cmd) {
	case MACH_IOC_AGENT:
		mach_exception_agent_starting(os, file, arg);
		return mach_agent_start_ioctl(os, file, arg);
	case MACH_IOC_AGENT_ON_DEMAND:
		mach_exception_agent_starting(os, file, arg);
		return mach_agent_on_demand_ioctl(os, file, arg);
	case MACH_IOC_AGENT_SUMMONED:
		return mach_agent_summoned_ioctl(os, (long)arg, mach_thread_detour_done);
	case MACH_IOC_AGENT_BORN:
		return mach_agent_born_ioctl(os);
	case MACH_IOC_AGENT_RETURN:
		return mach_dev_agent_return(os, (long)arg);
	case MACH_IOC_SPAWN_ENTER:
		return mach_spawn_enter();
	case MACH_IOC_TRAMPOLINE_RETURN:
		ret = mach_trampoline_resume(os, (long)arg, mach_core_later_done);
		mach_thread_detour_done(os);
		return ret;
	case MACH_IOC_THREAD_ENTER:
		return mach_thread_enter(os);
	case MACH_IOC_EXCEPTION:
		return mach_exception_ioctl(arg);
	}
	return -ENOTTY;	/* cannot be: mach_dev_ioctl() chose */
}

/*
 * The semaphore calls, a program's hottest (XNU: a trap each): their
 * arguments copied at their fixed size and by words (core/usercopy.h),
 * without the generic path's union and its copies of a size known only
 * at run time.
 */
static long mach_dev_semaphore(struct file *file, unsigned long arg)
{
	struct mach_semaphore_args args;
	long ret;

	if (mach_small_copy_in(&args, arg, sizeof(args)))
		return -EFAULT;
	ret = mach_core_ioctl(file->private_data, MACH_IOC_NR_SEMAPHORE, &args);
	/* A restarted wait finds what is left of it; a creation, its name. */
	if ((ret >= 0 || ret == -ERESTARTNOINTR) &&
	    mach_small_copy_out(arg, &args, sizeof(args)))
		return -EFAULT;
	return ret;
}

/*
 * Calls that may need the caller's own task's agent, made before they
 * begin: a message (to a kernel object of its own: it cannot be made again
 * once its rights have moved), a clone or a teleport (its parent held, its
 * child made), and those that hold the task's other threads or clone one
 * (a thread sent to make the agent must not be held meanwhile).
 */
static bool mach_dev_needs_own_agent(unsigned int nr, const union mach_ioctl_args *args)
{
	const u32 held = MACH_TASK_CREATE_CLONE | MACH_TASK_CREATE_TELEPORT;

	switch (nr) {
	case MACH_IOC_NR_MSG:
	case MACH_IOC_NR_VM_MAP:
		return true;
	case MACH_IOC_NR_VM:
		return args->vm.op == MACH_VM_PROTECT || args->vm.op == MACH_VM_INHERIT ||
		       args->vm.op == MACH_VM_BEHAVIOR || args->vm.op == MACH_VM_WIRE;
	case MACH_IOC_NR_THREAD:
		return args->thread.op == MACH_THREAD_CREATE;
	case MACH_IOC_NR_TASK_CREATE:
		return args->task_create.flags & held;
	case MACH_IOC_NR_TASK_CREATE_TOKEN:
		return args->task_create_token.create.flags & held;
	}
	return false;
}

static long mach_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	unsigned int nr = _IOC_NR(cmd);
	unsigned int size = _IOC_SIZE(cmd);
	union mach_ioctl_args args;
	struct mach_task_os *os;
	long ret;

	switch (cmd) {
	case MACH_IOC_SEMAPHORE:
		return mach_dev_semaphore(file, arg);
	case MACH_IOC_SEMAPHORE_SIGNAL:
	case MACH_IOC_SEMAPHORE_WAIT:
	case MACH_IOC_TASK_SELF_TRAP:
	case MACH_IOC_PORT_DEALLOCATE_TRAP:
		return mach_core_trap(file->private_data, nr, arg);
	case MACH_IOC_AGENT:
	case MACH_IOC_AGENT_WAIT:
	case MACH_IOC_AGENT_ON_DEMAND:
	case MACH_IOC_AGENT_SUMMONED:
	case MACH_IOC_AGENT_BORN:
	case MACH_IOC_AGENT_RETURN:
	case MACH_IOC_SPAWN_ENTER:
	case MACH_IOC_TRAMPOLINE_RETURN:
	case MACH_IOC_THREAD_ENTER:
	case MACH_IOC_EXCEPTION:
		return mach_dev_agent_ioctl(file, cmd, arg);
	}
	if (_IOC_TYPE(cmd) != MACH_IOC_MAGIC || nr >= MACH_IOC_NR_COUNT ||
	    (cmd != mach_ioctls[nr] && cmd != MACH_IOC_MSG_OVERWRITE))
		return -ENOTTY;
	if (cmd == MACH_IOC_MSG_OVERWRITE)
		nr = MACH_CORE_NR_MSG_OVERWRITE;
	BUILD_BUG_ON(sizeof(args) > 64);

	memset(&args, 0, sizeof(args));
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(&args, uarg, size))
		return -EFAULT;
	os = mach_task_os_of(file->private_data);
	if (unlikely(mach_agent_missing(&os->agent))) {
		/* A mark no call of ours left is not this one's. */
		mach_agent_summon_forget(os);
		if (mach_dev_needs_own_agent(_IOC_NR(cmd), &args)) {
			ret = mach_agent_summon_before(os);
			if (ret)
				return ret;	/* made again once the agent is */
		}
	}
	ret = mach_core_ioctl(file->private_data, nr, &args);
	if (ret == MACH_LATER)	/* this thread makes a system call first */
		return mach_trampoline_leave(mach_task_os_of(file->private_data),
					     nr, &args, size, uarg);
	/*
	 * A call that found no agent of its own task's, and made nothing
	 * yet, is made again once this thread has made one; a message (its
	 * rights moved already) keeps its answer.
	 */
	if (unlikely(mach_agent_summon_is_here(&os->agent)) && _IOC_NR(cmd) != MACH_IOC_NR_MSG)
		return mach_agent_summon_after_ioctl(os, ret, true);
	/* A restarted call finds what is left of it (a semaphore's wait). */
	if ((ret >= 0 || ret == -ERESTARTNOINTR) && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(uarg, &args, size))
		return -EFAULT;
	if (unlikely(mach_agent_summon_is_here(&os->agent)))
		return mach_agent_summon_after_ioctl(os, ret, false);
	return ret;
}

/* Only a new thread reads: the last step of leaving with its state. */
static ssize_t mach_dev_read(struct file *file, char __user *buf, size_t count,
			     loff_t *pos)
{
	return mach_thread_read_state(mach_task_os_of(file->private_data));
}

static const struct file_operations mach_dev_fops = {
	.owner = THIS_MODULE,
	.open = mach_dev_open,
	.read = mach_dev_read,
	.release = mach_dev_release,
	.unlocked_ioctl = mach_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static ssize_t live_tasks_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", mach_tasks_live());
}
static DEVICE_ATTR_RO(live_tasks);

static ssize_t live_ports_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", mach_shim_live(MACH_KIND_PORT));
}
static DEVICE_ATTR_RO(live_ports);

static ssize_t live_allocations_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", mach_shim_live(MACH_KIND_MEMORY));
}
static DEVICE_ATTR_RO(live_allocations);

static ssize_t live_samplers_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", mach_samplers_live());
}
static DEVICE_ATTR_RO(live_samplers);

static struct attribute *mach_dev_attrs[] = {
	&dev_attr_live_tasks.attr,
	&dev_attr_live_ports.attr,
	&dev_attr_live_allocations.attr,
	&dev_attr_live_samplers.attr,
	NULL
};
ATTRIBUTE_GROUPS(mach_dev);

static struct miscdevice mach_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mach",
	.fops = &mach_dev_fops,
	.groups = mach_dev_groups,
	.mode = 0666,
};

int mach_dev_init(void)
{
	/* A shell's own /dev/mach is made by shell.c, with our operations. */
	mach_shell_dev_fops_init(&mach_dev_fops);
	return misc_register(&mach_misc);
}

void mach_dev_exit(void)
{
	misc_deregister(&mach_misc);
}
