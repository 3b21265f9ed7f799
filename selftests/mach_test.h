/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the mach selftests. */
#ifndef MACH_TEST_H
#define MACH_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/host_security.h>
#include <mach/mach_norma.h>

/*
 * Keeps transparent huge pages off [addr, addr + size), so that a write
 * there costs one page: 0, or -1 if that failed. A kernel built without
 * them (Debian's PREEMPT_RT kernels) refuses the madvise with EINVAL and
 * has none to keep off: 0 too.
 */
static inline int no_huge_pages(void *addr, size_t size)
{
	if (madvise(addr, size, MADV_NOHUGEPAGE) == 0)
		return 0;
	if (errno == EINVAL &&
	    access("/sys/kernel/mm/transparent_hugepage", F_OK) != 0)
		return 0;
	return -1;
}

/* A small file's text (a /proc or /sys one), NUL-terminated; 0 or -1. */
static inline int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* /proc/self/statm's size and resident fields, in bytes; no allocation. */
static inline int read_statm(unsigned long long *size,
			     unsigned long long *resident)
{
	char buf[256];
	unsigned long long s, r;

	if (read_text("/proc/self/statm", buf, sizeof(buf)))
		return -1;
	if (sscanf(buf, "%llu %llu", &s, &r) != 2)
		return -1;
	*size = s * (unsigned long long)getpagesize();
	*resident = r * (unsigned long long)getpagesize();
	return 0;
}

/* A number of /sys/class/misc/mach/<name>, or -1. */
static inline long mach_stat(const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/class/misc/mach/%s", name);
	if (read_text(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/* A message carrying one port right. */
struct port_msg {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	mach_msg_trailer_t trailer;
};

/*
 * Sends port (with disposition) in a message to the send right to, waiting
 * at most timeout_ms for room in its queue (MACH_MSG_TIMEOUT_NONE: as long
 * as it takes).
 */
static inline mach_msg_return_t send_port_within(mach_port_t to, mach_port_t port,
						 mach_msg_type_name_t disposition,
						 mach_msg_timeout_t timeout_ms)
{
	struct port_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
			       MACH_MSGH_BITS_COMPLEX;
	msg.header.msgh_size = sizeof(msg) - sizeof(msg.trailer);
	msg.header.msgh_remote_port = to;
	msg.body.msgh_descriptor_count = 1;
	msg.port.name = port;
	msg.port.disposition = disposition;
	msg.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&msg.header, MACH_SEND_MSG |
			(timeout_ms != MACH_MSG_TIMEOUT_NONE ? MACH_SEND_TIMEOUT : 0),
			msg.header.msgh_size, 0, MACH_PORT_NULL, timeout_ms, MACH_PORT_NULL);
}

/* Sends port (with disposition) in a message to the send right to. */
static inline mach_msg_return_t send_port(mach_port_t to, mach_port_t port,
					  mach_msg_type_name_t disposition)
{
	return send_port_within(to, port, disposition, MACH_MSG_TIMEOUT_NONE);
}

/* Receives such a message on from (5 s at most); the right's name or null. */
static inline mach_port_t receive_port(mach_port_t from)
{
	struct port_msg msg;

	if (mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(msg),
		     from, 5000, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return MACH_PORT_NULL;
	return msg.port.name;
}

/* xorshift64*: reproducible noise without libc's rand state. */
static inline uint64_t test_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* splitmix64: a seed of its own for each of many from one. */
static inline uint64_t test_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A new receive right with a send right under the same name, or null. */
static inline mach_port_t new_port(void)
{
	mach_port_t port = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ||
	    mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND))
		return MACH_PORT_NULL;
	return port;
}

/* A page of task holding program, read and execute only, at *code. */
static inline kern_return_t write_code(task_t task, const void *program, size_t size,
				       vm_address_t *code)
{
	kern_return_t kr;

	*code = 0;
	kr = vm_allocate(task, code, 4096, VM_FLAGS_ANYWHERE);
	if (kr == KERN_SUCCESS)
		kr = vm_write(task, *code, (vm_offset_t)program, size);
	if (kr == KERN_SUCCESS)
		kr = vm_protect(task, *code, 4096, FALSE, VM_PROT_READ | VM_PROT_EXECUTE);
	return kr;
}

/* A suspended thread's state: to start at rip with stack rsp, the rest 0. */
static inline kern_return_t start_at(thread_act_t thread, uint64_t rip, uint64_t rsp)
{
	x86_thread_state64_t state = { 0 };

	state.__rip = rip;
	state.__rsp = rsp;
	state.__rflags = 0x202;
	return thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
				x86_THREAD_STATE64_COUNT);
}

/* A line of /proc/<pid>/status ("Uid:", "CapEff:", ...), without the key. */
static inline int proc_status_line(pid_t pid, const char *key, char *out, size_t size)
{
	char path[64], line[256];
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, strlen(key))) {
			const char *value = line + strlen(key) + 1;
			size_t len = strcspn(value, "\n");

			if (len >= size)
				len = size - 1;
			memcpy(out, value, len);
			out[len] = '\0';
			for (size_t n = strlen(out); n && out[n - 1] == ' '; n--)
				out[n - 1] = '\0';
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

/* Waits up to 5 s for the word at address in task to become want. */
static inline int await_word(task_t task, vm_address_t address, uint32_t want)
{
	uint32_t got = 0;

	for (int i = 0; i < 500; i++) {
		if (vm_read_overwrite(task, address, sizeof(got), (vm_address_t)&got,
				      NULL) == KERN_SUCCESS && got == want)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * libmach has the module make the task's agent when a call first needs
 * one: vm_protect() of our own memory does (mprotect() runs in its
 * hands). 0, or -1.
 */
static inline int make_own_agent(void)
{
	vm_address_t addr = 0;

	if (vm_allocate(mach_task_self(), &addr, 4096, VM_FLAGS_ANYWHERE) ||
	    vm_protect(mach_task_self(), addr, 4096, FALSE, VM_PROT_READ))
		return -1;
	return 0;
}

/* Threads in task, as task_threads counts them; -1 if it fails. */
static inline int thread_count(task_t task)
{
	thread_act_array_t threads;
	mach_msg_type_number_t count;

	if (task_threads(task, &threads, &count) != KERN_SUCCESS)
		return -1;
	for (unsigned int i = 0; i < count; i++)
		mach_port_deallocate(mach_task_self(), threads[i]);
	vm_deallocate(mach_task_self(), (vm_address_t)threads, count * sizeof(*threads));
	return count;
}

/*
 * A port of ours, set as our bootstrap port: a process we fork inherits
 * a send right to it there. MACH_PORT_NULL if any step fails.
 */
static inline mach_port_t serve_as_bootstrap(void)
{
	mach_port_t port = new_port();

	if (port == MACH_PORT_NULL || task_set_bootstrap_port(mach_task_self(), port))
		return MACH_PORT_NULL;
	return port;
}

/*
 * What a test makes that would outlive it: tasks (a shell runs on until
 * terminated) and forked processes. A fixture holds a struct made; the
 * test hands each task or child to it as it makes it (the made_* calls
 * below make and hand over in one step), and the fixture's teardown calls
 * made_end(), which the harness runs after a failed ASSERT too. Threads,
 * ports and memory of our own go with our process and need no entry.
 */
#define MADE_MAX 32

struct made {
	pid_t owner;			/* the process that made them */
	unsigned int tasks, children;
	task_t task[MADE_MAX];
	int task_pid[MADE_MAX];		/* the shell's pid, to know the name */
	pid_t child[MADE_MAX];
};

/* From the fixture's setup: nothing made yet, by this process. */
static inline void made_begin(struct made *made)
{
	memset(made, 0, sizeof(*made));
	made->owner = getpid();
}

/* Keeps task for made_end; returns it. */
static inline task_t made_task(struct made *made, task_t task)
{
	int pid = 0;

	if (task == MACH_PORT_NULL || made->tasks == MADE_MAX ||
	    pid_for_task(task, &pid) != KERN_SUCCESS || pid <= 0)
		return task;
	made->task[made->tasks] = task;
	made->task_pid[made->tasks++] = pid;
	return task;
}

/* Keeps a forked child for made_end (not in the child itself); returns pid. */
static inline pid_t made_child(struct made *made, pid_t pid)
{
	if (pid > 0 && made->children < MADE_MAX)
		made->child[made->children++] = pid;
	return pid;
}

static inline pid_t made_fork(struct made *made)
{
	return made_child(made, fork());
}

static inline kern_return_t made_task_create(struct made *made, task_t parent,
					     ledger_array_t ledgers,
					     mach_msg_type_number_t count,
					     boolean_t inherit_memory, task_t *child)
{
	kern_return_t kr = task_create(parent, ledgers, count, inherit_memory, child);

	if (kr == KERN_SUCCESS)
		made_task(made, *child);
	return kr;
}

static inline kern_return_t made_norma_task_create(struct made *made, task_t parent,
						   boolean_t inherit_memory, int node,
						   task_t *child)
{
	kern_return_t kr = norma_task_create(parent, inherit_memory, node, child);

	if (kr == KERN_SUCCESS)
		made_task(made, *child);
	return kr;
}

static inline kern_return_t made_norma_task_clone(struct made *made, task_t parent,
						  boolean_t inherit_memory, int node,
						  task_t *child)
{
	kern_return_t kr = norma_task_clone(parent, inherit_memory, node, child);

	if (kr == KERN_SUCCESS)
		made_task(made, *child);
	return kr;
}

static inline kern_return_t made_norma_task_teleport(struct made *made, task_t task,
						     boolean_t inherit_memory, int node,
						     task_t *child)
{
	kern_return_t kr = norma_task_teleport(task, inherit_memory, node, child);

	if (kr == KERN_SUCCESS)
		made_task(made, *child);
	return kr;
}

static inline kern_return_t
made_task_create_token(struct made *made, host_security_t host_security, task_t parent,
		       security_token_t security, audit_token_t audit, host_t host,
		       ledger_array_t ledgers, mach_msg_type_number_t count,
		       boolean_t inherit_memory, task_t *child)
{
	kern_return_t kr = host_security_create_task_token(host_security, parent, security,
							   audit, host, ledgers, count,
							   inherit_memory, child);

	if (kr == KERN_SUCCESS)
		made_task(made, *child);
	return kr;
}

/*
 * Terminates every task still named as it was made (a name the test has
 * given up may name something else since), and kills and reaps every
 * child not reaped yet. Only in the process that made them: a forked
 * child that fails an ASSERT runs the teardown too.
 */
static inline void made_end(struct made *made)
{
	if (made->owner != getpid())
		return;
	while (made->tasks) {
		task_t task = made->task[--made->tasks];
		int pid = 0;

		if (task != mach_task_self() &&
		    pid_for_task(task, &pid) == KERN_SUCCESS &&
		    pid == made->task_pid[made->tasks])
			task_terminate(task);
	}
	while (made->children) {
		pid_t pid = made->child[--made->children];

		/* 0: a child of ours, alive, not reaped: no other pid's. */
		if (waitpid(pid, NULL, WNOHANG) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
	}
}

#endif /* MACH_TEST_H */
