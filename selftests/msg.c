// SPDX-License-Identifier: GPL-2.0
/*
 * Ports and messages between processes: rights, a client/server exchange
 * with reply ports over an inherited bootstrap port, queue limits and
 * timeouts, dead names, poll, and rights that leak by fork being inert.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

struct request {
	mach_msg_header_t header;
	int value;
};

struct received {
	mach_msg_header_t header;
	int value;
	mach_msg_audit_trailer_t trailer;
};


static kern_return_t send_value(mach_port_t dest, mach_msg_type_name_t disp,
				mach_port_t reply, int value, mach_msg_option_t extra)
{
	struct request msg = {
		.header = {
			.msgh_bits = MACH_MSGH_BITS(disp, reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0),
			.msgh_size = sizeof(msg),
			.msgh_remote_port = dest,
			.msgh_local_port = reply,
			.msgh_id = 500,
		},
		.value = value,
	};

	return mach_msg(&msg.header, MACH_SEND_MSG | extra, sizeof(msg), 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static kern_return_t receive(mach_port_t port, struct received *msg,
			     mach_msg_option_t extra, mach_msg_timeout_t timeout)
{
	return mach_msg(&msg->header, MACH_RCV_MSG | extra |
			MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			0, sizeof(*msg), port, timeout, MACH_PORT_NULL);
}

TEST(rights_and_types)
{
	mach_port_t self = mach_task_self(), port, dead;
	mach_port_type_t type;
	mach_port_urefs_t refs;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self, port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self, port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(self, port, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(2, refs);
	EXPECT_EQ(KERN_UREFS_OVERFLOW, mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, 0xffff));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, -3));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self, 1 << 20, &type));
	/* The port is named here already: XNU checks that before the name. */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(self, 1, port, MACH_MSG_TYPE_MAKE_SEND));
	/* No name at all, whatever fd 0 is. */
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(self, MACH_PORT_NULL, port,
							     MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(self, MACH_PORT_DEAD, port,
							     MACH_MSG_TYPE_MAKE_SEND));
	/* MAKE_SEND needs the receive right (XNU's trap: ipc_right_copyin()). */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_right(self, self, self, MACH_MSG_TYPE_MAKE_SEND));
	/* The name is an fd of this process, close-on-exec. */
	EXPECT_EQ(FD_CLOEXEC, fcntl(port, F_GETFD) & FD_CLOEXEC);

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self, dead, &type));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(self, dead));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self, dead, &type));

	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self, port));
	EXPECT_EQ(-1, fcntl(port, F_GETFD));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(self, 42, &port));
}

TEST(attributes_and_queue_limit)
{
	mach_port_t self = mach_task_self(), port = new_port();
	mach_port_limits_t limits;
	mach_port_status_t status;
	mach_msg_type_number_t count = MACH_PORT_LIMITS_INFO_COUNT;
	struct received msg;

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self, port, MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&limits, &count));
	EXPECT_EQ(MACH_PORT_QLIMIT_DEFAULT, limits.mpl_qlimit);
	limits.mpl_qlimit = 2;
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(self, port, MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT));
	EXPECT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 1, MACH_SEND_TIMEOUT));
	EXPECT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 2, MACH_SEND_TIMEOUT));
	/* Full: a timed send gives up, after the time it was given. */
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 3, MACH_SEND_TIMEOUT));
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self, port, MACH_PORT_RECEIVE_STATUS,
							 (mach_port_info_t)&status, &count));
	EXPECT_EQ(2, status.mps_msgcount);
	EXPECT_EQ(2, status.mps_qlimit);
	EXPECT_EQ(1, status.mps_mscount);
	EXPECT_TRUE(status.mps_srights);

	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 0));
	EXPECT_EQ(1, msg.value);
	EXPECT_EQ(500, msg.header.msgh_id);
	EXPECT_EQ(getpid(), (pid_t)msg.trailer.msgh_audit.val[5]);
	EXPECT_EQ(geteuid(), msg.trailer.msgh_sender.val[0]);
	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 0));
	EXPECT_EQ(2, msg.value);
	EXPECT_EQ(1, msg.trailer.msgh_seqno);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, receive(port, &msg, MACH_RCV_TIMEOUT, 10));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, receive(self, &msg, MACH_RCV_TIMEOUT, 0));
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(msg) {
	struct made made;
};

FIXTURE_SETUP(msg)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(msg)
{
	made_end(&self->made);
}

TEST_F(msg, blocked_sender_resumes_when_room_is_made)
{
	mach_port_t port = new_port();
	mach_port_limits_t limits = { .mpl_qlimit = 1 };
	struct received msg;
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(mach_task_self(), port,
			MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits, 1));
	ASSERT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 1, 0));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* Inherited through the bootstrap port; this send blocks. */
		mach_port_t bootstrap;

		if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bootstrap))
			_exit(1);
		_exit(send_value(bootstrap, MACH_MSG_TYPE_COPY_SEND, 0, 2, 0) ? 2 : 0);
	}
	usleep(200000);
	ASSERT_EQ(pid, waitpid(pid, &status, WNOHANG) == 0 ? pid : -1) TH_LOG("sender did not block");
	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 1000));
	EXPECT_EQ(1, msg.value);
	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 5000));
	EXPECT_EQ(2, msg.value);
	EXPECT_EQ(pid, (pid_t)msg.trailer.msgh_audit.val[5]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* A demux for mach_msg_server_once: answers id n with id n + 100. */
static boolean_t double_it(mach_msg_header_t *in, mach_msg_header_t *out)
{
	struct request *req = (struct request *)in, *rep = (struct request *)out;

	rep->header.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	rep->header.msgh_size = sizeof(*rep);
	rep->header.msgh_remote_port = in->msgh_remote_port;
	rep->header.msgh_id = in->msgh_id + 100;
	rep->value = req->value * 2;
	return TRUE;
}

/* A request and the room to receive its reply in. */
union rpc {
	struct request req;
	struct received answer;
};

static void make_request(union rpc *buf, mach_port_t dest, mach_port_t reply,
			 int id, int value)
{
	memset(buf, 0, sizeof(*buf));
	buf->req.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						   MACH_MSG_TYPE_MAKE_SEND_ONCE);
	buf->req.header.msgh_size = sizeof(struct request);
	buf->req.header.msgh_remote_port = dest;
	buf->req.header.msgh_local_port = reply;
	buf->req.header.msgh_id = id;
	buf->req.value = value;
}

TEST_F(msg, client_server_over_the_bootstrap_port)
{
	mach_port_t server_port = new_port();
	int status;
	pid_t client;

	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, server_port));
	/* The child is the client: it finds the server through bootstrap_port. */
	client = made_fork(&self->made);
	ASSERT_GE(client, 0);
	if (client == 0) {
		mach_port_t my_reply = new_port();

		if (mach_task_self() == MACH_PORT_NULL || !MACH_PORT_VALID(bootstrap_port))
			_exit(20);
		for (int i = 1; i <= 3; i++) {
			union rpc buf;

			make_request(&buf, bootstrap_port, my_reply, i, 21 * i);
			/* Send and receive the reply in one call. */
			if (mach_msg(&buf.req.header, MACH_SEND_MSG | MACH_RCV_MSG,
				     sizeof(buf.req), sizeof(buf.answer), my_reply, 0,
				     MACH_PORT_NULL))
				_exit(21);
			if (buf.answer.value != 42 * i || buf.answer.header.msgh_id != i + 100)
				_exit(22);
			if (buf.answer.header.msgh_local_port != my_reply)
				_exit(23);
		}
		_exit(0);
	}
	/* The server: libmach's loop around a demux. */
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(KERN_SUCCESS, mach_msg_server_once(double_it, 256, server_port, 0));
	ASSERT_EQ(client, waitpid(client, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * Round trips where both sides send and receive in one call, so that each
 * spins for the other's answer before it sleeps: every answer arrives, the
 * quick ones and the ones slower than the spin (every 50th request makes
 * the server sleep), and the client's reply port sees no stray message.
 */
TEST_F(msg, round_trips_answered_quickly_and_slowly)
{
	enum { ROUNDS = 1000, QUIT = 0x7fff };
	mach_port_t server_port = new_port();
	union rpc buf;
	int status;
	pid_t client;

	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      server_port));
	client = made_fork(&self->made);
	ASSERT_GE(client, 0);
	if (client == 0) {
		mach_port_t my_reply = new_port();

		for (int i = 1; i <= ROUNDS; i++) {
			make_request(&buf, bootstrap_port, my_reply, i, i);
			if (mach_msg(&buf.req.header, MACH_SEND_MSG | MACH_RCV_MSG,
				     sizeof(buf.req), sizeof(buf.answer), my_reply, 0,
				     MACH_PORT_NULL))
				_exit(21);
			if (buf.answer.header.msgh_id != i + 100 || buf.answer.value != 2 * i)
				_exit(22);
		}
		make_request(&buf, bootstrap_port, MACH_PORT_NULL, QUIT, 0);
		buf.req.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		if (mach_msg(&buf.req.header, MACH_SEND_MSG, sizeof(buf.req), 0,
			     MACH_PORT_NULL, 0, MACH_PORT_NULL))
			_exit(23);
		/* Nothing more came for the reply port. */
		_exit(receive(my_reply, &buf.answer, MACH_RCV_TIMEOUT, 0) ==
		      MACH_RCV_TIMED_OUT ? 0 : 24);
	}
	/* The server answers each request and takes the next in one call. */
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&buf.req.header, MACH_RCV_MSG, 0, sizeof(buf),
					 server_port, 0, MACH_PORT_NULL));
	for (int served = 0; buf.req.header.msgh_id != QUIT; served++) {
		ASSERT_LT(served, ROUNDS);
		if (buf.req.header.msgh_id % 50 == 0)
			usleep(5000);
		buf.req.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		buf.req.header.msgh_local_port = MACH_PORT_NULL;
		buf.req.header.msgh_size = sizeof(buf.req);
		buf.req.header.msgh_id += 100;
		buf.req.value *= 2;
		ASSERT_EQ(KERN_SUCCESS, mach_msg(&buf.req.header, MACH_SEND_MSG | MACH_RCV_MSG,
						 sizeof(buf.req), sizeof(buf), server_port, 0,
						 MACH_PORT_NULL));
	}
	ASSERT_EQ(client, waitpid(client, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	mach_port_destroy(mach_task_self(), server_port);
}

/*
 * A child that sends a send right to a port whose receive right it holds
 * (as the reply port of a message to its bootstrap port), then exits once
 * the write end of hold is closed.
 */
static pid_t receiver_child(const int hold[2])
{
	pid_t pid = fork();

	if (pid == 0) {
		mach_port_t mine = new_port();
		struct request req = {
			.header = {
				.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							    MACH_MSG_TYPE_MAKE_SEND),
				.msgh_size = sizeof(req),
				.msgh_remote_port = bootstrap_port,
				.msgh_local_port = mine,
			},
		};
		char c;

		close(hold[1]);
		if (mach_msg(&req.header, MACH_SEND_MSG, sizeof(req), 0, MACH_PORT_NULL,
			     0, MACH_PORT_NULL))
			_exit(1);
		_exit(read(hold[0], &c, 1) == 0 ? 0 : 2);
	}
	return pid;
}

TEST_F(msg, dead_name_after_the_receiver_exits)
{
	mach_port_t port = new_port(), answer_port;
	mach_port_type_t type = 0;
	struct received msg;
	int hold[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(hold));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port));
	pid = made_child(&self->made, receiver_child(hold));
	ASSERT_GE(pid, 0);
	close(hold[0]);
	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 5000));
	answer_port = msg.header.msgh_remote_port;
	ASSERT_EQ(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(msg.header.msgh_bits));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), answer_port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type);

	close(hold[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* The receiver is gone (torn down just after its exit): a dead name. */
	for (int i = 0; i < 200 && type != MACH_PORT_TYPE_DEAD_NAME; i++) {
		usleep(10000);
		ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), answer_port, &type));
	}
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_value(answer_port, MACH_MSG_TYPE_COPY_SEND, 0, 1, MACH_SEND_TIMEOUT));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), answer_port));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), answer_port, &type));
}

TEST(receive_right_is_pollable)
{
	mach_port_t port = new_port();
	struct pollfd pfd = { .fd = port, .events = POLLIN };
	struct received msg;

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 7, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 0));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
}

TEST_F(msg, receive_right_inherited_by_fork_is_inert)
{
	mach_port_t port = new_port();
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 9, 0));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct received msg;

		if (receive(port, &msg, MACH_RCV_TIMEOUT, 0) != MACH_RCV_INVALID_NAME)
			_exit(1);
		if (send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 1, MACH_SEND_TIMEOUT) !=
		    MACH_SEND_INVALID_DEST)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(destroyed_receive_right_is_no_name)
{
	mach_port_t port = new_port();
	struct received msg;

	/* A destroyed receive right is no name to receive on. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), port));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, receive(port, &msg, MACH_RCV_TIMEOUT, 0));
}

struct complex_msg {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t send;
	mach_msg_port_descriptor_t receive;
	mach_msg_ool_descriptor_t data;
	mach_msg_ool_ports_descriptor_t ports;
};

TEST_F(msg, complex_messages_carry_rights_and_memory)
{
	mach_port_t server = new_port();
	union {
		struct complex_msg msg;
		char room[sizeof(struct complex_msg) + MAX_TRAILER_SIZE];
	} buf;
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, server));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* Sends a send right to a port it keeps receiving on, the receive
		 * right of another it keeps a send right to, 3 pages of data it
		 * gives away, and an array of send rights. */
		mach_port_t mine = new_port(), given = new_port();
		mach_port_t array[2] = { mine, MACH_PORT_NULL };
		size_t len = 3 * getpagesize();
		unsigned char *data = mmap(NULL, len, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct complex_msg m = { 0 };
		struct received got;
		unsigned char vec;

		for (size_t i = 0; i < len; i++)
			data[i] = i * 7;
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				     MACH_MSGH_BITS_COMPLEX;
		m.header.msgh_size = sizeof(m);
		m.header.msgh_remote_port = bootstrap_port;
		m.body.msgh_descriptor_count = 4;
		m.send.name = mine;
		m.send.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.send.type = MACH_MSG_PORT_DESCRIPTOR;
		m.receive.name = given;
		m.receive.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		m.receive.type = MACH_MSG_PORT_DESCRIPTOR;
		m.data.address = data;
		m.data.size = len;
		m.data.deallocate = TRUE;
		m.data.copy = MACH_MSG_VIRTUAL_COPY;
		m.data.type = MACH_MSG_OOL_DESCRIPTOR;
		m.ports.address = array;
		m.ports.count = 2;
		m.ports.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		if (mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
			     MACH_PORT_NULL))
			_exit(1);
		/* deallocate: the pages are gone from the sender. */
		if (mincore(data, getpagesize(), &vec) != -1 || errno != ENOMEM)
			_exit(2);
		/* The receive right left; the send right stayed under its name. */
		mach_port_type_t type;
		if (mach_port_type(mach_task_self(), given, &type) || type != MACH_PORT_TYPE_SEND)
			_exit(3);
		if (send_value(given, MACH_MSG_TYPE_COPY_SEND, 0, 5, 0))
			_exit(4);
		/* The parent answers on the send right it got. */
		if (receive(mine, &got, MACH_RCV_TIMEOUT, 5000) || got.value != 6)
			_exit(5);
		_exit(0);
	}

	ASSERT_EQ(KERN_SUCCESS, mach_msg(&buf.msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(buf), server, 5000, MACH_PORT_NULL));
	struct complex_msg *m = &buf.msg;
	mach_port_type_t type;
	ASSERT_TRUE(m->header.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	ASSERT_EQ(4, m->body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)m->send.disposition);
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), m->send.name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, (int)m->receive.disposition);
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), m->receive.name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	ASSERT_EQ(3 * getpagesize(), (int)m->data.size);
	for (size_t i = 0; i < m->data.size; i++)
		ASSERT_EQ((unsigned char)(i * 7), ((unsigned char *)m->data.address)[i]);
	EXPECT_EQ(0, munmap(m->data.address, m->data.size));
	ASSERT_EQ(2, m->ports.count);
	mach_port_t *names = m->ports.address;
	EXPECT_EQ(m->send.name, names[0]);	/* coalesced: one name per port */
	EXPECT_EQ(MACH_PORT_NULL, names[1]);
	munmap(names, sizeof(mach_port_t) * 2);

	/* The receive right works here now: the child's message arrives. */
	struct received got;
	ASSERT_EQ(KERN_SUCCESS, receive(m->receive.name, &got, MACH_RCV_TIMEOUT, 5000));
	EXPECT_EQ(5, got.value);
	ASSERT_EQ(KERN_SUCCESS, send_value(m->send.name, MACH_MSG_TYPE_MOVE_SEND, 0, 6, 0));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

struct notice {
	mach_msg_header_t header;
	NDR_record_t ndr;
	unsigned int value;
	mach_msg_trailer_t trailer;
};

/* The child becomes a task holding a send right (its inherited bootstrap
 * port) and waits to be killed. */
static pid_t holder(int ready)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (mach_task_self() == MACH_PORT_NULL || !MACH_PORT_VALID(bootstrap_port))
			_exit(1);
		(void)!write(ready, "x", 1);
		pause();
		_exit(0);
	}
	return pid;
}

TEST_F(msg, no_senders_when_the_last_sender_exits)
{
	mach_port_t me = mach_task_self(), port = new_port(), listener = new_port(), previous;
	struct notice n;
	int ready[2], status;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT, port));
	pid_t pid = made_child(&self->made, holder(ready[1]));
	ASSERT_EQ(1, read(ready[0], &c, 1));
	/* Only the child's task holds a send right now. */
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(me, port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(me, port, MACH_NOTIFY_NO_SENDERS, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	EXPECT_EQ(MACH_PORT_NULL, previous);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg(&n.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					       sizeof(n), listener, 100, MACH_PORT_NULL));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&n.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(n), listener, 5000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, n.header.msgh_id);
	EXPECT_EQ(listener, n.header.msgh_local_port);
}

TEST_F(msg, dead_name_notification_when_the_receiver_exits)
{
	mach_port_t me = mach_task_self(), port = new_port(), listener = new_port(), previous;
	mach_port_urefs_t refs;
	struct received msg;
	struct notice n;
	int hold[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(hold));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT, port));
	pid = made_child(&self->made, receiver_child(hold));
	ASSERT_GE(pid, 0);
	close(hold[0]);
	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 5000));
	mach_port_t theirs = msg.header.msgh_remote_port;
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(me, theirs, MACH_NOTIFY_DEAD_NAME, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	close(hold[1]);		/* the child exits; its receive right dies */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&n.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(n), listener, 5000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_DEAD_NAME, n.header.msgh_id);
	EXPECT_EQ(theirs, n.value);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(me, theirs, MACH_PORT_RIGHT_DEAD_NAME, &refs));
	EXPECT_EQ(2, refs);
}

/*
 * A task's dead name comes once its process is through: every file it
 * held is closed by then, as it is when waitpid() returns. The child holds
 * the write end of a pipe and many more files; once the parent is told its
 * task is dead, the pipe reads as ended, not as empty.
 */
TEST_F(msg, dead_task_has_closed_its_files)
{
	mach_port_t own = mach_task_self(), server = new_port(), notify = new_port();

	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(own, TASK_BOOTSTRAP_PORT, server));
	for (int i = 0; i < 20; i++) {
		mach_dead_name_notification_t note;
		int data[2], go[2], status;
		mach_port_t child_task, previous;
		struct received msg;
		char c;
		pid_t pid;

		ASSERT_EQ(0, pipe(data));
		ASSERT_EQ(0, pipe(go));
		pid = made_fork(&self->made);
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			/*
			 * Files opened after the pipe and before /dev/mach: on
			 * the way out they are let go after it, the pipe last.
			 */
			for (int f = 0; f < 200; f++)
				open("/dev/null", O_RDONLY);
			/* Our own task: bootstrap_port is named in it. */
			mach_port_t me = mach_task_self();
			mach_msg_header_t hello = {
				.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							    MACH_MSG_TYPE_COPY_SEND),
				.msgh_size = sizeof(hello),
				.msgh_remote_port = bootstrap_port,
				.msgh_local_port = me,
			};

			close(data[0]);
			close(go[1]);
			if (mach_msg(&hello, MACH_SEND_MSG, sizeof(hello), 0, MACH_PORT_NULL,
				     0, MACH_PORT_NULL))
				_exit(1);
			_exit(read(go[0], &c, 1) == 0 ? 0 : 2);	/* data[1] still open */
		}
		close(data[1]);
		close(go[0]);
		ASSERT_EQ(KERN_SUCCESS, receive(server, &msg, MACH_RCV_TIMEOUT, 5000));
		child_task = msg.header.msgh_remote_port;
		ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(own, child_task,
					MACH_NOTIFY_DEAD_NAME, 0, notify,
					MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
		ASSERT_EQ(0, fcntl(data[0], F_SETFL, O_NONBLOCK));
		close(go[1]);		/* the child exits */
		ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&note.not_header,
						     MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						     sizeof(note), notify, 5000, MACH_PORT_NULL));
		EXPECT_EQ(child_task, note.not_port);
		EXPECT_EQ(0, read(data[0], &c, 1)) TH_LOG("pipe still held (errno %d)", errno);
		close(data[0]);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
		mach_port_destroy(own, child_task);
	}
	task_set_special_port(own, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	mach_port_destroy(own, server);
	mach_port_destroy(own, notify);
}

TEST_F(msg, port_sets)
{
	mach_port_t me = mach_task_self(), set, a = new_port(), b = new_port();
	struct pollfd pfd;
	struct received msg;
	mach_port_type_t type;
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(me, set, &type));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type);
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(me, a, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(me, b, set));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(me, a, b));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_move_member(me, 1 << 20, set));

	mach_port_name_array_t members;
	mach_msg_type_number_t count;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(me, set, &members, &count));
	ASSERT_EQ(2, count);
	EXPECT_TRUE((members[0] == a && members[1] == b) || (members[0] == b && members[1] == a));
	munmap(members, count * sizeof(*members));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_set_status(me, a, &members, &count));

	/* A receive blocked on the set wakes for a message to a member that
	 * another process sends. */
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT, b));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* bootstrap_port is set by the first Mach call, as the task is. */
		if (mach_task_self() == MACH_PORT_NULL)
			_exit(2);
		usleep(100000);
		_exit(send_value(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, 0, 33, 0) ? 1 : 0);
	}
	ASSERT_EQ(KERN_SUCCESS, receive(set, &msg, MACH_RCV_TIMEOUT, 5000));
	EXPECT_EQ(33, msg.value);
	EXPECT_EQ(b, msg.header.msgh_local_port);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* The set's fd polls readable while any member has a message. */
	pfd.fd = set;
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(KERN_SUCCESS, send_value(a, MACH_MSG_TYPE_COPY_SEND, 0, 44, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	ASSERT_EQ(KERN_SUCCESS, receive(set, &msg, MACH_RCV_TIMEOUT, 0));
	EXPECT_EQ(44, msg.value);
	EXPECT_EQ(a, msg.header.msgh_local_port);
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	/* Destroying the set leaves the members' receive rights alone. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(me, set));
	ASSERT_EQ(KERN_SUCCESS, send_value(a, MACH_MSG_TYPE_COPY_SEND, 0, 55, 0));
	ASSERT_EQ(KERN_SUCCESS, receive(a, &msg, MACH_RCV_TIMEOUT, 0));
	EXPECT_EQ(55, msg.value);
}

TEST(names_and_extract_right)
{
	mach_port_t self = mach_task_self(), port = new_port(), dead, got;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, nt;
	mach_msg_type_name_t type;
	int seen = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(self, &names, &n, &types, &nt));
	ASSERT_EQ(n, nt);
	for (unsigned int i = 0; i < n; i++) {
		if (names[i] == self && types[i] == MACH_PORT_TYPE_SEND)
			seen |= 1;
		if (names[i] == port && types[i] == MACH_PORT_TYPE_SEND_RECEIVE)
			seen |= 2;
		if (names[i] == dead && types[i] == MACH_PORT_TYPE_DEAD_NAME)
			seen |= 4;
	}
	EXPECT_EQ(7, seen);
	EXPECT_EQ(3, (int)n);

	/* A right extracted from the own space comes back under its name. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND, &got, &type));
	EXPECT_EQ(port, got);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, type);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_right(self, dead, MACH_MSG_TYPE_COPY_SEND, &got, &type));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_extract_right(self, 1 << 20, MACH_MSG_TYPE_COPY_SEND, &got, &type));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_extract_right(self, port, 3, &got, &type));
}

TEST_F(msg, rights_taken_with_pidfd_getfd_are_inert)
{
	mach_port_t port = new_port();
	int ready[2], done[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t mine = new_port();
		char c;

		(void)!write(ready[1], &mine, sizeof(mine));
		(void)!read(done[0], &c, 1);
		_exit(0);
	}
	mach_port_t theirs;
	ASSERT_EQ(sizeof(theirs), read(ready[0], &theirs, sizeof(theirs)));
	int pidfd = syscall(434 /* pidfd_open */, pid, 0);
	ASSERT_GE(pidfd, 0);
	int fd = syscall(438 /* pidfd_getfd */, pidfd, theirs, 0);
	ASSERT_GE(fd, 0) TH_LOG("pidfd_getfd: %s", strerror(errno));
	/* The child's receive right, as a file here: no right of this task. */
	struct received msg;
	EXPECT_EQ(MACH_RCV_INVALID_NAME, receive(fd, &msg, MACH_RCV_TIMEOUT, 0));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_value(fd, MACH_MSG_TYPE_MAKE_SEND, 0, 1, MACH_SEND_TIMEOUT));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_deallocate(mach_task_self(), fd));
	(void)port;
	close(fd);
	close(pidfd);
	(void)!write(done[1], "x", 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

TEST(null_and_dead_names_name_nothing)
{
	mach_port_t self = mach_task_self(), port = new_port(), previous, got;
	mach_port_t bad[2] = { MACH_PORT_NULL, MACH_PORT_DEAD };
	mach_msg_type_name_t type;

	for (int i = 0; i < 2; i++) {
		mach_port_t name = bad[i];

		EXPECT_NE(KERN_SUCCESS, mach_port_insert_right(self, name, name, MACH_MSG_TYPE_MAKE_SEND));
		EXPECT_NE(KERN_SUCCESS, mach_port_move_member(self, name, port));
		EXPECT_EQ(KERN_INVALID_NAME, mach_port_request_notification(self, name,
				MACH_NOTIFY_NO_SENDERS, 0, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
		EXPECT_NE(KERN_SUCCESS, mach_port_extract_right(self, name, MACH_MSG_TYPE_COPY_SEND, &got, &type));
		EXPECT_NE(KERN_SUCCESS, mach_port_set_mscount(self, name, 1));
	}
	/* The port is untouched by all of it. */
	mach_port_type_t t;
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self, port, &t));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, t);
}

TEST(mach_msg_server_once_answers_a_request)
{
	mach_port_t server = new_port(), reply = new_port();
	union rpc buf;

	make_request(&buf, server, reply, 7, 21);

	ASSERT_EQ(KERN_SUCCESS, mach_msg(&buf.req.header, MACH_SEND_MSG, sizeof(buf.req), 0,
					 MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_msg_server_once(double_it, 256, server, 0));
	ASSERT_EQ(KERN_SUCCESS, receive(reply, &buf.answer, MACH_RCV_TIMEOUT, 1000));
	EXPECT_EQ(107, buf.answer.header.msgh_id);
	EXPECT_EQ(42, buf.answer.value);
}

TEST(rcv_large_keeps_the_message_and_reports_its_size)
{
	mach_port_t port = new_port();
	struct received msg;
	mach_msg_header_t small;

	ASSERT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 5, 0));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&small, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT,
					      0, sizeof(small), port, 0, MACH_PORT_NULL));
	EXPECT_EQ(sizeof(struct request) + sizeof(mach_msg_trailer_t), small.msgh_size);
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(msg), port, 0, MACH_PORT_NULL));
	EXPECT_EQ(5, msg.value);
	/* Without MACH_RCV_LARGE a message too large is dropped. */
	ASSERT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 6, 0));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&small, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					      sizeof(small), port, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, receive(port, &msg, MACH_RCV_TIMEOUT, 0));
}

TEST(receive_right_works_with_epoll)
{
	mach_port_t port = new_port();
	struct epoll_event ev = { .events = EPOLLIN }, got;
	struct received msg;
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_GE(ep, 0);
	ev.data.u32 = port;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, port, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	ASSERT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 8, 0));
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 1000));
	EXPECT_EQ(port, got.data.u32);
	ASSERT_EQ(KERN_SUCCESS, receive(port, &msg, MACH_RCV_TIMEOUT, 0));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	close(ep);
}

TEST(make_send_count)
{
	mach_port_t self = mach_task_self(), port = new_port();
	mach_port_status_t status;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self, port, MACH_PORT_RECEIVE_STATUS,
							 (mach_port_info_t)&status, &count));
	EXPECT_EQ(2, status.mps_mscount);	/* every make-send counts, coalesced or not */
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(self, port, 40));
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self, port, MACH_PORT_RECEIVE_STATUS,
							 (mach_port_info_t)&status, &count));
	EXPECT_EQ(40, status.mps_mscount);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_mscount(self, self, 1));
}

TEST(malformed_messages_take_nothing_from_the_sender)
{
	mach_port_t self = mach_task_self(), port = new_port(), other = new_port();
	mach_port_urefs_t refs;
	struct complex_msg m;
	struct request r;

	/* Header troubles. */
	memset(&r, 0, sizeof(r));
	r.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	r.header.msgh_remote_port = port;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, mach_msg(&r.header, MACH_SEND_MSG, 20, 0, 0, 0, 0));
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, mach_msg(&r.header, MACH_SEND_MSG, 26, 0, 0, 0, 0));
	r.header.msgh_bits = MACH_MSGH_BITS(5, 0);
	EXPECT_EQ(MACH_SEND_INVALID_HEADER, mach_msg(&r.header, MACH_SEND_MSG, sizeof(r), 0, 0, 0, 0));
	r.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	r.header.msgh_local_port = other;	/* a local port without a disposition */
	EXPECT_EQ(MACH_SEND_INVALID_HEADER, mach_msg(&r.header, MACH_SEND_MSG, sizeof(r), 0, 0, 0, 0));
	r.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	EXPECT_EQ(MACH_SEND_INVALID_REPLY, mach_msg(&r.header, MACH_SEND_MSG, sizeof(r), 0, 0, 0, 0));
	r.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	r.header.msgh_local_port = MACH_PORT_NULL;
	r.header.msgh_remote_port = 1 << 20;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_msg(&r.header, MACH_SEND_MSG, sizeof(r), 0, 0, 0, 0));
	EXPECT_EQ(MACH_SEND_INVALID_DATA, mach_msg((mach_msg_header_t *)8, MACH_SEND_MSG,
						   sizeof(r), 0, 0, 0, 0));

	/* Descriptor troubles: a good port descriptor rides along each time
	 * and must stay with the sender. */
	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_remote_port = port;
	m.body.msgh_descriptor_count = 2;
	m.send.name = other;
	m.send.disposition = MACH_MSG_TYPE_MOVE_SEND;
	m.send.type = MACH_MSG_PORT_DESCRIPTOR;
	m.receive.name = 1 << 20;		/* no such right */
	m.receive.disposition = MACH_MSG_TYPE_MOVE_SEND;
	m.receive.type = MACH_MSG_PORT_DESCRIPTOR;
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, mach_msg(&m.header, MACH_SEND_MSG,
						    offsetof(struct complex_msg, data), 0, 0, 0, 0));
	m.receive.name = other;
	m.receive.disposition = 3;		/* not a disposition */
	EXPECT_EQ(MACH_SEND_INVALID_TYPE, mach_msg(&m.header, MACH_SEND_MSG,
						   offsetof(struct complex_msg, data), 0, 0, 0, 0));
	m.receive.disposition = MACH_MSG_TYPE_MOVE_SEND;
	m.receive.type = 9;			/* not a descriptor */
	EXPECT_EQ(MACH_SEND_INVALID_TYPE, mach_msg(&m.header, MACH_SEND_MSG,
						   offsetof(struct complex_msg, data), 0, 0, 0, 0));
	m.body.msgh_descriptor_count = 3;	/* more than fit */
	m.receive.type = MACH_MSG_PORT_DESCRIPTOR;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, mach_msg(&m.header, MACH_SEND_MSG,
						    offsetof(struct complex_msg, data), 0, 0, 0, 0));
	m.body.msgh_descriptor_count = 2;
	m.receive = (mach_msg_port_descriptor_t){ 0 };
	m.data.address = (void *)8;		/* out-of-line bytes that are not there */
	m.data.size = 100;
	m.data.type = MACH_MSG_OOL_DESCRIPTOR;
	memmove(&m.receive, &m.data, sizeof(m.data));
	EXPECT_EQ(MACH_SEND_INVALID_MEMORY, mach_msg(&m.header, MACH_SEND_MSG,
						     sizeof(m.header) + sizeof(m.body) +
						     sizeof(m.send) + sizeof(m.data), 0, 0, 0, 0));
	/* Through all of it: the sender still has every right it had. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(self, port, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(self, other, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);
	struct received got;
	EXPECT_EQ(MACH_RCV_TIMED_OUT, receive(port, &got, MACH_RCV_TIMEOUT, 0));
}

TEST(insert_right_dispositions)
{
	mach_port_t self = mach_task_self(), port = new_port(), once;
	mach_port_urefs_t refs;
	mach_msg_type_name_t type;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self, port, port, MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(self, port, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(2, refs);
	/* Moved onto the name it had: nothing changes. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MOVE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(self, port, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(2, refs);
	/* A send-once right needs a name of its own: this one is taken. */
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &once, &type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, type);
	EXPECT_NE(port, once);
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(self, once, once, MACH_MSG_TYPE_MOVE_SEND_ONCE));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_right(self, once, once, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MACH_SEND_INVALID_TYPE, mach_port_insert_right(self, port, port, 5));

	/* Under a name of the caller's choosing: a send-once right only. */
	mach_port_t chosen = 200;
	ASSERT_EQ(-1, fcntl(chosen, F_GETFD));	/* a free fd number */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(self, chosen, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self, chosen, port, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self, chosen, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type);
	EXPECT_LE(0, fcntl(chosen, F_GETFD));	/* the right is that fd */
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(self, chosen, port, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(self, chosen));
}

TEST(send_once_and_port_destroyed_notifications)
{
	mach_port_t self = mach_task_self(), port = new_port(), listener = new_port(), once, previous;
	mach_msg_type_name_t type;
	struct notice n;
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t right;
		mach_msg_trailer_t trailer;
	} destroyed;

	/* A send-once right that goes unused tells its port so. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self, listener, MACH_MSG_TYPE_MAKE_SEND_ONCE,
							&once, &type));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(self, once));
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&n.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(n),
					 listener, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, n.header.msgh_id);

	/* A receive right destroyed with a port-destroyed request goes to
	 * the requester instead of dying. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(self, port, MACH_NOTIFY_PORT_DESTROYED, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&destroyed.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(destroyed), listener, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_PORT_DESTROYED, destroyed.header.msgh_id);
	ASSERT_TRUE(destroyed.header.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	mach_port_t back = destroyed.right.name;
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, (int)destroyed.right.disposition);
	/* The port lives on: the send right we kept reaches it. */
	struct received got;
	ASSERT_EQ(KERN_SUCCESS, send_value(port, MACH_MSG_TYPE_COPY_SEND, 0, 3, 0));
	ASSERT_EQ(KERN_SUCCESS, receive(back, &got, MACH_RCV_TIMEOUT, 1000));
	EXPECT_EQ(3, got.value);
}

/* A port-deleted or dead-name notice on listener (1 s at most): its id. */
static int notice_on(mach_port_t listener, struct notice *n)
{
	memset(n, 0, sizeof(*n));
	if (mach_msg(&n->header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*n), listener,
		     1000, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	return n->header.msgh_id;
}

/*
 * A name whose last right travels away is gone, and a dead-name request
 * it held is cancelled with a port-deleted notice (XNU's
 * ipc_right_copyin()). Kept with the request alone, the name still named
 * its port to the space, and a receive right copied out later joined
 * whatever right had that number by then.
 */
TEST(a_name_whose_last_right_moves_away_is_gone)
{
	mach_port_t self = mach_task_self(), port = new_port(), away = new_port();
	mach_port_t listener = new_port(), previous;
	mach_port_type_t type;
	struct notice n;

	/* A send right alone, with a dead-name request, moves away. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(away, port, MACH_MSG_TYPE_MOVE_RECEIVE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(self, port, MACH_NOTIFY_DEAD_NAME, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(away, port, MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self, port, &type));
	EXPECT_EQ(MACH_NOTIFY_PORT_DELETED, notice_on(listener, &n));
	EXPECT_EQ(port, n.value);

	/* A receive right alone (its send right deallocated first), the same. */
	port = new_port();
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(self, port, MACH_NOTIFY_DEAD_NAME, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(self, port));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(away, port, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self, port, &type));
	EXPECT_EQ(MACH_NOTIFY_PORT_DELETED, notice_on(listener, &n));
	mach_port_destroy(self, away);
	mach_port_destroy(self, listener);
}

/*
 * The road an unprivileged task took from a send right to a service's
 * receive right: a name left holding a dead-name request, its port's
 * send right received again under another name and let go, and a right
 * of another port at the number the space still had for it. A receive
 * right received then must get a name of its own.
 */
TEST(a_receive_right_received_never_joins_another_ports_name)
{
	mach_port_t self = mach_task_self(), port = new_port(), away = new_port();
	mach_port_t back = new_port(), listener = new_port(), previous, got, filler, other;
	mach_port_status_t status;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(away, port, MACH_MSG_TYPE_MOVE_RECEIVE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(self, port, MACH_NOTIFY_DEAD_NAME, 0,
				listener, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(back, port, MACH_MSG_TYPE_MOVE_SEND));
	got = receive_port(back);
	ASSERT_NE(MACH_PORT_NULL, got);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(self, got));
	mach_port_destroy(self, port);	/* what is left of the name, if anything */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &filler));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &other));

	got = receive_port(away);
	ASSERT_NE(MACH_PORT_NULL, got);
	EXPECT_NE(other, got) TH_LOG("the receive right joined another port's name");
	/* Each is its own port: a message to one is not on the other. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self, other, other, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, send_value(other, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 7, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self, got, MACH_PORT_RECEIVE_STATUS,
						       (mach_port_info_t)&status, &count));
	EXPECT_EQ(0, status.mps_msgcount);
	mach_port_t all[] = { got, other, filler, away, back, listener };

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		mach_port_destroy(self, all[i]);
}

/*
 * A receive right on its way may never be queued on a port whose own
 * receive right it carries, however indirectly (no one could receive
 * either). Another thread's send that fails to claim the same right
 * (here: it also names one receive right four thousand times, taken
 * first, refused after) must leave the first send's claim alone: when it
 * took it away, Q's right went onto X while X's sat on Q, a cycle of two
 * ports that outlived their task.
 */
#define CLAIM_NAMES 4000

static struct {
	mach_port_t x, d, names[CLAIM_NAMES];
	int stop;
} claim;

static void *claim_and_fail(void *arg)
{
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t x;
		mach_msg_ool_ports_descriptor_t many;
	} msg;

	while (!__atomic_load_n(&claim.stop, __ATOMIC_RELAXED)) {
		memset(&msg, 0, sizeof(msg));
		msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX;
		msg.header.msgh_size = sizeof(msg);
		msg.header.msgh_remote_port = claim.d;
		msg.body.msgh_descriptor_count = 2;
		msg.x.name = claim.x;
		msg.x.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		msg.x.type = MACH_MSG_PORT_DESCRIPTOR;
		msg.many.address = claim.names;
		msg.many.count = CLAIM_NAMES;
		msg.many.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		msg.many.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		msg.many.copy = MACH_MSG_VIRTUAL_COPY;
		mach_msg(&msg.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(msg), 0,
			 MACH_PORT_NULL, 0, MACH_PORT_NULL);
	}
	return arg;
}

TEST(a_failed_claim_leaves_another_sends_claim)
{
	mach_port_t self = mach_task_self(), q = new_port(), a = new_port();
	int cycles = 0, rounds = 0;
	pthread_t thread;
	time_t end = time(NULL) + 4;

	claim.x = new_port();
	claim.d = new_port();
	for (int i = 0; i < CLAIM_NAMES; i++)
		claim.names[i] = a;
	ASSERT_EQ(0, pthread_create(&thread, NULL, claim_and_fail, NULL));
	for (; !cycles && time(NULL) < end; rounds++) {
		/* X's receive right onto Q (it may be claimed by the other). */
		if (send_port_within(q, claim.x, MACH_MSG_TYPE_MOVE_RECEIVE, 0))
			continue;
		/* Q's onto X now closes a cycle: refused, however often tried. */
		for (int k = 0; k < 4 && !cycles; k++) {
			usleep(500);
			cycles += send_port_within(claim.x, q, MACH_MSG_TYPE_MOVE_RECEIVE, 0) ==
				  MACH_MSG_SUCCESS;
		}
		if (!cycles)
			claim.x = receive_port(q);
		ASSERT_NE(MACH_PORT_NULL, claim.x);
	}
	__atomic_store_n(&claim.stop, 1, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	EXPECT_EQ(0, cycles) TH_LOG("a cycle after %d rounds: X on Q and Q on X", rounds);
	TH_LOG("%d rounds", rounds);
	if (!cycles)
		mach_port_destroy(self, claim.x);
	mach_port_destroy(self, q);
	mach_port_destroy(self, claim.d);
	mach_port_destroy(self, a);
}

TEST_HARNESS_MAIN
