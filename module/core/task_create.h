/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_create.h - task_create, norma_task_create / clone / teleport and
 * host_security_create_task_token: one call that makes a task, planned
 * whole here and carried out by the host.
 */
#ifndef MACH_CORE_TASK_CREATE_H
#define MACH_CORE_TASK_CREATE_H

#include "host.h"
#include "task.h"

namespace mach {

/* What the caller asks for: the caller's only (on its stack). */
struct TaskCreate {
	bool inherit_memory;
	bool on_node;		/* norma_task_*: node is where it runs */
	u32 node;
	bool clone;		/* norma_task_clone */
	bool teleport;		/* norma_task_teleport */
	/* host_security_create_task_token's: its tokens and host port */
	bool granted;
	Tokens tokens;
	HostPort host;
	/* Two ledgers to hold (both live ledger ports), or none: the parent's */
	Ref<Port> ledgers[2];
	/*
	 * Asked by message, answered before the sender's mach_msg returns:
	 * no trampoline (the plan's by_agent), the child's right in transit.
	 */
	bool by_message;
};

/*
 * The plan of the new task: what Linux must do to make it. parent_private:
 * has the parent's program private memory a clone would make shared?
 */
mach_task_plan plan_task(const TaskCreate &create, bool parent_private);

/*
 * Makes the task, child of parent (whose process runs program, 0 for the
 * caller's own), and names it in caller's space: *child_name. *later:
 * the calling thread makes its process on its way out of the call (a
 * trampoline), and task_create_done() gives the answer then.
 */
Kr task_create(Task &caller, Task &parent, u64 program, TaskCreate &create,
	       u32 *child_name, bool *later);
/*
 * task_create() for a request served by message (create.by_message):
 * the child's port comes back as a send right in transit, *child (for
 * the reply), named in no space, and the call is over when this returns.
 */
Kr task_create_right(Task &caller, Task &parent, u64 program, TaskCreate &create,
		     TransitRight *child);
/* The Kr for a host's -errno when it could not make a process or thread. */
Kr spawn_error(int err);
/*
 * A task_create the calling thread finished itself: err, the host's;
 * child, the task it was for.
 */
Kr task_create_done(Task &caller, u32 *child_name, int err, mach_task *child);

} /* namespace mach */

#endif /* MACH_CORE_TASK_CREATE_H */
