/*
 * libmach: <mach/clock.h> -- calls on a clock's port (clock.defs), which
 * host_get_clock_service() gives.
 */
#ifndef _MACH_CLOCK_H_
#define _MACH_CLOCK_H_

#include <mach/_mach_cdefs.h>
#include <mach/clock_types.h>
#include <mach/mach_types.h>

_MACH_BEGIN_DECLS

/* The clock's time now. */
kern_return_t clock_get_time(clock_serv_t clock_serv, mach_timespec_t *cur_time);

/* One attribute (CLOCK_GET_TIME_RES, ...): *clock_attrCnt must be 1. */
kern_return_t clock_get_attributes(clock_serv_t clock_serv, clock_flavor_t flavor,
                                   clock_attr_t clock_attr,
                                   mach_msg_type_number_t *clock_attrCnt);

_MACH_END_DECLS

#endif /* _MACH_CLOCK_H_ */
