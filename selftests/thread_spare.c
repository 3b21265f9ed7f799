// SPDX-License-Identifier: GPL-2.0
/*
 * thread_create's spare (module/thread.c): from a task's second
 * thread_create on, its agent keeps one more thread cloned ahead and
 * parked, which the next thread_create takes at once. The spare is the
 * module's, not the program's: no task_threads lists it, it keeps no
 * process alive, and a shell nothing names ends as if it had none.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_norma.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

/* Linux threads of process pid (/proc/PID/status), or -1. */
static int linux_threads(int pid)
{
	char value[32];

	return proc_status_line(pid, "Threads:", value, sizeof(value)) ? -1 : atoi(value);
}

/* Is process pid gone (or a zombie) within ms? */
static bool gone_within(int pid, int ms)
{
	char state[32];

	for (int waited = 0; waited <= ms; waited += 10) {
		if (proc_status_line(pid, "State:", state, sizeof(state)) || strchr(state, 'Z'))
			return true;
		usleep(10 * 1000);
	}
	return false;
}

/*
 * Until process pid has had n Linux threads for 300 ms (threads ended
 * go on counting until they are reaped; 3 s at most): its count then.
 */
static int await_linux_threads(int pid, int n)
{
	int threads = linux_threads(pid), same = 0;

	for (int waited = 0; same < 30 && waited < 3000; waited += 10) {
		usleep(10 * 1000);
		threads = linux_threads(pid);
		same = threads == n ? same + 1 : 0;
	}
	return threads;
}

FIXTURE(spare) {
	struct made made;
};

FIXTURE_SETUP(spare)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(spare)
{
	made_end(&self->made);
}

/*
 * Threads made in a row each run what they were given (a spare taken
 * runs its own state), and task_threads lists those and no spare, though
 * the process has one more thread than its agent and them.
 *   lock incq (data); 1: pause(); jmp 1b
 */
TEST_F(spare, threads_made_in_a_row_run_and_no_spare_is_listed)
{
	uint8_t program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,	/* movabs $data, %rax */
		0xf0, 0x48, 0xff, 0x00,			/* lock incq (%rax) */
		0xb8, 0x22, 0, 0, 0,			/* 1: mov $34, %eax (pause) */
		0x0f, 0x05,				/* syscall */
		0xeb, 0xf7,				/* jmp 1b */
	};
	thread_act_t threads[6];
	vm_address_t code = 0, data = 0;
	task_t task;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(task, &pid));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	memcpy(program + 2, &data, 8);
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	for (unsigned int i = 0; i < 6; i++) {
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &threads[i]));
		ASSERT_EQ(KERN_SUCCESS, start_at(threads[i], code, 0));
		ASSERT_EQ(KERN_SUCCESS, thread_resume(threads[i]));
		ASSERT_TRUE(await_word(task, data, i + 1)) TH_LOG("thread %u did not run", i);
	}
	EXPECT_EQ(6, thread_count(task));
	/* Its agent, the six, and the spare cloned after the sixth. */
	EXPECT_EQ(8, await_linux_threads(pid, 8));
	for (unsigned int i = 0; i < 6; i++) {
		EXPECT_EQ(KERN_SUCCESS, thread_terminate(threads[i]));
		mach_port_deallocate(mach_task_self(), threads[i]);
	}
	EXPECT_EQ(0, thread_count(task));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
}

/*
 * A process that made threads of its own with thread_create, and so has
 * a spare, still ends when its last thread of its own ends (by the exit
 * system call, not exit_group), with the status Linux gives.
 */
TEST_F(spare, a_process_with_a_spare_ends_with_its_last_thread)
{
	int status = -1;
	pid_t pid = made_fork(&self->made);

	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (int i = 0; i < 3; i++) {
			thread_act_t thread;

			if (thread_create(mach_task_self(), &thread) ||
			    thread_terminate(thread))
				_exit(3);
		}
		/* The third took the spare; the next is on its way. */
		if (await_linux_threads(getpid(), 3) != 3)
			_exit(4);
		syscall(SYS_exit, 7);
	}
	for (int waited = 0; waited < 10000; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10 * 1000);
	}
	ASSERT_NE(-1, status) TH_LOG("the process outlived its last thread");
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(7, WEXITSTATUS(status));
}

/* A shell whose only threads are its agent and its spare ends once unnamed. */
TEST_F(spare, a_shell_with_a_spare_ends_once_nothing_names_it)
{
	task_t task;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(task, &pid));
	for (int i = 0; i < 2; i++) {
		thread_act_t thread;

		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread));
		mach_port_deallocate(mach_task_self(), thread);
	}
	ASSERT_EQ(2, await_linux_threads(pid, 2)) TH_LOG("no spare beside the agent");
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), task));
	EXPECT_TRUE(gone_within(pid, 3000)) TH_LOG("the shell lives on, idle and unnamed");
}

/*
 * A spare cloned before the program dropped its privileges is not handed
 * out after: the thread made then runs as the program now does.
 *   mov $102, %eax (getuid); syscall; mov %eax, (data);
 *   mov $60, %eax; xor %edi, %edi; syscall (exit)
 */
TEST_F(spare, a_spare_made_before_a_setuid_is_not_taken_after_it)
{
	int status = -1;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root, to drop it");
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint8_t program[] = {
			0xb8, 102, 0, 0, 0, 0x0f, 0x05,		/* getuid() */
			0x48, 0xbf, 0, 0, 0, 0, 0, 0, 0, 0,	/* movabs $data, %rdi */
			0x89, 0x07,				/* mov %eax, (%rdi) */
			0xb8, 60, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05,	/* exit(0) */
		};
		static uint32_t data = 0xffffffff;	/* the new thread's uid */
		vm_address_t code = 0;
		uint64_t at = (uint64_t)&data;
		thread_act_t thread;

		memcpy(program + 9, &at, 8);
		if (write_code(mach_task_self(), program, sizeof(program), &code))
			_exit(2);
		for (int i = 0; i < 2; i++)
			if (thread_create(mach_task_self(), &thread) ||
			    thread_terminate(thread))
				_exit(3);
		/* Ours, the agent and the spare. */
		if (await_linux_threads(getpid(), 3) != 3)
			_exit(4);
		if (setuid(65534))
			_exit(5);
		if (thread_create(mach_task_self(), &thread) || start_at(thread, code, 0) ||
		    thread_resume(thread))
			_exit(6);
		uint32_t uid = 0xffffffff;

		for (int i = 0; i < 500 && uid == 0xffffffff; i++) {
			usleep(10 * 1000);
			uid = __atomic_load_n(&data, __ATOMIC_ACQUIRE);
		}
		_exit(uid == 65534 ? 0 : uid == 0 ? 7 : 8);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		if (WEXITSTATUS(status) == 7)
			TH_LOG("the new thread ran as root: a spare from before the setuid");
	}
}

struct creator {
	task_t task;
	kern_return_t kr;
};

static void *create_in(void *arg)
{
	struct creator *c = arg;
	thread_act_t thread;

	c->kr = thread_create(c->task, &thread);
	if (c->kr == KERN_SUCCESS)
		thread_terminate(thread);
	return NULL;
}

static void *clone_of(void *task)
{
	task_t clone;

	if (norma_task_clone((task_t)(uintptr_t)task, TRUE, 0, &clone) == KERN_SUCCESS)
		task_terminate(clone);
	return NULL;
}

/*
 * Two callers wait for the spare the agent has yet to clone, queued
 * behind a long call (a clone of the task, whose memory the agent makes
 * shared first); one of them is killed. The other is not left waiting for
 * a spare that will never come.
 */
TEST_F_TIMEOUT(spare, a_caller_killed_waiting_for_the_spare_leaves_the_others_served, 90)
{
	const size_t size = 128 << 20;
	char *memory = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct creator waiter = { 0 };
	pthread_t long_call, second;
	thread_act_t thread;
	int pid, done = 0;
	pid_t killed;
	task_t task;

	ASSERT_NE(MAP_FAILED, memory);
	memset(memory, 1, size);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &task));
	munmap(memory, size);
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(task, &pid));
	for (int i = 0; i < 2; i++) {	/* a spare in the slot */
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		thread_terminate(thread);
	}
	ASSERT_EQ(2, await_linux_threads(pid, 2));

	ASSERT_EQ(0, pthread_create(&long_call, NULL, clone_of, (void *)(uintptr_t)task));
	usleep(50 * 1000);
	/* Takes the spare; the next is queued behind the clone. */
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	thread_terminate(thread);
	killed = made_fork(&self->made);
	ASSERT_LE(0, killed);
	if (killed == 0) {
		task_t again;

		if (task_for_pid(mach_task_self(), pid, &again) == KERN_SUCCESS)
			thread_create(again, &thread);
		_exit(0);
	}
	waiter.task = task;
	waiter.kr = -1;
	ASSERT_EQ(0, pthread_create(&second, NULL, create_in, &waiter));
	usleep(100 * 1000);
	kill(killed, SIGKILL);
	waitpid(killed, NULL, 0);
	for (int waited = 0; waited < 10000 && !done; waited += 10) {
		done = pthread_tryjoin_np(second, NULL) == 0;
		if (!done)
			usleep(10 * 1000);
	}
	ASSERT_TRUE(done) {
		TH_LOG("thread_create still waits for a spare that will never come");
		task_terminate(task);	/* lets it go */
		pthread_join(second, NULL);
	}
	EXPECT_EQ(KERN_SUCCESS, waiter.kr);
	pthread_join(long_call, NULL);
	EXPECT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	thread_terminate(thread);
}

TEST_HARNESS_MAIN
