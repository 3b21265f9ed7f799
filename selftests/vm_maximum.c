// SPDX-License-Identifier: GPL-2.0
/*
 * A range's maximum protection (vm_protect with set_maximum, vm_map's
 * max_protection) is kept by every call that makes the range shared or
 * maps it again: vm_inherit(SHARE) and the child that inherits it,
 * vm_remap's sharing, a memory entry of it, and vm_map of an entry.
 * Neither vm_protect nor the program's own mprotect() can go past it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

/* The maximum of the region at address in task, or -1. */
static int maximum(task_t task, mach_vm_address_t address)
{
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_vm_address_t at = address;
	mach_vm_size_t size = 0;
	mach_port_t object;

	if (mach_vm_region(task, &at, &size, VM_REGION_BASIC_INFO_64,
			   (vm_region_info_t)&info, &count, &object) != KERN_SUCCESS ||
	    at > address)
		return -1;
	return info.max_protection;
}

/* Two fresh pages of ours, the first one's maximum lowered to read. */
static mach_vm_address_t lowered_pair(struct __test_metadata *_metadata)
{
	mach_vm_address_t at = 0;

	EXPECT_EQ(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &at, 2 * PAGE,
						 VM_FLAGS_ANYWHERE));
	if (!at)
		return 0;
	strcpy((char *)at, "kept");
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(mach_task_self(), at, PAGE, TRUE,
						VM_PROT_READ));
	return at;
}

/* Read at most in our own page at: neither call may raise it. */
static void read_only_at_most(struct __test_metadata *_metadata, mach_vm_address_t at)
{
	EXPECT_EQ(VM_PROT_READ, maximum(mach_task_self(), at));
	EXPECT_EQ(-1, mprotect((void *)at, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_EQ(-1, mprotect((void *)at, PAGE, PROT_READ | PROT_EXEC));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(mach_task_self(), at, PAGE, FALSE, VM_PROT_READ | VM_PROT_WRITE));
}

TEST(inherit_share_keeps_a_lowered_maximum)
{
	mach_vm_address_t at = lowered_pair(_metadata);
	struct made made;
	task_t child;
	char buf[8];
	mach_vm_size_t got = 0;

	ASSERT_NE(0, at);
	ASSERT_EQ(KERN_SUCCESS, mach_vm_inherit(mach_task_self(), at, 2 * PAGE,
						VM_INHERIT_SHARE));
	EXPECT_STREQ("kept", (char *)at);
	read_only_at_most(_metadata, at);
	/* The page beside it kept its own. */
	EXPECT_EQ(VM_PROT_ALL, maximum(mach_task_self(), at + PAGE));
	EXPECT_EQ(0, mprotect((void *)(at + PAGE), PAGE, PROT_READ | PROT_WRITE));

	/* The child that inherits it shares it, the maximum with it. */
	made_begin(&made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	EXPECT_EQ(VM_PROT_READ, maximum(child, at));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(child, at, PAGE, FALSE, VM_PROT_READ | VM_PROT_WRITE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_read_overwrite(child, at, 5, (mach_vm_address_t)buf,
						       &got));
	EXPECT_STREQ("kept", buf);
	made_end(&made);
	mach_vm_deallocate(mach_task_self(), at, 2 * PAGE);
}

/*
 * A child made with inherit_memory (task_create, a fork to Linux, and
 * norma_task_clone, for which the parent's writable private memory is
 * made shared): the maximum kept in both tasks.
 */
TEST(children_keep_a_lowered_maximum)
{
	mach_vm_address_t at = 0;
	struct made made;
	task_t child, clone;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &at, PAGE,
						 VM_FLAGS_ANYWHERE));
	strcpy((char *)at, "kept");
	ASSERT_EQ(KERN_SUCCESS, mach_vm_protect(mach_task_self(), at, PAGE, TRUE,
						VM_PROT_READ | VM_PROT_WRITE));
	made_begin(&made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	EXPECT_STREQ("kept", (char *)at);
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, maximum(mach_task_self(), at));
	EXPECT_EQ(-1, mprotect((void *)at, PAGE, PROT_READ | PROT_EXEC));
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, maximum(child, at));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(child, at, PAGE, FALSE, VM_PROT_READ | VM_PROT_EXECUTE));

	ASSERT_EQ(KERN_SUCCESS, made_norma_task_clone(&made, mach_task_self(), TRUE, 0, &clone));
	EXPECT_STREQ("kept", (char *)at);
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, maximum(mach_task_self(), at));
	EXPECT_EQ(-1, mprotect((void *)at, PAGE, PROT_READ | PROT_EXEC));
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, maximum(clone, at));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(clone, at, PAGE, FALSE, VM_PROT_READ | VM_PROT_EXECUTE));
	made_end(&made);
	mach_vm_deallocate(mach_task_self(), at, PAGE);
}

TEST(remap_share_keeps_a_lowered_maximum)
{
	mach_vm_address_t at = lowered_pair(_metadata), shared = 0;
	vm_prot_t cur, max;

	ASSERT_NE(0, at);
	ASSERT_EQ(KERN_SUCCESS, mach_vm_remap(mach_task_self(), &shared, PAGE, 0,
					      VM_FLAGS_ANYWHERE, mach_task_self(), at, FALSE,
					      &cur, &max, VM_INHERIT_SHARE));
	EXPECT_EQ(VM_PROT_READ, cur);
	EXPECT_EQ(VM_PROT_READ, max);
	EXPECT_STREQ("kept", (char *)shared);
	read_only_at_most(_metadata, at);
	read_only_at_most(_metadata, shared);
	mach_vm_deallocate(mach_task_self(), shared, PAGE);
	mach_vm_deallocate(mach_task_self(), at, 2 * PAGE);
}

/*
 * An entry of two pages whose maxima differ: whether Linux can give it
 * one file or not, the lowered page is not raised by the trying.
 */
TEST(an_entry_over_two_maxima_raises_neither)
{
	memory_object_size_t size = 2 * PAGE;
	mach_vm_address_t at = lowered_pair(_metadata);
	mach_port_t entry = MACH_PORT_NULL;

	ASSERT_NE(0, at);
	mach_make_memory_entry_64(mach_task_self(), &size, at, VM_PROT_READ, &entry,
				  MACH_PORT_NULL);
	EXPECT_STREQ("kept", (char *)at);
	read_only_at_most(_metadata, at);
	EXPECT_EQ(VM_PROT_ALL, maximum(mach_task_self(), at + PAGE));
	if (entry)
		mach_port_deallocate(mach_task_self(), entry);
	mach_vm_deallocate(mach_task_self(), at, 2 * PAGE);
}

TEST(map_of_an_entry_keeps_its_maximum)
{
	memory_object_size_t size = PAGE;
	mach_vm_address_t at = 0;
	mach_port_t entry, again;

	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(mach_task_self(), &size, 0,
							  MAP_MEM_NAMED_CREATE | VM_PROT_ALL,
							  &entry, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(mach_task_self(), &at, PAGE, 0, VM_FLAGS_ANYWHERE,
					    entry, 0, FALSE, VM_PROT_READ, VM_PROT_READ,
					    VM_INHERIT_DEFAULT));
	read_only_at_most(_metadata, at);
	/* Still shared memory: an entry of it names the same bytes. */
	size = PAGE;
	EXPECT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(mach_task_self(), &size, at,
							  VM_PROT_READ, &again, MACH_PORT_NULL));
	read_only_at_most(_metadata, at);
	mach_port_deallocate(mach_task_self(), again);
	mach_port_deallocate(mach_task_self(), entry);
	mach_vm_deallocate(mach_task_self(), at, PAGE);
}

TEST(map_of_zero_fill_keeps_its_maximum)
{
	mach_vm_address_t before = 0, at;

	/*
	 * Beside memory that Linux would merge it with (zero fill, read
	 * only, its maximum all), which keeps its own.
	 */
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(mach_task_self(), &before, 2 * PAGE, 0,
					    VM_FLAGS_ANYWHERE, MACH_PORT_NULL, 0, FALSE,
					    VM_PROT_READ, VM_PROT_ALL, VM_INHERIT_DEFAULT));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), before + PAGE, PAGE));
	at = before + PAGE;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(mach_task_self(), &at, PAGE, 0, VM_FLAGS_FIXED,
					    MACH_PORT_NULL, 0, FALSE, VM_PROT_READ, VM_PROT_READ,
					    VM_INHERIT_DEFAULT));
	read_only_at_most(_metadata, at);
	EXPECT_EQ(VM_PROT_ALL, maximum(mach_task_self(), before));
	EXPECT_EQ(0, mprotect((void *)before, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC));
	mach_vm_deallocate(mach_task_self(), before, 2 * PAGE);
}

/*
 * Write taken out of a shared mapping's maximum: since Linux 6.7 that
 * mapping no longer counts as a writer of its file, and the count Linux
 * keeps of them stays right. Once it is gone the file maps writable
 * again (not too few writers), and can then be sealed (not too many).
 */
TEST(a_shared_mappings_write_maximum_leaves_the_writer_count_right)
{
	int fd = memfd_create("vm_maximum", MFD_ALLOW_SEALING);
	void *p, *again;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, PAGE));
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	strcpy(p, "kept");
	ASSERT_EQ(KERN_SUCCESS, mach_vm_protect(mach_task_self(), (mach_vm_address_t)p, PAGE,
						TRUE, VM_PROT_READ));
	read_only_at_most(_metadata, (mach_vm_address_t)p);
	EXPECT_STREQ("kept", (char *)p);
	ASSERT_EQ(0, munmap(p, PAGE));

	again = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, again);
	EXPECT_STREQ("kept", (char *)again);
	ASSERT_EQ(0, munmap(again, PAGE));
	EXPECT_EQ(0, fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	close(fd);
}

TEST_HARNESS_MAIN
