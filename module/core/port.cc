// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "port.h"
#include "task.h"

namespace mach {

Port *Port::create_for_task(Task *task)
{
	Port *port = make<Port>(task);
	if (port && !port->lock_.ok()) {
		destroy(port);
		port = nullptr;
	}
	return port;
}

void Port::put()
{
	if (refs_.put())
		destroy(this);
}

Ref<Task> Port::task()
{
	Guard g(lock_);
	/* The task clears kobject_ before its last reference can go. */
	return Ref<Task>::share(kobject_);
}

bool Port::dead()
{
	Guard g(lock_);
	return kobject_ == nullptr;
}

void Port::kill()
{
	Guard g(lock_);
	kobject_ = nullptr;
}

} /* namespace mach */

extern "C" void mach_port_get(mach_port *port)
{
	mach::Port::from(port)->get();
}

extern "C" void mach_port_put(mach_port *port)
{
	mach::Port::from(port)->put();
}
