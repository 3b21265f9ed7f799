// SPDX-License-Identifier: GPL-2.0
/*
 * Mach semaphores as XNU has them: semaphore_create and semaphore_destroy
 * on a task (the ioctl and the task port's messages, 3418 and 3419), and
 * the signals and waits: counting, timeouts, signal_all, wait_signal,
 * signal_thread, destruction (by the owner only, and with the owning
 * task) waking waiters with KERN_TERMINATED, interruption, other tasks
 * holding the semaphore, XNU's errors for bad names and arguments, and
 * nothing left behind (ports, memory, the user's quota of ports).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/semaphore.h>
#include <mach/ioctl.h>
#include <mach/abi.h>

#include "kselftest_harness.h"
#include "mach_test.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const mach_timespec_t no_time = { 0, 0 };

/* A count of zero: a wait that must not block finds nothing. */
static kern_return_t poll_once(semaphore_t s)
{
	return semaphore_timedwait(s, no_time);
}

/* A thread waiting on a semaphore, and how its wait ended. */
struct waiter {
	pthread_t thread;
	semaphore_t semaphore;
	semaphore_t signal;		/* wait_signal's, or null */
	mach_timespec_t timeout;	/* tv_sec ~0: none */
	thread_act_t self;		/* its Mach thread port */
	volatile int started;
	volatile int done;
	kern_return_t kr;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->self = mach_thread_self();
	w->started = 1;
	if (w->signal)
		w->kr = semaphore_wait_signal(w->semaphore, w->signal);
	else if (w->timeout.tv_sec != ~0u)
		w->kr = semaphore_timedwait(w->semaphore, w->timeout);
	else
		w->kr = semaphore_wait(w->semaphore);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Starts w waiting on s (for timeout at most, if not null), and gives it
 * time to be queued.
 */
static int start_waiter(struct waiter *w, semaphore_t s, const mach_timespec_t *timeout)
{
	memset(w, 0, sizeof(*w));
	w->semaphore = s;
	w->timeout.tv_sec = ~0u;
	if (timeout)
		w->timeout = *timeout;
	if (pthread_create(&w->thread, NULL, waiter_main, w))
		return -1;
	while (!w->started)
		usleep(1000);
	usleep(100000);
	return 0;
}

/* Waits up to 5 s for w to end: its answer, or -1. */
static kern_return_t join_waiter(struct waiter *w)
{
	for (int i = 0; i < 500 && !__atomic_load_n(&w->done, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	if (!w->done)
		return -1;
	pthread_join(w->thread, NULL);
	mach_port_deallocate(mach_task_self(), w->self);
	return w->kr;
}

FIXTURE(sema) {
	struct made made;
};

FIXTURE_SETUP(sema)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(sema)
{
	made_end(&self->made);
}

TEST_F(sema, counts_signals_and_waits)
{
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 2));
	EXPECT_TRUE(MACH_PORT_VALID(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait(s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(KERN_SUCCESS, poll_once(s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));

	/* A semaphore is a send right to a kernel port. */
	mach_port_type_t type;
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), s, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type);
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	/* destroy took the only user reference. */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), s, &type));
}

TEST_F(sema, timedwait_times_out)
{
	mach_timespec_t wait = { 0, 50 * 1000 * 1000 };
	semaphore_t s;
	double t0;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	t0 = now_ms();
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, wait));
	EXPECT_GE(now_ms() - t0, 49.0);
	/* A wait that does not block returns at once. */
	t0 = now_ms();
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));
	EXPECT_LT(now_ms() - t0, 40.0);
	/* A signal that came first is taken at once. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, wait));

	mach_timespec_t bad = { 0, 1000 * 1000 * 1000 };
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(s, bad));
	bad.tv_nsec = -1;
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(s, bad));
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait_signal(s, s, bad));
	/* Checked before the name, as XNU's trap does. */
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(MACH_PORT_NULL, bad));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST_F(sema, signal_wakes_a_waiting_thread)
{
	struct waiter w;
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(0, start_waiter(&w, s, NULL));
	EXPECT_FALSE(w.done);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, join_waiter(&w));
	/* The signal went to the waiter, not to the count. */
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));

	/* A timed wait woken before its time. */
	mach_timespec_t long_wait = { 20, 0 };
	ASSERT_EQ(0, start_waiter(&w, s, &long_wait));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, join_waiter(&w));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST_F(sema, signal_all_wakes_every_waiter)
{
	struct waiter w[3];
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	/* No waiter: nothing is counted. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, start_waiter(&w[i], s, NULL));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(s));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(KERN_SUCCESS, join_waiter(&w[i]));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/* FIFO wakes the first waiter first, LIFO the last. */
TEST_F(sema, policy_orders_the_waiters)
{
	int policies[] = { SYNC_POLICY_FIFO, SYNC_POLICY_LIFO };

	for (int p = 0; p < 2; p++) {
		struct waiter first, second;
		semaphore_t s;

		ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, policies[p], 0));
		ASSERT_EQ(0, start_waiter(&first, s, NULL));
		ASSERT_EQ(0, start_waiter(&second, s, NULL));
		EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
		usleep(200000);
		EXPECT_EQ(p == 0, first.done) {
			TH_LOG("policy %d", policies[p]);
		}
		EXPECT_EQ(p == 1, second.done) {
			TH_LOG("policy %d", policies[p]);
		}
		EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
		EXPECT_EQ(KERN_SUCCESS, join_waiter(&first));
		EXPECT_EQ(KERN_SUCCESS, join_waiter(&second));
		EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	}
}

/* Two threads pass the turn back and forth with wait_signal. */
struct pong {
	semaphore_t ping, pong;
	int rounds;
	kern_return_t kr;
};

static void *pong_main(void *arg)
{
	struct pong *p = arg;

	p->kr = semaphore_wait(p->ping);
	for (int i = 1; i < p->rounds && p->kr == KERN_SUCCESS; i++)
		p->kr = semaphore_wait_signal(p->ping, p->pong);
	if (p->kr == KERN_SUCCESS)
		p->kr = semaphore_signal(p->pong);
	return NULL;
}

TEST_F(sema, wait_signal_passes_the_turn)
{
	struct pong p = { .rounds = 200 };
	pthread_t thread;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &p.ping, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &p.pong, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(0, pthread_create(&thread, NULL, pong_main, &p));
	for (int i = 0; i < p.rounds; i++) {
		ASSERT_EQ(KERN_SUCCESS, semaphore_wait_signal(p.pong, p.ping)) {
			TH_LOG("round %d", i);
		}
	}
	pthread_join(thread, NULL);
	EXPECT_EQ(KERN_SUCCESS, p.kr);
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(p.ping));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(p.pong));

	/* A count to take: no wait, and the other is signalled all the same. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(p.ping));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait_signal(p.ping, p.pong));
	EXPECT_EQ(KERN_SUCCESS, poll_once(p.pong));
	/* Timed, with nothing to take: the signal is still given. */
	mach_timespec_t wait = { 0, 20 * 1000 * 1000 };
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait_signal(p.ping, p.pong, wait));
	EXPECT_EQ(KERN_SUCCESS, poll_once(p.pong));
	/* The semaphore to signal is checked first. */
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_wait_signal(p.ping, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_wait_signal(MACH_PORT_NULL, p.pong));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(p.pong));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), p.ping));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), p.pong));
}

TEST_F(sema, signal_thread_wakes_that_thread)
{
	struct waiter a, b;
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	/* Nobody waits: nothing counted. */
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, THREAD_NULL));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));
	ASSERT_EQ(0, start_waiter(&a, s, NULL));
	ASSERT_EQ(0, start_waiter(&b, s, NULL));
	/* The second waiter, though the first came first. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_thread(s, b.self));
	EXPECT_EQ(KERN_SUCCESS, join_waiter(&b));
	EXPECT_FALSE(a.done);
	/* A thread that does not wait here. */
	thread_act_t me = mach_thread_self();
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, me));
	mach_port_deallocate(mach_task_self(), me);
	/* Not a thread. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, s));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, 0x7ffff0));
	/* Any waiter. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_thread(s, THREAD_NULL));
	EXPECT_EQ(KERN_SUCCESS, join_waiter(&a));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST_F(sema, destroy_wakes_waiters_terminated)
{
	struct waiter w[2];
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	/* One more reference, to call on it once destroyed. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, 1));
	mach_timespec_t long_wait = { 20, 0 };
	ASSERT_EQ(0, start_waiter(&w[0], s, NULL));
	ASSERT_EQ(0, start_waiter(&w[1], s, &long_wait));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(KERN_TERMINATED, join_waiter(&w[0]));
	EXPECT_EQ(KERN_TERMINATED, join_waiter(&w[1]));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal_all(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal_thread(s, THREAD_NULL));
	EXPECT_EQ(KERN_TERMINATED, semaphore_wait(s));
	EXPECT_EQ(KERN_TERMINATED, poll_once(s));
	/* Destroyed already: its owner is no more (the right is taken all the same). */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), s));
	mach_port_type_t type;
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), s, &type));
}

/* Made in another task: it is that task's to destroy, and ends with it. */
TEST_F(sema, belongs_to_the_task_it_was_made_in)
{
	struct waiter w;
	semaphore_t s;
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(child, &s, SYNC_POLICY_FIFO, 1));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait(s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, 2));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, poll_once(s));

	/* The child ends: its semaphores are destroyed, their waiters woken. */
	ASSERT_EQ(0, start_waiter(&w, s, NULL));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(KERN_TERMINATED, join_waiter(&w));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));

	/* A task that is no task. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, semaphore_create(MACH_PORT_NULL, &s, SYNC_POLICY_FIFO, 0));
	EXPECT_EQ(MACH_PORT_NULL, s);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, semaphore_create(child, &s, SYNC_POLICY_FIFO, 0));
}

/* Another task waits on the semaphore and is signalled through it. */
TEST_F(sema, another_task_holds_it)
{
	mach_port_t old_bootstrap;
	semaphore_t s;
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      &old_bootstrap));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, s));
	for (int round = 0; round < 2; round++) {
		pid = made_fork(&self->made);
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			/* A task of its own: the semaphore is its bootstrap port. */
			mach_port_t mine;

			if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &mine))
				_exit(100);
			_exit(semaphore_wait(mine));
		}
		usleep(200000);
		EXPECT_EQ(0, waitpid(pid, &status, WNOHANG)) {
			TH_LOG("the child did not wait");
		}
		kern_return_t kr = round == 0 ? semaphore_signal(s) :
				   semaphore_destroy(mach_task_self(), s);
		EXPECT_EQ(KERN_SUCCESS, kr);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(round == 0 ? KERN_SUCCESS : KERN_TERMINATED, WEXITSTATUS(status));
	}
	EXPECT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      old_bootstrap));
	mach_port_deallocate(mach_task_self(), old_bootstrap);
}

TEST_F(sema, bad_arguments_and_names)
{
	mach_port_t port = new_port(), receive_only, dead;
	semaphore_t s = 1;

	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, -1));
	EXPECT_EQ(MACH_PORT_NULL, s);
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIXED_PRIORITY, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(mach_task_self(), &s, 0x8, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(mach_task_self(), &s, -1, 0));
	/* Not a task: a host port. */
	mach_port_t host = mach_host_self();
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(host, &s, SYNC_POLICY_FIFO, 0));

	/* Names the traps refuse, as XNU's port_name_to_semaphore does. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &receive_only));
	dead = new_port();
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_signal(MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_signal(MACH_PORT_DEAD));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_signal(0x7ffff0));
	EXPECT_EQ(KERN_INVALID_RIGHT, semaphore_signal(receive_only));
	EXPECT_EQ(KERN_INVALID_RIGHT, semaphore_wait(dead));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, semaphore_signal(port));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, semaphore_wait(mach_task_self()));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, semaphore_signal_all(host));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, poll_once(port));

	/* destroy: no semaphore, or not one (its right is taken all the same). */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	mach_port_urefs_t refs;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND,
						   &refs));
	EXPECT_EQ(1, refs);
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, semaphore_destroy(mach_task_self(), 0x7ffff0));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, semaphore_destroy(MACH_PORT_NULL, port));

	mach_port_deallocate(mach_task_self(), host);
	mach_port_destroy(mach_task_self(), port);
	mach_port_destroy(mach_task_self(), receive_only);
	mach_port_destroy(mach_task_self(), dead);
}

/*
 * libmach signals and waits with the traps that take the name as the
 * ioctl's argument; MACH_IOC_SEMAPHORE's struct carries the same calls
 * for older programs. Both answer alike, name for name.
 */
static long by_struct(int fd, uint32_t op, mach_port_name_t name)
{
	struct mach_semaphore_args args = { .op = op, .semaphore = name };

	return ioctl(fd, MACH_IOC_SEMAPHORE, &args);
}

TEST_F(sema, traps_answer_as_the_struct_call)
{
	mach_port_t port = new_port(), receive_only, dead;
	semaphore_t s;
	int fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &receive_only));
	dead = new_port();
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1));

	const struct {
		mach_port_name_t name;
		long kr;
	} names[] = {
		{ MACH_PORT_NULL, KERN_INVALID_NAME },
		{ MACH_PORT_DEAD, KERN_INVALID_NAME },
		{ 0x7ffff0, KERN_INVALID_NAME },
		{ receive_only, KERN_INVALID_RIGHT },
		{ dead, KERN_INVALID_RIGHT },
		{ port, KERN_INVALID_CAPABILITY },
		{ mach_task_self(), KERN_INVALID_CAPABILITY },
	};
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		mach_port_name_t name = names[i].name;

		EXPECT_EQ(names[i].kr, ioctl(fd, MACH_IOC_SEMAPHORE_SIGNAL, name));
		EXPECT_EQ(names[i].kr, by_struct(fd, MACH_SEMAPHORE_SIGNAL, name));
		EXPECT_EQ(names[i].kr, ioctl(fd, MACH_IOC_SEMAPHORE_WAIT, name));
		EXPECT_EQ(names[i].kr, by_struct(fd, MACH_SEMAPHORE_WAIT, name));
	}

	/* Each signal counts once, by either way; each wait takes one. */
	EXPECT_EQ(KERN_SUCCESS, ioctl(fd, MACH_IOC_SEMAPHORE_SIGNAL, s));
	EXPECT_EQ(KERN_SUCCESS, by_struct(fd, MACH_SEMAPHORE_SIGNAL, s));
	EXPECT_EQ(KERN_SUCCESS, ioctl(fd, MACH_IOC_SEMAPHORE_WAIT, s));
	EXPECT_EQ(KERN_SUCCESS, by_struct(fd, MACH_SEMAPHORE_WAIT, s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));

	/* The same call, another size or direction: not this ioctl. */
	EXPECT_EQ(-1, ioctl(fd, _IOW(MACH_IOC_MAGIC, 0x50, uint32_t), &s));
	EXPECT_EQ(ENOTTY, errno);

	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(KERN_INVALID_NAME, ioctl(fd, MACH_IOC_SEMAPHORE_SIGNAL, s));
	close(fd);
	mach_port_destroy(mach_task_self(), port);
	mach_port_destroy(mach_task_self(), receive_only);
	mach_port_destroy(mach_task_self(), dead);
}

/* The same routines as messages to the task port (XNU's task.defs ids). */
#pragma pack(push, 4)
struct create_request {
	mach_msg_header_t head;
	NDR_record_t ndr;
	int policy;
	int value;
};
struct create_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t semaphore;
	mach_msg_trailer_t trailer;
};
struct destroy_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t semaphore;
};
struct error_reply {
	mach_msg_header_t head;
	NDR_record_t ndr;
	kern_return_t ret;
	mach_msg_trailer_t trailer;
};
#pragma pack(pop)

TEST_F(sema, create_and_destroy_as_messages)
{
	mach_port_t reply = new_port();
	union {
		struct create_request req;
		struct create_reply rep;
		struct error_reply err;
	} c;
	union {
		struct destroy_request req;
		struct error_reply rep;
	} d;

	memset(&c, 0, sizeof(c));
	c.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	c.req.head.msgh_size = sizeof(c.req);
	c.req.head.msgh_remote_port = mach_task_self();
	c.req.head.msgh_local_port = reply;
	c.req.head.msgh_id = 3418;
	c.req.ndr = NDR_record;
	c.req.policy = SYNC_POLICY_FIFO;
	c.req.value = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&c.req.head, MACH_SEND_MSG | MACH_RCV_MSG,
					     sizeof(c.req), sizeof(c), reply, 0, MACH_PORT_NULL));
	ASSERT_EQ(3518, c.rep.head.msgh_id);
	ASSERT_TRUE(c.rep.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	ASSERT_EQ(1, c.rep.body.msgh_descriptor_count);
	semaphore_t s = c.rep.semaphore.name;
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)c.rep.semaphore.disposition);
	EXPECT_EQ(KERN_SUCCESS, poll_once(s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));

	/* A bad value: the error reply. */
	c.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	c.req.head.msgh_size = sizeof(c.req);
	c.req.head.msgh_remote_port = mach_task_self();
	c.req.head.msgh_local_port = reply;
	c.req.head.msgh_id = 3418;
	c.req.value = -1;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&c.req.head, MACH_SEND_MSG | MACH_RCV_MSG,
					     sizeof(c.req), sizeof(c), reply, 0, MACH_PORT_NULL));
	EXPECT_EQ(3518, c.err.head.msgh_id);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, c.err.ret);

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, 1));
	for (int round = 0; round < 2; round++) {
		memset(&d, 0, sizeof(d));
		d.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE) |
				       MACH_MSGH_BITS_COMPLEX;
		d.req.head.msgh_size = sizeof(d.req);
		d.req.head.msgh_remote_port = mach_task_self();
		d.req.head.msgh_local_port = reply;
		d.req.head.msgh_id = 3419;
		d.req.body.msgh_descriptor_count = 1;
		d.req.semaphore.name = s;
		d.req.semaphore.disposition = MACH_MSG_TYPE_MOVE_SEND;
		d.req.semaphore.type = MACH_MSG_PORT_DESCRIPTOR;
		ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&d.req.head, MACH_SEND_MSG | MACH_RCV_MSG,
						     sizeof(d.req), sizeof(d), reply, 0,
						     MACH_PORT_NULL));
		EXPECT_EQ(3519, d.rep.head.msgh_id);
		/* The second time it is destroyed already. */
		EXPECT_EQ(round == 0 ? KERN_SUCCESS : KERN_INVALID_ARGUMENT, d.rep.ret);
	}
	mach_port_type_t type;
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), s, &type));
	mach_port_destroy(mach_task_self(), reply);
}

/* A signal to handle ends a wait with KERN_ABORTED, as on XNU. */
static void on_usr1(int sig)
{
	(void)sig;
}

TEST_F(sema, interrupted_waits)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct waiter w;
	semaphore_t s;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(0, start_waiter(&w, s, NULL));
	ASSERT_EQ(0, pthread_kill(w.thread, SIGUSR1));
	EXPECT_EQ(KERN_ABORTED, join_waiter(&w));

	/* Suspended and resumed, a waiter goes on waiting. */
	ASSERT_EQ(0, start_waiter(&w, s, NULL));
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(w.self));
	usleep(100000);
	ASSERT_EQ(KERN_SUCCESS, thread_resume(w.self));
	usleep(100000);
	EXPECT_FALSE(w.done);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, join_waiter(&w));

	/* A timed wait suspended past its time times out once resumed. */
	memset(&w, 0, sizeof(w));
	w.semaphore = s;
	w.timeout.tv_nsec = 300 * 1000 * 1000;
	ASSERT_EQ(0, pthread_create(&w.thread, NULL, waiter_main, &w));
	while (!w.started)
		usleep(1000);
	usleep(50000);
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(w.self));
	usleep(500000);
	ASSERT_EQ(KERN_SUCCESS, thread_resume(w.self));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, join_waiter(&w));

	/* thread_abort ends it. */
	ASSERT_EQ(0, start_waiter(&w, s, NULL));
	ASSERT_EQ(KERN_SUCCESS, thread_abort(w.self));
	EXPECT_EQ(KERN_ABORTED, join_waiter(&w));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	signal(SIGUSR1, SIG_DFL);
}

/*
 * More waiters than a wake-up batch: signal_all and destroy reach every
 * one of them, in as many holds of the semaphore's lock as it takes.
 */
#define CROWD 70

struct crowd {
	semaphore_t s;
	int started;
	int woken;
	kern_return_t kr[CROWD];
};

struct crowd_member {
	struct crowd *crowd;
	int i;
};

static void *crowd_main(void *arg)
{
	struct crowd_member *m = arg;

	__atomic_add_fetch(&m->crowd->started, 1, __ATOMIC_RELEASE);
	m->crowd->kr[m->i] = semaphore_wait(m->crowd->s);
	__atomic_add_fetch(&m->crowd->woken, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Starts CROWD waiters on c->s; 0 once they have had time to queue. */
static int crowd_wait(struct crowd *c, pthread_t *threads, struct crowd_member *members)
{
	c->started = c->woken = 0;
	for (int i = 0; i < CROWD; i++) {
		members[i] = (struct crowd_member){ c, i };
		c->kr[i] = -1;
		if (pthread_create(&threads[i], NULL, crowd_main, &members[i]))
			return -1;
	}
	while (__atomic_load_n(&c->started, __ATOMIC_ACQUIRE) < CROWD)
		usleep(1000);
	usleep(300000);
	return 0;
}

/* How many woke within 10 s, all joined if all did. */
static int crowd_woken(struct crowd *c, pthread_t *threads)
{
	for (int i = 0; i < 1000 && __atomic_load_n(&c->woken, __ATOMIC_ACQUIRE) < CROWD; i++)
		usleep(10000);
	if (c->woken == CROWD)
		for (int i = 0; i < CROWD; i++)
			pthread_join(threads[i], NULL);
	return c->woken;
}

TEST_F(sema, signal_all_and_destroy_reach_a_crowd)
{
	static pthread_t threads[CROWD];
	static struct crowd_member members[CROWD];
	static struct crowd c;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &c.s, SYNC_POLICY_LIFO, 0));
	ASSERT_EQ(0, crowd_wait(&c, threads, members));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(c.s));
	ASSERT_EQ(CROWD, crowd_woken(&c, threads));
	for (int i = 0; i < CROWD; i++)
		EXPECT_EQ(KERN_SUCCESS, c.kr[i]);
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(c.s));

	ASSERT_EQ(0, crowd_wait(&c, threads, members));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), c.s));
	ASSERT_EQ(CROWD, crowd_woken(&c, threads));
	for (int i = 0; i < CROWD; i++)
		EXPECT_EQ(KERN_TERMINATED, c.kr[i]);
}

/*
 * Threads passing one semaphore as a baton, and waits racing their own
 * timeouts: no signal is lost (every waiter gets through; a lost wake-up
 * leaves one asleep for good) and none counts twice (a wake-up that came
 * as the wait timed out stands, and is not also left in the count).
 */
#define BATON_THREADS 4
#define BATON_ROUNDS 1500

struct baton {
	semaphore_t s;
	long inside;		/* only under the baton */
	long passes;		/* only under the baton */
	volatile int finished;
};

static void *baton_main(void *arg)
{
	struct baton *b = arg;

	for (int i = 0; i < BATON_ROUNDS; i++) {
		if (semaphore_wait(b->s) != KERN_SUCCESS)
			break;
		if (b->inside++ == 0)
			b->passes++;
		b->inside--;
		semaphore_signal(b->s);
	}
	__atomic_add_fetch(&b->finished, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST_F(sema, a_baton_passed_by_many_threads)
{
	pthread_t threads[BATON_THREADS];
	struct baton b = { 0 };

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &b.s, SYNC_POLICY_FIFO, 1));
	for (int i = 0; i < BATON_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, baton_main, &b));
	for (int i = 0; i < 3000 && __atomic_load_n(&b.finished, __ATOMIC_ACQUIRE) <
					 BATON_THREADS; i++)
		usleep(10000);
	/* A wake-up lost leaves threads asleep: end them, and fail. */
	ASSERT_EQ(BATON_THREADS, __atomic_load_n(&b.finished, __ATOMIC_ACQUIRE)) {
		semaphore_destroy(mach_task_self(), b.s);
		for (int i = 0; i < BATON_THREADS; i++)
			pthread_join(threads[i], NULL);
	}
	for (int i = 0; i < BATON_THREADS; i++)
		pthread_join(threads[i], NULL);
	EXPECT_EQ(BATON_THREADS * BATON_ROUNDS, b.passes);
	/* The one signal it started with, and no other. */
	EXPECT_EQ(KERN_SUCCESS, poll_once(b.s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, poll_once(b.s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), b.s));
}

struct taker {
	pthread_t thread;
	semaphore_t s;
	volatile int *stop;
	long taken;
};

static void *taker_main(void *arg)
{
	struct taker *t = arg;
	const mach_timespec_t ms = { 0, 1000 * 1000 };

	for (;;) {
		kern_return_t kr = semaphore_timedwait(t->s, ms);

		if (kr == KERN_SUCCESS)
			t->taken++;
		else if (kr != KERN_OPERATION_TIMED_OUT || *t->stop)
			break;
	}
	return NULL;
}

TEST_F(sema, timed_waits_racing_signals_count_each_once)
{
	enum { takers = 3, signals = 3000 };
	struct taker t[takers];
	volatile int stop = 0;
	long taken = 0;
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0));
	for (int i = 0; i < takers; i++) {
		t[i] = (struct taker){ .s = s, .stop = &stop };
		ASSERT_EQ(0, pthread_create(&t[i].thread, NULL, taker_main, &t[i]));
	}
	/* In bursts, so that signals meet waits on their way in and out. */
	for (int i = 0; i < signals; i++) {
		ASSERT_EQ(KERN_SUCCESS, semaphore_signal(s));
		if (i % 40 == 0)
			usleep(1000 + i % 3 * 300);
	}
	stop = 1;
	for (int i = 0; i < takers; i++) {
		pthread_join(t[i].thread, NULL);
		taken += t[i].taken;
	}
	while (poll_once(s) == KERN_SUCCESS)
		taken++;
	EXPECT_EQ(signals, taken);
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/*
 * Semaphores whose names all go (destroyed or not) leave nothing behind,
 * and each counts as a port against its maker's limit.
 */
TEST_F(sema, nothing_left_behind)
{
	semaphore_t s[64];
	long ports, allocations;

	/* What the task holds before (its ports made on first use). */
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s[0], SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s[0]));
	ports = mach_stat("live_ports");
	allocations = mach_stat("live_allocations");
	ASSERT_GT(ports, 0);

	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 64; i++)
			ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s[i],
								 SYNC_POLICY_FIFO, i));
		EXPECT_EQ(ports + 64, mach_stat("live_ports"));
		for (int i = 0; i < 64; i++)
			EXPECT_EQ(KERN_SUCCESS, round ? semaphore_destroy(mach_task_self(), s[i]) :
							mach_port_deallocate(mach_task_self(), s[i]));
		EXPECT_EQ(ports, mach_stat("live_ports"));
		EXPECT_EQ(allocations, mach_stat("live_allocations"));
	}

	/* The user's limit of ports (module parameter max_user_ports). */
	char old[32];
	const char *limit = "/sys/module/mach/parameters/max_user_ports";
	if (read_text(limit, old, sizeof(old)))
		SKIP(return, "no %s", limit);
	FILE *f = fopen(limit, "w");
	ASSERT_NE(NULL, f);
	/* Some ports of ours are counted already: room for a few more. */
	fprintf(f, "%ld\n", 0L);
	fclose(f);
	EXPECT_EQ(KERN_NO_SPACE, semaphore_create(mach_task_self(), &s[0], SYNC_POLICY_FIFO, 0));
	f = fopen(limit, "w");
	ASSERT_NE(NULL, f);
	fputs(old, f);
	fclose(f);
	EXPECT_EQ(ports, mach_stat("live_ports"));
	EXPECT_EQ(allocations, mach_stat("live_allocations"));
}

TEST_HARNESS_MAIN
