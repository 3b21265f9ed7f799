/*
 * libmach: <mach/host.h> -- operations on the host.
 *
 * On XNU these calls are split between <mach/mach_host.h> and
 * <mach/host_priv.h>; both names include this file.  mach_host_self() is in
 * <mach/mach_init.h>.
 */
#ifndef _MACH_HOST_H_
#define _MACH_HOST_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>

_MACH_BEGIN_DECLS

/* Information about the host (HOST_BASIC_INFO, ...). */
kern_return_t host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
                        mach_msg_type_number_t *host_info_outCnt);

/* Version string of the kernel. */
kern_return_t host_kernel_version(host_t host, kernel_version_t kernel_version);

/* Page size of the host. */
kern_return_t host_page_size(host_t host, vm_size_t *out_page_size);

/* Load, memory and CPU statistics (HOST_LOAD_INFO, HOST_VM_INFO, ...). */
kern_return_t host_statistics(host_t host_priv, host_flavor_t flavor, host_info_t host_info_out,
                              mach_msg_type_number_t *host_info_outCnt);
kern_return_t host_statistics64(host_t host_priv, host_flavor_t flavor,
                                host_info64_t host_info64_out,
                                mach_msg_type_number_t *host_info64_outCnt);

/* One record of flavor for each CPU, out of line (vm_deallocate it). */
kern_return_t host_processor_info(host_t host, processor_flavor_t flavor,
                                  natural_t *out_processor_count,
                                  processor_info_array_t *out_processor_info,
                                  mach_msg_type_number_t *out_processor_infoCnt);

/* A clock's port (SYSTEM_CLOCK, CALENDAR_CLOCK): see <mach/clock.h>. */
kern_return_t host_get_clock_service(host_t host, clock_id_t clock_id, clock_serv_t *clock_serv);

/* The name port of the host's processor set (<mach/processor_set.h>). */
kern_return_t processor_set_default(host_t host, processor_set_name_t *default_set);

/* Special ports of the host (HOST_PORT, HOST_PRIV_PORT, HOST_SECURITY_PORT, ...). */
kern_return_t host_get_special_port(host_priv_t host, int node, int which, mach_port_t *port);
kern_return_t host_set_special_port(host_priv_t host, int which, mach_port_t port);

_MACH_END_DECLS

#endif /* _MACH_HOST_H_ */
