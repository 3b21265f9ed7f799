// SPDX-License-Identifier: GPL-2.0
/*
 * thread_create's spares (module/thread.c): from a task's second
 * thread_create on, its agent keeps two more threads cloned ahead and
 * parked, one of which the next thread_create takes at once. A spare is
 * the module's, not the program's: no task_threads lists it, it keeps no
 * process alive, and a shell nothing names ends as if it had none. It is
 * taken only by the program it was cloned for, running as the agent would
 * clone now; a clone refused (RLIMIT_NPROC) ends the task's spares, and
 * thread_create still answers.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_norma.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

/* Linux threads of process pid (/proc/PID/status), or -1. */
static int linux_threads(int pid)
{
	char value[32];

	return proc_status_line(pid, "Threads:", value, sizeof(value)) ? -1 : atoi(value);
}

/* Is process pid gone (or a zombie) within ms? */
static bool gone_within(int pid, int ms)
{
	char state[32];

	for (int waited = 0; waited <= ms; waited += 10) {
		if (proc_status_line(pid, "State:", state, sizeof(state)) || strchr(state, 'Z'))
			return true;
		usleep(10 * 1000);
	}
	return false;
}

/*
 * Until process pid has had n Linux threads for 300 ms (threads ended
 * go on counting until they are reaped; 3 s at most): its count then.
 */
static int await_linux_threads(int pid, int n)
{
	int threads = linux_threads(pid), same = 0;

	for (int waited = 0; same < 30 && waited < 3000; waited += 10) {
		usleep(10 * 1000);
		threads = linux_threads(pid);
		same = threads == n ? same + 1 : 0;
	}
	return threads;
}

/*
 * A suspended thread's state: to start at rip with rbx, rdi, rsi and rdx
 * set (the code's arguments), no stack, the rest 0.
 */
static kern_return_t start_with(thread_act_t thread, uint64_t rip, uint64_t rbx,
				uint64_t rdi, uint64_t rsi, uint64_t rdx)
{
	x86_thread_state64_t state = { 0 };

	state.__rip = rip;
	state.__rbx = rbx;
	state.__rdi = rdi;
	state.__rsi = rsi;
	state.__rdx = rdx;
	state.__rflags = 0x202;
	return thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
				x86_THREAD_STATE64_COUNT);
}

/* Until *word is want (5 s at most): is it? */
static bool await_count(uint32_t *word, uint32_t want)
{
	for (int i = 0; i < 500; i++) {
		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == want)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

FIXTURE(spare) {
	struct made made;
};

FIXTURE_SETUP(spare)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(spare)
{
	made_end(&self->made);
}

/*
 * Threads made in a row each run what they were given (a spare taken
 * runs its own state), and task_threads lists those and no spare, though
 * the process has one more thread than its agent and them.
 *   lock incq (data); 1: pause(); jmp 1b
 */
TEST_F(spare, threads_made_in_a_row_run_and_no_spare_is_listed)
{
	uint8_t program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,	/* movabs $data, %rax */
		0xf0, 0x48, 0xff, 0x00,			/* lock incq (%rax) */
		0xb8, 0x22, 0, 0, 0,			/* 1: mov $34, %eax (pause) */
		0x0f, 0x05,				/* syscall */
		0xeb, 0xf7,				/* jmp 1b */
	};
	thread_act_t threads[6];
	vm_address_t code = 0, data = 0;
	task_t task;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(task, &pid));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	memcpy(program + 2, &data, 8);
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	for (unsigned int i = 0; i < 6; i++) {
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &threads[i]));
		ASSERT_EQ(KERN_SUCCESS, start_at(threads[i], code, 0));
		ASSERT_EQ(KERN_SUCCESS, thread_resume(threads[i]));
		ASSERT_TRUE(await_word(task, data, i + 1)) TH_LOG("thread %u did not run", i);
	}
	EXPECT_EQ(6, thread_count(task));
	/* Its agent, the six, and the two spares cloned after them. */
	EXPECT_EQ(9, await_linux_threads(pid, 9));
	for (unsigned int i = 0; i < 6; i++) {
		EXPECT_EQ(KERN_SUCCESS, thread_terminate(threads[i]));
		mach_port_deallocate(mach_task_self(), threads[i]);
	}
	EXPECT_EQ(0, thread_count(task));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(task));
}

/*
 * A process that made threads of its own with thread_create, and so has
 * a spare, still ends when its last thread of its own ends (by the exit
 * system call, not exit_group), with the status Linux gives.
 */
TEST_F(spare, a_process_with_a_spare_ends_with_its_last_thread)
{
	int status = -1;
	pid_t pid = made_fork(&self->made);

	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (int i = 0; i < 3; i++) {
			thread_act_t thread;

			if (thread_create(mach_task_self(), &thread) ||
			    thread_terminate(thread))
				_exit(3);
		}
		/* Ours, the agent and the two spares. */
		if (await_linux_threads(getpid(), 4) != 4)
			_exit(4);
		syscall(SYS_exit, 7);
	}
	for (int waited = 0; waited < 10000; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10 * 1000);
	}
	ASSERT_NE(-1, status) TH_LOG("the process outlived its last thread");
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(7, WEXITSTATUS(status));
}

/* A shell whose only threads are its agent and its spares ends once unnamed. */
TEST_F(spare, a_shell_with_a_spare_ends_once_nothing_names_it)
{
	task_t task;
	int pid;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &task));
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(task, &pid));
	for (int i = 0; i < 2; i++) {
		thread_act_t thread;

		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread));
		mach_port_deallocate(mach_task_self(), thread);
	}
	ASSERT_EQ(3, await_linux_threads(pid, 3)) TH_LOG("not two spares beside the agent");
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), task));
	EXPECT_TRUE(gone_within(pid, 3000)) TH_LOG("the shell lives on, idle and unnamed");
}

/*
 * A spare cloned before the program dropped its privileges is not handed
 * out after: the thread made then runs as the program now does.
 *   mov $102, %eax (getuid); syscall; mov %eax, (data);
 *   mov $60, %eax; xor %edi, %edi; syscall (exit)
 */
TEST_F(spare, a_spare_made_before_a_setuid_is_not_taken_after_it)
{
	int status = -1;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root, to drop it");
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint8_t program[] = {
			0xb8, 102, 0, 0, 0, 0x0f, 0x05,		/* getuid() */
			0x48, 0xbf, 0, 0, 0, 0, 0, 0, 0, 0,	/* movabs $data, %rdi */
			0x89, 0x07,				/* mov %eax, (%rdi) */
			0xb8, 60, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05,	/* exit(0) */
		};
		static uint32_t data = 0xffffffff;	/* the new thread's uid */
		vm_address_t code = 0;
		uint64_t at = (uint64_t)&data;
		thread_act_t thread;

		memcpy(program + 9, &at, 8);
		if (write_code(mach_task_self(), program, sizeof(program), &code))
			_exit(2);
		for (int i = 0; i < 2; i++)
			if (thread_create(mach_task_self(), &thread) ||
			    thread_terminate(thread))
				_exit(3);
		/* Ours, the agent and the two spares. */
		if (await_linux_threads(getpid(), 4) != 4)
			_exit(4);
		if (setuid(65534))
			_exit(5);
		if (thread_create(mach_task_self(), &thread) || start_at(thread, code, 0) ||
		    thread_resume(thread))
			_exit(6);
		uint32_t uid = 0xffffffff;

		for (int i = 0; i < 500 && uid == 0xffffffff; i++) {
			usleep(10 * 1000);
			uid = __atomic_load_n(&data, __ATOMIC_ACQUIRE);
		}
		_exit(uid == 65534 ? 0 : uid == 0 ? 7 : 8);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		if (WEXITSTATUS(status) == 7)
			TH_LOG("the new thread ran as root: a spare from before the setuid");
	}
}

struct creator {
	task_t task;
	kern_return_t kr;
};

static void *create_in(void *arg)
{
	struct creator *c = arg;
	thread_act_t thread;

	c->kr = thread_create(c->task, &thread);
	if (c->kr == KERN_SUCCESS)
		thread_terminate(thread);
	return NULL;
}

static void *clone_of(void *task)
{
	task_t clone;

	if (norma_task_clone((task_t)(uintptr_t)task, TRUE, 0, &clone) == KERN_SUCCESS)
		task_terminate(clone);
	return NULL;
}

/*
 * Two callers wait for the spare the agent has yet to clone, queued
 * behind a long call (a clone of the task, whose memory the agent makes
 * shared first); one of them is killed. The other is not left waiting for
 * a spare that will never come.
 */
TEST_F_TIMEOUT(spare, a_caller_killed_waiting_for_the_spare_leaves_the_others_served, 90)
{
	const size_t size = 128 << 20;
	char *memory = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct creator waiter = { 0 };
	pthread_t long_call, second;
	thread_act_t thread;
	int pid, done = 0;
	pid_t killed;
	task_t task;

	ASSERT_NE(MAP_FAILED, memory);
	memset(memory, 1, size);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &task));
	munmap(memory, size);
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(task, &pid));
	for (int i = 0; i < 2; i++) {	/* two spares in their slots */
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		thread_terminate(thread);
	}
	ASSERT_EQ(3, await_linux_threads(pid, 3));

	ASSERT_EQ(0, pthread_create(&long_call, NULL, clone_of, (void *)(uintptr_t)task));
	usleep(50 * 1000);
	/* Take the spares; the next is queued behind the clone. */
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
		thread_terminate(thread);
	}
	killed = made_fork(&self->made);
	ASSERT_LE(0, killed);
	if (killed == 0) {
		task_t again;

		if (task_for_pid(mach_task_self(), pid, &again) == KERN_SUCCESS)
			thread_create(again, &thread);
		_exit(0);
	}
	waiter.task = task;
	waiter.kr = -1;
	ASSERT_EQ(0, pthread_create(&second, NULL, create_in, &waiter));
	usleep(100 * 1000);
	kill(killed, SIGKILL);
	waitpid(killed, NULL, 0);
	for (int waited = 0; waited < 10000 && !done; waited += 10) {
		done = pthread_tryjoin_np(second, NULL) == 0;
		if (!done)
			usleep(10 * 1000);
	}
	ASSERT_TRUE(done) {
		TH_LOG("thread_create still waits for a spare that will never come");
		task_terminate(task);	/* lets it go */
		pthread_join(second, NULL);
	}
	EXPECT_EQ(KERN_SUCCESS, waiter.kr);
	pthread_join(long_call, NULL);
	EXPECT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	thread_terminate(thread);
}

/*
 * What the test below runs after its exec (thread_spare --after-exec FD):
 * three threads made with thread_create, each started in code of this
 * program, write a byte of this program's to fd, one after the other,
 * and say they ran. 0, or where it failed.
 *   mov $1, %eax; syscall (write(rdi, rsi, rdx)); lock incl (%rbx);
 *   mov $60, %eax; xor %edi, %edi; syscall (exit)
 */
static int after_exec(int fd)
{
	static const uint8_t program[] = {
		0xb8, 1, 0, 0, 0, 0x0f, 0x05,		/* write() */
		0xf0, 0xff, 0x03,			/* lock incl (%rbx) */
		0xb8, 60, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05,	/* exit(0) */
	};
	static const char bytes[] = "new";
	static uint32_t ran;
	vm_address_t code = 0;

	if (write_code(mach_task_self(), program, sizeof(program), &code))
		return 2;
	for (unsigned int i = 0; i < 3; i++) {
		thread_act_t thread;

		if (thread_create(mach_task_self(), &thread))
			return 10 + i;
		if (start_with(thread, code, (uint64_t)&ran, fd, (uint64_t)&bytes[i], 1))
			return 20 + i;
		if (thread_resume(thread))
			return 30 + i;
		if (!await_count(&ran, i + 1))
			return 40 + i;
	}
	return 0;
}

static const char *after_exec_failure(int status)
{
	switch (status / 10) {
	case 0:
		return status == 4 ? "no spare came before the exec" :
		       status == 3 ? "threads before the exec" : "the exec, or its code";
	case 1:
		return "thread_create after the exec";
	case 2:
		return "thread_set_state after the exec";
	case 3:
		return "thread_resume after the exec";
	default:
		return "a thread made after the exec did not run its code";
	}
}

/*
 * Forks a process that makes two threads with thread_create (from the
 * second on, its agent clones a spare), waits until the spare is there if
 * settled (else the spare is on its way), and execs us again as
 * after_exec(): its exit status, and what its threads wrote, in buf.
 */
static int across_an_exec(struct made *made, bool settled, char *buf, size_t size)
{
	int out[2], status = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	buf[0] = '\0';
	if (pipe(out))
		return -1;
	pid = made_fork(made);
	if (pid == 0) {
		char fd[16];

		close(out[0]);
		for (int i = 0; i < 2; i++) {
			thread_act_t thread;

			if (thread_create(mach_task_self(), &thread) ||
			    thread_terminate(thread))
				_exit(3);
		}
		/* Ours, the agent and the two spares. */
		if (settled && await_linux_threads(getpid(), 4) != 4)
			_exit(4);
		snprintf(fd, sizeof(fd), "%d", out[1]);
		execl("/proc/self/exe", "thread_spare", "--after-exec", fd, (char *)NULL);
		_exit(5);
	}
	close(out[1]);
	while (pid > 0 && got < size - 1 &&
	       (n = read(out[0], buf + got, size - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(out[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return status;
}

/*
 * A spare is for the program it was cloned in, and an exec ends it: a
 * program that exec'd while its task had a spare makes threads with
 * thread_create that run the code it gives them, in its own memory.
 */
TEST_F(spare, threads_made_after_an_exec_run_the_new_program)
{
	char buf[8];
	int status = across_an_exec(&self->made, true, buf, sizeof(buf));

	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("%s", after_exec_failure(WEXITSTATUS(status)));
	EXPECT_STREQ("new", buf);
}

/* The same with the spare on its way (queued, or being cloned) at the exec. */
TEST_F(spare, threads_made_after_an_exec_with_a_spare_coming_run_the_new_program)
{
	for (int round = 0; round < 5; round++) {
		char buf[8];
		int status = across_an_exec(&self->made, false, buf, sizeof(buf));

		ASSERT_TRUE(WIFEXITED(status)) TH_LOG("round %d: status %#x", round, status);
		ASSERT_EQ(0, WEXITSTATUS(status))
			TH_LOG("round %d: %s", round, after_exec_failure(WEXITSTATUS(status)));
		ASSERT_STREQ("new", buf) TH_LOG("round %d", round);
	}
}

static void *nothing(void *arg)
{
	return arg;
}

/* Starts thread at code, with rbx at ran, and waits until ran is want. */
static bool runs(thread_act_t thread, vm_address_t code, uint32_t *ran, uint32_t want)
{
	return !start_with(thread, code, (uint64_t)ran, 0, 0, 0) && !thread_resume(thread) &&
	       await_count(ran, want);
}

#define MADE_AT_MOST 16

/*
 * The test below, in a process of its own: 0, or where it failed.
 *   lock incl (%rbx); 1: pause(); jmp 1b
 */
static int past_rlimit_nproc(void)
{
	static const uint8_t program[] = {
		0xf0, 0xff, 0x03,		/* lock incl (%rbx) */
		0xb8, 34, 0, 0, 0, 0x0f, 0x05,	/* 1: pause() */
		0xeb, 0xf7,			/* jmp 1b */
	};
	thread_act_t threads[MADE_AT_MOST + 4];
	static uint32_t ran;
	kern_return_t kr = KERN_SUCCESS;
	unsigned int made, started = 0;
	struct rlimit was, limit;
	vm_address_t code = 0;
	int base, now;
	pthread_t own;

	/* libmach's file and agent as root, then nobody's: root has no limit. */
	if (write_code(mach_task_self(), program, sizeof(program), &code))
		return 2;
	if (setgid(65534) || setuid(65534))
		return 3;
	base = await_linux_threads(getpid(), 2);	/* ours and the agent */
	if (base != 2 || getrlimit(RLIMIT_NPROC, &was))
		return 4;
	limit.rlim_cur = base + 4;
	limit.rlim_max = was.rlim_max;
	if (setrlimit(RLIMIT_NPROC, &limit))
		return 4;

	for (made = 0; made < MADE_AT_MOST; made++) {
		kr = thread_create(mach_task_self(), &threads[made]);
		if (kr != KERN_SUCCESS)
			break;
		if (!runs(threads[made], code, &ran, ++started))
			return 5;
	}
	if (kr != KERN_RESOURCE_SHORTAGE)
		return made == MADE_AT_MOST ? 6 : 7;
	/* Asked again, the same answer. */
	if (thread_create(mach_task_self(), &threads[made]) != KERN_RESOURCE_SHORTAGE)
		return 8;

	/* Two end; the places they leave are the program's. */
	for (int i = 0; i < 2; i++)
		if (thread_terminate(threads[--made]))
			return 9;
	if (await_linux_threads(getpid(), base + made) != base + made)
		return 9;
	if (thread_create(mach_task_self(), &threads[made]))
		return 10;
	if (!runs(threads[made++], code, &ran, ++started))
		return 11;
	/* No spare cloned meanwhile takes the last place from pthread_create. */
	now = await_linux_threads(getpid(), base + made);
	if (pthread_create(&own, NULL, nothing, NULL))
		return now == base + made ? 12 : 13;
	pthread_join(own, NULL);

	/* The limit raised again, thread_create makes threads that run. */
	if (setrlimit(RLIMIT_NPROC, &was))
		return 14;
	for (int i = 0; i < 2; i++) {
		if (thread_create(mach_task_self(), &threads[made]))
			return 15;
		if (!runs(threads[made++], code, &ran, ++started))
			return 16;
	}
	while (made)
		if (thread_terminate(threads[--made]))
			return 17;
	return 0;
}

static const char *past_rlimit_nproc_failure(int status)
{
	static const char *const what[] = {
		[2] = "write_code",
		[3] = "setuid",
		[4] = "setrlimit, or threads other than ours and the agent",
		[5] = "a thread made below the limit did not run",
		[6] = "thread_create never failed",
		[7] = "thread_create past the limit: not KERN_RESOURCE_SHORTAGE",
		[8] = "thread_create past the limit again: not KERN_RESOURCE_SHORTAGE",
		[9] = "thread_terminate",
		[10] = "thread_create below the limit again",
		[11] = "the thread made below the limit again did not run",
		[12] = "pthread_create in the program's last place",
		[13] = "pthread_create in the program's last place: a spare took it",
		[14] = "setrlimit back",
		[15] = "thread_create with the limit raised",
		[16] = "a thread made with the limit raised did not run",
		[17] = "thread_terminate at the end",
	};

	return status < 18 && what[status] ? what[status] : "?";
}

static const char *const live_names[3] = {
	"live_tasks", "live_ports", "live_allocations"
};

/*
 * Until the live counts are the same for 300 ms (5 s at most): what the
 * tests before left is torn down, and that is asynchronous.
 */
static void settled_counts(long counts[3])
{
	int same = 0;

	for (int i = 0; i < 500 && same < 30; i++) {
		bool changed = false;

		for (int c = 0; c < 3; c++) {
			long now = mach_stat(live_names[c]);

			changed |= now != counts[c];
			counts[c] = now;
		}
		same = changed ? 0 : same + 1;
		usleep(10 * 1000);
	}
}

/* Until the live counts are back to before (5 s at most): the counts then. */
static void counts_back(const long before[3], long now[3])
{
	for (int i = 0; i < 500; i++) {
		bool back = true;

		for (int c = 0; c < 3; c++) {
			now[c] = mach_stat(live_names[c]);
			back &= now[c] == before[c];
		}
		if (back)
			return;
		usleep(10 * 1000);
	}
}

/*
 * Under RLIMIT_NPROC, thread_create answers KERN_RESOURCE_SHORTAGE (the
 * clone refused, for its spare or itself), at once and as often as asked;
 * a spare refused once is not cloned again to take a place the program
 * has made free for a thread of its own; with the limit raised,
 * thread_create makes threads that run; and the task ends with nothing
 * left (root is not bound by the limit: the process runs as nobody).
 */
TEST_F_TIMEOUT(spare, threads_past_rlimit_nproc_are_refused_then_made, 90)
{
	long before[3] = { -1, -1, -1 }, after[3];
	int status = -1;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root, to run as a user of its own");
	settled_counts(before);
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(past_rlimit_nproc());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("%s", past_rlimit_nproc_failure(WEXITSTATUS(status)));
	counts_back(before, after);
	EXPECT_EQ(before[0], after[0]) TH_LOG("%s", live_names[0]);
	EXPECT_EQ(before[1], after[1]) TH_LOG("%s", live_names[1]);
	EXPECT_EQ(before[2], after[2]) TH_LOG("%s", live_names[2]);
}

/* The thread of ours that is not the caller (our agent, once made), or -1. */
static pid_t other_thread(void)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *entry;
	pid_t other = -1;

	while (dir && (entry = readdir(dir)))
		if (entry->d_name[0] != '.' && atoi(entry->d_name) != gettid())
			other = atoi(entry->d_name);
	if (dir)
		closedir(dir);
	return other;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

#define OWN_THREADS 6

/*
 * The child of the test below: tells its agent's tid on tell, waits for
 * it to be traced and held, then makes threads of its own. 0, or where
 * it failed.
 *   lock incl (%rbx); 1: pause(); jmp 1b
 */
static int own_threads_with_the_agent_held(int tell, int go)
{
	static const uint8_t program[] = {
		0xf0, 0xff, 0x03,		/* lock incl (%rbx) */
		0xb8, 34, 0, 0, 0, 0x0f, 0x05,	/* 1: pause() */
		0xeb, 0xf7,			/* jmp 1b */
	};
	thread_act_t threads[OWN_THREADS];
	static uint32_t ran;
	vm_address_t code = 0;
	struct timespec start;
	char state[32];
	pid_t agent;
	char c;

	alarm(20);	/* a call waiting for the held agent fails the test */
	if (write_code(mach_task_self(), program, sizeof(program), &code))
		return 2;	/* (its vm_protect made the agent) */
	if (await_linux_threads(getpid(), 2) != 2)
		return 3;
	agent = other_thread();
	if (write(tell, &agent, sizeof(agent)) != sizeof(agent) || read(go, &c, 1) != 1)
		return 4;
	for (unsigned int i = 0; i < OWN_THREADS; i++) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (thread_create(mach_task_self(), &threads[i]) != KERN_SUCCESS)
			return 10 + i;
		if (seconds_since(&start) > 2)
			return 20 + i;
		if (!runs(threads[i], code, &ran, i + 1))
			return 30 + i;
	}
	/* The agent was held all along: "t (tracing stop)". */
	if (proc_status_line(agent, "State:", state, sizeof(state)) || state[0] != 't')
		return 5;
	for (unsigned int i = 0; i < OWN_THREADS; i++)
		if (thread_terminate(threads[i]))
			return 6;
	return 0;
}

/*
 * thread_create of the caller's own task is cloned by the calling thread
 * itself, on its way out of the call: with its agent held by a tracer it
 * answers at once, time after time (a spare on its way in the held agent
 * is not waited for), and each thread runs what it was given.
 */
TEST_F(spare, own_threads_are_made_with_the_agent_held)
{
	int tell[2], go[2], status = -1, code = -1;
	pid_t pid, reaped, agent = -1;

	ASSERT_EQ(0, pipe(tell));
	ASSERT_EQ(0, pipe(go));
	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		code = own_threads_with_the_agent_held(tell[1], go[0]);
		/* Told, then let go, so that its held agent does not keep it. */
		if (write(tell[1], &code, sizeof(code)) != sizeof(code) || read(go[0], tell, 1) != 1)
			_exit(100);
		_exit(code);
	}
	close(tell[1]);
	close(go[0]);
	signal(SIGPIPE, SIG_IGN);	/* a child gone early is seen by waitpid() */
	ASSERT_EQ(sizeof(agent), read(tell[0], &agent, sizeof(agent)));
	ASSERT_LT(0, agent);
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, agent, 0, 0));
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, agent, 0, 0));
	ASSERT_EQ(agent, waitpid(agent, &status, __WALL));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(1, write(go[1], "g", 1));
	if (read(tell[0], &code, sizeof(code)) == sizeof(code)) {
		EXPECT_EQ(0, ptrace(PTRACE_DETACH, agent, 0, 0));
		EXPECT_EQ(1, write(go[1], "g", 1));
	}
	/* (Gone early, its traced agent is ours to reap first.) */
	do
		reaped = waitpid(-1, &status, __WALL);
	while (reaped > 0 && reaped != pid);
	ASSERT_EQ(pid, reaped);
	close(tell[0]);
	close(go[1]);
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("status %#x (SIGALRM: a call waited)", status);
	EXPECT_EQ(0, code);
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * What the test below runs after its exec (thread_spare --first WHAT):
 * the new program's first call that needs its task's stub, with the old
 * program's agent dead. 0, or where it failed.
 */
static int first_after_exec(const char *what)
{
	thread_act_t thread;
	task_t task;

	if (!strcmp(what, "thread")) {
		if (thread_create(mach_task_self(), &thread) != KERN_SUCCESS)
			return 1;
		return thread_terminate(thread) ? 2 : 0;
	}
	if (task_create(mach_task_self(), NULL, 0, FALSE, &task) != KERN_SUCCESS)
		return 3;
	return task_terminate(task) ? 4 : 0;
}

/*
 * A program that had an agent execs: the agent dies with it, and the new
 * program's stub is mapped when first needed. Its first thread_create or
 * task_create of its own task, which the calling thread makes through the
 * stub, finds one and answers (it once jumped to a stub that was not
 * there, and the process died of SIGSEGV).
 */
TEST_F(spare, own_threads_and_tasks_are_made_first_thing_after_an_exec)
{
	for (const char **what = (const char *[]){ "thread", "task", NULL }; *what; what++) {
		int status = -1;
		pid_t pid = made_fork(&self->made);

		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (make_own_agent())
				_exit(90);
			execl("/proc/self/exe", "thread_spare", "--first", *what, (char *)NULL);
			_exit(91);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status)) TH_LOG("%s: status %#x", *what, status);
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("%s", *what);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--after-exec"))
		return after_exec(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "--first"))
		return first_after_exec(argv[2]);
	return test_harness_run(argc, argv);
}
