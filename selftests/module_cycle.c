// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifetime: mach.ko cannot be unloaded while a task of it lives,
 * unloads once they are gone, and 50 load/unload cycles with tasks in
 * between leave nothing behind (the live-object counters return to zero
 * each cycle; slab totals come back to where they started).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

/* The host's own ports (host, default ledgers): alive while loaded. */
static long host_ports, host_allocations;

static void count_host_objects(void)
{
	host_ports = mach_stat("live_ports");
	host_allocations = mach_stat("live_allocations");
}

static int load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	if (ret == 0)
		count_host_objects();
	return ret;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "mach", O_NONBLOCK);
}

static int loaded(void)
{
	return access("/sys/module/mach", F_OK) == 0;
}

/* Waits for the asynchronous teardown of exited tasks. */
static int wait_idle(void)
{
	for (int i = 0; i < 500; i++) {
		if (mach_stat("live_tasks") == 0 &&
		    mach_stat("live_ports") == host_ports &&
		    mach_stat("live_allocations") == host_allocations)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* A message carrying one receive right to dest. */
static kern_return_t send_receive_right(mach_port_t dest, mach_port_t right)
{
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
	} msg = { 0 };

	msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
			       MACH_MSGH_BITS_COMPLEX;
	msg.header.msgh_remote_port = dest;
	msg.body.msgh_descriptor_count = 1;
	msg.port.name = right;
	msg.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	msg.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&msg.header, MACH_SEND_MSG, sizeof(msg), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/* A Mach workout for one task: info, rights, a message to itself. */
static int use_mach(void)
{
	task_basic_info_64_data_t info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_64_COUNT;
	mach_port_t port;
	mach_msg_header_t msg = { 0 };

	if (task_info(mach_task_self(), TASK_BASIC_INFO_64,
		      (task_info_t)&info, &count) != KERN_SUCCESS)
		return 1;
	task_self_trap();
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ||
	    mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND))
		return 2;
	msg.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	msg.msgh_remote_port = port;
	msg.msgh_local_port = port;
	/* Left queued on purpose: the task's death must free it and its right. */
	if (mach_msg(&msg, MACH_SEND_MSG, sizeof(msg), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL))
		return 3;

	/* b's receive right queued on a; a's on b would be a cycle no one
	 * could ever receive or destroy: it is refused. */
	mach_port_t a, b;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &a) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &b) ||
	    mach_port_insert_right(mach_task_self(), a, a, MACH_MSG_TYPE_MAKE_SEND) ||
	    mach_port_insert_right(mach_task_self(), b, b, MACH_MSG_TYPE_MAKE_SEND))
		return 4;
	if (send_receive_right(a, b) != KERN_SUCCESS)
		return 5;
	if (send_receive_right(b, a) != MACH_SEND_INVALID_RIGHT)
		return 6;

	/* The host's ports hand out files too: they must not pin the module. */
	if (mach_host_self() == MACH_PORT_NULL)
		return 8;

	/* Tasks made both ways and killed at once, maybe before they ran. */
	for (int inherit = 0; inherit < 2; inherit++) {
		task_t child;

		if (task_create(mach_task_self(), NULL, 0, inherit, &child) ||
		    task_terminate(child))
			return 7;
	}
	return 0;
}

/*
 * A child that (if with_mach) becomes a task, forks a grandchild that
 * does too, and waits until the write end of release is closed.
 */
static pid_t spawn(const int release[2], bool with_mach)
{
	pid_t pid = fork();

	if (pid == 0) {
		int status = 0;
		char c;
		pid_t grandchild;

		close(release[1]);
		if (with_mach && use_mach())
			_exit(1);
		grandchild = fork();
		if (grandchild == 0)
			_exit(with_mach ? use_mach() : 0);
		waitpid(grandchild, &status, 0);
		if (status || read(release[0], &c, 1) < 0)
			_exit(2);
		_exit(0);
	}
	return pid;
}

static pid_t spawn_task(const int release[2])
{
	return spawn(release, true);
}

/* Lets RCU-deferred frees of exited processes land before counting. */
static void settle(void)
{
	syscall(SYS_membarrier, 1 /* MEMBARRIER_CMD_GLOBAL */, 0, 0);
	usleep(300000);
	syscall(SYS_membarrier, 1, 0, 0);
}

/* Sum of active objects of the general-purpose caches. */
static long kmalloc_objects(void)
{
	char line[512];
	long total = 0, active;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char name[64];

		if (sscanf(line, "%63s %ld", name, &active) == 2 &&
		    !strncmp(name, "kmalloc-", 8))
			total += active;
	}
	fclose(f);
	return total;
}

/*
 * A KASAN kernel (the debug lane's) keeps freed objects in a quarantine
 * of megabytes before they return to their slab: the kmalloc counts then
 * move by thousands, and its kmemleak scan after rmmod is the check.
 */
static bool kernel_has_kasan(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " __asan_load8\n") != NULL;
	fclose(f);
	return found;
}

static int slab_has_mach_caches(void)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "mach_", 5))
			found = 1;
	fclose(f);
	return found;
}

FIXTURE(module) {
	struct made made;
};

FIXTURE_SETUP(module)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(module)
{
	/* The children first: a task of theirs would hold the module. */
	made_end(&self->made);
	/* Leave the module loaded for the tests that follow. */
	if (getenv("MACH_KO") && !loaded())
		load(getenv("MACH_KO"));
}

/*
 * n load/unload cycles, each with three processes (and their forked
 * children) alive in between, which are tasks when with_tasks is set.
 * Returns how many kmalloc objects the cycles left behind.
 */
static long cycles(struct __test_metadata *_metadata, struct made *made,
		   const char *ko, int n, bool with_tasks)
{
	long before;

	settle();
	before = kmalloc_objects();
	for (int cycle = 0; cycle < n; cycle++) {
		int release[2], status;
		pid_t kids[3];

		ASSERT_EQ(0, load(ko)) TH_LOG("cycle %d: load: %s", cycle, strerror(errno));
		ASSERT_EQ(0, pipe(release));
		made_begin(made);	/* the last cycle's are reaped */
		for (int k = 0; k < 3; k++) {
			kids[k] = made_child(made, spawn(release, with_tasks));
			ASSERT_GT(kids[k], 0);
		}
		if (with_tasks) {
			/* Once all three are tasks, the module is held. */
			for (int i = 0; i < 500 && mach_stat("live_tasks") < 3; i++)
				usleep(10000);
			ASSERT_GE(mach_stat("live_tasks"), 3);
			ASSERT_EQ(-1, unload()) TH_LOG("cycle %d: unloaded under live tasks", cycle);
			ASSERT_TRUE(errno == EWOULDBLOCK || errno == EBUSY);
		}
		close(release[1]);
		for (int k = 0; k < 3; k++) {
			ASSERT_EQ(kids[k], waitpid(kids[k], &status, 0));
			ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("cycle %d child %d", cycle, k);
		}
		close(release[0]);
		ASSERT_EQ(0, wait_idle()) {
			TH_LOG("cycle %d: tasks %ld ports %ld allocations %ld", cycle,
			       mach_stat("live_tasks"), mach_stat("live_ports"),
			       mach_stat("live_allocations"));
		}
		ASSERT_EQ(0, unload()) TH_LOG("cycle %d: unload: %s", cycle, strerror(errno));
		ASSERT_EQ(0, slab_has_mach_caches());
	}
	settle();
	return kmalloc_objects() - before;
}

/* Under software emulation a cycle takes about a tenth of a second. */
TEST_F_TIMEOUT(module, load_unload_cycles_leave_nothing_behind, 240)
{
	const char *ko = getenv("MACH_KO");
	long bare, with_tasks;

	if (!ko || getuid() != 0)
		SKIP(return, "needs root and MACH_KO=path of mach.ko");
	if (loaded())
		ASSERT_EQ(0, unload()) TH_LOG("unload: %s", strerror(errno));

	/*
	 * The exact checks are in cycles(): the module's live-object counts
	 * are zero before every unload, and unloading destroys its slab
	 * caches, which fails loudly (and fails the run) if an object is
	 * left. The general kmalloc caches are a coarse check on top: their
	 * per-cpu slabs make the count swing by a few hundred objects either
	 * way, while three leaked allocations per task would add 900.
	 */
	bare = cycles(_metadata, &self->made, ko, 50, false);
	with_tasks = cycles(_metadata, &self->made, ko, 50, true);
	TH_LOG("kmalloc objects left by 50 cycles: %ld bare, %ld with tasks",
	       bare, with_tasks);
	if (kernel_has_kasan())
		TH_LOG("KASAN's quarantine holds freed objects: no kmalloc count check");
	else
		EXPECT_LT(with_tasks - bare, 600);
	ASSERT_EQ(0, load(ko));
}

TEST_F_TIMEOUT(module, module_is_held_while_a_task_lives, 60)
{
	int release[2], status;
	pid_t child;

	if (!getenv("MACH_KO") || getuid() != 0)
		SKIP(return, "needs root and MACH_KO=path of mach.ko");
	ASSERT_TRUE(loaded());
	count_host_objects();	/* no task yet: only the host's */
	ASSERT_EQ(0, pipe(release));
	child = made_child(&self->made, spawn_task(release));
	for (int i = 0; i < 500 && mach_stat("live_tasks") < 1; i++)
		usleep(10000);
	ASSERT_GE(mach_stat("live_tasks"), 1);
	EXPECT_EQ(-1, unload());
	close(release[1]);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	/* Its death is noticed without anyone closing anything. */
	ASSERT_EQ(0, wait_idle());
	EXPECT_TRUE(loaded());
}

TEST_HARNESS_MAIN
