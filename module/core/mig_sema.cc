// SPDX-License-Identifier: GPL-2.0
/*
 * mig_sema.cc - semaphore_create (3418) and semaphore_destroy (3419)
 * of the task interface as messages (XNU's task.defs), served in
 * mig_task.cc's table: each request decoded into the call
 * sema_calls.cc makes.
 */
#include "mig.h"
#include "port.h"
#include "sema.h"

namespace mach {

/* policy and value after NDR; the semaphore's send right is the reply. */
Kr mig_semaphore_create(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return kr;
	TransitRight right;
	kr = Semaphore::create(*task.get(), static_cast<s32>(call.in32(mig_args)),
			       static_cast<s32>(call.in32(mig_args + 4)), &right);
	if (kr != Kr::Success)
		return kr;
	/* No room for the reply: the semaphore, without senders, ends. */
	return call.out_port(right) ? Kr::Success : Kr::ResourceShortage;
}

/*
 * The semaphore in a port descriptor, moved (semaphore_consume_ref_t),
 * nothing after it: the right is consumed whatever the answer.
 */
Kr mig_semaphore_destroy(MigCall &call)
{
	if (!call.complex(1, sizeof(MsgHeader) + 4 + 12))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	Ref<Task> task;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return kr;
	TransitRight right = call.take_right(0);
	if (!right.port)
		return Kr::InvalidArgument;
	Ref<Semaphore> semaphore = right.port->semaphore();
	kr = semaphore ? semaphore->destroy(*task.get()) : Kr::InvalidArgument;
	right.port->drop(right);
	return kr;
}

} /* namespace mach */
