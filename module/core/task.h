/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task.h - a Mach task: a Linux process, its IPC space and its task port.
 *
 * Its locks and their order among all of the module's: module/mach.h.
 */
#ifndef MACH_CORE_TASK_H
#define MACH_CORE_TASK_H

#include "base.h"
#include "core.h"
#include "exception_ports.h"
#include "port.h"
#include "sema.h"
#include "space.h"
#include "task_info.h"
#include "thread.h"

namespace mach {

/* task_special_port ids (the anchors' values). */
enum SpecialPort : u32 {
	TaskKernelPort = 1,
	TaskHostPort = 2,
	TaskNamePort = 3,
	TaskBootstrapPort = 4,
	TaskWiredLedgerPort = 5,
	TaskPagedLedgerPort = 6,
	TaskSpecialPortMax = 11,	/* TASK_RESOURCE_NOTIFY_PORT */
};

/* TASK_PORT_REGISTER_MAX */
inline constexpr u32 registered_max = 3;

/* security_token_t and audit_token_t (the uapi's struct mach_tokens). */
struct Tokens {			/* a value: guarded as what holds it */
	u32 security[2];
	u32 audit[8];
};

class Task : public mach_task {
public:
	static constexpr mach_shim_kind kind = MACH_KIND_TASK;

	/* A live task backed by os; the caller owns the one reference. */
	static Task *create(mach_task_os *os);
	static Task *from(mach_task *t) { return static_cast<Task *>(t); }

	void get() { mach_task_get(this); }
	void put() { mach_task_put(this); }
	/* A reference unless the task is being freed (for a walk of all tasks). */
	bool get_not_zero() { return mach_task_get_not_zero(this); }
	/* For diagnostics: its references and whether it was terminated. */
	u32 refs() const { return mach_shim_ref_read(&this->mach_task::refs); }
	bool dying();

	/* The process is gone: the task port dies, the space empties. */
	void terminate();
	/*
	 * The process exec'd: rights to the old task port become dead names
	 * (they were given out for another program); a new port stands for
	 * the task from now. false if there is no memory for it.
	 */
	bool renew_port();
	/*
	 * The generation of the program its process runs, which a right
	 * given out now is for (module/core/shim.h). An exec not seen yet is
	 * seen now: the task is renewed for it, and the answer is 0, as for
	 * a process gone, since the right the caller used died with the old
	 * program. A new shell is waited for until it is set up.
	 */
	u64 program();
	/*
	 * The same for a call that its agent will run: a new shell serves
	 * those only once it is set up, in the program it sets up, so the
	 * caller need not wait for it.
	 */
	u64 program_queued();
	/* An exec not seen yet is seen now, as by program(), without a wait. */
	void notice_exec() { (void)check_program(nullptr); }

	Space &space() { return space_; }
	mach_task_os *os() const { return mach_task::os; }
	/* The task port while the task lives, with a reference; else empty. */
	Ref<Port> port();
	/*
	 * Its address, only to compare (no reference: a renewal or the end
	 * may put it at once); for the fast paths of the task's own calls.
	 */
	const Port *port_address() const { return __atomic_load_n(&port_, __ATOMIC_RELAXED); }
	u32 suspend_count();
	/* TASK_EVENTS_INFO's counts: what the task did through Mach. */
	TaskEvents events();
	void count_message_sent() { __atomic_add_fetch(&sent_, 1, __ATOMIC_RELAXED); }
	void count_message_received() { __atomic_add_fetch(&received_, 1, __ATOMIC_RELAXED); }
	void count_mach_call() { __atomic_add_fetch(&mach_calls_, 1, __ATOMIC_RELAXED); }
	/* task_set_child_node's: where task_create places children, or -1. */
	void set_child_node(s32 node) { __atomic_store_n(&child_node_, node, __ATOMIC_RELAXED); }
	s32 child_node() const { return __atomic_load_n(&child_node_, __ATOMIC_RELAXED); }
	/* task_suspend / task_resume: counted; resuming at 0 is a failure. */
	Kr suspend();
	Kr resume();
	/*
	 * task_suspend2's token: a new send-once right to the task's resume
	 * port (made on first use; a new one after an exec, which kills the
	 * old one's tokens as it does the task port). InvalidArgument if the
	 * task is terminated.
	 */
	Kr suspension_token(TransitRight *token);
	/*
	 * A token went unused (its holder died, deallocated it, or it was
	 * destroyed in a message): its hold is released, later, from the
	 * host's worker (a right is dropped under locks a resume may not take
	 * under them: mach_shim_task_resume_later()).
	 */
	void token_dropped();
	/* The worker: the holds of the tokens dropped since are released. */
	void resume_dropped();
	/*
	 * suspend(), then wait until every thread but the caller's own runs no
	 * code of its own: while a private range is copied into the shared
	 * mapping that replaces it, a store would be lost. One caller at a
	 * time holds a task so; a thread of the task waiting to, or holding
	 * it, counts as quiet to the others (else two would wait for each
	 * other). Success: undone by resume() and end_wait(). Aborted (a
	 * fatal signal, or a thread that did not stop within a second: it may
	 * be waiting for something of the caller's, such as a hold of the
	 * caller's own task) or InvalidArgument
	 * (terminated): nothing held.
	 */
	Kr suspend_and_wait();
	void end_wait();
	/*
	 * norma_task_teleport's claim on its parent, once held: false if
	 * another teleport has it, which ends the task. Released by a
	 * teleport that made nothing.
	 */
	bool claim_teleport();
	void release_teleport();

	/*
	 * Special ports the task holds send rights to (TASK_*_PORT).
	 * get: a new send right in transit, or none (port null) if unset.
	 * set: takes the right (port null to clear).
	 */
	Kr get_special(u32 which, TransitRight *right);
	Kr set_special(u32 which, TransitRight right);
	/* mach_ports_register: takes count rights (null ones clear). */
	Kr register_ports(TransitRight *rights, u32 count);
	/* mach_ports_lookup: new send rights to the registered ports. */
	void lookup_ports(TransitRight rights[registered_max]);
	/*
	 * The task's exception ports (task_set/get/swap_exception_ports),
	 * inherited by the tasks it creates; closed when it terminates.
	 */
	ExceptionPorts &exception_ports() { return exceptions_; }
	/*
	 * For the delivery of an exception of type, at the task's level: its
	 * handler, with a new send right to the port and a reference to it,
	 * which the caller releases or moves into the exception message; true.
	 * false (*out cleared) if the task has none for type, or is gone.
	 * ExceptionPorts::handler() says more.
	 */
	bool exception_handler(u32 type, ExceptionHandler *out)
	{
		return exceptions_.handler(type, out);
	}
	/* 1 << type for each exception type that has a handler. */
	u32 exception_mask() { return exceptions_.mask(); }
	/*
	 * task_sample's port: a send right (none: sampling stops). set takes
	 * the right and drops the one it replaces; the host is told to bring
	 * its sampling to what sampling() says (mach_shim_task_sample()),
	 * on program (0: any) only: ResourceShortage if it could not start
	 * it (no memory), SendInvalidDest if the process runs another
	 * program now, the port cleared again either way.
	 */
	Kr set_sample_port(TransitRight right, u64 program);
	/* Has it a sample port that lives, and is it alive itself? */
	bool sampling();
	/* A new send right to the sample port, for a message; or none. */
	TransitRight sample_right();
	/* port, a sample port, died: cleared if still the task's, as by set. */
	void sample_port_died(Port *port);
	/* The semaphores it owns (semaphore_create on it). */
	TaskSemaphores &semaphores() { return *semaphores_; }
	/* Threads made by thread_create: the task holds a reference on each. */
	bool add_thread(Thread *thread);	/* false once terminated */
	void remove_thread(Thread *thread);
	/* Up to capacity of them into out (references); *count of them all. */
	void threads(Thread **out, u32 capacity, u32 *count);
	/* The Mach thread that is the calling thread, if it is one. */
	Ref<Thread> current_thread();
	/* The thread os backs, if it is still one of the task's. */
	Ref<Thread> thread_backed_by(const mach_thread_os *os);
	/*
	 * ... made one if it is not yet (mach_thread_self); empty if there is
	 * no memory, no agent (its stub is a thread's way out), or a fatal
	 * signal came.
	 */
	Ref<Thread> adopt_current();
	/*
	 * Every Linux thread of the process but the agent is a Mach thread:
	 * those that are not yet become one now, running as they are (those
	 * that exited drop out first). Returns how many became one.
	 */
	u32 adopt_threads();
	/*
	 * adopt_threads() without its waits (for the agent, for threads away
	 * through the stub): for a caller that made them before a lock of
	 * its own.
	 */
	u32 adopt_running();

	/*
	 * The security and audit tokens the host security port's holder gave
	 * the task, if any (false: its process's credentials speak for it).
	 * They last until the process execs another program.
	 */
	bool given_tokens(Tokens *out);
	/* host_security_set_task_token: these stand from now on. */
	void set_tokens(const Tokens &tokens);

	/*
	 * What a new task takes from its parent's at creation: its special
	 * ports but the kernel and name ports, its registered ports, its
	 * exception ports, and its tokens if they were given; and, made by
	 * task_create (sample), its sample port: a process that becomes a
	 * task by itself may run another program than its Linux parent (a
	 * set-uid one), whose pcs are not the parent's sampler's to see.
	 */
	void inherit_from(Task &parent, bool sample, u32 what = MACH_INHERIT_ALL);
	/* Its host port, if a privileged one, becomes the host's own. */
	void drop_host_privilege();
	/* A task with no Mach parent starts with the host's ports instead. */
	void start_from_host();

	explicit Task(mach_task_os *os);
	~Task();

private:
	/* The last reference went (mach_task::release). */
	static void release_task(mach_task *task);
	u64 check_program(bool *renewed);

	Lock quiesce_lock_{MACH_LOCK_QUIESCE};	/* suspend_and_wait() */
	/* Held for no wait on anything: the agent is waited for first. */
	Lock adopt_lock_{MACH_LOCK_ADOPT};
	/*
	 * One look for an exec at a time, and the renewal it may bring
	 * (which kills ports, whose notices may be many).
	 */
	Lock program_lock_{MACH_LOCK_PROGRAM};
	Lock lock_{MACH_LOCK_TASK};
	Space space_;			/* its own lock */
	/* set at creation, before the task is seen; then as below */
	Port *port_ = nullptr;		/* written under lock_; a reference */
	/* Its name port (inspection only), kept across exec; likewise. */
	Port *name_port_ = nullptr;
	/* guarded by lock_; send rights; the kernel and name ports are port_ */
	Port *special_[TaskSpecialPortMax + 1] = {};
	Thread *threads_ = nullptr;	/* guarded by lock_ */
	bool dying_ = false;		/* guarded by lock_: no new threads */
	bool teleporting_ = false;	/* guarded by lock_ */
	Port *registered_[registered_max] = {};	/* guarded by lock_ */
	ExceptionPorts exceptions_;	/* its own lock */
	/* Its semaphores: set at creation, then read-only; a reference. */
	TaskSemaphores *semaphores_ = nullptr;
	Port *sample_ = nullptr;	/* guarded by lock_; a send right */
	u32 suspend_count_ = 0;		/* guarded by lock_ */
	s32 child_node_ = -1;		/* atomic */
	/*
	 * Written under lock_ with a store-release (renew_port() clears
	 * it), read without it with a load-acquire: the common case is false.
	 */
	bool has_tokens_ = false;
	Tokens tokens_ = {};		/* guarded by lock_ */
	Port *resume_port_ = nullptr;	/* guarded by lock_; a reference */
	u32 tokens_dropped_ = 0;	/* atomic: holds for the worker to release */
	/* atomic: TASK_EVENTS_INFO's counts */
	u64 sent_ = 0;
	u64 received_ = 0;
	u64 mach_calls_ = 0;
};

} /* namespace mach */

#endif /* MACH_CORE_TASK_H */
