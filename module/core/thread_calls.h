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
 * when the right cannot be given. Given later (an ioctl's), a thread of
 * the caller's own task may come not cloned yet (*later set), to be
 * cloned once named.
 */
Kr thread_make(Task &task, u64 program, Ref<Thread> *made, bool *later = nullptr);
void thread_unmake(Task &task, Thread &thread);
/*
 * A new thread in task (running program), suspended; named in caller's
 * space. With later: *later if the calling thread clones it on its way
 * out of the ioctl, the call finished by thread_create_done() (err: the
 * clone's result, made: the record of the thread it was for).
 */
Kr thread_create(Task &caller, Task &task, u64 program, u32 *name, bool *later = nullptr);
Kr thread_create_done(Task &caller, u32 *name, int err, const mach_thread_os *made);
/* mach_thread_self: the calling thread, a Mach thread from its first call. */
Kr thread_self(Task &caller, u32 *name);
/*
 * task_threads: up to capacity names in caller's space into names (a
 * kernel buffer); *count: how many threads there are.
 */
Kr thread_list(Task &caller, Task &task, u32 *names, u32 capacity, u32 *count);
/* The same as send rights in transit, for a message (rights: kernel memory). */
Kr thread_rights(Task &task, TransitRight *rights, u32 capacity, u32 *count);
/*
 * THREAD_BASIC_INFO, THREAD_IDENTIFIER_INFO or THREAD_EXTENDED_INFO into
 * info (thread_info_max), room for *count natural_t.
 */
inline constexpr u32 thread_info_max = 28;
Kr thread_info(Thread &thread, u32 flavor, u32 *info, u32 *count);
/*
 * thread_get_state: flavor's words into state (thread_state_max), with
 * room for *count; *count becomes how many. thread_set_state: count words.
 */
Kr thread_get_state(Thread &thread, u32 flavor, u32 *state, u32 *count);
Kr thread_set_state(Thread &thread, u32 flavor, u32 *state, u32 count);
/* How many words thread_set_state reads of flavor: 0 if it is read-only. */
u32 thread_state_settable(u32 flavor);
/*
 * thread_create_running: a new thread in task with flavor's state, run
 * once named in caller's space. The message front end: make_with_state
 * (suspended: its right given, it is resumed; or unmade).
 */
Kr thread_create_running(Task &caller, Task &task, u64 program, u32 flavor, u32 *state,
			 u32 count, u32 *name, bool *later = nullptr);
Kr thread_make_with_state(Task &task, u64 program, u32 flavor, u32 *state, u32 count,
			  Ref<Thread> *made, bool *later = nullptr);
/* thread_abort_safely: a system call it is blocked in restarts. */
Kr thread_abort_safely(Thread &thread);
/*
 * <mach/thread_special_ports.h>. get: a send right to the thread's port
 * for each (this thread has one port: its inspect and read ports are it).
 * set: XNU's answers (the kernel port is not replaceable); takes right.
 */
inline constexpr u32 thread_kernel_port = 1, thread_inspect_port = 2, thread_read_port = 3;
Kr thread_get_special_port(Thread &thread, u32 which, TransitRight *right);
Kr thread_set_special_port(Thread &thread, u32 which, TransitRight right);
/* thread_terminate: the thread ends, its port dies. */
void thread_terminate(Thread &thread);

} /* namespace mach */

#endif /* MACH_CORE_THREAD_CALLS_H */
