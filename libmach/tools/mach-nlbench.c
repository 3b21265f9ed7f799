// SPDX-License-Identifier: GPL-2.0
/*
 * mach-nlbench: `machctl tasks --json` over N tasks (default 1000) against
 * reading /proc/PID/status and listing /proc/PID/fd of the same N
 * processes, the view an operator had without it. Run in the test VM by
 * scripts/bench-machctl; prints the ratio (target: at most 0.5).
 *
 * Both sides are whole operator actions: machctl is run as a process
 * (exec and libnl's family lookup included, its output to /dev/null);
 * the /proc side runs in this process, with no exec at all.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double run_machctl(void)
{
	char *argv[] = { "machctl", "--json", "tasks", NULL };
	posix_spawn_file_actions_t fa;
	double t = now();
	int status;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "machctl", &fa, NULL, argv, environ)) {
		perror("machctl");
		exit(1);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "machctl failed\n");
		exit(1);
	}
	posix_spawn_file_actions_destroy(&fa);
	return now() - t;
}

static double read_proc(const int *pids, int n)
{
	char path[64], buf[4096];
	double t = now();
	long entries = 0;
	int i;

	for (i = 0; i < n; i++) {
		struct dirent *d;
		DIR *dir;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/status", pids[i]);
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
		snprintf(path, sizeof(path), "/proc/%d/fd", pids[i]);
		dir = opendir(path);
		if (dir) {
			while ((d = readdir(dir)))
				entries++;
			closedir(dir);
		}
	}
	if (entries < n)
		fprintf(stderr, "warning: only %ld fd entries\n", entries);
	return now() - t;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, rounds = 7, i;
	double m[7], p[7];
	task_t *tasks;
	int *pids;

	tasks = calloc(n, sizeof(*tasks));
	pids = calloc(n, sizeof(*pids));
	if (!tasks || !pids)
		return 1;
	for (i = 0; i < n; i++) {
		kern_return_t kr = task_create(mach_task_self(), NULL, 0, FALSE, &tasks[i]);

		if (kr != KERN_SUCCESS || pid_for_task(tasks[i], &pids[i]) != KERN_SUCCESS) {
			fprintf(stderr, "task_create %d: %d\n", i, kr);
			return 1;
		}
	}
	for (i = 0; i < rounds; i++) {
		m[i] = run_machctl();
		p[i] = read_proc(pids, n);
	}
	qsort(m, rounds, sizeof(double), cmp);
	qsort(p, rounds, sizeof(double), cmp);
	printf("machctl tasks --json over %d tasks: %.2f ms (median of %d)\n",
	       n, m[rounds / 2] * 1e3, rounds);
	printf("/proc/PID/status + /proc/PID/fd of %d processes: %.2f ms\n",
	       n, p[rounds / 2] * 1e3);
	printf("ratio machctl / proc: %.2fx (target <= 0.5x)\n", m[rounds / 2] / p[rounds / 2]);
	for (i = 0; i < n; i++)
		task_terminate(tasks[i]);
	return 0;
}
