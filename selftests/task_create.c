// SPDX-License-Identifier: GPL-2.0
/*
 * task_create: new tasks backed by shell processes, with and without the
 * parent's memory; suspend/resume counts; task_terminate.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

/* The pid of the process behind a task, from its basic info... */
static int task_is_alive(task_t task)
{
	struct mach_task_basic_info info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	return task_info(task, MACH_TASK_BASIC_INFO, (task_info_t)&info,
			 &count) == KERN_SUCCESS;
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(tasks) {
	struct made made;
};

FIXTURE_SETUP(tasks)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(tasks)
{
	made_end(&self->made);
}

TEST_F(tasks, create_with_memory_and_terminate)
{
	task_t child = MACH_PORT_NULL;
	mach_port_type_t type;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	ASSERT_NE(MACH_PORT_NULL, child);
	EXPECT_TRUE(task_is_alive(child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), child, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type);

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	/* The task port died: our send right is a dead name now. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), child, &type));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type);
	EXPECT_FALSE(task_is_alive(child));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_terminate(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

TEST_F(tasks, create_without_memory)
{
	struct mach_task_basic_info info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, task_info(child, MACH_TASK_BASIC_INFO,
					  (task_info_t)&info, &count));
	/* Only the stub page is left. */
	EXPECT_EQ(getpagesize(), info.virtual_size);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

TEST_F(tasks, suspend_resume_counts)
{
	struct task_basic_info info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	EXPECT_EQ(KERN_FAILURE, task_resume(child));
	EXPECT_EQ(KERN_SUCCESS, task_suspend(child));
	EXPECT_EQ(KERN_SUCCESS, task_suspend(child));
	ASSERT_EQ(KERN_SUCCESS, task_info(child, TASK_BASIC_INFO,
					  (task_info_t)&info, &count));
	EXPECT_EQ(2, info.suspend_count);
	EXPECT_EQ(KERN_SUCCESS, task_resume(child));
	EXPECT_EQ(KERN_SUCCESS, task_resume(child));
	EXPECT_EQ(KERN_FAILURE, task_resume(child));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

/* Shells are not the parent program's children as far as wait() knows. */
TEST_F(tasks, shell_not_seen_by_wait)
{
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG));
	EXPECT_EQ(ECHILD, errno);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

TEST_F(tasks, bad_parent)
{
	task_t child = 1234;
	mach_port_t port;

	EXPECT_EQ(MACH_SEND_INVALID_DEST, made_task_create(&self->made, MACH_PORT_NULL, NULL, 0,
							   TRUE, &child));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, made_task_create(&self->made, 999, NULL, 0, TRUE,
							   &child));
	/* A kernel port that is no task's. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, made_task_create(&self->made, mach_host_self(), NULL, 0,
							  TRUE, &child));
	/*
	 * An ordinary port is a stand-in: the request goes to it as a
	 * message (kmsg_create.c). Once its receive right is gone, to nobody.
	 */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port,
						       port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), port,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, made_task_create(&self->made, port, NULL, 0, TRUE,
							   &child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), port));
}

/* Has /proc/<pid> gone (the process exited and was reaped)? Waits 5 s. */
static int reaped(int pid)
{
	char path[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 500; i++) {
		if (access(path, F_OK) != 0 && errno == ENOENT)
			return 1;
		usleep(10000);
	}
	return 0;
}

TEST_F(tasks, terminated_shell_leaves_no_zombie)
{
	char path[64];
	task_t child;
	int pid = 0;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_LT(0, pid);
	EXPECT_NE(getpid(), pid);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	EXPECT_EQ(0, access(path, F_OK));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_TRUE(reaped(pid));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

TEST_F(tasks, shell_holds_none_of_the_parents_fds)
{
	vm_address_t at = 0;
	char path[64];
	task_t child;
	int pid, fd, count = 0;

	fd = open("/proc/self/stat", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	/*
	 * The shell shares our fd table (no file of ours is referenced
	 * twice) until its first step leaves it for an empty one; a call
	 * through its agent runs after that step.
	 */
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(child, &at, 4096, VM_FLAGS_ANYWHERE));
	/* Only the shell's own /dev/mach: fd 0. */
	for (fd = 0; fd < 64; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
		if (access(path, F_OK) == 0)
			count++;
	}
	EXPECT_EQ(1, count);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

/* A task made from a child's task port: the grandchild copies the child. */
TEST_F(tasks, create_from_a_child_task)
{
	vm_address_t at = 0;
	task_t child, grandchild;
	char buf[8];

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(child, &at, 4096, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, vm_write(child, at, (vm_offset_t)"child", 6));
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, child, NULL, 0, TRUE, &grandchild));
	ASSERT_EQ(KERN_SUCCESS, vm_write(child, at, (vm_offset_t)"later", 6));
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(grandchild, at, 6,
						  (vm_address_t)buf, NULL));
	EXPECT_STREQ("child", buf);

	/* Terminating the child leaves the grandchild alive. */
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_TRUE(task_is_alive(grandchild));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(grandchild));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), grandchild));
}

/*
 * A process makes a task, hands its task port to us and exits: the task
 * lives on, and we can still terminate it.
 */
TEST_F(tasks, task_survives_its_parents_exit)
{
	mach_port_t inbox;
	task_t child;
	int status, pid;
	pid_t maker;

	inbox = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, inbox);
	maker = made_fork(&self->made);
	ASSERT_LE(0, maker);
	if (maker == 0) {
		task_t made;

		/* The fork inherited our bootstrap port: the inbox. */
		if (task_create(mach_task_self(), NULL, 0, TRUE, &made))
			_exit(1);
		_exit(send_port(bootstrap_port, made, MACH_MSG_TYPE_MOVE_SEND) ? 2 : 0);
	}
	ASSERT_EQ(maker, waitpid(maker, &status, 0));
	ASSERT_EQ(0, status);
	child = receive_port(inbox);
	ASSERT_NE(MACH_PORT_NULL, child);
	EXPECT_TRUE(task_is_alive(child));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	EXPECT_EQ(0, kill(pid, 0));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_FALSE(task_is_alive(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), inbox));
}

/*
 * The same when the maker exits before its new shell first runs: pinned
 * to one CPU, the shell (which inherits the pinning) waits for the maker,
 * which is gone by then and the shell another's child.
 */
TEST_F(tasks, task_survives_a_parent_gone_before_it_ran)
{
	mach_port_t inbox;
	int i;

	inbox = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, inbox);
	for (i = 0; i < 10; i++) {
		task_t child;
		int status;
		pid_t maker = made_fork(&self->made);

		ASSERT_LE(0, maker);
		if (maker == 0) {
			cpu_set_t one;
			task_t made;

			CPU_ZERO(&one);
			CPU_SET(sched_getcpu(), &one);
			if (sched_setaffinity(0, sizeof(one), &one))
				_exit(3);
			if (task_create(mach_task_self(), NULL, 0, TRUE, &made))
				_exit(1);
			_exit(send_port(bootstrap_port, made, MACH_MSG_TYPE_MOVE_SEND) ? 2 : 0);
		}
		ASSERT_EQ(maker, waitpid(maker, &status, 0));
		ASSERT_EQ(0, status);
		child = receive_port(inbox);
		ASSERT_NE(MACH_PORT_NULL, child);
		EXPECT_TRUE(task_is_alive(child)) {
			TH_LOG("round %d: the shell died with its maker", i);
		}
		task_terminate(child);
		mach_port_deallocate(mach_task_self(), child);
	}
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), inbox));
}

TEST_HARNESS_MAIN
