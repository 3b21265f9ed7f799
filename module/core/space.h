/* SPDX-License-Identifier: GPL-2.0 */
/*
 * space.h - a task's IPC space: the names it holds rights under.
 *
 * A name is the number of the file descriptor that carries the right in
 * the task's process. The space keeps, for every name, the port, the
 * rights and their user references, and holds a reference on the file so
 * that a name is live only while that fd still refers to that very file:
 * an fd the process closed or replaced behind Mach's back is no right,
 * and its rights are gone as if deallocated (a receive right so lost
 * kills its port). As in Mach, a task's send and receive rights to one
 * port share one name (user references counting the send rights); each
 * send-once right has a name of its own. A send right whose port died is
 * a dead name, noticed when the name is next looked at.
 *
 * Operations that touch names act on the calling process's fd table, so
 * they are called only from the task's own process.
 */
#ifndef MACH_CORE_SPACE_H
#define MACH_CORE_SPACE_H

#include "base.h"
#include "hash_table.h"
#include "message.h"
#include "port.h"

struct mach_port_view;
struct mach_task_view;

namespace mach {

/* Right bits, the anchors' MACH_PORT_TYPE_* values. */
enum RightType : u32 {
	RightSend = 1u << 16,
	RightReceive = 1u << 17,
	RightSendOnce = 1u << 18,
	RightPortSet = 1u << 19,
	RightDeadName = 1u << 20,
	RightDnRequest = 1u << 31,	/* MACH_PORT_TYPE_DNREQUEST */
};

/* mach_port_right_t: MACH_PORT_RIGHT_* */
enum PortRight : u32 {
	PortRightSend = 0,
	PortRightReceive = 1,
	PortRightSendOnce = 2,
	PortRightPortSet = 3,
	PortRightDeadName = 4,
	PortRightLabelh = 5,	/* obsolete: no name holds it */
	PortRightNumber = 6,
};

/* What mach_port_space_info tells of one name: ipc_info_name_t. */
struct NameInfo {		/* a value, its caller's */
	u32 name;
	u32 collision;
	u32 type;
	u32 urefs;
	u32 object;
	u32 next;
	u32 hash;
};

/* MACH_PORT_UREFS_MAX */
inline constexpr u32 urefs_max = 0xffff;

class Space {
public:
	Space() = default;
	Space(const Space &) = delete;
	Space &operator=(const Space &) = delete;
	~Space() { destroy(); }

	bool ok() const { return lock_.ok(); }

	/* Gives the task one more send right to port, coalesced by name. */
	Kr make_send(Port *port, Name *name);
	/*
	 * make_send() when the space already has a name for port, which the
	 * caller need hold no reference on (it is only compared until found
	 * here, where that name's right holds one): false if there is none.
	 */
	bool make_send_named(const Port *port, Name *name, Kr *kr);
	/*
	 * mach_port_allocate; with want valid, mach_port_allocate_name:
	 * PlaceFar if it went under a fresh *name instead, to be moved.
	 */
	Kr allocate(u32 right, Name *name, Name want = Name{Name::null});
	/*
	 * mach_port_rename: the rights under from move to the free name to.
	 * With placed place_by_holding, the fd is made here, or PlaceFar if
	 * to is too far; else placed is what the process's own
	 * fcntl(from, F_DUPFD_CLOEXEC, to) gave (mach_shim_task_dup_fd()).
	 */
	static constexpr int place_by_holding = -MACH_ESRCH - 1000;
	Kr rename(Name from, Name to, int placed = place_by_holding);
	/* mach_port_destruct: the receive right goes, send rights by srdelta. */
	Kr destruct(Name name, s32 srdelta, u64 guard, BrokenGuard *broken = nullptr);
	/* The receive right under name: InvalidName or InvalidRight if none. */
	Kr receive_port(Name name, Ref<Port> *port);
	/*
	 * mach_port_insert_member / mach_port_extract_member: a receive right
	 * joins or leaves one set, whatever others it is in (AlreadyInSet,
	 * NotInSet for that set).
	 */
	Kr insert_member(Name member, Name set);
	Kr extract_member(Name member, Name set);
	/* mach_port_kobject: the IKOT_* type of the send or receive right's port. */
	Kr kobject(Name name, u32 *type);
	/*
	 * mach_port_space_info: up to capacity names into out; *count is how
	 * many there are.
	 */
	void info(NameInfo *out, u32 capacity, u32 *count);
	/* mach_port_deallocate: one user reference of a send right or dead name. */
	Kr deallocate(Name name);
	/*
	 * deallocate(name) when the call names this space by via, a send
	 * right to port (the task's own): both names looked up under one
	 * hold of the lock. false, and nothing done, if via is not that.
	 */
	bool deallocate_via(Name via, const Port *port, Name name, Kr *kr);
	/*
	 * deallocate(name) if name still holds a send right to port, or its
	 * dead name: a right given for a call that then failed, which another
	 * thread of the program may have taken away and the number reused.
	 */
	void take_back(Name name, const Port *port);
	/* mach_port_destroy: every right under name. */
	/* broken: the guard a call of the user's broke (nullptr: the module's own). */
	Kr destroy_name(Name name, BrokenGuard *broken = nullptr);
	Kr mod_refs(Name name, u32 right, int delta, BrokenGuard *broken = nullptr);
	Kr get_refs(Name name, u32 right, u32 *refs);
	Kr type(Name name, u32 *type);
	/*
	 * mach_port_request_notification: check_notification() first, before
	 * the notify right is taken; then request_notification().
	 */
	Kr check_notification(Name name, u32 id, u32 sync);
	Kr request_notification(Name name, u32 id, u32 sync, TransitRight notify,
				TransitRight *previous);
	/*
	 * mach_port_insert_right into this same space, and of a right from
	 * elsewhere: it goes to name; PlaceFar if under a fresh *placed.
	 */
	Kr insert_right(Name name, Name poly, u32 disposition, Name *placed = nullptr);
	Kr insert(Name name, TransitRight right, Name *placed = nullptr);

	/* The port a live send right names, or empty. */
	Ref<Port> lookup_send(Name name);
	/*
	 * fn(port) for the port a live send right names, under the space's
	 * lock: that right keeps the port's senders from all going meanwhile
	 * (a fast path: no reference taken). false if name is no send right.
	 */
	template <typename Fn>
	bool with_send(Name name, Fn fn)
	{
		Guard g(lock_);
		Right *right = find_live_locked(name);
		if (!right || !(right->type & RightSend))
			return false;
		fn(*right->port);
		return true;
	}
	/* The port whose receive right name is (or port set), or empty. */
	Ref<Port> lookup_receive(Name name, bool or_set = false);
	/*
	 * mach_port_names: up to capacity (name, type) pairs into out; *count
	 * is how many names there are.
	 */
	void names(u32 *out, u32 capacity, u32 *count);
	/*
	 * mach_port_get_set_status: up to capacity of this space's names for
	 * the members of set into out, sorted; *count is how many members
	 * there are.
	 */
	Kr set_members(Name set, u32 *out, u32 capacity, u32 *count);
	/*
	 * mach_port_move_member: member into set and out of every other; a
	 * null set takes it out of all (NotInSet if it was in none).
	 */
	Kr move_member(Name member, Name set);
	/* The port name would send to with disposition, taking nothing. */
	Ref<Port> peek_dest(Name name, u32 disposition);
	/*
	 * For a call answered in place (msg.cc): peek_dest(dest, CopySend)
	 * and lookup_receive(reply) in one look; false if either is none.
	 */
	bool peek_call(Name dest, Name reply, Ref<Port> *to, Ref<Port> *reply_port);

	/*
	 * Takes the rights of a message out of the space, those of its header
	 * and of its descriptors: all of them or none. dest must still be
	 * the port that peek_dest() found.
	 */
	Kr copyin_message(const MsgHeader &header, Port *dest, Message *msg);
	/* Takes one right out of the space (MACH_SEND_INVALID_RIGHT if none). */
	Kr copyin_right(Name name, u32 disposition, TransitRight *right);
	/* Gives a right in transit to the space; *name is its name here. */
	Kr copyout(TransitRight right, u32 *name);
	/* This space's name for port's receive right, or MACH_PORT_NULL. */
	u32 receive_name(Port *port);

	/* Drops rights whose fd is gone (closed, or lost at exec). */
	void sweep();
	/* The task is gone: drop everything, touching no fd table. */
	void destroy();
	/* Number of names, for tests and stats. */
	u32 count();
	/* Up to capacity views of the names as they stand; *count of them all. */
	void view(mach_port_view *out, u32 capacity, u32 *count);
	/* Counts of names and rights into out, and its name for self (or 0). */
	void tally(struct mach_task_view *out, const Port *self);

	/* How a message uses one name (space.cc). */
	struct Usage;

private:
	struct Right {			/* in names_: guarded by lock_ */
		Port *port;		/* a reference; null for a bare dead name */
		mach_shim_file *file;	/* a reference */
		u32 type;		/* RightType bits */
		u32 urefs;		/* of the send right or dead name */
	};

	Right *find_live_locked(Name name);
	void mark_dead_locked(Name name, Right *right);
	void release(Name name, const Right &right);
	void forget_locked(Name name, Right right);
	void sweep_locked();
	void remove_locked(Name name, Right *right);
	void remove_if_empty_locked(Name name, Right *right);
	Kr notify_dead_name_locked(Name name, Right *right, TransitRight notify);
	void drop_send_right_locked(Name name, Right *right);
	Kr add_send_locked(Right *right);
	Kr deallocate_locked(Name name);
	Kr deallocate_right_locked(Name name, Right *right);
	void drop_receive_right_locked(Name name, Right *right);
	Kr copyin_own_locked(Name name, u32 disposition, TransitRight *out);
	/* A new entry, at want if that is a name (else the kernel picks). */
	Kr install_locked(Port *port, u32 type, u32 urefs, Name *name,
			  Name want = Name{Name::null});
	/* The same, under a fresh name and PlaceFar if want is too far. */
	Kr install_near_locked(Port *port, u32 type, u32 urefs, Name *name, Name want,
			       Name *placed);
	bool copyin_ok_locked(Right *right, u32 disposition, u32 uses);
	bool covers_locked(Right *right, const Usage &use);
	void take_dead_locked(Name name, Right *right, u32 disposition);
	void copyin_locked(Name name, Right *right, u32 disposition,
			   TransitRight *out);

	Lock lock_{MACH_LOCK_SPACE};
	HashTable<u32, Right> names_;		/* guarded by lock_ */
	/* guarded by lock_: port -> its send/receive name */
	HashTable<const Port *, u32> by_port_;
};

} /* namespace mach */

#endif /* MACH_CORE_SPACE_H */
