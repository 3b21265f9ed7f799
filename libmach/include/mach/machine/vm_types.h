/*
 * libmach: <mach/machine/vm_types.h> -- machine-sized scalar types.
 *
 * natural_t and integer_t are always 32 bits.  vm_offset_t and vm_size_t
 * follow the pointer size (64 bits on the supported LP64 targets); the
 * mach_vm_* types are 64 bits on every target.
 */
#ifndef _MACH_MACHINE_VM_TYPES_H_
#define _MACH_MACHINE_VM_TYPES_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>

typedef unsigned int natural_t;
typedef int          integer_t;

typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_size_t;

typedef uint64_t mach_vm_address_t;
typedef uint64_t mach_vm_offset_t;
typedef uint64_t mach_vm_size_t;

typedef uint64_t vm_map_offset_t;
typedef uint64_t vm_map_address_t;
typedef uint64_t vm_map_size_t;

typedef uint32_t vm32_address_t;
typedef uint32_t vm32_offset_t;
typedef uint32_t vm32_size_t;

/* Opaque per-port context word (mach_port_get_context & co.). */
#if defined(__x86_64__)
typedef mach_vm_address_t mach_port_context_t;
#else
typedef vm_offset_t mach_port_context_t;
#endif

_MACH_STATIC_ASSERT(sizeof(natural_t) == 4, "natural_t is 32 bits");
_MACH_STATIC_ASSERT(sizeof(integer_t) == 4, "integer_t is 32 bits");
_MACH_STATIC_ASSERT(sizeof(vm_size_t) == 8, "vm_size_t is 64 bits on LP64");
_MACH_STATIC_ASSERT(sizeof(vm_offset_t) == 8, "vm_offset_t is 64 bits on LP64");
_MACH_STATIC_ASSERT(sizeof(mach_port_context_t) == 8, "port context is 64 bits");

#endif /* _MACH_MACHINE_VM_TYPES_H_ */
