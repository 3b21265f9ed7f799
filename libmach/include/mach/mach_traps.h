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

_MACH_END_DECLS

#endif /* _MACH_MACH_TRAPS_H_ */
