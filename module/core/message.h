/* SPDX-License-Identifier: GPL-2.0 */
/*
 * message.h - a Mach message in the kernel, between send and receive.
 *
 * The header's rights travel as references to their ports, typed: the
 * destination (a send or send-once right, consumed at delivery) and the
 * reply right, if any. The body is copied as is.
 */
#ifndef MACH_CORE_MESSAGE_H
#define MACH_CORE_MESSAGE_H

#include "base.h"

namespace mach {

class Port;
class Reaper;

/* Message dispositions, the anchors' MACH_MSG_TYPE_* values. */
enum Disposition : u32 {
	MoveReceive = 16,
	MoveSend = 17,		/* also MACH_MSG_TYPE_PORT_SEND */
	MoveSendOnce = 18,	/* also MACH_MSG_TYPE_PORT_SEND_ONCE */
	CopySend = 19,
	MakeSend = 20,
	MakeSendOnce = 21,
};

/* mach_msg_header_t: a value, guarded as what holds it (a Message) */
struct MsgHeader {
	u32 bits;
	u32 size;
	u32 remote_port;
	u32 local_port;
	u32 voucher_port;
	int id;
};
static_assert(sizeof(MsgHeader) == 24);

inline constexpr u32 msgh_bits_remote_mask = 0x1f;
inline constexpr u32 msgh_bits_local_mask = 0x1f00;
inline constexpr u32 msgh_bits_voucher_mask = 0x1f0000;
inline constexpr u32 msgh_bits_complex = 0x80000000u;

/* NDR_record: MIG's data representation here (little-endian integers). */
inline constexpr unsigned char ndr_record[8] = {0, 0, 0, 0, 1, 0, 0, 0};

/* mach_msg_audit_trailer_t, the largest trailer a receiver may ask for. */
inline constexpr u32 trailer_max = 52;

/* The largest message this implementation carries, header included. */
inline constexpr u32 msg_size_max = 64 * 1024;

/*
 * A right in transit: a reference to its port, and which right it is.
 * A value: guarded as what holds it (a Message, a Port's request).
 */
struct TransitRight {
	Port *port = nullptr;
	u32 type = 0;		/* MoveReceive, MoveSend or MoveSendOnce */
};

/* Descriptor types, the anchors' MACH_MSG_*_DESCRIPTOR values. */
enum DescriptorType : u32 {
	PortDescriptor = 0,
	OolDescriptor = 1,
	OolPortsDescriptor = 2,
	OolVolatileDescriptor = 3,
};

/* Limits of this implementation. */
inline constexpr u32 descriptors_max = 1024;
inline constexpr u32 ool_bytes_max = 16u << 20;	/* per message */
inline constexpr u32 ool_ports_max = 4096;	/* per descriptor */

/*
 * A descriptor of a complex message as the kernel holds it. The user's
 * descriptor bytes stay in the body at offset and are rewritten for the
 * receiver; what they carry is here.
 */
/* MACH_MSG_TYPE_PORT_*: the right a disposition makes travel. */
inline u32 carried_type(u32 disposition)
{
	switch (disposition) {
	case MoveReceive:
		return MoveReceive;
	case MoveSend:
	case CopySend:
	case MakeSend:
		return MoveSend;
	case MoveSendOnce:
	case MakeSendOnce:
		return MoveSendOnce;
	default:
		return 0;
	}
}

struct Descriptor {
	/* its Message's: guarded as the message is */
	u32 offset;		/* in the body */
	u32 type;		/* DescriptorType */
	u32 disposition;	/* as sent (port and OOL-ports descriptors) */
	u32 count;		/* OOL: bytes; OOL ports: rights */
	u32 name;		/* port descriptor: the sender's name */
	TransitRight right;	/* port descriptor */
	TransitRight *rights;	/* OOL ports: count of them */
	u32 *names;		/* OOL ports: the sender's names */
	void *data;		/* OOL: a copy of the sender's bytes */
	u64 address;		/* the sender's address */
	bool deallocate;	/* unmap the sender's memory once sent */
};

struct Message {
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;

	/*
	 * The sender's while it builds the message, the receiver's once it
	 * took it; while queued, next, seqno and took_room are guarded by
	 * the port's lock_, and nothing else changes.
	 */
	Message *next = nullptr;
	u32 size;		/* header and body, as sent */
	u32 other_bits;		/* msgh_bits outside the port dispositions */
	int id;
	TransitRight dest;
	TransitRight reply;
	/* A reply that travels as MACH_PORT_DEAD: the type it carries, else 0. */
	u32 dead_reply = 0;
	u32 seqno = 0;		/* set when queued */
	bool took_room = false;	/* counted against the queue limit */
	u32 security[2];
	u32 audit[8];
	Descriptor *descriptors = nullptr;	/* complex messages */
	u32 descriptor_count = 0;
	/* What a sender's message holds of kernel memory (a notice: none). */
	Charge charge{MACH_QUOTA_MESSAGE_BYTES};
	/*
	 * The message as the user lays it out: header, body, then room for
	 * the largest trailer, so that a send and a receive each copy once.
	 */
	MsgHeader header;
	unsigned char body[];	/* size - sizeof(MsgHeader) bytes, and room */

	/* A message of size bytes, or null when out of memory. */
	static Message *create(u32 size);
	/*
	 * Releases its rights (unreceived) and frees it; the ports of the
	 * receive rights it carries die through reaper, or before it returns.
	 */
	static void destroy(Message *msg, Reaper *reaper = nullptr);
	/* The same for one whose memory is not its own (InPlaceMessage). */
	static void destroy_in_place(Message *msg, Reaper *reaper = nullptr);
	u32 body_size() const { return size - sizeof(MsgHeader); }
	/*
	 * The kernel sent it: XNU's KERNEL_SECURITY_TOKEN ({0, 1}) and
	 * KERNEL_AUDIT_TOKEN (zeros) in its trailer.
	 */
	void set_kernel_sender()
	{
		security[0] = kernel_security_token[0];
		security[1] = kernel_security_token[1];
		__builtin_memset(audit, 0, sizeof(audit));
	}
	static constexpr u32 kernel_security_token[2] = {0, 1};
};

/*
 * A message of at most Room bytes (header included) in its user's frame:
 * a request and its reply that never queue (answered in place, msg.cc).
 * Zeroed as Message::create()'s are, but for the room of its trailer,
 * which its user writes whole; what it holds goes with it.
 */
template <u32 Room>
class InPlaceMessage {
public:
	explicit InPlaceMessage(u32 size)
	{
		/*
		 * As value-initialized, but member by member: what has no
		 * default is zeroed here (a rep store of the whole is slow
		 * under emulation, and this is on every call in place).
		 */
		msg_ = new (room_) Message;
		msg_->size = size;
		msg_->other_bits = 0;
		msg_->id = 0;
		__builtin_memset(msg_->security, 0, sizeof(msg_->security));
		__builtin_memset(msg_->audit, 0, sizeof(msg_->audit));
		msg_->header = MsgHeader{};
		/*
		 * Size at most Room; its header and trailer are written whole.
		 * By words (the body is aligned, the room has the slack): a
		 * memset of a size not known here stores byte by byte.
		 */
		u64 *words = reinterpret_cast<u64 *>(msg_->body);
		for (u32 i = 0; i < (size - sizeof(MsgHeader) + 7) / 8; i++)
			__atomic_store_n(&words[i], 0, __ATOMIC_RELAXED);
	}
	~InPlaceMessage() { Message::destroy_in_place(msg_); }
	InPlaceMessage(const InPlaceMessage &) = delete;
	InPlaceMessage &operator=(const InPlaceMessage &) = delete;

	Message &msg() { return *msg_; }

private:
	alignas(Message) unsigned char room_[sizeof(Message) - sizeof(MsgHeader) + Room +
					     trailer_max];
	Message *msg_;
	static_assert(__builtin_offsetof(Message, body) % 8 == 0 && alignof(Message) >= 8);
};

} /* namespace mach */

#endif /* MACH_CORE_MESSAGE_H */
