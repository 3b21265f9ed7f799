/*
 * libmach: <mach/mach_interface.h> -- all kernel-call interfaces at once.
 */
#ifndef _MACH_MACH_INTERFACE_H_
#define _MACH_MACH_INTERFACE_H_

#include <mach/clock.h>
#include <mach/host.h>
#include <mach/host_priv.h>
#include <mach/host_security.h>
#include <mach/ledger.h>
#include <mach/mach_norma.h>
#include <mach/mach_port.h>
#include <mach/semaphore.h>
#include <mach/processor_set.h>
#include <mach/task.h>
#include <mach/thread_act.h>
#include <mach/vm_map.h>

#endif /* _MACH_MACH_INTERFACE_H_ */
