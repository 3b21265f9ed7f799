/*
 * libmach: <mach/mach_traps.h> -- the port-returning Mach traps.
 */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <mach/_mach_cdefs.h>
#include <mach/clock_types.h>
#include <mach/kern_return.h>
#include <mach/port.h>

_MACH_BEGIN_DECLS

/* A new send right to the calling task's own port (caller owns a reference). */
mach_port_name_t task_self_trap(void);

/* A new send right to the calling thread's own port. */
mach_port_name_t thread_self_trap(void);

/* A new send right to the host port. */
mach_port_name_t host_self_trap(void);

/* A new receive right for use as a reply port; MACH_PORT_NULL if none could be made. */
mach_port_name_t mach_reply_port(void);

/* The pid of the process behind a task (XNU's trap; 0 if not visible). */
kern_return_t pid_for_task(mach_port_name_t t, int *x);

/* XNU's semaphore traps: <mach/semaphore.h>'s calls, on names. */
kern_return_t semaphore_signal_trap(mach_port_name_t signal_name);
kern_return_t semaphore_signal_all_trap(mach_port_name_t signal_name);
kern_return_t semaphore_signal_thread_trap(mach_port_name_t signal_name,
					   mach_port_name_t thread_name);
kern_return_t semaphore_wait_trap(mach_port_name_t wait_name);
kern_return_t semaphore_wait_signal_trap(mach_port_name_t wait_name,
					 mach_port_name_t signal_name);
kern_return_t semaphore_timedwait_trap(mach_port_name_t wait_name, unsigned int sec,
				       clock_res_t nsec);
kern_return_t semaphore_timedwait_signal_trap(mach_port_name_t wait_name,
					      mach_port_name_t signal_name,
					      unsigned int sec, clock_res_t nsec);

/*
 * XNU's traps for a process's task port (*t: a new send right in the
 * caller's space), made on the caller's own task port (target_tport).
 * Linux's policy decides: task_for_pid gives the control port only where
 * the caller may ptrace-attach the process (its real ids, Yama's
 * ptrace_scope, the LSMs: what ptrace(2) would allow), task_name_for_pid
 * the name port (inspection only) where the caller may read its
 * /proc/PID/status. Otherwise KERN_FAILURE and *t MACH_PORT_NULL, as on
 * XNU. A process that is no Mach task yet becomes one.
 */
kern_return_t task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t);
kern_return_t task_name_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *tn);

_MACH_END_DECLS

#endif /* _MACH_MACH_TRAPS_H_ */
