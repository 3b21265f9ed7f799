// SPDX-License-Identifier: GPL-2.0
/*
 * node.c - NORMA's nodes are the host's NUMA nodes. A task placed on a
 * node runs on that node's CPUs, and the memory it allocates comes from
 * that node: its shell sets its own CPU affinity and binds its memory
 * policy before it is ready, and the threads it makes inherit both. Both
 * are the system calls', so that the cpuset, the LSMs and the memory
 * policy's own checks hold as for any program.
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
 * A shell keeps to the cpuset of the thread that forks it: the caller
 * itself, for a task its own task makes (the trampoline, or its agent in
 * the same cgroup). If node has CPUs the caller runs on now, which its
 * cpuset holds, sched_setaffinity() in the shell succeeds. Otherwise the
 * caller waits for the shell's answer (the cpuset may hold none of them).
 */
bool mach_node_placement_sure(struct mach_task_os *parent, int node)
{
	return parent && READ_ONCE(parent->pid) == task_tgid(current) &&
	       cpumask_intersects(cpumask_of_node(node), current->cpus_ptr);
}

/*
 * Called first with *step 0, then with each call's result: 1 with the
 * next call in *next, 0 when done, or -errno. sched_setaffinity() and
 * set_mempolicy() read their masks from user memory: the stub page holds
 * them for each node.
 */
int mach_shell_place_step(struct mach_task_os *os, unsigned long stub,
			  unsigned int *step, long result, struct mach_syscall *next)
{
	unsigned int words = mach_stub_cpu_words();

	if (os->numa_node == NUMA_NO_NODE)
		return 0;
	if (result)
		return result;
	switch ((*step)++) {
	case 0:
		if (!words)
			return -E2BIG;	/* more CPUs than the stub page has room for */
		next->nr = __NR_sched_setaffinity;
		next->args[0] = 0;
		next->args[1] = words * sizeof(u64);
		next->args[2] = stub + offsetof(struct mach_stub_page, node_cpus) +
				os->numa_node * words * sizeof(u64);
		return 1;
	case 1:
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
