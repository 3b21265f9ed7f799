// SPDX-License-Identifier: GPL-2.0
/*
 * node.c - NORMA's nodes are the host's NUMA nodes. A task placed on a
 * node runs on that node's CPUs, and the memory it allocates comes from
 * that node: its shell sets its own CPU affinity and binds its memory
 * policy before it is ready, and the threads it makes inherit both.
 */
#include <linux/cpumask.h>
#include <linux/mempolicy.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/topology.h>
#include <asm/unistd.h>

#include "node.h"
#include "stub.h"
#include "task_os.h"

mach_bool mach_shim_node_usable(u32 node)
{
	/* The stub holds a node mask for the first MACH_STUB_NODES only. */
	return node < MACH_STUB_NODES && node < nr_node_ids &&
	       node_online(node) && node_state(node, N_MEMORY) &&
	       cpumask_intersects(cpumask_of_node(node), cpu_online_mask);
}

/*
 * Called first with *step 0, then with each call's result: 1 with the
 * next call in *next, 0 when done, or -errno. set_mempolicy() reads its
 * node mask from user memory: the stub page holds one for each node.
 */
int mach_shell_place_step(struct mach_task_os *os, unsigned long stub,
			  unsigned int *step, long result, struct mach_syscall *next)
{
	int err;

	if (os->numa_node == NUMA_NO_NODE)
		return 0;
	if (result)
		return result;
	switch ((*step)++) {
	case 0:
		err = set_cpus_allowed_ptr(current, cpumask_of_node(os->numa_node));
		if (err)
			return err;
		next->nr = __NR_set_mempolicy;
		next->args[0] = MPOL_BIND;
		next->args[1] = stub + offsetof(struct mach_stub_page, node_masks) +
				os->numa_node * sizeof(u64);
		next->args[2] = MACH_STUB_NODES + 1;	/* the kernel reads one less */
		return 1;
	default:
		return 0;
	}
}
