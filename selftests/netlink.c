// SPDX-License-Identifier: GPL-2.0
/*
 * netlink: the generic netlink family "mach" (uapi/mach/netlink.h) and
 * its client machctl: host, dumps of tasks, threads and ports checked
 * against what the test made, strict policies, /proc's visibility, and
 * dumps that stay consistent while tasks come and go.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#include <mach/netlink.h>

#define NL_BUF (64 * 1024)

struct nl {
	int fd;
	int family;
	unsigned int seq;
	char buf[NL_BUF];
};

struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[256];
};

static void nl_attr_put(struct nlreq *r, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static int nl_send(struct nl *nl, int family, int cmd, int flags,
		   int attr, const void *data, int len)
{
	struct nlreq r = {};

	r.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r.n.nlmsg_type = family;
	r.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r.n.nlmsg_seq = ++nl->seq;
	r.g.cmd = cmd;
	r.g.version = 1;
	if (attr)
		nl_attr_put(&r, attr, data, len);
	return send(nl->fd, &r, r.n.nlmsg_len, 0) == (ssize_t)r.n.nlmsg_len ? 0 : -1;
}

/*
 * Receives until the answer ends: calls fn on each message of it. 0, or
 * the negative errno the kernel answered. *intr: a message was flagged
 * NLM_F_DUMP_INTR.
 */
static int nl_recv(struct nl *nl, void (*fn)(struct nlmsghdr *, void *),
		   void *arg, int *intr)
{
	for (;;) {
		ssize_t len = recv(nl->fd, nl->buf, sizeof(nl->buf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			return -errno;
		for (h = (struct nlmsghdr *)nl->buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != nl->seq)
				continue;
			if (intr && (h->nlmsg_flags & NLM_F_DUMP_INTR))
				*intr = 1;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)	/* a dump's own errno */
				return h->nlmsg_len >= NLMSG_LENGTH(4) ?
					*(int *)NLMSG_DATA(h) : 0;
			if (fn)
				fn(h, arg);
		}
	}
}

/* The attribute of type in [start, start + len), or NULL. */
static struct nlattr *nl_find(void *start, int len, int type)
{
	struct nlattr *a = start;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static struct nlattr *msg_attr(struct nlmsghdr *h, int type)
{
	return nl_find((char *)NLMSG_DATA(h) + GENL_HDRLEN,
		       h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), type);
}

static uint32_t attr_u32(struct nlattr *a)
{
	return a ? *(uint32_t *)((char *)a + NLA_HDRLEN) : 0xffffffff;
}

static uint64_t attr_u64(struct nlattr *a)
{
	uint64_t v;

	if (!a)
		return ~0ull;
	memcpy(&v, (char *)a + NLA_HDRLEN, 8);
	return v;
}

static int events_group = -1;

static void family_cb(struct nlmsghdr *h, void *arg)
{
	struct nlattr *a = msg_attr(h, CTRL_ATTR_FAMILY_ID);
	struct nlattr *groups = msg_attr(h, CTRL_ATTR_MCAST_GROUPS), *g;
	int len;

	if (a)
		*(int *)arg = *(uint16_t *)((char *)a + NLA_HDRLEN);
	if (!groups)
		return;
	/* Each group: a nest of its name and id. */
	g = (struct nlattr *)((char *)groups + NLA_HDRLEN);
	len = groups->nla_len - NLA_HDRLEN;
	while (len >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN && g->nla_len <= len) {
		struct nlattr *name = nl_find((char *)g + NLA_HDRLEN, g->nla_len - NLA_HDRLEN,
					      CTRL_ATTR_MCAST_GRP_NAME);
		struct nlattr *id = nl_find((char *)g + NLA_HDRLEN, g->nla_len - NLA_HDRLEN,
					    CTRL_ATTR_MCAST_GRP_ID);

		if (name && id && !strcmp((char *)name + NLA_HDRLEN, MACH_GENL_MCGRP_EVENTS))
			events_group = attr_u32(id);
		len -= NLA_ALIGN(g->nla_len);
		g = (struct nlattr *)((char *)g + NLA_ALIGN(g->nla_len));
	}
}

/* 0, or -1 (no family: the module is not loaded). */
static int nl_open(struct nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int id = -1;

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0 || bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	nl->seq = 1000;
	if (nl_send(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, CTRL_ATTR_FAMILY_NAME,
		    MACH_GENL_NAME, sizeof(MACH_GENL_NAME)))
		return -1;
	if (nl_recv(nl, family_cb, &id, NULL) || id < 0)
		return -1;
	nl->family = id;
	return 0;
}

/* What a dump saw. */
#define MAX_SEEN 4096
struct seen {
	int n;
	uint32_t key[MAX_SEEN];		/* pid, tid or name */
	uint32_t a[MAX_SEEN];		/* origin, agent, type */
	uint32_t b[MAX_SEEN];		/* suspend count, -, kernel */
	uint32_t c[MAX_SEEN];		/* ppid, spare, urefs */
};

static void task_cb(struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return;
	s->key[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_PID));
	s->a[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_ORIGIN));
	s->b[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_SUSPEND));
	s->c[s->n] = attr_u32(msg_attr(h, MACH_A_TASK_PPID));
	s->n++;
}

static void thread_cb(struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return;
	s->key[s->n] = attr_u32(msg_attr(h, MACH_A_THREAD_TID));
	s->a[s->n] = msg_attr(h, MACH_A_THREAD_AGENT) != NULL;
	s->b[s->n] = attr_u32(msg_attr(h, MACH_A_THREAD_STATE));
	s->c[s->n] = msg_attr(h, MACH_A_THREAD_SPARE) != NULL;
	s->n++;
}

static void port_cb(struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return;
	s->key[s->n] = attr_u32(msg_attr(h, MACH_A_PORT_NAME));
	s->a[s->n] = attr_u32(msg_attr(h, MACH_A_PORT_TYPE));
	s->b[s->n] = msg_attr(h, MACH_A_PORT_KERNEL) != NULL;
	s->c[s->n] = attr_u32(msg_attr(h, MACH_A_PORT_UREFS));
	s->n++;
}

static int find(const struct seen *s, uint32_t key)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->key[i] == key)
			return i;
	return -1;
}

static int dump(struct nl *nl, int cmd, uint32_t pid, struct seen *s, int *intr)
{
	void (*fn)(struct nlmsghdr *, void *) = cmd == MACH_CMD_TASK_GET ? task_cb :
		cmd == MACH_CMD_THREAD_GET ? thread_cb : port_cb;

	s->n = 0;
	if (nl_send(nl, nl->family, cmd, NLM_F_DUMP, pid ? MACH_A_TASK_PID : 0,
		    &pid, 4))
		return -EIO;
	return nl_recv(nl, fn, s, intr);
}

FIXTURE(nl) {
	struct made made;
	struct nl nl;
	struct seen s;
};

FIXTURE_SETUP(nl)
{
	made_begin(&self->made);
	ASSERT_NE(MACH_PORT_NULL, mach_task_self());
	ASSERT_EQ(0, nl_open(&self->nl)) {
		TH_LOG("no generic netlink family \"mach\"");
	}
}

FIXTURE_TEARDOWN(nl)
{
	made_end(&self->made);
	close(self->nl.fd);
}

static void host_cb(struct nlmsghdr *h, void *arg)
{
	uint64_t *out = arg;
	struct nlattr *nodes = msg_attr(h, MACH_A_HOST_NODES);

	out[0] = attr_u32(msg_attr(h, MACH_A_HOST_VERSION));
	out[1] = attr_u64(msg_attr(h, MACH_A_HOST_TASKS));
	out[2] = nodes ? nl_find((char *)nodes + NLA_HDRLEN,
				 nodes->nla_len - NLA_HDRLEN, MACH_A_NODE) != NULL : 0;
}

/* host: the version, live tasks (this one at least), one node at least. */
TEST_F(nl, host)
{
	uint64_t out[3] = {};

	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_HOST_GET, 0, 0, NULL, 0));
	ASSERT_EQ(0, nl_recv(&self->nl, host_cb, out, NULL));
	EXPECT_EQ(MACH_GENL_VERSION, out[0]);
	EXPECT_LE(1, out[1]);
	EXPECT_EQ(1, out[2]);
}

/* tasks: this task (made by itself) and a child by task_create, with its counts. */
TEST_F(nl, tasks_show_what_the_test_made)
{
	task_t child;
	int pid, i;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));

	ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, NULL));
	i = find(&self->s, getpid());
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_ORIGIN_SELF, self->s.a[i]);
	EXPECT_EQ(0, self->s.b[i]);
	i = find(&self->s, pid);
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_ORIGIN_TASK_CREATE, self->s.a[i]);
	EXPECT_EQ(2, self->s.b[i]);

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), child);
	/* Gone from the dump once its process is (the registry learns it by a work item). */
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, NULL));
		if (find(&self->s, pid) < 0)
			break;
		usleep(10000);
	}
	EXPECT_GT(200, i);
}

static void *sleeper(void *arg)
{
	*(pid_t *)arg = syscall(SYS_gettid);
	pause();
	return NULL;
}

/* threads: this process's threads by tid, a thread it started included. */
TEST_F(nl, threads_of_a_task)
{
	pthread_t th;
	volatile pid_t tid = 0;

	ASSERT_EQ(0, pthread_create(&th, NULL, sleeper, (void *)&tid));
	while (!tid)
		usleep(1000);
	ASSERT_EQ(0, dump(&self->nl, MACH_CMD_THREAD_GET, getpid(), &self->s, NULL));
	EXPECT_LE(2, self->s.n);
	EXPECT_LE(0, find(&self->s, getpid()));
	EXPECT_LE(0, find(&self->s, tid));
	EXPECT_EQ(0, self->s.a[find(&self->s, getpid())]);	/* not the agent */
	pthread_cancel(th);
	pthread_join(th, NULL);
}

/*
 * threads: a task whose threads thread_create made shows its agent, and
 * the two spares the agent clones ahead (one at a time) once it has made
 * two, each flagged; its Mach threads are neither.
 */
TEST_F(nl, threads_show_the_agent_and_its_spares)
{
	int pid, agents = 0, spares = 0;
	thread_act_t threads[2];
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(task, &pid));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &threads[i]));
	for (int waited = 0; waited < 3000 && spares < 2; waited += 10) {
		usleep(10 * 1000);
		ASSERT_EQ(0, dump(&self->nl, MACH_CMD_THREAD_GET, pid, &self->s, NULL));
		agents = spares = 0;
		for (int i = 0; i < self->s.n; i++) {
			agents += self->s.a[i];
			spares += self->s.c[i];
			EXPECT_FALSE(self->s.a[i] && self->s.c[i]);
		}
	}
	EXPECT_EQ(1, agents);
	EXPECT_EQ(2, spares);
	EXPECT_EQ(5, self->s.n);	/* and the two threads made */
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(KERN_SUCCESS, thread_terminate(threads[i]));
		mach_port_deallocate(mach_task_self(), threads[i]);
	}
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
}

/* ports: a receive right the test made, with its send right, and the task port. */
TEST_F(nl, ports_of_a_task)
{
	mach_port_t port;
	int i;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(0, dump(&self->nl, MACH_CMD_PORT_GET, getpid(), &self->s, NULL));
	i = find(&self->s, port);
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, self->s.a[i] & MACH_PORT_TYPE_SEND_RECEIVE);
	EXPECT_EQ(1, self->s.c[i]);
	EXPECT_EQ(0, self->s.b[i]);
	i = find(&self->s, mach_task_self());
	ASSERT_LE(0, i);
	EXPECT_EQ(1, self->s.b[i]);	/* stands for a kernel object: the task */
	EXPECT_EQ(MACH_PORT_TYPE_SEND, self->s.a[i] & MACH_PORT_TYPE_SEND);
	mach_port_destroy(mach_task_self(), port);
}

/* Bad input: netlink's answers, nothing more. */
TEST_F(nl, bad_input_refused)
{
	uint32_t pid = getpid();
	uint64_t wide = pid;
	uint16_t narrow = 1;

	/* No PID for a dump that needs one. */
	EXPECT_EQ(-EINVAL, dump(&self->nl, MACH_CMD_THREAD_GET, 0, &self->s, NULL));
	/* An attribute a command does not take, one beyond any, a wrong size. */
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_TASK_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &pid, 4));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_MAX + 5, &pid, 4));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &narrow, 2));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &wide, 8));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));
	/* PID 0 (below the policy's minimum, 1), an unknown command. */
	pid = 0;
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &pid, 4));
	EXPECT_EQ(-ERANGE, nl_recv(&self->nl, NULL, NULL, NULL));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_MAX + 1, 0, 0, NULL, 0));
	EXPECT_EQ(-EOPNOTSUPP, nl_recv(&self->nl, NULL, NULL, NULL));
	/* A process that is no task, and no process at all. */
	EXPECT_EQ(-ESRCH, dump(&self->nl, MACH_CMD_PORT_GET, 1, &self->s, NULL));
	EXPECT_EQ(-ESRCH, dump(&self->nl, MACH_CMD_THREAD_GET, 0x3fffffff, &self->s, NULL));
}

/* An unprivileged user sees its own task only, not root's. */
TEST_F(nl, unprivileged_sees_only_its_own)
{
	int status;
	pid_t parent = getpid(), kid;

	if (getuid() != 0)
		SKIP(return, "needs root to become another user");
	kid = made_fork(&self->made);
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct nl nl;
		struct seen *s = calloc(1, sizeof(*s));

		if (!s || setgid(65534) || setuid(65534))
			_exit(10);
		prctl(PR_SET_DUMPABLE, 1);
		if (mach_task_self() == MACH_PORT_NULL || nl_open(&nl))
			_exit(11);
		if (dump(&nl, MACH_CMD_TASK_GET, 0, s, NULL))
			_exit(12);
		if (find(s, parent) >= 0)
			_exit(13);	/* root's task shown */
		if (find(s, getpid()) < 0)
			_exit(14);	/* its own not shown */
		if (dump(&nl, MACH_CMD_PORT_GET, parent, s, NULL) != -ESRCH)
			_exit(15);
		if (dump(&nl, MACH_CMD_THREAD_GET, parent, s, NULL) != -ESRCH)
			_exit(16);
		if (dump(&nl, MACH_CMD_PORT_GET, getpid(), s, NULL) || s->n < 1)
			_exit(17);
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * A request that root writes into a socket nobody opened (a set-uid
 * program writing to the stdout it was given, say) shows only what nobody
 * may see: its caller is the opener as much as the writer.
 */
TEST_F(nl, a_request_written_into_anothers_socket_shows_what_its_opener_may)
{
	int opened[2], done[2], status, pidfd;
	struct nl *theirs = calloc(1, sizeof(*theirs));
	pid_t kid;

	if (getuid() != 0)
		SKIP(return, "needs root to become another user");
	ASSERT_NE(NULL, theirs);
	ASSERT_EQ(0, pipe(opened));
	ASSERT_EQ(0, pipe(done));
	kid = made_fork(&self->made);
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct nl nl;
		char c;

		if (setgid(65534) || setuid(65534) || nl_open(&nl))
			_exit(10);
		if (write(opened[1], &nl.fd, sizeof(nl.fd)) != sizeof(nl.fd))
			_exit(11);
		_exit(read(done[0], &c, 1) == 1 ? 0 : 12);
	}
	ASSERT_EQ(sizeof(theirs->fd), read(opened[0], &theirs->fd, sizeof(theirs->fd)));
	pidfd = syscall(__NR_pidfd_open, kid, 0);
	ASSERT_LE(0, pidfd);
	theirs->fd = syscall(__NR_pidfd_getfd, pidfd, theirs->fd, 0);
	ASSERT_LE(0, theirs->fd);
	theirs->family = self->nl.family;
	theirs->seq = 2000;

	/* Root's own task, seen through root's socket... */
	ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, NULL));
	EXPECT_LE(0, find(&self->s, getpid()));
	/* ...and not through nobody's, nor its threads and ports. */
	ASSERT_EQ(0, dump(theirs, MACH_CMD_TASK_GET, 0, &self->s, NULL));
	EXPECT_EQ(-1, find(&self->s, getpid()));
	EXPECT_EQ(-ESRCH, dump(theirs, MACH_CMD_THREAD_GET, getpid(), &self->s, NULL));
	EXPECT_EQ(-ESRCH, dump(theirs, MACH_CMD_PORT_GET, getpid(), &self->s, NULL));

	ASSERT_EQ(1, write(done[1], "", 1));
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(theirs->fd);
	close(pidfd);
	free(theirs);
	close(opened[0]);
	close(opened[1]);
	close(done[0]);
	close(done[1]);
}

/*
 * Dumps while tasks are made and terminated: each either saw a consistent
 * list (no task twice) or was flagged NLM_F_DUMP_INTR.
 */
TEST_F(nl, dump_consistent_while_tasks_churn)
{
	pid_t churner;
	int i, j, k, intr_seen = 0, status;

	churner = made_fork(&self->made);
	ASSERT_LE(0, churner);
	if (churner == 0) {
		for (;;) {
			task_t t;

			if (task_create(mach_task_self(), NULL, 0, FALSE, &t) == KERN_SUCCESS) {
				task_terminate(t);
				mach_port_deallocate(mach_task_self(), t);
			}
		}
	}
	for (i = 0; i < 100; i++) {
		int intr = 0;

		ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, &intr));
		intr_seen += intr;
		if (intr)
			continue;
		for (j = 0; j < self->s.n; j++)
			for (k = j + 1; k < self->s.n; k++)
				ASSERT_NE(self->s.key[j], self->s.key[k]);
		ASSERT_LE(0, find(&self->s, getpid()));
	}
	kill(churner, SIGKILL);
	waitpid(churner, &status, 0);
	TH_LOG("%d of 100 dumps flagged interrupted", intr_seen);
}

/* A socket in the event group: its fd, or -errno. */
static int events_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &events_group,
		       sizeof(events_group))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* The next event of pid: its type (and *value, the suspend count), or -1. */
static int next_event(int fd, char *buf, int pid, uint32_t *value)
{
	for (;;) {
		ssize_t len = recv(fd, buf, NL_BUF, 0);
		struct nlmsghdr *h;

		if (len <= 0)
			return -1;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (attr_u32(msg_attr(h, MACH_A_TASK_PID)) != (uint32_t)pid)
				continue;
			*value = attr_u32(msg_attr(h, MACH_A_TASK_SUSPEND));
			/* One message a datagram: the group sends them one by one. */
			return attr_u32(msg_attr(h, MACH_A_EVENT_TYPE));
		}
	}
}

/* Events of a task's life arrive in order: create, suspend, resume, terminate. */
TEST_F(nl, events_in_order)
{
	static char buf[NL_BUF];
	uint32_t value = 0;
	task_t child;
	int fd, pid, status;
	pid_t kid;

	ASSERT_LE(0, events_group);
	fd = events_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child));
	ASSERT_EQ(KERN_SUCCESS, task_resume(child));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), child);

	EXPECT_EQ(MACH_EVENT_CREATED, next_event(fd, buf, pid, &value));
	EXPECT_EQ(MACH_EVENT_SUSPENDED, next_event(fd, buf, pid, &value));
	EXPECT_EQ(1, value);
	EXPECT_EQ(MACH_EVENT_RESUMED, next_event(fd, buf, pid, &value));
	EXPECT_EQ(0, value);
	EXPECT_EQ(MACH_EVENT_TERMINATED, next_event(fd, buf, pid, &value));
	close(fd);

	/* Only CAP_SYS_ADMIN may listen. */
	if (getuid() != 0)
		return;
	kid = made_fork(&self->made);
	ASSERT_LE(0, kid);
	if (kid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		_exit(events_socket() == -EPERM ? 0 : 11);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* A nest of u64 counters into out[type], types up to max. */
static void nest_counts(struct nlattr *nest, uint64_t *out, int max)
{
	struct nlattr *a;
	int len;

	if (!nest)
		return;
	a = (struct nlattr *)((char *)nest + NLA_HDRLEN);
	len = nest->nla_len - NLA_HDRLEN;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t > 0 && t <= max)
			out[t] = attr_u64(a);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

/* One task of a tasks dump, in detail. */
struct task_detail {
	uint32_t pid;
	int found;
	uint32_t parent, port, origin, exc_mask, ports;
	uint64_t rights[MACH_A_RIGHTS_MAX + 1];
};

static void task_detail_cb(struct nlmsghdr *h, void *arg)
{
	struct task_detail *d = arg;

	if (attr_u32(msg_attr(h, MACH_A_TASK_PID)) != d->pid)
		return;
	d->found++;
	d->parent = attr_u32(msg_attr(h, MACH_A_TASK_PARENT));
	d->port = attr_u32(msg_attr(h, MACH_A_TASK_PORT));
	d->origin = attr_u32(msg_attr(h, MACH_A_TASK_ORIGIN));
	d->exc_mask = attr_u32(msg_attr(h, MACH_A_TASK_EXC_MASK));
	d->ports = attr_u32(msg_attr(h, MACH_A_TASK_PORTS));
	nest_counts(msg_attr(h, MACH_A_TASK_RIGHTS), d->rights, MACH_A_RIGHTS_MAX);
}

static int task_detail(struct nl *nl, uint32_t pid, struct task_detail *d)
{
	memset(d, 0, sizeof(*d));
	d->pid = pid;
	if (nl_send(nl, nl->family, MACH_CMD_TASK_GET, NLM_F_DUMP, 0, NULL, 0))
		return -EIO;
	return nl_recv(nl, task_detail_cb, d, NULL);
}

/*
 * tasks: the task a child was made from, each one's own name for its task
 * port, its names by right type, its exception mask.
 */
TEST_F(nl, task_detail)
{
	mach_port_t me = mach_task_self(), port, theirs;
	struct task_detail d;
	task_t child;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(me, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, task_create(me, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &theirs));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(child, MACH_PORT_RIGHT_PORT_SET, &theirs));
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(child, EXC_MASK_BAD_ACCESS | EXC_MASK_BREAKPOINT,
							 port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));

	ASSERT_EQ(0, task_detail(&self->nl, pid, &d));
	ASSERT_EQ(1, d.found);
	EXPECT_EQ((uint32_t)getpid(), d.parent);
	EXPECT_EQ(MACH_ORIGIN_TASK_CREATE, d.origin);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS | EXC_MASK_BREAKPOINT, d.exc_mask);
	EXPECT_LE(1, d.rights[MACH_A_RIGHTS_RECEIVE]);
	EXPECT_EQ(1, d.rights[MACH_A_RIGHTS_PORT_SET]);
	/* Each name holds one right at least. */
	EXPECT_LE(d.ports, d.rights[MACH_A_RIGHTS_SEND] + d.rights[MACH_A_RIGHTS_RECEIVE] +
		  d.rights[MACH_A_RIGHTS_SEND_ONCE] + d.rights[MACH_A_RIGHTS_PORT_SET] +
		  d.rights[MACH_A_RIGHTS_DEAD_NAME]);

	ASSERT_EQ(0, task_detail(&self->nl, getpid(), &d));
	ASSERT_EQ(1, d.found);
	EXPECT_EQ(me, d.port);	/* mach_task_self()'s name, in its own space */
	EXPECT_EQ(0, d.exc_mask);
	EXPECT_LE(2, d.rights[MACH_A_RIGHTS_SEND]);	/* its task port, port's */
	EXPECT_LE(1, d.rights[MACH_A_RIGHTS_RECEIVE]);
	EXPECT_EQ(0, d.rights[MACH_A_RIGHTS_PORT_SET]);

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(me, child);
	mach_port_destroy(me, port);
}

static void thread_suspend_cb(struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return;
	s->key[s->n] = attr_u32(msg_attr(h, MACH_A_THREAD_TID));
	s->a[s->n] = msg_attr(h, MACH_A_THREAD_AGENT) != NULL;
	s->b[s->n] = attr_u32(msg_attr(h, MACH_A_THREAD_SUSPEND));
	s->n++;
}

/* threads: a Mach thread's own suspend count; none for the agent. */
TEST_F(nl, thread_suspend_counts)
{
	thread_act_t thread;
	task_t child;
	int pid, i, twice = 0, agents = 0;
	uint32_t none = 0xffffffff;

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, thread_create(child, &thread));	/* made suspended: 1 */
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));		/* 2 */

	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_THREAD_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &pid, 4));
	self->s.n = 0;
	ASSERT_EQ(0, nl_recv(&self->nl, thread_suspend_cb, &self->s, NULL));
	for (i = 0; i < self->s.n; i++) {
		if (self->s.a[i]) {
			agents++;
			EXPECT_EQ(none, self->s.b[i]);
		}
		twice += self->s.b[i] == 2;
	}
	EXPECT_EQ(1, agents);
	EXPECT_EQ(1, twice);

	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	self->s.n = 0;
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_THREAD_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &pid, 4));
	ASSERT_EQ(0, nl_recv(&self->nl, thread_suspend_cb, &self->s, NULL));
	for (i = 0, twice = 0; i < self->s.n; i++)
		twice += self->s.b[i] == 1;
	EXPECT_EQ(1, twice);

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), child);
}

struct port_detail {
	uint32_t name;
	int found;
	uint32_t object;
	uint64_t req[MACH_A_REQ_MAX + 1];
};

static void port_detail_cb(struct nlmsghdr *h, void *arg)
{
	struct port_detail *d = arg;

	for (; d->name; d++) {
		if (attr_u32(msg_attr(h, MACH_A_PORT_NAME)) != d->name)
			continue;
		d->found++;
		d->object = attr_u32(msg_attr(h, MACH_A_PORT_OBJECT));
		nest_counts(msg_attr(h, MACH_A_PORT_REQUESTS), d->req, MACH_A_REQ_MAX);
	}
}

/* ports: what each stands for, and the notification requests pending on it. */
TEST_F(nl, port_objects_and_requests)
{
	mach_port_t me = mach_task_self(), port, listener, previous;
	mach_port_t host = mach_host_self(), thread = mach_thread_self();
	struct port_detail d[5] = {};
	mach_port_limits_t limits;
	uint32_t pid = getpid();

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(me, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &listener));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(me, port, MACH_NOTIFY_NO_SENDERS, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(me, port, MACH_NOTIFY_PORT_DESTROYED, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(me, port, MACH_NOTIFY_DEAD_NAME, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	ASSERT_NE(MACH_PORT_NULL, host);
	ASSERT_NE(MACH_PORT_NULL, thread);
	/* A queue limit of 0 (MACH_PORT_QLIMIT_ZERO) is a live port's too. */
	limits.mpl_qlimit = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(me, port, MACH_PORT_LIMITS_INFO,
			(mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT));
	d[0].name = me;
	d[1].name = host;
	d[2].name = thread;
	d[3].name = port;
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &pid, 4));
	ASSERT_EQ(0, nl_recv(&self->nl, port_detail_cb, d, NULL));
	EXPECT_EQ(1, d[0].found);
	EXPECT_EQ(MACH_OBJECT_TASK, d[0].object);
	EXPECT_EQ(1, d[1].found);
	EXPECT_TRUE(d[1].object == MACH_OBJECT_HOST || d[1].object == MACH_OBJECT_HOST_PRIV);
	EXPECT_EQ(1, d[2].found);
	EXPECT_EQ(MACH_OBJECT_THREAD, d[2].object);
	EXPECT_EQ(1, d[3].found);
	EXPECT_EQ(MACH_OBJECT_NONE, d[3].object);
	EXPECT_EQ(1, d[3].req[MACH_A_REQ_NO_SENDERS]);
	EXPECT_EQ(1, d[3].req[MACH_A_REQ_PORT_DESTROYED]);
	EXPECT_EQ(1, d[3].req[MACH_A_REQ_DEAD_NAME]);
	EXPECT_EQ(0, d[0].req[MACH_A_REQ_NO_SENDERS] + d[0].req[MACH_A_REQ_DEAD_NAME]);
	mach_port_destroy(me, port);
	mach_port_destroy(me, listener);
}

/* An event, as the tests below keep it. */
struct event {
	uint32_t type, pid, reason, status, child, value, waiters, msgs;
};

/*
 * Events of the pids in want (0-terminated) into out, until one of type
 * last for pid last_pid came, or the socket's timeout: how many.
 */
static int collect_events(int fd, const int *want, struct event *out, int max,
			  uint32_t last, int last_pid)
{
	static char buf[NL_BUF];
	int n = 0;

	while (n < max) {
		ssize_t len = recv(fd, buf, NL_BUF, 0);
		struct nlmsghdr *h;

		if (len <= 0)
			return n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len) && n < max;
		     h = NLMSG_NEXT(h, len)) {
			uint32_t pid = attr_u32(msg_attr(h, MACH_A_TASK_PID));
			const int *w;

			for (w = want; *w && (uint32_t)*w != pid; w++)
				;
			if (!*w)
				continue;
			out[n].type = attr_u32(msg_attr(h, MACH_A_EVENT_TYPE));
			out[n].pid = pid;
			out[n].reason = attr_u32(msg_attr(h, MACH_A_EVENT_REASON));
			out[n].status = attr_u32(msg_attr(h, MACH_A_EVENT_STATUS));
			out[n].child = attr_u32(msg_attr(h, MACH_A_EVENT_CHILD));
			out[n].value = attr_u32(msg_attr(h, MACH_A_TASK_SUSPEND));
			out[n].waiters = attr_u32(msg_attr(h, MACH_A_PORT_WAITERS));
			out[n].msgs = attr_u32(msg_attr(h, MACH_A_PORT_MSGCOUNT));
			if (out[n++].type == last && pid == (uint32_t)last_pid)
				return n;
		}
	}
	return n;
}

/* The index of the first event of type for pid in ev[0..n), or -1. */
static int event_at(const struct event *ev, int n, uint32_t type, int pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (ev[i].type == type && ev[i].pid == (uint32_t)pid)
			return i;
	return -1;
}

/* A forked process that becomes a task, then waits on go to do what it says. */
static pid_t self_task_child(int ready[2], int go[2])
{
	pid_t kid;
	char c;

	if (pipe(ready) || pipe(go))
		return -1;
	kid = fork();
	if (kid)
		return kid;
	if (mach_task_self() == MACH_PORT_NULL)
		_exit(99);
	if (write(ready[1], "r", 1) != 1)
		_exit(98);
	if (read(go[0], &c, 1) != 1)
		_exit(97);
	if (c == 'e')
		_exit(3);
	pause();
	_exit(96);
}

/* Why a task ended: task_terminate, its own exit (and status), a signal. */
TEST_F(nl, termination_reasons)
{
	int ready[2], go[2], want[4] = {}, fd, n, i, status;
	struct event ev[32];
	task_t child;
	pid_t exiter, victim;
	int pid;
	char c;

	ASSERT_LE(0, events_group);
	fd = events_socket();
	ASSERT_LE(0, fd);

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), child);

	exiter = self_task_child(ready, go);
	ASSERT_LT(0, exiter);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(1, write(go[1], "e", 1));
	ASSERT_EQ(exiter, waitpid(exiter, &status, 0));
	ASSERT_EQ(3, WEXITSTATUS(status));

	victim = self_task_child(ready, go);
	ASSERT_LT(0, victim);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	kill(victim, SIGTERM);
	ASSERT_EQ(victim, waitpid(victim, &status, 0));

	want[0] = pid;
	want[1] = exiter;
	want[2] = victim;
	n = collect_events(fd, want, ev, 32, MACH_EVENT_TERMINATED, victim);
	i = event_at(ev, n, MACH_EVENT_TERMINATED, pid);
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_END_TERMINATED, ev[i].reason);
	i = event_at(ev, n, MACH_EVENT_TERMINATED, exiter);
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_END_EXITED, ev[i].reason);
	EXPECT_EQ(3, ev[i].status);
	i = event_at(ev, n, MACH_EVENT_TERMINATED, victim);
	ASSERT_LE(0, i);
	EXPECT_EQ(MACH_END_KILLED, ev[i].reason);
	EXPECT_EQ(SIGTERM, ev[i].status);
	close(fd);
}

/*
 * A teleport, in order: the child's creation, the parent's TELEPORTED
 * naming it, then the parent's end for that reason.
 */
TEST_F(nl, teleport_events_in_order)
{
	int want[3] = {}, fd, n, from, to, pid, child_pid, i;
	struct event ev[32];
	task_t parent, child;

	ASSERT_LE(0, events_group);
	fd = events_socket();
	ASSERT_LE(0, fd);
	if (norma_task_create(mach_task_self(), FALSE, 0, &parent) != KERN_SUCCESS)
		SKIP(close(fd); return, "no NUMA node 0 to make a task on");
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(parent, &pid));
	if (norma_task_teleport(parent, TRUE, 1, &child) != KERN_SUCCESS) {
		task_terminate(parent);
		SKIP(close(fd); return, "no NUMA node 1 to teleport to");
	}
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &child_pid));
	want[0] = pid;
	want[1] = child_pid;
	n = collect_events(fd, want, ev, 32, MACH_EVENT_TERMINATED, pid);

	from = event_at(ev, n, MACH_EVENT_CREATED, pid);
	i = event_at(ev, n, MACH_EVENT_CREATED, child_pid);
	to = event_at(ev, n, MACH_EVENT_TELEPORTED, pid);
	ASSERT_LE(0, from);
	ASSERT_LE(0, i);
	ASSERT_LE(0, to);
	EXPECT_LT(from, to);
	EXPECT_LT(i, to);
	EXPECT_EQ((uint32_t)child_pid, ev[to].child);
	i = event_at(ev, n, MACH_EVENT_TERMINATED, pid);
	ASSERT_LE(0, i);
	EXPECT_LT(to, i);
	EXPECT_EQ(MACH_END_TELEPORTED, ev[i].reason);

	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	mach_port_deallocate(mach_task_self(), child);
	mach_port_deallocate(mach_task_self(), parent);
	close(fd);
}

struct blocked_send {
	mach_port_t port;
	kern_return_t kr;
};

static kern_return_t send_empty(mach_port_t port, mach_msg_option_t option)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = port,
		.msgh_id = 1,
	};

	return mach_msg(&h, MACH_SEND_MSG | option, sizeof(h), 0, MACH_PORT_NULL,
			option & MACH_SEND_TIMEOUT ? 0 : MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

static void *blocked_sender(void *arg)
{
	struct blocked_send *b = arg;

	b->kr = send_empty(b->port, 0);	/* the queue is full: it waits */
	return NULL;
}

/* A port destroyed while a sender waits for room: PORT_DESTROYED. */
TEST_F(nl, port_destroyed_with_senders_waiting)
{
	mach_port_t me = mach_task_self(), idle;
	mach_port_limits_t limits = { .mpl_qlimit = 1 };
	struct blocked_send b = {};
	int want[2] = { getpid() }, fd, n, i;
	struct event ev[16];
	pthread_t th;

	ASSERT_LE(0, events_group);
	fd = events_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &b.port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(me, b.port, b.port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(me, b.port, MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&limits,
							 MACH_PORT_LIMITS_INFO_COUNT));
	ASSERT_EQ(KERN_SUCCESS, send_empty(b.port, MACH_SEND_TIMEOUT));
	ASSERT_EQ(MACH_SEND_TIMED_OUT, send_empty(b.port, MACH_SEND_TIMEOUT));
	ASSERT_EQ(0, pthread_create(&th, NULL, blocked_sender, &b));
	usleep(300000);		/* it waits by now */
	/* A port that dies with none waiting is no such event. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &idle));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(me, idle));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(me, b.port));
	pthread_join(th, NULL);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, b.kr);

	n = collect_events(fd, want, ev, 16, MACH_EVENT_PORT_DESTROYED, getpid());
	i = event_at(ev, n, MACH_EVENT_PORT_DESTROYED, getpid());
	ASSERT_LE(0, i);
	EXPECT_EQ(1, ev[i].waiters);
	EXPECT_EQ(1, ev[i].msgs);
	close(fd);
}

/* Send an operator's command for pid: 0 or the kernel's -errno. */
static int operator_cmd(struct nl *nl, int cmd, uint32_t pid)
{
	if (nl_send(nl, nl->family, cmd, 0, MACH_A_TASK_PID, &pid, 4))
		return -EIO;
	return nl_recv(nl, NULL, NULL, NULL);
}

/* Keeps only cap of root's capabilities (uid 0 stays): 0 or -1. */
static int keep_only_capability(int cap)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};

	data[cap / 32].effective = data[cap / 32].permitted = 1u << (cap % 32);
	return syscall(SYS_capset, &head, data);
}

/*
 * suspend, resume, terminate: the operator's, CAP_SYS_ADMIN only. (machctl,
 * the tool on top, has selftests/machctl.c.)
 */
TEST_F(nl, operator_commands)
{
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count;
	task_t child;
	int pid, status, i;
	pid_t kid;

	if (getuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(0, operator_cmd(&self->nl, MACH_CMD_TASK_SUSPEND, pid));
	ASSERT_EQ(0, operator_cmd(&self->nl, MACH_CMD_TASK_SUSPEND, pid));
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	EXPECT_EQ(2, info.suspend_count);
	ASSERT_EQ(0, operator_cmd(&self->nl, MACH_CMD_TASK_RESUME, pid));
	ASSERT_EQ(0, operator_cmd(&self->nl, MACH_CMD_TASK_RESUME, pid));
	EXPECT_EQ(-EINVAL, operator_cmd(&self->nl, MACH_CMD_TASK_RESUME, pid));
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	EXPECT_EQ(0, info.suspend_count);
	/* No such task; no PID at all. */
	EXPECT_EQ(-ESRCH, operator_cmd(&self->nl, MACH_CMD_TASK_SUSPEND, 1));
	EXPECT_EQ(-ESRCH, operator_cmd(&self->nl, MACH_CMD_TASK_TERMINATE, 0x3fffffff));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_TASK_SUSPEND, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, nl_recv(&self->nl, NULL, NULL, NULL));

	/* Unprivileged: EPERM, even for its own task; nothing done. */
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct nl nl;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (mach_task_self() == MACH_PORT_NULL || nl_open(&nl))
			_exit(11);
		if (operator_cmd(&nl, MACH_CMD_TASK_SUSPEND, pid) != -EPERM)
			_exit(12);
		if (operator_cmd(&nl, MACH_CMD_TASK_TERMINATE, pid) != -EPERM)
			_exit(13);
		if (operator_cmd(&nl, MACH_CMD_TASK_SUSPEND, getpid()) != -EPERM)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Root with CAP_NET_ADMIN alone (a network daemon): EPERM too. */
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct nl nl;

		if (nl_open(&nl) || keep_only_capability(CAP_NET_ADMIN))
			_exit(11);
		if (operator_cmd(&nl, MACH_CMD_TASK_SUSPEND, pid) != -EPERM)
			_exit(12);
		if (operator_cmd(&nl, MACH_CMD_TASK_TERMINATE, pid) != -EPERM)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	EXPECT_EQ(0, info.suspend_count);

	/*
	 * terminate kills and returns, not waiting under genetlink's lock;
	 * the task leaves the list as soon as it is gone.
	 */
	ASSERT_EQ(0, operator_cmd(&self->nl, MACH_CMD_TASK_TERMINATE, pid));
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, dump(&self->nl, MACH_CMD_TASK_GET, 0, &self->s, NULL));
		if (find(&self->s, pid) < 0)
			break;
		usleep(10000);
	}
	EXPECT_EQ(-1, find(&self->s, pid));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(child));
	for (i = 0; i < 100 && kill(pid, 0) == 0; i++)
		usleep(10000);
	mach_port_deallocate(mach_task_self(), child);
}

/*
 * A dump of a task's ports that dies mid-dump: the dump ends early,
 * cleanly, with no name twice.
 */
TEST_F(nl, ports_dump_of_a_task_that_dies)
{
	enum { PORTS = 600 };
	static char small[4096];
	int ready[2], go[2], status, got = 0, done = 0, err = 0, i, j;
	uint32_t *names = calloc(PORTS + 64, sizeof(*names));
	struct nl other;
	pid_t kid;
	char c;

	ASSERT_NE(NULL, names);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		mach_port_t p;

		for (i = 0; i < PORTS; i++)
			if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p))
				_exit(10);
		if (write(ready[1], "r", 1) != 1)
			_exit(11);
		pause();
		_exit(12);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, nl_send(&self->nl, self->nl.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			     MACH_A_TASK_PID, &kid, 4));
	/* The first part, in a small buffer: the dump goes on in parts. */
	for (;;) {
		ssize_t len = recv(self->nl.fd, small, sizeof(small), 0);
		struct nlmsghdr *h;

		ASSERT_LT(0, len);
		for (h = (struct nlmsghdr *)small; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				err = *(int *)NLMSG_DATA(h);
			} else if (h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			} else if (got < PORTS + 64) {
				names[got++] = attr_u32(msg_attr(h, MACH_A_PORT_NAME));
			}
		}
		if (done)
			break;
		if (kid) {	/* after the first part: it dies */
			kill(kid, SIGKILL);
			ASSERT_EQ(kid, waitpid(kid, &status, 0));
			/* Until the registry has seen it go. */
			ASSERT_EQ(0, nl_open(&other));
			for (i = 0; i < 200; i++) {
				ASSERT_EQ(0, dump(&other, MACH_CMD_TASK_GET, 0, &self->s, NULL));
				if (find(&self->s, kid) < 0)
					break;
				usleep(10000);
			}
			close(other.fd);
			kid = 0;
		}
	}
	EXPECT_EQ(0, err);
	EXPECT_LT(0, got);
	EXPECT_GT(PORTS, got) {
		TH_LOG("the whole space was dumped: the test did not cut it short");
	}
	for (i = 0; i < got; i++)
		for (j = i + 1; j < got; j++)
			ASSERT_NE(names[i], names[j]);
	free(names);
}

/*
 * The set-uid program of set_uid_exec_cuts_a_dump_short: this binary
 * again, run as "--set-uid-server FD". It makes ports whose queue limit
 * marks them, says so on FD, and waits to be killed.
 */
enum { SERVER_MARK = 3, SERVER_PORTS = 300 };

__attribute__((constructor)) static void set_uid_server(int argc, char **argv)
{
	mach_port_limits_t limits = { .mpl_qlimit = SERVER_MARK };
	mach_port_t port;

	if (argc != 3 || strcmp(argv[1], "--set-uid-server"))
		return;
	for (int i = 0; i < SERVER_PORTS; i++)
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ||
		    mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
					     (mach_port_info_t)&limits,
					     MACH_PORT_LIMITS_INFO_COUNT))
			_exit(20);
	if (write(atoi(argv[2]), "s", 1) != 1)
		_exit(21);
	for (;;)
		pause();
}

/*
 * A dump is read a part at a time, as slowly as its reader likes. A task
 * nobody may read when its dump starts, whose process then execs a
 * set-uid program, must not show nobody that program's names: the dump
 * ends with ESRCH, as one started then would.
 */
TEST_F(nl, set_uid_exec_cuts_a_dump_short)
{
	char copy[64], fd[16];
	int ready[2], go[2], served[2], status, in, out;
	pid_t server, reader;
	char buf[65536];
	ssize_t n;

	if (getuid() != 0)
		SKIP(return, "needs root to make a set-uid program");
	/* This binary, set-uid root, for the server to exec. */
	snprintf(copy, sizeof(copy), "/tmp/mach-nl-suid.%d", getpid());
	in = open("/proc/self/exe", O_RDONLY);
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	ASSERT_LE(0, in);
	ASSERT_LE(0, out);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(out, buf, n));
	close(in);
	close(out);
	ASSERT_EQ(0, chmod(copy, 04755));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(served));

	/* nobody's task, with more names than one part of a dump holds. */
	server = made_fork(&self->made);
	ASSERT_LE(0, server);
	if (server == 0) {
		mach_port_t port;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		prctl(PR_SET_DUMPABLE, 1);	/* nobody may read it now */
		for (int i = 0; i < 600; i++)
			if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port))
				_exit(11);
		if (write(ready[1], "r", 1) != 1 || read(go[0], buf, 1) != 1)
			_exit(12);
		snprintf(fd, sizeof(fd), "%d", served[1]);
		execl(copy, copy, "--set-uid-server", fd, (char *)NULL);
		_exit(13);
	}
	ASSERT_EQ(1, read(ready[0], buf, 1));

	/* nobody dumps it, and reads the rest once it runs the server. */
	reader = made_fork(&self->made);
	ASSERT_LE(0, reader);
	if (reader == 0) {
		int parts = 0, marked = 0, done = 0, err = 0;
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
		struct nl nl, small;

		if (setgid(65534) || setuid(65534) || nl_open(&nl))
			_exit(30);
		/* A socket never read with a larger buffer: parts of a page. */
		small.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		small.family = nl.family;
		small.seq = 1;
		if (small.fd < 0 || bind(small.fd, (struct sockaddr *)&sa, sizeof(sa)) ||
		    nl_send(&small, small.family, MACH_CMD_PORT_GET, NLM_F_DUMP,
			    MACH_A_TASK_PID, &server, 4))
			_exit(31);
		while (!done) {
			struct nlmsghdr *h;

			n = recv(small.fd, buf, 4096, 0);	/* a part at a time */
			if (n <= 0)
				_exit(32);
			for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
				if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
					done = 1;
					err = *(int *)NLMSG_DATA(h);
				} else if (attr_u32(msg_attr(h, MACH_A_PORT_QLIMIT)) ==
					   SERVER_MARK) {
					marked++;
				}
			}
			if (parts++ == 0 && (write(go[1], "g", 1) != 1 ||
					     read(served[0], buf, 1) != 1))
				_exit(33);
		}
		if (parts < 2)
			_exit(36);	/* read in one part: nothing shown */
		if (marked)
			_exit(34);	/* the set-uid program's names */
		_exit(err == -ESRCH ? 0 : 35);
	}
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	unlink(copy);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("%s", WEXITSTATUS(status) == 34 ? "the set-uid program's names were shown" :
			     WEXITSTATUS(status) == 35 ? "the dump did not end with ESRCH" :
			     WEXITSTATUS(status) == 36 ? "the dump came in one part" :
			     "the reader failed");
	}
}

TEST_HARNESS_MAIN
