/*
 * libmach: <mach/semaphore.h> -- Mach semaphores, as XNU has them.
 *
 * A semaphore is a kernel port: semaphore_t is a send right to it. It
 * is made in a task (semaphore_create, <mach/task.h>) and belongs to it:
 * only that task destroys it (semaphore_destroy, which also takes the
 * caller's right), and it is destroyed when the task ends. Its names
 * may be sent to other tasks, which signal and wait on it as its own
 * task does. It is freed once no name of it is left.
 *
 * Every call answers KERN_TERMINATED on a destroyed semaphore (its
 * waiters wake with it), KERN_INVALID_NAME, KERN_INVALID_RIGHT or
 * KERN_INVALID_CAPABILITY for a name that is no right, no send right,
 * or a send right to another kind of port. A wait ends with
 * KERN_ABORTED when the thread is to handle a signal, or is aborted
 * (thread_abort); a thread stopped (thread_suspend, task_suspend) while
 * it waits goes on waiting once resumed.
 */
#ifndef _MACH_SEMAPHORE_H_
#define _MACH_SEMAPHORE_H_

#include <mach/_mach_cdefs.h>
#include <mach/clock_types.h>
#include <mach/kern_return.h>
#include <mach/mach_types.h>
#include <mach/port.h>
#include <mach/sync_policy.h>

_MACH_BEGIN_DECLS

/* Wakes the first waiter (in the semaphore's policy), or counts one more. */
kern_return_t semaphore_signal(semaphore_t semaphore);

/* Wakes every waiter; the count stays as it is. */
kern_return_t semaphore_signal_all(semaphore_t semaphore);

/*
 * Wakes thread if it waits on the semaphore, or any one waiter if thread
 * is THREAD_NULL; KERN_NOT_WAITING (nothing counted) if there is none.
 * KERN_INVALID_ARGUMENT if thread names no thread.
 */
kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread);

/* Takes one from the count, waiting for a signal while it is zero. */
kern_return_t semaphore_wait(semaphore_t semaphore);

/*
 * The same, for wait_time at most: KERN_OPERATION_TIMED_OUT then. A time
 * of zero never waits; KERN_INVALID_VALUE for tv_nsec out of range.
 */
kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time);

/*
 * Waits on wait_semaphore and signals signal_semaphore in one step: the
 * caller is waiting before the signal is given, so that whoever it lets
 * go can answer at once.
 */
kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore);
kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
					 semaphore_t signal_semaphore,
					 mach_timespec_t wait_time);

_MACH_END_DECLS

#endif /* _MACH_SEMAPHORE_H_ */
