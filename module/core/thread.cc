// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "task.h"
#include "thread.h"

namespace mach {

Thread *Thread::create(Task *task, mach_thread_os *os, bool running)
{
	Thread *thread = make<Thread>(task, os);
	if (!thread) {
		mach_shim_thread_free(os);
		return nullptr;
	}
	task->get();
	if (running)
		thread->suspend_count_ = 0;
	if (thread->lock_.ok() && thread->exceptions_.ok())
		thread->port_ = Port::create_for_thread(thread);
	if (!thread->port_) {
		thread->put();
		return nullptr;
	}
	return thread;
}

Thread::~Thread()
{
	if (exception_reply_) {
		exception_reply_->kill();
		exception_reply_->put();
	}
	terminate();
	mach_shim_thread_free(os_);
	task_->put();
}

Port *Thread::exception_reply_port()
{
	if (!exception_reply_)
		exception_reply_ = Port::create_kernel(Object::None);
	return exception_reply_;
}

void Thread::put()
{
	if (refs_.put())
		destroy(this);
}

Ref<Port> Thread::port()
{
	Guard g(lock_);
	return Ref<Port>::share(port_);
}

Kr Thread::suspend()
{
	Guard g(lock_);
	if (!port_)
		return Kr::Terminated;
	if (suspend_count_ == ~0u)
		return Kr::Failure;
	if (suspend_count_++ == 0)
		mach_shim_thread_hold(os_);
	return Kr::Success;
}

Kr Thread::resume(bool *run)
{
	Guard g(lock_);
	*run = false;
	if (!port_)
		return Kr::Terminated;
	if (!suspend_count_)
		return Kr::Failure;
	*run = --suspend_count_ == 0;
	if (*run)
		mach_shim_thread_release(os_);
	return Kr::Success;
}

u32 Thread::suspend_count()
{
	Guard g(lock_);
	return suspend_count_;
}

void Thread::terminate()
{
	Port *port;
	{
		if (!lock_.ok())
			return;
		Guard g(lock_);
		port = port_;
		port_ = nullptr;
	}
	if (port) {
		port->kill();	/* send rights to it are dead names from now */
		port->put();
	}
	exceptions_.close();
}

} /* namespace mach */
