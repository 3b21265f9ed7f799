/*
 * libmach: <mach/machine/exception.h> -- exception codes of the build architecture.
 */
#ifndef _MACH_MACHINE_EXCEPTION_H_
#define _MACH_MACHINE_EXCEPTION_H_

#if defined(__x86_64__)
#include <mach/i386/exception.h>
#elif defined(__aarch64__)
#include <mach/arm/exception.h>
#endif

#endif /* _MACH_MACHINE_EXCEPTION_H_ */
