// SPDX-License-Identifier: GPL-2.0
/*
 * vm_map, vm_remap and memory entries (mach_make_memory_entry), in the
 * caller's own task and in a task_create'd child, with their bad input;
 * vm_behavior_set, vm_wire, vm_region_recurse_64 and the mach_vm_* names.
 */
#include <stdint.h>
#include <sys/mman.h>

#include <errno.h>
#include <mach/mach.h>
#include <mach/mach_vm.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

FIXTURE(vm) {
	struct made made;
	task_t task;	/* where memory is mapped: the caller's own, or a child */
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
	if (variant->child)
		ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0,
							 FALSE, &self->task));
}

FIXTURE_TEARDOWN(vm)
{
	made_end(&self->made);
}

static kern_return_t peek(task_t task, mach_vm_address_t address, void *buf, size_t size)
{
	mach_vm_size_t got = 0;

	return mach_vm_read_overwrite(task, address, size, (mach_vm_address_t)buf, &got);
}

static kern_return_t poke(task_t task, mach_vm_address_t address, const char *text)
{
	return mach_vm_write(task, address, (vm_offset_t)text, strlen(text) + 1);
}

/* A fresh entry of size bytes, read and write. */
static mach_port_t new_entry(memory_object_size_t size)
{
	mach_port_t entry = MACH_PORT_NULL;

	if (mach_make_memory_entry_64(mach_task_self(), &size, 0,
				      MAP_MEM_NAMED_CREATE | VM_PROT_READ | VM_PROT_WRITE,
				      &entry, MACH_PORT_NULL) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return entry;
}

static kern_return_t map_entry(task_t task, mach_vm_address_t *at, mach_vm_size_t size,
			       mach_port_t entry, boolean_t copy)
{
	*at = 0;
	return mach_vm_map(task, at, size, 0, VM_FLAGS_ANYWHERE, entry, 0, copy,
			   VM_PROT_READ | VM_PROT_WRITE, VM_PROT_READ | VM_PROT_WRITE,
			   VM_INHERIT_DEFAULT);
}

TEST_F(vm, map_anonymous_aligned_and_fixed)
{
	mach_vm_address_t at = 0;
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_vm_size_t size;
	mach_port_t object;
	char buf[8];

	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(self->task, &at, 3 * PAGE, 0xfffff, VM_FLAGS_ANYWHERE,
					    MACH_PORT_NULL, 0, FALSE, VM_PROT_READ, VM_PROT_ALL,
					    VM_INHERIT_NONE));
	EXPECT_EQ(0, at & 0xfffff);
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region(self->task, &at, &size, VM_REGION_BASIC_INFO_64,
					       (vm_region_info_t)&info, &count, &object));
	EXPECT_EQ(3 * PAGE, size);
	EXPECT_EQ(VM_PROT_READ, info.protection);
	EXPECT_EQ(VM_INHERIT_NONE, info.inheritance);
	EXPECT_EQ(KERN_SUCCESS, peek(self->task, at, buf, sizeof(buf)));
	/* Read-only: not written. */
	EXPECT_EQ(KERN_PROTECTION_FAILURE, poke(self->task, at, "no"));

	/* Fixed over it: only with OVERWRITE. */
	EXPECT_EQ(KERN_NO_SPACE, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_FIXED,
					     MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT,
					     VM_PROT_ALL, VM_INHERIT_COPY));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_map(self->task, &at, PAGE, 0,
					    VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE, MACH_PORT_NULL, 0,
					    FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY));
	EXPECT_EQ(KERN_SUCCESS, poke(self->task, at, "yes"));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at, 3 * PAGE));
}

TEST_F(vm, a_named_entry_is_shared_by_every_mapping)
{
	mach_port_t entry = new_entry(16 * PAGE);
	mach_vm_address_t here, there;
	char buf[16];

	ASSERT_NE(MACH_PORT_NULL, entry);
	ASSERT_EQ(KERN_SUCCESS, map_entry(mach_task_self(), &here, 16 * PAGE, entry, FALSE));
	ASSERT_EQ(KERN_SUCCESS, map_entry(self->task, &there, 16 * PAGE, entry, FALSE));
	EXPECT_NE(here, there);

	strcpy((char *)here + 5 * PAGE, "from here");
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, there + 5 * PAGE, buf, 10));
	EXPECT_STREQ("from here", buf);
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, there + 9 * PAGE, "from there"));
	EXPECT_STREQ("from there", (char *)here + 9 * PAGE);

	/* A piece of it, at an offset, through a child entry. */
	memory_object_size_t size = PAGE;
	mach_port_t piece;
	mach_vm_address_t at = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(mach_task_self(), &size, 9 * PAGE,
							  VM_PROT_READ, &piece, entry));
	EXPECT_EQ(PAGE, size);
	EXPECT_EQ(KERN_INVALID_RIGHT, map_entry(self->task, &at, PAGE, piece, FALSE));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE, piece,
					    0, FALSE, VM_PROT_READ, VM_PROT_READ,
					    VM_INHERIT_SHARE));
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, at, buf, 11));
	EXPECT_STREQ("from there", buf);

	/* copy = TRUE: a snapshot, not shared. */
	mach_vm_address_t copy;
	ASSERT_EQ(KERN_SUCCESS, map_entry(self->task, &copy, 16 * PAGE, entry, TRUE));
	strcpy((char *)here + 5 * PAGE, "changed");
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, copy + 5 * PAGE, buf, 10));
	EXPECT_STREQ("from here", buf);

	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), piece));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), entry));
	/* The mappings outlive the entry. */
	EXPECT_STREQ("changed", (char *)here + 5 * PAGE);
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, there + 5 * PAGE, buf, 8));
	EXPECT_STREQ("changed", buf);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), here, 16 * PAGE));
}

/*
 * An entry of a range whose maximum was lowered: the range, made shared
 * for it, keeps its maximum; it is not raised back by the making.
 */
TEST_F(vm, an_entry_keeps_the_ranges_lowered_maximum)
{
	memory_object_size_t size = 4 * PAGE;
	mach_vm_address_t at = 0;
	mach_port_t entry;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &at, 4 * PAGE,
						 VM_FLAGS_ANYWHERE));
	strcpy((char *)at, "kept");
	ASSERT_EQ(KERN_SUCCESS, mach_vm_protect(mach_task_self(), at, 4 * PAGE, TRUE,
						VM_PROT_READ));
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(mach_task_self(), &size, at,
							  VM_PROT_READ, &entry, MACH_PORT_NULL));
	EXPECT_STREQ("kept", (char *)at);
	EXPECT_EQ(-1, mprotect((void *)at, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(mach_task_self(), at, PAGE, FALSE, VM_PROT_READ | VM_PROT_WRITE));
	mach_port_deallocate(mach_task_self(), entry);
	mach_vm_deallocate(mach_task_self(), at, 4 * PAGE);
}

/*
 * An entry asks for no more than the range allows now: execute on memory
 * whose maximum was lowered to read and write would have given an
 * executable alias of the same pages, the maximum undone.
 */
TEST_F(vm, an_entry_asks_no_more_than_the_range_allows)
{
	memory_object_size_t size = PAGE;
	mach_vm_address_t at = 0;
	mach_port_t entry = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &at, PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_protect(mach_task_self(), at, PAGE, TRUE,
						VM_PROT_READ | VM_PROT_WRITE));
	EXPECT_EQ(-1, mprotect((void *)at, PAGE, PROT_READ | PROT_EXEC));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_make_memory_entry_64(mach_task_self(), &size, at,
					    VM_PROT_READ | VM_PROT_EXECUTE, &entry,
					    MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_NULL, entry);
	/* What it allows, it gives. */
	size = PAGE;
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(mach_task_self(), &size, at,
							  VM_PROT_READ | VM_PROT_WRITE, &entry,
							  MACH_PORT_NULL));
	mach_port_deallocate(mach_task_self(), entry);
	mach_vm_deallocate(mach_task_self(), at, PAGE);
}

/*
 * A read-only entry, mapped with a read-only maximum, cannot be made
 * writable by whoever maps it: not by vm_protect, not by mprotect; nor
 * can the maximum be raised by mapping it again.
 */
TEST_F(vm, a_read_only_entry_stays_read_only)
{
	mach_port_t entry = new_entry(4 * PAGE), piece;
	memory_object_size_t size = 4 * PAGE;
	mach_vm_address_t at = 0, rw = 0;

	ASSERT_NE(MACH_PORT_NULL, entry);
	ASSERT_EQ(KERN_SUCCESS, map_entry(mach_task_self(), &rw, 4 * PAGE, entry, FALSE));
	strcpy((char *)rw, "kept");
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(mach_task_self(), &size, 0,
							  VM_PROT_READ, &piece, entry));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(mach_task_self(), &at, 4 * PAGE, 0,
					    VM_FLAGS_ANYWHERE, piece, 0, FALSE, VM_PROT_READ,
					    VM_PROT_READ, VM_INHERIT_DEFAULT));
	EXPECT_STREQ("kept", (char *)at);
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(mach_task_self(), at, PAGE, FALSE, VM_PROT_READ | VM_PROT_WRITE));
	EXPECT_EQ(-1, mprotect((void *)at, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	/* From a full entry, a read-only maximum holds as well. */
	mach_vm_address_t again = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(mach_task_self(), &again, 4 * PAGE, 0,
					    VM_FLAGS_ANYWHERE, entry, 0, FALSE, VM_PROT_READ,
					    VM_PROT_READ, VM_INHERIT_DEFAULT));
	EXPECT_EQ(-1, mprotect((void *)again, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_STREQ("kept", (char *)rw);
	mach_vm_deallocate(mach_task_self(), at, 4 * PAGE);
	mach_vm_deallocate(mach_task_self(), again, 4 * PAGE);
	mach_vm_deallocate(mach_task_self(), rw, 4 * PAGE);
	mach_port_deallocate(mach_task_self(), piece);
	mach_port_deallocate(mach_task_self(), entry);
}

TEST_F(vm, an_entry_of_existing_memory_shares_it)
{
	mach_vm_address_t at = 0, mapped;
	memory_object_size_t size = 100;	/* rounded to the page */
	mach_port_t entry;
	char buf[16];

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &at, 2 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, at + PAGE, "original"));
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(self->task, &size, at + PAGE,
							  VM_PROT_READ | VM_PROT_WRITE, &entry,
							  MACH_PORT_NULL));
	EXPECT_EQ(PAGE, size);
	ASSERT_EQ(KERN_SUCCESS, map_entry(mach_task_self(), &mapped, PAGE, entry, FALSE));
	EXPECT_STREQ("original", (char *)mapped);
	/* Either side's writes are the other's. */
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, at + PAGE, "task wrote"));
	EXPECT_STREQ("task wrote", (char *)mapped);
	strcpy((char *)mapped, "we wrote");
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, at + PAGE, buf, 9));
	EXPECT_STREQ("we wrote", buf);

	/* MAP_MEM_VM_COPY: what it was, then apart. */
	mach_port_t copy;
	mach_vm_address_t copied;
	size = PAGE;
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(self->task, &size, at + PAGE,
							  MAP_MEM_VM_COPY | VM_PROT_READ, &copy,
							  MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(mach_task_self(), &copied, PAGE, 0,
					    VM_FLAGS_ANYWHERE, copy, 0, FALSE, VM_PROT_READ,
					    VM_PROT_READ, VM_INHERIT_DEFAULT));
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, at + PAGE, "later"));
	EXPECT_STREQ("we wrote", (char *)copied);

	/* The task's own view: what it was, at the same place. */
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_vm_address_t found = at + PAGE;
	mach_vm_size_t found_size;
	mach_port_t object;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region(self->task, &found, &found_size,
					       VM_REGION_BASIC_INFO_64, (vm_region_info_t)&info,
					       &count, &object));
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, info.protection);
	EXPECT_EQ(VM_INHERIT_COPY, info.inheritance);

	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), entry));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), copy));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), mapped, PAGE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), copied, PAGE));
}

TEST_F(vm, remap_shares_or_copies_between_tasks)
{
	mach_vm_address_t src = 0, shared = 0, copied = 0;
	vm_prot_t cur, max;
	char buf[16];

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &src, 4 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, src + 2 * PAGE, "source"));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_protect(self->task, src + 3 * PAGE, PAGE, FALSE,
						VM_PROT_READ));

	/* Share: into our own task, from the task. */
	ASSERT_EQ(KERN_SUCCESS, mach_vm_remap(mach_task_self(), &shared, 3 * PAGE, 0,
					      VM_FLAGS_ANYWHERE, self->task, src, FALSE, &cur,
					      &max, VM_INHERIT_SHARE));
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, cur);
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, max & cur);
	EXPECT_STREQ("source", (char *)shared + 2 * PAGE);
	strcpy((char *)shared + 2 * PAGE, "both");
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, src + 2 * PAGE, buf, 5));
	EXPECT_STREQ("both", buf);

	/* Copy: into the task itself. */
	ASSERT_EQ(KERN_SUCCESS, mach_vm_remap(self->task, &copied, 3 * PAGE, 0, VM_FLAGS_ANYWHERE,
					      self->task, src, TRUE, &cur, &max,
					      VM_INHERIT_DEFAULT));
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, src + 2 * PAGE, "after"));
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, copied + 2 * PAGE, buf, 5));
	EXPECT_STREQ("both", buf);

	/* The read-only page's protection comes along. */
	mach_vm_address_t ro = 0;
	ASSERT_EQ(KERN_SUCCESS, vm_remap(mach_task_self(), (vm_address_t *)&ro, PAGE, 0,
					 VM_FLAGS_ANYWHERE, self->task, src + 3 * PAGE, FALSE,
					 &cur, &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(VM_PROT_READ, cur);

	/* Two mappings alike (one advised apart) are shared as one. */
	mach_vm_address_t two = 0, both = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &two, 2 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_behavior_set(self->task, two + PAGE, PAGE,
						     VM_BEHAVIOR_RANDOM));
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, two + PAGE, "second"));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_remap(mach_task_self(), &both, 2 * PAGE, 0,
					      VM_FLAGS_ANYWHERE, self->task, two, FALSE, &cur,
					      &max, VM_INHERIT_DEFAULT));
	EXPECT_STREQ("second", (char *)both + PAGE);
	strcpy((char *)both, "first");
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, two, buf, 6));
	EXPECT_STREQ("first", buf);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), both, 2 * PAGE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, two, 2 * PAGE));

	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), shared, 3 * PAGE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), ro, PAGE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, copied, 3 * PAGE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, src, 4 * PAGE));
}

TEST_F(vm, bad_input_gets_xnus_errors)
{
	mach_port_t entry = new_entry(PAGE), port = new_port(), piece;
	mach_vm_address_t at = 0, unmapped = 0;
	memory_object_size_t size = PAGE;
	vm_prot_t cur, max;

	ASSERT_NE(MACH_PORT_NULL, entry);
	/* A read-only page, and the hole after it. */
	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &at, 2 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_protect(self->task, at, PAGE, FALSE, VM_PROT_READ));
	unmapped = at + PAGE;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, unmapped, PAGE));
	mach_vm_address_t readonly = at;

	/* vm_map */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						     entry, 0, FALSE, VM_PROT_ALL, VM_PROT_READ,
						     VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						     entry, 0, FALSE, 0x10, 0x10,
						     VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						     entry, 0, FALSE, VM_PROT_READ, VM_PROT_READ,
						     3));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(self->task, &at, 2 * PAGE, 0,
						     VM_FLAGS_ANYWHERE, entry, 0, FALSE,
						     VM_PROT_READ, VM_PROT_READ, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						     entry, PAGE, FALSE, VM_PROT_READ,
						     VM_PROT_READ, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(self->task, &at, 0, 0, VM_FLAGS_ANYWHERE,
						     MACH_PORT_NULL, 0, FALSE, VM_PROT_READ,
						     VM_PROT_READ, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(self->task, &at, PAGE, 0, 1u << 9,
						     MACH_PORT_NULL, 0, FALSE, VM_PROT_READ,
						     VM_PROT_READ, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_OBJECT, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						   port, 0, FALSE, VM_PROT_READ, VM_PROT_READ,
						   VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_OBJECT, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						   mach_task_self(), 0, FALSE, VM_PROT_READ,
						   VM_PROT_READ, VM_INHERIT_DEFAULT));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						       0x7ffff, 0, FALSE, VM_PROT_READ,
						       VM_PROT_READ, VM_INHERIT_DEFAULT));
	at = 0x10;
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_map(self->task, &at, PAGE, 0, VM_FLAGS_FIXED,
						    entry, 0, FALSE, VM_PROT_READ, VM_PROT_READ,
						    VM_INHERIT_DEFAULT));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_vm_map(0x7fffe, &at, PAGE, 0, VM_FLAGS_ANYWHERE,
						      entry, 0, FALSE, VM_PROT_READ,
						      VM_PROT_READ, VM_INHERIT_DEFAULT));

	/* mach_make_memory_entry */
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  mach_make_memory_entry_64(self->task, &size, unmapped, VM_PROT_READ, &piece,
					    MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_VALUE,
		  mach_make_memory_entry_64(self->task, &size, 0, VM_PROT_READ | 0x100, &piece,
					    MACH_PORT_NULL));
	size = 2 * PAGE;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_make_memory_entry_64(mach_task_self(), &size, 0, VM_PROT_READ, &piece,
					    entry));
	size = PAGE;
	EXPECT_EQ(KERN_INVALID_OBJECT,
		  mach_make_memory_entry_64(mach_task_self(), &size, 0, VM_PROT_READ, &piece,
					    port));
	at = readonly;
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_make_memory_entry_64(self->task, &size, at, VM_PROT_READ | VM_PROT_WRITE,
					    &piece, MACH_PORT_NULL));
	/* Size 0 made fresh: nothing, and no entry. */
	size = 0;
	piece = 0x1234;
	EXPECT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(mach_task_self(), &size, 0,
							  MAP_MEM_NAMED_CREATE | VM_PROT_READ,
							  &piece, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_NULL, piece);

	/* vm_remap */
	mach_vm_address_t to = 0;
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_remap(mach_task_self(), &to, PAGE, 0,
						      VM_FLAGS_ANYWHERE, self->task, unmapped,
						      FALSE, &cur, &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_remap(mach_task_self(), &to, 0, 0,
						       VM_FLAGS_ANYWHERE, self->task, at,
						       FALSE, &cur, &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_remap(mach_task_self(), &to, PAGE, 0,
						       VM_FLAGS_ANYWHERE, port, at, FALSE, &cur,
						       &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_remap(mach_task_self(), &to, PAGE, 0,
						       VM_FLAGS_ANYWHERE, self->task, at, FALSE,
						       &cur, &max, 7));

	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at, PAGE));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), entry));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), port,
						   MACH_PORT_RIGHT_RECEIVE, -1));
}

TEST_F(vm, entries_leave_nothing_behind)
{
	long ports = mach_stat("live_ports");

	for (int i = 0; i < 20; i++) {
		mach_port_t entry = new_entry(PAGE);
		mach_vm_address_t at;

		ASSERT_NE(MACH_PORT_NULL, entry);
		ASSERT_EQ(KERN_SUCCESS, map_entry(self->task, &at, PAGE, entry, FALSE));
		ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), entry));
		ASSERT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at, PAGE));
	}
	EXPECT_EQ(ports, mach_stat("live_ports"));
}

TEST_F(vm, behavior_set_advises)
{
	mach_vm_address_t at = 0, unmapped;
	char buf[8];

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &at, 3 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, poke(self->task, at, "kept"));
	for (vm_behavior_t b = VM_BEHAVIOR_DEFAULT; b <= VM_BEHAVIOR_PAGEOUT; b++) {
		if (b == VM_BEHAVIOR_FREE || b == VM_BEHAVIOR_REUSABLE)
			continue;	/* the bytes may go */
		EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(self->task, at, 3 * PAGE, b)) {
			TH_LOG("behavior %d", b);
		}
	}
	/* DONTNEED, PAGEOUT and the rest keep the bytes. */
	ASSERT_EQ(KERN_SUCCESS, peek(self->task, at, buf, 5));
	EXPECT_STREQ("kept", buf);
	EXPECT_EQ(KERN_SUCCESS, vm_behavior_set(self->task, at + PAGE, PAGE, VM_BEHAVIOR_FREE));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_behavior_set(self->task, at, PAGE, 99));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(self->task, at, 0, 99));
	unmapped = at + 2 * PAGE;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, unmapped, PAGE));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_behavior_set(self->task, at, 3 * PAGE,
							     VM_BEHAVIOR_RANDOM));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at, 2 * PAGE));
}

TEST_F(vm, wire_needs_the_privileged_host_port)
{
	mach_vm_address_t at = 0;
	mach_port_t priv;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &at, 2 * PAGE, VM_FLAGS_ANYWHERE));
	EXPECT_EQ(KERN_INVALID_HOST, vm_wire(mach_host_self(), self->task, at, PAGE,
					     VM_PROT_READ));
	if (host_get_host_priv_port(mach_host_self(), &priv) != KERN_SUCCESS)
		SKIP(return, "not privileged");
	EXPECT_EQ(KERN_SUCCESS, mach_vm_wire(priv, self->task, at, 2 * PAGE, VM_PROT_READ));
	EXPECT_EQ(KERN_SUCCESS, vm_wire(priv, self->task, at, 2 * PAGE, VM_PROT_NONE));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_wire(priv, self->task, at, PAGE, 0x10));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at + PAGE, PAGE));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_wire(priv, self->task, at, 2 * PAGE, VM_PROT_READ));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at, PAGE));
}

TEST_F(vm, region_recurse_reports_depth_zero)
{
	mach_vm_address_t at = 0, found;
	vm_region_submap_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_SUBMAP_INFO_COUNT_64;
	mach_vm_size_t size;
	natural_t depth = 5;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &at, 2 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_protect(self->task, at, 2 * PAGE, FALSE, VM_PROT_READ));
	found = at;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region_recurse(self->task, &found, &size, &depth,
						       (vm_region_recurse_info_t)&info, &count));
	EXPECT_EQ(at, found);
	EXPECT_EQ(2 * PAGE, size);
	EXPECT_EQ(0, depth);
	EXPECT_EQ(VM_REGION_SUBMAP_INFO_COUNT_64, count);
	EXPECT_EQ(VM_PROT_READ, info.protection);
	EXPECT_EQ(0, info.is_submap);
	vm_address_t found32 = at;
	vm_size_t size32;
	count = 3;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_region_recurse_64(self->task, &found32, &size32,
							      &depth,
							      (vm_region_recurse_info_t)&info,
							      &count));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at, 2 * PAGE));
}

TEST_F(vm, mach_vm_names_are_the_same_calls)
{
	mach_vm_address_t at = 0, dest;
	vm_offset_t data;
	mach_msg_type_number_t count;
	const char *text = "sixty-four";

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->task, &at, 2 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_write(self->task, at, (vm_offset_t)text, 11));
	dest = at + PAGE;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_copy(self->task, at, 11, dest));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_read(self->task, dest, 11, &data, &count));
	EXPECT_EQ(11, count);
	EXPECT_STREQ(text, (char *)data);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), data, count));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_inherit(self->task, at, PAGE, VM_INHERIT_NONE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(self->task, at, PAGE, FALSE, VM_PROT_READ));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_write(self->task, at, (vm_offset_t)text, 11));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(self->task, at, 2 * PAGE));
}

TEST_HARNESS_MAIN
