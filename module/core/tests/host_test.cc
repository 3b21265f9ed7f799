// SPDX-License-Identifier: GPL-2.0
// Unit tests of the host's calls: who reaches the privileged and security
// ports, host_info's layouts, and the tokens a task is given.
#include <gtest/gtest.h>

#include "../core.h"
#include "../host.h"
#include "../task.h"
#include "../uapi.h"
#include "one_task.h"
#include "shim_user.h"

using namespace mach;

namespace {

class Host : public OneTask {
protected:
	u32 host = 0;

	void SetUp() override
	{
		ASSERT_EQ(0, mach_core_init());
		OneTask::SetUp();
		task->start_from_host();
		mach_special_port_args get{self, TaskHostPort, 0, 0};
		ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &get));
		host = get.port;
	}
	void release() override { mach_core_exit(); }
	Kr special(u32 from, s32 node, u32 which, u32 *port)
	{
		mach_host_args a{};
		a.op = MACH_HOST_GET_SPECIAL_PORT;
		a.host = from;
		a.node = node;
		a.which = which;
		Kr kr = Kr(ioctl(MACH_IOC_NR_HOST, &a));
		*port = a.port;
		return kr;
	}
	Port *port_of(u32 name) { return task->space().lookup_send(Name{name}).get(); }
};

TEST_F(Host, PrivilegedPortsNeedThePrivilegeOrThePrivilegedPort)
{
	u32 priv, security, again;

	shim_user::privileged = false;
	EXPECT_EQ(Kr::InvalidArgument, special(host, host_local_node, HostPrivPort, &priv));
	EXPECT_EQ(0u, priv);
	EXPECT_EQ(Kr::InvalidArgument, special(host, host_local_node, HostSecurityPort, &security));

	shim_user::privileged = true;
	ASSERT_EQ(Kr::Success, special(host, host_local_node, HostPrivPort, &priv));
	EXPECT_EQ(HostPort::Priv, host_port_of(port_of(priv)));
	// Holding the privileged port is the authority from then on.
	shim_user::privileged = false;
	ASSERT_EQ(Kr::Success, special(priv, host_local_node, HostSecurityPort, &security));
	EXPECT_EQ(HostPort::Security, host_port_of(port_of(security)));
	ASSERT_EQ(Kr::Success, special(priv, host_local_node, HostNamePort, &again));
	EXPECT_EQ(host, again);		// coalesced into the name we hold
	// A slot no server filled; bad ids and nodes; not a host at all.
	ASSERT_EQ(Kr::Success, special(priv, host_local_node, HostSpecialPortMax, &again));
	EXPECT_EQ(0u, again);
	EXPECT_EQ(Kr::InvalidArgument, special(priv, host_local_node, HostSpecialPortMax + 1, &again));
	EXPECT_EQ(Kr::InvalidArgument, special(priv, 0, HostPrivPort, &again));
	EXPECT_EQ(Kr::InvalidArgument, special(security, host_local_node, HostPrivPort, &again));
	EXPECT_EQ(Kr::InvalidArgument, special(self, host_local_node, HostPrivPort, &again));
	EXPECT_EQ(Kr::SendInvalidDest, special(4321, host_local_node, HostPrivPort, &again));
}

TEST_F(Host, BasicInfoInBothLayoutsAndTheNodes)
{
	u32 info[host_info_max_count];
	mach_host_args a{};
	a.op = MACH_HOST_INFO;
	a.host = host;
	a.which = HostBasicInfo;
	a.count = host_info_max_count;
	a.data = reinterpret_cast<u64>(info);
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &a));
	EXPECT_EQ(12u, a.count);
	EXPECT_EQ(4u, info[0]);		// max_cpus
	EXPECT_EQ(2u, info[1]);		// avail_cpus
	EXPECT_EQ(2u << 30, info[2]);	// memory_size: 3 GiB, capped
	u64 max_mem;
	memcpy(&max_mem, &info[10], sizeof(max_mem));
	EXPECT_EQ(3ull << 30, max_mem);

	a.count = 5;		// HOST_BASIC_INFO_OLD_COUNT
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &a));
	EXPECT_EQ(5u, a.count);
	a.count = 4;
	EXPECT_EQ(long(Kr::Failure), ioctl(MACH_IOC_NR_HOST, &a));
	a.count = host_info_max_count;
	a.which = HostNodeInfo;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &a));
	EXPECT_EQ(2u, a.count);
	EXPECT_EQ(2u, info[0]);
	a.which = 2;		// not a flavour we have
	EXPECT_EQ(long(Kr::InvalidArgument), ioctl(MACH_IOC_NR_HOST, &a));
	a.which = HostBasicInfo;
	a.host = self;
	EXPECT_EQ(long(Kr::InvalidArgument), ioctl(MACH_IOC_NR_HOST, &a));
	a.op = 99;
	EXPECT_EQ(-MACH_EINVAL, ioctl(MACH_IOC_NR_HOST, &a));
}

TEST_F(Host, TokensNeedTheSecurityPortAndAreInherited)
{
	u32 priv, security;
	ASSERT_EQ(Kr::Success, special(host, host_local_node, HostPrivPort, &priv));
	ASSERT_EQ(Kr::Success, special(priv, host_local_node, HostSecurityPort, &security));

	mach_tokens tokens = { { 501, 20 }, { 1, 501, 20, 501, 20, 77, 3, 0 } };
	mach_task_create_token_args c{};
	c.create.parent = self;
	c.create.inherit_memory = 1;
	c.host = priv;
	c.tokens = reinterpret_cast<u64>(&tokens);
	for (u32 wrong : { host, priv, self }) {
		c.host_security = wrong;
		EXPECT_EQ(long(Kr::InvalidSecurity), ioctl(MACH_IOC_NR_TASK_CREATE_TOKEN, &c));
		EXPECT_EQ(0u, c.create.child);
	}
	c.host_security = 4321;
	EXPECT_EQ(long(Kr::SendInvalidDest), ioctl(MACH_IOC_NR_TASK_CREATE_TOKEN, &c));
	c.host_security = security;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_TASK_CREATE_TOKEN, &c));
	ASSERT_NE(0u, c.create.child);

	Ref<Task> child = task->space().lookup_send(Name{c.create.child})->task();
	ASSERT_TRUE(child);
	EXPECT_TRUE(child->os()->has_credentials);
	EXPECT_EQ(501u, child->os()->uid);
	EXPECT_EQ(20u, child->os()->gid);
	Tokens seen;
	ASSERT_TRUE(child->given_tokens(&seen));
	EXPECT_EQ(0, memcmp(&seen, &tokens, sizeof(seen)));
	TransitRight child_host;
	ASSERT_EQ(Kr::Success, child->get_special(TaskHostPort, &child_host));
	EXPECT_EQ(HostPort::Priv, host_port_of(child_host.port));
	child_host.port->drop(child_host);
	// task_info answers with them.
	u32 info[8];
	mach_task_info_args ti{c.create.child, 15 /* TASK_AUDIT_TOKEN */, 8, 0,
			       reinterpret_cast<u64>(info)};
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(77u, info[5]);

	// A task made by the child has them too, and no credentials of its own.
	mach_task_os grandchild_os;
	Task grandchild_task(&grandchild_os);
	grandchild_task.inherit_from(*child.get(), true);
	ASSERT_TRUE(grandchild_task.given_tokens(&seen));
	EXPECT_EQ(501u, seen.security[0]);
	grandchild_task.terminate();

	// An exec: the new program's credentials speak again.
	ASSERT_TRUE(child->renew_port());
	EXPECT_FALSE(child->given_tokens(&seen));

	// Ids that are no ids are refused, and nothing is made.
	tokens.security[0] = ~0u;
	c.create.child = 0;
	EXPECT_EQ(long(Kr::InvalidArgument), ioctl(MACH_IOC_NR_TASK_CREATE_TOKEN, &c));
	EXPECT_EQ(0u, c.create.child);

	// host_security_set_task_token on ourselves: our messages carry them.
	mach_host_args set{};
	set.op = MACH_HOST_SET_TASK_TOKEN;
	set.host = priv;
	set.port = self;
	set.data = reinterpret_cast<u64>(&tokens);
	EXPECT_EQ(long(Kr::InvalidSecurity), ioctl(MACH_IOC_NR_HOST, &set));
	ASSERT_FALSE(task->given_tokens(&seen));
	set.host = security;
	tokens.security[0] = 42;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &set));
	ASSERT_TRUE(task->given_tokens(&seen));
	EXPECT_EQ(42u, seen.security[0]);
	child = Ref<Task>{};
}

} // namespace
