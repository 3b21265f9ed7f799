/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink.h - the operator's view: the generic netlink family (netlink.c)
 * and its events (netlink_event.c).
 */
#ifndef MACH_NETLINK_H
#define MACH_NETLINK_H

#include <linux/types.h>

struct genl_family;
struct mach_task_os;

/* The family's one multicast group. */
enum { MACH_NLGRP_EVENTS };

int mach_netlink_init(void);
void mach_netlink_exit(void);
/*
 * netlink_event.c: events go to family's group from the start until the
 * stop (netlink.c's init and exit, around the family's registration).
 */
void mach_netlink_events_start(struct genl_family *family);
void mach_netlink_events_stop(void);
/* How os was made: a MACH_ORIGIN_* (uapi/mach/netlink.h). */
u32 mach_netlink_origin(const struct mach_task_os *os);
/*
 * A MACH_EVENT_* of os for the family's event group (netlink_event.c). value:
 * the suspend count (SUSPENDED, RESUMED), the child's pid in the initial
 * namespace (TELEPORTED).
 */
void mach_netlink_event(struct mach_task_os *os, u32 event, u32 value);

#endif /* MACH_NETLINK_H */
