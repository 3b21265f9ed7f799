// SPDX-License-Identifier: LGPL-2.1-or-later
// mach_vm.cc - the vm_* calls under their mach_vm_* names (<mach/mach_vm.h>).
// On x86_64 vm_address_t and vm_size_t are 64-bit, as mach_vm's types:
// each is the same call.
#include <mach/mach.h>
#include <mach/mach_vm.h>

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API kern_return_t mach_vm_allocate(vm_map_t task, mach_vm_address_t *address,
					   mach_vm_size_t size, int flags)
{
	static_assert(sizeof(vm_address_t) == sizeof(mach_vm_address_t), "64-bit");
	return vm_allocate(task, reinterpret_cast<vm_address_t *>(address), size, flags);
}

LIBMACH_API kern_return_t mach_vm_deallocate(vm_map_t task, mach_vm_address_t address,
					     mach_vm_size_t size)
{
	return vm_deallocate(task, address, size);
}

LIBMACH_API kern_return_t mach_vm_protect(vm_map_t task, mach_vm_address_t address,
					  mach_vm_size_t size, boolean_t set_maximum,
					  vm_prot_t new_protection)
{
	return vm_protect(task, address, size, set_maximum, new_protection);
}

LIBMACH_API kern_return_t mach_vm_inherit(vm_map_t task, mach_vm_address_t address,
					  mach_vm_size_t size, vm_inherit_t new_inheritance)
{
	return vm_inherit(task, address, size, new_inheritance);
}

LIBMACH_API kern_return_t mach_vm_read(vm_map_read_t task, mach_vm_address_t address,
				       mach_vm_size_t size, vm_offset_t *data,
				       mach_msg_type_number_t *count)
{
	return vm_read(task, address, size, data, count);
}

LIBMACH_API kern_return_t mach_vm_write(vm_map_t task, mach_vm_address_t address,
					vm_offset_t data, mach_msg_type_number_t count)
{
	return vm_write(task, address, data, count);
}

LIBMACH_API kern_return_t mach_vm_copy(vm_map_t task, mach_vm_address_t source,
				       mach_vm_size_t size, mach_vm_address_t dest)
{
	return vm_copy(task, source, size, dest);
}

LIBMACH_API kern_return_t mach_vm_read_overwrite(vm_map_read_t task, mach_vm_address_t address,
						 mach_vm_size_t size, mach_vm_address_t data,
						 mach_vm_size_t *out_size)
{
	vm_size_t n = 0;
	kern_return_t kr = vm_read_overwrite(task, address, size, data, &n);
	if (kr == KERN_SUCCESS && out_size)
		*out_size = n;
	return kr;
}

LIBMACH_API kern_return_t mach_vm_region(vm_map_read_t task, mach_vm_address_t *address,
					 mach_vm_size_t *size, vm_region_flavor_t flavor,
					 vm_region_info_t info, mach_msg_type_number_t *count,
					 mach_port_t *object_name)
{
	return vm_region_64(task, reinterpret_cast<vm_address_t *>(address),
			    reinterpret_cast<vm_size_t *>(size), flavor, info, count, object_name);
}
