// SPDX-License-Identifier: GPL-2.0
/*
 * sema_calls.cc - MACH_IOC_SEMAPHORE: semaphore_create and
 * semaphore_destroy as their MIG stubs would send them (mig_sema.cc
 * serves the messages), and XNU's semaphore traps on the caller's names,
 * with their order of checks and their errors; and the two hottest traps
 * with the name as their whole argument (MACH_IOC_SEMAPHORE_SIGNAL, _WAIT).
 */
#include "resolve.h"
#include "sema_calls.h"

namespace mach {
namespace {

constexpr long malformed = -MACH_EINVAL;
constexpr u64 nsec_per_sec = 1000000000;

long result(Kr kr)
{
	/* libmach sends the call as a message to the task's port instead. */
	if (kr == Kr::NotKernelObject)
		return -MACH_EREMOTE;
	return static_cast<long>(kr);
}

long create(Task &caller, mach_semaphore_args &args)
{
	args.semaphore = Name::null;
	Ref<Task> task;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return result(kr);
	TransitRight right;
	kr = Semaphore::create(*task.get(), args.policy, args.value, &right);
	if (kr != Kr::Success)
		return result(kr);
	return result(caller.space().copyout(right, &args.semaphore));
}

/*
 * The semaphore travels as MIG's move-send: a bad name fails the send,
 * and the right is gone once the task's port took it, whatever the answer.
 */
long destroy(Task &caller, mach_semaphore_args &args)
{
	Ref<Task> task;
	Kr kr = resolve_target_task(caller, args.task, Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return result(kr);
	if (args.semaphore == Name::null)
		return result(Kr::InvalidArgument);
	TransitRight right;
	kr = caller.space().copyin_right(Name{args.semaphore}, MoveSend, &right);
	if (kr != Kr::Success)
		return result(kr);
	Ref<Semaphore> semaphore = right.port->semaphore();
	kr = semaphore ? semaphore->destroy(*task.get()) : Kr::InvalidArgument;
	right.port->drop(right);
	return result(kr);
}

/* semaphore_signal_thread_trap: the thread first, then the semaphore. */
long signal_thread(Task &caller, mach_semaphore_args &args)
{
	Ref<Thread> thread;
	if (args.thread != Name::null &&
	    resolve_thread(caller, args.thread, &thread) != Kr::Success)
		return result(Kr::InvalidArgument);
	Ref<Semaphore> semaphore;
	Kr kr = semaphore_named(caller, args.semaphore, &semaphore);
	if (kr != Kr::Success)
		return result(kr);
	const void *id = nullptr;
	if (thread) {
		id = mach_shim_thread_id(thread->os());
		/* Not started yet, it waits nowhere: an id no waiter has. */
		if (!id)
			id = thread.get();
	}
	return result(semaphore->signal_thread(id));
}

/*
 * The waits, timed or not, with a semaphore to signal or not. A wait cut
 * short by a stop or an abort restarts as what is left of it: a plain
 * wait (its signal was given) for the time that remains.
 */
long wait(Task &caller, mach_semaphore_args &args)
{
	bool timed = args.flags & MACH_SEMAPHORE_TIMED;
	if (timed && (args.nsec < 0 || static_cast<u64>(args.nsec) >= nsec_per_sec))
		return result(Kr::InvalidValue);
	Ref<Semaphore> signal, semaphore;
	Kr kr = Kr::Success;
	if (args.op == MACH_SEMAPHORE_WAIT_SIGNAL)
		kr = semaphore_named(caller, args.signal, &signal);
	if (kr == Kr::Success)
		kr = semaphore_named(caller, args.semaphore, &semaphore);
	if (kr != Kr::Success)
		return result(kr);

	SemaphoreWait how;
	if (timed && !args.sec && !args.nsec)
		how.no_block = true;
	else if (timed)
		how.deadline_ns = mach_shim_now_ns() + args.sec * nsec_per_sec +
				  static_cast<u64>(args.nsec);
	bool restart;
	kr = semaphore->wait(signal.get(), how, &restart);
	if (!restart)
		return result(kr);
	args.op = MACH_SEMAPHORE_WAIT;
	args.signal = Name::null;
	if (timed) {
		u64 now = mach_shim_now_ns();
		u64 left = now < how.deadline_ns ? how.deadline_ns - now : 0;
		args.sec = static_cast<u32>(left / nsec_per_sec);
		args.nsec = static_cast<s32>(left % nsec_per_sec);
	}
	return -MACH_ERESTARTNOINTR;
}

} /* namespace */

Kr semaphore_named(Task &caller, u32 name, Ref<Semaphore> *semaphore)
{
	if (!Name{name}.valid())
		return Kr::InvalidName;
	bool dead = false;
	bool named = caller.space().with_send(Name{name}, [&](Port &port) {
		*semaphore = Ref<Semaphore>::share(port.semaphore_named());
		dead = port.dead();
	});
	if (!named) {
		u32 type;
		return caller.space().type(Name{name}, &type) == Kr::Success ? Kr::InvalidRight :
									       Kr::InvalidName;
	}
	if (*semaphore)
		return Kr::Success;
	/* A send right to a port that died is a dead name. */
	return dead ? Kr::InvalidRight : Kr::InvalidCapability;
}

long semaphore_trap(Task &caller, bool wait, u32 name)
{
	Ref<Semaphore> semaphore;
	Kr kr = semaphore_named(caller, name, &semaphore);
	if (kr != Kr::Success)
		return result(kr);
	if (!wait)
		return result(semaphore->signal());
	bool restart;
	kr = semaphore->wait(nullptr, SemaphoreWait{}, &restart);
	return restart ? -MACH_ERESTARTNOINTR : result(kr);
}

long semaphore_ioctl(Task &caller, mach_semaphore_args &args)
{
	bool waits = args.op == MACH_SEMAPHORE_WAIT || args.op == MACH_SEMAPHORE_WAIT_SIGNAL;
	if ((args.flags & ~MACH_SEMAPHORE_TIMED) || (args.flags && !waits))
		return malformed;
	switch (args.op) {
	case MACH_SEMAPHORE_CREATE:
		return create(caller, args);
	case MACH_SEMAPHORE_DESTROY:
		return destroy(caller, args);
	case MACH_SEMAPHORE_SIGNAL_THREAD:
		return signal_thread(caller, args);
	case MACH_SEMAPHORE_WAIT:
	case MACH_SEMAPHORE_WAIT_SIGNAL:
		return wait(caller, args);
	case MACH_SEMAPHORE_SIGNAL:
	case MACH_SEMAPHORE_SIGNAL_ALL: {
		Ref<Semaphore> semaphore;
		Kr kr = semaphore_named(caller, args.semaphore, &semaphore);
		if (kr == Kr::Success)
			kr = args.op == MACH_SEMAPHORE_SIGNAL ? semaphore->signal() :
								semaphore->signal_all();
		return result(kr);
	}
	default:
		return malformed;
	}
}

} /* namespace mach */
