// SPDX-License-Identifier: GPL-2.0
/*
 * msg.cc - mach_msg. A send is checked whole before anything is taken
 * from the sender: header, sizes, the destination right, room in the
 * queue; only then are the header's rights moved into the message, all
 * or none. A receive hands the reply right to the receiver's space and
 * consumes the destination right.
 */
#include "msg.h"

#include "port.h"
#include "space.h"
#include "task.h"
#include "uapi.h"

namespace mach {
namespace {

constexpr u32 trailer_elements_shift = 24;
constexpr u32 trailer_type_shift = 28;

/* mach_msg_audit_trailer_t and its prefixes (format 0). */
struct Trailer {
	u32 type;
	u32 size;
	u32 seqno;
	u32 security[2];
	u32 audit[8];
};
static_assert(sizeof(Trailer) == 52);

constexpr u32 trailer_sizes[] = {8, 12, 20, 52};

bool is_send(u32 disposition)
{
	return disposition >= MoveSend && disposition <= MakeSendOnce;
}

bool is_send_once(u32 disposition)
{
	return disposition == MoveSendOnce || disposition == MakeSendOnce;
}

u64 timeout_of(u32 option, u32 flag, u32 timeout)
{
	return option & flag ? timeout : MACH_SHIM_FOREVER;
}

Kr send(Task &caller, const mach_msg_args &args)
{
	if (args.send_size < sizeof(MsgHeader) || (args.send_size & 3))
		return Kr::SendMsgTooSmall;
	if (args.send_size > msg_size_max)
		return Kr::SendTooLarge;

	MsgHeader header;
	if (mach_shim_copy_in(&header, args.msg, sizeof(header)))
		return Kr::SendInvalidData;
	u32 dest_disp = header.bits & msgh_bits_remote_mask;
	u32 reply_disp = (header.bits & msgh_bits_local_mask) >> 8;
	if (!is_send(dest_disp))
		return Kr::SendInvalidHeader;
	if (reply_disp ? !is_send(reply_disp) : header.local_port != Name::null)
		return Kr::SendInvalidHeader;
	if (header.bits & msgh_bits_voucher_mask)
		return Kr::SendInvalidHeader;	/* no vouchers here */
	if (header.bits & msgh_bits_complex)
		return Kr::SendInvalidType;	/* descriptors: not yet */

	Message *msg = Message::create(args.send_size);
	if (!msg)
		return Kr::ResourceShortage;
	if (mach_shim_copy_in(msg->body, args.msg + sizeof(header), msg->body_size())) {
		Message::destroy(msg);
		return Kr::SendInvalidData;
	}
	msg->id = header.id;
	msg->other_bits = header.bits & ~(msgh_bits_remote_mask | msgh_bits_local_mask |
					  msgh_bits_voucher_mask);
	mach_shim_current_tokens(msg->security, msg->audit);

	Ref<Port> dest = caller.space().peek_dest(Name{header.remote_port}, dest_disp);
	/* Kernel objects take their calls as ioctls, not as messages. */
	if (!dest || dest->is_kernel()) {
		Message::destroy(msg);
		return Kr::SendInvalidDest;
	}

	bool needs_room = !is_send_once(dest_disp);
	if (needs_room) {
		Kr kr = dest->reserve(timeout_of(args.option, SendTimeout, args.timeout),
				      args.option & SendInterrupt);
		if (kr != Kr::Success) {
			Message::destroy(msg);
			return kr;
		}
	}
	Kr kr = caller.space().copyin_header(header, dest.get(), msg);
	if (kr != Kr::Success) {
		if (needs_room)
			dest->unreserve();
		Message::destroy(msg);
		return kr;
	}
	if (!dest->enqueue(msg, needs_room)) {
		Message::destroy(msg);	/* died meanwhile: its rights go */
		return Kr::SendInvalidDest;
	}
	return Kr::Success;
}

Kr receive(Task &caller, const mach_msg_args &args)
{
	u32 trailer = trailer_size(args.option);
	if (!trailer)
		return Kr::RcvInvalidTrailer;
	if (args.notify != Name::null)
		return Kr::RcvInvalidNotify;

	Ref<Port> port = caller.space().lookup_receive(Name{args.rcv_name});
	if (!port)
		return Kr::RcvInvalidName;

	Message *msg = nullptr;
	u32 needed = 0;
	bool large = args.option & RcvLarge;
	Kr kr = port->dequeue(timeout_of(args.option, RcvTimeout, args.timeout),
			      args.rcv_size, large, trailer, &msg, &needed);
	if (kr == Kr::RcvTooLarge) {
		if (msg)
			Message::destroy(msg);	/* without MACH_RCV_LARGE it is lost */
		/* Either way the caller learns the size it would need. */
		if (args.rcv_size >= 8 && mach_shim_copy_out(args.msg + 4, &needed, 4))
			return Kr::RcvInvalidData;
		return kr;
	}
	if (kr != Kr::Success)
		return kr;

	MsgHeader header{};
	header.size = msg->size;
	header.id = msg->id;
	header.local_port = args.rcv_name;
	u32 reply_type = 0;
	if (msg->reply.port) {
		reply_type = msg->reply.type;
		TransitRight reply = msg->reply;
		msg->reply = {};
		if (caller.space().copyout(reply, &header.remote_port) != Kr::Success)
			header.remote_port = Name::null;	/* no room: the right is lost */
	}
	u32 dest_type = msg->dest.type;
	header.bits = msg->other_bits | reply_type | (dest_type << 8);

	Trailer t{};
	t.size = trailer;
	t.seqno = msg->seqno;
	__builtin_memcpy(t.security, msg->security, sizeof(t.security));
	__builtin_memcpy(t.audit, msg->audit, sizeof(t.audit));

	bool fault = mach_shim_copy_out(args.msg, &header, sizeof(header)) ||
		     mach_shim_copy_out(args.msg + sizeof(header), msg->body, msg->body_size()) ||
		     mach_shim_copy_out(args.msg + msg->size, &t, trailer);
	Message::destroy(msg);	/* drops the destination right it came on */
	return fault ? Kr::RcvInvalidData : Kr::Success;
}

} /* namespace */

u32 trailer_size(u32 option)
{
	u32 type = (option >> trailer_type_shift) & 0xf;
	u32 elements = (option >> trailer_elements_shift) & 0xf;
	if (type != 0 || elements >= sizeof(trailer_sizes) / sizeof(trailer_sizes[0]))
		return 0;
	return trailer_sizes[elements];
}

Kr mach_msg(Task &caller, const mach_msg_args &args)
{
	if (args.option & SendMsg) {
		Kr kr = send(caller, args);
		if (kr != Kr::Success)
			return kr;
	}
	if (args.option & RcvMsg)
		return receive(caller, args);
	return Kr::Success;
}

} /* namespace mach */
