/*
 * libmach: <mach_debug/mach_debug_types.h> -- the debugging interfaces'
 * types (those of mach_port_space_info()).
 */
#ifndef _MACH_DEBUG_MACH_DEBUG_TYPES_H_
#define _MACH_DEBUG_MACH_DEBUG_TYPES_H_

#include <mach_debug/ipc_info.h>

#endif /* _MACH_DEBUG_MACH_DEBUG_TYPES_H_ */
