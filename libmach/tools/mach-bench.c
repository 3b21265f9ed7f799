// SPDX-License-Identifier: GPL-2.0
/*
 * mach-bench: each Mach call against the Linux primitive it stands beside,
 * measured side by side in one run; the figure that matters is the ratio.
 * Run it in the test VM with `make bench` (scripts/bench).
 */
#define _GNU_SOURCE	/* sched_setaffinity */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/futex.h>
#include <sys/ioctl.h>
#include <mach/ioctl.h>

#include <mach/mach.h>
#include <mach/mach_norma.h>
#include <mach/semaphore.h>
#include <mach/mach_time.h>
#include <mach/mach_vm.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* n iterations of body, in ns per iteration. */
#define ROUND(n, body) ({						\
	double t0 = now_ns();						\
	for (long i = 0; i < (n); i++) {				\
		body;							\
	}								\
	(now_ns() - t0) / (n);						\
})

/* Rounds of n iterations of one kind, in ns per iteration. */
typedef double (*round_fn)(long n);

/*
 * The best of five rounds of each kind, in ns per iteration; the kinds
 * take turns round by round, so that a slow spell of the emulator falls
 * on all of them alike, not on whichever went first.
 */
static void best_rounds(long n, const round_fn *kinds, int count, double *best)
{
	for (int k = 0; k < count; k++)
		best[k] = 1e30;
	for (int round = 0; round < 5; round++) {
		for (int k = 0; k < count; k++) {
			double t = kinds[k](n);

			if (t < best[k])
				best[k] = t;
		}
	}
}

static int failures;
static mach_port_t reply_port;

/* Where a benchmark thread starts in a child: it spins until ended. */
static void __attribute__((noinline, noreturn)) pthread_exit_stub(void)
{
	for (;;)
		__asm__ volatile("pause");
}

/* /proc/self/statm's size and resident fields, in bytes. */
static int read_rss(unsigned long long *size, unsigned long long *resident)
{
	unsigned long long s, r;
	FILE *f = fopen("/proc/self/statm", "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%llu %llu", &s, &r) == 2;
	fclose(f);
	if (!ok)
		return -1;
	*size = s * 4096;
	*resident = r * 4096;
	return 0;
}

/* Bytes in use in every slab cache (active objects times object size). */
static long kernel_bytes(void)
{
	char line[512];
	long total = 0;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		long active, objects, size;

		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &objects, &size) == 4)
			total += active * size;
	}
	fclose(f);
	return total;
}

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
/* The id of the message a client sends when it is done: no reply. */
#define BENCH_QUIT 0x7fff0001

static void send_quit(void)
{
	mach_msg_header_t quit = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(quit),
		.msgh_remote_port = bootstrap_port,
		.msgh_id = BENCH_QUIT,
	};

	mach_msg(&quit, MACH_SEND_MSG, sizeof(quit), 0, MACH_PORT_NULL, 0,
		 MACH_PORT_NULL);
}

/*
 * Replies to each request and receives the next in one call, until the
 * client says it is done. It blocks as a pipe's reader does: no timeout.
 */
static void echo_server(mach_port_t port)
{
	union msgbuf buf;
	mach_msg_option_t option = MACH_RCV_MSG;

	while (mach_msg(&buf.msg.header, option, sizeof(buf.msg), sizeof(buf), port,
			0, MACH_PORT_NULL) == KERN_SUCCESS &&
	       buf.msg.header.msgh_id != BENCH_QUIT) {
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		buf.msg.header.msgh_local_port = MACH_PORT_NULL;
		buf.msg.header.msgh_size = sizeof(buf.msg);
		option = MACH_SEND_MSG | MACH_RCV_MSG;
	}
}

/*
 * A client child that finds the server through its inherited bootstrap
 * port and fills t[0..count) (client's timings, ns per round trip), while
 * this process serves it until it says it is done.
 */
static void served(long n, void (*client)(long n, double *t),
		   void (*server)(mach_port_t port), double *t, int count)
{
	mach_port_t self = mach_task_self(), port;
	int out[2];

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, port);
	check(pipe(out) == 0, "pipe");
	pid_t child = fork();
	if (child == 0) {
		ssize_t size = count * sizeof(*t);

		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply_port);
		client(n, t);
		send_quit();
		if (failures)
			t[0] = 0;
		_exit(write(out[1], t, size) == size ? 0 : 1);
	}
	close(out[1]);
	server(port);
	check(read(out[0], t, count * sizeof(*t)) == (ssize_t)(count * sizeof(*t)) &&
	      t[0] > 0, "client");
	close(out[0]);
	waitpid(child, NULL, 0);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	mach_port_destroy(self, port);
}

/* Round trips of a 64-byte message: send and receive the reply in one call. */
static double mach_round(long n)
{
	union msgbuf buf;

	return ROUND(n, {
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		buf.msg.header.msgh_size = sizeof(buf.msg);
		buf.msg.header.msgh_remote_port = bootstrap_port;
		buf.msg.header.msgh_local_port = reply_port;
		buf.msg.header.msgh_id = 0;
		check(mach_msg(&buf.msg.header, MACH_SEND_MSG | MACH_RCV_MSG,
			       sizeof(buf.msg), sizeof(buf), reply_port, 0,
			       MACH_PORT_NULL) == KERN_SUCCESS, "mach_msg");
	});
}

/* A process echoing 64-byte messages over two pipes or a unix socket pair. */
struct echo {
	pid_t pid;
	int to[2], from[2];
};

static void start_echo(struct echo *e, int use_socket)
{
	char buf[64];

	if (use_socket) {
		check(socketpair(AF_UNIX, SOCK_STREAM, 0, e->to) == 0, "socketpair");
		e->from[0] = e->to[1];
		e->from[1] = e->to[0];
	} else {
		check(pipe(e->to) == 0 && pipe(e->from) == 0, "pipe");
	}
	e->pid = fork();
	if (e->pid == 0) {
		while (read(e->to[0], buf, 64) == 64 && write(e->from[1], buf, 64) == 64)
			;
		_exit(0);
	}
}

static void stop_echo(struct echo *e)
{
	kill(e->pid, SIGKILL);
	waitpid(e->pid, NULL, 0);
	close(e->to[0]);
	close(e->to[1]);
	if (e->from[0] != e->to[1]) {
		close(e->from[0]);
		close(e->from[1]);
	}
}

static struct echo pipe_echo, socket_echo;

static double echo_round(struct echo *e, long n)
{
	char buf[64] = { 0 };

	return ROUND(n, check(write(e->to[1], buf, 64) == 64 &&
			      read(e->from[0], buf, 64) == 64, "ping-pong"));
}

static double pipe_round(long n)
{
	return echo_round(&pipe_echo, n);
}

static double socket_round(long n)
{
	return echo_round(&socket_echo, n);
}

/* Mach round trips (t[0]) in turn with pipe (t[1]) and socket (t[2]) ones. */
static void round_trip_client(long n, double *t)
{
	static const round_fn kinds[] = { mach_round, pipe_round, socket_round };

	start_echo(&pipe_echo, 0);
	start_echo(&socket_echo, 1);
	best_rounds(n, kinds, 3, t);
	stop_echo(&pipe_echo);
	stop_echo(&socket_echo);
}

/*
 * The floor of a round trip through the module between two processes on
 * one CPU: the same two switches, and on each side one call that wakes the
 * other and sleeps, with no message (semaphore_wait_signal). A partner
 * process finds the two semaphores among its inherited registered ports.
 */
static struct {
	pid_t pid;
	semaphore_t ping, pong;
} sema_echo;

static void start_sema_echo(void)
{
	mach_port_t self = mach_task_self(), both[2], *got;
	mach_msg_type_number_t count;

	check(semaphore_create(self, &sema_echo.ping, SYNC_POLICY_FIFO, 0) == KERN_SUCCESS &&
	      semaphore_create(self, &sema_echo.pong, SYNC_POLICY_FIFO, 0) == KERN_SUCCESS,
	      "semaphore_create");
	both[0] = sema_echo.ping;
	both[1] = sema_echo.pong;
	check(mach_ports_register(self, both, 2) == KERN_SUCCESS, "mach_ports_register");
	sema_echo.pid = fork();
	if (sema_echo.pid == 0) {
		if (mach_ports_lookup(mach_task_self(), &got, &count) != KERN_SUCCESS ||
		    count < 2 || semaphore_wait(got[0]) != KERN_SUCCESS)
			_exit(1);
		/* Passes the turn back and waits for the next, until killed. */
		while (semaphore_wait_signal(got[0], got[1]) == KERN_SUCCESS)
			;
		_exit(0);
	}
	/* Registered until it ends: it takes them at its first Mach call. */
	check(sema_echo.pid > 0, "fork");
}

static void stop_sema_echo(void)
{
	kill(sema_echo.pid, SIGKILL);
	waitpid(sema_echo.pid, NULL, 0);
	semaphore_destroy(mach_task_self(), sema_echo.ping);
	semaphore_destroy(mach_task_self(), sema_echo.pong);
	mach_ports_register(mach_task_self(), NULL, 0);
}

static double sema_echo_round(long n)
{
	return ROUND(n, check(semaphore_wait_signal(sema_echo.pong, sema_echo.ping) ==
			      KERN_SUCCESS, "semaphore_wait_signal"));
}

/* Mach round trips (t[0]) in turn with pipe ones (t[1]) and the floor (t[2]). */
static void one_cpu_client(long n, double *t)
{
	static const round_fn kinds[] = { mach_round, pipe_round, sema_echo_round };

	start_echo(&pipe_echo, 0);
	start_sema_echo();
	best_rounds(n, kinds, 3, t);
	stop_sema_echo();
	stop_echo(&pipe_echo);
}

/* A request carrying one send right, and its receive-side room. */
struct right_msg {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t right;
};

union right_buf {
	struct right_msg msg;
	char room[sizeof(struct right_msg) + MAX_TRAILER_SIZE];
};

/* Receives rights, deallocates each, acknowledges: until the client is done. */
static void right_server(mach_port_t port)
{
	union right_buf buf;
	mach_msg_option_t option = MACH_RCV_MSG;

	while (mach_msg(&buf.msg.header, option, sizeof(mach_msg_header_t), sizeof(buf), port,
			0, MACH_PORT_NULL) == KERN_SUCCESS &&
	       buf.msg.header.msgh_id != BENCH_QUIT) {
		mach_port_deallocate(mach_task_self(), buf.msg.right.name);
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		buf.msg.header.msgh_local_port = MACH_PORT_NULL;
		buf.msg.header.msgh_size = sizeof(mach_msg_header_t);
		option = MACH_SEND_MSG | MACH_RCV_MSG;
	}
}

/* One send right per message to another process, acknowledged. */
static mach_port_t gift_port;

static double right_round(long n)
{
	union right_buf buf;

	return ROUND(n, {
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE) |
					   MACH_MSGH_BITS_COMPLEX;
		buf.msg.header.msgh_size = sizeof(buf.msg);
		buf.msg.header.msgh_remote_port = bootstrap_port;
		buf.msg.header.msgh_local_port = reply_port;
		buf.msg.header.msgh_id = 0;
		buf.msg.body.msgh_descriptor_count = 1;
		buf.msg.right.name = gift_port;
		buf.msg.right.disposition = MACH_MSG_TYPE_MAKE_SEND;
		buf.msg.right.type = MACH_MSG_PORT_DESCRIPTOR;
		check(mach_msg(&buf.msg.header, MACH_SEND_MSG | MACH_RCV_MSG,
			       sizeof(buf.msg), sizeof(buf), reply_port, 0,
			       MACH_PORT_NULL) == KERN_SUCCESS, "mach_msg right");
	});
}

/* Sends fd with one byte over sock, then waits for the byte back. */
static int send_fd(int sock, int fd, char *byte)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof(control) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(fd));
	return sendmsg(sock, &msg, 0) == 1 && read(sock, byte, 1) == 1 ? 0 : -1;
}

/* A process that closes each fd it is sent over sock and acknowledges it. */
static int fd_sock = -1, fd_sent = -1;

static pid_t start_fd_closer(void)
{
	int sv[2];

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		for (;;) {
			char c, control[CMSG_SPACE(sizeof(int))];
			struct iovec iov = { .iov_base = &c, .iov_len = 1 };
			struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
					      .msg_control = control,
					      .msg_controllen = sizeof(control) };
			if (recvmsg(sv[1], &msg, 0) != 1)
				_exit(0);
			int got;
			memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(got));
			close(got);
			if (write(sv[1], &c, 1) != 1)
				_exit(0);
		}
	}
	close(sv[1]);
	fd_sock = sv[0];
	fd_sent = open("/dev/null", O_RDONLY);
	return pid;
}

static double scm_rights_round(long n)
{
	char byte = 0;

	return ROUND(n, check(send_fd(fd_sock, fd_sent, &byte) == 0, "SCM_RIGHTS"));
}

/* Rights by Mach message (t[0]) in turn with fds by SCM_RIGHTS (t[1]). */
static void right_client(long n, double *t)
{
	static const round_fn kinds[] = { right_round, scm_rights_round };
	pid_t closer = start_fd_closer();

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &gift_port);
	best_rounds(n, kinds, 2, t);
	close(fd_sock);
	close(fd_sent);
	waitpid(closer, NULL, 0);
}

/* Lets RCU-deferred frees of earlier rounds land before counting. */
static void settle(void)
{
	syscall(SYS_membarrier, 1 /* MEMBARRIER_CMD_GLOBAL */, 0, 0);
	usleep(500000);
	syscall(SYS_membarrier, 1, 0, 0);
}

/* Kernel memory one more port (with its receive right's name) costs. */
static void memory_per_port(void)
{
	enum { N = 800 };	/* under the default 1024-fd limit */
	static mach_port_t ports[N];
	long before, after;

	settle();
	before = kernel_bytes();
	for (int i = 0; i < N; i++)
		check(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
					 &ports[i]) == KERN_SUCCESS, "mach_port_allocate");
	settle();
	after = kernel_bytes();
	printf("%-34s %9ld bytes  (port, queue, right, fd, file; from /proc/slabinfo)\n",
	       "memory per port with its right", (after - before) / N);
	before = after;
	for (int i = 0; i < N; i++)
		mach_port_insert_right(mach_task_self(), ports[i], ports[i], MACH_MSG_TYPE_MAKE_SEND);
	settle();
	after = kernel_bytes();
	printf("%-34s %9ld bytes  (a send right coalesced into the receive right's name)\n",
	       "memory per added send right", (after - before) / N);
	for (int i = 0; i < N; i++)
		mach_port_destroy(mach_task_self(), ports[i]);
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *samples, long n)
{
	qsort(samples, n, sizeof(*samples), compare_doubles);
	return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

/* One operation timed alone, in ns; its setup and cleanup are not timed. */
typedef double (*sample_fn)(void);

/*
 * The medians of n operations of each of two kinds, timed in turn (a b,
 * b a, a b...). Process creation is noisy under emulation, and a slow
 * spell (the other CPU busy with memory just touched, or with a child's
 * exit) then falls on both sides alike, not on whichever went first. The
 * median is steadier than a best or a mean. And the medians of the parts
 * (at most 8) that each run of a leaves in steps[0..count): where a's
 * time goes, from the same runs.
 */
static void compare_parts(long n, sample_fn a, sample_fn b, double *a_ns, double *b_ns,
			  const double *steps, int count, double *parts)
{
	static double as[256], bs[256], ps[8][256];

	if (n > 256)
		n = 256;
	for (long i = 0; i < n; i++) {
		if (i % 2) {
			bs[i] = b();
			as[i] = a();
		} else {
			as[i] = a();
			bs[i] = b();
		}
		for (int k = 0; k < count && k < 8; k++)
			ps[k][i] = steps[k];
	}
	*a_ns = median(as, n);
	*b_ns = median(bs, n);
	for (int k = 0; k < count && k < 8; k++)
		parts[k] = median(ps[k], n);
}

static void compare(long n, sample_fn a, sample_fn b, double *a_ns, double *b_ns)
{
	compare_parts(n, a, b, a_ns, b_ns, NULL, 0, NULL);
}

/* Times body, in ns. */
#define TIMED(body) ({							\
	double t0 = now_ns();						\
	body;								\
	now_ns() - t0;							\
})

/* Touched private memory that makes this process bigger. */
static char *ballast;
static size_t ballast_size;

/* Replaces the ballast with mib MiB of it (0: none). */
static void set_ballast(long mib)
{
	if (ballast)
		munmap(ballast, ballast_size);
	ballast = NULL;
	ballast_size = (size_t)mib << 20;
	if (!mib)
		return;
	ballast = mmap(NULL, ballast_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(ballast != MAP_FAILED, "mmap ballast");
	if (ballast == MAP_FAILED)
		ballast = NULL;
	else
		memset(ballast, 1, ballast_size);
}

/* Grows this process to about mib MiB resident. */
static void grow_to(long mib)
{
	unsigned long long vsize, rss;

	if (read_rss(&vsize, &rss) == 0 && (long)(rss >> 20) >= mib)
		return;
	set_ballast(mib);
}

static char *const nop_argv[] = { "mach-nop", NULL };

static void end_task(task_t task)
{
	task_terminate(task);
	mach_port_deallocate(mach_task_self(), task);
}

/* One task_create of our own task, timed; the child is ended untimed. */
static double task_create_once(boolean_t inherit_memory)
{
	task_t child = MACH_PORT_NULL;
	double t = TIMED(check(task_create(mach_task_self(), NULL, 0, inherit_memory, &child)
			       == KERN_SUCCESS, "task_create"));

	end_task(child);
	return t;
}

static double task_create_inheriting(void)
{
	return task_create_once(TRUE);
}

static double task_create_empty(void)
{
	return task_create_once(FALSE);
}

static double fork_exit(void)
{
	pid_t pid = 0;
	double t = TIMED({
		pid = fork();
		if (pid == 0)
			_exit(0);
	});

	waitpid(pid, NULL, 0);
	return t;
}

static double spawn_nop(void)
{
	pid_t pid = 0;
	double t = TIMED(check(posix_spawn(&pid, "/opt/mach/bin/mach-nop", NULL, NULL,
					   nop_argv, NULL) == 0, "posix_spawn"));

	waitpid(pid, NULL, 0);
	return t;
}

static double task_terminate_once(void)
{
	task_t child = MACH_PORT_NULL;
	double t;

	check(task_create(mach_task_self(), NULL, 0, TRUE, &child) == KERN_SUCCESS,
	      "task_create");
	t = TIMED(check(task_terminate(child) == KERN_SUCCESS, "task_terminate"));
	mach_port_deallocate(mach_task_self(), child);
	return t;
}

static double kill_wait_once(void)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			pause();
	return TIMED({
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	});
}

/* Where the death of a task started by run_in_empty_task() is told. */
static mach_port_t death_port;

/* The ns since *since, which moves on to now: one step of a path. */
static double lap(double *since)
{
	double t = now_ns(), step = t - *since;

	*since = t;
	return step;
}

/* run_in_empty_task()'s steps, each one's ns in its last run. */
enum {
	EXEC_CREATE,		/* task_create(FALSE) and the dead-name request */
	EXEC_ALLOCATE,
	EXEC_WRITE,
	EXEC_PROTECT,
	EXEC_THREAD,
	EXEC_STATE,
	EXEC_RESUME,
	EXEC_END,		/* the program runs, exits, and we are told */
	EXEC_STEPS
};
static double exec_steps[EXEC_STEPS];

/*
 * The classic Mach exec path: an empty task, a tiny program written in, a
 * thread started at it; the program exits at once, and the parent waits
 * for its task's dead-name notification. Against vfork+execve and
 * posix_spawn of mach-nop, a static program that exits at once, waited
 * for with waitpid(): on both sides a program runs, ends, and its
 * parent is told.
 */
static double run_in_empty_task(void)
{
	static const unsigned char program[] = {
		0xb8, 0xe7, 0, 0, 0,	/* mov $231, %eax (exit_group) */
		0x31, 0xff,		/* xor %edi, %edi */
		0x0f, 0x05,		/* syscall */
	};
	x86_thread_state64_t state = { .__rflags = 0x202 };
	mach_dead_name_notification_t note;
	thread_act_t thread = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	vm_address_t code = 0;
	mach_port_t previous;
	kern_return_t kr;
	double t0 = now_ns(), at = t0, t;

	check(task_create(mach_task_self(), NULL, 0, FALSE, &task) == KERN_SUCCESS,
	      "task_create");
	mach_port_request_notification(mach_task_self(), task, MACH_NOTIFY_DEAD_NAME, 0,
				       death_port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	exec_steps[EXEC_CREATE] = lap(&at);
	vm_allocate(task, &code, 4096, VM_FLAGS_ANYWHERE);
	exec_steps[EXEC_ALLOCATE] = lap(&at);
	vm_write(task, code, (vm_offset_t)program, sizeof(program));
	exec_steps[EXEC_WRITE] = lap(&at);
	vm_protect(task, code, 4096, FALSE, VM_PROT_READ | VM_PROT_EXECUTE);
	exec_steps[EXEC_PROTECT] = lap(&at);
	thread_create(task, &thread);
	exec_steps[EXEC_THREAD] = lap(&at);
	state.__rip = code;
	kr = thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
			      x86_THREAD_STATE64_COUNT);
	exec_steps[EXEC_STATE] = lap(&at);
	if (kr == KERN_SUCCESS)
		kr = thread_resume(thread);
	exec_steps[EXEC_RESUME] = lap(&at);
	if (kr == KERN_SUCCESS)
		kr = mach_msg(&note.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
			      sizeof(note), death_port, 10000, MACH_PORT_NULL);
	exec_steps[EXEC_END] = lap(&at);
	t = now_ns() - t0;
	check(kr == KERN_SUCCESS && note.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME &&
	      note.not_port == task, "the program in the empty task");
	if (kr != KERN_SUCCESS)
		task_terminate(task);	/* it did not end by itself */
	mach_port_destroy(mach_task_self(), task);
	mach_port_deallocate(mach_task_self(), thread);
	return t;
}

/*
 * The floor of that path: the empty task alone, until it has taken a
 * first call. Its shell is a vfork() and an exec of a tiny image too.
 */
static double empty_task_ready(void)
{
	vm_address_t page = 0;
	task_t task = MACH_PORT_NULL;
	double t = TIMED({
		check(task_create(mach_task_self(), NULL, 0, FALSE, &task) == KERN_SUCCESS,
		      "task_create");
		check(vm_allocate(task, &page, 4096, VM_FLAGS_ANYWHERE) == KERN_SUCCESS,
		      "vm_allocate");
	});

	end_task(task);
	return t;
}

static double vfork_execve_exit(void)
{
	pid_t pid;

	return TIMED({
		pid = vfork();
		if (pid == 0) {
			execve("/opt/mach/bin/mach-nop", nop_argv, NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	});
}

static double spawn_nop_exit(void)
{
	pid_t pid;

	return TIMED({
		check(posix_spawn(&pid, "/opt/mach/bin/mach-nop", NULL, NULL,
				  nop_argv, NULL) == 0, "posix_spawn");
		waitpid(pid, NULL, 0);
	});
}

/* A task to make threads in, and a stack there. */
static task_t thread_home;
static vm_address_t thread_stack;
/* thread_create_run()'s steps (create, set_state, resume), its last run's. */
static double thread_steps[3];

static double thread_create_run(void)
{
	x86_thread_state64_t state = {
		.__rip = (uint64_t)pthread_exit_stub,
		.__rsp = thread_stack + 65536 - 8,
		.__rflags = 0x202,
	};
	thread_act_t thread = MACH_PORT_NULL;
	double at = now_ns(), t0 = at;

	thread_create(thread_home, &thread);
	thread_steps[0] = lap(&at);
	thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
			 x86_THREAD_STATE64_COUNT);
	thread_steps[1] = lap(&at);
	thread_resume(thread);
	thread_steps[2] = lap(&at);

	check(thread_terminate(thread) == KERN_SUCCESS, "thread_terminate");
	mach_port_deallocate(mach_task_self(), thread);
	return at - t0;
}

static void *pthread_nop(void *arg)
{
	return arg;
}

static double pthread_create_once(void)
{
	pthread_t pt;
	double t = TIMED(pthread_create(&pt, NULL, pthread_nop, NULL));

	pthread_join(pt, NULL);
	return t;
}

static void bench_threads(void)
{
	double m, l;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &death_port);
	compare(101, run_in_empty_task, vfork_execve_exit, &m, &l);
	report("empty task + thread, run to exit", m, "vfork+execve+exit", l);
	compare(101, run_in_empty_task, spawn_nop_exit, &m, &l);
	report("empty task + thread, run to exit", m, "posix_spawn+exit", l);
	compare(101, empty_task_ready, vfork_execve_exit, &m, &l);
	report("empty task, first vm_allocate done", m, "vfork+execve+exit", l);
	mach_port_destroy(mach_task_self(), death_port);

	/* A thread made and run in an inheriting task, against pthread_create. */
	check(task_create(mach_task_self(), NULL, 0, TRUE, &thread_home) == KERN_SUCCESS,
	      "task_create");
	vm_allocate(thread_home, &thread_stack, 65536, VM_FLAGS_ANYWHERE);
	compare(101, thread_create_run, pthread_create_once, &m, &l);
	report("thread_create+set_state+resume", m, "pthread_create", l);
	end_task(thread_home);
}

static void bench_task_create(void)
{
	static const long sizes[] = { 4, 64, 512 };
	double empty_small = 0, m, l;
	char name[64];

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		long n = sizes[i] >= 512 ? 31 : 101;

		grow_to(sizes[i]);
		compare(n, task_create_inheriting, fork_exit, &m, &l);
		snprintf(name, sizeof(name), "task_create(TRUE), RSS %ld MiB", sizes[i]);
		report(name, m, "fork", l);

		compare(n, task_create_empty, spawn_nop, &m, &l);
		snprintf(name, sizeof(name), "task_create(FALSE), RSS %ld MiB", sizes[i]);
		report(name, m, "posix_spawn(mach-nop)", l);
		if (i == 0)
			empty_small = m;
		else if (sizes[i] == 512)
			printf("%-34s %9.2f   (target: within 1.2)\n",
			       "task_create(FALSE) 512 MiB / 4 MiB", m / empty_small);
	}

	compare(101, task_terminate_once, kill_wait_once, &m, &l);
	report("task_terminate", m, "kill(SIGKILL)+waitpid", l);
	set_ballast(0);
}

/* Our memory policy: MPOL_BIND to node, or the default (node < 0). */
static void bind_to(int node)
{
	unsigned long mask = node < 0 ? 0 : 1ul << node;

	syscall(SYS_set_mempolicy, node < 0 ? 0 : 2, node < 0 ? NULL : &mask, 64);
}

static double norma_clone_once(void)
{
	task_t child = MACH_PORT_NULL;
	double t = TIMED(check(norma_task_clone(mach_task_self(), TRUE, 0, &child)
			       == KERN_SUCCESS, "norma_task_clone"));

	end_task(child);
	return t;
}

/* A process of the same size, still private, that forks when asked. */
static int forker_ask = -1, forker_answer = -1;

static double fork_in_forker(void)
{
	double t = 0;

	check(write(forker_ask, "", 1) == 1 &&
	      read(forker_answer, &t, sizeof(t)) == sizeof(t), "forker");
	return t;
}

static pid_t start_forker(long mib)
{
	int ask[2], answer[2];
	char c;

	check(pipe(ask) == 0 && pipe(answer) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		close(ask[1]);
		close(answer[0]);
		set_ballast(mib);
		while (read(ask[0], &c, 1) == 1) {
			double t = fork_exit();

			if (write(answer[1], &t, sizeof(t)) != sizeof(t))
				break;
		}
		_exit(0);
	}
	close(ask[0]);
	close(answer[1]);
	forker_ask = ask[1];
	forker_answer = answer[0];
	return pid;
}

/*
 * norma_task_clone(TRUE) against fork, in a process of mib MiB: the first
 * clone pays the one-time conversion of private memory to shared, a
 * second clone of the same parent does not, and fork() copies no page
 * tables of shared mappings. fork is timed in a second process of the
 * same size whose memory stays private, in turn with the clones. Both in
 * processes of their own: once memory is shared, a fork() of its process
 * shares it with the child too.
 */
static void bench_clone_at(long mib)
{
	long n = mib >= 512 ? 31 : 51;
	double first, m, l;
	pid_t pid, forker;
	char name[64];

	fflush(stdout);
	pid = fork();
	if (pid != 0) {
		check(pid > 0 && waitpid(pid, NULL, 0) == pid, "fork for clones");
		return;
	}
	forker = start_forker(mib);
	set_ballast(mib);
	l = fork_in_forker();	/* both ready */
	first = norma_clone_once();
	compare(n, norma_clone_once, fork_in_forker, &m, &l);
	close(forker_ask);
	waitpid(forker, NULL, 0);
	snprintf(name, sizeof(name), "norma_task_clone first, %ld MiB", mib);
	report(name, first, "fork", l);
	snprintf(name, sizeof(name), "norma_task_clone again, %ld MiB", mib);
	report(name, m, "fork", l);
	fflush(stdout);
	_exit(failures ? 1 : 0);
}

#define TELEPORT_SIZE (64ul << 20)

/* What a teleported task holds: written from here, so faulted in on node 0. */
static char *teleport_bytes;

static double teleport_once(void)
{
	vm_address_t region = 0;
	task_t task = MACH_PORT_NULL, child = MACH_PORT_NULL;
	double t;

	check(norma_task_create(mach_task_self(), FALSE, 0, &task) == KERN_SUCCESS,
	      "norma_task_create");
	vm_allocate(task, &region, TELEPORT_SIZE, VM_FLAGS_ANYWHERE);
	bind_to(0);	/* our writes fault its pages in on node 0 */
	vm_write(task, region, (vm_offset_t)teleport_bytes, TELEPORT_SIZE);
	bind_to(-1);
	t = TIMED(check(norma_task_teleport(task, TRUE, 1, &child) == KERN_SUCCESS,
			"norma_task_teleport"));
	end_task(child);
	mach_port_deallocate(mach_task_self(), task);
	return t;
}

/* Our CPUs: node's (from sysfs), or all of them again (node < 0). */
static void run_on(int node)
{
	char path[64], list[256];
	cpu_set_t set;
	FILE *f;

	CPU_ZERO(&set);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &set);
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", node);
	f = node >= 0 ? fopen(path, "r") : NULL;
	if (f && fgets(list, sizeof(list), f)) {
		char *at = list;

		CPU_ZERO(&set);
		while (*at >= '0' && *at <= '9') {
			long first = strtol(at, &at, 10), last = first;

			if (*at == '-')
				last = strtol(at + 1, &at, 10);
			for (long cpu = first; cpu <= last && cpu < CPU_SETSIZE; cpu++)
				CPU_SET(cpu, &set);
			if (*at == ',')
				at++;
		}
	}
	if (f)
		fclose(f);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * A process with 64 MiB resident on node 0, living there as the teleported
 * task does (its CPUs and its memory policy), moves its pages to node 1
 * itself, as the task's parent does in a teleport.
 */
static double migrate_once(void)
{
	unsigned long from = 1, to = 2;
	int ready[2], go[2];
	double t;
	char c;

	check(pipe(ready) == 0 && pipe(go) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		char *mine;

		/* Only its own 64 MiB: not the teleport's source it shares. */
		munmap(teleport_bytes, TELEPORT_SIZE);
		run_on(0);
		bind_to(0);
		mine = malloc(TELEPORT_SIZE);
		memset(mine, 't', TELEPORT_SIZE);
		/* Kept: else the compiler drops stores nothing reads. */
		__asm__ volatile("" : : "r"(mine) : "memory");
		check(write(ready[1], "", 1) == 1, "ready");
		check(read(go[0], &c, 1) == 1, "go");
		check(syscall(SYS_migrate_pages, 0, 65, &from, &to) >= 0, "migrate_pages");
		check(write(ready[1], "", 1) == 1, "moved");
		for (;;)
			pause();
	}
	check(read(ready[0], &c, 1) == 1, "ready");
	t = TIMED({
		check(write(go[1], "", 1) == 1, "go");
		check(read(ready[0], &c, 1) == 1, "moved");
	});
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	return t;
}

static void bench_norma(void)
{
	static const long sizes[] = { 4, 64, 512 };
	double m, l;

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench_clone_at(sizes[i]);
	printf("%-34s %9s   (target: second clone at 512 MiB within 0.5 of fork)\n", "", "");

	/*
	 * A task with 64 MiB resident on node 0 teleported to node 1, against
	 * migrate_pages() of a process with as much from node 0 to node 1.
	 */
	teleport_bytes = mmap(NULL, TELEPORT_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(teleport_bytes != MAP_FAILED, "mmap");
	memset(teleport_bytes, 't', TELEPORT_SIZE);
	compare(31, teleport_once, migrate_once, &m, &l);
	report("norma_task_teleport, 64 MiB", m, "migrate_pages, 64 MiB", l);
	printf("%-34s %9s   (target: within 1.2)\n", "", "");
	munmap(teleport_bytes, TELEPORT_SIZE);
}

/* Calls that stay in this process: each beside the Linux call it resembles. */
static int statm_fd = -1, null_fd = -1;

static double task_info_round(long n)
{
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count;

	return ROUND(n, {
		count = MACH_TASK_BASIC_INFO_COUNT;
		check(task_info(mach_task_self(), MACH_TASK_BASIC_INFO,
				(task_info_t)&info, &count) == KERN_SUCCESS, "task_info");
	});
}

/* The same task_info, as a MIG request to the task port and its reply. */
struct task_info_msg {
	mach_msg_header_t head;
	NDR_record_t ndr;
	union {
		struct {
			task_flavor_t flavor;
			mach_msg_type_number_t count;
		} in;
		struct {
			kern_return_t ret;
			mach_msg_type_number_t count;
			integer_t info[MACH_TASK_BASIC_INFO_COUNT];
			mach_msg_max_trailer_t trailer;
		} out;
	};
};

static double task_info_msg_round(long n)
{
	mach_port_t reply = mig_get_reply_port(), self = mach_task_self();
	struct task_info_msg m;

	return ROUND(n, {
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.head.msgh_size = sizeof(m.head) + sizeof(m.ndr) + sizeof(m.in);
		m.head.msgh_remote_port = self;
		m.head.msgh_local_port = reply;
		m.head.msgh_voucher_port = MACH_PORT_NULL;
		m.head.msgh_id = 3405;
		m.ndr = NDR_record;
		m.in.flavor = MACH_TASK_BASIC_INFO;
		m.in.count = MACH_TASK_BASIC_INFO_COUNT;
		check(mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, m.head.msgh_size,
			       sizeof(m), reply, MACH_MSG_TIMEOUT_NONE,
			       MACH_PORT_NULL) == MACH_MSG_SUCCESS && m.out.ret == KERN_SUCCESS,
		      "task_info by message");
	});
}

/* A stand-in for this task in a thread of its own: forwards, relays. */
static mach_port_t proxy_port;

static void *proxy_main(void *arg)
{
	static union {
		mach_msg_header_t head;
		char bytes[4096];
	} b;
	mach_port_t reply = mach_reply_port();

	(void)arg;
	while (mach_msg(&b.head, MACH_RCV_MSG, 0, sizeof(b), proxy_port, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL) == MACH_MSG_SUCCESS && b.head.msgh_id != 0) {
		mach_port_t client = b.head.msgh_remote_port;
		mach_msg_bits_t client_bits = MACH_MSGH_BITS_REMOTE(b.head.msgh_bits);

		b.head.msgh_bits = (b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
				   MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		b.head.msgh_remote_port = mach_task_self();
		b.head.msgh_local_port = reply;
		if (mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG, b.head.msgh_size, sizeof(b),
			     reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			break;
		b.head.msgh_bits = (b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
				   MACH_MSGH_BITS(client_bits, 0);
		b.head.msgh_remote_port = client;
		b.head.msgh_local_port = MACH_PORT_NULL;
		mach_msg(&b.head, MACH_SEND_MSG, b.head.msgh_size, 0, MACH_PORT_NULL,
			 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
	return NULL;
}

static double task_info_proxied_round(long n)
{
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count;

	return ROUND(n, {
		count = MACH_TASK_BASIC_INFO_COUNT;
		check(task_info(proxy_port, MACH_TASK_BASIC_INFO,
				(task_info_t)&info, &count) == KERN_SUCCESS, "task_info by proxy");
	});
}

static void bench_proxy(long n)
{
	static const round_fn kinds[] = { task_info_proxied_round, task_info_round };
	mach_msg_header_t stop = { 0 };
	pthread_t thread;
	double t[2];

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &proxy_port);
	mach_port_insert_right(mach_task_self(), proxy_port, proxy_port, MACH_MSG_TYPE_MAKE_SEND);
	pthread_create(&thread, NULL, proxy_main, NULL);
	best_rounds(n / 4, kinds, 2, t);
	report("task_info through a proxy thread", t[0], "task_info by ioctl", t[1]);
	stop.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	stop.msgh_size = sizeof(stop);
	stop.msgh_remote_port = proxy_port;
	mach_msg(&stop, MACH_SEND_MSG, sizeof(stop), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
	pthread_join(thread, NULL);
	mach_port_destroy(mach_task_self(), proxy_port);
}

static double getrusage_round(long n)
{
	struct rusage ru;

	return ROUND(n, check(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage"));
}

static double statm_round(long n)
{
	char buf[128];

	return ROUND(n, check(pread(statm_fd, buf, sizeof(buf), 0) > 0, "pread"));
}

/* One more send right, coalesced, and back: two calls each side. */
static double self_right_round(long n)
{
	mach_port_t self = mach_task_self();

	return ROUND(n, {
		check(task_self_trap() == self, "task_self_trap");
		check(mach_port_deallocate(self, self) == KERN_SUCCESS,
		      "mach_port_deallocate");
	});
}

static double dup_close_round(long n)
{
	return ROUND(n, check(close(dup(null_fd)) == 0, "dup+close"));
}

/* A process that becomes a task, against one that does not. */
static double fork_task_round(long n)
{
	return ROUND(n, {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			_exit(mach_task_self() == MACH_PORT_NULL);
		waitpid(pid, &status, 0);
		check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child task");
	});
}

static double fork_exit_round(long n)
{
	return ROUND(n, {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	});
}

static void bench_calls(long n)
{
	static const round_fn info[] = { task_info_round, getrusage_round, statm_round,
					 task_info_msg_round };
	static const round_fn rights[] = { self_right_round, dup_close_round };
	static const round_fn forks[] = { fork_task_round, fork_exit_round };
	double t[4];

	statm_fd = open("/proc/self/statm", O_RDONLY);
	null_fd = open("/dev/null", O_RDONLY);
	best_rounds(n, info, 4, t);
	report("task_info(MACH_TASK_BASIC_INFO)", t[0], "getrusage(RUSAGE_SELF)", t[1]);
	report("task_info(MACH_TASK_BASIC_INFO)", t[0], "pread(/proc/self/statm)", t[2]);
	report("task_info as a message (3405)", t[3], "task_info by ioctl", t[0]);
	printf("%-34s %9s   (target: within 1.5)\n", "", "");
	bench_proxy(n);
	best_rounds(n, rights, 2, t);
	report("task_self_trap+mach_port_deallocate", t[0], "dup+close", t[1]);
	best_rounds(n / 100 + 1, forks, 2, t);
	report("fork+mach_task_self+exit", t[0], "fork+exit", t[1]);
	close(statm_fd);
	close(null_fd);

	served(n / 4, round_trip_client, echo_server, t, 3);
	report("mach_msg 64B round trip (send+rcv)", t[0], "pipe ping-pong 64B", t[1]);
	report("mach_msg 64B round trip (send+rcv)", t[0], "unix socket ping-pong 64B", t[2]);
	served(n / 4, right_client, right_server, t, 2);
	report("one send right per message, acked", t[0], "one fd by SCM_RIGHTS, acked", t[1]);
}

/*
 * A fault and the handler that steps over it, Mach's way and Linux's: a
 * load from a page that is not there (mov (%rax),%eax: 2 bytes), then
 * the thread goes on after it. Mach: EXCEPTION_STATE with 64-bit codes,
 * a handler thread that replies with rip moved on and waits for the next
 * in one call; Linux: a SIGSEGV handler that moves rip in its ucontext.
 */
#define FAULT_STEP 2
static void *fault_address;

static void fault_once(void)
{
	void *out;

	__asm__ volatile(".byte 0x8b, 0x00" : "=a"(out) : "a"(fault_address) : "memory");
}

#pragma pack(push, 4)
struct state_exception {
	mach_msg_header_t head;
	NDR_record_t ndr;
	exception_type_t exception;
	mach_msg_type_number_t code_count;
	int64_t code[2];
	int flavor;
	mach_msg_type_number_t state_count;
	natural_t state[614];
};

struct state_exception_reply {
	mach_msg_header_t head;
	NDR_record_t ndr;
	kern_return_t ret;
	int flavor;
	mach_msg_type_number_t state_count;
	natural_t state[x86_THREAD_STATE64_COUNT];
};
#pragma pack(pop)

/* This thread on CPU cpu, or back on all of them (-1). */
static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu < 0) {
		for (int i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	} else {
		CPU_SET(cpu, &set);
	}
	sched_setaffinity(0, sizeof(set), &set);
}

static mach_port_t exception_port;

static void *step_over_faults(void *arg)
{
	pin_to((int)(intptr_t)arg);
	union {
		struct state_exception req;
		struct state_exception_reply reply;
		char room[sizeof(struct state_exception) + MAX_TRAILER_SIZE];
	} buf;
	mach_msg_return_t mr;

	mr = mach_msg(&buf.req.head, MACH_RCV_MSG, 0, sizeof(buf), exception_port,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	while (mr == MACH_MSG_SUCCESS && buf.req.head.msgh_id == 2406) {
		mach_port_t reply_to = buf.req.head.msgh_remote_port;
		mach_msg_bits_t bits = MACH_MSGH_BITS_REMOTE(buf.req.head.msgh_bits);
		x86_thread_state64_t state;

		memcpy(&state, buf.req.state, sizeof(state));
		state.__rip += FAULT_STEP;
		memset(&buf.reply, 0, sizeof(buf.reply));
		buf.reply.head.msgh_bits = MACH_MSGH_BITS(bits, 0);
		buf.reply.head.msgh_size = sizeof(buf.reply);
		buf.reply.head.msgh_remote_port = reply_to;
		buf.reply.head.msgh_id = 2506;
		buf.reply.ndr = NDR_record;
		buf.reply.ret = KERN_SUCCESS;
		buf.reply.flavor = x86_THREAD_STATE64;
		buf.reply.state_count = x86_THREAD_STATE64_COUNT;
		memcpy(buf.reply.state, &state, sizeof(state));
		/* The reply, and the wait for the next fault, in one call. */
		mr = mach_msg(&buf.reply.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(buf.reply),
			      sizeof(buf), exception_port, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
	}
	return NULL;
}

static void step_over(int sig __attribute__((unused)), siginfo_t *info __attribute__((unused)),
		      void *context)
{
	ucontext_t *uc = context;

	uc->uc_mcontext.gregs[REG_RIP] += FAULT_STEP;
}

static double mach_fault_round(long n)
{
	return ROUND(n, fault_once());
}


static void bench_exceptions(long n)
{
	struct sigaction sa = { 0 }, old;
	double mach_ns, linux_ns;
	pthread_t handler;

	fault_address = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sa.sa_sigaction = step_over;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, &old);
	linux_ns = 1e30;
	for (int round = 0; round < 5; round++) {
		double t = mach_fault_round(n);

		linux_ns = t < linux_ns ? t : linux_ns;
	}

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &exception_port);
	mach_port_insert_right(mach_task_self(), exception_port, exception_port,
			       MACH_MSG_TYPE_MAKE_SEND);
	check(task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS, exception_port,
				       EXCEPTION_STATE | MACH_EXCEPTION_CODES,
				       x86_THREAD_STATE64) == KERN_SUCCESS,
	      "task_set_exception_ports");
	/*
	 * Both threads on one CPU: each exception is then two switches, the
	 * same every time (across CPUs the emulator's wake-ups make it vary
	 * tenfold from run to run).
	 */
	pin_to(0);
	pthread_create(&handler, NULL, step_over_faults, (void *)0);
	mach_ns = 1e30;
	for (int round = 0; round < 5; round++) {
		double t = mach_fault_round(n);

		mach_ns = t < mach_ns ? t : mach_ns;
	}
	pin_to(-1);
	report("fault, exception, reply steps over", mach_ns, "SIGSEGV handler steps over",
	       linux_ns);
	printf("%-34s %9s   (target: within 1.5)\n", "", "");
	task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS, MACH_PORT_NULL,
				 EXCEPTION_DEFAULT, THREAD_STATE_NONE);
	mach_port_destroy(mach_task_self(), exception_port);
	pthread_join(handler, NULL);
	sigaction(SIGSEGV, &old, NULL);
	munmap(fault_address, 4096);
}

/*
 * task_sample's cost to the task it samples: a CPU-bound loop in a task
 * sampled all along at the default rate (one sample per 10 ms of each
 * thread's CPU time), with a thread of its own receiving the samples as
 * a profiler would, against the same loop in a twin task that is not
 * sampled. The two take turns, round by round, on the same CPU, each
 * told by a pipe when to run one round and answering with its time.
 */
static volatile uint64_t sample_sink;
static long sample_loop;	/* iterations of a round: about 100 ms of it */
static long samples_seen;

static double loop_round(long n)
{
	(void)n;
	return ROUND(sample_loop, sample_sink += i) * sample_loop;
}

static void *sample_drain(void *arg)
{
	mach_port_t port = (mach_port_t)(uintptr_t)arg;
	task_sample_buffer_t b;
	cpu_set_t set;

	/* A profiler's thread, off the loop's CPU (twin_start()). */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);

	while (mach_msg(&b.msg.header, MACH_RCV_MSG, 0, sizeof(b), port,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		__atomic_add_fetch(&samples_seen, b.msg.count, __ATOMIC_RELAXED);
	return NULL;
}

/* A twin: a task, with a receiving thread, sampled or not; rounds on demand. */
struct twin {
	pid_t pid;
	int go, done;	/* our ends of its pipes */
};

static void twin_start(struct twin *tw, int sampled, int cpu)
{
	int go[2], done[2];

	check(pipe(go) == 0 && pipe(done) == 0, "pipe");
	tw->pid = fork();
	if (tw->pid == 0) {
		mach_port_t port;
		pthread_t drain;
		cpu_set_t set;
		double t;
		char c;

		close(go[1]);
		close(done[0]);
		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
		mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
		pthread_create(&drain, NULL, sample_drain, (void *)(uintptr_t)port);
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		if (sampled && task_sample(mach_task_self(), port) != KERN_SUCCESS)
			_exit(1);
		while (read(go[0], &c, 1) == 1) {
			if (c == 'n') {	/* how many samples came */
				t = __atomic_load_n(&samples_seen, __ATOMIC_RELAXED);
			} else {
				t = loop_round(0);
			}
			if (write(done[1], &t, sizeof(t)) != sizeof(t))
				break;
		}
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	tw->go = go[1];
	tw->done = done[0];
}

static double twin_ask(struct twin *tw, char what)
{
	double t = 0;

	check(write(tw->go, &what, 1) == 1 && read(tw->done, &t, sizeof(t)) == sizeof(t),
	      "twin");
	return t;
}

static void twin_end(struct twin *tw)
{
	close(tw->go);
	close(tw->done);
	kill(tw->pid, SIGKILL);
	waitpid(tw->pid, NULL, 0);
}

/*
 * Rounds in pairs that take turns in both orders (sampled first, then
 * second); the figure is the median of the pairs' ratios. The two rounds
 * of a pair run within a quarter of a second of each other, so that a
 * slow spell of the emulator (or of the host under it) falls on both
 * alike, and the median leaves out the pairs it split; the order turns
 * so that whatever favours the second of two runs favours neither. A
 * difference of 2% is below what a best-of-5 of whole runs resolves here.
 */
#define SAMPLE_PAIRS 31

static void bench_sample(void)
{
	double ratio[SAMPLE_PAIRS], sum[2] = { 0, 0 }, t[2];
	struct twin twins[2];

	/* Calibrated here (the best of three), inherited by both twins. */
	sample_loop = 1000000;
	t[0] = loop_round(0);
	for (int i = 0; i < 2; i++) {
		t[1] = loop_round(0);
		if (t[1] < t[0])
			t[0] = t[1];
	}
	sample_loop = (long)(100e6 * sample_loop / t[0]);
	twin_start(&twins[0], 1, 1);
	twin_start(&twins[1], 0, 1);
	for (int pair = 0; pair < SAMPLE_PAIRS; pair++) {
		for (int j = 0; j < 2; j++) {
			int k = (pair & 1) ? 1 - j : j;

			t[k] = twin_ask(&twins[k], 'r');
			sum[k] += t[k];
		}
		ratio[pair] = t[0] / t[1];
	}
	report("task_sample at its default rate", sum[0] / SAMPLE_PAIRS,
	       "the same loop unsampled", sum[1] / SAMPLE_PAIRS);
	printf("%-34s %9.3f   (median of %d pairs' ratios; target: at most 1.02)\n", "",
	       median(ratio, SAMPLE_PAIRS), SAMPLE_PAIRS);
	usleep(2 * TASK_SAMPLE_FLUSH_MSEC * 1000);
	t[0] = twin_ask(&twins[0], 'n');
	printf("%-34s %9.0f   samples received in %.1f s sampled\n", "", t[0], sum[0] / 1e9);
	check(t[0] > 0, "samples");
	check(twin_ask(&twins[1], 'n') == 0, "no samples unsampled");
	twin_end(&twins[0]);
	twin_end(&twins[1]);
}

/*
 * semaphore_signal + semaphore_wait ping-pong between two threads against
 * the same ping-pong on two futex words used as binary semaphores (a post
 * always makes its FUTEX_WAKE call, as a signal always makes its call; a
 * wait sleeps in FUTEX_WAIT until posted). A round trip is two posts and
 * two waits on each side. Measured with both threads on one CPU (each
 * round trip two switches, steady under emulation) and free to run on
 * both (where a wake-up crosses CPUs).
 */
static semaphore_t sema_ping, sema_pong;
static uint32_t futex_ping, futex_pong;
static long sema_rounds;
static int sema_cpu = -1;	/* both threads on it, or -1: anywhere */

static void futex_post(uint32_t *word)
{
	__atomic_store_n(word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void futex_take(uint32_t *word)
{
	while (!__atomic_exchange_n(word, 0, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void *sema_partner(void *arg)
{
	pin_to(sema_cpu);
	for (long i = 0; i < sema_rounds; i++) {
		if (arg) {
			futex_take(&futex_ping);
			futex_post(&futex_pong);
		} else {
			check(semaphore_wait(sema_ping) == KERN_SUCCESS, "semaphore_wait");
			check(semaphore_signal(sema_pong) == KERN_SUCCESS, "semaphore_signal");
		}
	}
	return NULL;
}

/* n round trips with a partner thread; futex: the futex words. */
static double ping_pong_round(long n, int futex)
{
	pthread_t partner;
	double t0, t;

	sema_rounds = n;
	pthread_create(&partner, NULL, sema_partner, futex ? (void *)1 : NULL);
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (futex) {
			futex_post(&futex_ping);
			futex_take(&futex_pong);
		} else {
			semaphore_signal(sema_ping);
			semaphore_wait(sema_pong);
		}
	}
	t = (now_ns() - t0) / n;
	pthread_join(partner, NULL);
	return t;
}

static double sema_ping_pong_round(long n)
{
	return ping_pong_round(n, 0);
}

static double futex_ping_pong_round(long n)
{
	return ping_pong_round(n, 1);
}

/* Where a call's time goes: the calls that never sleep, one by one. */
static double getppid_round(long n)
{
	return ROUND(n, syscall(SYS_getppid));
}

static double version_round(long n)
{
	static int fd = -1;
	struct mach_version_args args;

	if (fd < 0)
		fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
	return ROUND(n, ioctl(fd, MACH_IOC_VERSION, &args));
}

static double futex_wake_round(long n)
{
	return ROUND(n, syscall(SYS_futex, &futex_ping, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
}

static double sema_signal_round(long n)
{
	return ROUND(n, semaphore_signal(sema_ping));
}

static double sema_take_round(long n)
{
	mach_timespec_t none = { 0, 0 };

	return ROUND(n, semaphore_timedwait(sema_ping, none));
}

static void bench_semaphores(long n)
{
	const round_fn kinds[] = { sema_ping_pong_round, futex_ping_pong_round };
	const round_fn calls[] = { getppid_round, version_round, futex_wake_round,
				   sema_signal_round, sema_take_round };
	double best[5];

	check(semaphore_create(mach_task_self(), &sema_ping, SYNC_POLICY_FIFO, 0) ==
	      KERN_SUCCESS, "semaphore_create");
	check(semaphore_create(mach_task_self(), &sema_pong, SYNC_POLICY_FIFO, 0) ==
	      KERN_SUCCESS, "semaphore_create");
	for (int cpu = 0; cpu >= -1; cpu--) {
		sema_cpu = cpu;
		pin_to(cpu);
		best_rounds(n, kinds, 2, best);
		report(cpu < 0 ? "semaphore ping-pong, two CPUs" : "semaphore ping-pong, one CPU",
		       best[0], cpu < 0 ? "futex ping-pong, two CPUs" : "futex ping-pong, one CPU",
		       best[1]);
	}
	pin_to(-1);
	printf("%-34s %9s   (target: within 1.5)\n", "", "");
	best_rounds(n, calls, 5, best);
	printf("calls that never sleep: getppid %.0f ns, MACH_IOC_VERSION %.0f ns, "
	       "FUTEX_WAKE %.0f ns,\n  semaphore_signal (no waiter) %.0f ns, "
	       "semaphore_timedwait (count, no wait) %.0f ns\n",
	       best[0], best[1], best[2], best[3], best[4]);
	semaphore_destroy(mach_task_self(), sema_ping);
	semaphore_destroy(mach_task_self(), sema_pong);
}

/* ---- task_info and task_for_pid against what Linux offers ---------- */

static double task_vm_info_round(long n)
{
	task_vm_info_data_t vm;

	return ROUND(n, {
		mach_msg_type_number_t count = TASK_VM_INFO_COUNT;

		check(task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vm, &count) ==
		      KERN_SUCCESS, "task_info");
	});
}

/* What a Linux program reads for the same sizes: /proc/self/statm. */
static double statm_open_round(long n)
{
	char buf[128];

	return ROUND(n, {
		int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

		check(fd >= 0 && read(fd, buf, sizeof(buf)) > 0, "statm");
		close(fd);
	});
}

static pid_t bench_target;	/* a child of ours that waits */

static double task_for_pid_round(long n)
{
	pid_t pid = bench_target;

	return ROUND(n, {
		mach_port_name_t t;

		check(task_for_pid(mach_task_self(), pid, &t) == KERN_SUCCESS, "task_for_pid");
		mach_port_deallocate(mach_task_self(), t);
	});
}

/* The Linux handle on another process, with its access check: a pidfd. */
static double pidfd_round(long n)
{
	pid_t pid = bench_target;

	return ROUND(n, {
		int fd = syscall(SYS_pidfd_open, pid, 0);

		check(fd >= 0, "pidfd_open");
		check(syscall(SYS_pidfd_getfd, fd, 0x7fffffff, 0) < 0 && errno == EBADF,
		      "pidfd_getfd");
		close(fd);
	});
}

static void bench_task_info(long n)
{
	static const round_fn kinds[] = {task_vm_info_round, statm_open_round, task_for_pid_round,
					 pidfd_round};
	double best[4];

	bench_target = fork();
	if (bench_target == 0) {
		for (;;)
			pause();
	}
	check(bench_target > 0, "fork");
	best_rounds(n, kinds, 4, best);
	kill(bench_target, SIGKILL);
	waitpid(bench_target, NULL, 0);
	report("task_info(TASK_VM_INFO)", best[0], "open+read+close statm", best[1]);
	printf("  target: at most 1.0x\n");
	report("task_for_pid + deallocate", best[2], "pidfd_open+getfd+close", best[3]);
	printf("  target: at most 2.0x (the check is an open of /proc/PID/mem)\n");
}

/* mach_absolute_time against the clock it reads, with no system call either side. */
static volatile uint64_t time_sink;

static double absolute_time_round(long n)
{
	return ROUND(n, time_sink += mach_absolute_time());
}

static double monotonic_round(long n)
{
	return ROUND(n, {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		time_sink += ts.tv_sec * 1000000000ull + ts.tv_nsec;
	});
}

static void bench_time(long n)
{
	static const round_fn kinds[] = { absolute_time_round, monotonic_round };
	double best[2];

	best_rounds(n, kinds, 2, best);
	report("mach_absolute_time", best[0], "clock_gettime(CLOCK_MONOTONIC)", best[1]);
	printf("%-34s %9s   (target: at most 1.1)\n", "", "");
}

/* ---- vm: memory entries and remaps, 64 MiB at a time -------------------- */

#define VM_BENCH_SIZE (64ul << 20)

static task_t vm_target;		/* another task, mapped into */
static mach_port_t vm_entry;		/* a 64 MiB named entry */
static int vm_memfd = -1;		/* a 64 MiB memfd, the Linux side's */
static mach_vm_address_t vm_source;	/* 64 MiB touched in vm_target */
static pid_t vm_target_pid;
static char *vm_buffer;			/* ours, for process_vm_readv */

/* mach_vm_map of the entry into task; unmapped untimed. */
static double entry_map_into(task_t task)
{
	mach_vm_address_t at = 0;
	double t = TIMED(check(mach_vm_map(task, &at, VM_BENCH_SIZE, 0, VM_FLAGS_ANYWHERE,
					   vm_entry, 0, FALSE, VM_PROT_READ | VM_PROT_WRITE,
					   VM_PROT_READ | VM_PROT_WRITE, VM_INHERIT_SHARE)
			       == KERN_SUCCESS, "mach_vm_map"));

	mach_vm_deallocate(task, at, VM_BENCH_SIZE);
	return t;
}

/* Into the other task: its agent maps it. */
static double entry_map_once(void)
{
	return entry_map_into(vm_target);
}

/* Into our own: the call maps it itself, no agent. */
static double entry_map_here_once(void)
{
	return entry_map_into(mach_task_self());
}

/* mmap of the memfd, shared, by the process itself; unmapped untimed. */
static double memfd_map_once(void)
{
	void *p;
	double t = TIMED(p = mmap(NULL, VM_BENCH_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
				  vm_memfd, 0));

	check(p != MAP_FAILED, "mmap");
	munmap(p, VM_BENCH_SIZE);
	return t;
}

/* vm_remap (share) of the other task's 64 MiB into ours; unmapped untimed. */
static double remap_once(void)
{
	mach_vm_address_t at = 0;
	vm_prot_t cur, max;
	double t = TIMED(check(mach_vm_remap(mach_task_self(), &at, VM_BENCH_SIZE, 0,
					     VM_FLAGS_ANYWHERE, vm_target, vm_source, FALSE,
					     &cur, &max, VM_INHERIT_SHARE) == KERN_SUCCESS,
			       "mach_vm_remap"));

	mach_vm_deallocate(mach_task_self(), at, VM_BENCH_SIZE);
	return t;
}

/* The same bytes read out with process_vm_readv. */
static double readv_once(void)
{
	struct iovec local = { vm_buffer, VM_BENCH_SIZE };
	struct iovec remote = { (void *)(uintptr_t)vm_source, VM_BENCH_SIZE };
	ssize_t n;
	double t = TIMED(n = process_vm_readv(vm_target_pid, &local, 1, &remote, 1, 0));

	check(n == (ssize_t)VM_BENCH_SIZE, "process_vm_readv");
	return t;
}

static void bench_vm(void)
{
	memory_object_size_t size = VM_BENCH_SIZE;
	double mach_ns, linux_ns;

	check(task_create(mach_task_self(), NULL, 0, FALSE, &vm_target) == KERN_SUCCESS,
	      "task_create");
	check(pid_for_task(vm_target, &vm_target_pid) == KERN_SUCCESS, "pid_for_task");
	check(mach_make_memory_entry_64(mach_task_self(), &size, 0,
					MAP_MEM_NAMED_CREATE | VM_PROT_READ | VM_PROT_WRITE,
					&vm_entry, MACH_PORT_NULL) == KERN_SUCCESS,
	      "mach_make_memory_entry_64");
	vm_memfd = memfd_create("mach-bench", 0);
	check(vm_memfd >= 0 && ftruncate(vm_memfd, VM_BENCH_SIZE) == 0, "memfd");
	/*
	 * We and the other task's agent (its shell's first thread) on one
	 * CPU: a call is then two switches, the same every time (across CPUs
	 * the emulator's wake-ups make it vary a hundredfold from run to run).
	 */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	check(sched_setaffinity(vm_target_pid, sizeof(one), &one) == 0, "sched_setaffinity");
	pin_to(0);
	compare(101, entry_map_once, memfd_map_once, &mach_ns, &linux_ns);
	report("mach_vm_map 64 MiB entry, other task", mach_ns, "mmap 64 MiB memfd, itself",
	       linux_ns);
	printf("%-34s %9s   (medians; target: at most 1.5)\n", "", "");
	compare(101, entry_map_here_once, memfd_map_once, &mach_ns, &linux_ns);
	report("mach_vm_map 64 MiB entry, own task", mach_ns, "mmap 64 MiB memfd, itself",
	       linux_ns);
	printf("%-34s %9s   (the same call without the agent's round trip)\n", "", "");

	/* 64 MiB the other task wrote, and our buffer for its copy. */
	check(mach_vm_allocate(vm_target, &vm_source, VM_BENCH_SIZE, VM_FLAGS_ANYWHERE)
	      == KERN_SUCCESS, "mach_vm_allocate");
	vm_buffer = malloc(VM_BENCH_SIZE);
	check(vm_buffer != NULL, "malloc");
	memset(vm_buffer, 'm', VM_BENCH_SIZE);
	check(mach_vm_write(vm_target, vm_source, (vm_offset_t)vm_buffer, VM_BENCH_SIZE)
	      == KERN_SUCCESS, "mach_vm_write");
	/* The first remap makes the private range shared, once: timed alone. */
	mach_ns = remap_once();
	printf("%-34s %9.0f ns   (the first: the range becomes shared)\n",
	       "mach_vm_remap 64 MiB, first", mach_ns);
	compare(51, remap_once, readv_once, &mach_ns, &linux_ns);
	report("mach_vm_remap 64 MiB share", mach_ns, "process_vm_readv 64 MiB", linux_ns);
	printf("%-34s %9.4f   (medians; the share copies nothing)\n", "", mach_ns / linux_ns);

	pin_to(-1);
	free(vm_buffer);
	close(vm_memfd);
	mach_port_deallocate(mach_task_self(), vm_entry);
	end_task(vm_target);
}

/*
 * thread_get_state of a thread spinning in another task (stopped, read,
 * let go on) against what a Linux debugger does for the same:
 * PTRACE_INTERRUPT, waitpid for the stop, PTRACE_GETREGS, PTRACE_CONT, on
 * a process seized once. Each target spins on the other CPU.
 */
static volatile uint64_t state_spins;
static thread_act_t state_thread;
static pid_t state_tracee;

static void __attribute__((noinline, noreturn)) state_spin(void)
{
	for (;;)
		state_spins++;
}

static double get_state_of_running(void)
{
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	kern_return_t kr = KERN_SUCCESS;
	double t = TIMED(kr = thread_get_state(state_thread, x86_THREAD_STATE64,
					       (thread_state_t)&state, &count));

	check(kr == KERN_SUCCESS, "thread_get_state");
	return t;
}

static double ptrace_get_regs_of_running(void)
{
	struct user_regs_struct regs;
	int status = 0, ok = 1;
	double t = TIMED(
		ok = ptrace(PTRACE_INTERRUPT, state_tracee, 0, 0) == 0 &&
		     waitpid(state_tracee, &status, __WALL) == state_tracee &&
		     ptrace(PTRACE_GETREGS, state_tracee, 0, &regs) == 0 &&
		     ptrace(PTRACE_CONT, state_tracee, 0, 0) == 0);

	check(ok, "ptrace interrupt, getregs, cont");
	return t;
}

static void bench_thread_state(void)
{
	vm_address_t stack = 0;
	task_t task;
	double m, l;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	int other = ncpu > 1 ? 1 : 0;

	pin_to(0);
	check(task_create(mach_task_self(), NULL, 0, TRUE, &task) == KERN_SUCCESS,
	      "task_create");
	check(vm_allocate(task, &stack, 65536, VM_FLAGS_ANYWHERE) == KERN_SUCCESS,
	      "vm_allocate");
	check(thread_create(task, &state_thread) == KERN_SUCCESS, "thread_create");
	x86_thread_state64_t start = { 0 };
	start.__rip = (uint64_t)state_spin;
	start.__rsp = stack + 65536 - 8;
	start.__rflags = 0x202;
	check(thread_set_state(state_thread, x86_THREAD_STATE64, (thread_state_t)&start,
			       x86_THREAD_STATE64_COUNT) == KERN_SUCCESS, "thread_set_state");
	check(thread_resume(state_thread) == KERN_SUCCESS, "thread_resume");

	state_tracee = fork();
	if (!state_tracee) {
		pin_to(other);
		state_spin();
	}
	check(ptrace(PTRACE_SEIZE, state_tracee, 0, 0) == 0, "PTRACE_SEIZE");
	usleep(100000);		/* both spinning */
	compare(255, get_state_of_running, ptrace_get_regs_of_running, &m, &l);
	report("thread_get_state, running thread", m, "ptrace INTERRUPT+GETREGS+CONT", l);
	printf("%-34s %9s   (target: at most 1.0)\n", "", "");
	kill(state_tracee, SIGKILL);
	waitpid(state_tracee, NULL, __WALL);
	thread_terminate(state_thread);
	mach_port_deallocate(mach_task_self(), state_thread);
	end_task(task);
}

/*
 * costs: what a Mach program pays that a Linux program does not. Each
 * figure beside its target and, under it, where the Mach side's time goes,
 * part by part, with the floor the architecture sets where there is one.
 */

static void target(double ratio, double goal)
{
	printf("%-34s %9s   (target: at most %.1f; %s)\n", "", "", goal,
	       ratio <= goal ? "met" : "not met");
}

/* One part of a path: its ns, and its share of the whole. */
static void part(const char *name, double ns, double whole)
{
	printf("    %-30s %9.0f ns   %3.0f%%\n", name, ns, 100 * ns / whole);
}

static double fork_exit_wait(void)
{
	return TIMED({
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	});
}

/*
 * A child that opens /dev/null files, as many as asked, and exits: any
 * task's first call opens two files at least, its /dev/mach and its port
 * (rights are descriptors), and closes them at its exit.
 */
static double fork_open_files(int files)
{
	int status = 0;
	double t = TIMED({
		pid_t pid = fork();

		if (pid == 0) {
			for (int i = 0; i < files; i++)
				if (open("/dev/null", O_RDONLY) < 0)
					_exit(1);
			_exit(0);
		}
		waitpid(pid, &status, 0);
	});

	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child opening files");
	return t;
}

static double fork_open_one_file(void)
{
	return fork_open_files(1);
}

static double fork_open_two_files(void)
{
	return fork_open_files(2);
}

static double fork_task_once(void)
{
	int status = 0;
	double t = TIMED({
		pid_t pid = fork();

		if (pid == 0)
			_exit(mach_task_self() == MACH_PORT_NULL);
		waitpid(pid, &status, 0);
	});

	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child task");
	return t;
}

/* A forked child's first Mach call, as libmach makes it, in its parts. */
enum { FIRST_OPEN, FIRST_AGENT, FIRST_SELF, FIRST_BOOTSTRAP, FIRST_PARTS };
/* Its agent: none asked for, asked for on demand (libmach's), started. */
enum { AGENT_NONE, AGENT_ON_DEMAND, AGENT_STARTED };
static double first_call_parts[FIRST_PARTS];

static void *bench_agent(void *fd)
{
	ioctl((int)(intptr_t)fd, MACH_IOC_AGENT, (int)(intptr_t)fd);
	return NULL;
}

/*
 * libmach's start_agent(): a small detached thread with no guard page,
 * signals blocked.
 */
static int start_bench_agent(int fd)
{
	pthread_attr_t attr;
	pthread_t agent;
	sigset_t all, old;
	int err = EINVAL;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setguardsize(&attr, 0);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (size_t size = PTHREAD_STACK_MIN; err == EINVAL && size <= (1ul << 30); size *= 2) {
		pthread_attr_setstacksize(&attr, size);
		err = pthread_create(&agent, &attr, bench_agent, (void *)(intptr_t)fd);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return err == 0 && ioctl(fd, MACH_IOC_AGENT_WAIT) == 0;
}

static void __attribute__((noreturn)) first_call_in_child(int out, int agent)
{
	double parts[FIRST_PARTS] = { 0 }, at = now_ns();
	struct mach_version_args version = { 0 };
	struct mach_task_self_args self = { 0 };
	struct mach_special_port_args special = { .which = TASK_BOOTSTRAP_PORT };
	int fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
	int ok = fd >= 0 && ioctl(fd, MACH_IOC_VERSION, &version) == 0;

	parts[FIRST_OPEN] = lap(&at);
	if (agent == AGENT_ON_DEMAND)
		ok = ok && ioctl(fd, MACH_IOC_AGENT_ON_DEMAND, fd) == 0;
	else if (agent == AGENT_STARTED)
		ok = ok && start_bench_agent(fd);
	parts[FIRST_AGENT] = lap(&at);
	ok = ok && ioctl(fd, MACH_IOC_TASK_SELF, &self) == KERN_SUCCESS;
	parts[FIRST_SELF] = lap(&at);
	special.task = self.name;
	ok = ok && ioctl(fd, MACH_IOC_SPECIAL_PORT, &special) == KERN_SUCCESS;
	parts[FIRST_BOOTSTRAP] = lap(&at);
	_exit(!ok || write(out, parts, sizeof(parts)) != sizeof(parts));
}

/* fork, the child's first call made by hand (its agent: AGENT_*). */
static double fork_first_call(int agent)
{
	int out[2], status = 0;
	double t;

	check(pipe(out) == 0, "pipe");
	t = TIMED({
		pid_t pid = fork();

		if (pid == 0)
			first_call_in_child(out[1], agent);
		waitpid(pid, &status, 0);
	});
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	      read(out[0], first_call_parts, sizeof(first_call_parts)) ==
	      sizeof(first_call_parts), "first call in a child");
	close(out[0]);
	close(out[1]);
	return t;
}

static double fork_first_call_on_demand(void)
{
	return fork_first_call(AGENT_ON_DEMAND);
}

static double fork_first_call_without_agent(void)
{
	return fork_first_call(AGENT_NONE);
}

static double fork_first_call_agent_started(void)
{
	return fork_first_call(AGENT_STARTED);
}

static void costs_fork(void)
{
	static const char *const names[FIRST_PARTS] = {
		"open + VERSION", "agent asked for on demand",
		"TASK_SELF", "SPECIAL_PORT (bootstrap)",
	};
	double m, l, parts[FIRST_PARTS], rest;

	compare(101, fork_task_once, fork_exit_wait, &m, &l);
	report("fork+mach_task_self+exit", m, "fork+exit", l);
	target(m / l, 1.2);
	compare_parts(101, fork_first_call_on_demand, fork_exit_wait, &m, &l,
		      first_call_parts, FIRST_PARTS, parts);
	printf("  the same by hand, in the child (%.0f ns over fork+exit):\n", m - l);
	rest = m - l;
	for (int k = 0; k < FIRST_PARTS; k++) {
		part(names[k], parts[k], m - l);
		rest -= parts[k];
	}
	part("the rest (the task's end, ...)", rest, m - l);
	compare(101, fork_first_call_without_agent, fork_exit_wait, &m, &l);
	report("  the same, no agent asked for", m, "fork+exit", l);
	compare(101, fork_first_call_agent_started, fork_exit_wait, &m, &l);
	report("  the same, an agent started (before on demand)", m, "fork+exit", l);
	/* The floor of any design whose rights are descriptors. */
	compare(101, fork_open_one_file, fork_exit_wait, &m, &l);
	report("  floor: the child opens one file", m, "fork+exit", l);
	compare(101, fork_open_two_files, fork_exit_wait, &m, &l);
	report("  floor: the child opens two files", m, "fork+exit", l);
}

/* Our task's /dev/mach once more: for bare ioctls. */
static int mach_fd = -1;
#define BENCH_IOC_UNKNOWN _IO(MACH_IOC_MAGIC, 0x3f)

static double unknown_ioctls_round(long n)
{
	return ROUND(n, {
		ioctl(mach_fd, BENCH_IOC_UNKNOWN);
		ioctl(mach_fd, BENCH_IOC_UNKNOWN);
	});
}

static double null_ioctls_round(long n)
{
	return ROUND(n, {
		ioctl(null_fd, BENCH_IOC_UNKNOWN);
		ioctl(null_fd, BENCH_IOC_UNKNOWN);
	});
}

static void costs_task_self(long n)
{
	static const round_fn kinds[] = { self_right_round, dup_close_round,
					  unknown_ioctls_round, null_ioctls_round };
	double t[4];

	null_fd = open("/dev/null", O_RDONLY);
	mach_fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
	check(null_fd >= 0 && mach_fd >= 0, "open");
	best_rounds(n, kinds, 4, t);
	report("task_self_trap+mach_port_deallocate", t[0], "dup+close", t[1]);
	target(t[0] / t[1], 1.5);
	report("  two ioctls into the module", t[2], "dup+close", t[1]);
	report("  two ioctls on /dev/null", t[3], "dup+close", t[1]);
	close(mach_fd);
	close(null_fd);
}

static char own_thread_stack[65536] __attribute__((aligned(64)));

static void costs_threads(void)
{
	static const char *const names[] = { "thread_create", "thread_set_state",
					     "thread_resume" };
	double m, l, parts[3];

	check(task_create(mach_task_self(), NULL, 0, TRUE, &thread_home) == KERN_SUCCESS,
	      "task_create");
	vm_allocate(thread_home, &thread_stack, 65536, VM_FLAGS_ANYWHERE);
	compare_parts(101, thread_create_run, pthread_create_once, &m, &l,
		      thread_steps, 3, parts);
	report("thread_create+set_state+resume", m, "pthread_create", l);
	target(m / l, 1.5);
	for (int k = 0; k < 3; k++)
		part(names[k], parts[k], m);
	end_task(thread_home);

	/* In the caller's own task, where pthread_create makes its threads. */
	thread_home = mach_task_self();
	thread_stack = (vm_address_t)own_thread_stack;
	compare_parts(101, thread_create_run, pthread_create_once, &m, &l,
		      thread_steps, 3, parts);
	report("  the same in the caller's own task", m, "pthread_create", l);
	for (int k = 0; k < 3; k++)
		part(names[k], parts[k], m);
}

static void costs_exec(void)
{
	static const char *const names[EXEC_STEPS] = {
		"task_create(FALSE)", "vm_allocate", "vm_write", "vm_protect",
		"thread_create", "thread_set_state", "thread_resume",
		"run, exit, dead-name notice",
	};
	double m, l, parts[EXEC_STEPS];

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &death_port);
	compare_parts(101, run_in_empty_task, vfork_execve_exit, &m, &l,
		      exec_steps, EXEC_STEPS, parts);
	report("empty task + thread, run to exit", m, "vfork+execve+exit", l);
	target(m / l, 1.3);
	for (int k = 0; k < EXEC_STEPS; k++)
		part(names[k], parts[k], m);
	compare(101, empty_task_ready, vfork_execve_exit, &m, &l);
	report("  floor: empty task, first call", m, "vfork+execve+exit", l);
	mach_port_destroy(mach_task_self(), death_port);
}

static void costs_one_cpu_messages(long n)
{
	cpu_set_t all, one;
	double t[3];

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	check(sched_getaffinity(0, sizeof(all), &all) == 0 &&
	      sched_setaffinity(0, sizeof(one), &one) == 0, "sched_setaffinity");
	served(n, one_cpu_client, echo_server, t, 3);	/* its children on CPU 0 too */
	sched_setaffinity(0, sizeof(all), &all);
	report("mach_msg 64B round trip, one CPU", t[0], "pipe ping-pong 64B, one CPU", t[1]);
	target(t[0] / t[1], 1.0);
	report("  floor: semaphore_wait_signal", t[2], "pipe ping-pong 64B, one CPU", t[1]);
}

/*
 * The first norma_task_clone of a process of 512 MiB written, against
 * its floor: copying those bytes once (into fresh memory) plus a fork of
 * the same process. In a fresh process each time, three times.
 */
#define FIRST_CLONE_MIB 512

static void first_clone_in_child(int out)
{
	size_t size = (size_t)FIRST_CLONE_MIB << 20;
	double t[2];
	char *copy;

	set_ballast(FIRST_CLONE_MIB);
	copy = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(copy != MAP_FAILED, "mmap");
	t[1] = TIMED(memcpy(copy, ballast, size));
	munmap(copy, size);
	t[1] += fork_exit();
	t[0] = norma_clone_once();
	_exit(failures || write(out, t, sizeof(t)) != sizeof(t));
}

static void costs_first_clone(void)
{
	double m[3], l[3];
	char name[64];

	for (int i = 0; i < 3; i++) {
		int out[2];
		double t[2] = { 0, 1 };
		pid_t pid;

		check(pipe(out) == 0, "pipe");
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			first_clone_in_child(out[1]);
		check(read(out[0], t, sizeof(t)) == sizeof(t), "first clone");
		waitpid(pid, NULL, 0);
		close(out[0]);
		close(out[1]);
		m[i] = t[0];
		l[i] = t[1];
	}
	snprintf(name, sizeof(name), "norma_task_clone first, %d MiB", FIRST_CLONE_MIB);
	report(name, median(m, 3), "memcpy of the bytes + fork", median(l, 3));
	target(median(m, 3) / median(l, 3), 1.5);
}

static void bench_costs(long n)
{
	costs_threads();
	costs_fork();
	costs_task_self(n);
	costs_exec();
	costs_one_cpu_messages(n / 4);
	costs_first_clone();
}

int main(int argc, char **argv)
{
	/*
	 * mach-bench [iterations] | ipc (calls and messages) |
	 * tasks (task_create & co.) | norma (NORMA only) | exceptions |
	 * sample (task_sample's cost) | sema (semaphore ping-pong) |
	 * taskinfo (task_info, task_for_pid) | time (mach_absolute_time) |
	 * vm (memory entries, remaps) | thread-state (of running threads) |
	 * costs (what a Mach program pays over Linux, each figure's parts)
	 */
	const char *only = argc > 1 && (argv[1][0] < '0' || argv[1][0] > '9') ? argv[1] : "";
	long n = argc > 1 && !*only ? atol(argv[1]) : 20000;

	if (mach_task_self() == MACH_PORT_NULL) {
		fprintf(stderr, "mach-bench: no /dev/mach\n");
		return 1;
	}
	if (!*only || !strcmp(only, "ipc")) {
		printf("mach-bench: %ld iterations, best of 5 rounds taken in turn\n", n);
		bench_calls(n);
		memory_per_port();
	}
	if (!*only || !strcmp(only, "tasks")) {
		printf("task calls: medians of single operations taken in turn\n");
		bench_task_create();
		bench_threads();
	}
	if (!*only || !strcmp(only, "norma"))
		bench_norma();
	if (!*only || !strcmp(only, "exceptions")) {
		printf("exceptions: best of 5 rounds of %ld faults\n", n / 20);
		bench_exceptions(n / 20);
	}
	if (!*only || !strcmp(only, "taskinfo")) {
		printf("task_info, task_for_pid: best of 5 rounds of %ld calls\n", n / 10);
		bench_task_info(n / 10);
	}
	if (!*only || !strcmp(only, "thread-state")) {
		printf("thread state of running threads: medians of single calls taken in turn\n");
		bench_thread_state();
	}
	if (!*only || !strcmp(only, "sample")) {
		printf("task_sample: %d pairs of rounds of a CPU-bound loop, taken in turn\n",
		       SAMPLE_PAIRS);
		bench_sample();
	}
	if (!*only || !strcmp(only, "sema")) {
		printf("semaphores: best of 5 rounds of %ld round trips\n", n / 4);
		bench_semaphores(n / 4);
	}
	if (!*only || !strcmp(only, "time")) {
		printf("time: best of 5 rounds of %ld readings, taken in turn\n", 50 * n);
		bench_time(50 * n);
	}
	if (!*only || !strcmp(only, "costs")) {
		printf("costs: each figure against its target, and where its time goes\n");
		bench_costs(n);
	}
	if (!*only || !strcmp(only, "vm")) {
		printf("vm: medians of single 64 MiB operations taken in turn\n");
		bench_vm();
	}
	return failures ? 1 : 0;
}
