// SPDX-License-Identifier: GPL-2.0
/*
 * Holds the kernel's perf_sched_events static key on for as long as it
 * runs, for the test VM's init (scripts/vm-init).
 *
 * Every per-task perf event counts towards that key (the sample ports' kernel
 * counters among them), and when the last one goes the kernel turns the key
 * off a second later, patching __schedule's text with a transient int3 while
 * the other vCPU runs.  QEMU's TCG occasionally lets a vCPU execute that int3
 * after the patch is done: "Oops: int3" in __schedule, seen on 6.12 with no
 * module loaded, by opening and closing one such event a second while
 * processes fork and exit.  One event of our own, held open, keeps the count
 * above zero, so the key is switched on once and never patched again.
 */
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_DUMMY;
	/* pid 0, any CPU: a per-task event, which is what counts. */
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		perror("vm-perf-pin: perf_event_open");
		return 1;
	}
	for (;;)
		pause();
}
