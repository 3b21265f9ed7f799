/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread_state.h - the x86_64 thread state flavours, as XNU lays them out
 * (mach/i386/thread_status.h): what thread_get_state / thread_set_state
 * carry. An arm64 port adds its own flavours beside these.
 */
#ifndef MACH_CORE_THREAD_STATE_H
#define MACH_CORE_THREAD_STATE_H

#include "base.h"
#include "x86_thread_state.h"

namespace mach {

/* x86_THREAD_STATE64: 21 64-bit registers (x86_thread_state.h's order). */
inline constexpr u32 thread_state_flavor = 4;
inline constexpr u32 thread_state_count = MACH_X86_THREAD_STATE64_WORDS * 2;	/* natural_t */

/* x86_FLOAT_STATE64: 2 reserved words, the FXSAVE image, 1 reserved word. */
inline constexpr u32 float_state_flavor = 5;
inline constexpr u32 float_state_count = 131;
inline constexpr u32 fxsave_bytes = 512;
inline constexpr u32 float_state_fxsave = 2;	/* the word FXSAVE starts at */
/* Its word holding MXCSR (at FXSAVE's byte 24). */
inline constexpr u32 float_state_mxcsr = float_state_fxsave + 24 / 4;
inline constexpr u32 mxcsr_defined = 0xffff;	/* bits 16-31 are reserved */

/* x86_EXCEPTION_STATE64 (read-only): trapno, cpu, err, faultvaddr. */
inline constexpr u32 exception_state_flavor = 6;
inline constexpr u32 exception_state_count = 4;

/*
 * XNU's VALID_THREAD_STATE_FLAVOR on x86_64: every flavour it defines,
 * x86_THREAD_STATE32 (1) to x86_LAST_BRANCH_STATE (25) but its two
 * internal ones (14, 15); THREAD_STATE_NONE (13) among them. What an
 * exception handler may ask for, whether or not thread_get_state gives it.
 */
inline constexpr bool valid_state_flavor(u32 flavor)
{
	return flavor >= 1 && flavor <= 25 && flavor != 14 && flavor != 15;
}

/*
 * x86_THREAD_STATE, x86_FLOAT_STATE, x86_EXCEPTION_STATE: a header (the
 * flavour it holds, 64-bit here, and that flavour's count), then it.
 */
inline constexpr u32 unified_thread_state_flavor = 7;
inline constexpr u32 unified_float_state_flavor = 8;
inline constexpr u32 unified_exception_state_flavor = 9;
inline constexpr u32 state_header_count = 2;

/* The 64-bit flavour a unified one holds, or 0 for any other. */
inline u32 unified_state_inner(u32 flavor)
{
	switch (flavor) {
	case unified_thread_state_flavor:
		return thread_state_flavor;
	case unified_float_state_flavor:
		return float_state_flavor;
	case unified_exception_state_flavor:
		return exception_state_flavor;
	default:
		return 0;
	}
}

/* The most natural_t of any flavour: x86_FLOAT_STATE's. */
inline constexpr u32 thread_state_max = state_header_count + float_state_count;

} /* namespace mach */

#endif /* MACH_CORE_THREAD_STATE_H */
