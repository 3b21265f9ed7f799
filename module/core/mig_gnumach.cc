// SPDX-License-Identifier: GPL-2.0
/*
 * mig_gnumach.cc - GNU Mach's own calls (its gnumach interface, subsystem
 * 4200) as messages, laid out as XNU's MIG lays out the same types:
 * task_set_name 4202, a simpleroutine.
 */
#include "mig.h"
#include "resolve.h"
#include "task_calls.h"

namespace mach {
namespace {

/* kernel_debug_name_t: c_string[*:KERNEL_DEBUG_NAME_MAX], libmach's 64. */
constexpr u32 debug_name_max = 64;

/*
 * task_set_name: NDR, the string's offset (unused) and count (with its
 * NUL), then its bytes, padded to a word. MIG's checks: the count within
 * the maximum, the size exactly the count's, and a NUL within it.
 */
Kr task_set_name_call(MigCall &call)
{
	constexpr u32 count_at = mig_args + 4, name_at = mig_args + 8;
	u32 count;
	if (!call.simple_bytes(count_at, debug_name_max, &count))
		return Kr::MigBadArguments;
	char name[debug_name_max + 1] = {};
	__builtin_memcpy(name, call.in_words(name_at), count);
	bool terminated = false;	/* (clang has no __builtin_strnlen) */
	for (u32 i = 0; i < count && !terminated; i++)
		terminated = name[i] == '\0';
	if (!terminated)
		return Kr::MigBadArguments;	/* no NUL */
	Ref<Task> task;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task, &program);
	if (kr != Kr::Success)
		return kr;
	return task_set_name(*task.get(), name, program);
}

constexpr MigRoutine routines[] = {
	{4202, mig_reply_error_size, task_set_name_call},
};

} /* namespace */

const MigRoutines mig_gnumach_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
