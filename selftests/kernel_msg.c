// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel objects answer Mach messages: requests built by hand in XNU's
 * MIG layouts, sent to task, thread and host ports, answered on the reply
 * port with XNU's replies, the same answers libmach's calls give; unknown
 * ids and malformed requests get MIG's errors, and nothing they carry
 * leaks.
 */
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

FIXTURE(kmsg) {
	struct made made;
	task_t child;
};

FIXTURE_SETUP(kmsg)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &self->child));
}

FIXTURE_TEARDOWN(kmsg)
{
	made_end(&self->made);
}

TEST_F(kmsg, task_suspend_and_resume_are_answered_as_xnu_answers)
{
	struct reply out;
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count;

	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3407, NULL, 0, &out));
	EXPECT_EQ(3507, out.head.msgh_id);
	EXPECT_EQ(36, out.head.msgh_size);
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), out.head.msgh_bits);
	EXPECT_EQ(0, memcmp(&out.s.ndr, &NDR_record, sizeof(NDR_record)));
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(self->child, MACH_TASK_BASIC_INFO, (task_info_t)&info,
					  &count));
	EXPECT_EQ(1, info.suspend_count);
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3408, NULL, 0, &out));
	count = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(self->child, MACH_TASK_BASIC_INFO, (task_info_t)&info,
					  &count));
	EXPECT_EQ(0, info.suspend_count);
	/* Resumed once too often: libmach's answer, by message too. */
	EXPECT_EQ(task_resume(self->child), simple_call(self->child, 3408, NULL, 0, &out));
}

TEST_F(kmsg, task_info_by_message_is_libmachs)
{
	uint32_t args[2] = { MACH_TASK_BASIC_INFO, MACH_TASK_BASIC_INFO_COUNT };
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	struct reply out;

	ASSERT_EQ(KERN_SUCCESS, task_suspend(self->child));	/* nothing moves */
	ASSERT_EQ(KERN_SUCCESS, task_info(self->child, MACH_TASK_BASIC_INFO, (task_info_t)&info,
					  &count));
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3405, args, 2, &out));
	ASSERT_EQ(count, out.s.w[0]);
	EXPECT_EQ(SIMPLE(2) + 4 * count, out.head.msgh_size);
	EXPECT_EQ(0, memcmp(&info, &out.s.w[1], 4 * count));

	/* Room for fewer words than the flavour has: the call's error. */
	args[1] = 2;
	count = 2;
	EXPECT_EQ(task_info(self->child, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count),
		  simple_call(self->child, 3405, args, 2, &out));
	EXPECT_EQ(36, out.head.msgh_size);
	/* An unknown flavour likewise. */
	args[0] = 9999;
	args[1] = MACH_TASK_BASIC_INFO_COUNT;
	count = MACH_TASK_BASIC_INFO_COUNT;
	EXPECT_EQ(task_info(self->child, 9999, (task_info_t)&info, &count),
		  simple_call(self->child, 3405, args, 2, &out));
}

TEST_F(kmsg, port_calls_by_message_act_on_the_tasks_space)
{
	uint32_t args[3] = { MACH_PORT_RIGHT_RECEIVE };
	mach_port_type_t type;
	mach_port_urefs_t refs;
	struct reply out;
	mach_port_t name;

	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3204, args, 1, &out));
	EXPECT_EQ(SIMPLE(2), out.head.msgh_size);
	name = out.s.w[0];
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self->child, name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);

	args[0] = name;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3201, args, 1, &out));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, out.s.w[0]);
	args[1] = MACH_PORT_RIGHT_RECEIVE;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3207, args, 2, &out));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(self->child, name, MACH_PORT_RIGHT_RECEIVE,
						   &refs));
	EXPECT_EQ(refs, out.s.w[0]);

	/* The same errors as the calls. */
	args[0] = 0x7ffff;
	EXPECT_EQ(mach_port_type(self->child, 0x7ffff, &type),
		  simple_call(self->child, 3201, args, 1, &out));
	args[0] = name;
	args[1] = MACH_PORT_RIGHT_SEND;
	args[2] = (uint32_t)-1;
	EXPECT_EQ(mach_port_mod_refs(self->child, name, MACH_PORT_RIGHT_SEND, -1),
		  simple_call(self->child, 3208, args, 3, &out));

	args[0] = name;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3205, args, 1, &out));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self->child, name, &type));
}

/* Attributes, the make-send count and set membership, by message. */
TEST_F(kmsg, port_attributes_and_sets_by_message)
{
	mach_port_limits_t limits = { 0 };
	mach_port_status_t status;
	mach_msg_type_number_t count;
	mach_port_name_array_t members;
	mach_port_t port, set;
	uint32_t args[4];
	struct reply out;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_PORT_SET, &set));

	/* set_attributes (3218): a queue limit, read back by the call. */
	args[0] = port;
	args[1] = MACH_PORT_LIMITS_INFO;
	args[2] = MACH_PORT_LIMITS_INFO_COUNT;
	args[3] = 3;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3218, args, 4, &out));
	EXPECT_EQ(3318, out.head.msgh_id);
	count = MACH_PORT_LIMITS_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self->child, port, MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&limits, &count));
	EXPECT_EQ(3, limits.mpl_qlimit);

	/* set_mscount (3210), seen in get_attributes (3217) as by the call. */
	args[1] = 7;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3210, args, 2, &out));
	args[1] = MACH_PORT_RECEIVE_STATUS;
	args[2] = MACH_PORT_RECEIVE_STATUS_COUNT;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3217, args, 3, &out));
	EXPECT_EQ(3317, out.head.msgh_id);
	ASSERT_EQ(MACH_PORT_RECEIVE_STATUS_COUNT, out.s.w[0]);
	EXPECT_EQ(SIMPLE(2 + MACH_PORT_RECEIVE_STATUS_COUNT), out.head.msgh_size);
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self->child, port,
							 MACH_PORT_RECEIVE_STATUS,
							 (mach_port_info_t)&status, &count));
	EXPECT_EQ(7, status.mps_mscount);
	EXPECT_EQ(3, status.mps_qlimit);
	EXPECT_EQ(0, memcmp(&status, &out.s.w[1], sizeof(status)));
	/* A flavour it does not know: the call's answer. */
	args[1] = 0x7777;
	EXPECT_EQ(mach_port_get_attributes(self->child, port, 0x7777, (mach_port_info_t)&status,
					   &count),
		  simple_call(self->child, 3217, args, 3, &out));

	/* move_member (3212): into the set, and out again (MACH_PORT_NULL). */
	args[0] = port;
	args[1] = set;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3212, args, 2, &out));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(self->child, set, &members, &count));
	ASSERT_EQ(1, count);
	EXPECT_EQ(port, members[0]);
	vm_deallocate(mach_task_self(), (vm_address_t)members, sizeof(*members));
	args[1] = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3212, args, 2, &out));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(self->child, set, &members, &count));
	EXPECT_EQ(0, count);
	/* A set is no member: the call's error. */
	args[0] = set;
	args[1] = set;
	EXPECT_EQ(mach_port_move_member(self->child, set, set),
		  simple_call(self->child, 3212, args, 2, &out));
}

/* A thread suspended, read, aborted and resumed by message. */
TEST_F(kmsg, thread_suspend_resume_abort_and_info_by_message)
{
	thread_basic_info_data_t info;
	mach_msg_type_number_t count;
	uint32_t args[2] = { THREAD_BASIC_INFO, THREAD_BASIC_INFO_COUNT };
	thread_act_t thread;
	struct reply out;

	ASSERT_EQ(KERN_SUCCESS, thread_create(self->child, &thread));	/* made held: 1 */
	ASSERT_EQ(KERN_SUCCESS, simple_call(thread, 3605, NULL, 0, &out));
	EXPECT_EQ(3705, out.head.msgh_id);
	EXPECT_EQ(sizeof(mig_reply_error_t), out.head.msgh_size);

	/* thread_info (3612): the call's answer, word for word where steady. */
	ASSERT_EQ(KERN_SUCCESS, simple_call(thread, 3612, args, 2, &out));
	EXPECT_EQ(3712, out.head.msgh_id);
	ASSERT_EQ(THREAD_BASIC_INFO_COUNT, out.s.w[0]);
	EXPECT_EQ(SIMPLE(2 + THREAD_BASIC_INFO_COUNT), out.head.msgh_size);
	count = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info,
					    &count));
	EXPECT_EQ(2, info.suspend_count);
	memcpy(&info, &out.s.w[1], sizeof(info));
	EXPECT_EQ(2, info.suspend_count);
	EXPECT_EQ(TH_STATE_STOPPED, info.run_state);
	/* Too small a count: the call's error. */
	args[1] = 1;
	count = 1;
	EXPECT_EQ(thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info, &count),
		  simple_call(thread, 3612, args, 2, &out));

	/* thread_abort (3607) answers as the call does; then two resumes. */
	EXPECT_EQ(thread_abort(thread), simple_call(thread, 3607, NULL, 0, &out));
	ASSERT_EQ(KERN_SUCCESS, simple_call(thread, 3606, NULL, 0, &out));
	EXPECT_EQ(3706, out.head.msgh_id);
	count = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info,
					    &count));
	EXPECT_EQ(1, info.suspend_count);
	/* Resumed past zero: the call's KERN_FAILURE. */
	ASSERT_EQ(KERN_SUCCESS, simple_call(thread, 3606, NULL, 0, &out));
	EXPECT_EQ(KERN_FAILURE, simple_call(thread, 3606, NULL, 0, &out));
	thread_terminate(thread);
	mach_port_deallocate(mach_task_self(), thread);
}

TEST_F(kmsg, a_right_inserted_by_message_arrives)
{
	mach_port_t mine = new_port(), in_child = 0x80;
	union exchange x;
	mach_port_type_t type;

	one_port(&x, mine, MACH_MSG_TYPE_MAKE_SEND);
	/* A free name in the child: the lowest its process has not used. */
	while (mach_port_type(self->child, in_child, &type) == KERN_SUCCESS)
		in_child++;
	x.in.c.w[0] = in_child;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3214, &x,
						 COMPLEX_ONE_PORT(1), MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(3314, x.out.head.msgh_id);
	ASSERT_EQ(KERN_SUCCESS, x.out.s.ret);
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self->child, in_child, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type);
}

TEST_F(kmsg, special_ports_set_and_read_by_message)
{
	mach_port_t port = new_port(), got = MACH_PORT_NULL;
	uint32_t which[1] = { TASK_BOOTSTRAP_PORT };
	union exchange x;
	struct reply out;

	one_port(&x, port, MACH_MSG_TYPE_COPY_SEND);
	x.in.c.w[0] = TASK_BOOTSTRAP_PORT;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3410, &x,
						 COMPLEX_ONE_PORT(1), MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(KERN_SUCCESS, x.out.s.ret);
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(self->child, TASK_BOOTSTRAP_PORT, &got));
	EXPECT_EQ(port, got);

	/* Read back by message: a port descriptor carrying a send right. */
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3409, which, 1, &out));
	EXPECT_EQ(3509, out.head.msgh_id);
	EXPECT_EQ(COMPLEX | MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), out.head.msgh_bits);
	EXPECT_EQ(40, out.head.msgh_size);
	EXPECT_EQ(1, out.c.body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_PORT_DESCRIPTOR, (int)out.c.port.type);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)out.c.port.disposition);
	EXPECT_EQ(port, out.c.port.name);	/* coalesced with ours */
}

/* rip, rsp and rax in a new thread's state, by message and by call. */
TEST_F(kmsg, thread_state_by_message_is_thread_get_states)
{
	x86_thread_state64_t state = { 0 }, by_call;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
	uint32_t args[2 + x86_THREAD_STATE64_COUNT];
	thread_act_t thread;
	union exchange x;
	struct reply out;

	ASSERT_EQ(KERN_SUCCESS, thread_create(self->child, &thread));
	state.__rip = 0x401000;
	state.__rsp = 0x7fff0000;
	state.__rax = 0x1234567890abcdefull;
	state.__rflags = 0x202;
	args[0] = x86_THREAD_STATE64;
	args[1] = x86_THREAD_STATE64_COUNT;
	memcpy(&args[2], &state, sizeof(state));
	ASSERT_EQ(KERN_SUCCESS, simple_call(thread, 3604, args, 2 + x86_THREAD_STATE64_COUNT, &out));
	ASSERT_EQ(KERN_SUCCESS, thread_get_state(thread, x86_THREAD_STATE64,
						 (thread_state_t)&by_call, &count));
	EXPECT_EQ(state.__rip, by_call.__rip);
	EXPECT_EQ(state.__rax, by_call.__rax);

	ASSERT_EQ(KERN_SUCCESS, simple_call(thread, 3603, args, 2, &out));
	ASSERT_EQ(x86_THREAD_STATE64_COUNT, out.s.w[0]);
	EXPECT_EQ(0, memcmp(&by_call, &out.s.w[1], sizeof(by_call)));

	/* A count that does not match the words sent is refused. */
	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = x86_THREAD_STATE64;
	x.in.s.w[1] = x86_THREAD_STATE64_COUNT;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(thread, 3604, &x, SIMPLE(2 + 3), MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);

	/* thread_terminate takes its target's send right, as XNU's does. */
	memset(&x, 0, sizeof(x));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_port_mod_refs(mach_task_self(), thread,
						       MACH_PORT_RIGHT_SEND, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(thread, 3600, &x,
						 sizeof(mach_msg_header_t), MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(KERN_SUCCESS, x.out.s.ret);
	mach_port_urefs_t refs = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), thread,
						   MACH_PORT_RIGHT_DEAD_NAME, &refs));
	EXPECT_EQ(1, refs);	/* the one left, a dead name now */
	mach_port_deallocate(mach_task_self(), thread);
}

TEST_F(kmsg, threads_made_and_listed_by_message)
{
	thread_act_array_t listed;
	mach_msg_type_number_t count;
	mach_port_t *by_message;
	thread_act_t made, second;
	struct reply out;

	/* thread_create: a port descriptor with a send right to the thread */
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3411, NULL, 0, &out));
	ASSERT_EQ(3511, out.head.msgh_id);
	ASSERT_EQ(40, out.head.msgh_size);
	made = out.c.port.name;
	ASSERT_EQ(KERN_SUCCESS, task_threads(self->child, &listed, &count));
	ASSERT_EQ(1, count);
	EXPECT_EQ(made, listed[0]);	/* coalesced with the name we got */
	vm_deallocate(mach_task_self(), (vm_address_t)listed, count * sizeof(*listed));

	/* task_threads: an out-of-line array of send rights, then its count */
	ASSERT_EQ(KERN_SUCCESS, thread_create(self->child, &second));
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3402, NULL, 0, &out));
	ASSERT_EQ(56, out.head.msgh_size);
	mach_msg_ool_ports_descriptor_t *ports = (void *)&out.c.port;
	ASSERT_EQ(MACH_MSG_OOL_PORTS_DESCRIPTOR, (int)ports->type);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)ports->disposition);
	ASSERT_EQ(2, ports->count);
	EXPECT_EQ(2, *(uint32_t *)((char *)&out + 52));	/* act_listCnt */
	by_message = ports->address;
	EXPECT_TRUE((by_message[0] == made && by_message[1] == second) ||
		    (by_message[0] == second && by_message[1] == made));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), second));
	vm_deallocate(mach_task_self(), (vm_address_t)by_message, 2 * sizeof(mach_port_t));
}

/* The mach_vm calls (4800) that carry no memory, against the vm_* calls. */
TEST_F(kmsg, vm_calls_by_message_are_libmachs)
{
	const vm_size_t page = getpagesize();
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count;
	vm_address_t address, region;
	uint32_t args[6];
	vm_size_t size;
	mach_port_t object;
	struct reply out;
	char buf[64];

	/* mach_vm_allocate(anywhere): the address after RetCode */
	memset(args, 0, sizeof(args));
	args[2] = 3 * page;		/* size, u64 */
	args[4] = VM_FLAGS_ANYWHERE;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 4800, args, 5, &out));
	ASSERT_EQ(SIMPLE(3), out.head.msgh_size);
	memcpy(&address, out.s.w, 8);
	region = address;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(self->child, &region, &size, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count, &object));
	EXPECT_EQ(address, region);
	EXPECT_EQ(VM_PROT_DEFAULT, info.protection);
	/* mach_vm_region: the null object name, then address, size and info */
	uint32_t q[4];
	memcpy(q, &address, 8);
	q[2] = VM_REGION_BASIC_INFO_64;
	q[3] = VM_REGION_BASIC_INFO_COUNT_64;
	union exchange rx;
	memset(&rx, 0, sizeof(rx));
	memcpy(rx.in.s.w, q, sizeof(q));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 4816, &rx, SIMPLE(4),
					 MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(4916, rx.out.head.msgh_id);
	ASSERT_EQ(68 + 4 * VM_REGION_BASIC_INFO_COUNT_64, rx.out.head.msgh_size);
	EXPECT_EQ(MACH_PORT_NULL, rx.out.c.port.name);
	uint32_t *r = (uint32_t *)((char *)&rx + 48);
	uint64_t at, bytes;
	memcpy(&at, r, 8);
	memcpy(&bytes, r + 2, 8);
	EXPECT_EQ(region, at);
	EXPECT_EQ(size, bytes);
	EXPECT_EQ(VM_REGION_BASIC_INFO_COUNT_64, r[4]);
	EXPECT_EQ(0, memcmp(&info, &r[5], sizeof(info)));

	/* A flag a user may not give: libmach's answer. */
	args[4] = 1u << 20;
	EXPECT_EQ(vm_allocate(self->child, &region, page, 1 << 20),
		  simple_call(self->child, 4800, args, 5, &out));

	/* vm_write a word, then mach_vm_read_overwrite it into our buffer */
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->child, address, (vm_offset_t)"hello", 6));
	memcpy(args, &address, 8);
	uint64_t n = 6, to = (uint64_t)(uintptr_t)buf;
	memcpy(&args[2], &n, 8);
	memcpy(&args[4], &to, 8);
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 4808, args, 6, &out));
	EXPECT_STREQ("hello", buf);
	memcpy(&n, out.s.w, 8);
	EXPECT_EQ(6, n);

	/* mach_vm_copy of that page onto the next */
	uint64_t next = address + page;
	n = page;
	memcpy(&args[2], &n, 8);
	memcpy(&args[4], &next, 8);
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 4807, args, 6, &out));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, next, 6, (vm_address_t)buf, &size));
	EXPECT_STREQ("hello", buf);

	/* mach_vm_protect read-only, mach_vm_inherit none */
	args[4] = 0;
	args[5] = VM_PROT_READ;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 4802, args, 6, &out));
	args[4] = VM_INHERIT_NONE;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 4803, args, 5, &out));
	region = address;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(self->child, &region, &size, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count, &object));
	EXPECT_EQ(VM_PROT_READ, info.protection);
	EXPECT_EQ(VM_INHERIT_NONE, info.inheritance);
	/* set_maximum: libmach's answer too */
	args[4] = 1;
	EXPECT_EQ(vm_protect(self->child, address, page, TRUE, VM_PROT_READ),
		  simple_call(self->child, 4802, args, 6, &out));

	/* mach_vm_deallocate of the three pages */
	n = 3 * page;
	memcpy(&args[2], &n, 8);
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 4801, args, 4, &out));
	region = address;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	if (vm_region_64(self->child, &region, &size, VM_REGION_BASIC_INFO_64,
			 (vm_region_info_t)&info, &count, &object) == KERN_SUCCESS)
		EXPECT_LE(address + 3 * page, region);
	/* vm_map's ids (3800) are served as mach_vm's (kmsg_vm.c): a short one refused */
	EXPECT_EQ(MIG_BAD_ARGUMENTS, simple_call(self->child, 3801, args, 3, &out));
}

/* mach_ports_register and mach_ports_lookup in XNU 15's form: three ports. */
TEST_F(kmsg, registered_ports_by_message)
{
	mach_port_t a = new_port(), b = new_port();
	mach_port_array_t got;
	mach_msg_type_number_t count;
	union exchange x;

	memset(&x, 0, sizeof(x));
	x.in.head.msgh_bits = COMPLEX;
	x.in.c.body.msgh_descriptor_count = 3;
	mach_msg_port_descriptor_t *pd = &x.in.c.port;
	mach_port_t names[3] = { a, MACH_PORT_NULL, b };
	for (int i = 0; i < 3; i++) {
		pd[i].name = names[i];
		pd[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		pd[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3403, &x, sizeof(mach_msg_header_t) + 4 + 36,
					 MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(KERN_SUCCESS, x.out.s.ret);
	ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(self->child, &got, &count));
	ASSERT_EQ(3, count);
	EXPECT_EQ(a, got[0]);
	EXPECT_EQ(MACH_PORT_NULL, got[1]);
	EXPECT_EQ(b, got[2]);
	vm_deallocate(mach_task_self(), (vm_address_t)got, count * sizeof(*got));

	/* lookup: three port descriptors, 64 bytes */
	struct reply out;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3404, NULL, 0, &out));
	ASSERT_EQ(64, out.head.msgh_size);
	pd = &out.c.port;
	EXPECT_EQ(a, pd[0].name);
	EXPECT_EQ(MACH_PORT_NULL, pd[1].name);
	EXPECT_EQ(b, pd[2].name);

	/* the old form (an out-of-line array) is not XNU 15's: refused */
	memset(&x, 0, sizeof(x));
	x.in.head.msgh_bits = COMPLEX;
	x.in.c.body.msgh_descriptor_count = 1;
	mach_msg_ool_ports_descriptor_t *ool = (void *)&x.in.c.port;
	ool->address = names;
	ool->count = 3;
	ool->disposition = MACH_MSG_TYPE_COPY_SEND;
	ool->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	uint32_t *tail = (uint32_t *)((char *)&x + 44);
	memcpy(tail, &NDR_record, 8);
	tail[2] = 3;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3403, &x, 56, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);
}

TEST_F(kmsg, exception_ports_by_message)
{
	mach_port_t handler = new_port();
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count = EXC_TYPES_COUNT;
	union exchange x;

	one_port(&x, handler, MACH_MSG_TYPE_COPY_SEND);
	x.in.c.w[0] = EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC;
	x.in.c.w[1] = EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES;
	x.in.c.w[2] = x86_THREAD_STATE64;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3413, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(KERN_SUCCESS, x.out.s.ret);
	ASSERT_EQ(KERN_SUCCESS, task_get_exception_ports(self->child, EXC_MASK_BAD_ACCESS, masks,
							 &count, ports, behaviors, flavors));
	ASSERT_EQ(1, count);
	EXPECT_EQ(handler, ports[0]);

	/* A behavior XNU does not have: its answer, as libmach's. */
	one_port(&x, handler, MACH_MSG_TYPE_COPY_SEND);
	x.in.c.w[0] = EXC_MASK_BAD_ACCESS;
	x.in.c.w[1] = 77;
	x.in.c.w[2] = 0;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3413, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);

	/* get: all 32 port descriptors, then NDR, the count and three arrays */
	uint32_t mask[1] = { EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC | EXC_MASK_SOFTWARE };
	static union exchange big;
	memset(&big, 0, sizeof(big));
	memcpy(big.in.s.w, mask, 4);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3414, &big, SIMPLE(1),
					 MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(COMPLEX, big.out.head.msgh_bits & COMPLEX);
	EXPECT_EQ(32, big.out.c.body.msgh_descriptor_count);
	mach_msg_port_descriptor_t *pd = &big.out.c.port;
	uint32_t *words = (uint32_t *)((char *)&big + 28 + 32 * 12 + 8);
	uint32_t n = words[0];
	EXPECT_EQ(424 + 12 * n, big.out.head.msgh_size);
	ASSERT_EQ(2, n);	/* the handler's pair, and the unset one */
	EXPECT_EQ(EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC, words[1]);
	EXPECT_EQ(EXC_MASK_SOFTWARE, words[2]);
	EXPECT_EQ(handler, pd[0].name);
	for (int i = 1; i < 32; i++)
		EXPECT_EQ(MACH_PORT_NULL, pd[i].name);
	EXPECT_EQ(EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES, words[3]);
	EXPECT_EQ(x86_THREAD_STATE64, words[5]);
}

TEST_F(kmsg, a_notification_requested_by_message_comes)
{
	mach_port_t port = MACH_PORT_NULL, notify = new_port();
	union exchange x;
	struct reply heard;

	/* A receive right in the child's space, a dead-name request on a send right to it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_RECEIVE, &port));
	one_port(&x, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	x.in.c.w[0] = port;
	x.in.c.w[1] = MACH_NOTIFY_NO_SENDERS;
	x.in.c.w[2] = 0;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3213, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(3313, x.out.head.msgh_id);
	ASSERT_EQ(COMPLEX, x.out.head.msgh_bits & COMPLEX);
	EXPECT_EQ(MACH_PORT_NULL, x.out.c.port.name);	/* no request before */
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, (int)x.out.c.port.disposition);
	/* no sender yet, and sync 0: the notice comes at once */
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&heard.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(heard), notify, 2000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, heard.head.msgh_id);

	/* A send right where a send-once right belongs: MIG_TYPE_ERROR. */
	one_port(&x, notify, MACH_MSG_TYPE_MAKE_SEND);
	x.in.c.w[0] = port;
	x.in.c.w[1] = MACH_NOTIFY_NO_SENDERS;
	x.in.c.w[2] = 0;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3213, &x, COMPLEX_ONE_PORT(3),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_TYPE_ERROR, x.out.s.ret);
}

TEST(host_calls_by_message_are_libmachs)
{
	mach_port_t host = mach_host_self(), got = MACH_PORT_NULL;
	host_basic_info_data_t info;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	uint32_t args[2] = { HOST_BASIC_INFO, HOST_BASIC_INFO_COUNT };
	struct reply out;
	uint64_t page;

	ASSERT_EQ(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, (host_info_t)&info, &count));
	ASSERT_EQ(KERN_SUCCESS, simple_call(host, 200, args, 2, &out));
	ASSERT_EQ(count, out.s.w[0]);
	EXPECT_EQ(0, memcmp(&info, &out.s.w[1], 4 * count));

	ASSERT_EQ(KERN_SUCCESS, simple_call(host, 202, NULL, 0, &out));
	EXPECT_EQ(SIMPLE(3), out.head.msgh_size);
	memcpy(&page, out.s.w, sizeof(page));
	EXPECT_EQ((uint64_t)getpagesize(), page);

	/* host_get_special_port (host_priv 412): the call's answer. */
	args[0] = HOST_LOCAL_NODE;
	args[1] = HOST_PORT;
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(host, HOST_LOCAL_NODE, HOST_PORT, &got));
	ASSERT_EQ(KERN_SUCCESS, simple_call(host, 412, args, 2, &out));
	EXPECT_EQ(got, out.c.port.name);
}

TEST(an_unknown_id_is_answered_mig_bad_id)
{
	mach_port_t targets[2] = { mach_task_self(), mach_host_self() };
	struct reply out;

	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(MIG_BAD_ID, simple_call(targets[i], 3423, NULL, 0, &out));	/* task_policy */
		EXPECT_EQ(MIG_BAD_ID, simple_call(targets[i], 123456, NULL, 0, &out));
		EXPECT_EQ(36, out.head.msgh_size);
	}
}

/* A task call sent to the host, a request cut short or with a port too many. */
TEST_F(kmsg, malformed_requests_get_migs_errors_and_leave_nothing)
{
	mach_port_t port = new_port(), host = mach_host_self();
	union exchange x;
	struct reply out;

	EXPECT_EQ(KERN_INVALID_ARGUMENT, simple_call(host, 3407, NULL, 0, &out));
	/* task_info with its count cut off */
	uint32_t one[1] = { MACH_TASK_BASIC_INFO };
	EXPECT_EQ(MIG_BAD_ARGUMENTS, simple_call(self->child, 3405, one, 1, &out));

	/*
	 * task_suspend sent complex, carrying the only send right to a port
	 * we asked to hear of when it has none: refused, and the right made
	 * for it destroyed, so the no-senders notice comes.
	 */
	mach_port_t lonely = MACH_PORT_NULL, previous;
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &lonely));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), lonely,
				MACH_NOTIFY_NO_SENDERS, 0, lonely,
				MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	one_port(&x, lonely, MACH_MSG_TYPE_MAKE_SEND);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3407, &x, COMPLEX_ONE_PORT(0),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);
	struct reply heard;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&heard.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(heard), lonely, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, heard.head.msgh_id);
	mach_port_destroy(mach_task_self(), lonely);

	/* A send-once right where a send right belongs: MIG_TYPE_ERROR. */
	one_port(&x, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	x.in.c.w[0] = TASK_BOOTSTRAP_PORT;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3410, &x,
						 COMPLEX_ONE_PORT(1), MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_TYPE_ERROR, x.out.s.ret);
	/* The send-once right it carried is gone: a send-once notice. */
	struct reply notice;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&notice.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(notice), port, 1000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notice.head.msgh_id);
	mach_port_destroy(mach_task_self(), port);
}

TEST_F(kmsg, a_request_without_a_reply_port_is_carried_out)
{
	mach_msg_header_t head = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(head),
		.msgh_remote_port = self->child,
		.msgh_id = 3407,
	};
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&head, MACH_SEND_MSG, sizeof(head), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, task_info(self->child, MACH_TASK_BASIC_INFO, (task_info_t)&info,
					  &count));
	EXPECT_EQ(1, info.suspend_count);
}

TEST_HARNESS_MAIN
