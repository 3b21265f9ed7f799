// SPDX-License-Identifier: GPL-2.0
/*
 * Agents made on demand: a process that has called Mach has no second
 * thread until a call needs one, from another task or from itself; the
 * thread sent to make it comes back to what it was doing, whatever that
 * was (blocked in a system call, computing, stopped), and the agent has
 * the credentials the process has when it is made and when it serves. A
 * thread held while it is away stops once back, with its own registers.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define NOBODY 65534

/* Threads of process pid, from its status; -1 if it cannot be read. */
static int threads_of(pid_t pid)
{
	char value[32];

	if (proc_status_line(pid, "Threads:", value, sizeof(value)))
		return -1;
	return atoi(value);
}

/*
 * How many threads of pid have the real, effective, saved and fs uid
 * uid, and how many have another.
 */
static void uids_of_threads(pid_t pid, uid_t uid, int *same, int *other)
{
	char path[300], want[64], line[256];
	struct dirent *d;
	DIR *dir;

	*same = *other = 0;
	snprintf(want, sizeof(want), "Uid:\t%u\t%u\t%u\t%u", uid, uid, uid, uid);
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/status", pid, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "Uid:", 4)) {
				if (!strncmp(line, want, strlen(want)))
					(*same)++;
				else
					(*other)++;
			}
		fclose(f);
	}
	closedir(dir);
}

/* A byte through a pipe: 0, or -1. */
static int tell(int fd, char c)
{
	return write(fd, &c, 1) == 1 ? 0 : -1;
}

static int hear(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? c : -1;
}

/* A call only the task's agent can run in another task: one page. */
static kern_return_t allocate_in(task_t task)
{
	vm_address_t address = 0;

	return vm_allocate(task, &address, 4096, VM_FLAGS_ANYWHERE);
}

FIXTURE(demand) {
	struct made made;
	int up[2], down[2];	/* child to us, us to child */
	pid_t pid;
	task_t task;
};

FIXTURE_SETUP(demand)
{
	made_begin(&self->made);
	ASSERT_EQ(0, pipe(self->up));
	ASSERT_EQ(0, pipe(self->down));
	self->task = MACH_PORT_NULL;
}

FIXTURE_TEARDOWN(demand)
{
	made_end(&self->made);
}

/* The child: its first Mach call made, it says so, then waits. */
static void child_ready(int up)
{
	if (mach_task_self() == MACH_PORT_NULL || tell(up, 'r'))
		_exit(10);
}

/* Forks a child that has called Mach, and takes its task port. */
static int start_child(struct made *made, int up[2], int down[2], pid_t *pid,
		       task_t *task, void (*body)(int up, int down))
{
	*pid = made_fork(made);
	if (*pid == 0) {
		close(up[0]);
		close(down[1]);
		child_ready(up[1]);
		body(up[1], down[0]);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	if (*pid < 0 || hear(up[0]) != 'r')
		return -1;
	return task_for_pid(mach_task_self(), *pid, task) == KERN_SUCCESS ? 0 : -1;
}

#define START_CHILD(body) \
	start_child(&self->made, self->up, self->down, &self->pid, &self->task, body)

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Waits for the parent's word, blocked in read(), and says what came. */
static void wait_in_read(int up, int down)
{
	sigset_t mask, now;
	int c;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	errno = 0;
	c = hear(down);
	sigprocmask(SIG_SETMASK, NULL, &now);
	/* The word, not EINTR; the signal mask as it was. */
	if (c != 'g' || !sigismember(&now, SIGUSR1) || sigismember(&now, SIGUSR2))
		_exit(20);
	tell(up, 'd');
}

TEST_F(demand, a_process_that_called_mach_has_no_agent_until_one_is_needed)
{
	ASSERT_EQ(0, START_CHILD(wait_in_read));
	EXPECT_EQ(1, threads_of(self->pid));
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_EQ(2, threads_of(self->pid));
	/* Made once: the next call finds it. */
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_EQ(2, threads_of(self->pid));
	ASSERT_EQ(0, tell(self->down[1], 'g'));
	EXPECT_EQ('d', hear(self->up[0]));
	EXPECT_EQ(0, child_status(self->pid));
}

TEST_F(demand, a_thread_blocked_in_a_system_call_makes_it_and_goes_on_blocked)
{
	ASSERT_EQ(0, START_CHILD(wait_in_read));
	usleep(50000);		/* in its read() by now */
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	/* Still in read(): no word came, and none was made up. */
	usleep(50000);
	EXPECT_EQ(0, waitpid(self->pid, NULL, WNOHANG));
	ASSERT_EQ(0, tell(self->down[1], 'g'));
	EXPECT_EQ('d', hear(self->up[0]));
	EXPECT_EQ(0, child_status(self->pid));
}

/* Set by the parent (vm_write): the computing loop stops. */
static uint32_t stop_word;

struct mix {
	uint64_t a, b, c, d;
};

static void mix_step(struct mix *m)
{
	m->a = m->a * 6364136223846793005ULL + m->b;
	m->b ^= m->a >> 7;
	m->c += m->b * 3;
	m->d = (m->d << 1 | m->d >> 63) ^ m->c;
}

/*
 * Computes in user mode, never entering the kernel, until told to stop;
 * then computes as many steps again, undisturbed, and compares: a
 * register the summons did not give back would show.
 */
static void compute(int up, int down)
{
	struct mix first = { 1, 2, 3, 4 }, again = { 1, 2, 3, 4 };
	unsigned long n = 0;

	tell(up, 'c');
	while (!__atomic_load_n(&stop_word, __ATOMIC_RELAXED)) {
		mix_step(&first);
		n++;
	}
	for (unsigned long i = 0; i < n; i++)
		mix_step(&again);
	_exit(memcmp(&first, &again, sizeof(first)) ? 30 : 0);
}

TEST_F(demand, a_thread_computing_in_user_mode_makes_it_and_computes_on)
{
	uint32_t one = 1;

	ASSERT_EQ(0, START_CHILD(compute));
	ASSERT_EQ('c', hear(self->up[0]));
	usleep(50000);
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_EQ(2, threads_of(self->pid));
	usleep(50000);
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->task, (vm_address_t)&stop_word,
					 (vm_offset_t)&one, sizeof(one)));
	EXPECT_EQ(0, child_status(self->pid));
}

/*
 * Holds a 64-bit value in rax, in user mode, until told to stop: the
 * register a summons must give back whole (an ioctl's return is an int).
 */
static void hold_rax(int up, int down)
{
	const uint64_t value = 0x8badf00d12345678ULL;
	uint64_t rax = value;

	tell(up, 'a');
	asm volatile("1: cmpl $0, %[stop]\n\tje 1b"
		     : "+a"(rax) : [stop] "m"(stop_word));
	_exit(rax == value ? 0 : 31);
}

TEST_F(demand, a_thread_sent_from_user_mode_comes_back_with_its_rax_whole)
{
	uint32_t one = 1;

	ASSERT_EQ(0, START_CHILD(hold_rax));
	ASSERT_EQ('a', hear(self->up[0]));
	usleep(50000);
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_EQ(2, threads_of(self->pid));
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->task, (vm_address_t)&stop_word,
					 (vm_offset_t)&one, sizeof(one)));
	EXPECT_EQ(0, child_status(self->pid));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

TEST_F(demand, a_stopped_process_is_aborted_and_makes_it_once_continued)
{
	long long t0;
	int status;

	ASSERT_EQ(0, START_CHILD(wait_in_read));
	ASSERT_EQ(0, kill(self->pid, SIGSTOP));
	ASSERT_EQ(self->pid, waitpid(self->pid, &status, WUNTRACED));
	t0 = now_ms();
	/* As a call to a stopped agent: the caller is not held for long. */
	EXPECT_EQ(KERN_ABORTED, allocate_in(self->task));
	EXPECT_GT(4000, now_ms() - t0);
	EXPECT_EQ(1, threads_of(self->pid));
	ASSERT_EQ(0, kill(self->pid, SIGCONT));
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_EQ(2, threads_of(self->pid));
	ASSERT_EQ(0, tell(self->down[1], 'g'));
	EXPECT_EQ('d', hear(self->up[0]));
	EXPECT_EQ(0, child_status(self->pid));
}

/* Drops to nobody when told (glibc's setxid reaches its own threads). */
static void drop_when_told(int up, int down)
{
	if (hear(down) != 'u' || setgroups(0, NULL) ||
	    setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
		_exit(40);
	tell(up, 'u');
	wait_in_read(up, down);
}

TEST_F(demand, the_agent_has_the_credentials_the_process_has_when_it_serves)
{
	int same, other;

	if (geteuid() != 0)
		SKIP(return, "needs root, to drop to nobody");
	ASSERT_EQ(0, START_CHILD(drop_when_told));
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	uids_of_threads(self->pid, 0, &same, &other);
	EXPECT_EQ(2, same);
	ASSERT_EQ(0, tell(self->down[1], 'u'));
	ASSERT_EQ('u', hear(self->up[0]));
	/* The agent made as root does not serve a process of nobody's. */
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	for (int i = 0; i < 100; i++) {
		uids_of_threads(self->pid, NOBODY, &same, &other);
		if (!other)
			break;
		usleep(10000);
	}
	EXPECT_EQ(2, same);
	EXPECT_EQ(0, other);
	ASSERT_EQ(0, tell(self->down[1], 'g'));
	EXPECT_EQ('d', hear(self->up[0]));
	EXPECT_EQ(0, child_status(self->pid));
}

/* Runs another program when told: it never calls Mach. */
static void exec_when_told(int up, int down)
{
	if (hear(down) != 'e')
		_exit(50);
	execl("/bin/busybox", "sleep", "30", (char *)NULL);
	_exit(51);
}

TEST_F(demand, after_an_exec_no_thread_is_sent_to_the_old_program_stub)
{
	char name[64] = "";
	long long t0;
	int status;

	ASSERT_EQ(0, START_CHILD(exec_when_told));
	ASSERT_EQ(0, tell(self->down[1], 'e'));
	for (int i = 0; i < 200 && strcmp(name, "busybox"); i++) {
		usleep(10000);
		proc_status_line(self->pid, "Name:", name, sizeof(name));
	}
	ASSERT_STREQ("busybox", name);
	/* The program that asked for an agent is gone: none is made. */
	t0 = now_ms();
	EXPECT_NE(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_GT(1000, now_ms() - t0);
	/* The program runs on, untouched. */
	usleep(100000);
	EXPECT_EQ(1, threads_of(self->pid));
	ASSERT_EQ(0, kill(self->pid, SIGTERM));
	ASSERT_EQ(self->pid, waitpid(self->pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

/*
 * Asks, again and again, to be let back from a summons it was never sent
 * on (its own /dev/mach, another file of its task), until told to stop:
 * each is refused, and what is sent meanwhile comes and goes as it should
 * (a return taken before the thread left would give it registers and a
 * signal mask never saved, and free the summons under its work). Exits
 * with how many were not refused with EPERM.
 */
static void forge_summoned(int up, int down)
{
	int fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
	int bad = 0;

	tell(up, 'f');
	while (!__atomic_load_n(&stop_word, __ATOMIC_RELAXED))
		if (ioctl(fd, MACH_IOC_AGENT_SUMMONED, 0) != -1 || errno != EPERM)
			bad++;
	_exit(bad > 100 ? 100 : bad);
}

TEST_F(demand, a_forged_return_from_a_summons_is_refused)
{
	uint32_t one = 1;

	/* A race with the summons: the more rounds, the likelier a hit. */
	for (int round = 0; round < 20; round++) {
		int up[2], down[2];
		pid_t pid;
		task_t task;

		ASSERT_EQ(0, pipe(up));
		ASSERT_EQ(0, pipe(down));
		ASSERT_EQ(0, start_child(&self->made, up, down, &pid, &task, forge_summoned));
		ASSERT_EQ('f', hear(up[0]));
		EXPECT_EQ(KERN_SUCCESS, allocate_in(task));
		EXPECT_EQ(2, threads_of(pid));
		EXPECT_EQ(KERN_SUCCESS, vm_write(task, (vm_address_t)&stop_word,
						 (vm_offset_t)&one, sizeof(one)));
		ASSERT_EQ(0, child_status(pid)) TH_LOG("round %d", round);
		close(up[0]);
		close(down[1]);
		mach_port_deallocate(mach_task_self(), task);
	}
}

/*
 * Reads a byte from down through io_uring, waiting in io_uring_enter():
 * a wait that runs task work inside the system call, from where no
 * thread can be sent. Exits 0 if the byte came whole.
 */
static void read_through_io_uring(int up, int down)
{
	struct io_uring_params p = {};
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned int *sq_tail, *sq_array, *cq_head, *cq_tail;
	char *sq, *cq, buf = 0;
	int fd;

	fd = syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		_exit(80);
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(*cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		_exit(81);
	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	sq_array = (unsigned int *)(sq + p.sq_off.array);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_READ;
	sqes[0].fd = down;
	sqes[0].addr = (uintptr_t)&buf;
	sqes[0].len = 1;
	sq_array[0] = 0;
	__atomic_store_n(sq_tail, 1, __ATOMIC_RELEASE);
	tell(up, 'i');
	if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) != 1)
		_exit(82);
	if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) == *cq_head)
		_exit(83);
	cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	_exit(cqe->res == 1 && buf == 'g' ? 0 : 84);
}

TEST_F(demand, a_thread_waiting_in_io_uring_is_not_sent_and_waits_on)
{
	long long t0;

	ASSERT_EQ(0, START_CHILD(read_through_io_uring));
	ASSERT_EQ('i', hear(self->up[0]));
	usleep(100000);		/* in io_uring_enter() by now */
	/* Its one thread cannot be sent from there: the call fails soon. */
	t0 = now_ms();
	EXPECT_NE(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_GT(3000, now_ms() - t0);
	EXPECT_EQ(1, threads_of(self->pid));
	/* Its read, untouched, completes when the byte comes. */
	ASSERT_EQ(0, tell(self->down[1], 'g'));
	EXPECT_EQ(0, child_status(self->pid));
}

/*
 * An rseq critical section the child's one thread stays in: it counts
 * until told to stop, and an abort (a preemption, a signal) comes back
 * in through rseq_spin, which arms the section again.
 */
struct rseq_words {
	uint64_t stop;
	uint64_t count;
	uint64_t aborts;
};

static struct rseq_words *rseq_words;
static struct rseq_cs rseq_spin_cs;

/* rdi: the thread's rseq_cs field, rsi: the section, rdx: the words. */
void rseq_spin(uint64_t *rseq_cs, struct rseq_cs *cs, struct rseq_words *words);
extern const char rseq_spin_start[], rseq_spin_end[], rseq_spin_abort[];
_Static_assert(RSEQ_SIG == 0x53053053, "the signature glibc registers with");

asm(".pushsection .text\n"
    ".type rseq_spin, @function\n"
    "rseq_spin:\n"
    "	movq %rsi, (%rdi)\n"
    "rseq_spin_start:\n"
    "	incq 8(%rdx)\n"
    "	cmpq $0, (%rdx)\n"
    "	je rseq_spin_start\n"
    "rseq_spin_end:\n"
    "	movq $0, (%rdi)\n"
    "	ret\n"
    "	.long 0x53053053\n"	/* RSEQ_SIG, before the abort's ip */
    "rseq_spin_abort:\n"
    "	incq 16(%rdx)\n"
    "	jmp rseq_spin\n"
    ".popsection\n");

static void on_usr1(int sig)
{
}

/* Says 's' and spins in the section, or says 'n' if rseq is not in use. */
static void spin_in_rseq_cs(int up, int down)
{
	struct rseq *area;
	char *tp;

	if (!__rseq_size || signal(SIGUSR1, on_usr1) == SIG_ERR) {
		tell(up, 'n');
		_exit(0);
	}
	asm("mov %%fs:0, %0" : "=r"(tp));
	area = (struct rseq *)(tp + __rseq_offset);
	rseq_spin_cs.start_ip = (uintptr_t)rseq_spin_start;
	rseq_spin_cs.post_commit_offset = rseq_spin_end - rseq_spin_start;
	rseq_spin_cs.abort_ip = (uintptr_t)rseq_spin_abort;
	tell(up, 's');
	rseq_spin((uint64_t *)&area->rseq_cs, &rseq_spin_cs, rseq_words);
	_exit(0);
}

static uint64_t rseq_aborts(void)
{
	return __atomic_load_n(&rseq_words->aborts, __ATOMIC_RELAXED);
}

/*
 * A thread interrupted in an rseq critical section is not sent: the
 * stub's system call would disarm the section (its rseq_cs cleared, the
 * ip outside it), and it would not be aborted once back in it.
 */
TEST_F(demand, a_thread_in_an_rseq_critical_section_is_not_sent)
{
	uint64_t aborts;
	long long t0;
	char said;

	rseq_words = mmap(NULL, sizeof(*rseq_words), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rseq_words);
	ASSERT_EQ(0, START_CHILD(spin_in_rseq_cs));
	said = hear(self->up[0]);
	if (said == 'n') {
		EXPECT_EQ(0, child_status(self->pid));
		SKIP(return, "glibc registers no rseq area here");
	}
	ASSERT_EQ('s', said);
	usleep(50000);
	/* Its one thread is always in the section: the call fails soon. */
	t0 = now_ms();
	EXPECT_NE(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_GT(3000, now_ms() - t0);
	EXPECT_EQ(1, threads_of(self->pid));
	/* Still armed: a signal aborts it. */
	aborts = rseq_aborts();
	ASSERT_EQ(0, kill(self->pid, SIGUSR1));
	for (int i = 0; i < 100 && rseq_aborts() == aborts; i++)
		usleep(10000);
	EXPECT_LT(aborts, rseq_aborts());
	__atomic_store_n(&rseq_words->stop, 1, __ATOMIC_RELAXED);
	EXPECT_EQ(0, child_status(self->pid));
	munmap(rseq_words, sizeof(*rseq_words));
}

/* Each read end a thread of the child waits on, in vfork() then in read(). */
static int release_first[2], release_second[2];
static int vfork_up;

/*
 * vfork()s a child that says so, then waits for a byte: meanwhile the
 * thread waits killably, where task work cannot reach it. Then it waits
 * for another byte, in read(), and ends.
 */
static void *vfork_and_wait(void *arg)
{
	int fd = *(int *)arg;
	char c;
	pid_t pid = vfork();

	if (pid == 0) {
		if (write(vfork_up, "v", 1) != 1 || read(fd, &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (pid < 0 || read(fd, &c, 1) != 1)
		_exit(70);
	return NULL;
}

/* Two threads in vfork(): the leader, the first a summons looks at, and another. */
static void two_threads_in_vfork(int up, int down)
{
	pthread_t second;

	vfork_up = up;
	if (pthread_create(&second, NULL, vfork_and_wait, &release_second[0]))
		_exit(71);
	vfork_and_wait(&release_first[0]);
	pthread_join(second, NULL);
}

TEST_F(demand, a_thread_that_never_comes_by_its_summons_is_passed_over_next_time)
{
	long long t0;

	ASSERT_EQ(0, pipe(release_first));
	ASSERT_EQ(0, pipe(release_second));
	ASSERT_EQ(0, START_CHILD(two_threads_in_vfork));
	ASSERT_EQ('v', hear(self->up[0]));
	ASSERT_EQ('v', hear(self->up[0]));
	usleep(100000);		/* both threads in their wait */
	/* The first is sent, and never comes: the caller gives up. */
	t0 = now_ms();
	EXPECT_NE(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_LE(4000, now_ms() - t0);
	/* The second can come now: it is sent, not the first again. */
	ASSERT_EQ(0, tell(release_second[1], 'g'));
	usleep(100000);
	t0 = now_ms();
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	EXPECT_GT(3000, now_ms() - t0);
	/* The first, let go, finds its summons over, and runs on. */
	ASSERT_EQ(0, tell(release_first[1], 'g'));
	usleep(100000);
	EXPECT_EQ(KERN_SUCCESS, allocate_in(self->task));
	ASSERT_EQ(0, tell(release_first[1], 'e'));
	ASSERT_EQ(0, tell(release_second[1], 'e'));
	EXPECT_EQ(0, child_status(self->pid));
	for (int i = 0; i < 2; i++) {
		close(release_first[i]);
		close(release_second[i]);
	}
}

/* In a fork child with one thread: 0, or the step that failed. */
static int own_calls(void)
{
	vm_address_t address = 0;
	thread_act_t thread;
	task_t self_task = mach_task_self();

	if (threads_of(getpid()) != 1)
		return 1;
	/* Done by the caller itself: no agent. */
	if (vm_allocate(self_task, &address, 4096, VM_FLAGS_ANYWHERE) ||
	    threads_of(getpid()) != 1)
		return 2;
	/* mprotect() needs a thread of the process in the module's hands. */
	if (vm_protect(self_task, address, 4096, FALSE, VM_PROT_READ) != KERN_SUCCESS)
		return 3;
	if (threads_of(getpid()) != 2)
		return 4;
	if (thread_create(self_task, &thread) != KERN_SUCCESS ||
	    thread_terminate(thread) != KERN_SUCCESS)
		return 5;
	return 0;
}

static int thread_create_first(void)
{
	thread_act_t thread;

	if (mach_task_self() == MACH_PORT_NULL || threads_of(getpid()) != 1)
		return 1;
	if (thread_create(mach_task_self(), &thread) != KERN_SUCCESS)
		return 2;
	if (thread_terminate(thread) != KERN_SUCCESS)
		return 3;
	return 0;
}

TEST(a_process_with_one_thread_makes_its_agent_for_its_own_calls)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(own_calls());
	EXPECT_EQ(0, child_status(pid));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(thread_create_first());
	EXPECT_EQ(0, child_status(pid));
}

/*
 * A thread away making the agent, held there: its way back, the ioctl
 * that gives its registers back, is caught by a seccomp filter of the
 * child's and let through by the parent's supervisor thread, the first
 * time only after a while. Meanwhile its registers are the stub's, and
 * a suspension must neither pass it over nor stop it with them.
 */
struct supervisor {
	pthread_t thread;
	int listener;
	int delay_ms;		/* before the first answer */
	int seen;		/* atomic: notifications received */
	int answered;		/* atomic: and answered (or found gone) */
	bool quit;		/* atomic */
};

static void *supervise(void *arg)
{
	struct supervisor *sv = arg;
	struct pollfd pfd = { .fd = sv->listener, .events = POLLIN };

	while (!__atomic_load_n(&sv->quit, __ATOMIC_ACQUIRE)) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		if (poll(&pfd, 1, 50) <= 0 || (pfd.revents & (POLLHUP | POLLERR)))
			continue;
		memset(&req, 0, sizeof(req));
		if (ioctl(sv->listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
			continue;
		if (__atomic_add_fetch(&sv->seen, 1, __ATOMIC_ACQ_REL) == 1)
			usleep(sv->delay_ms * 1000);
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		/* (ENOENT: its wait was interrupted, and the call made again.) */
		ioctl(sv->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		__atomic_add_fetch(&sv->answered, 1, __ATOMIC_ACQ_REL);
	}
	return NULL;
}

/* Waits (5 s at most) until one of the supervisor's counts is past n: 0, or -1. */
static int count_passes(int *count, int n)
{
	for (int i = 0; i < 500; i++) {
		if (__atomic_load_n(count, __ATOMIC_ACQUIRE) > n)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* Until the supervisor has seen more than n notifications. */
static int supervisor_sees(struct supervisor *sv, int n)
{
	return count_passes(&sv->seen, n);
}

/* Until it has answered more than n (or found their callers gone). */
static int supervisor_answered(struct supervisor *sv, int n)
{
	return count_passes(&sv->answered, n);
}

/* Shared with the child: what it counts, what it is asked, what it did. */
struct spin_words {
	uint64_t count;
	uint32_t change_creds;
	uint32_t creds_changed;
	uint32_t create_task;
	uint32_t task_created;	/* 1 once made and ended, 2 if that failed */
	uint32_t create_task_aside;	/* by a thread of its own, once */
	uint32_t exec_now;	/* the program again, to call Mach and wait */
};

static struct spin_words *spin_words;

/*
 * task_create(mach_task_self()) forks the new task's shell from the
 * calling thread, on a trampoline through the stub.
 */
static void create_a_task(void)
{
	task_t task;
	int made = task_create(mach_task_self(), NULL, 0, FALSE, &task) == KERN_SUCCESS &&
		   task_terminate(task) == KERN_SUCCESS;

	__atomic_store_n(&spin_words->task_created, made ? 1 : 2, __ATOMIC_RELEASE);
}

static int child_up = -1;

static void *create_a_task_aside(void *arg)
{
	create_a_task();
	return NULL;
}

#define EXECED_UP "AGENT_DEMAND_EXECED_UP"

static void exec_calling_mach(void)
{
	char up[16];

	snprintf(up, sizeof(up), "%d", child_up);
	setenv(EXECED_UP, up, 1);
	execl("/proc/self/exe", "agent_demand", (char *)NULL);
	_exit(63);
}

__attribute__((constructor)) static void execed_calling_mach(void)
{
	const char *up = getenv(EXECED_UP);

	if (!up)
		return;
	if (mach_task_self() == MACH_PORT_NULL || tell(atoi(up), 'x'))
		_exit(64);
	for (;;)
		pause();
}

static __attribute__((noinline)) void spin(void)
{
	bool aside = false;

	for (;;) {
		if (__atomic_load_n(&spin_words->create_task_aside, __ATOMIC_RELAXED) && !aside) {
			pthread_t thread;

			aside = true;
			if (pthread_create(&thread, NULL, create_a_task_aside, NULL))
				_exit(65);
		}
		if (__atomic_load_n(&spin_words->exec_now, __ATOMIC_RELAXED))
			exec_calling_mach();
		__atomic_add_fetch(&spin_words->count, 1, __ATOMIC_RELAXED);
		if (__atomic_load_n(&spin_words->create_task, __ATOMIC_RELAXED) &&
		    !spin_words->task_created)
			create_a_task();
		if (__atomic_load_n(&spin_words->change_creds, __ATOMIC_RELAXED) &&
		    !spin_words->creds_changed) {
			if (setgroups(0, NULL))
				_exit(60);
			__atomic_store_n(&spin_words->creds_changed, 1, __ATOMIC_RELEASE);
		}
	}
}

/*
 * The child: a filter that hands MACH_IOC_AGENT_SUMMONED and
 * MACH_IOC_TRAMPOLINE_RETURN, the ways back from the stub, to a listener,
 * whose number it tells the parent; then it counts.
 */
static void spin_under_filter(int up, int down)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MACH_IOC_AGENT_SUMMONED, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MACH_IOC_TRAMPOLINE_RETURN, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	int listener;

	child_up = up;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(61);
	/* -1 without seccomp filters: the parent skips. */
	listener = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (write(up, &listener, sizeof(listener)) != sizeof(listener))
		_exit(62);
	spin();
}

/*
 * The child's listener, in the parent, and its supervisor started: 0, 1
 * if the kernel has no seccomp filters, or -1.
 */
static int supervise_child(struct supervisor *sv, int up, pid_t pid, int delay_ms)
{
	int pidfd, fd;

	memset(sv, 0, sizeof(*sv));
	sv->delay_ms = delay_ms;
	if (read(up, &fd, sizeof(fd)) != sizeof(fd))
		return -1;
	if (fd < 0)
		return 1;
	pidfd = syscall(__NR_pidfd_open, pid, 0);
	sv->listener = pidfd < 0 ? -1 : syscall(__NR_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	if (sv->listener < 0)
		return -1;
	return pthread_create(&sv->thread, NULL, supervise, sv) ? -1 : 0;
}

static void supervisor_end(struct supervisor *sv)
{
	__atomic_store_n(&sv->quit, true, __ATOMIC_RELEASE);
	pthread_join(sv->thread, NULL);
	close(sv->listener);
}

/* In a TEST_F of away's: the supervisor started, or the test skipped. */
#define SUPERVISE(delay_ms)							\
	do {									\
		int ret_ = supervise_child(&self->sv, self->up[0], self->pid,	\
					   delay_ms);				\
		if (ret_ == 1)							\
			SKIP(return, "no seccomp filters in this kernel");	\
		ASSERT_EQ(0, ret_);						\
	} while (0)

/*
 * The agent made, by the counting thread, and that thread let back at
 * once; then it makes a task, held on its way back from the trampoline
 * for delay_ms. 0 once it is held, or -1.
 */
static int hold_on_a_trampoline(struct supervisor *sv, task_t task, int delay_ms)
{
	if (allocate_in(task) != KERN_SUCCESS || supervisor_sees(sv, 0))
		return -1;
	__atomic_store_n(&sv->seen, 0, __ATOMIC_RELEASE);
	sv->delay_ms = delay_ms;
	__atomic_store_n(&spin_words->create_task, 1, __ATOMIC_RELEASE);
	return supervisor_sees(sv, 0);
}

static uint64_t counted_in(int ms)
{
	uint64_t before = __atomic_load_n(&spin_words->count, __ATOMIC_RELAXED);

	usleep(ms * 1000);
	return __atomic_load_n(&spin_words->count, __ATOMIC_RELAXED) - before;
}

FIXTURE(away) {
	struct made made;
	struct supervisor sv;
	int up[2], down[2];
	pid_t pid;
	task_t task;
};

FIXTURE_SETUP(away)
{
	made_begin(&self->made);
	spin_words = mmap(NULL, sizeof(*spin_words), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, spin_words);
	ASSERT_EQ(0, pipe(self->up));
	ASSERT_EQ(0, pipe(self->down));
	ASSERT_EQ(0, start_child(&self->made, self->up, self->down, &self->pid,
				 &self->task, spin_under_filter));
}

FIXTURE_TEARDOWN(away)
{
	made_end(&self->made);
	if (self->sv.thread)
		supervisor_end(&self->sv);
	munmap(spin_words, sizeof(*spin_words));
}

TEST_F(away, a_task_suspended_while_a_thread_makes_the_agent_holds_it)
{
	SUPERVISE(300);
	/* The agent serves; the thread that made it is not back yet. */
	ASSERT_EQ(KERN_SUCCESS, allocate_in(self->task));
	ASSERT_EQ(0, supervisor_sees(&self->sv, 0));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(self->task));
	/* Let through by now, it is held where it came back to. */
	usleep(400000);
	EXPECT_EQ(0, counted_in(200));
	ASSERT_EQ(KERN_SUCCESS, task_resume(self->task));
	EXPECT_LT(0, counted_in(100));
}

TEST_F(away, a_thread_held_while_it_makes_the_agent_stops_with_its_own_registers)
{
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	thread_act_array_t threads;
	mach_msg_type_number_t n;
	thread_act_t thread;

	if (geteuid() != 0)
		SKIP(return, "needs root, for a new cred by setgroups()");
	SUPERVISE(0);
	/* Its one thread made a Mach thread (by the first agent). */
	ASSERT_EQ(KERN_SUCCESS, task_threads(self->task, &threads, &n));
	ASSERT_EQ(1, n);
	thread = threads[0];
	vm_deallocate(mach_task_self(), (vm_address_t)threads, n * sizeof(*threads));
	ASSERT_EQ(0, supervisor_sees(&self->sv, 0));
	/* A new cred: the agent retires at the next call, and the same thread makes the next. */
	__atomic_store_n(&self->sv.seen, 0, __ATOMIC_RELEASE);
	self->sv.delay_ms = 300;
	__atomic_store_n(&spin_words->change_creds, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 200 && !__atomic_load_n(&spin_words->creds_changed,
						     __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	ASSERT_EQ(1, spin_words->creds_changed);
	ASSERT_EQ(KERN_SUCCESS, allocate_in(self->task));
	ASSERT_EQ(0, supervisor_sees(&self->sv, 0));
	/* Held on its way back: it stops there once back, not before. */
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	EXPECT_LE((uint64_t)spin, state.__rip);
	EXPECT_GT((uint64_t)spin + 256, state.__rip);
	EXPECT_EQ(0, counted_in(200));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));
	EXPECT_LT(0, counted_in(100));
}

TEST_F(away, a_task_suspended_while_a_thread_is_on_a_trampoline_holds_it)
{
	SUPERVISE(0);
	ASSERT_EQ(0, hold_on_a_trampoline(&self->sv, self->task, 300));
	ASSERT_EQ(KERN_SUCCESS, task_suspend(self->task));
	/* Let through by now, it is held where its call returns. */
	usleep(400000);
	EXPECT_EQ(0, counted_in(200));
	ASSERT_EQ(KERN_SUCCESS, task_resume(self->task));
	EXPECT_LT(0, counted_in(100));
	EXPECT_EQ(1, __atomic_load_n(&spin_words->task_created, __ATOMIC_ACQUIRE));
}

/* A call on a task by a thread of the test's, timed. */
struct timed_call {
	pthread_t thread;
	task_t task;
	vm_address_t address;	/* a page of the task's */
	kern_return_t kr;
	long long ms;		/* how long the call took */
};

static void *call_task_threads(void *arg)
{
	struct timed_call *c = arg;
	thread_act_array_t threads;
	mach_msg_type_number_t n;
	long long start = now_ms();

	c->kr = task_threads(c->task, &threads, &n);
	c->ms = now_ms() - start;
	if (c->kr == KERN_SUCCESS) {
		for (mach_msg_type_number_t i = 0; i < n; i++)
			mach_port_deallocate(mach_task_self(), threads[i]);
		vm_deallocate(mach_task_self(), (vm_address_t)threads,
			      n * sizeof(*threads));
	}
	return NULL;
}

/* VM_INHERIT_SHARE holds the task's threads while it shares the range. */
static void *call_vm_inherit_share(void *arg)
{
	struct timed_call *c = arg;
	long long start = now_ms();

	c->kr = vm_inherit(c->task, c->address, getpagesize(), VM_INHERIT_SHARE);
	c->ms = now_ms() - start;
	return NULL;
}

/*
 * Two callers at once, while a thread of the task is held on a
 * trampoline for 3 s: each waits a second at most for it, on its own,
 * not one after the other as they would if a caller waited holding a
 * lock of the task's that the other queues on.
 */
static void two_callers_side_by_side(struct __test_metadata *_metadata,
				     FIXTURE_DATA(away) *self, void *(*call)(void *))
{
	struct timed_call calls[2] = { 0 };
	vm_address_t address = 0;
	int started = 0;

	ASSERT_EQ(KERN_SUCCESS, vm_allocate(self->task, &address, getpagesize(),
					    VM_FLAGS_ANYWHERE));
	ASSERT_EQ(0, hold_on_a_trampoline(&self->sv, self->task, 3000));
	for (int i = 0; i < 2; i++) {
		calls[i].task = self->task;
		calls[i].address = address;
		started += !pthread_create(&calls[i].thread, NULL, call, &calls[i]);
	}
	for (int i = 0; i < started; i++) {
		pthread_join(calls[i].thread, NULL);
		EXPECT_EQ(KERN_SUCCESS, calls[i].kr);
		/* A second of wait, and the call: not two. */
		EXPECT_LE(900, calls[i].ms);
		EXPECT_GE(1000 + 600, calls[i].ms);
	}
	ASSERT_EQ(2, started);
}

TEST_F(away, callers_waiting_for_a_thread_on_a_trampoline_wait_side_by_side)
{
	SUPERVISE(0);
	two_callers_side_by_side(_metadata, self, call_task_threads);
}

TEST_F(away, holders_waiting_for_a_thread_on_a_trampoline_wait_side_by_side)
{
	SUPERVISE(0);
	two_callers_side_by_side(_metadata, self, call_vm_inherit_share);
}

/*
 * A thread held on a trampoline is killed there by another's exec: the
 * new program's callers do not wait a second, on every call, for a
 * thread that will never be back.
 */
TEST_F(away, a_thread_that_dies_on_a_trampoline_is_not_waited_for)
{
	thread_act_array_t threads;
	mach_msg_type_number_t n;
	long long t0;
	task_t task;

	SUPERVISE(0);
	/* The agent made, by the counting thread, let back at once. */
	ASSERT_EQ(KERN_SUCCESS, allocate_in(self->task));
	ASSERT_EQ(0, supervisor_answered(&self->sv, 0));
	/* Another thread makes a task: held on its way back. */
	__atomic_store_n(&self->sv.answered, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&self->sv.seen, 0, __ATOMIC_RELEASE);
	self->sv.delay_ms = 2000;
	__atomic_store_n(&spin_words->create_task_aside, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, supervisor_sees(&self->sv, 0));
	/* The counting thread execs: the held one is killed. */
	__atomic_store_n(&spin_words->exec_now, 1, __ATOMIC_RELEASE);
	ASSERT_EQ('x', hear(self->up[0]));
	/* The supervisor done with it, the new program's summons goes by. */
	ASSERT_EQ(0, supervisor_answered(&self->sv, 0));
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), self->pid, &task));
	for (int call = 0; call < 2; call++) {
		t0 = now_ms();
		ASSERT_EQ(KERN_SUCCESS, task_threads(task, &threads, &n));
		/* The first makes the new program's agent. */
		EXPECT_GT(call ? 300 : 900, now_ms() - t0);
		EXPECT_EQ(1, n);	/* the new program's one thread */
		for (mach_msg_type_number_t i = 0; i < n; i++)
			mach_port_deallocate(mach_task_self(), threads[i]);
		vm_deallocate(mach_task_self(), (vm_address_t)threads, n * sizeof(*threads));
	}
	mach_port_deallocate(mach_task_self(), task);
}

TEST_HARNESS_MAIN
