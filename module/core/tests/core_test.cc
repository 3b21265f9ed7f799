// SPDX-License-Identifier: GPL-2.0
// Unit tests of the core: hash table, space, task, ioctl validation.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "../core.h"
#include "../hash_table.h"
#include "../space.h"
#include "../task.h"
#include "../task_info.h"
#include "../uapi.h"
#include "shim_user.h"

using namespace mach;

namespace {

// Every test must give back all it took.
class Core : public ::testing::Test {
protected:
	void TearDown() override
	{
		shim_user::reset();
		for (int k = 0; k < MACH_KIND_COUNT; k++)
			EXPECT_EQ(0, shim_user::live(mach_shim_kind(k))) << "kind " << k;
		EXPECT_EQ(0, shim_user::live_files());
	}
};

struct LiveTask {
	mach_task_os os;
	bool freed = false;
	Task *task;

	LiveTask()
	{
		os.freed = &freed;
		task = Task::create(&os);
	}
	~LiveTask()
	{
		if (task) {
			task->terminate();
			task->put();
		}
	}
	long ioctl(unsigned int nr, void *args) { return mach_core_ioctl(task, nr, args); }
	u32 self_name()
	{
		mach_task_self_args a{};
		EXPECT_EQ(0, ioctl(MACH_IOC_NR_TASK_SELF, &a));
		return a.name;
	}
};

TEST_F(Core, HashTableMatchesAModel)
{
	HashTable<u32, u32> table;
	std::map<u32, u32> model;
	std::mt19937 rng(42);

	for (int i = 0; i < 20000; i++) {
		u32 key = rng() % 512 + 1;
		if (rng() % 3) {
			if (!model.count(key)) {
				ASSERT_TRUE(table.insert(key, i));
				model[key] = i;
			}
		} else {
			table.erase(key);
			model.erase(key);
		}
		ASSERT_EQ(model.size(), table.count());
	}
	for (u32 key = 1; key <= 512; key++) {
		u32 *v = table.find(key);
		ASSERT_EQ(model.count(key) != 0, v != nullptr) << key;
		if (v) {
			EXPECT_EQ(model[key], *v);
		}
	}
}

TEST_F(Core, HashTableNeverFindsTheEmptyKey)
{
	HashTable<u32, u32> table;
	ASSERT_TRUE(table.insert(5, 1));
	EXPECT_EQ(nullptr, table.find(0));	// an empty slot is not key 0
	table.erase(0);
	EXPECT_EQ(1u, table.count());
}

TEST_F(Core, HashTableReportsOutOfMemory)
{
	HashTable<u32, u32> table;

	shim_user::fail_nth_allocation(1);
	EXPECT_FALSE(table.insert(1, 1));
	EXPECT_EQ(0u, table.count());
	EXPECT_TRUE(table.insert(1, 1));
}

TEST_F(Core, TaskPortNamesItsTask)
{
	LiveTask t;
	ASSERT_NE(nullptr, t.task);
	Ref<Port> port = t.task->port();
	ASSERT_TRUE(port);
	EXPECT_EQ(t.task, port->task().get());
}

TEST_F(Core, SendRightsCoalesceWithUrefs)
{
	LiveTask t;
	u32 a = t.self_name(), b = t.self_name();
	EXPECT_NE(0u, a);
	EXPECT_EQ(a, b);
	EXPECT_EQ(1u, t.task->space().count());
	EXPECT_EQ(Kr::Success, t.task->space().deallocate(Name{a}));
	EXPECT_TRUE(shim_user::fd_open(a));
	EXPECT_EQ(Kr::Success, t.task->space().deallocate(Name{a}));
	EXPECT_FALSE(shim_user::fd_open(a));
	EXPECT_EQ(Kr::InvalidName, t.task->space().deallocate(Name{a}));
}

TEST_F(Core, PortViewsShowNamesAsTheyStand)
{
	LiveTask t;
	u32 a = t.self_name();
	ASSERT_EQ(a, t.self_name());
	Name rn{};
	ASSERT_EQ(Kr::Success, t.task->space().allocate(PortRightReceive, &rn));
	u32 r = rn.value;
	ASSERT_EQ(2u, mach_task_port_views(t.task, nullptr, 0));
	mach_port_view v[2] = {};
	ASSERT_EQ(2u, mach_task_port_views(t.task, v, 2));
	mach_port_view *self = v[0].name == a ? &v[0] : &v[1];
	mach_port_view *recv = v[0].name == a ? &v[1] : &v[0];
	EXPECT_EQ(a, self->name);
	EXPECT_EQ(u32(RightSend), self->type);
	EXPECT_EQ(2u, self->urefs);
	EXPECT_EQ(1u, self->kernel);
	EXPECT_EQ(r, recv->name);
	EXPECT_EQ(u32(RightReceive), recv->type);
	EXPECT_EQ(0u, recv->kernel);
	EXPECT_EQ(0u, recv->msgcount);
	EXPECT_LT(0u, recv->qlimit);
	/* A capacity short of the count fills what fits, counts them all. */
	mach_port_view one[1] = {};
	EXPECT_EQ(2u, mach_task_port_views(t.task, one, 1));
	EXPECT_EQ(0u, mach_task_suspend_count(t.task));
	EXPECT_EQ(0u, mach_task_thread_count(t.task));
}

TEST_F(Core, UrefsOverflow)
{
	LiveTask t;
	u32 name = t.self_name();
	for (u32 i = 1; i < urefs_max; i++)
		ASSERT_EQ(name, t.self_name());
	mach_task_self_args a{};
	EXPECT_EQ(long(Kr::UrefsOverflow), t.ioctl(MACH_IOC_NR_TASK_SELF, &a));
}

TEST_F(Core, ClosedOrReplacedFdIsNoRight)
{
	LiveTask t;
	u32 name = t.self_name();
	shim_user::close_fd(name);
	EXPECT_FALSE(t.task->space().lookup_send(Name{name}));
	EXPECT_EQ(0u, t.task->space().count());

	name = t.self_name();
	shim_user::replace_fd(name);
	EXPECT_FALSE(t.task->space().lookup_send(Name{name}));
	// A fresh right takes another number; the unrelated fd stays open.
	u32 again = t.self_name();
	EXPECT_NE(name, again);
	EXPECT_TRUE(shim_user::fd_open(name));
}

TEST_F(Core, SweepDropsStaleRights)
{
	LiveTask t;
	u32 name = t.self_name();
	shim_user::close_fd(name);
	EXPECT_EQ(1u, t.task->space().count());
	t.task->space().sweep();
	EXPECT_EQ(0u, t.task->space().count());
}

TEST_F(Core, FdExhaustionIsNoSpace)
{
	LiveTask t;
	mach_task_self_args a{};
	shim_user::fail_fd_install(24 /* EMFILE */);
	EXPECT_EQ(long(Kr::NoSpace), t.ioctl(MACH_IOC_NR_TASK_SELF, &a));
	shim_user::fail_fd_install(MACH_ENOMEM);
	EXPECT_EQ(long(Kr::ResourceShortage), t.ioctl(MACH_IOC_NR_TASK_SELF, &a));
}

TEST_F(Core, TaskCreationFailsCleanly)
{
	// The task, its two locks, its space's lock, its port, the port's
	// lock and wait queue.
	for (int n = 1; n <= 7; n++) {
		mach_task_os os;
		bool freed = false;
		os.freed = &freed;
		shim_user::fail_nth_allocation(n);
		EXPECT_EQ(nullptr, Task::create(&os)) << n;
		EXPECT_TRUE(freed) << n;
	}
	shim_user::fail_nth_allocation(0);
}

TEST_F(Core, TerminatedTaskPortIsDead)
{
	LiveTask t;
	u32 name = t.self_name();
	Ref<Port> port = t.task->space().lookup_send(Name{name});
	ASSERT_TRUE(port);
	t.task->terminate();
	EXPECT_TRUE(port->dead());
	EXPECT_FALSE(port->task());
	EXPECT_EQ(0u, t.task->space().count());
	mach_task_self_args a{};
	EXPECT_EQ(long(Kr::InvalidTask), t.ioctl(MACH_IOC_NR_TASK_SELF, &a));
}

TEST_F(Core, IoctlRejectsMalformedRequests)
{
	LiveTask t;
	u32 self = t.self_name();
	u32 info[task_info_max_count];

	mach_task_self_args ts{0, 1};
	EXPECT_EQ(-MACH_EINVAL, t.ioctl(MACH_IOC_NR_TASK_SELF, &ts));
	mach_task_info_args ti{self, TaskBasicInfo64, 10, 1, (u64)info};
	EXPECT_EQ(-MACH_EINVAL, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	mach_port_deallocate_args pd{self, self, 0, 1};
	EXPECT_EQ(-MACH_EINVAL, t.ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &pd));
	EXPECT_EQ(-MACH_ENOTTY, t.ioctl(MACH_IOC_NR_COUNT, &pd));

	t.os.current = false;	// the fd reached another process
	EXPECT_EQ(-MACH_EBADF, t.ioctl(MACH_IOC_NR_TASK_SELF, &ts));
}

TEST_F(Core, TaskInfoFlavours)
{
	LiveTask t;
	u32 self = t.self_name();
	t.os.stats = {.virtual_bytes = 5ull << 32, .resident_bytes = 4096,
		      .resident_max_bytes = 8192, .dead_user_ns = 1500000000,
		      .dead_system_ns = 2000, .live_user_ns = 7000000000,
		      .live_system_ns = 999999999, .security = {1000, 100},
		      .audit = {1, 1000, 100, 1001, 101, 42, 7, 0}, .node = 1,
		      .minor_faults = 30, .major_faults = 2, .switches = 9,
		      .anon_bytes = 8192, .shmem_bytes = 4096, .file_bytes = 4096,
		      .swap_bytes = 4096, .min_address = 0, .max_address = 1ull << 47,
		      .regions = 5, .lp64 = true};
	u32 buf[64];

	mach_task_info_args ti{self, TaskBasicInfo64, 64, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(10u, ti.count);
	u64 vsize;
	memcpy(&vsize, &buf[1], 8);
	EXPECT_EQ(5ull << 32, vsize);
	EXPECT_EQ(1u, buf[5]);		// user_time.seconds
	EXPECT_EQ(500000u, buf[6]);	// user_time.microseconds
	EXPECT_EQ(0u, buf[7]);
	EXPECT_EQ(2u, buf[8]);		// system_time.microseconds
	EXPECT_EQ(1u, buf[9]);		// POLICY_TIMESHARE

	ti = {self, TaskBasicInfo32, 64, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(8u, ti.count);
	EXPECT_EQ(0xffffffffu, buf[1]);	// clamped, not wrapped

	ti = {self, MachTaskBasicInfo, 64, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(12u, ti.count);
	EXPECT_EQ(8192u, buf[4]);	// resident_size_max

	ti = {self, TaskThreadTimesInfo, 4, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(7u, buf[0]);
	EXPECT_EQ(999999u, buf[3]);

	ti = {self, TaskSecurityToken, 2, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(2u, ti.count);
	EXPECT_EQ(1000u, buf[0]);
	EXPECT_EQ(100u, buf[1]);
	ti = {self, TaskAuditToken, 8, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(8u, ti.count);
	EXPECT_EQ(42u, buf[5]);
	ti = {self, TaskAuditToken, 7, 0, (u64)buf};
	EXPECT_EQ(long(Kr::InvalidArgument), t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));

	ti = {self, TaskBasicInfo64, 9, 0, (u64)buf};
	EXPECT_EQ(long(Kr::InvalidArgument), t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));

	// The flavours XNU programs ask for, and their counts.
	u32 vm[task_info_max_count];
	ti = {self, TaskVmInfo, task_info_max_count, 0, (u64)vm};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(93u, ti.count);
	EXPECT_EQ(5u, vm[2]);				// region_count
	EXPECT_EQ(12288ull, vm[14] | (u64)vm[15] << 32);	// internal
	EXPECT_EQ(16384ull, vm[36] | (u64)vm[37] << 32);	// phys_footprint
	EXPECT_EQ(1ull << 47, vm[40] | (u64)vm[41] << 32);	// max_address
	ti = {self, TaskVmInfo, 41, 0, (u64)vm};	// rev1 fits, rev2 not
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(38u, ti.count);
	ti = {self, TaskVmInfo, 35, 0, (u64)vm};
	EXPECT_EQ(long(Kr::InvalidArgument), t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	ti = {self, TaskEventsInfo, 8, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(32u, buf[0]);		// faults
	EXPECT_EQ(2u, buf[1]);		// pageins
	EXPECT_EQ(9u, buf[7]);		// csw
	ti = {self, TaskAbsolutetimeInfo, 8, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(8500000000ull, buf[0] | (u64)buf[1] << 32);	// total_user
	EXPECT_EQ(7000000000ull, buf[4] | (u64)buf[5] << 32);	// threads_user
	ti = {self, TaskDyldInfo, 5, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(5u, ti.count);
	EXPECT_EQ(1u, buf[4]);		// TASK_DYLD_ALL_IMAGE_INFO_64
	ti = {self, TaskDyldInfo, 4, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(4u, ti.count);
	ti = {self, TaskPowerInfoV2, 22, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(20u, ti.count);
	ti = {self, TaskFlagsInfo, 1, 0, (u64)buf};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	EXPECT_EQ(3u, buf[0]);		// TF_LP64 | TF_64B_DATA
	ti = {self, 23, 64, 0, (u64)buf};	// TASK_VM_INFO_PURGEABLE: not served
	EXPECT_EQ(long(Kr::InvalidArgument), t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));

	ti = {self, 1234, 64, 0, (u64)buf};
	EXPECT_EQ(long(Kr::InvalidArgument), t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	ti = {self, TaskBasicInfo64, 64, 0, 0};
	EXPECT_EQ(-MACH_EFAULT, t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	ti = {self + 100, TaskBasicInfo64, 64, 0, (u64)buf};
	EXPECT_EQ(long(Kr::SendInvalidDest), t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
	t.os.alive = false;
	ti = {self, TaskBasicInfo64, 64, 0, (u64)buf};
	EXPECT_EQ(long(Kr::SendInvalidDest), t.ioctl(MACH_IOC_NR_TASK_INFO, &ti));
}

// task_suspend2's token: used by task_resume2's message, or dropped unused.
TEST_F(Core, SuspensionTokens)
{
	LiveTask t;
	u32 self = t.self_name();
	mach_task_control_args tc{self, MACH_TASK_SUSPEND2, 0, 0};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_CONTROL, &tc));
	u32 token = tc.value;
	ASSERT_NE(0u, token);
	EXPECT_EQ(1u, t.task->suspend_count());
	mach_task_control_args tc2{self, MACH_TASK_SUSPEND2, 0, 0};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_CONTROL, &tc2));
	EXPECT_NE(token, tc2.value);
	EXPECT_EQ(2u, t.task->suspend_count());

	// Dropped: the worker the host is asked for releases its hold.
	mach_port_deallocate_args pd{self, token, 0, 0};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &pd));
	EXPECT_EQ(1, t.os.resume_laters);
	EXPECT_EQ(2u, t.task->suspend_count());
	t.task->get();			// the worker's, as the kernel's shim keeps it
	mach_task_resume_dropped(t.task);
	EXPECT_EQ(1u, t.task->suspend_count());
	t.task->get();
	mach_task_resume_dropped(t.task);	// nothing more to release
	EXPECT_EQ(1u, t.task->suspend_count());

	// A name port suspends nothing; is_self takes it.
	mach_special_port_args sp{self, TaskNamePort, 0, 0};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_SPECIAL_PORT, &sp));
	mach_task_control_args bad{sp.port, MACH_TASK_SUSPEND2, 0, 0};
	EXPECT_EQ(long(Kr::InvalidArgument), t.ioctl(MACH_IOC_NR_TASK_CONTROL, &bad));
	mach_task_control_args is{sp.port, MACH_TASK_IS_SELF, 0, 0};
	ASSERT_EQ(0, t.ioctl(MACH_IOC_NR_TASK_CONTROL, &is));
	EXPECT_EQ(1u, is.value);
	// A value where the op takes none is malformed.
	mach_task_control_args junk{self, MACH_TASK_IS_SELF, 0, 5};
	EXPECT_EQ(-MACH_EINVAL, t.ioctl(MACH_IOC_NR_TASK_CONTROL, &junk));

	// The task's end kills the resume port: the other token is a dead name.
	t.task->terminate();
	mach_port_args type{};
	type.op = MACH_PORT_OP_TYPE;
	type.task = self;
	type.name = tc2.value;
	(void)t.ioctl(MACH_IOC_NR_PORT, &type);
	EXPECT_EQ(1, t.os.resume_laters);
}

// No process here: task_for_pid answers as XNU does for one it may not have.
TEST_F(Core, TaskForPidFails)
{
	LiveTask t;
	u32 self = t.self_name();
	mach_task_control_args tc{self, MACH_TASK_FOR_PID, 0, 42};
	EXPECT_EQ(long(Kr::Failure), t.ioctl(MACH_IOC_NR_TASK_CONTROL, &tc));
	EXPECT_EQ(0u, tc.value);
	mach_task_control_args bad{self + 100, MACH_TASK_NAME_FOR_PID, 0, 42};
	EXPECT_EQ(long(Kr::Failure), t.ioctl(MACH_IOC_NR_TASK_CONTROL, &bad));
}

TEST_F(Core, DeallocateThroughIoctl)
{
	LiveTask t;
	u32 self = t.self_name();
	mach_port_deallocate_args pd{self, 0, 0, 0};
	EXPECT_EQ(0, t.ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &pd));	// MACH_PORT_NULL
	pd.name = ~0u;
	EXPECT_EQ(0, t.ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &pd));	// MACH_PORT_DEAD
	pd.name = 77;
	EXPECT_EQ(long(Kr::InvalidName), t.ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &pd));
	pd.name = self;
	EXPECT_EQ(0, t.ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &pd));
	EXPECT_EQ(long(Kr::SendInvalidDest), t.ioctl(MACH_IOC_NR_PORT_DEALLOCATE, &pd));
}

TEST_F(Core, TaskOutlivesFilesAndPortsOutliveTask)
{
	bool freed = false;
	{
		LiveTask t;
		t.os.freed = &freed;
		u32 name = t.self_name();
		Ref<Port> port = t.task->space().lookup_send(Name{name});
		t.task->terminate();
		t.task->put();
		t.task = nullptr;
		EXPECT_TRUE(freed);
		EXPECT_TRUE(port->dead());	// the port is still here, dead
	}
}

} // namespace
