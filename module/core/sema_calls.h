/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sema_calls.h - the semaphore calls as the ioctl front end takes
 * them (MACH_IOC_SEMAPHORE), and the names they are made on.
 */
#ifndef MACH_CORE_SEMA_CALLS_H
#define MACH_CORE_SEMA_CALLS_H

#include "sema.h"
#include "task.h"
#include "uapi.h"

namespace mach {

/*
 * The semaphore the caller's name stands for, as XNU's traps find it:
 * InvalidName for no right, InvalidRight for a right that is no send
 * right or a send right to a dead port (a dead name), InvalidCapability
 * for a send right to another kind of port.
 */
Kr semaphore_named(Task &caller, u32 name, Ref<Semaphore> *semaphore);

/*
 * MACH_IOC_SEMAPHORE, decoded and carried out: the ioctl's value (a
 * kern_return_t, or -errno). A wait cut short by a stop or an abort of
 * the thread rewrites args to what is left of it (a plain wait, for
 * what remains of its time) and asks for the call to be restarted.
 */
long semaphore_ioctl(Task &caller, mach_semaphore_args &args);

/*
 * semaphore_signal_trap (wait false) or semaphore_wait_trap on name, its
 * argument in a register: the same answers as semaphore_ioctl() gives. A
 * wait cut short by a stop restarts as itself.
 */
long semaphore_trap(Task &caller, bool wait, u32 name);

} /* namespace mach */

#endif /* MACH_CORE_SEMA_CALLS_H */
