/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exception_arch.h - what raising a fault needs of the architecture
 * (x86-64: arch/x86/exception.c): the Mach exception a trap's signal is,
 * and the thread's state between its signal frame and Mach's words.
 */
#ifndef MACH_EXCEPTION_ARCH_H
#define MACH_EXCEPTION_ARCH_H

#include <linux/types.h>
#include <asm/sigcontext.h>

#include "core/core.h"

/*
 * f's type and codes for signal sig (its si_code and si_addr) of the trap sc
 * records (fxsave: the FPU image at it): false if it is no exception.
 */
bool mach_arch_fault_exception(int sig, int signal_code, u64 fault_address,
			       const struct sigcontext_64 *sc,
			       const u8 *fxsave, struct mach_fault *f);
/* f's registers and exception state from sc, of the calling thread. */
void mach_arch_fault_read(const struct sigcontext_64 *sc, struct mach_fault *f);
/* f's registers into sc (not the fs and gs bases: see exception.c). */
void mach_arch_fault_write(const struct mach_fault *f, struct sigcontext_64 *sc);

#endif /* MACH_EXCEPTION_ARCH_H */
