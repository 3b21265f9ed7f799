// SPDX-License-Identifier: GPL-2.0
/*
 * The raw ioctl ABI of /dev/mach: unknown numbers, wrong sizes, flags,
 * padding and addresses get errno errors, and random requests never hurt
 * the kernel (the VM runner fails the run on any kernel splat): random
 * numbers, and for every ioctl of uapi/mach/ioctl.h its own size and
 * direction, smaller and larger sizes, other directions and random
 * arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "kselftest_harness.h"
#include "mach_test.h"

FIXTURE(dev) {
	int fd;
	mach_port_t self;
};

FIXTURE_SETUP(dev)
{
	struct mach_task_self_args args = { 0 };

	self->fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0) TH_LOG("is mach.ko loaded? %s", strerror(errno));
	ASSERT_EQ(KERN_SUCCESS, ioctl(self->fd, MACH_IOC_TASK_SELF, &args));
	self->self = args.name;
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, version_reports_abi_and_features)
{
	struct mach_version_args v;

	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, ioctl(self->fd, MACH_IOC_VERSION, &v));
	EXPECT_EQ(MACH_ABI_VERSION, v.abi_version);
	EXPECT_TRUE(v.features & MACH_FEATURE_TASK_SELF);
	EXPECT_TRUE(v.features & MACH_FEATURE_TASK_INFO);
	EXPECT_EQ(0, v.reserved[0]);
	EXPECT_EQ(0, v.reserved[1]);
}

TEST_F(dev, unknown_numbers_are_enotty)
{
	char buf[256] = { 0 };

	EXPECT_EQ(-1, ioctl(self->fd, _IO(MACH_IOC_MAGIC, 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_COUNT, char[16]), buf));
	EXPECT_EQ(ENOTTY, errno);
	/* Another driver's magic with our numbers. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR('M', MACH_IOC_NR_TASK_INFO, struct mach_task_info_args), buf));
	EXPECT_EQ(ENOTTY, errno);
	/* Ours, but with a size or direction that is not the struct's. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_INFO, char[8]), buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_INFO, char[200]), buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(MACH_IOC_MAGIC, MACH_IOC_NR_TASK_INFO, struct mach_task_info_args), buf));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(dev, flags_and_padding_must_be_zero)
{
	natural_t info[TASK_BASIC_INFO_64_COUNT];
	struct mach_task_info_args ti = {
		.task = self->self, .flavor = TASK_BASIC_INFO_64,
		.count = TASK_BASIC_INFO_64_COUNT, .info = (uintptr_t)info,
	};
	struct mach_task_self_args ts = { .flags = 1 };
	struct mach_port_deallocate_args pd = { .task = self->self, .name = self->self };

	ASSERT_EQ(KERN_SUCCESS, ioctl(self->fd, MACH_IOC_TASK_INFO, &ti));
	ti.flags = 0x80000000;
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_TASK_INFO, &ti));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_TASK_SELF, &ts));
	EXPECT_EQ(EINVAL, errno);

	pd.pad = 1;
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_PORT_DEALLOCATE, &pd));
	EXPECT_EQ(EINVAL, errno);
	pd.pad = 0;
	pd.flags = 2;
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_PORT_DEALLOCATE, &pd));
	EXPECT_EQ(EINVAL, errno);
	/* None of the refused requests dropped the right. */
	ti.flags = 0;
	EXPECT_EQ(KERN_SUCCESS, ioctl(self->fd, MACH_IOC_TASK_INFO, &ti));
}

TEST_F(dev, bad_addresses_are_efault)
{
	struct mach_task_info_args ti = {
		.task = self->self, .flavor = TASK_BASIC_INFO_64,
		.count = TASK_BASIC_INFO_64_COUNT,
	};
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_TASK_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_TASK_INFO, (void *)-4096L));
	EXPECT_EQ(EFAULT, errno);
	/* The info buffer: kernel addresses, read-only memory. */
	ti.info = 0xffffffff81000000ULL;
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_TASK_INFO, &ti));
	EXPECT_EQ(EFAULT, errno);
	ti.info = (uintptr_t)ro;
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_TASK_INFO, &ti));
	EXPECT_EQ(EFAULT, errno);
	/* Where the reply cannot be written back. */
	EXPECT_EQ(-1, ioctl(self->fd, MACH_IOC_VERSION, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, 4096);
}

TEST_F(dev, random_requests_are_answered)
{
	static const unsigned int sizes[] = { 8, 16, 24, 32, 64 };
	uint64_t seed = 0x6d616368ULL, buf[16];
	unsigned int i;

	for (i = 0; i < 20000; i++) {
		unsigned int nr = test_next(&seed) % (MACH_IOC_NR_COUNT + 2);
		unsigned int size = sizes[test_next(&seed) % 5];
		unsigned int dir = test_next(&seed) % 4;
		long ret;

		for (unsigned int w = 0; w < 16; w++)
			buf[w] = test_next(&seed) % 4 ? test_next(&seed) % 64 : test_next(&seed);
		ret = ioctl(self->fd, _IOC(dir, MACH_IOC_MAGIC, nr, size), buf);
		ASSERT_TRUE(ret >= 0 || errno == ENOTTY || errno == EINVAL ||
			    errno == EFAULT) {
			TH_LOG("ioctl nr %u size %u dir %u: %ld errno %d",
			       nr, size, dir, ret, errno);
		}
	}
}

/*
 * Every ioctl of uapi/mach/ioctl.h, a variant each: random requests with
 * its number in every size class, with random arguments. A request with
 * the ioctl's own size and direction must reach it (anything but ENOTTY:
 * a Mach answer, or an errno of abi.h's list); any other size or
 * direction must be refused with ENOTTY and nothing else.
 *
 * Random arguments may make the caller hurt itself through Mach (suspend
 * or terminate its own task, unmap its own memory, become its own agent):
 * that is Mach's answer, not the module's fault. So the requests run in
 * a child process, which a parent restarts after the request that killed
 * or stopped it, and the errno check happens in the child.
 */
#define RANDOM_REQUESTS	1200
#define RANDOM_STUCK_MS	7000	/* AGENT_WAIT waits 5 s for an agent */
#define ARG_BYTES	(_IOC_SIZEMASK + 1)

enum size_class { SAME, SMALLER, LARGER, OTHER_DIR, ANY_SIZE, CLASSES };

/* What the child and its parent share. */
struct random_run {
	volatile unsigned int next;	/* the request being made */
	unsigned int made[CLASSES];	/* requests made, by size class */
	unsigned int answered;		/* own-size requests with a Mach answer */
	unsigned int failed;		/* 1: the child found a wrong answer */
	unsigned int bad_cmd, bad_errno;
	long bad_ret;
};

FIXTURE(random_ioctl) {
	struct random_run *run;
	pid_t child;
};

FIXTURE_VARIANT(random_ioctl) {
	unsigned int cmd;
	/* errnos this ioctl may answer besides ENOTTY/EINVAL/EFAULT/ENOMEM */
	int also[3];
	/* at most this many own-size requests (0: no limit) */
	unsigned int same_max;
};

FIXTURE_VARIANT_ADD(random_ioctl, version) { .cmd = MACH_IOC_VERSION };
FIXTURE_VARIANT_ADD(random_ioctl, task_self) { .cmd = MACH_IOC_TASK_SELF };
FIXTURE_VARIANT_ADD(random_ioctl, task_info) { .cmd = MACH_IOC_TASK_INFO };
FIXTURE_VARIANT_ADD(random_ioctl, port_deallocate) { .cmd = MACH_IOC_PORT_DEALLOCATE };
FIXTURE_VARIANT_ADD(random_ioctl, port) { .cmd = MACH_IOC_PORT };
FIXTURE_VARIANT_ADD(random_ioctl, msg) { .cmd = MACH_IOC_MSG };
FIXTURE_VARIANT_ADD(random_ioctl, special_port) { .cmd = MACH_IOC_SPECIAL_PORT };
FIXTURE_VARIANT_ADD(random_ioctl, task_ports) { .cmd = MACH_IOC_TASK_PORTS };
FIXTURE_VARIANT_ADD(random_ioctl, exception_ports) { .cmd = MACH_IOC_EXCEPTION_PORTS };
FIXTURE_VARIANT_ADD(random_ioctl, task_create) { .cmd = MACH_IOC_TASK_CREATE };
FIXTURE_VARIANT_ADD(random_ioctl, task_control) { .cmd = MACH_IOC_TASK_CONTROL };
FIXTURE_VARIANT_ADD(random_ioctl, vm) { .cmd = MACH_IOC_VM };
FIXTURE_VARIANT_ADD(random_ioctl, thread) { .cmd = MACH_IOC_THREAD };
FIXTURE_VARIANT_ADD(random_ioctl, host) { .cmd = MACH_IOC_HOST };
FIXTURE_VARIANT_ADD(random_ioctl, task_create_token) { .cmd = MACH_IOC_TASK_CREATE_TOKEN };
FIXTURE_VARIANT_ADD(random_ioctl, semaphore) { .cmd = MACH_IOC_SEMAPHORE };
/* The argument is a name; none the child holds is a semaphore. */
FIXTURE_VARIANT_ADD(random_ioctl, semaphore_signal) { .cmd = MACH_IOC_SEMAPHORE_SIGNAL };
FIXTURE_VARIANT_ADD(random_ioctl, semaphore_wait) { .cmd = MACH_IOC_SEMAPHORE_WAIT };
FIXTURE_VARIANT_ADD(random_ioctl, task_self_trap) { .cmd = MACH_IOC_TASK_SELF_TRAP };
FIXTURE_VARIANT_ADD(random_ioctl, port_deallocate_trap) {
	.cmd = MACH_IOC_PORT_DEALLOCATE_TRAP,
};
/* The argument is the agent's /dev/mach fd, not a struct. */
FIXTURE_VARIANT_ADD(random_ioctl, agent) {
	.cmd = MACH_IOC_AGENT, .also = { EBADF, EBUSY },
};
/* No argument; with no agent starting, each call waits 5 s: two do. */
FIXTURE_VARIANT_ADD(random_ioctl, agent_wait) {
	.cmd = MACH_IOC_AGENT_WAIT, .also = { ESRCH, EBADF }, .same_max = 2,
};

FIXTURE_SETUP(random_ioctl)
{
	self->run = mmap(NULL, sizeof(*self->run), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->run);
	self->child = 0;
}

FIXTURE_TEARDOWN(random_ioctl)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	munmap(self->run, sizeof(*self->run));
}

/* A random 32-bit field: zero, a small number (a name, an op), or noise. */
static uint32_t field(uint64_t *s)
{
	switch (test_next(s) % 3) {
	case 0:
		return 0;
	case 1:
		return test_next(s) % 32;
	default:
		return test_next(s);
	}
}

/* The command of request i, and the size class it is in. */
static unsigned int random_cmd(unsigned int cmd, unsigned int i, uint64_t *s,
			       const FIXTURE_VARIANT(random_ioctl) *variant,
			       unsigned int same_made, enum size_class *class)
{
	unsigned int size = _IOC_SIZE(cmd), dir = _IOC_DIR(cmd), nr = _IOC_NR(cmd);

	*class = (enum size_class)(i % 7 < 3 ? SAME : i % 7 - 2);
	if (*class == SAME && variant->same_max && same_made >= variant->same_max)
		*class = LARGER;
	if (*class == SMALLER && size == 0)
		*class = ANY_SIZE;
	switch (*class) {
	case SAME:
		return cmd;
	case SMALLER:
		return _IOC(dir, MACH_IOC_MAGIC, nr, test_next(s) % size);
	case LARGER:
		size = test_next(s) % 8 ? size + 1 + test_next(s) % 64 : _IOC_SIZEMASK;
		return _IOC(dir, MACH_IOC_MAGIC, nr, size);
	case OTHER_DIR:
		return _IOC((dir + 1 + test_next(s) % 3) & 3, MACH_IOC_MAGIC, nr, size);
	default:
		do {
			dir = test_next(s) % 4;
			size = test_next(s) % 4 ? test_next(s) % 128 : test_next(s) & _IOC_SIZEMASK;
		} while (_IOC(dir, MACH_IOC_MAGIC, nr, size) == cmd);
		return _IOC(dir, MACH_IOC_MAGIC, nr, size);
	}
}

/* Becoming the agent never returns: MACH_IOC_AGENT runs in a thread. */
struct agent_call {
	int fd;
	unsigned long arg;
	long ret;
	int err;
};

static void *agent_call(void *p)
{
	struct agent_call *call = p;

	call->ret = ioctl(call->fd, MACH_IOC_AGENT, call->arg);
	call->err = errno;
	return NULL;
}

/* The child: requests from run->next on, each checked; exits 0 or 1. */
static void __attribute__((noreturn))
random_child(const FIXTURE_VARIANT(random_ioctl) *variant, struct random_run *run)
{
	static uint64_t arg[ARG_BYTES / 8], scratch[512];
	struct mach_task_self_args ts = { 0 };
	int fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, MACH_IOC_TASK_SELF, &ts) != KERN_SUCCESS)
		_exit(2);
	for (unsigned int i = run->next; i < RANDOM_REQUESTS; run->next = ++i) {
		uint64_t s = test_mix(((uint64_t)variant->cmd << 32) | i);
		enum size_class class;
		unsigned int cmd = random_cmd(variant->cmd, i, &s, variant,
					       run->made[SAME], &class);
		unsigned long p = (unsigned long)arg;
		uint32_t *w = (uint32_t *)arg;
		int err, ok;
		long ret;

		/* Fields, with a few real buffer addresses among them. */
		for (unsigned int k = 0; k < 32; k++)
			w[k] = field(&s);
		for (unsigned int k = 0; k < 8; k++)
			if (test_next(&s) % 8 == 0)
				arg[k] = (uintptr_t)scratch + test_next(&s) % 2048;
		for (unsigned int k = 0; k < sizeof(scratch) / 8; k++)
			scratch[k] = test_next(&s) % 2 ? field(&s) : test_next(&s);
		if (test_next(&s) % 16 == 0)
			p = test_next(&s) % 2 ? 0 : test_next(&s);
		if (_IOC_SIZE(variant->cmd) == 0)	/* an integer argument */
			p = test_next(&s) % 2 ? test_next(&s) % 32 : test_next(&s);
		run->made[class]++;

		if (cmd == MACH_IOC_AGENT) {
			struct agent_call call = { .fd = fd, .arg = p };
			struct timespec until;
			pthread_t thread;

			if (pthread_create(&thread, NULL, agent_call, &call))
				_exit(2);
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			if (pthread_timedjoin_np(thread, NULL, &until)) {
				/* It is the agent now: later calls are EBUSY. */
				pthread_detach(thread);
				run->answered++;
				continue;
			}
			ret = call.ret;
			err = call.err;
		} else {
			ret = ioctl(fd, cmd, p);
			err = errno;
		}

		/* MACH_IOC_MSG's number, longer: mach_msg_overwrite's own. */
		if (class != SAME && cmd != MACH_IOC_MSG_OVERWRITE) {
			ok = ret == -1 && err == ENOTTY;
		} else {
			ok = ret >= 0 || err == EINVAL || err == EFAULT ||
			     err == ENOMEM;
			for (unsigned int k = 0; k < 3; k++)
				ok |= ret == -1 && variant->also[k] && err == variant->also[k];
			run->answered += ok;
		}
		if (!ok) {
			run->bad_cmd = cmd;
			run->bad_ret = ret;
			run->bad_errno = err;
			run->failed = 1;
			_exit(1);
		}
	}
	_exit(0);
}

TEST_F_TIMEOUT(random_ioctl, requests_reach_every_ioctl, 120)
{
	unsigned int restarts = 0, stuck = 0;
	struct mach_version_args v = { 0 };
	int status, fd;

	while (self->run->next < RANDOM_REQUESTS) {
		unsigned int at = self->run->next, waited = 0;

		self->child = fork();
		ASSERT_LE(0, self->child);
		if (self->child == 0)
			random_child(variant, self->run);
		/* Until it ends, or is stuck at one request for too long. */
		while (waitpid(self->child, &status, WNOHANG) == 0) {
			if (self->run->next != at) {
				at = self->run->next;
				waited = 0;
			} else if ((waited += 10) >= RANDOM_STUCK_MS) {
				kill(self->child, SIGKILL);
				waitpid(self->child, &status, 0);
				stuck++;
				break;
			}
			usleep(10000);
		}
		self->child = 0;
		ASSERT_FALSE(self->run->failed) {
			TH_LOG("request %u: ioctl 0x%x (nr 0x%x size %u dir %u): %ld errno %d",
			       self->run->next, self->run->bad_cmd,
			       _IOC_NR(self->run->bad_cmd), _IOC_SIZE(self->run->bad_cmd),
			       _IOC_DIR(self->run->bad_cmd), self->run->bad_ret,
			       self->run->bad_errno);
		}
		ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 2)
			TH_LOG("the child could not open %s", MACH_DEVICE_PATH);
		if (self->run->next >= RANDOM_REQUESTS)
			break;
		/* It died of, or stopped at, its own request: on after it. */
		self->run->next++;
		restarts++;
	}
	/* Every size class was tried, and most own-size requests answered. */
	for (unsigned int c = 0; c < CLASSES; c++) {
		if ((c == SAME && variant->same_max) ||
		    (c == SMALLER && _IOC_SIZE(variant->cmd) == 0))
			continue;
		EXPECT_LT(20, self->run->made[c]) {
			TH_LOG("size class %u", c);
		}
	}
	if (variant->same_max) {
		EXPECT_LE(1, self->run->answered);
	} else {
		EXPECT_LT(RANDOM_REQUESTS / 4, self->run->answered);
	}
	TH_LOG("%u requests, %u answered with the ioctl's own size; %u restarts, %u stuck",
	       RANDOM_REQUESTS, self->run->answered, restarts, stuck);
	/* The module still answers. */
	fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ioctl(fd, MACH_IOC_VERSION, &v));
	EXPECT_EQ(MACH_ABI_VERSION, v.abi_version);
	close(fd);
}

TEST_HARNESS_MAIN
