// SPDX-License-Identifier: GPL-2.0
/*
 * mig_norma.cc - the NORMA calls as messages, numbered as OSF's
 * mach_norma interface (subsystem 555000): task_set_child_node 555000,
 * norma_task_clone 555005, norma_task_create 555006, norma_task_teleport
 * 555009. Each creation is decoded into the task_create() ioctl.cc makes.
 */
#include "mig.h"
#include "resolve.h"
#include "task_create.h"

namespace mach {
namespace {

/*
 * inherit_memory, then child_node: the child's port out. Made for a
 * message (task_create_right()): by the parent's agent, so that even the
 * sender's own task is made from before its mach_msg returns.
 */
Kr create_on_node(MigCall &call, bool clone, bool teleport)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	Ref<Task> parent;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &parent, &program);
	if (kr != Kr::Success)
		return kr;
	TaskCreate create{};
	create.inherit_memory = call.in32(mig_args) != 0;
	create.on_node = true;
	create.node = call.in32(mig_args + 4);
	create.clone = clone || teleport;
	create.teleport = teleport;
	TransitRight child;
	kr = task_create_right(call.caller, *parent.get(), program, create, &child);
	if (kr != Kr::Success)
		return kr;
	/* No room for the reply: the child, now without senders, ends. */
	return call.out_port(child) ? Kr::Success : Kr::ResourceShortage;
}

Kr clone_call(MigCall &call)
{
	return create_on_node(call, true, false);
}

Kr create_call(MigCall &call)
{
	return create_on_node(call, false, false);
}

Kr teleport_call(MigCall &call)
{
	return create_on_node(call, false, true);
}

/*
 * task_set_child_node(child_node): where task_create on the task places
 * its children from now (as norma_task_create would), -1 wherever Linux
 * does; a node not usable now (not there, no CPU or no memory) is
 * KERN_INVALID_ARGUMENT, as norma_task_create's.
 */
Kr set_child_node_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return kr;
	s32 node = static_cast<s32>(call.in32(mig_args));
	if (node != -1 && (node < 0 || !mach_shim_node_usable(static_cast<u32>(node))))
		return Kr::InvalidArgument;
	task->set_child_node(node);
	return Kr::Success;
}

/* A reply carrying one port descriptor. */
constexpr u32 port_reply = sizeof(MsgHeader) + 4 + 12;

constexpr MigRoutine routines[] = {
	{555000, mig_reply_error_size, set_child_node_call},
	{555005, port_reply, clone_call},
	{555006, port_reply, create_call},
	{555009, port_reply, teleport_call},
};

} /* namespace */

const MigRoutines mig_norma_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
