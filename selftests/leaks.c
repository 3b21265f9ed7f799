// SPDX-License-Identifier: GPL-2.0
/*
 * Leaks the fuzzer of call sequences (fuzz_calls) found, each made
 * deterministic: a task must end with its program, and leave the live
 * counts where they were.
 *
 * Issue 19's leak: a process whose threads all ended one by one (the last
 * by thread_terminate or the exit system call, not exit_group) lived on as
 * a zombie leader and libmach's hidden agent, forever: its task, its ports
 * and rmmod with it. As on XNU, the end of a task's last thread ends its
 * process, with the exit status Linux would give.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

/* waitpid() for at most ms: the status, or -1 if pid is still there. */
static int wait_for(pid_t pid, int ms)
{
	int status;

	for (int i = 0; i < ms / 10; i++) {
		pid_t got = waitpid(pid, &status, WNOHANG);

		if (got == pid)
			return status;
		if (got < 0)
			return -1;
		usleep(10000);
	}
	return -1;
}

/* Until the live counts are back to tasks and ports (5 s at most). */
static bool counts_back(long tasks, long ports)
{
	for (int i = 0; i < 500; i++) {
		if (mach_stat("live_tasks") == tasks && mach_stat("live_ports") == ports)
			return true;
		usleep(10000);
	}
	return false;
}

/* A few ports of its own, so that a leak shows in live_ports too. */
static void hold_ports(void)
{
	for (int i = 0; i < 4; i++)
		new_port();
}

static void *worker(void *arg)
{
	(void)arg;
	usleep(20000);
	return NULL;
}

/* How a child's last thread ends. */
enum ending { EXIT_SYSCALL, PTHREAD_EXIT, THREAD_TERMINATE };

static void child(enum ending how)
{
	pthread_t t;

	hold_ports();
	pthread_create(&t, NULL, worker, NULL);
	pthread_detach(t);
	switch (how) {
	case EXIT_SYSCALL:
		/* The main thread ends alone; the worker ends after it. */
		syscall(SYS_exit, 7);
		break;
	case PTHREAD_EXIT:
		pthread_exit(NULL);
		break;
	case THREAD_TERMINATE:
		thread_terminate(mach_thread_self());
		break;
	}
	_exit(99);	/* not reached */
}

static void last_thread_ends_process(struct __test_metadata *_metadata,
				     enum ending how, int code)
{
	long tasks = mach_stat("live_tasks"), ports = mach_stat("live_ports");
	pid_t pid;
	int status;

	ASSERT_LE(0, tasks);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child(how);
	status = wait_for(pid, 10000);
	if (status < 0)
		kill(pid, SIGKILL);
	ASSERT_NE(-1, status) {
		TH_LOG("the process outlived its last thread (its agent alone is left)");
		waitpid(pid, NULL, 0);
	}
	ASSERT_TRUE(WIFEXITED(status)) {
		TH_LOG("status %#x", status);
	}
	if (code >= 0)
		EXPECT_EQ(code, WEXITSTATUS(status));
	EXPECT_TRUE(counts_back(tasks, ports)) {
		TH_LOG("live tasks %ld -> %ld, ports %ld -> %ld", tasks,
		       mach_stat("live_tasks"), ports, mach_stat("live_ports"));
	}
}

TEST(exit_of_every_thread_ends_the_task)
{
	last_thread_ends_process(_metadata, EXIT_SYSCALL, 7);
}

TEST(pthread_exit_of_main_ends_the_task)
{
	last_thread_ends_process(_metadata, PTHREAD_EXIT, 0);
}

/*
 * A thread ended by thread_terminate has no status of its own: the
 * process's, its leader's, is 0 (not whatever the stub held, its fd).
 */
TEST(thread_terminate_of_the_last_thread_ends_the_task)
{
	last_thread_ends_process(_metadata, THREAD_TERMINATE, 0);
}

/* A task made by task_create has no thread, and is no less alive for it. */
TEST(a_shell_without_threads_lives_on)
{
	task_t shell;
	thread_act_array_t threads;
	mach_msg_type_number_t count;
	struct timespec pause = { 1, 500000000 };

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE, &shell));
	nanosleep(&pause, NULL);
	ASSERT_EQ(KERN_SUCCESS, task_threads(shell, &threads, &count));
	EXPECT_EQ(0, count);
	vm_deallocate(mach_task_self(), (vm_address_t)threads, count * sizeof(*threads));
	EXPECT_EQ(KERN_SUCCESS, task_suspend(shell));
	EXPECT_EQ(KERN_SUCCESS, task_resume(shell));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(shell));
}

TEST_HARNESS_MAIN
