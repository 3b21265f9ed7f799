/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task.h - a Mach task: a Linux process, its IPC space and its task port.
 *
 * Lock order: Task::lock_, then Space's lock, then Port's lock.
 */
#ifndef MACH_CORE_TASK_H
#define MACH_CORE_TASK_H

#include "base.h"
#include "port.h"
#include "space.h"

struct mach_task {};

namespace mach {

/* task_special_port ids (the anchors' values). */
enum SpecialPort : u32 {
	TaskKernelPort = 1,
	TaskHostPort = 2,
	TaskNamePort = 3,
	TaskBootstrapPort = 4,
	TaskWiredLedgerPort = 5,
	TaskPagedLedgerPort = 6,
	TaskSpecialPortMax = 11,
};

class Task : public mach_task {
public:
	static constexpr mach_shim_kind kind = MACH_KIND_TASK;

	/* A live task backed by os; the caller owns the one reference. */
	static Task *create(mach_task_os *os);
	static Task *from(mach_task *t) { return static_cast<Task *>(t); }

	void get() { refs_.get(); }
	void put();

	/* The process is gone: the task port dies, the space empties. */
	void terminate();

	Space &space() { return space_; }
	mach_task_os *os() const { return os_; }
	/* The task port while the task lives, with a reference; else empty. */
	Ref<Port> port();
	u32 suspend_count();

	/*
	 * Special ports the task holds send rights to (TASK_*_PORT).
	 * get: a new send right in transit, or none (port null) if unset.
	 * set: takes the right (port null to clear).
	 */
	Kr get_special(u32 which, TransitRight *right);
	Kr set_special(u32 which, TransitRight right);
	/* What a new task takes from its parent's at creation. */
	void inherit_from(Task &parent);

	explicit Task(mach_task_os *os) : os_(os) {}
	~Task();

private:
	RefCount refs_;
	Lock lock_{MACH_LOCK_TASK};
	mach_task_os *const os_;
	Space space_;
	Port *port_ = nullptr;		/* guarded by lock_; a reference */
	Port *bootstrap_ = nullptr;	/* guarded by lock_; a send right */
	u32 suspend_count_ = 0;		/* guarded by lock_ */
};

} /* namespace mach */

#endif /* MACH_CORE_TASK_H */
