// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "space.h"

namespace mach {
namespace {

constexpr u32 send_like = RightSend | RightSendOnce;

bool is_send_disposition(u32 d)
{
	return d == MoveSend || d == CopySend || d == MakeSend ||
	       d == MoveSendOnce || d == MakeSendOnce;
}

} /* namespace */

Space::Right *Space::find_live_locked(Name name)
{
	lock_.assert_held();
	if (!name.valid())
		return nullptr;	/* MACH_PORT_NULL and MACH_PORT_DEAD name nothing */
	Right *right = names_.find(name.value);
	if (!right)
		return nullptr;
	if (!mach_shim_fd_is(static_cast<int>(name.value), right->file)) {
		forget_locked(name, *right);
		return nullptr;
	}
	mark_dead_locked(name, right);
	return right;
}

/* A send or send-once right whose port died becomes a dead name. */
void Space::mark_dead_locked(Name name, Right *right)
{
	lock_.assert_held();
	if (!(right->type & send_like) || (right->type & RightReceive) ||
	    !right->port->dead())
		return;
	/* A dead-name request fired, and holds one more reference. */
	u32 urefs = (right->type & RightSend ? right->urefs : 0) +
		    (right->type & RightSendOnce ? 1 : 0) +
		    (right->type & RightDnRequest ? 1 : 0);
	if (right->type & RightSend)
		right->port->drop_send();
	if (right->type & RightSendOnce)
		right->port->drop_send_once();
	const u32 *named = by_port_.find(right->port);
	if (named && *named == name.value)
		by_port_.erase(right->port);
	right->type = RightDeadName;
	right->urefs = urefs;
}

/*
 * Lets go of a right's references: a receive right kills its port. That
 * may destroy queued messages and the rights they carry, which are all
 * in transit, so nothing re-enters a space.
 */
void Space::release(Name name, const Right &right)
{
	Port *port = right.port;

	if (port) {
		if (right.type & RightDnRequest)
			port->cancel_dead_name(this, name.value);
		if (right.type & RightSend)
			port->drop_send();
		if (right.type & RightSendOnce) {
			port->get();	/* the notice of its going unused takes it */
			port->drop(TransitRight{port, MoveSendOnce});
		}
		if ((right.type & RightReceive) && !port->hand_over_receive())
			port->kill();
		if (right.type & RightPortSet)
			port->kill();
		port->put();
	}
	mach_shim_file_put(right.file);
}

/* Drops name and whatever rights it still holds; touches no fd. */
void Space::forget_locked(Name name, Right right)
{
	lock_.assert_held();
	names_.erase(name.value);
	if (right.port) {
		const u32 *named = by_port_.find(right.port);
		if (named && *named == name.value)
			by_port_.erase(right.port);
	}
	release(name, right);
}

/* Forgets name and closes its fd, in the owning process. */
void Space::remove_locked(Name name, Right *right)
{
	lock_.assert_held();
	forget_locked(name, *right);
	mach_shim_fd_close(static_cast<int>(name.value));
}

/*
 * A name whose last right left goes, as XNU's ipc_right_copyin() frees
 * it: a dead-name request it still holds is cancelled (port-deleted).
 * Kept, it would still name the port to by_port_ with no right to it.
 */
void Space::remove_if_empty_locked(Name name, Right *right)
{
	if (!(right->type & ~RightDnRequest))
		remove_locked(name, right);
}

Kr Space::install_locked(Port *port, u32 type, u32 urefs, Name *name, Name want)
{
	lock_.assert_held();
	mach_shim_file *file = port ? port->file() : mach_shim_file_create(nullptr);
	if (!file)
		return Kr::ResourceShortage;
	int fd = want.valid() ? mach_shim_fd_install_at(static_cast<int>(want.value), file)
			      : mach_shim_fd_install(file);
	if (fd < 0) {
		mach_shim_file_put(file);
		if (fd == -MACH_EBUSY)
			return Kr::NameExists;
		if (fd == -MACH_EMFILE && want.valid())
			return Kr::PlaceFar;
		return fd == -MACH_ENOMEM ? Kr::ResourceShortage : Kr::NoSpace;
	}

	/* The number may still name a right whose fd was closed under us. */
	Name fresh{static_cast<u32>(fd)};
	if (Right *stale = names_.find(fresh.value))
		forget_locked(fresh, *stale);

	if (port)
		port->get();
	if (!names_.insert(fresh.value, Right{port, file, type, urefs})) {
		if (port)
			port->put();
		mach_shim_file_put(file);
		mach_shim_fd_close(fd);
		return Kr::ResourceShortage;
	}
	if (port && (type & (RightSend | RightReceive)) &&
	    !by_port_.insert(port, fresh.value)) {
		Right *r = names_.find(fresh.value);
		r->type = 0;	/* nothing to account for yet */
		remove_locked(fresh, r);
		return Kr::ResourceShortage;
	}
	if (type & (RightReceive | RightPortSet))
		port->set_receiver(this);
	*name = fresh;
	return Kr::Success;
}

Kr Space::install_near_locked(Port *port, u32 type, u32 urefs, Name *name, Name want,
				Name *placed)
{
	Kr kr = install_locked(port, type, urefs, name, want);
	if (kr != Kr::PlaceFar || !placed)
		return kr == Kr::PlaceFar ? Kr::NoSpace : kr;
	kr = install_locked(port, type, urefs, placed);
	return kr == Kr::Success ? Kr::PlaceFar : kr;
}

/* One more send right to the port of a live right, coalesced into it. */
Kr Space::add_send_locked(Right *right)
{
	Port *port = right->port;

	lock_.assert_held();
	if (right->type & RightSend) {
		if (right->urefs >= urefs_max)
			return Kr::UrefsOverflow;
		right->urefs++;
		port->count_make_send();
	} else if (right->type & RightReceive) {
		right->type |= RightSend;
		right->urefs = 1;
		port->make_send();
	}
	return Kr::Success;
}

Kr Space::make_send(Port *port, Name *name)
{
	Guard g(lock_);

	if (const u32 *known = by_port_.find(port)) {
		Name existing{*known};
		Right *right = find_live_locked(existing);
		if (right && right->port == port) {
			*name = existing;
			return add_send_locked(right);
		}
	}
	Kr kr = install_locked(port, RightSend, 1, name);
	if (kr == Kr::Success)
		port->make_send();
	return kr;
}

bool Space::make_send_named(const Port *port, Name *name, Kr *kr)
{
	Guard g(lock_);

	const u32 *known = by_port_.find(port);
	if (!known)
		return false;
	Name existing{*known};
	Right *right = find_live_locked(existing);
	/* Closed or dead meanwhile: make_send() handles it. */
	if (!right || right->port != port || !(right->type & (RightSend | RightReceive)))
		return false;
	*name = existing;
	*kr = add_send_locked(right);
	return true;
}

Kr Space::allocate(u32 right, Name *name, Name want)
{
	Guard g(lock_);

	/* A name asked for that holds a right is taken, whatever its fd says. */
	if (want.valid() && find_live_locked(want) &&
	    (right == PortRightReceive || right == PortRightDeadName ||
	     right == PortRightPortSet))
		return Kr::NameExists;
	switch (right) {
	case PortRightReceive: {
		Port *port;
		Kr kr = Port::create(&port);
		if (kr != Kr::Success)
			return kr;
		kr = install_near_locked(port, RightReceive, 0, name, want, name);
		if (kr != Kr::Success && kr != Kr::PlaceFar)
			port->kill();
		port->put();
		return kr;
	}
	case PortRightDeadName:
		return install_near_locked(nullptr, RightDeadName, 1, name, want, name);
	case PortRightPortSet: {
		Port *set;
		Kr kr = Port::create_set(&set);
		if (kr != Kr::Success)
			return kr;
		kr = install_near_locked(set, RightPortSet, 0, name, want, name);
		if (kr != Kr::Success && kr != Kr::PlaceFar)
			set->kill();
		set->put();
		return kr;
	}
	default:
		return Kr::InvalidValue;
	}
}

Kr Space::deallocate(Name name)
{
	if (!name.valid())
		return Kr::Success;

	Guard g(lock_);
	return deallocate_locked(name);
}

bool Space::deallocate_via(Name via, const Port *port, Name name, Kr *kr)
{
	Guard g(lock_);
	Right *right = find_live_locked(via);

	if (!right || !(right->type & RightSend) || right->port != port)
		return false;
	if (!name.valid())
		*kr = Kr::Success;
	else if (name.value == via.value)	/* mach_task_self()'s own, found */
		*kr = deallocate_right_locked(name, right);
	else
		*kr = deallocate_locked(name);
	return true;
}

void Space::take_back(Name name, const Port *port)
{
	Guard g(lock_);
	Right *right = find_live_locked(name);

	if (right && right->port == port && (right->type & (RightSend | RightDeadName)))
		deallocate_right_locked(name, right);
}

Kr Space::deallocate_locked(Name name)
{
	Right *right = find_live_locked(name);

	return right ? deallocate_right_locked(name, right) : Kr::InvalidName;
}

Kr Space::deallocate_right_locked(Name name, Right *right)
{
	lock_.assert_held();
	/* As XNU's ipc_right_dealloc(): a send-once right or a set goes whole. */
	if (right->type & (RightSendOnce | RightPortSet)) {
		remove_locked(name, right);
		return Kr::Success;
	}
	if (!(right->type & (RightSend | RightDeadName)))
		return Kr::InvalidRight;
	if (--right->urefs == 0)
		drop_send_right_locked(name, right);
	return Kr::Success;
}

/* The last user reference went: the name keeps only its receive right. */
void Space::drop_send_right_locked(Name name, Right *right)
{
	lock_.assert_held();
	if (right->type & RightReceive) {
		right->type &= ~RightSend;
		right->port->drop_send();
		return;
	}
	remove_locked(name, right);
}

Kr Space::destroy_name(Name name, BrokenGuard *broken)
{
	if (!name.valid())
		return Kr::Success;

	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	/* A guarded receive right is destroyed only with its guard (destruct). */
	if ((right->type & RightReceive) &&
	    right->port->guard_refuses(0, GuardBreak::Destroy, broken))
		return Kr::InvalidRight;
	remove_locked(name, right);
	return Kr::Success;
}

/* The receive right under name goes; a send right there stays, or dies. */
void Space::drop_receive_right_locked(Name name, Right *right)
{
	lock_.assert_held();
	if (!(right->type & RightSend)) {
		remove_locked(name, right);
		return;
	}
	Port *port = right->port;
	if (port->hand_over_receive()) {
		/* The port lives on elsewhere: the send right stays. */
		right->type &= ~RightReceive;
		return;
	}
	/* The send rights outlive the port as a dead name. */
	u32 fired = right->type & RightDnRequest ? 1 : 0;
	right->type = RightDeadName;
	right->urefs += fired;
	by_port_.erase(port);
	port->drop_send();
	port->kill();
}

Kr Space::mod_refs(Name name, u32 which, int delta, BrokenGuard *broken)
{
	if (which >= PortRightNumber)
		return Kr::InvalidValue;
	if (!name.valid())
		return which == PortRightSend || which == PortRightSendOnce ?
			Kr::Success : Kr::InvalidName;

	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;

	switch (which) {
	case PortRightReceive:
	case PortRightSendOnce:
	case PortRightPortSet: {
		u32 bit = which == PortRightReceive ? RightReceive :
			  which == PortRightPortSet ? RightPortSet : RightSendOnce;
		if (!(right->type & bit))
			return Kr::InvalidRight;
		if (delta > 0 || delta < -1)
			return Kr::InvalidValue;
		if (delta == 0)
			return Kr::Success;
		if (bit == RightReceive) {
			if (right->port->guarded(GuardBreak::ModRefs, broken))
				return Kr::InvalidRight;
			drop_receive_right_locked(name, right);
			return Kr::Success;
		}
		remove_locked(name, right);
		return Kr::Success;
	}
	case PortRightSend:
	case PortRightDeadName: {
		/* On a dead name, send references are its references. */
		u32 bit = right->type & RightDeadName ? RightDeadName :
			  which == PortRightSend ? RightSend : RightDeadName;
		if (!(right->type & bit))
			return Kr::InvalidRight;
		long urefs = static_cast<long>(right->urefs) + delta;
		if (urefs < 0)
			return Kr::InvalidValue;
		if (urefs > urefs_max)
			return Kr::UrefsOverflow;
		right->urefs = static_cast<u32>(urefs);
		if (urefs == 0)
			drop_send_right_locked(name, right);
		return Kr::Success;
	}
	default:
		return Kr::InvalidRight;	/* MACH_PORT_RIGHT_LABELH: never held */
	}
}

Kr Space::destruct(Name name, s32 srdelta, u64 guard, BrokenGuard *broken)
{
	if (!name.valid())
		return Kr::InvalidName;
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	if (!(right->type & RightReceive))
		return Kr::InvalidRight;
	if (srdelta && !(right->type & RightSend))
		return Kr::InvalidRight;
	if (srdelta > 0)
		return Kr::InvalidValue;
	/* XNU's ipc_right_destruct() names it a destroy, not a wrong guard. */
	if (right->port->guard_refuses(guard, GuardBreak::Destroy, broken))
		return Kr::InvalidArgument;
	if (srdelta) {
		long urefs = static_cast<long>(right->urefs) + srdelta;
		if (urefs < 0)
			return Kr::InvalidValue;
		right->urefs = static_cast<u32>(urefs);
		if (urefs == 0) {
			right->type &= ~RightSend;
			right->port->drop_send();
		}
	}
	drop_receive_right_locked(name, right);
	return Kr::Success;
}

Kr Space::receive_port(Name name, Ref<Port> *port)
{
	if (!name.valid())
		return Kr::InvalidName;
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	if (!(right->type & RightReceive))
		return Kr::InvalidRight;
	*port = Ref<Port>::share(right->port);
	return Kr::Success;
}

Kr Space::rename(Name from, Name to, int placed)
{
	/* An fd the process made for us at placed: ours to close if unused. */
	auto discard = [placed] {
		if (placed >= 0)
			mach_shim_fd_close(placed);
	};
	if (!to.valid()) {
		discard();
		return Kr::InvalidValue;
	}
	Guard g(lock_);
	Right *right = find_live_locked(from);
	if (!right) {
		discard();
		return Kr::InvalidName;
	}
	if (static_cast<u32>(placed) != to.value && find_live_locked(to)) {
		discard();
		return Kr::NameExists;
	}
	right = names_.find(from.value);	/* the table may have moved */
	Right moved = *right;
	int fd = placed;
	if (placed == place_by_holding) {
		/* The same file under the new number; the old one closes after. */
		fd = mach_shim_fd_install_at(static_cast<int>(to.value), moved.file);
		if (fd == -MACH_EMFILE)
			return Kr::PlaceFar;
	}
	if (fd >= 0 && (static_cast<u32>(fd) != to.value ||
			!mach_shim_fd_is(fd, moved.file))) {
		mach_shim_fd_close(fd);	/* to was taken meanwhile */
		return Kr::NameExists;
	}
	if (fd < 0) {
		if (fd == -MACH_EBUSY)
			return Kr::NameExists;
		if (fd == -MACH_EINTR)
			return Kr::Aborted;
		return fd == -MACH_ENOMEM ? Kr::ResourceShortage : Kr::NoSpace;
	}
	if (Right *stale = names_.find(to.value))
		forget_locked(to, *stale);
	if (!names_.insert(to.value, moved)) {
		mach_shim_fd_close(fd);
		return Kr::ResourceShortage;
	}
	names_.erase(from.value);
	if (moved.port) {
		const u32 *named = by_port_.find(moved.port);
		if (named && *named == from.value) {
			by_port_.erase(moved.port);
			by_port_.insert(moved.port, to.value);	/* the slot just freed */
		}
		if (moved.type & RightDnRequest)
			moved.port->rename_dead_name(this, from.value, to.value);
	}
	mach_shim_fd_close(static_cast<int>(from.value));
	return Kr::Success;
}

namespace {

/*
 * A membership link made before the space's lock is taken (declared
 * before its Guard), and freed after the lock goes if join() left it.
 */
class NewLink {
public:
	explicit NewLink(bool want = true) : link_(want ? Port::new_link() : nullptr) {}
	~NewLink() { Port::free_link(link_); }
	NewLink(const NewLink &) = delete;
	NewLink &operator=(const NewLink &) = delete;
	SetLink **get() { return &link_; }
	bool ok() const { return link_ != nullptr; }

private:
	SetLink *link_;		/* its owner's only (on the stack) */
};

} /* namespace */

Kr Space::insert_member(Name member, Name set)
{
	if (!member.valid() || !set.valid())
		return Kr::InvalidRight;
	NewLink link;
	if (!link.ok())
		return Kr::ResourceShortage;
	Guard g(lock_);
	if (!find_live_locked(member) || !find_live_locked(set))
		return Kr::InvalidName;
	Right *m = names_.find(member.value), *s = names_.find(set.value);
	if (!m || !s)
		return Kr::InvalidName;	/* the second look forgot the first */
	if (!(m->type & RightReceive) || !(s->type & RightPortSet))
		return Kr::InvalidRight;
	/* In any number of sets, as XNU's; AlreadyInSet in this one. */
	return m->port->join(s->port, link.get());
}

Kr Space::extract_member(Name member, Name set)
{
	if (!member.valid() || !set.valid())
		return Kr::InvalidRight;
	Guard g(lock_);
	if (!find_live_locked(member) || !find_live_locked(set))
		return Kr::InvalidName;
	Right *m = names_.find(member.value), *s = names_.find(set.value);
	if (!m || !s)
		return Kr::InvalidName;
	if (!(m->type & RightReceive) || !(s->type & RightPortSet))
		return Kr::InvalidRight;
	/* Out of this set only; NotInSet if it is not there. */
	return m->port->leave(s->port);
}

namespace {

/* XNU's IKOT_* of what a port stands for (ipc_kobject.h). */
u32 ikot_of(Port *port)
{
	switch (port->object_view()) {
	case MACH_PORT_OBJECT_THREAD:
		return 1;	/* IKOT_THREAD_CONTROL */
	case MACH_PORT_OBJECT_TASK:
		return 2;	/* IKOT_TASK_CONTROL */
	case MACH_PORT_OBJECT_HOST:
		return 3;	/* IKOT_HOST */
	case MACH_PORT_OBJECT_HOST_PRIV:
		return 4;	/* IKOT_HOST_PRIV */
	case MACH_PORT_OBJECT_HOST_SECURITY:
		return 17;	/* IKOT_HOST_SECURITY */
	case MACH_PORT_OBJECT_LEDGER:
		return 18;	/* IKOT_LEDGER */
	case MACH_PORT_OBJECT_TASK_NAME:
		return 20;	/* IKOT_TASK_NAME */
	default:
		return 0;	/* IKOT_NONE: an ordinary port */
	}
}

} /* namespace */

Kr Space::kobject(Name name, u32 *type)
{
	if (!name.valid())
		return Kr::InvalidName;
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	if (!(right->type & (RightSend | RightReceive)))
		return Kr::InvalidRight;
	*type = ikot_of(right->port);
	return Kr::Success;
}

void Space::info(NameInfo *out, u32 capacity, u32 *count)
{
	Guard g(lock_);
	*count = 0;
	sweep_locked();
	names_.for_each([&](u32 key, Right &right) {
		mark_dead_locked(Name{key}, &right);
		if (*count < capacity) {
			NameInfo &n = out[*count];
			n = NameInfo{};
			n.name = key;
			n.type = right.type;
			/* As XNU's entry bits: receive rights and sets count none. */
			if (right.type & (RightSend | RightDeadName))
				n.urefs = right.urefs;
			else if (right.type & RightSendOnce)
				n.urefs = 1;
			n.object = right.type & RightDeadName ? 0 :
				   right.port->id();
		}
		(*count)++;
	});
}

Kr Space::get_refs(Name name, u32 which, u32 *refs)
{
	if (which >= PortRightNumber)
		return Kr::InvalidValue;
	*refs = 0;
	/* As XNU: a null or dead name holds one send or send-once reference. */
	if (!name.valid()) {
		if (which != PortRightSend && which != PortRightSendOnce)
			return Kr::InvalidName;
		*refs = 1;
		return Kr::Success;
	}

	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	switch (which) {
	case PortRightSend:
		*refs = right->type & RightSend ? right->urefs : 0;
		break;
	case PortRightReceive:
		*refs = right->type & RightReceive ? 1 : 0;
		break;
	case PortRightSendOnce:
		*refs = right->type & RightSendOnce ? 1 : 0;
		break;
	case PortRightDeadName:
		*refs = right->type & RightDeadName ? right->urefs : 0;
		break;
	case PortRightPortSet:
		*refs = right->type & RightPortSet ? 1 : 0;
		break;
	default:
		break;
	}
	return Kr::Success;
}

Kr Space::type(Name name, u32 *type)
{
	if (!name.valid())
		return Kr::InvalidName;
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	*type = right->type;
	return Kr::Success;
}

/*
 * As XNU's trap: MAKE_SEND and COPY_SEND onto the name that holds the
 * right add to it in place; any other right is taken from poly as a
 * message would take it (XNU's ipc_object_copyin() errors), then goes in
 * under name (insert()), and is destroyed if it cannot.
 */
Kr Space::insert_right(Name name, Name poly, u32 disposition, Name *placed)
{
	if (!is_send_disposition(disposition) && disposition != MoveReceive)
		return Kr::SendInvalidType;
	if (name.value != poly.value || (disposition != MakeSend && disposition != CopySend)) {
		TransitRight right;
		Kr kr;
		{
			Guard g(lock_);
			kr = copyin_own_locked(poly, disposition, &right);
		}
		return kr == Kr::Success ? insert(name, right, placed) : kr;
	}

	Guard g(lock_);
	Right *source = find_live_locked(poly);
	if (!source)
		return Kr::InvalidName;
	if (source->type & RightDeadName)
		return Kr::InvalidCapability;
	u32 needs = disposition == MakeSend ? RightReceive : RightSend;
	if (!(source->type & needs))
		return Kr::InvalidRight;
	if (source->type & RightSend) {
		if (source->urefs >= urefs_max)
			return Kr::UrefsOverflow;
		source->urefs++;
		if (disposition == MakeSend)
			source->port->count_make_send();
	} else {
		source->type |= RightSend;
		source->urefs = 1;
		source->port->make_send();
	}
	return Kr::Success;
}

/* copyin_right() with the errors XNU's ipc_right_copyin() gives a caller. */
Kr Space::copyin_own_locked(Name name, u32 disposition, TransitRight *out)
{
	lock_.assert_held();
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	/* A dead name copies as a dead right, which no name can hold. */
	if ((right->type & RightDeadName) && (disposition == MoveSend || disposition == CopySend))
		return Kr::InvalidCapability;
	if (!right->port || !copyin_ok_locked(right, disposition, 1))
		return Kr::InvalidRight;
	copyin_locked(name, right, disposition, out);
	return Kr::Success;
}

Kr Space::insert(Name name, TransitRight right, Name *placed)
{
	Port *port = right.port;
	if (!name.valid()) {
		port->drop(right);
		return Kr::InvalidValue;
	}
	if (port->dead()) {
		port->drop(right);
		return Kr::InvalidCapability;
	}
	Guard g(lock_);
	const u32 *known = right.type == MoveSendOnce ? nullptr : by_port_.find(port);
	Right *entry = known ? find_live_locked(Name{*known}) : nullptr;
	if (entry && entry->port == port) {
		/* The port is named here already: only under that name. */
		Kr kr = Kr::Success;
		if (*known != name.value)
			kr = Kr::RightExists;
		else if (right.type == MoveReceive && (entry->type & RightReceive))
			kr = Kr::RightExists;
		else if (right.type == MoveSend && (entry->type & RightSend) &&
			 entry->urefs >= urefs_max)
			kr = Kr::UrefsOverflow;
		if (kr != Kr::Success) {
			port->drop(right);
			return kr;
		}
		if (right.type == MoveReceive) {
			entry->type |= RightReceive;
			port->set_receiver(this);
		} else if (entry->type & RightSend) {
			entry->urefs++;
			port->drop_send();	/* one send right per name */
		} else {
			entry->type |= RightSend;
			entry->urefs = 1;
		}
		port->put();
		return Kr::Success;
	}
	Name got{Name::null};
	u32 type = right.type == MoveReceive ? RightReceive :
		   right.type == MoveSend ? RightSend : RightSendOnce;
	Kr kr = install_near_locked(port, type, right.type == MoveSend ? 1 : 0, &got, name,
				    placed);
	if (kr != Kr::Success && kr != Kr::PlaceFar) {
		port->drop(right);
		return kr;
	}
	port->put();	/* the space took its own reference */
	return kr;
}

Ref<Port> Space::lookup_send(Name name)
{
	if (!name.valid())
		return {};
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right || !(right->type & RightSend))
		return {};
	return Ref<Port>::share(right->port);
}

Ref<Port> Space::lookup_receive(Name name, bool or_set)
{
	if (!name.valid())
		return {};
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right || !(right->type & (RightReceive | (or_set ? u32{RightPortSet} : 0u))))
		return {};
	return Ref<Port>::share(right->port);
}

void Space::names(u32 *out, u32 capacity, u32 *count)
{
	Guard g(lock_);
	*count = 0;
	sweep_locked();		/* only live names, dead ones marked */
	names_.for_each([&](u32 key, Right &right) {
		mark_dead_locked(Name{key}, &right);
		if (*count < capacity) {
			out[2 * *count] = key;
			out[2 * *count + 1] = right.type;
		}
		(*count)++;
	});
}

Kr Space::set_members(Name set, u32 *out, u32 capacity, u32 *count)
{
	Guard g(lock_);
	*count = 0;
	Right *right = find_live_locked(set);
	if (!right)
		return Kr::InvalidName;
	if (!(right->type & RightPortSet))
		return Kr::InvalidRight;
	/* A member's receive right is in this space: it is named here. */
	right->port->for_each_member([&](Port *member) {
		const u32 *name = by_port_.find(member);
		if (*count < capacity)
			out[*count] = name ? *name : Name::null;
		(*count)++;
	});
	/* Sorted, as XNU's; a list cut short is asked for again, larger. */
	mach_shim_sort_u32(out, *count < capacity ? *count : capacity);
	return Kr::Success;
}

Kr Space::move_member(Name member, Name set)
{
	/* Only a move into a set needs a link; made before any lock. */
	NewLink link(set.valid());
	if (set.valid() && !link.ok())
		return Kr::ResourceShortage;
	Guard g(lock_);
	Right *m = find_live_locked(member);
	if (!m)
		return Kr::InvalidName;
	if (!(m->type & RightReceive))
		return Kr::InvalidRight;
	Port *target = nullptr;
	if (set.valid()) {
		Right *s = find_live_locked(set);
		if (!s)
			return Kr::InvalidName;
		if (!(s->type & RightPortSet))
			return Kr::InvalidRight;
		target = s->port;
		m = names_.find(member.value);	/* the table may have moved */
	} else if (set.value != Name::null) {
		return Kr::InvalidName;
	}
	Port *port = m->port;
	/*
	 * As XNU's: into target (if it is not there already), then out of
	 * every other set; with no target, out of all of them, NotInSet if
	 * it was in none.
	 */
	if (target) {
		Kr kr = port->join(target, link.get());
		if (kr != Kr::Success && kr != Kr::AlreadyInSet)
			return kr;
		port->leave_all(target);
		return Kr::Success;
	}
	return port->leave_all() ? Kr::Success : Kr::NotInSet;
}

Ref<Port> Space::peek_dest(Name name, u32 disposition)
{
	if (!name.valid() || !is_send_disposition(disposition))
		return {};
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right || !copyin_ok_locked(right, disposition, 1))
		return {};
	return Ref<Port>::share(right->port);
}

bool Space::peek_call(Name dest, Name reply, Ref<Port> *to, Ref<Port> *reply_port)
{
	if (!dest.valid() || !reply.valid())
		return false;
	Guard g(lock_);
	Right *to_right = find_live_locked(dest);
	if (!to_right || !copyin_ok_locked(to_right, CopySend, 1))
		return false;
	Right *reply_right = find_live_locked(reply);
	if (!reply_right || !(reply_right->type & RightReceive))
		return false;
	*to = Ref<Port>::share(to_right->port);
	*reply_port = Ref<Port>::share(reply_right->port);
	return true;
}

/* Could disposition be taken uses times from right? */
bool Space::copyin_ok_locked(Right *right, u32 disposition, u32 uses)
{
	switch (disposition) {
	case MoveSend:
	case CopySend:
		return (right->type & RightSend) && right->urefs >= uses;
	case MakeSend:
	case MakeSendOnce:
	case MoveReceive:
		return right->type & RightReceive;
	case MoveSendOnce:
		return (right->type & RightSendOnce) && uses == 1;
	default:
		return false;
	}
}

void Space::copyin_locked(Name name, Right *right, u32 disposition,
			  TransitRight *out)
{
	lock_.assert_held();
	Port *port = right->port;

	port->get();
	out->port = port;
	out->type = MoveSend;
	switch (disposition) {
	case MoveSend:
		if (--right->urefs == 0) {
			/* The right itself leaves; its accounting goes with it. */
			right->type &= ~RightSend;
			remove_if_empty_locked(name, right);
		} else {
			port->add_send();	/* one stays, one travels */
		}
		break;
	case CopySend:
		port->add_send();
		break;
	case MakeSend:
		port->make_send();
		break;
	case MakeSendOnce:
		port->add_send_once();
		out->type = MoveSendOnce;
		break;
	case MoveSendOnce:
		right->type &= ~RightSendOnce;
		remove_locked(name, right);
		out->type = MoveSendOnce;
		break;
	case MoveReceive:
		/* The receive right leaves (and its set); a send right stays. */
		right->type &= ~RightReceive;
		port->set_receiver(nullptr);
		port->leave_all();
		port->clear_context();	/* as XNU's ipc_port_clear_receiver() */
		out->type = MoveReceive;
		remove_if_empty_locked(name, right);
		break;
	}
}

namespace {

/* One right a message takes from the sender's space. */
struct Request {		/* a value: its caller's only */
	u32 name;
	u32 disposition;
	TransitRight *out;
	u32 *carried_name;	/* a descriptor's: MACH_PORT_DEAD for a dead name */
	Kr error;		/* what the sender hears if it cannot be taken */
};

} /* namespace */

/* How one name is used by a whole message. */
struct Space::Usage {		/* a value: its UsageMap's */
	u32 send = 0;		/* MOVE_SEND and COPY_SEND */
	u32 send_once = 0;	/* MOVE_SEND_ONCE */
	u32 make = 0;		/* MAKE_SEND and MAKE_SEND_ONCE */
	u32 receive = 0;	/* MOVE_RECEIVE */
	u32 urefs_left = 0;	/* checked in order: what the moves so far left */
	bool dead = false;	/* a dead name: it travels as MACH_PORT_DEAD */
	bool checked = false;
	bool ok = false;
};

namespace {

/*
 * Usage by name: a few names inline (every message without descriptors
 * fits), a hash table past that.
 */
class UsageMap {
public:
	/* The usage of name, made if new; null when out of memory. */
	Space::Usage *get(u32 name)
	{
		for (u32 i = 0; i < inline_count_; i++)
			if (names_[i] == name)
				return &inline_[i];
		if (Space::Usage *u = table_.find(name))
			return u;
		if (inline_count_ < inline_max) {
			names_[inline_count_] = name;
			inline_[inline_count_] = Space::Usage{};
			return &inline_[inline_count_++];
		}
		if (!table_.insert(name, Space::Usage{}))
			return nullptr;
		return table_.find(name);
	}

private:
	static constexpr u32 inline_max = 4;
	/* its caller's only (on its stack) */
	u32 names_[inline_max];
	Space::Usage inline_[inline_max];
	u32 inline_count_ = 0;
	HashTable<u32, Space::Usage> table_;
};

/* Calls fn(request) for every right msg takes, header first. */
template <typename Fn>
void for_each_request(const MsgHeader &header, Message *msg, Fn fn)
{
	fn(Request{header.remote_port, header.bits & msgh_bits_remote_mask,
		   &msg->dest, nullptr, Kr::SendInvalidDest});
	/* A null or dead reply name carries no right, as on the anchors. */
	u32 reply = (header.bits & msgh_bits_local_mask) >> 8;
	if (reply && Name{header.local_port}.valid())
		fn(Request{header.local_port, reply, &msg->reply, nullptr,
			   Kr::SendInvalidReply});
	for (u32 i = 0; i < msg->descriptor_count; i++) {
		Descriptor &d = msg->descriptors[i];
		if (d.type == PortDescriptor && Name{d.name}.valid())
			fn(Request{d.name, d.disposition, &d.right, &d.name,
				   Kr::SendInvalidRight});
		for (u32 j = 0; d.names && j < d.count; j++)
			if (Name{d.names[j]}.valid())
				fn(Request{d.names[j], d.disposition, &d.rights[j], &d.names[j],
					   Kr::SendInvalidRight});
	}
}

} /* namespace */

/* Does disposition take a user reference (of a dead name, if dead)? */
static bool moves_a_reference(u32 disposition, bool dead)
{
	return disposition == MoveSend || (dead && disposition == MoveSendOnce);
}

/*
 * A dead name travels as MACH_PORT_DEAD, moved (a user reference) or
 * copied, as a send or send-once right (XNU's DEADOK copyin).
 */
static bool dead_covers(const Space::Usage &use)
{
	return !use.make && !use.receive;
}

/*
 * Can right cover every use a message makes of its name? How many user
 * references its MOVE_SENDs and COPY_SENDs need depends on their order:
 * copyin_message() counts them.
 */
bool Space::covers_locked(Right *right, const Usage &use)
{
	if (!right || !right->port)
		return false;
	if (use.send && (!(right->type & RightSend) || !right->urefs))
		return false;
	if (use.send_once && (!(right->type & RightSendOnce) || use.send_once > 1 ||
			      use.send || use.make))
		return false;
	if ((use.make || use.receive) && !(right->type & RightReceive))
		return false;
	/* A receive right moves alone. */
	if (use.receive && (use.receive > 1 || use.make))
		return false;
	return true;
}

Kr Space::copyin_message(const MsgHeader &header, Port *dest, Message *msg)
{
	UsageMap uses;
	Kr kr = Kr::Success;

	Guard g(lock_);
	for_each_request(header, msg, [&](const Request &r) {
		if (kr != Kr::Success)
			return;
		Usage *u = uses.get(r.name);
		if (!u) {
			kr = Kr::ResourceShortage;
			return;
		}
		switch (r.disposition) {
		case MoveSend:
		case CopySend:
			u->send++;
			break;
		case MoveSendOnce:
			u->send_once++;
			break;
		case MakeSend:
		case MakeSendOnce:
			u->make++;
			break;
		case MoveReceive:
			u->receive++;
			break;
		default:
			kr = r.error;	/* the descriptor parser lets none through */
		}
	});
	if (kr != Kr::Success)
		return kr;

	/*
	 * Check every name against its right before anything is taken, in
	 * the order XNU takes them, one at a time: a move or a copy after
	 * the move of the last user reference finds no right. The header's
	 * destination and reply, when one name, XNU takes at once
	 * (ipc_right_copyin_two()): a copy as the reply of the destination's
	 * move needs no reference of its own, and a second move that has
	 * none is the destination's error.
	 */
	bool dest_moved = false;
	for_each_request(header, msg, [&](const Request &r) {
		if (kr != Kr::Success)
			return;
		Usage *u = uses.get(r.name);
		if (!u->checked) {
			Right *right = find_live_locked(Name{r.name});

			u->checked = true;
			u->dead = right && (right->type & RightDeadName);
			u->ok = u->dead ? dead_covers(*u) : covers_locked(right, *u);
			u->urefs_left = u->ok ? right->urefs : 0;
		}
		/* The destination must be alive. */
		if (!u->ok || (u->dead && r.out == &msg->dest)) {
			kr = r.error;
			return;
		}
		bool reply_of_dest = r.out == &msg->reply && r.name == header.remote_port;
		if (moves_a_reference(r.disposition, u->dead)) {
			if (!u->urefs_left) {
				kr = reply_of_dest ? Kr::SendInvalidDest : r.error;
				return;
			}
			dest_moved = r.out == &msg->dest;
			u->urefs_left--;
		} else if (r.disposition == CopySend) {
			if (!u->urefs_left && !(reply_of_dest && dest_moved))
				kr = r.error;
		} else if (r.disposition == MoveReceive) {
			/* A receive right never travels inside a message to itself. */
			if (names_.find(r.name)->port == dest)
				kr = r.error;
		}
	});
	if (kr != Kr::Success)
		return kr;
	Right *d = names_.find(header.remote_port);
	if (d->port != dest)
		return Kr::SendInvalidDest;	/* renamed since it was found */

	/* The moves last: the last one may take its name away. */
	auto take = [&](const Request &r) {
		Right *right = names_.find(r.name);
		if (!uses.get(r.name)->dead) {
			copyin_locked(Name{r.name}, right, r.disposition, r.out);
			return;
		}
		take_dead_locked(Name{r.name}, right, r.disposition);
		if (r.carried_name)
			*r.carried_name = Name::dead;
		else
			msg->dead_reply = carried_type(r.disposition);
	};
	for_each_request(header, msg, [&](const Request &r) {
		if (!moves_a_reference(r.disposition, true))
			take(r);
	});
	for_each_request(header, msg, [&](const Request &r) {
		if (moves_a_reference(r.disposition, true))
			take(r);
	});
	/* A reply named MACH_PORT_DEAD travels as it is. */
	u32 reply = (header.bits & msgh_bits_local_mask) >> 8;
	if (reply && header.local_port == Name::dead)
		msg->dead_reply = carried_type(reply);
	return Kr::Success;
}

/* A dead name's right taken by a message: a move takes a user reference. */
void Space::take_dead_locked(Name name, Right *right, u32 disposition)
{
	lock_.assert_held();
	if (disposition != CopySend && --right->urefs == 0)
		remove_locked(name, right);
}

Kr Space::check_notification(Name name, u32 id, u32 sync)
{
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	switch (id) {
	case NotifyPortDestroyed:
	case NotifyNoSenders:
		return right->type & RightReceive ? Kr::Success : Kr::InvalidRight;
	case NotifyDeadName:
		if (right->type & RightDeadName)
			return sync ? Kr::Success : Kr::InvalidArgument;
		return right->type & (RightSend | RightSendOnce) ? Kr::Success :
								   Kr::InvalidRight;
	default:
		return Kr::InvalidValue;
	}
}

/*
 * A dead-name request on a dead name: the notice goes at once, and holds
 * a user reference of the name, which stops at MACH_PORT_UREFS_MAX.
 */
Kr Space::notify_dead_name_locked(Name name, Right *right, TransitRight notify)
{
	lock_.assert_held();
	if (right->urefs >= urefs_max) {
		notify.port->release(notify);
		return Kr::UrefsOverflow;
	}
	right->urefs++;
	notify_dead_name(notify, name.value);
	return Kr::Success;
}

Kr Space::request_notification(Name name, u32 id, u32 sync, TransitRight notify,
			       TransitRight *previous)
{
	*previous = {};
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right || !right->port) {
		if (right && (right->type & RightDeadName) && notify.port)
			return notify_dead_name_locked(name, right, notify);
		if (notify.port)
			notify.port->release(notify);
		return right ? Kr::InvalidRight : Kr::InvalidName;
	}
	Port *port = right->port;
	switch (id) {
	case NotifyPortDestroyed:
		return port->request_port_destroyed(notify, previous);
	case NotifyNoSenders:
		return port->request_no_senders(sync, notify, previous);
	default:
		if (right->type & RightDeadName)
			return notify.port ? notify_dead_name_locked(name, right, notify) : Kr::Success;
		if (notify.port)
			right->type |= RightDnRequest;
		else
			right->type &= ~RightDnRequest;
		return port->request_dead_name(this, name.value, notify, previous);
	}
}

Kr Space::copyin_right(Name name, u32 disposition, TransitRight *out)
{
	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right || !right->port || !copyin_ok_locked(right, disposition, 1))
		return Kr::SendInvalidRight;
	copyin_locked(name, right, disposition, out);
	return Kr::Success;
}

Kr Space::copyout(TransitRight right, u32 *name)
{
	Port *port = right.port;

	*name = Name::null;
	Guard g(lock_);
	if (port->dead()) {
		*name = Name::dead;
		port->drop(right);
		return Kr::Success;
	}
	if (right.type == MoveReceive) {
		/* Joins a send right the space already has to the port. */
		if (const u32 *known = by_port_.find(port)) {
			Name existing{*known};
			Right *entry = find_live_locked(existing);
			if (entry && entry->port == port && (entry->type & RightSend)) {
				entry->type |= RightReceive;
				port->set_receiver(this);
				port->put();
				*name = existing.value;
				return Kr::Success;
			}
		}
	}
	if (right.type == MoveSend) {
		if (const u32 *known = by_port_.find(port)) {
			Name existing{*known};
			Right *entry = find_live_locked(existing);
			if (entry && entry->port != port)
				entry = nullptr;
			if (entry && (entry->type & RightSend)) {
				if (entry->urefs >= urefs_max) {
					port->drop(right);
					*name = Name::dead;
					return Kr::Success;
				}
				entry->urefs++;
				port->drop_send();	/* one send right per name */
				port->put();
				*name = existing.value;
				return Kr::Success;
			}
			if (entry && (entry->type & RightReceive)) {
				entry->type |= RightSend;
				entry->urefs = 1;
				port->put();
				*name = existing.value;
				return Kr::Success;
			}
		}
	}
	Name fresh{Name::null};
	u32 type = right.type == MoveReceive ? RightReceive :
		   right.type == MoveSend ? RightSend : RightSendOnce;
	Kr kr = install_locked(port, type, right.type == MoveSend ? 1 : 0, &fresh);
	if (kr != Kr::Success) {
		port->drop(right);
		return kr;
	}
	port->put();	/* the space took its own reference */
	*name = fresh.value;
	return Kr::Success;
}

u32 Space::receive_name(Port *port)
{
	Guard g(lock_);
	const u32 *known = by_port_.find(port);
	if (!known)
		return Name::null;
	Right *right = names_.find(*known);
	return right && (right->type & RightReceive) ? *known : Name::null;
}

void Space::sweep()
{
	Guard g(lock_);
	sweep_locked();
}

void Space::sweep_locked()
{
	lock_.assert_held();
	/* Collect a batch, then forget it: the walk must not see erasures. */
	for (;;) {
		u32 stale[16];
		u32 n = 0;
		names_.for_each([&](u32 key, Right &right) {
			if (n < 16 && !mach_shim_fd_is(static_cast<int>(key), right.file))
				stale[n++] = key;
		});
		for (u32 i = 0; i < n; i++)
			forget_locked(Name{stale[i]}, *names_.find(stale[i]));
		if (n < 16)
			return;
	}
}

void Space::destroy()
{
	if (!lock_.ok())
		return;
	Guard g(lock_);
	names_.for_each([this](u32 key, Right &right) { release(Name{key}, right); });
	by_port_.clear();
	names_.clear();
}

u32 Space::count()
{
	Guard g(lock_);
	return names_.count();
}

void Space::view(mach_port_view *out, u32 capacity, u32 *count)
{
	Guard g(lock_);
	*count = 0;
	names_.for_each([&](u32 key, Right &right) {
		if (*count < capacity) {
			mach_port_view *v = &out[*count];
			Port *port = right.port;

			*v = {};
			v->name = key;
			v->type = right.type;
			v->urefs = right.urefs;
			if (port && !(right.type & RightDeadName)) {
				v->live = 1;
				v->qlimit = port->qlimit();
				v->msgcount = port->msgcount();
				v->seqno = port->seqno();
				v->kernel = port->is_kernel();
				v->object = port->object_view();
				port->requests(&v->no_senders, &v->port_destroyed,
					       &v->dead_names);
			}
		}
		(*count)++;
	});
}

void Space::tally(mach_task_view *out, const Port *self)
{
	static constexpr u32 bits[MACH_RIGHTS_KINDS] = {
		RightSend, RightReceive, RightSendOnce, RightPortSet, RightDeadName,
	};
	Guard g(lock_);
	out->names = names_.count();
	for (u32 &n : out->rights)
		n = 0;
	names_.for_each([&](u32, Right &right) {
		for (u32 i = 0; i < MACH_RIGHTS_KINDS; i++)
			if (right.type & bits[i])
				out->rights[i]++;
	});
	const u32 *named = self ? by_port_.find(self) : nullptr;
	const Right *right = named ? names_.find(*named) : nullptr;
	out->self_name = right && (right->type & RightSend) ? *named : 0;
}

} /* namespace mach */
