/*
 * libmach: <mach/vm_map.h> -- operations on a task's address space.
 *
 * XNU user-side signatures; vm_address_t and vm_size_t are 64-bit.
 */
#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>
#include <mach/memory_object_types.h>

_MACH_BEGIN_DECLS

/* The region containing *address, or the next one above it. */
kern_return_t vm_region(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
                        vm_region_flavor_t flavor, vm_region_info_t info, mach_msg_type_number_t *infoCnt,
                        mach_port_t *object_name);
kern_return_t vm_region_64(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
                           vm_region_flavor_t flavor, vm_region_info_t info, mach_msg_type_number_t *infoCnt,
                           mach_port_t *object_name);
kern_return_t vm_region_recurse_64(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
                                   natural_t *nesting_depth, vm_region_recurse_info_t info,
                                   mach_msg_type_number_t *infoCnt);

/* Zero-filled memory; flags is VM_FLAGS_ANYWHERE or VM_FLAGS_FIXED (| ...). */
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, int flags);

/* Remove a range. */
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size);

/* Set the current (or, with set_maximum, the maximum) protection of a range. */
kern_return_t vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size, boolean_t set_maximum,
                         vm_prot_t new_protection);

/* Set what a child task created from this one gets of a range. */
kern_return_t vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
                         vm_inherit_t new_inheritance);

/* Copy a range out of the task into new memory in the caller (free with vm_deallocate). */
kern_return_t vm_read(vm_map_read_t target_task, vm_address_t address, vm_size_t size, vm_offset_t *data,
                      mach_msg_type_number_t *dataCnt);

/* Copy a range out of the task into the caller's buffer at data. */
kern_return_t vm_read_overwrite(vm_map_read_t target_task, vm_address_t address, vm_size_t size,
                                vm_address_t data, vm_size_t *outsize);

/* Copy dataCnt bytes from the caller's data into the task at address. */
kern_return_t vm_write(vm_map_t target_task, vm_address_t address, vm_offset_t data,
                       mach_msg_type_number_t dataCnt);

/* Copy a range within the task. */
kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size,
                      vm_address_t dest_address);

/* Advise the expected access pattern of a range. */
kern_return_t vm_behavior_set(vm_map_t target_task, vm_address_t address, vm_size_t size,
                              vm_behavior_t new_behavior);

/* Map a memory object (or anonymous memory) into the task. */
kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size, vm_address_t mask, int flags,
                     mem_entry_name_port_t object, vm_offset_t offset, boolean_t copy,
                     vm_prot_t cur_protection, vm_prot_t max_protection, vm_inherit_t inheritance);

/* Map (share or copy) a range of src_task into target_task. */
kern_return_t vm_remap(vm_map_t target_task, vm_address_t *target_address, vm_size_t size, vm_address_t mask,
                       int flags, vm_map_t src_task, vm_address_t src_address, boolean_t copy,
                       vm_prot_t *cur_protection, vm_prot_t *max_protection, vm_inherit_t inheritance);

/* A named entry (a send right) for memory that any task can map, shared. */
kern_return_t mach_make_memory_entry(vm_map_t target_task, vm_size_t *size, vm_offset_t offset,
                                     vm_prot_t permission, mem_entry_name_port_t *object_handle,
                                     mem_entry_name_port_t parent_entry);
kern_return_t mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
                                        memory_object_offset_t offset, vm_prot_t permission,
                                        mach_port_t *object_handle, mem_entry_name_port_t parent_entry);

_MACH_END_DECLS

#endif /* _MACH_VM_MAP_H_ */
