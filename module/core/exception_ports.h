/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exception_ports.h - who handles a thread's exceptions: a table of
 * handlers by exception type, one each for a thread, a task and the host
 * (XNU's exc_actions at its three levels), and the rules XNU's
 * *_set_exception_ports, *_get_exception_ports and *_swap_exception_ports
 * apply to them. Task, Thread and the host (host.h) each own one; the
 * calls on them, by ioctl (ioctl.cc) or by message (mig_task.cc,
 * mig_host.cc), all come here.
 *
 * The delivery of an exception asks each level in turn for the handler
 * of one type (Thread::exception_handler(), Task::exception_handler(),
 * host_exception_handler()), as XNU's exception_triage does.
 */
#ifndef MACH_CORE_EXCEPTION_PORTS_H
#define MACH_CORE_EXCEPTION_PORTS_H

#include "base.h"
#include "port.h"

namespace mach {

/* EXC_TYPES_COUNT (type 0 is not one) and EXC_MASK_VALID: every type. */
inline constexpr u32 exception_types = 14;
inline constexpr u32 all_exceptions = ((1u << exception_types) - 1) & ~1u;

/* exception_behavior_t: a format, and flags or-ed into it. */
enum ExceptionBehavior : u32 {
	ExceptionDefault = 1,			/* EXCEPTION_DEFAULT */
	ExceptionIdentityProtected = 4,
	ExceptionStateIdentityProtected = 5,	/* the last format */
	ExceptionBacktracePreferred = 0x20000000u,
	ExceptionErrors = 0x40000000u,
	ExceptionCodes = 0x80000000u,		/* MACH_EXCEPTION_CODES */
	ExceptionFlags = 0xe0000000u,		/* MACH_EXCEPTION_MASK */
};

/* EXCEPTION_DEFAULT .. EXCEPTION_STATE_IDENTITY_PROTECTED, with any flags. */
inline bool valid_exception_behavior(u32 behavior)
{
	u32 format = behavior & ~ExceptionFlags;
	return format >= ExceptionDefault && format <= ExceptionStateIdentityProtected;
}

/*
 * XNU's checks of a new handler (set_exception_ports_validation), the
 * same at all three levels: a mask of known types only; for a handler
 * that is a port (has_port: not MACH_PORT_NULL or MACH_PORT_DEAD) a known
 * behavior; a flavour of the machine's, or 0; and the protected
 * identity format or a preferred backtrace only with MACH_EXCEPTION_CODES.
 * InvalidArgument, else Success. (XNU's policy checks of its own, its
 * code-signing and sandbox rules, have no counterpart here.)
 */
Kr check_exception_handler(u32 mask, bool has_port, u32 behavior, u32 flavor);

/* The handler of one exception type: a value, as its holder says. */
struct ExceptionHandler {
	Port *port;		/* a send right and a reference, or null */
	u32 behavior;
	u32 flavor;
};

class ExceptionPorts {
public:
	/* For make(): the host's table is allocated; the others are members. */
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;

	ExceptionPorts() = default;
	~ExceptionPorts() { close(); }
	ExceptionPorts(const ExceptionPorts &) = delete;
	ExceptionPorts &operator=(const ExceptionPorts &) = delete;
	/* Its lock was made: check before the table is used. */
	bool ok() const { return lock_.ok(); }

	/*
	 * set: port (taken, whatever comes; none to clear) becomes the
	 * handler of each type in mask, with behavior and flavor; each type
	 * holds a send right of its own. Refused as check_exception_handler()
	 * says, or Failure once closed (XNU: the thread or task is dead).
	 */
	Kr set(u32 mask, TransitRight port, u32 behavior, u32 flavor);
	/*
	 * get: the handlers of the types in mask, in groups of types that
	 * share port, behavior and flavor, in order of their first type: up
	 * to capacity groups into masks and handlers (each with a new send
	 * right to its port, if any), *groups of them. InvalidArgument for
	 * an unknown type, Failure once closed.
	 */
	Kr get(u32 mask, u32 capacity, u32 *masks, ExceptionHandler *handlers, u32 *groups);
	/*
	 * swap: get's answer for mask and set's change, in one step: no
	 * other change comes between them. Every type in mask changes, even
	 * those whose group is past capacity (a MIG server always has room
	 * for all: XNU stops at the caller's count, which its MIG never makes
	 * smaller than the types).
	 */
	Kr swap(u32 mask, TransitRight port, u32 behavior, u32 flavor, u32 capacity,
		u32 *masks, ExceptionHandler *handlers, u32 *groups);

	/*
	 * For the delivery of an exception of type: its handler, with a new
	 * send right to its port for one message and a reference to it
	 * (*out->port: the caller releases both, or moves them into the
	 * message); true. false (*out cleared) if the type has no handler
	 * here, is not a type, or the table is closed. The port may be dead
	 * already: the send then fails, and XNU goes on to the next level.
	 */
	bool handler(u32 type, ExceptionHandler *out);
	/* 1 << type for each type that has a handler. */
	u32 mask();
	/*
	 * What a new task takes from its parent's (task_create): copies of
	 * each of from's handlers replace these. The two locks are never held
	 * together.
	 */
	void copy_from(ExceptionPorts &from);
	/*
	 * The owner is gone: every handler's right is dropped (no-senders
	 * notifications go out), and set, get and swap fail from now.
	 */
	void close();

private:
	/* The types of mask that changed go to old (unlocked by the caller). */
	void replace_locked(u32 mask, Port *port, u32 behavior, u32 flavor,
			    Port *old[exception_types]);
	u32 group_locked(u32 mask, u32 capacity, u32 *masks, ExceptionHandler *handlers);

	/*
	 * Innermost but for ports' own locks (module/mach.h): taken under
	 * any task's, thread's or space's lock, and only a port's under it.
	 */
	Lock lock_{MACH_LOCK_EXCEPTIONS};
	ExceptionHandler handlers_[exception_types] = {};	/* guarded by lock_ */
	bool closed_ = false;				/* guarded by lock_ */
};

} /* namespace mach */

#endif /* MACH_CORE_EXCEPTION_PORTS_H */
