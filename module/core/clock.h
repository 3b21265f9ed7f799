/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clock.h - the host's clocks as kernel objects (clock.defs): the system
 * clock (time since boot, CLOCK_MONOTONIC: it stops while the machine
 * sleeps, as XNU's does) and the calendar clock (CLOCK_REALTIME). Their
 * ports live as long as the module (host.h's SystemClock, CalendarClock).
 */
#ifndef MACH_CORE_CLOCK_H
#define MACH_CORE_CLOCK_H

#include "host.h"

namespace mach {

enum ClockId : u32 { SystemClock = 0, CalendarClock = 1 };

/*
 * host_get_clock_service(host, id): a send right to the clock's port, for
 * the holder of the host name or privileged port; InvalidArgument for any
 * other port or id.
 */
Kr host_clock_service(HostPort held, u32 id, TransitRight *out);

/* clock_get_time on the clock port held: seconds and nanoseconds. */
Kr clock_get_time(HostPort held, u32 *sec, u32 *nsec);

/*
 * clock_get_attributes(clock, flavor, attr, count) on the clock port
 * held, with room for *count ints (MIG gives the server at most one):
 * XNU's answers. A count other than one is Failure, an unknown flavour
 * InvalidValue; a port that is no clock InvalidArgument.
 */
Kr clock_get_attributes(HostPort held, u32 flavor, u32 *attr, u32 *count);

} /* namespace mach */

#endif /* MACH_CORE_CLOCK_H */
