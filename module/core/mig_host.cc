// SPDX-License-Identifier: GPL-2.0
/*
 * mig_host.cc - the mach_host (200) and host_priv (400) interfaces as
 * messages, on the host port the request is sent to.
 */
#include "host.h"
#include "mig.h"

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

constexpr MigRoutine routines[] = {
	{200, mig_results + 4 + 4 * host_info_max_count, host_info_call, true},
	{201, mig_results + 8 + kernel_version_max, host_kernel_version_call},
	{202, mig_results + 8, host_page_size_call, true},
	{412, sizeof(MsgHeader) + 4 + 12, host_get_special_port_call, true},
	{414, mig_reply_error_size, host_set_exception_ports_call},
	{415, mig_exception_ports_reply_max, host_get_exception_ports_call},
	{416, mig_exception_ports_reply_max, host_swap_exception_ports_call},
};

} /* namespace */

const MigRoutines mig_host_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
