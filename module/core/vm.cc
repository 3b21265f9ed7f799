// SPDX-License-Identifier: GPL-2.0
/*
 * vm.cc - the vm_* calls: rounding and checking as the anchors do, then
 * the host carries them out in the task's address space.
 *
 * Ranges are rounded out to pages (vm_allocate rounds its size up and,
 * when fixed, its address down, as XNU does); an empty one does nothing
 * and succeeds. A range that wraps is KERN_INVALID_ARGUMENT, except where
 * XNU's copy-in and fixed allocation say KERN_INVALID_ADDRESS (vm_read,
 * vm_write, vm_copy, a fixed vm_allocate). vm_read, vm_write and vm_copy
 * move exactly the bytes asked for.
 */
#include "vm.h"
#include "task.h"
#include "uapi.h"

namespace mach {
namespace {

constexpr u32 prot_all = 7;		/* VM_PROT_READ | WRITE | EXECUTE */
constexpr u32 inherit_share = 0;	/* VM_INHERIT_SHARE */
constexpr u32 inherit_last = 2;		/* VM_INHERIT_NONE */
/* VM_BEHAVIOR_PAGEOUT: ZERO, newer, is not offered (it would zero shared memory) */
constexpr u32 behavior_last = 11;

u64 trunc_page(u64 a)
{
	return a & ~(mach_shim_page_size() - 1);
}

/* The pages [addr, addr + size) touches; false if that wraps. */
bool page_range(u64 addr, u64 size, u64 *start, u64 *end)
{
	u64 page_size = mach_shim_page_size();
	u64 last = addr + size;
	if (last < addr || last > ~(page_size - 1))
		return false;
	*start = trunc_page(addr);
	*end = trunc_page(last + page_size - 1);
	return true;
}

} /* namespace */

Kr vm_error(u32 op, int err)
{
	switch (err) {
	case -MACH_EEXIST:
		return Kr::NoSpace;
	case -MACH_ENOMEM:
		if (op == MACH_VM_ALLOCATE || op == MACH_VM_MAP)
			return Kr::NoSpace;
		/* mlock's: over RLIMIT_MEMLOCK, or a hole in the range */
		return Kr::ResourceShortage;
	case -MACH_EFAULT:
		/* vm_write's bytes travel as a message's on XNU */
		if (op == MACH_VM_WRITE)
			return Kr::SendInvalidMemory;
		return Kr::InvalidAddress;
	case -MACH_ENXIO:
		return Kr::InvalidAddress;
	case -MACH_EINVAL:
		return Kr::InvalidArgument;
	case -MACH_EOPNOTSUPP:
		return Kr::NotSupported;
	case -MACH_EAGAIN:
		return Kr::ResourceShortage;
	case -MACH_EACCES:
	case -MACH_EPERM:
		/* mlock without the right to: over the wiring limit, as XNU says */
		if (op == MACH_VM_WIRE)
			return Kr::ResourceShortage;
		return Kr::ProtectionFailure;
	case -MACH_ESRCH:
		return Kr::SendInvalidDest;	/* the task died on the way */
	case -MACH_EINTR:
		return Kr::Aborted;
	default:
		return Kr::Failure;
	}
}

bool vm_changes_mappings(u32 op)
{
	return op == MACH_VM_ALLOCATE || op == MACH_VM_DEALLOCATE ||
	       op == MACH_VM_PROTECT || op == MACH_VM_INHERIT ||
	       op == MACH_VM_BEHAVIOR || op == MACH_VM_WIRE ||
	       op == MACH_VM_MAP || op == MACH_VM_MAKE_ENTRY;
}

Kr vm_call(Task &task, u64 program, mach_vm_args &args, bool kernel_data)
{
	mach_shim_vm_request req{};
	req.op = args.op;
	req.program = program;
	req.value = args.value;
	req.data = args.data;
	req.kernel_data = kernel_data && (args.op == MACH_VM_READ || args.op == MACH_VM_WRITE);

	switch (args.op) {
	case MACH_VM_ALLOCATE:
		if (!args.size) {
			args.address = 0;
			return Kr::Success;
		}
		req.anywhere = args.flags & MACH_VM_ANYWHERE;
		req.overwrite = !req.anywhere && (args.flags & MACH_VM_OVERWRITE);
		if (req.anywhere) {
			if (!page_range(0, args.size, &req.start, &req.end))
				return Kr::InvalidArgument;
			break;
		}
		/* Page 0 is below every map's minimum; past the end is outside. */
		if (!page_range(trunc_page(args.address), args.size, &req.start, &req.end) ||
		    req.start == 0)
			return Kr::InvalidAddress;
		break;
	case MACH_VM_DEALLOCATE:
	case MACH_VM_PROTECT:
	case MACH_VM_INHERIT:
	case MACH_VM_BEHAVIOR:
	case MACH_VM_WIRE:
		/* Nothing at all, wherever it is (not the page it is in). */
		if (!args.size)
			return Kr::Success;
		if (!page_range(args.address, args.size, &req.start, &req.end))
			return Kr::InvalidArgument;
		if (args.op == MACH_VM_BEHAVIOR && args.value > behavior_last)
			return Kr::InvalidArgument;
		if (args.op == MACH_VM_WIRE && (args.value & ~prot_all))
			return Kr::InvalidArgument;
		if (args.op == MACH_VM_PROTECT && (args.value & ~prot_all))
			return Kr::InvalidArgument;
		/* Held in the VMA's VM_MAY* flags: module/vm.c */
		req.set_maximum = args.op == MACH_VM_PROTECT && (args.flags & MACH_VM_SET_MAXIMUM);
		if (args.op == MACH_VM_INHERIT && args.value > inherit_last)
			return Kr::InvalidArgument;
		if (req.start == req.end)
			return Kr::Success;
		break;
	case MACH_VM_READ:
	case MACH_VM_WRITE:
	case MACH_VM_COPY:
		req.start = args.address;
		req.end = args.address + args.size;
		if (req.start == req.end)
			return Kr::Success;
		if (req.end < req.start)
			return Kr::InvalidAddress;	/* copy-in's answer on XNU */
		break;
	case MACH_VM_REGION:
		req.start = args.address;
		break;
	default:
		return Kr::InvalidArgument;
	}

	/*
	 * SHARE may replace private memory with a shared copy of it: the
	 * task's threads are held meanwhile, or a store they made between
	 * the copy and the replacement would be lost.
	 */
	bool hold = args.op == MACH_VM_INHERIT && args.value == inherit_share;
	if (hold) {
		Kr held = task.suspend_and_wait();
		if (held == Kr::Aborted)
			return held;
		hold = held == Kr::Success;	/* else terminated: the call says so */
	}
	int err = mach_shim_vm(task.os(), &req);
	if (hold) {
		task.resume();
		task.end_wait();
	}
	if (err)
		return vm_error(args.op, err);
	if (args.op == MACH_VM_ALLOCATE) {
		args.address = req.address;
	} else if (args.op == MACH_VM_REGION) {
		args.address = req.address;
		args.size = req.size;
		args.protection = req.protection;
		args.max_protection = req.max_protection;
		args.inheritance = req.inheritance;
		args.shared = req.shared;
	}
	return Kr::Success;
}

} /* namespace mach */
