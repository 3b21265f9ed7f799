/*
 * libmach: <mach/mach_norma.h> -- NORMA multi-node task calls (OSF).
 *
 * In libmach a node is a NUMA node of the host; child_node is its number.
 *
 * As messages, these are OSF's mach_norma interface (subsystem 555000),
 * numbered as there: task_set_child_node 555000 (NDR, then child_node;
 * a RetCode answers), norma_task_clone 555005, norma_task_create 555006,
 * norma_task_teleport 555009, each a request on the task (NDR, then
 * inherit_memory and child_node) answered by the child's send right in a
 * port descriptor. The kernel serves them on a task port; on any other
 * port libmach sends them to whoever holds its receive right.
 */
#ifndef _MACH_MACH_NORMA_H_
#define _MACH_MACH_NORMA_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>

_MACH_BEGIN_DECLS

/*
 * As task_create() with the parent's ledgers, the child placed on
 * child_node: its threads run only on that node's CPUs, and the memory it
 * allocates comes from that node. A node that does not exist, is offline,
 * or has no memory or no CPU: KERN_INVALID_ARGUMENT, nothing created.
 */
kern_return_t norma_task_create(task_t parent_task, boolean_t inherit_memory, int child_node,
                                task_t *child_task);

/*
 * A copy of task on child_node. inherit_memory TRUE: the child shares every
 * region of the parent whatever its inheritance (a private region becomes
 * shared once, contents kept), and both keep the parent's inheritance
 * (vm_region; a later task_create copies a COPY region). FALSE: an empty
 * address space. No threads; the child gets the parent's special and
 * registered ports, not its port space.
 */
kern_return_t norma_task_clone(task_t task, boolean_t inherit_memory, int child_node, task_t *child_task);

/*
 * norma_task_clone, then task is terminated (its port becomes a dead name)
 * and the pages only the child maps move to child_node. The child is
 * returned to the caller; a caller that teleports its own task ends with
 * it, and the call does not return.
 */
kern_return_t norma_task_teleport(task_t task, boolean_t inherit_memory, int child_node, task_t *child_task);

/* Node the caller runs on now (host must be a host port). */
kern_return_t norma_node_self(host_t host, int *node);

/*
 * Node on which task_create() on target_task places children from now
 * (as norma_task_create would), or -1: wherever Linux places them (the
 * default). KERN_INVALID_ARGUMENT for a node norma_task_create refuses.
 * A message (555000) to target_task, as OSF's.
 */
kern_return_t task_set_child_node(task_t target_task, int child_node);

_MACH_END_DECLS

#endif /* _MACH_MACH_NORMA_H_ */
