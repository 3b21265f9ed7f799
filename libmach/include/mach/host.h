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

/* Special ports of the host (HOST_PORT, HOST_PRIV_PORT, HOST_SECURITY_PORT, ...). */
kern_return_t host_get_special_port(host_priv_t host, int node, int which, mach_port_t *port);
kern_return_t host_set_special_port(host_priv_t host, int which, mach_port_t port);

_MACH_END_DECLS

#endif /* _MACH_HOST_H_ */
