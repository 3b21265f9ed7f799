/*
 * libmach: <mach/host_priv.h> -- XNU's name for the privileged host interface.
 */
#ifndef _MACH_HOST_PRIV_H_
#define _MACH_HOST_PRIV_H_

#include <mach/_mach_cdefs.h>
#include <mach/host.h>

_MACH_BEGIN_DECLS

/*
 * Exception ports of the host: the handlers asked last, after a thread's
 * and its task's. host_priv must be the privileged host port
 * (host_get_host_priv_port()); any other is KERN_INVALID_ARGUMENT.
 */
kern_return_t host_set_exception_ports(host_priv_t host_priv, exception_mask_t exception_mask,
                                       mach_port_t new_port, exception_behavior_t behavior,
                                       thread_state_flavor_t new_flavor);
kern_return_t host_get_exception_ports(host_priv_t host_priv, exception_mask_t exception_mask,
                                       exception_mask_array_t masks, mach_msg_type_number_t *masksCnt,
                                       exception_handler_array_t old_handlers,
                                       exception_behavior_array_t old_behaviors,
                                       exception_flavor_array_t old_flavors);
kern_return_t host_swap_exception_ports(host_priv_t host_priv, exception_mask_t exception_mask,
                                        mach_port_t new_port, exception_behavior_t behavior,
                                        thread_state_flavor_t new_flavor, exception_mask_array_t masks,
                                        mach_msg_type_number_t *masksCnt,
                                        exception_handler_array_t old_handlers,
                                        exception_behavior_array_t old_behaviors,
                                        exception_flavor_array_t old_flavors);

/* The control port of the processor set set_name names (its name port). */
kern_return_t host_processor_set_priv(host_priv_t host_priv, processor_set_name_t set_name,
                                      processor_set_t *set);
/* Wires (access not VM_PROT_NONE) or unwires a range of the task's memory. */
kern_return_t vm_wire(host_priv_t host, vm_map_t task, vm_address_t address, vm_size_t size,
                      vm_prot_t desired_access);
kern_return_t mach_vm_wire(host_priv_t host, vm_map_t task, mach_vm_address_t address,
                           mach_vm_size_t size, vm_prot_t desired_access);

_MACH_END_DECLS

#endif /* _MACH_HOST_PRIV_H_ */
