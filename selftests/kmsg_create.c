// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks made by message: task_create (3400) sent to a task port and
 * host_security_create_task_token (600) sent to the host security port,
 * in XNU's layouts, each compared with libmach's own call; the same calls
 * made by libmach on a stand-in (a proxy); their refusals, with what the
 * request carried destroyed.
 */
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

#pragma pack(push, 4)
/* __Request__task_create_t */
struct create_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t ledgers;
	NDR_record_t ndr;
	mach_msg_type_number_t ledgers_count;
	boolean_t inherit_memory;
};

/* __Request__host_security_create_task_token_t */
struct token_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t parent_task;
	mach_msg_port_descriptor_t host;
	mach_msg_ool_ports_descriptor_t ledgers;
	NDR_record_t ndr;
	security_token_t sec_token;
	audit_token_t audit_token;
	mach_msg_type_number_t ledgers_count;
	boolean_t inherit_memory;
};
#pragma pack(pop)

_Static_assert(sizeof(struct create_request) == 60, "XNU's task_create request");
_Static_assert(sizeof(struct token_request) == 124, "XNU's create_task_token request");

/* What a child made with memory finds at its address: a value of its parent's. */
static uint64_t marker;

static void ool_ports(mach_msg_ool_ports_descriptor_t *d, mach_port_t *ports,
		      mach_msg_size_t count, mach_msg_type_name_t disposition)
{
	d->address = ports;
	d->deallocate = FALSE;
	d->copy = MACH_MSG_VIRTUAL_COPY;
	d->disposition = disposition;
	d->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	d->count = count;
}

static void create_request(struct create_request *req, mach_port_t *ledgers,
			   mach_msg_size_t count, boolean_t inherit)
{
	struct create_request r = {};

	r.head.msgh_bits = COMPLEX;
	r.body.msgh_descriptor_count = 1;
	ool_ports(&r.ledgers, ledgers, count, MACH_MSG_TYPE_COPY_SEND);
	r.ndr = NDR_record;
	r.ledgers_count = count;
	r.inherit_memory = inherit;
	*req = r;
}

static void token_request(struct token_request *req, mach_port_t parent, mach_port_t host,
			  const security_token_t *st, const audit_token_t *at,
			  mach_port_t *ledgers, mach_msg_size_t count, boolean_t inherit)
{
	struct token_request r = {};

	r.head.msgh_bits = COMPLEX;
	r.body.msgh_descriptor_count = 3;
	r.parent_task.name = parent;
	r.parent_task.disposition = MACH_MSG_TYPE_COPY_SEND;
	r.parent_task.type = MACH_MSG_PORT_DESCRIPTOR;
	r.host.name = host;
	r.host.disposition = MACH_MSG_TYPE_COPY_SEND;
	r.host.type = MACH_MSG_PORT_DESCRIPTOR;
	ool_ports(&r.ledgers, ledgers, count, MACH_MSG_TYPE_COPY_SEND);
	r.ndr = NDR_record;
	r.sec_token = *st;
	r.audit_token = *at;
	r.ledgers_count = count;
	r.inherit_memory = inherit;
	*req = r;
}

/* A request built in its own layout, copied into x and sent as MIG's stubs send. */
static mach_msg_return_t send_built(mach_port_t target, mach_msg_id_t id, const void *req,
				    size_t len, mach_msg_size_t size, union exchange *x)
{
	memset(x, 0, sizeof(*x));
	memcpy(&x->in, req, len);
	return call(target, id, x, size, MACH_MSG_TYPE_COPY_SEND);
}

/* task_create's reply: the child's task port, a send right moved to us (40 bytes). */
static task_t child_of_reply(struct __test_metadata *_metadata, struct made *made,
			     const union exchange *x, mach_msg_id_t id)
{
	EXPECT_EQ(id + 100, x->out.head.msgh_id);
	if (!(x->out.head.msgh_bits & COMPLEX)) {
		TH_LOG("refused: %#x", x->out.s.ret);
		return MACH_PORT_NULL;
	}
	EXPECT_EQ(40, x->out.head.msgh_size);
	EXPECT_EQ(COMPLEX | MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE),
		  x->out.head.msgh_bits);
	EXPECT_EQ(1, x->out.c.body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_PORT_DESCRIPTOR, (int)x->out.c.port.type);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (mach_msg_type_name_t)x->out.c.port.disposition);
	return made_task(made, x->out.c.port.name);
}

/* The refusal of a request: mig_reply_error_t's, 36 bytes. */
static kern_return_t refusal(const union exchange *x, mach_msg_id_t id)
{
	if (x->out.head.msgh_id != id + 100 || (x->out.head.msgh_bits & COMPLEX) ||
	    x->out.head.msgh_size != 36)
		return MIG_REPLY_MISMATCH;
	return x->out.s.ret;
}

static mach_port_t special(task_t task, int which)
{
	mach_port_t port = MACH_PORT_NULL;

	task_get_special_port(task, which, &port);
	return port;
}

static int pid_of(task_t task)
{
	int pid = -1;

	return pid_for_task(task, &pid) == KERN_SUCCESS ? pid : -1;
}

static uint64_t marker_of(task_t task)
{
	uint64_t value = 0;
	vm_size_t got = 0;

	if (vm_read_overwrite(task, (vm_address_t)&marker, sizeof(value), (vm_address_t)&value,
			      &got) != KERN_SUCCESS || got != sizeof(value))
		return 0;
	return value;
}

static vm_size_t virtual_size(task_t task)
{
	struct mach_task_basic_info info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	if (task_info(task, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count))
		return 0;
	return info.virtual_size;
}

static void tokens_of(task_t task, security_token_t *st, audit_token_t *at)
{
	mach_msg_type_number_t count = TASK_SECURITY_TOKEN_COUNT;

	memset(st, 0xff, sizeof(*st));
	memset(at, 0xff, sizeof(*at));
	task_info(task, TASK_SECURITY_TOKEN, (task_info_t)st, &count);
	count = TASK_AUDIT_TOKEN_COUNT;
	task_info(task, TASK_AUDIT_TOKEN, (task_info_t)at, &count);
}

static kern_return_t security_port(host_priv_t *priv, host_security_t *security)
{
	kern_return_t kr = host_get_host_priv_port(mach_host_self(), priv);

	if (kr != KERN_SUCCESS)
		return kr;
	return host_get_special_port(*priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT, security);
}

/* A port of ours with no send right but the one a request makes, and its no-senders notice asked. */
static mach_port_t lonely_port(void)
{
	mach_port_t port = MACH_PORT_NULL, previous;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ||
	    mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS, 0,
					   port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous))
		return MACH_PORT_NULL;
	return port;
}

/* The send rights made from port are all gone: its no-senders notice came. */
static int no_senders(mach_port_t port)
{
	struct reply heard;
	int gone;

	gone = mach_msg(&heard.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(heard), port,
			1000, MACH_PORT_NULL) == MACH_MSG_SUCCESS &&
	       heard.head.msgh_id == MACH_NOTIFY_NO_SENDERS;
	mach_port_destroy(mach_task_self(), port);
	return gone;
}

FIXTURE(kcreate) {
	struct made made;
};

FIXTURE_VARIANT(kcreate) {
	boolean_t inherit_memory;
};

FIXTURE_VARIANT_ADD(kcreate, with_memory) { .inherit_memory = TRUE };
FIXTURE_VARIANT_ADD(kcreate, without_memory) { .inherit_memory = FALSE };

FIXTURE_SETUP(kcreate)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(kcreate)
{
	made_end(&self->made);
}

/* What a child of ours made either way has: compared with a direct call's. */
static void expect_like(struct __test_metadata *_metadata, task_t child, task_t direct,
			boolean_t inherit, uint64_t value)
{
	security_token_t st, direct_st;
	audit_token_t at, direct_at;

	ASSERT_NE(MACH_PORT_NULL, child);
	EXPECT_GT(pid_of(child), 0);
	EXPECT_NE(getpid(), pid_of(child));
	EXPECT_NE(pid_of(direct), pid_of(child));
	EXPECT_EQ(child, special(child, TASK_KERNEL_PORT));
	EXPECT_EQ(special(direct, TASK_HOST_PORT), special(child, TASK_HOST_PORT));
	EXPECT_EQ(special(direct, TASK_WIRED_LEDGER_PORT),
		  special(child, TASK_WIRED_LEDGER_PORT));
	tokens_of(child, &st, &at);
	tokens_of(direct, &direct_st, &direct_at);
	EXPECT_EQ(0, memcmp(&st, &direct_st, sizeof(st)));
	if (inherit) {
		EXPECT_EQ(value, marker_of(child));
		EXPECT_EQ(value, marker_of(direct));
	} else {
		EXPECT_EQ(getpagesize(), virtual_size(child));
		EXPECT_EQ(virtual_size(direct), virtual_size(child));
	}
}

/* A task asks its own task port for a child: its agent makes it while it waits. */
TEST_F(kcreate, task_create_sent_to_our_own_task_is_libmachs)
{
	const boolean_t inherit = variant->inherit_memory;
	union exchange x;
	struct create_request r;
	task_t child, direct;

	marker = 0x6b637200u ^ (uint64_t)getpid() << 32;
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, inherit,
						 &direct));
	create_request(&r, NULL, 0, inherit);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(mach_task_self(), 3400, &r, sizeof(r), 60, &x));
	child = child_of_reply(_metadata, &self->made, &x, 3400);
	expect_like(_metadata, child, direct, inherit, marker);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

/* Sent to another task's port: its child, made of that task's memory. */
TEST_F(kcreate, task_create_sent_to_a_child_makes_a_grandchild)
{
	const boolean_t inherit = variant->inherit_memory;
	union exchange x;
	struct create_request r;
	task_t child, grandchild, direct;
	uint64_t theirs;

	marker = 0x70617200u ^ (uint64_t)getpid() << 32;
	theirs = marker;
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	marker = ~theirs;	/* ours from now; the child keeps its copy */
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, child, NULL, 0, inherit, &direct));
	create_request(&r, NULL, 0, inherit);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(child, 3400, &r, sizeof(r), 60, &x));
	grandchild = child_of_reply(_metadata, &self->made, &x, 3400);
	expect_like(_metadata, grandchild, direct, inherit, theirs);
}

/* The man page's ledger rule, by message: two real ledgers, or the parent's. */
TEST_F(kcreate, ledgers_by_message_follow_the_rule)
{
	const boolean_t inherit = variant->inherit_memory;
	mach_port_t me = mach_task_self();
	mach_port_t wired = special(me, TASK_WIRED_LEDGER_PORT);
	mach_port_t paged = special(me, TASK_PAGED_LEDGER_PORT);
	mach_port_t swapped[3] = { paged, wired, paged };
	mach_port_t not_ledgers[2] = { mach_host_self(), paged };
	union exchange x;
	struct create_request r;
	task_t child;

	ASSERT_NE(wired, paged);
	create_request(&r, swapped, 2, inherit);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(me, 3400, &r, sizeof(r), 60, &x));
	child = child_of_reply(_metadata, &self->made, &x, 3400);
	ASSERT_NE(MACH_PORT_NULL, child);
	EXPECT_EQ(paged, special(child, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(wired, special(child, TASK_PAGED_LEDGER_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));

	create_request(&r, not_ledgers, 2, inherit);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(me, 3400, &r, sizeof(r), 60, &x));
	child = child_of_reply(_metadata, &self->made, &x, 3400);
	ASSERT_NE(MACH_PORT_NULL, child);
	EXPECT_EQ(wired, special(child, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));

	/* Three: not the list the rule asks for. */
	create_request(&r, swapped, 3, inherit);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(me, 3400, &r, sizeof(r), 60, &x));
	child = child_of_reply(_metadata, &self->made, &x, 3400);
	ASSERT_NE(MACH_PORT_NULL, child);
	EXPECT_EQ(wired, special(child, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(paged, special(child, TASK_PAGED_LEDGER_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
}

/* Malformed or misdirected: the MIG error, and the rights it carried destroyed. */
TEST(task_create_refusals_destroy_what_came)
{
	mach_port_t lonely[2];
	union exchange x;
	struct create_request r;
	struct reply notice;

	/* Sent to the host: not a task, as the ioctl answers. */
	lonely[0] = lonely_port();
	ASSERT_NE(MACH_PORT_NULL, lonely[0]);
	lonely[1] = lonely[0];
	create_request(&r, lonely, 2, TRUE);
	r.ledgers.disposition = MACH_MSG_TYPE_MAKE_SEND;
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(mach_host_self(), 3400, &r, sizeof(r), 60, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, refusal(&x, 3400));
	EXPECT_TRUE(no_senders(lonely[0]));

	/* The count is not the descriptor's. */
	lonely[0] = lonely[1] = lonely_port();
	create_request(&r, lonely, 2, TRUE);
	r.ledgers.disposition = MACH_MSG_TYPE_MAKE_SEND;
	r.ledgers_count = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(mach_task_self(), 3400, &r, sizeof(r), 60, &x));
	EXPECT_EQ(MIG_TYPE_ERROR, refusal(&x, 3400));
	EXPECT_TRUE(no_senders(lonely[0]));

	/* Send-once rights where the ledgers' send rights belong. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &lonely[0]));
	lonely[1] = lonely[0];
	create_request(&r, lonely, 2, TRUE);
	r.ledgers.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(mach_task_self(), 3400, &r, sizeof(r), 60, &x));
	EXPECT_EQ(MIG_TYPE_ERROR, refusal(&x, 3400));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&notice.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
						     0, sizeof(notice), lonely[0], 1000,
						     MACH_PORT_NULL));
		EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notice.head.msgh_id);
	}
	mach_port_destroy(mach_task_self(), lonely[0]);

	/* A port descriptor where the ledgers' array belongs. */
	lonely[0] = lonely_port();
	one_port(&x, lonely[0], MACH_MSG_TYPE_MAKE_SEND);
	/* (60 bytes, as the request's: the port's 12 and three words) */
	ASSERT_EQ(60, COMPLEX_ONE_PORT(3));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 3400, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_TYPE_ERROR, refusal(&x, 3400));
	EXPECT_TRUE(no_senders(lonely[0]));

	/* Cut short, and sent simple. */
	create_request(&r, NULL, 0, TRUE);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(mach_task_self(), 3400, &r, sizeof(r), 56, &x));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, refusal(&x, 3400));
	uint32_t words[2] = { 0, TRUE };
	struct reply out;

	EXPECT_EQ(MIG_BAD_ARGUMENTS, simple_call(mach_task_self(), 3400, words, 2, &out));
}

/* host_security_create_task_token sent to the security port, as libmach's. */
TEST_F(kcreate, create_task_token_by_message_is_libmachs)
{
	const boolean_t inherit = variant->inherit_memory;
	security_token_t st = { { 1234, 5678 } }, seen_st;
	audit_token_t at = { { 1000, 1234, 5678, 1234, 5678, 4242, 7, 1 } }, seen_at;
	host_priv_t priv;
	host_security_t security;
	union exchange x;
	struct token_request r;
	task_t child, direct;

	if (security_port(&priv, &security) != KERN_SUCCESS)
		SKIP(return, "no host security port");
	marker = 0x746f6b00u ^ (uint64_t)getpid() << 32;
	ASSERT_EQ(KERN_SUCCESS, made_task_create_token(&self->made, security, mach_task_self(),
						       st, at, priv, NULL, 0, inherit, &direct));
	token_request(&r, mach_task_self(), priv, &st, &at, NULL, 0, inherit);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 124, &x));
	child = child_of_reply(_metadata, &self->made, &x, 600);
	ASSERT_NE(MACH_PORT_NULL, child);
	tokens_of(child, &seen_st, &seen_at);
	EXPECT_EQ(0, memcmp(&st, &seen_st, sizeof(st)));
	EXPECT_EQ(0, memcmp(&at, &seen_at, sizeof(at)));
	EXPECT_EQ(priv, special(child, TASK_HOST_PORT));
	expect_like(_metadata, child, direct, inherit, marker);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));

	/* No privileged port given: the name port. */
	token_request(&r, mach_task_self(), MACH_PORT_NULL, &st, &at, NULL, 0, inherit);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 124, &x));
	child = child_of_reply(_metadata, &self->made, &x, 600);
	ASSERT_NE(MACH_PORT_NULL, child);
	EXPECT_EQ(mach_host_self(), special(child, TASK_HOST_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
}

TEST(create_task_token_refusals_are_libmachs)
{
	security_token_t st = { { 1234, 5678 } }, bad_st = { { (unsigned int)-1, 5678 } };
	audit_token_t at = { { 0 } };
	host_priv_t priv;
	host_security_t security;
	mach_port_t lonely[2], ordinary = new_port();
	union exchange x;
	struct token_request r;
	task_t child;

	if (security_port(&priv, &security) != KERN_SUCCESS)
		SKIP(return, "no host security port");
	/* To the host name port: no authority, as the ioctl's. */
	lonely[0] = lonely[1] = lonely_port();
	token_request(&r, mach_task_self(), priv, &st, &at, lonely, 2, TRUE);
	r.ledgers.disposition = MACH_MSG_TYPE_MAKE_SEND;
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(mach_host_self(), 600, &r, sizeof(r), 124, &x));
	EXPECT_EQ(KERN_INVALID_SECURITY, refusal(&x, 600));
	EXPECT_EQ(KERN_INVALID_SECURITY,
		  host_security_create_task_token(mach_host_self(), mach_task_self(), st, at,
						  priv, NULL, 0, TRUE, &child));
	EXPECT_TRUE(no_senders(lonely[0]));

	/* A parent that is no task, none at all, tokens that are no ids. */
	token_request(&r, ordinary, priv, &st, &at, NULL, 0, TRUE);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 124, &x));
	EXPECT_EQ(host_security_create_task_token(security, ordinary, st, at, priv, NULL, 0,
						  TRUE, &child), refusal(&x, 600));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, refusal(&x, 600));
	token_request(&r, MACH_PORT_NULL, priv, &st, &at, NULL, 0, TRUE);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 124, &x));
	EXPECT_EQ(host_security_create_task_token(security, MACH_PORT_NULL, st, at, priv, NULL,
						  0, TRUE, &child), refusal(&x, 600));
	token_request(&r, mach_task_self(), priv, &bad_st, &at, NULL, 0, TRUE);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 124, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, refusal(&x, 600));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_security_create_task_token(security, mach_task_self(), bad_st, at, priv,
						  NULL, 0, TRUE, &child));

	/* Cut short; the count not the descriptor's; a port where the array belongs. */
	token_request(&r, mach_task_self(), priv, &st, &at, NULL, 0, TRUE);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 120, &x));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, refusal(&x, 600));
	lonely[0] = lonely[1] = lonely_port();
	token_request(&r, mach_task_self(), priv, &st, &at, lonely, 2, TRUE);
	r.ledgers.disposition = MACH_MSG_TYPE_MAKE_SEND;
	r.ledgers_count = 0;
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 124, &x));
	EXPECT_EQ(MIG_TYPE_ERROR, refusal(&x, 600));
	EXPECT_TRUE(no_senders(lonely[0]));
	token_request(&r, mach_task_self(), priv, &st, &at, NULL, 0, TRUE);
	r.parent_task.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	r.parent_task.name = ordinary;
	ASSERT_EQ(MACH_MSG_SUCCESS, send_built(security, 600, &r, sizeof(r), 124, &x));
	EXPECT_EQ(MIG_TYPE_ERROR, refusal(&x, 600));
	mach_port_destroy(mach_task_self(), ordinary);
}

/* libmach's calls on stand-ins: the request goes to the proxy, which relays it. */
TEST_F(kcreate, libmach_creates_through_a_proxy_as_directly)
{
	const boolean_t inherit = variant->inherit_memory;
	mach_port_t me = mach_task_self();
	mach_port_t wired = special(me, TASK_WIRED_LEDGER_PORT);
	mach_port_t paged = special(me, TASK_PAGED_LEDGER_PORT);
	mach_port_t swapped[2] = { paged, wired };
	struct proxy task_proxy;
	task_t child, direct;

	marker = 0x70727800u ^ (uint64_t)getpid() << 32;
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, me, swapped, 2, inherit, &direct));
	proxy_start(&task_proxy, me);
	child = MACH_PORT_NULL;
	EXPECT_EQ(KERN_SUCCESS, made_task_create(&self->made, task_proxy.port, swapped, 2,
						 inherit, &child));
	EXPECT_EQ(1, task_proxy.forwarded);
	if (child != MACH_PORT_NULL) {
		expect_like(_metadata, child, direct, inherit, marker);
		EXPECT_EQ(paged, special(child, TASK_WIRED_LEDGER_PORT));
		EXPECT_EQ(wired, special(child, TASK_PAGED_LEDGER_PORT));
		EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	}
	proxy_stop(&task_proxy);

	host_priv_t priv;
	host_security_t security;
	struct proxy security_proxy;
	security_token_t st = { { 4321, 8765 } }, seen_st;
	audit_token_t at = { { 1, 2, 3, 4, 5, 6, 7, 8 } }, seen_at;

	if (security_port(&priv, &security) != KERN_SUCCESS)
		return;
	proxy_start(&security_proxy, security);
	child = MACH_PORT_NULL;
	EXPECT_EQ(KERN_SUCCESS, made_task_create_token(&self->made, security_proxy.port, me, st,
						       at, priv, NULL, 0, inherit, &child));
	EXPECT_EQ(1, security_proxy.forwarded);
	if (child != MACH_PORT_NULL) {
		tokens_of(child, &seen_st, &seen_at);
		EXPECT_EQ(0, memcmp(&st, &seen_st, sizeof(st)));
		EXPECT_EQ(0, memcmp(&at, &seen_at, sizeof(at)));
		EXPECT_EQ(priv, special(child, TASK_HOST_PORT));
		if (inherit)
			EXPECT_EQ(marker, marker_of(child));
		EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	}
	/* A refusal relayed is the direct call's. */
	st.val[0] = (unsigned int)-1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_security_create_task_token(security_proxy.port, me, st, at, priv, NULL, 0,
						  inherit, &child));
	EXPECT_EQ(MACH_PORT_NULL, child);
	proxy_stop(&security_proxy);
}

/*
 * norma_task_clone (555005) and norma_task_teleport (555009) by hand, sent
 * to a child made with our memory: the clone shares the child's memory
 * on node 1; the teleported task is the child moved to node 1, and the
 * child's port is dead once the reply has come.
 */
TEST(norma_clone_and_teleport_by_message)
{
	integer_t node[TASK_NODE_INFO_COUNT];
	mach_msg_type_number_t count;
	task_t child, clone, moved;
	struct made made;
	union exchange x;

	made_begin(&made);
	marker = 0x6e6f726du ^ (uint64_t)getpid() << 32;
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = TRUE;
	x.in.s.w[1] = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(child, 555005, &x, SIMPLE(2), MACH_MSG_TYPE_COPY_SEND));
	clone = child_of_reply(_metadata, &made, &x, 555005);
	ASSERT_NE(MACH_PORT_NULL, clone);
	EXPECT_EQ(marker, marker_of(clone));
	count = TASK_NODE_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(clone, TASK_NODE_INFO, (task_info_t)node, &count));
	EXPECT_EQ(1, node[0]);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(clone));

	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = TRUE;
	x.in.s.w[1] = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(child, 555009, &x, SIMPLE(2), MACH_MSG_TYPE_COPY_SEND));
	moved = child_of_reply(_metadata, &made, &x, 555009);
	ASSERT_NE(MACH_PORT_NULL, moved);
	EXPECT_EQ(marker, marker_of(moved));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(child));
	count = TASK_NODE_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(moved, TASK_NODE_INFO, (task_info_t)node, &count));
	EXPECT_EQ(1, node[0]);
	/* A node that is not there: the call's answer. */
	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = TRUE;
	x.in.s.w[1] = 99;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(moved, 555005, &x, SIMPLE(2), MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(norma_task_clone(moved, TRUE, 99, &clone), refusal(&x, 555005));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(moved));
	made_end(&made);
}

/* task_terminate (3401) by hand: the task is gone when the reply comes. */
TEST_F(kcreate, task_terminate_by_message)
{
	struct reply out;
	task_t child;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0,
						 variant->inherit_memory, &child));
	pid = pid_of(child);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(KERN_SUCCESS, simple_call(child, 3401, NULL, 0, &out));
	EXPECT_EQ(3501, out.head.msgh_id);
	EXPECT_EQ(36, out.head.msgh_size);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(child));
	/* A task that is gone: the request's send fails, as the call does. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_terminate(child));
	EXPECT_EQ(MIG_SERVER_DIED, simple_call(child, 3401, NULL, 0, &out));
	mach_port_deallocate(mach_task_self(), child);
}

/* mach_port_deallocate (3206) by hand, on our own space. */
TEST(mach_port_deallocate_by_message)
{
	mach_port_urefs_t refs = 0;
	mach_port_t port = new_port();
	mach_port_type_t type = 0;
	struct reply out;
	uint32_t args[1] = { port };

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND,
						   1));
	ASSERT_EQ(KERN_SUCCESS, simple_call(mach_task_self(), 3206, args, 1, &out));
	EXPECT_EQ(3306, out.head.msgh_id);
	EXPECT_EQ(36, out.head.msgh_size);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND,
						   &refs));
	EXPECT_EQ(1, refs);
	ASSERT_EQ(KERN_SUCCESS, simple_call(mach_task_self(), 3206, args, 1, &out));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	/* No send right left, and a name not held: the call's errors. */
	EXPECT_EQ(mach_port_deallocate(mach_task_self(), port),
		  simple_call(mach_task_self(), 3206, args, 1, &out));
	args[0] = 0x7777;
	EXPECT_EQ(mach_port_deallocate(mach_task_self(), 0x7777),
		  simple_call(mach_task_self(), 3206, args, 1, &out));
	mach_port_destroy(mach_task_self(), port);
}

TEST_HARNESS_MAIN
