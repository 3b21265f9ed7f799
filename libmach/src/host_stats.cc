// SPDX-License-Identifier: LGPL-2.1-or-later
// host_stats.cc - host_statistics, host_statistics64, host_processor_info.
#include <string.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

// MIG's largest counts of host_info_t and host_info64_t words.
constexpr unsigned host_info_max = 68;
constexpr unsigned host_info64_max = 256;

kern_return_t statistics(host_t host, unsigned op, mach_msg_id_t id, unsigned mig_max,
			 host_flavor_t flavor, integer_t *info, mach_msg_type_number_t *count)
{
	if (!count)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = op;
	args.host = host;
	args.which = flavor;
	args.count = *count;
	args.data = reinterpret_cast<__u64>(info);
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == libmach::send_as_message) {
		uint32_t in[1] = { static_cast<uint32_t>(flavor) };
		return libmach::rpc_count_out(host, id, in, 1, mig_max, info, count);
	}
	if (kr == KERN_SUCCESS)
		*count = args.count;
	return kr;
}

#pragma pack(push, 4)
// host_processor_info's reply: the records out of line, then NDR, the
// processor count and the records' count in words.
struct processor_info_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t info;
	NDR_record_t ndr;
	natural_t processors;
	mach_msg_type_number_t words;
	mach_msg_max_trailer_t trailer;
};
struct processor_info_request {
	mach_msg_header_t head;
	NDR_record_t ndr;
	processor_flavor_t flavor;
};
#pragma pack(pop)

// host_processor_info (204) sent to a port standing in for a host.
kern_return_t processor_info_as_message(host_t host, processor_flavor_t flavor,
					natural_t *processors, processor_info_array_t *info,
					mach_msg_type_number_t *words)
{
	union {
		processor_info_request in;
		processor_info_reply out;
		mig_reply_error_t error;
	} b = {};
	mach_port_t reply = mig_get_reply_port();
	b.in.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b.in.head.msgh_size = sizeof(b.in);
	b.in.head.msgh_remote_port = host;
	b.in.head.msgh_local_port = reply;
	b.in.head.msgh_id = 204;
	b.in.ndr = NDR_record;
	b.in.flavor = flavor;
	mach_msg_return_t mr = mach_msg(&b.in.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(b.in),
					sizeof(b), reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		if ((mr & 0xffffc000) == (MACH_RCV_IN_PROGRESS & 0xffffc000))
			mig_dealloc_reply_port(reply);
		return mr;
	}
	mig_put_reply_port(reply);
	bool complex = b.out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX;
	if (b.out.head.msgh_id != 304) {
		mach_msg_destroy(&b.out.head);
		return MIG_REPLY_MISMATCH;
	}
	if (!complex && b.out.head.msgh_size == sizeof(mig_reply_error_t) &&
	    b.error.RetCode != KERN_SUCCESS)
		return b.error.RetCode;
	if (!complex || b.out.head.msgh_size != offsetof(processor_info_reply, trailer) ||
	    b.out.body.msgh_descriptor_count != 1 ||
	    b.out.info.type != MACH_MSG_OOL_DESCRIPTOR ||
	    uint64_t(b.out.words) * sizeof(integer_t) != b.out.info.size) {
		mach_msg_destroy(&b.out.head);
		return MIG_TYPE_ERROR;
	}
	*processors = b.out.processors;
	*info = static_cast<processor_info_array_t>(b.out.info.address);
	*words = b.out.words;
	return KERN_SUCCESS;
}

} // namespace

LIBMACH_API kern_return_t host_statistics(host_t host, host_flavor_t flavor, host_info_t info,
					  mach_msg_type_number_t *count)
{
	return statistics(host, MACH_HOST_STATISTICS, 216, host_info_max, flavor, info, count);
}

LIBMACH_API kern_return_t host_statistics64(host_t host, host_flavor_t flavor,
					    host_info64_t info, mach_msg_type_number_t *count)
{
	return statistics(host, MACH_HOST_STATISTICS64, 219, host_info64_max, flavor, info,
			  count);
}

LIBMACH_API kern_return_t host_processor_info(host_t host, processor_flavor_t flavor,
					      natural_t *processors,
					      processor_info_array_t *info,
					      mach_msg_type_number_t *words)
{
	if (!processors || !info || !words)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = MACH_HOST_PROCESSOR_INFO;
	args.host = host;
	args.which = flavor;
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == libmach::send_as_message)
		return processor_info_as_message(host, flavor, processors, info, words);
	if (kr == KERN_SUCCESS) {
		*processors = args.port;
		*info = reinterpret_cast<processor_info_array_t>(args.data);
		*words = args.count;
	}
	return kr;
}
