// SPDX-License-Identifier: GPL-2.0
/*
 * A clone the module asks of a task's stub comes back with its result
 * from user space: the stub can be covered, and a seccomp supervisor (as
 * here) or a tracer can answer the clone in its stead, with any pid. The
 * module must take a result only for the clone it asked for (its child,
 * or its thread, wearing the cookie it gave as TLS base): else a user
 * could tie a new task to another user's process, and read, write and
 * kill it through the task's port.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <asm/prctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/ioctl.h>
#include <mach/mach.h>
#include <mach/mach_norma.h>

#include "kselftest_harness.h"
#include "mach_test.h"

/* The clone flags of a shell that shares its parent's memory, of a thread. */
#define SHELL_CLONE (CLONE_SETTLS | CLONE_FILES)
#define THREAD_CLONE (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		      CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS)

/*
 * A pipe whose read end, if open, the supervisor waits on (a byte, or 10
 * s) before it answers: the forger's other thread lets it go.
 */
static int release_pipe[2] = { -1, -1 };
/* A pipe the supervisor writes a byte to, if open, as each call is handed over. */
static int held_pipe[2] = { -1, -1 };
/* A pipe the supervisor writes each call's fifth argument to, if open. */
static int arg4_pipe[2] = { -1, -1 };

/* One of the pipes above, closed after a test: the supervisor leaves it. */
static void close_pipe(int pipe_fds[2])
{
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	pipe_fds[0] = pipe_fds[1] = -1;
}

/* The supervisor, in the test's process: it answers each clone handed to it. */
struct forger {
	int listener;
	pid_t answer;
	int error;	/* answered instead of a pid, if not 0 */
	int answered, quit;
	pthread_t thread;
};

static void *answer_clones(void *arg)
{
	struct forger *f = arg;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd pfd = { .fd = f->listener, .events = POLLIN };

	while (!__atomic_load_n(&f->quit, __ATOMIC_ACQUIRE)) {
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		if (!(pfd.revents & POLLIN))
			break;	/* the forger is gone */
		memset(&req, 0, sizeof(req));
		if (ioctl(f->listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
			continue;
		if (held_pipe[1] >= 0)
			(void)!write(held_pipe[1], "h", 1);
		if (arg4_pipe[1] >= 0)
			(void)!write(arg4_pipe[1], &req.data.args[4], sizeof(req.data.args[4]));
		if (release_pipe[0] >= 0) {
			struct pollfd released = { .fd = release_pipe[0], .events = POLLIN };
			char byte;

			if (poll(&released, 1, 10000) == 1)
				(void)!read(release_pipe[0], &byte, 1);
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = f->answer;	/* "the clone made this pid" */
		resp.error = -f->error;	/* or "the clone failed so" */
		ioctl(f->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		__atomic_add_fetch(&f->answered, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* How many names the forger's space has: set once its clones are handed over. */
static mach_msg_type_number_t names_before;

static mach_msg_type_number_t names_now(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t count = 0, types_count = 0;

	mach_port_names(mach_task_self(), &names, &count, &types, &types_count);
	return count;
}

/*
 * In the forging child, single-threaded (so that its agent, when made,
 * is made by this thread and has its filter): nobody, its system calls nr
 * whose argument arg is value (its low 32 bits) handed to a listener whose
 * fd goes up the pipe. Then it waits for the word to go on. 0, or an
 * exit code.
 */
static int forge_syscall(int nr, int arg, unsigned long value, int up, int down)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[arg])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(code), .filter = code };
	int listener;
	char go;

	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 90;
	if (mach_task_self() == MACH_PORT_NULL || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 91;
	listener = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (write(up, &listener, sizeof(listener)) != sizeof(listener))
		return 92;
	if (listener < 0)
		return 4;
	if (read(down, &go, 1) != 1)
		return 93;
	alarm(8);
	names_before = names_now();
	return 0;
}

/* Its clones with these flags handed over (forge_syscall()). */
static int forge_clones(unsigned long flags, int up, int down)
{
	return forge_syscall(__NR_clone, 0, flags, up, down);
}

/* A process of root's, which nobody may touch, until killed. */
static pid_t start_victim(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/*
 * Runs forge (in a child, with the pipes' ends) against a victim of
 * root's, its clones answered with the victim's pid or, if error is not
 * 0, with -error: the forger's exit (-1: it did not exit), whether its
 * clones were handed over, and whether the victim lived through it.
 */
static int run_forger(int (*forge)(pid_t victim, int up, int down), int error,
		      int *answered, int *victim_alive)
{
	int up[2], down[2], fd, status = -1, pidfd;
	struct forger f = { .listener = -1 };
	pid_t victim = start_victim(), pid;

	if (victim < 0 || pipe(up) || pipe(down))
		return -1;
	pid = fork();
	if (pid == 0)
		_exit(forge(victim, up[1], down[0]));
	if (read(up[0], &fd, sizeof(fd)) == sizeof(fd) && fd >= 0) {
		pidfd = syscall(__NR_pidfd_open, pid, 0);
		f.listener = pidfd < 0 ? -1 : syscall(__NR_pidfd_getfd, pidfd, fd, 0);
		close(pidfd);
		f.answer = error ? 0 : victim;
		f.error = error;
		if (f.listener >= 0 && !pthread_create(&f.thread, NULL, answer_clones, &f))
			(void)!write(down[1], "g", 1);
	}
	close(down[1]);
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		status = WEXITSTATUS(status);
	else
		status = -1;
	if (f.listener >= 0) {
		__atomic_store_n(&f.quit, 1, __ATOMIC_RELEASE);
		pthread_join(f.thread, NULL);
		close(f.listener);
	}
	*answered = f.answered;
	*victim_alive = waitpid(victim, NULL, WNOHANG) == 0;
	kill(victim, SIGKILL);
	waitpid(victim, NULL, 0);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	return status;
}

/* Its exit: 0 refused, 1 made (of no clone), 2 made of the victim. */
static int task_of_forged_clone(pid_t victim, int up, int down, boolean_t inherit,
				unsigned long flags)
{
	int ret = forge_clones(flags, up, down), pid = 0;
	task_t task;

	if (ret)
		return ret;
	if (task_create(mach_task_self(), NULL, 0, inherit, &task) != KERN_SUCCESS)
		return 0;
	pid_for_task(task, &pid);
	task_terminate(task);	/* what it could do to the victim: end it */
	return pid == victim ? 2 : 1;
}

static int shared_task_of_forged_clone(pid_t victim, int up, int down)
{
	return task_of_forged_clone(victim, up, down, TRUE, SHELL_CLONE);
}

static int empty_task_of_forged_clone(pid_t victim, int up, int down)
{
	return task_of_forged_clone(victim, up, down, FALSE,
				    SHELL_CLONE | CLONE_VM | CLONE_VFORK);
}

TEST(a_task_made_through_a_forged_clone_is_no_other_process)
{
	int (*const ways[])(pid_t, int, int) = { shared_task_of_forged_clone,
						  empty_task_of_forged_clone };

	for (size_t i = 0; i < ARRAY_SIZE(ways); i++) {
		int answered = 0, alive = 0, got = run_forger(ways[i], 0, &answered, &alive);

		if (got == 4)
			SKIP(return, "no seccomp user notification in this kernel");
		EXPECT_NE(0, answered) TH_LOG("way %zu: the clone was not handed over", i);
		EXPECT_EQ(0, got) TH_LOG("way %zu: %s", i,
					 got == 2 ? "the task was the victim's process" :
					 got == 1 ? "a task made of no clone" : "the forger failed");
		EXPECT_TRUE(alive) TH_LOG("way %zu: the victim was ended", i);
	}
}

/* Its exit: 0 refused, 2 made (its thread the victim). */
static int thread_of_forged_clone(pid_t victim, int up, int down)
{
	int ret = forge_clones(THREAD_CLONE, up, down);
	thread_basic_info_data_t info;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	thread_act_t thread;

	if (ret)
		return ret;
	if (thread_create(mach_task_self(), &thread) != KERN_SUCCESS)
		return 0;
	thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info, &count);
	thread_terminate(thread);
	return 2;
}

TEST(a_thread_made_through_a_forged_clone_is_refused)
{
	int answered = 0, alive = 0, got = run_forger(thread_of_forged_clone, 0, &answered,
							     &alive);

	if (got == 4)
		SKIP(return, "no seccomp user notification in this kernel");
	EXPECT_NE(0, answered) TH_LOG("the clone was not handed over");
	EXPECT_EQ(0, got) TH_LOG("thread_create took the forged clone");
	EXPECT_TRUE(alive);
}

/* One of the calls a test makes fail, in its forger. */
struct way {
	const char *name;
	int (*forge)(pid_t victim, int up, int down);
};

/* What a forger's exit says, if not 0. */
static const char *forger_exit(int got)
{
	switch (got) {
	case 1:
		return "the call succeeded";
	case 3:
		return "refused with another error";
	case 5:
		return "a thread was left";
	case 6:
		return "the name's number was not reused";
	case 7:
		return "another right at the number was taken back";
	case 8:
		return "a name was left";
	case -1:
		return "the caller hung or died";
	}
	return "the forger failed";
}

/* Each way, its one clone failed with error: refused, and nothing left. */
static void each_way_fails_alone(struct __test_metadata *_metadata, const struct way *ways,
				 size_t n, int error)
{
	for (size_t i = 0; i < n; i++) {
		int answered = 0, alive = 0;
		int got = run_forger(ways[i].forge, error, &answered, &alive);

		if (got == 4)
			SKIP(return, "no seccomp user notification in this kernel");
		EXPECT_EQ(1, answered) TH_LOG("%s: %d clones handed over", ways[i].name, answered);
		EXPECT_EQ(0, got) TH_LOG("%s: %s", ways[i].name, forger_exit(got));
	}
}

/*
 * A clone failed with EINPROGRESS, the value the module's own "answered
 * later" has inside the kernel. Each call fails as for any failed clone
 * (KERN_FAILURE), promptly (the forger's alarm), after that one clone,
 * and leaves no thread and no name. Its exit: 0 so refused, 1 made, 3
 * refused with another error, 5 a thread left, 8 a name left.
 */
static int refused_in(task_t task, mach_msg_type_number_t threads_before, kern_return_t kr)
{
	thread_act_array_t threads;
	mach_msg_type_number_t count = 0;

	if (kr == KERN_SUCCESS)
		return 1;
	if (kr != KERN_FAILURE)
		return 3;
	if (task_threads(task, &threads, &count) != KERN_SUCCESS)
		return 94;
	for (mach_msg_type_number_t i = 0; i < count; i++)
		mach_port_deallocate(mach_task_self(), threads[i]);
	if (count != threads_before)
		return 5;
	return names_now() == names_before ? 0 : 8;
}

static int refused_so(kern_return_t kr)
{
	return refused_in(mach_task_self(), 1, kr);
}

/* Through its agent: a float state is set before the thread first runs. */
static int running_thread_of_failed_clone(pid_t victim, int up, int down)
{
	x86_float_state64_t fpu;
	mach_msg_type_number_t count = x86_FLOAT_STATE64_COUNT;
	thread_act_t thread;
	kern_return_t kr;
	int ret;

	if (thread_get_state(mach_thread_self(), x86_FLOAT_STATE64, (thread_state_t)&fpu,
			     &count))
		return 95;
	ret = forge_clones(THREAD_CLONE, up, down);
	if (ret)
		return ret;
	kr = thread_create_running(mach_task_self(), x86_FLOAT_STATE64, (thread_state_t)&fpu,
				   x86_FLOAT_STATE64_COUNT, &thread);
	return refused_so(kr);
}

/* On the caller's own way out of the ioctl. */
static int thread_of_failed_clone(pid_t victim, int up, int down)
{
	int ret = forge_clones(THREAD_CLONE, up, down);
	thread_act_t thread;

	return ret ?: refused_so(thread_create(mach_task_self(), &thread));
}

/* By the agent of a child task (it has the forger's filter). */
static int remote_thread_of_failed_clone(pid_t victim, int up, int down)
{
	int ret = forge_clones(THREAD_CLONE, up, down);
	thread_act_t thread;
	task_t child;

	if (ret)
		return ret;
	if (task_create(mach_task_self(), NULL, 0, FALSE, &child) != KERN_SUCCESS)
		return 96;
	names_before = names_now();
	ret = refused_in(child, 0, thread_create(child, &thread));
	task_terminate(child);
	return ret;
}

/* Through its agent, the parent held while it clones. */
static int norma_clone_of_failed_clone(pid_t victim, int up, int down)
{
	int ret = forge_clones(SHELL_CLONE, up, down);
	task_t task;

	return ret ?: refused_so(norma_task_clone(mach_task_self(), TRUE, 0, &task));
}

/* On the caller's own way out of the ioctl. */
static int task_of_failed_clone(pid_t victim, int up, int down)
{
	int ret = forge_clones(SHELL_CLONE, up, down);
	task_t task;

	return ret ?: refused_so(task_create(mach_task_self(), NULL, 0, TRUE, &task));
}

TEST(a_clone_that_fails_with_einprogress_fails_the_call)
{
	static const struct way ways[] = {
		{ "thread_create_running, agent", running_thread_of_failed_clone },
		{ "thread_create, trampoline", thread_of_failed_clone },
		{ "thread_create in a child task, its agent", remote_thread_of_failed_clone },
		{ "norma_task_clone, agent", norma_clone_of_failed_clone },
		{ "task_create, trampoline", task_of_failed_clone },
	};

	each_way_fails_alone(_metadata, ways, ARRAY_SIZE(ways), EINPROGRESS);
}

/*
 * The forger's second thread: once the name its main thread's call was
 * given shows among the space's names, it takes the name away, makes the
 * number a new port's (receive and send right), and lets the supervisor
 * answer. The new port's name, or MACH_PORT_NULL if the number was not
 * reused.
 */
struct name_thief {
	mach_port_name_array_t before;
	mach_msg_type_number_t count;
	mach_port_name_t reused;
};

static bool known_name(const struct name_thief *thief, mach_port_name_t name)
{
	for (mach_msg_type_number_t i = 0; i < thief->count; i++)
		if (thief->before[i] == name)
			return true;
	return false;
}

static void *steal_the_name(void *arg)
{
	struct name_thief *thief = arg;
	mach_port_name_t taken = MACH_PORT_NULL, port;

	for (int tries = 0; tries < 5000 && !taken; tries++) {
		mach_port_name_array_t names;
		mach_port_type_array_t types;
		mach_msg_type_number_t n = 0, m = 0;

		if (mach_port_names(mach_task_self(), &names, &n, &types, &m) != KERN_SUCCESS)
			break;
		for (mach_msg_type_number_t i = 0; i < n && !taken; i++)
			if (!known_name(thief, names[i]))
				taken = names[i];
		if (!taken)
			usleep(1000);
	}
	if (taken) {
		mach_port_type_t type;

		for (int i = 0; i < 4 && !mach_port_type(mach_task_self(), taken, &type); i++)
			mach_port_deallocate(mach_task_self(), taken);
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ==
		    KERN_SUCCESS &&
		    mach_port_insert_right(mach_task_self(), port, port,
					   MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
		    port == taken)
			thief->reused = port;
	}
	(void)!write(release_pipe[1], "r", 1);
	return NULL;
}

/*
 * Its exit: 0 the call failed and took back only what it made, 1 it
 * succeeded, 6 the number was not reused (nothing shown), 7 the new
 * port's send right was taken, 5 a thread was left.
 */
static int call_with_its_name_stolen(kern_return_t (*call)(void), mach_msg_type_number_t threads)
{
	struct name_thief thief = { 0 };
	mach_msg_type_number_t count = 0;
	mach_port_type_array_t types;
	mach_port_urefs_t refs = 0;
	thread_act_array_t list;
	pthread_t other;
	kern_return_t kr;

	if (mach_port_names(mach_task_self(), &thief.before, &thief.count, &types, &count) ||
	    pthread_create(&other, NULL, steal_the_name, &thief))
		return 97;
	kr = call();
	pthread_join(other, NULL);
	if (kr == KERN_SUCCESS)
		return 1;
	if (!thief.reused)
		return 6;
	if (mach_port_get_refs(mach_task_self(), thief.reused, MACH_PORT_RIGHT_SEND, &refs) ||
	    refs != 1)
		return 7;
	if (task_threads(mach_task_self(), &list, &count))
		return 94;
	return count == threads ? 0 : 5;
}

static kern_return_t create_a_thread(void)
{
	thread_act_t thread;

	return thread_create(mach_task_self(), &thread);
}

static kern_return_t create_a_task(void)
{
	task_t task;

	return task_create(mach_task_self(), NULL, 0, TRUE, &task);
}

static int thread_name_stolen(pid_t victim, int up, int down)
{
	thread_act_t self = mach_thread_self();	/* listed from now on */
	int ret = forge_clones(THREAD_CLONE, up, down);

	return ret ?: call_with_its_name_stolen(create_a_thread, self ? 1 : 0);
}

static int task_name_stolen(pid_t victim, int up, int down)
{
	thread_act_t self = mach_thread_self();
	int ret = forge_clones(SHELL_CLONE, up, down);

	return ret ?: call_with_its_name_stolen(create_a_task, self ? 1 : 0);
}

/*
 * The name a thread_create or task_create gives is made before the
 * calling thread clones on its way out, and another thread of the program
 * can see it meanwhile. A clone that then fails takes back the right and
 * thread the call made, not whatever the number names by then.
 */
TEST(a_failed_clone_takes_back_only_what_its_call_made)
{
	static const struct way ways[] = {
		{ "thread_create", thread_name_stolen },
		{ "task_create", task_name_stolen },
	};

	ASSERT_EQ(0, pipe(release_pipe));
	each_way_fails_alone(_metadata, ways, ARRAY_SIZE(ways), EAGAIN);
	close_pipe(release_pipe);
}

/*
 * The caller of a thread_create terminated on its way out of the ioctl,
 * its clone made: the thread lives on, named in its task, as on XNU,
 * where the call finishes before the thread ends. The stub's return to
 * the module is held by the supervisor; a second thread terminates the
 * caller meanwhile, lists the task's threads (which found the caller's
 * trampoline and ended the thread with it), and runs the new thread.
 *   lock incq (ran); 1: pause(); jmp 1b
 */
static uint64_t ran;

struct terminator {
	thread_act_t caller;
	mach_port_name_array_t before;
	mach_msg_type_number_t count;
};

static void *terminate_the_caller(void *arg)
{
	struct terminator *t = arg;
	uint8_t program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,	/* movabs $ran, %rax */
		0xf0, 0x48, 0xff, 0x00,			/* lock incq (%rax) */
		0xb8, 0x22, 0, 0, 0,			/* 1: mov $34, %eax (pause) */
		0x0f, 0x05,				/* syscall */
		0xeb, 0xf7,				/* jmp 1b */
	};
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n = 0, m = 0;
	thread_act_array_t threads;
	mach_port_name_t made = MACH_PORT_NULL;
	uint64_t *at = &ran;
	vm_address_t code;
	char byte;

	if (read(held_pipe[0], &byte, 1) != 1)
		_exit(40);
	if (mach_port_names(mach_task_self(), &names, &n, &types, &m))
		_exit(41);
	for (mach_msg_type_number_t i = 0; i < n && !made; i++) {
		made = names[i];
		for (mach_msg_type_number_t k = 0; k < t->count; k++)
			if (t->before[k] == names[i])
				made = MACH_PORT_NULL;
	}
	if (!made || thread_terminate(t->caller))
		_exit(42);
	(void)!write(release_pipe[1], "r", 1);
	/* Its trampoline is looked for (adoption) once it is gone. */
	for (int i = 0; i < 200 && !thread_suspend(t->caller); i++) {
		thread_resume(t->caller);
		usleep(10 * 1000);
	}
	if (task_threads(mach_task_self(), &threads, &n))
		_exit(43);
	memcpy(program + 2, &at, 8);
	if (write_code(mach_task_self(), program, sizeof(program), &code))
		_exit(44);
	if (start_at(made, code, 0) || thread_resume(made))
		_exit(45);
	for (int i = 0; i < 200 && !__atomic_load_n(&ran, __ATOMIC_ACQUIRE); i++)
		usleep(10 * 1000);
	_exit(__atomic_load_n(&ran, __ATOMIC_ACQUIRE) ? 0 : 46);
}

static int caller_terminated_on_the_way_out(pid_t victim, int up, int down)
{
	struct terminator t = { .caller = mach_thread_self() };
	mach_port_type_array_t types;
	mach_msg_type_number_t count;
	thread_act_t thread;
	pthread_t other;
	int ret;

	ret = forge_syscall(__NR_ioctl, 1, MACH_IOC_TRAMPOLINE_RETURN, up, down);
	if (ret)
		return ret;
	if (mach_port_names(mach_task_self(), &t.before, &t.count, &types, &count) ||
	    pthread_create(&other, NULL, terminate_the_caller, &t))
		return 97;
	thread_create(mach_task_self(), &thread);	/* terminated on its way out */
	return 98;
}

TEST(a_thread_made_for_a_caller_terminated_on_its_way_out_lives)
{
	int answered = 0, alive = 0, got;

	ASSERT_EQ(0, pipe(release_pipe));
	ASSERT_EQ(0, pipe(held_pipe));
	got = run_forger(caller_terminated_on_the_way_out, EAGAIN, &answered, &alive);
	close_pipe(release_pipe);
	close_pipe(held_pipe);
	if (got == 4)
		SKIP(return, "no seccomp user notification in this kernel");
	EXPECT_EQ(0, got) TH_LOG("%s", got == 46 ? "the new thread never ran" :
				       got == 45 ? "the new thread could not be started" :
				       got == 98 ? "thread_create returned to its caller" :
				       "the forger failed");
}

/*
 * A clone's result of -EINTR, which is also what the module gives a call
 * whose caller ended on its trampoline: given from user space, with a
 * thread of the program wearing the clone's cookie (its TLS base, which
 * the supervisor sees), it makes no thread of that one.
 */
static long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c)
		     : "rcx", "r11", "memory");
	return ret;
}

/* Its TLS the cookie, it makes no more use of the C library's. */
static void *wear_the_cookie(void *arg)
{
	unsigned long cookie = 0;
	char byte = 'w';

	if (raw_syscall3(__NR_read, arg4_pipe[0], (long)&cookie, sizeof(cookie)) == sizeof(cookie))
		raw_syscall3(__NR_arch_prctl, ARCH_SET_FS, cookie, 0);
	raw_syscall3(__NR_write, release_pipe[1], (long)&byte, 1);
	for (;;)
		raw_syscall3(__NR_pause, 0, 0, 0);
	return arg;
}

static int thread_of_clone_forged_as_interrupted(pid_t victim, int up, int down)
{
	thread_act_t thread;
	pthread_t wearer;
	int ret;

	if (pthread_create(&wearer, NULL, wear_the_cookie, NULL))
		return 97;
	ret = forge_clones(THREAD_CLONE, up, down);
	if (ret)
		return ret;
	return thread_create(mach_task_self(), &thread) == KERN_SUCCESS ? 1 : 0;
}

TEST(a_clone_forged_as_interrupted_claims_no_thread)
{
	int answered = 0, alive = 0, got;

	ASSERT_EQ(0, pipe(release_pipe));
	ASSERT_EQ(0, pipe(arg4_pipe));
	got = run_forger(thread_of_clone_forged_as_interrupted, EINTR, &answered, &alive);
	close_pipe(release_pipe);
	close_pipe(arg4_pipe);
	if (got == 4)
		SKIP(return, "no seccomp user notification in this kernel");
	EXPECT_EQ(1, answered);
	EXPECT_EQ(0, got) TH_LOG("%s", got == 1 ? "thread_create made a thread of the wearer" :
				       "the forger failed");
}

TEST_HARNESS_MAIN
