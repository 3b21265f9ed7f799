// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the generic netlink family "mach": the operator's view of
 * the host's tasks, their threads and their ports (uapi/mach/netlink.h
 * documents every command's attribute tree; machctl(8) is the client).
 *
 * A caller sees what /proc would let it read (mach_nl_visible()); the
 * write commands (suspend, resume, terminate) are CAP_SYS_ADMIN's. The
 * caller is both the socket's opener and the request's writer, as for
 * netlink_capable(): a set-uid program that writes into someone else's
 * socket shows them nothing more. The core's data is read through core.h
 * only.
 */
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/pid.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include <mach/abi.h>
#include <mach/netlink.h>

#include "compat.h"
#include "netlink.h"
#include "task_os.h"

/* Tasks taken from the registry at a time by a dump. */
#define MACH_NL_BATCH 16

static const struct nla_policy mach_nl_none_policy[MACH_A_PAD + 1] = {
	[MACH_A_PAD] = { .type = NLA_REJECT },
};

static const struct nla_policy mach_nl_pid_policy[MACH_A_TASK_PID + 1] = {
	[MACH_A_PAD] = { .type = NLA_REJECT },
	[MACH_A_TASK_PID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static struct genl_family mach_genl_family;

/*
 * A dump's state, in its callback's ctx: who asks, decided once when the
 * request is written (later parts are made in whoever calls recvmsg), and
 * how far it has gone.
 */
struct mach_nl_dump {
	const struct cred *opener;	/* the socket's */
	const struct cred *writer;	/* the request's */
	struct pid *writer_tgid;
	bool admin;
	u32 exec_id;			/* a thread or port dump's program */
	unsigned long sent;		/* a task cursor, or threads or names sent */
	struct mach_task *task;		/* a thread or port dump's */
};

static struct mach_nl_dump *mach_nl_dump_of(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct mach_nl_dump) > sizeof(cb->ctx));
	return (struct mach_nl_dump *)cb->ctx;
}

/* May cred read t's process, as /proc says (PTRACE_MODE_READ_FSCREDS)? */
static bool mach_nl_cred_reads(const struct cred *me, struct task_struct *t)
{
	const struct cred *tc;
	bool ok;

	rcu_read_lock();
	tc = __task_cred(t);
	ok = uid_eq(me->fsuid, tc->euid) && uid_eq(me->fsuid, tc->suid) &&
	     uid_eq(me->fsuid, tc->uid) && gid_eq(me->fsgid, tc->egid) &&
	     gid_eq(me->fsgid, tc->sgid) && gid_eq(me->fsgid, tc->gid);
	rcu_read_unlock();
	return ok && mach_task_owner_dumpable(t);
}

/* May the dump's caller, opener and writer both, read t's process? */
static bool mach_nl_visible(const struct mach_nl_dump *d, struct task_struct *t)
{
	if (d->admin)
		return true;
	/* Its own process, as /proc lets it, if it opened the socket too. */
	if (task_tgid(t) == d->writer_tgid && d->opener == d->writer)
		return true;
	return mach_nl_cred_reads(d->opener, t) && mach_nl_cred_reads(d->writer, t);
}

/* A dump starts, in the writer of its request: who asks. */
static int mach_nl_dump_start(struct netlink_callback *cb)
{
	struct mach_nl_dump *d = mach_nl_dump_of(cb);
	struct sock *sk = NETLINK_CB(cb->skb).sk;

	d->admin = netlink_capable(cb->skb, CAP_SYS_ADMIN) ||
		   netlink_capable(cb->skb, CAP_SYS_PTRACE);
	d->opener = get_cred(sk->sk_socket->file->f_cred);
	d->writer = get_current_cred();
	d->writer_tgid = get_pid(task_tgid(current));
	return 0;
}

static int mach_nl_dump_done(struct netlink_callback *cb)
{
	struct mach_nl_dump *d = mach_nl_dump_of(cb);

	if (d->task)
		mach_task_put(d->task);
	put_pid(d->writer_tgid);
	put_cred(d->writer);
	put_cred(d->opener);
	return 0;
}

static int mach_nl_put_words(struct sk_buff *skb, int type, const u32 *w, int n)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u32(skb, MACH_A_TOKEN_WORD, w[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mach_nl_put_stats(struct sk_buff *skb, int type, const u64 *vals,
			     const int *attrs, int n)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(skb, attrs[i], vals[i], MACH_A_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mach_nl_host(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nodes, *node;
	struct sk_buff *msg;
	unsigned int gen;
	struct mach_task *none;
	unsigned long end = ULONG_MAX;
	void *hdr;
	int nid;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mach_genl_family, 0, MACH_CMD_HOST_GET);
	if (!hdr)
		goto too_big;
	mach_tasks_batch(&end, &none, NULL, 0, &gen);
	if (nla_put_u32(msg, MACH_A_HOST_VERSION, MACH_GENL_VERSION) ||
	    nla_put_u32(msg, MACH_A_HOST_ABI, MACH_ABI_VERSION) ||
	    nla_put_u64_64bit(msg, MACH_A_HOST_TASKS, mach_tasks_live(), MACH_A_PAD) ||
	    nla_put_u32(msg, MACH_A_HOST_GENERATION, gen))
		goto too_big;
	nodes = nla_nest_start(msg, MACH_A_HOST_NODES);
	if (!nodes)
		goto too_big;
	for_each_online_node(nid) {
		node = nla_nest_start(msg, MACH_A_NODE);
		if (!node ||
		    nla_put_u32(msg, MACH_A_NODE_ID, nid) ||
		    nla_put_u32(msg, MACH_A_NODE_CPUS,
				cpumask_weight(cpumask_of_node(nid))) ||
		    nla_put_u64_64bit(msg, MACH_A_NODE_MEM_TOTAL,
				      (u64)node_present_pages(nid) << PAGE_SHIFT,
				      MACH_A_NODE_PAD))
			goto too_big;
		nla_nest_end(msg, node);
	}
	nla_nest_end(msg, nodes);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* The nest of a task's rights by type (core.h's enum mach_right_kind). */
static int mach_nl_put_rights(struct sk_buff *skb, const struct mach_task_view *v)
{
	static const int attrs[MACH_RIGHTS_KINDS] = {
		[MACH_RIGHTS_SEND] = MACH_A_RIGHTS_SEND,
		[MACH_RIGHTS_RECEIVE] = MACH_A_RIGHTS_RECEIVE,
		[MACH_RIGHTS_SEND_ONCE] = MACH_A_RIGHTS_SEND_ONCE,
		[MACH_RIGHTS_PORT_SET] = MACH_A_RIGHTS_PORT_SET,
		[MACH_RIGHTS_DEAD_NAME] = MACH_A_RIGHTS_DEAD_NAME,
	};
	u64 vals[MACH_RIGHTS_KINDS];
	int i;

	for (i = 0; i < MACH_RIGHTS_KINDS; i++)
		vals[i] = v->rights[i];
	BUILD_BUG_ON((int)MACH_A_RIGHTS_PAD != (int)MACH_A_STAT_PAD);
	return mach_nl_put_stats(skb, MACH_A_TASK_RIGHTS, vals, attrs,
				 MACH_RIGHTS_KINDS);
}

/* One task's message; -EMSGSIZE when skb is full, 1 if not shown. */
static int mach_nl_fill_task(struct sk_buff *skb, struct netlink_callback *cb,
			     struct mach_task *task)
{
	const struct mach_nl_dump *d = mach_nl_dump_of(cb);
	static const int stat_attrs[] = {
		MACH_A_STAT_VIRTUAL, MACH_A_STAT_RESIDENT,
		MACH_A_STAT_USER_NS, MACH_A_STAT_SYSTEM_NS,
	};
	struct mach_task_os *os = mach_task_os_of(task);
	struct mach_task_stats st = {};
	struct mach_task_view view;
	struct task_struct *t;
	u32 pid, ppid, parent, threads;
	uid_t uid;
	u64 vals[4];
	void *hdr;
	bool ok;

	t = get_pid_task(os->pid, PIDTYPE_TGID);
	if (!t)
		return 1;
	pid = pid_vnr(os->pid);
	ok = pid && mach_nl_visible(d, t);
	rcu_read_lock();
	ppid = task_tgid_vnr(rcu_dereference(t->real_parent));
	uid = from_kuid_munged(d->writer->user_ns, __task_cred(t)->euid);
	rcu_read_unlock();
	threads = get_nr_threads(t);
	put_task_struct(t);
	if (!ok)
		return 1;
	if (!mach_shim_task_stats(os, MACH_STATS_MEMORY | MACH_STATS_DEAD_TIMES |
				  MACH_STATS_LIVE_TIMES | MACH_STATS_TOKENS |
				  MACH_STATS_NODE, &st))
		return 1;
	vals[0] = st.virtual_bytes;
	vals[1] = st.resident_bytes;
	vals[2] = st.dead_user_ns + st.live_user_ns;
	vals[3] = st.dead_system_ns + st.live_system_ns;
	mach_task_get_view(task, &view);
	parent = os->parent_pid ? pid_vnr(os->parent_pid) : 0;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mach_genl_family, NLM_F_MULTI, MACH_CMD_TASK_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, MACH_A_TASK_PID, pid) ||
	    nla_put_u32(skb, MACH_A_TASK_PPID, ppid) ||
	    (parent && nla_put_u32(skb, MACH_A_TASK_PARENT, parent)) ||
	    (view.self_name && nla_put_u32(skb, MACH_A_TASK_PORT, view.self_name)) ||
	    nla_put_u32(skb, MACH_A_TASK_ORIGIN, mach_netlink_origin(os)) ||
	    (st.node >= 0 && nla_put_u32(skb, MACH_A_TASK_NODE, st.node)) ||
	    nla_put_u32(skb, MACH_A_TASK_SUSPEND, view.suspend_count) ||
	    nla_put_u32(skb, MACH_A_TASK_THREADS, threads) ||
	    nla_put_u32(skb, MACH_A_TASK_MACH_THREADS, mach_task_thread_count(task)) ||
	    nla_put_u32(skb, MACH_A_TASK_PORTS, view.names) ||
	    mach_nl_put_rights(skb, &view) ||
	    nla_put_u32(skb, MACH_A_TASK_EXC_MASK, view.exception_mask) ||
	    nla_put_u32(skb, MACH_A_TASK_UID, uid) ||
	    mach_nl_put_stats(skb, MACH_A_TASK_STATS, vals, stat_attrs, 4) ||
	    mach_nl_put_words(skb, MACH_A_TASK_SECURITY, st.security, 2) ||
	    mach_nl_put_words(skb, MACH_A_TASK_AUDIT, st.audit, 8)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int mach_nl_tasks(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mach_nl_dump *d = mach_nl_dump_of(cb);
	struct mach_task *batch[MACH_NL_BATCH];
	unsigned long cursor, at[MACH_NL_BATCH];
	unsigned int n, i, gen;
	int err = 0;

	do {
		cursor = d->sent;
		n = mach_tasks_batch(&cursor, batch, at, MACH_NL_BATCH, &gen);
		cb->seq = gen;
		for (i = 0; i < n; i++) {
			if (!err) {
				err = mach_nl_fill_task(skb, cb, batch[i]);
				if (err >= 0) {
					err = 0;
					d->sent = at[i];
				}
			}
			mach_task_put(batch[i]);
		}
	} while (n == MACH_NL_BATCH && !err);
	if (err && !skb->len)
		return err;
	return skb->len;
}

/*
 * The task the request's MACH_A_TASK_PID names, if the caller may read it:
 * a new reference, or ERR_PTR (-ESRCH: no such task, or not visible). The
 * program its process runs is noted in the dump (d->exec_id).
 */
static struct mach_task *mach_nl_task_of(struct netlink_callback *cb)
{
	struct mach_nl_dump *d = mach_nl_dump_of(cb);
	struct nlattr *attrs[MACH_A_TASK_PID + 1];
	struct mach_task *task;
	struct task_struct *t;
	struct pid *pid;
	int err;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, MACH_A_TASK_PID,
			  mach_nl_pid_policy, cb->extack);
	if (err)
		return ERR_PTR(err);
	if (!attrs[MACH_A_TASK_PID]) {
		NL_SET_ERR_MSG(cb->extack, "a PID is required");
		return ERR_PTR(-EINVAL);
	}
	pid = find_get_pid(nla_get_u32(attrs[MACH_A_TASK_PID]));
	if (!pid)
		return ERR_PTR(-ESRCH);
	task = mach_task_lookup(pid);
	t = get_pid_task(pid, PIDTYPE_TGID);
	put_pid(pid);
	if (task && (!t || !mach_nl_visible(d, t))) {
		mach_task_put(task);
		task = NULL;
	}
	if (t) {
		d->exec_id = (u32)READ_ONCE(t->self_exec_id);
		put_task_struct(t);
	}
	return task ?: ERR_PTR(-ESRCH);
}

/*
 * A dump of one task's threads or ports starts: its task, kept until
 * done, so that a refusal is the request's answer.
 */
static int mach_nl_task_start(struct netlink_callback *cb)
{
	struct mach_nl_dump *d = mach_nl_dump_of(cb);
	struct mach_task *task;

	mach_nl_dump_start(cb);
	task = mach_nl_task_of(cb);
	if (IS_ERR(task)) {
		mach_nl_dump_done(cb);	/* not called when start fails */
		return PTR_ERR(task);
	}
	d->task = task;
	return 0;
}

/*
 * The leader of a thread or port dump's task, a reference, as each part
 * of the dump begins and once it is filled: NULL if the process is gone,
 * ERR_PTR(-ESRCH) once the reader may not read it any more or it runs
 * another program. A dump is read a part at a time, as slowly as its
 * reader likes: a set-uid exec meanwhile must not show the new program's
 * threads and names to a reader who may not see them.
 */
static struct task_struct *mach_nl_dump_leader(const struct mach_nl_dump *d)
{
	struct task_struct *leader;

	leader = get_pid_task(mach_task_os_of(d->task)->pid, PIDTYPE_TGID);
	if (leader && ((u32)READ_ONCE(leader->self_exec_id) != d->exec_id ||
		       !mach_nl_visible(d, leader))) {
		put_task_struct(leader);
		leader = ERR_PTR(-ESRCH);
	}
	return leader;
}

/* Is the part just filled still the reader's? If not, it is taken out. */
static bool mach_nl_dump_part_readable(const struct mach_nl_dump *d, struct sk_buff *skb,
				       const unsigned char *start)
{
	struct task_struct *leader = mach_nl_dump_leader(d);

	if (IS_ERR(leader)) {
		nlmsg_trim(skb, start);
		return false;
	}
	if (leader)
		put_task_struct(leader);
	return true;
}

static u32 mach_nl_thread_state(struct task_struct *t)
{
	unsigned int state = READ_ONCE(t->__state);

	if (t->flags & PF_EXITING)
		return MACH_THREAD_STATE_HALTED;
	if (state == TASK_RUNNING)
		return MACH_THREAD_STATE_RUNNING;
	if (state & (__TASK_STOPPED | __TASK_TRACED))
		return MACH_THREAD_STATE_STOPPED;
	if (state & TASK_UNINTERRUPTIBLE)
		return MACH_THREAD_STATE_UNINTERRUPTIBLE;
	return MACH_THREAD_STATE_WAITING;
}

/* The Mach suspend count of thread tid among views, or -1 if it is none. */
static s64 mach_nl_thread_suspend(const struct mach_thread_view *views, u32 n,
				  pid_t tid)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (views[i].tid == tid)
			return views[i].suspend_count;
	return -1;
}

static int mach_nl_threads(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mach_nl_dump *d = mach_nl_dump_of(cb);
	static const int stat_attrs[] = {
		MACH_A_STAT_USER_NS, MACH_A_STAT_SYSTEM_NS,
	};
	const unsigned char *start = skb_tail_pointer(skb);
	struct task_struct *leader, *t, *agent;
	struct mach_spare_pids spares;
	struct mach_thread_view *views;
	struct mach_task_os *os;
	struct mach_task *task;
	unsigned long at = 0;
	u32 count, got;
	int err = 0;

	task = d->task;
	os = mach_task_os_of(task);
	count = mach_task_thread_count(task) + 16;
	views = kvmalloc_array(count, sizeof(*views), GFP_KERNEL);
	if (!views)
		return -ENOMEM;
	got = min(mach_task_thread_views(task, views, count), count);
	leader = mach_nl_dump_leader(d);
	if (IS_ERR_OR_NULL(leader)) {
		kvfree(views);
		return PTR_ERR_OR_ZERO(leader);
	}
	spin_lock(&os->agent.lock);
	agent = os->agent.thread;
	if (agent)
		get_task_struct(agent);
	mach_task_get_spare_pids_locked(os, &spares);
	spin_unlock(&os->agent.lock);

	rcu_read_lock();
	for_each_thread(leader, t) {
		u64 vals[2], ut, st;
		s64 suspend;
		void *hdr;

		if (at++ < d->sent)
			continue;
		task_cputime_adjusted(t, &ut, &st);
		vals[0] = ut;
		vals[1] = st;
		suspend = mach_nl_thread_suspend(views, got, task_pid_vnr(t));
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &mach_genl_family,
				  NLM_F_MULTI, MACH_CMD_THREAD_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		if (nla_put_u32(skb, MACH_A_THREAD_TID, task_pid_vnr(t)) ||
		    nla_put_u32(skb, MACH_A_THREAD_STATE, mach_nl_thread_state(t)) ||
		    (t == agent && nla_put_flag(skb, MACH_A_THREAD_AGENT)) ||
		    (mach_spare_pids_have(&spares, t) &&
		     nla_put_flag(skb, MACH_A_THREAD_SPARE)) ||
		    (suspend >= 0 && nla_put_u32(skb, MACH_A_THREAD_SUSPEND, suspend)) ||
		    mach_nl_put_stats(skb, MACH_A_THREAD_STATS, vals, stat_attrs, 2)) {
			genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		d->sent++;
	}
	rcu_read_unlock();
	if (agent)
		put_task_struct(agent);
	mach_put_spare_pids(&spares);
	put_task_struct(leader);
	kvfree(views);
	if (!mach_nl_dump_part_readable(d, skb, start))
		return -ESRCH;
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* What a live port stands for and the requests pending on it. */
/* The core's values are the uapi's. */
static_assert((int)MACH_PORT_OBJECT_LEDGER == (int)MACH_OBJECT_LEDGER &&
	      (int)MACH_PORT_OBJECT_HOST_SECURITY == (int)MACH_OBJECT_HOST_SECURITY &&
	      (int)MACH_PORT_OBJECT_HOST_PRIV == (int)MACH_OBJECT_HOST_PRIV &&
	      (int)MACH_PORT_OBJECT_HOST == (int)MACH_OBJECT_HOST &&
	      (int)MACH_PORT_OBJECT_THREAD == (int)MACH_OBJECT_THREAD &&
	      (int)MACH_PORT_OBJECT_TASK_NAME == (int)MACH_OBJECT_TASK_NAME &&
	      (int)MACH_PORT_OBJECT_TASK == (int)MACH_OBJECT_TASK &&
	      (int)MACH_PORT_OBJECT_NONE == (int)MACH_OBJECT_NONE);

static int mach_nl_put_port_live(struct sk_buff *skb, const struct mach_port_view *v)
{
	static const int attrs[] = {
		MACH_A_REQ_NO_SENDERS, MACH_A_REQ_PORT_DESTROYED, MACH_A_REQ_DEAD_NAME,
	};
	u64 vals[] = { v->no_senders, v->port_destroyed, v->dead_names };

	BUILD_BUG_ON((int)MACH_A_REQ_PAD != (int)MACH_A_STAT_PAD);
	if (nla_put_u32(skb, MACH_A_PORT_OBJECT, v->object))
		return -EMSGSIZE;
	return mach_nl_put_stats(skb, MACH_A_PORT_REQUESTS, vals, attrs,
				 ARRAY_SIZE(attrs));
}

/* Names are counted in a fresh look at the space each time. */
static int mach_nl_ports(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mach_nl_dump *d = mach_nl_dump_of(cb);
	const unsigned char *start = skb_tail_pointer(skb);
	struct mach_port_view *views;
	struct task_struct *leader;
	struct mach_task *task;
	u32 count, got, i;
	int err = 0;

	leader = mach_nl_dump_leader(d);
	if (IS_ERR(leader))
		return PTR_ERR(leader);
	if (leader)
		put_task_struct(leader);
	task = d->task;
	count = mach_task_port_views(task, NULL, 0) + 16;
	views = kvmalloc_array(count, sizeof(*views), GFP_KERNEL);
	if (!views)
		return -ENOMEM;
	got = min(mach_task_port_views(task, views, count), count);

	for (i = d->sent; i < got; i++) {
		const struct mach_port_view *v = &views[i];
		void *hdr;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &mach_genl_family,
				  NLM_F_MULTI, MACH_CMD_PORT_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		if (nla_put_u32(skb, MACH_A_PORT_NAME, v->name) ||
		    nla_put_u32(skb, MACH_A_PORT_TYPE, v->type) ||
		    nla_put_u32(skb, MACH_A_PORT_UREFS, v->urefs) ||
		    nla_put_u32(skb, MACH_A_PORT_QLIMIT, v->qlimit) ||
		    nla_put_u32(skb, MACH_A_PORT_MSGCOUNT, v->msgcount) ||
		    nla_put_u32(skb, MACH_A_PORT_SEQNO, v->seqno) ||
		    (v->kernel && nla_put_flag(skb, MACH_A_PORT_KERNEL)) ||
		    (v->live && mach_nl_put_port_live(skb, v))) {
			genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		d->sent++;
	}
	kvfree(views);
	if (!mach_nl_dump_part_readable(d, skb, start))
		return -ESRCH;
	if (err && !skb->len)
		return err;
	return skb->len;
}

/*
 * The operator's task_suspend, task_resume, task_terminate: CAP_SYS_ADMIN
 * in the initial user namespace (GENL_ADMIN_PERM would ask CAP_NET_ADMIN,
 * which a network daemon has). terminate sends the kill and returns: the
 * wait for the task to go is the caller's (machctl's), not under
 * genetlink's cb_lock, which every family's requests share.
 */
static int mach_nl_operator(struct sk_buff *skb, struct genl_info *info)
{
	struct mach_task *task;
	struct pid *pid;
	int ret;

	if (!netlink_capable(skb, CAP_SYS_ADMIN))
		return -EPERM;
	if (!info->attrs[MACH_A_TASK_PID]) {
		NL_SET_ERR_MSG(info->extack, "a PID is required");
		return -EINVAL;
	}
	pid = find_get_pid(nla_get_u32(info->attrs[MACH_A_TASK_PID]));
	if (!pid)
		return -ESRCH;
	task = mach_task_lookup(pid);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	switch (info->genlhdr->cmd) {
	case MACH_CMD_TASK_SUSPEND:
		ret = mach_task_operator_call(task, MACH_OPERATOR_SUSPEND);
		break;
	case MACH_CMD_TASK_RESUME:
		ret = mach_task_operator_call(task, MACH_OPERATOR_RESUME);
		break;
	default:
		ret = mach_task_end(mach_task_os_of(task));
		break;
	}
	mach_task_put(task);
	if (ret == -EINVAL)
		NL_SET_ERR_MSG(info->extack, "the task is not suspended");
	return ret;
}

static const struct genl_multicast_group mach_genl_mcgrps[] = {
	[MACH_NLGRP_EVENTS] = {
		.name = MACH_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

static const struct genl_ops mach_genl_ops[] = {
	{
		.cmd = MACH_CMD_HOST_GET,
		.doit = mach_nl_host,
		.policy = mach_nl_none_policy,
		.maxattr = MACH_A_PAD,
	},
	{
		.cmd = MACH_CMD_TASK_GET,
		.start = mach_nl_dump_start,
		.dumpit = mach_nl_tasks,
		.done = mach_nl_dump_done,
		.policy = mach_nl_none_policy,
		.maxattr = MACH_A_PAD,
	},
	{
		.cmd = MACH_CMD_THREAD_GET,
		.start = mach_nl_task_start,
		.dumpit = mach_nl_threads,
		.done = mach_nl_dump_done,
		.policy = mach_nl_pid_policy,
		.maxattr = MACH_A_TASK_PID,
	},
	{
		.cmd = MACH_CMD_PORT_GET,
		.start = mach_nl_task_start,
		.dumpit = mach_nl_ports,
		.done = mach_nl_dump_done,
		.policy = mach_nl_pid_policy,
		.maxattr = MACH_A_TASK_PID,
	},
	{
		.cmd = MACH_CMD_TASK_SUSPEND,
		.doit = mach_nl_operator,
		.policy = mach_nl_pid_policy,
		.maxattr = MACH_A_TASK_PID,
	},
	{
		.cmd = MACH_CMD_TASK_RESUME,
		.doit = mach_nl_operator,
		.policy = mach_nl_pid_policy,
		.maxattr = MACH_A_TASK_PID,
	},
	{
		.cmd = MACH_CMD_TASK_TERMINATE,
		.doit = mach_nl_operator,
		.policy = mach_nl_pid_policy,
		.maxattr = MACH_A_TASK_PID,
	},
};

static struct genl_family mach_genl_family __ro_after_init = {
	.name = MACH_GENL_NAME,
	.version = MACH_GENL_VERSION,
	.netnsok = true,
	/* Our own locks serve; nothing needs genl_mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = mach_genl_ops,
	.n_ops = ARRAY_SIZE(mach_genl_ops),
	.mcgrps = mach_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mach_genl_mcgrps),
	.resv_start_op = __MACH_CMD_MAX,
};

int mach_netlink_init(void)
{
	int ret = genl_register_family(&mach_genl_family);

	if (!ret)
		mach_netlink_events_start(&mach_genl_family);
	return ret;
}

void mach_netlink_exit(void)
{
	mach_netlink_events_stop();
	genl_unregister_family(&mach_genl_family);
}
