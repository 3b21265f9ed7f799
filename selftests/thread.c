// SPDX-License-Identifier: GPL-2.0
/*
 * Threads in tasks: thread_create, its state, thread_resume, task_threads,
 * thread_terminate; and code run inside an empty task built by hand.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(threads) {
	struct made made;
};

FIXTURE_SETUP(threads)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(threads)
{
	made_end(&self->made);
}

/*
 * The classic Mach exec path: an empty task, a program written into it,
 * a thread started at it. The program stores a word and spins:
 *   movabs $data, %rax; movl $0x600df00d, (%rax); jmp .
 */
TEST_F(threads, program_written_into_an_empty_task_runs)
{
	vm_address_t code = 0, data = 0;
	thread_act_t thread;
	task_t task;
	uint8_t program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0xc7, 0x00, 0x0d, 0xf0, 0x0d, 0x60,
		0xeb, 0xfe,
	};

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	memcpy(program + 2, &data, 8);
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	EXPECT_EQ(0, thread_count(task));

	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	EXPECT_EQ(1, thread_count(task));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, code, data + PAGE - 64));
	/* Created suspended: nothing has run yet. */
	usleep(50000);
	uint32_t word = 1;
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(task, data, 4, (vm_address_t)&word, NULL));
	EXPECT_EQ(0, word);
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	EXPECT_TRUE(await_word(task, data, 0x600df00d));
	EXPECT_EQ(KERN_FAILURE, thread_resume(thread));	/* not suspended */

	/* A running thread is stopped for its state to be set, at once. */
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(KERN_SUCCESS, start_at(thread, code, data + PAGE - 64));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_LT((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 500);
	/* Ended while it spins: the count goes back. */
	ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread));
	EXPECT_EQ(0, thread_count(task));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_resume(thread));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), thread));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), task));
}

static volatile uint32_t answer;

/* Runs in the child on a stack of its own: no libc, no TLS. */
static void __attribute__((noinline, noreturn)) child_entry(void)
{
	answer = 42;
	for (;;)
		__asm__ volatile("pause");
}

/* An inheriting task runs a function of the program it inherited. */
TEST_F(threads, function_of_the_inherited_image_runs_on_its_copy)
{
	vm_address_t stack = 0;
	thread_act_t threads[2];
	task_t task;

	answer = 0;
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &stack, 4 * PAGE, VM_FLAGS_ANYWHERE));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &threads[i]));
		ASSERT_EQ(KERN_SUCCESS, start_at(threads[i], (uint64_t)child_entry,
						 stack + (i + 1) * 2 * PAGE - 8));
	}
	EXPECT_EQ(2, thread_count(task));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(threads[0]));
	EXPECT_TRUE(await_word(task, (vm_address_t)&answer, 42));
	EXPECT_EQ(0, answer);		/* ours is untouched: copy-on-write */

	/* Ending the task ends its threads, running or not. */
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_resume(threads[i]));
		mach_port_deallocate(mach_task_self(), threads[i]);
	}
	mach_port_deallocate(mach_task_self(), task);
}

static volatile uint64_t counters[2];

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

static uint64_t counter_in(task_t task, int which)
{
	uint64_t value = 0;

	vm_read_overwrite(task, (vm_address_t)&counters[which], sizeof(value),
			  (vm_address_t)&value, NULL);
	return value;
}

/* Does the counter stand still (0) or move (1) over a while? */
static int advances(task_t task, int which)
{
	uint64_t before = counter_in(task, which);

	usleep(150000);
	return counter_in(task, which) != before;
}

TEST_F(threads, suspension_stops_threads_and_nests)
{
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	vm_address_t stack = 0;
	thread_act_t one, two;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &stack, 4 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &one));
	ASSERT_EQ(KERN_SUCCESS, start_at(one, (uint64_t)count_entry, stack + 2 * PAGE - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(one));
	EXPECT_TRUE(advances(task, 0));

	/* The task's suspension stops it; the counts nest. */
	ASSERT_EQ(KERN_SUCCESS, task_suspend(task));
	usleep(50000);
	EXPECT_FALSE(advances(task, 0));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(task));
	ASSERT_EQ(KERN_SUCCESS, task_resume(task));
	EXPECT_FALSE(advances(task, 0));

	/* A thread made and resumed in a suspended task waits for it. */
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &two));
	ASSERT_EQ(KERN_SUCCESS, start_at(two, (uint64_t)count_other, stack + 4 * PAGE - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(two));
	EXPECT_FALSE(advances(task, 1));
	ASSERT_EQ(KERN_SUCCESS, task_resume(task));
	EXPECT_TRUE(advances(task, 0));
	EXPECT_TRUE(advances(task, 1));
	EXPECT_EQ(KERN_FAILURE, task_resume(task));

	/* One thread alone, and its registers while it stands. */
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(one));
	usleep(50000);
	EXPECT_FALSE(advances(task, 0));
	EXPECT_TRUE(advances(task, 1));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(one, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	EXPECT_GE(state.__rip, (uint64_t)count_entry);
	EXPECT_LT(state.__rip, (uint64_t)count_entry + 64);
	ASSERT_EQ(KERN_SUCCESS, thread_resume(one));
	EXPECT_TRUE(advances(task, 0));

	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), one);
	mach_port_deallocate(mach_task_self(), two);
	mach_port_deallocate(mach_task_self(), task);
}

/* The fs base is part of the state: the program writes through %fs. */
TEST_F(threads, fs_base_in_the_thread_state)
{
	/* movl $0x600df00d, %fs:8; jmp . */
	uint8_t program[] = {
		0x64, 0xc7, 0x04, 0x25, 0x08, 0, 0, 0, 0x0d, 0xf0, 0x0d, 0x60,
		0xeb, 0xfe,
	};
	x86_thread_state64_t state = { 0 };
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	vm_address_t code = 0, data = 0;
	thread_act_t thread;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	state.__rip = code;
	state.__rsp = data + PAGE - 64;
	state.__rflags = 0x202;
	state.__fs = data;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, count));
	state.__fs = 0xffff888000000000ull;	/* a kernel address: refused */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_set_state(thread, x86_THREAD_STATE64,
							  (thread_state_t)&state, count));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	EXPECT_TRUE(await_word(task, data + 8, 0x600df00d));

	/* Stopped, it reports the base it runs with. */
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	EXPECT_EQ(data, state.__fs);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
}

/* The float state carries the xmm registers in and out. */
TEST_F(threads, float_state_in_and_out)
{
	/* movabs $data, %rax; movdqu %xmm0, (%rax); jmp . */
	uint8_t program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0xf3, 0x0f, 0x7f, 0x00,
		0xeb, 0xfe,
	};
	static const char secret[16] = "fifteen letters";
	x86_float_state64_t fpu;
	mach_msg_type_number_t count = x86_FLOAT_STATE64_COUNT;
	vm_address_t code = 0, data = 0;
	thread_act_t thread;
	char got[16] = "";
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	memcpy(program + 2, &data, 8);
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	EXPECT_EQ(x86_FLOAT_STATE64_COUNT, count);
	EXPECT_EQ(0x1f80, fpu.__fpu_mxcsr);	/* the default a new thread has */
	memcpy(&fpu.__fpu_xmm0, secret, 16);
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, count));
	memset(&fpu, 0, sizeof(fpu));
	count = x86_FLOAT_STATE64_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	EXPECT_EQ(0, memcmp(&fpu.__fpu_xmm0, secret, 16));
	/* MXCSR's reserved bits are dropped, as on XNU, not refused. */
	fpu.__fpu_mxcsr = 0x1f80 | 0xffff0000;
	EXPECT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, count));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_FLOAT_STATE64,
						 (thread_state_t)&fpu, &count));
	EXPECT_EQ(0x1f80, fpu.__fpu_mxcsr);
	EXPECT_EQ(0, memcmp(&fpu.__fpu_xmm0, secret, 16));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, code, data + PAGE - 64));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	for (int i = 0; i < 200 && memcmp(got, secret, 16); i++) {
		usleep(10000);
		vm_read_overwrite(task, data, 16, (vm_address_t)got, NULL);
	}
	EXPECT_EQ(0, memcmp(got, secret, 16));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
}

/* A thread that exits by itself (exit(2) through a syscall) is gone. */
TEST_F(threads, a_thread_that_exits_is_no_longer_listed)
{
	/* mov $60, %eax; xor %edi, %edi; syscall */
	uint8_t program[] = { 0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05 };
	vm_address_t code = 0;
	thread_act_t thread;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, code, code + PAGE));
	EXPECT_EQ(1, thread_count(task));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	for (int i = 0; i < 200 && thread_count(task) != 0; i++)
		usleep(10000);
	EXPECT_EQ(0, thread_count(task));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_resume(thread));
	/* The task goes on without it. */
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(task, &code, PAGE, VM_FLAGS_ANYWHERE));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
}

/*
 * thread_create does not wait for its thread to park: the state set right
 * after it must reach the thread however the two cross. Each thread adds
 * one to a word and exits:
 *   movabs $data, %rax; lock incl (%rax); mov $60, %eax; xor %edi, %edi; syscall
 */
TEST_F(threads, state_set_at_once_reaches_every_new_thread)
{
	uint8_t program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0xf0, 0xff, 0x00,
		0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05,
	};
	vm_address_t code = 0, data = 0;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	memcpy(program + 2, &data, 8);
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	for (uint32_t i = 1; i <= 40; i++) {
		x86_thread_state64_t state;
		mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
		thread_act_t thread;

		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		ASSERT_EQ(KERN_SUCCESS, start_at(thread, code, 0));
		ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
							 (thread_state_t)&state, &count));
		EXPECT_EQ(code, state.__rip);
		ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
		ASSERT_TRUE(await_word(task, data, i)) TH_LOG("thread %u did not run", i);
		mach_port_deallocate(mach_task_self(), thread);
	}
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), task);
}

/*
 * Threads ended at once, before they could reach their park or in it,
 * and threads ended right after they were started: none is left, and the
 * kernel stays clean however the thread's entry and its end cross.
 *   mov $60, %eax; xor %edi, %edi; syscall
 */
TEST_F(threads, threads_ended_as_soon_as_made)
{
	uint8_t program[] = { 0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05 };
	vm_address_t code = 0;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	for (int i = 0; i < 150; i++) {
		thread_act_t thread;

		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		switch (i % 3) {
		case 0:		/* ended before it entered, most likely */
			EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
			break;
		case 1:		/* its state set, then ended in its park */
			EXPECT_EQ(KERN_SUCCESS, start_at(thread, code, 0));
			EXPECT_EQ(KERN_SUCCESS, thread_terminate(thread));
			break;
		case 2:		/* started, and ended while it runs or exits */
			EXPECT_EQ(KERN_SUCCESS, start_at(thread, code, 0));
			EXPECT_EQ(KERN_SUCCESS, thread_resume(thread));
			thread_terminate(thread);	/* it may have exited already */
			break;
		}
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), thread));
	}
	for (int i = 0; i < 200 && thread_count(task) != 0; i++)
		usleep(10000);
	EXPECT_EQ(0, thread_count(task));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), task);
}

/*
 * A program that ends its task with exit_group: the task's port becomes a
 * dead name, and whoever asked is told.
 *   mov $231, %eax; xor %edi, %edi; syscall
 */
TEST_F(threads, a_program_that_exits_ends_its_task)
{
	uint8_t program[] = { 0xb8, 0xe7, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05 };
	mach_port_t notify, previous;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &notify));
	for (int i = 0; i < 10; i++) {
		mach_dead_name_notification_t note;
		vm_address_t code = 0;
		thread_act_t thread;
		task_t task;

		ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0,
							 FALSE, &task));
		ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(
				mach_task_self(), task, MACH_NOTIFY_DEAD_NAME, 0, notify,
				MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
		ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		ASSERT_EQ(KERN_SUCCESS, start_at(thread, code, 0));
		ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  mach_msg(&note.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
				   sizeof(note), notify, 5000, MACH_PORT_NULL));
		EXPECT_EQ(MACH_NOTIFY_DEAD_NAME, note.not_header.msgh_id);
		EXPECT_EQ(task, note.not_port);
		/* The notification's own reference to the dead name, and ours. */
		mach_port_deallocate(mach_task_self(), task);
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), task));
		mach_port_deallocate(mach_task_self(), thread);
	}
	mach_port_destroy(mach_task_self(), notify);
}

TEST_F(threads, thread_self_and_thread_info)
{
	thread_basic_info_data_t info;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	thread_act_t me = mach_thread_self(), thread;
	task_t task;

	ASSERT_NE(MACH_PORT_NULL, me);
	EXPECT_EQ(me, mach_thread_self());	/* one name, one more uref */
	ASSERT_EQ(KERN_SUCCESS, thread_info(me, THREAD_BASIC_INFO,
					    (thread_info_t)&info, &count));
	EXPECT_EQ(THREAD_BASIC_INFO_COUNT, count);
	EXPECT_EQ(TH_STATE_RUNNING, info.run_state);
	EXPECT_EQ(0, info.suspend_count);
	EXPECT_LE(1, thread_count(mach_task_self()));

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	count = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_BASIC_INFO,
					    (thread_info_t)&info, &count));
	EXPECT_EQ(TH_STATE_STOPPED, info.run_state);
	EXPECT_EQ(1, info.suspend_count);
	count = 2;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(thread, THREAD_BASIC_INFO,
						     (thread_info_t)&info, &count));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_deallocate(mach_task_self(), me);
	mach_port_deallocate(mach_task_self(), me);
}

static void *terminate_myself(void *arg)
{
	*(int *)arg = 1;
	thread_terminate(mach_thread_self());
	*(int *)arg = 2;	/* never: the thread ended on its way out */
	return NULL;
}

TEST(a_thread_terminates_itself)
{
	pthread_t pt;
	int reached = 0;

	ASSERT_EQ(0, pthread_create(&pt, NULL, terminate_myself, &reached));
	/* The kernel clears the thread's tid as it exits: join returns. */
	ASSERT_EQ(0, pthread_join(pt, NULL));
	EXPECT_EQ(1, reached);
}

/* A message with one word, as a program in a child task sends it. */
struct word_msg {
	mach_msg_header_t header;
	uint32_t word;
	mach_msg_trailer_t trailer;
};

/* Receives a word_msg on port within 5 s: its word, or 0. */
static uint32_t receive_word(mach_port_t port)
{
	struct word_msg msg;

	if (mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(msg), port,
		     5000, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 0;
	return msg.word;
}

/* The arguments of an ioctl(MACH_IOC_MSG) sending msg, and msg itself. */
struct send_page {
	struct mach_msg_args args;
	struct word_msg msg;
};

static void prepare_send(struct send_page *page, uint64_t page_address,
			 mach_port_t to, uint32_t word)
{
	memset(page, 0, sizeof(*page));
	page->msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	page->msg.header.msgh_size = sizeof(page->msg) - sizeof(page->msg.trailer);
	page->msg.header.msgh_remote_port = to;
	page->msg.word = word;
	page->args.msg = page_address + offsetof(struct send_page, msg);
	page->args.option = MACH_SEND_MSG;
	page->args.send_size = page->msg.header.msgh_size;
}

/*
 * The exec path with its effect seen by message: the program written
 * into an empty task sends a word to a port we inserted there, through
 * the task's /dev/mach (fd 0):
 *   mov $16, %eax; xor %edi, %edi; mov $MACH_IOC_MSG, %esi;
 *   movabs $args, %rdx; syscall; jmp .
 */
TEST_F(threads, program_in_an_empty_task_sends_a_message)
{
	uint8_t program[] = {
		0xb8, 0x10, 0, 0, 0, 0x31, 0xff, 0xbe, 0, 0, 0, 0,
		0x48, 0xba, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xfe,
	};
	uint32_t ioc = MACH_IOC_MSG;
	vm_address_t code = 0, data = 0;
	struct send_page page;
	mach_port_t port, there = 20;
	thread_act_t thread;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &port));
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(task, there, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, 2 * PAGE, VM_FLAGS_ANYWHERE));
	memcpy(program + 8, &ioc, 4);
	memcpy(program + 14, &data, 8);
	prepare_send(&page, data, there, 0xfeedbeef);
	ASSERT_EQ(KERN_SUCCESS, vm_write(task, data, (vm_offset_t)&page, sizeof(page)));
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, code, data + 2 * PAGE - 64));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	EXPECT_EQ(0xfeedbeef, receive_word(port));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_destroy(mach_task_self(), port);
}

static struct send_page result_page;
static volatile uint32_t inherited_input;

/* In the child, on its copy of our memory: doubles the input, sends it. */
static void __attribute__((noinline, noreturn)) double_and_send(void)
{
	long ret;

	result_page.msg.word = inherited_input * 2;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(SYS_ioctl), "D"(0), "S"(MACH_IOC_MSG), "d"(&result_page.args)
			 : "rcx", "r11", "memory");
	for (;;)
		__asm__ volatile("pause");
}

/* An inheriting task runs our function on its copy and answers by message. */
TEST_F(threads, inherited_function_answers_by_message)
{
	vm_address_t stack = 0;
	mach_port_t port, there = 20;
	thread_act_t thread;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &port));
	inherited_input = 21;
	prepare_send(&result_page, (uint64_t)&result_page, there, 0);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &task));
	inherited_input = 1000;	/* ours only: the child keeps 21 */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(task, there, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &stack, 4 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, (uint64_t)double_and_send,
					 stack + 4 * PAGE - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	EXPECT_EQ(42, receive_word(port));
	EXPECT_EQ(0, result_page.msg.word);	/* its copy, not ours */
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_destroy(mach_task_self(), port);
}

static volatile int64_t abort_result = 1;

/* Blocks in pause(), again and again; what it returned is left in abort_result. */
static void __attribute__((noinline, noreturn)) pause_entry(void)
{
	long ret;

	for (;;) {
		__asm__ volatile("syscall" : "=a"(ret) : "a"(SYS_pause) : "rcx", "r11", "memory");
		abort_result = ret;
	}
}

static int64_t abort_result_in(task_t task)
{
	int64_t value = 1;

	vm_read_overwrite(task, (vm_address_t)&abort_result, sizeof(value),
			  (vm_address_t)&value, NULL);
	return value;
}

/*
 * Suspended and resumed, a thread's system call restarts; aborted, while
 * suspended or not, it fails with EINTR instead (thread_abort).
 */
TEST_F(threads, thread_abort_ends_a_blocked_system_call)
{
	vm_address_t stack = 0;
	thread_act_t thread;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &stack, 4 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	EXPECT_EQ(KERN_SUCCESS, thread_abort(thread));	/* never ran: nothing to do */
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, (uint64_t)pause_entry, stack + 4 * PAGE - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	usleep(100000);

	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	usleep(100000);
	EXPECT_EQ(1, abort_result_in(task));	/* still in pause() */

	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
	ASSERT_EQ(KERN_SUCCESS, thread_abort(thread));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	for (int i = 0; i < 200 && abort_result_in(task) == 1; i++)
		usleep(10000);
	EXPECT_EQ(-EINTR, abort_result_in(task));

	/* Blocked again, not suspended: the abort reaches it all the same. */
	int64_t one = 1;
	ASSERT_EQ(KERN_SUCCESS, vm_write(task, (vm_address_t)&abort_result, (vm_offset_t)&one,
					 sizeof(one)));
	usleep(100000);
	ASSERT_EQ(KERN_SUCCESS, thread_abort(thread));
	for (int i = 0; i < 200 && abort_result_in(task) == 1; i++)
		usleep(10000);
	EXPECT_EQ(-EINTR, abort_result_in(task));

	ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_abort(thread));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
}

static volatile uint64_t *spins;

static void *spin(void *arg)
{
	for (;;)
		spins[(uintptr_t)arg]++;
	return NULL;
}

/*
 * Every thread of a task that runs its own program is a Mach thread:
 * task_threads lists them (never the agent), and task_suspend stops them.
 */
TEST_F(threads, a_programs_own_threads_are_mach_threads)
{
	mach_port_t boot, child_task;
	uint64_t before[2];
	int status;
	pid_t pid;

	spins = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, spins);
	EXPECT_EQ(1, thread_count(mach_task_self()));	/* this one */

	boot = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, boot);
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t parent = MACH_PORT_NULL;
		pthread_t pt;

		for (uintptr_t i = 0; i < 2; i++)
			pthread_create(&pt, NULL, spin, (void *)i);
		task_get_bootstrap_port(mach_task_self(), &parent);
		send_port(parent, mach_task_self(), MACH_MSG_TYPE_COPY_SEND);
		for (;;)
			pause();
	}
	child_task = receive_port(boot);
	ASSERT_NE(MACH_PORT_NULL, child_task);
	EXPECT_EQ(3, thread_count(child_task));	/* main and two spinners */
	ASSERT_EQ(KERN_SUCCESS, task_suspend(child_task));
	usleep(50000);
	before[0] = spins[0];
	before[1] = spins[1];
	usleep(150000);
	EXPECT_EQ(before[0], spins[0]);
	EXPECT_EQ(before[1], spins[1]);
	/* The agent was not stopped: calls into the task still work. */
	vm_address_t page = 0;
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(child_task, &page, PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, task_resume(child_task));
	usleep(150000);
	EXPECT_NE(before[0], spins[0]);
	EXPECT_NE(before[1], spins[1]);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child_task));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
}

/*
 * Every register of the state reaches the program, rax at full width
 * (the ioctl a new thread leaves through returns an int):
 *   mov %rax, (%rbx); mov %rcx, 8(%rbx); jmp .
 */
FIXTURE(registers) {
	struct made made;
};

/* rax: all 64 bits, a value a 32-bit sign extension would make, a small one. */
FIXTURE_VARIANT(registers) {
	uint64_t value;
};

FIXTURE_VARIANT_ADD(registers, wide) { .value = 0x123456789abcdef0ull };
FIXTURE_VARIANT_ADD(registers, sign_extended) { .value = 0xffffffff80000000ull };
FIXTURE_VARIANT_ADD(registers, small) { .value = 7 };

FIXTURE_SETUP(registers)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(registers)
{
	made_end(&self->made);
}

TEST_F(registers, full_width_registers_reach_the_program)
{
	uint8_t program[] = { 0x48, 0x89, 0x03, 0x48, 0x89, 0x4b, 0x08, 0xeb, 0xfe };
	const uint64_t value = variant->value;
	x86_thread_state64_t state = { 0 };
	vm_address_t code = 0, data = 0;
	uint64_t seen[2] = { 0, 0 };
	thread_act_t thread;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	state.__rip = code;
	state.__rsp = data + PAGE;
	state.__rax = value;
	state.__rbx = data;
	state.__rcx = ~value;
	state.__rflags = 0x202;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state,
						 x86_THREAD_STATE64_COUNT));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	for (int n = 0; n < 500 && seen[1] != ~value; n++) {
		usleep(10000);
		vm_read_overwrite(task, data, sizeof(seen), (vm_address_t)seen, NULL);
	}
	EXPECT_EQ(value, seen[0]);
	EXPECT_EQ(~value, seen[1]);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
}

TEST_F(threads, bad_thread_calls)
{
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	thread_act_t thread;
	task_t task;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	EXPECT_EQ(x86_THREAD_STATE64_COUNT, count);

	count = 3;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_state(thread, x86_THREAD_STATE64,
							  (thread_state_t)&state, &count));
	/* The exception state is there to read, not to set. */
	x86_exception_state64_t exc;
	count = x86_EXCEPTION_STATE64_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_EXCEPTION_STATE64,
						 (thread_state_t)&exc, &count));
	EXPECT_EQ(x86_EXCEPTION_STATE64_COUNT, count);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_set_state(thread, x86_EXCEPTION_STATE64,
							  (thread_state_t)&exc, count));
	count = x86_THREAD_STATE64_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_get_state(thread, 99,
							  (thread_state_t)&state, &count));
	/* Kernel and non-canonical addresses are no place to start. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, start_at(thread, 0xffffffff81000000ull, 0x10000));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, start_at(thread, 0x0000900000000000ull, 0x10000));
	EXPECT_EQ(KERN_INVALID_ADDRESS, thread_set_state(thread, x86_THREAD_STATE64,
							 (thread_state_t)8,
							 x86_THREAD_STATE64_COUNT));
	/* A task is not a thread, nor a thread a task. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_resume(task));
	thread_act_t other;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_create(thread, &other));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_resume(12345));

	/* Ended before it ever ran. */
	ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread));
	EXPECT_EQ(0, thread_count(task));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_terminate(thread));
	mach_port_deallocate(mach_task_self(), thread);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), task);
}

TEST_HARNESS_MAIN
