// SPDX-License-Identifier: GPL-2.0
// The userspace shim's test hooks: a fake fd table and fake processes.
#ifndef MACH_CORE_TESTS_SHIM_USER_H
#define MACH_CORE_TESTS_SHIM_USER_H

#include "../shim.h"

struct mach_task_os {
	bool current = true;		// is it the "calling process"?
	bool alive = true;
	mach_u64 program = 1;		// the generation of its program
	mach_exec_seen exec = MACH_EXEC_NONE;	// an exec the next look sees
	mach_task_stats stats{};
	bool *freed = nullptr;		// set when the core releases it
	bool owned = false;		// made by task_spawn: deleted when freed
	bool killed = false;
	bool has_credentials = false;	// given by a security token
	mach_u32 uid = 0, gid = 0;
	int node = -1;			// placed by NORMA
	mach_task_plan plan{};		// what it was made by
	int sample_syncs = 0;		// mach_shim_task_sample() calls
	int resume_laters = 0;		// mach_shim_task_resume_later() calls
};

namespace shim_user {

// What the last mach_shim_vm() was asked, and what the next one answers.
extern mach_shim_vm_request last_vm;
extern int next_vm_error;
// What the next mach_shim_task_teleport_end() answers (0 after reset).
extern int next_teleport_end_error;
// What the next mach_shim_task_sample() answers (0 after reset).
extern int next_sample_error;
// Threads of the calling task are given not cloned yet, when the core
// allows it (false after reset); what the next mach_shim_thread_clone()
// answers (0 after reset: cloned), and how many were asked for.
extern bool threads_cloned_later;
// What the next mach_shim_task_spawn() answers (0 after reset: made).
extern int next_spawn_error;
extern int next_thread_clone;
extern int thread_clones;

long live(mach_shim_kind kind);
long live_files();
// Closes fd the way close(2) would, behind the core's back.
void close_fd(int fd);
// Puts an unrelated file at fd (dup2 of something else).
void replace_fd(int fd);
bool fd_open(int fd);
// Makes the next fd installs fail with -errno.
void fail_fd_install(int err);
// Makes the n-th allocation from now fail (0: none).
void fail_nth_allocation(int n);
void reset();
// Does the calling process have the host's privilege? (true after reset)
extern bool privileged;
// Thread ids the shim gave out, the last one (a thread's tid is ++last_tid).
extern int last_tid;
// What mach_shim_port_destroyed() was told, summed (0 after reset).
extern mach_u32 port_destroyed_waiters, port_destroyed_queued;
// EXC_GUARD raises asked of the shim: how many, and the last one's codes.
extern int guard_exceptions;
extern mach_u64 guard_code, guard_subcode;
// The one user's limits (unlimited after reset) and what it holds now.
extern mach_u64 user_limit[MACH_QUOTA_COUNT];
mach_u64 user_used(mach_shim_quota quota);
// Confines copy_in/copy_out to [base, base + size): anything else faults,
// as a bad user address would (the fuzzer's arbitrary addresses).
void set_user_memory(void *base, mach_size size);

} // namespace shim_user

#endif
