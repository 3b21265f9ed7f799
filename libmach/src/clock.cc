// SPDX-License-Identifier: LGPL-2.1-or-later
// clock.cc - host_get_clock_service and the clock ports' calls, and Mach
// absolute time, read in user space from the vDSO as XNU's commpage
// gives it: no system call.
#include <errno.h>
#include <time.h>

#include <mach/mach.h>
#include <mach/mach_time.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API kern_return_t host_get_clock_service(host_t host, clock_id_t clock_id,
						 clock_serv_t *clock_serv)
{
	if (!clock_serv)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = MACH_HOST_CLOCK_SERVICE;
	args.host = host;
	args.which = clock_id;
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == libmach::send_as_message) {	// host_get_clock_service (206)
		uint32_t in[1] = { static_cast<uint32_t>(clock_id) };
		return libmach::rpc_port_out(host, 206, in, 1, clock_serv);
	}
	*clock_serv = kr == KERN_SUCCESS ? args.port : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t clock_get_time(clock_serv_t clock_serv, mach_timespec_t *cur_time)
{
	if (!cur_time)
		return KERN_INVALID_ARGUMENT;
	uint32_t time[2];
	mach_host_args args = {};
	args.op = MACH_HOST_CLOCK_GET_TIME;
	args.host = clock_serv;
	args.data = reinterpret_cast<__u64>(time);
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == libmach::send_as_message)	// clock_get_time (1000)
		kr = libmach::rpc(clock_serv, 1000, nullptr, 0, time, 2);
	if (kr == KERN_SUCCESS) {
		cur_time->tv_sec = time[0];
		cur_time->tv_nsec = static_cast<clock_res_t>(time[1]);
	}
	return kr;
}

LIBMACH_API kern_return_t clock_get_attributes(clock_serv_t clock_serv, clock_flavor_t flavor,
					       clock_attr_t clock_attr,
					       mach_msg_type_number_t *count)
{
	if (!count)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = MACH_HOST_CLOCK_ATTRIBUTES;
	args.host = clock_serv;
	args.which = flavor;
	args.count = *count;
	args.data = reinterpret_cast<__u64>(clock_attr);
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == libmach::send_as_message) {	// clock_get_attributes (1001)
		uint32_t in[1] = { static_cast<uint32_t>(flavor) };
		return libmach::rpc_count_out(clock_serv, 1001, in, 1, 1, clock_attr, count);
	}
	if (kr == KERN_SUCCESS)
		*count = args.count;
	return kr;
}

namespace {

inline uint64_t nanoseconds(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

} // namespace

LIBMACH_API uint64_t mach_absolute_time(void)
{
	return nanoseconds(CLOCK_MONOTONIC);
}

LIBMACH_API uint64_t mach_continuous_time(void)
{
	return nanoseconds(CLOCK_BOOTTIME);
}

LIBMACH_API kern_return_t mach_timebase_info(mach_timebase_info_t info)
{
	if (!info)
		return KERN_INVALID_ARGUMENT;
	info->numer = 1;
	info->denom = 1;
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t mach_wait_until(uint64_t deadline)
{
	// Past what a timespec's seconds hold: a deadline that never comes.
	constexpr uint64_t max_sec = 0x7fffffffffffffffull / 1000000000u;
	struct timespec ts;
	uint64_t sec = deadline / 1000000000u;
	ts.tv_sec = static_cast<time_t>(sec < max_sec ? sec : max_sec);
	ts.tv_nsec = static_cast<long>(deadline % 1000000000u);
	int err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
	// Woken by a signal: XNU's abort-safe wait says KERN_ABORTED.
	return err == 0 ? KERN_SUCCESS : err == EINTR ? KERN_ABORTED : KERN_FAILURE;
}
