/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_calls.h - the task_* calls that are not the task's own methods
 * (task.h): on kernel memory, for either front end.
 */
#ifndef MACH_CORE_TASK_CALLS_H
#define MACH_CORE_TASK_CALLS_H

#include "host.h"
#include "task.h"
#include "task_info.h"

namespace mach {

/* task_info: flavor into info (task_info_max_count), room for *count. */
Kr task_info(Task &task, u32 flavor, u32 *info, u32 *count);
/* task_suspend / task_resume: every thread stops, or may run again. */
Kr task_suspend(Task &task);
Kr task_resume(Task &task);
/*
 * task_suspend2: suspended, and a token (a send-once right to the task's
 * resume port) whose use or loss undoes it.
 */
Kr task_suspend2(Task &task, TransitRight *token);
/*
 * task_for_pid (or, name, task_name_for_pid): a send right to the task
 * port (name port) of process pid, if the caller may have it
 * (mach_shim_task_for_pid()); else KERN_FAILURE, as XNU answers.
 */
Kr task_for_pid(Task &caller, u32 pid, bool name, TransitRight *right);
/*
 * task_set_name (GNU Mach): name, a C string, names the task for
 * debugging: on Linux, its process's name (its leader's comm, as
 * /proc/PID/comm and ps show it; cut to what that holds), while it runs
 * program (the caller's right's; 0: its own task).
 */
Kr task_set_name(Task &task, const char *name, u64 program);
/* mach_task_is_self: is task (any of its ports) the caller's own? */
bool task_is_self(Task &caller, Task &task);
/* task_terminate of the process running program (0: the caller's own). */
Kr task_terminate(Task &task, u64 program);
/* pid_for_task: the pid in the caller's pid namespace, 0 if none. */
u32 task_pid(Task &task);
/* host_security_set_task_token: tokens, and the host port it holds. */
Kr task_set_token(Task &task, const Tokens &tokens, HostPort host);

} /* namespace mach */

#endif /* MACH_CORE_TASK_CALLS_H */
