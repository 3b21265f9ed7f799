/*
 * libmach: <mach/mach_host.h> -- XNU's name for the host interface.
 */
#ifndef _MACH_MACH_HOST_H_
#define _MACH_MACH_HOST_H_

#include <mach/host.h>

#endif /* _MACH_MACH_HOST_H_ */
