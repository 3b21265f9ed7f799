// SPDX-License-Identifier: GPL-2.0
/*
 * Holds the kernel's perf_sched_events static key on for the test VM's
 * whole life: in check mode, PID 1 (scripts/vm-init) execs this first
 * thing, and it opens one event and execs init again, the event still
 * open and never closed.
 *
 * Every per-task perf event counts towards that key (the sample ports'
 * kernel counters among them), and when the last one goes the kernel
 * turns the key off a second later, patching __schedule's text with a
 * transient int3 while the other vCPU runs; turning it on patches the
 * same way.  QEMU's TCG occasionally lets a vCPU execute that int3 after
 * the patch is done: "Oops: int3" in __schedule, seen on 6.12 with no
 * module loaded.  Held by PID 1, which no test's kill reaches, the key is
 * switched on once, at boot, before anything else runs, and never again.
 */
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The event's fd from here on: none of init's redirections reach it. */
#define PIN_FD 50

int main(int argc, char **argv)
{
	struct perf_event_attr attr;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: perf-pin PROGRAM [ARG...]\n");
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_DUMMY;
	/*
	 * pid 0, any CPU: a per-task event, which is what counts. Kept
	 * across the exec: no PERF_FLAG_FD_CLOEXEC. The kernel starts init
	 * with no fd open, and init then takes the console as 0, 1 and 2:
	 * the event moves out of their way, above the fds init uses.
	 */
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0)
		perror("perf-pin: perf_event_open (going on without it)");
	else if (fd < PIN_FD && fcntl(fd, F_DUPFD, PIN_FD) >= 0)
		close(fd);
	execv(argv[1], argv + 1);
	perror("perf-pin: exec");
	return 127;
}
