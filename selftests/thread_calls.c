// SPDX-License-Identifier: GPL-2.0
/*
 * thread_create_running, thread_abort_safely, thread_get_special_port and
 * thread_set_special_port, thread_policy_get and thread_policy_set, and
 * thread_info's THREAD_IDENTIFIER_INFO and THREAD_EXTENDED_INFO: as XNU
 * answers them, through the ioctl and as MIG messages (a proxy port).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <asm/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/thread_policy.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

#define PAGE 4096
#define STACK (16 * PAGE)

static volatile uint64_t counters[2];
static volatile int64_t last_result;

static void __attribute__((noinline, noreturn)) count_entry(void)
{
	for (;;)
		counters[0]++;
}

/* pause() in a loop, its result kept (no libc: fs is 0 here). */
static void __attribute__((noinline, noreturn)) pause_entry(void)
{
	for (;;) {
		long ret;

		__asm__ volatile("syscall" : "=a"(ret) : "0"((long)SYS_pause)
				 : "rcx", "r11", "memory");
		last_result = ret;
		counters[1]++;
	}
}

static uint64_t word_in(task_t task, volatile const void *at)
{
	uint64_t value = 0;

	vm_read_overwrite(task, (vm_address_t)at, sizeof(value), (vm_address_t)&value, NULL);
	return value;
}

static int advances(task_t task, int which)
{
	uint64_t before = word_in(task, &counters[which]);

	for (int i = 0; i < 30; i++) {
		usleep(20000);
		if (word_in(task, &counters[which]) != before)
			return 1;
	}
	return 0;
}

static x86_thread_state64_t state_at(uint64_t rip, uint64_t rsp)
{
	x86_thread_state64_t state = { 0 };

	state.__rip = rip;
	state.__rsp = rsp;
	state.__rflags = 0x202;
	return state;
}

static mach_port_urefs_t send_refs(mach_port_t name)
{
	mach_port_urefs_t refs = 0;

	mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, &refs);
	return refs;
}

/* A child task sharing this image, with a stack. */
FIXTURE(calls) {
	struct made made;
	task_t task;
	vm_address_t stack;
};

FIXTURE_SETUP(calls)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &self->task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(self->task, &self->stack, STACK,
					    VM_FLAGS_ANYWHERE));
}

FIXTURE_TEARDOWN(calls)
{
	task_terminate(self->task);
	made_end(&self->made);
}

TEST_F(calls, create_running_runs_at_once)
{
	x86_thread_state64_t state = state_at((uint64_t)count_entry, self->stack + STACK - 8);
	struct thread_basic_info info;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	thread_act_t thread;

	ASSERT_EQ(KERN_SUCCESS, thread_create_running(self->task, x86_THREAD_STATE64,
						      (thread_state_t)&state,
						      x86_THREAD_STATE64_COUNT, &thread));
	EXPECT_TRUE(advances(self->task, 0));
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info,
					    &count));
	EXPECT_EQ(0, info.suspend_count);
	EXPECT_EQ(1, thread_count(self->task));
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
	mach_port_deallocate(mach_task_self(), thread);

	/* The unified flavour, with its header. */
	x86_thread_state_t unified = { 0 };
	unified.tsh.flavor = x86_THREAD_STATE64;
	unified.tsh.count = x86_THREAD_STATE64_COUNT;
	unified.uts.ts64 = state;
	ASSERT_EQ(KERN_SUCCESS, thread_create_running(self->task, x86_THREAD_STATE,
						      (thread_state_t)&unified,
						      x86_THREAD_STATE_COUNT, &thread));
	EXPECT_TRUE(advances(self->task, 0));
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
	mach_port_deallocate(mach_task_self(), thread);
}

TEST_F(calls, create_running_refusals_leave_no_thread)
{
	x86_thread_state64_t state = state_at((uint64_t)count_entry, self->stack + STACK - 8);
	thread_act_t thread = 1234;

	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_create_running(self->task, 99,
							       (thread_state_t)&state,
							       x86_THREAD_STATE64_COUNT, &thread));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_create_running(self->task, x86_THREAD_STATE64,
							       (thread_state_t)&state, 3, &thread));
	state.__rip = 0xffffffff81000000ull;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_create_running(self->task, x86_THREAD_STATE64,
							       (thread_state_t)&state,
							       x86_THREAD_STATE64_COUNT, &thread));
	EXPECT_EQ(MACH_PORT_NULL, thread);
	EXPECT_EQ(0, thread_count(self->task));
	EXPECT_FALSE(advances(self->task, 0));
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, thread_create_running(self->task, x86_THREAD_STATE64,
							     (thread_state_t)&state, 5000, &thread));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_create_running(12345, x86_THREAD_STATE64,
								(thread_state_t)&state,
								x86_THREAD_STATE64_COUNT, &thread));
}

/* As a message (a proxy stands for the task): 3412. */
TEST_F(calls, create_running_as_a_message)
{
	x86_thread_state64_t state = state_at((uint64_t)count_entry, self->stack + STACK - 8);
	struct proxy proxy;
	thread_act_t thread;

	proxy_start(&proxy, self->task);
	ASSERT_EQ(KERN_SUCCESS, thread_create_running(proxy.port, x86_THREAD_STATE64,
						      (thread_state_t)&state,
						      x86_THREAD_STATE64_COUNT, &thread));
	EXPECT_TRUE(advances(self->task, 0));
	thread_act_t none;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_create_running(proxy.port, 99,
							       (thread_state_t)&state,
							       x86_THREAD_STATE64_COUNT, &none));
	EXPECT_EQ(MACH_PORT_NULL, none);
	EXPECT_EQ(1, thread_count(self->task));
	EXPECT_GT(proxy.forwarded, 0);
	proxy_stop(&proxy);
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
	mach_port_deallocate(mach_task_self(), thread);
}

/*
 * thread_abort_safely interrupts a blocked system call, which restarts;
 * thread_abort makes it fail with EINTR.
 */
TEST_F(calls, abort_safely_restarts_what_abort_fails)
{
	x86_thread_state64_t state = state_at((uint64_t)pause_entry, self->stack + STACK - 8);
	thread_act_t thread;
	struct proxy proxy;

	ASSERT_EQ(KERN_SUCCESS, thread_create_running(self->task, x86_THREAD_STATE64,
						      (thread_state_t)&state,
						      x86_THREAD_STATE64_COUNT, &thread));
	usleep(100000);		/* in pause() */
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(KERN_SUCCESS, thread_abort_safely(thread));
	proxy_start(&proxy, thread);
	EXPECT_EQ(KERN_SUCCESS, thread_abort_safely(proxy.port));	/* 3608 */
	proxy_stop(&proxy);
	EXPECT_FALSE(advances(self->task, 1));
	EXPECT_EQ(0, (int64_t)word_in(self->task, &last_result));

	uint64_t before = word_in(self->task, &counters[1]);
	EXPECT_EQ(KERN_SUCCESS, thread_abort(thread));
	for (int i = 0; i < 50 && word_in(self->task, &counters[1]) == before; i++)
		usleep(20000);
	EXPECT_NE(before, word_in(self->task, &counters[1]));
	EXPECT_EQ(-EINTR, (int64_t)word_in(self->task, &last_result));

	/* Suspended, it stays so. */
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
	EXPECT_EQ(KERN_SUCCESS, thread_abort_safely(thread));
	struct thread_basic_info info;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info,
					    &count));
	EXPECT_EQ(1, info.suspend_count);

	EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_abort_safely(thread));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_abort_safely(self->task));
	mach_port_deallocate(mach_task_self(), thread);
}

TEST(special_ports)
{
	thread_act_t me = mach_thread_self();
	mach_port_t port = MACH_PORT_NULL;
	mach_port_urefs_t refs = send_refs(me);
	struct proxy proxy;

	/* One port per thread: each asks for it, one more reference each. */
	ASSERT_EQ(KERN_SUCCESS, thread_get_special_port(me, THREAD_KERNEL_PORT, &port));
	EXPECT_EQ(me, port);
	ASSERT_EQ(KERN_SUCCESS, thread_get_special_port(me, THREAD_INSPECT_PORT, &port));
	EXPECT_EQ(me, port);
	ASSERT_EQ(KERN_SUCCESS, thread_get_special_port(me, THREAD_READ_PORT, &port));
	EXPECT_EQ(me, port);
	EXPECT_EQ(refs + 3, send_refs(me));
	mach_port_mod_refs(mach_task_self(), me, MACH_PORT_RIGHT_SEND, -3);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_special_port(me, 0, &port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_special_port(me, 4, &port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_special_port(me, -1, &port));

	/* Its kernel port stays its own (XNU, system integrity on). */
	mach_port_t other = new_port();
	EXPECT_EQ(KERN_NO_ACCESS, thread_set_special_port(me, THREAD_KERNEL_PORT, other));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_set_special_port(me, THREAD_INSPECT_PORT, other));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_set_special_port(me, 7, MACH_PORT_NULL));
	EXPECT_EQ(1, send_refs(other));		/* none taken, none left */
	/* No right by that name: a MIG stub's send fails, as libmach's call. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, thread_set_special_port(me, THREAD_KERNEL_PORT, 54321));

	/* As messages: 3610, 3611. */
	proxy_start(&proxy, me);
	ASSERT_EQ(KERN_SUCCESS, thread_get_special_port(proxy.port, THREAD_KERNEL_PORT, &port));
	EXPECT_EQ(me, port);
	mach_port_deallocate(mach_task_self(), port);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_special_port(proxy.port, 9, &port));
	EXPECT_EQ(KERN_NO_ACCESS, thread_set_special_port(proxy.port, THREAD_KERNEL_PORT, other));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_set_special_port(proxy.port, 2, other));
	proxy_stop(&proxy);
	EXPECT_EQ(1, send_refs(other));
	EXPECT_EQ(refs, send_refs(me));

	/* Not a thread; no right. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  thread_get_special_port(mach_task_self(), THREAD_KERNEL_PORT, &port));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_get_special_port(54321, THREAD_KERNEL_PORT, &port));
	mach_port_destroy(mach_task_self(), other);
	mach_port_deallocate(mach_task_self(), me);
}

static int nice_of(pid_t tid)
{
	errno = 0;
	return getpriority(PRIO_PROCESS, tid);
}

TEST(policy_of_the_calling_thread)
{
	thread_act_t me = mach_thread_self();
	integer_t info[16];
	mach_msg_type_number_t count = THREAD_EXTENDED_POLICY_COUNT;
	boolean_t get_default = FALSE;

	/* Timeshare, as every SCHED_OTHER thread; standard is its default. */
	info[0] = 7;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(me, THREAD_EXTENDED_POLICY, info, &count,
						  &get_default));
	EXPECT_EQ(TRUE, info[0]);
	EXPECT_FALSE(get_default);
	EXPECT_EQ(THREAD_EXTENDED_POLICY_COUNT, count);
	EXPECT_EQ(KERN_SUCCESS, thread_policy_set(me, THREAD_STANDARD_POLICY, info,
						  THREAD_STANDARD_POLICY_COUNT));
	info[0] = TRUE;
	EXPECT_EQ(KERN_SUCCESS, thread_policy_set(me, THREAD_EXTENDED_POLICY, info, 1));
	info[0] = FALSE;	/* a fixed priority: no such class under CFS */
	EXPECT_EQ(KERN_NOT_SUPPORTED, thread_policy_set(me, THREAD_EXTENDED_POLICY, info, 1));

	/* Precedence is the nice value, both ways. */
	info[0] = -5;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_set(me, THREAD_PRECEDENCE_POLICY, info,
						  THREAD_PRECEDENCE_POLICY_COUNT));
	EXPECT_EQ(5, nice_of(gettid()));
	count = THREAD_PRECEDENCE_POLICY_COUNT;
	info[0] = 0;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(me, THREAD_PRECEDENCE_POLICY, info, &count,
						  &get_default));
	EXPECT_EQ(-5, info[0]);
	get_default = TRUE;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(me, THREAD_PRECEDENCE_POLICY, info, &count,
						  &get_default));
	EXPECT_EQ(0, info[0]);
	EXPECT_TRUE(get_default);
	info[0] = -1000;	/* beyond nice 19: 19 */
	ASSERT_EQ(KERN_SUCCESS, thread_policy_set(me, THREAD_PRECEDENCE_POLICY, info, 1));
	EXPECT_EQ(19, nice_of(gettid()));
	info[0] = 0;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_set(me, THREAD_PRECEDENCE_POLICY, info, 1));
	EXPECT_EQ(0, nice_of(gettid()));

	/* An affinity tag is kept, a hint. */
	info[0] = 7;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_set(me, THREAD_AFFINITY_POLICY, info, 1));
	info[0] = 0;
	get_default = FALSE;
	count = THREAD_AFFINITY_POLICY_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(me, THREAD_AFFINITY_POLICY, info, &count,
						  &get_default));
	EXPECT_EQ(7, info[0]);
	get_default = TRUE;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(me, THREAD_AFFINITY_POLICY, info, &count,
						  &get_default));
	EXPECT_EQ(THREAD_AFFINITY_TAG_NULL, info[0]);

	/* No time constraint: the defaults, said so. */
	count = THREAD_TIME_CONSTRAINT_POLICY_COUNT;
	get_default = FALSE;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(me, THREAD_TIME_CONSTRAINT_POLICY, info,
						  &count, &get_default));
	EXPECT_TRUE(get_default);
	EXPECT_EQ(0, info[0]);
	EXPECT_EQ(5000000, info[1]);
	EXPECT_EQ(10000000, info[2]);
	EXPECT_EQ(TRUE, info[3]);

	/* Bad input. */
	count = 3;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_get(me, THREAD_TIME_CONSTRAINT_POLICY,
							   info, &count, &get_default));
	count = 0;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_get(me, THREAD_PRECEDENCE_POLICY, info,
							   &count, &get_default));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_set(me, THREAD_PRECEDENCE_POLICY, info, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_set(me, THREAD_TIME_CONSTRAINT_POLICY,
							   info, 3));
	count = 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_get(me, 99, info, &count, &get_default));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_set(me, 99, info, 1));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_set(me, 5 /* background */, info, 1));
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, thread_policy_set(me, THREAD_AFFINITY_POLICY, info, 17));
	/* XNU's bounds of a computation: 50 us to 50 ms, within the constraint. */
	struct thread_time_constraint_policy tc = { 0, 10000, 100000, TRUE };
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_set(me, THREAD_TIME_CONSTRAINT_POLICY,
							   (thread_policy_t)&tc, 4));
	tc.computation = 200000;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_set(me, THREAD_TIME_CONSTRAINT_POLICY,
							   (thread_policy_t)&tc, 4));
	tc.computation = 60000000;
	tc.constraint = 100000000;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_policy_set(me, THREAD_TIME_CONSTRAINT_POLICY,
							   (thread_policy_t)&tc, 4));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  thread_policy_set(mach_task_self(), THREAD_AFFINITY_POLICY, info, 1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_policy_set(54321, THREAD_AFFINITY_POLICY, info, 1));
	mach_port_deallocate(mach_task_self(), me);
}

/* A time constraint is SCHED_DEADLINE (root here); timeshare undoes it. */
TEST_F(calls, time_constraint_is_sched_deadline)
{
	x86_thread_state64_t state = state_at((uint64_t)count_entry, self->stack + STACK - 8);
	struct thread_time_constraint_policy tc = { 10000000, 1000000, 5000000, TRUE };
	mach_msg_type_number_t count = THREAD_TIME_CONSTRAINT_POLICY_COUNT;
	boolean_t get_default = FALSE;
	integer_t info[16];
	thread_act_t thread;
	struct proxy proxy;

	ASSERT_EQ(KERN_SUCCESS, thread_create_running(self->task, x86_THREAD_STATE64,
						      (thread_state_t)&state,
						      x86_THREAD_STATE64_COUNT, &thread));
	if (geteuid() != 0)
		SKIP(return, "SCHED_DEADLINE needs CAP_SYS_NICE");
	ASSERT_EQ(KERN_SUCCESS, thread_policy_set(thread, THREAD_TIME_CONSTRAINT_POLICY,
						  (thread_policy_t)&tc, count));
	memset(&tc, 0, sizeof(tc));
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(thread, THREAD_TIME_CONSTRAINT_POLICY,
						  (thread_policy_t)&tc, &count, &get_default));
	EXPECT_FALSE(get_default);
	EXPECT_EQ(10000000, tc.period);
	EXPECT_EQ(2500000, tc.computation);	/* raised to half the constraint, as XNU */
	EXPECT_EQ(5000000, tc.constraint);
	EXPECT_TRUE(advances(self->task, 0));

	/* A real-time thread's extended policy is the default's. */
	count = 1;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(thread, THREAD_EXTENDED_POLICY, info, &count,
						  &get_default));
	EXPECT_TRUE(get_default);
	struct thread_extended_info ext;
	count = THREAD_EXTENDED_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_EXTENDED_INFO, (thread_info_t)&ext,
					    &count));
	EXPECT_EQ(POLICY_RR, ext.pth_policy);

	/* Back to timeshare, as a message (3617, 3618). */
	proxy_start(&proxy, thread);
	info[0] = TRUE;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_set(proxy.port, THREAD_EXTENDED_POLICY, info, 1));
	count = THREAD_TIME_CONSTRAINT_POLICY_COUNT;
	get_default = FALSE;
	ASSERT_EQ(KERN_SUCCESS, thread_policy_get(proxy.port, THREAD_TIME_CONSTRAINT_POLICY,
						  (thread_policy_t)&tc, &count, &get_default));
	EXPECT_TRUE(get_default);
	EXPECT_EQ(4, count);
	EXPECT_EQ(5000000, tc.computation);
	count = 3;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  thread_policy_get(proxy.port, THREAD_TIME_CONSTRAINT_POLICY,
				    (thread_policy_t)&tc, &count, &get_default));
	proxy_stop(&proxy);
	EXPECT_EQ(POLICY_TIMESHARE, ({
		count = THREAD_EXTENDED_INFO_COUNT;
		thread_info(thread, THREAD_EXTENDED_INFO, (thread_info_t)&ext, &count);
		ext.pth_policy;
	}));
	EXPECT_TRUE(advances(self->task, 0));
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
	mach_port_deallocate(mach_task_self(), thread);
}

/* Without CAP_SYS_NICE: no deadline, no lower nice than the limit. */
TEST(policy_refused_as_linux_refuses_it)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs root to become another user");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct rlimit none = { 0, 0 };
		struct thread_time_constraint_policy tc = { 10000000, 1000000, 5000000, TRUE };
		integer_t importance = 5;
		thread_act_t me;

		setrlimit(RLIMIT_NICE, &none);
		if (setgid(65534) || setuid(65534))
			_exit(3);
		me = mach_thread_self();
		if (me == MACH_PORT_NULL)
			_exit(4);
		if (thread_policy_set(me, THREAD_TIME_CONSTRAINT_POLICY, (thread_policy_t)&tc,
				      4) != KERN_NO_ACCESS)
			_exit(5);
		if (thread_policy_set(me, THREAD_PRECEDENCE_POLICY, &importance, 1) !=
		    KERN_NO_ACCESS)
			_exit(6);
		importance = -3;	/* a higher nice is anyone's */
		if (thread_policy_set(me, THREAD_PRECEDENCE_POLICY, &importance, 1) !=
		    KERN_SUCCESS || getpriority(PRIO_PROCESS, 0) != 3)
			_exit(7);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

struct seen {
	pid_t tid;
	pthread_t self;
	struct thread_identifier_info id;
	struct thread_extended_info ext;
	kern_return_t id_kr, ext_kr;
};

static void *identify(void *arg)
{
	struct seen *seen = arg;
	thread_act_t me = mach_thread_self();
	mach_msg_type_number_t count = THREAD_IDENTIFIER_INFO_COUNT;

	pthread_setname_np(pthread_self(), "calls-named");
	seen->tid = gettid();
	seen->self = pthread_self();
	seen->id_kr = thread_info(me, THREAD_IDENTIFIER_INFO, (thread_info_t)&seen->id, &count);
	count = THREAD_EXTENDED_INFO_COUNT;
	seen->ext_kr = thread_info(me, THREAD_EXTENDED_INFO, (thread_info_t)&seen->ext, &count);
	mach_port_deallocate(mach_task_self(), me);
	return NULL;
}

TEST(identifier_and_extended_info)
{
	struct seen seen;
	pthread_t t;

	memset(&seen, 0, sizeof(seen));
	ASSERT_EQ(0, pthread_create(&t, NULL, identify, &seen));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(KERN_SUCCESS, seen.id_kr);
	EXPECT_EQ((uint64_t)seen.tid, seen.id.thread_id);
	EXPECT_EQ((uint64_t)seen.self, seen.id.thread_handle);
	EXPECT_EQ(0, seen.id.dispatch_qaddr);
	ASSERT_EQ(KERN_SUCCESS, seen.ext_kr);
	EXPECT_STREQ("calls-named", seen.ext.pth_name);
	EXPECT_EQ(POLICY_TIMESHARE, seen.ext.pth_policy);
	EXPECT_EQ(TH_STATE_RUNNING, seen.ext.pth_run_state);
	EXPECT_EQ(31, seen.ext.pth_priority);	/* nice 0 */
	EXPECT_EQ(31, seen.ext.pth_curpri);
	EXPECT_EQ(63, seen.ext.pth_maxpriority);
	EXPECT_EQ(0, seen.ext.pth_user_time % 1000);

	/* The calling thread, its counts, and bad input. */
	thread_act_t me = mach_thread_self();
	struct thread_identifier_info id;
	struct thread_extended_info ext;
	mach_msg_type_number_t count = THREAD_IDENTIFIER_INFO_COUNT + 4;
	struct proxy proxy;

	ASSERT_EQ(KERN_SUCCESS, thread_info(me, THREAD_IDENTIFIER_INFO, (thread_info_t)&id,
					    &count));
	EXPECT_EQ(THREAD_IDENTIFIER_INFO_COUNT, count);
	EXPECT_EQ((uint64_t)gettid(), id.thread_id);
	EXPECT_EQ((uint64_t)pthread_self(), id.thread_handle);
	count = THREAD_IDENTIFIER_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(me, THREAD_IDENTIFIER_INFO,
						     (thread_info_t)&id, &count));
	count = THREAD_EXTENDED_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(me, THREAD_EXTENDED_INFO,
						     (thread_info_t)&ext, &count));
	count = THREAD_EXTENDED_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(me, 99, (thread_info_t)&ext, &count));

	/* As a message (3612). */
	proxy_start(&proxy, me);
	count = THREAD_EXTENDED_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(proxy.port, THREAD_EXTENDED_INFO,
					    (thread_info_t)&ext, &count));
	EXPECT_EQ(THREAD_EXTENDED_INFO_COUNT, count);
	EXPECT_EQ(63, ext.pth_maxpriority);
	count = THREAD_IDENTIFIER_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(proxy.port, THREAD_IDENTIFIER_INFO,
					    (thread_info_t)&id, &count));
	EXPECT_EQ((uint64_t)gettid(), id.thread_id);
	proxy_stop(&proxy);
	mach_port_deallocate(mach_task_self(), me);
}

/* A suspended thread of another task: stopped, its count, its task's id. */
TEST_F(calls, extended_info_of_a_suspended_thread)
{
	x86_thread_state64_t state = state_at((uint64_t)count_entry, self->stack + STACK - 8);
	struct thread_extended_info ext;
	struct thread_identifier_info id;
	mach_msg_type_number_t count = THREAD_EXTENDED_INFO_COUNT;
	thread_act_t thread;

	ASSERT_EQ(KERN_SUCCESS, thread_create_running(self->task, x86_THREAD_STATE64,
						      (thread_state_t)&state,
						      x86_THREAD_STATE64_COUNT, &thread));
	ASSERT_TRUE(advances(self->task, 0));
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
	usleep(50000);
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_EXTENDED_INFO, (thread_info_t)&ext,
					    &count));
	EXPECT_EQ(TH_STATE_STOPPED, ext.pth_run_state);
	EXPECT_GT(ext.pth_user_time, 0);
	count = THREAD_IDENTIFIER_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_IDENTIFIER_INFO, (thread_info_t)&id,
					    &count));
	EXPECT_NE(0, id.thread_id);
	EXPECT_NE((uint64_t)gettid(), id.thread_id);
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
	count = THREAD_IDENTIFIER_INFO_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_info(thread, THREAD_IDENTIFIER_INFO,
						      (thread_info_t)&id, &count));
	mach_port_deallocate(mach_task_self(), thread);
}

/*
 * The float state is set through the kernel's own FPU setter, which must
 * never meet a live task: a thread let out of its park runs its leave
 * steps (its FS and GS bases, a wide rax) in user mode through the stub
 * before it counts as started, and a thread_suspend then only holds it.
 * Setting its float state there made the kernel warn that the thread's
 * FPU registers were inconsistent (a panic with panic_on_warn). Now the
 * call waits for it to stop, as for any running thread.
 */
static char leave_stack[1 << 16] __attribute__((aligned(64)));
static char leave_gs[4096];

static void __attribute__((noreturn, noinline)) busy_in_user_mode(void)
{
	for (;;)
		syscall(SYS_getppid);	/* many ways out to user mode */
}

/*
 * Round i's state for busy_in_user_mode(): a stack of its own in
 * leave_stack, our fs base (libc's syscall()), and a rax wider than an
 * int (one more step on its way out of the park).
 */
static x86_thread_state64_t busy_state(int i, unsigned long fs)
{
	x86_thread_state64_t state = {
		.__rip = (uint64_t)busy_in_user_mode,
		.__rsp = (uint64_t)(leave_stack + sizeof(leave_stack) - 8 - 1024 * (i % 32)),
		.__rflags = 0x202,
		.__fs = fs,
		.__gs = (uint64_t)leave_gs,
		.__rax = 0x100000000ull,
	};

	return state;
}

TEST(float_state_of_a_thread_on_its_way_out_is_set_stopped)
{
	x86_float_state64_t fpu;
	mach_msg_type_number_t count = x86_FLOAT_STATE64_COUNT;
	unsigned long fs = 0;
	int set = 0, refused = 0;
	time_t end = time(NULL) + 5;

	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	for (int i = 0; i < 400 && time(NULL) < end; i++) {
		x86_thread_state64_t state = busy_state(i, fs);
		thread_act_t thread;
		kern_return_t kr;

		ASSERT_EQ(KERN_SUCCESS, thread_create(mach_task_self(), &thread));
		if (i == 0)
			ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_FLOAT_STATE64,
								 (thread_state_t)&fpu, &count));
		ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_THREAD_STATE64,
							 (thread_state_t)&state,
							 x86_THREAD_STATE64_COUNT));
		ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
		for (int d = 0; d < (i * 37) % 4000; d++)
			__asm__ __volatile__("" ::: "memory");	/* a moment, varied */
		ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
		kr = thread_set_state(thread, x86_FLOAT_STATE64, (thread_state_t)&fpu,
				      x86_FLOAT_STATE64_COUNT);
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_FAILURE) TH_LOG("kr %d", kr);
		set += kr == KERN_SUCCESS;
		refused += kr == KERN_FAILURE;
		/* Back to user mode, where the kernel checks its FPU registers. */
		ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
		ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread));
		mach_port_deallocate(mach_task_self(), thread);
	}
	TH_LOG("%d set, %d refused", set, refused);
	EXPECT_LT(0, set);
}

/*
 * Let go as soon as it is made, a new thread may reach its park already
 * free to leave and never sleep in it. A float state set while it is seen
 * parked is the one it runs with; the kernel's check of its FPU registers on
 * the way to user mode (X86_DEBUG_FPU) stays quiet.
 */
TEST(float_state_set_as_a_new_thread_leaves_its_park_is_the_one_it_runs_with)
{
	x86_float_state64_t fpu;
	mach_msg_type_number_t count = x86_FLOAT_STATE64_COUNT;
	unsigned long fs = 0;
	int set = 0, kept = 0, rounds = 0;
	time_t end = time(NULL) + 10;
	thread_act_t first;

	/* An image to set; got from a thread of its own (a get waits for the park). */
	ASSERT_EQ(KERN_SUCCESS, thread_create(mach_task_self(), &first));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(first, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	ASSERT_EQ(KERN_SUCCESS, thread_terminate(first));
	mach_port_deallocate(mach_task_self(), first);
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	for (int i = 0; i < 2000 && time(NULL) < end; i++, rounds++) {
		x86_thread_state64_t state = busy_state(i, fs);
		uint32_t mark = 0x5eed0000u | i;
		thread_act_t thread;
		kern_return_t kr;

		ASSERT_EQ(KERN_SUCCESS, thread_create(mach_task_self(), &thread));
		ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_THREAD_STATE64,
							 (thread_state_t)&state,
							 x86_THREAD_STATE64_COUNT));
		memcpy(&fpu.__fpu_xmm7, &mark, sizeof(mark));
		/* Let go before it parks, most rounds; held again at varied moments. */
		ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
		for (int d = 0; d < (i * 211) % 60000; d++)
			__asm__ __volatile__("" ::: "memory");
		ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
		kr = thread_set_state(thread, x86_FLOAT_STATE64, (thread_state_t)&fpu,
				      x86_FLOAT_STATE64_COUNT);
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_FAILURE) TH_LOG("kr %d", kr);
		ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
		if (kr == KERN_SUCCESS) {
			uint32_t seen;

			set++;
			/* Its loop touches no xmm register: the mark stays. */
			ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
			count = x86_FLOAT_STATE64_COUNT;
			ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_FLOAT_STATE64,
								 (thread_state_t)&fpu,
								 &count));
			memcpy(&seen, &fpu.__fpu_xmm7, sizeof(seen));
			EXPECT_EQ(mark, seen) TH_LOG("round %d", i);
			kept += mark == seen;
		}
		ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread));
		mach_port_deallocate(mach_task_self(), thread);
	}
	TH_LOG("%d rounds: %d set, %d kept", rounds, set, kept);
	EXPECT_LT(0, set);
}

/*
 * thread_create_running in the caller's own task with a float state, in
 * a process of its own: the thread is cloned before its FPU image is set
 * (only its registers are kept for a thread not made yet), and the call
 * answers as it does for another task's.
 */
TEST(create_running_with_a_float_state_in_the_callers_own_task)
{
	int status = -1;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		x86_float_state64_t fpu;
		mach_msg_type_number_t count = x86_FLOAT_STATE64_COUNT;
		thread_act_t thread;
		kern_return_t kr;

		if (thread_get_state(mach_thread_self(), x86_FLOAT_STATE64,
				     (thread_state_t)&fpu, &count))
			_exit(90);
		kr = thread_create_running(mach_task_self(), x86_FLOAT_STATE64,
					   (thread_state_t)&fpu, x86_FLOAT_STATE64_COUNT,
					   &thread);
		if (kr == KERN_SUCCESS)
			thread_terminate(thread);
		_exit(kr);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(KERN_SUCCESS, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
