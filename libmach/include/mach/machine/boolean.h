/*
 * libmach: <mach/machine/boolean.h> -- see <mach/boolean.h>.
 */
#ifndef _MACH_MACHINE_BOOLEAN_H_
#define _MACH_MACHINE_BOOLEAN_H_

#include <mach/boolean.h>

#endif /* _MACH_MACHINE_BOOLEAN_H_ */
