// SPDX-License-Identifier: GPL-2.0
/*
 * mach-bench: each Mach call against the Linux primitive it stands beside,
 * measured side by side in one run; the figure that matters is the ratio.
 * Run it in the test VM with `make bench` (scripts/bench).
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_norma.h>

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
static task_t bench_task;
static thread_act_t bench_thread;

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
 * port and times n requests (client returns ns per request), while this
 * process serves them until idle.
 */
static double served(long n, double (*client)(long n, mach_port_t reply),
		     void (*server)(mach_port_t port))
{
	mach_port_t self = mach_task_self(), port;
	double t = 0;
	int out[2];

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, port);
	check(pipe(out) == 0, "pipe");
	pid_t child = fork();
	if (child == 0) {
		mach_port_t reply;

		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
		t = client(n, reply);
		send_quit();
		if (failures)
			t = 0;
		_exit(write(out[1], &t, sizeof(t)) == sizeof(t) ? 0 : 1);
	}
	close(out[1]);
	server(port);
	check(read(out[0], &t, sizeof(t)) == sizeof(t) && t > 0, "client");
	close(out[0]);
	waitpid(child, NULL, 0);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	mach_port_destroy(self, port);
	return t;
}

/* Round trips of a 64-byte message: send and receive the reply in one call. */
static double round_trip_client(long n, mach_port_t reply)
{
	union msgbuf buf;

	return MEASURE(n, {
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		buf.msg.header.msgh_size = sizeof(buf.msg);
		buf.msg.header.msgh_remote_port = bootstrap_port;
		buf.msg.header.msgh_local_port = reply;
		buf.msg.header.msgh_id = 0;
		check(mach_msg(&buf.msg.header, MACH_SEND_MSG | MACH_RCV_MSG,
			       sizeof(buf.msg), sizeof(buf), reply, 0,
			       MACH_PORT_NULL) == KERN_SUCCESS, "mach_msg");
	});
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
static double right_client(long n, mach_port_t reply)
{
	union right_buf buf;
	mach_port_t gift;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &gift);
	return MEASURE(n, {
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE) |
					   MACH_MSGH_BITS_COMPLEX;
		buf.msg.header.msgh_size = sizeof(buf.msg);
		buf.msg.header.msgh_remote_port = bootstrap_port;
		buf.msg.header.msgh_local_port = reply;
		buf.msg.header.msgh_id = 0;
		buf.msg.body.msgh_descriptor_count = 1;
		buf.msg.right.name = gift;
		buf.msg.right.disposition = MACH_MSG_TYPE_MAKE_SEND;
		buf.msg.right.type = MACH_MSG_PORT_DESCRIPTOR;
		check(mach_msg(&buf.msg.header, MACH_SEND_MSG | MACH_RCV_MSG,
			       sizeof(buf.msg), sizeof(buf), reply, 0,
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

/* One fd per message over a unix socket with SCM_RIGHTS, acknowledged. */
static double scm_rights_round_trip(long n)
{
	int sv[2], fd = open("/dev/null", O_RDONLY);
	char byte = 0;
	double t;

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	pid_t pid = fork();
	if (pid == 0) {
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
	t = MEASURE(n, check(send_fd(sv[0], fd, &byte) == 0, "SCM_RIGHTS"));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(sv[0]);
	close(sv[1]);
	close(fd);
	return t;
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

/*
 * The median of n single operations, each timed alone, in ns. Process
 * creation is noisy under emulation (the other CPU is busy with the last
 * child's exit): the median is steadier than a best or a mean.
 */
#define EACH(n, setup, body, teardown) ({				\
	static double samples[256];					\
	for (long i = 0; i < (n); i++) {				\
		setup;							\
		double t0 = now_ns();					\
		body;							\
		samples[i] = now_ns() - t0;				\
		teardown;						\
	}								\
	median(samples, (n));						\
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

/*
 * The classic Mach exec path to its first effect: an empty task, a tiny
 * program written in, a thread started at it; the program stores a word,
 * which the parent waits to see. Against vfork+execve and posix_spawn of
 * the same effect from a static program (mach-nop exits at once; the wait
 * for its exit is the effect's stand-in).
 */
static void run_in_empty_task(void)
{
	unsigned char program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,	/* movabs $data, %rax */
		0xc7, 0x00, 0x01, 0, 0, 0,		/* movl $1, (%rax) */
		0xeb, 0xfe,				/* jmp . */
	};
	x86_thread_state64_t state = { 0 };
	vm_address_t code = 0, data;
	thread_act_t thread;
	unsigned int word = 0;
	task_t task;

	check(task_create(mach_task_self(), NULL, 0, FALSE, &task) == KERN_SUCCESS,
	      "task_create");
	vm_allocate(task, &code, 8192, VM_FLAGS_ANYWHERE);
	data = code + 4096;
	memcpy(program + 2, &data, 8);
	vm_write(task, code, (vm_offset_t)program, sizeof(program));
	vm_protect(task, code, 4096, FALSE, VM_PROT_READ | VM_PROT_EXECUTE);
	thread_create(task, &thread);
	state.__rip = code;
	state.__rsp = code + 8192 - 64;
	state.__rflags = 0x202;
	thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
			 x86_THREAD_STATE64_COUNT);
	thread_resume(thread);
	/*
	 * Polling with short sleeps: a busy poll would keep the new thread
	 * off this CPU, where it is likely queued.
	 */
	for (long i = 0; !word && i < 100000; i++) {
		if (vm_read_overwrite(task, data, 4, (vm_address_t)&word, NULL))
			break;
		if (!word)
			usleep(20);
	}
	check(word == 1, "the program in the empty task");
	bench_task = task;
	bench_thread = thread;
}

static void *pthread_nop(void *arg)
{
	return arg;
}

static void bench_threads(void)
{
	char *const argv[] = { "mach-nop", NULL };
	double m, l;
	pid_t pid = 0;

	m = EACH(101, , run_in_empty_task(), {
		task_terminate(bench_task);
		mach_port_deallocate(mach_task_self(), bench_thread);
		mach_port_deallocate(mach_task_self(), bench_task);
	});
	l = EACH(101, , {
		pid = vfork();
		if (pid == 0) {
			execve("/opt/mach/bin/mach-nop", argv, NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}, );
	report("empty task + thread, to its effect", m, "vfork+execve+exit", l);
	l = EACH(101, , {
		check(posix_spawn(&pid, "/opt/mach/bin/mach-nop", NULL, NULL,
				  argv, NULL) == 0, "posix_spawn");
		waitpid(pid, NULL, 0);
	}, );
	report("empty task + thread, to its effect", m, "posix_spawn+exit", l);

	/* A thread made and run in our own task, against pthread_create. */
	thread_act_t thread;
	task_t child;
	vm_address_t stack = 0;
	x86_thread_state64_t state = { 0 };
	pthread_t pt;

	check(task_create(mach_task_self(), NULL, 0, TRUE, &child) == KERN_SUCCESS,
	      "task_create");
	vm_allocate(child, &stack, 65536, VM_FLAGS_ANYWHERE);
	m = EACH(101, , {
		thread_create(child, &thread);
		state.__rip = (uint64_t)pthread_exit_stub;
		state.__rsp = stack + 65536 - 8;
		state.__rflags = 0x202;
		thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
				 x86_THREAD_STATE64_COUNT);
		thread_resume(thread);
	}, {
		thread_terminate(thread);
		mach_port_deallocate(mach_task_self(), thread);
	});
	l = EACH(101, , pthread_create(&pt, NULL, pthread_nop, NULL), pthread_join(pt, NULL));
	report("thread_create+set_state+resume", m, "pthread_create", l);
	task_terminate(child);
	mach_port_deallocate(mach_task_self(), child);
}

static void bench_task_create(void)
{
	static const long sizes[] = { 4, 64, 512 };
	char *const argv[] = { "mach-nop", NULL };
	double spawn_small = 0, m, l;
	task_t child = MACH_PORT_NULL;
	pid_t pid = 0;
	char name[64];

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		long n = sizes[i] >= 512 ? 31 : 101;

		grow_to(sizes[i]);
		m = EACH(n, , {
			check(task_create(mach_task_self(), NULL, 0, TRUE, &child)
			      == KERN_SUCCESS, "task_create(TRUE)");
		}, {
			task_terminate(child);
			mach_port_deallocate(mach_task_self(), child);
		});
		l = EACH(n, , {
			pid = fork();
			if (pid == 0)
				_exit(0);
		}, waitpid(pid, NULL, 0));
		snprintf(name, sizeof(name), "task_create(TRUE), RSS %ld MiB", sizes[i]);
		report(name, m, "fork", l);

		m = EACH(n, , {
			check(task_create(mach_task_self(), NULL, 0, FALSE, &child)
			      == KERN_SUCCESS, "task_create(FALSE)");
		}, {
			task_terminate(child);
			mach_port_deallocate(mach_task_self(), child);
		});
		l = EACH(n, , {
			check(posix_spawn(&pid, "/opt/mach/bin/mach-nop", NULL, NULL,
					  argv, NULL) == 0, "posix_spawn");
		}, waitpid(pid, NULL, 0));
		snprintf(name, sizeof(name), "task_create(FALSE), RSS %ld MiB", sizes[i]);
		report(name, m, "posix_spawn(mach-nop)", l);
		if (i == 0)
			spawn_small = m;
		else if (sizes[i] == 512)
			printf("%-34s %9.2f   (target: within 1.2)\n",
			       "task_create(FALSE) 512 MiB / 4 MiB", m / spawn_small);
	}

	m = EACH(101, check(task_create(mach_task_self(), NULL, 0, TRUE, &child)
			      == KERN_SUCCESS, "task_create"), {
		check(task_terminate(child) == KERN_SUCCESS, "task_terminate");
	}, mach_port_deallocate(mach_task_self(), child));
	l = EACH(101, {
		pid = fork();
		if (pid == 0)
			for (;;)
				pause();
	}, {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}, );
	report("task_terminate", m, "kill(SIGKILL)+waitpid", l);
}

/* Our memory policy: MPOL_BIND to node, or the default (node < 0). */
static void bind_to(int node)
{
	unsigned long mask = node < 0 ? 0 : 1ul << node;

	syscall(SYS_set_mempolicy, node < 0 ? 0 : 2, node < 0 ? NULL : &mask, 64);
}

/*
 * norma_task_clone(TRUE) against fork at three sizes: the first clone
 * pays the one-time conversion of private memory to shared, a second
 * clone of the same parent does not, and fork() copies no page tables of
 * shared mappings. fork is measured first, on private memory.
 */
/*
 * norma_task_clone(TRUE) against fork, in a process of mib MiB: the first
 * clone pays the one-time conversion of private memory to shared, a
 * second clone of the same parent does not, and fork() copies no page
 * tables of shared mappings. fork is measured first, on private memory.
 * In a forked process of its own: once its memory is shared, a fork() of
 * it would share it with its child too.
 */
static void bench_clone_at(long mib)
{
	task_t child = MACH_PORT_NULL;
	long n = mib >= 512 ? 31 : 51;
	double first, m, l;
	pid_t pid = 0;
	char name[64];

	fflush(stdout);
	pid = fork();
	if (pid != 0) {
		check(pid > 0 && waitpid(pid, NULL, 0) == pid, "fork for clones");
		return;
	}
	set_ballast(mib);	/* the size measured: mib, not what came before */
	l = EACH(n, , {
		pid = fork();
		if (pid == 0)
			_exit(0);
	}, waitpid(pid, NULL, 0));
	first = EACH(1, , {
		check(norma_task_clone(mach_task_self(), TRUE, 0, &child) == KERN_SUCCESS,
		      "norma_task_clone");
	}, {
		task_terminate(child);
		mach_port_deallocate(mach_task_self(), child);
	});
	m = EACH(n, , {
		check(norma_task_clone(mach_task_self(), TRUE, 0, &child) == KERN_SUCCESS,
		      "norma_task_clone");
	}, {
		task_terminate(child);
		mach_port_deallocate(mach_task_self(), child);
	});
	snprintf(name, sizeof(name), "norma_task_clone first, %ld MiB", mib);
	report(name, first, "fork", l);
	snprintf(name, sizeof(name), "norma_task_clone again, %ld MiB", mib);
	report(name, m, "fork", l);
	fflush(stdout);
	_exit(failures ? 1 : 0);
}

static void bench_norma(void)
{
	static const long sizes[] = { 4, 64, 512 };
	task_t child = MACH_PORT_NULL;
	double m, l;
	pid_t pid = 0;
	char name[64];

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench_clone_at(sizes[i]);
	printf("%-34s %9s   (target: second clone at 512 MiB within 0.5 of fork)\n", "", "");

	/*
	 * A task with 64 MiB resident on node 0 teleported to node 1, against
	 * migrate_pages() of a process with as much from node 0 to node 1.
	 */
	const size_t size = 64ul << 20;
	char *bytes = malloc(size);
	unsigned long from = 1, to = 2;
	vm_address_t region = 0;
	task_t task = MACH_PORT_NULL;
	int ready[2];

	check(bytes != NULL, "malloc");
	memset(bytes, 't', size);
	m = EACH(9, {
		check(norma_task_create(mach_task_self(), FALSE, 0, &task) == KERN_SUCCESS,
		      "norma_task_create");
		region = 0;
		vm_allocate(task, &region, size, VM_FLAGS_ANYWHERE);
		bind_to(0);	/* our writes fault its pages in on node 0 */
		vm_write(task, region, (vm_offset_t)bytes, size);
		bind_to(-1);
	}, {
		check(norma_task_teleport(task, TRUE, 1, &child) == KERN_SUCCESS,
		      "norma_task_teleport");
	}, {
		task_terminate(child);
		mach_port_deallocate(mach_task_self(), child);
		mach_port_deallocate(mach_task_self(), task);
	});
	l = EACH(9, {
		check(pipe(ready) == 0, "pipe");
		pid = fork();
		if (pid == 0) {
			char *mine;

			bind_to(0);
			mine = malloc(size);
			memset(mine, 't', size);
			write(ready[1], "", 1);
			for (;;)
				pause();
		}
		read(ready[0], name, 1);
	}, {
		check(syscall(SYS_migrate_pages, pid, 65, &from, &to) >= 0, "migrate_pages");
	}, {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(ready[0]);
		close(ready[1]);
	});
	report("norma_task_teleport, 64 MiB", m, "migrate_pages, 64 MiB", l);
	printf("%-34s %9s   (target: within 1.2)\n", "", "");
	free(bytes);
}

int main(int argc, char **argv)
{
	/* mach-bench [iterations] | tasks (task_create & co.) | norma (NORMA only) */
	int only_tasks = argc > 1 && strcmp(argv[1], "tasks") == 0;
	int only_norma = argc > 1 && strcmp(argv[1], "norma") == 0;
	long n = argc > 1 && !only_tasks && !only_norma ? atol(argv[1]) : 20000;
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
	if (only_tasks) {
		bench_task_create();
		bench_threads();
		return failures ? 1 : 0;
	}
	if (only_norma) {
		bench_norma();
		return failures ? 1 : 0;
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

	m = served(n / 4, round_trip_client, echo_server);
	l = linux_round_trip(n / 4, 0);
	report("mach_msg 64B round trip (send+rcv)", m, "pipe ping-pong 64B", l);
	l = linux_round_trip(n / 4, 1);
	report("mach_msg 64B round trip (send+rcv)", m, "unix socket ping-pong 64B", l);

	m = served(n / 4, right_client, right_server);
	l = scm_rights_round_trip(n / 4);
	report("one send right per message, acked", m, "one fd by SCM_RIGHTS, acked", l);

	memory_per_port();
	bench_task_create();
	bench_threads();
	bench_norma();
	return failures ? 1 : 0;
}
