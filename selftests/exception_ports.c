// SPDX-License-Identifier: GPL-2.0
/*
 * Exception ports at the three levels an exception looks for a handler:
 * a thread's, a task's and the host's. Set, get and swap at each; what
 * XNU refuses (masks, behaviours, flavours) refused alike at all three;
 * the host's only for the holder of its privileged port; a thread's
 * handlers released when it ends and not handed on to a new thread;
 * requests sent by hand as messages to the kernel objects answered as
 * the ioctl answers. The host's handlers are global to the VM: a test
 * that sets them puts back what it found (the fixture's teardown).
 * An unprivileged process is a fork of a test that drops to uid 65534.
 */
#define _GNU_SOURCE
#include <grp.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"
#include "mach_test.h"

#define NOBODY 65534
#define ALL (EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY)

/* The levels, so that one test body covers the three. */
enum level { THREAD, TASK, HOST, LEVELS };
static const char *const level_name[LEVELS] = { "thread", "task", "host" };

static kern_return_t set_at(enum level l, mach_port_t target, exception_mask_t mask,
			    mach_port_t port, exception_behavior_t behavior,
			    thread_state_flavor_t flavor)
{
	switch (l) {
	case THREAD:
		return thread_set_exception_ports(target, mask, port, behavior, flavor);
	case TASK:
		return task_set_exception_ports(target, mask, port, behavior, flavor);
	default:
		return host_set_exception_ports(target, mask, port, behavior, flavor);
	}
}

/* The handlers of mask as get answers them: room for every type. */
struct groups {
	mach_msg_type_number_t count;
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
};

static kern_return_t get_at(enum level l, mach_port_t target, exception_mask_t mask,
			    struct groups *g)
{
	memset(g, 0, sizeof(*g));
	g->count = EXC_TYPES_COUNT;
	switch (l) {
	case THREAD:
		return thread_get_exception_ports(target, mask, g->masks, &g->count, g->ports,
						  g->behaviors, g->flavors);
	case TASK:
		return task_get_exception_ports(target, mask, g->masks, &g->count, g->ports,
						g->behaviors, g->flavors);
	default:
		return host_get_exception_ports(target, mask, g->masks, &g->count, g->ports,
						g->behaviors, g->flavors);
	}
}

static kern_return_t swap_at(enum level l, mach_port_t target, exception_mask_t mask,
			     mach_port_t port, exception_behavior_t behavior,
			     thread_state_flavor_t flavor, struct groups *g)
{
	memset(g, 0, sizeof(*g));
	g->count = EXC_TYPES_COUNT;
	switch (l) {
	case THREAD:
		return thread_swap_exception_ports(target, mask, port, behavior, flavor, g->masks,
						   &g->count, g->ports, g->behaviors, g->flavors);
	case TASK:
		return task_swap_exception_ports(target, mask, port, behavior, flavor, g->masks,
						 &g->count, g->ports, g->behaviors, g->flavors);
	default:
		return host_swap_exception_ports(target, mask, port, behavior, flavor, g->masks,
						 &g->count, g->ports, g->behaviors, g->flavors);
	}
}

/* The send rights get gave us: each one's user reference back. */
static void put_groups(struct groups *g)
{
	for (unsigned int i = 0; i < g->count && i < EXC_TYPES_COUNT; i++)
		if (MACH_PORT_VALID(g->ports[i]))
			mach_port_deallocate(mach_task_self(), g->ports[i]);
}

/* The one group's handler for exactly mask: port, behavior, flavor. */
static int one_group(const struct groups *g, exception_mask_t mask, mach_port_t port,
		     exception_behavior_t behavior, thread_state_flavor_t flavor)
{
	return g->count == 1 && g->masks[0] == mask && g->ports[0] == port &&
	       g->behaviors[0] == behavior && g->flavors[0] == flavor;
}

static mach_port_t host_priv(void)
{
	mach_port_t priv = MACH_PORT_NULL;

	if (host_get_host_priv_port(mach_host_self(), &priv) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return priv;
}

/*
 * A thread and a task to set handlers on (a new empty task, and a
 * suspended thread in it), the privileged host port, and the host's
 * handlers as they were, put back at the end.
 */
struct world {
	struct made made;
	mach_port_t target[LEVELS];
	mach_port_t h1, h2;
	struct groups host_before;
	int host_saved;
};

static void world_begin(struct __test_metadata *_metadata, struct world *w)
{
	task_t task;

	made_begin(&w->made);
	w->host_saved = 0;
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&w->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	w->target[TASK] = task;
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &w->target[THREAD]));
	w->target[HOST] = host_priv();
	ASSERT_NE(MACH_PORT_NULL, w->target[HOST]) {
		TH_LOG("the selftests run as root: the privileged host port is theirs");
	}
	ASSERT_EQ(KERN_SUCCESS, get_at(HOST, w->target[HOST], ALL, &w->host_before));
	w->host_saved = 1;
	w->h1 = new_port();
	w->h2 = new_port();
	ASSERT_NE(MACH_PORT_NULL, w->h1);
	ASSERT_NE(MACH_PORT_NULL, w->h2);
}

static void world_end(struct world *w)
{
	/* Only in the test's own process, not a child it forked. */
	if (w->host_saved && w->made.owner == getpid()) {
		struct groups *b = &w->host_before;

		host_set_exception_ports(w->target[HOST], ALL, MACH_PORT_NULL, 0, 0);
		for (unsigned int i = 0; i < b->count; i++)
			host_set_exception_ports(w->target[HOST], b->masks[i], b->ports[i],
						 b->behaviors[i], b->flavors[i]);
	}
	made_end(&w->made);
}

/* The calls that are alike at the three levels, run at each. */
FIXTURE(levels) {
	struct world w;
};

FIXTURE_SETUP(levels)
{
	world_begin(_metadata, &self->w);
}

FIXTURE_TEARDOWN(levels)
{
	world_end(&self->w);
}

FIXTURE_VARIANT(levels) {
	enum level level;
};

FIXTURE_VARIANT_ADD(levels, thread) { .level = THREAD };
FIXTURE_VARIANT_ADD(levels, task) { .level = TASK };
FIXTURE_VARIANT_ADD(levels, host) { .level = HOST };

/* What one level has of its own. */
FIXTURE(one) {
	struct world w;
};

FIXTURE_SETUP(one)
{
	world_begin(_metadata, &self->w);
}

FIXTURE_TEARDOWN(one)
{
	world_end(&self->w);
}

TEST_F(levels, set_get_and_swap)
{
	enum level l = variant->level;
	mach_port_t t = self->w.target[l];
	exception_behavior_t b1 = EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES;
	struct groups g;

	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, ALL, MACH_PORT_NULL, 0, 0));
	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, self->w.h1,
				       b1, x86_THREAD_STATE64));
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, &g));
	EXPECT_TRUE(one_group(&g, EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, self->w.h1, b1,
			      x86_THREAD_STATE64)) {
		TH_LOG("%s: %u groups, first %#x port %#x behavior %#x flavor %d", level_name[l],
		       g.count, g.masks[0], g.ports[0], g.behaviors[0], g.flavors[0]);
	}
	put_groups(&g);

	/* Every type: the handler's group, then those with none. */
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, ALL, &g));
	ASSERT_EQ(2, g.count);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, g.masks[0]);
	EXPECT_EQ(ALL & ~(EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC), g.masks[1]);
	EXPECT_EQ(MACH_PORT_NULL, g.ports[1]);
	put_groups(&g);

	/* Swap: what was there before, and the new one in. */
	ASSERT_EQ(KERN_SUCCESS, swap_at(l, t, EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE, self->w.h2,
					EXCEPTION_DEFAULT, THREAD_STATE_NONE, &g));
	ASSERT_EQ(2, g.count);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS, g.masks[0]);
	EXPECT_EQ(self->w.h1, g.ports[0]);
	EXPECT_EQ(b1, g.behaviors[0]);
	EXPECT_EQ(x86_THREAD_STATE64, g.flavors[0]);
	EXPECT_EQ(EXC_MASK_SOFTWARE, g.masks[1]);
	EXPECT_EQ(MACH_PORT_NULL, g.ports[1]);
	put_groups(&g);
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE |
				       EXC_MASK_ARITHMETIC, &g));
	ASSERT_EQ(2, g.count);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE, g.masks[0]);
	EXPECT_EQ(self->w.h2, g.ports[0]);
	EXPECT_EQ(EXCEPTION_DEFAULT, g.behaviors[0]);
	EXPECT_EQ(THREAD_STATE_NONE, g.flavors[0]);
	EXPECT_EQ(EXC_MASK_ARITHMETIC, g.masks[1]);
	EXPECT_EQ(self->w.h1, g.ports[1]);
	put_groups(&g);

	/* Room for one group where there are two: MIG's answer, and the count. */
	mach_msg_type_number_t count = 1;
	exception_mask_t masks[1];
	mach_port_t ports[1];
	exception_behavior_t behaviors[1];
	thread_state_flavor_t flavors[1];
	kern_return_t kr = l == THREAD ?
		thread_get_exception_ports(t, ALL, masks, &count, ports, behaviors, flavors) :
		l == TASK ? task_get_exception_ports(t, ALL, masks, &count, ports, behaviors, flavors) :
		host_get_exception_ports(t, ALL, masks, &count, ports, behaviors, flavors);
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, kr);
	EXPECT_EQ(3, count);
	mach_port_deallocate(mach_task_self(), ports[0]);

	/* Cleared: nothing left. */
	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, ALL, MACH_PORT_NULL, 0, 0));
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, ALL, &g));
	EXPECT_TRUE(one_group(&g, ALL, MACH_PORT_NULL, 0, 0));
}

/* Every behaviour and flavour XNU takes comes back as it was set. */
TEST_F(levels, behaviors_and_flavors_round_trip)
{
	enum level l = variant->level;
	mach_port_t t = self->w.target[l];
	static const exception_behavior_t behaviors[] = {
		EXCEPTION_DEFAULT,
		EXCEPTION_STATE,
		EXCEPTION_STATE_IDENTITY,
		EXCEPTION_STATE_IDENTITY_PROTECTED,
		EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES,
		EXCEPTION_STATE | MACH_EXCEPTION_CODES,
		EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES,
		EXCEPTION_IDENTITY_PROTECTED | MACH_EXCEPTION_CODES,
		EXCEPTION_STATE_IDENTITY_PROTECTED | MACH_EXCEPTION_CODES,
		(exception_behavior_t)(EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES |
				       MACH_EXCEPTION_BACKTRACE_PREFERRED),
		(exception_behavior_t)(EXCEPTION_STATE | MACH_EXCEPTION_ERRORS),
	};
	struct groups g;

	for (unsigned int i = 0; i < ARRAY_SIZE(behaviors); i++) {
		for (thread_state_flavor_t f = 0; f < THREAD_STATE_FLAVORS; f++) {
			exception_mask_t mask = EXC_MASK_BREAKPOINT;

			if (f == 14 || f == 15)	/* XNU's own, never a handler's */
				continue;
			ASSERT_EQ(KERN_SUCCESS, set_at(l, t, mask, self->w.h1, behaviors[i], f)) {
				TH_LOG("%s: behavior %#x flavor %d", level_name[l],
				       behaviors[i], f);
			}
			ASSERT_EQ(KERN_SUCCESS, get_at(l, t, mask, &g));
			EXPECT_TRUE(one_group(&g, mask, self->w.h1, behaviors[i], f)) {
				TH_LOG("%s: set %#x/%d, got %#x/%d", level_name[l],
				       behaviors[i], f, g.behaviors[0], g.flavors[0]);
			}
			put_groups(&g);
		}
	}
	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, ALL, MACH_PORT_NULL, 0, 0));
}

/* What XNU refuses, refused at every level, and nothing changed by it. */
TEST_F(levels, bad_masks_behaviors_and_flavors_are_invalid_arguments)
{
	enum level l = variant->level;
	mach_port_t t = self->w.target[l];
	static const exception_mask_t bad_masks[] = { 1, 1u << 14, 1u << 31, ~0u };
	static const exception_behavior_t bad_behaviors[] = {
		0, 6, 77, (exception_behavior_t)MACH_EXCEPTION_CODES,
		(exception_behavior_t)(6 | MACH_EXCEPTION_CODES),
		/* protected identity, a preferred backtrace: only with 64-bit codes */
		EXCEPTION_IDENTITY_PROTECTED,
		(exception_behavior_t)(EXCEPTION_DEFAULT | MACH_EXCEPTION_BACKTRACE_PREFERRED),
	};
	static const thread_state_flavor_t bad_flavors[] = { 14, 15, 26, 99, -1 };
	struct groups g;

	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, ALL, MACH_PORT_NULL, 0, 0));
	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, EXC_MASK_SOFTWARE, self->w.h1, EXCEPTION_DEFAULT, 0));

	for (unsigned int i = 0; i < ARRAY_SIZE(bad_masks); i++) {
		EXPECT_EQ(KERN_INVALID_ARGUMENT, set_at(l, t, bad_masks[i], self->w.h2,
							EXCEPTION_DEFAULT, 0)) {
			TH_LOG("%s: mask %#x", level_name[l], bad_masks[i]);
		}
		EXPECT_EQ(KERN_INVALID_ARGUMENT, swap_at(l, t, bad_masks[i], self->w.h2,
							 EXCEPTION_DEFAULT, 0, &g));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, get_at(l, t, bad_masks[i], &g));
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_behaviors); i++) {
		EXPECT_EQ(KERN_INVALID_ARGUMENT, set_at(l, t, EXC_MASK_SOFTWARE, self->w.h2,
							bad_behaviors[i], 0)) {
			TH_LOG("%s: behavior %#x", level_name[l], bad_behaviors[i]);
		}
		EXPECT_EQ(KERN_INVALID_ARGUMENT, swap_at(l, t, EXC_MASK_SOFTWARE, self->w.h2,
							 bad_behaviors[i], 0, &g));
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_flavors); i++) {
		EXPECT_EQ(KERN_INVALID_ARGUMENT, set_at(l, t, EXC_MASK_SOFTWARE, self->w.h2,
							EXCEPTION_DEFAULT, bad_flavors[i])) {
			TH_LOG("%s: flavor %d", level_name[l], bad_flavors[i]);
		}
		/* ... whether or not the handler is a port */
		EXPECT_EQ(KERN_INVALID_ARGUMENT, set_at(l, t, EXC_MASK_SOFTWARE, MACH_PORT_NULL,
							EXCEPTION_DEFAULT, bad_flavors[i]));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, swap_at(l, t, EXC_MASK_SOFTWARE, self->w.h2,
							 EXCEPTION_DEFAULT, bad_flavors[i], &g));
	}
	/* Refused every time: still h1, and no right of h2's kept anywhere. */
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, EXC_MASK_SOFTWARE, &g));
	EXPECT_TRUE(one_group(&g, EXC_MASK_SOFTWARE, self->w.h1, EXCEPTION_DEFAULT, 0));
	put_groups(&g);
	mach_port_urefs_t refs = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), self->w.h2,
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);

	/* As on XNU, the behaviour of no handler at all is not looked at. */
	EXPECT_EQ(KERN_SUCCESS, set_at(l, t, EXC_MASK_SOFTWARE, MACH_PORT_NULL, 77, 0));
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, EXC_MASK_SOFTWARE, &g));
	EXPECT_TRUE(one_group(&g, EXC_MASK_SOFTWARE, MACH_PORT_NULL, 77, 0));
	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, ALL, MACH_PORT_NULL, 0, 0));
}

/* Each level's calls on another level's object: the argument is refused. */
TEST_F(levels, another_levels_object_is_an_invalid_argument)
{
	enum level l = variant->level;
	struct groups g;

	for (enum level other = THREAD; other < LEVELS; other++) {
		mach_port_t t = self->w.target[other];

		if (other == l)
			continue;
		EXPECT_EQ(KERN_INVALID_ARGUMENT, set_at(l, t, EXC_MASK_SOFTWARE, self->w.h1,
							EXCEPTION_DEFAULT, 0)) {
			TH_LOG("%s call on a %s", level_name[l], level_name[other]);
		}
		EXPECT_EQ(KERN_INVALID_ARGUMENT, get_at(l, t, EXC_MASK_SOFTWARE, &g));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, swap_at(l, t, EXC_MASK_SOFTWARE, self->w.h1,
							 EXCEPTION_DEFAULT, 0, &g));
	}
	/* A name we do not hold, and no name. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, set_at(l, 0x7777, EXC_MASK_SOFTWARE, self->w.h1,
						 EXCEPTION_DEFAULT, 0));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, get_at(l, MACH_PORT_NULL, EXC_MASK_SOFTWARE, &g));
}

/* Only the privileged host port is the host's for these calls. */
TEST_F(one, the_host_name_port_is_refused)
{
	mach_port_t host = mach_host_self(), priv = self->w.target[HOST];
	struct groups g;

	ASSERT_NE(priv, host);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_exception_ports(host, EXC_MASK_SOFTWARE,
				self->w.h1, EXCEPTION_DEFAULT, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, get_at(HOST, host, EXC_MASK_SOFTWARE, &g));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, swap_at(HOST, host, EXC_MASK_SOFTWARE, self->w.h1,
						 EXCEPTION_DEFAULT, 0, &g));
	/* Nor the security port. */
	mach_port_t security = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT,
						      &security));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_exception_ports(security, EXC_MASK_SOFTWARE,
				self->w.h1, EXCEPTION_DEFAULT, 0));
	/* Nothing was set by any of them. */
	ASSERT_EQ(KERN_SUCCESS, get_at(HOST, priv, EXC_MASK_SOFTWARE, &g));
	EXPECT_NE(self->w.h1, g.ports[0]);
	put_groups(&g);
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

/*
 * An unprivileged process has no privileged port and its host port sets
 * nothing; given the privileged port by root, it may (the port is the
 * authority, as in Mach).
 */
TEST_F(one, an_unprivileged_process_cannot_set_the_hosts)
{
	mach_port_t boot, reply, priv = self->w.target[HOST];
	struct groups g;
	int status;
	pid_t pid;

	boot = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, boot);
	pid = made_fork(&self->w.made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t parent = MACH_PORT_NULL, mine, got, none = MACH_PORT_NULL, h;
		exception_mask_t masks[EXC_TYPES_COUNT];
		mach_port_t ports[EXC_TYPES_COUNT];
		exception_behavior_t behaviors[EXC_TYPES_COUNT];
		thread_state_flavor_t flavors[EXC_TYPES_COUNT];
		mach_msg_type_number_t count = EXC_TYPES_COUNT;

		if (drop_privileges() || task_get_bootstrap_port(mach_task_self(), &parent))
			_exit(10);
		h = new_port();
		if (h == MACH_PORT_NULL)
			_exit(11);
		if (host_get_host_priv_port(mach_host_self(), &none) == KERN_SUCCESS)
			_exit(12);
		if (host_set_exception_ports(mach_host_self(), EXC_MASK_SOFTWARE, h,
					     EXCEPTION_DEFAULT, 0) != KERN_INVALID_ARGUMENT)
			_exit(13);
		if (host_get_exception_ports(mach_host_self(), ALL, masks, &count, ports,
					     behaviors, flavors) != KERN_INVALID_ARGUMENT)
			_exit(14);
		/* Handed the privileged port: now it may. */
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine) ||
		    send_port(parent, mine, MACH_MSG_TYPE_MAKE_SEND))
			_exit(15);
		got = receive_port(mine);
		if (got == MACH_PORT_NULL)
			_exit(16);
		if (host_set_exception_ports(got, EXC_MASK_SOFTWARE, MACH_PORT_NULL, 77, 0) !=
		    KERN_SUCCESS)
			_exit(17);
		_exit(0);
	}
	reply = receive_port(boot);
	ASSERT_NE(MACH_PORT_NULL, reply);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(reply, priv, MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("the unprivileged child failed at step %d", WEXITSTATUS(status));
	}
	/* What it set with the port it was given. */
	ASSERT_EQ(KERN_SUCCESS, get_at(HOST, priv, EXC_MASK_SOFTWARE, &g));
	EXPECT_TRUE(one_group(&g, EXC_MASK_SOFTWARE, MACH_PORT_NULL, 77, 0));
}

/* A message on port, or MACH_RCV_TIMED_OUT after ms. */
static mach_msg_return_t notice(mach_port_t port, mach_msg_timeout_t ms, mach_msg_id_t *id)
{
	struct {
		mach_msg_header_t header;
		char body[64];
		mach_msg_max_trailer_t trailer;
	} n;
	mach_msg_return_t mr = mach_msg(&n.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(n),
					port, ms, MACH_PORT_NULL);

	if (mr == MACH_MSG_SUCCESS)
		*id = n.header.msgh_id;
	return mr;
}

/*
 * The handler's only senders are a thread's or a task's handler table:
 * when the thread (the task) ends, its rights go, and the port hears it.
 */
static void end_releases_handlers(struct __test_metadata *_metadata, struct world *w,
				  enum level l)
{
	mach_port_t me = mach_task_self(), t = w->target[l], previous;
	mach_port_urefs_t refs = 0;
	mach_msg_id_t id = 0;

	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE |
				       EXC_MASK_BREAKPOINT, w->h1, EXCEPTION_DEFAULT, 0));
	/* Ours is still the one user reference: the table's are its own. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(me, w->h1, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(me, w->h1, MACH_PORT_RIGHT_SEND, -1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(me, w->h1,
				MACH_NOTIFY_NO_SENDERS, 0, w->h2,
				MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	/* Held by the table while it lives. */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, notice(w->h2, 200, &id));
	ASSERT_EQ(KERN_SUCCESS, l == THREAD ? thread_terminate(t) : task_terminate(t));
	ASSERT_EQ(MACH_MSG_SUCCESS, notice(w->h2, 5000, &id)) {
		TH_LOG("no no-senders notification after the %s ended", level_name[l]);
	}
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, id);
}

TEST_F(one, thread_terminate_releases_the_threads_handlers)
{
	end_releases_handlers(_metadata, &self->w, THREAD);
}

TEST_F(one, task_terminate_releases_the_tasks_handlers)
{
	end_releases_handlers(_metadata, &self->w, TASK);
}

/* thread_create hands a new thread none of its task's or another thread's. */
TEST_F(one, a_new_thread_inherits_no_handlers)
{
	mach_port_t task = self->w.target[TASK];
	thread_act_t made;
	struct groups g;

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(task, ALL, self->w.h1, EXCEPTION_DEFAULT,
							 0));
	ASSERT_EQ(KERN_SUCCESS, thread_set_exception_ports(self->w.target[THREAD], ALL, self->w.h2,
							   EXCEPTION_STATE, x86_THREAD_STATE64));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &made));
	ASSERT_EQ(KERN_SUCCESS, get_at(THREAD, made, ALL, &g));
	EXPECT_TRUE(one_group(&g, ALL, MACH_PORT_NULL, 0, 0)) {
		TH_LOG("%u groups, first port %#x", g.count, g.ports[0]);
	}
	/* ... while a task made by task_create takes its parent's. */
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->w.made, task, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, get_at(TASK, child, ALL, &g));
	EXPECT_TRUE(one_group(&g, ALL, self->w.h1, EXCEPTION_DEFAULT, 0));
	put_groups(&g);
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(made));
}

/* ---- by hand, as a MIG stub sends them, to the kernel objects ---- */

/* The level's set routine; get and swap follow it. */
static const mach_msg_id_t set_id[LEVELS] = { 3613, 3413, 414 };

/* The words of a get or swap reply: after 32 port descriptors and NDR. */
static uint32_t *reply_words(union exchange *x)
{
	return (uint32_t *)((char *)x + 28 + 32 * 12 + 8);
}

/* A set or swap request: the port, then NDR, mask, behavior, flavor. */
static mach_msg_return_t send_set(mach_port_t target, mach_msg_id_t id, mach_port_t port,
				  uint32_t mask, uint32_t behavior, uint32_t flavor,
				  union exchange *x)
{
	one_port(x, port, MACH_MSG_TYPE_COPY_SEND);
	x->in.c.w[0] = mask;
	x->in.c.w[1] = behavior;
	x->in.c.w[2] = flavor;
	return call(target, id, x, COMPLEX_ONE_PORT(3), MACH_MSG_TYPE_COPY_SEND);
}

TEST_F(levels, requests_by_message_answer_as_the_calls)
{
	enum level l = variant->level;
	mach_port_t t = self->w.target[l];
	mach_msg_id_t id = set_id[l];
	static union exchange x;
	struct groups g;
	struct reply out;
	uint32_t *words;

	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, ALL, MACH_PORT_NULL, 0, 0));
	/* set */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_set(t, id, self->w.h1, EXC_MASK_BAD_ACCESS,
					     EXCEPTION_STATE | MACH_EXCEPTION_CODES,
					     x86_FLOAT_STATE64, &x));
	EXPECT_EQ(id + 100, x.out.head.msgh_id);
	EXPECT_EQ(sizeof(mig_reply_error_t), x.out.head.msgh_size);
	EXPECT_EQ(KERN_SUCCESS, x.out.s.ret);
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, EXC_MASK_BAD_ACCESS, &g));
	EXPECT_TRUE(one_group(&g, EXC_MASK_BAD_ACCESS, self->w.h1,
			      EXCEPTION_STATE | MACH_EXCEPTION_CODES, x86_FLOAT_STATE64));
	put_groups(&g);

	/* get: 32 port descriptors, NDR, the count, masks, behaviors, flavors */
	uint32_t mask = EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE;

	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = mask;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(t, id + 1, &x, SIMPLE(1), MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(id + 101, x.out.head.msgh_id);
	ASSERT_EQ(COMPLEX, x.out.head.msgh_bits & COMPLEX);
	EXPECT_EQ(32, x.out.c.body.msgh_descriptor_count);
	words = reply_words(&x);
	ASSERT_EQ(2, words[0]);
	EXPECT_EQ(424 + 12 * 2, x.out.head.msgh_size);
	EXPECT_EQ(self->w.h1, (&x.out.c.port)[0].name);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)(&x.out.c.port)[0].disposition);
	EXPECT_EQ(MACH_PORT_NULL, (&x.out.c.port)[1].name);
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, mask, &g));
	EXPECT_EQ(g.count, words[0]);
	EXPECT_EQ(0, memcmp(g.masks, &words[1], 2 * 4));
	EXPECT_EQ(0, memcmp(g.behaviors, &words[3], 2 * 4));
	EXPECT_EQ(0, memcmp(g.flavors, &words[5], 2 * 4));
	put_groups(&g);
	mach_port_deallocate(mach_task_self(), self->w.h1);	/* the reply's */

	/* swap: set's request, get's reply, the groups as they were */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_set(t, id + 2, self->w.h2, mask, EXCEPTION_DEFAULT, 0, &x));
	EXPECT_EQ(id + 102, x.out.head.msgh_id);
	ASSERT_EQ(COMPLEX, x.out.head.msgh_bits & COMPLEX);
	words = reply_words(&x);
	ASSERT_EQ(2, words[0]);
	EXPECT_EQ(self->w.h1, (&x.out.c.port)[0].name);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS, words[1]);
	EXPECT_EQ(EXC_MASK_SOFTWARE, words[2]);
	mach_port_deallocate(mach_task_self(), self->w.h1);
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, mask, &g));
	EXPECT_TRUE(one_group(&g, mask, self->w.h2, EXCEPTION_DEFAULT, 0));
	put_groups(&g);

	/* Refused alike: a bad mask, behaviour, flavour; a short request. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_set(t, id, self->w.h1, 1u << 20, EXCEPTION_DEFAULT, 0, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_set(t, id, self->w.h1, mask, 77, 0, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_set(t, id + 2, self->w.h1, mask, EXCEPTION_DEFAULT, 15, &x));
	EXPECT_EQ(sizeof(mig_reply_error_t), x.out.head.msgh_size);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, simple_call(t, id + 1, (uint32_t[]){ 1u << 30 }, 1,
						     &out));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, simple_call(t, id + 1, NULL, 0, &out));
	/* On another level's object: the conversion MIG makes fails. */
	mach_port_t other = self->w.target[l == TASK ? THREAD : TASK];

	EXPECT_EQ(KERN_INVALID_ARGUMENT, simple_call(other, id + 1, &mask, 1, &out));
	if (l == HOST) {
		EXPECT_EQ(KERN_INVALID_ARGUMENT, simple_call(mach_host_self(), id + 1, &mask, 1,
							     &out));
	}
	ASSERT_EQ(KERN_SUCCESS, get_at(l, t, mask, &g));
	EXPECT_TRUE(one_group(&g, mask, self->w.h2, EXCEPTION_DEFAULT, 0));
	put_groups(&g);
	ASSERT_EQ(KERN_SUCCESS, set_at(l, t, ALL, MACH_PORT_NULL, 0, 0));
}

TEST_HARNESS_MAIN
