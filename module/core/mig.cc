// SPDX-License-Identifier: GPL-2.0
/*
 * mig.cc - requests to kernel objects: the routine found by id, the
 * request's shape checked, the reply built and queued on the reply right.
 */
#include "mig.h"
#include "port.h"

namespace mach {
namespace {

const MigRoutines *const interfaces[] = {
	&mig_task_routines,
	&mig_port_routines,
	&mig_host_routines,
	&mig_vm_routines,
	&mig_host_security_routines,
	&mig_norma_routines,
	&mig_gnumach_routines,
};

/* Each table is in order of id (a unit test checks): halved, not walked. */
const MigRoutine *find(s32 id)
{
	for (const MigRoutines *in : interfaces) {
		u32 lo = 0, hi = in->count;
		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;
			if (in->routines[mid].id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < in->count && in->routines[lo].id == id)
			return &in->routines[lo];
	}
	return nullptr;
}

unsigned char *bytes(Message &msg)
{
	return reinterpret_cast<unsigned char *>(&msg.header);
}

void put32(Message &msg, u32 offset, u32 value)
{
	__builtin_memcpy(bytes(msg) + offset, &value, sizeof(value));
}

void free_if(void *p)
{
	if (p)
		mach_shim_free(MACH_KIND_MEMORY, p);
}

/* Drops what a reply carries and makes it simple again. */
void clear_descriptors(Message &reply)
{
	for (u32 i = 0; i < reply.descriptor_count; i++) {
		Descriptor &d = reply.descriptors[i];
		if (d.right.port)
			d.right.port->drop(d.right);
		for (u32 j = 0; d.rights && j < d.count; j++)
			if (d.rights[j].port)
				d.rights[j].port->drop(d.rights[j]);
		free_if(d.rights);
		free_if(d.names);
		free_if(d.data);
	}
	if (reply.descriptors)
		mach_shim_free(MACH_KIND_MEMORY, reply.descriptors);
	reply.descriptors = nullptr;
	reply.descriptor_count = 0;
	reply.other_bits = 0;
}

/* mig_reply_error_t: what a routine that only answers kr sends. */
void simple_reply(Message &reply, Kr kr)
{
	clear_descriptors(reply);
	__builtin_memcpy(bytes(reply) + sizeof(MsgHeader), ndr_record, sizeof(ndr_record));
	put32(reply, mig_args, static_cast<u32>(static_cast<s32>(kr)));
	reply.size = mig_reply_error_size;
}

/* The receive right a reply carries (extract_right's), at most one. */
Port *carried_receive(Message &reply)
{
	for (u32 i = 0; i < reply.descriptor_count; i++) {
		const Descriptor &d = reply.descriptors[i];
		if (d.type == PortDescriptor && d.right.port && d.right.type == MoveReceive)
			return d.right.port;
	}
	return nullptr;
}

/*
 * A receive right queued on a port is a link of a chain, as a user's
 * message makes it (msg.cc): false if queueing it on dest would close a
 * cycle (its own reply port, or one queued on it), which nothing could
 * ever receive.
 */
bool claim_receive_rights(Message &reply, Port *dest)
{
	Port *port = carried_receive(reply);
	if (!port)
		return true;
	mach_shim_transit_lock();
	bool claimed = port->claim_transit_locked(dest);
	mach_shim_transit_unlock();
	return claimed;
}

void unclaim_receive_rights(Message &reply)
{
	Port *port = carried_receive(reply);
	if (!port)
		return;
	mach_shim_transit_lock();
	port->unclaim_transit_locked();
	mach_shim_transit_unlock();
}

/*
 * Queued on the request's reply right, which it consumes; a request
 * without one has its reply dropped, as XNU does, and so does one whose
 * reply port is a kernel object's, where nothing would ever receive it.
 * The receiver's owner pays for it as for any message; past its limit
 * the reply is lost.
 */
void send_reply(Message &request, Message *reply, u32 allocated)
{
	TransitRight to = request.reply;
	request.reply = {};
	if (!to.port || to.port->is_kernel()) {
		Message::destroy(reply);
		if (to.port)
			to.port->release(to);
		return;
	}
	reply->set_kernel_sender();
	to.port->bind_owner(reply->charge);
	u64 held = sizeof(Message) + allocated + trailer_max +
		   reply->descriptor_count * sizeof(Descriptor);
	for (u32 i = 0; i < reply->descriptor_count; i++) {
		const Descriptor &d = reply->descriptors[i];
		if (d.type == OolPortsDescriptor)
			held += d.count * (4 + sizeof(TransitRight));
		else if (d.type == OolDescriptor)
			held += d.count;
	}
	if (!reply->charge.add(held)) {
		Message::destroy(reply);
		to.port->release(to);	/* no send-once notice: it would be lost too */
		return;
	}
	reply->dest = to;
	if (!claim_receive_rights(*reply, to.port)) {
		Message::destroy(reply);	/* it and the right it carried go */
		return;
	}
	if (!to.port->enqueue(reply, false)) {
		unclaim_receive_rights(*reply);
		Message::destroy(reply);	/* the reply port died meanwhile */
	}
}

/* MACH_MSG_VIRTUAL_COPY, an out-of-line descriptor's copy option. */
constexpr u32 ool_virtual_copy = 1;

/* The dispositions that give the receiver a send right. */
bool gives_send_right(u32 disposition)
{
	return disposition == MoveSend || disposition == CopySend || disposition == MakeSend;
}

} /* namespace */

bool MigCall::simple(u32 size) const
{
	return !(request_.other_bits & msgh_bits_complex) && request_.size == size;
}

bool MigCall::simple_array(u32 count_at, u32 max, u32 *count) const
{
	if ((request_.other_bits & msgh_bits_complex) || request_.size < count_at + 4)
		return false;
	*count = in32(count_at);
	return *count <= max && request_.size == count_at + 4 + 4 * *count;
}

bool MigCall::simple_bytes(u32 count_at, u32 max, u32 *count) const
{
	if ((request_.other_bits & msgh_bits_complex) || request_.size < count_at + 4)
		return false;
	*count = in32(count_at);
	return *count <= max && request_.size == count_at + 4 + ((*count + 3) & ~3u);
}

bool MigCall::complex(u32 descriptors, u32 size) const
{
	return (request_.other_bits & msgh_bits_complex) && request_.size == size &&
	       request_.descriptor_count == descriptors;
}

bool MigCall::carries_port(u32 i) const
{
	return request_.descriptors[i].type == PortDescriptor;
}

bool MigCall::carries_send(u32 i) const
{
	return carries_port(i) && gives_send_right(request_.descriptors[i].disposition);
}

bool MigCall::carries_send_once(u32 i) const
{
	u32 disposition = request_.descriptors[i].disposition;
	return carries_port(i) && (disposition == MoveSendOnce || disposition == MakeSendOnce);
}

bool MigCall::carries_dead(u32 i) const
{
	return carries_port(i) && request_.descriptors[i].name == Name::dead;
}

TransitRight MigCall::take_target_right()
{
	TransitRight right = request_.dest;
	request_.dest = {};
	return right;
}

TransitRight MigCall::take_right(u32 i)
{
	TransitRight right = request_.descriptors[i].right;
	request_.descriptors[i].right = {};
	/* A receive right is out of transit: no longer a link of a chain. */
	if (right.port && right.type == MoveReceive) {
		mach_shim_transit_lock();
		right.port->set_carrier_transit_locked(nullptr);
		mach_shim_transit_unlock();
	}
	return right;
}

bool MigCall::carries_memory(u32 i) const
{
	return request_.descriptors[i].type == OolDescriptor;
}

const void *MigCall::memory(u32 i, u32 *bytes) const
{
	*bytes = request_.descriptors[i].count;
	return request_.descriptors[i].data;
}

bool MigCall::carries_send_array(u32 i, u32 *count) const
{
	const Descriptor &d = request_.descriptors[i];
	*count = d.count;
	return d.type == OolPortsDescriptor && gives_send_right(d.disposition);
}

u32 MigCall::take_rights(u32 i, TransitRight *rights, u32 max)
{
	Descriptor &d = request_.descriptors[i];
	u32 count = d.type == OolPortsDescriptor && d.rights ? d.count : 0;
	if (count > max)
		count = max;
	for (u32 j = 0; j < count; j++) {
		rights[j] = d.rights[j];
		d.rights[j] = {};
		/* As take_right(): a receive right is out of transit. */
		if (rights[j].port && rights[j].type == MoveReceive) {
			mach_shim_transit_lock();
			rights[j].port->set_carrier_transit_locked(nullptr);
			mach_shim_transit_unlock();
		}
	}
	return count;
}

u32 MigCall::in32(u32 offset) const
{
	u32 value;
	__builtin_memcpy(&value, bytes(request_) + offset, sizeof(value));
	return value;
}

u64 MigCall::in64(u32 offset) const
{
	u64 value;
	__builtin_memcpy(&value, bytes(request_) + offset, sizeof(value));
	return value;
}

const u32 *MigCall::in_words(u32 offset) const
{
	return reinterpret_cast<const u32 *>(bytes(request_) + offset);
}

void MigCall::out32(u32 offset, u32 value)
{
	put32(reply_, offset, value);
}

void MigCall::out64(u32 offset, u64 value)
{
	__builtin_memcpy(bytes(reply_) + offset, &value, sizeof(value));
}

void MigCall::out_array(const u32 *words, u32 count)
{
	put32(reply_, mig_results, count);
	__builtin_memcpy(bytes(reply_) + mig_results + 4, words, 4 * count);
	reply_.size = mig_results + 4 + 4 * count;
}

u32 *MigCall::out_array_room()
{
	return reinterpret_cast<u32 *>(bytes(reply_) + mig_results + 4);
}

void MigCall::out_array_count(u32 count)
{
	put32(reply_, mig_results, count);
	reply_.size = mig_results + 4 + 4 * count;
}

bool MigCall::out_ports(TransitRight *rights, u32 count, u32 disposition, const u32 *words,
			u32 nwords)
{
	auto *d = static_cast<Descriptor *>(mach_shim_alloc(MACH_KIND_MEMORY,
							    sizeof(Descriptor) * count));
	if (!d) {
		for (u32 i = 0; i < count; i++) {
			if (rights[i].port)
				rights[i].port->drop(rights[i]);
			rights[i] = {};	/* taken: its caller must not drop it too */
		}
		return false;
	}
	u32 at = sizeof(MsgHeader);
	put32(reply_, at, count);
	for (u32 i = 0; i < count; i++) {
		u32 offset = 4 + 12 * i;	/* in the body, after the count */
		d[i] = Descriptor{};
		d[i].offset = offset;
		d[i].type = PortDescriptor;
		d[i].disposition = disposition;
		d[i].right = rights[i];
		rights[i] = {};
		put32(reply_, at + offset, Name::null);	/* the name: the receiver's */
		put32(reply_, at + offset + 4, 0);
		put32(reply_, at + offset + 8, (PortDescriptor << 24) | (disposition << 16));
	}
	reply_.descriptors = d;
	reply_.descriptor_count = count;
	reply_.other_bits = msgh_bits_complex;
	u32 end = at + 4 + 12 * count;
	if (nwords) {
		__builtin_memcpy(bytes(reply_) + end, ndr_record, sizeof(ndr_record));
		__builtin_memcpy(bytes(reply_) + end + sizeof(ndr_record), words, 4 * nwords);
		end += sizeof(ndr_record) + 4 * nwords;
	}
	reply_.size = end;
	return true;
}

bool MigCall::out_port_array(TransitRight *rights, u32 count)
{
	auto *d = static_cast<Descriptor *>(mach_shim_alloc(MACH_KIND_MEMORY, sizeof(Descriptor)));
	TransitRight *held = count ? static_cast<TransitRight *>(
		mach_shim_alloc(MACH_KIND_MEMORY, sizeof(TransitRight) * count)) : nullptr;
	u32 *names = count ? static_cast<u32 *>(
		mach_shim_alloc(MACH_KIND_MEMORY, sizeof(u32) * count)) : nullptr;
	if (!d || (count && (!held || !names))) {
		for (u32 i = 0; i < count; i++) {
			if (rights[i].port)
				rights[i].port->drop(rights[i]);
			rights[i] = {};
		}
		free_if(d);
		free_if(held);
		free_if(names);
		return false;
	}
	for (u32 i = 0; i < count; i++) {
		held[i] = rights[i];
		rights[i] = {};
		names[i] = Name::null;
	}
	*d = Descriptor{};
	d->offset = 4;
	d->type = OolPortsDescriptor;
	d->disposition = MoveSend;
	d->count = count;
	d->rights = held;
	d->names = names;
	reply_.descriptors = d;
	reply_.descriptor_count = 1;
	reply_.other_bits = msgh_bits_complex;
	u32 at = sizeof(MsgHeader);
	put32(reply_, at, 1);
	out64(at + 4, 0);	/* the address: the receiver's */
	put32(reply_, at + 12, (OolPortsDescriptor << 24) | (MoveSend << 16));
	put32(reply_, at + 16, count);
	__builtin_memcpy(bytes(reply_) + at + 20, ndr_record, sizeof(ndr_record));
	put32(reply_, at + 28, count);
	reply_.size = at + 32;
	return true;
}

bool MigCall::out_memory(void **data, const u32 *sizes, u32 n, const u32 *words, u32 nwords)
{
	auto *d = static_cast<Descriptor *>(mach_shim_alloc(MACH_KIND_MEMORY,
							    sizeof(Descriptor) * n));
	if (!d) {
		for (u32 i = 0; i < n; i++)
			free_if(data[i]);
		return false;
	}
	u32 at = sizeof(MsgHeader);
	put32(reply_, at, n);
	for (u32 i = 0; i < n; i++) {
		u32 offset = 4 + 16 * i;	/* in the body, after the count */
		d[i] = Descriptor{};
		d[i].offset = offset;
		d[i].type = OolDescriptor;
		d[i].count = sizes[i];
		d[i].data = data[i];
		data[i] = nullptr;
		out64(at + offset, 0);	/* the address: the receiver's */
		/* Not for the receiver to deallocate; a virtual copy. */
		put32(reply_, at + offset + 8, (OolDescriptor << 24) | (ool_virtual_copy << 8));
		put32(reply_, at + offset + 12, sizes[i]);
	}
	reply_.descriptors = d;
	reply_.descriptor_count = n;
	reply_.other_bits = msgh_bits_complex;
	u32 end = at + 4 + 16 * n;
	__builtin_memcpy(bytes(reply_) + end, ndr_record, sizeof(ndr_record));
	__builtin_memcpy(bytes(reply_) + end + sizeof(ndr_record), words, 4 * nwords);
	reply_.size = end + sizeof(ndr_record) + 4 * nwords;
	return true;
}

u32 mig_reply_size(s32 id)
{
	const MigRoutine *routine = find(id);
	return routine && routine->reply_max > mig_reply_error_size ?
	       routine->reply_max : mig_reply_error_size;
}

const MigRoutine *mig_in_place_routine(s32 id)
{
	const MigRoutine *routine = find(id);
	return routine && routine->in_place && routine->reply_max <= in_place_reply_max ?
	       routine : nullptr;
}

u32 mig_reply_bound(const MigRoutine &routine, const Message &request)
{
	if (!routine.count_at || request.size < routine.count_at + 4)
		return routine.reply_max;
	u32 count;
	__builtin_memcpy(&count, reinterpret_cast<const unsigned char *>(&request.header) +
				 routine.count_at, sizeof(count));
	u64 bound = mig_results + 4 + 4ull * count;
	return bound < routine.reply_max ? static_cast<u32>(bound) : routine.reply_max;
}

void mig_answer(const MigRoutine *routine, Task &caller, Port &target, Message &request,
		Message &reply)
{
	simple_reply(reply, Kr::Success);
	MigCall call{caller, target, request, reply};
	Kr kr = routine ? routine->serve(call) : Kr::MigBadId;
	if (kr != Kr::Success)
		simple_reply(reply, kr);
	reply.id = static_cast<int>(static_cast<u32>(request.id) + 100);	/* wraps */
}

void mig_serve(Task &caller, Port &target, Message *request, Message *reply)
{
	u32 allocated = reply->size;
	mig_answer(find(request->id), caller, target, *request, *reply);
	send_reply(*request, reply, allocated);
	Message::destroy(request);
}

} /* namespace mach */
