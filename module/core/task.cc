// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "task.h"

namespace mach {

Task *Task::create(mach_task_os *os)
{
	Task *task = make<Task>(os);
	if (!task) {
		mach_shim_task_free(os);
		return nullptr;
	}
	if (task->lock_.ok() && task->space_.ok())
		task->port_ = Port::create_for_task(task);
	if (!task->port_) {
		task->put();
		return nullptr;
	}
	return task;
}

Task::~Task()
{
	terminate();
	mach_shim_task_free(os_);
}

void Task::put()
{
	if (refs_.put())
		destroy(this);
}

void Task::terminate()
{
	Port *port, *bootstrap;
	{
		if (!lock_.ok())
			return;
		Guard g(lock_);
		port = port_;
		port_ = nullptr;
		bootstrap = bootstrap_;
		bootstrap_ = nullptr;
	}
	if (port) {
		/* Every send right to the task port is a dead name from now. */
		port->kill();
		port->put();
	}
	if (bootstrap)
		bootstrap->drop(TransitRight{bootstrap, MoveSend});
	space_.destroy();
}

Kr Task::get_special(u32 which, TransitRight *right)
{
	*right = {};
	Guard g(lock_);
	Port *port;
	switch (which) {
	case TaskKernelPort:
		port = port_;
		break;
	case TaskBootstrapPort:
		port = bootstrap_;
		break;
	case TaskHostPort:
	case TaskNamePort:
	case TaskWiredLedgerPort:
	case TaskPagedLedgerPort:
		return Kr::NotSupported;	/* the tasks issue */
	default:
		return Kr::InvalidArgument;
	}
	if (port) {
		port->get();
		port->add_send();
		*right = TransitRight{port, MoveSend};
	}
	return Kr::Success;
}

Kr Task::set_special(u32 which, TransitRight right)
{
	if (which != TaskBootstrapPort) {
		if (right.port)
			right.port->drop(right);
		if (which == 0 || which > TaskSpecialPortMax)
			return Kr::InvalidArgument;
		return Kr::NotSupported;	/* the tasks issue */
	}
	Port *old;
	{
		Guard g(lock_);
		old = bootstrap_;
		bootstrap_ = right.port;
	}
	if (old)
		old->drop(TransitRight{old, MoveSend});
	return Kr::Success;
}

void Task::inherit_from(Task &parent)
{
	TransitRight bootstrap;
	if (parent.get_special(TaskBootstrapPort, &bootstrap) == Kr::Success &&
	    bootstrap.port)
		set_special(TaskBootstrapPort, bootstrap);
}

Ref<Port> Task::port()
{
	Guard g(lock_);
	return Ref<Port>::share(port_);
}

u32 Task::suspend_count()
{
	Guard g(lock_);
	return suspend_count_;
}

} /* namespace mach */

using mach::Task;

extern "C" mach_task *mach_task_create(mach_task_os *os)
{
	return Task::create(os);
}

extern "C" void mach_task_get(mach_task *task)
{
	Task::from(task)->get();
}

extern "C" void mach_task_put(mach_task *task)
{
	Task::from(task)->put();
}

extern "C" void mach_task_terminate(mach_task *task)
{
	Task::from(task)->terminate();
}

extern "C" void mach_task_inherit(mach_task *child, mach_task *parent)
{
	Task::from(child)->inherit_from(*Task::from(parent));
}

extern "C" void mach_task_sweep_space(mach_task *task)
{
	Task::from(task)->space().sweep();
}

extern "C" mach_size mach_core_object_size(mach_shim_kind kind)
{
	switch (kind) {
	case MACH_KIND_TASK:
		return sizeof(Task);
	case MACH_KIND_PORT:
		return sizeof(mach::Port);
	default:
		return 0;
	}
}
