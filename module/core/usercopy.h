/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usercopy.h - small copies to and from the calling process, a word at a
 * time (module/usercopy.c; tests/shim_user.cc for the host unit tests).
 * copy_to_user() and copy_from_user() move bytes with rep movsb, which
 * emulation (the test VM's TCG) runs byte by byte; a message answered in
 * place and a short received one move a hundred bytes or so each way.
 * Larger copies take copy_*_user(). 0 or -MACH_EFAULT, as mach_shim_copy_*.
 */
#ifndef MACH_CORE_USERCOPY_H
#define MACH_CORE_USERCOPY_H

#include "ctypes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest copy done by words; more goes to copy_*_user(). */
#define MACH_SMALL_COPY_MAX 256

int mach_small_copy_out(mach_u64 uaddr, const void *src, mach_u32 size);
int mach_small_copy_in(void *dst, mach_u64 uaddr, mach_u32 size);

#ifdef __cplusplus
}
#endif

#endif /* MACH_CORE_USERCOPY_H */
