// SPDX-License-Identifier: GPL-2.0
/*
 * The security model: who reaches the host's privileged and security
 * ports, the tokens tasks carry and inherit, credentials that follow a
 * chosen token, a server that judges its clients by their trailers, and
 * port fds that reach another process outside Mach being inert there.
 * The harness forks each test, so a test may drop to an unprivileged uid.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

#include <mach/mach.h>
#include <mach/host_security.h>
#include <mach/ioctl.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096
#define NOBODY 65534

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

static kern_return_t get_security_port(host_priv_t *priv, host_security_t *security)
{
	kern_return_t kr = host_get_host_priv_port(mach_host_self(), priv);

	if (kr != KERN_SUCCESS)
		return kr;
	return host_get_special_port(*priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT, security);
}

static void tokens_of(task_t task, security_token_t *security, audit_token_t *audit)
{
	mach_msg_type_number_t count = TASK_SECURITY_TOKEN_COUNT;

	memset(security, 0xff, sizeof(*security));
	memset(audit, 0xff, sizeof(*audit));
	task_info(task, TASK_SECURITY_TOKEN, (task_info_t)security, &count);
	count = TASK_AUDIT_TOKEN_COUNT;
	task_info(task, TASK_AUDIT_TOKEN, (task_info_t)audit, &count);
}

static pid_t pid_of(task_t task)
{
	int pid = 0;

	return pid_for_task(task, &pid) == KERN_SUCCESS ? pid : -1;
}

/*
 * What a process without the privilege finds of a privileged parent's:
 * its own tokens, and no privileged host port behind mach_host_self().
 * 0 if so; a bit for each thing it found wrong.
 */
static int unprivileged_finds_none(void)
{
	security_token_t st;
	audit_token_t at;
	mach_port_t got;
	int wrong = 0;

	tokens_of(mach_task_self(), &st, &at);
	if (st.val[0] != NOBODY || st.val[1] != NOBODY || at.val[1] != NOBODY)
		wrong |= 1;
	if (host_get_special_port(mach_host_self(), HOST_LOCAL_NODE, HOST_SECURITY_PORT,
				  &got) != KERN_INVALID_ARGUMENT)
		wrong |= 2;
	return wrong;
}

/* This program exec'd by a_privileged_host_port_..._exec: as above. */
static void __attribute__((constructor)) unprivileged_probe(void)
{
	if (getenv("MACH_SECURITY_PROBE"))
		_exit(unprivileged_finds_none());
}

/* Gives our task tokens of user 4321 and the privileged port as its host port. */
static int take_given_tokens(void)
{
	security_token_t st = { { 4321, 8765 } };
	audit_token_t at = { { 1, 4321, 8765, 4321, 8765, 31337, 2, 0 } };
	host_priv_t priv;
	host_security_t security;

	if (get_security_port(&priv, &security) ||
	    host_security_set_task_token(security, mach_task_self(), st, at, priv))
		return -1;
	return 0;
}

static int exit_of(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * A root task given tokens and the privileged host port: a child forked
 * from it that becomes a task later takes both while it runs as its
 * parent did; once it has dropped its privilege, neither (before, its
 * messages said they came from user 4321, and mach_host_self() led it
 * to the security port and to a task of uid 0).
 */
TEST(a_late_child_takes_given_tokens_and_privilege_only_as_its_parent_ran)
{
	int status;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root for the security port");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int same, dropped;
		pid_t kid;

		if (take_given_tokens())
			_exit(100);
		/* As its parent ran: its tokens, and the privileged port. */
		kid = fork();
		if (kid == 0) {
			security_token_t st;
			audit_token_t at;
			mach_port_t got;

			tokens_of(mach_task_self(), &st, &at);
			_exit((st.val[0] != 4321) |
			      (host_get_special_port(mach_host_self(), HOST_LOCAL_NODE,
						     HOST_SECURITY_PORT, &got) ? 2 : 0));
		}
		same = exit_of(kid);
		/* Privilege dropped before its first Mach call. */
		kid = fork();
		if (kid == 0)
			_exit(drop_privileges() ? 100 : unprivileged_finds_none());
		dropped = exit_of(kid);
		_exit(same | dropped << 4);
	}
	status = exit_of(pid);
	EXPECT_EQ(0, status) {
		TH_LOG("as its parent: %#x, privilege dropped: %#x (1: tokens, 2: security port)",
		       status & 15, status >> 4);
	}
}

/*
 * The same task through an exec, privilege dropped first: the new
 * program's own tokens (as before), and the privileged host port gone.
 */
TEST(a_privileged_host_port_does_not_outlive_a_privilege_drop_and_exec)
{
	char *const argv[] = { "security", NULL };
	char *const envp[] = { "MACH_SECURITY_PROBE=1", NULL };
	int status;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root for the security port");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (take_given_tokens() || drop_privileges())
			_exit(100);
		execve("/proc/self/exe", argv, envp);
		_exit(101);
	}
	status = exit_of(pid);
	EXPECT_EQ(0, status) {
		TH_LOG("%#x (1: tokens, 2: security port)", status);
	}
}

TEST(dev_mach_is_open_to_all_and_gives_the_callers_task)
{
	audit_token_t audit;
	security_token_t security;
	struct stat st;

	ASSERT_EQ(0, stat("/dev/mach", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777);
	ASSERT_EQ(0, drop_privileges());
	tokens_of(mach_task_self(), &security, &audit);
	EXPECT_EQ(NOBODY, security.val[0]);
	EXPECT_EQ(NOBODY, security.val[1]);
	EXPECT_EQ(getpid(), (pid_t)audit.val[5]);
}

TEST(root_reaches_the_privileged_and_security_ports)
{
	host_priv_t priv, again;
	host_security_t security;

	ASSERT_EQ(KERN_SUCCESS, get_security_port(&priv, &security));
	EXPECT_NE(MACH_PORT_NULL, priv);
	EXPECT_NE(MACH_PORT_NULL, security);
	EXPECT_NE(mach_host_self(), priv);
	EXPECT_NE(priv, security);
	/* Coalesced into the name we hold, as every send right is. */
	ASSERT_EQ(KERN_SUCCESS, host_get_host_priv_port(priv, &again));
	EXPECT_EQ(priv, again);
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_get_special_port(priv, 0, HOST_SECURITY_PORT, &again));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_get_special_port(security, HOST_LOCAL_NODE, HOST_PRIV_PORT, &again));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_get_special_port(mach_task_self(), HOST_LOCAL_NODE, HOST_PRIV_PORT,
					&again));
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(tokens) {
	struct made made;
};

FIXTURE_SETUP(tokens)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(tokens)
{
	made_end(&self->made);
}

TEST_F(tokens, an_unprivileged_process_gets_no_privileged_port)
{
	host_priv_t priv = 1;
	mach_port_t security = 1;
	task_t child = 1;
	security_token_t st = { { 0, 0 } };
	audit_token_t at = { { 0 } };

	ASSERT_EQ(0, drop_privileges());
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_host_priv_port(mach_host_self(), &priv));
	EXPECT_EQ(MACH_PORT_NULL, priv);
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_get_special_port(mach_host_self(), HOST_LOCAL_NODE,
					HOST_SECURITY_PORT, &security));
	EXPECT_EQ(MACH_PORT_NULL, security);
	/* Anything but the host security port: KERN_INVALID_SECURITY. */
	EXPECT_EQ(KERN_INVALID_SECURITY,
		  made_task_create_token(&self->made, mach_host_self(), mach_task_self(), st, at,
					 MACH_PORT_NULL, NULL, 0, TRUE, &child));
	EXPECT_EQ(MACH_PORT_NULL, child);
	EXPECT_EQ(KERN_INVALID_SECURITY,
		  made_task_create_token(&self->made, mach_task_self(), mach_task_self(), st, at,
					 MACH_PORT_NULL, NULL, 0, TRUE, &child));
	EXPECT_EQ(KERN_INVALID_SECURITY,
		  host_security_set_task_token(mach_host_self(), mach_task_self(), st, at,
					       MACH_PORT_NULL));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  host_security_set_task_token(MACH_PORT_NULL, mach_task_self(), st, at,
					       MACH_PORT_NULL));
	EXPECT_EQ((uid_t)NOBODY, getuid());	/* nothing changed who we are */
}

TEST(host_info_reports_cpus_memory_and_nodes)
{
	host_basic_info_data_t basic;
	host_node_info_data_t nodes;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	struct sysinfo si;
	vm_size_t page = 0;
	char online[64];
	FILE *f;
	int lo, hi, expect_nodes = 0;

	ASSERT_EQ(0, drop_privileges());	/* the name port is enough */
	ASSERT_EQ(KERN_SUCCESS, host_info(mach_host_self(), HOST_BASIC_INFO,
					  (host_info_t)&basic, &count));
	EXPECT_EQ(HOST_BASIC_INFO_COUNT, count);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), basic.avail_cpus);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF), basic.max_cpus);
	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_EQ((uint64_t)si.totalram * si.mem_unit, basic.max_mem);
	EXPECT_EQ(CPU_TYPE_X86_64, basic.cpu_type);

	/* The nodes, as sysfs lists them ("0-1"). */
	f = fopen("/sys/devices/system/node/online", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(online, sizeof(online), f));
	fclose(f);
	for (char *p = strtok(online, ",\n"); p; p = strtok(NULL, ",\n"))
		expect_nodes += sscanf(p, "%d-%d", &lo, &hi) == 2 ? hi - lo + 1 : 1;
	count = HOST_NODE_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(mach_host_self(), HOST_NODE_INFO,
					  (host_info_t)&nodes, &count));
	EXPECT_EQ(expect_nodes, nodes.node_count);
	EXPECT_GE(nodes.node_max, nodes.node_count);

	count = 1;
	EXPECT_EQ(KERN_FAILURE, host_info(mach_host_self(), HOST_BASIC_INFO,
					  (host_info_t)&basic, &count));
	count = HOST_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(mach_task_self(), HOST_BASIC_INFO,
						   (host_info_t)&basic, &count));
	EXPECT_EQ(KERN_SUCCESS, host_page_size(mach_host_self(), &page));
	EXPECT_EQ(PAGE, page);
}

/*
 * A privileged port is a right like any other: root hands it to an
 * unprivileged child by message, and the child then has its authority.
 */
TEST_F(tokens, a_privileged_port_passed_by_message_carries_its_authority)
{
	host_priv_t priv;
	host_security_t security;
	mach_port_t boot, reply = MACH_PORT_NULL;
	int status;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, host_get_host_priv_port(mach_host_self(), &priv));
	boot = serve_as_bootstrap();
	ASSERT_NE(MACH_PORT_NULL, boot);

	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t parent = MACH_PORT_NULL, mine, got;
		security_token_t st = { { 4321, 4321 } };
		audit_token_t at = { { 0 } };
		task_t child;

		if (drop_privileges() ||
		    task_get_bootstrap_port(mach_task_self(), &parent) ||
		    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine) ||
		    send_port(parent, mine, MACH_MSG_TYPE_MAKE_SEND))
			_exit(10);
		got = receive_port(mine);
		if (got == MACH_PORT_NULL)
			_exit(11);
		if (host_get_special_port(got, HOST_LOCAL_NODE, HOST_SECURITY_PORT,
					  &security) != KERN_SUCCESS)
			_exit(12);
		if (host_security_create_task_token(security, mach_task_self(), st, at,
						    MACH_PORT_NULL, NULL, 0, FALSE,
						    &child) != KERN_SUCCESS)
			_exit(13);
		task_terminate(child);
		_exit(0);
	}
	reply = receive_port(boot);
	ASSERT_NE(MACH_PORT_NULL, reply);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(reply, priv, MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* The same port's fd, reaching a process by fork, /proc or pidfd_getfd. */
TEST_F(tokens, privileged_port_fds_smuggled_outside_mach_are_inert)
{
	host_priv_t priv;
	mach_port_t got;
	int status;
	pid_t parent = getpid(), pid;

	ASSERT_EQ(KERN_SUCCESS, host_get_host_priv_port(mach_host_self(), &priv));
	pid = made_fork(&self->made);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char path[64];
		int fd, pidfd, failures = 0;

		/* By fork: the fd is there, the right is not. */
		if (host_get_special_port(priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT,
					  &got) != MACH_SEND_INVALID_DEST)
			failures |= 1;
		/* By /proc (as root): a file of it, no right either. */
		snprintf(path, sizeof(path), "/proc/%d/fd/%u", parent, priv);
		fd = open(path, O_RDWR);
		if (fd >= 0 && host_get_special_port(fd, HOST_LOCAL_NODE,
						     HOST_SECURITY_PORT, &got) !=
			       MACH_SEND_INVALID_DEST)
			failures |= 2;
		/* By pidfd_getfd. */
		pidfd = syscall(SYS_pidfd_open, parent, 0);
		fd = pidfd < 0 ? -1 : syscall(438 /* pidfd_getfd */, pidfd, priv, 0);
		if (fd < 0 || host_get_special_port(fd, HOST_LOCAL_NODE, HOST_SECURITY_PORT,
						    &got) != MACH_SEND_INVALID_DEST)
			failures |= 4;
		/* Dropping privilege after the fork changes nothing. */
		if (drop_privileges() ||
		    host_get_special_port(priv, HOST_LOCAL_NODE, HOST_PRIV_PORT, &got) !=
			    MACH_SEND_INVALID_DEST)
			failures |= 8;
		_exit(failures);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(tokens, task_create_children_inherit_their_parents_tokens)
{
	security_token_t ours, theirs;
	audit_token_t our_audit, their_audit;
	task_t child;

	tokens_of(mach_task_self(), &ours, &our_audit);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	tokens_of(child, &theirs, &their_audit);
	EXPECT_EQ(0, memcmp(&ours, &theirs, sizeof(ours)));
	/* Same user, its own pid. */
	EXPECT_EQ(our_audit.val[1], their_audit.val[1]);
	EXPECT_EQ(our_audit.val[3], their_audit.val[3]);
	EXPECT_EQ(pid_of(child), (pid_t)their_audit.val[5]);
	task_terminate(child);
	mach_port_deallocate(mach_task_self(), child);
}

/* A task made with chosen tokens: it has them, and so does its child. */
/* The same tests, with and without the parent's memory. */
FIXTURE(inherited_tokens) {
	struct made made;
};

FIXTURE_VARIANT(inherited_tokens) {
	boolean_t inherit_memory;
};

FIXTURE_VARIANT_ADD(inherited_tokens, with_memory) { .inherit_memory = TRUE };
FIXTURE_VARIANT_ADD(inherited_tokens, without_memory) { .inherit_memory = FALSE };

FIXTURE_SETUP(inherited_tokens)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(inherited_tokens)
{
	made_end(&self->made);
}

TEST_F(inherited_tokens, explicit_tokens_are_kept_and_inherited)
{
	const boolean_t inherit = variant->inherit_memory;
	security_token_t st = { { 1234, 5678 } }, seen;
	audit_token_t at = { { 1000, 1234, 5678, 1234, 5678, 4242, 7, 1 } }, seen_audit;
	host_priv_t priv;
	host_security_t security;
	task_t child, grandchild;
	mach_port_t host;

	ASSERT_EQ(KERN_SUCCESS, get_security_port(&priv, &security));
	ASSERT_EQ(KERN_SUCCESS,
		  made_task_create_token(&self->made, security, mach_task_self(), st, at,
					 MACH_PORT_NULL, NULL, 0, inherit, &child));
	tokens_of(child, &seen, &seen_audit);
	EXPECT_EQ(0, memcmp(&st, &seen, sizeof(st)));
	EXPECT_EQ(0, memcmp(&at, &seen_audit, sizeof(at)));
	/* Given no privileged host port, it holds the name port. */
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(child, TASK_HOST_PORT, &host));
	EXPECT_EQ(mach_host_self(), host);

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, child, NULL, 0, inherit,
						 &grandchild));
	tokens_of(grandchild, &seen, &seen_audit);
	EXPECT_EQ(0, memcmp(&st, &seen, sizeof(st)));
	EXPECT_EQ(0, memcmp(&at, &seen_audit, sizeof(at)));
	task_terminate(grandchild);
	task_terminate(child);
	mach_port_deallocate(mach_task_self(), grandchild);
	mach_port_deallocate(mach_task_self(), child);
	/* The privileged host port, given, is the child's host port. */
	ASSERT_EQ(KERN_SUCCESS,
		  made_task_create_token(&self->made, security, mach_task_self(), st, at, priv,
					 NULL, 0, FALSE, &child));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(child, TASK_HOST_PORT, &host));
	EXPECT_EQ(priv, host);
	task_terminate(child);
	/* An id that is no id: nothing is made. */
	st.val[0] = (unsigned int)-1;
	child = 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  made_task_create_token(&self->made, security, mach_task_self(), st, at,
					 MACH_PORT_NULL, NULL, 0, TRUE, &child));
	EXPECT_EQ(MACH_PORT_NULL, child);
}

/* The chosen mapping: the shell runs with the token's uid and gid. */
TEST_F(inherited_tokens, credentials_follow_the_security_token)
{
	const boolean_t inherit = variant->inherit_memory;
	security_token_t st = { { 1234, 5678 } };
	audit_token_t at = { { 0 } };
	host_priv_t priv;
	host_security_t security;
	char value[128], bounding[128];
	task_t child;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, get_security_port(&priv, &security));
	ASSERT_EQ(KERN_SUCCESS,
		  made_task_create_token(&self->made, security, mach_task_self(), st, at,
					 MACH_PORT_NULL, NULL, 0, inherit, &child));
	pid = pid_of(child);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, proc_status_line(pid, "Uid:", value, sizeof(value)));
	EXPECT_STREQ("1234\t1234\t1234\t1234", value);
	ASSERT_EQ(0, proc_status_line(pid, "Gid:", value, sizeof(value)));
	EXPECT_STREQ("5678\t5678\t5678\t5678", value);
	ASSERT_EQ(0, proc_status_line(pid, "CapEff:", value, sizeof(value)));
	EXPECT_STREQ("0000000000000000", value);
	ASSERT_EQ(0, proc_status_line(pid, "Groups:", value, sizeof(value)));
	EXPECT_STREQ("", value);
	task_terminate(child);
	mach_port_deallocate(mach_task_self(), child);
	/* uid 0's token: root's capabilities, the bounding set's. */
	st.val[0] = st.val[1] = 0;
	ASSERT_EQ(KERN_SUCCESS,
		  made_task_create_token(&self->made, security, mach_task_self(), st, at,
					 MACH_PORT_NULL, NULL, 0, TRUE, &child));
	ASSERT_EQ(0, proc_status_line(pid_of(child), "CapEff:", value, sizeof(value)));
	ASSERT_EQ(0, proc_status_line(getpid(), "CapBnd:", bounding, sizeof(bounding)));
	EXPECT_STREQ(bounding, value);
	task_terminate(child);
	mach_port_deallocate(mach_task_self(), child);

	/* Ours did not change, and a plain task_create keeps ours. */
	EXPECT_EQ(0u, getuid());
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	ASSERT_EQ(0, proc_status_line(pid_of(child), "Uid:", value, sizeof(value)));
	EXPECT_STREQ("0\t0\t0\t0", value);
	task_terminate(child);
}

/* A request with a reply port, and the server's answer. */
struct request {
	mach_msg_header_t header;
	mach_msg_trailer_t trailer;
};
struct audited_request {
	mach_msg_header_t header;
	mach_msg_audit_trailer_t trailer;
};
struct reply {
	mach_msg_header_t header;
	NDR_record_t ndr;
	kern_return_t code;
	mach_msg_trailer_t trailer;
};

/* In a child task: one RPC through its /dev/mach (fd 0), no libc. */
static union {
	struct request request;
	struct reply reply;
} rpc_buffer;
static struct mach_msg_args rpc_args;
static volatile int64_t rpc_done;

static void __attribute__((noinline, noreturn)) rpc_entry(void)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(SYS_ioctl), "D"(0), "S"(MACH_IOC_MSG), "d"(&rpc_args)
			 : "rcx", "r11", "memory");
	rpc_done = ret == MACH_MSG_SUCCESS ? 1 : -1;
	for (;;)
		__asm__ volatile("pause");
}

/* Serves one request on port: refuses any client but uid 0. */
static kern_return_t serve_one(mach_port_t port, security_token_t *sender,
			       audit_token_t *audit)
{
	struct audited_request in;
	struct reply out;
	mach_msg_return_t mr;

	mr = mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
		      MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
		      0, sizeof(in), port, 5000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	*sender = in.trailer.msgh_sender;
	*audit = in.trailer.msgh_audit;
	memset(&out, 0, sizeof(out));
	out.header.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in.header.msgh_bits), 0);
	out.header.msgh_size = sizeof(out) - sizeof(out.trailer);
	out.header.msgh_remote_port = in.header.msgh_remote_port;
	out.header.msgh_id = in.header.msgh_id + 100;
	out.code = sender->val[0] == 0 ? KERN_SUCCESS : KERN_INVALID_SECURITY;
	return mach_msg(&out.header, MACH_SEND_MSG, out.header.msgh_size, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* Waits up to 5 s for the child's RPC to finish; its reply code, or -1. */
static int rpc_outcome(task_t task)
{
	int64_t done = 0;
	struct reply reply;

	for (int i = 0; i < 500 && !done; i++) {
		vm_read_overwrite(task, (vm_address_t)&rpc_done, sizeof(done),
				  (vm_address_t)&done, NULL);
		if (!done)
			usleep(10000);
	}
	if (done != 1 || vm_read_overwrite(task, (vm_address_t)&rpc_buffer.reply,
					   sizeof(reply), (vm_address_t)&reply,
					   NULL) != KERN_SUCCESS)
		return -1;
	return reply.code;
}

/*
 * The call returns once the new task is set up, never before: its shell
 * registers itself as its parent does, and a parent that found it half
 * registered took it for dead (KERN_FAILURE). Seen as a process's first
 * creation, so each round is a new process; many rounds, since the
 * window is short (about 20 s of the debug kernel's, so more than the
 * harness's default 30 s to take them).
 */
TEST_F_TIMEOUT(inherited_tokens, a_task_made_with_tokens_is_there_when_the_call_returns, 90)
{
	security_token_t st = { { 1234, 5678 } };
	audit_token_t at = { { 1000, 1234, 5678, 1234, 5678, 4242, 7, 1 } };
	int failed = 0;

	for (int i = 0; i < 100; i++) {
		pid_t pid = made_fork(&self->made);
		int status;

		ASSERT_LE(0, pid);
		if (pid == 0) {
			host_security_t security;
			host_priv_t priv;
			task_t child;
			kern_return_t kr;

			kr = get_security_port(&priv, &security);
			if (kr == KERN_SUCCESS)
				kr = host_security_create_task_token(security, mach_task_self(), st,
							     at, MACH_PORT_NULL, NULL, 0,
							     variant->inherit_memory,
							     &child);
			if (kr == KERN_SUCCESS)
				task_terminate(child);
			_exit(kr);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		self->made.children--;	/* reaped */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != KERN_SUCCESS) {
			TH_LOG("round %d: status 0x%x", i, status);
			failed++;
		}
	}
	EXPECT_EQ(0, failed);
}

/*
 * A server judges requests by the sender's tokens in the trailer: it
 * answers a task made with uid 0's token and refuses one with another.
 */
FIXTURE(client) {
	struct made made;
};

/* A client the server trusts (uid 0's token), and one it does not. */
FIXTURE_VARIANT(client) {
	unsigned int uid;
	kern_return_t answer;
};

FIXTURE_VARIANT_ADD(client, trusted) { .uid = 0, .answer = KERN_SUCCESS };
FIXTURE_VARIANT_ADD(client, untrusted) { .uid = 1234, .answer = KERN_INVALID_SECURITY };

FIXTURE_SETUP(client)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(client)
{
	made_end(&self->made);
}

TEST_F(client, a_server_sees_explicit_tokens_and_refuses_an_untrusted_client)
{
	const unsigned int uid = variant->uid;
	host_priv_t priv;
	host_security_t security;
	mach_port_t server;

	ASSERT_EQ(KERN_SUCCESS, get_security_port(&priv, &security));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &server));
	security_token_t st = { { uid, 77 } }, sender;
	audit_token_t at = { { 500, uid, 77, uid, 77, 9999, 3, 0 } }, audit;
	mach_port_t reply_name = MACH_PORT_NULL, server_name = 20;
	vm_address_t stack = 0;
	thread_act_t thread;
	task_t client;

	ASSERT_EQ(KERN_SUCCESS,
		  made_task_create_token(&self->made, security, mach_task_self(), st, at,
					 MACH_PORT_NULL, NULL, 0, TRUE, &client));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(client, server_name, server,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(client, MACH_PORT_RIGHT_RECEIVE,
						   &reply_name));
	/* The request, written into the client's copy of our memory. */
	struct request request = { 0 };
	struct mach_msg_args args = { 0 };
	int64_t zero = 0;

	request.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
	request.header.msgh_size = sizeof(request.header);
	request.header.msgh_remote_port = server_name;
	request.header.msgh_local_port = reply_name;
	request.header.msgh_id = 700;
	args.msg = (uintptr_t)&rpc_buffer;
	args.option = MACH_SEND_MSG | MACH_RCV_MSG;
	args.send_size = sizeof(request.header);
	args.rcv_size = sizeof(rpc_buffer);
	args.rcv_name = reply_name;
	ASSERT_EQ(KERN_SUCCESS, vm_write(client, (vm_address_t)&rpc_buffer,
					 (vm_offset_t)&request, sizeof(request)));
	ASSERT_EQ(KERN_SUCCESS, vm_write(client, (vm_address_t)&rpc_args,
					 (vm_offset_t)&args, sizeof(args)));
	ASSERT_EQ(KERN_SUCCESS, vm_write(client, (vm_address_t)&rpc_done,
					 (vm_offset_t)&zero, sizeof(zero)));

	ASSERT_EQ(KERN_SUCCESS, vm_allocate(client, &stack, 4 * PAGE,
					    VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, thread_create(client, &thread));
	ASSERT_EQ(KERN_SUCCESS, start_at(thread, (uint64_t)rpc_entry,
					 stack + 4 * PAGE - 8));
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread));

	ASSERT_EQ(MACH_MSG_SUCCESS, serve_one(server, &sender, &audit));
	EXPECT_EQ(0, memcmp(&st, &sender, sizeof(st)));
	EXPECT_EQ(0, memcmp(&at, &audit, sizeof(at)));
	EXPECT_EQ(variant->answer, rpc_outcome(client));
	task_terminate(client);
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), client);
}

/*
 * host_security_set_task_token on a running task: its messages and
 * task_info carry the new tokens; its process's credentials stay.
 */
TEST(set_task_token_changes_what_receivers_see)
{
	security_token_t st = { { 4321, 8765 } }, seen;
	audit_token_t at = { { 1, 4321, 8765, 4321, 8765, 31337, 2, 0 } }, seen_audit;
	host_priv_t priv;
	host_security_t security;
	struct audited_request msg;
	mach_port_t port, host;

	ASSERT_EQ(KERN_SUCCESS, get_security_port(&priv, &security));
	ASSERT_EQ(KERN_SUCCESS, host_security_set_task_token(security, mach_task_self(), st,
							     at, priv));
	tokens_of(mach_task_self(), &seen, &seen_audit);
	EXPECT_EQ(0, memcmp(&st, &seen, sizeof(st)));
	EXPECT_EQ(0, memcmp(&at, &seen_audit, sizeof(at)));
	EXPECT_EQ(0u, geteuid());
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_HOST_PORT, &host));
	EXPECT_EQ(priv, host);

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &port));
	memset(&msg, 0, sizeof(msg));
	msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	msg.header.msgh_size = sizeof(msg.header);
	msg.header.msgh_remote_port = port;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&msg.header, MACH_SEND_MSG, sizeof(msg.header), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&msg.header, MACH_RCV_MSG |
			   MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof(msg), port, 0, MACH_PORT_NULL));
	EXPECT_EQ(0, memcmp(&st, &msg.trailer.msgh_sender, sizeof(st)));
	EXPECT_EQ(0, memcmp(&at, &msg.trailer.msgh_audit, sizeof(at)));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_security_set_task_token(security, mach_host_self(), st, at,
					       MACH_PORT_NULL));
}

TEST_HARNESS_MAIN
