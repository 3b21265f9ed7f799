// SPDX-License-Identifier: GPL-2.0
#include "space.h"

namespace mach {

Space::Right *Space::find_live_locked(Name name)
{
	Right *right = names_.find(name.value);
	if (right && !mach_shim_fd_is(static_cast<int>(name.value), right->file)) {
		forget_locked(name, *right);
		return nullptr;
	}
	return right;
}

void Space::forget_locked(Name name, Right right)
{
	names_.erase(name.value);
	const u32 *sender = senders_.find(right.port);
	if (sender && *sender == name.value)
		senders_.erase(right.port);
	mach_shim_file_put(right.file);
	right.port->put();
}

Kr Space::make_send(Port *port, Name *name)
{
	Guard g(lock_);

	if (const u32 *known = senders_.find(port)) {
		Name existing{*known};
		if (Right *right = find_live_locked(existing)) {
			if (right->urefs >= urefs_max)
				return Kr::UrefsOverflow;
			right->urefs++;
			*name = existing;
			return Kr::Success;
		}
	}

	mach_shim_file *file;
	int fd = mach_shim_fd_install(port, &file);
	if (fd < 0)
		return fd == -MACH_ENOMEM ? Kr::ResourceShortage : Kr::NoSpace;

	/* The number may still name a right whose fd was closed under us. */
	Name fresh{static_cast<u32>(fd)};
	if (Right *stale = names_.find(fresh.value))
		forget_locked(fresh, *stale);

	port->get();
	if (!names_.insert(fresh.value, Right{port, file, RightSend, 1})) {
		port->put();
		mach_shim_file_put(file);
		mach_shim_fd_close(fd);
		return Kr::ResourceShortage;
	}
	if (!senders_.insert(port, fresh.value)) {
		forget_locked(fresh, *names_.find(fresh.value));
		mach_shim_fd_close(fd);
		return Kr::ResourceShortage;
	}
	*name = fresh;
	return Kr::Success;
}

Kr Space::deallocate(Name name)
{
	if (!name.valid())
		return Kr::Success;

	Guard g(lock_);
	Right *right = find_live_locked(name);
	if (!right)
		return Kr::InvalidName;
	if (!(right->type & (RightSend | RightDeadName)))
		return Kr::InvalidRight;
	if (--right->urefs > 0)
		return Kr::Success;
	forget_locked(name, *right);
	mach_shim_fd_close(static_cast<int>(name.value));
	return Kr::Success;
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

void Space::sweep()
{
	Guard g(lock_);
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
	names_.for_each([](u32, Right &right) {
		mach_shim_file_put(right.file);
		right.port->put();
	});
	names_.clear();
	senders_.clear();
}

u32 Space::count()
{
	Guard g(lock_);
	return names_.count();
}

} /* namespace mach */
