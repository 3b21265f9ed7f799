// SPDX-License-Identifier: GPL-2.0
//
// msg_fuzz.cc - libFuzzer target over the core's message path: arbitrary
// bytes sent as a message (header, descriptors, names, sizes) by a task
// that holds a few rights, then whatever got queued received again. The
// core must answer every input with a Mach error or a delivery, and give
// back every object it allocated once the task is gone.
//
//   make fuzz            a long run (FUZZ_TIME seconds, default 600)
//   make check           a fixed number of runs from the seed corpus
#include <cstdlib>
#include <cstring>

#include "../core.h"
#include "../msg.h"
#include "../space.h"
#include "../task.h"
#include "../uapi.h"
#include "../tests/shim_user.h"

using namespace mach;

namespace {

// All "user memory" the core may touch: the message and a data region.
alignas(8) unsigned char arena[2 * msg_size_max];

void check_no_leaks()
{
	for (int k = 0; k < MACH_KIND_COUNT; k++)
		if (shim_user::live(mach_shim_kind(k)))
			abort();
	if (shim_user::live_files())
		abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size < 8 || size > msg_size_max)
		return 0;
	shim_user::set_user_memory(arena, sizeof(arena));

	mach_task_os os;
	Task *task = Task::create(&os);
	if (!task)
		abort();
	Space &space = task->space();
	// Names 3.. : the task port, two receive rights (one with send
	// rights), a dead name, a port set with a member.
	mach_task_self_args self{};
	mach_core_ioctl(task, MACH_IOC_NR_TASK_SELF, &self);
	Name a{0}, b{0}, dead{0}, set{0};
	space.allocate(PortRightReceive, &a);
	space.allocate(PortRightReceive, &b);
	space.insert_right(a, a, MakeSend);
	space.allocate(PortRightDeadName, &dead);
	space.allocate(PortRightPortSet, &set);
	space.move_member(b, set);

	// The first word picks the options; the rest is the message. With the
	// top bits 0x6... the rest is instead a series of raw ioctls: a byte
	// for the number, then the bytes of its struct.
	u32 option;
	memcpy(&option, data, 4);
	data += 4;
	size -= 4;
	if ((option >> 28) == 6) {
		while (size > 1) {
			unsigned int nr = data[0] % MACH_IOC_NR_COUNT;
			unsigned char args[64] = {};
			size_t n = size - 1 < sizeof(args) ? size - 1 : sizeof(args);
			memcpy(args, data + 1, n);
			memcpy(arena, data + 1, n);	// pointers into the arena may hit
			mach_core_ioctl(task, nr, args);
			data += 1 + n;
			size -= 1 + n;
		}
		task->terminate();
		task->put();
		shim_user::reset();
		shim_user::set_user_memory(nullptr, 0);
		check_no_leaks();
		return 0;
	}
	memcpy(arena, data, size);
	memcpy(arena + msg_size_max, data, size);	// something for OOL to point at
	u32 send_size = static_cast<u32>(size) & ~3u;
	if (option & 0x80000000u)
		send_size = static_cast<u32>(size);	// unaligned too

	mach_msg_args args{};
	args.msg = reinterpret_cast<u64>(arena);
	args.option = (option & 0xff000000u) | SendMsg | SendTimeout;
	args.send_size = send_size;
	args.rcv_size = option & 0xffff;
	// A send and receive in one call, on the reply port the header names
	// or on a: a MIG stub's call, answered in place when it may be.
	if (option & 0x20000) {
		u32 local = 0;
		if (send_size >= 16)
			memcpy(&local, arena + 12, 4);
		args.option |= RcvMsg | RcvTimeout;
		args.rcv_name = option & 0x40000 ? local : a.value;
	}
	mach_core_ioctl(task, MACH_IOC_NR_MSG, &args);

	// Receive whatever arrived, on every receive name, into the arena.
	const u32 receivers[] = {a.value, b.value, set.value};
	for (u32 name : receivers) {
		mach_msg_args rcv{};
		rcv.msg = reinterpret_cast<u64>(arena);
		rcv.option = RcvMsg | RcvTimeout | (option & 0x0f000000u) |
			     (option & 0x4 ? RcvLarge : 0);
		rcv.rcv_size = option & 0x10000 ? args.rcv_size : sizeof(arena) / 2;
		rcv.rcv_name = name;
		mach_core_ioctl(task, MACH_IOC_NR_MSG, &rcv);
	}

	task->terminate();
	task->put();
	shim_user::reset();
	shim_user::set_user_memory(nullptr, 0);
	check_no_leaks();
	return 0;
}
