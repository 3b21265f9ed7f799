/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host.h - the host's kernel ports and the rules for reaching them.
 *
 * The host name port (mach_host_self(): any task), the privileged host
 * port and the host security port, and the default ledger pair every task
 * starts with (wired kernel memory, paged space). They exist from
 * mach_core_init() to mach_core_exit().
 *
 * Holding the privileged port is the authority to get the others, as in
 * Mach. A process with the host's privilege (CAP_SYS_ADMIN in the initial
 * user namespace) may use its host name port instead: on XNU, root's
 * mach_host_self() is the privileged port itself.
 */
#ifndef MACH_CORE_HOST_H
#define MACH_CORE_HOST_H

#include "exception_ports.h"
#include "port.h"

namespace mach {

/*
 * The kernel ports that live as long as the module: the host's own, its
 * default ledgers, its two clocks (clock.h) and the name and control
 * ports of its one processor set (processor_set.h).
 */
enum class HostPort : u32 {
	Host, Priv, Security, WiredLedger, PagedLedger,
	SystemClock, CalendarClock, PsetName, PsetControl, Count
};

/* host_special_port ids (the anchors' values) and HOST_LOCAL_NODE. */
enum HostSpecialPort : u32 {
	HostSecurityPort = 0,
	HostNamePort = 1,
	HostPrivPort = 2,
	HostMaxKernelPort = 7,		/* ids up to here are the kernel's */
	HostNodePort = 26,
	HostSpecialPortMax = 26,	/* HOST_NODE_PORT, the last one named */
};
inline constexpr s32 host_local_node = -1;

/* A new send right to one of the host's ports (none before init). */
TransitRight host_port(HostPort which);
/* Which of the host's ports port is, or HostPort::Count for none. */
HostPort host_port_of(const Port *port);

/*
 * host_get_special_port(host, node, which) for a caller holding held
 * (HostPort::Count: no host port), privileged or not. *out stays empty
 * for a slot nothing fills.
 */
Kr host_special_port(HostPort held, bool privileged, s32 node, u32 which,
		     TransitRight *out);

/*
 * host_set_special_port(host, which, port) by a caller holding held,
 * privileged or not: port (taken, whatever comes; none clears the slot)
 * becomes what host_get_special_port gives for which. As XNU: only on the
 * privileged port, only the ids above the kernel's (InvalidArgument),
 * HOST_NODE_PORT NotSupported (no NORMA IPC); and only by the host's own
 * administrator (XNU: launchd), NoAccess for anyone else holding it.
 */
Kr host_set_special_port(HostPort held, bool privileged, u32 which, TransitRight port);

/*
 * The host's exception ports (host_set/get/swap_exception_ports), asked
 * last of the three levels: global to the machine, they exist from
 * mach_core_init() to mach_core_exit(). Only the holder of the privileged
 * port reaches them (host_priv_t): *table, or InvalidArgument for any
 * other port, the host name port too, as XNU's MIG answers for a port
 * that converts to no privileged host.
 */
Kr host_exception_ports(HostPort held, ExceptionPorts **table);
/*
 * For the delivery of an exception of type, at the host's level: its
 * handler, with a new send right to the port and a reference to it, which
 * the caller releases or moves into the exception message; true. false
 * (*out cleared) if the host has none for type. ExceptionPorts::handler()
 * says more.
 */
bool host_exception_handler(u32 type, ExceptionHandler *out);
/* Has the host a handler of some type? */
bool host_exceptions_set();

/* host_info flavours: the anchors', and nodes (an extension). */
enum HostFlavor : u32 {
	HostBasicInfo = 1,		/* HOST_BASIC_INFO */
	HostSchedInfo = 3,		/* HOST_SCHED_INFO */
	HostPriorityInfo = 5,		/* HOST_PRIORITY_INFO */
	HostPreferredUserArch = 12,	/* HOST_PREFERRED_USER_ARCH */
	HostNodeInfo = 100,		/* HOST_NODE_INFO: NUMA nodes */
};
/* What the host and a processor say they are (CPU_TYPE_X86_64, ..._ALL). */
inline constexpr u32 cpu_type_x86_64 = 7 | 0x01000000;
inline constexpr u32 cpu_subtype_x86_64_all = 3;
inline constexpr u32 host_info_max_count = 12;

/*
 * Lays out flavor into out (host_info_max_count integer_t) for a caller
 * with room for *count of them; *count becomes the count written.
 */
Kr host_info(u32 flavor, u32 *out, u32 *count);

} /* namespace mach */

#endif /* MACH_CORE_HOST_H */
