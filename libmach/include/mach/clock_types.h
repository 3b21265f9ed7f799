/*
 * libmach: <mach/clock_types.h> -- the types of Mach clocks and of the
 * times they give (mach_timespec_t, which timed waits take too), with
 * XNU's names and values.
 */
#ifndef _MACH_CLOCK_TYPES_H_
#define _MACH_CLOCK_TYPES_H_

typedef int alarm_type_t;	/* an alarm's kind (TIME_ABSOLUTE, ...) */
typedef int sleep_type_t;	/* a sleep's kind (TIME_ABSOLUTE, ...) */
typedef int clock_id_t;		/* SYSTEM_CLOCK, CALENDAR_CLOCK */
typedef int clock_flavor_t;	/* what clock_get_attributes asks */
typedef int *clock_attr_t;
typedef int clock_res_t;	/* a resolution, in nanoseconds */

/* Seconds and nanoseconds: a time, or a span of it. */
struct mach_timespec {
	unsigned int tv_sec;
	clock_res_t tv_nsec;
};
typedef struct mach_timespec mach_timespec_t;

#define SYSTEM_CLOCK		0	/* time since boot */
#define CALENDAR_CLOCK		1	/* time since the epoch */
#define REALTIME_CLOCK		0	/* an old name of SYSTEM_CLOCK */

/* clock_get_attributes flavours. */
#define CLOCK_GET_TIME_RES	1
#define CLOCK_ALARM_CURRES	3
#define CLOCK_ALARM_MINRES	4
#define CLOCK_ALARM_MAXRES	5

#define NSEC_PER_USEC	1000ull
#define USEC_PER_SEC	1000000ull
#define NSEC_PER_SEC	1000000000ull
#define NSEC_PER_MSEC	1000000ull

/* A nanosecond count out of its range. */
#define BAD_MACH_TIMESPEC(t) \
	((t)->tv_nsec < 0 || (t)->tv_nsec >= (long)NSEC_PER_SEC)

/* Negative, zero or positive as t1 is before, at or after t2. */
#define CMP_MACH_TIMESPEC(t1, t2)					\
	((t1)->tv_sec > (t2)->tv_sec ? (long)NSEC_PER_SEC :		\
	 (t1)->tv_sec < (t2)->tv_sec ? -(long)NSEC_PER_SEC :		\
	 (t1)->tv_nsec - (t2)->tv_nsec)

/* t1 += t2 */
#define ADD_MACH_TIMESPEC(t1, t2)					\
	do {								\
		if (((t1)->tv_nsec += (t2)->tv_nsec) >= (long)NSEC_PER_SEC) { \
			(t1)->tv_nsec -= (long)NSEC_PER_SEC;		\
			(t1)->tv_sec += 1;				\
		}							\
		(t1)->tv_sec += (t2)->tv_sec;				\
	} while (0)

/* t1 -= t2 */
#define SUB_MACH_TIMESPEC(t1, t2)					\
	do {								\
		if (((t1)->tv_nsec -= (t2)->tv_nsec) < 0) {		\
			(t1)->tv_nsec += (long)NSEC_PER_SEC;		\
			(t1)->tv_sec -= 1;				\
		}							\
		(t1)->tv_sec -= (t2)->tv_sec;				\
	} while (0)

/* Alarm and sleep kinds. */
#define TIME_ABSOLUTE		0x00
#define TIME_RELATIVE		0x01
#define TIME_FLAVOR_MASK	0x01
#define ALRMTYPE		0xff
#define BAD_ALRMTYPE(t)		(((t) & ~TIME_RELATIVE) != 0)

#endif /* _MACH_CLOCK_TYPES_H_ */
