// SPDX-License-Identifier: GPL-2.0
/*
 * A new task's memory, seen and changed from the parent through the
 * child's task port: each inheritance mode, writes on either side after
 * creation, and the vm_* calls on a task with an empty address space.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "mach_test.h"

#define PAGE 4096

/* size bytes at address in task, into buf; the kern_return_t. */
static kern_return_t peek(task_t task, void *address, void *buf, size_t size)
{
	vm_size_t got = 0;
	kern_return_t kr = vm_read_overwrite(task, (vm_address_t)address, size,
					     (vm_address_t)buf, &got);

	if (kr == KERN_SUCCESS && got != size)
		return KERN_FAILURE;
	return kr;
}

static kern_return_t poke(task_t task, void *address, const char *text)
{
	return vm_write(task, (vm_address_t)address, (vm_offset_t)text,
			strlen(text) + 1);
}

static char *fresh_page(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void finish(struct __test_metadata *_metadata, task_t child)
{
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), child));
}

/*
 * The tasks and processes a test makes, ended by the teardown even when
 * an assertion fails.
 */
FIXTURE(tasks) {
	struct made made;
};

FIXTURE_SETUP(tasks)
{
	made_begin(&self->made);
}

FIXTURE_TEARDOWN(tasks)
{
	made_end(&self->made);
}

TEST_F(tasks, copy_inheritance_is_copy_on_write_both_ways)
{
	char *page = fresh_page(), buf[32];
	task_t child;

	ASSERT_NE(NULL, page);
	strcpy(page, "before");
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	ASSERT_EQ(KERN_SUCCESS, peek(child, page, buf, 7));
	EXPECT_STREQ("before", buf);

	/* The parent writes: the child keeps its copy. */
	strcpy(page, "parent");
	ASSERT_EQ(KERN_SUCCESS, peek(child, page, buf, 7));
	EXPECT_STREQ("before", buf);

	/* The child's copy is written: the parent's stays. */
	ASSERT_EQ(KERN_SUCCESS, poke(child, page, "child"));
	ASSERT_EQ(KERN_SUCCESS, peek(child, page, buf, 6));
	EXPECT_STREQ("child", buf);
	EXPECT_STREQ("parent", page);

	/* The parent reads its own task the same way. */
	ASSERT_EQ(KERN_SUCCESS, peek(mach_task_self(), page, buf, 7));
	EXPECT_STREQ("parent", buf);
	finish(_metadata, child);
	munmap(page, PAGE);
}

TEST_F(tasks, share_inheritance_is_shared_both_ways)
{
	char *page = fresh_page(), buf[32];
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_address_t at = 0;
	vm_size_t size = 0;
	task_t child;

	ASSERT_NE(NULL, page);
	strcpy(page, "kept");
	ASSERT_EQ(KERN_SUCCESS, vm_inherit(mach_task_self(), (vm_address_t)page,
					   PAGE, VM_INHERIT_SHARE));
	/* The contents survive the conversion to a shared mapping. */
	EXPECT_STREQ("kept", page);
	at = (vm_address_t)page;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(mach_task_self(), &at, &size,
					     VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count,
					     NULL));
	EXPECT_EQ((vm_address_t)page, at);
	EXPECT_EQ(VM_INHERIT_SHARE, info.inheritance);
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, info.protection);

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	strcpy(page, "parent");
	ASSERT_EQ(KERN_SUCCESS, peek(child, page, buf, 7));
	EXPECT_STREQ("parent", buf);
	ASSERT_EQ(KERN_SUCCESS, poke(child, page, "child"));
	EXPECT_STREQ("child", page);
	finish(_metadata, child);
	munmap(page, PAGE);
}

/* Shmem in /proc/meminfo, in KiB; -1 if unread. */
static long shmem_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Shmem: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/*
 * A big private region, written in a few pages, made shared: each byte
 * keeps its place (across holes and the conversion's batch edges), the
 * rest still reads as zeros, and only the written pages cost memory.
 */
TEST(share_conversion_keeps_bytes_and_holes)
{
	const size_t size = 64ul << 20;
	const size_t marks[] = { 0, PAGE, 63 * PAGE, 64 * PAGE, 65 * PAGE,
				 200 * PAGE, size / 2, size - PAGE };
	const size_t count = sizeof(marks) / sizeof(marks[0]);
	char *region = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	long before, after;

	ASSERT_NE(MAP_FAILED, region);
	/* A write is one page, not a transparent huge page of 512. */
	ASSERT_EQ(0, no_huge_pages(region, size));
	for (size_t i = 0; i < count; i++)
		region[marks[i] + 7] = 'a' + i;
	EXPECT_EQ(0, region[100 * PAGE]);	/* read: the zero page */
	before = shmem_kib();
	ASSERT_LE(0, before);

	ASSERT_EQ(KERN_SUCCESS, vm_inherit(mach_task_self(), (vm_address_t)region,
					   size, VM_INHERIT_SHARE));
	after = shmem_kib();
	for (size_t i = 0; i < count; i++) {
		EXPECT_EQ('a' + (int)i, region[marks[i] + 7]);
		EXPECT_EQ(0, region[marks[i]]);
	}
	EXPECT_EQ(0, region[100 * PAGE]);
	EXPECT_EQ(0, region[size / 2 + PAGE]);
	/* Eight pages, not sixteen thousand: 4 MiB leaves room for others. */
	EXPECT_LT(after - before, 4096);
	munmap(region, size);
}

TEST_F(tasks, none_inheritance_leaves_a_hole)
{
	char *page = fresh_page(), buf[8];
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_address_t at;
	vm_size_t size;
	task_t child;

	ASSERT_NE(NULL, page);
	strcpy(page, "mine");
	ASSERT_EQ(KERN_SUCCESS, vm_inherit(mach_task_self(), (vm_address_t)page,
					   PAGE, VM_INHERIT_NONE));
	at = (vm_address_t)page;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(mach_task_self(), &at, &size,
					     VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count,
					     NULL));
	EXPECT_EQ(VM_INHERIT_NONE, info.inheritance);

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, TRUE,
						 &child));
	EXPECT_EQ(KERN_INVALID_ADDRESS, peek(child, page, buf, 5));
	/* The child's next region starts past the page, if there is one. */
	at = (vm_address_t)page;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	if (vm_region_64(child, &at, &size, VM_REGION_BASIC_INFO_64,
			 (vm_region_info_t)&info, &count, NULL) == KERN_SUCCESS)
		EXPECT_LT((vm_address_t)page, at);
	EXPECT_STREQ("mine", page);
	finish(_metadata, child);
	munmap(page, PAGE);
}

TEST_F(tasks, empty_task_vm_calls)
{
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_address_t at = 0, fixed = 0x10000000, again;
	vm_size_t size;
	char buf[16];
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	/* Nothing is mapped that Mach shows. */
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  vm_region_64(child, &at, &size, VM_REGION_BASIC_INFO_64,
			       (vm_region_info_t)&info, &count, NULL));

	ASSERT_EQ(KERN_SUCCESS, vm_allocate(child, &at, 3 * PAGE,
					    VM_FLAGS_ANYWHERE));
	EXPECT_EQ(0, at % PAGE);
	ASSERT_EQ(KERN_SUCCESS, poke(child, (void *)(at + 10), "hello"));
	ASSERT_EQ(KERN_SUCCESS, peek(child, (void *)(at + 10), buf, 6));
	EXPECT_STREQ("hello", buf);
	ASSERT_EQ(KERN_SUCCESS, vm_copy(child, at, PAGE, at + 2 * PAGE));
	ASSERT_EQ(KERN_SUCCESS, peek(child, (void *)(at + 2 * PAGE + 10), buf, 6));
	EXPECT_STREQ("hello", buf);

	vm_address_t region = 0;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(child, &region, &size,
					     VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count,
					     NULL));
	EXPECT_EQ(at, region);
	EXPECT_EQ(3 * PAGE, size);
	EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, info.protection);
	EXPECT_EQ(VM_INHERIT_COPY, info.inheritance);

	/* Read-only now: writes are refused, reads are not. */
	ASSERT_EQ(KERN_SUCCESS, vm_protect(child, at, PAGE, FALSE, VM_PROT_READ));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, poke(child, (void *)at, "no"));
	EXPECT_EQ(KERN_SUCCESS, peek(child, (void *)(at + 10), buf, 6));
	region = at;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(child, &region, &size,
					     VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count,
					     NULL));
	EXPECT_EQ(VM_PROT_READ, info.protection);
	EXPECT_EQ(PAGE, size);
	ASSERT_EQ(KERN_SUCCESS, vm_protect(child, at, PAGE, FALSE, VM_PROT_NONE));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, peek(child, (void *)at, buf, 1));

	/* Fixed placement, and a second one on top. */
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(child, &fixed, PAGE, VM_FLAGS_FIXED));
	EXPECT_EQ(0x10000000, fixed);
	again = fixed;
	EXPECT_EQ(KERN_NO_SPACE, vm_allocate(child, &again, PAGE, VM_FLAGS_FIXED));

	ASSERT_EQ(KERN_SUCCESS, vm_deallocate(child, at, 3 * PAGE));
	EXPECT_EQ(KERN_INVALID_ADDRESS, peek(child, (void *)(at + 10), buf, 6));
	/* A hole deallocates fine. */
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(child, at, 3 * PAGE));
	finish(_metadata, child);
}

/* The stub page: no Mach call sees it or may touch it. */
TEST_F(tasks, stub_page_is_invisible_and_untouchable)
{
	unsigned long start = 0, end = 0;
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_address_t at;
	vm_size_t size;
	char line[256], buf[8];
	FILE *maps;
	task_t child;

	/* The stub is mapped with the agent, when a call first needs it. */
	ASSERT_EQ(0, make_own_agent());
	for (int i = 0; i < 200 && !start; i++) {
		maps = fopen("/proc/self/maps", "r");
		ASSERT_NE(NULL, maps);
		while (fgets(line, sizeof(line), maps))
			if (strstr(line, "[mach-stub]"))
				sscanf(line, "%lx-%lx", &start, &end);
		fclose(maps);
		if (!start)
			usleep(10000);
	}
	ASSERT_NE(0, start);
	ASSERT_EQ(PAGE, end - start);

	EXPECT_EQ(KERN_INVALID_ADDRESS, peek(mach_task_self(), (void *)start,
					     buf, 4));
	EXPECT_EQ(KERN_INVALID_ADDRESS, poke(mach_task_self(), (void *)start, "x"));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_protect(mach_task_self(), start, PAGE,
						   FALSE, VM_PROT_ALL));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_inherit(mach_task_self(), start, PAGE,
						   VM_INHERIT_SHARE));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_deallocate(mach_task_self(), start,
						      PAGE));
	at = start;
	if (vm_region_64(mach_task_self(), &at, &size, VM_REGION_BASIC_INFO_64,
			 (vm_region_info_t)&info, &count, NULL) == KERN_SUCCESS)
		EXPECT_GE(at, end);

	/* The agent still works: a task can still be made. */
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	/* In the child, the stub is all there is; it cannot be removed. */
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  vm_deallocate(child, 0, 0x7ffffffff000UL));
	at = 0;
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(child, &at, PAGE, VM_FLAGS_ANYWHERE));
	finish(_metadata, child);
}

TEST_F(tasks, bad_vm_arguments)
{
	vm_address_t at = 0;
	char buf[8];
	task_t child;

	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &child));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_allocate(child, &at, (vm_size_t)-1,
						     VM_FLAGS_ANYWHERE));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_deallocate(child, 0x1000,
						       (vm_size_t)-4096));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_inherit(child, 0, PAGE, 7));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_protect(child, 0, PAGE, FALSE, 0x10));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, vm_allocate(child, &at, PAGE,
						     ~VM_FLAGS_USER_ALLOCATE));
	/* Outside the map: no address, as XNU's vm_map_enter() says. */
	at = 0xffff800000000000UL;
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_allocate(child, &at, PAGE, VM_FLAGS_FIXED));
	EXPECT_EQ(KERN_INVALID_ADDRESS, peek(child, (void *)0x1000, buf, 4));
	EXPECT_EQ(KERN_INVALID_ADDRESS, vm_protect(child, 0x20000000, PAGE,
						   FALSE, VM_PROT_READ));
	/* Zero sizes do nothing. */
	at = 0x1234;
	EXPECT_EQ(KERN_SUCCESS, vm_allocate(child, &at, 0, VM_FLAGS_ANYWHERE));
	EXPECT_EQ(0, at);
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(child, 0x1000, 0));

	/*
	 * A caller's bad buffer is its own problem, not the kernel's:
	 * vm_write's is a message's on XNU, that cannot be sent.
	 */
	at = 0;
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(child, &at, PAGE, VM_FLAGS_ANYWHERE));
	EXPECT_EQ(MACH_SEND_INVALID_MEMORY, vm_write(child, at, 8, 4));
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  vm_read_overwrite(child, at, 8, 16, NULL));

	finish(_metadata, child);
	/* The task is gone: its port is a dead name. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, vm_allocate(child, &at, PAGE,
						      VM_FLAGS_ANYWHERE));
}

/*
 * vm_copy between overlapping ranges copies as from a snapshot of the
 * source, as XNU's does (it copies the source in first): a destination
 * a page or a few bytes past the source gets the source's bytes as they
 * were, not what the copy already wrote over them.
 */
TEST(overlapping_vm_copy_copies_the_source_as_it_was)
{
	static const vm_size_t shifts[] = { PAGE, 3, PAGE + 5 };
	uint8_t *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t want[2 * PAGE];

	ASSERT_NE(MAP_FAILED, p);
	for (size_t k = 0; k < sizeof(shifts) / sizeof(shifts[0]); k++) {
		for (size_t i = 0; i < 4 * PAGE; i++)
			p[i] = (uint8_t)(i % 251 + k);
		memcpy(want, p, sizeof(want));
		ASSERT_EQ(KERN_SUCCESS, vm_copy(mach_task_self(), (vm_address_t)p, 2 * PAGE,
						(vm_address_t)p + shifts[k]));
		EXPECT_EQ(0, memcmp(want, p + shifts[k], sizeof(want))) {
			TH_LOG("shifted by %zu", (size_t)shifts[k]);
		}
		/* And back, the destination before the source. */
		memcpy(want, p + shifts[k], sizeof(want));
		ASSERT_EQ(KERN_SUCCESS, vm_copy(mach_task_self(), (vm_address_t)p + shifts[k],
						2 * PAGE, (vm_address_t)p));
		EXPECT_EQ(0, memcmp(want, p, sizeof(want))) {
			TH_LOG("back by %zu", (size_t)shifts[k]);
		}
	}
	munmap(p, 4 * PAGE);
}

TEST_HARNESS_MAIN
