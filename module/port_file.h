/* SPDX-License-Identifier: GPL-2.0 */
/*
 * port_file.h - a port's file: made by port.c, answered by port_file.c.
 */
#ifndef MACH_PORT_FILE_H
#define MACH_PORT_FILE_H

#include <linux/fs.h>

/* port.c: the operations every port file is made with from now on. */
void mach_port_files_init(const struct file_operations *fops);
/* port_file.c: hands its operations to port.c; before any port is made. */
void mach_port_file_init(void);

#endif /* MACH_PORT_FILE_H */
