// SPDX-License-Identifier: GPL-2.0
/*
 * mach_port_construct and mach_port_destruct, port guards and the
 * context word (and the context trailer that carries it), as XNU's
 * osfmk/ipc/mach_port.c answers them; and a broken guard, as XNU takes
 * its fatal ones: EXC_GUARD to the breaker's handlers, then the end of
 * its process (each broken in a child of the test's).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <mach/mach.h>
#include <mach/mach_exc.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"
#include "mach_test.h"

#define ME mach_task_self()

static mach_port_t construct(uint32_t flags, mach_port_context_t context, kern_return_t *kr)
{
	mach_port_options_t options = { .flags = flags };
	mach_port_t name = MACH_PORT_NULL;

	*kr = mach_port_construct(ME, &options, context, &name);
	return name;
}

static mach_port_type_t type_of(mach_port_t name)
{
	mach_port_type_t type = 0;

	if (mach_port_type(ME, name, &type) != KERN_SUCCESS)
		return 0;
	return type;
}

static mach_port_status_t status_of(mach_port_t name)
{
	mach_port_status_t status = { 0 };
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	mach_port_get_attributes(ME, name, MACH_PORT_RECEIVE_STATUS,
				 (mach_port_info_t)&status, &count);
	return status;
}

TEST(construct_plain_is_a_receive_right_with_its_context)
{
	mach_port_context_t context = 0;
	kern_return_t kr;
	mach_port_t port = construct(0, 0x1234567890abcdefULL, &kr);

	ASSERT_EQ(KERN_SUCCESS, kr);
	ASSERT_NE(MACH_PORT_NULL, port);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(ME, port, &context));
	EXPECT_EQ(0x1234567890abcdefULL, context);
	/* Not a guard: it goes as any receive right goes. */
	EXPECT_EQ(0, status_of(port).mps_flags & MACH_PORT_STATUS_FLAG_GUARDED);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(ME, port, &(mach_port_type_t){ 0 }));
}

TEST(construct_with_a_send_right_and_a_queue_limit)
{
	mach_port_options_t options = {
		.flags = MPO_INSERT_SEND_RIGHT | MPO_QLIMIT,
		.mpl = { .mpl_qlimit = 1 },
	};
	mach_port_limits_t limits = { 0 };
	mach_msg_type_number_t count = MACH_PORT_LIMITS_INFO_COUNT;
	mach_port_urefs_t refs = 0;
	mach_port_rights_t srights = 0;
	mach_port_t port;

	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(ME, &options, 0, &port));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, port, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_srights(ME, port, &srights));
	EXPECT_EQ(1, srights);
	EXPECT_EQ(1, status_of(port).mps_mscount);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(ME, port, MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&limits, &count));
	EXPECT_EQ(1, limits.mpl_qlimit);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, -1, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(ME, port, &(mach_port_type_t){ 0 }));
}

TEST(construct_checks_options_as_xnu)
{
	mach_port_options_t options = { .flags = MPO_QLIMIT,
					.mpl = { .mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1 } };
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr;

	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_construct(ME, &options, 0, &port));
	EXPECT_EQ(MACH_PORT_NULL, port);
	/* At most one of each group. */
	construct(MPO_SERVICE_PORT | MPO_CONNECTION_PORT, 0, &kr);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, kr);
	construct(MPO_REPLY_PORT | MPO_EXCEPTION_PORT, 0, &kr);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, kr);
	/* Only launchd and a graphics server may. */
	construct(MPO_SERVICE_PORT, 0, &kr);
	EXPECT_EQ(KERN_DENIED, kr);
	construct(MPO_TG_BLOCK_TRACKING, 0, &kr);
	EXPECT_EQ(KERN_DENIED, kr);
	/* A connection port needs a service port. */
	construct(MPO_CONNECTION_PORT, 0, &kr);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, kr);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_construct(ME, NULL, 0, &port));

	/* The rest are accepted, as XNU accepts them from anyone. */
	port = construct(MPO_TEMPOWNER | MPO_IMPORTANCE_RECEIVER | MPO_DENAP_RECEIVER |
			 MPO_FILTER_MSG | MPO_REPLY_PORT | 0x10000000, 0, &kr);
	ASSERT_EQ(KERN_SUCCESS, kr);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(port));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, 0, 0));
	/* A bad task. */
	options.flags = 0;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_construct(MACH_PORT_NULL, &options, 0, &port));
}

TEST(a_guarded_port_goes_only_with_its_guard)
{
	const mach_port_context_t guard = 0xfeedface;
	mach_port_context_t context = 0;
	kern_return_t kr;
	mach_port_t port = construct(MPO_CONTEXT_AS_GUARD | MPO_INSERT_SEND_RIGHT, guard, &kr);

	ASSERT_EQ(KERN_SUCCESS, kr);
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED,
		  status_of(port).mps_flags &
		  (MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD));
	/* A non-strict guard is its context, readable. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(ME, port, &context));
	EXPECT_EQ(guard, context);
	/* Guarding again is refused, and breaks no guard (the breaches: below). */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard(ME, port, 7, FALSE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(port));
	/* Send rights are not guarded. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_SEND, 1));
	/* With the guard, and the send rights by srdelta: the name goes. */
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_destruct(ME, port, -3, guard));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_destruct(ME, port, 1, guard));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, -2, guard));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(ME, port, &(mach_port_type_t){ 0 }));
}

TEST(guard_and_unguard)
{
	mach_port_t port = new_port();
	mach_port_context_t context = 1;

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(ME, port, 42, FALSE));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED,
		  status_of(port).mps_flags & MACH_PORT_STATUS_FLAG_GUARDED);
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(ME, port, 42));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(ME, port, &context));
	EXPECT_EQ(0, context);	/* unguarding clears it */
	EXPECT_EQ(0, status_of(port).mps_flags & MACH_PORT_STATUS_FLAG_GUARDED);

	/* A context already set stands as a guard would: no guard over it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(ME, port, 9));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard(ME, port, 42, FALSE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(ME, port, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_guard(ME, port, 0, FALSE));
	/* A guard of 0 guards too (mod_refs breaks it: below); destroy's is 0. */
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED,
		  status_of(port).mps_flags & MACH_PORT_STATUS_FLAG_GUARDED);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(ME, port));
}

TEST(a_strict_guard_hides_and_keeps_its_context)
{
	mach_port_context_t context = 1;
	kern_return_t kr;
	mach_port_t port = construct(MPO_CONTEXT_AS_GUARD | MPO_STRICT, 77, &kr);

	ASSERT_EQ(KERN_SUCCESS, kr);
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD,
		  status_of(port).mps_flags &
		  (MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(ME, port, &context));
	EXPECT_EQ(0, context);
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(ME, port, 77));
	EXPECT_EQ(KERN_SUCCESS, mach_port_set_context(ME, port, 5));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, 0, 5));	/* unguarded: any */

	/* mach_port_guard's strict is the same. */
	port = new_port();
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(ME, port, 3, TRUE));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_STRICT_GUARD,
		  status_of(port).mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, -1, 3));
}

TEST(guard_with_flags_and_swap_guard)
{
	mach_port_t port = new_port();
	mach_port_context_t context = 1;
	mach_port_status_t status;

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard_with_flags(ME, port, 10, 0));
	status = status_of(port);
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED, status.mps_flags &
		  (MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD));
	ASSERT_EQ(KERN_SUCCESS, mach_port_swap_guard(ME, port, 10, 0x1122334455667788ULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(ME, port, &context));
	EXPECT_EQ(0x1122334455667788ULL, context);
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(ME, port, 0x1122334455667788ULL));
	/* A strict guard (never swapped: below). */
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard_with_flags(ME, port, 20,
							   MPG_STRICT | MPG_IMMOVABLE_RECEIVE));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_STRICT_GUARD,
		  status_of(port).mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard_with_flags(ME, port, 22, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard_with_flags(ME, MACH_PORT_NULL, 1, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_swap_guard(ME, 987, 1, 2));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_swap_guard(ME, ME, 1, 2));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, -1, 20));
}

TEST(guard_context_and_destruct_on_bad_names)
{
	mach_port_t port = new_port(), set, dead;
	mach_port_context_t context;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_DEAD_NAME, &dead));
	/* Null: guard calls say no name, context calls no right, as XNU. */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard(ME, MACH_PORT_NULL, 1, FALSE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_unguard(ME, MACH_PORT_DEAD, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destruct(ME, MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_context(ME, MACH_PORT_NULL, &context));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_context(ME, MACH_PORT_NULL, 1));
	/* No such name. */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard(ME, 987, 1, FALSE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_context(ME, 987, &context));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destruct(ME, 987, 0, 0));
	/* Not a receive right. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_guard(ME, set, 1, FALSE));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_guard(ME, dead, 1, FALSE));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_context(ME, ME, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_context(ME, set, &context));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_destruct(ME, dead, 0, 0));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_destruct(ME, ME, 0, 0));
	/* srdelta without a send right. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_destruct(ME, port, -1, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, 0, 0));
	mach_port_destroy(ME, set);
	mach_port_destroy(ME, dead);
}

TEST(destruct_leaves_the_send_rights_a_dead_name)
{
	mach_port_t port = new_port();
	mach_port_urefs_t refs = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_SEND, 2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, -1, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, port, MACH_PORT_RIGHT_DEAD_NAME, &refs));
	EXPECT_EQ(2, refs);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_DEAD_NAME, -2));
}

/* A message whose trailer is the context one. */
struct ctx_msg {
	mach_msg_header_t header;
	mach_msg_context_trailer_t trailer;
	char slack[16];
};

static mach_msg_return_t send_empty(mach_port_t to, mach_msg_id_t id)
{
	mach_msg_header_t msg = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
		.msgh_size = sizeof(msg),
		.msgh_remote_port = to,
		.msgh_id = id,
	};

	return mach_msg(&msg, MACH_SEND_MSG, sizeof(msg), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

TEST(the_context_trailer_carries_the_ports_context)
{
	const uint32_t ctx = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			     MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX);
	struct ctx_msg msg;
	mach_port_t port, member, set;
	kern_return_t kr;

	port = construct(0, 0xabcdef0123ULL, &kr);
	ASSERT_EQ(KERN_SUCCESS, kr);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_empty(port, 7));
	memset(&msg, 0x55, sizeof(msg));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT | ctx,
					     0, sizeof(msg), port, 1000, MACH_PORT_NULL));
	EXPECT_EQ(7, msg.header.msgh_id);
	EXPECT_EQ(sizeof(mach_msg_context_trailer_t), msg.trailer.msgh_trailer_size);
	EXPECT_EQ(60, msg.trailer.msgh_trailer_size);
	EXPECT_EQ(0xabcdef0123ULL, msg.trailer.msgh_context);
	EXPECT_EQ((uint32_t)getpid(), msg.trailer.msgh_audit.val[5]);
	/* Nothing written past it. */
	EXPECT_EQ(0x55, (unsigned char)msg.slack[0]);

	/* Too small a buffer for the context trailer. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_empty(port, 8));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
					       MACH_RCV_LARGE | ctx, 0,
					       sizeof(mach_msg_header_t) + 52, port, 1000,
					       MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT | ctx,
					     0, sizeof(msg), port, 1000, MACH_PORT_NULL));

	/* Received through a set: the member's context, the one it came to. */
	member = construct(0, 0x5eed, &kr);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, member, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_empty(member, 9));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT | ctx,
					     0, sizeof(msg), set, 1000, MACH_PORT_NULL));
	EXPECT_EQ(member, msg.header.msgh_local_port);
	EXPECT_EQ(0x5eed, msg.trailer.msgh_context);
	mach_port_destroy(ME, set);
	mach_port_destroy(ME, member);
	mach_port_destroy(ME, port);
}

TEST(a_receive_right_that_moves_loses_its_guard)
{
	mach_port_t carrier = new_port(), got;
	mach_port_context_t context = 1;
	kern_return_t kr;
	mach_port_t port = construct(MPO_CONTEXT_AS_GUARD, 99, &kr);

	ASSERT_EQ(KERN_SUCCESS, kr);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(carrier, port, MACH_MSG_TYPE_MOVE_RECEIVE));
	got = receive_port(carrier);
	ASSERT_NE(MACH_PORT_NULL, got);
	/* As XNU's ipc_port_clear_receiver(): unguarded, its context gone. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(ME, got, &context));
	EXPECT_EQ(0, context);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, got, MACH_PORT_RIGHT_RECEIVE, -1));

	/* Handed over by a port-destroyed notification, likewise. */
	mach_port_t previous;
	port = construct(MPO_CONTEXT_AS_GUARD, 98, &kr);
	ASSERT_EQ(KERN_SUCCESS, kr);
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(ME, port,
							       MACH_NOTIFY_PORT_DESTROYED, 0,
							       carrier, MACH_MSG_TYPE_MAKE_SEND_ONCE,
							       &previous));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destruct(ME, port, 0, 98));
	got = receive_port(carrier);
	ASSERT_NE(MACH_PORT_NULL, got);
	context = 1;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(ME, got, &context));
	EXPECT_EQ(0, context);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, got, MACH_PORT_RIGHT_RECEIVE, -1));
	mach_port_destroy(ME, carrier);
}

/* The calls on another task's space, run by its agent. */
TEST(on_another_task)
{
	mach_port_options_t options = { .flags = MPO_CONTEXT_AS_GUARD | MPO_INSERT_SEND_RIGHT };
	mach_port_context_t context = 0;
	mach_port_type_t type = 0;
	mach_port_t name;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(child, &options, 31, &name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(child, name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(child, name, &context));
	EXPECT_EQ(31, context);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard(child, name, 32, TRUE));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(child, name, 31));
	EXPECT_EQ(KERN_SUCCESS, mach_port_guard(child, name, 32, TRUE));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(child, name, -1, 32));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(child, name, &type));
	task_terminate(child);
	mach_port_deallocate(ME, child);
}

/*
 * A broken guard, as a child that breaks it saw it: the EXC_GUARD its
 * handler thread took, and whether the breaking call came back.
 */
struct breach {
	int raised;		/* EXC_GUARD requests taken */
	int other;		/* any other exception */
	int returned;		/* the breaking call came back */
	mach_port_t breaker;	/* the breaking thread */
	mach_port_t thread;	/* the one the request named */
	mach_port_t port;	/* the port whose guard broke */
	uint64_t code, subcode;
};

static struct breach *seen;	/* shared by the test and its children */

kern_return_t catch_mach_exception_raise(mach_port_t exception_port, mach_port_t thread,
					 mach_port_t task, exception_type_t exception,
					 mach_exception_data_t code, mach_msg_type_number_t count)
{
	if (exception != EXC_GUARD || count != 2) {
		seen->other++;
		return KERN_FAILURE;
	}
	seen->thread = thread;
	seen->code = code[0];
	seen->subcode = code[1];
	seen->raised++;
	return KERN_SUCCESS;
}

/* Serves every request until the process ends: a second raise is counted. */
static void *handle_all(void *arg)
{
	mach_msg_server(mach_exc_server, 4096, (mach_port_t)(uintptr_t)arg, 0);
	return NULL;
}

/* A call that breaks (or may break) the guard of port, guarded by guard. */
typedef kern_return_t (*breaker_fn)(mach_port_t port, uint64_t guard);

/*
 * A child makes a port by construct(flags, guard), then calls fn on it,
 * with a handler thread for its EXC_GUARD if handled: the child's wait
 * status, and *seen what it saw.
 */
static int breach(uint32_t flags, uint64_t guard, breaker_fn fn, bool handled)
{
	int status;
	pid_t pid;

	if (!seen) {
		seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (seen == MAP_FAILED)
			return -1;
	}
	memset(seen, 0, sizeof(*seen));
	pid = fork();
	if (pid == 0) {
		mach_port_t exc = new_port();
		pthread_t handler;
		kern_return_t kr;

		if (handled &&
		    (!exc ||
		     task_set_exception_ports(ME, EXC_MASK_GUARD, exc,
					      EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES,
					      THREAD_STATE_NONE) ||
		     pthread_create(&handler, NULL, handle_all, (void *)(uintptr_t)exc)))
			_exit(10);
		seen->port = construct(flags, guard, &kr);
		if (kr != KERN_SUCCESS)
			_exit(11);
		seen->breaker = mach_thread_self();
		fn(seen->port, guard);
		seen->returned = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static kern_return_t destroy(mach_port_t port, uint64_t guard)
{
	return mach_port_destroy(ME, port);
}

static kern_return_t receive_refs_down(mach_port_t port, uint64_t guard)
{
	return mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_RECEIVE, -1);
}

static kern_return_t destruct_wrongly(mach_port_t port, uint64_t guard)
{
	return mach_port_destruct(ME, port, 0, guard + 1);
}

static kern_return_t unguard_wrongly(mach_port_t port, uint64_t guard)
{
	return mach_port_unguard(ME, port, guard + 1);
}

static kern_return_t set_context(mach_port_t port, uint64_t guard)
{
	return mach_port_set_context(ME, port, guard + 1);
}

static kern_return_t swap_guard(mach_port_t port, uint64_t guard)
{
	return mach_port_swap_guard(ME, port, guard, guard + 1);
}

static kern_return_t swap_guard_wrongly(mach_port_t port, uint64_t guard)
{
	return mach_port_swap_guard(ME, port, guard + 1, guard + 2);
}

static kern_return_t destroy_by_message(mach_port_t port, uint64_t guard)
{
	struct reply out;

	return simple_call(ME, 3205, (uint32_t[]){ port }, 1, &out);
}

/* The caller breaks the guard of a port in another task's space. */
static kern_return_t destroy_in_another_task(mach_port_t port, uint64_t guard)
{
	mach_port_options_t options = { .flags = MPO_CONTEXT_AS_GUARD };
	task_t child;

	if (task_create(ME, NULL, 0, FALSE, &child) ||
	    mach_port_construct(child, &options, guard, &seen->port))
		_exit(12);
	return mach_port_destroy(child, seen->port);
}

static const struct {
	const char *what;
	uint32_t flags;
	breaker_fn fn;
	uint64_t reason;	/* kGUARD_EXC_ */
	bool subcode_is_guard;	/* else 0 */
} breaches[] = {
	{ "destroy", MPO_CONTEXT_AS_GUARD, destroy, kGUARD_EXC_DESTROY, true },
	{ "mod_refs", MPO_CONTEXT_AS_GUARD, receive_refs_down, kGUARD_EXC_MOD_REFS, true },
	{ "destruct", MPO_CONTEXT_AS_GUARD, destruct_wrongly, kGUARD_EXC_DESTROY, true },
	{ "unguard", MPO_CONTEXT_AS_GUARD, unguard_wrongly, kGUARD_EXC_INCORRECT_GUARD, true },
	{ "unguard unguarded", 0, unguard_wrongly, kGUARD_EXC_UNGUARDED, false },
	{ "set_context strict", MPO_CONTEXT_AS_GUARD | MPO_STRICT, set_context,
	  kGUARD_EXC_SET_CONTEXT, true },
	{ "swap_guard strict", MPO_CONTEXT_AS_GUARD | MPO_STRICT, swap_guard,
	  kGUARD_EXC_SET_CONTEXT, true },
	{ "swap_guard", MPO_CONTEXT_AS_GUARD, swap_guard_wrongly, kGUARD_EXC_INCORRECT_GUARD, true },
	{ "swap_guard unguarded", 0, swap_guard, kGUARD_EXC_UNGUARDED, false },
	{ "destroy by message", MPO_CONTEXT_AS_GUARD, destroy_by_message, kGUARD_EXC_DESTROY,
	  true },
	{ "destroy in another task", 0, destroy_in_another_task, kGUARD_EXC_DESTROY, true },
};

/*
 * Each of XNU's fatal breaches raises EXC_GUARD once, from the breaking
 * thread, with GUARD_TYPE_MACH_PORT, the reason and the name in its code
 * and the port's guard as its subcode; then the process is killed, and
 * the call never returns.
 */
TEST(a_broken_guard_raises_exc_guard_and_ends_the_process)
{
	const uint64_t guard = 0x600d;
	long ports = mach_stat("live_ports");

	for (size_t i = 0; i < ARRAY_SIZE(breaches); i++) {
		int status = breach(breaches[i].flags, guard, breaches[i].fn, true);

		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
			TH_LOG("%s: status %#x", breaches[i].what, status);
		}
		EXPECT_EQ(0, seen->returned) {
			TH_LOG("%s: the call came back", breaches[i].what);
		}
		EXPECT_EQ(1, seen->raised) {
			TH_LOG("%s: %d EXC_GUARD, %d others", breaches[i].what, seen->raised,
			       seen->other);
		}
		EXPECT_EQ(1ull << 61 | breaches[i].reason << 32 | seen->port, seen->code) {
			TH_LOG("%s: code %#llx", breaches[i].what, (unsigned long long)seen->code);
		}
		EXPECT_EQ(breaches[i].subcode_is_guard ? guard : 0, seen->subcode) {
			TH_LOG("%s", breaches[i].what);
		}
		EXPECT_EQ(seen->breaker, seen->thread) {
			TH_LOG("%s", breaches[i].what);
		}
	}
	/* What the children held went with them. */
	for (int i = 0; i < 500 && mach_stat("live_ports") > ports; i++)
		usleep(10000);
	EXPECT_EQ(ports, mach_stat("live_ports"));
}

/* With no handler at all, the process ends just the same. */
TEST(an_unhandled_broken_guard_ends_the_process)
{
	int status = breach(MPO_CONTEXT_AS_GUARD, 5, destroy, false);

	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		TH_LOG("status %#x", status);
	}
	EXPECT_EQ(0, seen->returned);
}

static kern_return_t guard_again(mach_port_t port, uint64_t guard)
{
	/* Guarded already; then a send right it has none of; then its end. */
	kern_return_t kr = mach_port_guard(ME, port, guard + 1, FALSE);

	if (kr == KERN_INVALID_ARGUMENT)
		kr = mach_port_guard_with_flags(ME, port, guard + 1, 0);
	if (kr == KERN_INVALID_ARGUMENT)
		kr = mach_port_destruct(ME, port, -1, guard);
	if (kr == KERN_INVALID_RIGHT)
		kr = mach_port_destruct(ME, port, 0, guard);
	seen->subcode = kr;
	return kr;
}

/*
 * Refusals that break no guard (a second guard, a right the port lacks)
 * are answers only, as on XNU, whose others are not delivered by default.
 */
TEST(a_refusal_that_breaks_no_guard_is_an_answer)
{
	int status = breach(MPO_CONTEXT_AS_GUARD, 5, guard_again, true);

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("status %#x", status);
	}
	EXPECT_EQ(1, seen->returned);
	EXPECT_EQ(0, seen->raised);
	EXPECT_EQ(KERN_SUCCESS, seen->subcode);	/* destructed with the guard at last */
}

TEST_HARNESS_MAIN
