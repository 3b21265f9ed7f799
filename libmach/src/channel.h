// SPDX-License-Identifier: LGPL-2.1-or-later
// channel.h - libmach's connection to /dev/mach: one per process.
#ifndef LIBMACH_CHANNEL_H
#define LIBMACH_CHANNEL_H

#include <stddef.h>

#include <mach/kern_return.h>
#include <mach/port.h>

namespace libmach {

// What call() answers when the port a call is made on is no kernel
// object's: the caller sends the call to it as a message (rpc.h). Never
// a kern_return_t a user sees.
constexpr kern_return_t send_as_message = 0x7fff0001;

// Issues one ioctl of uapi/mach/ioctl.h on this process's channel and
// returns its kern_return_t. A malformed request or a missing module
// becomes the nearest Mach error (see errno_to_kr in channel.cc).
kern_return_t call(unsigned long cmd, void *args);
// The same for a trap, whose argument is a value, not a struct. A
// module older than the trap answers MIG_BAD_ID: the caller then makes
// the struct call instead.
kern_return_t call_value(unsigned long cmd, unsigned long value);
// A trap's own answer: the ioctl's value, or -1 with errno (ENODEV
// when /dev/mach cannot be used).
int trap(unsigned long cmd, unsigned long value);

// Fresh pages for an array a call returns out of line, as the anchors
// do: the caller vm_deallocates (or munmaps) them. nullptr if none.
void *out_of_line(size_t bytes);

// The task port name cached for mach_task_self(); MACH_PORT_NULL when
// /dev/mach cannot be used.
mach_port_t self_task();

// A forked child's own process: the thread's MIG reply port was the
// parent's name, inert here (mig.cc).
void forget_reply_port_after_fork();

} // namespace libmach

#endif
