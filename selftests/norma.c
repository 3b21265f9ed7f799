// SPDX-License-Identifier: GPL-2.0
/*
 * NORMA on NUMA nodes: norma_task_create places a task on a node (its
 * threads run on the node's CPUs, the memory it allocates comes from the
 * node), norma_task_clone shares every region with its parent, and
 * norma_task_teleport moves a task to another node. The test VM has two
 * nodes with one CPU each, and a third with memory only.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>

#include <mach/mach.h>
#include <mach/mach_norma.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

/* The node a page of task's process is on (move_pages' query), or < 0. */
static int page_node(task_t task, vm_address_t address)
{
	void *pages[1] = { (void *)address };
	int status = -1, pid = 0;

	if (pid_for_task(task, &pid) != KERN_SUCCESS ||
	    syscall(SYS_move_pages, pid, 1, pages, NULL, &status, 0) != 0)
		return -1000;
	return status;
}

/* A line of /proc/<pid>/status, without the key, or "". */
static void status_line(task_t task, const char *key, char *out, size_t size)
{
	char path[64], line[256];
	int pid = 0;
	FILE *f;

	out[0] = '\0';
	pid_for_task(task, &pid);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, strlen(key))) {
			snprintf(out, size, "%s", line + strlen(key) + 1);
			out[strcspn(out, "\n")] = '\0';
		}
	}
	if (f)
		fclose(f);
}

/* /sys's list of node's CPUs ("1"). */
static void node_cpus(int node, char *out, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", node);
	out[0] = '\0';
	f = fopen(path, "r");
	if (f && fgets(out, size, f))
		out[strcspn(out, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* Has pid exited (gone, or a zombie waiting for its reaper)? */
static int process_ended(pid_t pid)
{
	char path[64], state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 0;
	fclose(f);
	return state == 'Z' || state == 'X';
}

static int node_of(task_t task)
{
	task_node_info_data_t info = { -2 };
	mach_msg_type_number_t count = TASK_NODE_INFO_COUNT;

	if (task_info(task, TASK_NODE_INFO, (task_info_t)&info, &count) != KERN_SUCCESS)
		return -3;
	return info.node;
}

/* What a thread of the child saw: the node it ran on, and its page. */
static volatile uint32_t seen_node = ~0u;
static volatile uint8_t *touch_page;

static void __attribute__((noinline, noreturn)) where_am_i(void)
{
	unsigned int cpu, node;
	long ret;

	touch_page[0] = 1;	/* a fresh page: allocated under the task's policy */
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(SYS_getcpu), "D"(&cpu), "S"(&node), "d"(0)
			 : "rcx", "r11", "memory");
	seen_node = ret == 0 ? node : ~1u;
	for (;;)
		__asm__ volatile("pause");
}

/* Runs where_am_i in task (which has our image) and waits for it. */
static uint32_t run_where_am_i(task_t task, vm_address_t page)
{
	vm_address_t stack = 0;
	thread_act_t thread;
	uint32_t node = ~0u;

	if (vm_write(task, (vm_address_t)&touch_page, (vm_offset_t)&page, sizeof(page)) ||
	    vm_allocate(task, &stack, 4 * PAGE, VM_FLAGS_ANYWHERE) ||
	    thread_create(task, &thread))
		return ~2u;
	if (start_at(thread, (uint64_t)where_am_i, stack + 4 * PAGE - 8) ||
	    thread_resume(thread))
		node = ~3u;
	for (int i = 0; i < 500 && node == ~0u; i++) {
		vm_read_overwrite(task, (vm_address_t)&seen_node, sizeof(node),
				  (vm_address_t)&node, NULL);
		if (node == ~0u)
			usleep(10000);
	}
	mach_port_deallocate(mach_task_self(), thread);
	return node;
}

/*
 * Has the host nodes 0 to count - 1 (host_info's node count), each with
 * a CPU? The test VM has nodes 0 and 1 with a CPU each, and node 2 with
 * memory only; a test that needs more than a host has is skipped.
 */
static int have_cpu_nodes(int count)
{
	host_node_info_data_t info = { 0 };
	mach_msg_type_number_t n = HOST_NODE_INFO_COUNT;
	char cpus[64];

	if (host_info(mach_host_self(), HOST_NODE_INFO, (host_info_t)&info, &n) !=
	    KERN_SUCCESS || info.node_count < count)
		return 0;
	for (int node = 0; node < count; node++) {
		node_cpus(node, cpus, sizeof(cpus));
		if (!cpus[0])
			return 0;
	}
	return 1;
}

/* Every node id is below this (host_info), or -1. */
static int node_max(void)
{
	host_node_info_data_t info = { 0 };
	mach_msg_type_number_t n = HOST_NODE_INFO_COUNT;

	if (host_info(mach_host_self(), HOST_NODE_INFO, (host_info_t)&info, &n))
		return -1;
	return info.node_max;
}

#define NEED_NODES(count) do {							\
	if (!have_cpu_nodes(count))						\
		SKIP(return, "needs NUMA nodes 0 to %d, each with a CPU",	\
		     (count) - 1);						\
} while (0)

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(nodes) {
	struct made made;
};

FIXTURE_SETUP(nodes)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(nodes)
{
	made_end(&self->made);
}

/* The same, a variant per node. */
FIXTURE(on_node) {
	struct made made;
};

FIXTURE_VARIANT(on_node) {
	int node;
};

FIXTURE_VARIANT_ADD(on_node, node0) { .node = 0 };
FIXTURE_VARIANT_ADD(on_node, node1) { .node = 1 };

FIXTURE_SETUP(on_node)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(on_node)
{
	made_end(&self->made);
}

TEST_F(on_node, norma_task_create_places_cpus_and_memory_on_the_node)
{
	const int node = variant->node;
	char cpus[64], allowed[64];
	vm_address_t page = 0;
	task_t task;

	NEED_NODES(node + 1);
	ASSERT_EQ(KERN_SUCCESS, made_norma_task_create(&self->made, mach_task_self(), TRUE, node,
						       &task));
	EXPECT_EQ(node, node_of(task));
	node_cpus(node, cpus, sizeof(cpus));
	status_line(task, "Cpus_allowed_list:", allowed, sizeof(allowed));
	EXPECT_STREQ(cpus, allowed);
	status_line(task, "Mems_allowed_list:", allowed, sizeof(allowed));
	EXPECT_NE(0, allowed[0]);

	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &page, PAGE, VM_FLAGS_ANYWHERE));
	EXPECT_EQ((uint32_t)node, run_where_am_i(task, page));
	EXPECT_EQ(node, page_node(task, page));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), task);
}

/* Without inherited memory too, and placement outlives the shell's exec. */
TEST_F(on_node, an_empty_task_on_a_node)
{
	/* movl $1, (%rax) with rax = the page: a store allocates it. */
	uint8_t program[] = { 0xc7, 0x00, 0x01, 0, 0, 0, 0xeb, 0xfe };
	const int node = variant->node;
	x86_thread_state64_t state = { 0 };
	vm_address_t code = 0, data = 0;
	char cpus[64], allowed[64];
	thread_act_t thread;
	uint32_t word = 0;
	task_t task;

	NEED_NODES(node + 1);
	ASSERT_EQ(KERN_SUCCESS, made_norma_task_create(&self->made, mach_task_self(), FALSE, node,
						       &task));
	EXPECT_EQ(node, node_of(task));
	node_cpus(node, cpus, sizeof(cpus));
	status_line(task, "Cpus_allowed_list:", allowed, sizeof(allowed));
	EXPECT_STREQ(cpus, allowed);
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	state.__rip = code;
	state.__rsp = code + PAGE;
	state.__rax = data;
	state.__rflags = 0x202;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state,
						 x86_THREAD_STATE64_COUNT));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	for (int i = 0; i < 500 && word != 1; i++) {
		usleep(10000);
		vm_read_overwrite(task, data, 4, (vm_address_t)&word, NULL);
	}
	EXPECT_EQ(1, word);
	EXPECT_EQ(node, page_node(task, data));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
}

/* Writes text to a cgroup file under /sys/fs/cgroup: 0, or -1. */
static int cgroup_write(const char *name, const char *text)
{
	char path[256];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * A process whose cpuset holds node 0's CPUs only cannot place a task on
 * node 1: the placement is the system call's, which keeps to the cpuset
 * (before, a kernel-side affinity ran the task on node 1's CPUs).
 */
TEST_F(nodes, a_task_placed_on_a_node_keeps_to_its_cpuset)
{
	char cpus[64], text[80];
	int status;
	pid_t kid;

	NEED_NODES(2);
	if (getuid() != 0)
		SKIP(return, "needs root to make a cpuset");
	node_cpus(0, cpus, sizeof(cpus));
	if (cgroup_write("cgroup.subtree_control", "+cpuset\n") ||
	    (mkdir("/sys/fs/cgroup/mach-norma", 0755) && errno != EEXIST))
		SKIP(return, "no cpuset controller");
	snprintf(text, sizeof(text), "%s\n", cpus);
	ASSERT_EQ(0, cgroup_write("mach-norma/cpuset.cpus", text));

	kid = made_fork(&self->made);
	ASSERT_LE(0, kid);
	if (kid == 0) {
		char allowed[64];
		task_t task;

		snprintf(text, sizeof(text), "%d\n", getpid());
		if (cgroup_write("mach-norma/cgroup.procs", text))
			_exit(10);
		/* Refused; or, made, on CPUs of its cpuset only. */
		if (norma_task_create(mach_task_self(), TRUE, 1, &task) != KERN_SUCCESS)
			_exit(0);
		status_line(task, "Cpus_allowed_list:", allowed, sizeof(allowed));
		task_terminate(task);
		if (strcmp(allowed, cpus))
			fprintf(stderr, "# the task runs on CPUs %s, its cpuset has %s\n", allowed, cpus);
		_exit(strcmp(allowed, cpus) ? 11 : 0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	rmdir("/sys/fs/cgroup/mach-norma");
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("%s", WEXITSTATUS(status) == 11 ? "the task ran outside the cpuset" :
		       "could not join the cpuset");
	}
}

/*
 * task_set_child_node (OSF's mach_norma 555000): a plain task_create on
 * the task places the child on the node, as norma_task_create would;
 * -1 places it wherever Linux does again.
 */
TEST_F(on_node, task_set_child_node_places_task_create_children)
{
	const int node = variant->node;
	char cpus[64], allowed[64];
	task_t task;

	NEED_NODES(node + 1);
	ASSERT_EQ(KERN_SUCCESS, task_set_child_node(mach_task_self(), node));
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	EXPECT_EQ(node, node_of(task));
	node_cpus(node, cpus, sizeof(cpus));
	status_line(task, "Cpus_allowed_list:", allowed, sizeof(allowed));
	EXPECT_STREQ(cpus, allowed);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), task);

	ASSERT_EQ(KERN_SUCCESS, task_set_child_node(mach_task_self(), -1));
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	EXPECT_EQ(-1, node_of(task));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
	mach_port_deallocate(mach_task_self(), task);
}

TEST_F(nodes, task_set_child_node_refuses_what_norma_task_create_does)
{
	const int bad[] = { -2, 3, 63, 64, 1000 };
	mach_port_t dead;

	NEED_NODES(1);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_child_node(mach_task_self(), bad[i]));
	/* Not a task, and a dead name. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_child_node(mach_host_self(), 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), dead, dead,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), dead,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_set_child_node(dead, 0));
	mach_port_deallocate(mach_task_self(), dead);
}

/* Node 2 of the test VM has memory but no CPU: no place for a task. */
TEST_F(nodes, bad_nodes_make_nothing)
{
	const int bad[] = { -1, 2, 3, 63, 64, 1000 };
	task_t task = mach_task_self();	/* we are a task before counting */
	long before = mach_stat("live_tasks");
	char cpus[64] = "?";

	/* Node 2 is there, with memory: it is refused for its lack of CPU. */
	NEED_NODES(2);
	node_cpus(2, cpus, sizeof(cpus));
	if (access("/sys/devices/system/node/node2/meminfo", R_OK) || cpus[0] ||
	    node_max() > 3)
		SKIP(return, "needs nodes 0 to 2, node 2 with memory and no CPU");

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		task = 1;
		EXPECT_EQ(KERN_INVALID_ARGUMENT,
			  made_norma_task_create(&self->made, mach_task_self(), TRUE, bad[i],
						 &task));
		EXPECT_EQ(MACH_PORT_NULL, task);
	}
	/*
	 * None made. (An earlier test's task may still be going, so the
	 * count may fall meanwhile; it may not grow.)
	 */
	EXPECT_GE(before, mach_stat("live_tasks"));
	/* Not a task at all. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  made_norma_task_create(&self->made, mach_host_self(), TRUE, 0, &task));
	/* A task placed nowhere says so. */
	EXPECT_EQ(-1, node_of(mach_task_self()));
}

TEST(norma_node_self_is_where_we_run)
{
	cpu_set_t one;
	int node = -1;

	NEED_NODES(2);
	for (int cpu = 0; cpu < 2; cpu++) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
		ASSERT_EQ(KERN_SUCCESS, norma_node_self(mach_host_self(), &node));
		EXPECT_EQ(cpu, node);	/* the VM has a CPU per node */
	}
	EXPECT_EQ(KERN_INVALID_ARGUMENT, norma_node_self(mach_task_self(), &node));
}

static int inheritance_of(task_t task, vm_address_t address)
{
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_address_t at = address;
	vm_size_t size = 0;
	mach_port_t object;

	if (vm_region_64(task, &at, &size, VM_REGION_BASIC_INFO_64, (vm_region_info_t)&info,
			 &count, &object) != KERN_SUCCESS || at != address)
		return -1;
	return info.inheritance;
}

static char byte_in(task_t task, vm_address_t address)
{
	char c = 0;

	if (vm_read_overwrite(task, address, 1, (vm_address_t)&c, NULL) != KERN_SUCCESS)
		return -1;
	return c;
}

static volatile char global_byte = 'g';

/*
 * A clone shares every region, whatever its inheritance, both ways; both
 * keep the parent's inheritance, and a task made later from either copies
 * what is COPY and leaves out what is NONE.
 */
TEST_F(nodes, norma_task_clone_shares_everything_and_keeps_inheritance)
{
	char *copy_region = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none_region = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vm_address_t a = (vm_address_t)copy_region, b = (vm_address_t)none_region;
	task_t clone, grandchild, later;
	char c;

	NEED_NODES(2);
	ASSERT_NE(MAP_FAILED, copy_region);
	ASSERT_NE(MAP_FAILED, none_region);
	copy_region[0] = 'A';
	none_region[0] = 'B';
	ASSERT_EQ(KERN_SUCCESS, vm_inherit(mach_task_self(), b, PAGE, VM_INHERIT_NONE));

	ASSERT_EQ(KERN_SUCCESS, made_norma_task_clone(&self->made, mach_task_self(), TRUE, 1,
						      &clone));
	EXPECT_EQ(1, node_of(clone));
	EXPECT_EQ(0, thread_count(clone));
	/* Shared, every one, both ways. */
	EXPECT_EQ('A', byte_in(clone, a));
	EXPECT_EQ('B', byte_in(clone, b));
	copy_region[0] = 'a';
	none_region[0] = 'b';
	global_byte = 'G';
	EXPECT_EQ('a', byte_in(clone, a));
	EXPECT_EQ('b', byte_in(clone, b));
	EXPECT_EQ('G', byte_in(clone, (vm_address_t)&global_byte));
	c = 'c';
	ASSERT_EQ(KERN_SUCCESS, vm_write(clone, a, (vm_offset_t)&c, 1));
	EXPECT_EQ('c', copy_region[0]);
	/* The inheritance each had. */
	EXPECT_EQ(VM_INHERIT_COPY, inheritance_of(clone, a));
	EXPECT_EQ(VM_INHERIT_NONE, inheritance_of(clone, b));
	EXPECT_EQ(VM_INHERIT_COPY, inheritance_of(mach_task_self(), a));
	EXPECT_EQ(VM_INHERIT_NONE, inheritance_of(mach_task_self(), b));

	/* A task made from the clone: a copy of a, no b. */
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, clone, NULL, 0, TRUE, &grandchild));
	EXPECT_EQ('c', byte_in(grandchild, a));
	EXPECT_EQ((char)-1, byte_in(grandchild, b));
	copy_region[0] = 'd';
	EXPECT_EQ('c', byte_in(grandchild, a));
	EXPECT_EQ('d', byte_in(clone, a));
	/* And one made from us, likewise. */
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &later));
	EXPECT_EQ('d', byte_in(later, a));
	EXPECT_EQ((char)-1, byte_in(later, b));
	copy_region[0] = 'e';
	EXPECT_EQ('d', byte_in(later, a));
	/* SHARE said later is shared again by the next task. */
	ASSERT_EQ(KERN_SUCCESS, vm_inherit(mach_task_self(), a, PAGE, VM_INHERIT_SHARE));
	EXPECT_EQ(VM_INHERIT_SHARE, inheritance_of(mach_task_self(), a));

	/* A second clone finds everything shared already. */
	task_t second;
	ASSERT_EQ(KERN_SUCCESS, made_norma_task_clone(&self->made, mach_task_self(), TRUE, 0,
						      &second));
	EXPECT_EQ('e', byte_in(second, a));
	EXPECT_EQ(0, node_of(second));

	for (task_t *t = (task_t[]){ clone, grandchild, later, second, 0 }; *t; t++) {
		EXPECT_EQ(KERN_SUCCESS, task_terminate(*t));
		mach_port_deallocate(mach_task_self(), *t);
	}
}

/* Does a line of /proc/<pid>/maps of task's process name what? */
static int maps_name(task_t task, const char *what)
{
	char path[64], line[512];
	int pid = 0, found = 0;
	FILE *f;

	if (pid_for_task(task, &pid) != KERN_SUCCESS)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		found |= strstr(line, what) != NULL;
	fclose(f);
	return found;
}

/* Is the region of ours that starts at addr a shared mapping? -1: none. */
static int region_shared(const void *addr)
{
	unsigned long start;
	char line[512], perms[8];
	FILE *f = fopen("/proc/self/maps", "r");
	int shared = -1;

	while (f && shared < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%*x %7s", &start, perms) == 2 &&
		    start == (unsigned long)addr)
			shared = perms[3] == 's';
	if (f)
		fclose(f);
	return shared;
}

/*
 * A region a fork wipes, and one locked: a clone cannot share them (a
 * shared mapping carries neither flag), so they stay private in the
 * parent, as they were, and the clone gets what a fork's child does.
 */
TEST_F(nodes, a_clone_leaves_wiped_and_locked_regions_as_a_fork_does)
{
	char *wiped = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *locked = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char lck[64];
	int status;
	pid_t kid;
	task_t clone;

	ASSERT_NE(MAP_FAILED, wiped);
	ASSERT_NE(MAP_FAILED, locked);
	ASSERT_EQ(0, madvise(wiped, PAGE, MADV_WIPEONFORK));
	ASSERT_EQ(0, mlock(locked, PAGE));
	strcpy(wiped, "random state");
	strcpy(locked, "secret");

	ASSERT_EQ(KERN_SUCCESS, made_norma_task_clone(&self->made, mach_task_self(), TRUE, 0,
						      &clone));
	/* The clone: the wiped page zero, the locked one a copy. */
	EXPECT_EQ(0, byte_in(clone, (vm_address_t)wiped));
	EXPECT_EQ('s', byte_in(clone, (vm_address_t)locked));
	/* Ours: still private, still wiped at fork and locked. */
	EXPECT_EQ(0, region_shared(wiped));
	EXPECT_EQ(0, region_shared(locked));
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0)
		_exit(wiped[0] == 0 ? 0 : 1);
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("a fork's child saw the wiped page's bytes");
	}
	EXPECT_EQ('s', locked[0]);
	status_line(mach_task_self(), "VmLck:", lck, sizeof(lck));
	EXPECT_LE(4, atoi(lck));

	EXPECT_EQ(KERN_SUCCESS, task_terminate(clone));
	mach_port_deallocate(mach_task_self(), clone);
	munlock(locked, PAGE);
	munmap(wiped, PAGE);
	munmap(locked, PAGE);
}

/* Appends text to a file of the trace interface (one write, as echo does). */
static int uprobe_write(const char *name, const char *text)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256];
	int fd = -1, ok;

	for (unsigned int i = 0; i < 2 && fd < 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", roots[i], name);
		fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/* Where addr is in the file it was mapped from: its path and offset. */
static int file_offset_of(const void *addr, char *path, size_t size, unsigned long *offset)
{
	unsigned long start, end, off, at = (unsigned long)addr;
	char line[512], file[256];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = -1;

	while (f && found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %255s", &start, &end, &off, file) == 4 &&
		    at >= start && at < end) {
			snprintf(path, size, "%s", file);
			*offset = at - start + off;
			found = 0;
		}
	}
	if (f)
		fclose(f);
	return found;
}

__attribute__((noinline)) static int probed(int x)
{
	asm volatile("" : "+r"(x));
	return x + 1;
}

/*
 * The uprobes page (the kernel's, its area freed with its process's mm)
 * is no region of the task: a clone leaves it out, as a fork does. Had
 * the clone had it, reading its maps once its parent is gone read freed
 * memory.
 */
TEST_F(nodes, a_clone_leaves_out_the_kernels_uprobes_page)
{
	char path[256], probe[320];
	unsigned long offset;
	int status;
	pid_t kid;

	if (getuid() != 0)
		SKIP(return, "needs root to place a uprobe");
	ASSERT_EQ(0, file_offset_of((void *)probed, path, sizeof(path), &offset));
	snprintf(probe, sizeof(probe), "p:mach_norma_probe %s:0x%lx\n", path, offset);
	mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);	/* if it is not */
	if (uprobe_write("uprobe_events", probe))
		SKIP(return, "no uprobe events in this kernel (%s)", strerror(errno));
	ASSERT_EQ(0, uprobe_write("events/uprobes/mach_norma_probe/enable", "1\n"));

	/* In a process of its own: the page stays with whoever hit the probe. */
	kid = made_fork(&self->made);
	ASSERT_LE(0, kid);
	if (kid == 0) {
		task_t clone;
		int had;

		if (probed(1) != 2 || maps_name(mach_task_self(), "[uprobes]") != 1)
			_exit(10);	/* no page: nothing to test */
		if (norma_task_clone(mach_task_self(), TRUE, 0, &clone) != KERN_SUCCESS)
			_exit(11);
		had = maps_name(clone, "[uprobes]");
		task_terminate(clone);
		_exit(had == 0 ? 0 : 12);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	uprobe_write("events/uprobes/mach_norma_probe/enable", "0\n");
	uprobe_write("uprobe_events", "-:mach_norma_probe\n");
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("%s", WEXITSTATUS(status) == 12 ? "the clone has the uprobes page" :
		       "the probe or the clone failed");
	}
}

/*
 * Many pages, few of them written: a clone shares them (the region becomes
 * a file with holes), and a task made from us afterwards gets its private
 * copy back, each byte in its place across holes and batch edges.
 */
/* What of task's memory is resident, in bytes; 0 if unknown. */
static uint64_t resident(task_t task)
{
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	if (task_info(task, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count))
		return 0;
	return info.resident_size;
}

TEST_F(nodes, a_later_child_copies_back_what_a_clone_shared)
{
	const size_t size = 64ul << 20;
	const size_t marks[] = { 0, PAGE, 63 * PAGE, 64 * PAGE, 65 * PAGE,
				 200 * PAGE, size - PAGE };
	const size_t count = sizeof(marks) / sizeof(marks[0]);
	char *region = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vm_address_t base = (vm_address_t)region;
	task_t clone, later;

	NEED_NODES(1);
	ASSERT_NE(MAP_FAILED, region);
	/* A write is one page, not a transparent huge page of 512. */
	ASSERT_EQ(0, no_huge_pages(region, size));
	for (size_t i = 0; i < count; i++)
		region[marks[i] + 9] = 'k' + i;
	ASSERT_EQ(KERN_SUCCESS, made_norma_task_clone(&self->made, mach_task_self(), TRUE, 0,
						      &clone));
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &later));
	for (size_t i = 0; i < count; i++) {
		region[marks[i] + 9] = '!';	/* the clone sees it; later does not */
		EXPECT_EQ('!', byte_in(clone, base + marks[i] + 9));
		EXPECT_EQ('k' + (int)i, byte_in(later, base + marks[i] + 9));
		EXPECT_EQ(0, byte_in(later, base + marks[i]));
	}
	EXPECT_EQ(0, byte_in(later, base + 100 * PAGE));
	EXPECT_EQ(0, byte_in(later, base + size / 2 + 9));
	/* Its copy costs the pages written, not all 64 MiB. */
	EXPECT_LT(resident(later), 32ul << 20);
	EXPECT_LT(0, resident(later));
	for (task_t *t = (task_t[]){ clone, later, 0 }; *t; t++) {
		EXPECT_EQ(KERN_SUCCESS, task_terminate(*t));
		mach_port_deallocate(mach_task_self(), *t);
	}
	munmap(region, size);
}

/* Threads that store a rising count, on their stacks and in a region. */
#define WRITERS 3
static char *writers_region;
static volatile int writers_go;
static volatile long writers_lost[WRITERS], writers_stores[WRITERS];

static void *writer(void *arg)
{
	long id = (long)arg, mine = 0;
	volatile long *there = (volatile long *)(writers_region + id * PAGE);
	volatile long here = 0;

	while (writers_go) {
		/* What it stored last is still there, or a store was lost. */
		if (*there != mine || here != mine) {
			writers_lost[id]++;
			mine = *there > here ? *there : here;
		}
		mine++;
		*there = mine;
		here = mine;
		writers_stores[id]++;
	}
	return NULL;
}

/*
 * While its private memory becomes shared (a clone of it, vm_inherit(SHARE)),
 * the task's threads are held: a store they made between the copy and the
 * shared mapping replacing the private one would be lost. Threads of ours,
 * storing all the while, must never find their last store gone.
 */
TEST_F(nodes, private_memory_made_shared_loses_no_store)
{
	NEED_NODES(1);
	for (int round = 0; round < 6; round++) {
		pthread_t threads[WRITERS];
		long before = 0, after = 0, lost = 0;
		task_t clone = MACH_PORT_NULL;

		writers_region = mmap(NULL, WRITERS * PAGE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, writers_region);
		writers_go = 1;
		for (long i = 0; i < WRITERS; i++) {
			writers_lost[i] = writers_stores[i] = 0;
			ASSERT_EQ(0, pthread_create(&threads[i], NULL, writer, (void *)i));
		}
		usleep(50000);
		for (int i = 0; i < WRITERS; i++)
			before += writers_stores[i];
		if (round & 1) {
			EXPECT_EQ(KERN_SUCCESS, vm_inherit(mach_task_self(),
							   (vm_address_t)writers_region,
							   WRITERS * PAGE, VM_INHERIT_SHARE));
		} else {
			EXPECT_EQ(KERN_SUCCESS, made_norma_task_clone(&self->made, mach_task_self(),
								      TRUE, 0, &clone));
		}
		usleep(50000);
		writers_go = 0;
		for (int i = 0; i < WRITERS; i++) {
			pthread_join(threads[i], NULL);
			after += writers_stores[i];
			lost += writers_lost[i];
		}
		EXPECT_EQ(0, lost);
		EXPECT_LT(before, after);	/* and they ran on after it */
		if (clone) {
			EXPECT_EQ(KERN_SUCCESS, task_terminate(clone));
			mach_port_deallocate(mach_task_self(), clone);
		}
		munmap(writers_region, WRITERS * PAGE);
	}
}

/*
 * The held parent of the test below: writers store until a byte comes on
 * go, over a private region big enough that its copy takes a while. Its
 * exit status: how many stores were lost (0: none).
 */
static int held_parent(int ready, int go)
{
	const size_t size = 32 << 20;
	pthread_t threads[WRITERS];
	long lost = 0;
	char c = 'r';

	if (make_own_agent())	/* a Mach task, which the clone's agent serves */
		return 103;
	/* Their pages first: copied early, replaced when the rest is. */
	writers_region = mmap(NULL, size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (writers_region == MAP_FAILED)
		return 100;
	memset(writers_region, 0, size);	/* (written: resident, to copy) */
	writers_go = 1;
	for (long i = 0; i < WRITERS; i++)
		if (pthread_create(&threads[i], NULL, writer, (void *)i))
			return 101;
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		return 102;
	writers_go = 0;
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(threads[i], NULL);
		lost += writers_lost[i];
	}
	return lost > 99 ? 99 : lost;
}

/*
 * A clone's caller killed while the parent's agent makes the parent's
 * memory shared: the parent stays held until the agent is done, and no
 * store of its threads is lost (its hold no longer ends with the caller).
 */
TEST_F_TIMEOUT(nodes, a_clone_whose_caller_is_killed_loses_no_store, 180)
{
	NEED_NODES(1);
	for (int round = 0; round < 8; round++) {
		int ready[2], go[2], status = -1;
		pid_t parent, caller;
		char c;

		ASSERT_EQ(0, pipe(ready));
		ASSERT_EQ(0, pipe(go));
		parent = made_fork(&self->made);
		ASSERT_LE(0, parent);
		if (parent == 0)
			_exit(held_parent(ready[1], go[0]));
		ASSERT_EQ(1, read(ready[0], &c, 1));
		caller = made_fork(&self->made);
		ASSERT_LE(0, caller);
		if (caller == 0) {
			task_t task, clone;

			kern_return_t kr = task_for_pid(mach_task_self(), parent, &task);

			if (kr != KERN_SUCCESS)
				_exit(100 + kr);
			kr = norma_task_clone(task, TRUE, 0, &clone);
			_exit(kr);
		}
		/* Killed at a moment of the clone's, varied by the round. */
		usleep(10000 + round * 25000);
		kill(caller, SIGKILL);
		ASSERT_EQ(caller, waitpid(caller, &status, 0));
		TH_LOG("round %d: caller %s", round, WIFEXITED(status) ? "done first" : "killed");
		usleep(500000);		/* (its agent's work may go on) */
		ASSERT_EQ(1, write(go[1], "g", 1));
		ASSERT_EQ(parent, waitpid(parent, &status, 0));
		ASSERT_TRUE(WIFEXITED(status)) TH_LOG("round %d: status %#x", round, status);
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("round %d: stores lost", round);
		for (int *fd = (int[]){ ready[0], ready[1], go[0], go[1], -1 }; *fd >= 0; fd++)
			close(*fd);
	}
}

static volatile int sharers_left;

/* Make a page of our own shared, over and over. */
static void *sharer(void *arg)
{
	long failures = 0;

	for (int i = 0; i < 40; i++) {
		char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		page[0] = 's';
		if (vm_inherit(mach_task_self(), (vm_address_t)page, PAGE,
			       VM_INHERIT_SHARE) != KERN_SUCCESS || page[0] != 's')
			failures++;
		munmap(page, PAGE);
	}
	__atomic_sub_fetch(&sharers_left, 1, __ATOMIC_RELAXED);
	return (void *)failures;
}

/*
 * Threads of one task that each make memory shared at once: each holds
 * the others while it does, and none may wait for another for good.
 */
TEST(threads_that_share_at_once_do_not_wait_for_each_other)
{
	enum { SHARERS = 4 };
	pthread_t threads[SHARERS];
	void *failures;

	sharers_left = SHARERS;
	for (int i = 0; i < SHARERS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, sharer, NULL));
	for (int i = 0; i < 1500 && sharers_left; i++)
		usleep(10000);
	ASSERT_EQ(0, sharers_left);	/* else they wait for each other */
	for (int i = 0; i < SHARERS; i++) {
		pthread_join(threads[i], &failures);
		EXPECT_EQ(0, (long)failures);
	}
}

/* vm_inherit(SHARE) of region in task, times times: how many failed. */
static int share_in(task_t task, char *region, int times)
{
	int failed = 0;

	for (int i = 0; i < times; i++) {
		kern_return_t kr = vm_inherit(task, (vm_address_t)region, 4 * PAGE,
					      VM_INHERIT_SHARE);

		/* Aborted: the other's thread did not stop, holding us. */
		failed += kr != KERN_SUCCESS && kr != KERN_ABORTED;
	}
	return failed;
}

/*
 * Two tasks, each making memory of the other shared over and over: each
 * holds the other while a thread of that other waits to hold it. Neither
 * may wait for good.
 */
TEST_F(nodes, two_tasks_that_hold_each_other_do_not_wait_for_good)
{
	enum { NAME_IN_CHILD = 900, TIMES = 20 };
	struct { mach_msg_header_t h; char pad[64]; } msg = { 0 };
	char *region = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mach_port_t port, bootstrap;
	mach_port_type_t type;
	int status = -1, done[2];
	task_t theirs;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, region);
	memset(region, 1, 4 * PAGE);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(),
						      TASK_BOOTSTRAP_PORT, &bootstrap));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(),
						      TASK_BOOTSTRAP_PORT, port));
	ASSERT_EQ(0, pipe(done));	/* the child lives until we are done */
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t ours;
		int failed;
		char c;

		if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &ours))
			_exit(100);
		msg.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						 MACH_MSG_TYPE_COPY_SEND);
		msg.h.msgh_size = sizeof(msg.h);
		msg.h.msgh_remote_port = ours;
		msg.h.msgh_local_port = mach_task_self();
		if (mach_msg(&msg.h, MACH_SEND_MSG, sizeof(msg.h), 0, 0, 0, 0))
			_exit(101);
		for (int i = 0; mach_port_type(mach_task_self(), NAME_IN_CHILD, &type); i++) {
			if (i > 5000)
				_exit(102);
			usleep(1000);
		}
		failed = share_in(NAME_IN_CHILD, region, TIMES);
		close(done[1]);
		if (read(done[0], &c, 1) < 0)
			failed++;
		_exit(failed);
	}
	close(done[0]);
	ASSERT_EQ(KERN_SUCCESS, mach_msg(&msg.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					 sizeof(msg), port, 10000, 0));
	/* (The child takes its bootstrap port as it starts: restored after.) */
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, bootstrap);
	theirs = msg.h.msgh_remote_port;
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(theirs, NAME_IN_CHILD,
						       mach_task_self(),
						       MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(0, share_in(theirs, region, TIMES));
	close(done[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	mach_port_destroy(mach_task_self(), port);
	mach_port_deallocate(mach_task_self(), theirs);
	munmap(region, 4 * PAGE);
}

TEST_F(nodes, norma_task_clone_without_memory_is_empty)
{
	vm_address_t at = 0;
	vm_size_t size = 0;
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_port_t object, boot, theirs;
	task_t clone;

	NEED_NODES(2);
	ASSERT_EQ(KERN_SUCCESS, made_norma_task_clone(&self->made, mach_task_self(), FALSE, 1,
						      &clone));
	EXPECT_EQ(1, node_of(clone));
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  vm_region_64(clone, &at, &size, VM_REGION_BASIC_INFO_64,
			       (vm_region_info_t)&info, &count, &object));
	/* The standard special ports, not the port space. */
	ASSERT_EQ(KERN_SUCCESS, task_get_bootstrap_port(mach_task_self(), &boot));
	ASSERT_EQ(KERN_SUCCESS, task_get_bootstrap_port(clone, &theirs));
	EXPECT_EQ(boot, theirs);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(clone));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, made_norma_task_clone(&self->made, mach_task_self(), TRUE,
							       7, &clone));
}

/* Our memory policy: pages we fault in come from node. */
static int bind_to(int node)
{
	unsigned long mask = 1ul << node;

	return syscall(SYS_set_mempolicy, 2 /* MPOL_BIND */, &mask, 64);
}

/*
 * Teleport of another task: it is gone and its port dead; the clone is on
 * the node, and so are the pages it alone maps now.
 */
TEST_F(nodes, norma_task_teleport_moves_a_task)
{
	const size_t size = 64 * PAGE;
	char *bytes = malloc(size);

	NEED_NODES(2);
	ASSERT_NE(NULL, bytes);
	memset(bytes, 't', size);
	/* From node 0 to node 1, and back. */
	for (int from = 0; from < 2; from++) {
		int to = 1 - from, pid = 0;
		vm_address_t region = 0;
		task_t parent, child;

		ASSERT_EQ(KERN_SUCCESS, made_norma_task_create(&self->made, mach_task_self(), FALSE,
							       from, &parent));
		ASSERT_EQ(KERN_SUCCESS, vm_allocate(parent, &region, size, VM_FLAGS_ANYWHERE));
		ASSERT_EQ(0, bind_to(from));	/* our writes fault its pages in there */
		ASSERT_EQ(KERN_SUCCESS, vm_write(parent, region, (vm_offset_t)bytes, size));
		ASSERT_EQ(0, syscall(SYS_set_mempolicy, 0, NULL, 0));
		EXPECT_EQ(from, page_node(parent, region));
		ASSERT_EQ(KERN_SUCCESS, pid_for_task(parent, &pid));

		ASSERT_EQ(KERN_SUCCESS, made_norma_task_teleport(&self->made, parent, TRUE, to,
								 &child));
		EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(parent));
		/* The process too: its death is told before it is a zombie. */
		for (int i = 0; i < 100 && !process_ended(pid); i++)
			usleep(10000);
		EXPECT_TRUE(process_ended(pid));
		EXPECT_EQ(to, node_of(child));
		for (size_t off = 0; off < size; off += 16 * PAGE) {
			EXPECT_EQ('t', byte_in(child, region + off));
			EXPECT_EQ(to, page_node(child, region + off));
		}
		EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
		mach_port_deallocate(mach_task_self(), child);
		mach_port_deallocate(mach_task_self(), parent);
	}
	free(bytes);
}

/* Two teleports of one task at once, each from a thread of its own. */
struct teleport_race {
	task_t parent, child[2];
	kern_return_t kr[2];
	volatile int go;
};

static struct teleport_race race;

static void *teleport_racer(void *arg)
{
	long i = (long)arg;

	while (!race.go)
		;
	race.kr[i] = norma_task_teleport(race.parent, TRUE, (int)i, &race.child[i]);
	return NULL;
}

/* A task is teleported once: a second teleport at the same time fails. */
TEST_F(nodes, two_teleports_of_one_task_make_one_child)
{
	NEED_NODES(2);
	for (int round = 0; round < 8; round++) {
		pthread_t a, b;
		int made = 0;

		memset(&race, 0, sizeof(race));
		ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0,
							 FALSE, &race.parent));
		ASSERT_EQ(0, pthread_create(&a, NULL, teleport_racer, (void *)0L));
		ASSERT_EQ(0, pthread_create(&b, NULL, teleport_racer, (void *)1L));
		usleep(1000);
		race.go = 1;
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		for (int i = 0; i < 2; i++) {
			if (race.kr[i] != KERN_SUCCESS)
				continue;
			made++;
			task_terminate(race.child[i]);
			mach_port_deallocate(mach_task_self(), race.child[i]);
		}
		mach_port_deallocate(mach_task_self(), race.parent);
		ASSERT_GE(1, made) {
			TH_LOG("round %d: both teleports made a child", round);
		}
	}
}

/* The pid of the process (not skip) mapping a file named name, or 0. */
/*
 * The processes /proc lists, not every pid that could be: 32,000 failed
 * opens take half a minute on the debug kernel under TCG.
 */
static pid_t find_mapper(const char *name, pid_t skip)
{
	char path[64], line[512];
	pid_t found = 0;
	struct dirent *d;
	DIR *proc = opendir("/proc");

	while (proc && !found && (d = readdir(proc))) {
		pid_t pid = atoi(d->d_name);
		FILE *f;

		if (pid < 2 || pid == skip || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/maps", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (strstr(line, name))
				found = pid;
		fclose(f);
	}
	if (proc)
		closedir(proc);
	return found;
}

/*
 * A running program teleported by a controlling task ends; its clone goes
 * on, on the node, and moves the page the program shared with no one else
 * once the program is gone.
 */
TEST_F(nodes, a_teleported_program_ends_and_its_clone_lives_on_the_node)
{
	mach_port_t boot, theirs;
	char cpus[64], allowed[64], path[64];
	int status, clone_pid;
	task_t clone;
	pid_t pid;

	NEED_NODES(2);
	boot = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, boot);
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t parent = MACH_PORT_NULL;
		int fd = memfd_create("teleport-marker", 0);
		char *marker;

		if (fd < 0 || ftruncate(fd, PAGE) || bind_to(0))
			_exit(10);
		marker = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (marker == MAP_FAILED)
			_exit(11);
		marker[0] = 'm';	/* its page, on node 0 */
		task_get_bootstrap_port(mach_task_self(), &parent);
		send_port(parent, mach_task_self(), MACH_MSG_TYPE_COPY_SEND);
		for (;;)
			pause();	/* until teleported */
	}
	theirs = receive_port(boot);
	ASSERT_NE(MACH_PORT_NULL, theirs);
	ASSERT_EQ(KERN_SUCCESS, made_norma_task_teleport(&self->made, theirs, TRUE, 1, &clone));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(theirs));

	ASSERT_EQ(KERN_SUCCESS, pid_for_task(clone, &clone_pid));
	EXPECT_EQ(clone_pid, find_mapper("teleport-marker", pid));
	snprintf(path, sizeof(path), "/proc/%d/status", clone_pid);
	node_cpus(1, cpus, sizeof(cpus));
	FILE *f = fopen(path, "r");
	char line[256];

	allowed[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Cpus_allowed_list: %63s", allowed) == 1)
			break;
	if (f)
		fclose(f);
	EXPECT_STREQ(cpus, allowed);
	/*
	 * Its page moved once the clone alone mapped it. The clone has no
	 * page table entry for it until it touches it: a read of its memory
	 * through /proc makes one, and numa_maps then shows where it is.
	 */
	unsigned long marker = 0;
	char c = 0;
	int moved = 0, mem;

	snprintf(path, sizeof(path), "/proc/%d/maps", clone_pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "teleport-marker"))
			sscanf(line, "%lx", &marker);
	if (f)
		fclose(f);
	ASSERT_NE(0, marker);
	snprintf(path, sizeof(path), "/proc/%d/mem", clone_pid);
	mem = open(path, O_RDONLY);
	ASSERT_GE(mem, 0);
	EXPECT_EQ(1, pread(mem, &c, 1, marker));
	close(mem);
	EXPECT_EQ('m', c);
	snprintf(path, sizeof(path), "/proc/%d/numa_maps", clone_pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "teleport-marker") && strstr(line, "N1=1"))
			moved = 1;
	if (f)
		fclose(f);
	EXPECT_TRUE(moved);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(clone));
}

/*
 * A task that teleports itself ends with the call, which does not return.
 * Its clone runs no thread, and the name the call made for it died with
 * the caller: no right names it, so it ends too (as any such task does),
 * leaving nothing behind.
 */
TEST_F(nodes, a_task_that_teleports_itself_ends_and_so_does_its_unnamed_clone)
{
	mach_port_t boot, theirs;
	int status;
	pid_t pid;

	NEED_NODES(2);
	boot = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, boot);
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t parent = MACH_PORT_NULL;
		task_t child;
		int fd = memfd_create("teleport-self", 0);

		if (fd < 0 || ftruncate(fd, PAGE) ||
		    mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
			_exit(10);
		task_get_bootstrap_port(mach_task_self(), &parent);
		send_port(parent, mach_task_self(), MACH_MSG_TYPE_COPY_SEND);
		norma_task_teleport(mach_task_self(), TRUE, 1, &child);
		_exit(12);	/* never: the task ended in the call */
	}
	theirs = receive_port(boot);
	ASSERT_NE(MACH_PORT_NULL, theirs);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(theirs));
	for (int i = 0; i < 300 && find_mapper("teleport-self", pid); i++)
		usleep(10000);
	EXPECT_EQ(0, find_mapper("teleport-self", pid));
}

TEST_HARNESS_MAIN
