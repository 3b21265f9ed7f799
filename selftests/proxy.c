// SPDX-License-Identifier: GPL-2.0
/*
 * A port stands in for a task or a thread: libmach's calls on a port that
 * is no kernel object's go to it as MIG requests, and a proxy that
 * forwards each request to the real object and relays the reply makes the
 * calls act on that object, with the answers a direct call gives.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

FIXTURE(proxy) {
	struct made made;
	task_t child;
	struct proxy task_proxy;
};

FIXTURE_SETUP(proxy)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &self->child));
	proxy_start(&self->task_proxy, self->child);
}

FIXTURE_TEARDOWN(proxy)
{
	proxy_stop(&self->task_proxy);
	made_end(&self->made);
}

static int suspend_count(task_t task)
{
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	if (task_info(task, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count))
		return -1;
	return info.suspend_count;
}

TEST_F(proxy, task_calls_on_a_stand_in_reach_the_task)
{
	mach_port_t stand_in = self->task_proxy.port;
	mach_task_basic_info_data_t direct, proxied;
	mach_msg_type_number_t count;

	ASSERT_EQ(KERN_SUCCESS, task_suspend(stand_in));
	EXPECT_EQ(1, suspend_count(self->child));
	EXPECT_EQ(1, suspend_count(stand_in));
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(self->child, MACH_TASK_BASIC_INFO,
					  (task_info_t)&direct, &count));
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(stand_in, MACH_TASK_BASIC_INFO,
					  (task_info_t)&proxied, &count));
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, count);
	EXPECT_EQ(0, memcmp(&direct, &proxied, sizeof(direct)));
	ASSERT_EQ(KERN_SUCCESS, task_resume(stand_in));
	EXPECT_EQ(0, suspend_count(self->child));
	/* The same error both ways. */
	EXPECT_EQ(task_resume(self->child), task_resume(stand_in));
	EXPECT_EQ(5, self->task_proxy.forwarded);	/* each call on the stand-in */

	/* Special ports, set and read through the stand-in. */
	mach_port_t port = new_port(), got = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(stand_in, TASK_BOOTSTRAP_PORT, port));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(self->child, TASK_BOOTSTRAP_PORT, &got));
	EXPECT_EQ(port, got);
	got = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(stand_in, TASK_BOOTSTRAP_PORT, &got));
	EXPECT_EQ(port, got);
}

TEST_F(proxy, port_and_vm_calls_on_a_stand_in_reach_the_tasks_space)
{
	mach_port_t stand_in = self->task_proxy.port, name = MACH_PORT_NULL;
	mach_port_type_t type;
	mach_port_urefs_t refs;
	const vm_size_t page = getpagesize();
	vm_address_t address = 0;
	char buf[8] = { 0 };
	vm_size_t size;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(stand_in, MACH_PORT_RIGHT_RECEIVE, &name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self->child, name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	type = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(stand_in, name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(stand_in, name, MACH_PORT_RIGHT_RECEIVE,
						   &refs));
	EXPECT_EQ(1, refs);
	EXPECT_EQ(mach_port_mod_refs(self->child, name, MACH_PORT_RIGHT_SEND, -1),
		  mach_port_mod_refs(stand_in, name, MACH_PORT_RIGHT_SEND, -1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(stand_in, name));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self->child, name, &type));

	ASSERT_EQ(KERN_SUCCESS, vm_allocate(stand_in, &address, 2 * page, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->child, address, (vm_offset_t)"proxy", 6));
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(stand_in, address, 6, (vm_address_t)buf,
						  &size));
	EXPECT_STREQ("proxy", buf);
	ASSERT_EQ(KERN_SUCCESS, vm_protect(stand_in, address, page, FALSE, VM_PROT_READ));
	vm_region_basic_info_data_64_t direct, proxied;
	vm_address_t at = address, at2 = address;
	vm_size_t bytes, bytes2;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_port_t object;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(self->child, &at, &bytes, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&direct, &count, &object));
	count = VM_REGION_BASIC_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(stand_in, &at2, &bytes2, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&proxied, &count, &object));
	EXPECT_EQ(at, at2);
	EXPECT_EQ(bytes, bytes2);
	EXPECT_EQ(0, memcmp(&direct, &proxied, sizeof(direct)));
	EXPECT_EQ(VM_PROT_READ, proxied.protection);
	EXPECT_EQ(vm_protect(self->child, address, page, TRUE, VM_PROT_READ),
		  vm_protect(stand_in, address, page, TRUE, VM_PROT_READ));
	ASSERT_EQ(KERN_SUCCESS, vm_deallocate(stand_in, address, 2 * page));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_read_overwrite(self->child, address, 6,
							  (vm_address_t)buf, &size));
}

TEST_F(proxy, threads_made_and_driven_through_stand_ins)
{
	mach_port_t stand_in = self->task_proxy.port;
	thread_act_array_t threads;
	mach_msg_type_number_t count;
	x86_thread_state64_t state = { 0 }, got;
	struct proxy thread_proxy;
	thread_act_t thread;

	/* thread_create through the task's stand-in: the real thread's port */
	ASSERT_EQ(KERN_SUCCESS, thread_create(stand_in, &thread));
	ASSERT_EQ(KERN_SUCCESS, task_threads(stand_in, &threads, &count));
	ASSERT_EQ(1, count);
	EXPECT_EQ(thread, threads[0]);
	vm_deallocate(mach_task_self(), (vm_address_t)threads, count * sizeof(*threads));

	/* and the thread's calls through a stand-in for the thread */
	proxy_start(&thread_proxy, thread);
	state.__rip = 0x401000;
	state.__rax = 42;
	state.__rflags = 0x202;
	ASSERT_EQ(KERN_SUCCESS, thread_set_state(thread_proxy.port, x86_THREAD_STATE64,
						 (thread_state_t)&state,
						 x86_THREAD_STATE64_COUNT));
	count = x86_THREAD_STATE64_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&got, &count));
	EXPECT_EQ(42, got.__rax);
	memset(&got, 0, sizeof(got));
	count = x86_THREAD_STATE64_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread_proxy.port, x86_THREAD_STATE64,
						 (thread_state_t)&got, &count));
	EXPECT_EQ(x86_THREAD_STATE64_COUNT, count);
	EXPECT_EQ(0x401000, got.__rip);
	ASSERT_EQ(KERN_SUCCESS, thread_suspend(thread_proxy.port));	/* held twice now */
	ASSERT_EQ(KERN_SUCCESS, thread_resume(thread_proxy.port));	/* still held */
	ASSERT_EQ(KERN_SUCCESS, thread_terminate(thread_proxy.port));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_suspend(thread));	/* it is gone */
	proxy_stop(&thread_proxy);
	mach_port_deallocate(mach_task_self(), thread);
}

TEST_F(proxy, ports_a_task_keeps_set_and_read_through_a_stand_in)
{
	mach_port_t stand_in = self->task_proxy.port, a = new_port(), b = new_port();
	mach_port_t set[2] = { a, b }, previous = MACH_PORT_NULL, in_child = MACH_PORT_NULL;
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t handlers[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count;
	mach_port_array_t got;

	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(stand_in, set, 2));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(self->child, &got, &count));
	ASSERT_EQ(3, count);
	EXPECT_EQ(a, got[0]);
	EXPECT_EQ(b, got[1]);
	vm_deallocate(mach_task_self(), (vm_address_t)got, count * sizeof(*got));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(stand_in, &got, &count));
	ASSERT_EQ(3, count);
	EXPECT_EQ(a, got[0]);
	EXPECT_EQ(b, got[1]);
	EXPECT_EQ(MACH_PORT_NULL, got[2]);
	vm_deallocate(mach_task_self(), (vm_address_t)got, count * sizeof(*got));

	ASSERT_EQ(KERN_SUCCESS, task_set_exception_ports(stand_in, EXC_MASK_BAD_ACCESS, a,
							 EXCEPTION_DEFAULT, 0));
	count = EXC_TYPES_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_get_exception_ports(stand_in, EXC_MASK_BAD_ACCESS |
							 EXC_MASK_SOFTWARE, masks, &count,
							 handlers, behaviors, flavors));
	ASSERT_EQ(2, count);
	EXPECT_EQ(EXC_MASK_BAD_ACCESS, masks[0]);
	EXPECT_EQ(a, handlers[0]);
	EXPECT_EQ(EXCEPTION_DEFAULT, behaviors[0]);
	EXPECT_EQ(MACH_PORT_NULL, handlers[1]);
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  task_set_exception_ports(stand_in, EXC_MASK_BAD_ACCESS, a, 77, 0));

	/* A no-senders request on a port of the child's, through the stand-in. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(stand_in, MACH_PORT_RIGHT_RECEIVE, &in_child));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(stand_in, in_child,
				MACH_NOTIFY_NO_SENDERS, 0, b, MACH_MSG_TYPE_MAKE_SEND_ONCE,
				&previous));
	EXPECT_EQ(MACH_PORT_NULL, previous);
	struct {
		mach_msg_header_t head;
		char body[64];
		mach_msg_max_trailer_t trailer;
	} notice;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&notice.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(notice), b, 2000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, notice.head.msgh_id);
}

/* A stand-in whose receiver is gone: the call's send fails, as a stub's. */
TEST(a_call_on_a_dead_stand_in_fails_as_a_send)
{
	mach_port_t port = new_port();

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), port,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_suspend(port));
}

/* A stand-in that answers with another id, carrying a right. */
static void *answer_wrongly(void *arg)
{
	mach_port_t port = *(mach_port_t *)arg;
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t right;
		mach_msg_max_trailer_t trailer;
	} m;

	memset(&m, 0, sizeof(m));
	if (mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), port, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return NULL;
	m.head.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			   MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(m.head.msgh_bits), 0);
	m.head.msgh_size = sizeof(m) - sizeof(m.trailer);
	m.head.msgh_local_port = MACH_PORT_NULL;
	m.head.msgh_id = 4242;
	m.body.msgh_descriptor_count = 1;
	m.right.name = port;
	m.right.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.right.type = MACH_MSG_PORT_DESCRIPTOR;
	mach_msg(&m.head, MACH_SEND_MSG, m.head.msgh_size, 0, MACH_PORT_NULL,
		 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	return NULL;
}

/*
 * A reply that is not the call's is refused (MIG_REPLY_MISMATCH), and
 * what it carried is destroyed, as MIG's stubs destroy it: the caller
 * holds no right it did not ask for.
 */
TEST(a_reply_of_another_id_leaves_nothing_with_the_caller)
{
	mach_port_t port = new_port(), *names;
	mach_port_type_t *types;
	mach_msg_type_number_t before, after, count;
	mach_port_urefs_t refs = 0;
	pthread_t server;

	mig_get_reply_port();	/* the call's, kept for the thread: counted before */
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(mach_task_self(), &names, &before, &types,
						&count));
	vm_deallocate(mach_task_self(), (vm_address_t)names, before * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, count * sizeof(*types));
	ASSERT_EQ(0, pthread_create(&server, NULL, answer_wrongly, &port));
	EXPECT_EQ(MIG_REPLY_MISMATCH, task_suspend(port));
	pthread_join(server, NULL);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND,
						   &refs));
	EXPECT_EQ(1, refs);	/* new_port()'s own: the one the reply carried went */
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(mach_task_self(), &names, &after, &types,
						&count));
	vm_deallocate(mach_task_self(), (vm_address_t)names, after * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, count * sizeof(*types));
	EXPECT_EQ(before, after);
	mach_port_destroy(mach_task_self(), port);
}

TEST_HARNESS_MAIN
