/* SPDX-License-Identifier: GPL-2.0 */
/*
 * port.h - a Mach port: a message queue with rights to it held in spaces
 * (space.h), each right an fd of its task's process.
 *
 * A port is either a kernel port standing for a kernel object (a task's
 * control or name port, a thread, the host's name, privileged and
 * security ports, a ledger: Object below; the object owns the port and
 * kills it when it goes) or an ordinary port whose receive right one task
 * holds. Either way, once the
 * port is dead every send right to it names a dead port, and its queued
 * messages are destroyed.
 *
 * A port set is a Port too (is_set()): a receive on it takes the first
 * message of any member. A receive right may be a member of any number
 * of sets (SetLink below), as in XNU.
 *
 * lock_ guards everything below it in the class; waitq_ is woken on every
 * change a sender, a receiver or poll() may be waiting for (a member's
 * message wakes each of its sets' too).
 */
#ifndef MACH_CORE_PORT_H
#define MACH_CORE_PORT_H

#include "base.h"
#include "message.h"

struct mach_port {};

namespace mach {

class Task;
class Thread;
class Port;
class Semaphore;

/*
 * A receive right's membership in one port set. It is on two lists: the
 * set's (members_, through set_next) and the member's (links_, through
 * member_next). Both change only with both locks held, the set's taken
 * first, so either lock alone keeps its own list still. The member it
 * names leaves every set before it dies; the set it names is kept by a
 * reference of the link's. Its cost counts against the member's owner,
 * as its queue does: ports times sets could be many.
 */
struct SetLink {
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;
	Port *member = nullptr;			/* not a reference */
	Port *set = nullptr;			/* a reference */
	SetLink *set_next = nullptr;		/* the set's list */
	SetLink **set_prev = nullptr;
	SetLink *member_next = nullptr;		/* the member's list */
	SetLink **member_prev = nullptr;
	Charge charge{MACH_QUOTA_MESSAGE_BYTES};
};

/*
 * Ports whose receive rights died inside messages being destroyed. Each
 * such death destroys that port's queue, whose messages may carry more
 * receive rights, as deep as a user cares to nest them: the destruction
 * that began it kills them one after another from here as it ends, never
 * by recursion.
 */
class Reaper {
public:
	Reaper() = default;
	~Reaper();
	Reaper(const Reaper &) = delete;
	Reaper &operator=(const Reaper &) = delete;
	/* Takes the caller's reference to port, whose receive right is gone. */
	void add(Port *port);

private:
	Port *head_ = nullptr;	/* its owner's only (on the stack) */
};

/* MACH_PORT_QLIMIT_DEFAULT and MACH_PORT_QLIMIT_MAX */
inline constexpr u32 qlimit_default = 5;
inline constexpr u32 qlimit_max = 1024;

/*
 * A port guard a call broke: XNU's kGUARD_EXC_ reason and the port's
 * guard (EXC_GUARD's subcode). Those here are XNU's fatal ones: the
 * caller raises EXC_GUARD and its process ends (port_call.cc).
 */
enum class GuardBreak : u32 {
	None = 0,
	Destroy = 1,		/* kGUARD_EXC_DESTROY */
	ModRefs = 2,		/* kGUARD_EXC_MOD_REFS */
	SetContext = 4,		/* kGUARD_EXC_SET_CONTEXT */
	Unguarded = 8,		/* kGUARD_EXC_UNGUARDED */
	IncorrectGuard = 16,	/* kGUARD_EXC_INCORRECT_GUARD */
};

struct BrokenGuard {	/* a value: its call's */
	GuardBreak reason = GuardBreak::None;
	u64 guard = 0;

	/* Noted in *broken, if the caller asked (a call of its own does not). */
	static void note(BrokenGuard *broken, GuardBreak reason, u64 guard)
	{
		if (broken)
			*broken = BrokenGuard{reason, guard};
	}
};

/* What a kernel port stands for: it serves the requests sent to it (mig.h). */
enum class Object : unsigned char {
	None, Task, TaskName, Host, Ledger, Thread, Semaphore, TaskResume, MemoryEntry
};

class Port : public mach_port {
public:
	static constexpr mach_shim_kind kind = MACH_KIND_PORT;

	/*
	 * A live port standing for task (its control port, or with TaskName
	 * its name port); the caller owns the one reference.
	 */
	static Port *create_for_task(Task *task, Object kind = Object::Task);
	/* A live kernel port for the host or a ledger, likewise. */
	static Port *create_kernel(Object object);
	/* A live port standing for thread, likewise. */
	static Port *create_for_thread(Thread *thread);
	/*
	 * A live port standing for a memory entry (vm_entry.h), which it owns
	 * from then on, even if this fails: the entry goes with the port.
	 */
	static Port *create_for_entry(void *entry);
	/* The memory entry this port stands for, or null; read-only. */
	void *memory_entry() const
	{
		return object_ == Object::MemoryEntry ? entry_ : nullptr;
	}
	/*
	 * A live ordinary port; the caller owns the reference and the receive
	 * right. NoSpace past its user's limit of ports.
	 */
	static Kr create(Port **port);
	/* A port set: receivers take from whichever member has a message. */
	static Kr create_set(Port **set);
	/*
	 * A live port standing for semaphore, counted as create() counts; the
	 * caller owns the reference. Its last send right gone, the semaphore
	 * ends (Semaphore::no_senders()).
	 */
	static Kr create_for_semaphore(Semaphore *semaphore, Port **port);
	bool is_set() const { return set_kind_; }

	/*
	 * Membership: a receive right may be in any number of sets at once,
	 * as in XNU; each (port, set) pair is a SetLink, allocated by the
	 * caller before it takes any lock (new_link()) and handed in, so
	 * that nothing is allocated with a port's lock held.
	 *
	 * join(): AlreadyInSet if it is in set (*link left to the caller),
	 * InvalidRight if either is dead, NoSpace past its owner's limit of
	 * message bytes (a link counts there); Success takes *link (null
	 * after).
	 * leave(): NotInSet if it is not in set. leave_all(): out of every
	 * set but keep (null: all), false if it was in none but keep. Each
	 * takes the set's lock, then the member's, and frees what it unlinks
	 * after letting them go.
	 */
	static SetLink *new_link();
	static void free_link(SetLink *link);
	Kr join(Port *set, SetLink **link);
	Kr leave(Port *set);
	bool leave_all(Port *keep = nullptr);
	/* Is it a member of set (of any set, if set is null)? */
	bool member_of(const Port *set);
	/* A set's members: fn(member) for each, under the set's lock. */
	template <typename Fn>
	void for_each_member(Fn fn)
	{
		Guard g(lock_);
		for (SetLink *l = members_; l; l = l->set_next)
			fn(l->member);
	}

	static Port *from(mach_port *p) { return static_cast<Port *>(p); }

	void get() { refs_.get(); }
	void put();

	/* The task this control port stands for while both live; else empty. */
	Ref<Task> task();
	/* Likewise for a control or a name port: for calls that only inspect. */
	Ref<Task> task_named();
	/* The task this resume port (suspension tokens' port) stands for. */
	Ref<Task> task_resumed();
	/* The thread this port stands for while both live; else empty. */
	Ref<Thread> thread();
	/* The semaphore it stands for while it has senders (sema.cc). */
	Ref<Semaphore> semaphore();
	/*
	 * The same, without the port's lock or a reference, for a caller
	 * whose send right keeps it named (under its space's lock:
	 * Space::with_send()), valid while that lock is held; null for
	 * another kind of port.
	 */
	Semaphore *semaphore_named();
	/* Set once, under lock_: a look without it sees it or just misses it. */
	bool dead() const { return __atomic_load_n(&dead_, __ATOMIC_ACQUIRE); }
	bool is_kernel() const { return object_ != Object::None; }
	Object object() const { return object_; }
	/*
	 * The port dies: the kernel object or the receive right is gone.
	 * Queued messages are destroyed and every waiter wakes.
	 */
	void kill();

	/* Rights accounting: send rights and send-once rights in existence. */
	void add_send();
	void add_send_once();
	void make_send();	/* add_send() and the make-send count */
	void count_make_send();	/* a make-send that coalesced into a right */
	void drop_send();
	void drop_send_once();
	/*
	 * A right going away unused: destroyed in transit or from a space.
	 * An unused send-once right becomes a send-once notification. A
	 * receive right's port dies, through reaper if one is given.
	 */
	void drop(const TransitRight &right, Reaper *reaper = nullptr);
	/* A right that has done its work (delivered a message). */
	void release(const TransitRight &right);

	/*
	 * Notification requests, each holding a send-once right to the port
	 * that will hear of it; *previous gets the request replaced.
	 */
	Kr request_no_senders(u32 sync, TransitRight notify, TransitRight *previous);
	Kr request_port_destroyed(TransitRight notify, TransitRight *previous);
	/* A dead-name request for name in space (an opaque tag). */
	Kr request_dead_name(const void *space, u32 name, TransitRight notify,
			     TransitRight *previous);
	/* The right under name is gone before the port: port-deleted. */
	void cancel_dead_name(const void *space, u32 name);
	/*
	 * The receive right is being destroyed: with a port-destroyed request
	 * it goes to the requester instead (true); otherwise the caller kills.
	 */
	bool hand_over_receive();

	/*
	 * Binds charge to whom what is queued here counts against: the user
	 * that made the port, or that its receive right went to since (not
	 * its sender: a receiver that never receives pays for its own queue,
	 * as a POSIX message queue's creator does).
	 * No one for a kernel port. (A dead port queues nothing.)
	 */
	void bind_owner(Charge &charge);

	/*
	 * Sending. A sender first reserves room in the queue (waiting up to
	 * timeout_ms, or until a signal: SendInterrupted), then enqueues or
	 * gives the room back. Send-once messages need no room, as on the
	 * anchors.
	 */
	Kr reserve(u64 timeout_ms);
	void unreserve();
	/*
	 * Queues msg; false (msg untouched) if the port died meanwhile.
	 * answer_next: the sender waits for an answer next (a send and
	 * receive in one call), and the receiver it wakes is its peer.
	 */
	bool enqueue(Message *msg, bool reserved, bool answer_next = false);

	/*
	 * Receiving: the first message if it fits in room bytes (false in
	 * *fits otherwise, with its needed size in *needed). large keeps a
	 * message that does not fit queued; otherwise it is dequeued anyway
	 * and the caller destroys it.
	 */
	Kr dequeue(u64 timeout_ms, u32 room, bool large, u32 trailer,
		   Message **msg, u32 *needed, Port **from);
	/*
	 * The kernel's own receive on a port only it holds (an exception's
	 * reply port): the first message, whatever its size, waiting until
	 * one comes or a fatal signal (RcvInterrupted); RcvPortDied.
	 */
	Kr dequeue_killable(Message **msg);
	/*
	 * For a reply answered in place (msg.cc): is no message waiting (it
	 * would come first), and the port alive? A look without the lock.
	 * Then, once the reply is made, the seqno it takes as if queued and
	 * received at once (false if the port died meanwhile).
	 */
	bool empty();
	bool take_seqno(u32 *seqno);
	/* Is a message waiting, and does space hold the receive right? */
	bool readable(const void *space);
	/*
	 * Receive rights in transit, under the transit lock: the port whose
	 * queue holds the message carrying this port's receive right.
	 */
	void set_carrier_transit_locked(Port *carrier) { carrier_ = carrier; }
	/* Would queueing this port's receive right on dest close a cycle? */
	bool circular_transit_locked(Port *dest) const;
	/*
	 * Claims dest as the carrier; false if the right is already claimed
	 * (on its way elsewhere) or that would close a cycle.
	 */
	bool claim_transit_locked(Port *dest)
	{
		if (carrier_ || circular_transit_locked(dest))
			return false;
		carrier_ = dest;
		return true;
	}
	void unclaim_transit_locked() { carrier_ = nullptr; }

	/*
	 * The space holding the receive right (or set), for readable(); and
	 * with a space, its owner from now on is the caller's user, who
	 * placed the receive right there.
	 */
	void set_receiver(const void *space);
	/*
	 * The port's file, with a new reference (made on first use; for the
	 * host's ports, a new one each time), or null.
	 */
	mach_shim_file *file();
	mach_shim_waitq *waitq() { return waitq_; }

	u32 qlimit();
	Kr set_qlimit(u32 qlimit);
	u32 msgcount();
	u32 mscount();
	void set_mscount(u32 mscount);
	u32 send_rights();
	u32 seqno();
	/*
	 * mach_port_set_seqno: the next message received takes seqno; those
	 * queued are numbered on from it, as if received next.
	 */
	void set_seqno(u32 seqno);

	/*
	 * The receive right's context word, which is its guard while it is
	 * guarded (XNU's ip_context, ip_guarded, ip_strict_guard).
	 */
	u64 context();			/* raw: what a context trailer carries */
	u64 user_context();		/* mach_port_get_context: 0 if strict */
	/* InvalidArgument if strictly guarded (a broken guard). */
	Kr set_context(u64 context, BrokenGuard *broken = nullptr);
	/* InvalidArgument if it has a context (a guard is one) already. */
	Kr guard(u64 guard, bool strict);
	/* InvalidArgument if unguarded or guard is not its guard (broken). */
	Kr unguard(u64 guard, BrokenGuard *broken = nullptr);
	/* InvalidArgument if unguarded, strictly guarded, or not by old (broken). */
	Kr swap_guard(u64 old, u64 guard, BrokenGuard *broken = nullptr);
	/*
	 * Does the guard forbid the receive right's end by a call that gives
	 * guard? If so, *broken says so with reason.
	 */
	bool guard_refuses(u64 guard, GuardBreak reason, BrokenGuard *broken);
	/* Is it guarded? If so, *broken says so with reason. */
	bool guarded(GuardBreak reason, BrokenGuard *broken);
	bool guarded();
	bool strict_guard();
	/* The receive right moves: its context and guard are cleared. */
	void clear_context();

	/* mach_port_peek: a queued message's facts (a value, its caller's). */
	struct Peeked {
		u32 seqno;
		u32 size;
		s32 id;
		u32 security[2];
		u32 audit[8];
	};
	/* The message numbered seqno (0: the first); false if none. */
	bool peek(u32 seqno, Peeked *out);
	/* A dead-name request of space's moves from name from to name to. */
	void rename_dead_name(const void *space, u32 from, u32 to);
	/* A number for it alone, for views that tell ports apart (not its address). */
	u32 id() const { return id_; }
	/* What it stands for, as core.h's enum mach_port_object says. */
	u32 object_view();
	/* Pending notification requests: no-senders and port-destroyed (0 or 1), dead-name. */
	void requests(u32 *no_senders, u32 *port_destroyed, u32 *dead_names);

	Port(void *kobject, Object object, bool set = false)
		: object_(object), set_kind_(set), kobject_(kobject) {}
	~Port();

private:
	friend class Reaper;
	static Kr create_counted(bool set, Port **out, void *kobject = nullptr,
				 Object object = Object::None);
	/* kill(), its queue's receive rights left to reaper. */
	void kill_into(Reaper &reaper);
	bool waiting_ok() const { return lock_.ok() && waitq_; }
	mach_shim_file *new_file();
	static mach_bool has_room(void *self);
	static mach_bool has_message(void *self);

	enum class Take { None, Got, TooLarge, Dead };
	Take take_locked(u32 room, bool large, u32 trailer, Message **msg, u32 *needed);
	Kr dequeue_from_set(u64 timeout_ms, u32 room, bool large, u32 trailer,
			    Message **msg, u32 *needed, Port **from);
	static mach_bool set_has_message(void *self);
	void detach_members();
	/* Unlinks link from both lists; both locks held. */
	static void unlink_locked(SetLink *link);
	/* Wakes the receivers of every set it is in; lock_ held. */
	void wake_sets_locked();

	RefCount refs_;			/* atomic */
	const u32 id_ = next_id();	/* immutable */
	static u32 next_id();
	const Object object_;		/* immutable */
	const bool set_kind_;		/* immutable */
	void *entry_ = nullptr;		/* a memory entry's: immutable, owned */
	/* A set's lock is taken before its members': a class of its own. */
	Lock lock_{set_kind_ ? MACH_LOCK_PORT_SET : MACH_LOCK_PORT};
	/* set at construction, then read-only (its own lock) */
	mach_shim_waitq *waitq_ = mach_shim_waitq_create();
	/* guarded by lock_ (kobject_: set at construction, cleared once) */
	void *kobject_;			/* a Task, Thread or Semaphore; not a reference */
	bool dead_ = false;		/* also read without lock_ (dead()) */
	const void *receiver_ = nullptr;	/* a Space; not a reference */
	Port *carrier_ = nullptr;	/* transit lock; not a reference */
	Port *reap_next_ = nullptr;	/* its Reaper's; the list's reference */
	/* guarded by lock_: */
	mach_shim_file *file_ = nullptr;	/* a reference, until killed */
	Message *head_ = nullptr;
	Message **tail_ = &head_;
	u32 msgcount_ = 0;		/* queued messages that took room */
	u32 reserved_ = 0;		/* room promised to senders */
	u32 send_waiters_ = 0;		/* senders waiting for room */
	u32 qlimit_ = qlimit_default;
	u32 seqno_ = 0;
	u32 mscount_ = 0;		/* atomic: a coalesced make-send takes no lock */
	u64 context_ = 0;
	bool guarded_ = false;
	bool strict_guard_ = false;
	u32 srights_ = 0;
	u32 sorights_ = 0;
	TransitRight nsrequest_;	/* no-senders */
	u32 ns_sync_ = 0;
	TransitRight pdrequest_;	/* port-destroyed */
	struct DeadNameRequest *dnrequests_ = nullptr;
	/*
	 * lock_, and changed only with the set's lock_ held too (SetLink):
	 * a member's sets; a set's members.
	 */
	SetLink *links_ = nullptr;
	SetLink *members_ = nullptr;
	/*
	 * One port, for those users make, until it dies: bound before the
	 * port is seen, released under lock_ (kill).
	 */
	Charge charge_{MACH_QUOTA_PORTS};
	/*
	 * The user that made it, or that its receive right last went to, who
	 * pays for what is queued; a reference. Guarded by lock_.
	 */
	mach_shim_user *owner_ = nullptr;
};

/* Sends a dead-name notification for name through to. */
void notify_dead_name(TransitRight to, u32 name);

/* A piece of a kernel message's body: size bytes at bytes (the caller's). */
struct BodyPart {
	const void *bytes;
	u32 size;
};

/*
 * Sends a message the kernel makes through to (a reference and a right,
 * consumed whatever comes): id, and a body of the count parts one after
 * the other (an NDR record first, if the layout has one); its trailer
 * carries the kernel's tokens (zero). Through a send-once right (a
 * notification) it needs no room in the queue; through a send right it
 * takes room, and when there is none fails at once (SendTimedOut) rather
 * than wait. Its receiver pays for it as for any message: past its limit
 * it is lost (NoSpace). ResourceShortage: no memory; SendInvalidDest: the
 * port is dead.
 */
Kr send_kernel_message(TransitRight to, u32 id, const BodyPart *parts, u32 count);

/* Notification message ids, the anchors' MACH_NOTIFY_* values. */
enum NotifyId : u32 {
	NotifyPortDeleted = 0101,
	NotifyPortDestroyed = 0105,
	NotifyNoSenders = 0106,
	NotifySendOnce = 0107,
	NotifyDeadName = 0110,
};

} /* namespace mach */

#endif /* MACH_CORE_PORT_H */
