/*
 * libmach: <mach/host_priv.h> -- XNU's name for the privileged host interface.
 */
#ifndef _MACH_HOST_PRIV_H_
#define _MACH_HOST_PRIV_H_

#include <mach/host.h>

#endif /* _MACH_HOST_PRIV_H_ */
