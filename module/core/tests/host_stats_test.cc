// SPDX-License-Identifier: GPL-2.0
// Unit tests of the host's statistics, processors, clocks, processor set
// and special ports, over the user shim's made-up host (shim_user.cc):
// XNU's layouts and errors, computed from Linux's kind of numbers.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include "../core.h"
#include "../host.h"
#include "../task.h"
#include "../uapi.h"
#include "one_task.h"
#include "shim_user.h"

using namespace mach;

namespace {

class HostStats : public OneTask {
protected:
	u32 host = 0, priv = 0;

	void SetUp() override
	{
		ASSERT_EQ(0, mach_core_init());
		OneTask::SetUp();
		task->start_from_host();
		mach_special_port_args get{self, TaskHostPort, 0, 0};
		ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &get));
		host = get.port;
		shim_user::privileged = true;
		mach_host_args a{};
		a.op = MACH_HOST_GET_SPECIAL_PORT;
		a.host = host;
		a.node = host_local_node;
		a.which = HostPrivPort;
		ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &a));
		priv = a.port;
		shim_user::privileged = false;
	}
	void release() override { mach_core_exit(); }

	long call(u32 op, u32 on, u32 which, u32 *words, u32 *count, u32 *port = nullptr)
	{
		mach_host_args a{};
		a.op = op;
		a.host = on;
		a.which = which;
		a.count = *count;
		a.port = port ? *port : 0;
		a.data = reinterpret_cast<u64>(words);
		long r = ioctl(MACH_IOC_NR_HOST, &a);
		*count = a.count;
		if (port)
			*port = a.port;
		last_data = a.data;
		return r;
	}
	u64 last_data = 0;
	HostPort kind(u32 name) { return host_port_of(task->space().lookup_send(Name{name}).get()); }
};

TEST_F(HostStats, LoadAndMachFactors)
{
	u32 w[38] = {}, count = 6;
	ASSERT_EQ(0, call(MACH_HOST_STATISTICS, host, 1, w, &count));
	EXPECT_EQ(6u, count);
	EXPECT_EQ(1500u, w[0]);		// 3072 / 2048, by LOAD_SCALE
	EXPECT_EQ(1000u, w[1]);
	EXPECT_EQ(500u, w[2]);
	EXPECT_EQ(500u, w[3]);		// 2 CPUs less 1.5 of load
	EXPECT_EQ(1000u, w[4]);
	EXPECT_EQ(1500u, w[5]);
	count = 5;
	EXPECT_EQ(long(Kr::Failure), call(MACH_HOST_STATISTICS, host, 1, w, &count));
	count = 6;
	EXPECT_EQ(long(Kr::InvalidHost), call(MACH_HOST_STATISTICS, self, 1, w, &count));
}

TEST_F(HostStats, VmInfoRevisionsAnd64)
{
	u32 w[38] = {}, count = 15;
	ASSERT_EQ(0, call(MACH_HOST_STATISTICS, host, 2, w, &count));
	EXPECT_EQ(15u, count);
	EXPECT_EQ(100u, w[0]);		// free
	EXPECT_EQ(300u, w[1]);		// active
	EXPECT_EQ(200u, w[2]);		// inactive
	EXPECT_EQ(400u, w[3]);		// wired: the rest of 1000
	EXPECT_EQ(11u, w[5]);		// reactivations
	EXPECT_EQ(50u, w[6]);		// pageins: major faults
	EXPECT_EQ(9u, w[7]);		// pageouts: swapped out
	EXPECT_EQ(5000u, w[8]);		// faults
	count = 13;
	ASSERT_EQ(0, call(MACH_HOST_STATISTICS, host, 2, w, &count));
	EXPECT_EQ(12u, count);
	count = 11;
	EXPECT_EQ(long(Kr::Failure), call(MACH_HOST_STATISTICS, host, 2, w, &count));
	count = 38;
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_STATISTICS, host, 4, w, &count));

	ASSERT_EQ(0, call(MACH_HOST_STATISTICS64, priv, 4, w, &count));
	EXPECT_EQ(38u, count);
	u64 faults, swapins;
	memcpy(&faults, &w[12], 8);
	memcpy(&swapins, &w[28], 8);
	EXPECT_EQ(5000u, faults);
	EXPECT_EQ(7u, swapins);
	EXPECT_EQ(150u, w[34]);		// external: file pages
	EXPECT_EQ(350u, w[35]);		// internal: anonymous
	count = 30;
	ASSERT_EQ(0, call(MACH_HOST_STATISTICS64, host, 4, w, &count));
	EXPECT_EQ(24u, count);
	count = 23;
	EXPECT_EQ(long(Kr::Failure), call(MACH_HOST_STATISTICS64, host, 4, w, &count));
	count = 38;
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_STATISTICS64, host, 5, w, &count));
}

TEST_F(HostStats, CpuTicksAndProcessors)
{
	u32 w[38] = {}, count = 4, processors = 0;
	ASSERT_EQ(0, call(MACH_HOST_STATISTICS, host, 3, w, &count));
	for (u32 s = 0; s < 4; s++)
		EXPECT_EQ(400u, w[s]);	// 1 s and 3 s at 100 ticks a second

	count = 0;
	ASSERT_EQ(0, call(MACH_HOST_PROCESSOR_INFO, host, 1, nullptr, &count, &processors));
	EXPECT_EQ(2u, processors);
	ASSERT_EQ(10u, count);
	const u32 *basic = reinterpret_cast<const u32 *>(last_data);
	EXPECT_EQ(1u, basic[2]);	// CPU 0 runs
	EXPECT_EQ(0u, basic[3]);
	EXPECT_EQ(1u, basic[4]);	// ... and is the boot CPU
	EXPECT_EQ(0u, basic[7]);	// CPU 2 is offline
	EXPECT_EQ(2u, basic[8]);
	EXPECT_EQ(0u, basic[9]);
	munmap(reinterpret_cast<void *>(last_data), 40);

	ASSERT_EQ(0, call(MACH_HOST_PROCESSOR_INFO, host, 2, nullptr, &count, &processors));
	ASSERT_EQ(8u, count);
	const u32 *ticks = reinterpret_cast<const u32 *>(last_data);
	EXPECT_EQ(100u, ticks[0]);
	EXPECT_EQ(300u, ticks[4]);
	munmap(reinterpret_cast<void *>(last_data), 32);

	EXPECT_EQ(long(Kr::Failure), call(MACH_HOST_PROCESSOR_INFO, host, 3, nullptr, &count,
					  &processors));
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_PROCESSOR_INFO, self, 1, nullptr,
						  &count, &processors));
}

TEST_F(HostStats, Clocks)
{
	u32 clock = 0, cal = 0, none = 0, w[2], count = 0;
	ASSERT_EQ(0, call(MACH_HOST_CLOCK_SERVICE, host, 0, nullptr, &count, &clock));
	ASSERT_EQ(0, call(MACH_HOST_CLOCK_SERVICE, priv, 1, nullptr, &count, &cal));
	EXPECT_EQ(HostPort::SystemClock, kind(clock));
	EXPECT_EQ(HostPort::CalendarClock, kind(cal));
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_CLOCK_SERVICE, host, 2, nullptr,
						  &count, &none));
	EXPECT_EQ(0u, none);
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_CLOCK_SERVICE, clock, 0, nullptr,
						  &count, &none));

	ASSERT_EQ(0, call(MACH_HOST_CLOCK_GET_TIME, clock, 0, w, &count));
	EXPECT_EQ(5u, w[0]);
	EXPECT_EQ(7u, w[1]);
	ASSERT_EQ(0, call(MACH_HOST_CLOCK_GET_TIME, cal, 0, w, &count));
	EXPECT_EQ(1700000000u, w[0]);
	EXPECT_EQ(123456789u, w[1]);
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_CLOCK_GET_TIME, host, 0, w, &count));

	count = 3;	// more room than clock_attr_t: one
	ASSERT_EQ(0, call(MACH_HOST_CLOCK_ATTRIBUTES, clock, 1, w, &count));
	EXPECT_EQ(1u, count);
	EXPECT_EQ(10000000u, w[0]);
	count = 1;
	ASSERT_EQ(0, call(MACH_HOST_CLOCK_ATTRIBUTES, cal, 4, w, &count));
	EXPECT_EQ(0u, w[0]);
	count = 0;
	EXPECT_EQ(long(Kr::Failure), call(MACH_HOST_CLOCK_ATTRIBUTES, clock, 1, w, &count));
	count = 1;
	EXPECT_EQ(long(Kr::InvalidValue), call(MACH_HOST_CLOCK_ATTRIBUTES, clock, 2, w, &count));
}

TEST_F(HostStats, ProcessorSetPorts)
{
	u32 name = 0, control = 0, w[5], count = 5;
	ASSERT_EQ(0, call(MACH_HOST_PSET_DEFAULT, host, 0, nullptr, &count, &name));
	EXPECT_EQ(HostPort::PsetName, kind(name));
	control = name;
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_PSET_PRIV, host, 0, nullptr, &count,
						  &control));
	EXPECT_EQ(0u, control);
	control = 4321;		// no right: the send of a stub would fail
	EXPECT_EQ(long(Kr::SendInvalidRight), call(MACH_HOST_PSET_PRIV, priv, 0, nullptr, &count,
						   &control));
	control = name;
	ASSERT_EQ(0, call(MACH_HOST_PSET_PRIV, priv, 0, nullptr, &count, &control));
	EXPECT_EQ(HostPort::PsetControl, kind(control));

	u32 got_host = 0;
	count = 5;
	ASSERT_EQ(0, call(MACH_HOST_PSET_INFO, name, 5, w, &count, &got_host));
	EXPECT_EQ(2u, count);
	EXPECT_EQ(2u, w[0]);		// CPUs online
	EXPECT_EQ(host, got_host);
	count = 1;
	EXPECT_EQ(long(Kr::Failure), call(MACH_HOST_PSET_INFO, name, 5, w, &count, &got_host));

	// The name port lists nothing; the control port every task (none here).
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_PSET_TASKS, name, 0, nullptr, &count));
	ASSERT_EQ(0, call(MACH_HOST_PSET_TASKS, control, 0, nullptr, &count));
	EXPECT_EQ(0u, count);
	EXPECT_EQ(0u, last_data);
}

TEST_F(HostStats, SetSpecialPort)
{
	// Any send right will do: the host name port's.
	u32 count = 0, in = host;
	EXPECT_EQ(long(Kr::NoAccess), call(MACH_HOST_SET_SPECIAL_PORT, priv, 18, nullptr, &count,
					   &in));
	// Only the administrator, on the privileged port, above the kernel's ids.
	shim_user::privileged = true;
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_SET_SPECIAL_PORT, host, 18, nullptr,
						  &count, &in));
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_SET_SPECIAL_PORT, priv, 7, nullptr,
						  &count, &in));
	EXPECT_EQ(long(Kr::InvalidArgument), call(MACH_HOST_SET_SPECIAL_PORT, priv, 27, nullptr,
						  &count, &in));
	EXPECT_EQ(long(Kr::NotSupported), call(MACH_HOST_SET_SPECIAL_PORT, priv, 26, nullptr,
					       &count, &in));
	ASSERT_EQ(0, call(MACH_HOST_SET_SPECIAL_PORT, priv, 18, nullptr, &count, &in));
	shim_user::privileged = false;

	mach_host_args a{};
	a.op = MACH_HOST_GET_SPECIAL_PORT;
	a.host = priv;
	a.node = host_local_node;
	a.which = 18;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &a));
	EXPECT_EQ(host, a.port);	// the right we gave, coalesced
	a.which = 19;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_HOST, &a));
	EXPECT_EQ(0u, a.port);
}

} // namespace
