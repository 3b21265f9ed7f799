/*
 * libmach: <mach/exception_types.h> -- exception types, masks and behaviors.
 */
#ifndef _MACH_EXCEPTION_TYPES_H_
#define _MACH_EXCEPTION_TYPES_H_

#include <stdint.h>

#if defined(__x86_64__)
#include <mach/i386/exception.h>
#elif defined(__aarch64__)
#include <mach/arm/exception.h>
#endif

/* Exception types (0 is not an exception). */
#define EXC_BAD_ACCESS      1  /* memory could not be accessed */
#define EXC_BAD_INSTRUCTION 2  /* illegal or undefined instruction */
#define EXC_ARITHMETIC      3  /* arithmetic fault */
#define EXC_EMULATION       4  /* emulation instruction */
#define EXC_SOFTWARE        5  /* raised by software */
#define EXC_BREAKPOINT      6  /* trace, breakpoint, etc. */
#define EXC_SYSCALL         7  /* system call */
#define EXC_MACH_SYSCALL    8  /* Mach system call */
#define EXC_RPC_ALERT       9  /* RPC alert */
#define EXC_CRASH           10 /* abnormal process exit */
#define EXC_RESOURCE        11 /* resource limit hit */
#define EXC_GUARD           12 /* guarded resource violated */
#define EXC_CORPSE_NOTIFY   13 /* process became a corpse */

/* Message formats a handler can ask for. */
#define EXCEPTION_DEFAULT                  1 /* thread, task, code */
#define EXCEPTION_STATE                    2 /* flavor + thread state, code */
#define EXCEPTION_STATE_IDENTITY           3 /* both of the above */
#define EXCEPTION_IDENTITY_PROTECTED       4
#define EXCEPTION_STATE_IDENTITY_PROTECTED 5

/* Flags or-ed into a behavior. */
#define MACH_EXCEPTION_BACKTRACE_PREFERRED 0x20000000
#define MACH_EXCEPTION_ERRORS              0x40000000
#define MACH_EXCEPTION_CODES               0x80000000 /* 64-bit codes */
#define MACH_EXCEPTION_MASK \
	(MACH_EXCEPTION_CODES | MACH_EXCEPTION_ERRORS | MACH_EXCEPTION_BACKTRACE_PREFERRED)

/* Masks for the *_exception_ports calls. */
#define EXC_MASK_BAD_ACCESS      (1 << EXC_BAD_ACCESS)
#define EXC_MASK_BAD_INSTRUCTION (1 << EXC_BAD_INSTRUCTION)
#define EXC_MASK_ARITHMETIC      (1 << EXC_ARITHMETIC)
#define EXC_MASK_EMULATION       (1 << EXC_EMULATION)
#define EXC_MASK_SOFTWARE        (1 << EXC_SOFTWARE)
#define EXC_MASK_BREAKPOINT      (1 << EXC_BREAKPOINT)
#define EXC_MASK_SYSCALL         (1 << EXC_SYSCALL)
#define EXC_MASK_MACH_SYSCALL    (1 << EXC_MACH_SYSCALL)
#define EXC_MASK_RPC_ALERT       (1 << EXC_RPC_ALERT)
#define EXC_MASK_CRASH           (1 << EXC_CRASH)
#define EXC_MASK_RESOURCE        (1 << EXC_RESOURCE)
#define EXC_MASK_GUARD           (1 << EXC_GUARD)
#define EXC_MASK_CORPSE_NOTIFY   (1 << EXC_CORPSE_NOTIFY)

/* Every type a handler may be registered for (CRASH and CORPSE_NOTIFY excluded). */
#define EXC_MASK_ALL                                                     \
	(EXC_MASK_BAD_ACCESS | EXC_MASK_BAD_INSTRUCTION | EXC_MASK_ARITHMETIC | \
	 EXC_MASK_EMULATION | EXC_MASK_SOFTWARE | EXC_MASK_BREAKPOINT |         \
	 EXC_MASK_SYSCALL | EXC_MASK_MACH_SYSCALL | EXC_MASK_RPC_ALERT |        \
	 EXC_MASK_RESOURCE | EXC_MASK_GUARD | EXC_MASK_MACHINE)

#define FIRST_EXCEPTION 1

#define EXC_SOFT_SIGNAL 0x10003 /* EXC_SOFTWARE code for a Unix signal */
#define EXC_MACF_MIN    0x20000
#define EXC_MACF_MAX    0x2FFFF

#include <mach/machine/vm_types.h>
#include <mach/port.h>
#include <mach/thread_status.h>

typedef int       exception_type_t;
typedef integer_t exception_data_type_t;
typedef int64_t   mach_exception_data_type_t;
typedef int       exception_behavior_t;
typedef exception_data_type_t *exception_data_t;
typedef mach_exception_data_type_t *mach_exception_data_t;
typedef unsigned int exception_mask_t;
typedef exception_mask_t *exception_mask_array_t;
typedef exception_behavior_t *exception_behavior_array_t;
typedef thread_state_flavor_t *exception_flavor_array_t;
typedef mach_port_t *exception_port_array_t;
typedef mach_exception_data_type_t mach_exception_code_t;
typedef mach_exception_data_type_t mach_exception_subcode_t;

#endif /* _MACH_EXCEPTION_TYPES_H_ */
