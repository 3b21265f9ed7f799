// SPDX-License-Identifier: GPL-2.0
/*
 * exception.cc - raising a thread's fault to its exception handlers, as
 * XNU's exception_triage() does: thread level, task level, host level,
 * each with its own behaviour and state flavour, until one answers
 * KERN_SUCCESS. The requests are exc.defs' and mach_exc.defs' layouts
 * (4-byte packed, as MIG lays them out):
 *
 *   header, [descriptor count, thread, task port descriptors]  (identity)
 *   NDR, exception, codeCnt, code[codeCnt]      (4 bytes each, 8 with
 *                                                MACH_EXCEPTION_CODES)
 *   [flavor, old_stateCnt, old_state[old_stateCnt]]             (state)
 *
 * and the replies: header, NDR, RetCode, [flavor, new_stateCnt,
 * new_state[new_stateCnt]] (state).
 */
#include "core.h"
#include "exception.h"
#include "host.h"
#include "thread_calls.h"

namespace mach {
namespace {

void put32(Message &msg, u32 at, u32 value)
{
	__builtin_memcpy(reinterpret_cast<unsigned char *>(&msg.header) + at, &value, 4);
}

u32 get32(const Message &msg, u32 at)
{
	u32 value;
	__builtin_memcpy(&value, reinterpret_cast<const unsigned char *>(&msg.header) + at, 4);
	return value;
}

/* A send right to port (a kernel object's), made for the request. */
TransitRight send_right(Ref<Port> port)
{
	Port *p = port.release();
	if (!p)
		return {};
	p->add_send();
	return TransitRight{p, MoveSend};
}

/* The handler of type at level (0 thread, 1 task, 2 host), with a send right. */
bool handler_at(u32 level, Thread &thread, u32 type, ExceptionHandler *out)
{
	switch (level) {
	case 0:
		return thread.exception_handler(type, out);
	case 1:
		return thread.task()->exception_handler(type, out);
	default:
		return host_exception_handler(type, out);
	}
}

/* One request, as handler's behaviour asks: null if it cannot be made. */
Message *make_request(const ExceptionHandler &handler, Thread &thread, u32 type,
		      const u64 code[exception_code_max])
{
	u32 base = handler.behavior & ~ExceptionFlags;
	bool wide = handler.behavior & ExceptionCodes;
	bool identity = base == ExceptionDefault || base == exception_state_identity;
	bool stateful = base == exception_state || base == exception_state_identity;
	if (base < ExceptionDefault || base > exception_state_identity)
		return nullptr;	/* the *_PROTECTED behaviours: not raised */

	u32 state[thread_state_max];
	u32 count = thread_state_max;
	if (stateful && thread_get_state(thread, handler.flavor, state, &count) != Kr::Success)
		return nullptr;

	u32 code_bytes = wide ? 8 : 4;
	u32 size = sizeof(MsgHeader) + (identity ? 4 + 2 * 12 : 0) + sizeof(ndr_record) + 8 +
		   exception_code_max * code_bytes + (stateful ? 8 + 4 * count : 0);
	Message *msg = Message::create(size);
	if (!msg)
		return nullptr;
	msg->id = static_cast<int>((wide ? MachExcRaise : ExcRaise) + base - 1);
	msg->set_kernel_sender();

	u32 at = sizeof(MsgHeader);
	if (identity) {
		auto *d = static_cast<Descriptor *>(
			mach_shim_alloc(MACH_KIND_MEMORY, sizeof(Descriptor) * 2));
		if (!d) {
			Message::destroy(msg);
			return nullptr;
		}
		TransitRight rights[2] = {send_right(thread.port()),
					  send_right(thread.task()->port())};
		put32(*msg, at, 2);
		for (u32 i = 0; i < 2; i++) {
			u32 offset = 4 + 12 * i;	/* in the body */
			d[i] = Descriptor{};
			d[i].offset = offset;
			d[i].type = PortDescriptor;
			d[i].disposition = MoveSend;
			d[i].right = rights[i];
			put32(*msg, at + offset + 8, (PortDescriptor << 24) | (MoveSend << 16));
		}
		msg->descriptors = d;
		msg->descriptor_count = 2;
		msg->other_bits = msgh_bits_complex;
		at += 4 + 2 * 12;
	}
	__builtin_memcpy(reinterpret_cast<unsigned char *>(&msg->header) + at, ndr_record,
			 sizeof(ndr_record));
	at += sizeof(ndr_record);
	put32(*msg, at, type);
	put32(*msg, at + 4, exception_code_max);
	at += 8;
	for (u32 i = 0; i < exception_code_max; i++) {
		put32(*msg, at, static_cast<u32>(code[i]));
		if (wide)
			put32(*msg, at + 4, static_cast<u32>(code[i] >> 32));
		at += code_bytes;
	}
	if (stateful) {
		put32(*msg, at, handler.flavor);
		put32(*msg, at + 4, count);
		__builtin_memcpy(reinterpret_cast<unsigned char *>(&msg->header) + at + 8, state,
				 4 * count);
	}
	return msg;
}

enum class Answer { Declined, Resumed, Killed };

/*
 * The reply to request: KERN_SUCCESS resumes the thread, with the state
 * a state reply carries. Anything else, a send-once notice (the handler
 * dropped the reply right), the wrong shape, or a state the thread
 * cannot take (thread_set_state refuses it: a read-only flavour, rip
 * outside user space) declines, and the next level is asked, as XNU's
 * exception_deliver() fails when thread_setstatus() does.
 */
Answer take_reply(Message &reply, u32 request_id, bool stateful, Thread &thread)
{
	constexpr u32 retcode_at = sizeof(MsgHeader) + sizeof(ndr_record);
	if (static_cast<u32>(reply.id) != request_id + exc_reply_offset ||
	    (reply.other_bits & msgh_bits_complex) || reply.size < retcode_at + 4 ||
	    get32(reply, retcode_at) != 0)
		return Answer::Declined;
	if (!stateful)
		return reply.size == retcode_at + 4 ? Answer::Resumed : Answer::Declined;
	if (reply.size < retcode_at + 12)
		return Answer::Declined;
	u32 flavor = get32(reply, retcode_at + 4);
	u32 count = get32(reply, retcode_at + 8);
	if (count > reply_state_max || reply.size != retcode_at + 12 + 4 * count)
		return Answer::Declined;
	u32 state[thread_state_max];
	u32 take = count < thread_state_max ? count : thread_state_max;
	__builtin_memcpy(state, reinterpret_cast<const unsigned char *>(&reply.header) +
			 retcode_at + 12, 4 * take);
	return thread_set_state(thread, flavor, state, take) == Kr::Success ? Answer::Resumed :
									      Answer::Declined;
}

/*
 * What a reply port may hold that no request of now is waiting for: a
 * reply to one whose thread gave up waiting cannot come (a thread waits
 * until it is answered or dies), but nothing is trusted to the reply
 * port but the answer to the request just sent.
 */
void drain(Port &reply_port)
{
	Message *stale;
	Port *from;
	u32 needed;
	while (reply_port.dequeue(0, msg_size_max + trailer_max, false, 0, &stale, &needed,
				  &from) == Kr::Success) {
		from->put();
		stale->dest.port->release(stale->dest);
		stale->dest = {};
		Message::destroy(stale);
	}
}

/* Sends the request to handler and waits for its answer. */
Answer raise_to(const ExceptionHandler &handler, Thread &thread, u32 type,
		const u64 code[exception_code_max])
{
	Message *request = make_request(handler, thread, type, code);
	if (!request) {
		handler.port->drop(TransitRight{handler.port, MoveSend});
		return Answer::Declined;
	}
	Port *reply_port = thread.exception_reply_port();
	if (!reply_port) {
		Message::destroy(request);
		handler.port->drop(TransitRight{handler.port, MoveSend});
		return Answer::Declined;
	}
	drain(*reply_port);
	reply_port->get();
	reply_port->add_send_once();
	request->reply = TransitRight{reply_port, MoveSendOnce};
	request->dest = TransitRight{handler.port, MoveSend};
	u32 id = static_cast<u32>(request->id);
	bool stateful = (handler.behavior & ~ExceptionFlags) != ExceptionDefault;

	/*
	 * The handler's receiver pays for the request, as for a notice; it is
	 * queued past the queue's limit, as XNU's kernel sends are.
	 */
	Port *port = handler.port;
	port->bind_owner(request->charge);
	Answer answer = Answer::Declined;
	if (!request->charge.add(sizeof(Message) + request->body_size() + trailer_max) ||
	    !port->enqueue(request, false)) {
		/* Taken back unused: no send-once notice to wait for later. */
		request->reply.port->release(request->reply);
		request->reply = {};
		Message::destroy(request);
	} else {
		Message *reply = nullptr;
		Kr kr = reply_port->dequeue_killable(&reply);
		if (kr == Kr::RcvInterrupted) {
			answer = Answer::Killed;
		} else if (kr == Kr::Success) {
			/* Its destination right did its work: no send-once notice. */
			reply->dest.port->release(reply->dest);
			reply->dest = {};
			answer = take_reply(*reply, id, stateful, thread);
			Message::destroy(reply);
		}
	}
	return answer;
}

} /* namespace */

void arm_exceptions(const ExceptionTarget &target)
{
	if (!target.table->mask())
		return;
	if (target.task)
		mach_shim_task_arm_exceptions(target.task->os());
	else if (target.thread)
		mach_shim_task_arm_exceptions(target.thread->task()->os());
	else
		mach_shim_tasks_arm_exceptions();
}

bool raise_exception(Thread &thread, u32 type, const u64 code[exception_code_max],
		     bool *killed)
{
	*killed = false;
	for (u32 level = 0; level < 3; level++) {
		ExceptionHandler handler;
		if (!handler_at(level, thread, type, &handler))
			continue;
		switch (raise_to(handler, thread, type, code)) {
		case Answer::Resumed:
			return true;
		case Answer::Declined:
			continue;
		case Answer::Killed:
			*killed = true;
			return false;
		}
	}
	return false;
}

} /* namespace mach */

/* The calling thread of task has faulted: see core.h. */
int mach_core_raise_exception(struct mach_task *t, struct mach_fault *fault)
{
	using namespace mach;
	Task *task = Task::from(t);
	Ref<Thread> thread = task->adopt_current();
	if (!thread)
		return 0;
	mach_thread_os *os = thread->os();
	mach_shim_thread_fault_begin(os, fault);
	bool killed;
	bool resumed = raise_exception(*thread.get(), fault->type, fault->code, &killed);
	mach_shim_thread_fault_end(os);
	if (killed)
		return -MACH_EINTR;
	return resumed;
}

mach_bool mach_task_raises_exceptions(struct mach_task *t)
{
	/* A thread's own handlers arm its task as they are set. */
	return mach::Task::from(t)->exception_mask() != 0 || mach::host_exceptions_set();
}
