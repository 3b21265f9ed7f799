/* SPDX-License-Identifier: GPL-2.0 */
/* msg.h - mach_msg: sending into a port's queue, receiving from it. */
#ifndef MACH_CORE_MSG_H
#define MACH_CORE_MSG_H

#include "base.h"

struct mach_msg_args;

namespace mach {

class Task;

/* mach_msg options the core acts on (the anchors' values). */
enum MsgOption : u32 {
	SendMsg = 0x1,
	RcvMsg = 0x2,
	RcvLarge = 0x4,
	SendTimeout = 0x10,
	SendInterrupt = 0x40,
	RcvTimeout = 0x100,
	RcvInterrupt = 0x400,
};

/* The trailer a receive with option asks for, in bytes; 0 if invalid. */
u32 trailer_size(u32 option);

/*
 * One mach_msg call of caller on its own space; the receive goes into
 * rcv_msg if not 0 (mach_msg_overwrite), else into args.msg.
 */
Kr mach_msg(Task &caller, const mach_msg_args &args, u64 rcv_msg = 0);

} /* namespace mach */

#endif /* MACH_CORE_MSG_H */
