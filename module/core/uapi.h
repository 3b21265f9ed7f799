/* SPDX-License-Identifier: GPL-2.0 */
/* The ioctl structs of uapi/mach/abi.h, without Linux's types header. */
#ifndef MACH_CORE_UAPI_H
#define MACH_CORE_UAPI_H

#include "ctypes.h"

typedef mach_u32 __u32;
typedef mach_u64 __u64;
typedef mach_s32 __s32;
#define MACH_ABI_NO_LINUX_TYPES
#include <mach/abi.h>
#undef MACH_ABI_NO_LINUX_TYPES

#endif /* MACH_CORE_UAPI_H */
