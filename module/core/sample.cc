// SPDX-License-Identifier: GPL-2.0
/*
 * sample.cc - task_sample: the call, and the messages that carry the
 * samples to the task's sample port (held by the task: task.cc). The
 * host takes the samples (module/sample.c) and hands each batch here from
 * process context; the layout is uapi/mach/abi.h's struct mach_sample_body.
 */
#include "core.h"
#include "port.h"
#include "sample.h"
#include "uapi.h"

namespace mach {

Kr task_sample(Task &task, TransitRight port, u64 program)
{
	/*
	 * A kernel object's port takes requests, and nobody receives what
	 * queues there: a message can carry one (the ioctl's make-send
	 * cannot), but it is no sample port.
	 */
	if (port.port && port.port->is_kernel()) {
		port.port->drop(port);
		return Kr::InvalidArgument;
	}
	return task.set_sample_port(port, program);
}

} /* namespace mach */

using namespace mach;

extern "C" mach_bool mach_task_sampling(mach_task *task)
{
	return Task::from(task)->sampling();
}

extern "C" mach_sample_sent mach_task_sample_send(mach_task *task, const mach_sample *samples,
						   mach_u32 count, mach_u32 dropped)
{
	Task &t = *Task::from(task);
	TransitRight to = t.sample_right();
	if (!to.port)
		return MACH_SAMPLE_STOPPED;
	if (count > MACH_SAMPLE_MAX)
		count = MACH_SAMPLE_MAX;
	/* Kept past the send, which takes to whatever comes. */
	Ref<Port> port = Ref<Port>::share(to.port);
	u32 head[2] = {count, dropped};
	const BodyPart parts[] = {
		{ndr_record, sizeof(ndr_record)},
		{head, sizeof(head)},
		{samples, static_cast<u32>(count * sizeof(*samples))},
	};
	static_assert(sizeof(ndr_record) + sizeof(head) ==
		      __builtin_offsetof(mach_sample_body, samples));
	switch (send_kernel_message(to, MACH_SAMPLE_MSG_ID, parts, 3)) {
	case Kr::Success:
		return MACH_SAMPLE_SENT;
	case Kr::SendInvalidDest:
		/* Dead: sampling stops, unless another port replaced it. */
		t.sample_port_died(port.get());
		return t.sampling() ? MACH_SAMPLE_FULL : MACH_SAMPLE_STOPPED;
	default:
		/* No room in its queue, or for its receiver, or no memory. */
		return MACH_SAMPLE_FULL;
	}
}
