// SPDX-License-Identifier: GPL-2.0
#include "clock.h"
#include "host_stats.h"
#include "ioctl_host.h"
#include "processor_set.h"

namespace mach {
namespace {

long answer(Kr kr)
{
	return static_cast<long>(kr);
}

/* A right for the caller, named in args.port (none: null). */
long give_port(Task &caller, mach_host_args &args, Kr kr, TransitRight right)
{
	args.port = Name::null;
	if (kr != Kr::Success || !right.port)
		return answer(kr);
	return answer(caller.space().copyout(right, &args.port));
}

/* count words at info, copied to the caller's args.data. */
long give_words(mach_host_args &args, Kr kr, const u32 *info, u32 count)
{
	if (kr != Kr::Success)
		return answer(kr);
	if (mach_shim_copy_out(args.data, info, 4ull * count))
		return -MACH_EFAULT;
	args.count = count;
	return answer(Kr::Success);
}

/* Out of line: bytes at data in fresh pages of the caller's, at args.data. */
long give_memory(mach_host_args &args, const void *data, u64 bytes)
{
	args.data = 0;
	if (!bytes)
		return answer(Kr::Success);
	u64 address;
	if (mach_shim_vm_allocate(bytes, &address))
		return answer(Kr::ResourceShortage);
	if (mach_shim_copy_out(address, data, bytes)) {
		mach_shim_vm_deallocate(address, bytes);
		return -MACH_EFAULT;
	}
	args.data = address;
	return answer(Kr::Success);
}

long statistics(mach_host_args &args, HostPort held)
{
	/* Any other port converts to no host: XNU's routine says so. */
	if (held != HostPort::Host && held != HostPort::Priv)
		return answer(Kr::InvalidHost);
	u32 info[host_stats_max_count];
	u32 count = args.count < host_stats_max_count ? args.count : host_stats_max_count;
	Kr kr = host_statistics(args.which, args.op == MACH_HOST_STATISTICS64, info, &count);
	return give_words(args, kr, info, count);
}

long processor_info(mach_host_args &args, HostPort held)
{
	args.port = 0;
	args.count = 0;
	if (held != HostPort::Host && held != HostPort::Priv)
		return answer(Kr::InvalidArgument);
	u32 processors, words, *info;
	Kr kr = host_processor_info(args.which, &processors, &info, &words);
	if (kr != Kr::Success)
		return answer(kr);
	long ret = give_memory(args, info, 4ull * words);
	mach_shim_free(MACH_KIND_MEMORY, info);
	if (ret == answer(Kr::Success)) {
		args.port = processors;
		args.count = words;
	}
	return ret;
}

long clock_time(mach_host_args &args, HostPort held)
{
	u32 time[2];
	Kr kr = clock_get_time(held, &time[0], &time[1]);
	return give_words(args, kr, time, 2);
}

long clock_attributes(mach_host_args &args, HostPort held)
{
	/* MIG gives the server at most the one int clock_attr_t holds. */
	u32 count = args.count < 1 ? args.count : 1, attr = 0;
	Kr kr = clock_get_attributes(held, args.which, &attr, &count);
	return give_words(args, kr, &attr, count);
}

/*
 * A port argument, carried in a port descriptor by a MIG stub: a name
 * not held fails its send (MACH_SEND_INVALID_RIGHT); null reaches the
 * server as no object (HostPort::Count here).
 */
Kr port_argument(Task &caller, u32 name, HostPort *held)
{
	*held = HostPort::Count;
	if (name == Name::null)
		return Kr::Success;
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidRight;
	*held = host_port_of(port.get());
	return Kr::Success;
}

long pset_priv(Task &caller, mach_host_args &args, HostPort held)
{
	HostPort pset;
	Kr kr = port_argument(caller, args.port, &pset);
	args.port = Name::null;
	if (kr != Kr::Success)
		return answer(kr);
	TransitRight right;
	kr = processor_set_priv(held, pset, &right);
	return give_port(caller, args, kr, right);
}

long pset_things(Task &caller, mach_host_args &args, HostPort held)
{
	args.count = 0;
	args.data = 0;
	TransitRight *rights;
	u32 count;
	Kr kr = processor_set_things(caller, held, args.op == MACH_HOST_PSET_THREADS, &rights,
				     &count);
	if (kr != Kr::Success || !count)
		return answer(kr);
	u32 *names = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY, 4ull * count));
	if (!names) {
		for (u32 i = 0; i < count; i++)
			if (rights[i].port)
				rights[i].port->drop(rights[i]);
		mach_shim_free(MACH_KIND_MEMORY, rights);
		return answer(Kr::ResourceShortage);
	}
	for (u32 i = 0; i < count; i++) {
		names[i] = Name::null;
		if (rights[i].port)
			caller.space().copyout(rights[i], &names[i]);
	}
	mach_shim_free(MACH_KIND_MEMORY, rights);
	long ret = give_memory(args, names, 4ull * count);
	mach_shim_free(MACH_KIND_MEMORY, names);
	if (ret == answer(Kr::Success))
		args.count = count;
	return ret;
}

long set_special_port(Task &caller, mach_host_args &args, HostPort held)
{
	TransitRight right;
	if (Name{args.port}.valid()) {
		Kr kr = caller.space().copyin_right(Name{args.port}, CopySend, &right);
		if (kr != Kr::Success)
			return answer(kr);
	}
	/* Asked only of the privileged port's holder: a denial may be logged. */
	bool privileged = held == HostPort::Priv && mach_shim_privileged();
	return answer(host_set_special_port(held, privileged, args.which, right));
}

long pset_info(Task &caller, mach_host_args &args, HostPort held)
{
	args.port = Name::null;
	u32 info[pset_info_max_count];
	u32 count = args.count < pset_info_max_count ? args.count : pset_info_max_count;
	Kr kr = processor_set_info(held, args.which, info, &count);
	long ret = give_words(args, kr, info, count);
	if (ret != answer(Kr::Success))
		return ret;
	return give_port(caller, args, Kr::Success, host_port(HostPort::Host));
}

} /* namespace */

long host_ioctl(Task &caller, mach_host_args &args, HostPort held)
{
	switch (args.op) {
	case MACH_HOST_STATISTICS:
	case MACH_HOST_STATISTICS64:
		return statistics(args, held);
	case MACH_HOST_PROCESSOR_INFO:
		return processor_info(args, held);
	case MACH_HOST_CLOCK_SERVICE: {
		TransitRight right;
		Kr kr = host_clock_service(held, args.which, &right);
		return give_port(caller, args, kr, right);
	}
	case MACH_HOST_CLOCK_GET_TIME:
		return clock_time(args, held);
	case MACH_HOST_CLOCK_ATTRIBUTES:
		return clock_attributes(args, held);
	case MACH_HOST_PSET_DEFAULT: {
		TransitRight right;
		Kr kr = processor_set_default(held, &right);
		return give_port(caller, args, kr, right);
	}
	case MACH_HOST_PSET_PRIV:
		return pset_priv(caller, args, held);
	case MACH_HOST_PSET_TASKS:
	case MACH_HOST_PSET_THREADS:
		return pset_things(caller, args, held);
	case MACH_HOST_SET_SPECIAL_PORT:
		return set_special_port(caller, args, held);
	case MACH_HOST_PSET_INFO:
		return pset_info(caller, args, held);
	default:
		return -MACH_EINVAL;
	}
}

} /* namespace mach */
