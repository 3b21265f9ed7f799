/*
 * libmach: <mach/mach_norma.h> -- NORMA multi-node task calls (OSF).
 *
 * In libmach a node is a NUMA node of the host; child_node is its number.
 */
#ifndef _MACH_MACH_NORMA_H_
#define _MACH_MACH_NORMA_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>

_MACH_BEGIN_DECLS

/* As task_create() (no ledgers), with the child placed on child_node. */
kern_return_t norma_task_create(task_t parent_task, boolean_t inherit_memory, int child_node,
                                task_t *child_task);

/* A copy of task, created on child_node. */
kern_return_t norma_task_clone(task_t task, boolean_t inherit_memory, int child_node, task_t *child_task);

/* Migrate task to child_node. */
kern_return_t norma_task_teleport(task_t task, boolean_t inherit_memory, int child_node, task_t *child_task);

/* Node the caller runs on. */
kern_return_t norma_node_self(host_t host, int *node);

/* Node on which task_create() on target_task places children. */
kern_return_t task_set_child_node(task_t target_task, int child_node);

_MACH_END_DECLS

#endif /* _MACH_MACH_NORMA_H_ */
