/*
 * libmach: <mach/arm/exception.h> -- arm64 exception codes.
 * Included through <mach/exception_types.h>.
 */
#ifndef _MACH_ARM_EXCEPTION_H_
#define _MACH_ARM_EXCEPTION_H_

#define EXC_TYPES_COUNT    14 /* exception types, counting the illegal 0 */
#define EXCEPTION_CODE_MAX 2  /* code and subcode */

#define EXC_MASK_MACHINE 0

/* EXC_BAD_INSTRUCTION */
#define EXC_ARM_UNDEFINED      1
#define EXC_ARM_SME_DISALLOWED 2

/* EXC_ARITHMETIC */
#define EXC_ARM_FP_UNDEFINED 0
#define EXC_ARM_FP_IO        1 /* invalid operation */
#define EXC_ARM_FP_DZ        2 /* divide by zero */
#define EXC_ARM_FP_OF        3 /* overflow */
#define EXC_ARM_FP_UF        4 /* underflow */
#define EXC_ARM_FP_IX        5 /* inexact */
#define EXC_ARM_FP_ID        6 /* denormal input */

/* EXC_BAD_ACCESS */
#define EXC_ARM_DA_ALIGN 0x101 /* alignment fault */
#define EXC_ARM_DA_DEBUG 0x102 /* watchpoint */
#define EXC_ARM_SP_ALIGN 0x103 /* stack pointer alignment */
#define EXC_ARM_SWP      0x104
#define EXC_ARM_PAC_FAIL 0x105

/* EXC_BREAKPOINT */
#define EXC_ARM_BREAKPOINT 1

#endif /* _MACH_ARM_EXCEPTION_H_ */
