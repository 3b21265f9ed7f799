// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl.cc - the calls of /dev/mach: validation of each request, then
 * the Mach call itself. The glue has copied the struct in once; every
 * field is checked here before it is used.
 */
#include "core.h"
#include "task.h"
#include "task_info.h"
#include "uapi.h"

namespace mach {
namespace {

long result(Kr kr)
{
	return static_cast<long>(kr);
}

constexpr long malformed = -MACH_EINVAL;

/*
 * The task a send right of the caller names. A name that is not a send
 * right of the caller, or whose port died, is not a destination at all
 * (MACH_SEND_INVALID_DEST); a live port of another kind gives not_a_task.
 */
Kr resolve_task(Task &caller, u32 name, Kr not_a_task, Ref<Task> *task)
{
	Ref<Port> port = caller.space().lookup_send(Name{name});
	if (!port)
		return Kr::SendInvalidDest;
	*task = port->task();
	if (!*task)
		return port->dead() ? Kr::SendInvalidDest : not_a_task;
	return Kr::Success;
}

long version(mach_version_args &args)
{
	args = {};
	args.abi_version = MACH_ABI_VERSION;
	args.features = MACH_FEATURE_TASK_SELF | MACH_FEATURE_TASK_INFO;
	return result(Kr::Success);
}

long task_self(Task &caller, mach_task_self_args &args)
{
	if (args.flags)
		return malformed;
	args.name = Name::null;
	Ref<Port> port = caller.port();
	if (!port)
		return result(Kr::InvalidTask);
	Name name{Name::null};
	Kr kr = caller.space().make_send(port.get(), &name);
	args.name = name.value;
	return result(kr);
}

long task_info(Task &caller, mach_task_info_args &args)
{
	if (args.flags)
		return malformed;

	Ref<Task> task;
	Kr kr = resolve_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return result(kr);

	u32 count = task_info_count(args.flavor);
	if (!count || args.count < count)
		return result(Kr::InvalidArgument);

	mach_task_stats stats{};
	if (!mach_shim_task_stats(task->os(), task_info_needs(args.flavor), &stats))
		return result(Kr::SendInvalidDest);	/* it is exiting */

	u32 info[task_info_max_count];
	format_task_info(args.flavor, stats, task->suspend_count(), info);
	if (mach_shim_copy_out(args.info, info, count * sizeof(u32)))
		return -MACH_EFAULT;
	args.count = count;
	return result(Kr::Success);
}

long port_deallocate(Task &caller, mach_port_deallocate_args &args)
{
	if (args.flags || args.pad)
		return malformed;

	Ref<Task> task;
	Kr kr = resolve_task(caller, args.task, Kr::InvalidTask, &task);
	if (kr != Kr::Success)
		return result(kr);
	/* Another task's space is reached through its agent (tasks issue). */
	if (task.get() != &caller)
		return result(Kr::NotSupported);
	return result(caller.space().deallocate(Name{args.name}));
}

} /* namespace */
} /* namespace mach */

using namespace mach;

extern "C" long mach_core_ioctl(mach_task *task, unsigned int nr, void *args)
{
	Task &caller = *Task::from(task);

	/* A /dev/mach fd that reached another process is not its channel. */
	if (!mach_shim_task_is_current(caller.os()))
		return -MACH_EBADF;

	switch (nr) {
	case MACH_IOC_NR_VERSION:
		return version(*static_cast<mach_version_args *>(args));
	case MACH_IOC_NR_TASK_SELF:
		return task_self(caller, *static_cast<mach_task_self_args *>(args));
	case MACH_IOC_NR_TASK_INFO:
		return task_info(caller, *static_cast<mach_task_info_args *>(args));
	case MACH_IOC_NR_PORT_DEALLOCATE:
		return port_deallocate(caller, *static_cast<mach_port_deallocate_args *>(args));
	default:
		return -MACH_ENOTTY;
	}
}
