// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A Mach program built only from what `make install` (or the libmach-dev
 * package) puts in place, the way a user builds one:
 *
 *   cc installed.c $(pkg-config --cflags --libs mach)
 *
 * scripts/check-install builds it twice against a staging tree, linked
 * with libmach.so.1 and statically, and runs both in the test VM (TAP on
 * standard output). With --no-module it only checks, on a machine without
 * mach.ko, that the library loads and answers as it should there.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>

static int tests, failed;

static void check(int ok, const char *what, kern_return_t kr)
{
	tests++;
	if (!ok)
		failed++;
	printf("%sok %d - %s (%s)\n", ok ? "" : "not ", tests, what, mach_error_string(kr));
}

struct note {
	mach_msg_header_t header;
	char text[16];
};

int main(int argc, char **argv)
{
	mach_port_t self, port, child;
	union {
		struct note msg;
		struct {
			struct note msg;
			mach_msg_trailer_t trailer;
		} in;
	} buf;
	static char secret[] = "inherited";
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	kern_return_t kr;
	int pid = 0;

	if (argc > 1 && strcmp(argv[1], "--no-module") == 0) {
		/* No /dev/mach here: every call says so, nothing crashes. */
		printf("1..2\n");
		check(mach_task_self() == MACH_PORT_NULL, "mach_task_self() without mach.ko",
		      KERN_SUCCESS);
		kr = mach_port_allocate(MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &port);
		check(kr == MACH_SEND_INVALID_DEST, "mach_port_allocate without mach.ko", kr);
		return failed != 0;
	}

	printf("1..6\n");
	self = mach_task_self();
	check(self != MACH_PORT_NULL, "mach_task_self", KERN_SUCCESS);

	kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	check(kr == KERN_SUCCESS, "a port with a send right", kr);

	memset(&buf, 0, sizeof(buf));
	buf.msg.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	buf.msg.header.msgh_size = sizeof(buf.msg);
	buf.msg.header.msgh_remote_port = port;
	buf.msg.header.msgh_id = 42;
	strcpy(buf.msg.text, "hello");
	kr = mach_msg(&buf.msg.header, MACH_SEND_MSG, sizeof(buf.msg), 0, MACH_PORT_NULL,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	memset(&buf, 0, sizeof(buf));
	if (kr == MACH_MSG_SUCCESS)
		kr = mach_msg(&buf.msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(buf),
			      port, 1000, MACH_PORT_NULL);
	check(kr == MACH_MSG_SUCCESS && buf.msg.header.msgh_id == 42 &&
	      strcmp(buf.msg.text, "hello") == 0, "a message to ourselves", kr);

	kr = task_create(self, NULL, 0, TRUE, &child);
	check(kr == KERN_SUCCESS, "task_create(inherit_memory)", kr);

	if (kr == KERN_SUCCESS)
		kr = vm_read(child, (vm_address_t)secret, sizeof(secret), &data, &count);
	check(kr == KERN_SUCCESS && count == sizeof(secret) &&
	      memcmp((void *)data, secret, sizeof(secret)) == 0,
	      "vm_read of the child's copy of our memory", kr);
	if (data)
		vm_deallocate(self, data, count);

	kr = pid_for_task(child, &pid);
	if (kr == KERN_SUCCESS)
		kr = task_terminate(child);
	check(kr == KERN_SUCCESS && pid > 0 && pid != getpid(), "pid_for_task, task_terminate",
	      kr);
	return failed != 0;
}
