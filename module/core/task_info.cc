// SPDX-License-Identifier: GPL-2.0
#include "task_info.h"

namespace mach {
namespace {

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

static_assert(sizeof(BasicInfo32) == 8 * 4);
static_assert(sizeof(BasicInfo64) == 10 * 4);
static_assert(sizeof(MachBasicInfo) == 12 * 4);
static_assert(sizeof(ThreadTimesInfo) == 4 * 4);
static_assert(task_info_max_count * 4 == sizeof(MachBasicInfo));

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
u32 emit(const T &info, u32 *out)
{
	__builtin_memcpy(out, &info, sizeof(info));
	return sizeof(info) / 4;
}

} /* namespace */

u32 task_info_count(u32 flavor)
{
	switch (flavor) {
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
u32 format_task_info(u32 flavor, const mach_task_stats &s, u32 suspend_count,
		     u32 *out)
{
	int suspended = static_cast<int>(suspend_count);

	switch (flavor) {
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
