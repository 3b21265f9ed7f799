/*
 * libmach: <mach/vm_types.h> -- virtual memory types.
 */
#ifndef _MACH_VM_TYPES_H_
#define _MACH_VM_TYPES_H_

#include <stdint.h>
#include <mach/machine/vm_types.h>
#include <mach/port.h>

typedef vm_offset_t vm_address_t;
typedef vm_offset_t pointer_t; /* address of out-of-line data (vm_read, vm_write) */

typedef uint64_t addr64_t;
typedef uint32_t reg64_t;
typedef uint32_t ppnum_t;
#define PPNUM_MAX UINT32_MAX

typedef uint64_t vm_object_offset_t;
typedef uint64_t vm_object_size_t;

/* A task's address space is named by a send right to the task. */
typedef mach_port_t vm_map_t;
typedef mach_port_t vm_map_read_t;
typedef mach_port_t vm_map_inspect_t;
typedef mach_port_t upl_t;
typedef mach_port_t vm_named_entry_t;

#define VM_MAP_NULL         ((vm_map_t)0)
#define VM_MAP_INSPECT_NULL ((vm_map_inspect_t)0)
#define VM_MAP_READ_NULL    ((vm_map_read_t)0)
#define UPL_NULL            ((upl_t)0)
#define VM_NAMED_ENTRY_NULL ((vm_named_entry_t)0)

#endif /* _MACH_VM_TYPES_H_ */
