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
 * fn(semaphore) for the semaphore the caller's name stands for, as XNU's
 * traps find it, and fn's answer; run under the caller's space lock,
 * whose send right keeps the semaphore alive meanwhile (fn must not
 * sleep). Else: InvalidName for no right, InvalidRight for a right that
 * is no send right or a send right to a dead port (a dead name),
 * InvalidCapability for a send right to another kind of port.
 */
template <typename Fn>
Kr with_semaphore(Task &caller, u32 name, Fn fn)
{
	if (!Name{name}.valid())
		return Kr::InvalidName;
	Kr kr = Kr::Success;
	bool named = caller.space().with_send(Name{name}, [&](Port &port) {
		Semaphore *semaphore = port.semaphore_named();
		if (semaphore)
			kr = fn(*semaphore);
		else
			kr = port.dead() ? Kr::InvalidRight : Kr::InvalidCapability;
	});
	if (named)
		return kr;
	u32 type;
	return caller.space().type(Name{name}, &type) == Kr::Success ? Kr::InvalidRight :
								       Kr::InvalidName;
}

/* The same, for a caller that keeps it: a reference in *semaphore. */
Kr semaphore_named(Task &caller, u32 name, Ref<Semaphore> *semaphore);

/*
 * MACH_IOC_SEMAPHORE, decoded and carried out: the ioctl's value (a
 * kern_return_t, or -errno). A wait cut short by a stop or an abort of
 * the thread rewrites args to what is left of it (a plain wait, for
 * what remains of its time) and asks for the call to be restarted.
 */
long semaphore_ioctl(Task &caller, mach_semaphore_args &args);

} /* namespace mach */

#endif /* MACH_CORE_SEMA_CALLS_H */
