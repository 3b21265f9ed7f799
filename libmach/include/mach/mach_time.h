/*
 * libmach: <mach/mach_time.h> -- Mach absolute time.
 *
 * Read in user space, as on XNU (no system call: the vDSO's clock_gettime):
 * mach_absolute_time() is CLOCK_MONOTONIC and mach_continuous_time()
 * CLOCK_BOOTTIME, both in nanoseconds, so the timebase is 1/1.
 */
#ifndef _MACH_MACH_TIME_H_
#define _MACH_MACH_TIME_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>

struct mach_timebase_info {
	uint32_t numer;
	uint32_t denom;
};
typedef struct mach_timebase_info *mach_timebase_info_t;
typedef struct mach_timebase_info mach_timebase_info_data_t;

_MACH_BEGIN_DECLS

/* Nanoseconds = ticks * numer / denom: here 1/1. */
kern_return_t mach_timebase_info(mach_timebase_info_t info);
/* Sleeps until mach_absolute_time() reaches deadline; KERN_ABORTED on a signal. */
kern_return_t mach_wait_until(uint64_t deadline);
/* Time since boot, not counting sleep. */
uint64_t mach_absolute_time(void);
/* The same, counting sleep. */
uint64_t mach_continuous_time(void);

_MACH_END_DECLS

#endif /* _MACH_MACH_TIME_H_ */
