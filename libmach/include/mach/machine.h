/*
 * libmach: <mach/machine.h> -- processor type codes (minimal subset).
 */
#ifndef _MACH_MACHINE_H_
#define _MACH_MACHINE_H_

#include <mach/machine/vm_types.h>

typedef integer_t cpu_type_t;
typedef integer_t cpu_subtype_t;
typedef integer_t cpu_threadtype_t;

#define CPU_STATE_MAX 4
#define CPU_STATE_USER   0
#define CPU_STATE_SYSTEM 1
#define CPU_STATE_IDLE   2
#define CPU_STATE_NICE   3

#define CPU_ARCH_MASK  0xff000000 /* ABI bits */
#define CPU_ARCH_ABI64 0x01000000 /* 64-bit ABI */

#define CPU_TYPE_ANY    ((cpu_type_t)-1)
#define CPU_TYPE_X86    ((cpu_type_t)7)
#define CPU_TYPE_I386   CPU_TYPE_X86
#define CPU_TYPE_X86_64 (CPU_TYPE_X86 | CPU_ARCH_ABI64)
#define CPU_TYPE_ARM    ((cpu_type_t)12)
#define CPU_TYPE_ARM64  (CPU_TYPE_ARM | CPU_ARCH_ABI64)

#define CPU_SUBTYPE_MULTIPLE   ((cpu_subtype_t)-1)
#define CPU_SUBTYPE_X86_ALL    ((cpu_subtype_t)3)
#define CPU_SUBTYPE_X86_64_ALL ((cpu_subtype_t)3)
#define CPU_SUBTYPE_ARM64_ALL  ((cpu_subtype_t)0)

#define CPU_THREADTYPE_NONE ((cpu_threadtype_t)0)

#endif /* _MACH_MACHINE_H_ */
