// SPDX-License-Identifier: GPL-2.0
/*
 * The mach_port_* calls of a space beyond the classic family, and the
 * answers that follow XNU's: names chosen by the caller (rename,
 * allocate_name, insert_right under a free name: names are fd numbers),
 * set membership, peek, srights, seqno, kobject and space_info; each on
 * our own space and on another task's, with the errors XNU gives bad
 * input; nothing leaks.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"
#include "mach_test.h"

#define ME mach_task_self()

static mach_port_type_t type_in(task_t task, mach_port_t name)
{
	mach_port_type_t type = 0;

	if (mach_port_type(task, name, &type) != KERN_SUCCESS)
		return 0;
	return type;
}

/* An fd number of ours that names nothing, at or above from. */
static mach_port_name_t free_name(int from)
{
	while (fcntl(from, F_GETFD) != -1)
		from++;
	return (mach_port_name_t)from;
}

static mach_msg_return_t send_id(mach_port_t to, mach_msg_type_name_t disposition,
				 mach_msg_id_t id, mach_msg_size_t extra)
{
	struct {
		mach_msg_header_t header;
		char body[64];
	} msg = { .header = {
		.msgh_bits = MACH_MSGH_BITS(disposition, 0),
		.msgh_size = (mach_msg_size_t)sizeof(mach_msg_header_t) + extra,
		.msgh_remote_port = to,
		.msgh_id = id,
	} };

	return mach_msg(&msg.header, MACH_SEND_MSG, msg.header.msgh_size, 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

static mach_msg_id_t receive_id(mach_port_t from, mach_port_seqno_t *seqno)
{
	struct {
		mach_msg_header_t header;
		char body[64];
		mach_msg_max_trailer_t trailer;
	} msg;
	const uint32_t seq = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			     MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO);

	if (mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT | seq, 0, sizeof(msg), from,
		     1000, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	if (seqno) {
		mach_msg_seqno_trailer_t *t = (void *)((char *)&msg + msg.header.msgh_size);
		*seqno = t->msgh_seqno;
	}
	return msg.header.msgh_id;
}

TEST(corrected_answers)
{
	mach_port_t set, port = new_port();
	mach_port_type_t type;

	/* mach_port_deallocate destroys a port set (ipc_right_dealloc). */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(ME, port, set));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(ME, set));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(ME, set, &type));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_extract_member(ME, port, set));
	/* Its member left it: it may join another. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, set));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(ME, set));
	/* ... but not a receive right alone. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_deallocate(ME, port));

	/* mod_refs: LABELH is a right no name holds; past it, no right at all. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_LABELH, -1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_NUMBER, -1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(ME, port, 1000, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_mod_refs(ME, 999, MACH_PORT_RIGHT_LABELH, 0));
	/* A null name: send and send-once references are fine, others no name. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_mod_refs(ME, MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, -1));

	/* get_refs: a null name holds one send or send-once reference. */
	mach_port_urefs_t refs = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(ME, MACH_PORT_DEAD,
							MACH_PORT_RIGHT_DEAD_NAME, &refs));
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, port, MACH_PORT_RIGHT_LABELH, &refs));
	EXPECT_EQ(0, refs);
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_get_refs(ME, port, MACH_PORT_RIGHT_NUMBER, &refs));
	/* set_mscount: no such name, or none at all. */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_set_mscount(ME, 999, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_mscount(ME, MACH_PORT_NULL, 1));

	/* insert_right(MAKE_SEND) from a port set: no port right there. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_right(ME, set, set, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_right(ME, set, set, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_right(ME, 999, 999, MACH_MSG_TYPE_MAKE_SEND));
	/* MAKE_SEND needs the receive right, COPY_SEND a send right. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_right(ME, ME, ME, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_right(ME, port, port, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(ME, set));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_RECEIVE, -1));
}

/*
 * A right under a name that holds another port's: KERN_RIGHT_EXISTS when
 * the space names the port already (elsewhere), checked before
 * KERN_NAME_EXISTS, as XNU's ipc_object_copyout_name() does.
 */
TEST(insert_checks_right_exists_before_name_exists)
{
	mach_port_t a = new_port(), b = new_port(), c = new_port(), so;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	mach_port_name_t na = free_name(100), nb = free_name(na + 1);

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, na, a, MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, nb, b, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(child, na));
	/* a is named na there: at nb (b's) it is RIGHT_EXISTS, not NAME_EXISTS. */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(child, nb, a, MACH_MSG_TYPE_COPY_SEND));
	/* c is not named there: nb is NAME_EXISTS. */
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(child, nb, c, MACH_MSG_TYPE_COPY_SEND));
	/* Under its own name: one more reference. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(child, na, a, MACH_MSG_TYPE_COPY_SEND));
	/* A send-once right has a name of its own, never a taken one. */
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(child, na, a, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(child, MACH_PORT_NULL, a,
							     MACH_MSG_TYPE_COPY_SEND));

	/* The same order in our own space. */
	mach_port_name_t free_here = free_name(200);
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(ME, b, a, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(ME, free_here, a,
							    MACH_MSG_TYPE_MAKE_SEND));
	/* A send-once right goes in under a free name of ours. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(ME, free_here, a,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_in(ME, free_here));
	so = free_here;
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(ME, so));
	/* The send-once notification it made went to a; take it off. */
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, receive_id(a, NULL));

	task_terminate(child);
	mach_port_deallocate(ME, child);
	mach_port_destroy(ME, a);
	mach_port_destroy(ME, b);
	mach_port_destroy(ME, c);
}

TEST(insert_right_under_a_free_name)
{
	mach_port_t port = new_port(), moved;
	task_t child;
	mach_port_urefs_t refs = 0;

	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	/* Far above the child's lowest free fd. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, 700, port, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(child, 700));
	/* The receive right too, joining its send right's name. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, 700, port,
						       MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(child, 700));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(ME, port));

	/* Our own space: a right moved off its name goes under a new one. */
	moved = free_name(300);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(ME, moved, port, MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(0, type_in(ME, port));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(ME, moved));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, moved, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);
	EXPECT_EQ(MACH_MSG_SUCCESS, send_id(moved, MACH_MSG_TYPE_COPY_SEND, 5, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(ME, moved));
	task_terminate(child);
	mach_port_deallocate(ME, child);
}

TEST(allocate_name_at_a_chosen_number)
{
	mach_port_name_t name = free_name(150), other;
	mach_port_urefs_t refs = 0;
	mach_port_type_t type;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(ME, MACH_PORT_RIGHT_RECEIVE, name));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(ME, name));
	EXPECT_NE(-1, fcntl(name, F_GETFD));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_id(name, MACH_MSG_TYPE_MAKE_SEND, 11, 0));
	EXPECT_EQ(11, receive_id(name, NULL));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(ME, MACH_PORT_RIGHT_RECEIVE, name));
	/* An fd that is no right is a name in use all the same. */
	int fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(ME, MACH_PORT_RIGHT_DEAD_NAME, fd));
	close(fd);
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(ME, MACH_PORT_RIGHT_RECEIVE,
							      MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(ME, MACH_PORT_RIGHT_RECEIVE,
							      MACH_PORT_DEAD));
	other = free_name(name + 1);
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(ME, MACH_PORT_RIGHT_SEND, other));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(ME, 77, other));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(ME, other, &type));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(ME, MACH_PORT_RIGHT_DEAD_NAME, other));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, other, MACH_PORT_RIGHT_DEAD_NAME, &refs));
	EXPECT_EQ(1, refs);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(ME, other));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(ME, MACH_PORT_RIGHT_PORT_SET, other));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_in(ME, other));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(ME, other));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(ME, name));

	/* In another task, at a number well above its lowest free one. */
	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(child, MACH_PORT_RIGHT_RECEIVE, 500));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(child, 500));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(child, MACH_PORT_RIGHT_PORT_SET, 500));
	task_terminate(child);
	mach_port_deallocate(ME, child);
}

TEST(rename_moves_every_right_of_a_name)
{
	mach_port_t port = new_port(), notify = new_port(), previous;
	mach_port_name_t to = free_name(400), busy;
	mach_port_urefs_t refs = 0;
	task_t child;
	struct {
		mach_msg_header_t header;
		NDR_record_t ndr;
		mach_port_name_t name;
		mach_msg_max_trailer_t trailer;
	} note;

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_SEND, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 21, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_rename(ME, port, to));
	EXPECT_EQ(0, type_in(ME, port));
	EXPECT_EQ(-1, fcntl(port, F_GETFD));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(ME, to));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, to, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(3, refs);
	/* Its queue came along. */
	EXPECT_EQ(21, receive_id(to, NULL));

	/* Bad input. */
	busy = notify;
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_rename(ME, to, busy));
	int fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_rename(ME, to, fd));	/* no right, but taken */
	close(fd);
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_rename(ME, to, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_rename(ME, to, MACH_PORT_DEAD));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_rename(ME, 999, free_name(500)));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_rename(ME, MACH_PORT_NULL, free_name(500)));

	/* A send right's dead-name request follows it to its new name. */
	mach_port_t send = new_port();
	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	/* The receive right goes to the child; we keep a send right. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, 600, send,
						       MACH_MSG_TYPE_MOVE_RECEIVE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(ME, send, MACH_NOTIFY_DEAD_NAME, 0,
							       notify,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE,
							       &previous));
	mach_port_name_t renamed = free_name(450);
	ASSERT_EQ(KERN_SUCCESS, mach_port_rename(ME, send, renamed));
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_in(ME, renamed));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(child, 600));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&note.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(note), notify, 2000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_DEAD_NAME, note.header.msgh_id);
	EXPECT_EQ(renamed, note.name);

	/* In another task's space. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(child, MACH_PORT_RIGHT_RECEIVE, 610));
	ASSERT_EQ(KERN_SUCCESS, mach_port_rename(child, 610, 620));
	EXPECT_EQ(0, type_in(child, 610));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(child, 620));
	task_terminate(child);
	mach_port_deallocate(ME, child);
	mach_port_destroy(ME, renamed);
	mach_port_destroy(ME, to);
	mach_port_destroy(ME, notify);
}

TEST(insert_and_extract_member)
{
	mach_port_t port = new_port(), set, other;
	mach_port_name_array_t members;
	mach_msg_type_number_t count;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &other));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(ME, set, &members, &count));
	ASSERT_EQ(1, count);
	EXPECT_EQ(port, members[0]);
	vm_deallocate(ME, (vm_address_t)members, count * sizeof(*members));
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(ME, port, set));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(ME, port, other));
	/* A message comes through the set. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 31, 0));
	EXPECT_EQ(31, receive_id(set, NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(ME, port, set));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(ME, port, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(ME, set, &members, &count));
	EXPECT_EQ(0, count);

	/* Bad input, as XNU's ipc_object_translate_port_pset(). */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(ME, MACH_PORT_NULL, set));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(ME, port, MACH_PORT_DEAD));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(ME, 999, set));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(ME, port, 999));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(ME, ME, set));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(ME, port, port));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(ME, set, set));
	mach_port_destroy(ME, set);
	mach_port_destroy(ME, other);
	mach_port_destroy(ME, port);
}

TEST(peek_at_a_queued_message)
{
	const uint32_t audit = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			       MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT);
	mach_port_t port = new_port();
	mach_port_seqno_t seqno = 0;
	mach_msg_size_t size = 0;
	mach_msg_id_t id = 0;
	mach_msg_audit_trailer_t trailer;
	mach_msg_type_number_t count = sizeof(trailer);

	EXPECT_EQ(KERN_FAILURE, mach_port_peek(ME, port, audit, &seqno, &size, &id,
					       (mach_msg_trailer_info_t)&trailer, &count));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 41, 8));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 42, 16));

	/* 0: the first. */
	memset(&trailer, 0x77, sizeof(trailer));
	ASSERT_EQ(KERN_SUCCESS, mach_port_peek(ME, port, audit, &seqno, &size, &id,
					       (mach_msg_trailer_info_t)&trailer, &count));
	EXPECT_EQ(41, id);
	EXPECT_EQ(sizeof(mach_msg_header_t) + 8, size);
	EXPECT_EQ(sizeof(trailer), count);
	EXPECT_EQ(seqno, trailer.msgh_seqno);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, trailer.msgh_trailer_type);
	EXPECT_EQ((uint32_t)getuid(), trailer.msgh_sender.val[0]);
	EXPECT_EQ((uint32_t)getpid(), trailer.msgh_audit.val[5]);
	/* By its seqno: the second. */
	mach_port_seqno_t first = seqno;
	seqno = first + 1;
	ASSERT_EQ(KERN_SUCCESS, mach_port_peek(ME, port, audit, &seqno, &size, &id,
					       (mach_msg_trailer_info_t)&trailer, &count));
	EXPECT_EQ(42, id);
	EXPECT_EQ(first + 1, seqno);
	EXPECT_EQ(sizeof(mach_msg_header_t) + 16, size);
	seqno = first + 2;
	EXPECT_EQ(KERN_FAILURE, mach_port_peek(ME, port, audit, &seqno, &size, &id,
					       (mach_msg_trailer_info_t)&trailer, &count));
	/* Peeking takes nothing. */
	EXPECT_EQ(41, receive_id(port, NULL));

	/* A smaller trailer: that many bytes. */
	seqno = 0;
	count = sizeof(mach_msg_seqno_trailer_t);
	ASSERT_EQ(KERN_SUCCESS, mach_port_peek(ME, port, MACH_RCV_TRAILER_ELEMENTS(
							   MACH_RCV_TRAILER_SEQNO),
					       &seqno, &size, &id,
					       (mach_msg_trailer_info_t)&trailer, &count));
	EXPECT_EQ(sizeof(mach_msg_seqno_trailer_t), count);
	/* Bad input. */
	count = sizeof(trailer);
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_peek(ME, port, MACH_RCV_TRAILER_ELEMENTS(
							     MACH_RCV_TRAILER_CTX),
						     &seqno, &size, &id,
						     (mach_msg_trailer_info_t)&trailer, &count));
	count = sizeof(mach_msg_seqno_trailer_t);
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_peek(ME, port, audit, &seqno, &size, &id,
						     (mach_msg_trailer_info_t)&trailer, &count));
	count = sizeof(trailer);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_peek(ME, MACH_PORT_NULL, audit, &seqno, &size,
						     &id, (mach_msg_trailer_info_t)&trailer,
						     &count));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_peek(ME, 999, audit, &seqno, &size, &id,
						    (mach_msg_trailer_info_t)&trailer, &count));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_peek(ME, ME, audit, &seqno, &size, &id,
						     (mach_msg_trailer_info_t)&trailer, &count));
	mach_port_destroy(ME, port);
}

TEST(srights_and_seqno)
{
	mach_port_t port, child_port;
	mach_port_rights_t srights = 99;
	mach_port_seqno_t seqno = 0;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_srights(ME, port, &srights));
	EXPECT_EQ(0, srights);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(ME, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(ME, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_srights(ME, port, &srights));
	EXPECT_EQ(1, srights);	/* one right, two user references */
	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, 640, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_srights(ME, port, &srights));
	EXPECT_EQ(2, srights);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_srights(ME, ME, &srights));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_srights(ME, 999, &srights));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_srights(ME, MACH_PORT_NULL, &srights));

	/* The next message received takes the seqno set; those queued follow. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 51, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 52, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(ME, port, 1000));
	EXPECT_EQ(51, receive_id(port, &seqno));
	EXPECT_EQ(1000, seqno);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 53, 0));
	EXPECT_EQ(52, receive_id(port, &seqno));
	EXPECT_EQ(1001, seqno);
	EXPECT_EQ(53, receive_id(port, &seqno));
	EXPECT_EQ(1002, seqno);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_seqno(ME, MACH_PORT_NULL, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_set_seqno(ME, 999, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_seqno(ME, ME, 1));

	/* On the child's receive right too. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &child_port));
	EXPECT_EQ(KERN_SUCCESS, mach_port_set_seqno(child, child_port, 5));
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_srights(child, child_port, &srights));
	EXPECT_EQ(0, srights);
	task_terminate(child);
	mach_port_deallocate(ME, child);
	mach_port_destroy(ME, port);
}

TEST(kobject_says_what_a_right_stands_for)
{
	mach_port_t port = new_port(), set, dead, thread = mach_thread_self();
	mach_port_t host = mach_host_self();
	natural_t type = 99;
	mach_vm_address_t addr = 1;
	unsigned int type32 = 99, addr32 = 1;

	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(ME, ME, &type, &addr));
	EXPECT_EQ(2, type);	/* IKOT_TASK_CONTROL */
	EXPECT_EQ(0, addr);	/* as XNU's release kernels: no address */
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(ME, thread, &type, &addr));
	EXPECT_EQ(1, type);	/* IKOT_THREAD_CONTROL */
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(ME, host, &type, &addr));
	EXPECT_EQ(3, type);	/* IKOT_HOST */
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(ME, port, &type, &addr));
	EXPECT_EQ(0, type);	/* IKOT_NONE */
	ASSERT_EQ(KERN_SUCCESS, mach_port_kernel_object(ME, ME, &type32, &addr32));
	EXPECT_EQ(2, type32);
	EXPECT_EQ(0, addr32);

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_DEAD_NAME, &dead));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_kobject(ME, set, &type, &addr));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_kobject(ME, dead, &type, &addr));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kobject(ME, 999, &type, &addr));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kobject(ME, MACH_PORT_NULL, &type, &addr));
	mach_port_destroy(ME, set);
	mach_port_destroy(ME, dead);
	mach_port_destroy(ME, port);
	mach_port_deallocate(ME, thread);
	mach_port_deallocate(ME, host);
}

static const ipc_info_name_t *find_name(const ipc_info_name_t *table, unsigned int count,
					mach_port_name_t name)
{
	for (unsigned int i = 0; i < count; i++)
		if (table[i].iin_name == name)
			return &table[i];
	return NULL;
}

TEST(space_info_lists_every_name)
{
	mach_port_t port = new_port(), set, dead;
	ipc_info_space_t info;
	ipc_info_name_array_t table;
	ipc_info_tree_name_array_t tree;
	mach_msg_type_number_t count, tree_count;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n_names, n_types;
	const ipc_info_name_t *e;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, port, MACH_PORT_RIGHT_SEND, 2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_DEAD_NAME, &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_info(ME, &info, &table, &count, &tree,
						     &tree_count));
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(ME, &names, &n_names, &types, &n_types));
	EXPECT_EQ(n_names, count);
	EXPECT_EQ(count, info.iis_table_size);
	EXPECT_EQ(0, tree_count);
	e = find_name(table, count, port);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, e->iin_type);
	EXPECT_EQ(3, e->iin_urefs);
	EXPECT_NE(0, e->iin_object);
	e = find_name(table, count, set);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, e->iin_type);
	e = find_name(table, count, dead);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, e->iin_type);
	EXPECT_EQ(1, e->iin_urefs);
	EXPECT_EQ(0, e->iin_object);
	vm_deallocate(ME, (vm_address_t)table, count * sizeof(*table));
	ipc_info_space_basic_t basic = { 0 };
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_basic_info(ME, &basic));
	EXPECT_EQ(n_names, basic.iisb_table_inuse);
	EXPECT_EQ(n_names, basic.iisb_table_size);
	vm_deallocate(ME, (vm_address_t)names, n_names * sizeof(*names));
	vm_deallocate(ME, (vm_address_t)types, n_types * sizeof(*types));

	/* Another task's: the same port has the same object there. */
	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, 660, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_info(ME, &info, &table, &count, &tree,
						     &tree_count));
	natural_t object = find_name(table, count, port)->iin_object;
	vm_deallocate(ME, (vm_address_t)table, count * sizeof(*table));
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_info(child, &info, &table, &count, &tree,
						     &tree_count));
	e = find_name(table, count, 660);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, e->iin_type);
	EXPECT_EQ(object, e->iin_object);
	vm_deallocate(ME, (vm_address_t)table, count * sizeof(*table));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_space_info(MACH_PORT_NULL, &info, &table,
							       &count, &tree, &tree_count));
	task_terminate(child);
	mach_port_deallocate(ME, child);
	mach_port_destroy(ME, port);
	mach_port_destroy(ME, set);
	mach_port_destroy(ME, dead);
}

/*
 * Through a proxy for our task: libmach sends each call as XNU's MIG
 * request, the proxy relays it to the task port, and the kernel's message
 * front end answers it as the ioctl does.
 */
TEST(every_call_as_a_message)
{
	struct proxy p;
	mach_port_options_t options = { .flags = MPO_CONTEXT_AS_GUARD | MPO_INSERT_SEND_RIGHT };
	mach_port_context_t context = 0;
	mach_port_rights_t srights = 0;
	mach_port_t port, set;
	natural_t type;
	mach_vm_address_t addr;
	mach_port_seqno_t seqno = 0;
	mach_msg_size_t size;
	mach_msg_id_t id;
	mach_msg_audit_trailer_t trailer;
	mach_msg_type_number_t count = sizeof(trailer);
	ipc_info_space_t info;
	ipc_info_name_array_t table;
	ipc_info_tree_name_array_t tree;
	mach_msg_type_number_t tree_count;
	unsigned int type32, addr32;

	proxy_start(&p, ME);
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(p.port, &options, 81, &port));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(ME, port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(p.port, port, &context));
	EXPECT_EQ(81, context);
	/* (A guard broken by message: port_guard.c; it would end this process.) */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard(p.port, port, 1, FALSE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(p.port, port, 81));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(p.port, port, 82, TRUE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(p.port, port, &context));
	EXPECT_EQ(0, context);	/* strict: hidden */
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(p.port, port, 82));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(p.port, port, 83));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_srights(p.port, port, &srights));
	EXPECT_EQ(1, srights);
	ASSERT_EQ(KERN_SUCCESS, mach_port_kobject(p.port, ME, &type, &addr));
	EXPECT_EQ(2, type);
	/* Removed from XNU's kernel: its server answers MIG_BAD_ID. */
	EXPECT_EQ(MIG_BAD_ID, mach_port_kernel_object(p.port, ME, &type32, &addr32));

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(p.port, port, 70));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_COPY_SEND, 91, 4));
	ASSERT_EQ(KERN_SUCCESS, mach_port_peek(p.port, port, MACH_RCV_TRAILER_ELEMENTS(
						       MACH_RCV_TRAILER_AUDIT),
					       &seqno, &size, &id,
					       (mach_msg_trailer_info_t)&trailer, &count));
	EXPECT_EQ(70, seqno);
	EXPECT_EQ(91, id);
	EXPECT_EQ(sizeof(mach_msg_header_t) + 4, size);
	EXPECT_EQ(sizeof(trailer), count);
	EXPECT_EQ(70, trailer.msgh_seqno);
	EXPECT_EQ(91, receive_id(port, NULL));

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(p.port, port, set));
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(p.port, port, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(p.port, port, set));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(p.port, port, set));

	mach_port_name_t name = free_name(350);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(p.port, MACH_PORT_RIGHT_DEAD_NAME, name));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(ME, name));
	mach_port_name_t to = free_name(name + 1);
	ASSERT_EQ(KERN_SUCCESS, mach_port_rename(p.port, name, to));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(ME, to));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_rename(p.port, name, to + 1));

	ASSERT_EQ(KERN_SUCCESS, mach_port_space_info(p.port, &info, &table, &count, &tree,
						     &tree_count));
	EXPECT_EQ(count, info.iis_table_size);
	EXPECT_NE(NULL, find_name(table, count, to));
	EXPECT_NE(NULL, find_name(table, count, port));
	vm_deallocate(ME, (vm_address_t)table, count * sizeof(*table));

	ipc_info_space_basic_t basic = { 0 };
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_basic_info(p.port, &basic));
	EXPECT_EQ(count, basic.iisb_table_inuse);
	/* A context stands in the guard's way, as on XNU. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard_with_flags(p.port, port, 84, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(p.port, port, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard_with_flags(p.port, port, 84, MPG_STRICT));
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(p.port, port, 84));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard_with_flags(p.port, port, 86, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_swap_guard(p.port, port, 86, 83));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(p.port, port, -1, 83));
	EXPECT_EQ(0, type_in(ME, port));
	proxy_stop(&p);
	mach_port_destroy(ME, set);
	mach_port_destroy(ME, to);
}

static unsigned int name_count(task_t task)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, t;

	if (mach_port_names(task, &names, &n, &types, &t) != KERN_SUCCESS)
		return 0;
	vm_deallocate(ME, (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(ME, (vm_address_t)types, t * sizeof(*types));
	return n;
}

/*
 * A name far above the lowest free fd, which the module cannot reach by
 * holding the numbers below it: the task's process moves the fd there
 * itself (its agent's fcntl(F_DUPFD_CLOEXEC)), up to its fd limit.
 */
TEST(names_far_above_the_lowest_free_fd)
{
	struct rlimit lim;
	mach_port_t port = new_port(), got;
	mach_port_urefs_t refs = 0;
	struct proxy p;
	task_t child;
	unsigned int before;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &lim));
	if (lim.rlim_max < 4096)
		SKIP(return, "the fd limit is %lu", (unsigned long)lim.rlim_max);
	lim.rlim_cur = 4096;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(ME, MACH_PORT_RIGHT_RECEIVE, 3000));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(ME, 3000));
	EXPECT_NE(-1, fcntl(3000, F_GETFD));
	EXPECT_EQ(FD_CLOEXEC, fcntl(3000, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(MACH_MSG_SUCCESS, send_id(3000, MACH_MSG_TYPE_MAKE_SEND, 61, 0));
	EXPECT_EQ(61, receive_id(3000, NULL));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(ME, MACH_PORT_RIGHT_PORT_SET, 3000));

	ASSERT_EQ(KERN_SUCCESS, mach_port_rename(ME, port, 3100));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(ME, 3100));
	EXPECT_EQ(-1, fcntl(port, F_GETFD));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(ME, 3100, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);
	/* A send-once right of ours at a far name. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(ME, 3150, 3100,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_in(ME, 3150));

	/* Past the fd limit there is no room; nothing is left behind. */
	before = name_count(ME);
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate_name(ME, MACH_PORT_RIGHT_RECEIVE, 5000));
	EXPECT_EQ(KERN_NO_SPACE, mach_port_rename(ME, 3100, 5000));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(ME, 3100));
	EXPECT_EQ(before, name_count(ME));

	/* Another task's (its limit is ours: it was made after we raised it). */
	ASSERT_EQ(KERN_SUCCESS, task_create(ME, NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(child, 3200, 3100, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(child, 3200));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(child, MACH_PORT_RIGHT_DEAD_NAME, 3300));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(child, 3300));
	ASSERT_EQ(KERN_SUCCESS, mach_port_rename(child, 3200, 3400));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(child, 3400));
	EXPECT_EQ(0, type_in(child, 3200));
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate_name(child, MACH_PORT_RIGHT_RECEIVE, 5000));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(child, 3400, MACH_MSG_TYPE_COPY_SEND, &got,
							&(mach_msg_type_name_t){ 0 }));
	EXPECT_EQ(3100, got);	/* the same port, coalesced into our name */
	mach_port_deallocate(ME, got);

	/* As a message (its server in our own process, the sender's). */
	proxy_start(&p, ME);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(p.port, MACH_PORT_RIGHT_PORT_SET, 3500));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_in(ME, 3500));
	ASSERT_EQ(KERN_SUCCESS, mach_port_rename(p.port, 3500, 3600));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_in(ME, 3600));
	proxy_stop(&p);

	task_terminate(child);
	mach_port_deallocate(ME, child);
	mach_port_destroy(ME, 3600);
	mach_port_destroy(ME, 3150);
	mach_port_destroy(ME, 3100);
	mach_port_destroy(ME, 3000);
}

/*
 * The module's live ports and allocations once they hold still for 0.3 s
 * (up to 5 s): what earlier tests left (a task ending) has settled.
 */
static void settled_counts(long *ports, long *allocations)
{
	*ports = *allocations = -1;
	for (int i = 0, same = 0; i < 500 && same < 30; i++) {
		long p = mach_stat("live_ports"), a = mach_stat("live_allocations");

		same = p == *ports && a == *allocations ? same + 1 : 0;
		*ports = p;
		*allocations = a;
		usleep(10000);
	}
}

/* Waits up to 5 s for the counts to come back to what they were. */
static void counts_back_to(long ports, long allocations)
{
	for (int i = 0; i < 500; i++) {
		if (mach_stat("live_ports") == ports && mach_stat("live_allocations") == allocations)
			return;
		usleep(10000);
	}
}

/* Every call, and its errors, leave no port or allocation behind. */
TEST(nothing_leaks)
{
	long ports, allocations;
	pid_t pid;
	int status;

	/* What earlier tests left going (a task ending) settles first. */
	settled_counts(&ports, &allocations);
	ASSERT_LE(0, ports);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_options_t options = { .flags = MPO_CONTEXT_AS_GUARD | MPO_STRICT |
							 MPO_INSERT_SEND_RIGHT | MPO_QLIMIT,
						.mpl = { 3 } };
		mach_port_t port, set, dead;
		task_t child;

		for (int i = 0; i < 20; i++) {
			mach_port_name_t renamed = free_name(300);

			if (mach_port_construct(ME, &options, 5, &port) ||
			    mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set) ||
			    mach_port_insert_member(ME, port, set) ||
			    send_id(port, MACH_MSG_TYPE_COPY_SEND, 1, 0) ||
			    mach_port_rename(ME, port, renamed))
				_exit(1);
			/* (A broken guard ends the process: port_guard.c.) */
			if (i % 2 && mach_port_destruct(ME, renamed, -1, 5))
				_exit(2);
			mach_port_allocate_name(ME, MACH_PORT_RIGHT_DEAD_NAME, free_name(320));
			mach_port_insert_right(ME, free_name(330), set, MACH_MSG_TYPE_MAKE_SEND);
			mach_port_deallocate(ME, set);
		}
		if (task_create(ME, NULL, 0, FALSE, &child))
			_exit(1);
		mach_port_allocate_name(child, MACH_PORT_RIGHT_RECEIVE, 700);
		mach_port_rename(child, 700, 710);
		mach_port_construct(child, &options, 9, &dead);
		task_terminate(child);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	counts_back_to(ports, allocations);
	EXPECT_EQ(ports, mach_stat("live_ports"));
	EXPECT_EQ(allocations, mach_stat("live_allocations"));
}

/* The members get_set_status lists for set, sorted (-1 on failure). */
static int set_members(mach_port_t set, mach_port_name_t *out, int max)
{
	mach_port_name_array_t members;
	mach_msg_type_number_t count;
	int n;

	if (mach_port_get_set_status(ME, set, &members, &count) != KERN_SUCCESS)
		return -1;
	n = (int)count;
	for (int i = 0; i < n && i < max; i++)
		out[i] = members[i];
	if (count)
		vm_deallocate(ME, (vm_address_t)members, count * sizeof(*members));
	return n;
}

/* Is set's member list exactly {port} (port null: empty)? */
static int lists_only(mach_port_t set, mach_port_t port)
{
	mach_port_name_t m[4];
	int n = set_members(set, m, 4);

	return port ? n == 1 && m[0] == port : n == 0;
}

/* mach_port_status_t's mps_pset of a receive right (-1 on failure). */
static int pset_count(mach_port_t port)
{
	mach_port_status_t status;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	if (mach_port_get_attributes(ME, port, MACH_PORT_RECEIVE_STATUS,
				     (mach_port_info_t)&status, &count) != KERN_SUCCESS)
		return -1;
	return (int)status.mps_pset;
}

/* A receive on from that does not wait: its return. */
static mach_msg_return_t try_receive(mach_port_t from)
{
	struct {
		mach_msg_header_t header;
		char body[64];
		mach_msg_max_trailer_t trailer;
	} msg;

	return mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(msg), from, 0,
			MACH_PORT_NULL);
}

/* Is name's fd readable now? */
static int fd_readable(mach_port_t name)
{
	struct pollfd pfd = { .fd = (int)name, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

/*
 * A receive right is a member of several sets at once, as in XNU
 * (ipc_mqueue_add_locked links its waitq into each set): each set lists
 * it, a message queued on it is received once, through any of them, and
 * each set's fd is readable while it waits.
 */
TEST(member_of_two_sets)
{
	mach_port_t port = new_port(), a, b;
	mach_port_name_t m[4];

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &b));
	EXPECT_EQ(0, pset_count(port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, b));
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(ME, port, a));
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(ME, port, b));
	ASSERT_EQ(1, set_members(a, m, 4));
	EXPECT_EQ(port, m[0]);
	ASSERT_EQ(1, set_members(b, m, 4));
	EXPECT_EQ(port, m[0]);
	/* XNU's mps_pset is ip_in_pset(): in a set or not. */
	EXPECT_EQ(1, pset_count(port));

	EXPECT_FALSE(fd_readable(a));
	EXPECT_FALSE(fd_readable(b));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_MAKE_SEND, 41, 0));
	EXPECT_TRUE(fd_readable(a));
	EXPECT_TRUE(fd_readable(b));
	EXPECT_TRUE(fd_readable(port));
	EXPECT_EQ(41, receive_id(b, NULL));
	/* Received once: no longer through the other set, nor the port. */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(a));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(port));
	EXPECT_FALSE(fd_readable(a));
	EXPECT_FALSE(fd_readable(b));
	/* And the other way round. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_MAKE_SEND, 42, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_MAKE_SEND, 43, 0));
	EXPECT_EQ(42, receive_id(a, NULL));
	EXPECT_EQ(43, receive_id(b, NULL));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(a));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(b));

	/* The same answers as a message to our task's port (a proxy's). */
	struct proxy p;

	proxy_start(&p, ME);
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(p.port, port, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(p.port, port, a));
	EXPECT_TRUE(lists_only(a, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(b, port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(p.port, port, a));
	proxy_stop(&p);

	mach_port_destroy(ME, a);
	mach_port_destroy(ME, b);
	mach_port_destroy(ME, port);
}

struct blocked {
	mach_port_t on;
	mach_msg_id_t id;	/* what it got, -1 for nothing */
	int polled;		/* for a poll(): its fd became readable */
};

static void *receive_blocked(void *arg)
{
	struct blocked *b = arg;

	b->id = receive_id(b->on, NULL);	/* 1 s at most */
	return NULL;
}

static void *poll_blocked(void *arg)
{
	struct blocked *b = arg;
	struct pollfd pfd = { .fd = (int)b->on, .events = POLLIN };

	b->polled = poll(&pfd, 1, 2000) == 1 && (pfd.revents & POLLIN);
	return NULL;
}

/*
 * A receiver blocked on either set wakes for a message to a member that
 * is in both; so does a poll() on either set's fd.
 */
TEST(blocked_on_either_set_wakes)
{
	mach_port_t port = new_port(), a, b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, b));

	for (int round = 0; round < 2; round++) {
		mach_port_t on = round ? a : b, other = round ? b : a;
		struct blocked r = { .on = on, .id = -1 }, pl = { .on = on };
		pthread_t t;

		/* A receive blocked on one set. */
		ASSERT_EQ(0, pthread_create(&t, NULL, receive_blocked, &r));
		usleep(200000);
		ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_MAKE_SEND, 50 + round, 0));
		pthread_join(t, NULL);
		EXPECT_EQ(50 + round, r.id) TH_LOG("round %d", round);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(a));
		EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(b));

		/* A poll() blocked on it; the message is then taken through the other. */
		ASSERT_EQ(0, pthread_create(&t, NULL, poll_blocked, &pl));
		usleep(200000);
		ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_MAKE_SEND, 60 + round, 0));
		pthread_join(t, NULL);
		EXPECT_TRUE(pl.polled) TH_LOG("round %d", round);
		EXPECT_EQ(60 + round, receive_id(other, NULL));
		EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(on));
	}
	mach_port_destroy(ME, a);
	mach_port_destroy(ME, b);
	mach_port_destroy(ME, port);
}

/*
 * extract_member leaves only the set named; move_member leaves every set
 * and joins the one named, or with a null set leaves them all
 * (mach_port_move_member's waitq_unlink_all_locked), KERN_NOT_IN_SET if
 * it was in none.
 */
TEST(extract_one_and_move_from_all)
{
	mach_port_t port = new_port(), a, b, c, d;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &c));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, c));

	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(ME, port, b));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(ME, port, b));
	EXPECT_TRUE(lists_only(a, port));
	EXPECT_TRUE(lists_only(b, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(c, port));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(port, MACH_MSG_TYPE_MAKE_SEND, 61, 0));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, try_receive(b));
	EXPECT_EQ(61, receive_id(c, NULL));

	/* Into d, out of a and c. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(ME, port, d));
	EXPECT_TRUE(lists_only(a, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(c, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(d, port));
	/* Into a set it is in already, with others: only that one stays. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(ME, port, a));
	EXPECT_TRUE(lists_only(a, port));
	EXPECT_TRUE(lists_only(b, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(d, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(ME, port, a));
	EXPECT_TRUE(lists_only(a, port));
	/* Out of all of them. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, port, c));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(ME, port, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(a, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(c, MACH_PORT_NULL));
	EXPECT_EQ(0, pset_count(port));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_move_member(ME, port, MACH_PORT_NULL));

	mach_port_destroy(ME, a);
	mach_port_destroy(ME, b);
	mach_port_destroy(ME, c);
	mach_port_destroy(ME, d);
	mach_port_destroy(ME, port);
}

/*
 * A set destroyed takes its memberships only; a receive right destroyed
 * or sent away leaves every set (ipc_port_clear_receiver), and arrives
 * in no set.
 */
TEST(destroying_a_set_or_the_right)
{
	mach_port_t p = new_port(), q = new_port(), carrier = new_port(), a, b, c, got;
	mach_port_name_t m[4];

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &c));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, p, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, p, b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, p, c));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, q, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, q, b));

	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(ME, c));
	EXPECT_EQ(1, pset_count(p));
	ASSERT_EQ(2, set_members(a, m, 4));
	EXPECT_LT(m[0], m[1]);	/* sorted, as XNU's */
	EXPECT_TRUE((m[0] == p && m[1] == q) || (m[0] == q && m[1] == p));
	ASSERT_EQ(2, set_members(b, m, 4));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_id(p, MACH_MSG_TYPE_MAKE_SEND, 71, 0));
	EXPECT_EQ(71, receive_id(b, NULL));

	/* The receive right destroyed: out of both. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, q, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_TRUE(lists_only(a, p));
	EXPECT_TRUE(lists_only(b, p));

	/* Sent away in a message: out of both, and in none where it lands. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(ME, carrier, carrier,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(carrier, p, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_TRUE(lists_only(a, MACH_PORT_NULL));
	EXPECT_TRUE(lists_only(b, MACH_PORT_NULL));
	got = receive_port(carrier);
	ASSERT_NE(MACH_PORT_NULL, got);
	EXPECT_EQ(0, pset_count(got));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(ME, got, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(ME, got, a));
	EXPECT_TRUE(lists_only(a, got));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(ME, got, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_TRUE(lists_only(a, MACH_PORT_NULL));

	mach_port_destroy(ME, a);
	mach_port_destroy(ME, b);
	mach_port_destroy(ME, carrier);
}

#define MANY 64

/* Takes port out of each of sets, by move_member or one by one: 0 or -1. */
static int leave_every_set(mach_port_t port, const mach_port_t *sets, int n, int move)
{
	if (move)
		return mach_port_move_member(ME, port, MACH_PORT_NULL) ? -1 : 0;
	for (int j = 0; j < n; j++)
		if (mach_port_extract_member(ME, port, sets[j]))
			return -1;
	return 0;
}

/*
 * Many sets for one port and many ports in one set: every membership
 * listed and usable, and all of it gone without a trace, whichever side
 * goes first.
 */
TEST(many_sets_many_members_no_leak)
{
	long ports, allocations;
	int status;
	pid_t pid;

	settled_counts(&ports, &allocations);
	ASSERT_LE(0, ports);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static mach_port_t port[MANY], set[MANY];
		static mach_port_name_t m[MANY + 1];

		for (int i = 0; i < MANY; i++) {
			port[i] = new_port();
			if (mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &set[i]))
				_exit(1);
		}
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < MANY; i++)
				for (int j = 0; j < MANY; j++)
					if (mach_port_insert_member(ME, port[i], set[j]))
						_exit(2);
			for (int j = 0; j < MANY; j++) {
				if (set_members(set[j], m, MANY + 1) != MANY)
					_exit(3);
				for (int k = 1; k < MANY; k++)
					if (m[k - 1] >= m[k])
						_exit(4);
			}
			/* A message to each, through a different set each time. */
			for (int i = 0; i < MANY; i++) {
				if (send_id(port[i], MACH_MSG_TYPE_MAKE_SEND, 100 + i, 0) ||
				    receive_id(set[(i * 7) % MANY], NULL) != 100 + i)
					_exit(5);
			}
			for (int j = 0; j < MANY; j++)
				if (try_receive(set[j]) != MACH_RCV_TIMED_OUT)
					_exit(6);
			/* A message left queued on each for the teardown. */
			for (int i = 0; i < MANY; i++)
				if (send_id(port[i], MACH_MSG_TYPE_MAKE_SEND, 200 + i, 0))
					_exit(7);
			if (round == 0) {
				/* Leave them all, by each call, and come back. */
				for (int i = 0; i < MANY; i++)
					if (leave_every_set(port[i], set, MANY, i % 3 == 0))
						_exit(8);
				for (int j = 0; j < MANY; j++)
					if (set_members(set[j], m, MANY + 1) != 0)
						_exit(10);
				for (int i = 0; i < MANY; i++)
					if (receive_id(port[i], NULL) != 200 + i)
						_exit(11);
			}
		}
		/* Half the sets go first, then half the ports, then the rest. */
		for (int j = 0; j < MANY; j += 2)
			mach_port_destroy(ME, set[j]);
		for (int i = 0; i < MANY; i += 2)
			mach_port_destroy(ME, port[i]);
		if (set_members(set[1], m, MANY + 1) != MANY / 2)
			_exit(12);
		if (pset_count(port[1]) != 1)
			_exit(13);
		for (int i = 1; i < MANY; i += 2)
			mach_port_destroy(ME, port[i]);
		for (int j = 1; j < MANY; j += 2)
			mach_port_destroy(ME, set[j]);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	counts_back_to(ports, allocations);
	EXPECT_EQ(ports, mach_stat("live_ports"));
	EXPECT_EQ(allocations, mach_stat("live_allocations"));
}

/*
 * Sets in several processes' tasks at once: no set of one task takes
 * the port of another's, and a process's end tears its sets down while
 * its members are in others too.
 */
TEST(a_task_ends_with_members_in_many_sets)
{
	long ports, allocations;
	int status;
	pid_t pid;

	settled_counts(&ports, &allocations);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t s[8], p[8];

		for (int i = 0; i < 8; i++) {
			p[i] = new_port();
			if (mach_port_allocate(ME, MACH_PORT_RIGHT_PORT_SET, &s[i]))
				_exit(1);
		}
		for (int i = 0; i < 8; i++) {
			for (int j = 0; j < 8; j++)
				if (mach_port_insert_member(ME, p[i], s[j]))
					_exit(2);
			if (send_id(p[i], MACH_MSG_TYPE_MAKE_SEND, 1, 0))
				_exit(3);
		}
		_exit(0);	/* everything still there */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	counts_back_to(ports, allocations);
	EXPECT_EQ(ports, mach_stat("live_ports"));
	EXPECT_EQ(allocations, mach_stat("live_allocations"));
}

TEST_HARNESS_MAIN
