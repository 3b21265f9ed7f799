// SPDX-License-Identifier: GPL-2.0
/* resolve.cc - from the port a call names to the object it acts on. */
#include "resolve.h"

namespace mach {

Kr task_of(Task &caller, Port &port, Kr not_a_task, Ref<Task> *task, u64 *program,
	   bool queued)
{
	*task = port.task();
	if (!*task)
		return port.dead() ? Kr::SendInvalidDest : not_a_task;
	/* The caller runs its own program: 0 asks the host for no check. */
	if (program)
		*program = 0;
	if (task->get() == &caller)
		return Kr::Success;
	u64 gen = queued ? (*task)->program_queued() : (*task)->program();
	/* Checked after the generation: a renewal in between killed the port. */
	if (!gen || port.dead()) {
		*task = Ref<Task>{};
		return Kr::SendInvalidDest;
	}
	if (program)
		*program = gen;
	return Kr::Success;
}

Kr resolve_task(Task &caller, u32 name, Kr not_a_task, Ref<Task> *task, u64 *program,
		bool queued)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	return task_of(caller, *port.get(), not_a_task, task, program, queued);
}

Kr task_name_of(Task &caller, Port &port, Ref<Task> *task)
{
	Kr kr = task_of(caller, port, Kr::InvalidArgument, task);
	if (kr != Kr::InvalidArgument)
		return kr;
	*task = port.task_named();
	if (!*task)
		return Kr::InvalidArgument;
	/*
	 * An exec not yet seen is seen now (and renews the task), so that
	 * task_info's tokens are the new program's, not those given the old.
	 */
	if (task->get() != &caller)
		(*task)->notice_exec();
	return Kr::Success;
}

Kr resolve_task_name(Task &caller, u32 name, Ref<Task> *task)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	return task_name_of(caller, *port.get(), task);
}

Kr thread_of(Task &caller, Port &port, Ref<Thread> *thread)
{
	*thread = port.thread();
	if (!*thread)
		return port.dead() ? Kr::SendInvalidDest : Kr::InvalidArgument;
	Task *task = (*thread)->task();
	if (task == &caller)
		return Kr::Success;
	/* Checked after the generation: a renewal in between killed the port. */
	if (!task->program() || port.dead()) {
		*thread = Ref<Thread>{};
		return Kr::SendInvalidDest;
	}
	return Kr::Success;
}

Kr resolve_thread(Task &caller, u32 name, Ref<Thread> *thread)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	return thread_of(caller, *port.get(), thread);
}

namespace {

/* An ordinary live port: no kernel object's, so the call goes to it. */
bool ordinary(Port &port)
{
	return !port.is_kernel() && !port.dead();
}

} /* namespace */

Kr resolve_target_task(Task &caller, u32 name, Kr not_a_task, Ref<Task> *task,
		       u64 *program, bool queued)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	if (ordinary(*port.get()))
		return Kr::NotKernelObject;
	return task_of(caller, *port.get(), not_a_task, task, program, queued);
}

Kr resolve_target_task_name(Task &caller, u32 name, Ref<Task> *task)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	if (ordinary(*port.get()))
		return Kr::NotKernelObject;
	return task_name_of(caller, *port.get(), task);
}

Kr resolve_target_thread(Task &caller, u32 name, Ref<Thread> *thread)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	if (ordinary(*port.get()))
		return Kr::NotKernelObject;
	return thread_of(caller, *port.get(), thread);
}

Kr resolve_host(Task &caller, u32 name, HostPort *held)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port || port->dead())
		return Kr::SendInvalidDest;
	*held = host_port_of(port.get());
	return Kr::Success;
}

Kr resolve_target_host(Task &caller, u32 name, HostPort *held)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (port && ordinary(*port.get()))
		return Kr::NotKernelObject;
	return resolve_host(caller, name, held);
}

Kr exception_target_of(Task &caller, Port &port, ExceptionLevel level,
		       ExceptionTarget *target)
{
	Kr kr;
	switch (level) {
	case ExceptionLevel::Task:
		kr = task_of(caller, port, Kr::InvalidArgument, &target->task);
		if (kr == Kr::Success)
			target->table = &target->task->exception_ports();
		return kr;
	case ExceptionLevel::Thread:
		kr = thread_of(caller, port, &target->thread);
		if (kr == Kr::Success)
			target->table = &target->thread->exception_ports();
		return kr;
	default:
		if (port.dead())
			return Kr::SendInvalidDest;
		return host_exception_ports(host_port_of(&port), &target->table);
	}
}

Kr resolve_target_exceptions(Task &caller, u32 name, ExceptionLevel level,
			     ExceptionTarget *target)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	if (ordinary(*port.get()))
		return Kr::NotKernelObject;
	return exception_target_of(caller, *port.get(), level, target);
}

HostPort host_to_give(Task &caller, u32 name)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	return host_port_of(port.get()) == HostPort::Priv ? HostPort::Priv : HostPort::Host;
}

} /* namespace mach */
