/* SPDX-License-Identifier: GPL-2.0 */
/*
 * node.h - a new shell's NUMA node (node.c).
 */
#ifndef MACH_NODE_H
#define MACH_NODE_H

#include <linux/types.h>

struct mach_syscall;
struct mach_task_os;

/*
 * In a new shell placed on a node: its CPUs and memory policy, by the
 * steps this takes (node.c), as mach_shell_credentials_step().
 */
int mach_shell_place_step(struct mach_task_os *os, unsigned long stub,
			  unsigned int *step, long result, struct mach_syscall *next);

/*
 * Can a shell of parent's be placed on node for sure, so that its creator
 * need not wait for the answer? See node.c.
 */
bool mach_node_placement_sure(struct mach_task_os *parent, int node);

#endif /* MACH_NODE_H */
