// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds on the kernel memory a user can make the module hold: ports and
 * queued messages count against per-user limits (the module's parameters
 * max_user_ports and max_user_message_bytes), neither of which the fd
 * limit or a queue's limit bounds; and the memory is charged to the
 * caller's memory cgroup, whose limit gives a Mach error, not the OOM
 * killer. Each test sets the limits it needs and puts them back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define NOBODY 65534
#define MiB (1ul << 20)
#define PARAMS "/sys/module/mach/parameters/"
#define CGROUP "/sys/fs/cgroup/mach-limits"

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static long read_number(const char *path)
{
	char buf[64];

	return read_text(path, buf, sizeof(buf)) ? -1 : strtol(buf, NULL, 10);
}

/* Sets the module parameter name to value; its old value, or -1. */
static long set_param(const char *name, unsigned long value)
{
	char path[128], text[32];
	long old;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	old = read_number(path);
	snprintf(text, sizeof(text), "%lu", value);
	if (old < 0 || write_file(path, text))
		return -1;
	return old;
}

/* Runs fn in a child with nobody's credentials; its exit status. */
static int as_nobody(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(drop_privileges() ? 100 : fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

struct ool_msg {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
	mach_msg_trailer_t trailer;
};

/* Queues bytes of out-of-line data on port, through a send-once right. */
static mach_msg_return_t send_ool(mach_port_t port, void *data, size_t bytes)
{
	struct ool_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) |
			       MACH_MSGH_BITS_COMPLEX;
	msg.header.msgh_size = sizeof(msg) - sizeof(msg.trailer);
	msg.header.msgh_remote_port = port;
	msg.body.msgh_descriptor_count = 1;
	msg.ool.address = data;
	msg.ool.size = bytes;
	msg.ool.copy = MACH_MSG_VIRTUAL_COPY;
	msg.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	return mach_msg(&msg.header, MACH_SEND_MSG, msg.header.msgh_size, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/*
 * 1 MiB messages to a send-once right (which needs no room in the queue):
 * 0 if the sends stop with MACH_SEND_NO_BUFFER before 8 MiB are queued
 * and start again once one is received.
 */
static int queue_a_megabyte_at_a_time(void)
{
	mach_port_t port;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	char *data = malloc(MiB);
	struct {
		struct ool_msg msg;
		char room[64];
	} in;
	int sent;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) || !data)
		return 1;
	memset(data, 7, MiB);
	for (sent = 0; sent < 64; sent++) {
		mr = send_ool(port, data, MiB);
		if (mr != MACH_MSG_SUCCESS)
			break;
	}
	if (mr != MACH_SEND_NO_BUFFER) {
		printf("# %d MiB queued, then %#x\n", sent, mr);
		return 2;
	}
	if (sent >= 8)
		return 3;
	if (mach_msg(&in.msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in),
		     port, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 4;
	vm_deallocate(mach_task_self(), (vm_address_t)in.msg.ool.address, MiB);
	return send_ool(port, data, MiB) == MACH_MSG_SUCCESS ? 0 : 5;
}

TEST(queued_messages_count_against_their_ports_owner)
{
	long old = set_param("max_user_message_bytes", 8 * MiB);
	int status;

	ASSERT_LE(0, old);
	status = as_nobody(queue_a_megabyte_at_a_time);
	set_param("max_user_message_bytes", old);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * In nobody's child: takes a receive right from its parent (through the
 * bootstrap port it inherited) and queues megabytes on it until refused;
 * then tells the parent, and waits for its word to exit. 0, or a step.
 */
static int flood_a_given_port(int told, int wait)
{
	mach_port_t boot, mine, given;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	char *data = malloc(MiB), c = 0;
	int sent;

	mine = new_port();
	if (!data || mine == MACH_PORT_NULL ||
	    task_get_bootstrap_port(mach_task_self(), &boot) ||
	    send_port(boot, mine, MACH_MSG_TYPE_MAKE_SEND))
		return 1;
	given = receive_port(mine);
	if (given == MACH_PORT_NULL)
		return 2;
	memset(data, 7, MiB);
	for (sent = 0; sent < 64 && mr == MACH_MSG_SUCCESS; sent++)
		mr = send_ool(given, data, MiB);
	if (mr != MACH_SEND_NO_BUFFER)
		return 3;
	return write(told, &c, 1) == 1 && read(wait, &c, 1) == 1 ? 0 : 4;
}

/*
 * A receive right root gives to nobody: what nobody queues there counts
 * against nobody's limit from then on, not root's. Before, the queue
 * stayed its maker's to pay for, and nobody's flood stopped every send
 * of root's to any port root had made.
 */
TEST(a_receive_right_given_away_takes_its_queues_charge_along)
{
	long old = set_param("max_user_message_bytes", 8 * MiB);
	mach_port_t saved, boot, theirs, given, fresh;
	int flooded[2], done[2], status;
	char c = 0;
	pid_t pid;

	ASSERT_LE(0, old);
	ASSERT_EQ(0, pipe(flooded));
	ASSERT_EQ(0, pipe(done));
	ASSERT_EQ(KERN_SUCCESS, task_get_bootstrap_port(mach_task_self(), &saved));
	boot = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, boot);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(drop_privileges() ? 100 : flood_a_given_port(flooded[1], done[0]));
	theirs = receive_port(boot);	/* the child's task took boot by now */
	task_set_bootstrap_port(mach_task_self(), saved);
	ASSERT_NE(MACH_PORT_NULL, theirs);
	given = new_port();
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(theirs, given, MACH_MSG_TYPE_MOVE_RECEIVE));

	/* Its flood over (the child's limit met): root still sends as much. */
	if (read(flooded[0], &c, 1) == 1) {
		char *data = calloc(1, MiB);

		fresh = new_port();
		ASSERT_NE(NULL, data);
		ASSERT_NE(MACH_PORT_NULL, fresh);
		EXPECT_EQ(MACH_MSG_SUCCESS, send_ool(fresh, data, MiB));
		mach_port_mod_refs(mach_task_self(), fresh, MACH_PORT_RIGHT_RECEIVE, -1);
		free(data);
	}
	ASSERT_EQ(1, write(done[1], &c, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	set_param("max_user_message_bytes", old);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(flooded[0]);
	close(flooded[1]);
	close(done[0]);
	close(done[1]);
	mach_port_mod_refs(mach_task_self(), boot, MACH_PORT_RIGHT_RECEIVE, -1);
}

struct ports_msg {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t ports;
};

/*
 * With 32 fds, receive rights moved into messages a batch at a time:
 * 0 if mach_port_allocate says KERN_NO_SPACE before 320 ports live.
 */
static int hold_ports_in_messages(void)
{
	struct rlimit few = { 32, 32 };
	mach_port_t holder, batch[16];
	kern_return_t kr = KERN_SUCCESS;
	int made = 0;

	if (setrlimit(RLIMIT_NOFILE, &few) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &holder))
		return 1;
	while (made < 4000) {
		struct ports_msg msg;
		int n;

		for (n = 0; n < 16; n++) {
			kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						&batch[n]);
			if (kr != KERN_SUCCESS)
				break;
		}
		made += n;
		if (kr != KERN_SUCCESS)
			break;
		memset(&msg, 0, sizeof(msg));
		msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) |
				       MACH_MSGH_BITS_COMPLEX;
		msg.header.msgh_size = sizeof(msg);
		msg.header.msgh_remote_port = holder;
		msg.body.msgh_descriptor_count = 1;
		msg.ports.address = batch;
		msg.ports.count = n;
		msg.ports.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		msg.ports.copy = MACH_MSG_PHYSICAL_COPY;
		msg.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		if (mach_msg(&msg.header, MACH_SEND_MSG, sizeof(msg), 0, MACH_PORT_NULL, 0,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			return 2;
	}
	printf("# %d ports made, then %#x\n", made, kr);
	return kr == KERN_NO_SPACE && made < 320 ? 0 : 3;
}

TEST(ports_count_against_their_users_limit_whether_named_or_in_messages)
{
	long old = set_param("max_user_ports", 300);
	int status;

	ASSERT_LE(0, old);
	status = as_nobody(hold_ports_in_messages);
	set_param("max_user_ports", old);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * No-senders requests on a port with no senders fire at once: each queues
 * a notice on q, which takes no room in its queue. 0 if the notices stop
 * at the limit of q's owner (256 KiB here, about 1,100 notices) rather
 * than run on. (Few requests: each takes half a millisecond on a debug
 * kernel under emulation, and the test has 30 s.)
 */
static int request_notices(void)
{
	mach_port_t p, q, previous;
	mach_port_status_t status;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &q))
		return 1;
	for (int i = 0; i < 12000; i++)
		if (mach_port_request_notification(mach_task_self(), p,
						   MACH_NOTIFY_NO_SENDERS, 0, q,
						   MACH_MSG_TYPE_MAKE_SEND_ONCE,
						   &previous))
			return 2;
	if (mach_port_get_attributes(mach_task_self(), q, MACH_PORT_RECEIVE_STATUS,
				     (mach_port_info_t)&status, &count))
		return 3;
	printf("# %u notices queued\n", status.mps_msgcount);
	return status.mps_msgcount > 0 && status.mps_msgcount < 10000 ? 0 : 4;
}

TEST(kernel_notices_count_against_their_ports_owner)
{
	long old = set_param("max_user_message_bytes", MiB / 4);
	int status;

	ASSERT_LE(0, old);
	status = as_nobody(request_notices);
	set_param("max_user_message_bytes", old);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* 4 MiB messages, 256 MiB in all: 0 if a Mach error stops them. */
static int flood(void)
{
	mach_port_t port;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	size_t size = 4 * MiB;
	char *data = malloc(size);
	int sent;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) || !data)
		return 1;
	memset(data, 7, size);
	for (sent = 0; sent < 64 && mr == MACH_MSG_SUCCESS; sent++)
		mr = send_ool(port, data, size);
	printf("# %d sent, then %#x\n", sent, mr);
	return mr == MACH_SEND_NO_BUFFER || mr == KERN_RESOURCE_SHORTAGE ? 0 : 2;
}

/* Key's count in the flat-keyed file path, or -1. */
static long keyed(const char *path, const char *key)
{
	char line[128];
	long value = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ' ')
			value = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return value;
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(limits) {
	struct made made;
};

FIXTURE_SETUP(limits)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(limits)
{
	made_end(&self->made);
}

TEST_F(limits, a_flood_in_a_memory_cgroup_meets_a_mach_error_not_the_oom_killer)
{
	long old = set_param("max_user_message_bytes", 1024 * MiB);
	char pid_text[32];
	int status;
	pid_t pid;

	ASSERT_LE(0, old);
	ASSERT_EQ(0, write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory"));
	rmdir(CGROUP);
	ASSERT_EQ(0, mkdir(CGROUP, 0755));
	ASSERT_EQ(0, write_file(CGROUP "/memory.max", "33554432"));	/* 32 MiB */
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		snprintf(pid_text, sizeof(pid_text), "%d", getpid());
		if (write_file(CGROUP "/cgroup.procs", pid_text))
			_exit(100);
		_exit(drop_privileges() ? 101 : flood());
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	set_param("max_user_message_bytes", old);
	EXPECT_TRUE(WIFEXITED(status)) {
		TH_LOG("the flooder died of signal %d", WTERMSIG(status));
	}
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, keyed(CGROUP "/memory.events", "oom_kill"));
	EXPECT_EQ(0, rmdir(CGROUP));
}

TEST_HARNESS_MAIN
