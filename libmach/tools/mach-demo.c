// SPDX-License-Identifier: GPL-2.0
/*
 * mach-demo: what works today, shown from inside the test VM
 * (`make demo` runs it with mach.ko loaded).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>

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

	printf("\nGiving rights back\n");
	show("mach_port_deallocate(self, self)   (the last uref)", mach_port_deallocate(self, self));
	count = MACH_TASK_BASIC_INFO_COUNT;
	show("task_info(deallocated name)", task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	show("task_create(deallocated name)", task_create(self, NULL, 0, 1, &self));
	printf("\nmach-demo: done\n");
	return 0;
}
