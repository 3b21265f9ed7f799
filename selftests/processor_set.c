// SPDX-License-Identifier: GPL-2.0
/*
 * The host's processor set: processor_set_default (its name port, for
 * anyone), processor_set_info, host_processor_set_priv (its control port,
 * for the privileged host port's holder), processor_set_tasks and
 * processor_set_threads (only what the caller could ptrace); and
 * host_set_special_port on the privileged port, with XNU's rules on ids.
 * The harness forks each test, so a test may drop to an unprivileged uid.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/sysinfo.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

#define NOBODY 65534

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

static processor_set_t control_port(struct __test_metadata *_metadata)
{
	host_priv_t priv = MACH_PORT_NULL;
	processor_set_name_t name = MACH_PORT_NULL;
	processor_set_t control = MACH_PORT_NULL;

	if (host_get_host_priv_port(mach_host_self(), &priv) != KERN_SUCCESS)
		SKIP(return MACH_PORT_NULL, "not privileged: no host_priv");
	EXPECT_EQ(KERN_SUCCESS, processor_set_default(mach_host_self(), &name));
	EXPECT_EQ(KERN_SUCCESS, host_processor_set_priv(priv, name, &control));
	return control;
}

/* Does list (count send rights, out of line) hold a task of pid? */
static int lists_pid(task_array_t list, mach_msg_type_number_t count, pid_t pid)
{
	int found = 0;

	for (mach_msg_type_number_t i = 0; i < count; i++) {
		int p = -1;

		if (pid_for_task(list[i], &p) == KERN_SUCCESS && p == pid)
			found = 1;
	}
	return found;
}

static void release(mach_port_t *list, mach_msg_type_number_t count)
{
	for (mach_msg_type_number_t i = 0; i < count; i++)
		mach_port_deallocate(mach_task_self(), list[i]);
	vm_deallocate(mach_task_self(), (vm_address_t)list, count * sizeof(*list));
}

TEST(default_set_name_and_info)
{
	processor_set_name_t name = MACH_PORT_NULL;
	processor_set_basic_info_data_t info;
	mach_msg_type_number_t count = PROCESSOR_SET_BASIC_INFO_COUNT;
	host_t host = MACH_PORT_NULL;
	task_array_t list;

	ASSERT_EQ(KERN_SUCCESS, processor_set_default(mach_host_self(), &name));
	ASSERT_NE(MACH_PORT_NULL, name);
	ASSERT_EQ(KERN_SUCCESS, processor_set_info(name, PROCESSOR_SET_BASIC_INFO, &host,
						   (processor_set_info_t)&info, &count));
	EXPECT_EQ(PROCESSOR_SET_BASIC_INFO_COUNT, count);
	EXPECT_EQ(get_nprocs(), info.processor_count);
	EXPECT_EQ(1, info.default_policy);	/* POLICY_TIMESHARE */
	EXPECT_EQ(mach_host_self(), host);	/* the host name port, coalesced */

	/* Short, unknown, or on another kind of port. */
	count = 1;
	EXPECT_EQ(KERN_FAILURE, processor_set_info(name, PROCESSOR_SET_BASIC_INFO, &host,
						   (processor_set_info_t)&info, &count));
	count = PROCESSOR_SET_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_info(name, 99, &host,
							    (processor_set_info_t)&info, &count));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  processor_set_info(mach_host_self(), PROCESSOR_SET_BASIC_INFO, &host,
				     (processor_set_info_t)&info, &count));
	processor_set_name_t none = 1234;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_default(mach_task_self(), &none));
	EXPECT_EQ(MACH_PORT_NULL, none);

	/* The name port lists nothing: that is the control port's. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_tasks(name, &list, &count));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, processor_set_threads(name, &list, &count));
	/* ... and the host name port gives no control port. */
	processor_set_t control = 1234;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_processor_set_priv(mach_host_self(), name,
								 &control));
	EXPECT_EQ(MACH_PORT_NULL, control);
}

TEST(control_port_lists_tasks_and_threads)
{
	processor_set_t control = control_port(_metadata);
	task_array_t tasks;
	thread_act_array_t threads;
	mach_msg_type_number_t count, i;
	int self = 0;

	ASSERT_NE(MACH_PORT_NULL, control);
	ASSERT_EQ(KERN_SUCCESS, processor_set_tasks(control, &tasks, &count));
	ASSERT_GE(count, 1);
	/* Its own task is among them: the name it already has for it. */
	for (i = 0; i < count; i++)
		self += tasks[i] == mach_task_self();
	EXPECT_EQ(1, self);
	EXPECT_TRUE(lists_pid(tasks, count, getpid()));
	release(tasks, count);

	thread_act_t me = mach_thread_self();
	ASSERT_EQ(KERN_SUCCESS, processor_set_threads(control, &threads, &count));
	self = 0;
	for (i = 0; i < count; i++)
		self += threads[i] == me;
	EXPECT_EQ(1, self);
	release(threads, count);
	mach_port_deallocate(mach_task_self(), me);

	/* The control port is a name port too. */
	processor_set_basic_info_data_t info;
	host_t host;
	count = PROCESSOR_SET_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, processor_set_info(control, PROCESSOR_SET_BASIC_INFO, &host,
						   (processor_set_info_t)&info, &count));
}

/*
 * The privileged port sent to an unprivileged holder gives it the tasks
 * it could ptrace and no more: its own, not root's.
 */
TEST(unprivileged_holder_gets_only_its_own)
{
	processor_set_t control = control_port(_metadata);
	task_array_t tasks;
	mach_msg_type_number_t count;
	int ready[2], done[2];
	char c;

	ASSERT_NE(MACH_PORT_NULL, control);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid_t root_task = fork();
	ASSERT_LE(0, root_task);
	if (root_task == 0) {
		/* A task of root's, alive until the test ends (nobody may not kill it). */
		close(done[1]);
		mach_task_self();
		write(ready[1], "r", 1);
		read(done[0], &c, 1);
		_exit(0);
	}
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	ASSERT_EQ(KERN_SUCCESS, processor_set_tasks(control, &tasks, &count));
	EXPECT_TRUE(lists_pid(tasks, count, root_task));
	release(tasks, count);

	ASSERT_EQ(0, drop_privileges());
	ASSERT_EQ(KERN_SUCCESS, processor_set_tasks(control, &tasks, &count));
	EXPECT_FALSE(lists_pid(tasks, count, root_task));
	EXPECT_TRUE(lists_pid(tasks, count, getpid()));
	release(tasks, count);
	close(done[1]);		/* the root task ends */
}

TEST(tasks_and_threads_by_message)
{
	processor_set_t control = control_port(_metadata);
	struct proxy p;
	task_array_t tasks;
	mach_msg_type_number_t count;

	ASSERT_NE(MACH_PORT_NULL, control);
	proxy_start(&p, control);
	ASSERT_EQ(KERN_SUCCESS, processor_set_tasks(p.port, &tasks, &count));
	EXPECT_TRUE(lists_pid(tasks, count, getpid()));
	release(tasks, count);
	ASSERT_EQ(KERN_SUCCESS, processor_set_threads(p.port, &tasks, &count));
	EXPECT_GE(count, 1);
	release(tasks, count);
	EXPECT_EQ(2, p.forwarded);
	proxy_stop(&p);

	/* processor_set_default and host_processor_set_priv as messages. */
	host_priv_t priv;
	processor_set_name_t name;
	processor_set_t again;
	ASSERT_EQ(KERN_SUCCESS, host_get_host_priv_port(mach_host_self(), &priv));
	proxy_start(&p, priv);
	ASSERT_EQ(KERN_SUCCESS, processor_set_default(p.port, &name));
	ASSERT_EQ(KERN_SUCCESS, host_processor_set_priv(p.port, name, &again));
	EXPECT_EQ(control, again);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_processor_set_priv(p.port, mach_task_self(),
								 &again));
	proxy_stop(&p);
}

TEST(set_special_port)
{
	host_priv_t priv;
	mach_port_t port = new_port(), got = MACH_PORT_NULL;

	if (host_get_host_priv_port(mach_host_self(), &priv) != KERN_SUCCESS)
		SKIP(return, "not privileged: no host_priv");
	ASSERT_EQ(KERN_SUCCESS, host_set_special_port(priv, HOST_AMFID_PORT, port));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(priv, HOST_LOCAL_NODE, HOST_AMFID_PORT,
						      &got));
	EXPECT_EQ(port, got);
	mach_port_deallocate(mach_task_self(), got);
	/* Another id is still empty. */
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(priv, HOST_LOCAL_NODE, HOST_GSSD_PORT,
						      &got));
	EXPECT_EQ(MACH_PORT_NULL, got);

	/* The kernel's ids, out of range, the node port, the name port. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(priv, HOST_PORT, port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(priv, HOST_PRIV_PORT, port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(priv, 7, port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(priv, HOST_MAX_SPECIAL_PORT + 1,
							       port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(priv, -1, port));
	EXPECT_EQ(KERN_NOT_SUPPORTED, host_set_special_port(priv, HOST_NODE_PORT, port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(mach_host_self(),
							       HOST_AMFID_PORT, port));
	/* Each failure dropped the right it was given (copied, so ours stays). */
	mach_port_urefs_t refs = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND,
						   &refs));
	EXPECT_EQ(1, refs);

	/* By message, through a stand-in for the privileged port. */
	struct proxy p;
	proxy_start(&p, priv);
	EXPECT_EQ(KERN_SUCCESS, host_set_special_port(p.port, HOST_GSSD_PORT, port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(p.port, HOST_PORT, port));
	proxy_stop(&p);
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(priv, HOST_LOCAL_NODE, HOST_GSSD_PORT,
						      &got));
	EXPECT_EQ(port, got);
	mach_port_deallocate(mach_task_self(), got);

	/* Cleared: none again. */
	ASSERT_EQ(KERN_SUCCESS, host_set_special_port(priv, HOST_AMFID_PORT, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, host_set_special_port(priv, HOST_GSSD_PORT, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(priv, HOST_LOCAL_NODE, HOST_AMFID_PORT,
						      &got));
	EXPECT_EQ(MACH_PORT_NULL, got);

	/* An unprivileged holder of host_priv may not set them (XNU: launchd only). */
	ASSERT_EQ(0, drop_privileges());
	EXPECT_EQ(KERN_NO_ACCESS, host_set_special_port(priv, HOST_AMFID_PORT, port));
	mach_port_destroy(mach_task_self(), port);
}

/* Every call of the host's, by ioctl and by message, once. */
static void host_round(processor_set_t control, mach_port_t stand_in)
{
	mach_port_t targets[2] = { control, stand_in };
	task_array_t list;
	processor_info_array_t info;
	vm_statistics64_data_t vm;
	mach_msg_type_number_t count, words;
	clock_serv_t clock;
	mach_timespec_t t;
	natural_t n;

	for (int i = 0; i < 2; i++) {
		if (processor_set_tasks(targets[i], &list, &count) == KERN_SUCCESS)
			release(list, count);
		if (processor_set_threads(targets[i], &list, &count) == KERN_SUCCESS)
			release(list, count);
	}
	if (host_processor_info(mach_host_self(), PROCESSOR_CPU_LOAD_INFO, &n, &info,
				&words) == KERN_SUCCESS)
		vm_deallocate(mach_task_self(), (vm_address_t)info, words * sizeof(integer_t));
	count = HOST_VM_INFO64_COUNT;
	host_statistics64(mach_host_self(), HOST_VM_INFO64, (host_info64_t)&vm, &count);
	if (host_get_clock_service(mach_host_self(), CALENDAR_CLOCK, &clock) == KERN_SUCCESS) {
		clock_get_time(clock, &t);
		mach_port_deallocate(mach_task_self(), clock);
	}
}

TEST(nothing_leaks)
{
	processor_set_t control = control_port(_metadata);
	struct proxy p;
	long before = -1, after = -1;

	ASSERT_NE(MACH_PORT_NULL, control);
	proxy_start(&p, control);
	host_round(control, p.port);	/* reply ports and the like, made once */
	for (int i = 0; i < 50 && before != mach_stat("live_allocations"); i++) {
		before = mach_stat("live_allocations");
		usleep(20000);
	}
	for (int i = 0; i < 20; i++)
		host_round(control, p.port);
	for (int i = 0; i < 250 && after != before; i++) {
		after = mach_stat("live_allocations");
		usleep(20000);
	}
	EXPECT_EQ(before, after);
	proxy_stop(&p);
}

TEST_HARNESS_MAIN
