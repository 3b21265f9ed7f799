// SPDX-License-Identifier: GPL-2.0
#include "task_info.h"

namespace mach {
namespace {

using s64 = long long;

constexpr int policy_timeshare = 1;	/* POLICY_TIMESHARE */

struct TimeValue {		/* a value: its builder's only */
	int seconds;
	int microseconds;
};

#define MACH_INFO_PACKED __attribute__((packed, aligned(4)))

struct MACH_INFO_PACKED BasicInfo32 {
	int suspend_count;
	u32 virtual_size;
	u32 resident_size;
	TimeValue user_time;
	TimeValue system_time;
	int policy;
};

struct MACH_INFO_PACKED BasicInfo64 {
	int suspend_count;
	u64 virtual_size;
	u64 resident_size;
	TimeValue user_time;
	TimeValue system_time;
	int policy;
};

struct MACH_INFO_PACKED MachBasicInfo {
	u64 virtual_size;
	u64 resident_size;
	u64 resident_size_max;
	TimeValue user_time;
	TimeValue system_time;
	int policy;
	int suspend_count;
};

struct MACH_INFO_PACKED ThreadTimesInfo {
	TimeValue user_time;
	TimeValue system_time;
};

struct MACH_INFO_PACKED EventsInfo {
	int faults;
	int pageins;
	int cow_faults;
	int messages_sent;
	int messages_received;
	int syscalls_mach;
	int syscalls_unix;
	int csw;
};

struct MACH_INFO_PACKED AbsolutetimeInfo {	/* in ns: x86_64's timebase is 1/1 */
	u64 total_user;
	u64 total_system;
	u64 threads_user;
	u64 threads_system;
};

struct MACH_INFO_PACKED AffinityTagInfo {
	int set_count;
	int min;
	int max;
	int task_count;
};

struct MACH_INFO_PACKED DyldInfo {
	u64 all_image_info_addr;
	u64 all_image_info_size;
	int all_image_info_format;
};

struct MACH_INFO_PACKED PowerInfo {
	u64 total_user;
	u64 total_system;
	u64 task_interrupt_wakeups;
	u64 task_platform_idle_wakeups;
	u64 task_timer_wakeups_bin_1;
	u64 task_timer_wakeups_bin_2;
};

struct MACH_INFO_PACKED PowerInfoV2 {	/* x86_64's: no task_energy */
	PowerInfo cpu_energy;
	u64 gpu_energy[4];
	u64 task_ptime;
	u64 task_pset_switches;
};

struct MACH_INFO_PACKED VmInfo {
	u64 virtual_size;
	int region_count;
	int page_size;
	u64 resident_size;
	u64 resident_size_peak;
	u64 device, device_peak;
	u64 internal, internal_peak;
	u64 external, external_peak;
	u64 reusable, reusable_peak;
	u64 purgeable_volatile_pmap;
	u64 purgeable_volatile_resident;
	u64 purgeable_volatile_virtual;
	u64 compressed, compressed_peak, compressed_lifetime;
	/* rev1 */
	u64 phys_footprint;
	/* rev2 */
	u64 min_address, max_address;
	/* rev3: the footprint's peak, then 20 ledgers of tagged memory */
	s64 ledger_phys_footprint_peak;
	s64 ledgers[20];
	/* rev4 */
	u64 limit_bytes_remaining;
	/* rev5 */
	int decompressions;
	/* rev6 */
	s64 ledger_swapins;
	/* rev7 */
	s64 ledger_tag_neural_nofootprint_total;
	s64 ledger_tag_neural_nofootprint_peak;
};

/* TASK_VM_INFO's revisions, by the count each ends at. */
constexpr u32 vm_info_rev[] = {36, 38, 42, 84, 86, 87, 89, 93};
constexpr u32 dyld_info_legacy_count = 4;	/* before all_image_info_format */
constexpr u32 power_info_v2_old_count = 20;	/* before task_ptime */
constexpr int dyld_all_image_info_64 = 1;	/* TASK_DYLD_ALL_IMAGE_INFO_64 */
constexpr u32 tf_lp64 = 0x1, tf_64b_data = 0x2;	/* TF_LP64, TF_64B_DATA */

static_assert(sizeof(EventsInfo) == 8 * 4);
static_assert(sizeof(AbsolutetimeInfo) == 8 * 4);
static_assert(sizeof(AffinityTagInfo) == 4 * 4);
static_assert(sizeof(DyldInfo) == 5 * 4);
static_assert(sizeof(PowerInfo) == 12 * 4);
static_assert(sizeof(PowerInfoV2) == 24 * 4);
static_assert(sizeof(VmInfo) == 93 * 4);
static_assert(__builtin_offsetof(VmInfo, phys_footprint) == 36 * 4);
static_assert(__builtin_offsetof(VmInfo, ledger_phys_footprint_peak) == 42 * 4);
static_assert(__builtin_offsetof(VmInfo, limit_bytes_remaining) == 84 * 4);
static_assert(__builtin_offsetof(VmInfo, ledger_swapins) == 87 * 4);
static_assert(sizeof(BasicInfo32) == 8 * 4);
static_assert(sizeof(BasicInfo64) == 10 * 4);
static_assert(sizeof(MachBasicInfo) == 12 * 4);
static_assert(sizeof(ThreadTimesInfo) == 4 * 4);
static_assert(task_info_max_count * 4 == sizeof(VmInfo));

TimeValue time_value(u64 ns)
{
	return TimeValue{static_cast<int>(ns / 1000000000u),
			 static_cast<int>(ns % 1000000000u / 1000u)};
}

/* 32-bit callers see sizes clamped rather than wrapped. */
u32 clamp32(u64 v)
{
	return v > 0xffffffffu ? 0xffffffffu : static_cast<u32>(v);
}

template <typename T>
u32 emit(const T &info, u32 *out, u32 count = sizeof(T) / 4)
{
	__builtin_memcpy(out, &info, 4 * count);
	return count;
}

/* XNU's counters are ints that stop at INT32_MAX. */
int saturate(u64 v)
{
	return v > 0x7fffffffu ? 0x7fffffff : static_cast<int>(v);
}

EventsInfo events_info(const mach_task_stats &s, const TaskEvents &e)
{
	EventsInfo info{};
	info.faults = saturate(s.minor_faults + s.major_faults);
	info.pageins = saturate(s.major_faults);
	/* Linux counts no copy-on-write faults apart, nor system calls. */
	info.messages_sent = saturate(e.messages_sent);
	info.messages_received = saturate(e.messages_received);
	info.syscalls_mach = saturate(e.mach_calls);
	info.csw = saturate(s.switches);
	return info;
}

PowerInfo power_info(const mach_task_stats &s)
{
	/* Only the times: Linux counts no wake-ups by their cause. */
	PowerInfo info{};
	info.total_user = s.dead_user_ns + s.live_user_ns;
	info.total_system = s.dead_system_ns + s.live_system_ns;
	return info;
}

/*
 * internal: anonymous and shared memory; external: file pages. Linux
 * keeps no peaks of these, nor compresses: the footprint is what the
 * task's own memory takes, resident or swapped.
 */
u32 vm_info(const mach_task_stats &s, u32 capacity, u32 *out)
{
	VmInfo info{};
	info.virtual_size = s.virtual_bytes;
	info.region_count = saturate(s.regions);
	info.page_size = static_cast<int>(mach_shim_page_size());
	info.resident_size = s.resident_bytes;
	info.resident_size_peak = s.resident_max_bytes;
	info.internal = info.internal_peak = s.anon_bytes + s.shmem_bytes;
	info.external = info.external_peak = s.file_bytes;
	info.phys_footprint = s.anon_bytes + s.shmem_bytes + s.swap_bytes;
	info.min_address = s.min_address;
	info.max_address = s.max_address;
	info.ledger_phys_footprint_peak = static_cast<s64>(
		s.resident_max_bytes > info.phys_footprint ? s.resident_max_bytes :
							     info.phys_footprint);
	u32 count = vm_info_rev[0];
	for (u32 rev : vm_info_rev)
		if (capacity >= rev)
			count = rev;
	return emit(info, out, count);
}

} /* namespace */

u32 task_info_count(u32 flavor)
{
	switch (flavor) {
	case TaskAbsolutetimeInfo:
		return sizeof(AbsolutetimeInfo) / 4;
	case TaskEventsInfo:
		return sizeof(EventsInfo) / 4;
	case TaskBasic2Info32:
		return sizeof(BasicInfo32) / 4;
	case TaskAffinityTagInfo:
		return sizeof(AffinityTagInfo) / 4;
	case TaskDyldInfo:
		return dyld_info_legacy_count;
	case TaskPowerInfo:
		return sizeof(PowerInfo) / 4;
	case TaskVmInfo:
		return vm_info_rev[0];
	case TaskPowerInfoV2:
		return power_info_v2_old_count;
	case TaskFlagsInfo:
		return 1;
	case TaskBasicInfo32:
		return sizeof(BasicInfo32) / 4;
	case TaskBasicInfo64:
		return sizeof(BasicInfo64) / 4;
	case MachTaskBasicInfo:
		return sizeof(MachBasicInfo) / 4;
	case TaskThreadTimesInfo:
		return sizeof(ThreadTimesInfo) / 4;
	case TaskSecurityToken:
		return 2;
	case TaskAuditToken:
		return 8;
	case TaskNodeInfo:
		return 1;
	default:
		return 0;
	}
}

unsigned int task_info_needs(u32 flavor)
{
	constexpr unsigned int times = MACH_STATS_LIVE_TIMES | MACH_STATS_DEAD_TIMES;
	switch (flavor) {
	case TaskAbsolutetimeInfo:
	case TaskPowerInfo:
	case TaskPowerInfoV2:
		return times;
	case TaskEventsInfo:
		return MACH_STATS_EVENTS;
	case TaskVmInfo:
		return MACH_STATS_MEMORY | MACH_STATS_VM;
	case TaskDyldInfo:
	case TaskFlagsInfo:
		return MACH_STATS_ABI;
	case TaskAffinityTagInfo:
		return 0;
	default:
		break;
	}
	if (flavor == TaskThreadTimesInfo)
		return MACH_STATS_LIVE_TIMES;
	if (flavor == TaskSecurityToken || flavor == TaskAuditToken)
		return MACH_STATS_TOKENS;
	if (flavor == TaskNodeInfo)
		return MACH_STATS_NODE;
	return MACH_STATS_MEMORY | MACH_STATS_DEAD_TIMES;
}

/*
 * As on the anchors, the basic flavours' times are those of the task's
 * threads that have terminated; TASK_THREAD_TIMES_INFO has the live ones.
 */
u32 format_task_info(u32 flavor, const mach_task_stats &s, const TaskEvents &events,
		     u32 suspend_count, u32 capacity, u32 *out)
{
	int suspended = static_cast<int>(suspend_count);

	switch (flavor) {
	case TaskAbsolutetimeInfo:
		return emit(AbsolutetimeInfo{s.dead_user_ns + s.live_user_ns,
					     s.dead_system_ns + s.live_system_ns,
					     s.live_user_ns, s.live_system_ns}, out);
	case TaskEventsInfo:
		return emit(events_info(s, events), out);
	case TaskBasic2Info32:	/* the peak resident size */
		return emit(BasicInfo32{suspended, clamp32(s.virtual_bytes),
					clamp32(s.resident_max_bytes),
					time_value(s.dead_user_ns),
					time_value(s.dead_system_ns),
					policy_timeshare}, out);
	case TaskAffinityTagInfo:	/* no affinity sets: none is made */
		return emit(AffinityTagInfo{}, out);
	case TaskDyldInfo: {	/* no dyld, no images */
		DyldInfo info{0, 0, s.lp64 ? dyld_all_image_info_64 : 0};
		return emit(info, out, capacity >= sizeof(info) / 4 ? sizeof(info) / 4 :
								     dyld_info_legacy_count);
	}
	case TaskPowerInfo:
		return emit(power_info(s), out);
	case TaskPowerInfoV2: {
		PowerInfoV2 info{};
		info.cpu_energy = power_info(s);
		return emit(info, out, capacity >= sizeof(info) / 4 ? sizeof(info) / 4 :
								     power_info_v2_old_count);
	}
	case TaskVmInfo:
		return vm_info(s, capacity, out);
	case TaskFlagsInfo:
		out[0] = s.lp64 ? tf_lp64 | tf_64b_data : 0;
		return 1;
	case TaskBasicInfo32:
		return emit(BasicInfo32{suspended, clamp32(s.virtual_bytes),
					clamp32(s.resident_bytes),
					time_value(s.dead_user_ns),
					time_value(s.dead_system_ns),
					policy_timeshare}, out);
	case TaskBasicInfo64:
		return emit(BasicInfo64{suspended, s.virtual_bytes,
					s.resident_bytes,
					time_value(s.dead_user_ns),
					time_value(s.dead_system_ns),
					policy_timeshare}, out);
	case MachTaskBasicInfo:
		return emit(MachBasicInfo{s.virtual_bytes, s.resident_bytes,
					  s.resident_max_bytes,
					  time_value(s.dead_user_ns),
					  time_value(s.dead_system_ns),
					  policy_timeshare, suspended}, out);
	case TaskThreadTimesInfo:
		return emit(ThreadTimesInfo{time_value(s.live_user_ns),
					    time_value(s.live_system_ns)}, out);
	case TaskSecurityToken:
		__builtin_memcpy(out, s.security, sizeof(s.security));
		return 2;
	case TaskAuditToken:
		__builtin_memcpy(out, s.audit, sizeof(s.audit));
		return 8;
	case TaskNodeInfo:
		out[0] = static_cast<u32>(s.node);
		return 1;
	default:
		return 0;
	}
}

} /* namespace mach */
