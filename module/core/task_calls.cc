// SPDX-License-Identifier: GPL-2.0
/* task_calls.cc - task_info, suspend, resume, terminate, pid, tokens. */
#include "core.h"
#include "task_calls.h"

namespace mach {

Kr task_info(Task &task, u32 flavor, u32 *info, u32 *count)
{
	u32 least = task_info_count(flavor);
	if (!least || *count < least)
		return Kr::InvalidArgument;

	mach_task_stats stats{};
	if (!mach_shim_task_stats(task.os(), task_info_needs(flavor), &stats))
		return Kr::SendInvalidDest;	/* it is exiting */
	Tokens given;
	if (task.given_tokens(&given)) {
		__builtin_memcpy(stats.security, given.security, sizeof(stats.security));
		__builtin_memcpy(stats.audit, given.audit, sizeof(stats.audit));
	}
	*count = format_task_info(flavor, stats, task.events(), task.suspend_count(), *count,
				  info);
	return Kr::Success;
}

Kr task_suspend(Task &task)
{
	/*
	 * Every thread stops, those no call has named yet too: adopted, with
	 * the task's agent's stub as their way out. A process with no agent
	 * (one that never ran libmach, got by task_for_pid, or one that has
	 * ended) has no thread the task could hold: XNU's answer for a task
	 * it cannot hold.
	 */
	int err = mach_shim_task_agent_wait(task.os());
	if (err)
		return err == -MACH_EINTR ? Kr::Aborted : Kr::Failure;
	task.adopt_threads();
	Kr kr = task.suspend();
	if (kr == Kr::Success)
		mach_shim_task_event(task.os(), MACH_SHIM_EVENT_SUSPENDED,
				     task.suspend_count());
	return kr;
}

Kr task_resume(Task &task)
{
	Kr kr = task.resume();
	if (kr == Kr::Success)
		mach_shim_task_event(task.os(), MACH_SHIM_EVENT_RESUMED,
				     task.suspend_count());
	return kr;
}

Kr task_suspend2(Task &task, TransitRight *token)
{
	Kr kr = task_suspend(task);
	if (kr != Kr::Success)
		return kr;
	kr = task.suspension_token(token);
	if (kr != Kr::Success)
		task_resume(task);
	return kr;
}

Kr task_for_pid(Task &caller, u32 pid, bool name, TransitRight *right)
{
	*right = {};
	mach_task *found;
	u64 ticket;
	int err = mach_shim_task_for_pid(static_cast<s32>(pid), name, &found, &ticket);
	if (err == -MACH_ENOMEM)
		return Kr::ResourceShortage;
	if (err)
		return Kr::Failure;
	Ref<Task> task = Ref<Task>::adopt(Task::from(found));
	/* An exec not yet seen renews the task port first: the new one is given. */
	if (&caller != task.get() && !task->program())
		return Kr::Failure;
	Kr kr = task->get_special(name ? TaskNamePort : TaskKernelPort, right);
	if (kr == Kr::Success && !right->port)
		kr = Kr::Failure;	/* terminated meanwhile */
	if (kr == Kr::Success && !mach_shim_task_ticket_holds(task->os(), ticket))
		kr = Kr::Failure;	/* another program runs there now */
	if (kr != Kr::Success && right->port) {
		right->port->drop(*right);
		*right = {};
	}
	return kr == Kr::Success ? kr : Kr::Failure;
}

Kr task_set_name(Task &task, const char *name, u64 program)
{
	mach_shim_task_set_name(task.os(), name, program);
	return Kr::Success;
}

bool task_is_self(Task &caller, Task &task)
{
	return &caller == &task;
}

Kr task_terminate(Task &task, u64 program)
{
	return mach_shim_task_kill(task.os(), program) ? Kr::Aborted : Kr::Success;
}

u32 task_pid(Task &task)
{
	return mach_shim_task_pid(task.os());
}

Kr task_set_token(Task &task, const Tokens &tokens, HostPort host)
{
	task.set_tokens(tokens);
	return task.set_special(TaskHostPort, host_port(host));
}

} /* namespace mach */

extern "C" int mach_task_operator_call(mach_task *task, mach_operator_call call)
{
	mach::Task &t = *mach::Task::from(task);
	mach::Kr kr = call == MACH_OPERATOR_SUSPEND ? mach::task_suspend(t) : mach::task_resume(t);

	switch (kr) {
	case mach::Kr::Success:
		return 0;
	case mach::Kr::Failure:		/* task_resume of a task not suspended */
		return -MACH_EINVAL;
	case mach::Kr::Terminated:	/* it is ending */
		return -MACH_ESRCH;
	default:
		return -MACH_EIO;
	}
}
