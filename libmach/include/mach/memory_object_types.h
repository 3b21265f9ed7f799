/*
 * libmach: <mach/memory_object_types.h> -- the permission flags of
 * mach_make_memory_entry() (a minimal subset: XNU's MAP_MEM_* values).
 */
#ifndef _MACH_MEMORY_OBJECT_TYPES_H_
#define _MACH_MEMORY_OBJECT_TYPES_H_

#include <mach/vm_region.h>	/* memory_object_offset_t, memory_object_size_t */

/* The low byte is the entry's vm_prot_t. */
#define MAP_MEM_PROT_MASK            0xFF
#define MAP_MEM_LEDGER_TAGGED        0x002000
#define MAP_MEM_PURGABLE_KERNEL_ONLY 0x004000
#define MAP_MEM_GRAB_SECLUDED        0x008000
#define MAP_MEM_ONLY                 0x010000
#define MAP_MEM_NAMED_CREATE         0x020000 /* fresh zero-fill memory */
#define MAP_MEM_PURGABLE             0x040000
#define MAP_MEM_NAMED_REUSE          0x080000
#define MAP_MEM_USE_DATA_ADDR        0x100000
#define MAP_MEM_VM_COPY              0x200000 /* a copy of the range */
#define MAP_MEM_VM_SHARE             0x400000 /* the range itself, shared */
#define MAP_MEM_4K_DATA_ADDR         0x800000

#define MAP_MEM_FLAGS_MASK 0x00FFFF00
#define MAP_MEM_FLAGS_USER                                                   \
	(MAP_MEM_PURGABLE_KERNEL_ONLY | MAP_MEM_GRAB_SECLUDED | MAP_MEM_ONLY |   \
	 MAP_MEM_NAMED_CREATE | MAP_MEM_PURGABLE | MAP_MEM_NAMED_REUSE |         \
	 MAP_MEM_USE_DATA_ADDR | MAP_MEM_VM_COPY | MAP_MEM_VM_SHARE |            \
	 MAP_MEM_LEDGER_TAGGED | MAP_MEM_4K_DATA_ADDR)

#endif /* _MACH_MEMORY_OBJECT_TYPES_H_ */
