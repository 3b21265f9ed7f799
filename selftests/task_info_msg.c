// SPDX-License-Identifier: GPL-2.0
/*
 * task_info (3405) sent as a MIG stub sends it, received in a buffer
 * sized for the count it asks (as a stub for that flavour sizes it): the
 * reply, its trailer (seqno in the reply port's order, the kernel's zero
 * tokens, the port's context), buffers that end where their mapping does,
 * and buffers too small for the count asked, each as XNU answers.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"

struct info_request {
	mach_msg_header_t head;
	NDR_record_t ndr;
	task_flavor_t flavor;
	mach_msg_type_number_t count;
};

/* The reply to MACH_TASK_BASIC_INFO, then the largest trailer. */
struct info_reply {
	mach_msg_header_t head;
	NDR_record_t ndr;
	kern_return_t ret;
	mach_msg_type_number_t count;
	integer_t info[MACH_TASK_BASIC_INFO_COUNT];
	mach_msg_context_trailer_t trailer;
};

#define REPLY_SIZE offsetof(struct info_reply, trailer)

static void make_request(struct info_request *req, mach_port_t reply, mach_msg_type_number_t count)
{
	memset(req, 0, sizeof(*req));
	req->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->head.msgh_size = sizeof(*req);
	req->head.msgh_remote_port = mach_task_self();
	req->head.msgh_local_port = reply;
	req->head.msgh_id = 3405;
	req->ndr = NDR_record;
	req->flavor = MACH_TASK_BASIC_INFO;
	req->count = count;
}

/* One call: the request at req, the reply into rep (rcv_size bytes). */
static mach_msg_return_t call(struct info_request *req, void *rep, mach_msg_size_t rcv_size,
			      mach_port_t reply, mach_msg_option_t extra)
{
	return mach_msg_overwrite(&req->head, MACH_SEND_MSG | MACH_RCV_MSG | extra, sizeof(*req),
				  rcv_size, reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL,
				  (mach_msg_header_t *)rep, 0);
}

static mach_port_t reply_port(void)
{
	mach_port_t port = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	return port;
}

/* A buffer of exactly the reply and its trailer: nothing past it written. */
TEST(reply_fills_a_buffer_of_its_size)
{
	mach_port_t reply = reply_port();
	struct info_request req;
	struct {
		struct info_reply rep;
		unsigned char after[64];
	} b;
	mach_task_basic_info_data_t direct;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	mach_msg_size_t size = REPLY_SIZE + sizeof(mach_msg_trailer_t);

	ASSERT_NE(MACH_PORT_NULL, reply);
	make_request(&req, reply, MACH_TASK_BASIC_INFO_COUNT);
	memset(&b, 0xa5, sizeof(b));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(&req, &b.rep, size, reply, 0));
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_MOVE_SEND_ONCE), b.rep.head.msgh_bits);
	EXPECT_EQ(REPLY_SIZE, b.rep.head.msgh_size);
	EXPECT_EQ(MACH_PORT_NULL, b.rep.head.msgh_remote_port);
	EXPECT_EQ(reply, b.rep.head.msgh_local_port);
	EXPECT_EQ(3505, b.rep.head.msgh_id);
	EXPECT_EQ(0, memcmp(&b.rep.ndr, &NDR_record, sizeof(NDR_record)));
	EXPECT_EQ(KERN_SUCCESS, b.rep.ret);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, b.rep.count);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, b.rep.trailer.msgh_trailer_type);
	EXPECT_EQ(sizeof(mach_msg_trailer_t), b.rep.trailer.msgh_trailer_size);
	size_t written = 0;	/* bytes past the trailer written */
	for (size_t i = size; i < sizeof(b); i++)
		written += ((unsigned char *)&b)[i] != 0xa5;
	EXPECT_EQ(0, written);

	/* The same answer as the call by ioctl (the fields that hold still). */
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), MACH_TASK_BASIC_INFO,
					  (task_info_t)&direct, &count));
	mach_task_basic_info_data_t *sent = (mach_task_basic_info_data_t *)b.rep.info;
	EXPECT_EQ(direct.policy, sent->policy);
	EXPECT_EQ(direct.suspend_count, sent->suspend_count);
	EXPECT_NE(0, sent->virtual_size);
	EXPECT_NE(0, sent->resident_size);
	/* No send-once right was left behind. */
	mach_port_type_t type = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), reply, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), reply));
}

/* Its seqno follows the port's order; the kernel's tokens are XNU's; a
 * context trailer carries the reply port's context. */
TEST(trailer_as_a_queued_reply_has_it)
{
	mach_port_t reply = reply_port();
	struct info_request req;
	struct info_reply rep;
	struct {
		mach_msg_header_t head;
		mach_msg_max_trailer_t trailer;
	} plain;
	mach_msg_option_t audit = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				  MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT);
	mach_msg_option_t ctx = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX);
	static const unsigned int zero[8];

	ASSERT_NE(MACH_PORT_NULL, reply);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), reply, reply,
						       MACH_MSG_TYPE_MAKE_SEND));
	/* A plain message first: its seqno, then the replies'. */
	memset(&plain, 0, sizeof(plain));
	plain.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	plain.head.msgh_size = sizeof(plain.head);
	plain.head.msgh_remote_port = reply;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&plain.head, MACH_SEND_MSG | MACH_RCV_MSG | audit,
					     sizeof(plain.head), sizeof(plain), reply,
					     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL));
	mach_port_seqno_t first = plain.trailer.msgh_seqno;

	make_request(&req, reply, MACH_TASK_BASIC_INFO_COUNT);
	memset(&rep, 0xa5, sizeof(rep));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  call(&req, &rep, REPLY_SIZE + sizeof(mach_msg_audit_trailer_t), reply, audit));
	EXPECT_EQ(KERN_SUCCESS, rep.ret);
	EXPECT_EQ(sizeof(mach_msg_audit_trailer_t), rep.trailer.msgh_trailer_size);
	EXPECT_EQ(first + 1, rep.trailer.msgh_seqno);
	/* XNU's KERNEL_SECURITY_TOKEN and KERNEL_AUDIT_TOKEN. */
	EXPECT_EQ(0, rep.trailer.msgh_sender.val[0]);
	EXPECT_EQ(1, rep.trailer.msgh_sender.val[1]);
	EXPECT_EQ(0, memcmp(&rep.trailer.msgh_audit, zero, sizeof(zero)));

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), reply, 0x1234567890ull));
	make_request(&req, reply, MACH_TASK_BASIC_INFO_COUNT);
	memset(&rep, 0xa5, sizeof(rep));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(&req, &rep, sizeof(rep), reply, ctx));
	EXPECT_EQ(sizeof(mach_msg_context_trailer_t), rep.trailer.msgh_trailer_size);
	EXPECT_EQ(first + 2, rep.trailer.msgh_seqno);
	EXPECT_EQ(0x1234567890ull, rep.trailer.msgh_context);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), reply));
}

/*
 * A buffer too small for the reply to the count asked: without
 * MACH_RCV_LARGE the reply is lost (a send-once notice comes instead)
 * and the size it needed said; with it, the reply stays for a receive
 * with room.
 */
TEST(buffer_too_small_for_the_count_asked)
{
	mach_port_t reply = reply_port();
	struct info_request req;
	struct info_reply rep;
	mach_msg_size_t need = REPLY_SIZE + sizeof(mach_msg_trailer_t);

	ASSERT_NE(MACH_PORT_NULL, reply);
	make_request(&req, reply, MACH_TASK_BASIC_INFO_COUNT);
	memset(&rep, 0, sizeof(rep));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, call(&req, &rep, need - 4, reply, MACH_RCV_TIMEOUT));
	EXPECT_EQ(need, rep.head.msgh_size);
	/* As XNU: the reply's send-once right, destroyed with it, says so. */
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&rep.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(rep), reply, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, rep.head.msgh_id);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg(&rep.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					       sizeof(rep), reply, 0, MACH_PORT_NULL));

	make_request(&req, reply, MACH_TASK_BASIC_INFO_COUNT);
	EXPECT_EQ(MACH_RCV_TOO_LARGE, call(&req, &rep, need - 4, reply,
					   MACH_RCV_LARGE | MACH_RCV_TIMEOUT));
	memset(&rep, 0, sizeof(rep));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&rep.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     need, reply, 0, MACH_PORT_NULL));
	EXPECT_EQ(3505, rep.head.msgh_id);
	EXPECT_EQ(KERN_SUCCESS, rep.ret);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, rep.count);

	/* A count larger than the flavour's, the buffer still its reply's size. */
	make_request(&req, reply, 64);
	memset(&rep, 0, sizeof(rep));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(&req, &rep, need, reply, 0));
	EXPECT_EQ(KERN_SUCCESS, rep.ret);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, rep.count);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), reply));
}

/*
 * A request and a reply that end where their mapping does: nothing past
 * them is read or written; a reply into no memory is MACH_RCV_INVALID_DATA.
 */
TEST(buffers_at_the_end_of_a_mapping)
{
	long page = getpagesize();
	unsigned char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mach_port_t reply = reply_port();
	mach_msg_size_t need = REPLY_SIZE + sizeof(mach_msg_trailer_t);

	ASSERT_NE(MAP_FAILED, map);
	ASSERT_NE(MACH_PORT_NULL, reply);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_NONE));
	struct info_request *req = (void *)(map + page - sizeof(*req));
	struct info_reply *rep = (void *)(map + page - need);

	/* The request at the very end; the reply in a buffer apart. */
	struct info_reply own;
	make_request(req, reply, MACH_TASK_BASIC_INFO_COUNT);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(req, &own, need, reply, 0));
	EXPECT_EQ(KERN_SUCCESS, own.ret);

	/* The reply at the very end (it overwrites the request: mach_msg). */
	make_request(req, reply, MACH_TASK_BASIC_INFO_COUNT);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(req, rep, need, reply, 0));
	EXPECT_EQ(KERN_SUCCESS, rep->ret);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, rep->count);
	EXPECT_EQ(sizeof(mach_msg_trailer_t), rep->trailer.msgh_trailer_size);

	/* Into no memory: the reply is lost, the port as it was. */
	make_request(req, reply, MACH_TASK_BASIC_INFO_COUNT);
	EXPECT_EQ(MACH_RCV_INVALID_DATA, call(req, map + page, need, reply, 0));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg(&own.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					       sizeof(own), reply, 0, MACH_PORT_NULL));
	/* From no memory: nothing sent. */
	EXPECT_EQ(MACH_SEND_INVALID_DATA, call((void *)(map + page), &own, need, reply, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), reply));
	munmap(map, 2 * page);
}

/*
 * Whatever the kernel sends carries XNU's kernel tokens: a reply it had
 * to queue (the request sent alone, received after) and a notification.
 */
TEST(kernel_messages_carry_the_kernels_tokens)
{
	const security_token_t kernel = { { 0, 1 } };
	const audit_token_t none = { { 0 } };
	mach_port_t reply = reply_port(), port = reply_port(), previous;
	struct info_request req;
	struct info_reply rep;
	struct {			/* mach_no_senders_notification_t, audit trailer */
		mach_msg_header_t header;
		NDR_record_t ndr;
		mach_msg_type_number_t count;
		mach_msg_audit_trailer_t trailer;
	} note;
	mach_msg_option_t audit = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				  MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT);

	make_request(&req, reply, MACH_TASK_BASIC_INFO_COUNT);
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&req.head, MACH_SEND_MSG, sizeof(req), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&rep.head, MACH_RCV_MSG | audit, 0, sizeof(rep),
					     reply, 0, MACH_PORT_NULL));
	EXPECT_EQ(3505, rep.head.msgh_id);
	EXPECT_EQ(0, memcmp(&kernel, &rep.trailer.msgh_sender, sizeof(kernel)));

	/* No senders: a send right made and dropped, the notice to port. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), port,
							       MACH_NOTIFY_NO_SENDERS, 0, port,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE,
							       &previous));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), port));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&note.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
					     audit, 0, sizeof(note), port, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, note.header.msgh_id);
	EXPECT_EQ(0, memcmp(&kernel, &note.trailer.msgh_sender, sizeof(kernel)));
	EXPECT_EQ(0, memcmp(&none, &note.trailer.msgh_audit, sizeof(none)));
	mach_port_destroy(mach_task_self(), port);
	mach_port_destroy(mach_task_self(), reply);
}

TEST_HARNESS_MAIN
