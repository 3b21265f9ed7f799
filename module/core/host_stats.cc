// SPDX-License-Identifier: GPL-2.0
#include "host.h"
#include "host_stats.h"

namespace mach {
namespace {

constexpr u32 load_scale = 1000;	/* LOAD_SCALE */
constexpr u32 fixed_1 = 1 << 11;	/* Linux's 1.0 in avenrun */
/* XNU's ticks are of its hz, 100 a second: 10 ms each. */
constexpr u64 tick_ns = 10000000;
constexpr u32 cpu_state_max = 4;	/* CPU_STATE_USER, SYSTEM, IDLE, NICE */

/* host_load_info: load averages and Mach factors, scaled by LOAD_SCALE. */
struct LoadInfo {
	u32 avenrun[3];
	u32 mach_factor[3];
};

/* vm_statistics: the 32-bit counts, in three revisions. */
struct VmInfo {
	u32 free_count, active_count, inactive_count, wire_count;
	u32 zero_fill_count, reactivations, pageins, pageouts;
	u32 faults, cow_faults, lookups, hits;
	u32 purgeable_count, purges;	/* rev1 */
	u32 speculative_count;		/* rev2 */
};
constexpr u32 vm_info_rev0_count = 12, vm_info_rev1_count = 14, vm_info_rev2_count = 15;
static_assert(sizeof(VmInfo) == vm_info_rev2_count * 4);

/* vm_statistics64, naturally aligned as XNU lays it out. */
struct VmInfo64 {
	u32 free_count, active_count, inactive_count, wire_count;
	u64 zero_fill_count, reactivations, pageins, pageouts;
	u64 faults, cow_faults, lookups, hits, purges;
	u32 purgeable_count, speculative_count;
	/* rev1 */
	u64 decompressions, compressions, swapins, swapouts;
	u32 compressor_page_count, throttled_count;
	u32 external_page_count, internal_page_count;
	u64 total_uncompressed_pages_in_compressor;
};
constexpr u32 vm_info64_rev0_count = 24, vm_info64_rev1_count = 38;
static_assert(sizeof(VmInfo64) == vm_info64_rev1_count * 4);
static_assert(vm_info64_rev1_count == host_stats_max_count);

/* processor_basic_info and processor_cpu_load_info, in words. */
constexpr u32 processor_basic_count = 5, processor_load_count = cpu_state_max;

template <typename T>
void emit(const T &info, u32 *out)
{
	__builtin_memcpy(out, &info, sizeof(info));
}

u32 clamp32(u64 value)
{
	return value > 0xffffffffull ? 0xffffffffu : static_cast<u32>(value);
}

/*
 * XNU's Mach factor of a load: the CPUs left over, or when there are more
 * runnable threads than CPUs, the share of one that each thread gets.
 */
u32 mach_factor(u64 load, u32 cpus)
{
	u64 all = static_cast<u64>(cpus) * load_scale;
	return clamp32(load > all ? all * load_scale / (load + load_scale) : all - load);
}

LoadInfo load_info()
{
	mach_host_load load{};
	mach_shim_host_load(&load);
	LoadInfo info{};
	for (u32 i = 0; i < 3; i++) {
		u64 scaled = (load.avenrun[i] * load_scale + fixed_1 / 2) / fixed_1;
		info.avenrun[i] = clamp32(scaled);
		info.mach_factor[i] = mach_factor(scaled, load.cpus_online);
	}
	return info;
}

/* Whatever the kernel holds beyond its LRU lists and free pages is wired. */
u64 wired(const mach_host_vm &vm)
{
	u64 listed = vm.free + vm.active + vm.inactive;
	return vm.total > listed ? vm.total - listed : 0;
}

VmInfo64 vm_info64()
{
	mach_host_vm vm{};
	mach_shim_host_vm(&vm);
	VmInfo64 info{};
	info.free_count = clamp32(vm.free);
	info.active_count = clamp32(vm.active);
	info.inactive_count = clamp32(vm.inactive);
	info.wire_count = clamp32(wired(vm));
	info.reactivations = vm.reactivations;
	info.pageins = vm.major_faults;
	info.pageouts = vm.swapouts;
	info.faults = vm.faults;
	info.swapins = vm.swapins;
	info.swapouts = vm.swapouts;
	info.external_page_count = clamp32(vm.file);
	info.internal_page_count = clamp32(vm.anon);
	return info;
}

VmInfo vm_info()
{
	VmInfo64 wide = vm_info64();
	return VmInfo{wide.free_count, wide.active_count, wide.inactive_count,
		      wide.wire_count, clamp32(wide.zero_fill_count),
		      clamp32(wide.reactivations), clamp32(wide.pageins),
		      clamp32(wide.pageouts), clamp32(wide.faults),
		      clamp32(wide.cow_faults), clamp32(wide.lookups),
		      clamp32(wide.hits), wide.purgeable_count, clamp32(wide.purges),
		      wide.speculative_count};
}

/* A CPU's times as XNU's ticks, USER, SYSTEM, IDLE, NICE, added to ticks. */
void add_ticks(const mach_cpu_times &t, u32 *ticks)
{
	ticks[0] += static_cast<u32>(t.user_ns / tick_ns);
	ticks[1] += static_cast<u32>(t.system_ns / tick_ns);
	ticks[2] += static_cast<u32>(t.idle_ns / tick_ns);
	ticks[3] += static_cast<u32>(t.nice_ns / tick_ns);
}

void cpu_load_info(u32 *ticks)
{
	u32 ids = mach_shim_cpu_ids();
	for (u32 cpu = 0; cpu < ids; cpu++) {
		mach_cpu_times t{};
		mach_bool online;
		if (mach_shim_cpu_times(cpu, &t, &online))
			add_ticks(t, ticks);
	}
}

} /* namespace */

Kr host_statistics(u32 flavor, bool is64, u32 *out, u32 *count)
{
	switch (flavor) {
	case HostLoadInfo:
		if (*count < sizeof(LoadInfo) / 4)
			return Kr::Failure;
		emit(load_info(), out);
		*count = sizeof(LoadInfo) / 4;
		return Kr::Success;
	case HostVmInfo: {
		if (*count < vm_info_rev0_count)
			return Kr::Failure;
		emit(vm_info(), out);
		/* The newest revision that fits: its fields are the later ones. */
		*count = *count >= vm_info_rev2_count ? vm_info_rev2_count :
			 *count >= vm_info_rev1_count ? vm_info_rev1_count : vm_info_rev0_count;
		return Kr::Success;
	}
	case HostCpuLoadInfo: {
		if (*count < cpu_state_max)
			return Kr::Failure;
		u32 ticks[cpu_state_max] = {};
		cpu_load_info(ticks);
		emit(ticks, out);
		*count = cpu_state_max;
		return Kr::Success;
	}
	case HostVmInfo64:
		if (!is64)
			return Kr::InvalidArgument;
		if (*count < vm_info64_rev0_count)
			return Kr::Failure;
		emit(vm_info64(), out);
		*count = *count >= vm_info64_rev1_count ? vm_info64_rev1_count :
			 vm_info64_rev0_count;
		return Kr::Success;
	default:
		return Kr::InvalidArgument;
	}
}

Kr host_processor_info(u32 flavor, u32 *processors, u32 **info, u32 *words)
{
	*processors = 0;
	*info = nullptr;
	*words = 0;
	u32 per_cpu = flavor == ProcessorBasicInfo ? processor_basic_count :
		      flavor == ProcessorCpuLoadInfo ? processor_load_count : 0;
	if (!per_cpu)
		return Kr::Failure;
	u32 ids = mach_shim_cpu_ids();
	u32 *out = static_cast<u32 *>(mach_shim_alloc(MACH_KIND_MEMORY, 4ull * per_cpu * ids));
	if (!out)
		return Kr::ResourceShortage;
	u32 n = 0;
	for (u32 cpu = 0; cpu < ids; cpu++) {
		mach_cpu_times t{};
		mach_bool online;
		if (!mach_shim_cpu_times(cpu, &t, &online))
			continue;
		u32 *record = out + n * per_cpu;
		if (flavor == ProcessorBasicInfo) {
			/* cpu_type, cpu_subtype, running, slot_num, is_master */
			const u32 basic[processor_basic_count] = {
				cpu_type_x86_64, cpu_subtype_x86_64_all, online ? 1u : 0u,
				cpu, n == 0 ? 1u : 0u};
			emit(basic, record);
		} else {
			u32 ticks[cpu_state_max] = {};
			add_ticks(t, ticks);
			emit(ticks, record);
		}
		n++;
	}
	*processors = n;
	*info = out;
	*words = n * per_cpu;
	return Kr::Success;
}

} /* namespace mach */
