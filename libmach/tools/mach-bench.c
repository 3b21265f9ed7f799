// SPDX-License-Identifier: GPL-2.0
/*
 * mach-bench: each Mach call against the Linux primitive it stands beside,
 * measured side by side in one run; the figure that matters is the ratio.
 * Run it in the test VM with `make bench` (scripts/bench).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Best of five rounds of n iterations, in ns per iteration. */
#define MEASURE(n, body) ({						\
	double best = 1e30;						\
	for (int round = 0; round < 5; round++) {			\
		double t0 = now_ns();					\
		for (long i = 0; i < (n); i++) {			\
			body;						\
		}							\
		double t = (now_ns() - t0) / (n);			\
		if (t < best)						\
			best = t;					\
	}								\
	best;								\
})

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "mach-bench: %s failed\n", what);
		failures++;
	}
}

static void report(const char *mach, double mach_ns, const char *linux_name,
		   double linux_ns)
{
	printf("%-34s %9.0f ns   %-30s %9.0f ns   ratio %5.2f\n",
	       mach, mach_ns, linux_name, linux_ns, mach_ns / linux_ns);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	mach_port_t self = mach_task_self();
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count;
	struct rusage ru;
	char buf[128];
	int statm, null;
	double m, l;

	if (self == MACH_PORT_NULL) {
		fprintf(stderr, "mach-bench: no /dev/mach\n");
		return 1;
	}
	printf("mach-bench: %ld iterations, best of 5 rounds\n", n);

	m = MEASURE(n, {
		count = MACH_TASK_BASIC_INFO_COUNT;
		check(task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info,
				&count) == KERN_SUCCESS, "task_info");
	});
	l = MEASURE(n, check(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage"));
	report("task_info(MACH_TASK_BASIC_INFO)", m, "getrusage(RUSAGE_SELF)", l);

	statm = open("/proc/self/statm", O_RDONLY);
	l = MEASURE(n, check(pread(statm, buf, sizeof(buf), 0) > 0, "pread"));
	report("task_info(MACH_TASK_BASIC_INFO)", m, "pread(/proc/self/statm)", l);
	close(statm);

	/* One more send right, coalesced, and back: two calls each side. */
	null = open("/dev/null", O_RDONLY);
	m = MEASURE(n, {
		check(task_self_trap() == self, "task_self_trap");
		check(mach_port_deallocate(self, self) == KERN_SUCCESS,
		      "mach_port_deallocate");
	});
	l = MEASURE(n, check(close(dup(null)) == 0, "dup+close"));
	report("task_self_trap+mach_port_deallocate", m, "dup+close", l);

	/* A process that becomes a task, against one that does not. */
	m = MEASURE(n / 100 + 1, {
		pid_t pid = fork();
		if (pid == 0)
			_exit(mach_task_self() == MACH_PORT_NULL);
		int status;
		waitpid(pid, &status, 0);
		check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child task");
	});
	l = MEASURE(n / 100 + 1, {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	});
	report("fork+mach_task_self+exit", m, "fork+exit", l);
	close(null);
	return failures ? 1 : 0;
}
