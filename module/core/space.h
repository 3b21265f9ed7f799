/* SPDX-License-Identifier: GPL-2.0 */
/*
 * space.h - a task's IPC space: the names it holds rights under.
 *
 * A name is the number of the file descriptor that carries the right in
 * the task's process. The space keeps, for every name, the port, the
 * right's type and its user references, and holds a reference on the
 * file so that a name is live only while that fd still refers to that
 * very file: an fd the process closed or replaced behind Mach's back is
 * no right. Send rights to one port coalesce into one name (urefs + 1).
 *
 * Operations that touch names act on the calling process's fd table, so
 * they are called only from the task's own process.
 */
#ifndef MACH_CORE_SPACE_H
#define MACH_CORE_SPACE_H

#include "base.h"
#include "hash_table.h"
#include "port.h"

namespace mach {

/* Right bits, the anchors' MACH_PORT_TYPE_* values. */
enum RightType : u32 {
	RightSend = 1u << 16,
	RightReceive = 1u << 17,
	RightSendOnce = 1u << 18,
	RightPortSet = 1u << 19,
	RightDeadName = 1u << 20,
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
	/* mach_port_deallocate: one user reference of a send right or dead name. */
	Kr deallocate(Name name);
	/* The port a live send right names, or empty. */
	Ref<Port> lookup_send(Name name);
	/* Drops rights whose fd is gone (closed, or lost at exec). */
	void sweep();
	/* The task is gone: drop everything, touching no fd table. */
	void destroy();
	/* Number of names, for tests and stats. */
	u32 count();

private:
	struct Right {
		Port *port;		/* a reference */
		mach_shim_file *file;	/* a reference */
		u32 type;		/* RightType bits */
		u32 urefs;
	};

	Right *find_live_locked(Name name);
	void forget_locked(Name name, Right right);

	Lock lock_{MACH_LOCK_SPACE};
	HashTable<u32, Right> names_;		/* guarded by lock_ */
	HashTable<const Port *, u32> senders_;	/* port -> its send-right name */
};

} /* namespace mach */

#endif /* MACH_CORE_SPACE_H */
