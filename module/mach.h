/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mach.h - the glue as a whole: the lock order of both layers, below,
 * and every part's header (for main.c, which chains their init and exit).
 * A part includes the headers of the parts it uses, not this one:
 * shim_kernel.h (shim.c, quota.c), task_os.h (task.c), creds.h, node.h,
 * stub.h, agent.h, shell.h, trampoline.h, spin.h, clone.h, vm_share.h,
 * exception.h, sample.h, port_file.h, upcalls.h,
 * thread_os.h (and thread_record.h, thread_arch.h inside the thread
 * files), dev.h, netlink.h, debugfs.h.
 *
 * Locking, both layers (core: module/core/, C++ Lock members, each role
 * its own lockdep class: core/shim.h's mach_lock_class). A lock is never
 * taken while one later in this list is held:
 *
 *   Task::quiesce_lock_ (core)   one holder of a task for suspend_and_wait()
 *   Task::adopt_lock_ (core)     making a task's running threads Mach threads
 *   Task::program_lock_ (core)   a look for an exec, and the task's renewal
 *   mach_task_os.sample_lock     starting and stopping its sampling (sample.c;
 *                                perf's own locks are taken under it)
 *   signal->exec_update_lock     (Linux's, read) a look for an exec (task.c),
 *                                a sampler's start, task_set_name: each
 *                                against an exec
 *   mach_tasks_lock (task.c)     the registry of tasks and each one's program
 *   mach_task_os.exception_lock  arming its process for faults (exception.c;
 *                                taken only by a thread of that process,
 *                                with none of ours held; the mmap lock, to
 *                                map the stub, and sighand->siglock under it)
 *   mmap lock of a task's mm     (Linux's) vm_* calls, clones, vm_region
 *   mach_task_os.ranges_lock     copy_ranges and none_ranges (clone.c)
 *   mach_nl_lock (netlink_event.c) whether the event group is up
 *   Task::lock_ (core)           special and registered ports, threads,
 *                                suspend count, tokens
 *   Thread::lock_ (core)         a thread's port and suspend count
 *   Space::lock_ (core)          a task's names and rights
 *   ExceptionPorts::lock_ (core) a thread's, a task's or the host's
 *                                exception handlers (one at a time)
 *   host_special->lock (core)    the host's special ports (host.cc)
 *   Port::lock_ of a port set    its members' links (lockdep: mach_port_set)
 *   Port::lock_ (core)           a port's queue, counts, requests and its
 *                                links to its sets (a link changes with
 *                                its set's lock and then its member's
 *                                held: core/port.h's SetLink; two sets'
 *                                locks are never held at once, nor two
 *                                members')
 *   TaskSemaphores::lock_ (core) a task's list of semaphores
 *   Semaphore::lock_ (core)      a semaphore's count, waiters and owner: a
 *                                spin lock (sema_wait.c), under which its
 *                                waiters sleep and are woken (the
 *                                scheduler's locks under it, no other)
 *   mach_transit_lock (shim.c)   where receive rights in transit sit
 * A thread record's regs_lock (thread_record.h: its saved registers) is
 * taken with no other of these held, and takes none. A process's
 * sighand->siglock (Linux's, a spinlock) is taken under exception_lock
 * to arm it, or with none of ours held; nothing of ours under it.
 * Spinlocks, innermost (nothing is taken under them, and they are taken
 * under any of the above, the core's task and thread locks included: a
 * hold or release of a thread wakes it through them):
 *   mach_agent.lock              an agent's thread, queue and trampolines,
 *                                and its task's spare threads (thread.c)
 *   mach_threads_lock            the thread records' hash (thread_record.c);
 *                                also under rcu_read_lock, walking a thread group
 *   mach_spawns_lock             the spawns in flight (shell.c)
 *   mach_users_lock              the per-user quota records (quota.c)
 *   mach_os_all_lock             every task object alive (task.c), for
 *                                debugfs.c's walk, which takes references
 *   mach_sampler.lock (raw)      a sampler's batches (sample.c): taken in
 *                                its perf overflow handler, in hard
 *                                interrupt context, interrupts off
 * spin.c's per-CPU handoff slots take no lock (preemption is off).
 * A port's lock is dropped before the messages of a dead queue are
 * destroyed, and before a notification is sent to another port; a
 * message queued on a port in several sets wakes their wait queues with
 * the port's lock held (a wait queue's own spinlock is innermost). A
 * membership link is allocated before the space's lock is taken and
 * freed once the ports' locks are dropped. No lock is held across a
 * wait for another task's agent.
 */
#ifndef MACH_GLUE_H
#define MACH_GLUE_H

#include "agent.h"
#include "clone.h"
#include "creds.h"
#include "debugfs.h"
#include "dev.h"
#include "exception.h"
#include "netlink.h"
#include "node.h"
#include "port_file.h"
#include "sample.h"
#include "shell.h"
#include "shim_kernel.h"
#include "spin.h"
#include "stub.h"
#include "task_os.h"
#include "thread_os.h"
#include "trampoline.h"
#include "upcalls.h"
#include "vm_share.h"

#endif /* MACH_GLUE_H */
