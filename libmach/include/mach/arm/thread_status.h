/*
 * libmach: <mach/arm/thread_status.h> -- arm64 thread state flavors.
 * Included through <mach/thread_status.h>.
 *
 * First cut: the 64-bit general, exception, NEON and debug states.  Field
 * spelling follows the same __DARWIN_UNIX03 rule as the x86 header.
 */
#ifndef _MACH_ARM_THREAD_STATUS_H_
#define _MACH_ARM_THREAD_STATUS_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/message.h>

#if defined(__DARWIN_UNIX03) && !__DARWIN_UNIX03
#define _MACH_ARM_F(name)   name
#define _MACH_ARM_TAG(name) name
#else
#define _MACH_ARM_F(name)   __##name
#define _MACH_ARM_TAG(name) __darwin_##name
#endif

/* Largest state, in natural_t units. */
#define ARM_THREAD_STATE_MAX (1296)
#define THREAD_STATE_MAX     ARM_THREAD_STATE_MAX

/* Flavors */
#define ARM_THREAD_STATE         1
#define ARM_UNIFIED_THREAD_STATE ARM_THREAD_STATE
#define ARM_VFP_STATE            2
#define ARM_EXCEPTION_STATE      3
#define ARM_DEBUG_STATE          4
#define THREAD_STATE_NONE        5
#define ARM_THREAD_STATE64       6
#define ARM_EXCEPTION_STATE64    7
#define ARM_THREAD_STATE32       9
#define ARM_EXCEPTION_STATE64_V2 10
#define ARM_DEBUG_STATE32        14
#define ARM_DEBUG_STATE64        15
#define ARM_NEON_STATE           16
#define ARM_NEON_STATE64         17
#define ARM_CPMU_STATE64         18
#define ARM_PAGEIN_STATE         27

#define THREAD_MACHINE_STATE_MAX THREAD_STATE_MAX

/* General registers. */
struct _MACH_ARM_TAG(arm_thread_state64) {
	uint64_t _MACH_ARM_F(x)[29]; /* x0..x28 */
	uint64_t _MACH_ARM_F(fp);    /* x29 */
	uint64_t _MACH_ARM_F(lr);    /* x30 */
	uint64_t _MACH_ARM_F(sp);
	uint64_t _MACH_ARM_F(pc);
	uint32_t _MACH_ARM_F(cpsr);
	uint32_t __pad;
};
typedef struct _MACH_ARM_TAG(arm_thread_state64) arm_thread_state64_t;

/* Fault information. */
struct _MACH_ARM_TAG(arm_exception_state64) {
	uint64_t _MACH_ARM_F(far);       /* fault address */
	uint32_t _MACH_ARM_F(esr);       /* exception syndrome */
	uint32_t _MACH_ARM_F(exception); /* exception number */
};
typedef struct _MACH_ARM_TAG(arm_exception_state64) arm_exception_state64_t;

/* SIMD and floating-point registers. */
struct _MACH_ARM_TAG(arm_neon_state64) {
	__uint128_t _MACH_ARM_F(v)[32];
	uint32_t    _MACH_ARM_F(fpsr);
	uint32_t    _MACH_ARM_F(fpcr);
};
typedef struct _MACH_ARM_TAG(arm_neon_state64) arm_neon_state64_t;

/* Hardware breakpoints and watchpoints. */
struct _MACH_ARM_TAG(arm_debug_state64) {
	uint64_t _MACH_ARM_F(bvr)[16];
	uint64_t _MACH_ARM_F(bcr)[16];
	uint64_t _MACH_ARM_F(wvr)[16];
	uint64_t _MACH_ARM_F(wcr)[16];
	uint64_t _MACH_ARM_F(mdscr_el1);
};
typedef struct _MACH_ARM_TAG(arm_debug_state64) arm_debug_state64_t;

#define ARM_THREAD_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(arm_thread_state64_t) / sizeof(uint32_t)))
#define ARM_EXCEPTION_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(arm_exception_state64_t) / sizeof(uint32_t)))
#define ARM_NEON_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(arm_neon_state64_t) / sizeof(uint32_t)))
#define ARM_DEBUG_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(arm_debug_state64_t) / sizeof(uint32_t)))

_MACH_STATIC_ASSERT(ARM_THREAD_STATE64_COUNT == 68, "ARM_THREAD_STATE64_COUNT");
_MACH_STATIC_ASSERT(ARM_EXCEPTION_STATE64_COUNT == 4, "ARM_EXCEPTION_STATE64_COUNT");
_MACH_STATIC_ASSERT(ARM_NEON_STATE64_COUNT == 132, "ARM_NEON_STATE64_COUNT");
_MACH_STATIC_ASSERT(ARM_DEBUG_STATE64_COUNT == 130, "ARM_DEBUG_STATE64_COUNT");

#undef _MACH_ARM_F
#undef _MACH_ARM_TAG

#endif /* _MACH_ARM_THREAD_STATUS_H_ */
