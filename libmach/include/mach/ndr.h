/*
 * libmach: <mach/ndr.h> -- the data-representation record MIG messages
 * carry after their header, and the host's own record.
 */
#ifndef _MACH_NDR_H_
#define _MACH_NDR_H_

#include <mach/_mach_cdefs.h>

#ifndef _MACH_NDR_RECORD_T_DEFINED
#define _MACH_NDR_RECORD_T_DEFINED
typedef struct {
	unsigned char mig_vers;
	unsigned char if_vers;
	unsigned char reserved1;
	unsigned char mig_encoding;
	unsigned char int_rep;
	unsigned char char_rep;
	unsigned char float_rep;
	unsigned char reserved2;
} NDR_record_t;
#endif

_MACH_STATIC_ASSERT(sizeof(NDR_record_t) == 8, "NDR_record_t is 8 bytes");

/* The values of its fields. */
#define NDR_PROTOCOL_2_0      0
#define NDR_INT_BIG_ENDIAN    0
#define NDR_INT_LITTLE_ENDIAN 1
#define NDR_FLOAT_IEEE        0
#define NDR_FLOAT_VAX         1
#define NDR_FLOAT_CRAY        2
#define NDR_FLOAT_IBM         3
#define NDR_CHAR_ASCII        0
#define NDR_CHAR_EBCDIC       1

_MACH_BEGIN_DECLS

/* This host's record (x86_64: little-endian integers, IEEE floats, ASCII). */
extern NDR_record_t NDR_record;

_MACH_END_DECLS

#endif /* _MACH_NDR_H_ */
