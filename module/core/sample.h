/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sample.h - task_sample: the port a task's PC samples are sent to, and
 * the messages that carry them (core.h: the host's side of it).
 */
#ifndef MACH_CORE_SAMPLE_H
#define MACH_CORE_SAMPLE_H

#include "task.h"

namespace mach {

/*
 * task_sample(task, port): port (a send right; none stops sampling)
 * becomes task's sample port, replacing the one it had, for the program
 * the caller's right was checked for (resolve.h; 0: its own). Takes the
 * right whatever comes. InvalidArgument for a kernel object's port;
 * ResourceShortage if sampling could not start, SendInvalidDest if the
 * task has exec'd since (the port is then not held).
 */
Kr task_sample(Task &task, TransitRight port, u64 program);

} /* namespace mach */

#endif /* MACH_CORE_SAMPLE_H */
