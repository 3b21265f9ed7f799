// SPDX-License-Identifier: GPL-2.0
// A fixture of the core's unit tests: one live task, the calling one, with
// its own task port's name; afterwards, nothing of the core may be left.
#ifndef MACH_CORE_TESTS_ONE_TASK_H
#define MACH_CORE_TESTS_ONE_TASK_H

#include <gtest/gtest.h>

#include "../core.h"
#include "../task.h"
#include "../uapi.h"
#include "shim_user.h"

class OneTask : public ::testing::Test {
protected:
	mach_task_os os;
	mach::Task *task = nullptr;
	mach::u32 self = 0;

	void SetUp() override
	{
		task = mach::Task::create(&os);
		ASSERT_NE(nullptr, task);
		mach_task_self_args a{};
		ASSERT_EQ(0, ioctl(MACH_IOC_NR_TASK_SELF, &a));
		self = a.name;
	}
	void TearDown() override
	{
		task->terminate();
		task->put();
		shim_user::reset();
		release();
		for (int k = 0; k < MACH_KIND_COUNT; k++)
			EXPECT_EQ(0, shim_user::live(mach_shim_kind(k))) << "kind " << k;
		EXPECT_EQ(0, shim_user::live_files());
	}
	// What a fixture made beyond the task goes here, before the count.
	virtual void release() {}

	long ioctl(unsigned int nr, void *args) { return mach_core_ioctl(task, nr, args); }
};

#endif
