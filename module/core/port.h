/* SPDX-License-Identifier: GPL-2.0 */
/*
 * port.h - a Mach port. Rights to it live in spaces (space.h) and as files.
 *
 * A kernel port stands for a kernel object (its kobject); today that is
 * a task. The port does not own its object: the object owns the port and
 * kills it when it goes, after which every right to it names a dead port.
 */
#ifndef MACH_CORE_PORT_H
#define MACH_CORE_PORT_H

#include "base.h"

struct mach_port {};

namespace mach {

class Task;

class Port : public mach_port {
public:
	static constexpr mach_shim_kind kind = MACH_KIND_PORT;

	/* A live port standing for task; the caller owns the one reference. */
	static Port *create_for_task(Task *task);

	static Port *from(mach_port *p) { return static_cast<Port *>(p); }

	void get() { refs_.get(); }
	void put();

	/* The task this port stands for while both live; else empty. */
	Ref<Task> task();
	bool dead();
	/* Disconnects the kobject: the port is dead from now on. */
	void kill();

	explicit Port(Task *task) : kobject_(task) {}

private:
	RefCount refs_;
	Lock lock_{MACH_LOCK_PORT};
	Task *kobject_;	/* guarded by lock_; not a reference */
};

} /* namespace mach */

#endif /* MACH_CORE_PORT_H */
