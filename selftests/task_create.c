// SPDX-License-Identifier: GPL-2.0
/*
 * task_create: new tasks backed by shell processes, with and without the
 * parent's memory; suspend/resume counts; task_terminate.
 */
#include <errno.h>
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

TEST(create_with_memory_and_terminate)
{
	task_t child = MACH_PORT_NULL;
	mach_port_type_t type;

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, TRUE,
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

TEST(create_without_memory)
{
	struct mach_task_basic_info info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE,
					    &child));
	ASSERT_EQ(KERN_SUCCESS, task_info(child, MACH_TASK_BASIC_INFO,
					  (task_info_t)&info, &count));
	/* Only the stub page is left. */
	EXPECT_EQ(getpagesize(), info.virtual_size);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

TEST(suspend_resume_counts)
{
	struct task_basic_info info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE,
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
TEST(shell_not_seen_by_wait)
{
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, TRUE,
					    &child));
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG));
	EXPECT_EQ(ECHILD, errno);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

TEST(bad_parent)
{
	task_t child = 1234;
	mach_port_t port;

	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_create(MACH_PORT_NULL, NULL, 0,
						      TRUE, &child));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_create(999, NULL, 0, TRUE,
						      &child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port,
						       port, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_create(port, NULL, 0, TRUE,
						     &child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), port));
}

TEST_HARNESS_MAIN
