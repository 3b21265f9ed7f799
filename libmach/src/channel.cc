// SPDX-License-Identifier: LGPL-2.1-or-later
//
// channel.cc - the process's /dev/mach descriptor and its self task name.
//
// Opened on first use, close-on-exec; after that a call costs one atomic
// load and the ioctl. A forked child is another task: the descriptor it
// inherited belongs to the parent's task (the module refuses it with
// EBADF), so the child drops it and opens its own on first use.
#include "channel.h"

#include <atomic>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/ioctl.h>
#include <mach/mach_init.h>
#include <mach/message.h>
#include <mach/task_special_ports.h>
#include <mach/mig_errors.h>

namespace libmach {
namespace {

// lock serialises opening and the fork handlers; device is read without it.
pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
std::atomic<int> device{-1};
std::atomic<mach_port_t> task_self_name{MACH_PORT_NULL};
bool fork_handlers_installed = false;	// guarded by lock

// The lock is held across fork so that the child sees a settled state.
void before_fork()
{
	pthread_mutex_lock(&lock);
}

void after_fork_in_parent()
{
	pthread_mutex_unlock(&lock);
}

void after_fork_in_child()
{
	int fd = device.exchange(-1);
	if (fd >= 0)
		close(fd);
	task_self_name = MACH_PORT_NULL;
	bootstrap_port = MACH_PORT_NULL;
	forget_reply_port_after_fork();
	pthread_mutex_unlock(&lock);
}

// The task's agent: the module's hands in this process (see module/agent.c).
// It enters the module once and never comes back; it never runs our code
// again, so it needs only a small stack. Signals stay blocked in it.
void *agent_main(void *arg)
{
	int fd = static_cast<int>(reinterpret_cast<intptr_t>(arg));
	ioctl(fd, MACH_IOC_AGENT, fd);
	return nullptr;		// only if the module refused us
}

// Starts the agent and waits until it serves, so that no call finds it
// still on its way (the module refuses at once a call that needs an agent
// the task does not have). false, with errno, if it could not start.
bool start_agent(int fd)
{
	pthread_attr_t attr;
	int err = pthread_attr_init(&attr);
	if (err != 0) {
		errno = err;
		return false;
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	// Its few frames never grow, and it blocks every signal, so no handler
	// frame lands there: no guard page to map and protect.
	pthread_attr_setguardsize(&attr, 0);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);	// inherited by the agent
	// The smallest stack glibc takes. It puts a static program's
	// thread-local data at the top of the stack, and refuses (EINVAL) one
	// with no room left for it: the size doubles until it fits.
	pthread_t agent;
	err = EINVAL;
	for (size_t size = PTHREAD_STACK_MIN; err == EINVAL && size <= (size_t{1} << 30);
	     size *= 2) {
		pthread_attr_setstacksize(&attr, size);
		err = pthread_create(&agent, &attr, agent_main,
				     reinterpret_cast<void *>(static_cast<intptr_t>(fd)));
	}
	pthread_sigmask(SIG_SETMASK, &old, nullptr);
	pthread_attr_destroy(&attr);
	if (err != 0) {
		errno = err;
		return false;
	}
	// ENOTTY: a module that cannot tell (it waits for the agent itself).
	// ESRCH: not in yet after 5 s; it may still come, and the fd stays
	// open for it. ENOMEM: the module refused it, and it has returned.
	if (ioctl(fd, MACH_IOC_AGENT_WAIT) == 0 || errno != ENOMEM)
		return true;
	return false;
}

int open_device_locked()
{
	int fd = device.load(std::memory_order_relaxed);
	if (fd >= 0)
		return fd;
	if (!fork_handlers_installed) {
		if (pthread_atfork(before_fork, after_fork_in_parent,
				   after_fork_in_child) != 0)
			return -1;
		fork_handlers_installed = true;
	}
	fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	mach_version_args version = {};
	if (ioctl(fd, MACH_IOC_VERSION, &version) != 0 ||
	    version.abi_version != MACH_ABI_VERSION) {
		close(fd);
		return -1;
	}
	// The agent is made when a call first needs it (module/agent_summon.c):
	// a process no other task acts in never has the second thread.
	if ((version.features & MACH_FEATURE_TASKS) &&
	    ioctl(fd, MACH_IOC_AGENT_ON_DEMAND, fd) != 0 && !start_agent(fd)) {
		int err = errno;
		close(fd);	// no Mach here: every call says so at once
		errno = err;
		return -1;
	}
	device.store(fd, std::memory_order_release);
	return fd;
}

int channel()
{
	int fd = device.load(std::memory_order_acquire);
	if (fd >= 0)
		return fd;
	pthread_mutex_lock(&lock);
	fd = open_device_locked();
	pthread_mutex_unlock(&lock);
	return fd;
}

kern_return_t errno_to_kr(int err)
{
	switch (err) {
	case EFAULT:
		return KERN_INVALID_ADDRESS;
	case ENOMEM:
		return KERN_RESOURCE_SHORTAGE;
	case EINVAL:
		return KERN_INVALID_ARGUMENT;
	case EBADF:
		return MACH_SEND_INVALID_DEST;
	case ENOTTY:
		return MIG_BAD_ID;
	case EREMOTE:
		return send_as_message;
	default:
		return KERN_FAILURE;
	}
}

} // namespace

kern_return_t call(unsigned long cmd, void *args)
{
	return call_value(cmd, reinterpret_cast<unsigned long>(args));
}

int trap(unsigned long cmd, unsigned long value)
{
	int fd = channel();
	if (fd < 0) {
		errno = ENODEV;
		return -1;
	}
	return ioctl(fd, cmd, value);
}

kern_return_t call_value(unsigned long cmd, unsigned long value)
{
	int fd = channel();
	if (fd < 0)
		return MACH_SEND_INVALID_DEST;	// no Mach here: no destination
	int ret = ioctl(fd, cmd, value);
	return ret >= 0 ? ret : errno_to_kr(errno);
}

void *out_of_line(size_t bytes)
{
	void *p = mmap(nullptr, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? nullptr : p;
}

mach_port_t self_task()
{
	mach_port_t name = task_self_name.load(std::memory_order_acquire);
	if (name != MACH_PORT_NULL)
		return name;
	pthread_mutex_lock(&lock);
	name = task_self_name.load(std::memory_order_relaxed);
	if (name == MACH_PORT_NULL && open_device_locked() >= 0) {
		mach_task_self_args args = {};
		if (ioctl(device, MACH_IOC_TASK_SELF, &args) == KERN_SUCCESS) {
			name = args.name;
			mach_special_port_args special = {};
			special.task = name;
			special.which = TASK_BOOTSTRAP_PORT;
			if (ioctl(device, MACH_IOC_SPECIAL_PORT, &special) == KERN_SUCCESS)
				bootstrap_port = special.port;
			task_self_name.store(name, std::memory_order_release);
		}
	}
	pthread_mutex_unlock(&lock);
	return name;
}

} // namespace libmach

// Set with the self task name on first use, from the task's special port
// (which a task inherits from its Linux parent's task).
__attribute__((visibility("default"))) mach_port_t bootstrap_port = MACH_PORT_NULL;
