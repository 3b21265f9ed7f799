// SPDX-License-Identifier: GPL-2.0
/*
 * Messages as XNU answers them: a send that cannot queue (timed out on a
 * full queue, or interrupted) gives its message back to the sender as
 * XNU's pseudo-receive does; port arrays and memory arrive with XNU's
 * deallocate flag; mach_msg_overwrite receives into its own buffer.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

struct simple {
	mach_msg_header_t header;
	int value;
};

struct simple_rcv {
	mach_msg_header_t header;
	int value;
	mach_msg_max_trailer_t trailer;
};

/* A message of each kind of descriptor. */
struct carrier {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t made;	/* MAKE_SEND of a receive right */
	mach_msg_port_descriptor_t moved;	/* MOVE_RECEIVE */
	mach_msg_ool_descriptor_t kept;		/* deallocate FALSE, virtual */
	mach_msg_ool_descriptor_t given;	/* deallocate TRUE, physical */
	mach_msg_ool_ports_descriptor_t array;	/* COPY_SEND */
};

struct carrier_rcv {
	struct carrier m;
	mach_msg_max_trailer_t trailer;
};

static mach_port_t self_task(void)
{
	return mach_task_self();
}

static mach_port_urefs_t refs(mach_port_t name, mach_port_right_t right)
{
	mach_port_urefs_t n = 12345;

	if (mach_port_get_refs(self_task(), name, right, &n))
		return 12345;
	return n;
}

static mach_port_type_t type_of(mach_port_t name)
{
	mach_port_type_t type = 0;

	if (mach_port_type(self_task(), name, &type))
		return 0;
	return type;
}

static mach_msg_type_number_t name_count(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n = 0, nt = 0;

	if (mach_port_names(self_task(), &names, &n, &types, &nt))
		return 0;
	vm_deallocate(self_task(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(self_task(), (vm_address_t)types, nt * sizeof(*types));
	return n;
}

/* A new receive right, and no other right under its name. */
static mach_port_t receive_right(void)
{
	mach_port_t port = MACH_PORT_NULL;

	if (mach_port_allocate(self_task(), MACH_PORT_RIGHT_RECEIVE, &port))
		return MACH_PORT_NULL;
	return port;
}

/* A port with a send right and room for one message, which it holds. */
static mach_port_t full_port(void)
{
	mach_port_limits_t limits = { .mpl_qlimit = 1 };
	struct simple m = { 0 };
	mach_port_t port = receive_right();

	if (mach_port_insert_right(self_task(), port, port, MACH_MSG_TYPE_MAKE_SEND) ||
	    mach_port_set_attributes(self_task(), port, MACH_PORT_LIMITS_INFO,
				     (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT))
		return MACH_PORT_NULL;
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.header.msgh_size = sizeof(m);
	m.header.msgh_remote_port = port;
	m.header.msgh_id = 1;
	if (mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL))
		return MACH_PORT_NULL;
	return port;
}

/* Takes the message that filled port: room for one more. */
static int make_room(mach_port_t port)
{
	struct simple_rcv r;

	return mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), port, 0,
			MACH_PORT_NULL) == KERN_SUCCESS && r.header.msgh_id == 1 ? 0 : -1;
}

static int mapped(const void *addr)
{
	unsigned char vec;

	return mincore((void *)addr, getpagesize(), &vec) == 0;
}

static void fill(unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 13 + seed);
}

static int same(const unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (unsigned char)(i * 13 + seed))
			return 0;
	return 1;
}

/*
 * A timed-out send of a message of every kind of right and memory comes
 * back as XNU's pseudo-receive leaves it: the header not swapped, each
 * right in the sender's space under the type it travels as, the memory
 * in fresh pages (the original gone where deallocate asked it). Sent
 * again as it is, it arrives whole; destroyed, it leaves nothing behind.
 */
TEST(timed_out_send_gives_the_message_back)
{
	size_t page = getpagesize();
	mach_port_t dest = full_port(), reply = receive_right(), made = receive_right();
	mach_port_t moved = receive_right(), listed = receive_right();
	mach_port_t array[2] = { listed, MACH_PORT_NULL };
	unsigned char *kept = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *given = mmap(NULL, page, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct carrier_rcv buf;
	struct carrier *m = &buf.m;
	mach_msg_type_number_t names_before;

	ASSERT_NE(MACH_PORT_NULL, dest);
	ASSERT_NE(MAP_FAILED, kept);
	ASSERT_NE(MAP_FAILED, given);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self_task(), listed, listed,
						       MACH_MSG_TYPE_MAKE_SEND));
	fill(kept, 2 * page, 1);
	fill(given, page, 2);
	names_before = name_count();

	memset(&buf, 0, sizeof(buf));
	m->header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			      MACH_MSGH_BITS_COMPLEX;
	m->header.msgh_size = 0;	/* the kernel's to set */
	m->header.msgh_remote_port = dest;
	m->header.msgh_local_port = reply;
	m->header.msgh_id = 4242;
	m->body.msgh_descriptor_count = 5;
	m->made.name = made;
	m->made.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m->made.type = MACH_MSG_PORT_DESCRIPTOR;
	m->moved.name = moved;
	m->moved.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m->moved.type = MACH_MSG_PORT_DESCRIPTOR;
	m->kept.address = kept;
	m->kept.size = 2 * page;
	m->kept.deallocate = FALSE;
	m->kept.copy = MACH_MSG_VIRTUAL_COPY;
	m->kept.type = MACH_MSG_OOL_DESCRIPTOR;
	m->given.address = given;
	m->given.size = page;
	m->given.deallocate = TRUE;
	m->given.copy = MACH_MSG_PHYSICAL_COPY;
	m->given.type = MACH_MSG_OOL_DESCRIPTOR;
	m->array.address = array;
	m->array.count = 2;
	m->array.deallocate = FALSE;
	m->array.copy = MACH_MSG_PHYSICAL_COPY;
	m->array.disposition = MACH_MSG_TYPE_COPY_SEND;
	m->array.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;

	ASSERT_EQ(MACH_SEND_TIMED_OUT, mach_msg(&m->header, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
						sizeof(*m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));

	/* The header: not swapped, the types rights travel as. */
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE) |
		  MACH_MSGH_BITS_COMPLEX, m->header.msgh_bits);
	EXPECT_EQ(sizeof(*m), m->header.msgh_size);
	EXPECT_EQ(dest, m->header.msgh_remote_port);	/* coalesced */
	EXPECT_EQ(2, refs(dest, MACH_PORT_RIGHT_SEND));	/* the copy came back */
	mach_port_t once = m->header.msgh_local_port;
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(once));
	EXPECT_EQ(4242, m->header.msgh_id);
	ASSERT_EQ(5, m->body.msgh_descriptor_count);

	/* Port descriptors: the rights are the sender's again. */
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)m->made.disposition);
	EXPECT_EQ(made, m->made.name);
	EXPECT_EQ(1, refs(made, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, (int)m->moved.disposition);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(m->moved.name));

	/* Memory: fresh pages; deallocate says the copy is virtual. */
	EXPECT_NE(kept, m->kept.address);
	ASSERT_EQ(2 * page, m->kept.size);
	EXPECT_TRUE(same(m->kept.address, 2 * page, 1));
	EXPECT_TRUE(same(kept, 2 * page, 1));	/* not given away */
	EXPECT_EQ(TRUE, (int)m->kept.deallocate);
	EXPECT_EQ(MACH_MSG_VIRTUAL_COPY, (int)m->kept.copy);
	ASSERT_EQ(page, m->given.size);
	EXPECT_TRUE(same(m->given.address, page, 2));
	/* Given away: its page is unmapped, or one of those given back. */
	unsigned char *back = m->kept.address;
	EXPECT_TRUE(!mapped(given) || given == m->given.address ||
		    given == (void *)m->array.address || (given >= back && given < back + 2 * page));
	EXPECT_EQ(FALSE, (int)m->given.deallocate);
	EXPECT_EQ(MACH_MSG_PHYSICAL_COPY, (int)m->given.copy);

	/* The port array: a fresh array, to be deallocated. */
	mach_port_t *names = m->array.address;
	ASSERT_NE(NULL, names);
	EXPECT_NE(&array[0], names);
	ASSERT_EQ(2, m->array.count);
	EXPECT_EQ(listed, names[0]);
	EXPECT_EQ(MACH_PORT_NULL, names[1]);
	EXPECT_EQ(2, refs(listed, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)m->array.disposition);
	EXPECT_EQ(TRUE, (int)m->array.deallocate);
	EXPECT_EQ(MACH_MSG_VIRTUAL_COPY, (int)m->array.copy);

	/* Sent again as it is, once there is room: it arrives whole. */
	ASSERT_EQ(0, make_room(dest));
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&m->header, MACH_SEND_MSG, sizeof(*m), 0,
					 MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(1, refs(dest, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0, type_of(once));		/* moved with the message */
	EXPECT_EQ(1, refs(listed, MACH_PORT_RIGHT_SEND));
	/* deallocate TRUE in the given-back descriptors: those pages went. */
	EXPECT_FALSE(mapped(m->kept.address));
	EXPECT_FALSE(mapped(names));
	EXPECT_TRUE(mapped(m->given.address));	/* deallocate FALSE: still ours */
	EXPECT_EQ(0, munmap(m->given.address, page));

	struct carrier_rcv got;
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&got.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(got), dest, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) |
		  MACH_MSGH_BITS_COMPLEX, got.m.header.msgh_bits);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(got.m.header.msgh_remote_port));
	EXPECT_EQ(made, got.m.made.name);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(got.m.moved.name));
	EXPECT_TRUE(same(got.m.kept.address, 2 * page, 1));
	EXPECT_TRUE(same(got.m.given.address, page, 2));
	EXPECT_EQ(listed, ((mach_port_t *)got.m.array.address)[0]);

	/* Destroyed, it leaves the sender as it was before the first send. */
	mach_msg_destroy(&got.m.header);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(made));
	EXPECT_EQ(1, refs(listed, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, refs(dest, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(reply));
	EXPECT_FALSE(mapped(got.m.kept.address));
	EXPECT_FALSE(mapped(got.m.given.address));
	/* The moved receive right died with the message: one name fewer. */
	EXPECT_EQ(names_before - 1, name_count());
	EXPECT_EQ(0, munmap(kept, 2 * page));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), dest));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), reply));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), made));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), listed));
}

/* Each header disposition comes back as the right it made travel. */
TEST(timed_out_send_rewrites_each_disposition)
{
	static const struct {
		mach_msg_type_name_t disp;
		mach_port_urefs_t send_after;	/* dest's send urefs, from 1 */
	} cases[] = {
		{ MACH_MSG_TYPE_COPY_SEND, 2 },
		{ MACH_MSG_TYPE_MOVE_SEND, 1 },
		{ MACH_MSG_TYPE_MAKE_SEND, 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mach_port_t dest = full_port();
		struct simple m = { 0 };

		ASSERT_NE(MACH_PORT_NULL, dest);
		m.header.msgh_bits = MACH_MSGH_BITS(cases[i].disp, 0);
		m.header.msgh_size = sizeof(m);
		m.header.msgh_remote_port = dest;
		m.header.msgh_local_port = MACH_PORT_NULL;
		m.header.msgh_id = 7;
		m.value = 99;
		ASSERT_EQ(MACH_SEND_TIMED_OUT, mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
							sizeof(m), 0, MACH_PORT_NULL, 1,
							MACH_PORT_NULL));
		EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, 0), m.header.msgh_bits);
		EXPECT_EQ(dest, m.header.msgh_remote_port);
		EXPECT_EQ(MACH_PORT_NULL, m.header.msgh_local_port);
		EXPECT_EQ(99, m.value);
		EXPECT_EQ(cases[i].send_after, refs(dest, MACH_PORT_RIGHT_SEND)) {
			TH_LOG("disposition %u", cases[i].disp);
		}
		/* mach_msg_destroy frees what the header carries: the count
		 * is the one before the send, less the move. */
		mach_msg_destroy(&m.header);
		EXPECT_EQ(cases[i].send_after - 1, refs(dest, MACH_PORT_RIGHT_SEND));
		EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), dest));
	}

	/* MAKE_SEND_ONCE as destination: a send-once right under a new name. */
	mach_port_t port = receive_right();
	struct simple m = { 0 };
	mach_port_limits_t limits = { .mpl_qlimit = 1 };

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(self_task(), port, MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&limits,
							 MACH_PORT_LIMITS_INFO_COUNT));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.header.msgh_size = sizeof(m);
	m.header.msgh_remote_port = port;
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
					 0, MACH_PORT_NULL));
	/* A send-once message needs no room: it never times out. */
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	m.header.msgh_remote_port = port;
	EXPECT_EQ(KERN_SUCCESS, mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m),
					 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), port));
}

struct blocked {
	mach_port_t dest, reply;
	mach_msg_option_t option;
	struct simple m;
	mach_msg_return_t mr;
	volatile int started;
};

static void on_usr1(int sig)
{
	(void)sig;
}

static void *blocked_send(void *arg)
{
	struct blocked *b = arg;

	b->m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					       MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b->m.header.msgh_size = sizeof(b->m);
	b->m.header.msgh_remote_port = b->dest;
	b->m.header.msgh_local_port = b->reply;
	b->m.header.msgh_id = 77;
	b->m.value = 1234;
	b->started = 1;
	b->mr = mach_msg(&b->m.header, MACH_SEND_MSG | b->option, sizeof(b->m), 0,
			 MACH_PORT_NULL, 0, MACH_PORT_NULL);
	return NULL;
}

/*
 * An interrupted send gives the message back too: with
 * MACH_SEND_INTERRUPT the caller has it; without, the library sends the
 * given-back message again, which arrives as the first would have.
 */
TEST(interrupted_send_gives_the_message_back)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	for (int interrupt = 1; interrupt >= 0; interrupt--) {
		struct blocked b = { .dest = full_port(), .reply = receive_right() };
		struct simple_rcv got;
		pthread_t th;

		ASSERT_NE(MACH_PORT_NULL, b.dest);
		b.option = interrupt ? MACH_SEND_INTERRUPT : 0;
		ASSERT_EQ(0, pthread_create(&th, NULL, blocked_send, &b));
		while (!b.started)
			usleep(1000);
		usleep(300000);		/* it waits by now */
		ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
		if (!interrupt) {
			usleep(200000);	/* waiting again */
			ASSERT_EQ(0, make_room(b.dest));
		}
		ASSERT_EQ(0, pthread_join(th, NULL));
		if (interrupt) {
			EXPECT_EQ(MACH_SEND_INTERRUPTED, b.mr);
			EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND,
						 MACH_MSG_TYPE_PORT_SEND_ONCE), b.m.header.msgh_bits);
			EXPECT_EQ(b.dest, b.m.header.msgh_remote_port);
			EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(b.m.header.msgh_local_port));
			EXPECT_EQ(2, refs(b.dest, MACH_PORT_RIGHT_SEND));
			EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(self_task(),
								     b.m.header.msgh_local_port));
			mach_msg_destroy(&b.m.header);
		} else {
			EXPECT_EQ(KERN_SUCCESS, b.mr);
			ASSERT_EQ(KERN_SUCCESS, mach_msg(&got.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
							 0, sizeof(got), b.dest, 1000,
							 MACH_PORT_NULL));
			EXPECT_EQ(77, got.header.msgh_id);
			EXPECT_EQ(1234, got.value);
			EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
						 MACH_MSG_TYPE_PORT_SEND), got.header.msgh_bits);
			/* The reply right works, and is the only one made. */
			struct simple answer = { .header = {
				.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
				.msgh_size = sizeof(answer),
				.msgh_remote_port = got.header.msgh_remote_port,
				.msgh_id = 78,
			} };
			EXPECT_EQ(KERN_SUCCESS, mach_msg(&answer.header, MACH_SEND_MSG,
							 sizeof(answer), 0, MACH_PORT_NULL, 0,
							 MACH_PORT_NULL));
			ASSERT_EQ(KERN_SUCCESS, mach_msg(&got.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
							 0, sizeof(got), b.reply, 1000,
							 MACH_PORT_NULL));
			EXPECT_EQ(78, got.header.msgh_id);
		}
		EXPECT_EQ(1, refs(b.dest, MACH_PORT_RIGHT_SEND));
		EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(b.reply));
		EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), b.dest));
		EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), b.reply));
	}
}

/*
 * A right the pseudo-receive has no name for (the process is out of file
 * descriptors) is lost, and its bit joins the answer, as on XNU: a
 * header's MACH_MSG_IPC_SPACE, a descriptor's with MACH_RCV_BODY_ERROR.
 */
TEST(pseudo_receive_without_a_free_name)
{
	mach_port_t dest = full_port(), reply = receive_right(), other = receive_right();
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t once;
	} m;
	struct simple_rcv notice;
	struct rlimit saved, low;
	int fds[64], n = 0, null = open("/dev/null", O_RDONLY);

	ASSERT_NE(MACH_PORT_NULL, dest);
	ASSERT_LE(0, null);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &saved));
	low = saved;
	low.rlim_cur = (rlim_t)null + 8;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &low));
	while (n < 64) {
		int fd = dup(null);

		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	ASSERT_EQ(EMFILE, errno);

	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.header.msgh_size = sizeof(m.header);
	m.header.msgh_remote_port = dest;
	m.header.msgh_local_port = reply;
	EXPECT_EQ(MACH_SEND_TIMED_OUT | MACH_MSG_IPC_SPACE,
		  mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m.header), 0,
			   MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(dest, m.header.msgh_remote_port);	/* its name stood */
	EXPECT_EQ(MACH_PORT_NULL, m.header.msgh_local_port);
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE),
		  m.header.msgh_bits);

	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_size = sizeof(m);
	m.header.msgh_remote_port = dest;
	m.body.msgh_descriptor_count = 1;
	m.once.name = other;
	m.once.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	m.once.type = MACH_MSG_PORT_DESCRIPTOR;
	EXPECT_EQ(MACH_SEND_TIMED_OUT | MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE,
		  mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			   MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(dest, m.header.msgh_remote_port);
	EXPECT_EQ(MACH_PORT_NULL, m.once.name);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, (int)m.once.disposition);

	while (n > 0)
		close(fds[--n]);
	close(null);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &saved));
	/* Each lost send-once right told its port, as an unused one does. */
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&notice.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(notice), reply, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notice.header.msgh_id);
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&notice.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(notice), other, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notice.header.msgh_id);
	EXPECT_EQ(2, refs(dest, MACH_PORT_RIGHT_SEND));	/* the copy came back */
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), dest));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), reply));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), other));
}

/*
 * Received, a port array has deallocate TRUE and a virtual copy however
 * it was sent; memory has deallocate TRUE for a virtual copy only. A
 * copy option that is neither is MACH_SEND_INVALID_TYPE.
 */
TEST(received_descriptors_have_xnus_deallocate)
{
	size_t page = getpagesize();
	mach_port_t port = receive_right();
	mach_port_t array[1] = { port };
	unsigned char *data = mmap(NULL, page, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_ool_descriptor_t physical;
		mach_msg_ool_descriptor_t virtual;
		mach_msg_ool_ports_descriptor_t ports;
		mach_msg_max_trailer_t trailer;
	} m;

	ASSERT_NE(MAP_FAILED, data);
	fill(data, page, 3);
	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_remote_port = port;
	m.body.msgh_descriptor_count = 3;
	m.physical = (mach_msg_ool_descriptor_t){ .address = data, .size = page,
		.deallocate = FALSE, .copy = MACH_MSG_PHYSICAL_COPY,
		.type = MACH_MSG_OOL_DESCRIPTOR };
	m.virtual = m.physical;
	m.virtual.copy = MACH_MSG_VIRTUAL_COPY;
	m.ports = (mach_msg_ool_ports_descriptor_t){ .address = array, .count = 1,
		.deallocate = FALSE, .copy = MACH_MSG_PHYSICAL_COPY,
		.disposition = MACH_MSG_TYPE_MAKE_SEND, .type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
	size_t size = offsetof(__typeof__(m), trailer);

	m.physical.copy = 2;	/* MACH_MSG_ALLOCATE: not for a send */
	EXPECT_EQ(MACH_SEND_INVALID_TYPE, mach_msg(&m.header, MACH_SEND_MSG, size, 0,
						   MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(port));	/* nothing taken */
	m.physical.copy = MACH_MSG_PHYSICAL_COPY;

	ASSERT_EQ(KERN_SUCCESS, mach_msg(&m.header, MACH_SEND_MSG | MACH_RCV_MSG, size,
					 sizeof(m), port, 0, MACH_PORT_NULL));
	EXPECT_EQ(FALSE, (int)m.physical.deallocate);
	EXPECT_EQ(MACH_MSG_PHYSICAL_COPY, (int)m.physical.copy);
	EXPECT_TRUE(same(m.physical.address, page, 3));
	EXPECT_EQ(TRUE, (int)m.virtual.deallocate);
	EXPECT_EQ(MACH_MSG_VIRTUAL_COPY, (int)m.virtual.copy);
	EXPECT_TRUE(same(m.virtual.address, page, 3));
	EXPECT_EQ(TRUE, (int)m.ports.deallocate);
	EXPECT_EQ(MACH_MSG_VIRTUAL_COPY, (int)m.ports.copy);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)m.ports.disposition);
	ASSERT_EQ(1, m.ports.count);
	EXPECT_EQ(port, ((mach_port_t *)m.ports.address)[0]);
	mach_msg_destroy(&m.header);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(port));
	EXPECT_TRUE(same(data, page, 3));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), port));
	munmap(data, page);
}

/* Answers any request with a RetCode of 0 through the right it came with. */
static boolean_t answer_ok(mach_msg_header_t *in, mach_msg_header_t *out)
{
	mig_reply_error_t *reply = (mig_reply_error_t *)out;

	reply->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	reply->Head.msgh_size = sizeof(*reply);
	reply->Head.msgh_remote_port = in->msgh_remote_port;
	reply->Head.msgh_local_port = MACH_PORT_NULL;
	reply->Head.msgh_id = in->msgh_id + 100;
	reply->NDR = NDR_record;
	reply->RetCode = KERN_SUCCESS;
	return TRUE;
}

/*
 * A server's reply through a send right to a full queue is given up at
 * once, comes back and is destroyed, as XNU's mach_msg_server_once
 * does: the server goes on, holding nothing more.
 */
TEST(server_destroys_a_reply_that_timed_out)
{
	mach_port_t service = receive_right(), client = full_port();
	struct simple request = { 0 };

	ASSERT_NE(MACH_PORT_NULL, client);
	request.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND,
						  MACH_MSG_TYPE_MAKE_SEND);
	request.header.msgh_size = sizeof(request);
	request.header.msgh_remote_port = service;
	request.header.msgh_local_port = client;
	request.header.msgh_id = 900;
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&request.header, MACH_SEND_MSG, sizeof(request), 0,
					 MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_msg_server_once(answer_ok, 256, service, 0));
	EXPECT_EQ(1, refs(client, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0, make_room(client));	/* the reply never came */
	struct simple_rcv none;
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg(&none.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					       sizeof(none), client, 0, MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), service));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), client));
}

/* A kernel object's MIG request and reply: task_info (3405). */
struct task_info_request {
	mach_msg_header_t header;
	NDR_record_t ndr;
	task_flavor_t flavor;
	mach_msg_type_number_t count;
};

struct task_info_reply {
	mach_msg_header_t header;
	NDR_record_t ndr;
	kern_return_t ret;
	mach_msg_type_number_t count;
	integer_t info[TASK_INFO_MAX];
	mach_msg_max_trailer_t trailer;
};

/*
 * mach_msg_overwrite sends from msg and receives into rcv_msg (rcv_size
 * bytes), leaving msg as it was; a null rcv_msg receives into msg.
 */
TEST(overwrite_receives_into_its_own_buffer)
{
	mach_port_t port = receive_right();
	struct simple out = { 0 }, copy;
	struct simple_rcv in;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self_task(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	out.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	out.header.msgh_size = sizeof(out);
	out.header.msgh_remote_port = port;
	out.header.msgh_id = 600;
	out.value = 31;
	copy = out;

	/* Send and receive in one call, each in its own buffer. */
	memset(&in, 0xa5, sizeof(in));
	ASSERT_EQ(KERN_SUCCESS, mach_msg_overwrite(&out.header, MACH_SEND_MSG | MACH_RCV_MSG |
						   MACH_RCV_TIMEOUT, sizeof(out), sizeof(in), port,
						   0, MACH_PORT_NULL, &in.header, 0));
	EXPECT_EQ(0, memcmp(&copy, &out, sizeof(out)));
	EXPECT_EQ(600, in.header.msgh_id);
	EXPECT_EQ(31, in.value);
	EXPECT_EQ(sizeof(out), in.header.msgh_size);
	EXPECT_EQ(port, in.header.msgh_local_port);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, in.trailer.msgh_trailer_type);

	/* Receive only, into rcv_msg (msg may be null). */
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&out.header, MACH_SEND_MSG, sizeof(out), 0,
					 MACH_PORT_NULL, 0, MACH_PORT_NULL));
	memset(&in, 0, sizeof(in));
	ASSERT_EQ(KERN_SUCCESS, mach_msg_overwrite(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						   sizeof(in), port, 0, MACH_PORT_NULL,
						   &in.header, 0));
	EXPECT_EQ(600, in.header.msgh_id);

	/* A null rcv_msg: into msg, as mach_msg. */
	struct simple_rcv both = { 0 };
	memcpy(&both, &out, sizeof(out));
	ASSERT_EQ(KERN_SUCCESS, mach_msg_overwrite(&both.header, MACH_SEND_MSG | MACH_RCV_MSG |
						   MACH_RCV_TIMEOUT, sizeof(out), sizeof(both),
						   port, 0, MACH_PORT_NULL, NULL, 0));
	EXPECT_EQ(port, both.header.msgh_local_port);
	EXPECT_EQ(31, both.value);

	/* Too small, with MACH_RCV_LARGE: the size needed lands in rcv_msg. */
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&out.header, MACH_SEND_MSG, sizeof(out), 0,
					 MACH_PORT_NULL, 0, MACH_PORT_NULL));
	memset(&in, 0, sizeof(in));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg_overwrite(NULL, MACH_RCV_MSG | MACH_RCV_LARGE |
							 MACH_RCV_TIMEOUT, 0,
							 sizeof(mach_msg_header_t), port, 0,
							 MACH_PORT_NULL, &in.header, 0));
	EXPECT_EQ(sizeof(out) + sizeof(mach_msg_trailer_t), in.header.msgh_size);
	ASSERT_EQ(KERN_SUCCESS, mach_msg_overwrite(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						   sizeof(in), port, 0, MACH_PORT_NULL,
						   &in.header, 0));

	/* Bad buffers: a send from nowhere receives nothing; a receive into
	 * nowhere loses the message, as on XNU. */
	void *nowhere = mmap(NULL, getpagesize(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, nowhere);
	EXPECT_EQ(MACH_SEND_INVALID_DATA, mach_msg_overwrite(nowhere, MACH_SEND_MSG | MACH_RCV_MSG |
							     MACH_RCV_TIMEOUT, sizeof(out),
							     sizeof(in), port, 0,
							     MACH_PORT_NULL, &in.header, 0));
	EXPECT_EQ(MACH_RCV_INVALID_DATA, mach_msg_overwrite(&out.header, MACH_SEND_MSG |
							    MACH_RCV_MSG | MACH_RCV_TIMEOUT,
							    sizeof(out), sizeof(in), port, 0,
							    MACH_PORT_NULL, nowhere, 0));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg_overwrite(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
							 0, sizeof(in), port, 0,
							 MACH_PORT_NULL, &in.header, 0));
	munmap(nowhere, getpagesize());
	EXPECT_EQ(1, refs(port, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), port));
}

/* A MIG call to a kernel object (answered in place) into rcv_msg. */
TEST(overwrite_calls_a_kernel_object)
{
	mach_port_t reply = receive_right();
	struct task_info_request req = { 0 }, copy;
	struct task_info_reply rep;

	req.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.header.msgh_size = sizeof(req);
	req.header.msgh_remote_port = self_task();
	req.header.msgh_local_port = reply;
	req.header.msgh_id = 3405;
	req.ndr = NDR_record;
	req.flavor = MACH_TASK_BASIC_INFO;
	req.count = MACH_TASK_BASIC_INFO_COUNT;
	copy = req;
	memset(&rep, 0, sizeof(rep));
	ASSERT_EQ(KERN_SUCCESS, mach_msg_overwrite(&req.header, MACH_SEND_MSG | MACH_RCV_MSG,
						   sizeof(req), sizeof(rep), reply, 0,
						   MACH_PORT_NULL, &rep.header, 0));
	EXPECT_EQ(0, memcmp(&copy, &req, sizeof(req)));
	EXPECT_EQ(3505, rep.header.msgh_id);
	EXPECT_EQ(KERN_SUCCESS, rep.ret);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, rep.count);
	EXPECT_EQ(reply, rep.header.msgh_local_port);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(reply));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), reply));
}

/* A timed-out send gives the message back into msg, never into rcv_msg. */
TEST(overwrite_gives_a_timed_out_send_back_into_msg)
{
	mach_port_t dest = full_port();
	struct simple out = { 0 };
	struct simple_rcv in;

	ASSERT_NE(MACH_PORT_NULL, dest);
	out.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	out.header.msgh_size = sizeof(out);
	out.header.msgh_remote_port = dest;
	out.value = 5;
	memset(&in, 0x5a, sizeof(in));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, mach_msg_overwrite(&out.header, MACH_SEND_MSG |
							  MACH_SEND_TIMEOUT | MACH_RCV_MSG,
							  sizeof(out), sizeof(in), dest, 0,
							  MACH_PORT_NULL, &in.header, 0));
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, 0), out.header.msgh_bits);
	EXPECT_EQ(dest, out.header.msgh_remote_port);
	EXPECT_EQ(2, refs(dest, MACH_PORT_RIGHT_SEND));
	for (size_t i = 0; i < sizeof(in); i++)
		ASSERT_EQ(0x5a, ((unsigned char *)&in)[i]);
	mach_msg_destroy(&out.header);
	EXPECT_EQ(1, refs(dest, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), dest));
}

/* Two port descriptors, and the message's header, in one. */
struct two_rights {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t first;
	mach_msg_port_descriptor_t second;
	mach_msg_max_trailer_t trailer;
};

/* Sends to box (by COPY_SEND) the rights first and second to name. */
static mach_msg_return_t send_two(mach_port_t box, mach_port_t name,
				  mach_msg_type_name_t first, mach_msg_type_name_t second)
{
	struct two_rights m;

	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
			     MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_size = offsetof(struct two_rights, trailer);
	m.header.msgh_remote_port = box;
	m.body.msgh_descriptor_count = 2;
	m.first = (mach_msg_port_descriptor_t){ .name = name, .disposition = first,
						.type = MACH_MSG_PORT_DESCRIPTOR };
	m.second = (mach_msg_port_descriptor_t){ .name = name, .disposition = second,
						 .type = MACH_MSG_PORT_DESCRIPTOR };
	return mach_msg(&m.header, MACH_SEND_MSG, m.header.msgh_size, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* Sends to dest (by dest_type) one port descriptor: name, as type. */
static mach_msg_return_t send_one(mach_port_t dest, mach_msg_type_name_t dest_type,
				  mach_port_t name, mach_msg_type_name_t type)
{
	struct two_rights m;

	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(dest_type, 0) | MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_size = offsetof(struct two_rights, second);
	m.header.msgh_remote_port = dest;
	m.body.msgh_descriptor_count = 1;
	m.first = (mach_msg_port_descriptor_t){ .name = name, .disposition = type,
						.type = MACH_MSG_PORT_DESCRIPTOR };
	return mach_msg(&m.header, MACH_SEND_MSG, m.header.msgh_size, 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/* port (a receive right) with one send right again, whatever a refused send took. */
static bool one_send_right(mach_port_t port)
{
	if (!(type_of(port) & MACH_PORT_TYPE_SEND) &&
	    mach_port_insert_right(self_task(), port, port, MACH_MSG_TYPE_MAKE_SEND))
		return false;
	return refs(port, MACH_PORT_RIGHT_SEND) == 1;
}

/* Sends port a message whose destination and reply are port, as dest and reply. */
static mach_msg_return_t send_to_itself(mach_port_t port, mach_msg_type_name_t dest,
					mach_msg_type_name_t reply)
{
	struct simple m;

	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(dest, reply);
	m.header.msgh_size = sizeof(m);
	m.header.msgh_remote_port = port;
	m.header.msgh_local_port = port;
	return mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/*
 * As XNU copies a message's rights in, one at a time, header first: a
 * COPY_SEND needs the send right to be there, and takes no user
 * reference, so one reference covers any number of copies and a move
 * after them; a copy after the move of the last one finds no right. The
 * header's two names, when they are one, are taken together: a move and
 * a copy need one reference.
 */
TEST(copy_sends_of_one_name_need_one_reference)
{
	mach_port_t box = receive_right(), port = receive_right();
	struct two_rights r;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self_task(), box, box,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self_task(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(1, refs(port, MACH_PORT_RIGHT_SEND));

	/* Two copies: the reference stays; two arrive. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_two(box, port, MACH_MSG_TYPE_COPY_SEND,
					     MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(1, refs(port, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(r), box, 0, MACH_PORT_NULL));
	EXPECT_EQ(port, r.first.name);
	EXPECT_EQ(port, r.second.name);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)r.second.disposition);
	EXPECT_EQ(3, refs(port, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(self_task(), port, MACH_PORT_RIGHT_SEND, -2));

	/* A copy, then the move of the last reference. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_two(box, port, MACH_MSG_TYPE_COPY_SEND,
					     MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(port));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(r), box, 0, MACH_PORT_NULL));
	EXPECT_EQ(2, refs(port, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(self_task(), port, MACH_PORT_RIGHT_SEND, -1));

	/* The move first: the copy, or a move, after it finds no right. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, send_two(box, port, MACH_MSG_TYPE_MOVE_SEND,
						    MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, send_two(box, port, MACH_MSG_TYPE_MOVE_SEND,
						    MACH_MSG_TYPE_MOVE_SEND));
	/* So does the body's, after the header's move of the last one. */
	ASSERT_TRUE(one_send_right(port));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, send_one(port, MACH_MSG_TYPE_MOVE_SEND, port,
						    MACH_MSG_TYPE_MOVE_SEND));

	/*
	 * The header's destination and reply, one name: two moves need two
	 * references (else it is the destination that is refused), a move
	 * and a copy one.
	 */
	ASSERT_TRUE(one_send_right(port));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_to_itself(port, MACH_MSG_TYPE_MOVE_SEND,
							 MACH_MSG_TYPE_MOVE_SEND));
	ASSERT_TRUE(one_send_right(port));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to_itself(port, MACH_MSG_TYPE_MOVE_SEND,
						   MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(port));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(r), port, 0, MACH_PORT_NULL));
	EXPECT_EQ(port, r.header.msgh_remote_port);	/* the copy, as the reply */
	EXPECT_EQ(1, refs(port, MACH_PORT_RIGHT_SEND));

	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), box));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), port));
}

/* A new dead name with one user reference. */
static mach_port_t dead_name(void)
{
	mach_port_t name = MACH_PORT_NULL;

	if (mach_port_allocate(self_task(), MACH_PORT_RIGHT_DEAD_NAME, &name))
		return MACH_PORT_NULL;
	return name;
}

/*
 * As XNU copies a message's body rights and its reply in (DEADOK): a dead
 * name travels as MACH_PORT_DEAD, and a move takes one of its user
 * references. The destination must be alive.
 */
TEST(dead_names_travel_as_dead)
{
	mach_port_t box = receive_right(), dead = dead_name(), other = dead_name();
	mach_port_t array[2];
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
		mach_msg_ool_ports_descriptor_t ports;
		mach_msg_max_trailer_t trailer;
	} m;
	struct two_rights two;
	struct simple_rcv r;

	ASSERT_NE(MACH_PORT_NULL, dead);
	ASSERT_NE(MACH_PORT_NULL, other);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self_task(), box, box,
						       MACH_MSG_TYPE_MAKE_SEND));

	/* A copy keeps the reference, a move takes it. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_two(box, dead, MACH_MSG_TYPE_COPY_SEND,
					     MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(0, type_of(dead));		/* its last reference moved */
	memset(&two, 0, sizeof(two));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&two.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(two), box, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_DEAD, two.first.name);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)two.first.disposition);
	EXPECT_EQ(MACH_PORT_DEAD, two.second.name);

	/* In an array, and as the reply. */
	array[0] = other;
	array[1] = MACH_PORT_NULL;
	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND) |
			     MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_size = offsetof(typeof(m), trailer);
	m.header.msgh_remote_port = box;
	m.header.msgh_local_port = other;
	m.body.msgh_descriptor_count = 2;
	m.port = (mach_msg_port_descriptor_t){ .name = MACH_PORT_NULL,
		.disposition = MACH_MSG_TYPE_COPY_SEND, .type = MACH_MSG_PORT_DESCRIPTOR };
	m.ports = (mach_msg_ool_ports_descriptor_t){ .address = array, .count = 2,
		.deallocate = FALSE, .copy = MACH_MSG_PHYSICAL_COPY,
		.disposition = MACH_MSG_TYPE_COPY_SEND, .type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.header, MACH_SEND_MSG, m.header.msgh_size, 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(1, refs(other, MACH_PORT_RIGHT_DEAD_NAME));
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(m), box, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_DEAD, m.header.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)MACH_MSGH_BITS_REMOTE(m.header.msgh_bits));
	EXPECT_EQ(MACH_PORT_NULL, m.port.name);
	ASSERT_EQ(2u, m.ports.count);
	EXPECT_EQ(MACH_PORT_DEAD, ((mach_port_t *)m.ports.address)[0]);
	EXPECT_EQ(MACH_PORT_NULL, ((mach_port_t *)m.ports.address)[1]);
	vm_deallocate(self_task(), (vm_address_t)m.ports.address, 2 * sizeof(mach_port_t));

	/* A reply named MACH_PORT_DEAD arrives as it was sent. */
	memset(&r, 0, sizeof(r));
	r.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	r.header.msgh_size = sizeof(struct simple);
	r.header.msgh_remote_port = box;
	r.header.msgh_local_port = MACH_PORT_DEAD;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.header, MACH_SEND_MSG, sizeof(struct simple), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(r), box, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_DEAD, r.header.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, (int)MACH_MSGH_BITS_REMOTE(r.header.msgh_bits));

	/*
	 * A send-once right whose port died is a dead name too: moved, it
	 * travels as MACH_PORT_DEAD, a send-once right.
	 */
	mach_port_t gone = receive_right(), once = MACH_PORT_NULL;
	mach_msg_type_name_t got;

	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self_task(), gone,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &once, &got));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(self_task(), gone, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_one(box, MACH_MSG_TYPE_COPY_SEND, once,
					     MACH_MSG_TYPE_MOVE_SEND_ONCE));
	EXPECT_EQ(0, type_of(once));
	memset(&two, 0, sizeof(two));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&two.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(two), box, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_DEAD, two.first.name);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, (int)two.first.disposition);

	/* A dead destination is refused, and keeps its reference. */
	memset(&r, 0, sizeof(r));
	r.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	r.header.msgh_size = sizeof(struct simple);
	r.header.msgh_remote_port = other;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_msg(&r.header, MACH_SEND_MSG, sizeof(struct simple),
						   0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
	EXPECT_EQ(1, refs(other, MACH_PORT_RIGHT_DEAD_NAME));

	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), box));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(self_task(), other));
}

TEST_HARNESS_MAIN
