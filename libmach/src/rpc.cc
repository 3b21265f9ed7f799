// SPDX-License-Identifier: LGPL-2.1-or-later
// rpc.cc - calls sent as MIG messages to ports that are no kernel
// object's (rpc.h); the replies checked as a MIG user stub checks them.
#include "rpc.h"

#include <string.h>

namespace libmach {
namespace {

// Room for the largest request or reply of a call sent so (a thread
// state: 1296 words), and the trailer a receive appends.
constexpr unsigned max_words = 1300;
// ... and of port descriptors in one (task_get_exception_ports: 32).
constexpr unsigned max_ports = 32;

#pragma pack(push, 4)
struct simple_body {
	NDR_record_t ndr;
	uint32_t words[max_words];
};

struct port_body {
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	uint32_t words[max_words];
};

struct ports_body {
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t ports;
	NDR_record_t ndr;
	mach_msg_type_number_t count;
};

struct reply_body {
	NDR_record_t ndr;
	kern_return_t ret;
	uint32_t words[max_words];
};

struct buffer {
	mach_msg_header_t head;
	union {
		simple_body in;
		port_body in_port;
		reply_body out;
		port_body out_port;
		ports_body out_ports;
	};
	mach_msg_max_trailer_t trailer;
};
#pragma pack(pop)

constexpr mach_msg_size_t header = sizeof(mach_msg_header_t);
constexpr mach_msg_size_t error_reply = sizeof(mig_reply_error_t);

// Sends b's request of size bytes to target with the thread's reply
// port, and receives the reply into b: a MIG user stub's exchange.
kern_return_t exchange(buffer &b, mach_port_t target, mach_msg_id_t id, mach_msg_size_t size)
{
	mach_port_t reply = mig_get_reply_port();

	b.head.msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b.head.msgh_size = size;
	b.head.msgh_remote_port = target;
	b.head.msgh_local_port = reply;
	b.head.msgh_voucher_port = MACH_PORT_NULL;
	b.head.msgh_id = id;
	mach_msg_return_t mr = mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG, size, sizeof(b),
					reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		// Sent but not answered: a reply that came late must not be
		// taken for the next call's.
		if ((mr & 0xffffc000) == (MACH_RCV_IN_PROGRESS & 0xffffc000))
			mig_dealloc_reply_port(reply);
		return mr;
	}
	mig_put_reply_port(reply);
	if (b.head.msgh_id != id + 100) {
		// Not our reply: what it carries is not ours to keep either.
		mach_msg_destroy(&b.head);
		return b.head.msgh_id == MACH_NOTIFY_SEND_ONCE ? MIG_SERVER_DIED :
								 MIG_REPLY_MISMATCH;
	}
	return KERN_SUCCESS;
}

bool is_complex(const buffer &b)
{
	return b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX;
}

// A reply in the error form: simple, mig_reply_error_t's size, and an error.
bool is_error_reply(const buffer &b)
{
	return !is_complex(b) && b.head.msgh_size == error_reply && b.out.ret != KERN_SUCCESS;
}

void start_simple(buffer &b, const uint32_t *in, unsigned n_in)
{
	b.head.msgh_bits = 0;
	b.in.ndr = NDR_record;
	if (n_in)
		memcpy(b.in.words, in, 4 * n_in);
}

} // namespace

kern_return_t rpc_general(mach_port_t target, mach_msg_id_t id, const mach_port_t *ports_in,
			  unsigned n_ports_in, mach_msg_type_name_t disposition,
			  const uint32_t *in, unsigned n_in, mach_port_t *ports_out,
			  unsigned n_ports_out, uint32_t *out, unsigned max_out, unsigned *n_out,
			  mach_msg_type_name_t out_disposition)
{
	buffer b;
	unsigned char *p = reinterpret_cast<unsigned char *>(&b) + header;

	if (n_ports_in > max_ports || n_ports_out > max_ports || n_in > max_words ||
	    max_out > max_words ||
	    sizeof(mach_msg_body_t) + n_ports_in * sizeof(mach_msg_port_descriptor_t) +
	    sizeof(NDR_record_t) + 4 * n_in > sizeof(b) - header - sizeof(b.trailer))
		return MIG_ARRAY_TOO_LARGE;
	// The request: port descriptors first, then NDR and the words.
	b.head.msgh_bits = n_ports_in ? MACH_MSGH_BITS_COMPLEX : 0;
	if (n_ports_in) {
		mach_msg_body_t body = { n_ports_in };
		memcpy(p, &body, sizeof(body));
		p += sizeof(body);
		for (unsigned i = 0; i < n_ports_in; i++) {
			mach_msg_port_descriptor_t d = {};
			d.name = ports_in[i];
			d.disposition = disposition;
			d.type = MACH_MSG_PORT_DESCRIPTOR;
			memcpy(p, &d, sizeof(d));
			p += sizeof(d);
		}
	}
	if (n_in) {
		memcpy(p, &NDR_record, sizeof(NDR_record));
		memcpy(p + sizeof(NDR_record), in, 4 * n_in);
		p += sizeof(NDR_record) + 4 * n_in;
	}
	mach_msg_size_t size = p - reinterpret_cast<unsigned char *>(&b);
	kern_return_t kr = exchange(b, target, id, size);
	if (kr != KERN_SUCCESS)
		return kr;

	// The reply: an error, or what the routine's reply carries.
	if (!is_complex(b) && b.head.msgh_size == error_reply && b.out.ret != KERN_SUCCESS)
		return b.out.ret;
	if (!n_ports_out) {
		unsigned words = (b.head.msgh_size - error_reply) / 4;
		if (is_complex(b) || b.head.msgh_size < error_reply || (b.head.msgh_size & 3) ||
		    b.out.ret != KERN_SUCCESS || words > max_out || (!n_out && words != max_out)) {
			mach_msg_destroy(&b.head);	/* what it carried goes */
			return MIG_TYPE_ERROR;
		}
		if (words)
			memcpy(out, b.out.words, 4 * words);
		if (n_out)
			*n_out = words;
		return KERN_SUCCESS;
	}
	const unsigned char *q = reinterpret_cast<const unsigned char *>(&b) + header;
	mach_msg_body_t body;
	memcpy(&body, q, sizeof(body));
	mach_msg_size_t fixed = header + sizeof(body) +
				n_ports_out * sizeof(mach_msg_port_descriptor_t);
	bool ok = is_complex(b) && body.msgh_descriptor_count == n_ports_out &&
		  b.head.msgh_size >= fixed;
	unsigned words = 0;
	if (ok && b.head.msgh_size > fixed) {
		ok = max_out && b.head.msgh_size >= fixed + sizeof(NDR_record_t) &&
		     !((b.head.msgh_size - fixed) & 3);
		words = ok ? (b.head.msgh_size - fixed - sizeof(NDR_record_t)) / 4 : 0;
		ok = ok && words <= max_out && (n_out || words == max_out);
	} else if (ok) {
		ok = !max_out || (n_out != nullptr);
	}
	for (unsigned i = 0; ok && i < n_ports_out; i++) {
		mach_msg_port_descriptor_t d;
		memcpy(&d, q + sizeof(body) + i * sizeof(d), sizeof(d));
		ok = d.type == MACH_MSG_PORT_DESCRIPTOR &&
		     (d.name == MACH_PORT_NULL || d.disposition == out_disposition);
		ports_out[i] = d.name;
	}
	if (!ok) {
		mach_msg_destroy(&b.head);
		for (unsigned i = 0; i < n_ports_out; i++)
			ports_out[i] = MACH_PORT_NULL;
		return MIG_TYPE_ERROR;
	}
	if (words)
		memcpy(out, reinterpret_cast<const unsigned char *>(&b) + fixed + sizeof(NDR_record_t),
		       4 * words);
	if (n_out)
		*n_out = words;
	return KERN_SUCCESS;
}

kern_return_t rpc(mach_port_t target, mach_msg_id_t id, const uint32_t *in, unsigned n_in,
		  uint32_t *out, unsigned max_out, unsigned *n_out)
{
	return rpc_general(target, id, nullptr, 0, 0, in, n_in, nullptr, 0, out, max_out, n_out);
}

kern_return_t rpc_count_out(mach_port_t target, mach_msg_id_t id, const uint32_t *in,
			    unsigned n_in, unsigned mig_max, void *data,
			    mach_msg_type_number_t *count)
{
	constexpr unsigned args_max = 3, words_max = 1296;	// thread_state_t's
	uint32_t q[args_max + 1], out[1 + words_max];
	unsigned n;

	if (n_in > args_max || mig_max > words_max)
		return MIG_ARRAY_TOO_LARGE;
	memcpy(q, in, 4 * n_in);
	q[n_in] = *count < mig_max ? *count : mig_max;
	kern_return_t kr = rpc(target, id, q, n_in + 1, out, 1 + mig_max, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	if (n < 1 || out[0] != n - 1 || out[0] > *count)
		return MIG_TYPE_ERROR;
	memcpy(data, &out[1], 4 * out[0]);
	*count = out[0];
	return KERN_SUCCESS;
}

kern_return_t rpc_with_port(mach_port_t target, mach_msg_id_t id, mach_port_t port,
			    mach_msg_type_name_t disposition, const uint32_t *in,
			    unsigned n_in)
{
	return rpc_general(target, id, &port, 1, disposition, in, n_in, nullptr, 0, nullptr, 0,
			   nullptr);
}

kern_return_t rpc_port_out(mach_port_t target, mach_msg_id_t id, const uint32_t *in,
			   unsigned n_in, mach_port_t *port)
{
	*port = MACH_PORT_NULL;
	return rpc_general(target, id, nullptr, 0, 0, in, n_in, port, 1, nullptr, 0, nullptr);
}

kern_return_t rpc_poly_port_out(mach_port_t target, mach_msg_id_t id, const uint32_t *in,
				unsigned n_in, mach_port_t *port, mach_msg_type_name_t *type)
{
	buffer b;

	*port = MACH_PORT_NULL;
	*type = 0;
	if (n_in > max_words)
		return MIG_ARRAY_TOO_LARGE;
	start_simple(b, in, n_in);
	kern_return_t kr = exchange(b, target, id, header + sizeof(NDR_record_t) + 4 * n_in);
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_error_reply(b))
		return b.out.ret;
	const mach_msg_port_descriptor_t &d = b.out_port.port;
	mach_msg_type_name_t got = d.disposition;
	if (!is_complex(b) ||
	    b.head.msgh_size != header + sizeof(mach_msg_body_t) + sizeof(d) ||
	    b.out_port.body.msgh_descriptor_count != 1 || d.type != MACH_MSG_PORT_DESCRIPTOR ||
	    (d.name != MACH_PORT_NULL && got != MACH_MSG_TYPE_PORT_RECEIVE &&
	     got != MACH_MSG_TYPE_PORT_SEND && got != MACH_MSG_TYPE_PORT_SEND_ONCE)) {
		mach_msg_destroy(&b.head);
		return MIG_TYPE_ERROR;
	}
	*port = d.name;
	*type = got;
	return KERN_SUCCESS;
}

kern_return_t rpc_ports_out(mach_port_t target, mach_msg_id_t id, mach_port_t **ports,
			    mach_msg_type_number_t *count)
{
	buffer b;

	start_simple(b, nullptr, 0);
	kern_return_t kr = exchange(b, target, id, header);
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_error_reply(b))
		return b.out.ret;
	if (!is_complex(b) || b.head.msgh_size != header + sizeof(ports_body) ||
	    b.out_ports.body.msgh_descriptor_count != 1 ||
	    b.out_ports.ports.type != MACH_MSG_OOL_PORTS_DESCRIPTOR ||
	    b.out_ports.ports.count != b.out_ports.count) {
		mach_msg_destroy(&b.head);
		return MIG_TYPE_ERROR;
	}
	*ports = static_cast<mach_port_t *>(b.out_ports.ports.address);
	*count = b.out_ports.count;
	return KERN_SUCCESS;
}

kern_return_t rpc_memory(mach_port_t target, mach_msg_id_t id, bool with_data, const void *data,
			 uint32_t size, const uint32_t *in, unsigned n_in, void **out, uint32_t *counts,
			 unsigned n_out, unsigned unit, uint32_t *words, unsigned n_words)
{
	constexpr unsigned max_ool = 2;
	buffer b;
	unsigned char *base = reinterpret_cast<unsigned char *>(&b);
	unsigned char *p = base + header;

	if (n_in > 8 || n_out > max_ool)
		return MIG_ARRAY_TOO_LARGE;
	b.head.msgh_bits = with_data ? MACH_MSGH_BITS_COMPLEX : 0;
	if (with_data) {
		mach_msg_body_t body = { 1 };
		mach_msg_ool_descriptor_t d = {};
		d.address = const_cast<void *>(data);
		d.size = size;
		d.deallocate = FALSE;
		d.copy = MACH_MSG_VIRTUAL_COPY;
		d.type = MACH_MSG_OOL_DESCRIPTOR;
		memcpy(p, &body, sizeof(body));
		memcpy(p + sizeof(body), &d, sizeof(d));
		p += sizeof(body) + sizeof(d);
	}
	if (n_in) {	// (a request of no words has no NDR)
		memcpy(p, &NDR_record, sizeof(NDR_record));
		memcpy(p + sizeof(NDR_record), in, 4 * n_in);
		p += sizeof(NDR_record) + 4 * n_in;
	}
	kern_return_t kr = exchange(b, target, id, p - base);
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_error_reply(b))
		return b.out.ret;
	if (!n_out) {
		bool ok = !is_complex(b) && b.head.msgh_size == error_reply + 4 * n_words;
		if (!ok)
			mach_msg_destroy(&b.head);
		else if (n_words)
			memcpy(words, b.out.words, 4 * n_words);
		return ok ? b.out.ret : MIG_TYPE_ERROR;
	}

	// The regions, then NDR, the words and their counts: each of unit items.
	const unsigned char *q = base + header;
	mach_msg_body_t body;
	memcpy(&body, q, sizeof(body));
	mach_msg_size_t words_at = header + sizeof(body) +
				   n_out * sizeof(mach_msg_ool_descriptor_t) + sizeof(NDR_record_t);
	mach_msg_size_t counts_at = words_at + 4 * n_words;
	bool ok = is_complex(b) && body.msgh_descriptor_count == n_out &&
		  b.head.msgh_size == counts_at + 4 * n_out;
	if (ok && n_words)
		memcpy(words, base + words_at, 4 * n_words);
	mach_msg_ool_descriptor_t d[max_ool];
	for (unsigned i = 0; ok && i < n_out; i++) {
		memcpy(&d[i], q + sizeof(body) + i * sizeof(d[i]), sizeof(d[i]));
		memcpy(&counts[i], base + counts_at + 4 * i, 4);
		ok = d[i].type == MACH_MSG_OOL_DESCRIPTOR &&
		     static_cast<uint64_t>(counts[i]) * unit == d[i].size;
	}
	if (!ok) {
		mach_msg_destroy(&b.head);
		return MIG_TYPE_ERROR;
	}
	for (unsigned i = 0; i < n_out; i++)
		out[i] = d[i].address;
	return KERN_SUCCESS;
}

kern_return_t rpc_task_create(mach_port_t target, mach_msg_id_t id, const mach_port_t *ports_in,
			      unsigned n_ports_in, const mach_port_t *ledgers,
			      mach_msg_type_number_t ledger_count, const uint32_t *in,
			      unsigned n_in, boolean_t inherit_memory, mach_port_t *child)
{
	buffer b;
	unsigned char *p = reinterpret_cast<unsigned char *>(&b) + header;

	*child = MACH_PORT_NULL;
	if (n_ports_in > max_ports || n_in > max_words - 2)
		return MIG_ARRAY_TOO_LARGE;
	b.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	mach_msg_body_t body = { n_ports_in + 1 };
	memcpy(p, &body, sizeof(body));
	p += sizeof(body);
	for (unsigned i = 0; i < n_ports_in; i++) {
		mach_msg_port_descriptor_t d = {};
		d.name = ports_in[i];
		d.disposition = MACH_MSG_TYPE_COPY_SEND;
		d.type = MACH_MSG_PORT_DESCRIPTOR;
		memcpy(p, &d, sizeof(d));
		p += sizeof(d);
	}
	mach_msg_ool_ports_descriptor_t d = {};
	d.address = const_cast<mach_port_t *>(ledgers);
	d.deallocate = FALSE;
	d.copy = MACH_MSG_VIRTUAL_COPY;
	d.disposition = MACH_MSG_TYPE_COPY_SEND;
	d.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	d.count = ledger_count;
	memcpy(p, &d, sizeof(d));
	p += sizeof(d);
	uint32_t tail[2] = { ledger_count, static_cast<uint32_t>(inherit_memory) };
	memcpy(p, &NDR_record, sizeof(NDR_record));
	p += sizeof(NDR_record);
	if (n_in)
		memcpy(p, in, 4 * n_in);
	p += 4 * n_in;
	memcpy(p, tail, sizeof(tail));
	p += sizeof(tail);
	mach_msg_size_t size = p - reinterpret_cast<unsigned char *>(&b);
	kern_return_t kr = exchange(b, target, id, size);
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_error_reply(b))
		return b.out.ret;
	const mach_msg_port_descriptor_t &port = b.out_port.port;
	if (!is_complex(b) ||
	    b.head.msgh_size != header + sizeof(mach_msg_body_t) + sizeof(port) ||
	    b.out_port.body.msgh_descriptor_count != 1 || port.type != MACH_MSG_PORT_DESCRIPTOR ||
	    (port.name != MACH_PORT_NULL && port.disposition != MACH_MSG_TYPE_PORT_SEND)) {
		mach_msg_destroy(&b.head);
		return MIG_TYPE_ERROR;
	}
	*child = port.name;
	return KERN_SUCCESS;
}

} // namespace libmach
