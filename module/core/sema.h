/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sema.h - a Mach semaphore (XNU's osfmk/kern/sync_sema.c): a
 * count, the threads waiting for it, and a kernel port that stands for
 * it. Send rights to the port are the semaphore's names; it lives while
 * they do (the port's no-senders ends it, as XNU's).
 *
 * A semaphore belongs to the task it was made in, whose list holds it
 * (TaskSemaphores): semaphore_destroy by that task, or the task's end,
 * deactivates it: its waiters wake with KERN_TERMINATED, and every call
 * on it answers so from then on, while names of it remain.
 *
 * Locks (mach.h): a task's TaskSemaphores::lock_, then a semaphore's
 * lock_, a spin lock under which its waiters sleep and are woken
 * (module/sema_wait.c); none of the module's locks is taken under it,
 * only the scheduler's, to wake a thread. A call holds a reference to
 * the semaphore, and no other lock, while it signals or waits: a thread
 * it wakes may run at once, in its place, and must not find it holding
 * what that thread needs next (the caller's space lock, for one).
 */
#ifndef MACH_CORE_SEMA_H
#define MACH_CORE_SEMA_H

#include "base.h"
#include "message.h"

namespace mach {

class Task;
class Port;
class TaskSemaphores;
struct SemaphoreWaiter;

/* sync_policy_t: what XNU takes from a user (SYNC_POLICY_USER_MASK). */
inline constexpr s32 sync_policy_reversed = 0x2;	/* LIFO */
inline constexpr s32 sync_policy_user_mask = 0x6;	/* FIFO, LIFO, PREPOST */

/* How a wait may end besides a signal of the semaphore. */
struct SemaphoreWait {
	/* none (MACH_SHIM_FOREVER), or the monotonic clock's ns */
	u64 deadline_ns = MACH_SHIM_FOREVER;
	bool no_block = false;	/* a timeout of zero: never waits */
};

class Semaphore {
public:
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;

	/*
	 * semaphore_create: a semaphore of owner's, of count value, and a
	 * send right to its port in *right. InvalidArgument for a negative
	 * value or a policy outside the user's; InvalidTask if owner is
	 * terminating; NoSpace past the user's limit of ports.
	 */
	static Kr create(Task &owner, s32 policy, s32 value, TransitRight *right);

	void get() { refs_.get(); }
	void put();

	/* semaphore_destroy by task: InvalidArgument unless it is the owner. */
	Kr destroy(Task &task);
	/* semaphore_signal: wakes the first waiter, or counts one more. */
	Kr signal();
	/* semaphore_signal_all: wakes every waiter; the count stays. */
	Kr signal_all();
	/*
	 * semaphore_signal_thread: wakes thread (mach_shim_thread_id()) if it
	 * waits here, or any waiter if thread is null; NotWaiting if none.
	 */
	Kr signal_thread(const void *thread);
	/*
	 * semaphore_wait and its timed and _signal forms: takes one from
	 * the count, waiting for a signal while it is zero. signal_after:
	 * signalled once this thread is queued (XNU's atomic wait-and-signal).
	 * *restart: the wait was cut short by a stop or an abort of the
	 * thread, not by a signal to handle; nothing was taken, and the
	 * caller restarts it (Aborted then).
	 */
	Kr wait(Semaphore *signal_after, const SemaphoreWait &how, bool *restart);

	/* Its port's last send right is gone: the semaphore ends. */
	void no_senders();

	Semaphore(s32 count, bool lifo) : count_(count), lifo_(lifo) {}
	~Semaphore();

private:
	friend class TaskSemaphores;
	/* Its waiters, in waking order (lifo_ decides where one goes). */
	void enqueue_locked(SemaphoreWaiter *w);
	void unlink_locked(SemaphoreWaiter *w);
	/*
	 * Hands result to w, taken off the queue, and wakes it. peer: the
	 * caller waits for an answer next, and notes the peer returned once
	 * the lock is let go (mach_shim_wake_thread()).
	 */
	mach_shim_peer *finish_locked(SemaphoreWaiter *w, Kr result, bool peer = false);
	/*
	 * Wakes with result at most limit of the waiters, the longest
	 * waiting first (signal_all: those waiting when it began; on
	 * deactivation, all), a batch at a time under the lock, which is let
	 * go between batches: a signal to thousands keeps no CPU from
	 * being preempted for long. Takes the lock itself.
	 */
	void wake_all(Kr result, u32 limit);
	/*
	 * A wait's first look: true with *kr if it ends there (one taken
	 * from the count, or why not), false if it must wait.
	 */
	bool take_locked(const SemaphoreWait &how, Kr *kr);
	/* The wait of w, queued: until it is done, or why not. */
	Kr sleep_locked(SemaphoreWaiter *w, const SemaphoreWait &how, bool *restart);
	/* Takes w off the queue unless a wake-up came first: true if so. */
	bool cancel(SemaphoreWaiter *w);
	/*
	 * Its owner's list lets go of it (under both locks): every call
	 * answers KERN_TERMINATED from now; the caller then wakes its
	 * waiters (wake_all) with the semaphore's lock let go.
	 */
	void deactivate_locked();
	/* signal() for wait(): the thread that wakes is the waker's peer. */
	Kr signal_from(bool peer);

	RefCount refs_;			/* atomic */
	SpinLock lock_;
	/* Its port (set at creation, then read-only); a reference. */
	Port *port_ = nullptr;
	/* guarded by lock_ */
	s32 count_;			/* signals not yet taken */
	const bool lifo_;		/* immutable: SYNC_POLICY_REVERSED */
	SemaphoreWaiter *head_ = nullptr;	/* waiters, in waking order */
	SemaphoreWaiter *tail_ = nullptr;
	u32 waiters_ = 0;		/* how many */
	/*
	 * The list of the task it belongs to while active, with a reference.
	 * Written under the list's lock and lock_, read under either.
	 */
	TaskSemaphores *owner_ = nullptr;
	/* in its owner's list, under the list's lock; the list's reference */
	Semaphore *next_ = nullptr;
	Semaphore *prev_ = nullptr;
};

/*
 * The semaphores a task owns (XNU's task semaphore list), each with a
 * reference: deactivated when the task terminates. The task holds a
 * reference on the list, and so does each semaphore while it is on it:
 * a semaphore whose last name goes takes itself off without a reference
 * to the task, which may be going too.
 */
class TaskSemaphores {
public:
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;

	/* An empty, open list; the caller owns the reference. Null: no memory. */
	static TaskSemaphores *create();
	void get() { refs_.get(); }
	void put();
	/* Takes s: false once closed (the task terminates). */
	bool add(Semaphore *s);
	/* Deactivates s if it is on this list: true if so. */
	bool remove(Semaphore *s);
	/* The task terminates: every semaphore on it is deactivated. */
	void destroy_all();

	TaskSemaphores() = default;
	TaskSemaphores(const TaskSemaphores &) = delete;
	TaskSemaphores &operator=(const TaskSemaphores &) = delete;

private:
	RefCount refs_;			/* atomic */
	Lock lock_{MACH_LOCK_SEMAPHORES};
	Semaphore *head_ = nullptr;	/* guarded by lock_ */
	bool closed_ = false;		/* guarded by lock_ */
};

} /* namespace mach */

#endif /* MACH_CORE_SEMA_H */
