// SPDX-License-Identifier: GPL-2.0
/*
 * mig_host.cc - the mach_host (200) and host_priv (400) interfaces as
 * messages, on the host port the request is sent to, and those of the
 * host's clocks (clock, 1000) and processor set (processor_set, 4000).
 */
#include "clock.h"
#include "host.h"
#include "host_stats.h"
#include "mig.h"
#include "processor_set.h"

namespace mach {
namespace {

/* MIG's largest count of host_info_t. */
constexpr u32 host_info_mig_max = 68;

/* host_info(flavor, count), on the host name or privileged port. */
Kr host_info_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	HostPort held = host_port_of(&call.target);
	if (held != HostPort::Host && held != HostPort::Priv)
		return Kr::InvalidArgument;
	u32 info[host_info_max_count];
	u32 room = call.in32(mig_args + 4);
	u32 count = room < host_info_mig_max ? room : host_info_mig_max;
	if (count > host_info_max_count)
		count = host_info_max_count;
	Kr kr = host_info(call.in32(mig_args), info, &count);
	if (kr != Kr::Success)
		return kr;
	call.out_array(info, count);
	return Kr::Success;
}

/* The page size, a vm_size_t (8 bytes) after RetCode. */
Kr host_page_size_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	HostPort held = host_port_of(&call.target);
	if (held != HostPort::Host && held != HostPort::Priv)
		return Kr::InvalidArgument;
	call.out64(mig_results, mach_shim_page_size());
	call.set_reply_size(mig_results + 8);
	return Kr::Success;
}

/* kernel_version_t: a c_string of at most this many bytes. */
constexpr u32 kernel_version_max = 512;

/*
 * host_kernel_version: after RetCode, the string's offset (0: MIG does
 * not use it), its length with the NUL, and its bytes, padded to a word.
 */
Kr host_kernel_version_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	HostPort held = host_port_of(&call.target);
	if (held != HostPort::Host && held != HostPort::Priv)
		return Kr::InvalidArgument;
	u32 words[kernel_version_max / 4] = {};
	u32 count = mach_shim_kernel_version(reinterpret_cast<char *>(words), kernel_version_max);
	call.out32(mig_results, 0);
	call.out32(mig_results + 4, count);
	u32 padded = (count + 3) / 4;
	for (u32 i = 0; i < padded; i++)
		call.out32(mig_results + 8 + 4 * i, words[i]);
	call.set_reply_size(mig_results + 8 + 4 * padded);
	return Kr::Success;
}

/* node, then which: the same rules as the ioctl's, by the port held. */
Kr host_get_special_port_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	HostPort held = host_port_of(&call.target);
	/* Asked only of a name port's holder: a denial may be logged. */
	bool privileged = held == HostPort::Host && mach_shim_privileged();
	TransitRight right;
	Kr kr = host_special_port(held, privileged, static_cast<s32>(call.in32(mig_args)),
				  call.in32(mig_args + 4), &right);
	if (kr != Kr::Success)
		return kr;
	return call.out_port(right) ? Kr::Success : Kr::ResourceShortage;
}

Kr host_set_exception_ports_call(MigCall &call)
{
	return mig_set_exception_ports(call, ExceptionLevel::Host, false);
}

Kr host_get_exception_ports_call(MigCall &call)
{
	return mig_get_exception_ports(call, ExceptionLevel::Host);
}

Kr host_swap_exception_ports_call(MigCall &call)
{
	return mig_set_exception_ports(call, ExceptionLevel::Host, true);
}

/* MIG's largest counts of host_info_t and host_info64_t. */
constexpr u32 host_info64_mig_max = 256;

/* host_statistics (216) and host_statistics64 (219): host_info's layout. */
Kr statistics_call(MigCall &call, bool is64)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	HostPort held = host_port_of(&call.target);
	if (held != HostPort::Host && held != HostPort::Priv)
		return Kr::InvalidHost;
	u32 info[host_stats_max_count];
	u32 room = call.in32(mig_args + 4);
	u32 max = is64 ? host_info64_mig_max : host_info_mig_max;
	u32 count = room < max ? room : max;
	if (count > host_stats_max_count)
		count = host_stats_max_count;
	Kr kr = host_statistics(call.in32(mig_args), is64, info, &count);
	if (kr != Kr::Success)
		return kr;
	call.out_array(info, count);
	return Kr::Success;
}

Kr host_statistics_call(MigCall &call)
{
	return statistics_call(call, false);
}

Kr host_statistics64_call(MigCall &call)
{
	return statistics_call(call, true);
}

/*
 * host_processor_info (204): flavor in; out of line the records, then
 * NDR, the processor count and the records' count in words.
 */
Kr host_processor_info_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	HostPort held = host_port_of(&call.target);
	if (held != HostPort::Host && held != HostPort::Priv)
		return Kr::InvalidArgument;
	u32 processors, words, *info;
	Kr kr = host_processor_info(call.in32(mig_args), &processors, &info, &words);
	if (kr != Kr::Success)
		return kr;
	void *data[1] = {info};
	u32 sizes[1] = {4 * words}, counts[2] = {processors, words};
	return call.out_memory(data, sizes, 1, counts, 2) ? Kr::Success : Kr::ResourceShortage;
}

/* host_get_clock_service (206): the clock id in, its port out. */
Kr host_get_clock_service_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	TransitRight right;
	Kr kr = host_clock_service(host_port_of(&call.target), call.in32(mig_args), &right);
	if (kr != Kr::Success)
		return kr;
	return call.out_port(right) ? Kr::Success : Kr::ResourceShortage;
}

/* processor_set_default (213): the set's name port. */
Kr processor_set_default_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	TransitRight right;
	Kr kr = processor_set_default(host_port_of(&call.target), &right);
	if (kr != Kr::Success)
		return kr;
	return call.out_port(right) ? Kr::Success : Kr::ResourceShortage;
}

/* host_set_special_port (413): the port in a descriptor, then NDR and which. */
Kr host_set_special_port_call(MigCall &call)
{
	constexpr u32 which_at = mig_port_args;
	if (!call.complex(1, which_at + 4))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	HostPort held = host_port_of(&call.target);
	/* Asked only of the privileged port's holder: a denial may be logged. */
	bool privileged = held == HostPort::Priv && mach_shim_privileged();
	return host_set_special_port(held, privileged, call.in32(which_at), call.take_right(0));
}

/* host_processor_set_priv (420): the set's name port in, its control port out. */
Kr host_processor_set_priv_call(MigCall &call)
{
	if (!call.complex(1, sizeof(MsgHeader) + 4 + 12))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	TransitRight name = call.take_right(0);
	HostPort pset = name.port ? host_port_of(name.port) : HostPort::Count;
	if (name.port)
		name.port->drop(name);
	TransitRight right;
	Kr kr = processor_set_priv(host_port_of(&call.target), pset, &right);
	if (kr != Kr::Success)
		return kr;
	return call.out_port(right) ? Kr::Success : Kr::ResourceShortage;
}

/* clock_get_time (1000): tv_sec and tv_nsec after RetCode. */
Kr clock_get_time_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	u32 sec, nsec;
	Kr kr = clock_get_time(host_port_of(&call.target), &sec, &nsec);
	if (kr != Kr::Success)
		return kr;
	call.out32(mig_results, sec);
	call.out32(mig_results + 4, nsec);
	call.set_reply_size(mig_results + 8);
	return Kr::Success;
}

/* clock_get_attributes (1001): flavor and count in; clock_attr_t holds one int. */
Kr clock_get_attributes_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	u32 room = call.in32(mig_args + 4);
	u32 count = room < 1 ? room : 1, attr = 0;
	Kr kr = clock_get_attributes(host_port_of(&call.target), call.in32(mig_args), &attr,
				     &count);
	if (kr != Kr::Success)
		return kr;
	call.out_array(&attr, count);
	return Kr::Success;
}

/* processor_set_tasks (4005) and _threads (4006): task_threads' layout. */
Kr pset_things_call(MigCall &call, bool threads)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	TransitRight *rights;
	u32 count;
	Kr kr = processor_set_things(call.caller, host_port_of(&call.target), threads, &rights,
				     &count);
	if (kr != Kr::Success)
		return kr;
	bool sent = call.out_port_array(rights, count);
	if (rights)
		mach_shim_free(MACH_KIND_MEMORY, rights);
	return sent ? Kr::Success : Kr::ResourceShortage;
}

Kr processor_set_tasks_call(MigCall &call)
{
	return pset_things_call(call, false);
}

Kr processor_set_threads_call(MigCall &call)
{
	return pset_things_call(call, true);
}

/*
 * processor_set_info (4009): flavor and count in; the host port in a
 * descriptor, then NDR, the count and the words.
 */
Kr processor_set_info_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	u32 words[1 + pset_info_max_count];
	u32 room = call.in32(mig_args + 4);
	u32 count = room < pset_info_max_count ? room : pset_info_max_count;
	Kr kr = processor_set_info(host_port_of(&call.target), call.in32(mig_args), words + 1,
				   &count);
	if (kr != Kr::Success)
		return kr;
	words[0] = count;
	TransitRight host = host_port(HostPort::Host);
	return call.out_ports(&host, 1, MoveSend, words, 1 + count) ? Kr::Success :
								    Kr::ResourceShortage;
}

constexpr u32 port_reply = sizeof(MsgHeader) + 4 + 12;
constexpr u32 port_array_reply = sizeof(MsgHeader) + 4 + 16 + sizeof(ndr_record) + 4;

constexpr MigRoutine routines[] = {
	{200, mig_results + 4 + 4 * host_info_max_count, host_info_call, true},
	{201, mig_results + 8 + kernel_version_max, host_kernel_version_call},
	{202, mig_results + 8, host_page_size_call, true},
	{204, mig_memory_args(1) + 8, host_processor_info_call},
	{206, port_reply, host_get_clock_service_call, true},
	{213, port_reply, processor_set_default_call, true},
	{216, mig_results + 4 + 4 * host_stats_max_count, host_statistics_call, true},
	{219, mig_results + 4 + 4 * host_stats_max_count, host_statistics64_call, true},
	{412, port_reply, host_get_special_port_call, true},
	{413, mig_reply_error_size, host_set_special_port_call},
	{414, mig_reply_error_size, host_set_exception_ports_call},
	{415, mig_exception_ports_reply_max, host_get_exception_ports_call},
	{416, mig_exception_ports_reply_max, host_swap_exception_ports_call},
	{420, port_reply, host_processor_set_priv_call},
	{1000, mig_results + 8, clock_get_time_call, true},
	{1001, mig_results + 8, clock_get_attributes_call, true},
	{4005, port_array_reply, processor_set_tasks_call},
	{4006, port_array_reply, processor_set_threads_call},
	{4009, port_reply + sizeof(ndr_record) + 4 + 4 * pset_info_max_count,
	 processor_set_info_call, true},
};

} /* namespace */

const MigRoutines mig_host_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
