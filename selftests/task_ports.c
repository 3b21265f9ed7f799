// SPDX-License-Identifier: GPL-2.0
/*
 * The ports a task holds for others to find: bootstrap, registered and
 * exception ports, set and read back, and inherited by a process that
 * becomes a task from its Linux parent's task.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"


TEST(registered_ports)
{
	mach_port_t self = mach_task_self(), a = new_port(), b = new_port();
	mach_port_t set[3] = { a, MACH_PORT_NULL, b }, too_many[4] = { a, a, a, a };
	mach_port_array_t got;
	mach_msg_type_number_t count;

	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(self, set, 3));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(self, &got, &count));
	ASSERT_EQ(TASK_PORT_REGISTER_MAX, count);
	EXPECT_EQ(a, got[0]);		/* coalesced with the name held */
	EXPECT_EQ(MACH_PORT_NULL, got[1]);
	EXPECT_EQ(b, got[2]);
	munmap(got, sizeof(mach_port_t) * count);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_ports_register(self, too_many, 4));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, mach_ports_register(self, (mach_port_t[]){ 1 << 20 }, 1));
}

TEST(exception_ports)
{
	mach_port_t self = mach_task_self(), handler = new_port(), other = new_port();
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count = EXC_TYPES_COUNT;

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(self, EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC,
				handler, EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES,
				x86_THREAD_STATE64));
	ASSERT_EQ(KERN_SUCCESS, task_get_exception_ports(self, EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC |
				EXC_MASK_SOFTWARE, masks, &count, ports, behaviors, flavors));
	ASSERT_EQ(2, count);	/* the handler's pair, and the unset one */
	EXPECT_EQ(EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, masks[0]);
	EXPECT_EQ(handler, ports[0]);
	EXPECT_EQ(EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES, behaviors[0]);
	EXPECT_EQ(x86_THREAD_STATE64, flavors[0]);
	EXPECT_EQ(EXC_MASK_SOFTWARE, masks[1]);
	EXPECT_EQ(MACH_PORT_NULL, ports[1]);

	/* Swap returns the old handlers as it installs the new. */
	count = EXC_TYPES_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_swap_exception_ports(self, EXC_MASK_BAD_ACCESS, other,
				EXCEPTION_DEFAULT, 0, masks, &count, ports, behaviors, flavors));
	ASSERT_EQ(1, count);
	EXPECT_EQ(handler, ports[0]);
	count = EXC_TYPES_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_get_exception_ports(self, EXC_MASK_BAD_ACCESS, masks, &count,
				ports, behaviors, flavors));
	EXPECT_EQ(other, ports[0]);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_exception_ports(self, 1, handler, EXCEPTION_DEFAULT, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, handler, 77, 0));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, 1 << 20,
								    EXCEPTION_DEFAULT, 0));
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(ports) {
	struct made made;
};

FIXTURE_SETUP(ports)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(ports)
{
	made_end(&self->made);
}

TEST_F(ports, a_forked_task_inherits_its_parents_ports)
{
	mach_port_t own = mach_task_self(), boot = new_port(), reg = new_port(), exc = new_port();
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(own, TASK_BOOTSTRAP_PORT, boot));
	ASSERT_EQ(KERN_SUCCESS,
		  mach_ports_register(own, (mach_port_t[]){ MACH_PORT_NULL, reg }, 2));
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(own, EXC_MASK_BREAKPOINT, exc,
				EXCEPTION_DEFAULT, 0));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* A new task: its ports are the parent task's, named here. */
		mach_port_t me = mach_task_self(), got_boot;
		mach_port_array_t registered;
		mach_msg_type_number_t count = EXC_TYPES_COUNT;
		exception_mask_t masks[EXC_TYPES_COUNT];
		mach_port_t ports[EXC_TYPES_COUNT];
		exception_behavior_t behaviors[EXC_TYPES_COUNT];
		thread_state_flavor_t flavors[EXC_TYPES_COUNT];
		mach_msg_header_t msg = { 0 };

		if (task_get_special_port(me, TASK_BOOTSTRAP_PORT, &got_boot) ||
		    !MACH_PORT_VALID(got_boot) || got_boot != bootstrap_port)
			_exit(1);
		if (mach_ports_lookup(me, &registered, &count) || count != 3 ||
		    registered[0] != MACH_PORT_NULL || !MACH_PORT_VALID(registered[1]))
			_exit(2);
		count = EXC_TYPES_COUNT;
		if (task_get_exception_ports(me, EXC_MASK_BREAKPOINT, masks, &count, ports,
					     behaviors, flavors) || count != 1 ||
		    !MACH_PORT_VALID(ports[0]) || behaviors[0] != EXCEPTION_DEFAULT)
			_exit(3);
		/* They are rights to the parent's ports: send one message each. */
		mach_port_t targets[3] = { got_boot, registered[1], ports[0] };
		for (int i = 0; i < 3; i++) {
			msg.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
			msg.msgh_size = sizeof(msg);
			msg.msgh_remote_port = targets[i];
			msg.msgh_id = 900 + i;
			if (mach_msg(&msg, MACH_SEND_MSG, sizeof(msg), 0, MACH_PORT_NULL, 0,
				     MACH_PORT_NULL))
				_exit(4 + i);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	mach_port_t receivers[3] = { boot, reg, exc };
	for (int i = 0; i < 3; i++) {
		struct {
			mach_msg_header_t header;
			mach_msg_trailer_t trailer;
		} got;

		ASSERT_EQ(KERN_SUCCESS, mach_msg(&got.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						 sizeof(got), receivers[i], 1000, MACH_PORT_NULL));
		EXPECT_EQ(900 + i, got.header.msgh_id);
	}
}

/*
 * This program exec'd by a_child_takes_no_ports_of_a_program_its_parent_
 * exec'd (MACH_PORTS_AFTER_EXEC=fd): registers a port of the new
 * program's, tells its child to go on, and waits for it.
 */
static void __attribute__((constructor)) after_exec(void)
{
	const char *fd = getenv("MACH_PORTS_AFTER_EXEC");
	mach_port_t port = MACH_PORT_NULL;
	int status = 0;

	if (!fd)
		return;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ||
	    mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND) ||
	    mach_ports_register(mach_task_self(), &port, 1) ||
	    write(atoi(fd), "g", 1) != 1)
		_exit(20);
	wait(&status);
	_exit(0);
}

/*
 * A task made late (at the child's first Mach call) takes its parent's
 * ports as they are then, as a Mach task took them at fork. A parent
 * that has exec'd since runs another program, whose ports (a set-uid
 * server's, say) were never the child's to take: it starts from the
 * host's, with no registered port.
 */
TEST(a_child_takes_no_ports_of_a_program_its_parent_execd)
{
	int go[2], result[2], status, found = -1;
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(result));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char fd[16];

		if (mach_task_self() == MACH_PORT_NULL)
			_exit(10);
		if (fork() == 0) {
			mach_port_array_t registered;
			mach_msg_type_number_t count;
			char word;
			int n = 0;

			/* No Mach call until its parent runs its new program. */
			if (read(go[0], &word, 1) != 1 ||
			    mach_ports_lookup(mach_task_self(), &registered, &count))
				_exit(11);
			for (unsigned int i = 0; i < count; i++)
				n += MACH_PORT_VALID(registered[i]);
			_exit(write(result[1], &n, sizeof(n)) == sizeof(n) ? 0 : 12);
		}
		snprintf(fd, sizeof(fd), "%d", go[1]);
		setenv("MACH_PORTS_AFTER_EXEC", fd, 1);
		execl("/proc/self/exe", "task_ports", (char *)NULL);
		_exit(13);
	}
	close(result[1]);
	ASSERT_EQ(sizeof(found), read(result[0], &found, sizeof(found)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, found) TH_LOG("the child took the new program's registered port");
	close(result[0]);
	close(go[0]);
	close(go[1]);
}

TEST_HARNESS_MAIN
