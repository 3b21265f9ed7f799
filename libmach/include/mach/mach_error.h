/*
 * libmach: <mach/mach_error.h> -- printing Mach error codes.
 */
#ifndef _MACH_MACH_ERROR_H_
#define _MACH_MACH_ERROR_H_

#include <mach/_mach_cdefs.h>
#include <mach/error.h>

_MACH_BEGIN_DECLS

/* Text describing error_value; the string is static, never free it. */
char *mach_error_string(mach_error_t error_value);

/* Print "str <text of error_value>" on standard error. */
void mach_error(const char *str, mach_error_t error_value);

_MACH_END_DECLS

#endif /* _MACH_MACH_ERROR_H_ */
