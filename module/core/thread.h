/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread.h - a Mach thread: a Linux thread of its task's process, with a
 * thread port, a suspend count and exception ports. Threads made by
 * thread_create are Mach threads, and so are the task's other threads
 * once a call names them (mach_thread_self, task_threads, a suspension of
 * the task adopts them as they run); the agent never is one.
 */
#ifndef MACH_CORE_THREAD_H
#define MACH_CORE_THREAD_H

#include "base.h"
#include "exception_ports.h"
#include "port.h"
#include "thread_state.h"

struct mach_thread {};

namespace mach {

class Task;

class Thread : public mach_thread {
public:
	static constexpr mach_shim_kind kind = MACH_KIND_MEMORY;

	/*
	 * A live thread of task backed by os; the caller owns the reference.
	 * Made suspended, unless it is a running thread adopted as it is.
	 */
	static Thread *create(Task *task, mach_thread_os *os, bool running = false);
	static Thread *from(mach_thread *t) { return static_cast<Thread *>(t); }

	void get() { refs_.get(); }
	void put();

	mach_thread_os *os() const { return os_; }
	Task *task() const { return task_; }
	/* The thread port while the thread lives, with a reference; else empty. */
	Ref<Port> port();
	/* Counted. resume: *run when the count reaches 0. */
	Kr suspend();
	Kr resume(bool *run);
	u32 suspend_count();
	/*
	 * The thread is gone (or going): its port dies, and its exception
	 * handlers' rights are dropped.
	 */
	void terminate();

	/* thread_policy's affinity tag: a hint, kept (0: none). */
	u32 affinity_tag()
	{
		Guard g(lock_);
		return affinity_tag_;
	}
	void set_affinity_tag(u32 tag)
	{
		Guard g(lock_);
		affinity_tag_ = tag;
	}

	/*
	 * The thread's exception ports (thread_set/get/swap_exception_ports):
	 * a new thread has none (thread_create inherits nothing, as on XNU).
	 */
	ExceptionPorts &exception_ports() { return exceptions_; }
	/*
	 * For the delivery of an exception of type, at the thread's level
	 * (the first asked): its handler, with a new send right to the port
	 * and a reference to it, which the caller releases or moves into the
	 * exception message; true. false (*out cleared) if the thread has
	 * none for type, or is gone. ExceptionPorts::handler() says more.
	 */
	bool exception_handler(u32 type, ExceptionHandler *out)
	{
		return exceptions_.handler(type, out);
	}

	/*
	 * The port its exceptions' replies come to (exception.cc), made at
	 * its first fault and kept, as XNU keeps a thread's reply port: a
	 * fault then costs no new port. The thread's own; null if none could
	 * be made.
	 */
	Port *exception_reply_port();

	Thread(Task *task, mach_thread_os *os) : task_(task), os_(os) {}
	~Thread();

	/* in the task's list, under its lock_; the detacher's once taken off */
	Thread *next = nullptr;

private:
	RefCount refs_;			/* atomic */
	Lock lock_{MACH_LOCK_THREAD};
	Task *const task_;		/* immutable; a reference */
	mach_thread_os *const os_;	/* immutable */
	/* set at creation, before the thread is seen; then as below */
	Port *port_ = nullptr;		/* guarded by lock_; a reference */
	u32 suspend_count_ = 1;		/* guarded by lock_; created suspended */
	u32 affinity_tag_ = 0;		/* guarded by lock_ */
	ExceptionPorts exceptions_;	/* its own lock */
	/* the thread's own (only it faults as itself); a reference */
	Port *exception_reply_ = nullptr;
};

} /* namespace mach */

#endif /* MACH_CORE_THREAD_H */
