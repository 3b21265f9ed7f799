// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "host.h"
#include "task.h"

namespace mach {
namespace {

/* Set once at init, cleared at exit: no lock needed in between. */
Port *host_ports[static_cast<u32>(HostPort::Count)];
ExceptionPorts *host_exceptions;	/* likewise; the table has its own lock */

/* The special ports host_set_special_port set: a send right each, or none. */
struct HostSpecial {
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;
	Lock lock{MACH_LOCK_HOST};
	Port *ports[HostSpecialPortMax + 1] = {};	/* under lock */
};
HostSpecial *host_special;	/* set at init, cleared at exit */

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

/* XNU's priorities (osfmk/kern/sched.h), what HOST_PRIORITY_INFO tells. */
struct PriorityInfo {
	u32 kernel_priority = 80;	/* MINPRI_KERNEL */
	u32 system_priority = 80;	/* MINPRI_KERNEL */
	u32 server_priority = 64;	/* MINPRI_RESERVED */
	u32 user_priority = 31;		/* BASEPRI_DEFAULT */
	u32 depress_priority = 0;	/* DEPRESSPRI */
	u32 idle_priority = 0;		/* IDLEPRI */
	u32 minimum_priority = 0;	/* MINPRI_USER */
	u32 maximum_priority = 79;	/* MAXPRI_RESERVED */
};

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
	default: {
		/* What host_set_special_port put there, if anything. */
		Guard g(host_special->lock);
		Port *port = host_special->ports[which];
		if (port) {
			port->get();
			port->add_send();
			*out = TransitRight{port, MoveSend};
		}
		break;
	}
	}
	return Kr::Success;
}

Kr host_set_special_port(HostPort held, bool privileged, u32 which, TransitRight port)
{
	Kr kr = Kr::Success;
	if (held != HostPort::Priv || which <= HostMaxKernelPort || which > HostSpecialPortMax)
		kr = Kr::InvalidArgument;
	else if (which == HostNodePort)
		kr = Kr::NotSupported;
	else if (!privileged)
		kr = Kr::NoAccess;
	if (kr != Kr::Success) {
		if (port.port)
			port.port->drop(port);
		return kr;
	}
	Port *old;
	{
		Guard g(host_special->lock);
		old = host_special->ports[which];
		host_special->ports[which] = port.port;
	}
	if (old)
		old->drop(TransitRight{old, MoveSend});
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
	case HostSchedInfo: {
		/* No fixed quantum in Linux: its tick, what a timeout rounds to. */
		constexpr u32 sched_info_count = 2;
		if (*count < sched_info_count)
			return Kr::Failure;
		mach_host_load load{};
		mach_shim_host_load(&load);
		const u32 sched[sched_info_count] = {load.tick_ms, load.tick_ms};
		*count = emit(sched, out);
		return Kr::Success;
	}
	case HostPriorityInfo:
		if (*count < sizeof(PriorityInfo) / sizeof(u32))
			return Kr::Failure;
		*count = emit(PriorityInfo{}, out);
		return Kr::Success;
	case HostPreferredUserArch: {
		constexpr u32 arch_count = 2;
		if (*count < arch_count)
			return Kr::Failure;
		const u32 arch[arch_count] = {cpu_type_x86_64, cpu_subtype_x86_64_all};
		*count = emit(arch, out);
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
	/* Clocks and the processor set are host objects: they never die. */
	const Object objects[] = { Object::Host, Object::Host, Object::Host,
				   Object::Ledger, Object::Ledger, Object::Host,
				   Object::Host, Object::Host, Object::Host };
	static_assert(sizeof(objects) / sizeof(objects[0]) ==
		      static_cast<u32>(HostPort::Count));
	int err = mach_shim_cache_create(MACH_KIND_TASK, sizeof(Task));
	if (!err)
		err = mach_shim_cache_create(MACH_KIND_PORT, sizeof(Port));
	if (err)
		return err;
	host_exceptions = make<ExceptionPorts>();
	host_special = make<HostSpecial>();
	if (!host_exceptions || !host_exceptions->ok() || !host_special ||
	    !host_special->lock.ok()) {
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
	if (host_special) {
		for (Port *port : host_special->ports)
			if (port)
				port->drop(TransitRight{port, MoveSend});
		destroy(host_special);
		host_special = nullptr;
	}
	for (Port *&port : host_ports) {
		if (port) {
			port->kill();	/* every send right left is a dead name */
			port->put();
			port = nullptr;
		}
	}
}
