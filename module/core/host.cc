// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "host.h"
#include "task.h"

namespace mach {
namespace {

/* Set once at init, cleared at exit: no lock needed in between. */
Port *host_ports[static_cast<u32>(HostPort::Count)];
ExceptionPorts *host_exceptions;	/* likewise; the table has its own lock */

/* XNU's host_basic_info, packed to 4 bytes as there. */
struct [[gnu::packed]] BasicInfo {
	u32 max_cpus;
	u32 avail_cpus;
	u32 memory_size;	/* capped at 2 GiB */
	u32 cpu_type;
	u32 cpu_subtype;
	u32 cpu_threadtype;
	u32 physical_cpu;
	u32 physical_cpu_max;
	u32 logical_cpu;
	u32 logical_cpu_max;
	u64 max_mem;
};
static_assert(sizeof(BasicInfo) == 12 * sizeof(u32));
constexpr u32 basic_info_old_count = 5;	/* HOST_BASIC_INFO_OLD_COUNT */
constexpr u32 cpu_type_x86_64 = 7 | 0x01000000;	/* CPU_TYPE_X86 | CPU_ARCH_ABI64 */
constexpr u32 cpu_subtype_x86_64_all = 3;

/* HOST_NODE_INFO: the nodes norma_task_create() takes. */
struct NodeInfo {		/* a value: its builder's only */
	u32 node_count;		/* online nodes */
	u32 node_max;		/* every node id is below this */
};

template <typename T>
u32 emit(const T &info, u32 *out)
{
	__builtin_memcpy(out, &info, sizeof(info));
	return sizeof(info) / sizeof(u32);
}

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

HostPort host_port_of(const Port *port)
{
	for (u32 i = 0; i < static_cast<u32>(HostPort::Count); i++)
		if (port && host_ports[i] == port)
			return static_cast<HostPort>(i);
	return HostPort::Count;
}

Kr host_special_port(HostPort held, bool privileged, s32 node, u32 which,
		     TransitRight *out)
{
	/* A port of another kind converts to no host at all, as in MIG. */
	bool authority = held == HostPort::Priv ||
			 (held == HostPort::Host && privileged);
	if (!authority || node != host_local_node || which > HostSpecialPortMax)
		return Kr::InvalidArgument;
	switch (which) {
	case HostSecurityPort:
		*out = host_port(HostPort::Security);
		break;
	case HostNamePort:
		*out = host_port(HostPort::Host);
		break;
	case HostPrivPort:
		*out = host_port(HostPort::Priv);
		break;
	default:
		break;		/* no server registered there */
	}
	return Kr::Success;
}

Kr host_exception_ports(HostPort held, ExceptionPorts **table)
{
	*table = held == HostPort::Priv ? host_exceptions : nullptr;
	return *table ? Kr::Success : Kr::InvalidArgument;
}

bool host_exception_handler(u32 type, ExceptionHandler *out)
{
	*out = {};
	return host_exceptions && host_exceptions->handler(type, out);
}

bool host_exceptions_set()
{
	return host_exceptions && host_exceptions->mask() != 0;
}

Kr host_info(u32 flavor, u32 *out, u32 *count)
{
	mach_host_facts facts{};
	mach_shim_host_facts(&facts);

	switch (flavor) {
	case HostBasicInfo: {
		if (*count < basic_info_old_count)
			return Kr::Failure;
		constexpr u64 two_gib = 2ull << 30;
		u64 memory = facts.memory_bytes;
		BasicInfo info{facts.cpus_possible, facts.cpus_online,
			       static_cast<u32>(memory < two_gib ? memory : two_gib),
			       cpu_type_x86_64, cpu_subtype_x86_64_all, 0,
			       facts.cpus_online, facts.cpus_possible,
			       facts.cpus_online, facts.cpus_possible, memory};
		u32 n = emit(info, out);
		/* A caller with room for the old layout gets only that. */
		*count = *count < n ? basic_info_old_count : n;
		return Kr::Success;
	}
	case HostNodeInfo:
		if (*count < sizeof(NodeInfo) / sizeof(u32))
			return Kr::Failure;
		*count = emit(NodeInfo{facts.nodes_online, facts.node_ids}, out);
		return Kr::Success;
	default:
		return Kr::InvalidArgument;
	}
}

} /* namespace mach */

using namespace mach;

extern "C" int mach_core_init(void)
{
	const Object objects[] = { Object::Host, Object::Host, Object::Host,
				   Object::Ledger, Object::Ledger };
	static_assert(sizeof(objects) / sizeof(objects[0]) ==
		      static_cast<u32>(HostPort::Count));
	int err = mach_shim_cache_create(MACH_KIND_TASK, sizeof(Task));
	if (!err)
		err = mach_shim_cache_create(MACH_KIND_PORT, sizeof(Port));
	if (err)
		return err;
	host_exceptions = make<ExceptionPorts>();
	if (!host_exceptions || !host_exceptions->ok()) {
		mach_core_exit();
		return -MACH_ENOMEM;
	}
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
	/* The handlers' rights first: their no-senders notices still go out. */
	if (host_exceptions) {
		destroy(host_exceptions);
		host_exceptions = nullptr;
	}
	for (Port *&port : host_ports) {
		if (port) {
			port->kill();	/* every send right left is a dead name */
			port->put();
			port = nullptr;
		}
	}
}
