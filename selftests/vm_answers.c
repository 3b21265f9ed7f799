// SPDX-License-Identifier: GPL-2.0
/*
 * The vm_* answers that must be XNU's (osfmk/vm/vm_user.c, vm_sanitize.c
 * and its error compatibility table), in the caller's own task and in a
 * task_create'd child: VM_FLAGS_OVERWRITE, fixed allocations outside the
 * map, empty ranges, where vm_read puts its bytes, partly mapped ranges,
 * vm_write from an unreadable source, ranges that wrap, set_maximum.
 */
#include <stdint.h>
#include <sys/mman.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

FIXTURE(vm) {
	struct made made;
	task_t task;	/* the caller's own, or a child */
	task_t child;
};

FIXTURE_VARIANT(vm) {
	int child;
};

FIXTURE_VARIANT_ADD(vm, self) { .child = 0 };
FIXTURE_VARIANT_ADD(vm, child) { .child = 1 };

FIXTURE_SETUP(vm)
{
	made_begin(&self->made);
	self->task = mach_task_self();
	if (variant->child) {
		ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0,
							 FALSE, &self->child));
		self->task = self->child;
	}
}

FIXTURE_TEARDOWN(vm)
{
	made_end(&self->made);
}

/* size bytes at address in task into buf: the kern_return_t. */
static kern_return_t peek(task_t task, vm_address_t address, void *buf, size_t size)
{
	vm_size_t got = 0;

	return vm_read_overwrite(task, address, size, (vm_address_t)buf, &got);
}

static vm_address_t allocate(task_t task, size_t size)
{
	vm_address_t at = 0;

	if (vm_allocate(task, &at, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return 0;
	return at;
}

TEST_F(vm, overwrite_replaces_what_is_mapped)
{
	vm_address_t at = allocate(self->task, 2 * PAGE);
	char buf[8] = "x";
	const char *text = "before";

	ASSERT_NE(0, at);
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->task, at, (vm_offset_t)text, 7));
	/* FIXED alone finds the place taken. */
	EXPECT_EQ(KERN_NO_SPACE, vm_allocate(self->task, &at, PAGE, VM_FLAGS_FIXED));
	/* With OVERWRITE the old page goes, and a zero one takes its place. */
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(self->task, &at, PAGE,
					    VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE));
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, at, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "\0\0\0\0\0\0\0", 8));
	/* Even over a hole, and across one. */
	ASSERT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at + PAGE, PAGE));
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(self->task, &at, 2 * PAGE,
					    VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE));
	EXPECT_EQ(KERN_SUCCESS, peek(self->task, at + PAGE, buf, sizeof(buf)));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at, 2 * PAGE));
}

TEST_F(vm, fixed_allocation_outside_the_map_is_no_address)
{
	vm_address_t at = 0;

	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_allocate(self->task, &at, PAGE, VM_FLAGS_FIXED));
	at = 0x10;
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_allocate(self->task, &at, PAGE, VM_FLAGS_FIXED));
	at = 0;
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  vm_allocate(self->task, &at, PAGE, VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE));
	/* Past the end of user space, and wrapping past the top. */
	at = 0x7ffffffff000ull;
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_allocate(self->task, &at, 2 * PAGE, VM_FLAGS_FIXED));
	at = ~0ull & ~(vm_address_t)(PAGE - 1);
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_allocate(self->task, &at, 2 * PAGE, VM_FLAGS_FIXED));
	/* Anywhere, a size that rounds past the top is a bad argument. */
	at = 0;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_allocate(self->task, &at, ~0ull, VM_FLAGS_ANYWHERE));
}

TEST_F(vm, empty_ranges_do_nothing)
{
	vm_address_t at = allocate(self->task, PAGE);
	const char *text = "kept";
	char buf[8];

	ASSERT_NE(0, at);
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->task, at, (vm_offset_t)text, 5));
	/* Size 0 inside a page leaves that page as it was. */
	EXPECT_EQ(KERN_SUCCESS, vm_protect(self->task, at + 100, 0, FALSE, VM_PROT_NONE));
	EXPECT_EQ(KERN_SUCCESS, vm_write(self->task, at, (vm_offset_t)text, 5));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at + 100, 0));
	EXPECT_EQ(KERN_SUCCESS, peek(self->task, at, buf, 5));
	EXPECT_STREQ("kept", buf);
	/* Even with a bad protection: size 0 is looked at first, as on XNU. */
	EXPECT_EQ(KERN_SUCCESS, vm_protect(self->task, at, 0, FALSE, 0x40));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, 0, 0));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at, PAGE));
}

TEST_F(vm, read_keeps_the_offset_and_never_lands_in_the_range)
{
	vm_address_t at = allocate(self->task, PAGE), data = 0;
	mach_msg_type_number_t count = 0;
	const char *text = "in the middle";

	ASSERT_NE(0, at);
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->task, at + 1000, (vm_offset_t)text, 14));
	ASSERT_EQ(KERN_SUCCESS, vm_read(self->task, at + 1000, 14, &data, &count));
	EXPECT_EQ(14, count);
	EXPECT_EQ((at + 1000) % PAGE, data % PAGE);
	EXPECT_STREQ(text, (char *)data);
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), data, count));

	/* A page just freed reads as unmapped, never as vm_read's own buffer. */
	ASSERT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at, PAGE));
	for (int i = 0; i < 8; i++) {
		data = 0;
		EXPECT_EQ(KERN_INVALID_ADDRESS, vm_read(self->task, at, PAGE, &data, &count));
		EXPECT_EQ(KERN_INVALID_ADDRESS, vm_read(self->task, at + 8, 16, &data, &count));
	}
}

TEST_F(vm, a_partly_unmapped_range_is_no_address)
{
	vm_address_t at = allocate(self->task, 3 * PAGE), data;
	mach_msg_type_number_t count;
	char buf[2 * PAGE];

	ASSERT_NE(0, at);
	ASSERT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at + PAGE, PAGE));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_read(self->task, at, 2 * PAGE, &data, &count));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_read(self->task, at + PAGE - 4, 8, &data, &count));
	EXPECT_EQ(KERN_INVALID_ADDRESS, peek(self->task, at, buf, 2 * PAGE));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_copy(self->task, at, 2 * PAGE, at));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_write(self->task, at + PAGE - 4, (vm_offset_t)buf, 8));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at, 3 * PAGE));
}

TEST_F(vm, write_from_an_unreadable_source_sends_nothing)
{
	vm_address_t at = allocate(self->task, PAGE);
	char *src = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[16];

	ASSERT_NE(0, at);
	ASSERT_NE(MAP_FAILED, src);
	memset(src, 'a', 2 * PAGE);
	ASSERT_EQ(0, mprotect(src + PAGE, PAGE, PROT_NONE));
	EXPECT_EQ(MACH_SEND_INVALID_MEMORY,
		  vm_write(self->task, at, (vm_offset_t)(src + PAGE - 8), 16));
	EXPECT_EQ(MACH_SEND_INVALID_MEMORY, vm_write(self->task, at, (vm_offset_t)(src + PAGE), 8));
	/* Not a byte of it arrived. */
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, at, buf, sizeof(buf)));
	for (int i = 0; i < 16; i++)
		EXPECT_EQ(0, buf[i]);
	ASSERT_EQ(0, munmap(src, 2 * PAGE));
	EXPECT_EQ(MACH_SEND_INVALID_MEMORY, vm_write(self->task, at, (vm_offset_t)src, 8));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at, PAGE));
}

TEST_F(vm, wrapping_ranges_answer_as_xnu)
{
	vm_address_t top = ~0ull - 0x10, data;
	mach_msg_type_number_t count;
	char buf[0x100];
	vm_size_t got;

	/* vm_deallocate, vm_protect, vm_inherit: a bad argument. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_deallocate(self->task, top, 0x100));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_protect(self->task, top, 0x100, FALSE, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_inherit(self->task, top, 0x100, VM_INHERIT_NONE));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_behavior_set(self->task, top, 0x100,
							 VM_BEHAVIOR_RANDOM));
	/* What copies in (vm_read, vm_write, vm_copy): no address. */
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_read(self->task, top, 0x100, &data, &count));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_read_overwrite(self->task, top, 0x100,
							  (vm_address_t)buf, &got));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_write(self->task, top, (vm_offset_t)buf, 0x100));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_copy(self->task, top, 0x100, (vm_address_t)buf));
}

TEST_F(vm, set_maximum_holds_later_raises)
{
	vm_address_t at = allocate(self->task, 2 * PAGE);
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_address_t found = at;
	vm_size_t size;
	mach_port_t object;

	ASSERT_NE(0, at);
	/* The maximum lowered to read: the current protection follows. */
	ASSERT_EQ(KERN_SUCCESS, vm_protect(self->task, at, PAGE, TRUE, VM_PROT_READ));
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(self->task, &found, &size, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count, &object));
	EXPECT_EQ(at, found);
	EXPECT_EQ(PAGE, size);
	EXPECT_EQ(VM_PROT_READ, info.protection);
	EXPECT_EQ(VM_PROT_READ, info.max_protection);
	/* A raise beyond it fails; within it, it works. */
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  vm_protect(self->task, at, PAGE, FALSE, VM_PROT_READ | VM_PROT_WRITE));
	EXPECT_EQ(KERN_SUCCESS, vm_protect(self->task, at, PAGE, FALSE, VM_PROT_NONE));
	EXPECT_EQ(KERN_SUCCESS, vm_protect(self->task, at, PAGE, FALSE, VM_PROT_READ));
	/* Raising the maximum itself is refused too. */
	EXPECT_EQ(KERN_PROTECTION_FAILURE, vm_protect(self->task, at, PAGE, TRUE, VM_PROT_ALL));
	/* The page beside it kept its own. */
	EXPECT_EQ(KERN_SUCCESS, vm_protect(self->task, at + PAGE, PAGE, FALSE, VM_PROT_ALL));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at, 2 * PAGE));
}

TEST_F(vm, set_maximum_on_shared_memory)
{
	mach_vm_address_t at = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
					    MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL,
					    VM_INHERIT_SHARE));
	/* Execute goes from any mapping's maximum. */
	EXPECT_EQ(KERN_SUCCESS, vm_protect(self->task, at, PAGE, TRUE, VM_PROT_DEFAULT));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, vm_protect(self->task, at, PAGE, FALSE, VM_PROT_ALL));
	/* Write too, on every kernel (since 6.7 it counts the file's writers). */
	EXPECT_EQ(KERN_SUCCESS, vm_protect(self->task, at, PAGE, TRUE, VM_PROT_READ));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  vm_protect(self->task, at, PAGE, FALSE, VM_PROT_DEFAULT));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(self->task, at, PAGE));
}

TEST_HARNESS_MAIN
