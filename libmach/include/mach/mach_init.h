/*
 * libmach: <mach/mach_init.h> -- the ports every task starts with.
 *
 * mach_task_self() is a function in libmach (XNU makes it a macro over a
 * variable); it returns the task's own port and never changes its
 * reference count, so it need not be deallocated.
 */
#ifndef _MACH_MACH_INIT_H_
#define _MACH_MACH_INIT_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>
#include <mach/mach_traps.h>

_MACH_BEGIN_DECLS

/* The calling task's own (control) port. */
mach_port_t mach_task_self(void);
/* Does task (its control, name or any other port) stand for the caller? */
boolean_t mach_task_is_self(task_name_t task);

/* A send right to the host port. */
mach_port_t mach_host_self(void);

/* A send right to the calling thread's port; deallocate it when done. */
mach_port_t mach_thread_self(void);

/* The task's bootstrap port, read at start-up (TASK_BOOTSTRAP_PORT). */
extern mach_port_t bootstrap_port;

_MACH_END_DECLS

#define current_task() mach_task_self()

/* Conventional slots of mach_ports_register() / mach_ports_lookup(). */
#define NAME_SERVER_SLOT      0
#define ENVIRONMENT_SLOT      1
#define SERVICE_SLOT          2
#define MACH_PORTS_SLOTS_USED 3

#endif /* _MACH_MACH_INIT_H_ */
