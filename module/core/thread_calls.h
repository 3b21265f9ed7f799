/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread_calls.h - the thread_* calls, and task_threads, on kernel memory:
 * a front end copies state and lists between them and the caller.
 */
#ifndef MACH_CORE_THREAD_CALLS_H
#define MACH_CORE_THREAD_CALLS_H

#include "task.h"
#include "thread.h"

namespace mach {

/*
 * A new thread in task (running program), suspended, before a right to
 * it is given anyone: *made holds a reference. thread_unmake() undoes it
 * when the right cannot be given.
 */
Kr thread_make(Task &task, u64 program, Ref<Thread> *made);
void thread_unmake(Task &task, Thread &thread);
/* A new thread in task (running program), suspended; named in caller's space. */
Kr thread_create(Task &caller, Task &task, u64 program, u32 *name);
/* mach_thread_self: the calling thread, a Mach thread from its first call. */
Kr thread_self(Task &caller, u32 *name);
/*
 * task_threads: up to capacity names in caller's space into names (a
 * kernel buffer); *count: how many threads there are.
 */
Kr thread_list(Task &caller, Task &task, u32 *names, u32 capacity, u32 *count);
/* The same as send rights in transit, for a message (rights: kernel memory). */
Kr thread_rights(Task &task, TransitRight *rights, u32 capacity, u32 *count);
/* THREAD_BASIC_INFO into info, room for *count natural_t. */
inline constexpr u32 thread_info_max = 10;
Kr thread_info(Thread &thread, u32 flavor, u32 *info, u32 *count);
/*
 * thread_get_state: flavor's words into state (thread_state_max), with
 * room for *count; *count becomes how many. thread_set_state: count words.
 */
Kr thread_get_state(Thread &thread, u32 flavor, u32 *state, u32 *count);
Kr thread_set_state(Thread &thread, u32 flavor, u32 *state, u32 count);
/* How many words thread_set_state reads of flavor: 0 if it is read-only. */
u32 thread_state_settable(u32 flavor);
/* thread_terminate: the thread ends, its port dies. */
void thread_terminate(Thread &thread);

} /* namespace mach */

#endif /* MACH_CORE_THREAD_CALLS_H */
