// SPDX-License-Identifier: GPL-2.0
#include "clock.h"

namespace mach {
namespace {

constexpr u64 nsec_per_sec = 1000000000;

/* clock_get_attributes flavours (<mach/clock_types.h>). */
enum ClockFlavor : u32 {
	ClockGetTimeRes = 1,		/* CLOCK_GET_TIME_RES */
	ClockAlarmCurres = 3,		/* CLOCK_ALARM_CURRES */
	ClockAlarmMinres = 4,		/* CLOCK_ALARM_MINRES */
	ClockAlarmMaxres = 5,		/* CLOCK_ALARM_MAXRES */
};
/* The resolution XNU reports for both clocks: 10 ms, its tick. */
constexpr u32 clock_resolution = nsec_per_sec / 100;

bool is_clock(HostPort held)
{
	return held == HostPort::SystemClock || held == HostPort::CalendarClock;
}

} /* namespace */

Kr host_clock_service(HostPort held, u32 id, TransitRight *out)
{
	*out = {};
	if ((held != HostPort::Host && held != HostPort::Priv) ||
	    (id != SystemClock && id != CalendarClock))
		return Kr::InvalidArgument;
	*out = host_port(id == SystemClock ? HostPort::SystemClock : HostPort::CalendarClock);
	return out->port ? Kr::Success : Kr::Failure;
}

Kr clock_get_time(HostPort held, u32 *sec, u32 *nsec)
{
	if (!is_clock(held))
		return Kr::InvalidArgument;
	u64 ns = mach_shim_clock_ns(held == HostPort::SystemClock ? MACH_CLOCK_MONOTONIC :
								   MACH_CLOCK_REALTIME);
	*sec = static_cast<u32>(ns / nsec_per_sec);
	*nsec = static_cast<u32>(ns % nsec_per_sec);
	return Kr::Success;
}

Kr clock_get_attributes(HostPort held, u32 flavor, u32 *attr, u32 *count)
{
	if (!is_clock(held))
		return Kr::InvalidArgument;
	if (*count != 1)
		return Kr::Failure;
	switch (flavor) {
	case ClockGetTimeRes:
		*attr = clock_resolution;
		return Kr::Success;
	case ClockAlarmCurres:
	case ClockAlarmMinres:
	case ClockAlarmMaxres:
		/* The calendar clock has no alarms. */
		*attr = held == HostPort::SystemClock ? clock_resolution : 0;
		return Kr::Success;
	default:
		return Kr::InvalidValue;
	}
}

} /* namespace mach */
