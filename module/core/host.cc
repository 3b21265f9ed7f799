// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "host.h"

namespace mach {
namespace {

/* Set once at init, cleared at exit: no lock needed in between. */
Port *host_ports[static_cast<u32>(HostPort::Count)];

} /* namespace */

TransitRight host_port(HostPort which)
{
	Port *port = host_ports[static_cast<u32>(which)];
	if (!port)
		return {};
	port->get();
	port->add_send();
	return TransitRight{port, MoveSend};
}

} /* namespace mach */

using namespace mach;

extern "C" int mach_core_init(void)
{
	const Object objects[] = { Object::Host, Object::Ledger, Object::Ledger };
	for (u32 i = 0; i < static_cast<u32>(HostPort::Count); i++) {
		host_ports[i] = Port::create_kernel(objects[i]);
		if (!host_ports[i]) {
			mach_core_exit();
			return -MACH_ENOMEM;
		}
	}
	return 0;
}

extern "C" void mach_core_exit(void)
{
	for (Port *&port : host_ports) {
		if (port) {
			port->kill();	/* every send right left is a dead name */
			port->put();
			port = nullptr;
		}
	}
}
