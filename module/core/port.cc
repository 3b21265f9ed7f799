// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "port.h"
#include "task.h"

namespace mach {

Port *Port::create_for_task(Task *task)
{
	Port *port = make<Port>(task, true);
	if (port && !port->waiting_ok()) {
		port->put();
		port = nullptr;
	}
	return port;
}

Port *Port::create()
{
	Port *port = make<Port>(nullptr, false);
	if (port && !port->waiting_ok()) {
		port->put();
		port = nullptr;
	}
	return port;
}

Port::~Port()
{
	/* Whoever held the receive right killed the port first. */
	while (Message *msg = head_) {
		head_ = msg->next;
		Message::destroy(msg);
	}
	if (waitq_)
		mach_shim_waitq_destroy(waitq_);
}

void Port::put()
{
	if (refs_.put())
		destroy(this);
}

Ref<Task> Port::task()
{
	Guard g(lock_);
	/* The task clears kobject_ before its last reference can go. */
	return Ref<Task>::share(kobject_);
}

bool Port::dead()
{
	Guard g(lock_);
	return dead_;
}

void Port::kill()
{
	Message *queued;
	{
		Guard g(lock_);
		kobject_ = nullptr;
		dead_ = true;
		receive_file_ = nullptr;
		queued = head_;
		head_ = nullptr;
		tail_ = &head_;
		msgcount_ = 0;
	}
	mach_shim_waitq_wake(waitq_);
	/* Outside the lock: a message may carry a right to this very port. */
	while (queued) {
		Message *next = queued->next;
		Message::destroy(queued);
		queued = next;
	}
}

void Port::add_send()
{
	Guard g(lock_);
	srights_++;
}

void Port::make_send()
{
	Guard g(lock_);
	srights_++;
	mscount_++;
}

void Port::add_send_once()
{
	Guard g(lock_);
	sorights_++;
}

void Port::drop_send()
{
	Guard g(lock_);
	if (srights_)
		srights_--;
}

void Port::drop_send_once()
{
	Guard g(lock_);
	if (sorights_)
		sorights_--;
}

void Port::drop(const TransitRight &right)
{
	if (right.type == MoveReceive)
		kill();		/* a receive right lost in transit */
	else if (right.type == MoveSendOnce)
		drop_send_once();
	else
		drop_send();
	put();
}

mach_bool Port::has_room(void *self)
{
	Port *port = static_cast<Port *>(self);
	Guard g(port->lock_);
	return port->dead_ || port->msgcount_ + port->reserved_ < port->qlimit_;
}

Kr Port::reserve(u64 timeout_ms, bool interruptible)
{
	for (;;) {
		{
			Guard g(lock_);
			if (dead_)
				return Kr::SendInvalidDest;
			if (msgcount_ + reserved_ < qlimit_) {
				reserved_++;
				return Kr::Success;
			}
		}
		if (timeout_ms == 0)
			return Kr::SendTimedOut;
		int ret = mach_shim_waitq_wait(waitq_, has_room, this, timeout_ms);
		if (ret == -MACH_ETIMEDOUT)
			return Kr::SendTimedOut;
		if (ret == -MACH_EINTR && interruptible)
			return Kr::SendInterrupted;
		/* A signal without MACH_SEND_INTERRUPT: wait again. */
	}
}

void Port::unreserve()
{
	{
		Guard g(lock_);
		reserved_--;
	}
	mach_shim_waitq_wake(waitq_);
}

bool Port::enqueue(Message *msg, bool reserved)
{
	{
		Guard g(lock_);
		if (reserved)
			reserved_--;
		if (dead_)
			return false;
		msg->took_room = reserved;
		msg->seqno = seqno_++;
		msg->next = nullptr;
		*tail_ = msg;
		tail_ = &msg->next;
		if (reserved)
			msgcount_++;
	}
	mach_shim_waitq_wake(waitq_);
	return true;
}

mach_bool Port::has_message(void *self)
{
	Port *port = static_cast<Port *>(self);
	Guard g(port->lock_);
	return port->dead_ || port->head_;
}

Kr Port::dequeue(u64 timeout_ms, u32 room, bool large, u32 trailer,
		 Message **out, u32 *needed)
{
	for (;;) {
		{
			Guard g(lock_);
			if (dead_)
				return Kr::RcvPortDied;
			if (Message *msg = head_) {
				*needed = msg->size + trailer;
				if (*needed > room && large)
					return Kr::RcvTooLarge;
				head_ = msg->next;
				if (!head_)
					tail_ = &head_;
				if (msg->took_room)
					msgcount_--;
				*out = msg;
				break;
			}
		}
		if (timeout_ms == 0)
			return Kr::RcvTimedOut;
		int ret = mach_shim_waitq_wait(waitq_, has_message, this, timeout_ms);
		if (ret == -MACH_ETIMEDOUT)
			return Kr::RcvTimedOut;
		if (ret == -MACH_EINTR)
			return Kr::RcvInterrupted;
	}
	mach_shim_waitq_wake(waitq_);	/* room for a blocked sender */
	return *needed > room ? Kr::RcvTooLarge : Kr::Success;
}

bool Port::readable(const void *file)
{
	Guard g(lock_);
	return head_ && file == receive_file_;
}

void Port::set_receive_file(const void *file)
{
	Guard g(lock_);
	receive_file_ = file;
}

u32 Port::qlimit()
{
	Guard g(lock_);
	return qlimit_;
}

Kr Port::set_qlimit(u32 qlimit)
{
	if (qlimit > qlimit_max)
		return Kr::InvalidValue;
	{
		Guard g(lock_);
		qlimit_ = qlimit;
	}
	mach_shim_waitq_wake(waitq_);
	return Kr::Success;
}

u32 Port::msgcount()
{
	Guard g(lock_);
	u32 n = 0;
	for (Message *msg = head_; msg; msg = msg->next)
		n++;
	return n;
}

u32 Port::mscount()
{
	Guard g(lock_);
	return mscount_;
}

void Port::set_mscount(u32 mscount)
{
	Guard g(lock_);
	mscount_ = mscount;
}

u32 Port::send_rights()
{
	Guard g(lock_);
	return srights_;
}

u32 Port::seqno()
{
	Guard g(lock_);
	return seqno_;
}

Message *Message::create(u32 size)
{
	void *p = mach_shim_alloc(kind, sizeof(Message) + size - sizeof(MsgHeader));
	if (!p)
		return nullptr;
	Message *msg = new (p) Message;
	msg->size = size;
	return msg;
}

void Message::destroy(Message *msg)
{
	if (msg->dest.port)
		msg->dest.port->drop(msg->dest);
	if (msg->reply.port)
		msg->reply.port->drop(msg->reply);
	for (u32 i = 0; i < msg->descriptor_count; i++) {
		Descriptor &d = msg->descriptors[i];
		if (d.right.port)
			d.right.port->drop(d.right);
		for (u32 j = 0; d.rights && j < d.count; j++)
			if (d.rights[j].port)
				d.rights[j].port->drop(d.rights[j]);
		if (d.rights)
			mach_shim_free(kind, d.rights);
		if (d.names)
			mach_shim_free(kind, d.names);
		if (d.data)
			mach_shim_free(kind, d.data);
	}
	if (msg->descriptors)
		mach_shim_free(kind, msg->descriptors);
	msg->~Message();
	mach_shim_free(kind, msg);
}

} /* namespace mach */

extern "C" void mach_port_get(mach_port *port)
{
	mach::Port::from(port)->get();
}

extern "C" void mach_port_put(mach_port *port)
{
	mach::Port::from(port)->put();
}

extern "C" mach_bool mach_port_readable(mach_port *port,
					const mach_shim_file *file)
{
	return mach::Port::from(port)->readable(file);
}

extern "C" mach_shim_waitq *mach_port_waitq(mach_port *port)
{
	return mach::Port::from(port)->waitq();
}
