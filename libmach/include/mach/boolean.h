/*
 * libmach: <mach/boolean.h> -- the Mach boolean type.
 *
 * boolean_t keeps the width and signedness the XNU user ABI gives it on each
 * architecture (unsigned on x86-64, signed on arm64); both are 32 bits.
 */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

#if defined(__x86_64__)
typedef unsigned int boolean_t;
#else
typedef int boolean_t;
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif /* _MACH_BOOLEAN_H_ */
