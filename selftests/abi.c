// SPDX-License-Identifier: GPL-2.0
/*
 * The raw ioctl ABI of /dev/mach: unknown numbers, wrong sizes, flags,
 * padding and addresses get errno errors, and random requests never hurt
 * the kernel (the VM runner fails the run on any kernel splat).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "kselftest_harness.h"

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

/* xorshift64*: reproducible noise without libc's rand state. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

TEST_F(dev, random_requests_are_answered)
{
	static const unsigned int sizes[] = { 8, 16, 24, 32, 64 };
	uint64_t seed = 0x6d616368ULL, buf[16];
	unsigned int i;

	for (i = 0; i < 20000; i++) {
		unsigned int nr = next(&seed) % (MACH_IOC_NR_COUNT + 2);
		unsigned int size = sizes[next(&seed) % 5];
		unsigned int dir = next(&seed) % 4;
		long ret;

		for (unsigned int w = 0; w < 16; w++)
			buf[w] = next(&seed) % 4 ? next(&seed) % 64 : next(&seed);
		ret = ioctl(self->fd, _IOC(dir, MACH_IOC_MAGIC, nr, size), buf);
		ASSERT_TRUE(ret >= 0 || errno == ENOTTY || errno == EINVAL ||
			    errno == EFAULT) {
			TH_LOG("ioctl nr %u size %u dir %u: %ld errno %d",
			       nr, size, dir, ret, errno);
		}
	}
}

TEST_HARNESS_MAIN
