/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctypes.h - the few fixed-width types the core/glue interface uses,
 * from compiler builtins so that neither libc nor Linux headers are needed.
 */
#ifndef MACH_CORE_CTYPES_H
#define MACH_CORE_CTYPES_H

typedef __UINT32_TYPE__ mach_u32;
typedef unsigned long long mach_u64;	/* as Linux's u64 and __u64 */
typedef __INT32_TYPE__ mach_s32;
typedef __SIZE_TYPE__ mach_size;
#ifdef __cplusplus
typedef bool mach_bool;
#else
typedef _Bool mach_bool;
#endif

/* Linux errno values the core returns (checked against Linux in shim.c). */
#define MACH_EBADF	9
#define MACH_ENOMEM	12
#define MACH_EFAULT	14
#define MACH_EINTR	4
#define MACH_EAGAIN	11
#define MACH_EPERM	1
#define MACH_ESRCH	3
#define MACH_ENXIO	6
#define MACH_EACCES	13
#define MACH_EEXIST	17
#define MACH_EBUSY	16
#define MACH_EINPROGRESS 115
#define MACH_EINVAL	22
#define MACH_ENOTTY	25
#define MACH_ETIMEDOUT	110
#define MACH_EIO	5
#define MACH_EREMOTE	66
/* Linux's own (never seen by a program): restart the system call. */
#define MACH_ERESTARTNOINTR 513
#define MACH_EMFILE	24
#define MACH_EOPNOTSUPP	95

#endif /* MACH_CORE_CTYPES_H */
