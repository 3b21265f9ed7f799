/*
 * libmach: <mach/mach_vm.h> -- the calls on a task's address space with
 * XNU's 64-bit types (the mach_vm subsystem, 4800). On x86_64 they are
 * the vm_* calls of <mach/vm_map.h> under their other names.
 */
#ifndef _MACH_MACH_VM_H_
#define _MACH_MACH_VM_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>
#include <mach/memory_object_types.h>

_MACH_BEGIN_DECLS

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address, mach_vm_size_t size,
                               int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address, mach_vm_size_t size);
kern_return_t mach_vm_protect(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
                              boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t mach_vm_inherit(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
                              vm_inherit_t new_inheritance);
kern_return_t mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address, mach_vm_size_t size,
                           vm_offset_t *data, mach_msg_type_number_t *dataCnt);
kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address, vm_offset_t data,
                            mach_msg_type_number_t dataCnt);
kern_return_t mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address, mach_vm_size_t size,
                           mach_vm_address_t dest_address);
kern_return_t mach_vm_read_overwrite(vm_map_read_t target_task, mach_vm_address_t address,
                                     mach_vm_size_t size, mach_vm_address_t data, mach_vm_size_t *outsize);
kern_return_t mach_vm_behavior_set(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
                                   vm_behavior_t new_behavior);
kern_return_t mach_vm_map(vm_map_t target_task, mach_vm_address_t *address, mach_vm_size_t size,
                          mach_vm_offset_t mask, int flags, mem_entry_name_port_t object,
                          memory_object_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
                          vm_prot_t max_protection, vm_inherit_t inheritance);
kern_return_t mach_vm_remap(vm_map_t target_task, mach_vm_address_t *target_address, mach_vm_size_t size,
                            mach_vm_offset_t mask, int flags, vm_map_read_t src_task,
                            mach_vm_address_t src_address, boolean_t copy, vm_prot_t *cur_protection,
                            vm_prot_t *max_protection, vm_inherit_t inheritance);
kern_return_t mach_vm_region_recurse(vm_map_read_t target_task, mach_vm_address_t *address,
                                     mach_vm_size_t *size, natural_t *nesting_depth,
                                     vm_region_recurse_info_t info, mach_msg_type_number_t *infoCnt);
kern_return_t mach_vm_region(vm_map_read_t target_task, mach_vm_address_t *address, mach_vm_size_t *size,
                             vm_region_flavor_t flavor, vm_region_info_t info,
                             mach_msg_type_number_t *infoCnt, mach_port_t *object_name);
kern_return_t mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
                                        memory_object_offset_t offset, vm_prot_t permission,
                                        mach_port_t *object_handle, mem_entry_name_port_t parent_entry);

_MACH_END_DECLS

#endif /* _MACH_MACH_VM_H_ */
