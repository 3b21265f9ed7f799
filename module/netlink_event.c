// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_event.c - the events of the generic netlink family "mach"
 * (uapi/mach/netlink.h): what befell a task or a port, sent to the
 * family's event group as it happens. The core tells them through its
 * shim; the family itself and its commands are netlink.c's, which hands
 * it in once registered.
 */
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>

#include <mach/netlink.h>

#include "netlink.h"
#include "task_os.h"

/* Guards mach_nl_ready: events are sent only while the family is up. */
static DEFINE_MUTEX(mach_nl_lock);
static bool mach_nl_ready;
/* Set before mach_nl_ready (a store-release), then unchanged. */
static struct genl_family *mach_nl_family;

void mach_netlink_events_start(struct genl_family *family)
{
	mutex_lock(&mach_nl_lock);
	mach_nl_family = family;
	smp_store_release(&mach_nl_ready, true);	/* pairs with _listened() */
	mutex_unlock(&mach_nl_lock);
}

void mach_netlink_events_stop(void)
{
	mutex_lock(&mach_nl_lock);
	WRITE_ONCE(mach_nl_ready, false);
	mutex_unlock(&mach_nl_lock);
}

u32 mach_netlink_origin(const struct mach_task_os *os)
{
	if (os->teleport)
		return MACH_ORIGIN_TELEPORT;
	if (os->clone)
		return MACH_ORIGIN_CLONE;
	if (os->token_credentials)
		return MACH_ORIGIN_TOKEN;
	if (os->numa_node != NUMA_NO_NODE)
		return MACH_ORIGIN_NORMA;
	return os->shell ? MACH_ORIGIN_TASK_CREATE : MACH_ORIGIN_SELF;
}

/* Send msg, an event built by the caller, to the group's listeners. */
static void mach_nl_multicast(struct sk_buff *msg)
{
	mutex_lock(&mach_nl_lock);
	if (mach_nl_ready)
		genlmsg_multicast_netns(mach_nl_family, &init_net, msg, 0,
					MACH_NLGRP_EVENTS, GFP_KERNEL);
	else
		nlmsg_free(msg);
	mutex_unlock(&mach_nl_lock);
}

/* A new event message of type: its header, or NULL (msg freed). */
static void *mach_nl_event_start(struct sk_buff **msg, u32 type)
{
	void *hdr;

	*msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!*msg)
		return NULL;
	hdr = genlmsg_put(*msg, 0, 0, mach_nl_family, 0, MACH_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(*msg, MACH_A_EVENT_TYPE, type) ||
	    nla_put_u64_64bit(*msg, MACH_A_EVENT_TIME_NS, ktime_get_real_ns(),
			      MACH_A_PAD)) {
		nlmsg_free(*msg);
		return NULL;
	}
	return hdr;
}

static bool mach_nl_listened(void)
{
	/* Pairs with _events_start(): the family is seen with the mark. */
	return smp_load_acquire(&mach_nl_ready) &&
	       genl_has_listeners(mach_nl_family, &init_net, MACH_NLGRP_EVENTS);
}

/* Why os ended, and its status (exit status or signal), if known. */
static u32 mach_nl_end_reason(struct mach_task_os *os, u32 *status, bool *known)
{
	u32 reason = READ_ONCE(os->end_reason);
	int code;

	*known = smp_load_acquire(&os->exit_known);	/* pairs with task.c */
	code = READ_ONCE(os->exit_code);
	if (reason)
		return reason;
	if (*known && (code & 0x7f)) {
		*status = code & 0x7f;
		return MACH_END_KILLED;
	}
	*status = (code >> 8) & 0xff;
	return MACH_END_EXITED;
}

/* Send one event (as uapi/mach/netlink.h says) to the group's listeners. */
void mach_netlink_event(struct mach_task_os *os, u32 event, u32 value)
{
	struct task_struct *t, *parent;
	u32 ppid = 0, reason = 0, status = 0;
	struct sk_buff *msg;
	bool known = false;
	void *hdr;
	int err;

	if (!mach_nl_listened())
		return;
	if (event == MACH_EVENT_CREATED) {
		t = get_pid_task(os->pid, PIDTYPE_TGID);
		if (t) {
			rcu_read_lock();
			parent = rcu_dereference(t->real_parent);
			ppid = task_tgid_nr(parent);
			rcu_read_unlock();
			put_task_struct(t);
		}
	}
	if (event == MACH_EVENT_TERMINATED)
		reason = mach_nl_end_reason(os, &status, &known);
	hdr = mach_nl_event_start(&msg, event);
	if (!hdr)
		return;
	err = nla_put_u32(msg, MACH_A_TASK_PID, pid_nr(os->pid));
	switch (event) {
	case MACH_EVENT_CREATED:
		err = err ?: nla_put_u32(msg, MACH_A_TASK_PPID, ppid);
		if (os->parent_pid)
			err = err ?: nla_put_u32(msg, MACH_A_TASK_PARENT,
						 pid_nr(os->parent_pid));
		err = err ?: nla_put_u32(msg, MACH_A_TASK_ORIGIN, mach_netlink_origin(os));
		break;
	case MACH_EVENT_SUSPENDED:
	case MACH_EVENT_RESUMED:
		err = err ?: nla_put_u32(msg, MACH_A_TASK_SUSPEND, value);
		break;
	case MACH_EVENT_TERMINATED:
		err = err ?: nla_put_u32(msg, MACH_A_EVENT_REASON, reason);
		if (known && (reason == MACH_END_EXITED || reason == MACH_END_KILLED))
			err = err ?: nla_put_u32(msg, MACH_A_EVENT_STATUS, status);
		break;
	case MACH_EVENT_TELEPORTED:
		err = err ?: nla_put_u32(msg, MACH_A_EVENT_CHILD, value);
		break;
	}
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	mach_nl_multicast(msg);
}

void mach_shim_task_event(struct mach_task_os *os, enum mach_shim_event event,
			  u32 value)
{
	mach_netlink_event(os, event, value);
}

void mach_shim_port_destroyed(u32 waiters, u32 queued)
{
	struct sk_buff *msg;
	void *hdr;

	if (!mach_nl_listened())
		return;
	hdr = mach_nl_event_start(&msg, MACH_EVENT_PORT_DESTROYED);
	if (!hdr)
		return;
	if ((!(current->flags & PF_KTHREAD) &&
	     nla_put_u32(msg, MACH_A_TASK_PID, task_tgid_nr(current))) ||
	    nla_put_u32(msg, MACH_A_PORT_WAITERS, waiters) ||
	    nla_put_u32(msg, MACH_A_PORT_MSGCOUNT, queued)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	mach_nl_multicast(msg);
}
