// SPDX-License-Identifier: GPL-2.0
/*
 * More kernel calls answered as messages: mach_port_extract_right,
 * host_kernel_version, task_swap_exception_ports and the host security
 * port's calls, in XNU's layouts, each compared with libmach's own call,
 * and the same calls made by libmach on a stand-in (a proxy).
 */
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

FIXTURE(ktask) {
	struct made made;
	task_t child;
};

FIXTURE_SETUP(ktask)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &self->child));
}

FIXTURE_TEARDOWN(ktask)
{
	made_end(&self->made);
}

/* The reply of a routine whose reply is one port descriptor (40 bytes). */
static void expect_one_port_reply(struct __test_metadata *_metadata, const struct reply *out,
				  mach_msg_id_t id, mach_msg_type_name_t disposition)
{
	EXPECT_EQ(id + 100, out->head.msgh_id);
	EXPECT_EQ(40, out->head.msgh_size);
	EXPECT_EQ(COMPLEX | MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), out->head.msgh_bits);
	EXPECT_EQ(1, out->c.body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_PORT_DESCRIPTOR, (int)out->c.port.type);
	EXPECT_EQ(disposition, (mach_msg_type_name_t)out->c.port.disposition);
}

static mach_port_type_t type_of(task_t task, mach_port_t name)
{
	mach_port_type_t type = 0;

	if (mach_port_type(task, name, &type) != KERN_SUCCESS)
		return 0;
	return type;
}

/* mach_port_extract_right (3215): name, msgt_name; the right comes back as poly. */
TEST_F(ktask, extract_right_by_message_is_libmachs)
{
	mach_port_t name = MACH_PORT_NULL, poly = MACH_PORT_NULL;
	mach_msg_type_name_t poly_type = 0;
	uint32_t args[2];
	struct reply out;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_RECEIVE, &name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self->child, name,
							MACH_MSG_TYPE_MAKE_SEND, &poly,
							&poly_type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, poly_type);

	/* A send right made from the child's receive right: the same port as libmach's. */
	args[0] = name;
	args[1] = MACH_MSG_TYPE_MAKE_SEND;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3215, args, 2, &out));
	expect_one_port_reply(_metadata, &out, 3215, MACH_MSG_TYPE_PORT_SEND);
	EXPECT_EQ(poly, out.c.port.name);	/* coalesced with the one we hold */
	mach_port_urefs_t refs = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), poly,
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(2, refs);

	/* A send-once right made: MACH_MSG_TYPE_PORT_SEND_ONCE. */
	args[1] = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3215, args, 2, &out));
	expect_one_port_reply(_metadata, &out, 3215, MACH_MSG_TYPE_PORT_SEND_ONCE);
	EXPECT_NE(MACH_PORT_NULL, out.c.port.name);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(mach_task_self(), out.c.port.name));
	mach_port_deallocate(mach_task_self(), out.c.port.name);

	/* The receive right moved out: ours now, gone from the child. */
	args[1] = MACH_MSG_TYPE_MOVE_RECEIVE;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3215, args, 2, &out));
	expect_one_port_reply(_metadata, &out, 3215, MACH_MSG_TYPE_PORT_RECEIVE);
	EXPECT_EQ(poly, out.c.port.name);	/* the send right's name, now with receive */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(mach_task_self(), poly));
	EXPECT_EQ(0, type_of(self->child, name));

	/* Errors, as libmach's call answers them. */
	args[0] = name;		/* no longer a name there */
	args[1] = MACH_MSG_TYPE_COPY_SEND;
	EXPECT_EQ(mach_port_extract_right(self->child, name, MACH_MSG_TYPE_COPY_SEND, &poly,
					  &poly_type), simple_call(self->child, 3215, args, 2, &out));
	EXPECT_EQ(KERN_INVALID_NAME, out.s.ret);
	EXPECT_EQ(36, out.head.msgh_size);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_RECEIVE, &name));
	args[0] = name;
	args[1] = 99;	/* no disposition */
	EXPECT_EQ(KERN_INVALID_VALUE, simple_call(self->child, 3215, args, 2, &out));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_extract_right(self->child, name, 99, &poly,
							      &poly_type));
	args[1] = MACH_MSG_TYPE_MOVE_SEND;	/* it holds no send right */
	EXPECT_EQ(mach_port_extract_right(self->child, name, MACH_MSG_TYPE_MOVE_SEND, &poly,
					  &poly_type), simple_call(self->child, 3215, args, 2, &out));
	EXPECT_EQ(KERN_INVALID_RIGHT, out.s.ret);
	/* The msgt_name cut off. */
	EXPECT_EQ(MIG_BAD_ARGUMENTS, simple_call(self->child, 3215, args, 1, &out));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(self->child, name));
}

/* The receive right of the reply port itself, extracted into its own reply. */
TEST(extracting_the_reply_ports_own_receive_right_leaves_no_cycle)
{
	mach_port_t reply = mach_reply_port();
	union exchange x;

	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = reply;
	x.in.s.w[1] = MACH_MSG_TYPE_MOVE_RECEIVE;
	x.in.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					     MACH_MSG_TYPE_MAKE_SEND_ONCE);
	x.in.head.msgh_size = SIMPLE(2);
	x.in.head.msgh_remote_port = mach_task_self();
	x.in.head.msgh_local_port = reply;
	x.in.head.msgh_id = 3215;
	x.in.s.ndr = NDR_record;
	/* The reply can never be received: it and the port go, nothing hangs. */
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&x.in.head, MACH_SEND_MSG, SIMPLE(2), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(0, type_of(mach_task_self(), reply) & MACH_PORT_TYPE_RECEIVE);
}

/*
 * mach_port_request_notification (3213) by message with MACH_PORT_DEAD for
 * its notify port, sent so or a dead name that travels so, is
 * KERN_INVALID_CAPABILITY, as XNU answers, and the request in place stays.
 */
TEST(a_dead_notify_port_by_message_is_refused)
{
	mach_port_t port = MACH_PORT_NULL, watcher = MACH_PORT_NULL, dead = MACH_PORT_NULL;
	mach_port_t previous = MACH_PORT_NULL, targets[2];
	union exchange x;
	struct reply notice;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &watcher));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME,
						   &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), port,
							       MACH_NOTIFY_DEAD_NAME, 0, watcher,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE,
							       &previous));
	targets[0] = dead;
	targets[1] = MACH_PORT_DEAD;
	for (int i = 0; i < 2; i++) {
		one_port(&x, targets[i], MACH_MSG_TYPE_MOVE_SEND_ONCE);
		x.in.c.w[0] = port;
		x.in.c.w[1] = MACH_NOTIFY_DEAD_NAME;
		x.in.c.w[2] = 0;
		ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 3213, &x, COMPLEX_ONE_PORT(3),
						 MACH_MSG_TYPE_COPY_SEND));
		EXPECT_EQ(0, x.out.head.msgh_bits & COMPLEX);
		EXPECT_EQ(KERN_INVALID_CAPABILITY, x.out.s.ret);
	}
	/* The request stands: the port's death is told to the watcher. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), port,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&notice.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(notice), watcher, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_DEAD_NAME, notice.head.msgh_id);
	mach_port_destroy(mach_task_self(), port);
	mach_port_destroy(mach_task_self(), watcher);
}

/* host_kernel_version (201): the string inline, as kernel_version_t's c_string. */
TEST(host_kernel_version_by_message_is_libmachs)
{
	mach_port_t host = mach_host_self();
	kernel_version_t version;
	struct reply out;

	ASSERT_EQ(KERN_SUCCESS, host_kernel_version(host, version));
	ASSERT_EQ(KERN_SUCCESS, simple_call(host, 201, NULL, 0, &out));
	EXPECT_EQ(301, out.head.msgh_id);
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), out.head.msgh_bits);
	uint32_t count = out.s.w[1];

	EXPECT_EQ(0, out.s.w[0]);	/* offset: MIG does not use it */
	EXPECT_EQ(strlen(version) + 1, count);
	EXPECT_EQ(44 + ((count + 3) & ~3u), out.head.msgh_size);
	EXPECT_EQ(0, memcmp(version, &out.s.w[2], count));

	/* Sent to a task: what libmach answers for one. */
	EXPECT_EQ(host_kernel_version(mach_task_self(), version),
		  simple_call(mach_task_self(), 201, NULL, 0, &out));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, out.s.ret);
	uint32_t extra[1] = { 0 };

	EXPECT_EQ(MIG_BAD_ARGUMENTS, simple_call(host, 201, extra, 1, &out));
}

/* The words of a 3414/3415 reply: after 32 port descriptors and NDR. */
static uint32_t *exception_words(union exchange *x)
{
	return (uint32_t *)((char *)x + 28 + 32 * 12 + 8);
}

/* task_swap_exception_ports (3415): set's request, get's reply. */
TEST_F(ktask, swap_exception_ports_by_message_is_libmachs)
{
	mach_port_t h1 = new_port(), h2 = new_port();
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count = EXC_TYPES_COUNT;
	static union exchange x;

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(self->child,
				EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, h1,
				EXCEPTION_STATE_IDENTITY, x86_THREAD_STATE64));
	one_port(&x, h2, MACH_MSG_TYPE_MAKE_SEND);
	x.in.c.w[0] = EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE;
	x.in.c.w[1] = EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES;
	x.in.c.w[2] = THREAD_STATE_NONE;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3415, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(3515, x.out.head.msgh_id);
	ASSERT_EQ(COMPLEX, x.out.head.msgh_bits & COMPLEX);
	EXPECT_EQ(32, x.out.c.body.msgh_descriptor_count);
	mach_msg_port_descriptor_t *pd = &x.out.c.port;
	uint32_t *words = exception_words(&x);
	uint32_t n = words[0];

	EXPECT_EQ(424 + 12 * n, x.out.head.msgh_size);
	/* What was there before: h1 for bad access, nothing for software. */
	ASSERT_EQ(2, n);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS, words[1]);
	EXPECT_EQ(EXC_MASK_SOFTWARE, words[2]);
	EXPECT_EQ(h1, pd[0].name);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)pd[0].disposition);
	EXPECT_EQ(MACH_PORT_NULL, pd[1].name);
	for (int i = 2; i < 32; i++)
		EXPECT_EQ(MACH_PORT_NULL, pd[i].name);
	EXPECT_EQ(EXCEPTION_STATE_IDENTITY, words[3]);
	EXPECT_EQ(x86_THREAD_STATE64, words[5]);
	mach_port_deallocate(mach_task_self(), h1);	/* the reply's right */

	/* The swap took: libmach's direct swap gives the same layout back. */
	ASSERT_EQ(KERN_SUCCESS, task_swap_exception_ports(self->child,
				EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE, h1,
				EXCEPTION_STATE_IDENTITY, x86_THREAD_STATE64, masks, &count,
				ports, behaviors, flavors));
	ASSERT_EQ(1, count);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE, masks[0]);
	EXPECT_EQ(h2, ports[0]);
	EXPECT_EQ((exception_behavior_t)(EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES), behaviors[0]);
	mach_port_deallocate(mach_task_self(), h2);

	/* A behavior XNU does not have, a send-once right, a short request. */
	one_port(&x, h2, MACH_MSG_TYPE_MAKE_SEND);
	x.in.c.w[0] = EXC_MASK_BAD_ACCESS;
	x.in.c.w[1] = 77;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3415, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(36, x.out.head.msgh_size);
	EXPECT_EQ(task_swap_exception_ports(self->child, EXC_MASK_BAD_ACCESS, h2, 77, 0, masks,
					    &count, ports, behaviors, flavors), x.out.s.ret);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);
	one_port(&x, h2, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	x.in.c.w[0] = EXC_MASK_BAD_ACCESS;
	x.in.c.w[1] = EXCEPTION_DEFAULT;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3415, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_TYPE_ERROR, x.out.s.ret);
	struct reply notice;	/* the send-once right it carried is gone */

	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&notice.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(notice), h2, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notice.head.msgh_id);
	one_port(&x, h2, MACH_MSG_TYPE_MAKE_SEND);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3415, &x, COMPLEX_ONE_PORT(2),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);
	/* Refused three times: still h1. */
	count = EXC_TYPES_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_get_exception_ports(self->child, EXC_MASK_BAD_ACCESS, masks,
							 &count, ports, behaviors, flavors));
	ASSERT_EQ(1, count);
	EXPECT_EQ(h1, ports[0]);
}

#pragma pack(push, 4)
/* host_security_set_task_token's request: two ports, NDR, the tokens. */
struct set_token_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t task;
	mach_msg_port_descriptor_t host;
	NDR_record_t ndr;
	security_token_t sec_token;
	audit_token_t audit_token;
};
#pragma pack(pop)

static kern_return_t security_port(host_security_t *security)
{
	host_priv_t priv;
	kern_return_t kr = host_get_host_priv_port(mach_host_self(), &priv);

	if (kr != KERN_SUCCESS)
		return kr;
	return host_get_special_port(priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT, security);
}

static void fill_set_token(union exchange *x, task_t task, mach_msg_type_name_t task_type,
			   mach_port_t host, const security_token_t *st, const audit_token_t *at)
{
	struct set_token_request *r = (struct set_token_request *)x;

	memset(x, 0, sizeof(*x));
	r->head.msgh_bits = COMPLEX;
	r->body.msgh_descriptor_count = 2;
	r->task.name = task;
	r->task.disposition = task_type;
	r->task.type = MACH_MSG_PORT_DESCRIPTOR;
	r->host.name = host;
	r->host.disposition = MACH_MSG_TYPE_COPY_SEND;
	r->host.type = MACH_MSG_PORT_DESCRIPTOR;
	r->ndr = NDR_record;
	r->sec_token = *st;
	r->audit_token = *at;
}

TEST_F(ktask, set_task_token_by_message_is_libmachs)
{
	security_token_t st = { { 4321, 8765 } }, seen;
	audit_token_t at = { { 1, 4321, 8765, 4321, 8765, 31337, 2, 0 } };
	mach_msg_type_number_t count = TASK_SECURITY_TOKEN_COUNT;
	host_security_t security;
	mach_port_t host = MACH_PORT_NULL;
	union exchange x;

	ASSERT_EQ(sizeof(struct set_token_request), 100);
	if (security_port(&security) != KERN_SUCCESS)
		SKIP(return, "no host security port");
	fill_set_token(&x, self->child, MACH_MSG_TYPE_COPY_SEND, mach_host_self(), &st, &at);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(security, 601, &x, 100, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(701, x.out.head.msgh_id);
	EXPECT_EQ(36, x.out.head.msgh_size);
	EXPECT_EQ(KERN_SUCCESS, x.out.s.ret);
	ASSERT_EQ(KERN_SUCCESS, task_info(self->child, TASK_SECURITY_TOKEN, (task_info_t)&seen,
					  &count));
	EXPECT_EQ(0, memcmp(&st, &seen, sizeof(st)));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(self->child, TASK_HOST_PORT, &host));
	EXPECT_EQ(mach_host_self(), host);

	/* Sent to the host name port: libmach's answer. */
	fill_set_token(&x, self->child, MACH_MSG_TYPE_COPY_SEND, mach_host_self(), &st, &at);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_host_self(), 601, &x, 100,
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(host_security_set_task_token(mach_host_self(), self->child, st, at,
					       mach_host_self()), x.out.s.ret);
	EXPECT_EQ(KERN_INVALID_SECURITY, x.out.s.ret);
	/* A task that is not one: libmach's answer. */
	mach_port_t port = new_port();

	fill_set_token(&x, port, MACH_MSG_TYPE_MAKE_SEND, mach_host_self(), &st, &at);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(security, 601, &x, 100, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);
	/* A send-once right for the task, a request cut short. */
	fill_set_token(&x, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, mach_host_self(), &st, &at);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(security, 601, &x, 100, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_TYPE_ERROR, x.out.s.ret);
	struct reply notice;

	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&notice.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(notice), port, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notice.head.msgh_id);
	fill_set_token(&x, self->child, MACH_MSG_TYPE_COPY_SEND, mach_host_self(), &st, &at);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(security, 601, &x, 96, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);
}

/* libmach's calls on stand-ins: each the answer of the direct call. */
TEST_F(ktask, the_calls_on_a_stand_in_give_the_direct_answers)
{
	struct proxy task_proxy, host_proxy;
	mach_port_t name = MACH_PORT_NULL, poly = MACH_PORT_NULL, direct = MACH_PORT_NULL;
	mach_port_t unused;
	mach_msg_type_name_t poly_type = 0, direct_type = 0;
	kernel_version_t version, direct_version;
	mach_port_t h1 = new_port(), h2 = new_port();
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count = EXC_TYPES_COUNT;

	proxy_start(&task_proxy, self->child);
	proxy_start(&host_proxy, mach_host_self());

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_RECEIVE, &name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self->child, name,
							MACH_MSG_TYPE_MAKE_SEND, &direct,
							&direct_type));
	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_right(task_proxy.port, name,
							MACH_MSG_TYPE_MAKE_SEND, &poly,
							&poly_type));
	EXPECT_EQ(direct, poly);
	EXPECT_EQ(direct_type, poly_type);
	EXPECT_EQ(mach_port_extract_right(self->child, name, 99, &unused, &direct_type),
		  mach_port_extract_right(task_proxy.port, name, 99, &poly, &poly_type));
	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_right(task_proxy.port, name,
							MACH_MSG_TYPE_MOVE_RECEIVE, &poly,
							&poly_type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, poly_type);
	EXPECT_NE(0, type_of(mach_task_self(), poly) & MACH_PORT_TYPE_RECEIVE);
	EXPECT_EQ(0, type_of(self->child, name));

	ASSERT_EQ(KERN_SUCCESS, host_kernel_version(mach_host_self(), direct_version));
	memset(version, 0, sizeof(version));
	EXPECT_EQ(KERN_SUCCESS, host_kernel_version(host_proxy.port, version));
	EXPECT_STREQ(direct_version, version);

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(self->child, EXC_MASK_BAD_ACCESS, h1,
							 EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	EXPECT_EQ(KERN_SUCCESS, task_swap_exception_ports(task_proxy.port,
				EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, h2,
				EXCEPTION_STATE, x86_THREAD_STATE64, masks, &count, ports,
				behaviors, flavors));
	ASSERT_EQ(2, count);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS, masks[0]);
	EXPECT_EQ(h1, ports[0]);
	EXPECT_EQ(EXCEPTION_DEFAULT, behaviors[0]);
	EXPECT_EQ(MACH_PORT_NULL, ports[1]);
	count = EXC_TYPES_COUNT;
	EXPECT_EQ(task_swap_exception_ports(self->child, EXC_MASK_BAD_ACCESS, h2, 77, 0, masks,
					    &count, ports, behaviors, flavors),
		  task_swap_exception_ports(task_proxy.port, EXC_MASK_BAD_ACCESS, h2, 77, 0,
					    masks, &count, ports, behaviors, flavors));
	count = EXC_TYPES_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_get_exception_ports(self->child, EXC_MASK_ARITHMETIC, masks,
							 &count, ports, behaviors, flavors));
	ASSERT_EQ(1, count);
	EXPECT_EQ(h2, ports[0]);
	EXPECT_EQ(EXCEPTION_STATE, behaviors[0]);

	host_security_t security;

	if (security_port(&security) == KERN_SUCCESS) {
		struct proxy security_proxy;
		security_token_t st = { { 1234, 5678 } }, seen;
		audit_token_t at = { { 1, 1234, 5678, 1234, 5678, 4242, 2, 0 } };

		proxy_start(&security_proxy, security);
		EXPECT_EQ(KERN_SUCCESS, host_security_set_task_token(security_proxy.port,
						self->child, st, at, mach_host_self()));
		count = TASK_SECURITY_TOKEN_COUNT;
		ASSERT_EQ(KERN_SUCCESS, task_info(self->child, TASK_SECURITY_TOKEN,
						  (task_info_t)&seen, &count));
		EXPECT_EQ(0, memcmp(&st, &seen, sizeof(st)));
		EXPECT_EQ(host_security_set_task_token(mach_host_self(), self->child, st, at,
						       mach_host_self()),
			  host_security_set_task_token(host_proxy.port, self->child, st, at,
						       mach_host_self()));
		EXPECT_EQ(1, security_proxy.forwarded);
		proxy_stop(&security_proxy);
	}

	EXPECT_EQ(5, task_proxy.forwarded);
	proxy_stop(&task_proxy);
	proxy_stop(&host_proxy);
}

TEST_HARNESS_MAIN
