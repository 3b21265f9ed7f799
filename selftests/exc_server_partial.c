// SPDX-License-Identifier: GPL-2.0
/*
 * A program that serves one exception behaviour links against libmach
 * without the other catch_* routines (libmach refers to them weakly), and
 * a request for a routine it lacks is answered as MIG answers an id its
 * .defs skips: MIG_BAD_ID, the demultiplexer returning FALSE, no routine
 * for the id. This program provides catch_mach_exception_raise alone.
 */
#include <pthread.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/exc.h>
#include <mach/mach_exc.h>

#include "kselftest_harness.h"
#include "mach_test.h"

static int raised;

kern_return_t catch_mach_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
					 exception_type_t exception, mach_exception_data_t code,
					 mach_msg_type_number_t count)
{
	raised++;
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
	if (task != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), task);
	return exception == EXC_BREAKPOINT && count == 1 && code[0] == 3 ? KERN_SUCCESS :
									  KERN_FAILURE;
}

TEST(only_the_routine_provided_has_a_stub)
{
	mach_msg_header_t h = { 0 };

	for (h.msgh_id = 2401; h.msgh_id <= 2403; h.msgh_id++)
		EXPECT_EQ(NULL, exc_server_routine(&h));
	h.msgh_id = 2405;
	EXPECT_NE(NULL, mach_exc_server_routine(&h));
	h.msgh_id = 2406;
	EXPECT_EQ(NULL, mach_exc_server_routine(&h));
	h.msgh_id = 2407;
	EXPECT_EQ(NULL, mach_exc_server_routine(&h));
}

/* A request of each id, well formed, straight to the demultiplexer. */
TEST(a_routine_not_provided_is_answered_mig_bad_id)
{
	static const mach_msg_id_t ids[] = { 2401, 2402, 2403, 2406, 2407 };
	union {
		mach_msg_header_t head;
		__Request__mach_exception_raise_state_identity_t in;
	} req;
	union {
		mach_msg_header_t head;
		mig_reply_error_t error;
		union __ReplyUnion__mach_exc_subsystem out;
	} rep;

	for (unsigned int i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		memset(&req, 0, sizeof(req));
		memset(&rep, 0xa5, sizeof(rep));
		req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
		req.head.msgh_remote_port = 0x1234;
		req.head.msgh_id = ids[i];
		req.in.NDR = NDR_record;
		req.head.msgh_size = offsetof(__Request__mach_exception_raise_state_t, old_state);
		EXPECT_FALSE((ids[i] < 2404 ? exc_server : mach_exc_server)(&req.head, &rep.head));
		EXPECT_EQ(ids[i] + 100, rep.head.msgh_id);
		EXPECT_EQ(sizeof(mig_reply_error_t), rep.head.msgh_size);
		EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), rep.head.msgh_bits);
		EXPECT_EQ(0x1234, rep.head.msgh_remote_port);
		EXPECT_EQ(MIG_BAD_ID, rep.error.RetCode);
	}
	EXPECT_EQ(0, raised);
}

static void *serve(void *arg)
{
	mach_port_t port = *(mach_port_t *)arg;

	for (int i = 0; i < 2; i++)
		if (mach_msg_server_once(mach_exc_server, 4096, port, 0) != MACH_MSG_SUCCESS)
			break;
	return NULL;
}

/* A forwarder to such a server hears which one it is not. */
TEST(a_sender_hears_mig_bad_id_from_a_server_without_the_routine)
{
	mach_port_t port = new_port(), thread = mach_thread_self();
	int64_t code[1] = { 3 };
	natural_t state[2] = { 0 }, new_state[THREAD_STATE_MAX];
	mach_msg_type_number_t count = 0;
	int flavor = 1;
	pthread_t server;

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_EQ(0, pthread_create(&server, NULL, serve, &port));
	EXPECT_EQ(MIG_BAD_ID, mach_exception_raise_state_identity(port, thread, mach_task_self(),
								 EXC_BREAKPOINT, code, 1,
								 &flavor, state, 2, new_state,
								 &count));
	EXPECT_EQ(KERN_SUCCESS, mach_exception_raise(port, thread, mach_task_self(),
						     EXC_BREAKPOINT, code, 1));
	EXPECT_EQ(1, raised);
	ASSERT_EQ(0, pthread_join(server, NULL));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_destroy(mach_task_self(), port);
}

TEST_HARNESS_MAIN
