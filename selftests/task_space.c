// SPDX-License-Identifier: GPL-2.0
/*
 * The mach_port_* calls on another task's space: they run in that task's
 * process, whose fds hold the names, through its agent.
 */
#include <fcntl.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"


/* Is there an fd number name in the child's process? */
static int child_has_fd(task_t child, mach_port_name_t name)
{
	char path[64];
	int pid;

	if (pid_for_task(child, &pid) != KERN_SUCCESS)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/fd/%u", pid, name);
	return access(path, F_OK) == 0;
}

FIXTURE(child) {
	task_t task;
};

FIXTURE_SETUP(child)
{
	ASSERT_EQ(KERN_SUCCESS, task_create(mach_task_self(), NULL, 0, FALSE,
					    &self->task));
}

FIXTURE_TEARDOWN(child)
{
	task_terminate(self->task);
	mach_port_deallocate(mach_task_self(), self->task);
}

TEST_F(child, allocate_there_then_take_the_rights_out)
{
	mach_port_t me = mach_task_self(), name, send, receive;
	mach_msg_type_name_t type;
	mach_port_type_t ptype;
	struct {
		mach_msg_header_t header;
		mach_msg_trailer_t trailer;
	} msg = { .header = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(mach_msg_header_t),
		.msgh_id = 4242,
	} };

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->task, MACH_PORT_RIGHT_RECEIVE,
						   &name));
	ASSERT_NE(MACH_PORT_NULL, name);
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self->task, name, &ptype));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype);
	EXPECT_EQ(1, child_has_fd(self->task, name));

	/* A send right made from the child's receive right is ours. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self->task, name,
				MACH_MSG_TYPE_MAKE_SEND, &send, &type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, type);
	msg.header.msgh_remote_port = send;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&msg.header, MACH_SEND_MSG, sizeof(msg.header),
					     0, MACH_PORT_NULL, 0, MACH_PORT_NULL));

	/* Then the receive right itself, with the message queued on it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(self->task, name,
				MACH_MSG_TYPE_MOVE_RECEIVE, &receive, &type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, type);
	EXPECT_EQ(send, receive);	/* coalesced with our send right */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self->task, name, &ptype));
	EXPECT_EQ(0, child_has_fd(self->task, name));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(msg), receive, 1000, MACH_PORT_NULL));
	EXPECT_EQ(4242, msg.header.msgh_id);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(me, receive));
}

TEST_F(child, insert_under_a_chosen_name)
{
	mach_port_t port = new_port(), other = new_port();
	mach_port_urefs_t refs;
	mach_port_type_t type;
	mach_port_name_t name = 40;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self->task, name, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(1, child_has_fd(self->task, name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(self->task, name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type);
	/* A second send right coalesces under the same name. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self->task, name, port,
						       MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(self->task, name,
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(2, refs);
	/* Not under another name, and not over another port's name. */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(self->task, 41, port,
							    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(self->task, name, other,
							   MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(self->task, MACH_PORT_NULL,
							     other, MACH_MSG_TYPE_MAKE_SEND));
	/* The right was not ours to give: nothing taken from us either. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, mach_port_insert_right(self->task, 42, 9999,
								  MACH_MSG_TYPE_COPY_SEND));

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(self->task, name,
						   MACH_PORT_RIGHT_SEND, -1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(self->task, name));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(self->task, name, &type));
	EXPECT_EQ(0, child_has_fd(self->task, name));

	/* A receive right moved in, then destroyed there: our send dies. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self->task, 43, other,
						       MACH_MSG_TYPE_MOVE_RECEIVE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), other, &type));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(self->task, 43));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), other, &type));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type);
}

TEST_F(child, a_receive_right_dies_with_its_task)
{
	mach_port_t port = new_port();
	mach_port_type_t type;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self->task, 50, port,
						       MACH_MSG_TYPE_MOVE_RECEIVE));
	ASSERT_EQ(KERN_SUCCESS, task_terminate(self->task));
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type);
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  mach_port_allocate(self->task, MACH_PORT_RIGHT_RECEIVE, &port));
}

TEST_F(child, lists_attributes_sets_and_notifications_there)
{
	mach_port_t me = mach_task_self(), notify = new_port(), previous, set, port;
	mach_port_t listener;
	mach_port_limits_t limits = { .mpl_qlimit = 3 };
	mach_port_name_array_t names, members;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, t, count;
	mach_port_status_t status;
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t name;
		mach_msg_trailer_t trailer;
	} note;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->task, MACH_PORT_RIGHT_RECEIVE, &port));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->task, MACH_PORT_RIGHT_PORT_SET, &set));

	/* The child's names (its only ones) come back to us. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(self->task, &names, &n, &types, &t));
	ASSERT_EQ(2, n);
	EXPECT_EQ(port, names[0] == port ? names[0] : names[1]);
	EXPECT_TRUE(types[0] == MACH_PORT_TYPE_RECEIVE || types[1] == MACH_PORT_TYPE_RECEIVE);
	vm_deallocate(me, (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(me, (vm_address_t)types, t * sizeof(*types));

	/* Attributes, set and read there. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_attributes(self->task, port, MACH_PORT_LIMITS_INFO,
				(mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT));
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self->task, port, MACH_PORT_RECEIVE_STATUS,
				(mach_port_info_t)&status, &count));
	EXPECT_EQ(3, status.mps_qlimit);
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(self->task, port, 7));
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(self->task, port, MACH_PORT_RECEIVE_STATUS,
				(mach_port_info_t)&status, &count));
	EXPECT_EQ(7, status.mps_mscount);

	/* A set there, with the port in it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(self->task, port, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(self->task, set, &members, &count));
	ASSERT_EQ(1, count);
	EXPECT_EQ(port, members[0]);
	vm_deallocate(me, (vm_address_t)members, count * sizeof(*members));

	/* A dead-name request there, answered on our port. */
	listener = new_port();
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(self->task, 61, listener,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(self->task, 61,
				MACH_NOTIFY_DEAD_NAME, 0, notify,
				MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous));
	EXPECT_EQ(MACH_PORT_NULL, previous);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(me, listener));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&note.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(note), notify, 2000, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_DEAD_NAME, note.header.msgh_id);

	/* Bad input there gets the same answers as here. */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_set_status(self->task, 999, &members, &count));
	count = 1;
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_attributes(self->task, set,
				MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits, &count));
}

TEST_HARNESS_MAIN
