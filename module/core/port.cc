// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "host.h"
#include "port.h"
#include "sema.h"
#include "thread.h"
#include "task.h"
#include "vm_entry.h"

namespace mach {

/* In its port's dnrequests_: guarded by the port's lock_. */
struct DeadNameRequest {
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;
	DeadNameRequest *next;
	const void *space;
	u32 name;
	TransitRight notify;
};

namespace {

/*
 * Sends a kernel notification through a send-once right: id, and body
 * words after the NDR record (the notification structs of <mach/notify.h>).
 * A notice lost (no memory, its receiver past its limit) loses the right
 * with it: dropped, it would be a send-once notice of its own, lost
 * again, and so on.
 */
void notify(TransitRight to, u32 id, const u32 *words, u32 nwords, bool ndr = true)
{
	BodyPart parts[2];
	u32 count = 0;
	if (ndr)
		parts[count++] = BodyPart{ndr_record, sizeof(ndr_record)};
	if (nwords)
		parts[count++] = BodyPart{words, 4 * nwords};
	send_kernel_message(to, id, parts, count);
}

} /* namespace */

Kr send_kernel_message(TransitRight to, u32 id, const BodyPart *parts, u32 count)
{
	Port *port = to.port;
	/* A send-once message needs no room, as on the anchors. */
	bool room = to.type != MoveSendOnce;
	if (room) {
		Kr kr = port->reserve(0);
		if (kr != Kr::Success) {
			port->release(to);
			return kr;
		}
	}
	u32 size = 0;
	for (u32 i = 0; i < count; i++)
		size += parts[i].size;
	Message *msg = Message::create(sizeof(MsgHeader) + size);
	if (!msg) {
		if (room)
			port->unreserve();
		port->release(to);
		return Kr::ResourceShortage;
	}
	msg->id = static_cast<int>(id);
	msg->other_bits = 0;
	msg->set_kernel_sender();
	unsigned char *at = msg->body;
	for (u32 i = 0; i < count; i++) {
		__builtin_memcpy(at, parts[i].bytes, parts[i].size);
		at += parts[i].size;
	}
	/* The receiver pays for it, as for any message queued. */
	port->bind_owner(msg->charge);
	if (!msg->charge.add(sizeof(Message) + size + trailer_max)) {
		Message::destroy(msg);
		if (room)
			port->unreserve();
		port->release(to);
		return Kr::NoSpace;
	}
	msg->dest = to;
	if (!port->enqueue(msg, room)) {
		Message::destroy(msg);	/* the port died meanwhile */
		return Kr::SendInvalidDest;
	}
	return Kr::Success;
}

Port *Port::create_for_task(Task *task, Object kind)
{
	Port *port = make<Port>(task, kind);
	if (port && !port->waiting_ok()) {
		port->put();
		port = nullptr;
	}
	return port;
}

Port *Port::create_for_thread(Thread *thread)
{
	Port *port = make<Port>(thread, Object::Thread);
	if (port && !port->waiting_ok()) {
		port->put();
		port = nullptr;
	}
	return port;
}

Port *Port::create_for_entry(void *entry)
{
	Port *port = make<Port>(nullptr, Object::MemoryEntry);
	if (!port) {
		memory_entry_destroy(entry);
		return nullptr;
	}
	port->entry_ = entry;
	if (!port->waiting_ok()) {
		port->put();
		port = nullptr;
	}
	return port;
}

Port *Port::create_kernel(Object object)
{
	Port *port = make<Port>(nullptr, object);
	if (port && !port->waiting_ok()) {
		port->put();
		port = nullptr;
	}
	return port;
}

/* A port a user asked for: one more against the user's limit. */
Kr Port::create_counted(bool set, Port **out, void *kobject, Object object)
{
	Port *port = make<Port>(kobject, object, set);
	*out = nullptr;
	if (!port || !port->waiting_ok()) {
		if (port)
			port->put();
		return Kr::ResourceShortage;
	}
	if (!port->charge_.bind_current()) {
		port->put();
		return Kr::ResourceShortage;
	}
	if (!port->charge_.add(1)) {
		port->put();
		return Kr::NoSpace;
	}
	port->owner_ = port->charge_.user();
	mach_shim_user_get(port->owner_);
	*out = port;
	return Kr::Success;
}

Kr Port::create_set(Port **set)
{
	return create_counted(true, set);
}

Kr Port::create(Port **port)
{
	return create_counted(false, port);
}

Kr Port::create_for_semaphore(Semaphore *semaphore, Port **port)
{
	return create_counted(false, port, semaphore, Object::Semaphore);
}

void notify_dead_name(TransitRight to, u32 name)
{
	notify(to, NotifyDeadName, &name, 1);
}

Port::~Port()
{
	/* Whoever held the receive right killed the port first, which took
	 * its requests; a port that never lived may still hold one. */
	if (nsrequest_.port)
		nsrequest_.port->release(nsrequest_);
	if (pdrequest_.port)
		pdrequest_.port->release(pdrequest_);
	while (DeadNameRequest *r = dnrequests_) {
		dnrequests_ = r->next;
		r->notify.port->release(r->notify);
		destroy(r);
	}
	while (Message *msg = head_) {
		head_ = msg->next;
		Message::destroy(msg);
	}
	if (waitq_)
		mach_shim_waitq_destroy(waitq_);
	if (owner_)
		mach_shim_user_put(owner_);
	if (entry_)
		memory_entry_destroy(entry_);
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
	if (object_ != Object::Task)
		return Ref<Task>{};
	return Ref<Task>::share(static_cast<Task *>(kobject_));
}

Ref<Task> Port::task_named()
{
	Guard g(lock_);
	if (object_ != Object::Task && object_ != Object::TaskName)
		return Ref<Task>{};
	return Ref<Task>::share(static_cast<Task *>(kobject_));
}

Ref<Task> Port::task_resumed()
{
	Guard g(lock_);
	if (object_ != Object::TaskResume)
		return Ref<Task>{};
	return Ref<Task>::share(static_cast<Task *>(kobject_));
}

Ref<Thread> Port::thread()
{
	Guard g(lock_);
	/* Likewise the thread. */
	if (object_ != Object::Thread)
		return Ref<Thread>{};
	return Ref<Thread>::share(static_cast<Thread *>(kobject_));
}

void Port::bind_owner(Charge &charge)
{
	Guard g(lock_);
	charge.bind(owner_);
}

void Port::kill()
{
	Reaper reaper;

	kill_into(reaper);
}

void Port::kill_into(Reaper &reaper)
{
	Message *queued;
	DeadNameRequest *dead_names;
	TransitRight ns, pd;
	mach_shim_file *file;
	u32 waiters, lost;
	{
		Guard g(lock_);
		/* Told once, by the kill that found it alive. */
		waiters = dead_ ? 0 : send_waiters_;
		lost = msgcount_;
		file = file_;
		file_ = nullptr;
		kobject_ = nullptr;
		__atomic_store_n(&dead_, true, __ATOMIC_RELEASE);
		receiver_ = nullptr;
		queued = head_;
		head_ = nullptr;
		tail_ = &head_;
		msgcount_ = 0;
		dead_names = dnrequests_;
		dnrequests_ = nullptr;
		ns = nsrequest_;
		nsrequest_ = {};
		pd = pdrequest_;
		pdrequest_ = {};
		/* What is left of a dead port is bounded by the names for it. */
		charge_.release();
	}
	mach_shim_waitq_wake(waitq_);
	if (waiters)
		mach_shim_port_destroyed(waiters, lost);
	if (file)
		mach_shim_file_put(file);	/* fds still open keep it */
	if (set_kind_)
		detach_members();
	else
		leave_all();
	/* The requests' send-once rights go unused: send-once notices. */
	if (ns.port)
		ns.port->drop(ns);
	if (pd.port)
		pd.port->drop(pd);
	while (dead_names) {
		DeadNameRequest *next = dead_names->next;
		notify(dead_names->notify, NotifyDeadName, &dead_names->name, 1);
		destroy(dead_names);
		dead_names = next;
	}
	/* Outside the lock: a message may carry a right to this very port. */
	while (queued) {
		Message *next = queued->next;
		Message::destroy(queued, &reaper);
		queued = next;
	}
}

Reaper::~Reaper()
{
	while (Port *port = head_) {
		head_ = port->reap_next_;
		port->reap_next_ = nullptr;
		port->kill_into(*this);
		port->put();
	}
}

void Reaper::add(Port *port)
{
	port->reap_next_ = head_;
	head_ = port;
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
	__atomic_add_fetch(&mscount_, 1, __ATOMIC_RELAXED);
}

/*
 * No lock: the right it coalesced into keeps srights_ above 0, so no
 * no-senders check (all under lock_) can be racing it to a decision.
 */
void Port::count_make_send()
{
	__atomic_add_fetch(&mscount_, 1, __ATOMIC_RELAXED);
}

void Port::add_send_once()
{
	Guard g(lock_);
	sorights_++;
}

void Port::drop_send()
{
	TransitRight fire;
	u32 mscount;
	Ref<Task> unnamed;
	Semaphore *unsent = nullptr;
	{
		Guard g(lock_);
		if (srights_)
			srights_--;
		if (srights_ || dead_)
			return;
		/* A task no right names: it may end (mach_shim_task_unnamed()). */
		if (object_ == Object::Task)
			unnamed = Ref<Task>::share(static_cast<Task *>(kobject_));
		/* A semaphore no right names ends (its port's reference keeps it). */
		if (object_ == Object::Semaphore)
			unsent = static_cast<Semaphore *>(kobject_);
		if (nsrequest_.port && __atomic_load_n(&mscount_, __ATOMIC_RELAXED) >= ns_sync_) {
			fire = nsrequest_;
			nsrequest_ = {};
		}
		mscount = __atomic_load_n(&mscount_, __ATOMIC_RELAXED);
	}
	if (unnamed)
		mach_shim_task_unnamed(unnamed->os());
	if (unsent)
		unsent->no_senders();
	if (fire.port)
		notify(fire, NotifyNoSenders, &mscount, 1);
}

void Port::drop_send_once()
{
	Guard g(lock_);
	if (sorights_)
		sorights_--;
}

void Port::drop(const TransitRight &right, Reaper *reaper)
{
	if (right.type == MoveSendOnce && object_ == Object::TaskResume) {
		/* A suspension token gone unused: its hold on the task goes. */
		Ref<Task> task = task_resumed();
		release(right);
		if (task)
			task->token_dropped();
		return;
	}
	if (right.type == MoveSendOnce && !dead()) {
		/* Delivered as the notice that it went unused. */
		notify(right, NotifySendOnce, nullptr, 0, false);
		return;
	}
	if (right.type == MoveReceive) {
		mach_shim_transit_lock();
		carrier_ = nullptr;
		mach_shim_transit_unlock();
		if (hand_over_receive()) {
			put();
		} else if (reaper) {
			reaper->add(this);	/* lost in transit: it dies */
		} else {
			kill();
			put();
		}
		return;
	}
	release(right);
}

bool Port::circular_transit_locked(Port *dest) const
{
	/*
	 * Every port on the chain is alive: the message that carries its
	 * receive right holds it, and sits in the next port's queue.
	 */
	for (const Port *p = dest; p; p = p->carrier_)
		if (p == this)
			return true;
	return false;
}

void Port::release(const TransitRight &right)
{
	if (right.type == MoveSendOnce)
		drop_send_once();
	else if (right.type == MoveSend)
		drop_send();
	put();
}

Kr Port::request_no_senders(u32 sync, TransitRight notify_right, TransitRight *previous)
{
	bool fire = false;
	u32 mscount;
	{
		Guard g(lock_);
		if (dead_)
			return Kr::InvalidRight;
		*previous = nsrequest_;
		nsrequest_ = notify_right;
		ns_sync_ = sync;
		if (notify_right.port && !srights_ &&
		    __atomic_load_n(&mscount_, __ATOMIC_RELAXED) >= sync) {
			fire = true;
			nsrequest_ = {};
		}
		mscount = __atomic_load_n(&mscount_, __ATOMIC_RELAXED);
	}
	if (fire)
		notify(notify_right, NotifyNoSenders, &mscount, 1);
	return Kr::Success;
}

Kr Port::request_port_destroyed(TransitRight notify_right, TransitRight *previous)
{
	Guard g(lock_);
	if (dead_)
		return Kr::InvalidRight;
	*previous = pdrequest_;
	pdrequest_ = notify_right;
	return Kr::Success;
}

Kr Port::request_dead_name(const void *space, u32 name, TransitRight notify_right,
			   TransitRight *previous)
{
	*previous = {};
	DeadNameRequest *fresh = nullptr;
	if (notify_right.port) {
		fresh = make<DeadNameRequest>();
		if (!fresh)
			return Kr::ResourceShortage;
		*fresh = DeadNameRequest{nullptr, space, name, notify_right};
	}
	{
		Guard g(lock_);
		for (DeadNameRequest **at = &dnrequests_; *at; at = &(*at)->next) {
			if ((*at)->space == space && (*at)->name == name) {
				DeadNameRequest *old = *at;
				*at = old->next;
				*previous = old->notify;
				destroy(old);
				break;
			}
		}
		if (fresh && !dead_) {
			fresh->next = dnrequests_;
			dnrequests_ = fresh;
			fresh = nullptr;
		}
	}
	if (fresh) {
		/* Already dead: the notice goes at once. */
		notify(fresh->notify, NotifyDeadName, &name, 1);
		destroy(fresh);
	}
	return Kr::Success;
}

void Port::cancel_dead_name(const void *space, u32 name)
{
	DeadNameRequest *found = nullptr;
	{
		Guard g(lock_);
		for (DeadNameRequest **at = &dnrequests_; *at; at = &(*at)->next) {
			if ((*at)->space == space && (*at)->name == name) {
				found = *at;
				*at = found->next;
				break;
			}
		}
	}
	if (found) {
		notify(found->notify, NotifyPortDeleted, &name, 1);
		destroy(found);
	}
}

bool Port::hand_over_receive()
{
	TransitRight to;
	{
		Guard g(lock_);
		if (!pdrequest_.port || dead_)
			return false;
		to = pdrequest_;
		pdrequest_ = {};
		receiver_ = nullptr;
		/* It moves: as XNU's ipc_port_clear_receiver(), unguarded. */
		context_ = 0;
		guarded_ = strict_guard_ = false;
	}
	leave_all();	/* and its sets */
	/* mach_port_destroyed_notification_t: the receive right, described. */
	Message *msg = Message::create(sizeof(MsgHeader) + 4 + 12);
	auto *d = static_cast<Descriptor *>(mach_shim_alloc(Message::kind, sizeof(Descriptor)));
	if (!msg || !d) {
		if (msg)
			mach_shim_free(Message::kind, msg);
		if (d)
			mach_shim_free(Message::kind, d);
		to.port->drop(to);
		return false;
	}
	u32 body[4] = {1, 0, 0, (PortDescriptor << 24) | (MoveReceive << 16)};
	__builtin_memcpy(msg->body, body, sizeof(body));
	msg->id = static_cast<int>(NotifyPortDestroyed);
	msg->other_bits = msgh_bits_complex;
	msg->set_kernel_sender();
	get();
	*d = Descriptor{};
	d->offset = 4;
	d->type = PortDescriptor;
	d->disposition = MoveReceive;
	d->right = TransitRight{this, MoveReceive};
	msg->descriptors = d;
	msg->descriptor_count = 1;
	msg->dest = to;
	Port *port = to.port;
	port->bind_owner(msg->charge);
	if (!msg->charge.add(sizeof(Message) + 4 + 12 + sizeof(Descriptor) + trailer_max)) {
		msg->descriptors[0].right = {};
		put();
		Message::destroy(msg);
		return false;
	}
	/* The transit lock is innermost: claim, then queue without it. */
	mach_shim_transit_lock();
	bool claimed = claim_transit_locked(port);
	mach_shim_transit_unlock();
	bool queued = claimed && port->enqueue(msg, false);
	if (claimed && !queued) {
		mach_shim_transit_lock();
		carrier_ = nullptr;
		mach_shim_transit_unlock();
	}
	if (!queued) {
		/* No one can take the right: it dies with the port. */
		msg->descriptors[0].right = {};
		put();
		Message::destroy(msg);
		return false;
	}
	return true;
}

mach_bool Port::has_room(void *self)
{
	Port *port = static_cast<Port *>(self);
	Guard g(port->lock_);
	return port->dead_ || port->msgcount_ + port->reserved_ < port->qlimit_;
}

Kr Port::reserve(u64 timeout_ms)
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
		{
			Guard g(lock_);
			send_waiters_++;
		}
		int ret = mach_shim_waitq_wait(waitq_, has_room, this, timeout_ms);
		{
			Guard g(lock_);
			send_waiters_--;
		}
		if (ret == -MACH_ETIMEDOUT)
			return Kr::SendTimedOut;
		/*
		 * A signal, fatal or not, ends the wait: the thread must return
		 * to user mode to take it. Without MACH_SEND_INTERRUPT the
		 * library sends again once it is handled, as XNU's does.
		 */
		if (ret == -MACH_EINTR)
			return Kr::SendInterrupted;
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

bool Port::enqueue(Message *msg, bool reserved, bool answer_next)
{
	Port *set = nullptr;
	{
		Guard g(lock_);
		if (reserved)
			reserved_--;
		/*
		 * A kernel object's port has no receiver: what the kernel sends
		 * it (an exception, a notice) would wait there for good. XNU's
		 * server answers it MIG_BAD_ID; here it is refused, as by a dead
		 * port, and the sender destroys it.
		 */
		if (dead_ || is_kernel())
			return false;
		msg->took_room = reserved;
		msg->seqno = seqno_++;
		msg->next = nullptr;
		*tail_ = msg;
		tail_ = &msg->next;
		if (reserved)
			msgcount_++;
		if (links_) {
			/* One set, the common case: woken after the lock, as ever. */
			if (!links_->member_next) {
				set = links_->set;
				set->get();
			} else {
				wake_sets_locked();
			}
		}
	}
	if (answer_next)
		mach_shim_waitq_wake_peer(waitq_);
	else
		mach_shim_waitq_wake(waitq_);
	if (set) {
		mach_shim_waitq_wake(set->waitq_);
		set->put();
	}
	return true;
}

void Port::wake_sets_locked()
{
	lock_.assert_held();
	/* Each link's reference keeps its set, and its waitq, while linked. */
	for (SetLink *l = links_; l; l = l->member_next)
		mach_shim_waitq_wake(l->set->waitq_);
}

mach_bool Port::has_message(void *self)
{
	Port *port = static_cast<Port *>(self);
	Guard g(port->lock_);
	return port->dead_ || port->head_;
}

Port::Take Port::take_locked(u32 room, bool large, u32 trailer, Message **out,
			    u32 *needed)
{
	lock_.assert_held();
	if (dead_)
		return Take::Dead;
	Message *msg = head_;
	if (!msg)
		return Take::None;
	*needed = msg->size + trailer;
	if (*needed > room && large)
		return Take::TooLarge;
	head_ = msg->next;
	if (!head_)
		tail_ = &head_;
	if (msg->took_room)
		msgcount_--;
	*out = msg;
	return Take::Got;
}

Kr Port::dequeue(u64 timeout_ms, u32 room, bool large, u32 trailer,
		 Message **out, u32 *needed, Port **from)
{
	if (set_kind_)
		return dequeue_from_set(timeout_ms, room, large, trailer, out, needed, from);
	for (;;) {
		Take took;
		{
			Guard g(lock_);
			took = take_locked(room, large, trailer, out, needed);
		}
		if (took == Take::Dead)
			return Kr::RcvPortDied;
		if (took == Take::TooLarge)
			return Kr::RcvTooLarge;
		if (took == Take::Got)
			break;
		if (timeout_ms == 0)
			return Kr::RcvTimedOut;
		int ret = mach_shim_waitq_wait(waitq_, has_message, this, timeout_ms);
		if (ret == -MACH_ETIMEDOUT)
			return Kr::RcvTimedOut;
		if (ret == -MACH_EINTR)
			return Kr::RcvInterrupted;
	}
	*from = this;
	get();
	mach_shim_waitq_wake(waitq_);	/* room for a blocked sender */
	return *needed > room ? Kr::RcvTooLarge : Kr::Success;
}

Kr Port::dequeue_killable(Message **out)
{
	for (;;) {
		Take took;
		u32 needed;
		{
			Guard g(lock_);
			took = take_locked(msg_size_max + trailer_max, false, 0, out, &needed);
		}
		if (took == Take::Dead)
			return Kr::RcvPortDied;
		if (took == Take::Got)
			return Kr::Success;
		if (mach_shim_waitq_wait_killable(waitq_, has_message, this))
			return Kr::RcvInterrupted;
	}
}

mach_bool Port::set_has_message(void *self)
{
	Port *set = static_cast<Port *>(self);
	Guard g(set->lock_);
	if (set->dead_)
		return true;
	for (SetLink *l = set->members_; l; l = l->set_next) {
		Guard gm(l->member->lock_);
		if (l->member->head_)
			return true;
	}
	return false;
}

Kr Port::dequeue_from_set(u64 timeout_ms, u32 room, bool large, u32 trailer,
			  Message **out, u32 *needed, Port **from)
{
	for (;;) {
		Take took = Take::None;
		Port *member = nullptr;
		{
			Guard g(lock_);
			if (dead_)
				return Kr::RcvPortDied;
			for (SetLink *l = members_; l && took == Take::None; l = l->set_next) {
				member = l->member;
				Guard gm(member->lock_);
				took = member->take_locked(room, large, trailer, out, needed);
				if (took == Take::Dead)
					took = Take::None;	/* leaving its sets */
			}
			if (took != Take::None)
				member->get();
		}
		if (took == Take::TooLarge) {
			member->put();
			return Kr::RcvTooLarge;
		}
		if (took == Take::Got) {
			*from = member;
			mach_shim_waitq_wake(member->waitq_);
			return *needed > room ? Kr::RcvTooLarge : Kr::Success;
		}
		if (timeout_ms == 0)
			return Kr::RcvTimedOut;
		int ret = mach_shim_waitq_wait(waitq_, set_has_message, this, timeout_ms);
		if (ret == -MACH_ETIMEDOUT)
			return Kr::RcvTimedOut;
		if (ret == -MACH_EINTR)
			return Kr::RcvInterrupted;
	}
}

SetLink *Port::new_link()
{
	return make<SetLink>();
}

void Port::free_link(SetLink *link)
{
	if (!link)
		return;
	if (link->set)
		link->set->put();
	destroy(link);	/* and its charge */
}

void Port::unlink_locked(SetLink *link)
{
	link->set->lock_.assert_held();
	link->member->lock_.assert_held();
	*link->set_prev = link->set_next;
	if (link->set_next)
		link->set_next->set_prev = link->set_prev;
	*link->member_prev = link->member_next;
	if (link->member_next)
		link->member_next->member_prev = link->member_prev;
	link->set_next = link->member_next = nullptr;
	link->set_prev = link->member_prev = nullptr;
}

Kr Port::join(Port *set, SetLink **link)
{
	if (set_kind_ || !set->set_kind_)
		return Kr::InvalidRight;
	/*
	 * The caller pays: its space holds the receive right for as long as
	 * the link lives, and a receiver that was handed the right must not
	 * spend its creator's quota on links.
	 */
	SetLink *l = *link;
	if (!l->charge.user()) {
		if (!l->charge.bind_current())
			return Kr::ResourceShortage;
		if (!l->charge.add(sizeof(SetLink)))
			return Kr::NoSpace;
	}
	bool wake;
	{
		Guard gs(set->lock_);
		Guard g(lock_);
		if (set->dead_ || dead_)
			return Kr::InvalidRight;
		for (SetLink *in = links_; in; in = in->member_next)
			if (in->set == set)
				return Kr::AlreadyInSet;
		set->get();
		l->member = this;
		l->set = set;
		l->set_next = set->members_;
		if (l->set_next)
			l->set_next->set_prev = &l->set_next;
		l->set_prev = &set->members_;
		set->members_ = l;
		l->member_next = links_;
		if (l->member_next)
			l->member_next->member_prev = &l->member_next;
		l->member_prev = &links_;
		links_ = l;
		wake = head_ != nullptr;
	}
	*link = nullptr;
	if (wake)
		mach_shim_waitq_wake(set->waitq_);	/* it holds messages */
	return Kr::Success;
}

Kr Port::leave(Port *set)
{
	SetLink *found = nullptr;
	{
		Guard gs(set->lock_);
		Guard g(lock_);
		for (SetLink *l = links_; l; l = l->member_next) {
			if (l->set == set) {
				found = l;
				unlink_locked(l);
				break;
			}
		}
	}
	if (!found)
		return Kr::NotInSet;
	free_link(found);
	return Kr::Success;
}

bool Port::leave_all(Port *keep)
{
	bool left = false;
	/*
	 * One set at a time, its lock first: each round unlinks one link
	 * (or finds that its set's death did), and no set is joined
	 * meanwhile by its space (whose lock the callers hold) nor after
	 * the death that brought some of them here.
	 */
	for (;;) {
		Port *set = nullptr;
		{
			Guard g(lock_);
			for (SetLink *l = links_; l; l = l->member_next) {
				if (l->set != keep) {
					set = l->set;
					set->get();
					break;
				}
			}
		}
		if (!set)
			return left;
		if (leave(set) == Kr::Success)
			left = true;
		set->put();
	}
}

bool Port::member_of(const Port *set)
{
	Guard g(lock_);
	if (!set)
		return links_ != nullptr;
	for (SetLink *l = links_; l; l = l->member_next)
		if (l->set == set)
			return true;
	return false;
}

void Port::detach_members()
{
	SetLink *gone = nullptr;
	{
		Guard g(lock_);
		while (SetLink *l = members_) {
			Guard gm(l->member->lock_);
			unlink_locked(l);
			l->set_next = gone;
			gone = l;
		}
	}
	/* The links' references to this set: the caller holds one more. */
	while (SetLink *l = gone) {
		gone = l->set_next;
		free_link(l);
	}
}

bool Port::readable(const void *space)
{
	{
		Guard g(lock_);
		if (!space || space != receiver_)
			return false;
		if (!set_kind_)
			return head_ != nullptr;
	}
	return set_has_message(this) && !dead();
}

void Port::set_receiver(const void *space)
{
	/*
	 * Its queue is its receiver's to pay for: a receive right given to
	 * another user takes the charge of later messages with it, or that
	 * user could fill the queue against its maker's limit (and stop the
	 * maker's every send). Messages queued before keep their payer.
	 */
	mach_shim_user *user = space ? mach_shim_user_current() : nullptr;
	{
		Guard g(lock_);
		receiver_ = space;
		if (user && owner_ && user != owner_) {
			mach_shim_user *old = owner_;
			owner_ = user;
			user = old;
		}
	}
	if (user)
		mach_shim_user_put(user);
}

mach_shim_file *Port::file()
{
	Guard g(lock_);
	if (dead_)
		return nullptr;
	/*
	 * The host's ports live as long as the module, and a file pins the
	 * module: theirs is not kept, so that the last fd closing frees it.
	 * Nor a memory entry's, which lives as long as a right names it.
	 */
	if (object_ == Object::Host || object_ == Object::Ledger ||
	    object_ == Object::MemoryEntry)
		return new_file();
	if (!file_)
		file_ = new_file();
	if (file_)
		mach_shim_file_get(file_);
	return file_;
}

/* A new file standing for this port, with a reference its release drops. */
mach_shim_file *Port::new_file()
{
	get();
	mach_shim_file *file = mach_shim_file_create(this);
	if (!file)
		put();	/* not the last: the caller holds one */
	return file;
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

bool Port::empty()
{
	/*
	 * Unlocked: a message or a death that races with the look is one
	 * that came just after it, and take_seqno() sees a death under the
	 * lock.
	 */
	return !__atomic_load_n(&dead_, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&head_, __ATOMIC_RELAXED);
}

bool Port::take_seqno(u32 *seqno)
{
	Guard g(lock_);
	if (dead_)
		return false;
	*seqno = seqno_++;
	return true;
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
	return __atomic_load_n(&mscount_, __ATOMIC_RELAXED);
}

void Port::set_mscount(u32 mscount)
{
	__atomic_store_n(&mscount_, mscount, __ATOMIC_RELAXED);
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

u32 Port::next_id()
{
	static u32 last;	/* atomic */
	return __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

void Port::set_seqno(u32 seqno)
{
	Guard g(lock_);
	for (Message *msg = head_; msg; msg = msg->next)
		msg->seqno = seqno++;
	seqno_ = seqno;
}

u64 Port::context()
{
	Guard g(lock_);
	return context_;
}

u64 Port::user_context()
{
	Guard g(lock_);
	return strict_guard_ ? 0 : context_;
}

Kr Port::set_context(u64 context, BrokenGuard *broken)
{
	Guard g(lock_);
	if (strict_guard_) {
		BrokenGuard::note(broken, GuardBreak::SetContext, context_);
		return Kr::InvalidArgument;
	}
	context_ = context;
	return Kr::Success;
}

Kr Port::guard(u64 guard, bool strict)
{
	Guard g(lock_);
	if (context_)
		return Kr::InvalidArgument;	/* a guard or a context already */
	context_ = guard;
	guarded_ = true;
	strict_guard_ = strict;
	return Kr::Success;
}

Kr Port::unguard(u64 guard, BrokenGuard *broken)
{
	Guard g(lock_);
	if (!guarded_) {
		BrokenGuard::note(broken, GuardBreak::Unguarded, 0);
		return Kr::InvalidArgument;
	}
	if (context_ != guard) {
		BrokenGuard::note(broken, GuardBreak::IncorrectGuard, context_);
		return Kr::InvalidArgument;
	}
	context_ = 0;
	guarded_ = strict_guard_ = false;
	return Kr::Success;
}

/* XNU's order: unguarded, strict, then the wrong guard. */
Kr Port::swap_guard(u64 old, u64 guard, BrokenGuard *broken)
{
	Guard g(lock_);
	if (!guarded_) {
		BrokenGuard::note(broken, GuardBreak::Unguarded, 0);
		return Kr::InvalidArgument;
	}
	if (strict_guard_ || context_ != old) {
		BrokenGuard::note(broken, strict_guard_ ? GuardBreak::SetContext :
							  GuardBreak::IncorrectGuard, context_);
		return Kr::InvalidArgument;
	}
	context_ = guard;
	return Kr::Success;
}

bool Port::guard_refuses(u64 guard, GuardBreak reason, BrokenGuard *broken)
{
	Guard g(lock_);
	if (!guarded_ || context_ == guard)
		return false;
	BrokenGuard::note(broken, reason, context_);
	return true;
}

bool Port::guarded(GuardBreak reason, BrokenGuard *broken)
{
	Guard g(lock_);
	if (guarded_)
		BrokenGuard::note(broken, reason, context_);
	return guarded_;
}

bool Port::guarded()
{
	Guard g(lock_);
	return guarded_;
}

bool Port::strict_guard()
{
	Guard g(lock_);
	return strict_guard_;
}

void Port::clear_context()
{
	Guard g(lock_);
	context_ = 0;
	guarded_ = strict_guard_ = false;
}

bool Port::peek(u32 seqno, Peeked *out)
{
	Guard g(lock_);
	for (Message *msg = head_; msg; msg = msg->next) {
		if (seqno && msg->seqno != seqno)
			continue;
		out->seqno = msg->seqno;
		out->size = msg->size;
		out->id = msg->id;
		__builtin_memcpy(out->security, msg->security, sizeof(out->security));
		__builtin_memcpy(out->audit, msg->audit, sizeof(out->audit));
		return true;
	}
	return false;
}

void Port::rename_dead_name(const void *space, u32 from, u32 to)
{
	Guard g(lock_);
	for (DeadNameRequest *r = dnrequests_; r; r = r->next)
		if (r->space == space && r->name == from)
			r->name = to;
}

u32 Port::object_view()
{
	switch (object_) {
	case Object::Task:
		return MACH_PORT_OBJECT_TASK;
	case Object::TaskName:
		return MACH_PORT_OBJECT_TASK_NAME;
	case Object::Thread:
		return MACH_PORT_OBJECT_THREAD;
	case Object::Ledger:
		return MACH_PORT_OBJECT_LEDGER;
	case Object::Host:
		switch (host_port_of(this)) {
		case HostPort::Priv:
			return MACH_PORT_OBJECT_HOST_PRIV;
		case HostPort::Security:
			return MACH_PORT_OBJECT_HOST_SECURITY;
		default:
			return MACH_PORT_OBJECT_HOST;
		}
	default:
		return MACH_PORT_OBJECT_NONE;
	}
}

void Port::requests(u32 *no_senders, u32 *port_destroyed, u32 *dead_names)
{
	Guard g(lock_);
	*no_senders = nsrequest_.port != nullptr;
	*port_destroyed = pdrequest_.port != nullptr;
	*dead_names = 0;
	for (DeadNameRequest *r = dnrequests_; r; r = r->next)
		++*dead_names;
}

Message *Message::create(u32 size)
{
	static_assert(__builtin_offsetof(Message, body) ==
		      __builtin_offsetof(Message, header) + sizeof(MsgHeader));
	void *p = mach_shim_alloc(kind, sizeof(Message) + size - sizeof(MsgHeader) + trailer_max);
	if (!p)
		return nullptr;
	Message *msg = new (p) Message;
	msg->size = size;
	return msg;
}

void Message::destroy(Message *msg, Reaper *reaper)
{
	destroy_in_place(msg, reaper);
	mach_shim_free(kind, msg);
}

void Message::destroy_in_place(Message *msg, Reaper *reaper)
{
	Reaper own;

	if (!reaper)
		reaper = &own;
	if (msg->dest.port)
		msg->dest.port->drop(msg->dest);
	if (msg->reply.port)
		msg->reply.port->drop(msg->reply);
	for (u32 i = 0; i < msg->descriptor_count; i++) {
		Descriptor &d = msg->descriptors[i];
		if (d.right.port)
			d.right.port->drop(d.right, reaper);
		for (u32 j = 0; d.rights && j < d.count; j++)
			if (d.rights[j].port)
				d.rights[j].port->drop(d.rights[j], reaper);
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
}

} /* namespace mach */

extern "C" void mach_port_put(mach_port *port)
{
	mach::Port::from(port)->put();
}

extern "C" mach_bool mach_port_readable(mach_port *port, mach_task *task)
{
	return mach::Port::from(port)->readable(&mach::Task::from(task)->space());
}

extern "C" mach_shim_waitq *mach_port_waitq(mach_port *port)
{
	return mach::Port::from(port)->waitq();
}
