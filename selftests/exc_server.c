// SPDX-License-Identifier: GPL-2.0
/*
 * The exception interfaces as MIG's code for XNU serves them: a request of
 * each of exc's and mach_exc's six routines, built by hand in XNU's layout
 * (<mach/exc.h>, <mach/mach_exc.h>), sent to a port of ours and received,
 * goes through exc_server() or mach_exc_server() to the catch_* routine
 * this program provides, with the arguments sent; the reply goes back to
 * the sender's reply right and says what the routine answered (and for
 * the state forms carries the state it set). A request MIG's server
 * checks refuse gets MIG's answer and reaches no routine. Last, the user
 * side: exception_raise and its kin sent to a port served by a thread of
 * ours running exc_server get the handler's answer.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/exc.h>
#include <mach/mach_exc.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define STATE_MAX THREAD_STATE_MAX

/* What the last catch_* routine to run was given. */
static struct {
	mach_msg_id_t routine;		/* its request's id; 0: none ran */
	mach_port_t port, thread, task;
	exception_type_t exception;
	mach_msg_type_number_t code_count;
	int64_t code[2];
	int flavor;
	mach_msg_type_number_t old_count;
	natural_t old_state[STATE_MAX];
	mach_msg_type_number_t room;	/* *new_stateCnt as the routine found it */
} seen;

/* What the routines answer: their return code and new state. */
static struct {
	kern_return_t ret;
	int flavor;
	mach_msg_type_number_t count;	/* words of new state, 0x5000 + i */
} handler;

static void reset(void)
{
	memset(&seen, 0, sizeof(seen));
	handler.ret = KERN_SUCCESS;
	handler.flavor = x86_FLOAT_STATE64;
	handler.count = 7;
}

static void saw(mach_msg_id_t id, mach_port_t port, mach_port_t thread, mach_port_t task,
		exception_type_t exception, mach_msg_type_number_t count)
{
	seen.routine = id;
	seen.port = port;
	seen.thread = thread;
	seen.task = task;
	seen.exception = exception;
	seen.code_count = count;
}

static kern_return_t state_answer(int *flavor, const natural_t *old_state,
				  mach_msg_type_number_t old_count, natural_t *new_state,
				  mach_msg_type_number_t *new_count)
{
	seen.flavor = *flavor;
	seen.old_count = old_count;
	memcpy(seen.old_state, old_state, 4 * (old_count < STATE_MAX ? old_count : STATE_MAX));
	seen.room = *new_count;
	*flavor = handler.flavor;
	for (unsigned int i = 0; i < handler.count && i < STATE_MAX; i++)
		new_state[i] = 0x5000 + i;
	*new_count = handler.count;
	return handler.ret;
}

static void saw_codes32(const integer_t *code, mach_msg_type_number_t count)
{
	for (unsigned int i = 0; i < count && i < 2; i++)
		seen.code[i] = code[i];
}

static void saw_codes64(const int64_t *code, mach_msg_type_number_t count)
{
	for (unsigned int i = 0; i < count && i < 2; i++)
		seen.code[i] = code[i];
}

kern_return_t catch_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
				    exception_type_t exception, exception_data_t code,
				    mach_msg_type_number_t count)
{
	saw(2401, port, thread, task, exception, count);
	saw_codes32(code, count);
	return handler.ret;
}

kern_return_t catch_exception_raise_state(mach_port_t port, exception_type_t exception,
					  const exception_data_t code,
					  mach_msg_type_number_t count, int *flavor,
					  const thread_state_t old_state,
					  mach_msg_type_number_t old_count, thread_state_t new_state,
					  mach_msg_type_number_t *new_count)
{
	saw(2402, port, MACH_PORT_NULL, MACH_PORT_NULL, exception, count);
	saw_codes32(code, count);
	return state_answer(flavor, old_state, old_count, new_state, new_count);
}

kern_return_t catch_exception_raise_state_identity(mach_port_t port, mach_port_t thread,
						   mach_port_t task, exception_type_t exception,
						   exception_data_t code,
						   mach_msg_type_number_t count, int *flavor,
						   thread_state_t old_state,
						   mach_msg_type_number_t old_count,
						   thread_state_t new_state,
						   mach_msg_type_number_t *new_count)
{
	saw(2403, port, thread, task, exception, count);
	saw_codes32(code, count);
	return state_answer(flavor, old_state, old_count, new_state, new_count);
}

kern_return_t catch_mach_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
					 exception_type_t exception, mach_exception_data_t code,
					 mach_msg_type_number_t count)
{
	saw(2405, port, thread, task, exception, count);
	saw_codes64(code, count);
	return handler.ret;
}

kern_return_t catch_mach_exception_raise_state(mach_port_t port, exception_type_t exception,
					       const mach_exception_data_t code,
					       mach_msg_type_number_t count, int *flavor,
					       const thread_state_t old_state,
					       mach_msg_type_number_t old_count,
					       thread_state_t new_state,
					       mach_msg_type_number_t *new_count)
{
	saw(2406, port, MACH_PORT_NULL, MACH_PORT_NULL, exception, count);
	saw_codes64(code, count);
	return state_answer(flavor, old_state, old_count, new_state, new_count);
}

kern_return_t catch_mach_exception_raise_state_identity(mach_port_t port, mach_port_t thread,
							mach_port_t task,
							exception_type_t exception,
							mach_exception_data_t code,
							mach_msg_type_number_t count, int *flavor,
							thread_state_t old_state,
							mach_msg_type_number_t old_count,
							thread_state_t new_state,
							mach_msg_type_number_t *new_count)
{
	saw(2407, port, thread, task, exception, count);
	saw_codes64(code, count);
	return state_answer(flavor, old_state, old_count, new_state, new_count);
}

/* Room for any request of the two subsystems (and a descriptor more), received. */
union request {
	mach_msg_header_t head;
	__Request__exception_raise_t raise;
	__Request__exception_raise_state_t state;
	__Request__exception_raise_state_identity_t state_identity;
	__Request__mach_exception_raise_t mach_raise;
	__Request__mach_exception_raise_state_t mach_state;
	__Request__mach_exception_raise_state_identity_t mach_state_identity;
	char bytes[sizeof(__Request__mach_exception_raise_state_identity_t) + 64 +
		   MAX_TRAILER_SIZE];
};

union reply {
	mach_msg_header_t head;
	mig_reply_error_t error;
	union __ReplyUnion__exc_subsystem exc;
	union __ReplyUnion__mach_exc_subsystem mach_exc;
	char bytes[sizeof(union __ReplyUnion__mach_exc_subsystem) + MAX_TRAILER_SIZE];
};

#define STATE_REPLY_SIZE(n) \
	((mach_msg_size_t)(offsetof(__Reply__exception_raise_state_t, new_state) + 4 * (n)))

FIXTURE(exc)
{
	mach_port_t port;	/* the exception port: receive and send right */
	mach_port_t reply;	/* the sender's reply port */
	mach_port_t thread;	/* ours, sent in the identity forms */
	union request in;	/* the request, as the server received it */
	union reply out;	/* the server's reply */
	union reply back;	/* the reply, as the sender received it */
};

FIXTURE_SETUP(exc)
{
	reset();
	self->port = new_port();
	self->reply = new_port();
	self->thread = mach_thread_self();
	ASSERT_NE(MACH_PORT_NULL, self->port);
	ASSERT_NE(MACH_PORT_NULL, self->reply);
	ASSERT_NE(MACH_PORT_NULL, self->thread);
}

FIXTURE_TEARDOWN(exc)
{
	mach_port_destroy(mach_task_self(), self->port);
	mach_port_destroy(mach_task_self(), self->reply);
	mach_port_deallocate(mach_task_self(), self->thread);
}

/* thread and task as the identity forms carry them: copied send rights. */
static void put_ports(mach_msg_header_t *head, mach_msg_body_t *body,
		      mach_msg_port_descriptor_t *thread, mach_msg_port_descriptor_t *task,
		      mach_port_t thread_port, mach_port_t task_port)
{
	head->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	body->msgh_descriptor_count = 2;
	thread->name = thread_port;
	thread->disposition = MACH_MSG_TYPE_COPY_SEND;
	thread->type = MACH_MSG_PORT_DESCRIPTOR;
	task->name = task_port;
	task->disposition = MACH_MSG_TYPE_COPY_SEND;
	task->type = MACH_MSG_PORT_DESCRIPTOR;
}

/* old_state words 0x1000 + i. */
static void fill_state(natural_t *state, mach_msg_type_number_t count)
{
	for (unsigned int i = 0; i < count; i++)
		state[i] = 0x1000 + i;
}

/*
 * As MIG's user stub sends fewer than two codes: what follows code[]
 * (flavor, old_stateCnt, old_state) moves up to where the codes sent end.
 * Returns the size of the request so shortened.
 */
static mach_msg_size_t drop_codes(void *request, size_t code_at, size_t code_size,
				  unsigned int sent, mach_msg_size_t size)
{
	char *p = request;
	size_t tail = code_at + 2 * code_size;

	memmove(p + code_at + sent * code_size, p + tail, size - tail);
	return size - (2 - sent) * code_size;
}

/* Sends req, of size bytes, to our port, and receives it back there (x->in). */
static mach_msg_return_t deliver(FIXTURE_DATA(exc) *x, union request *req, mach_msg_id_t id,
				 mach_msg_size_t size)
{
	mach_msg_return_t mr;

	req->head.msgh_bits = (req->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
			      MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->head.msgh_size = size;
	req->head.msgh_remote_port = x->port;
	req->head.msgh_local_port = x->reply;
	req->head.msgh_voucher_port = MACH_PORT_NULL;
	req->head.msgh_id = id;
	memset(&seen, 0, sizeof(seen));		/* no routine ran for this one yet */
	mr = mach_msg(&req->head, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	memset(&x->in, 0, sizeof(x->in));
	return mach_msg(&x->in.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(x->in), x->port,
			5000, MACH_PORT_NULL);
}

/*
 * The received request through the subsystem's server, and its reply sent
 * to the sender's reply right and received there (x->back). A request
 * refused or declined is destroyed as mach_msg_server() destroys it (all
 * but its reply right); one served leaves its rights to the routine, here
 * to the test. Returns what the server returned.
 */
static boolean_t serve(FIXTURE_DATA(exc) *x, boolean_t (*server)(mach_msg_header_t *,
								   mach_msg_header_t *))
{
	boolean_t served;

	memset(&x->out, 0xa5, sizeof(x->out));	/* nothing left from before */
	memset(&x->back, 0, sizeof(x->back));
	served = server(&x->in.head, &x->out.head);
	if (x->out.error.RetCode != KERN_SUCCESS && MACH_MSGH_BITS_IS_COMPLEX(x->in.head.msgh_bits)) {
		x->in.head.msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(&x->in.head);
	}
	if (mach_msg(&x->out.head, MACH_SEND_MSG, x->out.head.msgh_size, 0, MACH_PORT_NULL,
		     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS ||
	    mach_msg(&x->back.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(x->back), x->reply,
		     5000, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		x->back.head.msgh_id = -1;
	return served;
}

/* The rights an identity routine that answered KERN_SUCCESS was given: its to release. */
static void release_identity(void)
{
	if (seen.thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), seen.thread);
	if (seen.task != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), seen.task);
}

/* The sender's view of a RetCode-only reply to id. */
#define EXPECT_ERROR_REPLY(x, id, ret)                                                  \
	do {                                                                            \
		EXPECT_EQ((id) + 100, (x)->back.head.msgh_id);                          \
		EXPECT_EQ(sizeof(mig_reply_error_t), (x)->back.head.msgh_size);         \
		EXPECT_FALSE(MACH_MSGH_BITS_IS_COMPLEX((x)->back.head.msgh_bits));      \
		EXPECT_EQ((ret), (x)->back.error.RetCode);                              \
		EXPECT_EQ(0, memcmp(&NDR_record, &(x)->back.error.NDR, sizeof(NDR_record_t))); \
	} while (0)

/* The sender's view of a state reply to id: the handler's flavor and state. */
static int state_reply_is_handlers(FIXTURE_DATA(exc) *x, mach_msg_id_t id)
{
	__Reply__exception_raise_state_t *r = &x->back.exc.Reply_exception_raise_state;

	if (r->Head.msgh_id != id + 100 || r->Head.msgh_size != STATE_REPLY_SIZE(handler.count) ||
	    MACH_MSGH_BITS_IS_COMPLEX(r->Head.msgh_bits) || r->RetCode != KERN_SUCCESS ||
	    r->flavor != handler.flavor || r->new_stateCnt != handler.count)
		return 0;
	for (unsigned int i = 0; i < handler.count; i++)
		if (r->new_state[i] != 0x5000 + i)
			return 0;
	return 1;
}

TEST_F(exc, exception_raise_reaches_its_routine_with_thread_task_and_codes)
{
	union request req;
	__Request__exception_raise_t *r = &req.raise;

	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	r->exception = EXC_BAD_ACCESS;
	r->codeCnt = 2;
	r->code[0] = KERN_INVALID_ADDRESS;
	r->code[1] = (integer_t)0xdeadbeef;
	handler.ret = KERN_SUCCESS;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2401, sizeof(*r)));

	/* The reply's header is made from the request's, before the routine runs. */
	EXPECT_TRUE(exc_server(&self->in.head, &self->out.head));
	EXPECT_EQ(2501, self->out.head.msgh_id);
	EXPECT_EQ(sizeof(__Reply__exception_raise_t), self->out.head.msgh_size);
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), self->out.head.msgh_bits);
	EXPECT_EQ(self->in.head.msgh_remote_port, self->out.head.msgh_remote_port);
	EXPECT_EQ(MACH_PORT_NULL, self->out.head.msgh_local_port);
	EXPECT_EQ(KERN_SUCCESS, self->out.exc.Reply_exception_raise.RetCode);
	EXPECT_EQ(2401, seen.routine);
	EXPECT_EQ(self->port, seen.port);
	EXPECT_EQ(self->thread, seen.thread);	/* our own names, coalesced */
	EXPECT_EQ(mach_task_self(), seen.task);
	EXPECT_EQ(EXC_BAD_ACCESS, seen.exception);
	EXPECT_EQ(2, seen.code_count);
	EXPECT_EQ(KERN_INVALID_ADDRESS, seen.code[0]);
	EXPECT_EQ((integer_t)0xdeadbeef, seen.code[1]);
	release_identity();

	/* Sent back, the sender hears the routine's answer. */
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&self->out.head, MACH_SEND_MSG,
					     self->out.head.msgh_size, 0, MACH_PORT_NULL,
					     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&self->back.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(self->back), self->reply, 5000,
					     MACH_PORT_NULL));
	EXPECT_ERROR_REPLY(self, 2401, KERN_SUCCESS);

	/* A routine that declines: its answer, and one code sent. */
	reset();
	handler.ret = KERN_FAILURE;
	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	r->exception = EXC_SOFTWARE;
	r->codeCnt = 1;
	r->code[0] = EXC_SOFT_SIGNAL;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2401, sizeof(*r) - 4));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_EQ(2401, seen.routine);
	EXPECT_EQ(EXC_SOFTWARE, seen.exception);
	EXPECT_EQ(1, seen.code_count);
	EXPECT_EQ(EXC_SOFT_SIGNAL, seen.code[0]);
	EXPECT_ERROR_REPLY(self, 2401, KERN_FAILURE);
}

TEST_F(exc, mach_exception_raise_carries_64_bit_codes)
{
	union request req;
	__Request__mach_exception_raise_t *r = &req.mach_raise;

	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	r->exception = EXC_BREAKPOINT;
	r->codeCnt = 2;
	r->code[0] = 0x123456789abcdef0ll;
	r->code[1] = -2;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2405, sizeof(*r)));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_EQ(2405, seen.routine);
	EXPECT_EQ(self->port, seen.port);
	EXPECT_EQ(self->thread, seen.thread);
	EXPECT_EQ(mach_task_self(), seen.task);
	EXPECT_EQ(EXC_BREAKPOINT, seen.exception);
	EXPECT_EQ(2, seen.code_count);
	EXPECT_EQ(0x123456789abcdef0ll, seen.code[0]);
	EXPECT_EQ(-2, seen.code[1]);
	EXPECT_ERROR_REPLY(self, 2405, KERN_SUCCESS);
	release_identity();

	/* No code at all. */
	reset();
	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	r->exception = EXC_ARITHMETIC;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2405, sizeof(*r) - 16));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_EQ(2405, seen.routine);
	EXPECT_EQ(0, seen.code_count);
	EXPECT_EQ(EXC_ARITHMETIC, seen.exception);
	EXPECT_ERROR_REPLY(self, 2405, KERN_SUCCESS);
	release_identity();
}

TEST_F(exc, exception_raise_state_answers_with_the_handlers_state)
{
	union request req;
	__Request__exception_raise_state_t *r = &req.state;

	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	r->exception = EXC_BAD_INSTRUCTION;
	r->codeCnt = 2;
	r->code[0] = 1;
	r->code[1] = -1;
	r->flavor = x86_THREAD_STATE64;
	r->old_stateCnt = x86_THREAD_STATE64_COUNT;
	fill_state(r->old_state, x86_THREAD_STATE64_COUNT);
	handler.count = x86_FLOAT_STATE64_COUNT;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2402,
			  offsetof(__Request__exception_raise_state_t, old_state) +
			  4 * x86_THREAD_STATE64_COUNT));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_EQ(2402, seen.routine);
	EXPECT_EQ(self->port, seen.port);
	EXPECT_EQ(EXC_BAD_INSTRUCTION, seen.exception);
	EXPECT_EQ(2, seen.code_count);
	EXPECT_EQ(1, seen.code[0]);
	EXPECT_EQ(-1, seen.code[1]);
	EXPECT_EQ(x86_THREAD_STATE64, seen.flavor);
	ASSERT_EQ(x86_THREAD_STATE64_COUNT, seen.old_count);
	for (unsigned int i = 0; i < x86_THREAD_STATE64_COUNT; i++)
		ASSERT_EQ(0x1000 + i, seen.old_state[i]);
	EXPECT_EQ(STATE_MAX, seen.room);
	/* What the sender receives: the handler's flavor and state. */
	EXPECT_TRUE(state_reply_is_handlers(self, 2402));

	/* One code: flavor and state sent where the second code would be. */
	reset();
	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	r->exception = EXC_EMULATION;
	r->codeCnt = 1;
	r->code[0] = 77;
	r->flavor = x86_FLOAT_STATE64;
	r->old_stateCnt = 3;
	fill_state(r->old_state, 3);
	handler.count = 0;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2402,
			  drop_codes(r, offsetof(__Request__exception_raise_state_t, code), 4, 1,
				     offsetof(__Request__exception_raise_state_t, old_state) + 12)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_EQ(2402, seen.routine);
	EXPECT_EQ(1, seen.code_count);
	EXPECT_EQ(77, seen.code[0]);
	EXPECT_EQ(x86_FLOAT_STATE64, seen.flavor);
	EXPECT_EQ(3, seen.old_count);
	EXPECT_EQ(0x1002, seen.old_state[2]);
	EXPECT_TRUE(state_reply_is_handlers(self, 2402));
}

TEST_F(exc, exception_raise_state_identity_carries_both)
{
	union request req;
	__Request__exception_raise_state_identity_t *r = &req.state_identity;

	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	r->exception = EXC_BAD_ACCESS;
	r->codeCnt = 2;
	r->code[0] = KERN_PROTECTION_FAILURE;
	r->code[1] = 0x1000;
	r->flavor = x86_THREAD_STATE64;
	r->old_stateCnt = STATE_MAX;	/* the most there is */
	fill_state(r->old_state, STATE_MAX);
	handler.count = STATE_MAX;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2403, sizeof(*r)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_EQ(2403, seen.routine);
	EXPECT_EQ(self->thread, seen.thread);
	EXPECT_EQ(mach_task_self(), seen.task);
	EXPECT_EQ(KERN_PROTECTION_FAILURE, seen.code[0]);
	EXPECT_EQ(0x1000, seen.code[1]);
	EXPECT_EQ(x86_THREAD_STATE64, seen.flavor);
	ASSERT_EQ(STATE_MAX, seen.old_count);
	EXPECT_EQ(0x1000 + STATE_MAX - 1, seen.old_state[STATE_MAX - 1]);
	EXPECT_TRUE(state_reply_is_handlers(self, 2403));
	release_identity();

	/* A handler's error: RetCode alone, no state, the rights destroyed. */
	reset();
	handler.ret = KERN_ABORTED;
	r->old_stateCnt = 2;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2403,
			  offsetof(__Request__exception_raise_state_identity_t, old_state) + 8));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_EQ(2403, seen.routine);
	EXPECT_ERROR_REPLY(self, 2403, KERN_ABORTED);
}

TEST_F(exc, mach_exception_raise_state_forms_with_64_bit_codes)
{
	union request req;
	__Request__mach_exception_raise_state_t *s = &req.mach_state;
	__Request__mach_exception_raise_state_identity_t *r = &req.mach_state_identity;

	memset(&req, 0, sizeof(req));
	s->NDR = NDR_record;
	s->exception = EXC_GUARD;
	s->codeCnt = 2;
	s->code[0] = 0x7000000000000001ll;
	s->code[1] = 0x0000000100000002ll;
	s->flavor = x86_THREAD_STATE64;
	s->old_stateCnt = 5;
	fill_state(s->old_state, 5);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2406,
			  offsetof(__Request__mach_exception_raise_state_t, old_state) + 20));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_EQ(2406, seen.routine);
	EXPECT_EQ(self->port, seen.port);
	EXPECT_EQ(EXC_GUARD, seen.exception);
	EXPECT_EQ(2, seen.code_count);
	EXPECT_EQ(0x7000000000000001ll, seen.code[0]);
	EXPECT_EQ(0x0000000100000002ll, seen.code[1]);
	EXPECT_EQ(x86_THREAD_STATE64, seen.flavor);
	EXPECT_EQ(5, seen.old_count);
	EXPECT_EQ(0x1004, seen.old_state[4]);
	EXPECT_EQ(STATE_MAX, seen.room);
	EXPECT_TRUE(state_reply_is_handlers(self, 2406));

	reset();
	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	r->exception = EXC_RESOURCE;
	r->codeCnt = 1;
	r->code[0] = -0x100000000ll;
	r->flavor = x86_FLOAT_STATE64;
	r->old_stateCnt = x86_FLOAT_STATE64_COUNT;
	fill_state(r->old_state, x86_FLOAT_STATE64_COUNT);
	handler.flavor = x86_THREAD_STATE64;
	handler.count = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2407,
			  drop_codes(r, offsetof(__Request__mach_exception_raise_state_identity_t,
						 code), 8, 1,
				     offsetof(__Request__mach_exception_raise_state_identity_t,
					      old_state) + 4 * x86_FLOAT_STATE64_COUNT)));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_EQ(2407, seen.routine);
	EXPECT_EQ(self->thread, seen.thread);
	EXPECT_EQ(mach_task_self(), seen.task);
	EXPECT_EQ(EXC_RESOURCE, seen.exception);
	EXPECT_EQ(1, seen.code_count);
	EXPECT_EQ(-0x100000000ll, seen.code[0]);
	EXPECT_EQ(x86_FLOAT_STATE64, seen.flavor);
	ASSERT_EQ(x86_FLOAT_STATE64_COUNT, seen.old_count);
	EXPECT_EQ(0x1000 + x86_FLOAT_STATE64_COUNT - 1,
		  seen.old_state[x86_FLOAT_STATE64_COUNT - 1]);
	EXPECT_TRUE(state_reply_is_handlers(self, 2407));
	release_identity();
}

TEST(server_routine_is_the_stub_of_each_id_served)
{
	mach_msg_header_t h = { 0 };

	for (h.msgh_id = 2390; h.msgh_id < 2420; h.msgh_id++) {
		int exc = h.msgh_id >= 2401 && h.msgh_id <= 2403;
		int mach_exc = h.msgh_id >= 2405 && h.msgh_id <= 2407;

		EXPECT_EQ(exc, exc_server_routine(&h) != NULL);
		EXPECT_EQ(mach_exc, mach_exc_server_routine(&h) != NULL);
	}
}

/* An id neither subsystem serves: MIG_BAD_ID, and FALSE. */
TEST_F(exc, unknown_ids_are_answered_mig_bad_id)
{
	static const struct {
		mach_msg_id_t id;
		int mach;
	} bad[] = { { 2400, 0 }, { 2404, 0 }, { 2405, 0 }, { 2401, 1 }, { 2404, 1 },
		    { 2408, 1 }, { 2410, 1 } };
	union request req;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.state.NDR = NDR_record;
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  deliver(self, &req, bad[i].id,
				  offsetof(__Request__exception_raise_state_t, old_state)));
		EXPECT_FALSE(serve(self, bad[i].mach ? mach_exc_server : exc_server));
		EXPECT_ERROR_REPLY(self, bad[i].id, MIG_BAD_ID);
		EXPECT_EQ(0, seen.routine);
	}
}

/*
 * What MIG's server checks refuse never reaches a routine, and the sender
 * hears MIG's answer: the header and sizes MIG_BAD_ARGUMENTS, a port
 * descriptor of another kind MIG_TYPE_ERROR.
 */
TEST_F(exc, a_short_request_is_refused)
{
	union request req;
	__Request__exception_raise_t *r = &req.raise;

	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	/* Without its exception type and count. */
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2401, offsetof(__Request__exception_raise_t,
								       exception)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2401, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* A header alone, for each state form. */
	for (mach_msg_id_t id = 2402; id <= 2407; id++) {
		if (id == 2404)
			continue;
		memset(&req, 0, sizeof(req));
		ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, id, sizeof(mach_msg_header_t)));
		serve(self, id < 2404 ? exc_server : mach_exc_server);
		EXPECT_ERROR_REPLY(self, id, MIG_BAD_ARGUMENTS);
		EXPECT_EQ(0, seen.routine);
	}

	/* Two codes sent, one counted: the size does not match. */
	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->NDR = NDR_record;
	r->codeCnt = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2401, sizeof(*r)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2401, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);
}

TEST_F(exc, a_request_not_complex_as_its_form_is_refused)
{
	union request req;

	/* The identity form without its descriptors (and so not complex). */
	memset(&req, 0, sizeof(req));
	req.mach_state.NDR = NDR_record;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2407,
			  offsetof(__Request__mach_exception_raise_state_identity_t, old_state)));
	serve(self, mach_exc_server);
	EXPECT_ERROR_REPLY(self, 2407, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* The state form with them. */
	memset(&req, 0, sizeof(req));
	put_ports(&req.state_identity.Head, &req.state_identity.msgh_body,
		  &req.state_identity.thread, &req.state_identity.task, self->thread,
		  mach_task_self());
	req.state_identity.NDR = NDR_record;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2402,
			  offsetof(__Request__exception_raise_state_identity_t, old_state)));
	serve(self, exc_server);
	EXPECT_ERROR_REPLY(self, 2402, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/*
	 * A whole state request marked complex: the kernel reads the first
	 * word of NDR (zero) as a count of no descriptor, and every field
	 * is where the state form has it. Only the complex bit says no.
	 */
	memset(&req, 0, sizeof(req));
	req.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	req.state.NDR = NDR_record;
	req.state.codeCnt = 2;
	req.state.old_stateCnt = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2402,
			  offsetof(__Request__exception_raise_state_t, old_state) + 4));
	serve(self, exc_server);
	EXPECT_ERROR_REPLY(self, 2402, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/*
	 * An identity request not complex, with descriptors as plain data:
	 * port names no right came with. Only the complex bit says no.
	 */
	memset(&req, 0, sizeof(req));
	put_ports(&req.raise.Head, &req.raise.msgh_body, &req.raise.thread, &req.raise.task,
		  self->thread, mach_task_self());
	req.raise.Head.msgh_bits = 0;
	req.raise.thread.disposition = MACH_MSG_TYPE_PORT_SEND;
	req.raise.task.disposition = MACH_MSG_TYPE_PORT_SEND;
	req.raise.NDR = NDR_record;
	req.raise.codeCnt = 2;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2401, sizeof(req.raise)));
	serve(self, exc_server);
	EXPECT_ERROR_REPLY(self, 2401, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* One descriptor where there are two (the second's bytes sent as data). */
	memset(&req, 0, sizeof(req));
	put_ports(&req.raise.Head, &req.raise.msgh_body, &req.raise.thread, &req.raise.task,
		  self->thread, mach_task_self());
	req.raise.msgh_body.msgh_descriptor_count = 1;
	req.raise.task.name = 0;
	req.raise.NDR = NDR_record;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2401, sizeof(req.raise) - 8));
	serve(self, exc_server);
	EXPECT_ERROR_REPLY(self, 2401, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);
}

TEST_F(exc, a_descriptor_of_another_kind_is_a_type_error)
{
	union request req;
	__Request__mach_exception_raise_t *r = &req.mach_raise;
	mach_port_t once = new_port();
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_ool_descriptor_t thread;	/* 4 bytes more than a port's */
		mach_msg_port_descriptor_t task;
		NDR_record_t ndr;
		exception_type_t exception;
		mach_msg_type_number_t count;
		int64_t code;
	} __attribute__((packed, aligned(4))) ool;
	static char page[64];

	/* A send-once right where a send right belongs. */
	memset(&req, 0, sizeof(req));
	put_ports(&r->Head, &r->msgh_body, &r->thread, &r->task, self->thread, mach_task_self());
	r->thread.name = once;
	r->thread.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	r->NDR = NDR_record;
	r->codeCnt = 2;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2405, sizeof(*r)));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_ERROR_REPLY(self, 2405, MIG_TYPE_ERROR);
	EXPECT_EQ(0, seen.routine);

	/* The task as a receive right. */
	memset(&req, 0, sizeof(req));
	put_ports(&req.state_identity.Head, &req.state_identity.msgh_body,
		  &req.state_identity.thread, &req.state_identity.task, self->thread, once);
	req.state_identity.task.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	req.state_identity.NDR = NDR_record;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2403,
			  offsetof(__Request__exception_raise_state_identity_t, old_state)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2403, MIG_TYPE_ERROR);
	EXPECT_EQ(0, seen.routine);

	/* Memory where the thread belongs (one code, so that the size is right). */
	memset(&ool, 0, sizeof(ool));
	ool.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	ool.body.msgh_descriptor_count = 2;
	ool.thread.address = page;
	ool.thread.size = sizeof(page);
	ool.thread.copy = MACH_MSG_VIRTUAL_COPY;
	ool.thread.type = MACH_MSG_OOL_DESCRIPTOR;
	ool.task.name = mach_task_self();
	ool.task.disposition = MACH_MSG_TYPE_COPY_SEND;
	ool.task.type = MACH_MSG_PORT_DESCRIPTOR;
	ool.ndr = NDR_record;
	ool.count = 1;
	ASSERT_EQ(sizeof(__Request__mach_exception_raise_t) - 4, sizeof(ool));
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, (union request *)&ool, 2405, sizeof(ool)));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_ERROR_REPLY(self, 2405, MIG_TYPE_ERROR);
	EXPECT_EQ(0, seen.routine);
}

TEST_F(exc, more_than_two_codes_are_refused)
{
	union request req;
	__Request__exception_raise_state_t *r = &req.state;
	char *codes = (char *)r + offsetof(__Request__exception_raise_state_t, code);

	/*
	 * Three codes counted and sent, then flavor, count and state: the
	 * size agrees with the counts, and only codeCnt's bound says no.
	 */
	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	r->codeCnt = 3;
	memset(codes, 0x11, 12);
	memcpy(codes + 12, &(int){ x86_THREAD_STATE64 }, 4);
	memcpy(codes + 16, &(natural_t){ 4 }, 4);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2402,
			  offsetof(__Request__exception_raise_state_t, code) + 12 + 8 + 16));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2402, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* The same with 64-bit codes. */
	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	r->codeCnt = 3;
	memset(codes, 0x11, 24);
	memcpy(codes + 24, &(int){ x86_THREAD_STATE64 }, 4);
	memcpy(codes + 28, &(natural_t){ 0 }, 4);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2406,
			  offsetof(__Request__exception_raise_state_t, code) + 24 + 8));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_ERROR_REPLY(self, 2406, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* And in the simple form, where only two fit: still no. */
	memset(&req, 0, sizeof(req));
	put_ports(&req.raise.Head, &req.raise.msgh_body, &req.raise.thread, &req.raise.task,
		  self->thread, mach_task_self());
	req.raise.NDR = NDR_record;
	req.raise.codeCnt = 3;
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2401, sizeof(req.raise)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2401, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);
}

TEST_F(exc, more_state_than_thread_state_max_is_refused)
{
	union request req;
	__Request__exception_raise_state_t *r = &req.state;
	char *codes = (char *)r + offsetof(__Request__exception_raise_state_t, code);
	mach_msg_size_t least = offsetof(__Request__exception_raise_state_t, code) + 8;

	/*
	 * No code, so the room of the two codes holds one state word more
	 * than THREAD_STATE_MAX: the request is no larger than the largest,
	 * its size agrees with its count, and only the count's bound says no.
	 */
	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	r->codeCnt = 0;
	memcpy(codes, &(int){ x86_THREAD_STATE64 }, 4);
	memcpy(codes + 4, &(natural_t){ STATE_MAX + 1 }, 4);
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2402, least + 4 * (STATE_MAX + 1)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2402, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* mach_exc's: four words of room. */
	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	memcpy(codes + 4, &(natural_t){ STATE_MAX + 4 }, 4);
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2406, least + 4 * (STATE_MAX + 4)));
	EXPECT_TRUE(serve(self, mach_exc_server));
	EXPECT_ERROR_REPLY(self, 2406, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* A count that wraps the size it gives: refused, not served. */
	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	memcpy(codes + 4, &(natural_t){ 0x40000001 }, 4);
	ASSERT_EQ(MACH_MSG_SUCCESS, deliver(self, &req, 2402, least + 4));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2402, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);

	/* One word fewer than sent. */
	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	r->codeCnt = 2;
	r->old_stateCnt = 3;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2402,
			  offsetof(__Request__exception_raise_state_t, old_state) + 16));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_ERROR_REPLY(self, 2402, MIG_BAD_ARGUMENTS);
	EXPECT_EQ(0, seen.routine);
}

/* A handler that says it set more state than a reply holds: no such reply. */
TEST_F(exc, a_handler_state_beyond_the_max_is_not_sent)
{
	union request req;
	__Request__exception_raise_state_t *r = &req.state;

	memset(&req, 0, sizeof(req));
	r->NDR = NDR_record;
	r->codeCnt = 2;
	handler.count = STATE_MAX + 1;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  deliver(self, &req, 2402, offsetof(__Request__exception_raise_state_t, old_state)));
	EXPECT_TRUE(serve(self, exc_server));
	EXPECT_EQ(2402, seen.routine);
	EXPECT_ERROR_REPLY(self, 2402, MIG_ARRAY_TOO_LARGE);
}

/* ---- the user side, served by a thread of ours ---- */

struct server {
	mach_port_t port;
	boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *);
	int requests;
	mach_msg_return_t result;
};

static void *serve_requests(void *arg)
{
	struct server *s = arg;

	for (int i = 0; i < s->requests; i++) {
		s->result = mach_msg_server_once(s->demux, sizeof(union __RequestUnion__mach_exc_subsystem),
						 s->port, 0);
		if (s->result != MACH_MSG_SUCCESS)
			break;
	}
	return NULL;
}

TEST_F(exc, exception_raise_to_a_served_port_gets_the_handlers_answer)
{
	struct server s = { .port = self->port, .demux = exc_server, .requests = 3 };
	integer_t code[2] = { KERN_INVALID_ADDRESS, 0x4000 };
	natural_t old_state[x86_THREAD_STATE64_COUNT], new_state[STATE_MAX];
	mach_msg_type_number_t new_count = 0;
	int flavor = x86_THREAD_STATE64;
	pthread_t thread;

	fill_state(old_state, x86_THREAD_STATE64_COUNT);
	ASSERT_EQ(0, pthread_create(&thread, NULL, serve_requests, &s));

	handler.ret = KERN_SUCCESS;
	EXPECT_EQ(KERN_SUCCESS, exception_raise(self->port, self->thread, mach_task_self(),
						EXC_BAD_ACCESS, code, 2));
	EXPECT_EQ(2401, seen.routine);
	EXPECT_EQ(self->thread, seen.thread);
	EXPECT_EQ(mach_task_self(), seen.task);
	EXPECT_EQ(0x4000, seen.code[1]);
	release_identity();

	/* The handler's state, flavor and count are what the caller gets. */
	handler.flavor = x86_FLOAT_STATE64;
	handler.count = 9;
	EXPECT_EQ(KERN_SUCCESS, exception_raise_state_identity(self->port, self->thread,
							       mach_task_self(), EXC_BREAKPOINT,
							       code, 1, &flavor, old_state,
							       x86_THREAD_STATE64_COUNT,
							       new_state, &new_count));
	EXPECT_EQ(2403, seen.routine);
	EXPECT_EQ(1, seen.code_count);
	EXPECT_EQ(x86_THREAD_STATE64, seen.flavor);
	EXPECT_EQ(x86_THREAD_STATE64_COUNT, seen.old_count);
	EXPECT_EQ(0x1000 + 41, seen.old_state[41]);
	EXPECT_EQ(x86_FLOAT_STATE64, flavor);
	ASSERT_EQ(9, new_count);
	for (unsigned int i = 0; i < new_count; i++)
		EXPECT_EQ(0x5000 + i, new_state[i]);
	release_identity();

	/* A handler that declines: its answer. */
	handler.ret = KERN_FAILURE;
	flavor = x86_THREAD_STATE64;
	EXPECT_EQ(KERN_FAILURE, exception_raise_state(self->port, EXC_BREAKPOINT, code, 2, &flavor,
						      old_state, 4, new_state, &new_count));
	EXPECT_EQ(2402, seen.routine);
	EXPECT_EQ(x86_THREAD_STATE64, flavor);	/* untouched */

	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(MACH_MSG_SUCCESS, s.result);
}

TEST_F(exc, mach_exception_raise_to_a_served_port_gets_the_handlers_answer)
{
	struct server s = { .port = self->port, .demux = mach_exc_server, .requests = 3 };
	int64_t code[2] = { 0x100000000ll, -1 };
	natural_t old_state[3] = { 1, 2, 3 }, new_state[STATE_MAX];
	mach_port_urefs_t thread_refs, task_refs, refs;
	mach_msg_type_number_t new_count = 0;
	int flavor = 1;
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, serve_requests, &s));

	handler.ret = KERN_SUCCESS;
	EXPECT_EQ(KERN_SUCCESS, mach_exception_raise(self->port, self->thread, mach_task_self(),
						     EXC_CRASH, code, 2));
	EXPECT_EQ(2405, seen.routine);
	EXPECT_EQ(0x100000000ll, seen.code[0]);
	EXPECT_EQ(-1, seen.code[1]);
	release_identity();

	handler.flavor = 4;
	handler.count = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_exception_raise_state(self->port, EXC_SYSCALL, code, 2,
							   &flavor, old_state, 3, new_state,
							   &new_count));
	EXPECT_EQ(2406, seen.routine);
	EXPECT_EQ(0x100000000ll, seen.code[0]);
	EXPECT_EQ(1, seen.flavor);
	EXPECT_EQ(3, seen.old_count);
	EXPECT_EQ(4, flavor);
	EXPECT_EQ(0, new_count);

	/* Declined: the server loop destroys the rights the routine did not take. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), self->thread,
						   MACH_PORT_RIGHT_SEND, &thread_refs));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), mach_task_self(),
						   MACH_PORT_RIGHT_SEND, &task_refs));
	handler.ret = KERN_INVALID_ARGUMENT;
	handler.count = 2;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_exception_raise_state_identity(self->port, self->thread, mach_task_self(),
						      EXC_SYSCALL, code, 0, &flavor, old_state,
						      0, new_state, &new_count));
	EXPECT_EQ(2407, seen.routine);
	EXPECT_EQ(0, seen.code_count);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), self->thread,
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(thread_refs, refs);
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), mach_task_self(),
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(task_refs, refs);
	EXPECT_EQ(MACH_MSG_SUCCESS, s.result);
}

/* What no MIG user stub sends: refused before anything goes out. */
TEST_F(exc, the_user_side_sends_no_more_than_fits)
{
	integer_t code[3] = { 1, 2, 3 };
	int64_t code64[3] = { 1, 2, 3 };
	static natural_t state[STATE_MAX + 1];
	mach_msg_type_number_t count;
	int flavor = 1;
	struct {
		mach_msg_header_t head;
		mach_msg_trailer_t trailer;
	} none;

	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, exception_raise(self->port, self->thread, mach_task_self(),
						       1, code, 3));
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, mach_exception_raise(self->port, self->thread,
							    mach_task_self(), 1, code64, 3));
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, exception_raise_state(self->port, 1, code, 2, &flavor, state,
							     STATE_MAX + 1, state, &count));
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE,
		  mach_exception_raise_state_identity(self->port, self->thread, mach_task_self(),
						      1, code64, 3, &flavor, state, 1, state,
						      &count));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg(&none.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					       sizeof(none), self->port, 0, MACH_PORT_NULL));
}

TEST_HARNESS_MAIN
