// SPDX-License-Identifier: GPL-2.0
/*
 * exception.c - x86-64 faults as Mach exceptions: which exception and
 * codes a signal of a trap is on XNU (osfmk/i386/trap.c's user_trap()),
 * and a thread's state between its signal frame's sigcontext and the
 * words of x86_THREAD_STATE64.
 */
#include <linux/signal.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/sigcontext.h>
#include <asm/trapnr.h>

#include "../../compat.h"
#include "../../exception_arch.h"

/* <mach/exception_types.h>, <mach/i386/exception.h>, <mach/kern_return.h> */
enum {
	EXC_BAD_ACCESS = 1,
	EXC_BAD_INSTRUCTION = 2,
	EXC_ARITHMETIC = 3,
	EXC_SOFTWARE = 5,
	EXC_BREAKPOINT = 6,
};
enum {
	EXC_I386_INVOP = 1,
	EXC_I386_DIV = 1,
	EXC_I386_INTO = 2,
	EXC_I386_EXTERR = 5,
	EXC_I386_BOUND = 7,
	EXC_I386_SSEEXTERR = 8,
	EXC_I386_SGL = 1,
	EXC_I386_BPT = 2,
	EXC_I386_SEGNPFLT = 11,
	EXC_I386_STKFLT = 12,
	EXC_I386_GPFLT = 13,
	EXC_I386_ALIGNFLT = 17,
};
enum {
	KERN_INVALID_ADDRESS = 1,
	KERN_PROTECTION_FAILURE = 2,
	KERN_MEMORY_ERROR = 10,
};

/* The x87 status word and MXCSR in an FXSAVE image. */
#define MACH_FXSAVE_FSW		2
#define MACH_FXSAVE_MXCSR	24

bool mach_arch_fault_exception(int sig, int signal_code, u64 fault_address,
			       const struct sigcontext_64 *sc,
			       const u8 *fxsave, struct mach_fault *f)
{
	u16 fsw;
	u32 mxcsr;

	f->code[1] = 0;
	switch (sc->trapno) {
	case X86_TRAP_PF:
		f->type = EXC_BAD_ACCESS;
		if (sig == SIGBUS)
			f->code[0] = KERN_MEMORY_ERROR;	/* a pager's error */
		else if (signal_code == SEGV_MAPERR)
			f->code[0] = KERN_INVALID_ADDRESS;
		else
			f->code[0] = KERN_PROTECTION_FAILURE;
		f->code[1] = fault_address;
		break;
	case X86_TRAP_GP:
		/* Mostly bad addresses (non-canonical ones): XNU's SIGSEGV. */
		f->type = EXC_BAD_ACCESS;
		f->code[0] = EXC_I386_GPFLT;
		f->code[1] = sc->err;
		break;
	case X86_TRAP_SS:
		f->type = EXC_BAD_INSTRUCTION;
		f->code[0] = EXC_I386_STKFLT;
		f->code[1] = sc->err;
		break;
	case X86_TRAP_NP:
		f->type = EXC_BAD_INSTRUCTION;
		f->code[0] = EXC_I386_SEGNPFLT;
		f->code[1] = sc->err;
		break;
	case X86_TRAP_AC:
		f->type = EXC_BAD_ACCESS;
		f->code[0] = EXC_I386_ALIGNFLT;
		f->code[1] = sc->err;
		break;
	case X86_TRAP_UD:
		f->type = EXC_BAD_INSTRUCTION;
		f->code[0] = EXC_I386_INVOP;
		break;
	case X86_TRAP_DE:
		f->type = EXC_ARITHMETIC;
		f->code[0] = EXC_I386_DIV;
		break;
	case X86_TRAP_OF:
		f->type = EXC_ARITHMETIC;
		f->code[0] = EXC_I386_INTO;
		break;
	case X86_TRAP_BR:
		f->type = EXC_SOFTWARE;
		f->code[0] = EXC_I386_BOUND;
		break;
	case X86_TRAP_MF:
		memcpy(&fsw, fxsave + MACH_FXSAVE_FSW, sizeof(fsw));
		f->type = EXC_ARITHMETIC;
		f->code[0] = EXC_I386_EXTERR;
		f->code[1] = fsw;
		break;
	case X86_TRAP_XF:
		memcpy(&mxcsr, fxsave + MACH_FXSAVE_MXCSR, sizeof(mxcsr));
		f->type = EXC_ARITHMETIC;
		f->code[0] = EXC_I386_SSEEXTERR;
		f->code[1] = mxcsr;
		break;
	case X86_TRAP_BP:
		f->type = EXC_BREAKPOINT;
		f->code[0] = EXC_I386_BPT;
		break;
	case X86_TRAP_DB:
		f->type = EXC_BREAKPOINT;
		f->code[0] = EXC_I386_SGL;
		break;
	default:
		return false;
	}
	/* Each trap raises the signal it always does, or it was not this trap. */
	switch (f->type) {
	case EXC_BAD_ACCESS:
		return sig == SIGSEGV || sig == SIGBUS;
	case EXC_BAD_INSTRUCTION:
		return sig == SIGILL || sig == SIGSEGV || sig == SIGBUS;
	case EXC_ARITHMETIC:
		return sig == SIGFPE;
	case EXC_BREAKPOINT:
		return sig == SIGTRAP;
	default:
		return sig == SIGSEGV;
	}
}

void mach_arch_fault_read(const struct sigcontext_64 *sc, struct mach_fault *f)
{
	u64 *s = f->regs;

	s[MACH_X86_RAX] = sc->ax;
	s[MACH_X86_RBX] = sc->bx;
	s[MACH_X86_RCX] = sc->cx;
	s[MACH_X86_RDX] = sc->dx;
	s[MACH_X86_RDI] = sc->di;
	s[MACH_X86_RSI] = sc->si;
	s[MACH_X86_RBP] = sc->bp;
	s[MACH_X86_RSP] = sc->sp;
	s[MACH_X86_R8] = sc->r8;
	s[MACH_X86_R9] = sc->r9;
	s[MACH_X86_R10] = sc->r10;
	s[MACH_X86_R11] = sc->r11;
	s[MACH_X86_R12] = sc->r12;
	s[MACH_X86_R13] = sc->r13;
	s[MACH_X86_R14] = sc->r14;
	s[MACH_X86_R15] = sc->r15;
	s[MACH_X86_RIP] = sc->ip;
	s[MACH_X86_RFLAGS] = sc->flags;
	s[MACH_X86_CS] = sc->cs;
	/* The calling thread's own bases: live in their registers. */
	mach_rdmsr(MSR_FS_BASE, s[MACH_X86_FS]);
	mach_rdmsr(MSR_KERNEL_GS_BASE, s[MACH_X86_GS]);

	/* x86_EXCEPTION_STATE64: trapno and cpu, err, faultvaddr. */
	f->exception[0] = (u16)sc->trapno | (raw_smp_processor_id() << 16);
	f->exception[1] = sc->err;
	f->exception[2] = (u32)sc->cr2;
	f->exception[3] = sc->cr2 >> 32;
}

void mach_arch_fault_write(const struct mach_fault *f, struct sigcontext_64 *sc)
{
	const u64 *s = f->regs;

	sc->ax = s[MACH_X86_RAX];
	sc->bx = s[MACH_X86_RBX];
	sc->cx = s[MACH_X86_RCX];
	sc->dx = s[MACH_X86_RDX];
	sc->di = s[MACH_X86_RDI];
	sc->si = s[MACH_X86_RSI];
	sc->bp = s[MACH_X86_RBP];
	sc->sp = s[MACH_X86_RSP];
	sc->r8 = s[MACH_X86_R8];
	sc->r9 = s[MACH_X86_R9];
	sc->r10 = s[MACH_X86_R10];
	sc->r11 = s[MACH_X86_R11];
	sc->r12 = s[MACH_X86_R12];
	sc->r13 = s[MACH_X86_R13];
	sc->r14 = s[MACH_X86_R14];
	sc->r15 = s[MACH_X86_R15];
	sc->ip = s[MACH_X86_RIP];
	/* rt_sigreturn keeps what user mode may not set (as for any frame). */
	sc->flags = s[MACH_X86_RFLAGS];
}
