/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exception.h - a fault of a thread raised as a Mach exception: the
 * request XNU sends (exc.defs, mach_exc.defs), sent to the handler of
 * each level in turn, thread, task, then host, until one answers
 * KERN_SUCCESS; the faulting thread waits for each reply.
 */
#ifndef MACH_CORE_EXCEPTION_H
#define MACH_CORE_EXCEPTION_H

#include "base.h"
#include "resolve.h"
#include "task.h"
#include "thread.h"

namespace mach {

/* exc.defs (subsystem 2400) and mach_exc.defs (2405); replies at id + 100. */
enum ExceptionId : u32 {
	ExcRaise = 2401,
	ExcRaiseState = 2402,
	ExcRaiseStateIdentity = 2403,
	MachExcRaise = 2405,
	MachExcRaiseState = 2406,
	MachExcRaiseStateIdentity = 2407,
};
inline constexpr u32 exc_reply_offset = 100;

/* The formats raised here (exception_ports.h has the rest). */
inline constexpr u32 exception_state = 2;		/* EXCEPTION_STATE */
inline constexpr u32 exception_state_identity = 3;	/* EXCEPTION_STATE_IDENTITY */

/* EXCEPTION_CODE_MAX and the x86 THREAD_STATE_MAX a reply may carry. */
inline constexpr u32 exception_code_max = 2;
inline constexpr u32 reply_state_max = 614;

/*
 * The thread's fault as raised: the glue fills type and codes, and has
 * the thread's state read and written through the shim meanwhile.
 * true: a handler answered KERN_SUCCESS, and the thread goes on with its
 * state as it now is; false: none did (or the state it gave was refused),
 * and the fault becomes Linux's signal. *killed: the thread was killed
 * while it waited.
 */
bool raise_exception(Thread &thread, u32 type, const u64 code[exception_code_max],
		     bool *killed);

/*
 * target's handlers were set: the processes whose faults they may take
 * are armed (the task's, the thread's task's, or every task's for the
 * host), so that their faults reach raise_exception().
 */
void arm_exceptions(const ExceptionTarget &target);

} /* namespace mach */

#endif /* MACH_CORE_EXCEPTION_H */
