// SPDX-License-Identifier: GPL-2.0
/*
 * fd_place.c - a right under a name of the caller's choosing: an fd at a
 * number chosen in a task's process. Linux exports no way to put a file
 * at a given number (replace_fd() is not ours to call), but the process
 * itself can: its agent runs fcntl(F_DUPFD_CLOEXEC) through the stub,
 * which makes the lowest free number at or above the one asked for refer
 * to the file, and never replaces an fd. The core checks that the number
 * it got is the one it asked for.
 */
#include <linux/fcntl.h>
#include <linux/slab.h>
#include <asm/unistd.h>

#include "agent.h"
#include "shim_kernel.h"
#include "task_os.h"

struct mach_dup_call {
	struct mach_agent_call call;
	int fd, min;		/* set before it is queued, then read-only */
};

static bool mach_dup_step(struct mach_agent_call *call, long result,
			  struct mach_syscall *next)
{
	struct mach_dup_call *dup = container_of(call, struct mach_dup_call, call);

	if (call->stage++) {
		call->ret = result;	/* the new fd, or -errno */
		return false;
	}
	next->nr = __NR_fcntl;
	next->args[0] = dup->fd;
	next->args[1] = F_DUPFD_CLOEXEC;
	next->args[2] = dup->min;
	return true;
}

static void mach_dup_release(struct mach_agent_call *call)
{
	kfree(container_of(call, struct mach_dup_call, call));
}

int mach_shim_task_dup_fd(struct mach_task_os *os, u64 program, int fd, int min)
{
	struct mach_dup_call *dup;
	long ret;

	if (fd < 0 || min < 0)
		return -EBADF;
	dup = kzalloc(sizeof(*dup), GFP_KERNEL);
	if (!dup)
		return -ENOMEM;
	dup->fd = fd;
	dup->min = min;
	mach_agent_call_init(&dup->call, mach_dup_step, mach_dup_release);
	dup->call.program = program;
	dup->call.restartable = true;	/* its caller undoes what it did */
	ret = mach_agent_run(&os->agent, &dup->call);
	mach_agent_call_put(&dup->call);
	return ret;
}
