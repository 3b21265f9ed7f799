// SPDX-License-Identifier: GPL-2.0
/*
 * The self task: its port name, task_info, deallocation, and rights that
 * leak to other processes (fork, SCM_RIGHTS) being inert there.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>
#include <mach/abi.h>

#include "kselftest_harness.h"
#include "mach_test.h"

static kern_return_t basic_info(mach_port_t task, task_basic_info_64_data_t *info)
{
	mach_msg_type_number_t count = TASK_BASIC_INFO_64_COUNT;

	return task_info(task, TASK_BASIC_INFO_64, (task_info_t)info, &count);
}

TEST(self_name_is_nonzero_stable_and_a_cloexec_fd)
{
	mach_port_t self = mach_task_self();
	char link[64], target[64];
	ssize_t n;

	ASSERT_NE(MACH_PORT_NULL, self);
	ASSERT_EQ(self, mach_task_self());
	ASSERT_EQ(self, mach_task_self());

	ASSERT_EQ(FD_CLOEXEC, fcntl(self, F_GETFD) & FD_CLOEXEC);
	snprintf(link, sizeof(link), "/proc/self/fd/%u", self);
	n = readlink(link, target, sizeof(target) - 1);
	ASSERT_GT(n, 0);
	target[n] = '\0';
	EXPECT_STREQ("anon_inode:[mach_port]", target);
}

TEST(task_self_trap_coalesces_into_the_same_name)
{
	mach_port_t self = mach_task_self();
	task_basic_info_64_data_t info;

	/* Three more user references on one name, then give them back. */
	ASSERT_EQ(self, task_self_trap());
	ASSERT_EQ(self, task_self_trap());
	ASSERT_EQ(self, task_self_trap());
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(self, self));
	/* The original reference still holds the name. */
	ASSERT_EQ(KERN_SUCCESS, basic_info(self, &info));
	ASSERT_EQ(FD_CLOEXEC, fcntl(self, F_GETFD) & FD_CLOEXEC);
}

/* task_info's basic flavors, a variant each. */
FIXTURE(info) {
	int unused;
};

FIXTURE_VARIANT(info) {
	task_flavor_t flavor;
};

FIXTURE_VARIANT_ADD(info, task_basic_info_64) { .flavor = TASK_BASIC_INFO_64 };
FIXTURE_VARIANT_ADD(info, mach_task_basic_info) { .flavor = MACH_TASK_BASIC_INFO };
FIXTURE_VARIANT_ADD(info, task_basic_info_32) { .flavor = TASK_BASIC_INFO_32 };

FIXTURE_SETUP(info)
{
}

FIXTURE_TEARDOWN(info)
{
}

TEST_F(info, task_info_agrees_with_statm)
{
	const task_flavor_t flavor = variant->flavor;
	mach_port_t me = mach_task_self();
	unsigned long long size0, rss0, size1, rss1, vsize, rsize;
	unsigned long long page = getpagesize();
	mach_msg_type_number_t count = 64;
	natural_t buf[64];

	ASSERT_EQ(0, read_statm(&size0, &rss0));
	ASSERT_EQ(KERN_SUCCESS, task_info(me, flavor, (task_info_t)buf, &count));
	ASSERT_EQ(0, read_statm(&size1, &rss1));

	if (flavor == TASK_BASIC_INFO_64) {
		task_basic_info_64_data_t *info = (void *)buf;

		ASSERT_EQ(TASK_BASIC_INFO_64_COUNT, count);
		vsize = info->virtual_size;
		rsize = info->resident_size;
		EXPECT_EQ(0, info->suspend_count);
		EXPECT_EQ(POLICY_TIMESHARE, info->policy);
	} else if (flavor == MACH_TASK_BASIC_INFO) {
		mach_task_basic_info_data_t *info = (void *)buf;

		ASSERT_EQ(MACH_TASK_BASIC_INFO_COUNT, count);
		vsize = info->virtual_size;
		rsize = info->resident_size;
		EXPECT_GE(info->resident_size_max, info->resident_size);
		EXPECT_EQ(0, info->suspend_count);
	} else {
		task_basic_info_32_data_t *info = (void *)buf;

		ASSERT_EQ(TASK_BASIC_INFO_32_COUNT, count);
		vsize = info->virtual_size;
		rsize = info->resident_size;
	}
	/* Within a page of what Linux reports around the call. */
	EXPECT_LE(vsize + page, (size0 < size1 ? size1 : size0) + 2 * page);
	EXPECT_GE(vsize + page, (size0 < size1 ? size0 : size1));
	EXPECT_LE(rsize, (rss0 < rss1 ? rss1 : rss0) + page) {
		TH_LOG("flavor %d: resident %llu, statm %llu..%llu",
		       flavor, rsize, rss0, rss1);
	}
	EXPECT_GE(rsize + page, (rss0 < rss1 ? rss0 : rss1));
}

TEST(task_info_sizes_follow_a_new_mapping)
{
	mach_port_t self = mach_task_self();
	task_basic_info_64_data_t before, after;
	size_t len = 64 << 20;
	char *p;

	ASSERT_EQ(KERN_SUCCESS, basic_info(self, &before));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 1, 4 << 20);
	ASSERT_EQ(KERN_SUCCESS, basic_info(self, &after));
	EXPECT_GE(after.virtual_size, before.virtual_size + len);
	EXPECT_GE(after.resident_size, before.resident_size + (4 << 20) - 4096 * 4);
	munmap(p, len);
}

static void *burn(void *arg)
{
	struct timespec start, now;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	while ((now.tv_sec - start.tv_sec) * 1000000000L +
	       (now.tv_nsec - start.tv_nsec) < 100000000L);
	return arg;
}

static unsigned long long usec(time_value_t t)
{
	return t.seconds * 1000000ULL + t.microseconds;
}

/* As on the anchors: basic info times are those of terminated threads. */
TEST(task_info_times)
{
	mach_port_t self = mach_task_self();
	task_basic_info_64_data_t basic;
	task_thread_times_info_data_t live;
	mach_msg_type_number_t count = TASK_THREAD_TIMES_INFO_COUNT;
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, burn, NULL));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	/* join returns before the kernel has reaped the thread: poll. */
	for (int i = 0; i < 100; i++) {
		ASSERT_EQ(KERN_SUCCESS, basic_info(self, &basic));
		if (usec(basic.user_time) + usec(basic.system_time) >= 60000)
			break;
		usleep(10000);
	}
	EXPECT_GE(usec(basic.user_time) + usec(basic.system_time), 60000);

	burn(NULL);
	ASSERT_EQ(KERN_SUCCESS, task_info(self, TASK_THREAD_TIMES_INFO,
					  (task_info_t)&live, &count));
	ASSERT_EQ(TASK_THREAD_TIMES_INFO_COUNT, count);
	EXPECT_GE(usec(live.user_time) + usec(live.system_time), 60000);
	EXPECT_LT(live.user_time.microseconds, 1000000);
}

TEST(task_info_bad_arguments)
{
	mach_port_t self = mach_task_self();
	natural_t buf[64];
	mach_msg_type_number_t count;

	count = TASK_BASIC_INFO_64_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(self, TASK_BASIC_INFO_64, (task_info_t)buf, &count));
	count = 64;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(self, 9999, (task_info_t)buf, &count));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(self, TASK_BASIC_INFO_64, (task_info_t)buf, NULL));
	count = 64;
	EXPECT_EQ(KERN_INVALID_ADDRESS, task_info(self, TASK_BASIC_INFO_64, (task_info_t)8, &count));
	/* Not a right of this task at all. */
	count = 64;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(MACH_PORT_NULL, TASK_BASIC_INFO_64, (task_info_t)buf, &count));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(MACH_PORT_DEAD, TASK_BASIC_INFO_64, (task_info_t)buf, &count));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(1, TASK_BASIC_INFO_64, (task_info_t)buf, &count));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(1 << 20, TASK_BASIC_INFO_64, (task_info_t)buf, &count));
}

/*
 * libmach makes task_self_trap and mach_port_deallocate as traps, their
 * arguments in the ioctl's; the struct calls stay for older programs.
 * Both answer alike.
 */
static long deallocate_by_struct(int fd, mach_port_name_t task, mach_port_name_t name)
{
	struct mach_port_deallocate_args args = { .task = task, .name = name };

	return ioctl(fd, MACH_IOC_PORT_DEALLOCATE, &args);
}

static long deallocate_by_trap(int fd, mach_port_name_t task, mach_port_name_t name)
{
	return ioctl(fd, MACH_IOC_PORT_DEALLOCATE_TRAP, (unsigned long)task << 32 | name);
}

TEST(traps_answer_as_the_struct_calls)
{
	mach_port_t self = mach_task_self(), port;
	struct mach_task_self_args ts = { 0 };
	int fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port));
	/* The same name, one more reference each time. */
	ASSERT_EQ(KERN_SUCCESS, ioctl(fd, MACH_IOC_TASK_SELF, &ts));
	EXPECT_EQ(self, ts.name);
	EXPECT_EQ((long)self, ioctl(fd, MACH_IOC_TASK_SELF_TRAP, 0));

	const struct {
		mach_port_name_t task, name;
		long kr;
	} calls[] = {
		{ self, self, KERN_SUCCESS },
		{ self, self, KERN_SUCCESS },
		{ self, MACH_PORT_NULL, KERN_SUCCESS },
		{ self, MACH_PORT_DEAD, KERN_SUCCESS },
		{ self, 1 << 20, KERN_INVALID_NAME },
		{ MACH_PORT_NULL, self, MACH_SEND_INVALID_DEST },
		{ 1 << 20, self, MACH_SEND_INVALID_DEST },
		{ self, port, KERN_INVALID_RIGHT },	/* a receive right only */
	};
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (calls[i].kr == KERN_SUCCESS && calls[i].name == self)
			ASSERT_EQ(self, task_self_trap());	/* one to give back */
		EXPECT_EQ(calls[i].kr, deallocate_by_trap(fd, calls[i].task, calls[i].name));
		if (calls[i].kr == KERN_SUCCESS && calls[i].name == self)
			ASSERT_EQ(self, task_self_trap());
		EXPECT_EQ(calls[i].kr, deallocate_by_struct(fd, calls[i].task, calls[i].name));
	}
	/* The two the first calls took given back, the first one is left. */
	EXPECT_EQ(KERN_SUCCESS, deallocate_by_trap(fd, self, self));
	EXPECT_EQ(KERN_SUCCESS, deallocate_by_struct(fd, self, self));
	mach_port_urefs_t refs = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(self, self, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);

	/* Another size or direction of the trap's number is no ioctl. */
	EXPECT_EQ(-1, ioctl(fd, _IOW(MACH_IOC_MAGIC, MACH_IOC_NR_TRAP_TASK_SELF, int), &ts));
	EXPECT_EQ(ENOTTY, errno);
	mach_port_destroy(self, port);
	close(fd);
}

TEST(deallocated_name_is_invalid)
{
	mach_port_t self = mach_task_self();
	task_basic_info_64_data_t info;
	mach_port_name_t again;

	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(self, self));
	/* The right was the fd: it is closed now. */
	EXPECT_EQ(-1, fcntl(self, F_GETFD));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, basic_info(self, &info));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_deallocate(self, self));

	/* A new send right names the task again. */
	again = task_self_trap();
	ASSERT_NE(MACH_PORT_NULL, again);
	ASSERT_EQ(KERN_SUCCESS, basic_info(again, &info));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_deallocate(again, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_deallocate(again, 1 << 20));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(again, MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(again, MACH_PORT_DEAD));
}

TEST(fd_closed_or_replaced_behind_mach_is_no_right)
{
	mach_port_t self = mach_task_self();
	task_basic_info_64_data_t info;
	int other;

	ASSERT_EQ(0, close(self));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, basic_info(self, &info));
	/* Reuse the number for an unrelated file: still not a right. */
	other = open("/dev/null", O_RDONLY);
	ASSERT_GE(other, 0);
	ASSERT_EQ((int)self, dup2(other, self));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, basic_info(self, &info));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_deallocate(task_self_trap(), self));
	/* The dup'd number was not closed by Mach. */
	EXPECT_EQ(0, fcntl(self, F_GETFD) & ~FD_CLOEXEC);
}

TEST(dup_of_a_right_is_no_right)
{
	mach_port_t self = mach_task_self();
	task_basic_info_64_data_t info;
	int copy = dup(self);

	ASSERT_GE(copy, 0);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, basic_info(copy, &info));
	EXPECT_EQ(KERN_SUCCESS, basic_info(self, &info));
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(self) {
	struct made made;
};

FIXTURE_SETUP(self)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(self)
{
	made_end(&self->made);
}

TEST_F(self, rights_inherited_by_fork_are_inert)
{
	mach_port_t me = mach_task_self();
	int raw = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	task_basic_info_64_data_t info;
	int status;
	pid_t pid;

	ASSERT_GE(raw, 0);
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct mach_task_info_args args = {
			.task = me, .flavor = TASK_BASIC_INFO_64,
			.count = TASK_BASIC_INFO_64_COUNT,
			.info = (unsigned long)&info,
		};

		/* The parent's name means nothing in the child's space. */
		if (basic_info(me, &info) != MACH_SEND_INVALID_DEST)
			_exit(1);
		/* The parent's /dev/mach channel is refused outright. */
		if (ioctl(raw, MACH_IOC_TASK_INFO, &args) != -1 || errno != EBADF)
			_exit(2);
		/* The child is a task of its own, with a name of its own. */
		if (mach_task_self() == MACH_PORT_NULL || mach_task_self() == me)
			_exit(3);
		if (basic_info(mach_task_self(), &info) != KERN_SUCCESS)
			_exit(4);
		if (mach_port_deallocate(mach_task_self(), me) != KERN_INVALID_NAME)
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* The parent's right is untouched. */
	EXPECT_EQ(KERN_SUCCESS, basic_info(me, &info));
	close(raw);
}

TEST_F(self, rights_passed_by_scm_rights_are_inert)
{
	mach_port_t me = mach_task_self();
	int sv[2], status;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char data, control[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { .iov_base = &data, .iov_len = 1 };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control, .msg_controllen = sizeof(control),
		};
		task_basic_info_64_data_t info;
		int fd;

		close(sv[0]);
		if (recvmsg(sv[1], &msg, 0) != 1)
			_exit(1);
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(fd));
		/* A task-port file, received by a process that is another task. */
		if (basic_info(fd, &info) != MACH_SEND_INVALID_DEST)
			_exit(2);
		if (mach_port_deallocate(mach_task_self(), fd) != KERN_INVALID_NAME)
			_exit(3);
		_exit(0);
	} else {
		char data = 'm', control[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { .iov_base = &data, .iov_len = 1 };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control, .msg_controllen = sizeof(control),
		};
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &me, sizeof(int));
		close(sv[1]);
		ASSERT_EQ(1, sendmsg(sv[0], &msg, 0));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(self, task_survives_exec_without_its_rights)
{
	/* exec keeps the task; the close-on-exec rights are gone. */
	int status;
	pid_t pid = made_fork(&self->made);

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char name[16];

		snprintf(name, sizeof(name), "%u", mach_task_self());
		execl("/proc/self/exe", "task_self", "--check-name-gone", name, NULL);
		_exit(99);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

static const char marker[] = "the old program's page";

/*
 * A right to a task is given out for the program its process runs: after
 * an exec (of a set-uid program, say) it must not reach the new one.
 */
TEST_F(self, task_port_dies_with_the_program_it_was_given_for)
{
	mach_port_t inbox, other;
	mach_port_type_t type;
	int go[2], ready[2], status;
	char buf[sizeof(marker)];
	vm_address_t at = 0;
	pid_t pid;

	inbox = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, inbox);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t me = mach_task_self();	/* sets bootstrap_port */
		char fd[16];

		if (send_port(bootstrap_port, me, MACH_MSG_TYPE_COPY_SEND))
			_exit(1);
		if (read(go[0], fd, 1) != 1)
			_exit(2);
		snprintf(fd, sizeof(fd), "%d", ready[1]);
		execl("/proc/self/exe", "task_self", "--after-exec", fd, NULL);
		_exit(3);
	}
	other = receive_port(inbox);
	ASSERT_NE(MACH_PORT_NULL, other);
	/* Before: the right reaches the program it was given for. */
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(other, (vm_address_t)marker,
						  sizeof(marker), (vm_address_t)buf, NULL));
	EXPECT_STREQ(marker, buf);

	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(1, read(ready[0], buf, 1));	/* the new program runs */

	EXPECT_EQ(MACH_SEND_INVALID_DEST, vm_read_overwrite(other, (vm_address_t)marker,
				sizeof(marker), (vm_address_t)buf, NULL));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, vm_write(other, (vm_address_t)marker,
						   (vm_offset_t)"x", 2));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, vm_allocate(other, &at, 4096, VM_FLAGS_ANYWHERE));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_terminate(other));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), other, &type));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type);

	/* The new program, which took a new task port, exits by itself. */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--after-exec")) {
		/* A new task port for this program; then say so, and wait. */
		task_basic_info_64_data_t info;

		if (basic_info(mach_task_self(), &info) != KERN_SUCCESS)
			return 4;
		if (write(atoi(argv[2]), "r", 1) != 1)
			return 5;
		sleep(1);	/* while the test tries its old right */
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--check-name-gone")) {
		mach_port_t old = strtoul(argv[2], NULL, 10);
		task_basic_info_64_data_t info;

		if (fcntl(old, F_GETFD) != -1)
			return 1;
		if (basic_info(old, &info) != MACH_SEND_INVALID_DEST)
			return 2;
		return basic_info(mach_task_self(), &info) == KERN_SUCCESS ? 0 : 3;
	}
	return test_harness_run(argc, argv);
}
