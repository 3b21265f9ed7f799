// SPDX-License-Identifier: GPL-2.0
/*
 * exception_ports.cc - the handler table of a thread, a task or the host.
 * Rights are taken and copied under the table's lock, and dropped after
 * it (a drop may send a no-senders notification).
 */
#include "exception_ports.h"
#include "thread_state.h"

namespace mach {
namespace {

void drop_sends(Port *const *ports, u32 count)
{
	for (u32 i = 0; i < count; i++)
		if (ports[i])
			ports[i]->drop(TransitRight{ports[i], MoveSend});
}

/* One more send right to port, if it is one, for a copy of a handler. */
Port *copy_send(Port *port)
{
	if (port) {
		port->get();
		port->add_send();
	}
	return port;
}

bool same(const ExceptionHandler &a, const ExceptionHandler &b)
{
	return a.port == b.port && a.behavior == b.behavior && a.flavor == b.flavor;
}

} /* namespace */

Kr check_exception_handler(u32 mask, bool has_port, u32 behavior, u32 flavor)
{
	if (mask & ~all_exceptions)
		return Kr::InvalidArgument;
	/* As on XNU, the behavior of no handler at all is not looked at. */
	if (has_port && !valid_exception_behavior(behavior))
		return Kr::InvalidArgument;
	if (flavor && !valid_state_flavor(flavor))
		return Kr::InvalidArgument;
	bool protected_identity = (behavior & ~ExceptionFlags) == ExceptionIdentityProtected;
	if ((protected_identity || (behavior & ExceptionBacktracePreferred)) &&
	    !(behavior & ExceptionCodes))
		return Kr::InvalidArgument;
	return Kr::Success;
}

void ExceptionPorts::replace_locked(u32 mask, Port *port, u32 behavior, u32 flavor,
				    Port *old[exception_types])
{
	for (u32 type = 1; type < exception_types; type++) {
		old[type] = nullptr;
		if (!(mask & (1u << type)))
			continue;
		old[type] = handlers_[type].port;
		handlers_[type] = ExceptionHandler{copy_send(port), behavior, flavor};
	}
}

u32 ExceptionPorts::group_locked(u32 mask, u32 capacity, u32 *masks,
				 ExceptionHandler *handlers)
{
	u32 groups = 0;
	for (u32 type = 1; type < exception_types; type++) {
		if (!(mask & (1u << type)))
			continue;
		const ExceptionHandler &h = handlers_[type];
		u32 i = 0;
		while (i < groups && !same(handlers[i], h))
			i++;
		if (i == groups) {
			if (groups == capacity)
				continue;	/* no room: as XNU, left out */
			handlers[groups] = h;
			masks[groups++] = 0;
		}
		masks[i] |= 1u << type;
	}
	/* Rights of their own only now: the groups compared bare ports. */
	for (u32 i = 0; i < groups; i++)
		copy_send(handlers[i].port);
	return groups;
}

Kr ExceptionPorts::set(u32 mask, TransitRight port, u32 behavior, u32 flavor)
{
	u32 groups;
	return swap(mask, port, behavior, flavor, 0, nullptr, nullptr, &groups);
}

Kr ExceptionPorts::swap(u32 mask, TransitRight port, u32 behavior, u32 flavor,
			u32 capacity, u32 *masks, ExceptionHandler *handlers, u32 *groups)
{
	*groups = 0;
	Kr kr = check_exception_handler(mask, port.port, behavior, flavor);
	Port *old[exception_types] = {};
	if (kr == Kr::Success) {
		Guard g(lock_);
		if (closed_) {
			kr = Kr::Failure;
		} else {
			*groups = group_locked(mask, capacity, masks, handlers);
			replace_locked(mask, port.port, behavior, flavor, old);
		}
	}
	drop_sends(old, exception_types);
	/* Each type took a copy: the right given is spent, as on XNU. */
	if (port.port)
		port.port->drop(port);
	return kr;
}

Kr ExceptionPorts::get(u32 mask, u32 capacity, u32 *masks, ExceptionHandler *handlers,
		       u32 *groups)
{
	*groups = 0;
	if (mask & ~all_exceptions)
		return Kr::InvalidArgument;
	Guard g(lock_);
	if (closed_)
		return Kr::Failure;
	*groups = group_locked(mask, capacity, masks, handlers);
	return Kr::Success;
}

bool ExceptionPorts::handler(u32 type, ExceptionHandler *out)
{
	*out = {};
	if (type < 1 || type >= exception_types)
		return false;
	Guard g(lock_);
	if (closed_ || !handlers_[type].port)
		return false;
	*out = handlers_[type];
	copy_send(out->port);
	return true;
}

u32 ExceptionPorts::mask()
{
	u32 mask = 0;
	Guard g(lock_);
	for (u32 type = 1; type < exception_types; type++)
		if (handlers_[type].port)
			mask |= 1u << type;
	return mask;
}

void ExceptionPorts::copy_from(ExceptionPorts &from)
{
	ExceptionHandler copies[exception_types];
	Port *old[exception_types] = {};
	{
		Guard g(from.lock_);
		for (u32 type = 1; type < exception_types; type++) {
			copies[type] = from.handlers_[type];
			copy_send(copies[type].port);
		}
	}
	{
		Guard g(lock_);
		for (u32 type = 1; type < exception_types; type++) {
			if (closed_) {
				old[type] = copies[type].port;	/* not taken */
				continue;
			}
			old[type] = handlers_[type].port;
			handlers_[type] = copies[type];
		}
	}
	drop_sends(old, exception_types);
}

void ExceptionPorts::close()
{
	Port *old[exception_types] = {};
	if (!lock_.ok())
		return;
	{
		Guard g(lock_);
		closed_ = true;
		for (u32 type = 1; type < exception_types; type++) {
			old[type] = handlers_[type].port;
			handlers_[type] = {};
		}
	}
	drop_sends(old, exception_types);
}

} /* namespace mach */
