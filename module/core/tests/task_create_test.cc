// SPDX-License-Identifier: GPL-2.0
// Unit tests of task creation's plan: what the core asks the host to do
// for each form of task_create, decided before anything is made.
#include <gtest/gtest.h>

#include "../task_create.h"

using namespace mach;

namespace {

TaskCreate asked(bool inherit, bool clone = false, bool teleport = false)
{
	TaskCreate c{};
	c.inherit_memory = inherit;
	c.clone = clone;
	c.teleport = teleport;
	c.on_node = clone || teleport;
	c.node = 1;
	return c;
}

TEST(TaskPlan, PlainTaskCreateIsACopyOrNothingAnywhere)
{
	for (bool inherit : {false, true}) {
		mach_task_plan p = plan_task(asked(inherit), true);
		EXPECT_EQ(inherit, bool(p.inherit_memory));
		EXPECT_EQ(-1, p.node);
		EXPECT_FALSE(p.clone || p.parent_held || p.teleport || p.credentials);
	}
}

TEST(TaskPlan, CloneSharesAndHoldsAParentWithPrivateMemory)
{
	mach_task_plan p = plan_task(asked(true, true), true);
	EXPECT_TRUE(p.clone);
	EXPECT_TRUE(p.parent_held);
	EXPECT_FALSE(p.teleport);
	EXPECT_EQ(1, p.node);
	// A second clone: nothing private is left to make shared.
	p = plan_task(asked(true, true), false);
	EXPECT_TRUE(p.clone);
	EXPECT_FALSE(p.parent_held);
	// norma_task_clone(FALSE): an empty task on the node.
	p = plan_task(asked(false, true), true);
	EXPECT_FALSE(p.clone || p.parent_held);
	EXPECT_EQ(1, p.node);
}

TEST(TaskPlan, TeleportClonesAndNeverHoldsItsParentThatWay)
{
	mach_task_plan p = plan_task(asked(true, false, true), true);
	EXPECT_TRUE(p.teleport);
	EXPECT_TRUE(p.clone);
	EXPECT_FALSE(p.parent_held);	// it is suspended for good instead
	p = plan_task(asked(false, false, true), true);
	EXPECT_TRUE(p.teleport);
	EXPECT_FALSE(p.clone);
}

TEST(TaskPlan, OnlyARequestByMessageIsForkedByTheAgent)
{
	EXPECT_FALSE(plan_task(asked(true), true).by_agent);
	TaskCreate c = asked(false);
	c.by_message = true;
	EXPECT_TRUE(plan_task(c, true).by_agent);
}

TEST(TaskPlan, ATokenGivesTheProcessItsIds)
{
	TaskCreate c = asked(true);
	c.granted = true;
	c.tokens.security[0] = 1000;
	c.tokens.security[1] = 100;
	mach_task_plan p = plan_task(c, true);
	EXPECT_TRUE(p.credentials);
	EXPECT_EQ(1000u, p.uid);
	EXPECT_EQ(100u, p.gid);
}

} // namespace
