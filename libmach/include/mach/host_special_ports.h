/*
 * libmach: <mach/host_special_ports.h> -- ids for host_{get,set}_special_port.
 *
 * Only the kernel-provided ports and the first user-server slots are named
 * here.
 */
#ifndef _MACH_HOST_SPECIAL_PORTS_H_
#define _MACH_HOST_SPECIAL_PORTS_H_

/* Ports the kernel provides. */
#define HOST_SECURITY_PORT    0 /* host security port (security tokens) */
#define HOST_MIN_SPECIAL_PORT HOST_SECURITY_PORT
#define HOST_PORT             1 /* unprivileged host port */
#define HOST_PRIV_PORT        2 /* privileged host port */
#define HOST_IO_MAIN_PORT     3
#define HOST_IO_MASTER_PORT   HOST_IO_MAIN_PORT /* older name */

#define HOST_MAX_SPECIAL_KERNEL_PORT  7 /* kernel ids go up to here */
#define HOST_LAST_SPECIAL_KERNEL_PORT HOST_IO_MAIN_PORT

/* Ports registered by user-space servers. */
#define HOST_DYNAMIC_PAGER_PORT     (1 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_AUDIT_CONTROL_PORT     (2 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_USER_NOTIFICATION_PORT (3 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_AUTOMOUNTD_PORT        (4 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_LOCKD_PORT             (5 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_KTRACE_BACKGROUND_PORT (6 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_SEATBELT_PORT          (7 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_KEXTD_PORT             (8 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_LAUNCHCTL_PORT         (9 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_UNFREED_PORT           (10 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_AMFID_PORT             (11 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_GSSD_PORT              (12 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_NODE_PORT              (19 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_MAX_SPECIAL_PORT       HOST_NODE_PORT

/* "This node" for the node argument of host_get_special_port. */
#define HOST_LOCAL_NODE -1

/* Shorthands. */
#define host_get_host_port(host, port) \
	(host_get_special_port((host), HOST_LOCAL_NODE, HOST_PORT, (port)))
#define host_set_host_port(host, port) (KERN_INVALID_ARGUMENT)
#define host_get_host_priv_port(host, port) \
	(host_get_special_port((host), HOST_LOCAL_NODE, HOST_PRIV_PORT, (port)))
#define host_set_host_priv_port(host, port) (KERN_INVALID_ARGUMENT)
#define host_get_io_main_port(host, port) \
	(host_get_special_port((host), HOST_LOCAL_NODE, HOST_IO_MAIN_PORT, (port)))
#define host_set_io_main_port(host, port) (KERN_INVALID_ARGUMENT)
#define host_get_node_port(host, port) \
	(host_get_special_port((host), HOST_LOCAL_NODE, HOST_NODE_PORT, (port)))
#define host_set_node_port(host, port) \
	(host_set_special_port((host), HOST_NODE_PORT, (port)))

#endif /* _MACH_HOST_SPECIAL_PORTS_H_ */
