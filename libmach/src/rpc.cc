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
	if (b.head.msgh_id != id + 100)
		return b.head.msgh_id == MACH_NOTIFY_SEND_ONCE ? MIG_SERVER_DIED :
								 MIG_REPLY_MISMATCH;
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

// What the request's size is: the header alone when it carries nothing.
mach_msg_size_t simple_size(unsigned n_in)
{
	return n_in ? header + sizeof(NDR_record_t) + 4 * n_in : header;
}

} // namespace

kern_return_t rpc(mach_port_t target, mach_msg_id_t id, const uint32_t *in, unsigned n_in,
		  uint32_t *out, unsigned max_out, unsigned *n_out)
{
	buffer b;

	if (n_in > max_words || max_out > max_words)
		return MIG_ARRAY_TOO_LARGE;
	start_simple(b, in, n_in);
	kern_return_t kr = exchange(b, target, id, simple_size(n_in));
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_complex(b) || b.head.msgh_size < error_reply || (b.head.msgh_size & 3))
		return MIG_TYPE_ERROR;
	if (b.out.ret != KERN_SUCCESS)
		return b.head.msgh_size == error_reply ? b.out.ret : MIG_TYPE_ERROR;
	unsigned words = (b.head.msgh_size - error_reply) / 4;
	if (words > max_out || (!n_out && words != max_out))
		return MIG_TYPE_ERROR;
	if (words)
		memcpy(out, b.out.words, 4 * words);
	if (n_out)
		*n_out = words;
	return KERN_SUCCESS;
}

kern_return_t rpc_with_port(mach_port_t target, mach_msg_id_t id, mach_port_t port,
			    mach_msg_type_name_t disposition, const uint32_t *in,
			    unsigned n_in)
{
	buffer b;

	if (n_in > max_words)
		return MIG_ARRAY_TOO_LARGE;
	b.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	b.in_port.body.msgh_descriptor_count = 1;
	memset(&b.in_port.port, 0, sizeof(b.in_port.port));
	b.in_port.port.name = port;
	b.in_port.port.disposition = disposition;
	b.in_port.port.type = MACH_MSG_PORT_DESCRIPTOR;
	b.in_port.ndr = NDR_record;
	if (n_in)
		memcpy(b.in_port.words, in, 4 * n_in);
	mach_msg_size_t size = header + sizeof(mach_msg_body_t) +
			       sizeof(mach_msg_port_descriptor_t) + sizeof(NDR_record_t) + 4 * n_in;
	kern_return_t kr = exchange(b, target, id, size);
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_complex(b) || b.head.msgh_size != error_reply)
		return MIG_TYPE_ERROR;
	return b.out.ret;
}

kern_return_t rpc_port_out(mach_port_t target, mach_msg_id_t id, const uint32_t *in,
			   unsigned n_in, mach_port_t *port)
{
	buffer b;

	*port = MACH_PORT_NULL;
	if (n_in > max_words)
		return MIG_ARRAY_TOO_LARGE;
	start_simple(b, in, n_in);
	kern_return_t kr = exchange(b, target, id, simple_size(n_in));
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_error_reply(b))
		return b.out.ret;
	if (!is_complex(b) || b.head.msgh_size != header + sizeof(mach_msg_body_t) +
						  sizeof(mach_msg_port_descriptor_t) ||
	    b.out_port.body.msgh_descriptor_count != 1 ||
	    b.out_port.port.type != MACH_MSG_PORT_DESCRIPTOR) {
		mach_msg_destroy(&b.head);
		return MIG_TYPE_ERROR;
	}
	*port = b.out_port.port.name;
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

} // namespace libmach
