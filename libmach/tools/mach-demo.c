// SPDX-License-Identifier: GPL-2.0
/*
 * mach-demo: what works today, shown from inside the test VM
 * (`make demo` runs it with mach.ko loaded).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/host_security.h>
#include <mach/mach_exc.h>
#include <mach/mach_norma.h>
#include <mach/ioctl.h>

static void show(const char *what, kern_return_t kr)
{
	printf("  %-52s %s\n", what, mach_error_string(kr));
}

static void statm(unsigned long *size, unsigned long *resident)
{
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%lu %lu", size, resident) != 2)
		*size = *resident = 0;
	if (f)
		fclose(f);
	*size *= getpagesize();
	*resident *= getpagesize();
}

struct greeting {
	mach_msg_header_t header;
	char text[32];
};

union greeting_buffer {
	struct greeting msg;
	struct {
		struct greeting msg;
		mach_msg_audit_trailer_t trailer;
	} received;
};

/*
 * A server (this process) and a client (a forked child that finds the
 * server through the bootstrap port it inherited) exchange a request and
 * a reply on a send-once reply port.
 */
static void demo_messages(void)
{
	mach_port_t self = mach_task_self(), server;
	union greeting_buffer buf;
	pid_t client;

	printf("\nMessages between two processes\n");
	show("mach_port_allocate(RECEIVE)", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &server));
	show("mach_port_insert_right(MAKE_SEND)",
	     mach_port_insert_right(self, server, server, MACH_MSG_TYPE_MAKE_SEND));
	show("task_set_special_port(BOOTSTRAP)", task_set_special_port(self, TASK_BOOTSTRAP_PORT, server));
	fflush(stdout);

	client = fork();
	if (client == 0) {
		mach_port_t reply;
		kern_return_t kr;

		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
		memset(&buf, 0, sizeof(buf));
		buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		buf.msg.header.msgh_size = sizeof(buf.msg);
		buf.msg.header.msgh_remote_port = bootstrap_port;
		buf.msg.header.msgh_local_port = reply;
		buf.msg.header.msgh_id = 1;
		snprintf(buf.msg.text, sizeof(buf.msg.text), "hello from pid %d", getpid());
		kr = mach_msg(&buf.msg.header, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(buf.msg),
			      sizeof(buf), reply, 0, MACH_PORT_NULL);
		printf("  client: mach_msg(SEND|RCV) to bootstrap_port %-9u %s: \"%s\"\n",
		       bootstrap_port, mach_error_string(kr), buf.msg.text);
		fflush(stdout);
		_exit(kr != KERN_SUCCESS);
	}

	kern_return_t kr = mach_msg(&buf.msg.header, MACH_RCV_MSG |
				    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
				    0, sizeof(buf), server, 0, MACH_PORT_NULL);
	printf("  server: received \"%s\" (%s), id %d, sender pid %u (audit token)\n",
	       buf.msg.text, mach_error_string(kr), buf.msg.header.msgh_id,
	       buf.received.trailer.msgh_audit.val[5]);
	buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	buf.msg.header.msgh_local_port = MACH_PORT_NULL;
	buf.msg.header.msgh_size = sizeof(buf.msg);
	buf.msg.header.msgh_id = 101;
	snprintf(buf.msg.text, sizeof(buf.msg.text), "hello back from pid %d", getpid());
	show("server: mach_msg(SEND) the reply on the send-once right",
	     mach_msg(&buf.msg.header, MACH_SEND_MSG, sizeof(buf.msg), 0, MACH_PORT_NULL, 0,
		      MACH_PORT_NULL));
	fflush(stdout);
	waitpid(client, NULL, 0);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	mach_port_destroy(self, server);
}

/* The regions Mach shows in task, one line each. */
static void show_regions(task_t task)
{
	static const char *const inherit[] = { "share", "copy", "none" };
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count;
	vm_address_t at = 0;
	vm_size_t size;
	int shown = 0;

	for (;;) {
		count = VM_REGION_BASIC_INFO_COUNT_64;
		if (vm_region_64(task, &at, &size, VM_REGION_BASIC_INFO_64,
				 (vm_region_info_t)&info, &count, NULL) != KERN_SUCCESS)
			break;
		if (shown++ < 6)
			printf("      %#14lx %8lu KiB  %c%c%c  inherit %s\n", at,
			       size >> 10, info.protection & VM_PROT_READ ? 'r' : '-',
			       info.protection & VM_PROT_WRITE ? 'w' : '-',
			       info.protection & VM_PROT_EXECUTE ? 'x' : '-',
			       info.inheritance <= 2 ? inherit[info.inheritance] : "?");
		at += size;
	}
	if (shown > 6)
		printf("      ... %d regions in all\n", shown);
	if (!shown)
		printf("      (no regions: only the hidden stub page)\n");
}

static void demo_tasks(void)
{
	mach_port_t self = mach_task_self(), port, name;
	char *copied, *shared, *hidden, buf[32];
	vm_address_t at = 0;
	task_t child, empty;
	int pid;

	printf("\ntask_create: new tasks on new processes\n");
	copied = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared = copied + 4096;
	hidden = copied + 2 * 4096;
	strcpy(copied, "copied");
	strcpy(shared, "shared");
	strcpy(hidden, "hidden");
	show("vm_inherit(middle page, VM_INHERIT_SHARE)",
	     vm_inherit(self, (vm_address_t)shared, 4096, VM_INHERIT_SHARE));
	show("vm_inherit(last page, VM_INHERIT_NONE)",
	     vm_inherit(self, (vm_address_t)hidden, 4096, VM_INHERIT_NONE));
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	show("task_set_special_port(self, BOOTSTRAP, a new port)",
	     task_set_special_port(self, TASK_BOOTSTRAP_PORT, port));
	show("task_create(self, inherit_memory = TRUE)",
	     task_create(self, NULL, 0, TRUE, &child));
	pid_for_task(child, &pid);
	printf("    the child is pid %d; we hold its task port as name %u\n", pid, child);
	strcpy(copied, "parent wrote");
	strcpy(shared, "parent wrote");
	vm_read_overwrite(child, (vm_address_t)copied, 16, (vm_address_t)buf, NULL);
	printf("    copy page, after the parent wrote:  child reads \"%s\"\n", buf);
	vm_read_overwrite(child, (vm_address_t)shared, 16, (vm_address_t)buf, NULL);
	printf("    share page, after the parent wrote: child reads \"%s\"\n", buf);
	show("    none page: vm_read(child)",
	     vm_read_overwrite(child, (vm_address_t)hidden, 16, (vm_address_t)buf, NULL));
	vm_write(child, (vm_address_t)copied, (vm_offset_t)"child wrote", 12);
	printf("    vm_write(child, copy page): the parent still has \"%s\"\n", copied);

	task_get_special_port(child, TASK_BOOTSTRAP_PORT, &name);
	printf("    its bootstrap port is ours: name %u (ours is %u)\n", name, port);
	task_get_special_port(child, TASK_HOST_PORT, &name);
	printf("    its host port: name %u (mach_host_self() is %u)\n", name,
	       mach_host_self());
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL);
	mach_port_destroy(self, port);

	show("task_create(self, inherit_memory = FALSE)",
	     task_create(self, NULL, 0, FALSE, &empty));
	printf("    its regions:\n");
	show_regions(empty);
	show("    vm_allocate(empty, anywhere, 64 KiB)",
	     vm_allocate(empty, &at, 65536, VM_FLAGS_ANYWHERE));
	show("    mach_port_allocate(empty, RECEIVE)",
	     mach_port_allocate(empty, MACH_PORT_RIGHT_RECEIVE, &name));
	printf("    the receive right is fd %u of pid ", name);
	pid_for_task(empty, &pid);
	printf("%d; its regions now:\n", pid);
	show_regions(empty);

	show("task_suspend(child) twice", task_suspend(child) | task_suspend(child));
	show("task_resume(child) twice", task_resume(child) | task_resume(child));
	show("task_resume(child) once more", task_resume(child));
	show("task_terminate(child)", task_terminate(child));
	show("task_terminate(empty)", task_terminate(empty));
	show("task_info(terminated child)",
	     task_info(child, MACH_TASK_BASIC_INFO, (task_info_t)buf, &(mach_msg_type_number_t){ 0 }));
	mach_port_deallocate(self, child);
	mach_port_deallocate(self, empty);
	munmap(copied, 3 * 4096);
}

/*
 * The classic Mach exec path: an empty task, a program written into it, a
 * thread started at it. The program stores a word and spins:
 *   movabs $data, %rax; movl $0x600df00d, (%rax); jmp .
 */
static void demo_threads(void)
{
	unsigned char program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0xc7, 0x00, 0x0d, 0xf0, 0x0d, 0x60,
		0xeb, 0xfe,
	};
	mach_port_t self = mach_task_self();
	vm_address_t code = 0, data = 0;
	x86_thread_state64_t state = { 0 };
	thread_act_array_t list;
	mach_msg_type_number_t count;
	thread_act_t thread;
	unsigned int word = 0;
	task_t task;

	printf("\nthread_create: running a program inside an empty task\n");
	show("task_create(self, inherit_memory = FALSE)",
	     task_create(self, NULL, 0, FALSE, &task));
	vm_allocate(task, &code, 4096, VM_FLAGS_ANYWHERE);
	vm_allocate(task, &data, 4096, VM_FLAGS_ANYWHERE);
	memcpy(program + 2, &data, 8);
	show("vm_write(task, code page, 18 bytes of x86-64)",
	     vm_write(task, code, (vm_offset_t)program, sizeof(program)));
	show("vm_protect(task, code page, READ|EXECUTE)",
	     vm_protect(task, code, 4096, FALSE, VM_PROT_READ | VM_PROT_EXECUTE));
	show("thread_create(task)", thread_create(task, &thread));
	state.__rip = code;
	state.__rsp = data + 4096 - 64;
	state.__rflags = 0x202;
	show("thread_set_state(rip = the program, rsp = its stack)",
	     thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
			      x86_THREAD_STATE64_COUNT));
	show("thread_resume(thread)", thread_resume(thread));
	for (int i = 0; i < 200 && word != 0x600df00d; i++) {
		usleep(10000);
		vm_read_overwrite(task, data, 4, (vm_address_t)&word, NULL);
	}
	printf("    the word it stored, read back with vm_read: %#x\n", word);
	if (task_threads(task, &list, &count) == KERN_SUCCESS) {
		printf("    task_threads(task): %u thread(s)\n", count);
		vm_deallocate(self, (vm_address_t)list, count * sizeof(*list));
	}
	show("thread_terminate(thread)   (while it spins)", thread_terminate(thread));
	show("task_terminate(task)", task_terminate(task));
	mach_port_deallocate(self, thread);
	mach_port_deallocate(self, task);
}

/*
 * The handler mach_exc_server() calls, as a program built with MIG on XNU
 * has it: the child's load faulted on a page that is not there, so give
 * it one, with a word in it, and let the load go on.
 */
kern_return_t catch_mach_exception_raise(mach_port_t exception_port, mach_port_t thread,
					 mach_port_t task, exception_type_t exception,
					 mach_exception_data_t code,
					 mach_msg_type_number_t code_count)
{
	vm_address_t page = (vm_address_t)code[1] & ~4095ul;
	unsigned int word = 0x0ddba11;

	(void)exception_port;
	if (code_count != 2)
		return KERN_FAILURE;
	if (exception == EXC_GUARD) {	/* demo_guards()'s child: told, then ended */
		printf("    handler: EXC_GUARD, code %#llx (type %llu, reason %llu, name %llu),\n"
		       "             subcode %#llx (the guard)\n", (unsigned long long)code[0],
		       (unsigned long long)code[0] >> 61,
		       ((unsigned long long)code[0] >> 32) & 0x1fffffff,
		       (unsigned long long)code[0] & 0xffffffff, (unsigned long long)code[1]);
		fflush(stdout);
		return KERN_SUCCESS;
	}

	printf("    caught: exception %d (EXC_BAD_ACCESS), code %lld (KERN_INVALID_ADDRESS),\n"
	       "            address %#llx, from thread %u of task %u\n",
	       exception, (long long)code[0], (unsigned long long)code[1], thread, task);
	show("    handler: vm_allocate(task, that page, FIXED)",
	     vm_allocate(task, &page, 4096, VM_FLAGS_FIXED));
	show("    handler: vm_write(task, a word there)",
	     vm_write(task, (vm_address_t)code[1], (vm_offset_t)&word, sizeof(word)));
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	return KERN_SUCCESS;	/* the load runs again, and finds the word */
}

/*
 * An empty task's program loads from a page that is not there; its
 * creator holds its exception port, repairs the fault, and the program
 * goes on to store what it loaded:
 *   movabs $missing,%rax; mov (%rax),%ecx; movabs $data,%rax;
 *   mov %ecx,(%rax); jmp .
 */
static void demo_exceptions(void)
{
	unsigned char program[] = {
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0x8b, 0x08,
		0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		0x89, 0x08,
		0xeb, 0xfe,
	};
	mach_port_t self = mach_task_self(), port;
	vm_address_t code = 0, data = 0, missing;
	x86_thread_state64_t state = { 0 };
	thread_act_t thread;
	unsigned int word = 0;
	task_t task;

	printf("\nExceptions: a fault in a child task, caught and repaired\n");
	task_create(self, NULL, 0, FALSE, &task);
	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	show("task_set_exception_ports(task, BAD_ACCESS, port)",
	     task_set_exception_ports(task, EXC_MASK_BAD_ACCESS, port,
				      EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, THREAD_STATE_NONE));
	vm_allocate(task, &code, 4096, VM_FLAGS_ANYWHERE);
	vm_allocate(task, &data, 2 * 4096, VM_FLAGS_ANYWHERE);
	vm_deallocate(task, data + 4096, 4096);	/* a hole right after data */
	missing = data + 4096 + 16;
	memcpy(program + 2, &missing, 8);
	memcpy(program + 14, &data, 8);
	vm_write(task, code, (vm_offset_t)program, sizeof(program));
	vm_protect(task, code, 4096, FALSE, VM_PROT_READ | VM_PROT_EXECUTE);
	thread_create(task, &thread);
	state.__rip = code;
	state.__rsp = data + 4096 - 64;
	state.__rflags = 0x202;
	thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
			 x86_THREAD_STATE64_COUNT);
	show("thread_resume(thread)   (it loads from an unmapped page)", thread_resume(thread));
	fflush(stdout);
	show("mach_msg_server_once(mach_exc_server)",
	     mach_msg_server_once(mach_exc_server,
				  sizeof(union __RequestUnion__mach_exc_subsystem) +
				  MAX_TRAILER_SIZE, port, 0));
	for (int i = 0; i < 200 && word != 0x0ddba11; i++) {
		usleep(10000);
		vm_read_overwrite(task, data, 4, (vm_address_t)&word, NULL);
	}
	printf("    what the program stored after the repair: %#x\n", word);
	task_terminate(task);
	mach_port_deallocate(self, thread);
	mach_port_deallocate(self, task);
	mach_port_destroy(self, port);
}

/* The guard-breaking child's EXC_GUARD handler: a thread of its own. */
static void *serve_guard_exceptions(void *port)
{
	mach_msg_server(mach_exc_server, 4096, (mach_port_t)(uintptr_t)port, 0);
	return NULL;
}

/*
 * A child guards a port, then destroys it without the guard: as on XNU,
 * its handler is told (EXC_GUARD), and then the process ends.
 */
static void demo_guards(void)
{
	int status = 0;
	pid_t pid;

	printf("\nPort guards: a broken guard is fatal, as on XNU\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		mach_port_options_t options = { .flags = MPO_CONTEXT_AS_GUARD };
		mach_port_t self = mach_task_self(), exc, port;
		pthread_t handler;

		mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &exc);
		mach_port_insert_right(self, exc, exc, MACH_MSG_TYPE_MAKE_SEND);
		task_set_exception_ports(self, EXC_MASK_GUARD, exc,
					 EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES, THREAD_STATE_NONE);
		pthread_create(&handler, NULL, serve_guard_exceptions, (void *)(uintptr_t)exc);
		show("mach_port_construct(CONTEXT_AS_GUARD, 0xfeed)",
		     mach_port_construct(self, &options, 0xfeed, &port));
		printf("  mach_port_destroy(self, name %u)   (without the guard)\n", port);
		fflush(stdout);
		mach_port_destroy(self, port);
		printf("    the call came back: not as XNU\n");
		_exit(1);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("    the child was killed by signal %d, the call never returned\n",
		       WTERMSIG(status));
	else
		printf("    the child exited with %d\n", WEXITSTATUS(status));
}

/* A request with a send-once reply right, and its answer. */
struct request {
	mach_msg_header_t header;
	mach_msg_audit_trailer_t trailer;
};
struct answer {
	mach_msg_header_t header;
	NDR_record_t ndr;
	kern_return_t code;
	mach_msg_trailer_t trailer;
};

/*
 * What the client task runs, on its copy of this program: one RPC through
 * its /dev/mach (fd 0 in a shell) with the arguments written into it.
 */
static union {
	struct request request;
	struct answer answer;
} rpc_buffer;
static struct mach_msg_args rpc_args;
static volatile long rpc_done;

static void __attribute__((noinline, noreturn)) rpc_client(void)
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

/* Starts rpc_client in task: a request to its send right server_name. */
static kern_return_t start_client(task_t task, mach_port_t server_name,
				  mach_port_t reply_name)
{
	struct request request = { 0 };
	struct mach_msg_args args = { 0 };
	x86_thread_state64_t state = { 0 };
	vm_address_t stack = 0;
	thread_act_t thread;
	long zero = 0;

	request.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
	request.header.msgh_size = sizeof(request.header);
	request.header.msgh_remote_port = server_name;
	request.header.msgh_local_port = reply_name;
	args.msg = (uintptr_t)&rpc_buffer;
	args.option = MACH_SEND_MSG | MACH_RCV_MSG;
	args.send_size = sizeof(request.header);
	args.rcv_size = sizeof(rpc_buffer);
	args.rcv_name = reply_name;
	vm_write(task, (vm_address_t)&rpc_buffer, (vm_offset_t)&request, sizeof(request));
	vm_write(task, (vm_address_t)&rpc_args, (vm_offset_t)&args, sizeof(args));
	vm_write(task, (vm_address_t)&rpc_done, (vm_offset_t)&zero, sizeof(zero));
	vm_allocate(task, &stack, 16384, VM_FLAGS_ANYWHERE);
	if (thread_create(task, &thread) != KERN_SUCCESS)
		return KERN_FAILURE;
	state.__rip = (uint64_t)rpc_client;
	state.__rsp = stack + 16384 - 8;
	state.__rflags = 0x202;
	thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&state,
			 x86_THREAD_STATE64_COUNT);
	kern_return_t kr = thread_resume(thread);
	mach_port_deallocate(mach_task_self(), thread);
	return kr;
}

static void print_status(pid_t pid, const char *key)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			printf("    /proc/%d/status %s", pid, line);
	if (f)
		fclose(f);
}

/*
 * The host security port makes a task with a chosen identity: its process
 * runs as that uid, and a server sees the token in each request's trailer.
 */
static void demo_security(void)
{
	mach_port_t self = mach_task_self(), server, reply_name = MACH_PORT_NULL;
	security_token_t token = { { 1234, 1234 } };
	audit_token_t audit = { { 1234, 1234, 1234, 1234, 1234, 0, 42, 0 } };
	host_basic_info_data_t basic;
	host_node_info_data_t nodes;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	host_priv_t priv;
	host_security_t security;
	struct request request;
	struct answer answer;
	long done = 0;
	task_t client;
	int pid = 0;

	printf("\nThe host, its security port, and a task with a chosen token\n");
	show("host_info(HOST_BASIC_INFO)", host_info(mach_host_self(), HOST_BASIC_INFO,
						      (host_info_t)&basic, &count));
	count = HOST_NODE_INFO_COUNT;
	host_info(mach_host_self(), HOST_NODE_INFO, (host_info_t)&nodes, &count);
	printf("    %d CPUs, %llu MiB, %d NUMA nodes\n", basic.avail_cpus,
	       (unsigned long long)basic.max_mem >> 20, nodes.node_count);
	show("host_get_host_priv_port()   (we are root)",
	     host_get_host_priv_port(mach_host_self(), &priv));
	show("host_get_special_port(HOST_SECURITY_PORT)",
	     host_get_special_port(priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT, &security));
	show("host_security_create_task_token(host port instead)",
	     host_security_create_task_token(mach_host_self(), self, token, audit, MACH_PORT_NULL,
					     NULL, 0, TRUE, &client));
	show("host_security_create_task_token(uid 1234, TRUE)",
	     host_security_create_task_token(security, self, token, audit, MACH_PORT_NULL,
					     NULL, 0, TRUE, &client));
	pid_for_task(client, &pid);
	print_status(pid, "Uid:");
	print_status(pid, "Gid:");

	mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &server);
	mach_port_insert_right(client, 20, server, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_allocate(client, MACH_PORT_RIGHT_RECEIVE, &reply_name);
	show("thread in the client: a request to our server", start_client(client, 20, reply_name));
	show("server: mach_msg(RCV, audit trailer)",
	     mach_msg(&request.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
		      MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
		      0, sizeof(request), server, 5000, MACH_PORT_NULL));
	printf("    sender's security token: uid %u gid %u; audit token: auid %u asid %u\n",
	       request.trailer.msgh_sender.val[0], request.trailer.msgh_sender.val[1],
	       request.trailer.msgh_audit.val[0], request.trailer.msgh_audit.val[6]);
	memset(&answer, 0, sizeof(answer));
	answer.header.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(request.header.msgh_bits), 0);
	answer.header.msgh_size = sizeof(answer) - sizeof(answer.trailer);
	answer.header.msgh_remote_port = request.header.msgh_remote_port;
	answer.code = request.trailer.msgh_sender.val[0] == 0 ? KERN_SUCCESS : KERN_INVALID_SECURITY;
	show("server: reply (it trusts uid 0 only)",
	     mach_msg(&answer.header, MACH_SEND_MSG, answer.header.msgh_size, 0,
		      MACH_PORT_NULL, 0, MACH_PORT_NULL));
	for (int i = 0; i < 200 && !done; i++) {
		usleep(10000);
		vm_read_overwrite(client, (vm_address_t)&rpc_done, sizeof(done),
				  (vm_address_t)&done, NULL);
	}
	vm_read_overwrite(client, (vm_address_t)&rpc_buffer.answer, sizeof(answer),
			  (vm_address_t)&answer, NULL);
	printf("    the client read its answer: %s\n",
	       done == 1 ? mach_error_string(answer.code) : "(none)");
	show("task_terminate(client)", task_terminate(client));
	mach_port_deallocate(self, client);
	mach_port_destroy(self, server);
}

/* Pages of region in task's process per node: counts[0], counts[1]. */
static void count_nodes(task_t task, vm_address_t region, size_t size, int counts[2])
{
	static void *pages[2048];
	static int status[2048];
	size_t n = size / 4096;
	int pid = 0;

	counts[0] = counts[1] = 0;
	if (n > 2048 || pid_for_task(task, &pid) != KERN_SUCCESS)
		return;
	for (size_t i = 0; i < n; i++)
		pages[i] = (void *)(region + i * 4096);
	if (syscall(SYS_move_pages, pid, n, pages, NULL, status, 0) != 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (status[i] == 0 || status[i] == 1)
			counts[status[i]]++;
}

/* NORMA: a task made on node 0, its memory there, teleported to node 1. */
static void demo_norma(void)
{
	const size_t size = 8 << 20;
	task_node_info_data_t where;
	mach_msg_type_number_t count;
	unsigned long node0 = 1;
	vm_address_t region = 0;
	task_t task, moved;
	int counts[2], pid = 0;
	char *bytes = malloc(size);

	printf("\nNORMA: tasks on NUMA nodes\n");
	show("norma_task_create(self, FALSE, node 0)",
	     norma_task_create(mach_task_self(), FALSE, 0, &task));
	vm_allocate(task, &region, size, VM_FLAGS_ANYWHERE);
	memset(bytes, 'n', size);
	syscall(SYS_set_mempolicy, 2 /* MPOL_BIND */, &node0, 64);
	show("vm_write(task, 8 MiB)   (faulted in on node 0)",
	     vm_write(task, region, (vm_offset_t)bytes, size));
	syscall(SYS_set_mempolicy, 0, NULL, 0);
	pid_for_task(task, &pid);
	count_nodes(task, region, size, counts);
	printf("    pid %d: %d pages on node 0, %d on node 1 (move_pages)\n", pid,
	       counts[0], counts[1]);
	show("norma_task_teleport(task, TRUE, node 1)",
	     norma_task_teleport(task, TRUE, 1, &moved));
	count = TASK_NODE_INFO_COUNT;
	show("task_info(old task)   (it was terminated)",
	     task_info(task, TASK_NODE_INFO, (task_info_t)&where, &count));
	count = TASK_NODE_INFO_COUNT;
	task_info(moved, TASK_NODE_INFO, (task_info_t)&where, &count);
	pid_for_task(moved, &pid);
	count_nodes(moved, region, size, counts);
	printf("    the new task: pid %d, TASK_NODE_INFO node %d\n", pid, where.node);
	printf("    its memory: %d pages on node 0, %d on node 1\n", counts[0], counts[1]);
	show("task_terminate(new task)", task_terminate(moved));
	mach_port_deallocate(mach_task_self(), moved);
	mach_port_deallocate(mach_task_self(), task);
	free(bytes);
}

/*
 * The operator's view: machctl(8) over the "mach" generic netlink family,
 * its event stream (machctl watch) running while a task is made, suspended,
 * resumed and terminated, then machctl tasks, threads and ports.
 */
static void demo_machctl(void)
{
	char cmd[64];
	task_t child;
	pid_t watcher;
	int pid = 0;

	printf("\nThe operator's view: machctl (generic netlink family \"mach\")\n");
	if (system("command -v machctl >/dev/null 2>&1")) {
		printf("  no machctl in PATH\n");
		return;
	}
	printf("  machctl watch, while a task is made, suspended, resumed and terminated:\n");
	fflush(stdout);
	watcher = fork();
	if (watcher == 0) {
		execlp("machctl", "machctl", "watch", NULL);
		_exit(127);
	}
	usleep(300000);		/* it listens by now */
	if (task_create(mach_task_self(), NULL, 0, FALSE, &child) == KERN_SUCCESS) {
		pid_for_task(child, &pid);
		task_suspend(child);
		task_resume(child);
		task_suspend(child);
	}
	usleep(300000);
	printf("\n  machctl tasks:\n");
	fflush(stdout);
	if (system("machctl tasks"))
		printf("  (machctl tasks failed)\n");
	snprintf(cmd, sizeof(cmd), "machctl threads %d", pid);
	printf("\n  %s (the child: its agent only):\n", cmd);
	fflush(stdout);
	if (system(cmd))
		printf("  (machctl threads failed)\n");
	snprintf(cmd, sizeof(cmd), "machctl ports %d", getpid());
	printf("\n  %s (this task's names):\n", cmd);
	fflush(stdout);
	if (system(cmd))
		printf("  (machctl ports failed)\n");
	if (pid) {
		snprintf(cmd, sizeof(cmd), "machctl terminate %d", pid);
		printf("\n  %s, as the operator (watch tells why it ended):\n", cmd);
		fflush(stdout);
		if (system(cmd))
			printf("  (machctl terminate failed)\n");
		mach_port_deallocate(mach_task_self(), child);
	}
	usleep(300000);
	kill(watcher, SIGTERM);
	waitpid(watcher, NULL, 0);
}

/* A stand-in for a task: logs each request it gets, forwards it, relays the answer. */
static mach_port_t proxy_port, proxy_real;

static void *proxy_main(void *arg)
{
	static union {
		mach_msg_header_t head;
		char bytes[8192];
	} b;
	mach_port_t reply = mach_reply_port();

	(void)arg;
	while (mach_msg(&b.head, MACH_RCV_MSG, 0, sizeof(b), proxy_port, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL) == MACH_MSG_SUCCESS && b.head.msgh_id != 0) {
		mach_port_t client = b.head.msgh_remote_port;
		mach_msg_bits_t client_bits = MACH_MSGH_BITS_REMOTE(b.head.msgh_bits);
		mach_msg_id_t id = b.head.msgh_id;

		b.head.msgh_bits = (b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
				   MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		b.head.msgh_remote_port = proxy_real;
		b.head.msgh_local_port = reply;
		if (mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG, b.head.msgh_size, sizeof(b),
			     reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			break;
		printf("    proxy: request %d forwarded, reply %d relayed\n", id, b.head.msgh_id);
		fflush(stdout);
		b.head.msgh_bits = (b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
				   MACH_MSGH_BITS(client_bits, 0);
		b.head.msgh_remote_port = client;
		b.head.msgh_local_port = MACH_PORT_NULL;
		mach_msg(&b.head, MACH_SEND_MSG, b.head.msgh_size, 0, MACH_PORT_NULL,
			 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
	return NULL;
}

static void demo_proxy(void)
{
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	mach_msg_header_t stop = { 0 };
	vm_address_t address = 0;
	pthread_t thread;
	task_t child;

	printf("\nKernel objects answer messages; any port can stand in for a task\n");
	if (task_create(mach_task_self(), NULL, 0, FALSE, &child) != KERN_SUCCESS)
		return;
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &proxy_port);
	mach_port_insert_right(mach_task_self(), proxy_port, proxy_port, MACH_MSG_TYPE_MAKE_SEND);
	proxy_real = child;
	pthread_create(&thread, NULL, proxy_main, NULL);
	printf("  a proxy thread serves port %u for the task of port %u\n", proxy_port, child);
	show("task_suspend(proxy)", task_suspend(proxy_port));
	show("task_info(proxy, MACH_TASK_BASIC_INFO)",
	     task_info(proxy_port, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	printf("    suspend count through the proxy: %d\n", info.suspend_count);
	show("task_resume(proxy)", task_resume(proxy_port));
	show("vm_allocate(proxy, anywhere, one page)",
	     vm_allocate(proxy_port, &address, 4096, VM_FLAGS_ANYWHERE));
	show("vm_deallocate(child itself, that page)", vm_deallocate(child, address, 4096));
	stop.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	stop.msgh_size = sizeof(stop);
	stop.msgh_remote_port = proxy_port;
	mach_msg(&stop, MACH_SEND_MSG, sizeof(stop), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
	pthread_join(thread, NULL);
	mach_port_destroy(mach_task_self(), proxy_port);
	task_terminate(child);
	mach_port_deallocate(mach_task_self(), child);
}

int main(void)
{
	mach_port_t self = mach_task_self();
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	unsigned long size, resident;
	kern_return_t kr;
	int status;

	printf("mach-demo: the Mach task model on Linux %s\n\n", "(mach.ko)");
	if (self == MACH_PORT_NULL) {
		printf("no /dev/mach: is mach.ko loaded?\n");
		return 1;
	}
	printf("The self task (pid %d)\n", getpid());
	printf("  mach_task_self()                                     name %u (an fd of this process)\n", self);
	printf("  mach_task_self() again                               name %u\n", mach_task_self());

	kr = task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count);
	show("task_info(MACH_TASK_BASIC_INFO)", kr);
	if (kr != KERN_SUCCESS)
		return 1;
	statm(&size, &resident);
	printf("    virtual size      %10llu KiB   (/proc/self/statm: %lu KiB)\n",
	       (unsigned long long)info.virtual_size >> 10, size >> 10);
	printf("    resident size     %10llu KiB   (/proc/self/statm: %lu KiB)\n",
	       (unsigned long long)info.resident_size >> 10, resident >> 10);
	printf("    resident max      %10llu KiB\n",
	       (unsigned long long)info.resident_size_max >> 10);
	printf("    suspend count     %10d\n", info.suspend_count);
	printf("    user/system time  %d.%06d s / %d.%06d s (terminated threads)\n",
	       info.user_time.seconds, info.user_time.microseconds,
	       info.system_time.seconds, info.system_time.microseconds);

	printf("\nRights are Mach rights, not plain fds\n");
	printf("  task_self_trap()                                     name %u (same name, one more uref)\n",
	       task_self_trap());
	show("mach_port_deallocate(self, self)   (the extra uref)", mach_port_deallocate(self, self));

	fflush(stdout);
	if (fork() == 0) {
		count = MACH_TASK_BASIC_INFO_COUNT;
		printf("  in a forked child (pid %d), its own task is name %u\n", getpid(), mach_task_self());
		show("  child: task_info(parent's name)", task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
		fflush(stdout);
		_exit(0);
	}
	wait(&status);

	demo_messages();
	demo_tasks();
	demo_threads();
	demo_exceptions();
	demo_guards();
	demo_proxy();
	demo_security();
	demo_norma();
	demo_machctl();

	printf("\nGiving rights back\n");
	show("mach_port_deallocate(self, self)   (the last uref)", mach_port_deallocate(self, self));
	count = MACH_TASK_BASIC_INFO_COUNT;
	show("task_info(deallocated name)", task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	show("task_create(deallocated name)", task_create(self, NULL, 0, 1, &self));
	printf("\nmach-demo: done\n");
	return 0;
}
