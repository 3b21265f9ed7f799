// SPDX-License-Identifier: LGPL-2.1-or-later
// exc_server.cc - the exception interfaces, exc.defs (32-bit codes, ids
// 2401..2403) and mach_exc.defs (64-bit codes, 2405..2407): the server
// side MIG generates for them (each request checked as MIG's server stub
// checks it, the program's catch_* routine called, the reply built), and
// the user side that sends one, for a handler that forwards an exception.
#include <stddef.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/exc.h>
#include <mach/mach_exc.h>

#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

// The program's routines. Weak, so that a program serving one behaviour
// (or none: a forwarder that only calls exception_raise) links without
// the others. A request for a routine the program lacks is answered as
// MIG answers an id its .defs skips: MIG_BAD_ID, and exc_server() returns
// FALSE. Not KERN_FAILURE: that is a handler's own "not handled", while
// this request never reached a handler, and the sender (a forwarder
// calling exception_raise, or the kernel moving on to the next exception
// port) should be able to tell a server of the wrong behaviour from one
// that declined. Not abort(), XNU's libsystem answer: a stray request
// must not kill a server.
__attribute__((weak)) decltype(catch_exception_raise) catch_exception_raise;
__attribute__((weak)) decltype(catch_exception_raise_state) catch_exception_raise_state;
__attribute__((weak)) decltype(catch_exception_raise_state_identity)
	catch_exception_raise_state_identity;
__attribute__((weak)) decltype(catch_mach_exception_raise) catch_mach_exception_raise;
__attribute__((weak)) decltype(catch_mach_exception_raise_state) catch_mach_exception_raise_state;
__attribute__((weak)) decltype(catch_mach_exception_raise_state_identity)
	catch_mach_exception_raise_state_identity;

namespace {

constexpr mach_msg_id_t exc_base = 2401, mach_exc_base = 2405;
constexpr mach_msg_size_t state_max = THREAD_STATE_MAX;
constexpr mach_msg_size_t header = sizeof(mach_msg_header_t);
// The identity forms' body and thread and task descriptors.
constexpr mach_msg_size_t ports = sizeof(mach_msg_body_t) + 2 * sizeof(mach_msg_port_descriptor_t);
// A state reply without its state.
constexpr mach_msg_size_t state_reply = offsetof(__Reply__exception_raise_state_t, new_state);

static_assert(offsetof(__Reply__exception_raise_state_t, new_state) ==
	      offsetof(__Reply__mach_exception_raise_state_t, new_state));
static_assert(sizeof(__Reply__exception_raise_state_t) ==
	      sizeof(__Reply__mach_exception_raise_state_identity_t));

// One routine's request, as MIG lays it out: [body, thread, task,] NDR,
// exception, codeCnt, code[codeCnt] [, flavor, old_stateCnt,
// old_state[old_stateCnt]].
struct form {
	bool identity;		// thread and task port descriptors first
	bool state;		// flavor and old state after the codes
	mach_msg_size_t code_size;	// 4 (exc) or 8 (mach_exc)
};

// What a request that passed the checks carries.
struct request {
	mach_port_t thread, task;
	exception_type_t exception;
	mach_msg_type_number_t code_count;
	const unsigned char *code;	// code_count codes, as packed (unaligned)
	int flavor;
	mach_msg_type_number_t state_count;
	natural_t *state;		// in the request
};

uint32_t load32(const unsigned char *base, mach_msg_size_t at)
{
	uint32_t v;
	memcpy(&v, base + at, sizeof(v));
	return v;
}

bool is_send_right(const mach_msg_port_descriptor_t &d)
{
	return d.type == MACH_MSG_PORT_DESCRIPTOR && d.disposition == MACH_MSG_TYPE_PORT_SEND;
}

// MIG's server-side checks, in MIG's order and with its answers: the
// header and size bounds (MIG_BAD_ARGUMENTS), the port descriptors
// (MIG_TYPE_ERROR), then each count against its bound and the size the
// counts give (MIG_BAD_ARGUMENTS).
kern_return_t check(mach_msg_header_t *in, const form &f, request &r)
{
	auto *base = reinterpret_cast<unsigned char *>(in);
	mach_msg_size_t size = in->msgh_size;
	const mach_msg_size_t count_at = header + (f.identity ? ports : 0) + sizeof(NDR_record_t) + 4;
	const mach_msg_size_t least = count_at + 4 + (f.state ? 8 : 0);	// no code, no state
	const mach_msg_size_t most = least + 2 * f.code_size + (f.state ? 4 * state_max : 0);
	bool complex = in->msgh_bits & MACH_MSGH_BITS_COMPLEX;

	if (complex != f.identity || size < least || size > most)
		return MIG_BAD_ARGUMENTS;
	r.thread = r.task = MACH_PORT_NULL;
	if (f.identity) {
		mach_msg_body_t body;
		mach_msg_port_descriptor_t thread, task;
		memcpy(&body, base + header, sizeof(body));
		memcpy(&thread, base + header + sizeof(body), sizeof(thread));
		memcpy(&task, base + header + sizeof(body) + sizeof(thread), sizeof(task));
		if (body.msgh_descriptor_count != 2)
			return MIG_BAD_ARGUMENTS;
		if (!is_send_right(thread) || !is_send_right(task))
			return MIG_TYPE_ERROR;
		r.thread = thread.name;
		r.task = task.name;
	}
	r.exception = static_cast<exception_type_t>(load32(base, count_at - 4));
	r.code_count = load32(base, count_at);
	r.code = base + count_at + 4;
	if (r.code_count > 2 || (size - least) / f.code_size < r.code_count)
		return MIG_BAD_ARGUMENTS;
	mach_msg_size_t codes = f.code_size * r.code_count;
	if (!f.state)
		return size == least + codes ? KERN_SUCCESS : MIG_BAD_ARGUMENTS;

	// The fields after the codes sit where the codes sent end.
	mach_msg_size_t flavor_at = count_at + 4 + codes;
	size -= codes;
	r.flavor = static_cast<int>(load32(base, flavor_at));
	r.state_count = load32(base, flavor_at + 4);
	r.state = reinterpret_cast<natural_t *>(base + flavor_at + 8);
	if (r.state_count > state_max || (size - least) / 4 < r.state_count ||
	    size != least + 4 * r.state_count)
		return MIG_BAD_ARGUMENTS;
	return KERN_SUCCESS;
}

// The reply's header, as MIG's demultiplexer sets it before any routine
// runs: to the request's reply right (the right it came as, now moved
// back), id + 100, the size of a RetCode-only reply.
void start_reply(const mach_msg_header_t *in, mach_msg_header_t *out)
{
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_size = sizeof(mig_reply_error_t);
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_voucher_port = MACH_PORT_NULL;
	out->msgh_id = static_cast<mach_msg_id_t>(static_cast<uint32_t>(in->msgh_id) + 100);
}

void answer(mach_msg_header_t *out, kern_return_t ret)
{
	auto *reply = reinterpret_cast<mig_reply_error_t *>(out);
	reply->NDR = NDR_record;
	reply->RetCode = ret;
}

// The codes copied out of the message, aligned for the routine.
template <typename Code>
struct codes {
	Code v[2] = {};

	explicit codes(const request &r)
	{
		memcpy(v, r.code, sizeof(Code) * r.code_count);
	}
};

template <typename Code>
using raise_routine = kern_return_t(mach_port_t, mach_port_t, mach_port_t, exception_type_t,
				    Code *, mach_msg_type_number_t);

template <typename Code>
void serve_raise(mach_msg_header_t *in, mach_msg_header_t *out, raise_routine<Code> *routine)
{
	request r;

	start_reply(in, out);
	kern_return_t kr = check(in, { true, false, sizeof(Code) }, r);
	if (kr == KERN_SUCCESS) {
		codes<Code> c(r);
		kr = routine(in->msgh_local_port, r.thread, r.task, r.exception, c.v, r.code_count);
	}
	answer(out, kr);
}

// The state forms: the routine (called through call) writes the new
// state into the reply, which carries it on success; on an error the
// reply is RetCode alone, as MIG's.
template <typename Code, typename Call>
void serve_state(mach_msg_header_t *in, mach_msg_header_t *out, bool identity, Call call)
{
	auto *reply = reinterpret_cast<__Reply__exception_raise_state_t *>(out);
	request r;

	start_reply(in, out);
	kern_return_t kr = check(in, { identity, true, sizeof(Code) }, r);
	if (kr != KERN_SUCCESS)
		return answer(out, kr);
	codes<Code> c(r);
	int flavor = r.flavor;
	mach_msg_type_number_t count = state_max;
	kr = call(r, c.v, &flavor, reply->new_state, &count);
	// More than the reply holds: the routine broke its contract, and no
	// such reply goes out (MIG's own stub would send it).
	if (kr == KERN_SUCCESS && count > state_max)
		kr = MIG_ARRAY_TOO_LARGE;
	answer(out, kr);
	if (kr != KERN_SUCCESS)
		return;
	reply->flavor = flavor;
	reply->new_stateCnt = count;
	out->msgh_size = state_reply + 4 * count;
}

template <typename Code>
using state_routine = kern_return_t(mach_port_t, exception_type_t, Code *, mach_msg_type_number_t,
				    int *, thread_state_t, mach_msg_type_number_t, thread_state_t,
				    mach_msg_type_number_t *);

template <typename Code>
void serve_state(mach_msg_header_t *in, mach_msg_header_t *out, state_routine<Code> *routine)
{
	serve_state<Code>(in, out, false,
			  [&](const request &r, Code *code, int *flavor, natural_t *state,
			      mach_msg_type_number_t *count) {
				  return routine(in->msgh_local_port, r.exception, code,
						 r.code_count, flavor, r.state, r.state_count,
						 state, count);
			  });
}

template <typename Code>
using state_identity_routine = kern_return_t(mach_port_t, mach_port_t, mach_port_t,
					     exception_type_t, Code *, mach_msg_type_number_t,
					     int *, thread_state_t, mach_msg_type_number_t,
					     thread_state_t, mach_msg_type_number_t *);

template <typename Code>
void serve_state_identity(mach_msg_header_t *in, mach_msg_header_t *out,
			  state_identity_routine<Code> *routine)
{
	serve_state<Code>(in, out, true,
			  [&](const request &r, Code *code, int *flavor, natural_t *state,
			      mach_msg_type_number_t *count) {
				  return routine(in->msgh_local_port, r.thread, r.task,
						 r.exception, code, r.code_count, flavor,
						 r.state, r.state_count, state, count);
			  });
}

// MIG's server stubs, one per routine.
void x_exception_raise(mach_msg_header_t *in, mach_msg_header_t *out)
{
	serve_raise<integer_t>(in, out, catch_exception_raise);
}

void x_exception_raise_state(mach_msg_header_t *in, mach_msg_header_t *out)
{
	serve_state<integer_t>(in, out, catch_exception_raise_state);
}

void x_exception_raise_state_identity(mach_msg_header_t *in, mach_msg_header_t *out)
{
	serve_state_identity<integer_t>(in, out, catch_exception_raise_state_identity);
}

void x_mach_exception_raise(mach_msg_header_t *in, mach_msg_header_t *out)
{
	serve_raise<int64_t>(in, out, catch_mach_exception_raise);
}

void x_mach_exception_raise_state(mach_msg_header_t *in, mach_msg_header_t *out)
{
	serve_state<int64_t>(in, out, catch_mach_exception_raise_state);
}

void x_mach_exception_raise_state_identity(mach_msg_header_t *in, mach_msg_header_t *out)
{
	serve_state_identity<int64_t>(in, out, catch_mach_exception_raise_state_identity);
}

// Which routine of the subsystem starting at base id is (any id at all).
uint32_t routine_index(mach_msg_id_t id, mach_msg_id_t base)
{
	return static_cast<uint32_t>(id) - static_cast<uint32_t>(base);
}

// Each subsystem's stub for id, if the program provides its routine.
mig_routine_t exc_routine(mach_msg_id_t id)
{
	switch (routine_index(id, exc_base)) {
	case 0:
		return catch_exception_raise ? x_exception_raise : nullptr;
	case 1:
		return catch_exception_raise_state ? x_exception_raise_state : nullptr;
	case 2:
		return catch_exception_raise_state_identity ? x_exception_raise_state_identity :
							      nullptr;
	default:
		return nullptr;
	}
}

mig_routine_t mach_exc_routine(mach_msg_id_t id)
{
	switch (routine_index(id, mach_exc_base)) {
	case 0:
		return catch_mach_exception_raise ? x_mach_exception_raise : nullptr;
	case 1:
		return catch_mach_exception_raise_state ? x_mach_exception_raise_state : nullptr;
	case 2:
		return catch_mach_exception_raise_state_identity ?
			       x_mach_exception_raise_state_identity :
			       nullptr;
	default:
		return nullptr;
	}
}

// MIG's demultiplexer: the reply's header first, then the stub, or
// MIG_BAD_ID and FALSE.
boolean_t demux(mig_routine_t routine, mach_msg_header_t *in, mach_msg_header_t *out)
{
	start_reply(in, out);
	if (!routine) {
		answer(out, MIG_BAD_ID);
		return FALSE;
	}
	routine(in, out);
	return TRUE;
}

// The user side: a request as a MIG user stub sends it (thread and task
// as copied send rights; only the codes and state words given), and its
// reply checked as the stub checks it.
template <typename Code>
kern_return_t raise(mach_port_t port, mach_msg_id_t id, mach_port_t thread, mach_port_t task,
		    exception_type_t exception, const Code *code, mach_msg_type_number_t count)
{
	uint32_t in[2 + 2 * sizeof(Code) / 4];
	const mach_port_t rights[2] = { thread, task };

	if (count > 2)
		return MIG_ARRAY_TOO_LARGE;
	in[0] = static_cast<uint32_t>(exception);
	in[1] = count;
	if (count)
		memcpy(&in[2], code, sizeof(Code) * count);
	return libmach::rpc_general(port, id, rights, 2, MACH_MSG_TYPE_COPY_SEND, in,
				    2 + count * sizeof(Code) / 4, nullptr, 0, nullptr, 0, nullptr);
}

// The state forms: the reply's flavor into *flavor, its state (at most
// THREAD_STATE_MAX words, the room MIG's stub assumes) into new_state.
template <typename Code>
kern_return_t raise_state(mach_port_t port, mach_msg_id_t id, const mach_port_t *rights,
			  exception_type_t exception, const Code *code,
			  mach_msg_type_number_t count, int *flavor, const natural_t *old_state,
			  mach_msg_type_number_t old_count, natural_t *new_state,
			  mach_msg_type_number_t *new_count)
{
	uint32_t in[2 + 2 * sizeof(Code) / 4 + 2 + state_max], out[2 + state_max];
	unsigned n = 0, got = 0;

	if (count > 2 || old_count > state_max)
		return MIG_ARRAY_TOO_LARGE;
	if (!flavor || !new_state || !new_count || (old_count && !old_state))
		return KERN_INVALID_ARGUMENT;
	in[n++] = static_cast<uint32_t>(exception);
	in[n++] = count;
	if (count)
		memcpy(&in[n], code, sizeof(Code) * count);
	n += count * sizeof(Code) / 4;
	in[n++] = static_cast<uint32_t>(*flavor);
	in[n++] = old_count;
	if (old_count)
		memcpy(&in[n], old_state, 4 * old_count);
	n += old_count;
	kern_return_t kr = libmach::rpc_general(port, id, rights, rights ? 2 : 0,
						MACH_MSG_TYPE_COPY_SEND, in, n, nullptr, 0, out,
						2 + state_max, &got);
	if (kr != KERN_SUCCESS)
		return kr;
	// flavor, new_stateCnt and exactly that many words.
	if (got < 2 || out[1] > state_max || out[1] != got - 2)
		return MIG_TYPE_ERROR;
	*flavor = static_cast<int>(out[0]);
	memcpy(new_state, &out[2], 4 * out[1]);
	*new_count = out[1];
	return KERN_SUCCESS;
}

} // namespace

LIBMACH_API mig_routine_t exc_server_routine(mach_msg_header_t *InHeadP)
{
	return exc_routine(InHeadP->msgh_id);
}

LIBMACH_API boolean_t exc_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	return demux(exc_routine(InHeadP->msgh_id), InHeadP, OutHeadP);
}

LIBMACH_API mig_routine_t mach_exc_server_routine(mach_msg_header_t *InHeadP)
{
	return mach_exc_routine(InHeadP->msgh_id);
}

LIBMACH_API boolean_t mach_exc_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	return demux(mach_exc_routine(InHeadP->msgh_id), InHeadP, OutHeadP);
}

LIBMACH_API kern_return_t exception_raise(mach_port_t exception_port, mach_port_t thread,
					  mach_port_t task, exception_type_t exception,
					  exception_data_t code, mach_msg_type_number_t codeCnt)
{
	return raise<integer_t>(exception_port, exc_base, thread, task, exception, code, codeCnt);
}

LIBMACH_API kern_return_t exception_raise_state(mach_port_t exception_port,
						exception_type_t exception,
						const exception_data_t code,
						mach_msg_type_number_t codeCnt, int *flavor,
						const thread_state_t old_state,
						mach_msg_type_number_t old_stateCnt,
						thread_state_t new_state,
						mach_msg_type_number_t *new_stateCnt)
{
	return raise_state<integer_t>(exception_port, exc_base + 1, nullptr, exception, code,
				      codeCnt, flavor, old_state, old_stateCnt, new_state,
				      new_stateCnt);
}

LIBMACH_API kern_return_t exception_raise_state_identity(mach_port_t exception_port,
							 mach_port_t thread, mach_port_t task,
							 exception_type_t exception,
							 exception_data_t code,
							 mach_msg_type_number_t codeCnt, int *flavor,
							 thread_state_t old_state,
							 mach_msg_type_number_t old_stateCnt,
							 thread_state_t new_state,
							 mach_msg_type_number_t *new_stateCnt)
{
	const mach_port_t rights[2] = { thread, task };

	return raise_state<integer_t>(exception_port, exc_base + 2, rights, exception, code,
				      codeCnt, flavor, old_state, old_stateCnt, new_state,
				      new_stateCnt);
}

LIBMACH_API kern_return_t mach_exception_raise(mach_port_t exception_port, mach_port_t thread,
					       mach_port_t task, exception_type_t exception,
					       mach_exception_data_t code,
					       mach_msg_type_number_t codeCnt)
{
	return raise<int64_t>(exception_port, mach_exc_base, thread, task, exception, code,
			      codeCnt);
}

LIBMACH_API kern_return_t mach_exception_raise_state(mach_port_t exception_port,
						     exception_type_t exception,
						     const mach_exception_data_t code,
						     mach_msg_type_number_t codeCnt, int *flavor,
						     const thread_state_t old_state,
						     mach_msg_type_number_t old_stateCnt,
						     thread_state_t new_state,
						     mach_msg_type_number_t *new_stateCnt)
{
	return raise_state<int64_t>(exception_port, mach_exc_base + 1, nullptr, exception, code,
				    codeCnt, flavor, old_state, old_stateCnt, new_state,
				    new_stateCnt);
}

LIBMACH_API kern_return_t mach_exception_raise_state_identity(
	mach_port_t exception_port, mach_port_t thread, mach_port_t task,
	exception_type_t exception, mach_exception_data_t code, mach_msg_type_number_t codeCnt,
	int *flavor, thread_state_t old_state, mach_msg_type_number_t old_stateCnt,
	thread_state_t new_state, mach_msg_type_number_t *new_stateCnt)
{
	const mach_port_t rights[2] = { thread, task };

	return raise_state<int64_t>(exception_port, mach_exc_base + 2, rights, exception, code,
				    codeCnt, flavor, old_state, old_stateCnt, new_state,
				    new_stateCnt);
}
