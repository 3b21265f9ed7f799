/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host.h - the host's kernel ports: the host port and the default ledger
 * pair every task starts with (wired kernel memory, paged space). They
 * exist from mach_core_init() to mach_core_exit().
 */
#ifndef MACH_CORE_HOST_H
#define MACH_CORE_HOST_H

#include "port.h"

namespace mach {

enum class HostPort : u32 { Host, WiredLedger, PagedLedger, Count };

/* A new send right to one of the host's ports (none before init). */
TransitRight host_port(HostPort which);

} /* namespace mach */

#endif /* MACH_CORE_HOST_H */
