// SPDX-License-Identifier: GPL-2.0
/*
 * mig_task.cc - the task (3400) and thread_act (3600) interfaces as
 * messages: each request decoded into the call ioctl.cc makes. Ids are
 * counted as in XNU's task.defs and thread_act.defs, routines and skips
 * alike: task_sample is 3422 there (a routine on XNU's user side, a
 * skip in its kernel's server, which samples nothing).
 */
#include "exception.h"
#include "mig.h"
#include "port.h"
#include "resolve.h"
#include "sample.h"
#include "task_calls.h"
#include "task_create.h"
#include "thread_calls.h"
#include "thread_policy.h"

namespace mach {
namespace {

/* MIG's largest counts of these arrays (XNU's mach_types.defs). */
constexpr u32 task_info_mig_max = 94;
constexpr u32 thread_state_mig_max = 1296;
constexpr u32 thread_info_mig_max = 32;

constexpr u32 min(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* The task the request's destination stands for (a control port). */
Kr target_task(MigCall &call, Ref<Task> *task, u64 *program = nullptr)
{
	return task_of(call.caller, call.target, Kr::InvalidArgument, task, program);
}

Kr task_terminate_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	u64 program;
	Kr kr = target_task(call, &task, &program);
	return kr != Kr::Success ? kr : task_terminate(*task.get(), program);
}

/* task_info(flavor, count): any port of the task, its name port too. */
Kr task_info_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = task_name_of(call.caller, call.target, &task);
	if (kr != Kr::Success)
		return kr;
	/*
	 * Formatted in the reply itself, which has room for the most words
	 * (reply_max; in place, the count asked: mig_reply_bound()): no
	 * array of them zeroed on the stack, then copied.
	 */
	u32 count = min(min(call.in32(mig_args + 4), task_info_mig_max), task_info_max_count);
	kr = task_info(*task.get(), call.in32(mig_args), call.out_array_room(), &count);
	if (kr != Kr::Success)
		return kr;
	call.out_array_count(count);
	return Kr::Success;
}

/*
 * task_set_info(flavor, task_info_in[count]): XNU's kernel sets no
 * flavour (TASK_TRACE_MEMORY_INFO, which it knows, is its
 * KERN_NOT_SUPPORTED only with CONFIG_ATM): every one of a live task is
 * KERN_INVALID_ARGUMENT, after MIG's checks and the task's.
 */
Kr task_set_info_call(MigCall &call)
{
	u32 count;
	if (!call.simple_array(mig_args + 4, task_info_mig_max, &count))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	return kr != Kr::Success ? kr : Kr::InvalidArgument;
}

Kr task_suspend_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	return kr != Kr::Success ? kr : task_suspend(*task.get());
}

Kr task_resume_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	return kr != Kr::Success ? kr : task_resume(*task.get());
}

Kr task_get_special_port_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	if (kr != Kr::Success)
		return kr;
	TransitRight right;
	kr = task->get_special(call.in32(mig_args), &right);
	if (kr != Kr::Success)
		return kr;
	return call.out_port(right) ? Kr::Success : Kr::ResourceShortage;
}

/* The port in a descriptor, then NDR and which_port. */
Kr task_set_special_port_call(MigCall &call)
{
	constexpr u32 which_at = mig_port_args;
	if (!call.complex(1, which_at + 4))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	if (kr != Kr::Success)
		return kr;
	return task->set_special(call.in32(which_at), call.take_right(0));
}

/* mach_ports_register, as XNU 15 sends it: three port descriptors. */
Kr ports_register_call(MigCall &call)
{
	if (!call.complex(registered_max, sizeof(MsgHeader) + 4 + 12 * registered_max))
		return Kr::MigBadArguments;
	for (u32 i = 0; i < registered_max; i++)
		if (!call.carries_send(i))
			return Kr::MigTypeError;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	if (kr != Kr::Success)
		return kr;
	TransitRight rights[registered_max];
	for (u32 i = 0; i < registered_max; i++)
		rights[i] = call.take_right(i);
	return task->register_ports(rights, registered_max);
}

/* mach_ports_lookup: the three registered ports, in port descriptors. */
Kr ports_lookup_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	if (kr != Kr::Success)
		return kr;
	TransitRight rights[registered_max];
	task->lookup_ports(rights);
	return call.out_ports(rights, registered_max, MoveSend) ? Kr::Success :
								 Kr::ResourceShortage;
}

Kr get_exception_ports_call(MigCall &call)
{
	return mig_get_exception_ports(call, ExceptionLevel::Task);
}

Kr set_exception_ports_call(MigCall &call)
{
	return mig_set_exception_ports(call, ExceptionLevel::Task, false);
}

Kr swap_exception_ports_call(MigCall &call)
{
	return mig_set_exception_ports(call, ExceptionLevel::Task, true);
}

/*
 * task_sample (3422, where the task interface of XNU's task.defs has it:
 * a user-side routine, a skip in XNU's own kernel server): the sample
 * port in one descriptor, made a send right from the sender's receive
 * right (mach_port_make_send_t), or null; no other argument.
 */
Kr task_sample_call(MigCall &call)
{
	if (!call.complex(1, sizeof(MsgHeader) + 4 + 12))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	Ref<Task> task;
	u64 program;
	Kr kr = target_task(call, &task, &program);
	if (kr != Kr::Success)
		return kr;
	return task_sample(*task.get(), call.take_right(0), program);
}

/* task_suspend2 (3436): the suspension token, a send-once right, out. */
Kr task_suspend2_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	if (kr != Kr::Success)
		return kr;
	TransitRight token;
	kr = task_suspend2(*task.get(), &token);
	if (kr != Kr::Success)
		return kr;
	return call.out_ports(&token, 1, MoveSendOnce) ? Kr::Success : Kr::ResourceShortage;
}

/*
 * task_resume2 (3437): sent to the token itself, which the request's
 * destination right is: used up here, it resumes the task once (dropped
 * unused, it would too, later: Port::drop()).
 */
Kr task_resume2_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task = call.target.task_resumed();
	if (!task)
		return Kr::InvalidArgument;	/* not a token: XNU's TASK_NULL */
	TransitRight token = call.take_target_right();
	if (token.port)
		token.port->release(token);
	return task_resume(*task.get());
}

/* mach_task_is_self (3455): any port of a task, its name port too. */
Kr task_is_self_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = task_name_of(call.caller, call.target, &task);
	if (kr != Kr::Success)
		return kr;
	call.out32(mig_results, task_is_self(call.caller, *task.get()));
	call.set_reply_size(mig_results + 4);
	return Kr::Success;
}

/* task_threads: send rights to every thread, out of line. */
Kr task_threads_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	Kr kr = target_task(call, &task);
	if (kr != Kr::Success)
		return kr;
	/* As many as there are, if they stop coming faster than we look. */
	u32 count = 0;
	for (int tries = 0; tries < 8; tries++) {
		u32 capacity = 2 * count + 8;
		auto *rights = static_cast<TransitRight *>(
			mach_shim_alloc(MACH_KIND_MEMORY, sizeof(TransitRight) * capacity));
		if (!rights)
			return Kr::ResourceShortage;
		kr = thread_rights(*task.get(), rights, capacity, &count);
		if (kr == Kr::NoSpace) {
			for (u32 i = 0; i < capacity; i++)
				if (rights[i].port)
					rights[i].port->drop(rights[i]);
			mach_shim_free(MACH_KIND_MEMORY, rights);
			continue;
		}
		if (kr == Kr::Success && !call.out_port_array(rights, count))
			kr = Kr::ResourceShortage;
		mach_shim_free(MACH_KIND_MEMORY, rights);
		return kr;
	}
	return Kr::ResourceShortage;
}

/* thread_create: a new thread, suspended; its port out. */
Kr thread_create_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	Ref<Task> task;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task, &program, true);
	if (kr != Kr::Success)
		return kr;
	Ref<Thread> thread;
	kr = thread_make(*task.get(), program, &thread);
	if (kr != Kr::Success)
		return kr;
	Ref<Port> port = thread->port();
	if (!port) {
		thread_unmake(*task.get(), *thread.get());
		return Kr::Failure;
	}
	port->make_send();
	if (!call.out_port(TransitRight{port.release(), MoveSend})) {
		thread_unmake(*task.get(), *thread.get());
		return Kr::ResourceShortage;
	}
	return Kr::Success;
}

/* thread_create_running: flavor, then a count of state words; its port out, run. */
Kr thread_create_running_call(MigCall &call)
{
	u32 count;
	if (!call.simple_array(mig_args + 4, thread_state_mig_max, &count))
		return Kr::MigBadArguments;
	Ref<Task> task;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidArgument, &task, &program, true);
	if (kr != Kr::Success)
		return kr;
	u32 state[thread_state_max];
	__builtin_memcpy(state, call.in_words(mig_args + 8), 4 * min(count, thread_state_max));
	Ref<Thread> thread;
	kr = thread_make_with_state(*task.get(), program, call.in32(mig_args), state, count,
				    &thread);
	if (kr != Kr::Success)
		return kr;
	Ref<Port> port = thread->port();
	if (port)
		port->make_send();
	if (!port || !call.out_port(TransitRight{port.release(), MoveSend})) {
		thread_unmake(*task.get(), *thread.get());
		return port ? Kr::ResourceShortage : Kr::Failure;
	}
	bool run;
	thread->resume(&run);
	return Kr::Success;
}

/* task_create: the ledgers out of line, then NDR, their count, inherit_memory. */
Kr task_create_call(MigCall &call)
{
	constexpr u32 count_at = sizeof(MsgHeader) + 4 + 16 + sizeof(ndr_record);
	if (!call.complex(1, count_at + 8))
		return Kr::MigBadArguments;
	if (!mig_ledgers_fit(call, 0, count_at))
		return Kr::MigTypeError;
	Ref<Task> parent;
	u64 program;
	Kr kr = target_task(call, &parent, &program);
	if (kr != Kr::Success)
		return kr;
	TaskCreate create{};
	return mig_create_task(call, 0, count_at, *parent.get(), program, create);
}

/* thread_act: the thread the request's destination stands for. */
Kr target_thread(MigCall &call, u32 size, Ref<Thread> *thread)
{
	if (!call.simple(size))
		return Kr::MigBadArguments;
	return thread_of(call.caller, call.target, thread);
}

Kr thread_terminate_call(MigCall &call)
{
	Ref<Thread> thread;
	Kr kr = target_thread(call, sizeof(MsgHeader), &thread);
	if (kr == Kr::Success)
		thread_terminate(*thread.get());
	return kr;
}

/*
 * A count-in/out routine on a thread (flavor, room): fn's words back,
 * capped at MIG's maximum. thread_get_state and thread_info.
 */
Kr thread_words_call(MigCall &call, u32 mig_max,
		     Kr (*fn)(Thread &thread, u32 flavor, u32 *words, u32 *count))
{
	static_assert(thread_state_max >= thread_info_max);
	Ref<Thread> thread;
	Kr kr = target_thread(call, mig_args + 8, &thread);
	if (kr != Kr::Success)
		return kr;
	u32 words[thread_state_max];
	u32 count = min(min(call.in32(mig_args + 4), mig_max), thread_state_max);
	kr = fn(*thread.get(), call.in32(mig_args), words, &count);
	if (kr == Kr::Success)
		call.out_array(words, count);
	return kr;
}

Kr thread_get_state_call(MigCall &call)
{
	return thread_words_call(call, thread_state_mig_max, thread_get_state);
}

/* flavor, then a count of words that end the request. */
Kr thread_set_state_call(MigCall &call)
{
	u32 count;
	if (!call.simple_array(mig_args + 4, thread_state_mig_max, &count))
		return Kr::MigBadArguments;
	Ref<Thread> thread;
	Kr kr = thread_of(call.caller, call.target, &thread);
	if (kr != Kr::Success)
		return kr;
	u32 state[thread_state_max];
	__builtin_memcpy(state, call.in_words(mig_args + 8), 4 * min(count, thread_state_max));
	return thread_set_state(*thread.get(), call.in32(mig_args), state, count);
}

Kr thread_suspend_call(MigCall &call)
{
	Ref<Thread> thread;
	Kr kr = target_thread(call, sizeof(MsgHeader), &thread);
	return kr != Kr::Success ? kr : thread->suspend();
}

Kr thread_resume_call(MigCall &call)
{
	Ref<Thread> thread;
	bool run;
	Kr kr = target_thread(call, sizeof(MsgHeader), &thread);
	return kr != Kr::Success ? kr : thread->resume(&run);
}

Kr thread_abort_call(MigCall &call)
{
	Ref<Thread> thread;
	Kr kr = target_thread(call, sizeof(MsgHeader), &thread);
	if (kr == Kr::Success)
		mach_shim_thread_abort(thread->os());
	return kr;
}

Kr thread_abort_safely_call(MigCall &call)
{
	Ref<Thread> thread;
	Kr kr = target_thread(call, sizeof(MsgHeader), &thread);
	return kr != Kr::Success ? kr : thread_abort_safely(*thread.get());
}

/* thread_get_special_port(which): a port out. */
Kr thread_get_special_port_call(MigCall &call)
{
	Ref<Thread> thread;
	Kr kr = target_thread(call, mig_args + 4, &thread);
	if (kr != Kr::Success)
		return kr;
	TransitRight right;
	kr = thread_get_special_port(*thread.get(), call.in32(mig_args), &right);
	if (kr != Kr::Success)
		return kr;
	return call.out_port(right) ? Kr::Success : Kr::ResourceShortage;
}

/* The port in a descriptor, then NDR and which_port. */
Kr thread_set_special_port_call(MigCall &call)
{
	constexpr u32 which_at = mig_port_args;
	if (!call.complex(1, which_at + 4))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	Ref<Thread> thread;
	Kr kr = thread_of(call.caller, call.target, &thread);
	if (kr != Kr::Success)
		return kr;
	return thread_set_special_port(*thread.get(), call.in32(which_at), call.take_right(0));
}

/* thread_policy_set: flavor, then a count of words that end the request. */
Kr thread_policy_set_call(MigCall &call)
{
	u32 count;
	if (!call.simple_array(mig_args + 4, thread_policy_max, &count))
		return Kr::MigBadArguments;
	Ref<Thread> thread;
	Kr kr = thread_of(call.caller, call.target, &thread);
	if (kr != Kr::Success)
		return kr;
	return thread_policy_set(*thread.get(), call.in32(mig_args), call.in_words(mig_args + 8),
				 count);
}

/*
 * thread_policy_get: flavor, room, get_default in; the words, then
 * get_default after them, out.
 */
Kr thread_policy_get_call(MigCall &call)
{
	Ref<Thread> thread;
	Kr kr = target_thread(call, mig_args + 12, &thread);
	if (kr != Kr::Success)
		return kr;
	u32 info[thread_policy_max];
	u32 count = min(call.in32(mig_args + 4), thread_policy_max);
	bool get_default = call.in32(mig_args + 8) != 0;
	kr = thread_policy_get(*thread.get(), call.in32(mig_args), info, &count, &get_default);
	if (kr != Kr::Success)
		return kr;
	call.out_array(info, count);
	u32 at = mig_results + 4 + 4 * count;
	call.out32(at, get_default);
	call.set_reply_size(at + 4);
	return Kr::Success;
}

Kr thread_info_call(MigCall &call)
{
	return thread_words_call(call, thread_info_mig_max, thread_info);
}

Kr thread_set_exception_ports_call(MigCall &call)
{
	return mig_set_exception_ports(call, ExceptionLevel::Thread, false);
}

Kr thread_get_exception_ports_call(MigCall &call)
{
	return mig_get_exception_ports(call, ExceptionLevel::Thread);
}

Kr thread_swap_exception_ports_call(MigCall &call)
{
	return mig_set_exception_ports(call, ExceptionLevel::Thread, true);
}

/* A reply of count words after RetCode and their count. */
constexpr u32 array_reply(u32 count)
{
	return mig_results + 4 + 4 * count;
}

/* A reply carrying one port descriptor. */
constexpr u32 port_reply = sizeof(MsgHeader) + 4 + 12;

constexpr MigRoutine routines[] = {
	{3400, port_reply, task_create_call},
	{3401, mig_reply_error_size, task_terminate_call},
	{3402, sizeof(MsgHeader) + 4 + 16 + sizeof(ndr_record) + 4, task_threads_call, true},
	{3403, mig_reply_error_size, ports_register_call},
	{3404, sizeof(MsgHeader) + 4 + 12 * registered_max, ports_lookup_call},
	{3405, array_reply(task_info_max_count), task_info_call, true, mig_args + 4},
	{3406, mig_reply_error_size, task_set_info_call},
	{3407, mig_reply_error_size, task_suspend_call},
	{3408, mig_reply_error_size, task_resume_call},
	{3409, port_reply, task_get_special_port_call, true},
	{3410, mig_reply_error_size, task_set_special_port_call},
	{3411, port_reply, thread_create_call},
	{3412, port_reply, thread_create_running_call},
	{3413, mig_reply_error_size, set_exception_ports_call},
	{3414, mig_exception_ports_reply_max, get_exception_ports_call},
	{3415, mig_exception_ports_reply_max, swap_exception_ports_call},
	{3418, port_reply, mig_semaphore_create},
	{3419, mig_reply_error_size, mig_semaphore_destroy},
	{3422, mig_reply_error_size, task_sample_call},
	{3436, port_reply, task_suspend2_call},
	{3437, mig_reply_error_size, task_resume2_call},
	{3455, mig_results + 4, task_is_self_call, true},
	{3600, mig_reply_error_size, thread_terminate_call},
	{3603, array_reply(thread_state_max), thread_get_state_call, true},
	{3604, mig_reply_error_size, thread_set_state_call},
	{3605, mig_reply_error_size, thread_suspend_call},
	{3606, mig_reply_error_size, thread_resume_call},
	{3607, mig_reply_error_size, thread_abort_call},
	{3608, mig_reply_error_size, thread_abort_safely_call},
	{3610, port_reply, thread_get_special_port_call, true},
	{3611, mig_reply_error_size, thread_set_special_port_call},
	{3612, array_reply(thread_info_max), thread_info_call, true},
	{3613, mig_reply_error_size, thread_set_exception_ports_call},
	{3614, mig_exception_ports_reply_max, thread_get_exception_ports_call},
	{3615, mig_exception_ports_reply_max, thread_swap_exception_ports_call},
	{3617, mig_reply_error_size, thread_policy_set_call},
	{3618, array_reply(thread_policy_max) + 4, thread_policy_get_call, true},
};

/*
 * The reply of a get or a swap: all 32 port descriptors (unused ones
 * null), then NDR, the count of groups, and their masks, behaviors and
 * flavors, packed. Takes the handlers' rights.
 */
Kr exception_ports_reply(MigCall &call, u32 groups, const u32 *masks,
			 ExceptionHandler *handlers, TransitRight *rights)
{
	u32 words[1 + 3 * exception_types];
	words[0] = groups;
	for (u32 i = 0; i < groups; i++) {
		if (handlers[i].port)
			rights[i] = TransitRight{handlers[i].port, MoveSend};
		words[1 + i] = masks[i];
		words[1 + groups + i] = handlers[i].behavior;
		words[1 + 2 * groups + i] = handlers[i].flavor;
	}
	return call.out_ports(rights, exception_ports_mig_max, MoveSend, words, 1 + 3 * groups) ?
		       Kr::Success : Kr::ResourceShortage;
}

/* Room for the reply's rights, made before the handlers change. */
TransitRight *exception_rights()
{
	/* (Off the stack: 32 of them, most of them none.) */
	auto *rights = static_cast<TransitRight *>(
		mach_shim_alloc(MACH_KIND_MEMORY, sizeof(TransitRight) * exception_ports_mig_max));
	if (rights)
		for (u32 i = 0; i < exception_ports_mig_max; i++)
			rights[i] = {};
	return rights;
}

} /* namespace */

Kr mig_get_exception_ports(MigCall &call, ExceptionLevel level)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	ExceptionTarget target;
	Kr kr = exception_target_of(call.caller, call.target, level, &target);
	if (kr != Kr::Success)
		return kr;
	TransitRight *rights = exception_rights();
	if (!rights)
		return Kr::ResourceShortage;
	u32 masks[exception_types], groups;
	ExceptionHandler handlers[exception_types];
	kr = target.table->get(call.in32(mig_args), exception_types, masks, handlers, &groups);
	if (kr == Kr::Success)
		kr = exception_ports_reply(call, groups, masks, handlers, rights);
	mach_shim_free(MACH_KIND_MEMORY, rights);
	return kr;
}

Kr mig_set_exception_ports(MigCall &call, ExceptionLevel level, bool swap)
{
	constexpr u32 mask_at = mig_port_args;
	if (!call.complex(1, mask_at + 12))
		return Kr::MigBadArguments;
	if (!call.carries_send(0))
		return Kr::MigTypeError;
	ExceptionTarget target;
	Kr kr = exception_target_of(call.caller, call.target, level, &target);
	if (kr != Kr::Success)
		return kr;
	u32 mask = call.in32(mask_at), behavior = call.in32(mask_at + 4);
	u32 flavor = call.in32(mask_at + 8);
	if (!swap) {
		kr = target.table->set(mask, call.take_right(0), behavior, flavor);
		if (kr == Kr::Success)
			arm_exceptions(target);
		return kr;
	}
	TransitRight *rights = exception_rights();
	if (!rights)
		return Kr::ResourceShortage;
	u32 masks[exception_types], groups;
	ExceptionHandler handlers[exception_types];
	kr = target.table->swap(mask, call.take_right(0), behavior, flavor, exception_types,
				masks, handlers, &groups);
	if (kr == Kr::Success) {
		arm_exceptions(target);
		kr = exception_ports_reply(call, groups, masks, handlers, rights);
	}
	mach_shim_free(MACH_KIND_MEMORY, rights);
	return kr;
}

bool mig_ledgers_fit(const MigCall &call, u32 i, u32 count_at)
{
	u32 count;
	return call.carries_send_array(i, &count) && count == call.in32(count_at);
}

Kr mig_create_task(MigCall &call, u32 i, u32 count_at, Task &parent, u64 program,
		   TaskCreate &create)
{
	create.inherit_memory = call.in32(count_at + 4) != 0;
	/* Exactly two real ledgers (wired, then paged), or the parent's. */
	TransitRight ledgers[2];
	if (call.in32(count_at) == 2 && call.take_rights(i, ledgers, 2) == 2) {
		bool real = true;
		for (TransitRight &ledger : ledgers)
			real = real && ledger.port && ledger.port->object() == Object::Ledger;
		for (u32 j = 0; j < 2 && real; j++)
			create.ledgers[j] = Ref<Port>::share(ledgers[j].port);
	}
	/* (The ledgers held, if taken: the child gets rights of its own.) */
	for (TransitRight &ledger : ledgers)
		if (ledger.port)
			ledger.port->drop(ledger);
	TransitRight child;
	Kr kr = task_create_right(call.caller, parent, program, create, &child);
	if (kr != Kr::Success)
		return kr;
	/* No room for the reply: the child, now without senders, ends. */
	return call.out_port(child) ? Kr::Success : Kr::ResourceShortage;
}

const MigRoutines mig_task_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
