// SPDX-License-Identifier: GPL-2.0
/*
 * vm_map, vm_remap, mach_make_memory_entry, vm_behavior_set and
 * vm_region_recurse_64 by message, in XNU's MIG layouts under both the
 * mach_vm (4800) and vm_map (3800) ids, sent to a child task's port.
 */
#include <string.h>
#include <sys/mman.h>

#include <mach/mach.h>
#include <mach/mach_vm.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

#define PAGE 4096

#pragma pack(push, 4)
/* One port descriptor, NDR, then up to 16 words of arguments. */
struct port_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	uint32_t w[16];
};

/* A port descriptor's reply: the port, NDR, then words. */
struct port_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	uint32_t w[16];
};
#pragma pack(pop)

union big_exchange {
	union exchange x;
	struct port_request in;
	struct port_reply pr;
	char room[1024];
};

static void put64(uint32_t *w, uint64_t v)
{
	w[0] = (uint32_t)v;
	w[1] = (uint32_t)(v >> 32);
}

static uint64_t get64(const uint32_t *w)
{
	return w[0] | (uint64_t)w[1] << 32;
}

/* A request with port (copy-send) and n words, sent to task: the reply in x. */
static mach_msg_return_t port_call(mach_port_t task, int id, mach_port_t port,
				   const uint32_t *words, int n, union big_exchange *x)
{
	mach_port_t reply = mig_get_reply_port();
	mach_msg_size_t size = sizeof(mach_msg_header_t) + 4 + 12 + 8 + 4 * n;
	mach_msg_return_t mr;

	memset(x, 0, sizeof(*x));
	x->in.head.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			       MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	x->in.head.msgh_size = size;
	x->in.head.msgh_remote_port = task;
	x->in.head.msgh_local_port = reply;
	x->in.head.msgh_id = id;
	x->in.body.msgh_descriptor_count = 1;
	x->in.port.name = port;
	x->in.port.disposition = MACH_MSG_TYPE_COPY_SEND;
	x->in.port.type = MACH_MSG_PORT_DESCRIPTOR;
	x->in.ndr = NDR_record;
	memcpy(x->in.w, words, 4 * n);
	mr = mach_msg(&x->in.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, size,
		      sizeof(*x), reply, 10000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		mig_dealloc_reply_port(reply);
	return mr;
}

/* A simple reply's RetCode, or the reply id's mismatch. */
static kern_return_t ret_of(union big_exchange *x, int id)
{
	if (x->x.out.head.msgh_id != id + 100)
		return MIG_REPLY_MISMATCH;
	return (x->x.out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ? KERN_SUCCESS :
								     x->x.out.s.ret;
}

FIXTURE(vm_mig) {
	struct made made;
	task_t child;
};

FIXTURE_SETUP(vm_mig)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &self->child));
}

FIXTURE_TEARDOWN(vm_mig)
{
	made_end(&self->made);
}

/* mach_vm_map's words: address, size, mask, flags, offset, copy, cur, max, inheritance. */
static int map_words(uint32_t *w, uint64_t size, int flags, int prot)
{
	put64(&w[0], 0);
	put64(&w[2], size);
	put64(&w[4], 0);
	w[6] = flags;
	put64(&w[7], 0);
	w[9] = FALSE;
	w[10] = prot;
	w[11] = prot;
	w[12] = VM_INHERIT_DEFAULT;
	return 13;
}

TEST_F(vm_mig, map_and_entries_by_message)
{
	static const int make_ids[] = { 4817, 3825, 3816 };
	static const int map_ids[] = { 4811, 3812 };
	union big_exchange x;
	uint32_t w[16];
	char buf[16];
	vm_size_t got;

	for (int i = 0; i < 3; i++) {
		/* A fresh entry, made in the child's name by message. */
		put64(&w[0], 2 * PAGE);
		put64(&w[2], 0);
		w[4] = MAP_MEM_NAMED_CREATE | VM_PROT_READ | VM_PROT_WRITE;
		ASSERT_EQ(MACH_MSG_SUCCESS, port_call(self->child, make_ids[i], MACH_PORT_NULL, w,
						      5, &x));
		ASSERT_EQ(KERN_SUCCESS, ret_of(&x, make_ids[i]));
		mach_port_t entry = x.pr.port.name;
		EXPECT_EQ(2 * PAGE, get64(x.pr.w));
		ASSERT_NE(MACH_PORT_NULL, entry);

		/* Mapped in the child by message, and in us by libmach. */
		int n = map_words(w, 2 * PAGE, VM_FLAGS_ANYWHERE, VM_PROT_READ | VM_PROT_WRITE);
		ASSERT_EQ(MACH_MSG_SUCCESS, port_call(self->child, map_ids[i % 2], entry, w, n,
						      &x));
		ASSERT_EQ(KERN_SUCCESS, ret_of(&x, map_ids[i % 2]));
		uint64_t there = get64(x.x.out.s.w);
		mach_vm_address_t here = 0;
		ASSERT_EQ(KERN_SUCCESS, mach_vm_map(mach_task_self(), &here, 2 * PAGE, 0,
						    VM_FLAGS_ANYWHERE, entry, 0, FALSE,
						    VM_PROT_READ | VM_PROT_WRITE,
						    VM_PROT_READ | VM_PROT_WRITE,
						    VM_INHERIT_DEFAULT));
		strcpy((char *)here + PAGE, "shared");
		ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, there + PAGE, 7,
							  (vm_address_t)buf, &got));
		EXPECT_STREQ("shared", buf);

		/* Bad input: a protection beyond the maximum. */
		n = map_words(w, PAGE, VM_FLAGS_ANYWHERE, VM_PROT_READ);
		w[10] = VM_PROT_ALL;
		ASSERT_EQ(MACH_MSG_SUCCESS, port_call(self->child, map_ids[i % 2], entry, w, n,
						      &x));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, ret_of(&x, map_ids[i % 2]));
		/* A request of the wrong size: MIG's answer. */
		ASSERT_EQ(MACH_MSG_SUCCESS, port_call(self->child, map_ids[i % 2], entry, w,
						      n - 1, &x));
		EXPECT_EQ(MIG_BAD_ARGUMENTS, ret_of(&x, map_ids[i % 2]));

		EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), here, 2 * PAGE));
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), entry));
	}
}

TEST_F(vm_mig, remap_by_message)
{
	static const int ids[] = { 4813, 3814 };
	mach_vm_address_t src = 0;
	union big_exchange x;
	uint32_t w[16];

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &src, PAGE, VM_FLAGS_ANYWHERE));
	strcpy((char *)src, "ours");
	for (int i = 0; i < 2; i++) {
		char buf[8];
		vm_size_t got;

		/* target address, size, mask, flags, source address, copy, inheritance */
		put64(&w[0], 0);
		put64(&w[2], PAGE);
		put64(&w[4], 0);
		w[6] = VM_FLAGS_ANYWHERE;
		put64(&w[7], src);
		w[9] = FALSE;
		w[10] = VM_INHERIT_SHARE;
		ASSERT_EQ(MACH_MSG_SUCCESS, port_call(self->child, ids[i], mach_task_self(), w, 11,
						      &x));
		ASSERT_EQ(KERN_SUCCESS, ret_of(&x, ids[i]));
		uint64_t at = get64(x.x.out.s.w);
		EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, x.x.out.s.w[2]);
		ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, at, 5, (vm_address_t)buf,
							  &got));
		EXPECT_STREQ("ours", buf);
		/* A source that is no task. */
		ASSERT_EQ(MACH_MSG_SUCCESS, port_call(self->child, ids[i], mach_host_self(), w,
						      11, &x));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, ret_of(&x, ids[i]));
	}
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), src, PAGE));
}

TEST_F(vm_mig, behavior_and_region_recurse_by_message)
{
	mach_vm_address_t at = 0;
	struct reply out;
	uint32_t w[5];

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(self->child, &at, 2 * PAGE, VM_FLAGS_ANYWHERE));
	put64(&w[0], at);
	put64(&w[2], 2 * PAGE);
	w[4] = VM_BEHAVIOR_RANDOM;
	EXPECT_EQ(KERN_SUCCESS, simple_call(self->child, 4810, w, 5, &out));
	EXPECT_EQ(KERN_SUCCESS, simple_call(self->child, 3811, w, 5, &out));
	w[4] = 99;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, simple_call(self->child, 4810, w, 5, &out));

	/* address, nesting depth, room */
	static const int ids[] = { 4815, 3822 };
	for (int i = 0; i < 2; i++) {
		put64(&w[0], at);
		w[2] = 3;
		w[3] = VM_REGION_SUBMAP_INFO_COUNT_64;
		ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, ids[i], w, 4, &out));
		EXPECT_EQ(at, get64(&out.s.w[0]));
		EXPECT_EQ(2 * PAGE, get64(&out.s.w[2]));
		EXPECT_EQ(0, out.s.w[4]);
		EXPECT_EQ(VM_REGION_SUBMAP_INFO_COUNT_64, out.s.w[5]);
		EXPECT_EQ(VM_PROT_READ | VM_PROT_WRITE, out.s.w[6]);
		w[3] = 4;
		EXPECT_EQ(KERN_INVALID_ARGUMENT, simple_call(self->child, ids[i], w, 4, &out));
	}
}

/* libmach's calls on a port standing in for the task: sent as messages. */
TEST_F(vm_mig, calls_on_a_stand_in_are_the_tasks)
{
	memory_object_size_t size = PAGE;
	mach_vm_address_t at = 0, src = 0, remapped = 0;
	mach_port_t entry = MACH_PORT_NULL;
	vm_prot_t cur, max;
	struct proxy p;
	char buf[8];
	vm_size_t got;

	proxy_start(&p, self->child);
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(p.port, &size, 0,
							  MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT,
							  &entry, MACH_PORT_NULL));
	EXPECT_EQ(PAGE, size);
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(p.port, &at, PAGE, 0, VM_FLAGS_ANYWHERE, entry, 0,
					    FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT,
					    VM_INHERIT_DEFAULT));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &src, PAGE, VM_FLAGS_ANYWHERE));
	strcpy((char *)src, "proxied");
	ASSERT_EQ(KERN_SUCCESS, mach_vm_remap(p.port, &remapped, PAGE, 0, VM_FLAGS_ANYWHERE,
					      mach_task_self(), src, FALSE, &cur, &max,
					      VM_INHERIT_DEFAULT));
	EXPECT_EQ(VM_PROT_DEFAULT, cur);
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, remapped, 8, (vm_address_t)buf,
						  &got));
	EXPECT_STREQ("proxied", buf);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(p.port, at, PAGE, VM_BEHAVIOR_RANDOM));
	EXPECT_LE(4, p.forwarded);
	proxy_stop(&p);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), entry));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), src, PAGE));
}

#pragma pack(push, 4)
/* vm_read's reply: its bytes out of line, NDR and their count. */
struct read_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t data;
	NDR_record_t ndr;
	uint32_t count;
};
#pragma pack(pop)

/* vm_read of size bytes at address in task by message id: its bytes in *got. */
static kern_return_t read_by_message(task_t task, int id, uint64_t address, uint32_t size,
				     char **got)
{
	union big_exchange x;
	const struct read_reply *r = (const struct read_reply *)&x;

	memset(&x, 0, sizeof(x));
	put64(&x.x.in.s.w[0], address);
	put64(&x.x.in.s.w[2], size);
	*got = NULL;
	if (call(task, id, &x.x, SIMPLE(4), MACH_MSG_TYPE_COPY_SEND) != MACH_MSG_SUCCESS)
		return MIG_SERVER_DIED;
	if (ret_of(&x, id) != KERN_SUCCESS || !(x.x.out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return ret_of(&x, id);
	if (r->data.size != size || r->count != size)
		return MIG_TYPE_ERROR;
	*got = r->data.address;
	return KERN_SUCCESS;
}

/* The pages that hold size bytes at address, unmapped. */
static void give_back(uintptr_t address, size_t size)
{
	uintptr_t start = address & -PAGE, end = (address + size + PAGE - 1) & -PAGE;

	vm_deallocate(mach_task_self(), start, end - start);
}

/*
 * vm_read by message (mach_vm 4804, vm_map 3805) gives the direct call's
 * bytes. Where they land is XNU's copy-out's: a read of up to 16 KiB
 * (msg_ool_size_small on x86_64) travels in a kernel buffer and lands at
 * the start of a fresh page; a larger one is a copy of the source's
 * pages, whose data keeps its offset in the page.
 */
TEST_F(vm_mig, read_by_message_is_the_direct_calls)
{
	static const int ids[] = { 4804, 3805 };
	static const uint32_t sizes[] = { 200, 5 * PAGE };
	vm_address_t at = 0;
	vm_offset_t direct;
	mach_msg_type_number_t count;
	static char pattern[6 * PAGE];
	char *got;

	for (unsigned int i = 0; i < sizeof(pattern); i++)
		pattern[i] = (char)(i * 7 + i / PAGE + 1);
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(self->child, &at, 6 * PAGE, VM_FLAGS_ANYWHERE));
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->child, at, (vm_offset_t)pattern,
					 sizeof(pattern)));
	for (int s = 0; s < 2; s++) {
		ASSERT_EQ(KERN_SUCCESS, vm_read(self->child, at + 3, sizes[s], &direct, &count));
		ASSERT_EQ(sizes[s], count);
		EXPECT_EQ(0, memcmp((void *)direct, pattern + 3, sizes[s]));
		for (int i = 0; i < 2; i++) {
			ASSERT_EQ(KERN_SUCCESS, read_by_message(self->child, ids[i], at + 3,
								sizes[s], &got));
			ASSERT_NE(NULL, got);
			EXPECT_EQ(0, memcmp(got, (void *)direct, sizes[s]));
			if (sizes[s] <= 4 * PAGE)
				EXPECT_EQ(0, (uintptr_t)got % PAGE);
			give_back((uintptr_t)got, sizes[s]);
		}
		give_back(direct, sizes[s]);
	}
}

TEST_HARNESS_MAIN
