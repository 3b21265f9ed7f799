/*
 * libmach: <mach/task_special_ports.h> -- ids for task_{get,set}_special_port.
 *
 * Numbering of the OSF-era XNU headers, which the seed man pages use: ids 5
 * and 6 are the wired and paged ledger ports. Later XNU reuses exactly
 * those ids for TASK_INSPECT_PORT (5) and TASK_READ_PORT (6), so both of
 * those clash and libmach does not define them: task_get_special_port(5)
 * and (6) give the ledger ports. For inspection a task's name port
 * (TASK_NAME_PORT, or task_name_for_pid) serves: task_info, pid_for_task
 * and mach_task_is_self take it, and no call that changes the task does.
 */
#ifndef _MACH_TASK_SPECIAL_PORTS_H_
#define _MACH_TASK_SPECIAL_PORTS_H_

typedef int task_special_port_t;

#define TASK_KERNEL_PORT          1  /* the task's own control port */
#define TASK_HOST_PORT            2  /* the host port given to the task */
#define TASK_NAME_PORT            3  /* the task's name (unprivileged) port */
#define TASK_BOOTSTRAP_PORT       4  /* bootstrap environment */
#define TASK_WIRED_LEDGER_PORT    5  /* ledger for wired resources */
#define TASK_PAGED_LEDGER_PORT    6  /* ledger for paged resources */
#define TASK_SEATBELT_PORT        7  /* sandbox policy port */
#define TASK_GSSD_PORT            8  /* security-context daemon */
#define TASK_ACCESS_PORT          9  /* permission checks for task_for_pid */
#define TASK_DEBUG_CONTROL_PORT   10 /* debugger control */
#define TASK_RESOURCE_NOTIFY_PORT 11 /* resource-limit notifications */

#define TASK_MAX_SPECIAL_PORT TASK_RESOURCE_NOTIFY_PORT

/* Shorthands. */
#define task_get_kernel_port(task, port) \
	(task_get_special_port((task), TASK_KERNEL_PORT, (port)))
#define task_set_kernel_port(task, port) \
	(task_set_special_port((task), TASK_KERNEL_PORT, (port)))
#define task_get_host_port(task, port) \
	(task_get_special_port((task), TASK_HOST_PORT, (port)))
#define task_set_host_port(task, port) \
	(task_set_special_port((task), TASK_HOST_PORT, (port)))
#define task_get_bootstrap_port(task, port) \
	(task_get_special_port((task), TASK_BOOTSTRAP_PORT, (port)))
#define task_set_bootstrap_port(task, port) \
	(task_set_special_port((task), TASK_BOOTSTRAP_PORT, (port)))
#define task_get_wired_ledger_port(task, port) \
	(task_get_special_port((task), TASK_WIRED_LEDGER_PORT, (port)))
#define task_set_wired_ledger_port(task, port) \
	(task_set_special_port((task), TASK_WIRED_LEDGER_PORT, (port)))
#define task_get_paged_ledger_port(task, port) \
	(task_get_special_port((task), TASK_PAGED_LEDGER_PORT, (port)))
#define task_set_paged_ledger_port(task, port) \
	(task_set_special_port((task), TASK_PAGED_LEDGER_PORT, (port)))
#define task_get_gssd_port(task, port) \
	(task_get_special_port((task), TASK_GSSD_PORT, (port)))
#define task_set_gssd_port(task, port) \
	(task_set_special_port((task), TASK_GSSD_PORT, (port)))
#define task_get_task_access_port(task, port) \
	(task_get_special_port((task), TASK_ACCESS_PORT, (port)))
#define task_set_task_access_port(task, port) \
	(task_set_special_port((task), TASK_ACCESS_PORT, (port)))
#define task_get_debug_control_port(task, port) \
	(task_get_special_port((task), TASK_DEBUG_CONTROL_PORT, (port)))
#define task_set_task_debug_control_port(task, port) \
	(task_set_special_port((task), TASK_DEBUG_CONTROL_PORT, (port)))

#endif /* _MACH_TASK_SPECIAL_PORTS_H_ */
