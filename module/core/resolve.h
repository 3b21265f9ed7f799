/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resolve.h - from the port a call names to the kernel object it acts on.
 *
 * A call reaches a task, thread or host through a send right of the
 * caller's. The ioctl front end finds that port by name in the caller's
 * space; a message front end has it as the request's destination. Either
 * way the rules below decide whether it still stands for its object.
 */
#ifndef MACH_CORE_RESOLVE_H
#define MACH_CORE_RESOLVE_H

#include "host.h"
#include "task.h"
#include "thread.h"

namespace mach {

/*
 * The task port stands for, and the program its process runs
 * (Task::program(); 0 for the caller's own). A port that died is
 * not a destination at all (MACH_SEND_INVALID_DEST); a live port of
 * another kind gives not_a_task. A port that stood for the process's
 * program before an exec is dead from the moment that is seen: the new
 * program is not the one the right was given out for. A call that the
 * task's agent runs (queued) does not wait for a new shell to be set up.
 */
Kr task_of(Task &caller, Port &port, Kr not_a_task, Ref<Task> *task,
	   u64 *program = nullptr, bool queued = false);
/* The same, through the caller's send right name (null: not a right). */
Kr resolve_task(Task &caller, u32 name, Kr not_a_task, Ref<Task> *task,
		u64 *program = nullptr, bool queued = false);
/*
 * As resolve_task(), and a task's name port too: for the calls that only
 * inspect (task_info, pid_for_task). A name port outlives an exec.
 */
Kr task_name_of(Task &caller, Port &port, Ref<Task> *task);
Kr resolve_task_name(Task &caller, u32 name, Ref<Task> *task);
/*
 * The thread port stands for: a thread port, like its task's, stands for
 * the program its process ran when it was given out.
 */
Kr thread_of(Task &caller, Port &port, Ref<Thread> *thread);
/* The same, through the caller's send right name. */
Kr resolve_thread(Task &caller, u32 name, Ref<Thread> *thread);
/*
 * The same for the port a call is made on, when libmach can send that
 * call as a message: an ordinary port (no kernel object's) gives
 * Kr::NotKernelObject, so that the request goes to whoever holds its
 * receive right, as a MIG stub's would.
 */
Kr resolve_target_task(Task &caller, u32 name, Kr not_a_task, Ref<Task> *task,
		       u64 *program = nullptr, bool queued = false);
Kr resolve_target_task_name(Task &caller, u32 name, Ref<Task> *task);
Kr resolve_target_thread(Task &caller, u32 name, Ref<Thread> *thread);
/* The host port a send right names: HostPort::Count for another kind. */
Kr resolve_host(Task &caller, u32 name, HostPort *held);
/* The same, for a call libmach can send as a message (as above). */
Kr resolve_target_host(Task &caller, u32 name, HostPort *held);
/* Whose exception ports a call is made on (exception_ports.h). */
enum class ExceptionLevel { Task, Thread, Host };

/* The table a call acts on, and the reference that keeps it alive. */
struct ExceptionTarget {
	Ref<Task> task;		/* at the task level */
	Ref<Thread> thread;	/* at the thread level */
	ExceptionPorts *table = nullptr;	/* theirs, or the host's */
};

/*
 * The exception ports port stands for at level: a task's (as task_of(),
 * InvalidArgument for another kind), a thread's (thread_of()), or the
 * host's, for its privileged port only (host_exception_ports()).
 */
Kr exception_target_of(Task &caller, Port &port, ExceptionLevel level,
		       ExceptionTarget *target);
/* The same through the caller's name, for a call libmach can send as a message. */
Kr resolve_target_exceptions(Task &caller, u32 name, ExceptionLevel level,
			     ExceptionTarget *target);

/* The host port a new task is given: the privileged one if name is it. */
HostPort host_to_give(Task &caller, u32 name);

} /* namespace mach */

#endif /* MACH_CORE_RESOLVE_H */
