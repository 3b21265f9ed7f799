/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink.h - the operator's view: the generic netlink family (netlink.c).
 */
#ifndef MACH_NETLINK_H
#define MACH_NETLINK_H

#include <linux/types.h>

struct mach_task_os;

int mach_netlink_init(void);
void mach_netlink_exit(void);
/*
 * A MACH_EVENT_* of os for the family's event group (netlink.c). value:
 * the suspend count (SUSPENDED, RESUMED), the child's pid in the initial
 * namespace (TELEPORTED).
 */
void mach_netlink_event(struct mach_task_os *os, u32 event, u32 value);

#endif /* MACH_NETLINK_H */
