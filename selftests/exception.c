// SPDX-License-Identifier: GPL-2.0
/*
 * Faults as Mach exceptions: a fault in a thread of a task with an
 * exception port becomes XNU's exception message; the thread waits for
 * the reply, goes on when it says KERN_SUCCESS, and otherwise gets
 * Linux's signal, exactly as without the module.
 */
#define _GNU_SOURCE	/* memfd_create */
#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <mach/mach.h>
#include <mach/mach_exc.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096
#define STATE_MAX 614	/* x86 THREAD_STATE_MAX */

/* The requests and replies of exc.defs and mach_exc.defs, as MIG lays them out. */
#pragma pack(push, 4)
struct identity_request {	/* 2401, 2405 */
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t thread;
	mach_msg_port_descriptor_t task;
	NDR_record_t ndr;
	exception_type_t exception;
	mach_msg_type_number_t code_count;
	int64_t code[2];	/* 2401: two 32-bit codes in its first 8 bytes */
};

struct state_request {		/* 2402, 2406 */
	mach_msg_header_t head;
	NDR_record_t ndr;
	exception_type_t exception;
	mach_msg_type_number_t code_count;
	int64_t code[2];	/* 2402: 32-bit codes, and what follows moves up */
	int flavor;
	mach_msg_type_number_t state_count;
	natural_t state[STATE_MAX];
};

struct state_identity_request {	/* 2403, 2407 */
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t thread;
	mach_msg_port_descriptor_t task;
	NDR_record_t ndr;
	exception_type_t exception;
	mach_msg_type_number_t code_count;
	int64_t code[2];
	int flavor;
	mach_msg_type_number_t state_count;
	natural_t state[STATE_MAX];
};

struct reply {
	mach_msg_header_t head;
	NDR_record_t ndr;
	kern_return_t ret;
};

struct state_reply {
	mach_msg_header_t head;
	NDR_record_t ndr;
	kern_return_t ret;
	int flavor;
	mach_msg_type_number_t state_count;
	natural_t state[STATE_MAX];
};
#pragma pack(pop)

union request {
	mach_msg_header_t head;
	struct identity_request identity;
	struct state_request state;
	struct state_identity_request state_identity;
	char room[sizeof(struct state_identity_request) + 64];
};

/* A receive right with a send right under the same name. */
static mach_port_t handler_port(void)
{
	mach_port_t port;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ||
	    mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND))
		return MACH_PORT_NULL;
	return port;
}

static mach_msg_return_t receive(mach_port_t port, union request *req, int timeout_ms)
{
	return mach_msg(&req->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*req), port,
			timeout_ms, MACH_PORT_NULL);
}

/* Answers req with ret, and for a state request with state (count words). */
static mach_msg_return_t answer(const union request *req, kern_return_t ret, int flavor,
				const natural_t *state, mach_msg_type_number_t count)
{
	struct state_reply reply = { 0 };
	mach_msg_size_t size = sizeof(struct reply);

	reply.head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(req->head.msgh_bits), 0);
	reply.head.msgh_remote_port = req->head.msgh_remote_port;
	reply.head.msgh_id = req->head.msgh_id + 100;
	reply.ndr = NDR_record;
	reply.ret = ret;
	if (state) {
		reply.flavor = flavor;
		reply.state_count = count;
		memcpy(reply.state, state, count * sizeof(natural_t));
		size = offsetof(struct state_reply, state) + count * sizeof(natural_t);
	}
	reply.head.msgh_size = size;
	return mach_msg(&reply.head, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/*
 * This program exec'd by a_set_id_exec_drops_the_tasks_handlers: exits
 * 0 if its task has no handler of EXC_BAD_ACCESS, 1 if it has one.
 */
static void __attribute__((constructor)) exec_probe(void)
{
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count = EXC_TYPES_COUNT;

	if (!getenv("MACH_EXCEPTION_PROBE"))
		return;
	if (task_get_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS, masks, &count,
				     ports, behaviors, flavors))
		_exit(2);
	for (unsigned int i = 0; i < count; i++)
		if (ports[i] != MACH_PORT_NULL)
			_exit(1);
	_exit(0);
}

/* A page the first touch of which faults: PROT_NONE. */
static volatile uint32_t *fault_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *read_word(void *arg)
{
	return (void *)(uintptr_t)*(volatile uint32_t *)arg;
}

/* The program's own handler, for when Mach declines. */
static volatile sig_atomic_t handled_signal;
static volatile int handled_code;
static volatile void *handled_address;
static volatile uint32_t *repair_page;

static void repair(int sig, siginfo_t *info, void *context)
{
	handled_signal = sig;
	handled_code = info->si_code;
	handled_address = info->si_addr;
	if (repair_page) {
		mprotect((void *)repair_page, PAGE, PROT_READ | PROT_WRITE);
		repair_page[0] = 0xfeed;
	}
}

static void install_repair(volatile uint32_t *page)
{
	struct sigaction sa = { 0 };

	handled_signal = 0;
	repair_page = page;
	sa.sa_sigaction = repair;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
}

/*
 * EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES: the faulting thread's and the
 * task's ports, EXC_BAD_ACCESS with the address; the handler repairs the
 * page and the read goes on.
 */
TEST(default_behaviour_repairs_the_fault)
{
	mach_port_t port = handler_port();
	volatile uint32_t *page = fault_page();
	union request req;
	pthread_t t;
	void *got;

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_NE(NULL, page);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, THREAD_STATE_NONE));
	ASSERT_EQ(0, pthread_create(&t, NULL, read_word, (void *)page));

	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	EXPECT_EQ(2405, req.head.msgh_id);
	EXPECT_TRUE(req.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(req.head.msgh_bits));
	EXPECT_EQ(2, req.identity.body.msgh_descriptor_count);
	EXPECT_EQ(mach_task_self(), req.identity.task.name);
	EXPECT_NE(MACH_PORT_NULL, req.identity.thread.name);
	EXPECT_EQ(EXC_BAD_ACCESS, req.identity.exception);
	EXPECT_EQ(2, req.identity.code_count);
	EXPECT_EQ(KERN_PROTECTION_FAILURE, req.identity.code[0]);
	EXPECT_EQ((int64_t)(uintptr_t)page, req.identity.code[1]);

	ASSERT_EQ(0, mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE));
	page[0] = 0x600df00d;
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, 0, NULL, 0));
	ASSERT_EQ(0, pthread_join(t, &got));
	EXPECT_EQ(0x600df00d, (uint32_t)(uintptr_t)got);
	/* The thread port names the thread that faulted, alive until now. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), req.identity.thread.name));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), req.identity.task.name));
}

static volatile int after_ud2;

static void *undefined_instruction(void *arg)
{
	after_ud2 = 0;
	__asm__ volatile("ud2\n\tmovl $1, %0" : "=m"(after_ud2));
	return NULL;
}

/*
 * EXCEPTION_STATE with x86_THREAD_STATE64, 32-bit codes: the state at
 * the ud2; the reply's state skips it.
 */
TEST(state_behaviour_sets_the_state_of_the_reply)
{
	mach_port_t port = handler_port();
	x86_thread_state64_t state;
	union request req;
	pthread_t t;

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(),
			EXC_MASK_BAD_INSTRUCTION, port, EXCEPTION_STATE, x86_THREAD_STATE64));
	ASSERT_EQ(0, pthread_create(&t, NULL, undefined_instruction, NULL));

	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	ASSERT_EQ(2402, req.head.msgh_id);
	EXPECT_FALSE(req.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	EXPECT_EQ(EXC_BAD_INSTRUCTION, req.state.exception);
	EXPECT_EQ(2, req.state.code_count);
	/* 32-bit codes: EXC_I386_INVOP, 0; the flavor follows them. */
	int32_t codes[2];
	memcpy(codes, req.state.code, sizeof(codes));
	EXPECT_EQ(EXC_I386_INVOP, codes[0]);
	EXPECT_EQ(0, codes[1]);
	const natural_t *after = (const natural_t *)((const char *)req.state.code + 8);
	EXPECT_EQ(x86_THREAD_STATE64, (int)after[0]);
	ASSERT_EQ(x86_THREAD_STATE64_COUNT, after[1]);
	EXPECT_EQ(offsetof(struct state_request, code) + 8 + 8 + 4 * x86_THREAD_STATE64_COUNT,
		  req.head.msgh_size);
	memcpy(&state, after + 2, sizeof(state));
	EXPECT_EQ(0x0b0f, *(volatile uint16_t *)state.__rip);	/* ud2 */

	state.__rip += 2;
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, x86_THREAD_STATE64,
					   (natural_t *)&state, x86_THREAD_STATE64_COUNT));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, after_ud2);
}

/*
 * x86_THREAD_STATE, the flavour with a header, as the handler's flavour:
 * the request carries the header and the 64-bit state; so may the reply.
 */
TEST(the_unified_thread_state_flavour)
{
	mach_port_t port = handler_port();
	x86_thread_state_t state;
	union request req;
	pthread_t t;

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(),
			EXC_MASK_BAD_INSTRUCTION, port, EXCEPTION_STATE | MACH_EXCEPTION_CODES,
			x86_THREAD_STATE));
	ASSERT_EQ(0, pthread_create(&t, NULL, undefined_instruction, NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	ASSERT_EQ(2406, req.head.msgh_id);
	EXPECT_EQ(x86_THREAD_STATE, req.state.flavor);
	ASSERT_EQ(x86_THREAD_STATE_COUNT, req.state.state_count);
	memcpy(&state, req.state.state, sizeof(state));
	EXPECT_EQ(x86_THREAD_STATE64, state.tsh.flavor);
	EXPECT_EQ(x86_THREAD_STATE64_COUNT, state.tsh.count);
	EXPECT_EQ(0x0b0f, *(volatile uint16_t *)state.uts.ts64.__rip);
	state.uts.ts64.__rip += 2;
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, x86_THREAD_STATE,
					   (natural_t *)&state, x86_THREAD_STATE_COUNT));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, after_ud2);
}

static volatile int after_int3;

static void *breakpoint(void *arg)
{
	after_int3 = 0;
	__asm__ volatile("int3\n\tmovl $1, %0" : "=m"(after_int3));
	return NULL;
}

/*
 * EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES: ports and state; an
 * int3 is EXC_BREAKPOINT, EXC_I386_BPT, and the thread goes on after it.
 */
TEST(state_identity_behaviour_at_a_breakpoint)
{
	mach_port_t port = handler_port();
	union request req;
	pthread_t t;

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BREAKPOINT,
			port, EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES,
			x86_THREAD_STATE64));
	ASSERT_EQ(0, pthread_create(&t, NULL, breakpoint, NULL));

	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	ASSERT_EQ(2407, req.head.msgh_id);
	EXPECT_EQ(2, req.state_identity.body.msgh_descriptor_count);
	EXPECT_EQ(mach_task_self(), req.state_identity.task.name);
	EXPECT_EQ(EXC_BREAKPOINT, req.state_identity.exception);
	EXPECT_EQ(EXC_I386_BPT, req.state_identity.code[0]);
	EXPECT_EQ(x86_THREAD_STATE64, req.state_identity.flavor);
	ASSERT_EQ(x86_THREAD_STATE64_COUNT, req.state_identity.state_count);

	/* The thread's port shows the same state while it waits. */
	x86_thread_state64_t state, seen;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

	memcpy(&state, req.state_identity.state, sizeof(state));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(req.state_identity.thread.name,
			x86_THREAD_STATE64, (thread_state_t)&seen, &count));
	EXPECT_EQ(state.__rip, seen.__rip);
	EXPECT_EQ(state.__rsp, seen.__rsp);
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, x86_THREAD_STATE64,
					   (natural_t *)&state, x86_THREAD_STATE64_COUNT));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, after_int3);
	mach_port_deallocate(mach_task_self(), req.state_identity.thread.name);
	mach_port_deallocate(mach_task_self(), req.state_identity.task.name);
}

/* EXCEPTION_STATE_IDENTITY with 32-bit codes (2403): ports, then the state after the codes. */
TEST(state_identity_behaviour_with_32_bit_codes)
{
	mach_port_t port = handler_port();
	x86_thread_state64_t state;
	union request req;
	int32_t codes[2];
	pthread_t t;

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BREAKPOINT,
			port, EXCEPTION_STATE_IDENTITY, x86_THREAD_STATE64));
	ASSERT_EQ(0, pthread_create(&t, NULL, breakpoint, NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	ASSERT_EQ(2403, req.head.msgh_id);
	EXPECT_EQ(2, req.state_identity.body.msgh_descriptor_count);
	EXPECT_EQ(mach_task_self(), req.state_identity.task.name);
	EXPECT_EQ(EXC_BREAKPOINT, req.state_identity.exception);
	memcpy(codes, req.state_identity.code, sizeof(codes));
	EXPECT_EQ(EXC_I386_BPT, codes[0]);
	/* Two 4-byte codes: flavor, count and state follow 8 bytes on. */
	const natural_t *after = (const natural_t *)((const char *)req.state_identity.code + 8);
	EXPECT_EQ(x86_THREAD_STATE64, (int)after[0]);
	ASSERT_EQ(x86_THREAD_STATE64_COUNT, after[1]);
	memcpy(&state, after + 2, sizeof(state));
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, x86_THREAD_STATE64,
					   (natural_t *)&state, x86_THREAD_STATE64_COUNT));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, after_int3);
	mach_port_deallocate(mach_task_self(), req.state_identity.thread.name);
	mach_port_deallocate(mach_task_self(), req.state_identity.task.name);
}

/* Any other answer: the program's own handler runs, as without Mach. */
TEST(a_declined_exception_goes_to_the_programs_handler)
{
	mach_port_t port = handler_port();
	volatile uint32_t *page = fault_page();
	union request req;
	pthread_t t;
	void *got;

	ASSERT_NE(NULL, page);
	install_repair(page);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	ASSERT_EQ(0, pthread_create(&t, NULL, read_word, (void *)page));
	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	EXPECT_EQ(2401, req.head.msgh_id);
	EXPECT_EQ(0, handled_signal);
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_FAILURE, 0, NULL, 0));
	ASSERT_EQ(0, pthread_join(t, &got));
	EXPECT_EQ(SIGSEGV, handled_signal);
	EXPECT_EQ(SEGV_ACCERR, handled_code);
	EXPECT_EQ((void *)page, handled_address);
	EXPECT_EQ(0xfeed, (uint32_t)(uintptr_t)got);
}

/* A handler whose port dies while the thread waits passes it on too. */
TEST(a_handler_that_dies_passes_the_exception_on)
{
	mach_port_t port = handler_port();
	volatile uint32_t *page = fault_page();
	union request req;
	pthread_t t;
	void *got;

	ASSERT_NE(NULL, page);
	install_repair(page);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	ASSERT_EQ(0, pthread_create(&t, NULL, read_word, (void *)page));
	/* Queued, then destroyed with the receive right. */
	while (mach_msg(&req.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0, 0,
			port, 10, MACH_PORT_NULL) != MACH_RCV_TOO_LARGE)
		;
	EXPECT_EQ(0, handled_signal);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), port,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(0, pthread_join(t, &got));
	EXPECT_EQ(SIGSEGV, handled_signal);
	EXPECT_EQ(0xfeed, (uint32_t)(uintptr_t)got);
}

/* A state the thread cannot take is refused: it gets the signal. */
TEST(an_impossible_state_is_refused)
{
	mach_port_t port = handler_port();
	x86_thread_state64_t state;
	union request req;
	struct sigaction sa = { 0 };
	pthread_t t;

	handled_signal = 0;
	repair_page = NULL;
	sa.sa_sigaction = repair;
	sa.sa_flags = SA_SIGINFO;
	ASSERT_EQ(0, sigaction(SIGTRAP, &sa, NULL));
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BREAKPOINT,
			port, EXCEPTION_STATE | MACH_EXCEPTION_CODES, x86_THREAD_STATE64));
	ASSERT_EQ(0, pthread_create(&t, NULL, breakpoint, NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	ASSERT_EQ(2406, req.head.msgh_id);
	memcpy(&state, req.state.state, sizeof(state));
	state.__rip = 0x8000000000001000ull;	/* a kernel address */
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, x86_THREAD_STATE64,
					   (natural_t *)&state, x86_THREAD_STATE64_COUNT));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(SIGTRAP, handled_signal);
	EXPECT_EQ(1, after_int3);
}

/*
 * Declined with no handler of the program's: the default action, the
 * same death as without Mach (by SIGSEGV, from the faulting thread).
 */
TEST(a_declined_exception_with_no_handler_kills_by_the_signal)
{
	struct rlimit no_core = { 0, 0 };
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t port = handler_port();
		volatile uint32_t *page = fault_page();
		union request req;
		pthread_t t;

		setrlimit(RLIMIT_CORE, &no_core);
		if (task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS, port,
					     EXCEPTION_DEFAULT, THREAD_STATE_NONE))
			_exit(10);
		pthread_create(&t, NULL, read_word, (void *)page);
		if (receive(port, &req, 5000))
			_exit(11);
		answer(&req, KERN_INVALID_ARGUMENT, 0, NULL, 0);
		pthread_join(t, NULL);
		_exit(12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status)) {
		TH_LOG("exit status %d", WEXITSTATUS(status));
	}
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
}

/*
 * A kernel object's port as the handler (the host's, which anyone has):
 * it answers no exception, so the exception is declined at once and the
 * signal kills, as on XNU, where its server answers MIG_BAD_ID. Before,
 * the request waited on the host port for good, with the thread and task
 * rights it carried.
 */
TEST(a_kernel_ports_handler_declines_and_keeps_nothing)
{
	struct rlimit no_core = { 0, 0 };
	long ports = mach_stat("live_ports");
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		volatile uint32_t *page = fault_page();

		setrlimit(RLIMIT_CORE, &no_core);
		alarm(10);	/* a hang ends by SIGALRM, not SIGSEGV */
		if (task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
					     mach_host_self(), EXCEPTION_DEFAULT,
					     THREAD_STATE_NONE))
			_exit(10);
		(void)*page;
		_exit(11);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status)) {
		TH_LOG("exit status %d", WEXITSTATUS(status));
	}
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	/* Nothing of the child's stays queued: its ports went with it. */
	for (int i = 0; i < 100 && mach_stat("live_ports") > ports; i++)
		usleep(20000);
	EXPECT_GE(ports, mach_stat("live_ports"));
}

/* A kill() of a fault's signal is no exception: it goes to the program. */
TEST(a_signal_sent_by_kill_is_no_exception)
{
	mach_port_t port = handler_port();
	union request req;

	install_repair(NULL);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	ASSERT_EQ(0, kill(getpid(), SIGSEGV));
	EXPECT_EQ(SIGSEGV, handled_signal);
	EXPECT_EQ(SI_USER, handled_code);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, receive(port, &req, 0));
}

/*
 * A fork's child that is no task keeps its program's dispositions: the
 * handler the program set before the task was armed runs, and no
 * exception is raised (the child has no task to raise it in).
 */
TEST(a_fork_child_takes_its_programs_handler)
{
	mach_port_t port = handler_port();
	volatile uint32_t *page = fault_page();
	union request req;
	int status;
	pid_t pid;

	ASSERT_NE(NULL, page);
	install_repair(page);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(page[0] == 0xfeed && handled_signal == SIGSEGV ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) {
		TH_LOG("killed by %d", WTERMSIG(status));
	}
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, receive(port, &req, 0));
}

/*
 * Without its /dev/mach fd (closed by the program), the entry cannot ask
 * the module: the default action follows, the same death.
 */
TEST(without_its_fd_the_entry_takes_the_default_action)
{
	mach_port_t port = handler_port();
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BREAKPOINT,
			port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		__asm__ volatile("int3");
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGTRAP, WTERMSIG(status));
}

/* A thread that waits for an answer that never comes still dies by kill. */
TEST(a_thread_waiting_on_a_silent_handler_is_killed)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t port = handler_port();
		volatile uint32_t *page = fault_page();
		pthread_t t;

		task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS, port,
					 EXCEPTION_DEFAULT, THREAD_STATE_NONE);
		pthread_create(&t, NULL, read_word, (void *)page);
		pthread_join(t, NULL);	/* forever: nobody answers */
		_exit(12);
	}
	usleep(300000);
	ASSERT_EQ(0, waitpid(pid, &status, WNOHANG));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
}

/*
 * An empty task's program, which never saw libmach, faults; its creator
 * handles the exception, moves the thread on with thread_set_state, and
 * the program stores its word:
 *   0: xor %eax,%eax; 2: mov (%rax),%eax; 4: movabs $data,%rax;
 *  14: movl $0x600df00d,(%rax); 20: jmp .
 */
TEST(faults_of_an_empty_task_go_to_its_creator)
{
	uint8_t program[] = {
		0x31, 0xc0,
		0x8b, 0x00,
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0xc7, 0x00, 0x0d, 0xf0, 0x0d, 0x60,
		0xeb, 0xfe,
	};
	mach_port_t port = handler_port();
	vm_address_t code = 0, data = 0;
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	union request req;
	thread_act_t thread;
	struct made made;
	task_t task;
	uint32_t word = 0;

	made_begin(&made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&made, mach_task_self(), NULL, 0, FALSE, &task));
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(task, EXC_MASK_BAD_ACCESS, port,
			EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, THREAD_STATE_NONE));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &data, PAGE, VM_FLAGS_ANYWHERE));
	memcpy(program + 6, &data, 8);
	ASSERT_EQ(KERN_SUCCESS, write_code(task, program, sizeof(program), &code));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, code, data + PAGE - 64));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));

	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 10000));
	ASSERT_EQ(2405, req.head.msgh_id);
	EXPECT_EQ(task, req.identity.task.name);
	EXPECT_EQ(thread, req.identity.thread.name);
	EXPECT_EQ(EXC_BAD_ACCESS, req.identity.exception);
	EXPECT_EQ(KERN_INVALID_ADDRESS, req.identity.code[0]);
	EXPECT_EQ(0, req.identity.code[1]);
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	EXPECT_EQ(code + 2, state.__rip);
	state.__rip = code + 4;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, count));
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, 0, NULL, 0));
	for (int i = 0; i < 500 && word != 0x600df00d; i++) {
		usleep(10000);
		vm_read_overwrite(task, data, 4, (vm_address_t)&word, NULL);
	}
	EXPECT_EQ(0x600df00d, word);
	made_end(&made);
}

static volatile uint32_t inherited_answer;

/* Run in a task_create'd child: no libc, no TLS. Faults, then is moved on. */
static void __attribute__((noinline, noreturn)) fault_in_child(void)
{
	__asm__ volatile("xor %%eax, %%eax; mov (%%rax), %%eax" ::: "rax", "memory");
	for (;;)
		__asm__ volatile("pause");
}

static void __attribute__((noinline, noreturn)) store_in_child(void)
{
	inherited_answer = 0x600df00d;
	for (;;)
		__asm__ volatile("pause");
}

/* task_create passes the task's handlers on: the child's fault comes here. */
TEST(a_task_create_child_inherits_the_handlers)
{
	mach_port_t port = handler_port();
	x86_thread_state64_t state;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	vm_address_t stack = 0;
	union request req;
	thread_act_t thread;
	struct made made;
	task_t task;
	uint32_t word = 0;

	made_begin(&made);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, THREAD_STATE_NONE));
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&made, mach_task_self(), NULL, 0, TRUE, &task));
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(task, &stack, 4 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, thread_create(task, &thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, (uint64_t)fault_in_child, stack + 2 * PAGE - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));

	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 10000));
	ASSERT_EQ(2405, req.head.msgh_id);
	EXPECT_EQ(task, req.identity.task.name);
	EXPECT_EQ(thread, req.identity.thread.name);
	EXPECT_EQ(KERN_INVALID_ADDRESS, req.identity.code[0]);
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, &count));
	state.__rip = (uint64_t)store_in_child;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&state, count));
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, 0, NULL, 0));
	for (int i = 0; i < 500 && word != 0x600df00d; i++) {
		usleep(10000);
		vm_read_overwrite(task, (vm_address_t)&inherited_answer, 4, (vm_address_t)&word,
				  NULL);
	}
	EXPECT_EQ(0x600df00d, word);
	EXPECT_EQ(0, inherited_answer);	/* ours is untouched */
	made_end(&made);
}

struct levels {
	mach_port_t thread_port;
	volatile uint32_t *page;
};

static void *set_own_handler_then_read(void *arg)
{
	struct levels *l = arg;

	if (thread_set_exception_ports(mach_thread_self(), EXC_MASK_BAD_ACCESS, l->thread_port,
				       EXCEPTION_DEFAULT, THREAD_STATE_NONE))
		return NULL;
	return read_word((void *)l->page);
}

/*
 * The levels in XNU's order: the thread's own handler first; what it
 * declines goes to the task's.
 */
TEST(the_threads_handler_comes_before_the_tasks)
{
	mach_port_t task_port = handler_port();
	struct levels l = { handler_port(), fault_page() };
	union request req;
	pthread_t t;
	void *got;

	ASSERT_NE(NULL, l.page);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			task_port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	ASSERT_EQ(0, pthread_create(&t, NULL, set_own_handler_then_read, &l));

	ASSERT_EQ(MACH_MSG_SUCCESS, receive(l.thread_port, &req, 5000));
	EXPECT_EQ(2401, req.head.msgh_id);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, receive(task_port, &req, 0));
	/* Declined by the thread's handler: the task's hears of it next. */
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_FAILURE, 0, NULL, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, receive(task_port, &req, 5000));
	EXPECT_EQ(2401, req.head.msgh_id);
	ASSERT_EQ(0, mprotect((void *)l.page, PAGE, PROT_READ | PROT_WRITE));
	l.page[0] = 7;
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, 0, NULL, 0));
	ASSERT_EQ(0, pthread_join(t, &got));
	EXPECT_EQ(7, (uint32_t)(uintptr_t)got);
}

/*
 * The host's handler, for the holder of its privileged port, comes last:
 * a task with none of its own, made after it was set, reaches it.
 */
TEST(the_hosts_handler_comes_last)
{
	mach_port_t host_port = handler_port(), priv;
	x86_thread_state64_t state;
	union request req;
	int status;
	pid_t pid;

	if (host_get_host_priv_port(mach_host_self(), &priv) != KERN_SUCCESS)
		SKIP(return, "not the host's privileged port's holder");
	ASSERT_EQ(KERN_SUCCESS, host_set_exception_ports(priv, EXC_MASK_BAD_INSTRUCTION,
			host_port, EXCEPTION_STATE, x86_THREAD_STATE64));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (mach_task_self() == MACH_PORT_NULL)
			_exit(10);
		after_ud2 = 0;
		undefined_instruction(NULL);
		_exit(after_ud2 == 1 ? 0 : 11);
	}
	EXPECT_EQ(MACH_MSG_SUCCESS, receive(host_port, &req, 10000));
	EXPECT_EQ(2402, req.head.msgh_id);
	memcpy(&state, (const char *)req.state.code + 8 + 8, sizeof(state));
	state.__rip += 2;
	EXPECT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, x86_THREAD_STATE64,
					   (natural_t *)&state, x86_THREAD_STATE64_COUNT));
	EXPECT_EQ(KERN_SUCCESS, host_set_exception_ports(priv, EXC_MASK_BAD_INSTRUCTION,
			MACH_PORT_NULL, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* The handler MIG's mach_exc_server calls: repairs the page it is told of. */
static volatile int caught;

kern_return_t catch_mach_exception_raise(mach_port_t exception_port, mach_port_t thread,
					 mach_port_t task, exception_type_t exception,
					 mach_exception_data_t code,
					 mach_msg_type_number_t code_count)
{
	caught = exception;
	if (exception != EXC_BAD_ACCESS || code_count != 2 ||
	    mprotect((void *)(uintptr_t)(code[1] & ~(PAGE - 1)), PAGE, PROT_READ | PROT_WRITE))
		return KERN_FAILURE;
	*(volatile uint32_t *)(uintptr_t)code[1] = 0x5e7e;
	return KERN_SUCCESS;
}

/* A server built as on XNU, mach_msg_server_once() with mach_exc_server. */
TEST(mach_exc_server_serves_a_real_fault)
{
	mach_port_t port = handler_port();
	volatile uint32_t *page = fault_page();
	pthread_t t;
	void *got;

	caught = 0;
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, THREAD_STATE_NONE));
	ASSERT_EQ(0, pthread_create(&t, NULL, read_word, (void *)page));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg_server_once(mach_exc_server,
			sizeof(union __RequestUnion__mach_exc_subsystem) + MAX_TRAILER_SIZE,
			port, 0));
	ASSERT_EQ(0, pthread_join(t, &got));
	EXPECT_EQ(EXC_BAD_ACCESS, caught);
	EXPECT_EQ(0x5e7e, (uint32_t)(uintptr_t)got);
}

/*
 * Each kind of fault, with the exception and codes XNU gives it on
 * x86_64, raised to an EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES
 * handler that steps the thread over the instruction.
 */
static volatile void *trap_address;	/* where the faulting access goes */
static volatile int trap_done;

static void *divide_by_zero(void *arg)
{
	__asm__ volatile("xor %%ecx, %%ecx; xor %%edx, %%edx; mov $1, %%eax; div %%ecx"
			 ::: "eax", "ecx", "edx");
	trap_done = 1;
	return NULL;
}

static void *single_step(void *arg)
{
	__asm__ volatile("pushf; orl $0x100, (%%rsp); popf; nop" ::: "memory", "cc");
	trap_done = 1;
	return NULL;
}

static void *load(void *arg)
{
	__asm__ volatile(".byte 0x8b, 0x00" :: "a"(trap_address) : "memory");	/* mov (%rax),%eax */
	trap_done = 1;
	return NULL;
}

static void *store(void *arg)
{
	__asm__ volatile(".byte 0x89, 0x08" :: "a"(trap_address), "c"(0) : "memory");	/* mov %ecx,(%rax) */
	trap_done = 1;
	return NULL;
}

FIXTURE(faults) {
	int memfd;
};

FIXTURE_VARIANT(faults) {
	void *(*thread)(void *);
	int where;		/* trap_address: 0 a file page past its end, 1 read-only, 2 non-canonical */
	int skip;		/* bytes to step over */
	exception_type_t exception;
	int64_t code;
	int subcode_is_address;
};

FIXTURE_VARIANT_ADD(faults, divide_error) {
	.thread = divide_by_zero, .skip = 2,
	.exception = EXC_ARITHMETIC, .code = EXC_I386_DIV,
};

FIXTURE_VARIANT_ADD(faults, trap_flag) {
	.thread = single_step, .skip = 0,
	.exception = EXC_BREAKPOINT, .code = EXC_I386_SGL,
};

FIXTURE_VARIANT_ADD(faults, general_protection) {
	.thread = load, .where = 2, .skip = 2,
	.exception = EXC_BAD_ACCESS, .code = EXC_I386_GPFLT,
};

FIXTURE_VARIANT_ADD(faults, bus_error) {
	.thread = load, .where = 0, .skip = 2,
	.exception = EXC_BAD_ACCESS, .code = KERN_MEMORY_ERROR, .subcode_is_address = 1,
};

FIXTURE_VARIANT_ADD(faults, write_to_read_only) {
	.thread = store, .where = 1, .skip = 2,
	.exception = EXC_BAD_ACCESS, .code = KERN_PROTECTION_FAILURE, .subcode_is_address = 1,
};

FIXTURE_SETUP(faults)
{
	void *p = NULL;

	self->memfd = -1;
	switch (variant->where) {
	case 0:
		self->memfd = memfd_create("past-the-end", 0);
		ASSERT_GE(self->memfd, 0);
		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->memfd, 0);
		break;
	case 1:
		p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case 2:
		p = (void *)0x8000000000000000ull;
		break;
	}
	ASSERT_NE(MAP_FAILED, p);
	trap_address = p;
}

FIXTURE_TEARDOWN(faults)
{
	if (self->memfd >= 0)
		close(self->memfd);
}

TEST_F(faults, raise_their_exception)
{
	mach_port_t port = handler_port();
	x86_thread_state64_t state;
	union request req;
	pthread_t t;

	trap_done = 0;
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(),
			EXC_MASK_BAD_ACCESS | EXC_MASK_BAD_INSTRUCTION | EXC_MASK_ARITHMETIC |
			EXC_MASK_BREAKPOINT, port,
			EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES, x86_THREAD_STATE64));
	ASSERT_EQ(0, pthread_create(&t, NULL, variant->thread, NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, receive(port, &req, 5000));
	ASSERT_EQ(2407, req.head.msgh_id);
	EXPECT_EQ(variant->exception, req.state_identity.exception);
	EXPECT_EQ(2, req.state_identity.code_count);
	EXPECT_EQ(variant->code, req.state_identity.code[0]);
	if (variant->subcode_is_address)
		EXPECT_EQ((int64_t)(uintptr_t)trap_address, req.state_identity.code[1]);
	memcpy(&state, req.state_identity.state, sizeof(state));
	state.__rip += variant->skip;
	state.__rflags &= ~0x100ull;	/* the trap flag, for the single step */
	ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, x86_THREAD_STATE64,
					   (natural_t *)&state, x86_THREAD_STATE64_COUNT));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, trap_done);
	mach_port_deallocate(mach_task_self(), req.state_identity.thread.name);
	mach_port_deallocate(mach_task_self(), req.state_identity.task.name);
}

struct two_faults {
	mach_port_t dead;
	volatile uint32_t *pages;
	volatile int step;
};

static void *dead_handler_then_two_faults(void *arg)
{
	struct two_faults *f = arg;

	if (thread_set_exception_ports(mach_thread_self(), EXC_MASK_BAD_ACCESS, f->dead,
				       EXCEPTION_DEFAULT, THREAD_STATE_NONE))
		return NULL;
	f->step = 1;
	while (f->step != 2)
		usleep(1000);
	return (void *)(uintptr_t)(f->pages[0] + f->pages[PAGE / 4]);
}

/*
 * A level whose handler died is passed over, and leaves nothing behind
 * for later: each fault is answered by its own reply.
 */
TEST(a_dead_handler_is_passed_over_cleanly)
{
	mach_port_t live = handler_port();
	struct two_faults f = { .dead = handler_port() };
	union request req;
	pthread_t t;
	void *got;

	f.pages = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f.pages);
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			live, EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, THREAD_STATE_NONE));
	ASSERT_EQ(0, pthread_create(&t, NULL, dead_handler_then_two_faults, &f));
	while (f.step != 1)
		usleep(1000);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), f.dead,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	f.step = 2;

	for (int i = 0; i < 2; i++) {
		volatile uint32_t *page = f.pages + i * PAGE / 4;

		ASSERT_EQ(MACH_MSG_SUCCESS, receive(live, &req, 5000));
		ASSERT_EQ(2405, req.head.msgh_id);
		EXPECT_EQ((int64_t)(uintptr_t)page, req.identity.code[1]);
		ASSERT_EQ(0, mprotect((void *)page, PAGE, PROT_READ | PROT_WRITE));
		page[0] = 3 + i;
		ASSERT_EQ(MACH_MSG_SUCCESS, answer(&req, KERN_SUCCESS, 0, NULL, 0));
	}
	ASSERT_EQ(0, pthread_join(t, &got));
	EXPECT_EQ(7, (uint32_t)(uintptr_t)got);
}

/* A copy of this program in /tmp, set-uid to nobody if setid: 0, or -1. */
static int copy_of_this_program(char *copy, size_t size, int setid)
{
	char buf[65536];
	int in, out, ok = 1;
	ssize_t n;

	snprintf(copy, size, "/tmp/mach-exception-probe-%d", setid);
	in = open("/proc/self/exe", O_RDONLY);
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	while (ok && in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, n) == n;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (!ok || in < 0 || out < 0)
		return -1;
	if (setid && (chown(copy, 65534, 65534) || chmod(copy, 04755)))
		return -1;
	return 0;
}

/*
 * The exit of run(copy) in a child: it execs copy, the probe, which exits
 * 0 if its task has no handler of EXC_BAD_ACCESS and 1 if it has one; -1
 * if the child did not exit.
 */
static int probe_in_child(const char *copy, int (*run)(const char *copy))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(run(copy));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Runs the probe from an ordinary user's process (exec'ing it: no return). */
static int exec_probe_as_a_user(const char *copy)
{
	if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		return 10;
	setenv("MACH_EXCEPTION_PROBE", "1", 1);
	execl(copy, copy, (char *)NULL);
	return 12;
}

/*
 * Each of an ordinary copy of this program and a set-uid one run by
 * run(): the ordinary one keeps the handler, the set-uid one has none.
 */
#define EXPECT_HANDLER_ONLY_IN_AN_ORDINARY_EXEC(run)				\
	for (int setid = 0; setid < 2; setid++) {				\
		char copy[64];							\
		int got;							\
										\
		ASSERT_EQ(0, copy_of_this_program(copy, sizeof(copy), setid));	\
		got = probe_in_child(copy, run);				\
		unlink(copy);							\
		EXPECT_EQ(setid ? 0 : 1, got) {					\
			TH_LOG("%s exec", setid ? "a set-uid" : "an ordinary");	\
		}								\
	}

/* A task first, with its parent's handlers; then another user's. */
static int task_then_probe(const char *copy)
{
	if (mach_task_self() == MACH_PORT_NULL)
		return 11;
	return exec_probe_as_a_user(copy);
}

/*
 * An exec into a set-id program drops the task's handlers, as XNU's
 * ipc_task_reset() does: whoever set them would see its threads and
 * state. An ordinary exec keeps them.
 */
TEST(a_set_id_exec_drops_the_tasks_handlers)
{
	mach_port_t port = handler_port();

	if (geteuid() != 0)
		SKIP(return, "needs root to make a set-uid program");
	/* Held here, so that it outlives the child's exec; the child inherits it. */
	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS,
			port, EXCEPTION_DEFAULT, THREAD_STATE_NONE));
	EXPECT_HANDLER_ONLY_IN_AN_ORDINARY_EXEC(task_then_probe);
}

/*
 * The same for a process that becomes a task only in the set-id program
 * (its first Mach call there). Such a task takes its parent's ports late,
 * as they are then: it must not take the handlers an unprivileged parent
 * set, who would then hold the set-uid program's task port with its
 * first exception. An ordinary exec still takes them.
 */
/* An ordinary user's task with a handler, whose child runs the probe. */
static int handler_then_untasked_child(const char *copy)
{
	mach_port_t port;

	if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		return 10;
	port = handler_port();
	if (task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS, port,
				     EXCEPTION_DEFAULT, THREAD_STATE_NONE))
		return 11;
	/* No Mach call in the child before the exec. */
	return probe_in_child(copy, exec_probe_as_a_user);
}

TEST(a_set_id_program_made_a_task_late_takes_no_handlers)
{
	if (geteuid() != 0)
		SKIP(return, "needs root to make a set-uid program");
	EXPECT_HANDLER_ONLY_IN_AN_ORDINARY_EXEC(handler_then_untasked_child);
}

/*
 * The same with another task looking at it all along the exec (each look
 * checks for a new program): an exec makes the new mm before the new
 * credentials, and a look in between saw the set-uid program as its
 * owner's and kept the handlers for good. Many close-on-exec fds widen
 * that window.
 */
TEST(a_set_id_exec_looked_at_meanwhile_drops_the_tasks_handlers)
{
	char copy[64];
	int status, kept = 0, rounds = 0;
	time_t end;

	if (geteuid() != 0)
		SKIP(return, "needs root to make a set-uid program");
	ASSERT_EQ(0, copy_of_this_program(copy, sizeof(copy), 1));
	end = time(NULL) + 15;
	for (; rounds < 10 && !kept && time(NULL) < end; rounds++) {
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (pid == 0) {
			mach_port_t port, target;
			int go[2];
			pid_t kid;
			char word = 0;

			/* An ordinary user's process, dumpable as an exec'd one is. */
			if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000) ||
			    prctl(PR_SET_DUMPABLE, 1) || pipe(go))
				_exit(10);
			port = handler_port();
			if (task_set_exception_ports(mach_task_self(), EXC_MASK_BAD_ACCESS, port,
						     EXCEPTION_DEFAULT, THREAD_STATE_NONE))
				_exit(11);
			kid = fork();
			if (kid == 0) {
				/* A task with its parent's handler, then the set-uid program. */
				if (mach_task_self() == MACH_PORT_NULL || read(go[0], &word, 1) != 1)
					_exit(12);
				for (int i = 0; i < 3000; i++)
					fcntl(dup(0), F_SETFD, FD_CLOEXEC);
				setenv("MACH_EXCEPTION_PROBE", "1", 1);
				execl(copy, copy, (char *)NULL);
				_exit(13);
			}
			if (kid < 0 || task_for_pid(mach_task_self(), kid, &target) ||
			    write(go[1], "g", 1) != 1)
				_exit(14);
			/* Looks at it until it is gone. */
			while (waitpid(kid, &status, WNOHANG) == 0) {
				task_basic_info_data_t info;
				mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

				task_info(target, TASK_BASIC_INFO, (task_info_t)&info, &count);
			}
			_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 15);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_GE(1, WEXITSTATUS(status)) TH_LOG("round %d: %d", rounds, WEXITSTATUS(status));
		kept = WEXITSTATUS(status) == 1;
	}
	unlink(copy);
	EXPECT_EQ(0, kept) TH_LOG("the handler was kept in round %d", rounds);
}

TEST_HARNESS_MAIN
