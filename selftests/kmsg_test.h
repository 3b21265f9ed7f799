/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftests of the message front end share: requests built by
 * hand in XNU's MIG layouts and sent as a MIG user stub sends them, and a
 * proxy, a port that stands in for a kernel object by relaying each
 * request to it and its reply back.
 */
#ifndef MACH_KMSG_TEST_H
#define MACH_KMSG_TEST_H

#include <pthread.h>
#include <string.h>

#include <mach/mach.h>

#include "mach_test.h"

#define COMPLEX MACH_MSGH_BITS_COMPLEX

#pragma pack(push, 4)
struct request {
	mach_msg_header_t head;
	union {
		struct {	/* simple: NDR, then words */
			NDR_record_t ndr;
			uint32_t w[300];
		} s;
		struct {	/* complex: one port, NDR, then words */
			mach_msg_body_t body;
			mach_msg_port_descriptor_t port;
			NDR_record_t ndr;
			uint32_t w[8];
		} c;
	};
};

struct reply {
	mach_msg_header_t head;
	union {
		struct {
			NDR_record_t ndr;
			kern_return_t ret;
			uint32_t w[300];
		} s;
		struct {
			mach_msg_body_t body;
			mach_msg_port_descriptor_t port;
		} c;
	};
	mach_msg_max_trailer_t trailer;
};
#pragma pack(pop)

/* Sizes of a simple request with n words after NDR, and of its reply. */
#define SIMPLE(n) ((mach_msg_size_t)(sizeof(mach_msg_header_t) + 8 + 4 * (n)))
#define COMPLEX_ONE_PORT(n) ((mach_msg_size_t)(sizeof(mach_msg_header_t) + 4 + 12 + 8 + 4 * (n)))

/* The request and its reply share a buffer, as in MIG's stubs. */
union exchange {
	struct request in;
	struct reply out;
};

/*
 * As a MIG user stub calls: the request to target with the thread's reply
 * port (a send-once right made from it), and its reply received in place.
 */
static inline mach_msg_return_t call(mach_port_t target, mach_msg_id_t id, union exchange *x,
			      mach_msg_size_t size, mach_msg_type_name_t target_type)
{
	mach_port_t reply = mig_get_reply_port();
	struct request *in = &x->in;
	mach_msg_return_t mr;

	in->head.msgh_bits = (in->head.msgh_bits & COMPLEX) |
			     MACH_MSGH_BITS(target_type, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	in->head.msgh_size = size;
	in->head.msgh_remote_port = target;
	in->head.msgh_local_port = reply;
	in->head.msgh_voucher_port = MACH_PORT_NULL;
	in->head.msgh_id = id;
	if (!(in->head.msgh_bits & COMPLEX))
		in->s.ndr = NDR_record;	/* (a complex request's is its caller's) */
	mr = mach_msg(&in->head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, size,
		      sizeof(*x), reply, 10000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		mig_dealloc_reply_port(reply);
	return mr;
}

/* A request carrying one port descriptor, then NDR and its words (x->in.c.w). */
static inline void one_port(union exchange *x, mach_port_t name, mach_msg_type_name_t disposition)
{
	memset(x, 0, sizeof(*x));
	x->in.head.msgh_bits = COMPLEX;
	x->in.c.body.msgh_descriptor_count = 1;
	x->in.c.port.name = name;
	x->in.c.port.disposition = disposition;
	x->in.c.port.type = MACH_MSG_PORT_DESCRIPTOR;
	x->in.c.ndr = NDR_record;
}

static inline kern_return_t simple_call(mach_port_t target, mach_msg_id_t id, const uint32_t *words,
				 int n, struct reply *out)
{
	union exchange x;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	memcpy(x.in.s.w, words, 4 * n);
	if (call(target, id, &x, n ? SIMPLE(n) : sizeof(mach_msg_header_t),
		 MACH_MSG_TYPE_COPY_SEND) != MACH_MSG_SUCCESS)
		return MIG_SERVER_DIED;
	*out = x.out;
	return out->head.msgh_id != id + 100 ? MIG_REPLY_MISMATCH :
	       (out->head.msgh_bits & COMPLEX) ? KERN_SUCCESS : out->s.ret;
}

struct proxy {
	mach_port_t port;	/* ours: the stand-in, receive and send right */
	mach_port_t real;	/* the object it stands for */
	int forwarded;		/* requests relayed */
	pthread_t thread;
};

union proxy_buffer {
	mach_msg_header_t head;
	char bytes[8192];
};

/* Relays each request to the real object and its reply back, until told to stop. */
static inline void *proxy_main(void *arg)
{
	struct proxy *p = arg;
	mach_port_t reply = mach_reply_port();
	static __thread union proxy_buffer b;

	for (;;) {
		if (mach_msg(&b.head, MACH_RCV_MSG, 0, sizeof(b), p->port, MACH_MSG_TIMEOUT_NONE,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			break;
		if (b.head.msgh_id == 0x7a11)	/* stop */
			break;
		mach_port_t client = b.head.msgh_remote_port;	/* its send-once right */
		mach_msg_bits_t client_bits = MACH_MSGH_BITS_REMOTE(b.head.msgh_bits);

		b.head.msgh_bits = (b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
				   MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		b.head.msgh_remote_port = p->real;
		b.head.msgh_local_port = reply;
		mach_msg_return_t mr = mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG,
						b.head.msgh_size, sizeof(b), reply,
						MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);

		if ((mr & ~0xfffu) == 0x10000000) {	/* a send error: not delivered */
			/* What it carried goes; the client hears what a direct call does. */
			mig_reply_error_t *error = (mig_reply_error_t *)&b;

			/* Counted before the client can hear, as below. */
			__atomic_add_fetch(&p->forwarded, 1, __ATOMIC_RELEASE);
			b.head.msgh_bits &= MACH_MSGH_BITS_COMPLEX;
			b.head.msgh_remote_port = b.head.msgh_local_port = MACH_PORT_NULL;
			mach_msg_destroy(&b.head);
			error->Head.msgh_bits = MACH_MSGH_BITS(client_bits, 0);
			error->Head.msgh_size = sizeof(*error);
			error->Head.msgh_remote_port = client;
			error->Head.msgh_local_port = MACH_PORT_NULL;
			error->Head.msgh_id += 100;
			error->NDR = NDR_record;
			error->RetCode = mr;
			if (mach_msg(&error->Head, MACH_SEND_MSG, sizeof(*error), 0, MACH_PORT_NULL,
				     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
				mach_msg_destroy(&error->Head);
			continue;
		}
		if (mr != MACH_MSG_SUCCESS)
			break;
		__atomic_add_fetch(&p->forwarded, 1, __ATOMIC_RELEASE);
		/* The answer, as it came, to the client's reply right. */
		b.head.msgh_bits = (b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
				   MACH_MSGH_BITS(client_bits, 0);
		b.head.msgh_remote_port = client;
		b.head.msgh_local_port = MACH_PORT_NULL;
		if (mach_msg(&b.head, MACH_SEND_MSG, b.head.msgh_size, 0, MACH_PORT_NULL,
			     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			mach_msg_destroy(&b.head);
	}
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	return NULL;
}

static inline void proxy_start(struct proxy *p, mach_port_t real)
{
	p->port = new_port();
	p->real = real;
	p->forwarded = 0;
	pthread_create(&p->thread, NULL, proxy_main, p);
}

static inline void proxy_stop(struct proxy *p)
{
	mach_msg_header_t stop = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(stop),
		.msgh_remote_port = p->port,
		.msgh_id = 0x7a11,
	};

	mach_msg(&stop, MACH_SEND_MSG, sizeof(stop), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
	pthread_join(p->thread, NULL);
	mach_port_destroy(mach_task_self(), p->port);
}

#endif /* MACH_KMSG_TEST_H */
