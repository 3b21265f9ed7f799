// SPDX-License-Identifier: GPL-2.0
/*
 * What a task made by task_create holds: its own task port, the host
 * port, its ledgers, and what it inherits from its parent (bootstrap,
 * registered and exception ports), each checked by using it.
 */
#include <sys/mman.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"


/* Sends a message with id through send right to; the mach_msg result. */
static mach_msg_return_t ping(mach_port_t to, mach_msg_id_t id)
{
	mach_msg_header_t msg = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(msg),
		.msgh_remote_port = to,
		.msgh_id = id,
	};

	return mach_msg(&msg, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(msg), 0,
			MACH_PORT_NULL, 1000, MACH_PORT_NULL);
}

/* The id of the message waiting on receive right from, or -1. */
static mach_msg_id_t pong(mach_port_t from)
{
	struct {
		mach_msg_header_t header;
		mach_msg_trailer_t trailer;
	} msg;

	if (mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(msg),
		     from, 1000, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	return msg.header.msgh_id;
}

static mach_port_t special(task_t task, int which)
{
	mach_port_t port = MACH_PORT_DEAD;

	if (task_get_special_port(task, which, &port) != KERN_SUCCESS)
		return MACH_PORT_DEAD;
	return port;
}

FIXTURE(parent) {
	struct made made;
	mach_port_t bootstrap, registered, handler;
};

FIXTURE_SETUP(parent)
{
	mach_port_t me = mach_task_self();

	made_begin(&self->made);
	self->bootstrap = new_port();
	self->registered = new_port();
	self->handler = new_port();
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT,
						      self->bootstrap));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(me, &self->registered, 1));
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(me, EXC_MASK_BAD_ACCESS,
				self->handler, EXCEPTION_STATE_IDENTITY,
				x86_THREAD_STATE64));
}

FIXTURE_TEARDOWN(parent)
{
	made_end(&self->made);
}

FIXTURE_VARIANT(parent) {
	boolean_t inherit_memory;
};

FIXTURE_VARIANT_ADD(parent, with_memory) { .inherit_memory = TRUE };
FIXTURE_VARIANT_ADD(parent, without_memory) { .inherit_memory = FALSE };

TEST_F(parent, child_holds_and_inherits_its_ports)
{
	mach_port_t me = mach_task_self();
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t handlers[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count = EXC_TYPES_COUNT;
	mach_port_array_t registered;
	mach_port_t port;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, me, NULL, 0, variant->inherit_memory,
						 &child));

	/* Its own task port: the same port as the name we were given. */
	EXPECT_EQ(child, special(child, TASK_KERNEL_PORT));
	/* Its name port is another (see the_name_port_only_inspects). */
	port = special(child, TASK_NAME_PORT);
	EXPECT_NE(MACH_PORT_NULL, port);
	EXPECT_NE(child, port);
	/* The host's port, and the host's ledgers by way of ours. */
	port = special(child, TASK_HOST_PORT);
	EXPECT_NE(MACH_PORT_NULL, port);
	EXPECT_EQ(mach_host_self(), port);
	EXPECT_NE(MACH_PORT_NULL, special(me, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(special(me, TASK_WIRED_LEDGER_PORT),
		  special(child, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(special(me, TASK_PAGED_LEDGER_PORT),
		  special(child, TASK_PAGED_LEDGER_PORT));
	/* A message to a kernel port is a request to it (kernel_msg.c). */
	EXPECT_EQ(MACH_MSG_SUCCESS, ping(port, 1));

	/* Inherited: each one reaches the receive right we hold. */
	port = special(child, TASK_BOOTSTRAP_PORT);
	EXPECT_EQ(self->bootstrap, port);
	ASSERT_EQ(MACH_MSG_SUCCESS, ping(port, 101));
	EXPECT_EQ(101, pong(self->bootstrap));

	ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(child, &registered, &count));
	ASSERT_EQ(TASK_PORT_REGISTER_MAX, count);
	ASSERT_EQ(MACH_MSG_SUCCESS, ping(registered[0], 102));
	EXPECT_EQ(102, pong(self->registered));
	EXPECT_EQ(MACH_PORT_NULL, registered[1]);
	munmap(registered, count * sizeof(mach_port_t));

	count = EXC_TYPES_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_get_exception_ports(child, EXC_MASK_BAD_ACCESS,
				masks, &count, handlers, behaviors, flavors));
	ASSERT_EQ(1, count);
	EXPECT_EQ(EXCEPTION_STATE_IDENTITY, behaviors[0]);
	EXPECT_EQ(x86_THREAD_STATE64, flavors[0]);
	ASSERT_EQ(MACH_MSG_SUCCESS, ping(handlers[0], 103));
	EXPECT_EQ(103, pong(self->handler));

	/* The child's are its own from now: setting one leaves ours. */
	port = new_port();
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(child, TASK_BOOTSTRAP_PORT, port));
	EXPECT_EQ(port, special(child, TASK_BOOTSTRAP_PORT));
	EXPECT_EQ(self->bootstrap, special(me, TASK_BOOTSTRAP_PORT));
	/* Its own port cannot be replaced. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  task_set_special_port(child, TASK_KERNEL_PORT, port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_get_special_port(child, 99, &port));

	/* Once it is gone, so are its ports. */
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  task_get_special_port(child, TASK_BOOTSTRAP_PORT, &port));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(me, child));
}

/* The man page's ledger rule: two real ledgers, or the parent's. */
TEST_F(parent, ledgers_given_or_the_parents)
{
	mach_port_t me = mach_task_self();
	mach_port_t wired = special(me, TASK_WIRED_LEDGER_PORT);
	mach_port_t paged = special(me, TASK_PAGED_LEDGER_PORT);
	ledger_t swapped[2] = { paged, wired };
	ledger_t not_ledgers[2] = { self->bootstrap, paged };
	ledger_t with_null[2] = { paged, MACH_PORT_NULL };
	task_t child;

	ASSERT_NE(wired, paged);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, me, swapped, 2,
						 variant->inherit_memory, &child));
	EXPECT_EQ(paged, special(child, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(wired, special(child, TASK_PAGED_LEDGER_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, me, not_ledgers, 2,
						 variant->inherit_memory, &child));
	EXPECT_EQ(wired, special(child, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, me, with_null, 2,
						 variant->inherit_memory, &child));
	EXPECT_EQ(wired, special(child, TASK_WIRED_LEDGER_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));

	/* An absurd count is not a list at all: nothing is read. */
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, me, NULL, 100000,
						 variant->inherit_memory, &child));
	EXPECT_EQ(paged, special(child, TASK_PAGED_LEDGER_PORT));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	/* Two ledgers at a bad address: the caller's fault. */
	EXPECT_EQ(KERN_INVALID_ADDRESS, made_task_create(&self->made, me, (ledger_t *)8, 2,
							 variant->inherit_memory, &child));
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

TEST_F(tasks, tokens_are_the_parents)
{
	security_token_t mine, theirs;
	audit_token_t my_audit, their_audit;
	mach_msg_type_number_t count;
	task_t child;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	count = TASK_SECURITY_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_SECURITY_TOKEN,
					  (task_info_t)&mine, &count));
	EXPECT_EQ(geteuid(), mine.val[0]);
	EXPECT_EQ(getegid(), mine.val[1]);
	count = TASK_SECURITY_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child, TASK_SECURITY_TOKEN,
					  (task_info_t)&theirs, &count));
	EXPECT_EQ(0, memcmp(&mine, &theirs, sizeof(mine)));

	count = TASK_AUDIT_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_AUDIT_TOKEN,
					  (task_info_t)&my_audit, &count));
	EXPECT_EQ(TASK_AUDIT_TOKEN_COUNT, count);
	EXPECT_EQ(getpid(), (pid_t)my_audit.val[5]);
	count = TASK_AUDIT_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child, TASK_AUDIT_TOKEN,
					  (task_info_t)&their_audit, &count));
	/* The same identity; the pid is the child's own. */
	EXPECT_EQ(0, memcmp(&my_audit, &their_audit, 5 * sizeof(unsigned int)));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	EXPECT_EQ(pid, (pid_t)their_audit.val[5]);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
}

/*
 * A task's name port, as on XNU, is for inspection: task_info and
 * pid_for_task take it, calls that control the task refuse it
 * (KERN_INVALID_ARGUMENT), and it dies with the task.
 */
TEST_F(tasks, the_name_port_only_inspects)
{
	task_basic_info_64_data_t info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_64_COUNT;
	thread_act_array_t threads;
	vm_address_t address = 0;
	mach_port_t name, port;
	thread_act_t thread;
	task_t child;
	int pid, name_pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(child, TASK_NAME_PORT, &name));
	ASSERT_NE(child, name);
	/* The same name for it each time, as for any send right. */
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(child, TASK_NAME_PORT, &port));
	EXPECT_EQ(name, port);

	EXPECT_EQ(KERN_SUCCESS, task_info(name, TASK_BASIC_INFO_64, (task_info_t)&info,
					  &count));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(name, &name_pid));
	EXPECT_EQ(pid, name_pid);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_suspend(name));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_resume(name));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_terminate(name));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_threads(name, &threads, &count));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_create(name, &thread));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_allocate(name, &address, 4096,
						     VM_FLAGS_ANYWHERE));
	EXPECT_NE(KERN_SUCCESS, task_get_special_port(name, TASK_KERNEL_PORT, &port));
	EXPECT_NE(KERN_SUCCESS, task_set_special_port(name, TASK_BOOTSTRAP_PORT,
						      MACH_PORT_NULL));

	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	count = TASK_BASIC_INFO_64_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(name, TASK_BASIC_INFO_64,
						    (task_info_t)&info, &count));
}

TEST_HARNESS_MAIN
