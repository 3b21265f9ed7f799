// SPDX-License-Identifier: GPL-2.0
// Unit tests of the core's task calls: task_create, the vm_* argument
// rules, task ports across an exec, rights inserted under chosen names.
#include <gtest/gtest.h>

#include "../core.h"
#include "../space.h"
#include "../task.h"
#include "../uapi.h"
#include "../vm.h"
#include "one_task.h"
#include "shim_user.h"

using namespace mach;

namespace {

class Tasks : public OneTask {
protected:
	Kr vm(u32 op, u64 address, u64 size, u32 value = 0, u32 flags = 0,
	      mach_vm_args *out = nullptr)
	{
		mach_vm_args a{};
		a.op = op;
		a.task = self;
		a.address = address;
		a.size = size;
		a.value = value;
		a.flags = flags;
		shim_user::last_vm = {};
		Kr kr = Kr(ioctl(MACH_IOC_NR_VM, &a));
		if (out)
			*out = a;
		return kr;
	}
};

TEST_F(Tasks, VmRangesAreRoundedAsOnXnu)
{
	mach_vm_args out;

	// Fixed: the address rounds down, the size up.
	ASSERT_EQ(Kr::Success, vm(MACH_VM_ALLOCATE, 0x12345, 10, 0, 0, &out));
	EXPECT_EQ(0x12000u, shim_user::last_vm.start);
	EXPECT_EQ(0x13000u, shim_user::last_vm.end);
	EXPECT_FALSE(shim_user::last_vm.anywhere);
	EXPECT_EQ(0x12000u, out.address);
	// Anywhere: the address given does not matter.
	ASSERT_EQ(Kr::Success, vm(MACH_VM_ALLOCATE, 0x12345, 4097, 0, MACH_VM_ANYWHERE, &out));
	EXPECT_TRUE(shim_user::last_vm.anywhere);
	EXPECT_EQ(0x2000u, shim_user::last_vm.end - shim_user::last_vm.start);
	// Zero sizes are no-ops that succeed; allocate answers address 0.
	ASSERT_EQ(Kr::Success, vm(MACH_VM_ALLOCATE, 0x5000, 0, 0, 0, &out));
	EXPECT_EQ(0u, out.address);
	EXPECT_EQ(0u, shim_user::last_vm.op);	// the host was not asked
	EXPECT_EQ(Kr::Success, vm(MACH_VM_DEALLOCATE, 0x5000, 0));
	EXPECT_EQ(0u, shim_user::last_vm.op);
	// A deallocation covers every page the range touches.
	ASSERT_EQ(Kr::Success, vm(MACH_VM_DEALLOCATE, 0x1fff, 2));
	EXPECT_EQ(0x1000u, shim_user::last_vm.start);
	EXPECT_EQ(0x3000u, shim_user::last_vm.end);
	// Reads are byte-exact.
	ASSERT_EQ(Kr::Success, vm(MACH_VM_READ, 0x1003, 5));
	EXPECT_EQ(0x1003u, shim_user::last_vm.start);
	EXPECT_EQ(0x1008u, shim_user::last_vm.end);
}

TEST_F(Tasks, BadVmArgumentsNeverReachTheHost)
{
	EXPECT_EQ(Kr::InvalidArgument, vm(MACH_VM_ALLOCATE, 0, ~0ull, 0, MACH_VM_ANYWHERE));
	EXPECT_EQ(Kr::InvalidArgument, vm(MACH_VM_DEALLOCATE, 0x1000, ~0ull - 0x100));
	EXPECT_EQ(Kr::InvalidArgument, vm(MACH_VM_PROTECT, 0x1000, 0x1000, 8));
	EXPECT_EQ(Kr::InvalidArgument, vm(MACH_VM_INHERIT, 0x1000, 0x1000, 3));
	/* XNU's copy-in says a wrapping range is no address. */
	EXPECT_EQ(Kr::InvalidAddress, vm(MACH_VM_READ, ~0ull - 1, 4));
	EXPECT_EQ(Kr::InvalidAddress, vm(MACH_VM_WRITE, ~0ull - 1, 4));
	/* Page 0 is outside every map; empty ranges do nothing. */
	EXPECT_EQ(Kr::InvalidAddress, vm(MACH_VM_ALLOCATE, 0x10, 0x1000));
	EXPECT_EQ(Kr::Success, vm(MACH_VM_DEALLOCATE, 0x1234, 0));
	EXPECT_EQ(Kr::Success, vm(MACH_VM_PROTECT, 0x1234, 0, 8));
	EXPECT_EQ(Kr::InvalidArgument, vm(MACH_VM_BEHAVIOR, 0x1000, 0x1000, 13));
	EXPECT_EQ(Kr::InvalidArgument, vm(99, 0, 0));
	EXPECT_EQ(Kr::InvalidArgument, vm(MACH_VM_PROTECT, 0x1000, 0x1000, 8, MACH_VM_SET_MAXIMUM));
	EXPECT_EQ(0u, shim_user::last_vm.op);
	mach_vm_args a{};
	a.op = MACH_VM_ALLOCATE;
	a.task = self;
	a.flags = 1u << 7;	// unknown flag: a malformed request
	EXPECT_EQ(-MACH_EINVAL, ioctl(MACH_IOC_NR_VM, &a));
}

TEST_F(Tasks, HostVmErrorsBecomeMachErrors)
{
	shim_user::next_vm_error = -MACH_EEXIST;
	EXPECT_EQ(Kr::NoSpace, vm(MACH_VM_ALLOCATE, 0x1000, 0x1000));
	shim_user::next_vm_error = -MACH_ENOMEM;
	EXPECT_EQ(Kr::NoSpace, vm(MACH_VM_ALLOCATE, 0x1000, 0x1000, 0, MACH_VM_ANYWHERE));
	shim_user::next_vm_error = -MACH_ENXIO;
	EXPECT_EQ(Kr::InvalidAddress, vm(MACH_VM_PROTECT, 0x1000, 0x1000, 1));
	shim_user::next_vm_error = -MACH_EACCES;
	EXPECT_EQ(Kr::ProtectionFailure, vm(MACH_VM_WRITE, 0x1000, 8));
	shim_user::next_vm_error = -MACH_ESRCH;
	EXPECT_EQ(Kr::SendInvalidDest, vm(MACH_VM_READ, 0x1000, 8));
}

TEST_F(Tasks, TaskCreateHandsDownPortsAndNamesTheChild)
{
	ASSERT_EQ(0, mach_core_init());
	u32 boot;
	{
		Name n{0};
		ASSERT_EQ(Kr::Success, task->space().allocate(PortRightReceive, &n));
		boot = n.value;
		ASSERT_EQ(Kr::Success, task->space().insert_right(n, n, MakeSend));
		mach_special_port_args set{self, TaskBootstrapPort, boot, MACH_SPECIAL_PORT_SET};
		ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &set));
	}
	mach_task_create_args c{};
	c.parent = self;
	c.inherit_memory = 1;
	c.ledger_count = 1000;	// absurd: the parent's are used, nothing is read
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_TASK_CREATE, &c));
	ASSERT_NE(0u, c.child);
	EXPECT_NE(self, c.child);

	mach_special_port_args get{c.child, TaskBootstrapPort, 0, 0};
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &get));
	EXPECT_EQ(boot, get.port);
	get = {c.child, TaskKernelPort, 0, 0};
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_SPECIAL_PORT, &get));
	EXPECT_EQ(c.child, get.port);

	// An ordinary port (the call goes to it as a message), no right, or a
	// malformed request.
	mach_task_create_args bad{};
	bad.parent = boot;
	EXPECT_EQ(-MACH_EREMOTE, ioctl(MACH_IOC_NR_TASK_CREATE, &bad));
	bad.parent = 4321;
	EXPECT_EQ(long(Kr::SendInvalidDest), ioctl(MACH_IOC_NR_TASK_CREATE, &bad));
	bad.parent = self;
	bad.node = 1;
	EXPECT_EQ(-MACH_EINVAL, ioctl(MACH_IOC_NR_TASK_CREATE, &bad));

	// The child's port, from another name: a renewal after an exec kills it.
	Ref<Port> child_port = task->space().lookup_send(Name{c.child});
	ASSERT_TRUE(child_port);
	Ref<Task> child = child_port->task();
	ASSERT_TRUE(child);
	ASSERT_TRUE(child->renew_port());
	EXPECT_TRUE(child_port->dead());
	Ref<Port> fresh = child->port();
	ASSERT_TRUE(fresh);
	EXPECT_NE(child_port.get(), fresh.get());
	u32 type = 0;
	ASSERT_EQ(Kr::Success, task->space().type(Name{c.child}, &type));
	EXPECT_EQ(u32(RightDeadName), type);
	// Its special ports stay.
	TransitRight kept;
	ASSERT_EQ(Kr::Success, child->get_special(TaskBootstrapPort, &kept));
	EXPECT_NE(nullptr, kept.port);
	kept.port->drop(kept);

	child->terminate();
	child->renew_port();		// an exec noticed late: terminated stays so
	EXPECT_FALSE(child->port());
	child = Ref<Task>{};
	fresh = Ref<Port>{};
	child_port = Ref<Port>{};
	mach_core_exit();
}

TEST_F(Tasks, AnExecTheHostSeesRenewsTheTask)
{
	mach_task_os other_os;
	other_os.current = false;
	Task *other = Task::create(&other_os);
	ASSERT_NE(nullptr, other);
	Ref<Port> handler = task->port();
	handler->get();
	handler->add_send();
	ASSERT_EQ(Kr::Success, other->exception_ports().set(all_exceptions,
							     TransitRight{handler.get(), MoveSend},
							     ExceptionDefault, 0));

	// No exec: the same program, the same port.
	Ref<Port> before = other->port();
	EXPECT_EQ(1u, other->program());
	EXPECT_EQ(1u, other->program_queued());
	EXPECT_FALSE(before->dead());

	// An exec of a program its owner may read: a new port, the rights to
	// the old one dead, and the caller's look answered 0 (its right died).
	other_os.exec = MACH_EXEC_SAME_OWNER;
	EXPECT_EQ(0u, other->program());
	EXPECT_TRUE(before->dead());
	Ref<Port> after = other->port();
	ASSERT_TRUE(after);
	EXPECT_NE(before.get(), after.get());
	EXPECT_EQ(2u, other->program());
	EXPECT_EQ(all_exceptions, other->exception_mask());

	// Into a set-id program: renewed again, and its handlers are gone.
	other_os.exec = MACH_EXEC_OTHER_OWNER;
	other->notice_exec();
	EXPECT_TRUE(after->dead());
	EXPECT_EQ(0u, other->exception_mask());
	EXPECT_EQ(3u, other->program());

	// Gone: no program.
	other_os.alive = false;
	EXPECT_EQ(0u, other->program());

	other->terminate();
	other->put();
}

TEST_F(Tasks, NormaFlagsAndNodes)
{
	ASSERT_EQ(0, mach_core_init());
	auto create = [&](u32 flags, u32 node, u32 *child) {
		mach_task_create_args c{};
		c.parent = self;
		c.inherit_memory = 1;
		c.flags = flags;
		c.node = node;
		long r = ioctl(MACH_IOC_NR_TASK_CREATE, &c);
		*child = c.child;
		return r;
	};
	u32 child;
	// Malformed: unknown flags, a node without its flag, NORMA without a node.
	EXPECT_EQ(-MACH_EINVAL, create(1u << 7, 0, &child));
	EXPECT_EQ(-MACH_EINVAL, create(0, 1, &child));
	EXPECT_EQ(-MACH_EINVAL, create(MACH_TASK_CREATE_CLONE, 0, &child));
	EXPECT_EQ(-MACH_EINVAL, create(MACH_TASK_CREATE_TELEPORT, 0, &child));
	// A node that is not there: nothing made, no name given.
	EXPECT_EQ(long(Kr::InvalidArgument), create(MACH_TASK_CREATE_ON_NODE, 2, &child));
	EXPECT_EQ(0u, child);
	// One that is: the task is placed there.
	ASSERT_EQ(0, create(MACH_TASK_CREATE_ON_NODE | MACH_TASK_CREATE_CLONE, 1, &child));
	Ref<Task> made = task->space().lookup_send(Name{child})->task();
	ASSERT_TRUE(made);
	EXPECT_EQ(1, made->os()->node);
	made = Ref<Task>{};
	mach_core_exit();
}

// A clone whose caller was killed leaves its held parent to the glue,
// which resumes it once the parent's agent is done (shim.h); any other
// failure resumes it at once.
TEST_F(Tasks, AKilledClonesParentIsResumedByTheGlue)
{
	ASSERT_EQ(0, mach_core_init());
	mach_task_create_args c{};
	c.parent = self;
	c.inherit_memory = 1;
	c.flags = MACH_TASK_CREATE_ON_NODE | MACH_TASK_CREATE_CLONE;
	c.node = 1;
	shim_user::next_spawn_error = -MACH_ENOMEM;
	EXPECT_EQ(long(Kr::ResourceShortage), ioctl(MACH_IOC_NR_TASK_CREATE, &c));
	EXPECT_EQ(0u, task->suspend_count());

	shim_user::next_spawn_error = -MACH_EINTR;
	EXPECT_EQ(long(Kr::Aborted), ioctl(MACH_IOC_NR_TASK_CREATE, &c));
	EXPECT_EQ(0u, c.child);
	EXPECT_EQ(1u, task->suspend_count());	// still held
	mach_task_hold_released(task);
	EXPECT_EQ(1, os.resume_laters);
	task->get();		// the worker's, as the kernel's shim keeps it
	mach_task_resume_dropped(task);
	EXPECT_EQ(0u, task->suspend_count());
	// Not held by a quiesce any more: another clone goes ahead.
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_TASK_CREATE, &c));
	EXPECT_EQ(0u, task->suspend_count());
	mach_core_exit();
}

TEST_F(Tasks, InsertUnderAChosenName)
{
	Name port{0};
	ASSERT_EQ(Kr::Success, task->space().allocate(PortRightReceive, &port));
	// A right from elsewhere goes under the name asked for.
	Ref<Port> p = task->space().lookup_receive(port);
	p->get();
	p->make_send();
	EXPECT_EQ(Kr::RightExists, task->space().insert(Name{40}, TransitRight{p.get(), MoveSend}));
	p->get();
	p->make_send();
	ASSERT_EQ(Kr::Success, task->space().insert(port, TransitRight{p.get(), MoveSend}));
	u32 refs = 0;
	ASSERT_EQ(Kr::Success, task->space().get_refs(port, PortRightSend, &refs));
	EXPECT_EQ(1u, refs);
	// A send-once right takes a name of its own, if it is free.
	ASSERT_EQ(Kr::Success, task->space().insert_right(Name{50}, port, MakeSendOnce));
	u32 type = 0;
	ASSERT_EQ(Kr::Success, task->space().type(Name{50}, &type));
	EXPECT_EQ(u32(RightSendOnce), type);
	EXPECT_EQ(Kr::NameExists, task->space().insert_right(Name{50}, port, MakeSendOnce));
	EXPECT_EQ(Kr::RightExists, task->space().insert_right(Name{51}, port, MakeSend));
	EXPECT_EQ(Kr::Success, task->space().deallocate(Name{50}));
}

// The operator's view: counts by right type, its own task port's name,
// exception types with a handler, and each Mach thread's own suspend count.
TEST_F(Tasks, OperatorViewCountsWhatTheTaskHolds)
{
	Name recv{0}, set{0};
	ASSERT_EQ(Kr::Success, task->space().allocate(PortRightReceive, &recv));
	ASSERT_EQ(Kr::Success, task->space().insert_right(recv, recv, MakeSend));
	ASSERT_EQ(Kr::Success, task->space().allocate(PortRightPortSet, &set));

	mach_task_view v;
	mach_task_get_view(task, &v);
	EXPECT_EQ(3u, v.names);
	EXPECT_EQ(self, v.self_name);
	EXPECT_EQ(2u, v.rights[MACH_RIGHTS_SEND]);	// the task port, recv's
	EXPECT_EQ(1u, v.rights[MACH_RIGHTS_RECEIVE]);
	EXPECT_EQ(1u, v.rights[MACH_RIGHTS_PORT_SET]);
	EXPECT_EQ(0u, v.rights[MACH_RIGHTS_SEND_ONCE]);
	EXPECT_EQ(0u, v.rights[MACH_RIGHTS_DEAD_NAME]);
	EXPECT_EQ(0u, v.exception_mask);
	EXPECT_EQ(0u, v.suspend_count);

	// An exception handler for EXC_BAD_ACCESS (1) and EXC_BREAKPOINT (6).
	mach_exception_ports_args e{};
	e.flags = MACH_EXCEPTION_PORTS_SET;
	e.task = self;
	e.mask = (1u << 1) | (1u << 6);
	e.port = recv.value;
	e.behavior = 1;		// EXCEPTION_DEFAULT
	e.flavor = 1;
	ASSERT_EQ(0, ioctl(MACH_IOC_NR_EXCEPTION_PORTS, &e));
	ASSERT_EQ(Kr::Success, task->suspend());
	mach_task_get_view(task, &v);
	EXPECT_EQ((1u << 1) | (1u << 6), v.exception_mask);
	EXPECT_EQ(1u, v.suspend_count);
	ASSERT_EQ(Kr::Success, task->resume());

	// Its name for its own task port gone: none shown.
	ASSERT_EQ(Kr::Success, task->space().deallocate(Name{self}));
	mach_task_get_view(task, &v);
	EXPECT_EQ(0u, v.self_name);
	EXPECT_EQ(1u, v.rights[MACH_RIGHTS_SEND]);
}

TEST_F(Tasks, OperatorViewOfThreads)
{
	EXPECT_EQ(0u, mach_task_thread_views(task, nullptr, 0));
	int err = 0;
	Thread *a = Thread::create(task, mach_shim_thread_create(&os, 0, false, &err));
	ASSERT_NE(nullptr, a);
	int tid_a = shim_user::last_tid;
	Thread *b = Thread::create(task, mach_shim_thread_create(&os, 0, false, &err), true);
	ASSERT_NE(nullptr, b);
	int tid_b = shim_user::last_tid;
	ASSERT_TRUE(task->add_thread(a));
	ASSERT_TRUE(task->add_thread(b));
	ASSERT_EQ(Kr::Success, a->suspend());	// made suspended: now 2

	mach_thread_view v[2] = {};
	ASSERT_EQ(2u, mach_task_thread_views(task, v, 2));
	mach_thread_view *va = v[0].tid == tid_a ? &v[0] : &v[1];
	mach_thread_view *vb = v[0].tid == tid_a ? &v[1] : &v[0];
	EXPECT_EQ(tid_a, va->tid);
	EXPECT_EQ(2u, va->suspend_count);
	EXPECT_EQ(tid_b, vb->tid);
	EXPECT_EQ(0u, vb->suspend_count);
	// Short of room: counts them all, fills what fits.
	mach_thread_view one[1] = {};
	EXPECT_EQ(2u, mach_task_thread_views(task, one, 1));
	EXPECT_NE(0, one[0].tid);
	a->put();
	b->put();
}

} // namespace
