// SPDX-License-Identifier: GPL-2.0
#include "core.h"
#include "host.h"
#include "task.h"

namespace mach {

Task *Task::create(mach_task_os *os)
{
	Task *task = make<Task>(os);
	if (!task) {
		mach_shim_task_free(os);
		return nullptr;
	}
	if (task->quiesce_lock_.ok() && task->adopt_lock_.ok() && task->program_lock_.ok() &&
	    task->lock_.ok() && task->space_.ok() && task->exceptions_.ok() &&
	    (task->semaphores_ = TaskSemaphores::create())) {
		task->port_ = Port::create_for_task(task);
		task->name_port_ = Port::create_for_task(task, Object::TaskName);
	}
	if (!task->port_ || !task->name_port_) {
		task->put();
		return nullptr;
	}
	mach_shim_task_created(os, task);
	return task;
}

Task::~Task()
{
	terminate();
	if (semaphores_)
		semaphores_->put();
	mach_shim_task_free(os());
}

Task::Task(mach_task_os *os) : mach_task{}
{
	mach_shim_ref_init(&this->mach_task::refs, 1);
	mach_task::os = os;
	release = release_task;
}

void Task::release_task(mach_task *task)
{
	destroy(from(task));
}

bool Task::add_thread(Thread *thread)
{
	Guard g(lock_);
	if (dying_)
		return false;
	if (suspend_count_)	/* made in a suspended task: held by it too */
		mach_shim_thread_hold(thread->os());
	thread->get();
	thread->next = threads_;
	threads_ = thread;
	return true;
}

void Task::remove_thread(Thread *thread)
{
	bool found = false;
	{
		Guard g(lock_);
		for (Thread **at = &threads_; *at; at = &(*at)->next) {
			if (*at == thread) {
				*at = thread->next;
				thread->next = nullptr;
				found = true;
				break;
			}
		}
	}
	if (found) {
		if (suspend_count())
			mach_shim_thread_release(thread->os());
		thread->put();
	}
}

Ref<Thread> Task::current_thread()
{
	Guard g(lock_);
	for (Thread *t = threads_; t; t = t->next)
		if (mach_shim_thread_is_current(t->os()))
			return Ref<Thread>::share(t);
	return Ref<Thread>{};
}

Ref<Thread> Task::thread_backed_by(const mach_thread_os *os)
{
	Guard g(lock_);
	for (Thread *t = threads_; t; t = t->next)
		if (t->os() == os)
			return Ref<Thread>::share(t);
	return Ref<Thread>{};
}

namespace {

/* A lock taken killably: held() says whether it was. */
class KillableGuard {
public:
	explicit KillableGuard(Lock &l) : l_(l), held_(l.lock_killable()) {}
	~KillableGuard()
	{
		if (held_)
			l_.unlock();
	}
	KillableGuard(const KillableGuard &) = delete;
	KillableGuard &operator=(const KillableGuard &) = delete;
	bool held() const { return held_; }

private:
	/* immutable; the guard is its holder's only */
	Lock &l_;
	bool held_;
};

} /* namespace */

/*
 * An adopted thread's way out is its agent's stub: the agent is waited for
 * first (and, by adopt_threads(), the threads away through the stub, which
 * it would pass over), so that no lock is held across a wait on another
 * task. The lock is the task's own: an adoption in one task never waits
 * for another's.
 */
Ref<Thread> Task::adopt_current()
{
	Ref<Thread> thread = current_thread();
	if (thread || mach_shim_task_agent_wait(os()))
		return thread;
	KillableGuard adopting(adopt_lock_);
	if (!adopting.held())
		return thread;
	thread = current_thread();	/* adopt_threads() may have, meanwhile */
	if (thread)
		return thread;
	mach_thread_os *adopted = mach_shim_thread_adopt(os());
	Thread *made = adopted ? Thread::create(this, adopted, true) : nullptr;
	if (!made)
		return thread;
	thread = Ref<Thread>::adopt(made);
	if (!add_thread(made))
		return Ref<Thread>{};
	return thread;
}

u32 Task::adopt_threads()
{
	if (mach_shim_task_agent_wait(os()))
		return 0;
	mach_shim_task_detours_wait(os());	/* before the lock: see above */
	return adopt_running();
}

u32 Task::adopt_running()
{
	constexpr u32 batch = 32;
	mach_thread_os *found[batch];
	u32 n, adopted = 0, count;

	threads(nullptr, 0, &count);	/* (drops those that exited) */
	KillableGuard adopting(adopt_lock_);
	if (!adopting.held())
		return 0;
	do {
		n = mach_shim_thread_adopt_others(os(), found, batch);
		for (u32 i = 0; i < n; i++) {
			Thread *made = Thread::create(this, found[i], true);
			if (!made)
				continue;
			adopted += add_thread(made);	/* or the task is dying */
			made->put();
		}
	} while (n == batch);
	return adopted;
}

void Task::threads(Thread **out, u32 capacity, u32 *count)
{
	/* Threads that exited by themselves go first: their ports die. */
	Thread *gone = nullptr;
	{
		Guard g(lock_);
		for (Thread **at = &threads_; *at;) {
			Thread *t = *at;
			if (!mach_shim_thread_gone(t->os())) {
				at = &t->next;
				continue;
			}
			*at = t->next;
			t->next = gone;
			gone = t;
		}
	}
	while (Thread *t = gone) {
		gone = t->next;
		t->next = nullptr;
		t->terminate();
		t->put();
	}

	Guard g(lock_);
	*count = 0;
	for (Thread *t = threads_; t; t = t->next) {
		if (*count < capacity) {
			t->get();
			out[*count] = t;
		}
		++*count;
	}
}

void Task::terminate()
{
	Port *port, *name_port, *special[TaskSpecialPortMax + 1], *sample, *resume = nullptr;
	Thread *threads;
	{
		if (!lock_.ok())
			return;
		/* What its threads' last samples were, while its port is there. */
		mach_shim_task_sample_flush(os());
		Guard g(lock_);
		dying_ = true;
		threads = threads_;
		threads_ = nullptr;
		port = port_;
		__atomic_store_n(&port_, nullptr, __ATOMIC_RELAXED);
		name_port = name_port_;
		name_port_ = nullptr;
		for (u32 i = 0; i <= TaskSpecialPortMax; i++) {
			special[i] = special_[i];
			special_[i] = nullptr;
		}
		sample = sample_;
		sample_ = nullptr;
		resume = resume_port_;
		resume_port_ = nullptr;
	}
	/* Its threads are sampled no more (a dying task is not). */
	mach_shim_task_sample(os(), 0);
	if (sample)
		sample->drop(TransitRight{sample, MoveSend});
	/* Every send right to either port is a dead name from now. */
	Port *ports[] = {port, name_port, resume};
	for (Port *p : ports) {
		if (p) {
			p->kill();
			p->put();
		}
	}
	while (Thread *t = threads) {
		threads = t->next;
		t->next = nullptr;
		t->terminate();
		t->put();
	}
	/* Its semaphores' waiters, of any task, wake with KERN_TERMINATED. */
	if (semaphores_)
		semaphores_->destroy_all();
	for (Port *p : special)
		if (p)
			p->drop(TransitRight{p, MoveSend});
	TransitRight none[registered_max] = {};
	register_ports(none, registered_max);
	exceptions_.close();
	space_.destroy();
}

bool Task::renew_port()
{
	Port *fresh = Port::create_for_task(this);
	Port *old, *sample, *resume;
	Thread *threads;
	bool held;
	/* The old program's last samples, to the port they were taken for. */
	mach_shim_task_sample_flush(os());
	{
		Guard g(lock_);
		/*
		 * The new program's pcs (a set-uid one's, say) are not the old
		 * program's sampler's to see: sampling ends with the exec, as
		 * the rights to the old task port do. (Linux stopped it already:
		 * its perf events go at exec, module/sample.c.)
		 */
		sample = sample_;
		sample_ = nullptr;
		old = port_;
		/* A terminated task stays so. */
		__atomic_store_n(&port_, old ? fresh : nullptr, __ATOMIC_RELAXED);
		/* As on XNU, the new program's credentials speak for it. */
		__atomic_store_n(&has_tokens_, false, __ATOMIC_RELEASE);
		if (!old)
			old = fresh;
		/*
		 * So do its threads' ports, as XNU resets them: the records go,
		 * and the thread that exec'd becomes a Mach thread afresh, in
		 * the new program, when a call first names it.
		 */
		threads = threads_;
		threads_ = nullptr;
		/* A suspension made through the old port does not reach it either. */
		held = suspend_count_ != 0;
		suspend_count_ = 0;
		/* Nor do the old program's suspension tokens. */
		resume = resume_port_;
		resume_port_ = nullptr;
		__atomic_store_n(&tokens_dropped_, 0, __ATOMIC_RELAXED);
	}
	if (old) {
		old->kill();
		old->put();
	}
	if (resume) {
		resume->kill();
		resume->put();
	}
	if (sample) {
		mach_shim_task_sample(os(), 0);
		sample->drop(TransitRight{sample, MoveSend});
	}
	while (Thread *t = threads) {
		threads = t->next;
		t->next = nullptr;
		t->terminate();
		if (held)
			mach_shim_thread_release(t->os());
		t->put();
	}
	return fresh != nullptr;
}

u64 Task::check_program(bool *renewed)
{
	if (renewed)
		*renewed = false;
	/*
	 * A caller that finds a renewal under way waits for it, so that no
	 * right is seen alive once its program is gone.
	 */
	if (!program_lock_.lock_killable())
		return 0;
	mach_exec_seen exec = MACH_EXEC_NONE;
	u64 gen = mach_shim_task_program_look(os(), &exec);
	if (exec != MACH_EXEC_NONE) {
		renew_port();
		/*
		 * Into a program with other credentials (a set-id one): its
		 * exception handlers go, as XNU's ipc_task_reset() drops them,
		 * so that no one who set them sees its threads and state.
		 */
		if (exec == MACH_EXEC_OTHER_OWNER)
			exceptions_.set(all_exceptions, TransitRight{}, ExceptionDefault, 0);
		/*
		 * A privileged host port was given to the old program: the new
		 * one keeps it only with the privilege (a server that dropped
		 * it and exec'd a program of nobody's does not pass it on).
		 */
		if (!mach_shim_task_privileged(os()))
			drop_host_privilege();
		if (renewed)
			*renewed = true;
	}
	program_lock_.unlock();
	return gen;
}

u64 Task::program()
{
	/* A new shell's own exec is not one: wait until it is done. */
	if (!mach_shim_task_wait_ready(os()))
		return 0;
	bool renewed;
	u64 gen = check_program(&renewed);
	return renewed ? 0 : gen;
}

u64 Task::program_queued()
{
	if (mach_shim_task_ready(os()))
		return program();
	return mach_shim_task_program_seen(os());
}

Kr Task::register_ports(TransitRight *rights, u32 count)
{
	if (count > registered_max) {
		for (u32 i = 0; i < count; i++)
			if (rights[i].port)
				rights[i].port->drop(rights[i]);
		return Kr::InvalidArgument;
	}
	Port *old[registered_max];
	{
		Guard g(lock_);
		for (u32 i = 0; i < registered_max; i++) {
			old[i] = registered_[i];
			registered_[i] = i < count ? rights[i].port : nullptr;
		}
	}
	for (Port *p : old)
		if (p)
			p->drop(TransitRight{p, MoveSend});
	return Kr::Success;
}

void Task::lookup_ports(TransitRight rights[registered_max])
{
	Guard g(lock_);
	for (u32 i = 0; i < registered_max; i++) {
		rights[i] = {};
		if (Port *p = registered_[i]) {
			p->get();
			p->add_send();
			rights[i] = TransitRight{p, MoveSend};
		}
	}
}

/* Special ports a task holds a send right to, as opposed to its own port. */
static bool held_special(u32 which)
{
	return which >= TaskHostPort && which <= TaskSpecialPortMax &&
	       which != TaskNamePort;
}

Kr Task::get_special(u32 which, TransitRight *right)
{
	*right = {};
	if (which != TaskKernelPort && which != TaskNamePort && !held_special(which))
		return Kr::InvalidArgument;
	Guard g(lock_);
	Port *port = held_special(which) ? special_[which] :
		     which == TaskNamePort ? name_port_ : port_;
	if (port) {
		port->get();
		port->add_send();
		*right = TransitRight{port, MoveSend};
	}
	return Kr::Success;
}

Kr Task::set_special(u32 which, TransitRight right)
{
	/* The task's own port is not replaceable. */
	if (!held_special(which)) {
		if (right.port)
			right.port->drop(right);
		return Kr::InvalidArgument;
	}
	Port *old;
	{
		Guard g(lock_);
		old = special_[which];
		special_[which] = right.port;
	}
	if (old)
		old->drop(TransitRight{old, MoveSend});
	return Kr::Success;
}

void Task::start_from_host()
{
	set_special(TaskHostPort, host_port(HostPort::Host));
	set_special(TaskWiredLedgerPort, host_port(HostPort::WiredLedger));
	set_special(TaskPagedLedgerPort, host_port(HostPort::PagedLedger));
}

/* One more send right to port, if it is one (under the holding task's lock). */
static Port *copy_send(Port *port)
{
	if (port) {
		port->get();
		port->add_send();
	}
	return port;
}

/*
 * One pass under each task's lock, not a round trip per port: the copies
 * are taken under the parent's lock, then put in place under ours (a new
 * task has none of its own to drop; what it had is dropped unlocked).
 */
/*
 * A privileged host port (priv or security) in slot, the host port of a
 * task whose process has not the privilege: the host's own port instead,
 * as host_get_host_priv_port() would have refused it. What the slot held
 * is handed back to drop, unlocked. (Rights held by name keep their
 * authority, as on XNU.)
 */
static Port *unprivileged_host(Port **slot)
{
	Port *held = *slot;
	HostPort which = host_port_of(held);
	if (which != HostPort::Priv && which != HostPort::Security)
		return nullptr;
	*slot = host_port(HostPort::Host).port;
	return held;
}

void Task::drop_host_privilege()
{
	Port *demoted;
	{
		Guard g(lock_);
		demoted = unprivileged_host(&special_[TaskHostPort]);
	}
	if (demoted)
		demoted->drop(TransitRight{demoted, MoveSend});
}

void Task::inherit_from(Task &parent, bool sample_port, u32 what)
{
	Port *special[TaskSpecialPortMax + 1] = {};
	Port *registered[registered_max];
	Port *sample = nullptr;
	bool has_tokens;
	Tokens tokens;
	{
		Guard g(parent.lock_);
		has_tokens = parent.has_tokens_ && (what & MACH_INHERIT_TOKENS);
		tokens = parent.tokens_;
		for (u32 which = TaskHostPort; which <= TaskSpecialPortMax; which++)
			if (held_special(which))
				special[which] = copy_send(parent.special_[which]);
		for (u32 i = 0; i < registered_max; i++)
			registered[i] = copy_send(parent.registered_[i]);
		if (sample_port)
			sample = copy_send(parent.sample_);
	}
	Port *demoted = nullptr;
	if (!(what & MACH_INHERIT_PRIVILEGE))
		demoted = unprivileged_host(&special[TaskHostPort]);
	if (demoted)
		demoted->drop(TransitRight{demoted, MoveSend});
	{
		Guard g(lock_);
		if (has_tokens) {
			tokens_ = tokens;
			__atomic_store_n(&has_tokens_, true, __ATOMIC_RELEASE);
		}
		for (u32 which = TaskHostPort; which <= TaskSpecialPortMax; which++) {
			if (!held_special(which))
				continue;
			Port *old = special_[which];
			special_[which] = special[which];
			special[which] = old;
		}
		for (u32 i = 0; i < registered_max; i++) {
			Port *old = registered_[i];
			registered_[i] = registered[i];
			registered[i] = old;
		}
		/*
		 * Sampled from when its process is set up (the host starts it
		 * then: module/sample.c); a dying task takes none.
		 */
		Port *old = sample_;
		sample_ = dying_ ? old : sample;
		sample = dying_ ? sample : old;
	}
	/* Under the tables' own locks, after the tasks'. */
	if (what & MACH_INHERIT_HANDLERS)
		exceptions_.copy_from(parent.exceptions_);
	for (Port *p : special)
		if (p)
			p->drop(TransitRight{p, MoveSend});
	for (Port *p : registered)
		if (p)
			p->drop(TransitRight{p, MoveSend});
	if (sample)
		sample->drop(TransitRight{sample, MoveSend});
}

bool Task::given_tokens(Tokens *out)
{
	if (!__atomic_load_n(&has_tokens_, __ATOMIC_ACQUIRE))
		return false;
	Guard g(lock_);
	*out = tokens_;
	return true;
}

void Task::set_tokens(const Tokens &tokens)
{
	Guard g(lock_);
	tokens_ = tokens;
	__atomic_store_n(&has_tokens_, true, __ATOMIC_RELEASE);
}

Ref<Port> Task::port()
{
	Guard g(lock_);
	return Ref<Port>::share(port_);
}

/*
 * A suspended task holds each of its threads once: they stop (or stay
 * parked) until it is resumed as often as it was suspended.
 */
Kr Task::suspend()
{
	Guard g(lock_);
	if (!port_)
		return Kr::InvalidArgument;	/* terminated */
	if (suspend_count_ == ~0u)
		return Kr::Failure;
	if (suspend_count_++ == 0)
		for (Thread *t = threads_; t; t = t->next)
			mach_shim_thread_hold(t->os());
	return Kr::Success;
}

Kr Task::resume()
{
	Guard g(lock_);
	if (!port_)
		return Kr::InvalidArgument;
	if (!suspend_count_)
		return Kr::Failure;
	if (--suspend_count_ == 0)
		for (Thread *t = threads_; t; t = t->next)
			mach_shim_thread_release(t->os());
	return Kr::Success;
}

Kr Task::suspension_token(TransitRight *token)
{
	*token = {};
	Guard g(lock_);
	if (!port_)
		return Kr::InvalidArgument;	/* terminated */
	if (!resume_port_) {
		resume_port_ = Port::create_for_task(this, Object::TaskResume);
		if (!resume_port_)
			return Kr::ResourceShortage;
	}
	resume_port_->get();
	resume_port_->add_send_once();
	*token = TransitRight{resume_port_, MoveSendOnce};
	return Kr::Success;
}

void Task::token_dropped()
{
	__atomic_add_fetch(&tokens_dropped_, 1, __ATOMIC_RELEASE);
	/* The worker's reference; one already queued has its own. */
	get();
	if (!mach_shim_task_resume_later(os()))
		put();
}

void Task::resume_dropped()
{
	u32 n = __atomic_exchange_n(&tokens_dropped_, 0, __ATOMIC_ACQUIRE);
	while (n--)
		resume();
}

/*
 * How long a hold waits for the task's threads to stop: one blocked where
 * no hold reaches it (a killable wait, say for another hold of the
 * caller's own task) would otherwise be waited for as long as it lasts.
 */
constexpr u32 quiesce_wait_ms = 1000;	/* for each thread */

/* Mark the caller's own thread, if it is one of ours (as a Mach thread). */
static void mark_quiescing(Task &task, bool on)
{
	if (!mach_shim_task_is_current(task.os()))
		return;
	Ref<Thread> me = on ? task.adopt_current() : task.current_thread();
	if (me)
		mach_shim_thread_set_quiescing(me->os(), on);
}

bool Task::claim_teleport()
{
	Guard g(lock_);
	if (teleporting_)
		return false;
	teleporting_ = true;
	return true;
}

void Task::release_teleport()
{
	Guard g(lock_);
	teleporting_ = false;
}

Kr Task::suspend_and_wait()
{
	mark_quiescing(*this, true);
	/* Not under the lock, which other callers queue on: its waits. */
	mach_shim_task_agent_wait(os());
	mach_shim_task_detours_wait(os());
	if (!quiesce_lock_.lock_killable()) {
		mark_quiescing(*this, false);
		return Kr::Aborted;
	}
	adopt_running();
	Kr kr = suspend();
	for (; kr == Kr::Success;) {
		Thread *busy = nullptr;
		{
			Guard g(lock_);
			for (Thread *t = threads_; t && !busy; t = t->next) {
				if (!mach_shim_thread_is_current(t->os()) &&
				    !mach_shim_thread_quiet(t->os())) {
					t->get();
					busy = t;
				}
			}
		}
		/*
		 * All quiet: but a thread made by a clone() in flight when they
		 * were counted runs unheld. Adopted (and so held) now, it is
		 * waited for too, until a count finds none new.
		 */
		if (!busy && !adopt_running())
			return Kr::Success;
		if (!busy)
			continue;
		int err = mach_shim_thread_wait_quiet(busy->os(), quiesce_wait_ms);
		busy->put();
		if (err) {
			resume();
			kr = Kr::Aborted;
		}
	}
	end_wait();
	return kr;
}

void Task::end_wait()
{
	quiesce_lock_.unlock();
	mark_quiescing(*this, false);
}

bool Task::dying()
{
	Guard g(lock_);
	return dying_;
}

TaskEvents Task::events()
{
	return TaskEvents{__atomic_load_n(&sent_, __ATOMIC_RELAXED),
			  __atomic_load_n(&received_, __ATOMIC_RELAXED),
			  __atomic_load_n(&mach_calls_, __ATOMIC_RELAXED)};
}

u32 Task::suspend_count()
{
	Guard g(lock_);
	return suspend_count_;
}

Kr Task::set_sample_port(TransitRight right, u64 program)
{
	Port *old, *refused = nullptr;
	/* The samples taken so far go to the port they were taken for. */
	mach_shim_task_sample_flush(os());
	{
		Guard g(lock_);
		old = sample_;
		/* A terminated task takes none: it is sampled no more. */
		if (dying_)
			refused = right.port;
		sample_ = dying_ ? nullptr : right.port;
	}
	if (old)
		old->drop(TransitRight{old, MoveSend});
	if (refused)
		refused->drop(TransitRight{refused, MoveSend});
	int err = mach_shim_task_sample(os(), program);
	if (!err)
		return Kr::Success;
	/*
	 * Not started: no memory, or the process runs another program than
	 * the caller's right was for (the port died with the exec). Nor is
	 * the port held then, unless replaced since.
	 */
	Port *undo = nullptr;
	{
		Guard g(lock_);
		if (right.port && sample_ == right.port) {
			undo = sample_;
			sample_ = nullptr;
		}
	}
	if (undo)
		undo->drop(TransitRight{undo, MoveSend});
	return err == -MACH_ESRCH ? Kr::SendInvalidDest : Kr::ResourceShortage;
}

bool Task::sampling()
{
	Guard g(lock_);
	return sample_ && !dying_ && !sample_->dead();
}

TransitRight Task::sample_right()
{
	Guard g(lock_);
	return copy_send(sample_) ? TransitRight{sample_, MoveSend} : TransitRight{};
}

void Task::sample_port_died(Port *port)
{
	{
		Guard g(lock_);
		if (!port || sample_ != port)
			return;
		sample_ = nullptr;
	}
	mach_shim_task_sample(os(), 0);
	port->drop(TransitRight{port, MoveSend});
}

} /* namespace mach */

using mach::Task;

extern "C" mach_task *mach_task_create(mach_task_os *os)
{
	return Task::create(os);
}

extern "C" mach_u32 mach_task_suspend_count(mach_task *task)
{
	return Task::from(task)->suspend_count();
}

extern "C" mach_u32 mach_task_thread_count(mach_task *task)
{
	mach_u32 count = 0;

	Task::from(task)->threads(nullptr, 0, &count);
	return count;
}

extern "C" mach_u32 mach_task_port_views(mach_task *task, mach_port_view *out,
					 mach_u32 capacity)
{
	mach_u32 count = 0;

	Task::from(task)->space().view(out, capacity, &count);
	return count;
}

extern "C" void mach_task_get_view(mach_task *task, mach_task_view *out)
{
	Task *t = Task::from(task);
	mach::Ref<mach::Port> self = t->port();

	*out = {};
	out->suspend_count = t->suspend_count();
	out->exception_mask = t->exception_mask();
	t->space().tally(out, self.get());
}

extern "C" mach_u32 mach_task_refs(mach_task *task)
{
	return Task::from(task)->refs();
}

extern "C" mach_bool mach_task_dying(mach_task *task)
{
	return Task::from(task)->dying();
}

extern "C" mach_u32 mach_task_thread_views(mach_task *task, mach_thread_view *out,
					   mach_u32 capacity)
{
	mach::Thread **threads = nullptr;
	mach_u32 count = 0;

	if (capacity) {
		threads = static_cast<mach::Thread **>(
			mach_shim_alloc(MACH_KIND_MEMORY, sizeof(*threads) * capacity));
		if (!threads)
			return 0;
	}
	Task::from(task)->threads(threads, capacity, &count);
	for (mach_u32 i = 0; i < count && i < capacity; i++) {
		out[i].tid = mach_shim_thread_tid(threads[i]->os());
		out[i].suspend_count = threads[i]->suspend_count();
		threads[i]->put();
	}
	if (threads)
		mach_shim_free(MACH_KIND_MEMORY, threads);
	return count;
}

extern "C" void mach_task_notice_exec(mach_task *task)
{
	Task::from(task)->notice_exec();
}

extern "C" void mach_task_terminate(mach_task *task)
{
	Task::from(task)->terminate();
}

extern "C" void mach_task_inherit(mach_task *child, mach_task *parent, unsigned int what)
{
	/* A process that became a task by itself: not its sample port. */
	if (parent)
		Task::from(child)->inherit_from(*Task::from(parent), false, what);
	else
		Task::from(child)->start_from_host();
}

extern "C" void mach_task_sweep_space(mach_task *task)
{
	Task::from(task)->space().sweep();
}


extern "C" void mach_task_hold_released(mach_task *task)
{
	/* Resumed as a token dropped is: not under the caller's locks. */
	Task::from(task)->token_dropped();
}

extern "C" void mach_task_resume_dropped(mach_task *task)
{
	Task::from(task)->resume_dropped();
	Task::from(task)->put();
}
