// SPDX-License-Identifier: GPL-2.0
/*
 * mach.ko: the Mach task model on Linux processes.
 *
 * This file only chains the parts' init in order and tears them down in
 * reverse. The logic is in core/, in C++; the glue around it:
 *   shim.c, quota.c    the core's allocation, locks and references; what
 *                      each user may make the module hold
 *   task.c, port.c     tasks as thread groups; port rights as files
 *   port_file.c        what Linux asks of a port's file: poll, release
 *   fd_place.c         a right under a name chosen: an fd at a number
 *   creds.c, node.c    a new task's credentials and NUMA node
 *   stub.c, agent.c    acting inside another task: the stub page, agents
 *   trampoline.c       ... or in the caller's own, by the calling thread
 *   spin.c             spinning for an answer rather than sleeping
 *   shell.c            the processes task_create makes
 *   sample.c           task_sample: sampling a task's threads' pcs
 *   clone.c, vm.c      NORMA clones and teleports; the vm_* calls
 *   thread.c           Mach threads on Linux threads
 *   dev.c, netlink.c   /dev/mach and its ioctls; the operator's view
 *   netlink_event.c    ... and the operator's events
 * The parts below the core reach up into it only through upcalls.h: the
 * core's functions, handed in here first.
 */
#include <linux/module.h>

#include "mach.h"
#include "shell.h"
#include "spin.h"

static const struct mach_upcalls mach_core_upcalls = {
	.task_make = mach_task_create,
	.task_inherit = mach_task_inherit,
	.task_ended = mach_task_terminate,
	.task_resume_dropped = mach_task_resume_dropped,
	.task_hold_released = mach_task_hold_released,
	.exception_raise = mach_core_raise_exception,
	.raises_exceptions = mach_task_raises_exceptions,
	.task_sampling = mach_task_sampling,
	.task_sample_send = mach_task_sample_send,
};

static int __init mach_init(void)
{
	int ret;

	mach_up = &mach_core_upcalls;

	mach_port_file_init();
	ret = mach_core_init();
	if (ret)
		goto err_shim;
	ret = mach_tasks_init();
	if (ret)
		goto err_core;
	ret = mach_task_access_init();
	if (ret)
		goto err_tasks;
	ret = mach_sample_init();
	if (ret)
		goto err_access;
	ret = mach_stub_init();
	if (ret)
		goto err_sample;
	ret = mach_shell_init();
	if (ret)
		goto err_stub;
	ret = mach_dev_init();
	if (ret)
		goto err_shell;
	ret = mach_netlink_init();
	if (ret)
		goto err_dev;
	mach_debugfs_init();
	return 0;

err_dev:
	mach_dev_exit();
err_shell:
	mach_shell_exit();
err_stub:
	mach_stub_exit();
err_sample:
	mach_sample_exit();
err_access:
	mach_task_access_exit();
err_tasks:
	mach_tasks_exit();
err_core:
	mach_core_exit();
err_shim:
	mach_shim_exit();
	mach_quota_exit();
	return ret;
}

static void __exit mach_exit(void)
{
	mach_debugfs_exit();
	mach_netlink_exit();
	mach_dev_exit();
	mach_shell_exit();
	mach_stub_exit();
	mach_sample_exit();
	mach_task_access_exit();
	mach_tasks_exit();
	mach_core_exit();
	mach_shim_exit();
	mach_quota_exit();
}

module_init(mach_init);
module_exit(mach_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Mach tasks, ports and their rights on Linux processes");
MODULE_AUTHOR("The mach.ko authors");
