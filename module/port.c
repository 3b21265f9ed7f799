// SPDX-License-Identifier: GPL-2.0
/*
 * port.c - port rights as file descriptors: each right a task holds is an
 * fd of its process, carrying an anonymous file that references the port.
 * The core's space decides what a name means; this file only makes,
 * checks and closes the fds. What Linux asks of such a file (its poll,
 * its release) is port_file.c's, which hands its operations in at init.
 */
#include <linux/anon_inodes.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "port_file.h"
#include "shim_kernel.h"

static struct file *mach_file(const struct mach_shim_file *file)
{
	return (struct file *)file;
}

/* Set once, before any file is made (mach_port_file_init()). */
static const struct file_operations *mach_port_fops;

void mach_port_files_init(const struct file_operations *fops)
{
	mach_port_fops = fops;
}

struct mach_shim_file *mach_shim_file_create(struct mach_port *port)
{
	struct file *file;

	file = anon_inode_getfile("[mach_port]", mach_port_fops, port, O_RDWR);
	return IS_ERR(file) ? NULL : (struct mach_shim_file *)file;
}

int mach_shim_fd_install(struct mach_shim_file *file)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	if (fd >= 0)
		fd_install(fd, get_file(mach_file(file)));
	return fd;
}

/*
 * fd numbers are handed out lowest first, and replace_fd() is not ours to
 * call: to install at want, hold every free number below it, then give
 * them back. A name far above the lowest free one is refused (EMFILE).
 */
#define MACH_FD_HOLD_MAX 1024

int mach_shim_fd_install_at(int want, struct mach_shim_file *file)
{
	int *held, n = 0, fd;

	held = kmalloc_array(MACH_FD_HOLD_MAX, sizeof(*held), GFP_KERNEL);
	if (!held)
		return -ENOMEM;
	for (;;) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0 || fd == want)
			break;
		if (fd > want || n == MACH_FD_HOLD_MAX) {
			put_unused_fd(fd);
			fd = fd > want ? -EBUSY : -EMFILE;
			break;
		}
		held[n++] = fd;
	}
	if (fd == want)
		fd_install(fd, get_file(mach_file(file)));
	while (n)
		put_unused_fd(held[--n]);
	kfree(held);
	return fd;
}

void mach_shim_file_get(struct mach_shim_file *file)
{
	get_file(mach_file(file));
}

bool mach_shim_fd_is(int fd, const struct mach_shim_file *file)
{
	bool same;

	if (fd < 0)
		return false;
	rcu_read_lock();
	same = files_lookup_fd_raw(current->files, fd) == mach_file(file);
	rcu_read_unlock();
	return same;
}

void mach_shim_fd_close(int fd)
{
	close_fd(fd);
}

void mach_shim_file_put(struct mach_shim_file *file)
{
	fput(mach_file(file));
}
