/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_thread_state.h - the words of x86_THREAD_STATE64, in Mach's order,
 * as the core hands them to the shim and the glue's x86 file
 * (arch/x86/thread_state.c) reads and writes them. Freestanding: C and
 * C++, no includes. Another architecture adds a header of its own.
 */
#ifndef MACH_CORE_X86_THREAD_STATE_H
#define MACH_CORE_X86_THREAD_STATE_H

enum mach_x86_thread_state64_word {
	MACH_X86_RAX, MACH_X86_RBX, MACH_X86_RCX, MACH_X86_RDX,
	MACH_X86_RDI, MACH_X86_RSI, MACH_X86_RBP, MACH_X86_RSP,
	MACH_X86_R8, MACH_X86_R9, MACH_X86_R10, MACH_X86_R11,
	MACH_X86_R12, MACH_X86_R13, MACH_X86_R14, MACH_X86_R15,
	MACH_X86_RIP, MACH_X86_RFLAGS, MACH_X86_CS, MACH_X86_FS, MACH_X86_GS,
	MACH_X86_THREAD_STATE64_WORDS	/* 21: thread_state_count / 2 */
};

#endif /* MACH_CORE_X86_THREAD_STATE_H */
