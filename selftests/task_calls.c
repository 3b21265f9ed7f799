// SPDX-License-Identifier: GPL-2.0
/*
 * The task calls beyond the seed's: suspension tokens (task_suspend2,
 * task_resume2, a token's loss), mach_task_is_self, and the task_info
 * flavours XNU programs ask for, with the values that must hold and
 * XNU's errors for short counts and unknown flavours; a task whose main
 * thread has exited lives on with its other threads, as its process does.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

static int suspend_count(task_t task)
{
	struct mach_task_basic_info info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	if (task_info(task, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count) != KERN_SUCCESS)
		return -1;
	return info.suspend_count;
}

/* A dropped token's hold goes from the module's worker: soon, not at once. */
static int suspend_count_becomes(task_t task, int want)
{
	for (int i = 0; i < 2000; i++) {
		int n = suspend_count(task);

		if (n == want)
			return n;
		usleep(1000);
	}
	return suspend_count(task);
}

FIXTURE(calls) {
	struct made made;
	task_t child;
};

FIXTURE_SETUP(calls)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &self->child));
}

FIXTURE_TEARDOWN(calls)
{
	made_end(&self->made);
}

TEST_F(calls, suspend2_resume2)
{
	task_suspension_token_t token = MACH_PORT_NULL;
	mach_port_type_t type;

	ASSERT_EQ(KERN_SUCCESS, task_suspend2(self->child, &token));
	ASSERT_NE(MACH_PORT_NULL, token);
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), token, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type);
	EXPECT_EQ(1, suspend_count(self->child));
	EXPECT_EQ(KERN_SUCCESS, task_resume2(token));
	EXPECT_EQ(0, suspend_count(self->child));
	/* Used up: the name is gone. */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), token, &type));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_resume2(token));
	EXPECT_EQ(0, suspend_count(self->child));
}

TEST_F(calls, two_tokens_two_resumes)
{
	task_suspension_token_t a, b;

	ASSERT_EQ(KERN_SUCCESS, task_suspend2(self->child, &a));
	ASSERT_EQ(KERN_SUCCESS, task_suspend2(self->child, &b));
	EXPECT_NE(a, b);
	EXPECT_EQ(2, suspend_count(self->child));
	EXPECT_EQ(KERN_SUCCESS, task_resume2(b));
	EXPECT_EQ(1, suspend_count(self->child));
	/* A plain task_suspend is counted with them. */
	EXPECT_EQ(KERN_SUCCESS, task_suspend(self->child));
	EXPECT_EQ(2, suspend_count(self->child));
	EXPECT_EQ(KERN_SUCCESS, task_resume2(a));
	EXPECT_EQ(KERN_SUCCESS, task_resume(self->child));
	EXPECT_EQ(0, suspend_count(self->child));
	EXPECT_EQ(KERN_FAILURE, task_resume(self->child));
}

TEST_F(calls, dropped_token_resumes)
{
	task_suspension_token_t a, b;

	ASSERT_EQ(KERN_SUCCESS, task_suspend2(self->child, &a));
	ASSERT_EQ(KERN_SUCCESS, task_suspend2(self->child, &b));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), a));
	EXPECT_EQ(1, suspend_count_becomes(self->child, 1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), b));
	EXPECT_EQ(0, suspend_count_becomes(self->child, 0));
}

/* The holder's death drops its tokens: the task runs again. */
TEST_F(calls, holder_death_resumes)
{
	int status;
	pid_t pid;

	pid = made_fork(&self->made);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		task_t child;
		task_suspension_token_t token;

		if (task_for_pid(mach_task_self(), self->made.task_pid[0], &child) != KERN_SUCCESS)
			_exit(2);
		if (task_suspend2(child, &token) != KERN_SUCCESS)
			_exit(3);
		_exit(suspend_count(child) == 1 ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	self->made.children = 0;
	EXPECT_EQ(0, suspend_count_becomes(self->child, 0));
}

/* A token sent in a message that is destroyed goes unused too. */
TEST_F(calls, token_destroyed_in_message_resumes)
{
	task_suspension_token_t token;
	mach_port_t port = new_port();

	ASSERT_EQ(KERN_SUCCESS, task_suspend2(self->child, &token));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(port, token, MACH_MSG_TYPE_MOVE_SEND_ONCE));
	EXPECT_EQ(1, suspend_count(self->child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), port,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(0, suspend_count_becomes(self->child, 0));
}

TEST_F(calls, bad_tokens)
{
	task_suspension_token_t token;
	mach_port_t port = new_port();

	/* Not a send-once right: the message cannot be sent. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_resume2(MACH_PORT_NULL));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_resume2(self->child));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_resume2(port));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_resume2(0x7ffffff0));
	/* A suspend2 on what is no task. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend2(MACH_PORT_NULL, &token));
	EXPECT_EQ(0, suspend_count(self->child));
	/* A token of a task that ended names a dead port. */
	ASSERT_EQ(KERN_SUCCESS, task_suspend2(self->child, &token));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(self->child));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_resume2(token));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), token));
}

TEST_F(calls, is_self)
{
	mach_port_t name;

	EXPECT_TRUE(mach_task_is_self(mach_task_self()));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_NAME_PORT, &name));
	EXPECT_TRUE(mach_task_is_self(name));
	EXPECT_FALSE(mach_task_is_self(self->child));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(self->child, TASK_NAME_PORT, &name));
	EXPECT_FALSE(mach_task_is_self(name));
	EXPECT_FALSE(mach_task_is_self(MACH_PORT_NULL));
	EXPECT_FALSE(mach_task_is_self(new_port()));
}

/* A header-only request (id) to a kernel port; the reply into rep. */
static mach_msg_return_t ask(mach_port_t to, mach_msg_id_t id, void *rep, size_t size)
{
	mach_msg_header_t *h = rep;
	mach_port_t reply = mig_get_reply_port();

	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = to;
	h->msgh_local_port = reply;
	h->msgh_id = id;
	return mach_msg(h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*h), size, reply, 0,
			MACH_PORT_NULL);
}

/* The message front end: XNU's ids 3436 (task_suspend2) and 3455 (is_self). */
TEST_F(calls, by_message)
{
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t token;
		mach_msg_max_trailer_t trailer;
	} rep2;
	struct {
		mach_msg_header_t head;
		NDR_record_t ndr;
		kern_return_t ret;
		boolean_t is_self;
		mach_msg_max_trailer_t trailer;
	} rep;
	mach_port_t name;

	ASSERT_EQ(MACH_MSG_SUCCESS, ask(self->child, 3436, &rep2, sizeof(rep2)));
	EXPECT_EQ(3536, rep2.head.msgh_id);
	ASSERT_TRUE(rep2.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, (unsigned int)rep2.token.disposition);
	EXPECT_EQ(1, suspend_count(self->child));
	EXPECT_EQ(KERN_SUCCESS, task_resume2(rep2.token.name));
	EXPECT_EQ(0, suspend_count(self->child));

	ASSERT_EQ(MACH_MSG_SUCCESS, ask(mach_task_self(), 3455, &rep, sizeof(rep)));
	EXPECT_EQ(3555, rep.head.msgh_id);
	EXPECT_EQ(KERN_SUCCESS, rep.ret);
	EXPECT_EQ(TRUE, rep.is_self);
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(self->child, TASK_NAME_PORT, &name));
	ASSERT_EQ(MACH_MSG_SUCCESS, ask(name, 3455, &rep, sizeof(rep)));
	EXPECT_EQ(KERN_SUCCESS, rep.ret);
	EXPECT_EQ(FALSE, rep.is_self);
	/* A name port suspends nothing. */
	ASSERT_EQ(MACH_MSG_SUCCESS, ask(name, 3436, &rep, sizeof(rep)));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, rep.ret);
	EXPECT_EQ(0, suspend_count(self->child));
}

/*
 * XNU's numbering of the special ports 5 and 6 (the inspect and read
 * ports) clashes with the OSF ledger ports the seed pages use: the
 * ledgers stand, and a task's name port is its inspection port.
 */
TEST_F(calls, ledger_ports_keep_their_ids)
{
	mach_port_t wired, paged;

	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(self->child, TASK_WIRED_LEDGER_PORT,
						      &wired));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(self->child, TASK_PAGED_LEDGER_PORT,
						      &paged));
	EXPECT_NE(MACH_PORT_NULL, wired);
	EXPECT_NE(MACH_PORT_NULL, paged);
	EXPECT_NE(wired, paged);
	EXPECT_FALSE(mach_task_is_self(wired));
}

static int comm_of(task_t task, char *out, size_t size)
{
	char path[64];
	int pid = 0;

	if (pid_for_task(task, &pid) != KERN_SUCCESS || pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (read_text(path, out, size))
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* task_set_name names the process as Linux shows it (its comm: 15 bytes). */
TEST_F(calls, set_name)
{
	char comm[64];

	ASSERT_EQ(KERN_SUCCESS, task_set_name(self->child, "shell-one"));
	ASSERT_EQ(0, comm_of(self->child, comm, sizeof(comm)));
	EXPECT_STREQ("shell-one", comm);
	ASSERT_EQ(KERN_SUCCESS, task_set_name(mach_task_self(), "a-rather-long-task-name"));
	ASSERT_EQ(0, comm_of(mach_task_self(), comm, sizeof(comm)));
	EXPECT_STREQ("a-rather-long-t", comm);
	ASSERT_EQ(KERN_SUCCESS, task_set_name(self->child, ""));
	ASSERT_EQ(0, comm_of(self->child, comm, sizeof(comm)));
	EXPECT_STREQ("", comm);
	/* Not a task: nothing is sent, or (a simpleroutine) nothing answers. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_set_name(MACH_PORT_NULL, "x"));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_name(self->child, NULL));
	EXPECT_EQ(KERN_SUCCESS, task_terminate(self->child));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_set_name(self->child, "late"));
}

/* A request of the wrong shape changes nothing (MIG's checks). */
TEST_F(calls, set_name_malformed)
{
	struct {
		mach_msg_header_t head;
		NDR_record_t ndr;
		mach_msg_type_number_t offset;
		mach_msg_type_number_t count;
		char name[68];
	} req;
	char comm[64];

	ASSERT_EQ(KERN_SUCCESS, task_set_name(self->child, "before"));
	memset(&req, 0, sizeof(req));
	req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	req.head.msgh_remote_port = self->child;
	req.head.msgh_id = 4202;
	req.ndr = NDR_record;
	memset(req.name, 'x', sizeof(req.name));
	req.count = 4;		/* no NUL within its count */
	req.head.msgh_size = offsetof(typeof(req), name) + 4;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&req.head, MACH_SEND_MSG, req.head.msgh_size, 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	req.count = 68;		/* past KERNEL_DEBUG_NAME_MAX */
	req.name[10] = '\0';
	req.head.msgh_size = offsetof(typeof(req), name) + 68;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&req.head, MACH_SEND_MSG, req.head.msgh_size, 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	req.count = 8;		/* a size that is not the count's */
	req.head.msgh_size = offsetof(typeof(req), name) + 12;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&req.head, MACH_SEND_MSG, req.head.msgh_size, 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(0, comm_of(self->child, comm, sizeof(comm)));
	EXPECT_STREQ("before", comm);
}

static uint64_t busy_ms(unsigned ms)
{
	struct timespec start, now;
	volatile uint64_t n = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	do {
		for (int i = 0; i < 100000; i++)
			n++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 <
		 ms);
	return n;
}

TEST(info_absolutetime)
{
	struct task_absolutetime_info a, b;
	mach_msg_type_number_t count = TASK_ABSOLUTETIME_INFO_COUNT;

	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_ABSOLUTETIME_INFO,
					  (task_info_t)&a, &count));
	EXPECT_EQ(TASK_ABSOLUTETIME_INFO_COUNT, count);
	busy_ms(30);
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_ABSOLUTETIME_INFO,
					  (task_info_t)&b, &count));
	/* Times grow; the totals hold the live threads' times. */
	EXPECT_GT(b.total_user + b.total_system, a.total_user + a.total_system);
	EXPECT_GE(b.total_user, b.threads_user);
	EXPECT_GE(b.total_system, b.threads_system);
	EXPECT_GE(b.total_user + b.total_system - a.total_user - a.total_system, 20000000ull);
	count = TASK_ABSOLUTETIME_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), TASK_ABSOLUTETIME_INFO,
						   (task_info_t)&a, &count));
}

TEST(info_events)
{
	struct task_events_info a, b;
	mach_msg_type_number_t count = TASK_EVENTS_INFO_COUNT;
	char *p;

	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_EVENTS_INFO,
					  (task_info_t)&a, &count));
	EXPECT_EQ(TASK_EVENTS_INFO_COUNT, count);
	p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, no_huge_pages(p, 64 * 4096));
	for (int i = 0; i < 64; i++)
		p[i * 4096] = 1;
	/*
	 * A sleep switches, unless its timer fired before the thread went
	 * to sleep (a slow emulated CPU under load): then sleep again.
	 */
	for (int i = 0; i < 10; i++) {
		usleep(1000);
		ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_EVENTS_INFO,
						  (task_info_t)&b, &count));
		if (b.csw > a.csw)
			break;
	}
	EXPECT_GE(b.faults - a.faults, 64);
	EXPECT_GE(b.faults, b.pageins);
	EXPECT_GT(b.csw, a.csw);	/* the sleep */
	EXPECT_GT(b.syscalls_mach, a.syscalls_mach);	/* the task_info */
	EXPECT_EQ(0, b.cow_faults);
	munmap(p, 64 * 4096);
	count = TASK_EVENTS_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), TASK_EVENTS_INFO,
						   (task_info_t)&a, &count));
}

TEST(info_events_messages)
{
	struct task_events_info a, b;
	mach_msg_type_number_t count = TASK_EVENTS_INFO_COUNT;
	mach_port_t port = new_port();

	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_EVENTS_INFO,
					  (task_info_t)&a, &count));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(port, port, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_NE(MACH_PORT_NULL, receive_port(port));
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_EVENTS_INFO,
					  (task_info_t)&b, &count));
	EXPECT_EQ(a.messages_sent + 1, b.messages_sent);
	EXPECT_EQ(a.messages_received + 1, b.messages_received);
}

TEST(info_vm)
{
	task_vm_info_data_t vm;
	mach_msg_type_number_t count = TASK_VM_INFO_COUNT;
	unsigned long long size, resident;

	memset(&vm, 0xa5, sizeof(vm));
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vm,
					  &count));
	EXPECT_EQ(TASK_VM_INFO_COUNT, count);
	ASSERT_EQ(0, read_statm(&size, &resident));
	EXPECT_GE(vm.virtual_size, vm.resident_size);
	EXPECT_GT(vm.resident_size, 0);
	EXPECT_GE(vm.resident_size_peak, vm.resident_size);
	EXPECT_EQ(getpagesize(), vm.page_size);
	EXPECT_GT(vm.region_count, 0);
	EXPECT_EQ(vm.resident_size, vm.internal + vm.external);
	EXPECT_GT(vm.phys_footprint, 0);
	EXPECT_EQ(0, vm.compressed);
	EXPECT_EQ(0, vm.compressed_peak);
	EXPECT_EQ(0, vm.compressed_lifetime);
	EXPECT_EQ(0, vm.device);
	EXPECT_LT(vm.min_address, vm.max_address);
	EXPECT_GE(vm.max_address, (uint64_t)(uintptr_t)&vm);
	/* Within a few pages of what /proc says (the two reads are apart). */
	EXPECT_LE(vm.virtual_size > size ? vm.virtual_size - size : size - vm.virtual_size,
		  64 * 4096ull);

	/* A shorter revision answers to its count; shorter than rev0 is refused. */
	count = TASK_VM_INFO_REV1_COUNT + 1;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vm,
					  &count));
	EXPECT_EQ(TASK_VM_INFO_REV1_COUNT, count);
	count = TASK_VM_INFO_REV0_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vm,
					  &count));
	EXPECT_EQ(TASK_VM_INFO_REV0_COUNT, count);
	count = TASK_VM_INFO_REV0_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), TASK_VM_INFO,
						   (task_info_t)&vm, &count));
}

TEST(info_power)
{
	struct task_power_info p;
	struct task_power_info_v2 v2;
	mach_msg_type_number_t count = TASK_POWER_INFO_COUNT;

	/* (A thread's time is Linux's as of its last tick or switch.) */
	busy_ms(20);
	usleep(1000);
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_POWER_INFO, (task_info_t)&p,
					  &count));
	EXPECT_EQ(TASK_POWER_INFO_COUNT, count);
	EXPECT_GT(p.total_user + p.total_system, 0);
	count = TASK_POWER_INFO_V2_COUNT;
	busy_ms(20);
	usleep(1000);
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_POWER_INFO_V2,
					  (task_info_t)&v2, &count));
	EXPECT_EQ(TASK_POWER_INFO_V2_COUNT, count);
	EXPECT_GT(v2.cpu_energy.total_user + v2.cpu_energy.total_system,
		  p.total_user + p.total_system);
	EXPECT_EQ(0, v2.gpu_energy.task_gpu_utilisation);
	count = TASK_POWER_INFO_V2_COUNT_OLD;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_POWER_INFO_V2,
					  (task_info_t)&v2, &count));
	EXPECT_EQ(TASK_POWER_INFO_V2_COUNT_OLD, count);
	count = TASK_POWER_INFO_V2_COUNT_OLD - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), TASK_POWER_INFO_V2,
						   (task_info_t)&v2, &count));
	count = TASK_POWER_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), TASK_POWER_INFO,
						   (task_info_t)&p, &count));
}

TEST(info_flags_dyld_affinity)
{
	struct task_flags_info flags;
	struct task_dyld_info dyld;
	struct task_affinity_tag_info aff;
	mach_msg_type_number_t count = TASK_FLAGS_INFO_COUNT;

	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_FLAGS_INFO,
					  (task_info_t)&flags, &count));
	EXPECT_EQ(TF_LP64 | TF_64B_DATA, flags.flags);
	count = 0;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), TASK_FLAGS_INFO,
						   (task_info_t)&flags, &count));

	memset(&dyld, 0xa5, sizeof(dyld));
	count = TASK_DYLD_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_DYLD_INFO, (task_info_t)&dyld,
					  &count));
	EXPECT_EQ(TASK_DYLD_INFO_COUNT, count);
	EXPECT_EQ(0, dyld.all_image_info_addr);
	EXPECT_EQ(0, dyld.all_image_info_size);
	EXPECT_EQ(TASK_DYLD_ALL_IMAGE_INFO_64, dyld.all_image_info_format);
	count = TASK_DYLD_INFO_COUNT - 1;	/* the legacy layout */
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_DYLD_INFO, (task_info_t)&dyld,
					  &count));
	EXPECT_EQ(TASK_DYLD_INFO_COUNT - 1, count);
	count = TASK_DYLD_INFO_COUNT - 2;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), TASK_DYLD_INFO,
						   (task_info_t)&dyld, &count));

	memset(&aff, 0xa5, sizeof(aff));
	count = TASK_AFFINITY_TAG_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_AFFINITY_TAG_INFO,
					  (task_info_t)&aff, &count));
	EXPECT_EQ(TASK_AFFINITY_TAG_INFO_COUNT, count);
	EXPECT_EQ(0, aff.set_count);
	EXPECT_EQ(0, aff.task_count);
}

TEST(info_basic2)
{
	struct task_basic_info_32 b;
	mach_msg_type_number_t count = TASK_BASIC_INFO_32_COUNT;

	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_BASIC2_INFO_32,
					  (task_info_t)&b, &count));
	EXPECT_EQ(TASK_BASIC_INFO_32_COUNT, count);
	EXPECT_GE(b.virtual_size, b.resident_size);
	EXPECT_GT(b.resident_size, 0);
}

/* The flavours no header declares are not served, by either front end. */
TEST(info_unknown_flavours)
{
	integer_t buf[TASK_INFO_MAX];
	static const task_flavor_t unknown[] = {0, 7, 8, 9, 10, 11, 12, 14, 18, 19, 23, 24,
						25, 27, 29, 30, 31, 99, 101, 1000};

	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		mach_msg_type_number_t count = TASK_INFO_MAX;

		EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), unknown[i], buf,
							   &count)) {
			TH_LOG("flavour %u", unknown[i]);
		}
	}
}

/* The same answers through the message front end (a MIG request). */
TEST(info_by_message)
{
	struct {
		mach_msg_header_t head;
		NDR_record_t ndr;
		task_flavor_t flavor;
		mach_msg_type_number_t count;
	} req;
	struct {
		mach_msg_header_t head;
		NDR_record_t ndr;
		kern_return_t ret;
		mach_msg_type_number_t count;
		integer_t info[TASK_VM_INFO_COUNT];
		mach_msg_max_trailer_t trailer;
	} rep;
	mach_port_t reply = new_port();

	memset(&req, 0, sizeof(req));
	req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.head.msgh_size = sizeof(req);
	req.head.msgh_remote_port = mach_task_self();
	req.head.msgh_local_port = reply;
	req.head.msgh_id = 3405;
	req.ndr = NDR_record;
	req.flavor = TASK_VM_INFO;
	req.count = TASK_VM_INFO_COUNT;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&req.head, MACH_SEND_MSG, sizeof(req), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&rep.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(rep), reply, 5000, MACH_PORT_NULL));
	EXPECT_EQ(3505, rep.head.msgh_id);
	ASSERT_EQ(KERN_SUCCESS, rep.ret);
	EXPECT_EQ(TASK_VM_INFO_COUNT, rep.count);
	EXPECT_EQ(offsetof(typeof(rep), trailer), rep.head.msgh_size);

	/* A short count: XNU's error, in the error reply. */
	req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.head.msgh_size = sizeof(req);
	req.head.msgh_remote_port = mach_task_self();
	req.head.msgh_local_port = reply;
	req.head.msgh_id = 3405;
	req.count = TASK_VM_INFO_REV0_COUNT - 1;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&req.head, MACH_SEND_MSG, sizeof(req), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&rep.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(rep), reply, 5000, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, rep.ret);
}

/*
 * task_set_info: XNU's kernel sets no flavour, so every one, known to
 * task_info or not, is KERN_INVALID_ARGUMENT on a live task; MIG's
 * checks and the port's come first.
 */
TEST(set_info_sets_nothing)
{
	integer_t words[TASK_INFO_MAX] = { 0 };
	task_flavor_t flavors[] = { TASK_BASIC_INFO, MACH_TASK_BASIC_INFO, TASK_VM_INFO,
				    24 /* XNU's TASK_TRACE_MEMORY_INFO */, 9999 };
	mach_port_t dead;

	for (unsigned int i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++)
		EXPECT_EQ(KERN_INVALID_ARGUMENT,
			  task_set_info(mach_task_self(), flavors[i], words, 4));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_info(mach_task_self(), TASK_BASIC_INFO, words, 0));
	/* More than MIG's array holds: refused by the stub, sent nowhere. */
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, task_set_info(mach_task_self(), TASK_BASIC_INFO, words, 95));
	/* Not a task: found by its id, as XNU's kernel finds it, on no task. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  task_set_info(mach_host_self(), TASK_BASIC_INFO, words, 4));
	/* A dead name, and no name. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), dead, dead,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), dead,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_set_info(dead, TASK_BASIC_INFO, words, 4));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_set_info(MACH_PORT_NULL, TASK_BASIC_INFO, words, 4));
	mach_port_deallocate(mach_task_self(), dead);
}

static int leader_gone_release[2];

static void *wait_for_release(void *arg)
{
	char c;

	(void)arg;
	/* Its exit, the process's last thread's, is exit(0). */
	if (read(leader_gone_release[0], &c, 1) != 1)
		exit(3);
	return NULL;
}

TEST(a_task_whose_main_thread_exited_lives_on)
{
	int up[2], status;
	vm_address_t address = 0;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	struct mach_task_basic_info info;
	char c;
	task_t task;
	pid_t pid;

	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(leader_gone_release));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pthread_t other;

		if (mach_task_self() == MACH_PORT_NULL ||
		    pthread_create(&other, NULL, wait_for_release, NULL))
			_exit(1);
		if (write(up[1], "r", 1) != 1)
			_exit(2);
		pthread_exit(NULL);
	}
	ASSERT_EQ(1, read(up[0], &c, 1));
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), pid, &task));
	/* The leader a zombie, its other thread waiting: the process lives. */
	for (int i = 0; i < 200; i++) {
		char state[32] = "";

		proc_status_line(pid, "State:", state, sizeof(state));
		if (state[0] == 'Z')
			break;
		usleep(10000);
	}
	EXPECT_EQ(KERN_SUCCESS, task_info(task, MACH_TASK_BASIC_INFO,
					  (task_info_t)&info, &count));
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(task, &address, 4096, VM_FLAGS_ANYWHERE));
	EXPECT_EQ(KERN_SUCCESS, task_suspend(task));
	EXPECT_EQ(KERN_SUCCESS, task_resume(task));
	ASSERT_EQ(1, write(leader_gone_release[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Now it is gone. */
	EXPECT_NE(KERN_SUCCESS, task_info(task, MACH_TASK_BASIC_INFO,
					  (task_info_t)&info, &count));
	mach_port_deallocate(mach_task_self(), task);
}

TEST_HARNESS_MAIN
