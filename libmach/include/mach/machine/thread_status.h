/*
 * libmach: <mach/machine/thread_status.h> -- thread state of the build architecture.
 */
#ifndef _MACH_MACHINE_THREAD_STATUS_H_
#define _MACH_MACHINE_THREAD_STATUS_H_

#if defined(__x86_64__)
#include <mach/i386/thread_status.h>
#elif defined(__aarch64__)
#include <mach/arm/thread_status.h>
#endif

#endif /* _MACH_MACHINE_THREAD_STATUS_H_ */
