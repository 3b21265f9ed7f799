// SPDX-License-Identifier: GPL-2.0
/*
 * mach-bench: each Mach call against the Linux primitive it stands beside,
 * measured side by side in one run; the figure that matters is the ratio.
 * Run it in the test VM with `make bench` (scripts/bench).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

/* A 64-byte request or reply, and room for one with its trailer. */
struct msg64 {
	mach_msg_header_t header;
	char data[64 - sizeof(mach_msg_header_t)];
};

union msgbuf {
	struct msg64 msg;
	char room[sizeof(struct msg64) + MAX_TRAILER_SIZE];
};

/* Replies to each request and receives the next in one call, until idle. */
static void echo_server(mach_port_t port)
{
	union msgbuf buf;
	mach_msg_option_t option = MACH_RCV_MSG | MACH_RCV_TIMEOUT;

	while (mach_msg(&buf.msg.header, option, sizeof(buf.msg), sizeof(buf), port,
			1000, MACH_PORT_NULL) == KERN_SUCCESS) {
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		buf.msg.header.msgh_local_port = MACH_PORT_NULL;
		buf.msg.header.msgh_size = sizeof(buf.msg);
		option = MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	}
}

/*
 * Round trips of a 64-byte message between two processes: the client, a
 * child that finds the server through its inherited bootstrap port, sends
 * and receives the reply in one call; this process serves.
 */
static double mach_round_trip(long n)
{
	mach_port_t self = mach_task_self(), server;
	double t = 0;
	int out[2];

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &server);
	mach_port_insert_right(self, server, server, MACH_MSG_TYPE_MAKE_SEND);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, server);
	check(pipe(out) == 0, "pipe");
	pid_t client = fork();
	if (client == 0) {
		mach_port_t back;
		union msgbuf buf;

		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &back);
		t = MEASURE(n, {
			buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
								  MACH_MSG_TYPE_MAKE_SEND_ONCE);
			buf.msg.header.msgh_size = sizeof(buf.msg);
			buf.msg.header.msgh_remote_port = bootstrap_port;
			buf.msg.header.msgh_local_port = back;
			check(mach_msg(&buf.msg.header, MACH_SEND_MSG | MACH_RCV_MSG,
				       sizeof(buf.msg), sizeof(buf), back, 0,
				       MACH_PORT_NULL) == KERN_SUCCESS, "mach_msg");
		});
		if (failures)
			t = 0;
		_exit(write(out[1], &t, sizeof(t)) == sizeof(t) ? 0 : 1);
	}
	close(out[1]);
	echo_server(server);
	check(read(out[0], &t, sizeof(t)) == sizeof(t) && t > 0, "client");
	close(out[0]);
	waitpid(client, NULL, 0);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	mach_port_destroy(self, server);
	return t;
}

/* 64-byte ping-pong over two pipes, or over a unix socket pair. */
static double linux_round_trip(long n, int use_socket)
{
	int to[2], from[2];
	char buf[64] = { 0 };
	double t;

	if (use_socket) {
		check(socketpair(AF_UNIX, SOCK_STREAM, 0, to) == 0, "socketpair");
		from[0] = to[1];
		from[1] = to[0];
	} else {
		check(pipe(to) == 0 && pipe(from) == 0, "pipe");
	}
	pid_t pid = fork();
	if (pid == 0) {
		while (read(to[0], buf, 64) == 64 && write(from[1], buf, 64) == 64)
			;
		_exit(0);
	}
	t = MEASURE(n, check(write(to[1], buf, 64) == 64 &&
			     read(from[0], buf, 64) == 64, "ping-pong"));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(to[0]);
	close(to[1]);
	if (!use_socket) {
		close(from[0]);
		close(from[1]);
	}
	return t;
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

	m = mach_round_trip(n / 4);
	l = linux_round_trip(n / 4, 0);
	report("mach_msg 64B round trip (send+rcv)", m, "pipe ping-pong 64B", l);
	l = linux_round_trip(n / 4, 1);
	report("mach_msg 64B round trip (send+rcv)", m, "unix socket ping-pong 64B", l);
	return failures ? 1 : 0;
}
