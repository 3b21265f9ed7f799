// SPDX-License-Identifier: GPL-2.0
/*
 * thread_get_state and thread_set_state on threads that run: the call
 * stops the thread, does its work and lets it go on (XNU's thread_stop and
 * thread_unstop), in a task just suspended too; and on the calling thread
 * itself, whose state is the one it made the call with.
 */
#include <asm/prctl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096
#define STACK (16 * PAGE)

static volatile uint64_t counters[3];

/* What the threads of the child task run, on its copy of this image. */
static void __attribute__((noinline, noreturn)) count_entry(void)
{
	for (;;)
		counters[0]++;
}

static void __attribute__((noinline, noreturn)) count_other(void)
{
	for (;;)
		counters[1]++;
}

/* Blocked in a system call most of the time (no libc: fs is 0 there). */
static void __attribute__((noinline, noreturn)) sleep_entry(void)
{
	static const struct timespec ms = { 0, 1000000 };

	for (;;) {
		long ret;

		__asm__ volatile("syscall" : "=a"(ret)
				 : "0"((long)SYS_nanosleep), "D"(&ms), "S"(0L)
				 : "rcx", "r11", "memory");
		counters[2]++;
	}
}

static uint64_t counter_in(task_t task, int which)
{
	uint64_t value = 0;

	vm_read_overwrite(task, (vm_address_t)&counters[which], sizeof(value),
			  (vm_address_t)&value, NULL);
	return value;
}

/* Does the counter move over a while? */
static int advances(task_t task, int which)
{
	uint64_t before = counter_in(task, which);

	for (int i = 0; i < 30; i++) {
		usleep(20000);
		if (counter_in(task, which) != before)
			return 1;
	}
	return 0;
}

static uint32_t suspend_count_of(thread_act_t thread)
{
	struct thread_basic_info info;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;

	if (thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info, &count))
		return ~0u;
	return info.suspend_count;
}

/* A child task whose one thread runs entry, resumed and running. */
FIXTURE(running) {
	struct made made;
	task_t task;
	thread_act_t thread;
	vm_address_t stack;
};

FIXTURE_SETUP(running)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &self->task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(self->task, &self->stack, STACK,
					    VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, thread_create(self->task, &self->thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(self->thread, (uint64_t)count_entry,
					 self->stack + STACK / 2 - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(self->thread));
	ASSERT_TRUE(advances(self->task, 0));
}

FIXTURE_TEARDOWN(running)
{
	task_terminate(self->task);
	mach_port_deallocate(mach_task_self(), self->thread);
	made_end(&self->made);
}

static int in_count_entry(uint64_t rip)
{
	return rip >= (uint64_t)count_entry && rip < (uint64_t)count_entry + 64;
}

TEST_F(running, get_state_stops_reads_and_lets_go)
{
	for (int i = 0; i < 20; i++) {
		x86_thread_state64_t state;
		mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

		ASSERT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_THREAD_STATE64,
							 (thread_state_t)&state, &count));
		EXPECT_EQ(x86_THREAD_STATE64_COUNT, count);
		EXPECT_TRUE(in_count_entry(state.__rip)) {
			TH_LOG("rip %llx", (unsigned long long)state.__rip);
		}
		EXPECT_EQ(self->stack + STACK / 2 - 8, state.__rsp);
	}
	/* Not suspended by it, and running on. */
	EXPECT_EQ(0u, suspend_count_of(self->thread));
	EXPECT_TRUE(advances(self->task, 0));

	/* The other flavours stop it likewise. */
	x86_float_state64_t fpu;
	mach_msg_type_number_t count = x86_FLOAT_STATE64_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	x86_exception_state64_t exc;
	count = x86_EXCEPTION_STATE64_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_EXCEPTION_STATE64,
						 (thread_state_t)&exc, &count));
	x86_thread_state_t unified;
	count = x86_THREAD_STATE_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_THREAD_STATE,
						 (thread_state_t)&unified, &count));
	EXPECT_EQ(x86_THREAD_STATE64, unified.tsh.flavor);
	EXPECT_TRUE(in_count_entry(unified.uts.ts64.__rip));
	EXPECT_TRUE(advances(self->task, 0));
}

TEST_F(running, set_state_changes_what_it_runs)
{
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

	ASSERT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	state.__rip = (uint64_t)count_other;
	state.__rsp = self->stack + STACK - 8;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(self->thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, count));
	EXPECT_TRUE(advances(self->task, 1));
	EXPECT_FALSE(advances(self->task, 0));
	EXPECT_EQ(0u, suspend_count_of(self->thread));

	/* Its float state, set as it runs, is read back. */
	x86_float_state64_t fpu;
	count = x86_FLOAT_STATE64_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	memset(&fpu.__fpu_xmm15, 0x5a, sizeof(fpu.__fpu_xmm15));
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(self->thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, count));
	memset(&fpu, 0, sizeof(fpu));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	EXPECT_EQ(0x5a, ((uint8_t *)&fpu.__fpu_xmm15)[7]);
	EXPECT_TRUE(advances(self->task, 1));
}

TEST_F(running, task_suspend_then_get_state_at_once)
{
	for (int i = 0; i < 5; i++) {
		x86_thread_state64_t state;
		mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

		ASSERT_EQ(KERN_SUCCESS, task_suspend(self->task));
		ASSERT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_THREAD_STATE64,
							 (thread_state_t)&state, &count));
		EXPECT_TRUE(in_count_entry(state.__rip));
		/* thread_suspend's count is the thread's; the task's is apart. */
		EXPECT_EQ(0u, suspend_count_of(self->thread));
		EXPECT_FALSE(advances(self->task, 0));
		ASSERT_EQ(KERN_SUCCESS, task_resume(self->task));
		EXPECT_TRUE(advances(self->task, 0));
	}
	/* thread_suspend then thread_set_state at once: it starts there. */
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(self->thread));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	state.__rip = (uint64_t)count_other;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(self->thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, count));
	EXPECT_FALSE(advances(self->task, 1));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(self->thread));
	EXPECT_TRUE(advances(self->task, 1));
}

/* Blocked in a system call, it is read there and goes back to it. */
TEST_F(running, a_blocked_thread_is_read_and_blocks_on)
{
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	thread_act_t sleeper;

	ASSERT_EQ(KERN_SUCCESS, thread_create(self->task, &sleeper));
	ASSERT_EQ(KERN_SUCCESS, start_at(sleeper, (uint64_t)sleep_entry,
					 self->stack + STACK - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(sleeper));
	ASSERT_TRUE(advances(self->task, 2));
	for (int i = 0; i < 10; i++) {
		ASSERT_EQ(KERN_SUCCESS, thread_get_state(sleeper, x86_THREAD_STATE64,
							 (thread_state_t)&state, &count));
		EXPECT_GE(state.__rip, (uint64_t)sleep_entry);
		EXPECT_LT(state.__rip, (uint64_t)sleep_entry + 128);
	}
	EXPECT_TRUE(advances(self->task, 2));
	EXPECT_TRUE(advances(self->task, 0));
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(sleeper));
	/* Ended: its port is dead. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  thread_get_state(sleeper, x86_THREAD_STATE64, (thread_state_t)&state, &count));
	mach_port_deallocate(mach_task_self(), sleeper);
}

TEST_F(running, bad_input_to_a_running_thread)
{
	x86_thread_state64_t state;
	mach_msg_type_number_t count = 3;

	/* The count is checked before the thread is stopped. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_state(self->thread, x86_THREAD_STATE64,
							  (thread_state_t)&state, &count));
	count = x86_THREAD_STATE64_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_state(self->thread, 99,
							  (thread_state_t)&state, &count));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(self->thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	state.__rip = 0xffffffff81000000ull;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_set_state(self->thread, x86_THREAD_STATE64,
							  (thread_state_t)&state, count));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_state(self->task, x86_THREAD_STATE64,
							  (thread_state_t)&state, &count));
	EXPECT_EQ(0u, suspend_count_of(self->thread));
	EXPECT_TRUE(advances(self->task, 0));
}

/*
 * Two threads reading each other's state at once: each is stopped for
 * the other, neither waits forever (one may be told KERN_ABORTED, its
 * wait ended by the other's stop of it, as XNU's aborted thread_stop).
 */
static thread_act_t peers[2];
static volatile int peer_failures, peer_aborts, peers_done;
static volatile kern_return_t peer_failure;

static void *read_peer(void *arg)
{
	int me = (int)(intptr_t)arg;

	peers[me] = mach_thread_self();
	while (!__atomic_load_n(&peers[!me], __ATOMIC_ACQUIRE))
		;
	for (int i = 0; i < 200; i++) {
		x86_thread_state64_t state;
		mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
		kern_return_t kr = thread_get_state(peers[!me], x86_THREAD_STATE64,
						    (thread_state_t)&state, &count);

		if (kr == KERN_ABORTED)
			__atomic_add_fetch(&peer_aborts, 1, __ATOMIC_RELAXED);
		else if (kr != KERN_SUCCESS) {
			peer_failure = kr;
			__atomic_add_fetch(&peer_failures, 1, __ATOMIC_RELAXED);
		}
	}
	/* Alive until the other is done with it too. */
	__atomic_add_fetch(&peers_done, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&peers_done, __ATOMIC_ACQUIRE) < 2)
		;
	return NULL;
}

TEST(two_threads_read_each_other)
{
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, read_peer, (void *)(intptr_t)i));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(0, peer_failures) {
		TH_LOG("last failure %#x", peer_failure);
	}
	TH_LOG("%d of 400 calls aborted", peer_aborts);
	EXPECT_LT(peer_aborts, 400);
}

/* The calling thread's own state: the one it made the call with. */
static jmp_buf landed_from;
static volatile int landed;

static void __attribute__((noreturn)) landing(uint64_t word)
{
	landed = (int)word;
	longjmp(landed_from, 1);
}

TEST(own_thread_state)
{
	thread_act_t self_thread = mach_thread_self();
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	unsigned long fs = 0, gs = 0;
	char here;

	ASSERT_NE(MACH_PORT_NULL, self_thread);
	ASSERT_EQ(0, syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	ASSERT_EQ(0, syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(self_thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	EXPECT_EQ(fs, state.__fs);
	EXPECT_EQ(gs, state.__gs);
	EXPECT_LT(state.__rsp, (uint64_t)&here);
	EXPECT_GT(state.__rsp + 65536, (uint64_t)&here);

	x86_float_state64_t fpu;
	count = x86_FLOAT_STATE64_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_get_state(self_thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	x86_exception_state64_t exc;
	count = x86_EXCEPTION_STATE64_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_get_state(self_thread, x86_EXCEPTION_STATE64,
						 (thread_state_t)&exc, &count));
	/* Its live FPU and its bases are not set this way here. */
	count = x86_FLOAT_STATE64_COUNT;
	EXPECT_EQ(KERN_FAILURE, thread_set_state(self_thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, count));

	/* Set, it returns from the call to the state it was given. */
	static uint8_t stack[16384] __attribute__((aligned(16)));
	count = x86_THREAD_STATE64_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(self_thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	state.__fs = fs + PAGE;
	EXPECT_EQ(KERN_FAILURE, thread_set_state(self_thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, count));
	state.__fs = fs;
	state.__rip = (uint64_t)landing;
	state.__rsp = (uint64_t)&stack[sizeof(stack) - 8];
	state.__rdi = 0x600d;
	if (!setjmp(landed_from)) {
		thread_set_state(self_thread, x86_THREAD_STATE64, (thread_state_t)&state,
				 count);
		landed = -1;	/* not reached if it worked */
	}
	EXPECT_EQ(0x600d, landed);
	mach_port_deallocate(mach_task_self(), self_thread);
}

TEST_HARNESS_MAIN
