// SPDX-License-Identifier: GPL-2.0
/*
 * port_file.c - what Linux asks of a port's file (port.c makes them):
 * its poll, answered by the core's queue, and its release, which drops
 * the port reference the file holds.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>

#include "port_file.h"
#include "shim_kernel.h"
#include "task_os.h"

static int mach_port_file_release(struct inode *inode, struct file *file)
{
	if (file->private_data)		/* a dead name has no port */
		mach_port_put(file->private_data);
	return 0;
}

/*
 * A receive right's (or port set's) fd is readable while a message waits,
 * for the task that holds that receive right: the file is shared by every
 * fd naming the port, in every task.
 */
static __poll_t mach_port_file_poll(struct file *file, poll_table *wait)
{
	struct mach_port *port = file->private_data;
	struct mach_task *task;
	__poll_t mask = 0;

	if (!port)
		return 0;
	poll_wait(file, mach_shim_waitq_head(mach_port_waitq(port)), wait);
	task = mach_task_lookup_current();
	if (task) {
		if (mach_port_readable(port, task))
			mask = EPOLLIN | EPOLLRDNORM;
		mach_task_put(task);
	}
	return mask;
}

static const struct file_operations mach_port_fops = {
	.owner = THIS_MODULE,
	.release = mach_port_file_release,
	.poll = mach_port_file_poll,
	.llseek = noop_llseek,
};

void mach_port_file_init(void)
{
	mach_port_files_init(&mach_port_fops);
}
