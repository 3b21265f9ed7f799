// SPDX-License-Identifier: GPL-2.0
/*
 * sema.cc - Mach semaphores: the count, its waiters, and the port
 * and task they belong to. As XNU's, a signal with waiters hands itself
 * to one of them (the first queued, or the last with SYNC_POLICY_LIFO)
 * rather than counting: each waiter has a record on its own stack, which
 * the signal marks done and whose thread alone it wakes, all under the
 * semaphore's spin lock, the one the waiter sleeps under.
 */
#include "port.h"
#include "sema.h"
#include "task.h"

namespace mach {

/*
 * A waiting thread's, on its stack while it waits. It leaves only with
 * its semaphore's lock held, so a waker holding it may still touch it.
 */
struct SemaphoreWaiter {
	/* in its semaphore's queue: guarded by its lock_ */
	SemaphoreWaiter *next = nullptr;
	SemaphoreWaiter *prev = nullptr;
	const void *thread;		/* immutable: mach_shim_current_id() */
	Kr result = Kr::Success;	/* written under the lock, before done */
	/* Written under the lock once off the queue; read without it by a spin. */
	mach_bool done = false;
};

Kr Semaphore::create(Task &owner, s32 policy, s32 value, TransitRight *right)
{
	*right = {};
	if (value < 0 || (policy & ~sync_policy_user_mask))
		return Kr::InvalidArgument;
	Semaphore *s = make<Semaphore>(value, (policy & sync_policy_reversed) != 0);
	if (!s)
		return Kr::ResourceShortage;
	if (!s->lock_.ok()) {
		s->put();
		return Kr::ResourceShortage;
	}
	Port *port;
	Kr kr = Port::create_for_semaphore(s, &port);
	if (kr != Kr::Success) {
		s->put();
		return kr;
	}
	s->port_ = port;
	s->get();		/* the port's, while it has senders */
	port->make_send();
	port->get();
	TransitRight send{port, MoveSend};
	bool added = owner.semaphores().add(s);
	s->put();		/* ours: the port and the list hold it now */
	if (!added) {
		port->drop(send);	/* no senders: it ends */
		return Kr::InvalidTask;
	}
	*right = send;
	return Kr::Success;
}

Semaphore::~Semaphore()
{
	if (port_)
		port_->put();
}

void Semaphore::put()
{
	if (refs_.put())
		mach::destroy(this);
}

void Semaphore::enqueue_locked(SemaphoreWaiter *w)
{
	waiters_++;
	if (lifo_) {
		w->next = head_;
		if (head_)
			head_->prev = w;
		else
			tail_ = w;
		head_ = w;
		return;
	}
	w->prev = tail_;
	if (tail_)
		tail_->next = w;
	else
		head_ = w;
	tail_ = w;
}

void Semaphore::unlink_locked(SemaphoreWaiter *w)
{
	waiters_--;
	if (w->prev)
		w->prev->next = w->next;
	else
		head_ = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		tail_ = w->prev;
	w->next = w->prev = nullptr;
}

mach_shim_peer *Semaphore::finish_locked(SemaphoreWaiter *w, Kr result, bool peer)
{
	lock_.assert_held();
	unlink_locked(w);
	w->result = result;
	/* For a spinning waiter, which takes the lock before it leaves. */
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return mach_shim_wake_thread(w->thread, peer);
}

void Semaphore::wake_all(Kr result, u32 limit)
{
	constexpr u32 batch = 32;

	for (;;) {
		Guard g(lock_);
		for (u32 n = 0; n < batch; n++, limit--) {
			/* The longest waiting: the first to wake (FIFO) or the last. */
			SemaphoreWaiter *w = lifo_ ? tail_ : head_;
			if (!w || !limit)
				return;
			finish_locked(w, result);
		}
	}
}

bool Semaphore::cancel(SemaphoreWaiter *w)
{
	Guard g(lock_);
	if (w->done)
		return false;
	unlink_locked(w);
	return true;
}

Kr Semaphore::signal_from(bool peer)
{
	mach_shim_peer *woken = nullptr;
	{
		Guard g(lock_);
		if (!owner_)
			return Kr::Terminated;
		if (head_)
			woken = finish_locked(head_, Kr::Success, peer);
		else if (count_ < 0x7fffffff)
			count_++;
	}
	if (woken)
		mach_shim_note_peer(woken);
	return Kr::Success;
}

Kr Semaphore::signal()
{
	/* A thread that signals often waits next for the answer (a ping-pong). */
	return signal_from(true);
}

Kr Semaphore::signal_all()
{
	u32 waiting;
	{
		Guard g(lock_);
		if (!owner_)
			return Kr::Terminated;
		waiting = waiters_;
	}
	wake_all(Kr::Success, waiting);
	return Kr::Success;
}

Kr Semaphore::signal_thread(const void *thread)
{
	Guard g(lock_);
	if (!owner_)
		return Kr::Terminated;
	for (SemaphoreWaiter *w = head_; w; w = w->next) {
		if (!thread || w->thread == thread) {
			finish_locked(w, Kr::Success);
			return Kr::Success;
		}
	}
	return Kr::NotWaiting;
}

bool Semaphore::take_locked(const SemaphoreWait &how, Kr *kr)
{
	lock_.assert_held();
	if (!owner_)
		*kr = Kr::Terminated;
	else if (count_ > 0)
		count_--, *kr = Kr::Success;
	else if (how.no_block)
		*kr = Kr::OperationTimedOut;
	else
		return false;
	return true;
}

Kr Semaphore::sleep_locked(SemaphoreWaiter *w, const SemaphoreWait &how, bool *restart)
{
	int err = 0;

	while (!w->done && !err)
		err = mach_shim_sleep_locked(lock_.shim(), &w->done, how.deadline_ns);
	/* A wake-up that came as the wait ended stands. */
	if (w->done)
		return w->result;
	unlink_locked(w);
	if (err == -MACH_ETIMEDOUT)
		return Kr::OperationTimedOut;
	*restart = err == -MACH_ERESTARTNOINTR;
	return Kr::Aborted;
}

Kr Semaphore::wait(Semaphore *signal_after, const SemaphoreWait &how, bool *restart)
{
	SemaphoreWaiter w;
	w.thread = mach_shim_current_id();
	*restart = false;
	Kr kr;
	if (!signal_after) {
		Guard g(lock_);
		if (!take_locked(how, &kr)) {
			enqueue_locked(&w);
			kr = sleep_locked(&w, how, restart);
		}
	} else {
		bool queued;
		{
			Guard g(lock_);
			queued = !take_locked(how, &kr);
			if (queued)
				enqueue_locked(&w);
		}
		/*
		 * Queued first, then the signal: whoever it lets go finds
		 * this thread waiting. A semaphore to signal that is gone
		 * must not leave us waiting for what its signal would have
		 * brought.
		 */
		if (signal_after->signal_from(queued) == Kr::Terminated && queued) {
			kr = cancel(&w) ? Kr::Terminated : w.result;
		} else if (queued) {
			Guard g(lock_);
			kr = sleep_locked(&w, how, restart);
		}
	}
	/* The peer a signal of ours noted, if this wait did not sleep after it. */
	mach_shim_forget_peer();
	return kr;
}

Kr Semaphore::destroy(Task &task)
{
	return task.semaphores().remove(this) ? Kr::Success : Kr::InvalidArgument;
}

void Semaphore::deactivate_locked()
{
	lock_.assert_held();
	owner_ = nullptr;
	count_ = 0;
}

void Semaphore::no_senders()
{
	/* No name finds it from now; its file goes. */
	port_->kill();
	TaskSemaphores *owner;
	{
		Guard g(lock_);
		owner = owner_;
		if (owner)
			owner->get();
	}
	if (owner) {
		owner->remove(this);
		owner->put();
	}
	put();		/* the port's */
}

TaskSemaphores *TaskSemaphores::create()
{
	TaskSemaphores *list = make<TaskSemaphores>();
	if (list && !list->lock_.ok()) {
		list->put();
		list = nullptr;
	}
	return list;
}

void TaskSemaphores::put()
{
	if (refs_.put())
		mach::destroy(this);
}

bool TaskSemaphores::add(Semaphore *s)
{
	Guard g(lock_);
	if (closed_)
		return false;
	{
		Guard gs(s->lock_);
		s->owner_ = this;
	}
	get();		/* the semaphore's */
	s->get();	/* ours */
	s->next_ = head_;
	if (head_)
		head_->prev_ = s;
	head_ = s;
	return true;
}

bool TaskSemaphores::remove(Semaphore *s)
{
	{
		Guard g(lock_);
		{
			Guard gs(s->lock_);
			if (s->owner_ != this)
				return false;
			s->deactivate_locked();
		}
		if (s->prev_)
			s->prev_->next_ = s->next_;
		else
			head_ = s->next_;
		if (s->next_)
			s->next_->prev_ = s->prev_;
		s->next_ = s->prev_ = nullptr;
	}
	s->wake_all(Kr::Terminated, ~0u);
	s->put();	/* ours */
	put();		/* the semaphore's: its caller holds one more */
	return true;
}

void TaskSemaphores::destroy_all()
{
	Semaphore *list;
	{
		Guard g(lock_);
		closed_ = true;
		list = head_;
		head_ = nullptr;
		for (Semaphore *s = list; s; s = s->next_) {
			Guard gs(s->lock_);
			s->deactivate_locked();
		}
	}
	/* Their waiters wake, and the references go, outside the lock. */
	while (Semaphore *s = list) {
		list = s->next_;
		s->next_ = s->prev_ = nullptr;
		s->wake_all(Kr::Terminated, ~0u);
		s->put();
		put();	/* the task holds one more */
	}
}

Ref<Semaphore> Port::semaphore()
{
	Guard g(lock_);
	/* Its semaphore clears kobject_ (kill) before the port's reference goes. */
	if (object_ != Object::Semaphore)
		return Ref<Semaphore>{};
	return Ref<Semaphore>::share(static_cast<Semaphore *>(kobject_));
}

Semaphore *Port::semaphore_named()
{
	/*
	 * kobject_ is cleared when the port dies, which a semaphore's port
	 * does only once no send right is left: the caller's holds it.
	 */
	if (object_ != Object::Semaphore)
		return nullptr;
	return static_cast<Semaphore *>(kobject_);
}

} /* namespace mach */
