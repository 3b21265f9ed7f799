// SPDX-License-Identifier: GPL-2.0
/*
 * sema.cc - Mach semaphores: the count, its waiters, and the port
 * and task they belong to. As XNU's, a signal with waiters hands itself
 * to one of them (the first queued, or the last with SYNC_POLICY_LIFO)
 * rather than counting: each waiter has a record on its own stack, and
 * is woken by its key alone (module/sema_wait.c).
 */
#include "port.h"
#include "sema.h"
#include "task.h"

namespace mach {

/* A waiting thread's, on its stack while it waits. */
struct SemaphoreWaiter {
	/* in its semaphore's queue: guarded by its lock_ */
	SemaphoreWaiter *next = nullptr;
	SemaphoreWaiter *prev = nullptr;
	const void *thread;		/* immutable: mach_shim_current_id() */
	Kr result = Kr::Success;	/* written under the lock, before done */
	bool done = false;		/* store-release once taken off the queue */
};

namespace {

mach_bool waiter_done(void *arg)
{
	return __atomic_load_n(&static_cast<SemaphoreWaiter *>(arg)->done, __ATOMIC_ACQUIRE);
}

} /* namespace */

Kr Semaphore::create(Task &owner, s32 policy, s32 value, TransitRight *right)
{
	*right = {};
	if (value < 0 || (policy & ~sync_policy_user_mask))
		return Kr::InvalidArgument;
	Semaphore *s = make<Semaphore>(value, (policy & sync_policy_reversed) != 0);
	if (!s)
		return Kr::ResourceShortage;
	if (!s->lock_.ok() || !s->waitq_) {
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
	if (waitq_)
		mach_shim_waitq_destroy(waitq_);
}

void Semaphore::put()
{
	if (refs_.put())
		mach::destroy(this);
}

void Semaphore::enqueue_locked(SemaphoreWaiter *w)
{
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

void Semaphore::finish_locked(SemaphoreWaiter *w, Kr result)
{
	unlink_locked(w);
	w->result = result;
	/* From here on w may be gone: only its address is a key. */
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

void Semaphore::finish_all_locked(Kr result)
{
	while (head_)
		finish_locked(head_, result);
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
	SemaphoreWaiter *woken;
	{
		Guard g(lock_);
		if (!owner_)
			return Kr::Terminated;
		woken = head_;
		if (woken)
			finish_locked(woken, Kr::Success);
		else if (count_ < 0x7fffffff)
			count_++;
	}
	if (woken)
		mach_shim_waitq_wake_key(waitq_, woken, peer);
	return Kr::Success;
}

Kr Semaphore::signal()
{
	/* A thread that signals often waits next for the answer (a ping-pong). */
	return signal_from(true);
}

Kr Semaphore::signal_all()
{
	bool woke;
	{
		Guard g(lock_);
		if (!owner_)
			return Kr::Terminated;
		woke = head_ != nullptr;
		finish_all_locked(Kr::Success);
	}
	if (woke)
		mach_shim_waitq_wake(waitq_);
	return Kr::Success;
}

Kr Semaphore::signal_thread(const void *thread)
{
	SemaphoreWaiter *woken = nullptr;
	{
		Guard g(lock_);
		if (!owner_)
			return Kr::Terminated;
		for (SemaphoreWaiter *w = head_; w && !woken; w = w->next)
			if (!thread || w->thread == thread)
				woken = w;
		if (!woken)
			return Kr::NotWaiting;
		finish_locked(woken, Kr::Success);
	}
	mach_shim_waitq_wake_key(waitq_, woken, false);
	return Kr::Success;
}

Kr Semaphore::wait(Semaphore *signal_after, const SemaphoreWait &how, bool *restart)
{
	SemaphoreWaiter w;
	w.thread = mach_shim_current_id();
	*restart = false;
	Kr kr = Kr::Success;
	bool queued = false;
	{
		Guard g(lock_);
		if (!owner_) {
			kr = Kr::Terminated;
		} else if (count_ > 0) {
			count_--;
		} else if (how.no_block) {
			kr = Kr::OperationTimedOut;
		} else {
			enqueue_locked(&w);
			queued = true;
		}
	}
	/*
	 * Queued first, then the signal: whoever it lets go finds this
	 * thread waiting. A semaphore to signal that is gone must not leave
	 * us waiting for what its signal would have brought.
	 */
	if (signal_after && signal_after->signal_from(queued) == Kr::Terminated && queued)
		return cancel(&w) ? Kr::Terminated : w.result;
	if (!queued)
		return kr;

	int err = mach_shim_waitq_wait_keyed(waitq_, waiter_done, &w, how.deadline_ns);
	/* A wake-up that came as the wait ended stands. */
	if (err == 0 || !cancel(&w))
		return w.result;
	if (err == -MACH_ETIMEDOUT)
		return Kr::OperationTimedOut;
	*restart = err == -MACH_ERESTARTNOINTR;
	return Kr::Aborted;
}

Kr Semaphore::destroy(Task &task)
{
	return task.semaphores().remove(this) ? Kr::Success : Kr::InvalidArgument;
}

void Semaphore::deactivate_locked()
{
	owner_ = nullptr;
	count_ = 0;
	finish_all_locked(Kr::Terminated);
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
	mach_shim_waitq_wake(s->waitq_);
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
	/* Their waiters wake; the references go, outside the lock. */
	while (Semaphore *s = list) {
		list = s->next_;
		s->next_ = s->prev_ = nullptr;
		mach_shim_waitq_wake(s->waitq_);
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

Ref<Semaphore> Port::semaphore_named()
{
	/*
	 * kobject_ is cleared when the port dies, which a semaphore's port
	 * does only once no send right is left: the caller's holds it.
	 */
	if (object_ != Object::Semaphore)
		return Ref<Semaphore>{};
	return Ref<Semaphore>::share(static_cast<Semaphore *>(kobject_));
}

} /* namespace mach */
