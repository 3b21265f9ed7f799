// SPDX-License-Identifier: GPL-2.0
/*
 * mach.ko: the Mach task model on Linux processes.
 *
 * This file only chains the parts' init in order and tears them down in
 * reverse. The parts: shim.c (the core's allocation, locks, references),
 * quota.c (what each user may make the module hold),
 * task.c (tasks as thread groups), port.c (port rights as files),
 * stub.c and agent.c (acting inside another task), shell.c (task_create)
 * and dev.c (/dev/mach and its ioctls). The logic is in core/, in C++.
 */
#include <linux/module.h>

#include "mach.h"
#include "shell.h"
#include "spin.h"

static int __init mach_init(void)
{
	int ret;

	ret = mach_shim_init();
	if (ret)
		return ret;
	ret = mach_core_init();
	if (ret)
		goto err_shim;
	ret = mach_tasks_init();
	if (ret)
		goto err_core;
	ret = mach_stub_init();
	if (ret)
		goto err_tasks;
	ret = mach_shell_init();
	if (ret)
		goto err_stub;
	ret = mach_dev_init();
	if (ret)
		goto err_shell;
	ret = mach_netlink_init();
	if (ret)
		goto err_dev;
	return 0;

err_dev:
	mach_dev_exit();
err_shell:
	mach_shell_exit();
err_stub:
	mach_stub_exit();
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
	mach_netlink_exit();
	mach_dev_exit();
	mach_shell_exit();
	mach_stub_exit();
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
