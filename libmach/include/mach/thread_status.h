/*
 * libmach: <mach/thread_status.h> -- thread state for thread_get_state() & co.
 *
 * A state is an array of natural_t whose layout is given by its flavor.  The
 * flavors and structures of the build architecture come from
 * <mach/i386/thread_status.h> or <mach/arm/thread_status.h>.
 */
#ifndef _MACH_THREAD_STATUS_H_
#define _MACH_THREAD_STATUS_H_

#include <mach/machine/vm_types.h>

#if defined(__x86_64__)
#include <mach/i386/thread_status.h>
#elif defined(__aarch64__)
#include <mach/arm/thread_status.h>
#endif

typedef natural_t *thread_state_t; /* variable-length array */
typedef natural_t thread_state_data_t[THREAD_STATE_MAX];

/* Flavor lists (ask thread_get_state which flavors exist). */
#define THREAD_STATE_FLAVOR_LIST       0
#define THREAD_STATE_FLAVOR_LIST_NEW   128
#define THREAD_STATE_FLAVOR_LIST_10_9  129
#define THREAD_STATE_FLAVOR_LIST_10_13 130
#define THREAD_STATE_FLAVOR_LIST_10_15 131

typedef int thread_state_flavor_t;
typedef thread_state_flavor_t *thread_state_flavor_array_t;

#endif /* _MACH_THREAD_STATUS_H_ */
