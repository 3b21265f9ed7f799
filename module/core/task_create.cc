// SPDX-License-Identifier: GPL-2.0
/*
 * task_create.cc - making a task: what it inherits, where it runs, how
 * its memory comes to it, as whom it runs; then the host makes it.
 */
#include "task_create.h"

namespace mach {
namespace {

/*
 * Where the new task's send right goes: a name in the caller's space (the
 * ioctl's answer), or a right in transit (a message's reply).
 */
struct ChildRight {
	u32 *name;		/* the ioctl's, or null */
	TransitRight *right;	/* a message's, if no name */
	/* The port the name was given for, once it was. */
	Ref<Port> named;

	Kr give(Task &caller, Port &port)
	{
		if (!name) {
			port.get();
			port.make_send();
			*right = TransitRight{&port, MoveSend};
			return Kr::Success;
		}
		Name made{Name::null};
		Kr kr = caller.space().make_send(&port, &made);
		*name = made.value;
		if (kr == Kr::Success)
			named = Ref<Port>::share(&port);
		return kr;
	}

	/* No task after all: the right given for it goes. */
	void take_back(Task &caller)
	{
		if (!name) {
			if (right->port)
				right->port->drop(*right);
			*right = {};
			return;
		}
		/* Only while it is the child's: the program may have reused it. */
		if (named)
			caller.space().take_back(Name{*name}, named.get());
		*name = Name::null;
	}
};

/*
 * The end of a task_create whose process came to be (err 0) or not. A
 * teleport then ends its parent (program is the one it runs, 0 for the
 * caller's own task, which then ends here); child is given for it.
 */
Kr finish(Task &caller, const mach_task_plan &plan, Task &parent, u64 program,
	  Task *child, ChildRight given, int err)
{
	/* Killed: a held parent is the glue's to resume (shim.h). */
	bool resume = err != -MACH_EINTR;
	if (plan.parent_held) {
		if (resume)
			parent.resume();
		parent.end_wait();
	}
	if (!err && plan.teleport) {
		/*
		 * The child is made: its parent ends (the caller too, if that
		 * is its own task). One that will not end is a failure.
		 */
		bool self = &parent == &caller;
		if (mach_shim_task_teleport_end(parent.os(), self ? 0 : program, child)) {
			/* Nobody is told of the child: it ends unnamed. */
			parent.release_teleport();
			given.take_back(caller);
			return Kr::Failure;
		}
	}
	if (!err)
		return Kr::Success;
	/* A teleport that made nothing lets its parent run on. */
	if (plan.teleport) {
		parent.release_teleport();
		if (resume)
			parent.resume();
	}
	/* No process: the task died with it; take back our name for it. */
	given.take_back(caller);
	return spawn_error(err);
}

Kr make(Task &caller, Task &parent, u64 program, TaskCreate &create, ChildRight given,
	bool *later);

} /* namespace */

Kr spawn_error(int err)
{
	switch (err) {
	case -MACH_ENOMEM:
	case -MACH_EAGAIN:
		return Kr::ResourceShortage;
	case -MACH_EINTR:
		return Kr::Aborted;
	default:
		return Kr::Failure;
	}
}

mach_task_plan plan_task(const TaskCreate &create, bool parent_private)
{
	mach_task_plan plan{};
	plan.inherit_memory = create.inherit_memory;
	plan.node = create.on_node ? static_cast<s32>(create.node) : -1;
	/*
	 * A teleport's parent runs nothing from the moment it is cloned: what
	 * it would write, the clone would not see (see clone.c).
	 */
	plan.teleport = create.teleport;
	/*
	 * norma_task_clone(FALSE) is an empty task on the node: no sharing.
	 * A clone's parent is held, every thread stopped, while its private
	 * memory becomes shared (a store meanwhile would be lost); not when it
	 * has none left (a second clone), and a teleport's is for good.
	 */
	plan.clone = (create.clone || create.teleport) && create.inherit_memory;
	plan.parent_held = plan.clone && !create.teleport && parent_private;
	/* A message's sender waits in mach_msg: no trampoline can answer it. */
	plan.by_agent = create.by_message;
	/* Its process is to run as its security token says. */
	if (create.granted) {
		plan.credentials = true;
		plan.uid = create.tokens.security[0];
		plan.gid = create.tokens.security[1];
	}
	return plan;
}

Kr task_create(Task &caller, Task &parent, u64 program, TaskCreate &create,
	       u32 *child_name, bool *later)
{
	*child_name = Name::null;
	return make(caller, parent, program, create, ChildRight{child_name, nullptr, {}}, later);
}

Kr task_create_right(Task &caller, Task &parent, u64 program, TaskCreate &create,
		     TransitRight *child)
{
	*child = {};
	create.by_message = true;
	bool later;
	return make(caller, parent, program, create, ChildRight{nullptr, child, {}}, &later);
}

namespace {

Kr make(Task &caller, Task &parent, u64 program, TaskCreate &create, ChildRight given,
	bool *later)
{
	*later = false;
	/* A plain task_create on a task given a child node places it there. */
	if (!create.on_node && parent.child_node() >= 0) {
		create.on_node = true;
		create.node = static_cast<u32>(parent.child_node());
	}
	/* A node that is not there, or has no memory or no CPU: nothing made. */
	if (create.on_node && !mach_shim_node_usable(create.node))
		return Kr::InvalidArgument;
	bool parent_private = (create.clone || create.teleport) && create.inherit_memory &&
			      !create.teleport &&
			      mach_shim_task_memory_private(parent.os(), program);
	mach_task_plan plan = plan_task(create, parent_private);
	plan.parent = parent.os();

	mach_task_os *os = nullptr;
	int err = mach_shim_task_prepare(&plan, &os);
	if (err)
		return err == -MACH_EINVAL ? Kr::InvalidArgument : Kr::ResourceShortage;
	/* The task is whole before its process exists: nothing can see it. */
	Ref<Task> child = Ref<Task>::adopt(Task::create(os));
	if (!child)
		return Kr::ResourceShortage;
	mach_task *made = child.get();
	child->inherit_from(parent, true);
	if (create.granted) {
		child->set_tokens(create.tokens);
		child->set_special(TaskHostPort, host_port(create.host));
	}
	for (u32 i = 0; i < 2 && create.ledgers[1]; i++) {
		create.ledgers[i]->get();
		create.ledgers[i]->add_send();
		child->set_special(TaskWiredLedgerPort + i,
				   TransitRight{create.ledgers[i].get(), MoveSend});
	}
	Ref<Port> port = child->port();
	Kr kr = given.give(caller, *port.get());
	if (kr != Kr::Success)
		return kr;

	/* (What a teleport's parent wrote after the fork, the clone would not see.) */
	if (plan.teleport || plan.parent_held) {
		Kr held = parent.suspend_and_wait();
		if (held != Kr::Success) {
			given.take_back(caller);
			/* (Not suspended: it is ending.) */
			return held == Kr::Aborted ? held : Kr::InvalidArgument;
		}
		/* A second teleport of the task finds it on its way out. */
		bool second = plan.teleport && !parent.claim_teleport();
		if (plan.teleport)
			parent.end_wait();	/* it stays suspended */
		if (second) {
			parent.resume();
			given.take_back(caller);
			return Kr::InvalidArgument;
		}
	}
	err = mach_shim_task_spawn(parent.os(), program, made);
	if (err == MACH_LATER) {
		*later = true;
		return Kr::Success;
	}
	return finish(caller, plan, parent, program, child.get(), given, err);
}

} /* namespace */

Kr task_create_done(Task &caller, u32 *child_name, int err, mach_task *child)
{
	/*
	 * Only the caller's own task is cloned from in place, never to
	 * teleport, nor with its threads held: the plain plan of its own.
	 */
	mach_task_plan plan{};
	ChildRight given{child_name, nullptr, {}};
	given.named = Task::from(child)->port();
	return finish(caller, plan, caller, 0, nullptr, given, err);
}

} /* namespace mach */
