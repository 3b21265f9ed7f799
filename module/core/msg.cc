// SPDX-License-Identifier: GPL-2.0
/*
 * msg.cc - mach_msg. A send is checked whole before anything is taken
 * from the sender: header, sizes, the destination right, room in the
 * queue; only then are the header's rights moved into the message, all
 * or none. A send that gets no room (timed out, interrupted) takes them
 * all the same and gives the message back, as XNU's pseudo-receive. A
 * receive hands the reply right to the receiver's space and consumes
 * the destination right.
 */
#include "mig.h"
#include "msg.h"

#include "port.h"
#include "space.h"
#include "task.h"
#include "uapi.h"
#include "usercopy.h"

namespace mach {
namespace {

constexpr u32 trailer_elements_shift = 24;
constexpr u32 trailer_type_shift = 28;

/* mach_msg_audit_trailer_t and its prefixes (format 0). */
struct Trailer {		/* a value: its builder's only */
	u32 type;
	u32 size;
	u32 seqno;
	u32 security[2];
	u32 audit[8];
};
static_assert(sizeof(Trailer) == trailer_max);

/* ... and mach_msg_context_trailer_t (CTX), the audit one and a context. */
constexpr u32 trailer_sizes[] = {8, 12, 20, 52, 60};

/*
 * Copies a received message of size bytes (at msg, followed by its
 * trailer of up to trailer_max bytes) to the user; a context trailer's
 * context, past the room a message keeps, goes after it. True if it faulted.
 */
bool copy_out_received(u64 to, const void *msg, u32 size, u32 trailer, u64 context)
{
	u32 kept = trailer < trailer_max ? trailer : trailer_max;
	if (mach_small_copy_out(to, msg, size + kept))	/* small or not */
		return true;
	return trailer > trailer_max &&
	       mach_shim_copy_out(to + size + trailer_max, &context, sizeof(context));
}

bool is_send(u32 disposition)
{
	return disposition >= MoveSend && disposition <= MakeSendOnce;
}

bool is_send_once(u32 disposition)
{
	return disposition == MoveSendOnce || disposition == MakeSendOnce;
}

/* What a right or a range that could not be given out adds to the answer. */
enum CopyoutFailure : u32 {
	VmKernel = 0x400,	/* MACH_MSG_VM_KERNEL */
	IpcKernel = 0x800,	/* MACH_MSG_IPC_KERNEL */
	VmSpace = 0x1000,	/* MACH_MSG_VM_SPACE */
	IpcSpace = 0x2000,	/* MACH_MSG_IPC_SPACE */
};

Kr with_bits(Kr kr, u32 bits)
{
	return static_cast<Kr>(static_cast<u32>(kr) | bits);
}

/* Gives right to space: *name is its name there (null if it is lost). */
u32 copyout_right(Space &space, TransitRight right, u32 *name)
{
	Kr kr = space.copyout(right, name);
	if (kr == Kr::Success)
		return 0;
	*name = Name::null;	/* the right is gone */
	return kr == Kr::ResourceShortage ? IpcKernel : IpcSpace;
}

u64 timeout_of(u32 option, u32 flag, u32 timeout)
{
	return option & flag ? timeout : MACH_SHIM_FOREVER;
}

u32 load32(const unsigned char *p)
{
	u32 v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

u64 load64(const unsigned char *p)
{
	u64 v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

void store32(unsigned char *p, u32 v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

void store64(unsigned char *p, u64 v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

constexpr u32 port_descriptor_size = 12;
constexpr u32 ool_descriptor_size = 16;
constexpr u32 virtual_copy = 1;	/* MACH_MSG_VIRTUAL_COPY; 0 is PHYSICAL */

bool is_port_disposition(u32 disposition)
{
	return disposition >= MoveReceive && disposition <= MakeSendOnce;
}

/*
 * Checks the descriptors of a complex message and copies in what they
 * point at (out-of-line bytes, out-of-line port names). Takes no right:
 * that is copyin_message()'s, once everything here has passed.
 */
Kr parse_descriptors(Message *msg)
{
	const u32 body = msg->body_size();
	unsigned char *b = msg->body;

	if (body < 4)
		return Kr::SendMsgTooSmall;
	u32 count = load32(b);
	if (count > (body - 4) / port_descriptor_size)
		return Kr::SendMsgTooSmall;
	if (count > descriptors_max)
		return Kr::SendTooLarge;
	if (!count)
		return Kr::Success;
	if (!msg->charge.add(sizeof(Descriptor) * count))
		return Kr::SendNoBuffer;
	auto *descriptors = static_cast<Descriptor *>(
		mach_shim_alloc(Message::kind, sizeof(Descriptor) * count));
	if (!descriptors)
		return Kr::SendNoBuffer;
	msg->descriptors = descriptors;

	u32 offset = 4, ool_bytes = 0;
	for (u32 i = 0; i < count; i++) {
		if (body - offset < port_descriptor_size)
			return Kr::SendMsgTooSmall;
		Descriptor &d = descriptors[i];
		u32 word = load32(b + offset + 8);
		d.offset = offset;
		d.type = word >> 24;
		msg->descriptor_count = i + 1;	/* destroy() frees what is here */

		if (d.type == PortDescriptor) {
			d.name = load32(b + offset);
			d.disposition = (word >> 16) & 0xff;
			if (!is_port_disposition(d.disposition))
				return Kr::SendInvalidType;
			offset += port_descriptor_size;
			continue;
		}
		if (d.type != OolDescriptor && d.type != OolVolatileDescriptor &&
		    d.type != OolPortsDescriptor)
			return Kr::SendInvalidType;
		if (body - offset < ool_descriptor_size)
			return Kr::SendMsgTooSmall;
		d.address = load64(b + offset);
		d.deallocate = word & 0xff;
		d.count = load32(b + offset + 12);
		offset += ool_descriptor_size;

		if (d.type == OolPortsDescriptor) {
			d.disposition = (word >> 16) & 0xff;
			if (!is_port_disposition(d.disposition))
				return Kr::SendInvalidType;
			if (d.count > ool_ports_max)
				return Kr::SendTooLarge;
			if (!d.count)
				continue;
			if (!msg->charge.add((4 + sizeof(TransitRight)) * d.count))
				return Kr::SendNoBuffer;
			d.names = static_cast<u32 *>(mach_shim_alloc(Message::kind, 4 * d.count));
			d.rights = static_cast<TransitRight *>(
				mach_shim_alloc(Message::kind, sizeof(TransitRight) * d.count));
			if (!d.names || !d.rights)
				return Kr::SendNoBuffer;
			if (mach_shim_copy_in(d.names, d.address, 4 * d.count))
				return Kr::SendInvalidMemory;
			continue;
		}
		if (((word >> 8) & 0xff) > virtual_copy)	/* neither copy option */
			return Kr::SendInvalidType;
		if (d.count > ool_bytes_max - ool_bytes)
			return Kr::SendTooLarge;
		ool_bytes += d.count;
		if (!d.count)
			continue;
		if (!msg->charge.add(d.count))
			return Kr::SendNoBuffer;
		d.data = mach_shim_alloc(Message::kind, d.count);
		if (!d.data)
			return Kr::SendNoBuffer;
		if (mach_shim_copy_in(d.data, d.address, d.count))
			return Kr::SendInvalidMemory;
	}
	return Kr::Success;
}

/* Calls fn(port) for every receive right msg carries. */
template <typename Fn>
void for_each_carried_receive(Message *msg, Fn fn)
{
	for (u32 i = 0; i < msg->descriptor_count; i++) {
		Descriptor &d = msg->descriptors[i];
		if (d.right.port && d.right.type == MoveReceive)
			fn(d.right.port);
		for (u32 j = 0; d.rights && j < d.count; j++)
			if (d.rights[j].port && d.rights[j].type == MoveReceive)
				fn(d.rights[j].port);
	}
}

/* Will msg carry a receive right (known before any right is taken)? */
bool moves_receive(const Message *msg)
{
	for (u32 i = 0; i < msg->descriptor_count; i++)
		if (msg->descriptors[i].disposition == MoveReceive &&
		    (msg->descriptors[i].type == PortDescriptor ||
		     msg->descriptors[i].type == OolPortsDescriptor))
			return true;
	return false;
}

/*
 * The receive rights a message is about to carry, claimed before they are
 * taken: each port records dest as the port whose queue will hold it, so
 * that no other send can make it a link of a cycle meanwhile (a receive
 * right queued, however indirectly, on its own port could never be
 * received or destroyed). The transit lock is innermost: it is taken here
 * with no other lock held, and nothing is taken under it.
 */
class ReceiveClaims {
public:
	~ReceiveClaims()
	{
		if (ports_) {
			for (u32 i = 0; i < count_; i++)
				if (ports_[i])
					ports_[i]->put();
			mach_shim_free(MACH_KIND_MEMORY, ports_);
		}
	}

	/* Resolves the names msg moves receive rights from; false: no memory. */
	bool resolve(Space &space, Message *msg)
	{
		for (u32 i = 0; i < msg->descriptor_count; i++) {
			Descriptor &d = msg->descriptors[i];
			if (d.disposition == MoveReceive)
				count_ += d.type == PortDescriptor ? 1 : d.count;
		}
		if (!count_)
			return true;
		ports_ = static_cast<Port **>(mach_shim_alloc(MACH_KIND_MEMORY,
							     sizeof(Port *) * count_));
		if (!ports_)
			return false;
		u32 n = 0;
		for (u32 i = 0; i < msg->descriptor_count; i++) {
			Descriptor &d = msg->descriptors[i];
			if (d.disposition != MoveReceive)
				continue;
			u32 names = d.type == PortDescriptor ? 1 : d.count;
			for (u32 j = 0; j < names; j++) {
				u32 name = d.type == PortDescriptor ? d.name : d.names[j];
				ports_[n++] = space.lookup_receive(Name{name}).release();
			}
		}
		return true;
	}

	/*
	 * Claims them all for dest; false (none claimed) if that is a cycle,
	 * or one is claimed already: by another send of the same right, whose
	 * claim stays.
	 */
	bool claim(Port *dest)
	{
		u32 done = 0;
		mach_shim_transit_lock();
		while (done < count_ && (!ports_[done] || ports_[done]->claim_transit_locked(dest)))
			done++;
		claimed_ = done == count_;
		if (!claimed_)
			release_locked(done);
		mach_shim_transit_unlock();
		return claimed_;
	}

	/* The send did not happen: the claims go. */
	void release()
	{
		if (!claimed_)
			return;
		mach_shim_transit_lock();
		release_locked(count_);
		mach_shim_transit_unlock();
		claimed_ = false;
	}

	/* Is every receive right msg now carries one that was claimed? */
	bool covers(Message *msg)
	{
		bool all = true;
		for_each_carried_receive(msg, [&](Port *p) {
			bool found = false;
			for (u32 i = 0; i < count_ && !found; i++)
				found = ports_[i] == p;
			all = all && found;
		});
		return all;
	}

	/* Queued: the message's own rights now keep the claims. */
	void keep() { claimed_ = false; }

private:
	/* Unclaims the first n, all claimed by this message. */
	void release_locked(u32 n)
	{
		for (u32 i = 0; i < n; i++)
			if (ports_[i])
				ports_[i]->unclaim_transit_locked();
	}

	/* its sender's only (on its stack); the claims themselves: transit lock */
	Port **ports_ = nullptr;
	u32 count_ = 0;
	bool claimed_ = false;
};

/* A message of the sender's own, destroyed unless it is given away. */
class OwnedMessage {
public:
	explicit OwnedMessage(Message *msg) : msg_(msg) {}
	~OwnedMessage()
	{
		if (msg_)
			Message::destroy(msg_);
	}
	OwnedMessage(const OwnedMessage &) = delete;
	OwnedMessage &operator=(const OwnedMessage &) = delete;
	Message *get() const { return msg_; }
	Message *release()
	{
		Message *msg = msg_;
		msg_ = nullptr;
		return msg;
	}

private:
	Message *msg_;	/* its owner's only (on the stack) */
};

/* The sender asked for its out-of-line memory to go with the message. */
void deallocate_sent_memory(const Message *msg)
{
	for (u32 i = 0; i < msg->descriptor_count; i++) {
		const Descriptor &d = msg->descriptors[i];
		if (d.type == PortDescriptor || !d.deallocate || !d.count)
			continue;
		u64 bytes = d.type == OolPortsDescriptor ? 4ull * d.count : d.count;
		mach_shim_vm_deallocate(d.address, bytes);
	}
}

/*
 * Gives the receiver what the descriptors carry and rewrites them as it
 * must see them, as XNU does: names in its space under the type each
 * right travels as, addresses in its memory. Port arrays come with
 * deallocate set (the array is the receiver's to free), memory with
 * deallocate set for a virtual copy. Returns the MACH_MSG_IPC_* and
 * MACH_MSG_VM_* bits of what could not be given out (then lost).
 */
u32 deliver_descriptors(Task &caller, Message *msg)
{
	unsigned char *b = msg->body;
	u32 failed = 0;

	for (u32 i = 0; i < msg->descriptor_count; i++) {
		Descriptor &d = msg->descriptors[i];
		unsigned char *at = b + d.offset;
		u32 type = d.type << 24;

		if (d.type == PortDescriptor) {
			u32 name = d.name;	/* null or dead pass through */
			if (d.right.port) {
				TransitRight right = d.right;
				d.right = {};
				failed |= copyout_right(caller.space(), right, &name);
			}
			store32(at, name);
			store32(at + 4, 0);
			store32(at + 8, type | carried_type(d.disposition) << 16);
			continue;
		}

		u64 address = 0;
		u64 bytes = d.type == OolPortsDescriptor ? 4ull * d.count : d.count;
		bool mapped = !bytes || !mach_shim_vm_allocate(bytes, &address);
		if (!mapped) {
			failed |= VmSpace;	/* the rights die with the message */
			address = 0;
		}
		if (d.type == OolPortsDescriptor) {
			for (u32 j = 0; mapped && j < d.count; j++) {
				if (!d.rights[j].port)
					continue;	/* null or dead pass through */
				TransitRight right = d.rights[j];
				d.rights[j] = {};
				failed |= copyout_right(caller.space(), right, &d.names[j]);
			}
			if (address && mach_shim_copy_out(address, d.names, bytes))
				failed |= VmSpace;
			store64(at, address);
			store32(at + 8, type | carried_type(d.disposition) << 16 |
					virtual_copy << 8 | 1);
			continue;
		}
		if (address && mach_shim_copy_out(address, d.data, bytes))
			failed |= VmSpace;
		u32 copy = (load32(at + 8) >> 8) & 0xff;
		store64(at, address);
		store32(at + 8, type | copy << 8 | (copy == virtual_copy));
		if (!mapped)
			store32(at + 12, 0);
	}
	return failed;
}

/* A receive's answer for what its body could not give out. */
Kr body_result(u32 failed)
{
	return failed ? with_bits(Kr::RcvBodyError, failed) : Kr::Success;
}

/*
 * A send whose rights and memory were taken but that could not queue
 * (the queue stayed full, or a signal came) gives the message back as
 * XNU's pseudo-receive does: written over the sent one, its header not
 * swapped (remote is still the destination), every right in the
 * sender's space under the type it travels as, the memory in fresh
 * pages. The sender can send it again as it is, or destroy it. What
 * cannot be given back is lost, and its bits join failure.
 */
Kr pseudo_receive(Task &caller, const mach_msg_args &args, const MsgHeader &sent,
		  Message *msg, Kr failure)
{
	u32 failed = 0;
	MsgHeader &header = msg->header;

	u32 dest_name = Name::null;
	TransitRight dest = msg->dest;
	msg->dest = {};
	failed |= copyout_right(caller.space(), dest, &dest_name);
	/* A null reply name passes through; a dead one is MACH_PORT_DEAD. */
	u32 reply_name = msg->dead_reply ? u32{Name::dead} : sent.local_port;
	if (msg->reply.port) {
		TransitRight reply = msg->reply;
		msg->reply = {};
		failed |= copyout_right(caller.space(), reply, &reply_name);
	}
	u32 reply_disp = (sent.bits & msgh_bits_local_mask) >> 8;
	header = sent;
	header.size = msg->size;
	header.voucher_port = Name::null;
	header.bits = (sent.bits & msgh_bits_complex) |
		      carried_type(sent.bits & msgh_bits_remote_mask) |
		      carried_type(reply_disp) << 8;
	header.remote_port = dest_name;
	header.local_port = reply_name;
	u32 body = deliver_descriptors(caller, msg);
	if (body)
		failure = with_bits(failure, static_cast<u32>(Kr::RcvBodyError) | body);
	/* As on XNU, a buffer that cannot take it back changes no answer. */
	mach_shim_copy_out(args.msg, &header, msg->size);
	Message::destroy(msg);
	return with_bits(failure, failed);
}

Kr send(Task &caller, const mach_msg_args &args)
{
	if (args.send_size < sizeof(MsgHeader) || (args.send_size & 3))
		return Kr::SendMsgTooSmall;
	if (args.send_size > msg_size_max)
		return Kr::SendTooLarge;

	/* Kernel memory short, or past the owner's limit (below): no buffer. */
	Message *msg = Message::create(args.send_size);
	if (!msg)
		return Kr::SendNoBuffer;
	/* By words when small: no hardened-usercopy walk of the slab. */
	if (mach_small_copy_in(&msg->header, args.msg, args.send_size)) {
		Message::destroy(msg);
		return Kr::SendInvalidData;
	}
	const MsgHeader header = msg->header;
	u32 dest_disp = header.bits & msgh_bits_remote_mask;
	u32 reply_disp = (header.bits & msgh_bits_local_mask) >> 8;
	bool bad_header = !is_send(dest_disp) ||
			  (reply_disp ? !is_send(reply_disp) : header.local_port != Name::null) ||
			  (header.bits & msgh_bits_voucher_mask);	/* no vouchers here */
	if (bad_header) {
		Message::destroy(msg);
		return Kr::SendInvalidHeader;
	}
	/* The header before the body, as XNU copies them in. */
	Ref<Port> dest = caller.space().peek_dest(Name{header.remote_port}, dest_disp);
	if (!dest) {
		Message::destroy(msg);
		return Kr::SendInvalidDest;
	}
	/*
	 * A kernel object serves the request as it is sent: nothing queues.
	 * Its reply is made first, so that no memory for it is no loss.
	 */
	bool to_kernel = dest->is_kernel();
	OwnedMessage reply{to_kernel ? Message::create(mig_reply_size(header.id)) : nullptr};
	if (to_kernel && !reply.get()) {
		Message::destroy(msg);
		return Kr::SendNoBuffer;
	}
	/* Counted against the destination's owner until received or destroyed. */
	dest->bind_owner(msg->charge);
	if (!msg->charge.add(sizeof(Message) + args.send_size + trailer_max)) {
		Message::destroy(msg);
		return Kr::SendNoBuffer;
	}
	if (header.bits & msgh_bits_complex) {
		Kr kr = parse_descriptors(msg);
		if (kr != Kr::Success) {
			Message::destroy(msg);
			return kr;
		}
	}
	msg->id = header.id;
	msg->other_bits = header.bits & ~(msgh_bits_remote_mask | msgh_bits_local_mask |
					  msgh_bits_voucher_mask);
	Tokens given;
	if (caller.given_tokens(&given)) {
		__builtin_memcpy(msg->security, given.security, sizeof(msg->security));
		__builtin_memcpy(msg->audit, given.audit, sizeof(msg->audit));
	} else {
		mach_shim_current_tokens(msg->security, msg->audit);
	}

	bool needs_room = !is_send_once(dest_disp) && !to_kernel;
	Kr full = Kr::Success;	/* no room came: the message goes back */
	if (needs_room) {
		Kr kr = dest->reserve(timeout_of(args.option, SendTimeout, args.timeout));
		if (kr == Kr::SendTimedOut || kr == Kr::SendInterrupted) {
			full = kr;
		} else if (kr != Kr::Success) {
			Message::destroy(msg);
			return kr;
		}
	}
	bool reserved = needs_room && full == Kr::Success;
	/* Moving receive rights: claim their place before taking them. */
	ReceiveClaims claims;
	Kr kr = Kr::Success;
	if (!claims.resolve(caller.space(), msg))
		kr = Kr::SendNoBuffer;
	else if (!claims.claim(dest.get()))
		kr = Kr::SendInvalidRight;
	else
		kr = caller.space().copyin_message(header, dest.get(), msg);
	if (kr != Kr::Success) {
		claims.release();
		if (reserved)
			dest->unreserve();
		Message::destroy(msg);
		return kr;
	}
	if (!claims.covers(msg)) {
		/* A name changed its port under us (the sender's own race): the
		 * rights taken cannot travel unclaimed, and die here. */
		claims.release();
		if (reserved)
			dest->unreserve();
		Message::destroy(msg);
		return Kr::SendInvalidRight;
	}
	/* Unmapped before queueing: once queued the message is not ours. */
	deallocate_sent_memory(msg);
	if (full != Kr::Success) {
		claims.release();	/* its receive rights go back */
		return pseudo_receive(caller, args, header, msg, full);
	}
	claims.keep();
	if (to_kernel) {
		mig_serve(caller, *dest.get(), msg, reply.release());
		return Kr::Success;
	}
	if (!dest->enqueue(msg, reserved, args.option & RcvMsg)) {
		Message::destroy(msg);	/* died meanwhile: its contents go */
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

	Ref<Port> port = caller.space().lookup_receive(Name{args.rcv_name}, true);
	if (!port)
		return Kr::RcvInvalidName;

	Message *msg = nullptr;
	Port *from = nullptr;	/* the member of a set it came from */
	u32 needed = 0;
	bool large = args.option & RcvLarge;
	Kr kr = port->dequeue(timeout_of(args.option, RcvTimeout, args.timeout),
			      args.rcv_size, large, trailer, &msg, &needed, &from);
	u32 local = Name::null;
	u64 context = 0;	/* the context of the port it came to */
	if (from) {
		local = from == port.get() ? args.rcv_name : caller.space().receive_name(from);
		context = from->context();
		from->put();
	}
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

	/* Its receive rights are out of transit: no longer links of a chain. */
	if (moves_receive(msg)) {
		mach_shim_transit_lock();
		for_each_carried_receive(msg, [](Port *p) { p->set_carrier_transit_locked(nullptr); });
		mach_shim_transit_unlock();
	}

	MsgHeader &header = msg->header;
	header = MsgHeader{};
	header.size = msg->size;
	header.id = msg->id;
	header.local_port = local;
	u32 reply_type = 0;
	if (msg->reply.port) {
		reply_type = msg->reply.type;
		TransitRight reply = msg->reply;
		msg->reply = {};
		if (caller.space().copyout(reply, &header.remote_port) != Kr::Success)
			header.remote_port = Name::null;	/* no room: the right is lost */
	} else if (msg->dead_reply) {
		reply_type = msg->dead_reply;
		header.remote_port = Name::dead;
	}
	u32 dest_type = msg->dest.type;
	header.bits = msg->other_bits | reply_type | (dest_type << 8);
	TransitRight dest = msg->dest;
	msg->dest = {};
	dest.port->release(dest);	/* it did its work: no send-once notice */
	Kr body_kr = body_result(deliver_descriptors(caller, msg));

	Trailer t{};
	t.size = trailer;
	t.seqno = msg->seqno;
	__builtin_memcpy(t.security, msg->security, sizeof(t.security));
	__builtin_memcpy(t.audit, msg->audit, sizeof(t.audit));
	__builtin_memcpy(msg->body + msg->body_size(), &t, trailer < trailer_max ? trailer : trailer_max);

	bool fault = copy_out_received(args.msg, &header, msg->size, trailer, context);
	Message::destroy(msg);
	return fault ? Kr::RcvInvalidData : body_kr;
}

/*
 * The reply to request, made and delivered in place; false if the reply
 * port died meanwhile (another thread's doing): queued, the reply would
 * have been lost, and the receive answers as it does.
 */
bool deliver_in_place(const MigRoutine &routine, u32 reply_max, Task &caller,
		      const mach_msg_args &args, Port &dest, Message &request, Port &port,
		      u32 trailer, Kr *result)
{
	InPlaceMessage<in_place_reply_max> reply_room{reply_max};
	Message &reply = reply_room.msg();
	mig_answer(&routine, caller, dest, request, reply);
	u32 seqno;	/* the next, as if it had been queued now */
	if (!port.take_seqno(&seqno))
		return false;

	/* As receive() gives a reply that came on a send-once right. */
	MsgHeader &out = reply.header;
	out = MsgHeader{};
	out.bits = reply.other_bits | (MoveSendOnce << 8);
	out.size = reply.size;
	out.local_port = args.rcv_name;
	out.id = reply.id;
	Kr body_kr = body_result(deliver_descriptors(caller, &reply));
	/*
	 * The trailer, word by word: type 0, size, seqno, and the kernel's
	 * tokens, XNU's KERNEL_SECURITY_TOKEN and zeros (the room has 12
	 * bytes past any size for the first three; under emulation a whole
	 * Trailer zeroed costs more).
	 */
	unsigned char *at = reply.body + reply.body_size();
	u32 kept = trailer < trailer_max ? trailer : trailer_max;
	store32(at, 0);
	store32(at + 4, trailer);
	store32(at + 8, seqno);
	for (u32 i = 12; i < kept; i += 4)
		store32(at + i, i == 16 ? Message::kernel_security_token[1] : 0);
	/* Only a context trailer carries the port's context: no lock else. */
	u64 context = trailer > trailer_max ? port.context() : 0;
	bool fault = copy_out_received(args.msg, &out, reply.size, trailer, context);
	*result = fault ? Kr::RcvInvalidData : body_kr;
	return true;
}

/*
 * A MIG user stub's call on a kernel object, answered in place: a simple
 * request (copy-send to the object, make-send-once of the reply port the
 * caller then receives on) to a routine that may answer so, its reply the
 * next message on that port. The request and reply live in this frame,
 * no send-once right is made and nothing is queued; the caller gets what
 * the queued reply would have given it. False, with nothing done, when
 * the call is not of that shape: then it takes the general path.
 */
bool answer_in_place(Task &caller, const mach_msg_args &args, const mach_msg_args &rcv,
		     Kr *result)
{
	constexpr u32 stub_bits = CopySend | (MakeSendOnce << 8);
	u32 trailer = trailer_size(args.option);

	if (args.send_size < sizeof(MsgHeader) || args.send_size > in_place_request_max ||
	    (args.send_size & 3) || !trailer || args.notify != Name::null)
		return false;
	InPlaceMessage<in_place_request_max> request_room{args.send_size};
	Message &request = request_room.msg();
	if (mach_small_copy_in(&request.header, args.msg, args.send_size))
		return false;
	const MsgHeader header = request.header;
	if (header.bits != stub_bits || header.local_port != args.rcv_name)
		return false;
	const MigRoutine *routine = mig_in_place_routine(header.id);
	if (!routine)
		return false;
	/* The most this request's reply may take, as the caller asked. */
	u32 reply_max = mig_reply_bound(*routine, request);
	if (reply_max + trailer > args.rcv_size)
		return false;
	Ref<Port> dest, port;
	if (!caller.space().peek_call(Name{header.remote_port}, Name{args.rcv_name}, &dest, &port) ||
	    !dest->is_kernel() || !port->empty())
		return false;

	request.id = header.id;
	if (!deliver_in_place(*routine, reply_max, caller, rcv, *dest.get(), request, *port.get(),
			      trailer, result))
		*result = receive(caller, rcv);	/* the port died meanwhile */
	return true;
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

Kr mach_msg(Task &caller, const mach_msg_args &args, u64 rcv_msg)
{
	Kr kr;
	mach_msg_args rcv = args;	/* the receive's, into its own buffer */
	if (rcv_msg)
		rcv.msg = rcv_msg;

	if ((args.option & (SendMsg | RcvMsg)) == (SendMsg | RcvMsg) &&
	    answer_in_place(caller, args, rcv, &kr)) {
		caller.count_message_sent();
		if (kr == Kr::Success)
			caller.count_message_received();
		return kr;
	}
	if (args.option & SendMsg) {
		kr = send(caller, args);
		if (kr != Kr::Success)
			return kr;
		caller.count_message_sent();
	}
	if (args.option & RcvMsg) {
		kr = receive(caller, rcv);
		if (kr == Kr::Success)
			caller.count_message_received();
		return kr;
	}
	return Kr::Success;
}

} /* namespace mach */
