// SPDX-License-Identifier: GPL-2.0
/*
 * task_sample: while a task has a sample port, the program counters of
 * its threads arrive there (<mach/sample.h>); each sampled pc of a thread
 * that spins is inside its loop, for threads started before and after
 * the call alike. task_sample(task, MACH_PORT_NULL) stops it; a
 * task_create'd child inherits the port (with or without its parent's
 * memory); a dead port stops the sampling, a full queue loses batches
 * (and says so) rather than hold anyone; it is served by message as XNU's
 * MIG stub sends it (3422), through a stand-in too; bad ports get the
 * anchors' errors.
 *
 * /sys/class/misc/mach/live_samplers counts the tasks being sampled (and
 * samplers whose sender is finishing): it is how a stop is seen.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"
#include "mach_test.h"

/*
 * The loops, alone in a section of their own: a pc is in one of them iff
 * it is in [__start_mach_spin, __stop_mach_spin), which the linker gives.
 */
extern const char __start_mach_spin[], __stop_mach_spin[];

static volatile uint64_t spin_sink;

__attribute__((noinline, section("mach_spin")))
static void spin_until(volatile int *stop, volatile uint64_t *count)
{
	while (!*stop)
		++*count;
}

/* What a thread made by thread_create runs in a child with our memory. */
__attribute__((noinline, noreturn, section("mach_spin")))
static void spin_forever(void)
{
	for (;;)
		spin_sink++;
}

static int in_loop(uint64_t pc)
{
	return pc >= (uintptr_t)__start_mach_spin && pc < (uintptr_t)__stop_mach_spin;
}

/*
 * This program exec'd by an_exec_that_races_the_call_is_not_sampled:
 * spins in the loop for two seconds.
 */
static void __attribute__((constructor)) exec_spinner(void)
{
	if (!getenv("MACH_SAMPLE_SPIN"))
		return;
	alarm(2);
	spin_forever();
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A thread of ours that spins in the loop until stopped. */
struct spinner {
	pthread_t thread;
	volatile int stop;
	volatile int tid;
	volatile uint64_t count;
};

static void *spinner_main(void *arg)
{
	struct spinner *s = arg;

	s->tid = syscall(SYS_gettid);
	spin_until(&s->stop, &s->count);
	return NULL;
}

static int spinner_start(struct spinner *s)
{
	memset(s, 0, sizeof(*s));
	if (pthread_create(&s->thread, NULL, spinner_main, s))
		return -1;
	while (!s->tid)
		sched_yield();
	return 0;
}

static void spinner_stop(struct spinner *s)
{
	if (!s->tid)
		return;
	s->stop = 1;
	pthread_join(s->thread, NULL);
	s->tid = 0;
}

/* Samplers alive (or finishing), waited for to come down to at most n. */
static long samplers_down_to(long n, int ms)
{
	double end = now_ms() + ms;
	long live = mach_stat("live_samplers");

	while (live > n && now_ms() < end) {
		usleep(20 * 1000);
		live = mach_stat("live_samplers");
	}
	return live;
}

/* What the sample messages received so far told. */
struct tally {
	unsigned int messages, bad_shape;
	unsigned long dropped;
	/* per thread watched: its samples, and those inside the loop */
	int tid[4];
	unsigned int of[4], inside[4];
	/* samples of other threads (any of ours, or of a child's) */
	unsigned int others, others_inside;
	int last_other;
};

/*
 * One sample message, within ms: its samples tallied, its shape checked
 * as <mach/sample.h> says it is. MACH_RCV_TIMED_OUT if none came.
 */
static mach_msg_return_t take(mach_port_t port, int ms, struct tally *t,
			      uint64_t lo, uint64_t hi)
{
	task_sample_buffer_t b;
	mach_msg_return_t mr;

	memset(&b, 0, sizeof(b));
	mr = mach_msg(&b.msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), port,
		      ms, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	t->messages++;
	if (b.msg.header.msgh_id != TASK_SAMPLE_MSG_ID ||
	    b.msg.count < 1 || b.msg.count > TASK_SAMPLE_MAX ||
	    b.msg.header.msgh_size != TASK_SAMPLE_MSG_SIZE(b.msg.count) ||
	    b.msg.header.msgh_bits != MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) ||
	    b.msg.header.msgh_remote_port != MACH_PORT_NULL ||
	    b.msg.header.msgh_local_port != port) {
		t->bad_shape++;
		return mr;
	}
	t->dropped += b.msg.dropped;
	for (unsigned int i = 0; i < b.msg.count; i++) {
		const task_sample_t *s = &b.msg.samples[i];
		int inside = lo ? s->pc >= lo && s->pc < hi : in_loop(s->pc);
		int k;

		for (k = 0; k < 4; k++)
			if (t->tid[k] && (uint64_t)t->tid[k] == s->thread)
				break;
		if (k < 4) {
			t->of[k]++;
			t->inside[k] += inside;
		} else {
			t->others++;
			t->others_inside += inside;
			t->last_other = s->thread;
		}
	}
	return mr;
}

/* Takes messages for up to ms, until each thread watched has want samples in the loop. */
static void collect(mach_port_t port, int ms, unsigned int want, struct tally *t)
{
	double end = now_ms() + ms;

	for (;;) {
		int done = 1;

		for (int k = 0; k < 4; k++)
			if (t->tid[k] && t->inside[k] < want)
				done = 0;
		if (done || now_ms() >= end)
			return;
		take(port, 500, t, 0, 0);
	}
}

/* Receives and drops whatever is queued on port now. */
static void drain(mach_port_t port)
{
	struct tally t = { 0 };

	while (take(port, 0, &t, 0, 0) == MACH_MSG_SUCCESS)
		;
}

FIXTURE(sample) {
	struct made made;
	mach_port_t port;
	long samplers;
	struct spinner a, b;
};

/* Samplers alive before a test: those of tests before it gone first. */
static long samplers_before(void)
{
	return samplers_down_to(0, 3000);
}

FIXTURE_SETUP(sample)
{
	made_begin(&self->made);
	self->samplers = samplers_before();
	ASSERT_LE(0, self->samplers);
	self->port = new_port();
	ASSERT_NE(MACH_PORT_NULL, self->port);
	memset(&self->a, 0, sizeof(self->a));
	memset(&self->b, 0, sizeof(self->b));
}

FIXTURE_TEARDOWN(sample)
{
	task_sample(mach_task_self(), MACH_PORT_NULL);
	spinner_stop(&self->a);
	spinner_stop(&self->b);
	made_end(&self->made);
}

/* One thread spinning before the call, one started after it. */
TEST_F_TIMEOUT(sample, each_threads_pcs_arrive_from_inside_its_loop, 90)
{
	struct tally t = { 0 };

	ASSERT_EQ(0, spinner_start(&self->a));
	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), self->port));
	EXPECT_EQ(self->samplers + 1, mach_stat("live_samplers"));
	ASSERT_EQ(0, spinner_start(&self->b));
	t.tid[0] = self->a.tid;
	t.tid[1] = self->b.tid;
	collect(self->port, 20000, 10, &t);

	EXPECT_EQ(0, t.bad_shape);
	EXPECT_LE(10, t.inside[0]) {
		TH_LOG("thread started before: %u samples, %u in the loop", t.of[0], t.inside[0]);
	}
	EXPECT_LE(10, t.inside[1]) {
		TH_LOG("thread started after: %u samples, %u in the loop", t.of[1], t.inside[1]);
	}
	/* A spinning thread is in its loop, but for a moment now and then. */
	for (int k = 0; k < 2; k++) {
		EXPECT_LE(8 * t.of[k], 10 * t.inside[k]) {
			TH_LOG("thread %d: %u of its %u samples in the loop [%p, %p)", k,
			       t.inside[k], t.of[k], __start_mach_spin, __stop_mach_spin);
		}
	}
}

/* The CPU time thread has run, in ms. */
static double cpu_ms(pthread_t thread)
{
	struct timespec ts;
	clockid_t clock;

	if (pthread_getcpuclockid(thread, &clock) || clock_gettime(clock, &ts))
		return -1;
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

TEST_F_TIMEOUT(sample, null_stops_it, 90)
{
	struct tally t = { 0 };
	double start, begin, end, ran;

	ASSERT_EQ(0, spinner_start(&self->a));
	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), self->port));
	t.tid[0] = self->a.tid;
	collect(self->port, 20000, 1, &t);
	ASSERT_LE(1, t.inside[0]);

	/*
	 * A few samples more, not yet due to be sent (a batch waits up to
	 * TASK_SAMPLE_FLUSH_MSEC): the stop sends them before it returns.
	 */
	drain(self->port);
	start = cpu_ms(self->a.thread);
	begin = now_ms();
	end = begin + 10000;
	while ((ran = cpu_ms(self->a.thread) - start) < 4 * TASK_SAMPLE_PERIOD_USEC / 1000 &&
	       now_ms() < end)
		usleep(1000);
	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), MACH_PORT_NULL));
	memset(&t, 0, sizeof(t));
	t.tid[0] = self->a.tid;
	EXPECT_EQ(MACH_MSG_SUCCESS, take(self->port, 0, &t, 0, 0)) {
		TH_LOG("the thread ran %.1f ms in %.1f ms", ran, now_ms() - begin);
	}
	EXPECT_LE(1, t.of[0]);
	EXPECT_GE(self->samplers, samplers_down_to(self->samplers, 2000));
	/* What was sent before is there; nothing comes after, spin as it may. */
	drain(self->port);
	memset(&t, 0, sizeof(t));
	usleep(3 * MACH_SAMPLE_FLUSH_MS * 1000);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, take(self->port, 500, &t, 0, 0));
	EXPECT_EQ(0, t.messages);
	/* Stopping what is stopped is no error. */
	EXPECT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), MACH_PORT_NULL));
}

TEST_F_TIMEOUT(sample, a_dead_port_stops_it_and_another_starts_it_again, 90)
{
	struct tally t = { 0 };
	mach_port_t again = new_port();

	ASSERT_EQ(0, spinner_start(&self->a));
	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), self->port));
	t.tid[0] = self->a.tid;
	collect(self->port, 20000, 1, &t);
	ASSERT_LE(1, t.inside[0]);
	ASSERT_EQ(self->samplers + 1, mach_stat("live_samplers"));

	/* The next batch finds it dead: the sampling stops, unasked. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), self->port));
	EXPECT_GE(self->samplers, samplers_down_to(self->samplers, 5000));

	memset(&t, 0, sizeof(t));
	t.tid[0] = self->a.tid;
	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), again));
	collect(again, 20000, 3, &t);
	EXPECT_LE(3, t.inside[0]);
}

TEST_F_TIMEOUT(sample, a_full_queue_loses_batches_and_holds_nobody, 90)
{
	mach_port_limits_t limits = { .mpl_qlimit = 1 };
	struct tally t = { 0 };
	uint64_t before, during;
	double start;

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(mach_task_self(), self->port,
							 MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&limits,
							 MACH_PORT_LIMITS_INFO_COUNT));
	ASSERT_EQ(0, spinner_start(&self->a));
	before = self->a.count;
	usleep(500 * 1000);
	before = self->a.count - before;

	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), self->port));
	/* Nobody receives: the first batch waits, the next ones are lost. */
	usleep(12 * MACH_SAMPLE_FLUSH_MS * 1000);
	during = self->a.count;
	usleep(500 * 1000);
	during = self->a.count - during;
	EXPECT_LE(before, 4 * during) {
		TH_LOG("the thread ran %llu times in 500 ms, %llu with the queue full",
		       (unsigned long long)before, (unsigned long long)during);
	}

	t.tid[0] = self->a.tid;
	ASSERT_EQ(MACH_MSG_SUCCESS, take(self->port, 1000, &t, 0, 0));
	EXPECT_EQ(0, t.dropped);	/* the first had room */
	/* The next that finds room tells how many were lost meanwhile. */
	ASSERT_EQ(MACH_MSG_SUCCESS, take(self->port, 5000, &t, 0, 0));
	EXPECT_LT(0, t.dropped) {
		TH_LOG("%u messages, %lu samples lost", t.messages, t.dropped);
	}
	EXPECT_EQ(0, t.bad_shape);

	/* A stop does not wait for room either. */
	usleep(5 * MACH_SAMPLE_FLUSH_MS * 1000);
	start = now_ms();
	EXPECT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), MACH_PORT_NULL));
	EXPECT_GT(2000, now_ms() - start);
	EXPECT_GE(self->samplers, samplers_down_to(self->samplers, 2000));
}

/* Served by message as XNU's stub sends task_sample (3422), and through a stand-in. */
TEST_F_TIMEOUT(sample, by_message_and_through_a_stand_in, 90)
{
	union exchange x;
	struct proxy proxy;
	struct tally t = { 0 };

	ASSERT_EQ(0, spinner_start(&self->a));
	one_port(&x, self->port, MACH_MSG_TYPE_MAKE_SEND);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 3422, &x,
					 sizeof(mach_msg_header_t) + 4 + 12,
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(3522, x.out.head.msgh_id);
	EXPECT_EQ(sizeof(mig_reply_error_t), x.out.head.msgh_size);
	EXPECT_EQ(KERN_SUCCESS, x.out.s.ret);
	t.tid[0] = self->a.tid;
	collect(self->port, 20000, 1, &t);
	EXPECT_LE(1, t.inside[0]);
	/* A copied right to a kernel object's port: samples could not be had there. */
	one_port(&x, mach_host_self(), MACH_MSG_TYPE_COPY_SEND);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 3422, &x,
					 sizeof(mach_msg_header_t) + 4 + 12,
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);
	EXPECT_EQ(self->samplers + 1, mach_stat("live_samplers"));	/* ours goes on */

	/* Through a port that stands in for our task: the same answers. */
	proxy_start(&proxy, mach_task_self());
	EXPECT_EQ(KERN_SUCCESS, task_sample(proxy.port, MACH_PORT_NULL));
	EXPECT_EQ(1, proxy.forwarded);
	EXPECT_GE(self->samplers, samplers_down_to(self->samplers, 2000));
	EXPECT_EQ(KERN_SUCCESS, task_sample(proxy.port, self->port));
	EXPECT_EQ(self->samplers + 1, mach_stat("live_samplers"));
	/* Its stub's send fails on a right it cannot make a send right of. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_sample(proxy.port, mach_host_self()));
	EXPECT_EQ(2, proxy.forwarded);
	proxy_stop(&proxy);
	drain(self->port);
	memset(&t, 0, sizeof(t));
	t.tid[0] = self->a.tid;
	collect(self->port, 20000, 1, &t);
	EXPECT_LE(1, t.inside[0]);
}

TEST_F(sample, bad_ports_get_the_anchors_errors)
{
	mach_port_t me = mach_task_self(), set, dead, name_port;
	struct mach_task_control_args args = { 0 };
	int fd;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_DEAD_NAME, &dead));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(me, TASK_NAME_PORT, &name_port));

	/* Not a receive right: a MIG stub's make-send of it fails. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_sample(me, mach_host_self()));	/* send only */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_sample(me, me));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_sample(me, set));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_sample(me, dead));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_sample(me, 0x7ffffff0));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_sample(me, MACH_PORT_DEAD));
	/* Not a task: as every task call answers. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_sample(MACH_PORT_NULL, self->port));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_sample(0x7ffffff0, self->port));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_sample(dead, self->port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_sample(mach_thread_self(), self->port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_sample(mach_host_self(), self->port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_sample(name_port, self->port));
	EXPECT_EQ(self->samplers, mach_stat("live_samplers"));
	/* The port was not taken by any of them. */
	mach_port_urefs_t refs = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(me, self->port, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1, refs);

	/* The ioctl: a value with another op, unknown flags. */
	fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	args.task = me;
	args.op = MACH_TASK_SUSPEND;
	args.value = self->port;
	EXPECT_EQ(-1, ioctl(fd, MACH_IOC_TASK_CONTROL, &args));
	EXPECT_EQ(EINVAL, errno);
	args.op = MACH_TASK_SAMPLE;
	args.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, MACH_IOC_TASK_CONTROL, &args));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_EQ(self->samplers, mach_stat("live_samplers"));
}

/* A sampled process that is killed, its threads spinning, leaves nothing. */
TEST_F(sample, the_end_of_a_sampled_task_stops_it)
{
	int ready[2];
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(ready));
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* A task of its own, sampled to a port of its own. */
		struct spinner s;
		mach_port_t port = new_port();

		close(ready[0]);
		if (port == MACH_PORT_NULL || task_sample(mach_task_self(), port) != KERN_SUCCESS ||
		    spinner_start(&s) || write(ready[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	EXPECT_EQ(self->samplers + 1, mach_stat("live_samplers"));
	usleep(3 * MACH_SAMPLE_FLUSH_MS * 1000);	/* batches sent, and queued */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_GE(self->samplers, samplers_down_to(self->samplers, 5000));
}

/* A thread that waits, for a process with many. */
static void *waiter_main(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/* A thread that execs this program (which spins) once told to go. */
static void *execer_main(void *arg)
{
	char *const argv[] = { "sample", NULL };
	char *const envp[] = { "MACH_SAMPLE_SPIN=1", NULL };
	int *go = arg;
	char c;

	if (read(*go, &c, 1) == 1)
		execve("/proc/self/exe", argv, envp);
	_exit(2);
}

/*
 * A child with many threads, one of which execs this program (which
 * spins) once told to go, just before task_sample asks for its task: the
 * attach to a thousand threads takes long enough for the exec to happen
 * in the middle, and the thread that exec'd leads the process after it. Whether the call saw the old program (and its
 * events went with the exec, as perf's do) or the new one (and answered
 * that the port died with it), the new program is never sampled: it may
 * be a set-id one, which the caller's right was not for.
 */
TEST_F_TIMEOUT(sample, an_exec_that_races_the_call_is_not_sampled, 240)
{
	/* Eight rounds, or what a minute allows (a debug kernel's threads are slow). */
	double budget_end = now_ms() + 60000;

	for (int round = 0; round < 8 && (round == 0 || now_ms() < budget_end); round++) {
		int ready[2], go[2], pid, status;
		struct tally t = { 0 };
		kern_return_t kr;
		task_t task;
		char c = 0;

		ASSERT_EQ(0, pipe(ready));
		ASSERT_EQ(0, pipe(go));
		pid = made_fork(&self->made);
		ASSERT_LE(0, pid);
		if (pid == 0) {
			pthread_attr_t attr;
			pthread_t thread;

			pthread_attr_init(&attr);
			pthread_attr_setstacksize(&attr, 64 * 1024);
			for (int i = 0; i < 1000; i++)
				if (pthread_create(&thread, &attr, waiter_main, NULL))
					_exit(1);
			if (pthread_create(&thread, &attr, execer_main, &go[0]) ||
			    write(ready[1], &c, 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		ASSERT_EQ(1, read(ready[0], &c, 1));
		ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), pid, &task));
		ASSERT_EQ(1, write(go[1], &c, 1));
		usleep(round * 200);
		kr = task_sample(task, self->port);
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == MACH_SEND_INVALID_DEST) {
			TH_LOG("task_sample: %#x", kr);
		}
		/* The new program spins for two seconds: a second of it sampled, if at all. */
		for (double end = now_ms() + 1000; now_ms() < end;)
			take(self->port, 200, &t, 0, 0);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		drain(self->port);
		EXPECT_EQ(0, t.others_inside) {
			TH_LOG("round %d: the new program's loop sampled %u times",
			       round, t.others_inside);
		}
		mach_port_deallocate(mach_task_self(), task);
		close(ready[0]);
		close(ready[1]);
		close(go[0]);
		close(go[1]);
		if (t.others_inside)
			break;
	}
}

FIXTURE(child) {
	struct made made;
	mach_port_t port;
	long samplers;
};

FIXTURE_VARIANT(child) {
	boolean_t inherit_memory;
};

FIXTURE_VARIANT_ADD(child, with_memory) { .inherit_memory = TRUE };
FIXTURE_VARIANT_ADD(child, without_memory) { .inherit_memory = FALSE };

FIXTURE_SETUP(child)
{
	made_begin(&self->made);
	self->samplers = samplers_before();
	ASSERT_LE(0, self->samplers);
	self->port = new_port();
	ASSERT_NE(MACH_PORT_NULL, self->port);
}

FIXTURE_TEARDOWN(child)
{
	task_sample(mach_task_self(), MACH_PORT_NULL);
	made_end(&self->made);
}

/* Is tid a thread of process pid? */
static int thread_of(int pid, uint64_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%llu", pid, (unsigned long long)tid);
	return access(path, F_OK) == 0;
}

TEST_F_TIMEOUT(child, a_task_created_child_inherits_the_port, 90)
{
	static const unsigned char jump_to_self[] = { 0xeb, 0xfe };
	vm_address_t stack = 0, code = 0;
	uint64_t lo = 0, hi = 0, rip;
	struct tally t = { 0 };
	thread_act_t thread;
	task_t child;
	int pid = 0;
	double end;

	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), self->port));
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0,
						 variant->inherit_memory, &child));
	/* Ours stops; the child's is its own. */
	ASSERT_EQ(KERN_SUCCESS, task_sample(mach_task_self(), MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));

	/* A thread of its own that spins: in our loop, or on a jump to itself. */
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(child, &stack, 16 * 4096, VM_FLAGS_ANYWHERE));
	if (variant->inherit_memory) {
		rip = (uintptr_t)spin_forever;
	} else {
		ASSERT_EQ(KERN_SUCCESS, write_code(child, jump_to_self, sizeof(jump_to_self),
						   &code));
		rip = lo = code;
		hi = code + sizeof(jump_to_self);
	}
	ASSERT_EQ(KERN_SUCCESS, thread_create(child, &thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, rip, stack + 16 * 4096 - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));

	drain(self->port);	/* our own, if any came late */
	end = now_ms() + 20000;
	while (t.others_inside < 10 && now_ms() < end)
		take(self->port, 500, &t, lo, hi);
	EXPECT_EQ(0, t.bad_shape);
	ASSERT_LE(10, t.others_inside) {
		TH_LOG("%u messages, %u samples, %u in the loop", t.messages, t.others,
		       t.others_inside);
	}
	EXPECT_TRUE(thread_of(pid, t.last_other)) {
		TH_LOG("tid %d is not a thread of the child %d", t.last_other, pid);
	}

	/* Its end stops its sampling. */
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_GE(self->samplers, samplers_down_to(self->samplers, 5000));
}

TEST_HARNESS_MAIN
