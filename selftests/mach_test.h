/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the mach selftests. */
#ifndef MACH_TEST_H
#define MACH_TEST_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/self/statm's size and resident fields, in bytes; no allocation. */
static inline int read_statm(unsigned long long *size,
			     unsigned long long *resident)
{
	char buf[256];
	unsigned long long s, r;
	int fd = open("/proc/self/statm", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &s, &r) != 2)
		return -1;
	*size = s * (unsigned long long)getpagesize();
	*resident = r * (unsigned long long)getpagesize();
	return 0;
}

/* A number of /sys/class/misc/mach/<name>, or -1. */
static inline long mach_stat(const char *name)
{
	char path[128], buf[32];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/misc/mach/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

#endif /* MACH_TEST_H */
