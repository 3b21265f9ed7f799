/* SPDX-License-Identifier: GPL-2.0 */
/*
 * processor_set.h - the host's one processor set, every CPU of it, as
 * kernel objects: its name port (processor_set_default, any host port's
 * holder: information only) and its control port (host_processor_set_priv,
 * the privileged host port's holder). The control port lists every task
 * and thread (processor_set_tasks, processor_set_threads), as XNU does,
 * under XNU's per-task policy check (its MAC hook), which here is Linux's
 * for ptrace: a task's port is given only to a caller that could take
 * control of its process anyway (mach_shim_may_control()). Holding the
 * privileged port is no authority over other users' processes.
 */
#ifndef MACH_CORE_PROCESSOR_SET_H
#define MACH_CORE_PROCESSOR_SET_H

#include "host.h"
#include "task.h"

namespace mach {

/* processor_set_default: the name port, on the host name or privileged port. */
Kr processor_set_default(HostPort held, TransitRight *out);

/*
 * host_processor_set_priv(host_priv, set_name): the control port of the
 * set that pset (its name or control port) stands for, on the privileged
 * port only; InvalidArgument otherwise.
 */
Kr processor_set_priv(HostPort held, HostPort pset, TransitRight *out);

/*
 * The rights processor_set_tasks (threads false) or processor_set_threads
 * gives caller through the set's control port held (else InvalidArgument):
 * *rights, kernel memory of mach_shim_alloc() (null if none) that the
 * caller frees once it has taken the *count rights in it. The tasks are
 * walked in batches, with no lock held across them (a task's threads are
 * adopted on the way): a task made or ended meanwhile may be missed.
 */
Kr processor_set_things(Task &caller, HostPort held, bool threads, TransitRight **rights,
			u32 *count);

/*
 * processor_set_info(set_name, flavor): PROCESSOR_SET_BASIC_INFO on the
 * set's name or control port (else InvalidArgument); *count as host_info.
 */
inline constexpr u32 pset_info_max_count = 5;
Kr processor_set_info(HostPort held, u32 flavor, u32 *out, u32 *count);

} /* namespace mach */

#endif /* MACH_CORE_PROCESSOR_SET_H */
