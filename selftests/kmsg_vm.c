// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's calls whose memory travels out of line, by message: vm_read
 * and vm_write (mach_vm 4804/4806, vm_map 3805/3807), mach_port_names and
 * mach_port_get_set_status (3200, 3211), and the vm_map interface (3800)
 * beside mach_vm. Requests built by hand in XNU's layouts get XNU's replies
 * and the answers libmach's calls give; through a stand-in port libmach's
 * calls give what they give on the task itself.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

#pragma pack(push, 4)
/* A reply carrying n out-of-line regions, then NDR and n counts. */
struct ool_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool[2];
	/* NDR and the counts follow the n'th descriptor */
};

/* mach_vm_write's request: the bytes, then NDR, the address and their count. */
struct write_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t data;
	NDR_record_t ndr;
	uint64_t address;
	mach_msg_type_number_t count;
};
#pragma pack(pop)

#define OOL_REPLY(n) ((mach_msg_size_t)(sizeof(mach_msg_header_t) + 4 + 16 * (n) + 8 + 4 * (n)))

/* The i'th count after the n descriptors of a reply. */
static uint32_t ool_count(const union exchange *x, int n, int i)
{
	uint32_t v;

	memcpy(&v, (const char *)x + OOL_REPLY(n) - 4 * (n - i), 4);
	return v;
}

FIXTURE(kmsg_vm) {
	struct made made;
	task_t child;
	vm_address_t at;	/* a page of the child's, patterned */
};

FIXTURE_SETUP(kmsg_vm)
{
	char pattern[256];

	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, made_task_create(&self->made, mach_task_self(), NULL, 0, FALSE,
						 &self->child));
	self->at = 0;
	ASSERT_EQ(KERN_SUCCESS, vm_allocate(self->child, &self->at, getpagesize(),
					    VM_FLAGS_ANYWHERE));
	for (int i = 0; i < 256; i++)
		pattern[i] = (char)(i * 7 + 1);
	ASSERT_EQ(KERN_SUCCESS, vm_write(self->child, self->at, (vm_offset_t)pattern,
					 sizeof(pattern)));
}

FIXTURE_TEARDOWN(kmsg_vm)
{
	made_end(&self->made);
}

/* mach_vm_read or vm_read of size bytes at address: the reply checked, *got its bytes. */
static kern_return_t read_by_message(struct __test_metadata *_metadata, task_t task, int id,
				     uint64_t address, uint64_t size, union exchange *x,
				     void **got)
{
	const struct ool_reply *r = (const struct ool_reply *)x;

	memset(x, 0, sizeof(*x));
	memcpy(&x->in.s.w[0], &address, 8);
	memcpy(&x->in.s.w[2], &size, 8);
	*got = NULL;
	if (call(task, id, x, SIMPLE(4), MACH_MSG_TYPE_COPY_SEND) != MACH_MSG_SUCCESS)
		return MIG_SERVER_DIED;
	EXPECT_EQ(id + 100, x->out.head.msgh_id);
	if (!(x->out.head.msgh_bits & COMPLEX)) {
		EXPECT_EQ(sizeof(mig_reply_error_t), x->out.head.msgh_size);
		return x->out.s.ret;
	}
	EXPECT_EQ(OOL_REPLY(1), x->out.head.msgh_size);
	EXPECT_EQ(1, r->body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_OOL_DESCRIPTOR, (unsigned int)r->ool[0].type);
	EXPECT_EQ(size, r->ool[0].size);
	EXPECT_EQ(size, ool_count(x, 1, 0));
	*got = r->ool[0].address;
	return KERN_SUCCESS;
}

TEST_F(kmsg_vm, vm_read_by_message_is_libmachs)
{
	static const int ids[] = { 4804, 3805 };
	union exchange x;
	vm_offset_t direct;
	mach_msg_type_number_t count;
	void *got;

	ASSERT_EQ(KERN_SUCCESS, vm_read(self->child, self->at + 3, 200, &direct, &count));
	ASSERT_EQ(200, count);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(KERN_SUCCESS, read_by_message(_metadata, self->child, ids[i],
							self->at + 3, 200, &x, &got));
		ASSERT_NE(NULL, got);
		EXPECT_EQ(0, memcmp(got, (void *)direct, 200));
		munmap(got, 200);
		/* Nothing to read: no bytes, as the direct call. */
		ASSERT_EQ(KERN_SUCCESS, read_by_message(_metadata, self->child, ids[i],
							self->at, 0, &x, &got));
		EXPECT_EQ(NULL, got);
		/* Unmapped memory: the direct call's error. */
		EXPECT_EQ(vm_read(self->child, 0x1000, 16, &direct, &count),
			  read_by_message(_metadata, self->child, ids[i], 0x1000, 16, &x, &got));
	}
	/* The caller's own task: its bytes. */
	static const char mine[] = "read by message";

	ASSERT_EQ(KERN_SUCCESS, read_by_message(_metadata, mach_task_self(), 4804,
						(uintptr_t)mine, sizeof(mine), &x, &got));
	EXPECT_EQ(0, memcmp(got, mine, sizeof(mine)));
}

static kern_return_t write_by_message(task_t task, int id, uint64_t address, const void *data,
				      uint32_t size, uint32_t count, union exchange *x)
{
	struct write_request *w = (struct write_request *)x;

	memset(x, 0, sizeof(*x));
	w->head.msgh_bits = COMPLEX;
	w->body.msgh_descriptor_count = 1;
	w->data.address = (void *)data;
	w->data.size = size;
	w->data.copy = MACH_MSG_VIRTUAL_COPY;
	w->data.type = MACH_MSG_OOL_DESCRIPTOR;
	w->ndr = NDR_record;
	w->address = address;
	w->count = count;
	if (call(task, id, x, sizeof(*w), MACH_MSG_TYPE_COPY_SEND) != MACH_MSG_SUCCESS)
		return MIG_SERVER_DIED;
	if (x->out.head.msgh_id != id + 100 || (x->out.head.msgh_bits & COMPLEX) ||
	    x->out.head.msgh_size != sizeof(mig_reply_error_t))
		return MIG_REPLY_MISMATCH;
	return x->out.s.ret;
}

TEST_F(kmsg_vm, vm_write_by_message_is_libmachs)
{
	static const char words[] = "written by message";
	char back[sizeof(words)];
	union exchange x;
	vm_size_t n;

	ASSERT_EQ(KERN_SUCCESS, write_by_message(self->child, 4806, self->at + 10, words,
						 sizeof(words), sizeof(words), &x));
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, self->at + 10, sizeof(words),
						  (vm_address_t)back, &n));
	EXPECT_EQ(0, memcmp(words, back, sizeof(words)));
	ASSERT_EQ(KERN_SUCCESS, write_by_message(self->child, 3807, self->at + 100, "xyz", 3, 3,
						 &x));
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, self->at + 100, 3,
						  (vm_address_t)back, &n));
	EXPECT_EQ(0, memcmp("xyz", back, 3));
	/* Read-only memory, and none: the direct call's errors. */
	ASSERT_EQ(KERN_SUCCESS, vm_protect(self->child, self->at, getpagesize(), FALSE,
					   VM_PROT_READ));
	EXPECT_EQ(vm_write(self->child, self->at, (vm_offset_t)words, 4),
		  write_by_message(self->child, 4806, self->at, words, 4, 4, &x));
	EXPECT_EQ(vm_write(self->child, 0x1000, (vm_offset_t)words, 4),
		  write_by_message(self->child, 4806, 0x1000, words, 4, 4, &x));
	EXPECT_NE(KERN_SUCCESS, write_by_message(self->child, 4806, 0x1000, words, 4, 4, &x));
}

TEST_F(kmsg_vm, a_malformed_out_of_line_request_gets_migs_error_and_leaks_nothing)
{
	static const char words[] = "never written";
	struct write_request *w;
	union exchange x;
	char back[4];
	vm_size_t n;

	/* Warm: the reply port and the caches the calls use exist. */
	write_by_message(self->child, 4806, self->at, "a", 1, 2, &x);
	long before = mach_stat("live_allocations");

	/* A count that is not the descriptor's size. */
	EXPECT_EQ(MIG_TYPE_ERROR, write_by_message(self->child, 4806, self->at, words, 4, 5, &x));
	/* The descriptor's count cut short: the wrong size. */
	memset(&x, 0, sizeof(x));
	w = (struct write_request *)&x;
	w->head.msgh_bits = COMPLEX;
	w->body.msgh_descriptor_count = 1;
	w->data.address = (void *)words;
	w->data.size = 4;
	w->data.type = MACH_MSG_OOL_DESCRIPTOR;
	w->ndr = NDR_record;
	w->address = self->at;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 4806, &x, sizeof(*w) - 4,
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);
	/* Sent simple, with the same bytes: no descriptor. */
	memset(&x, 0, sizeof(x));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 4806, &x, sizeof(*w),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);

	/*
	 * A port descriptor where the bytes belong, padded to the size: a
	 * type error, and the send right it carried destroyed.
	 */
	mach_port_t port = new_port();
	mach_port_urefs_t sends, after;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND,
						   &sends));
	memset(&x, 0, sizeof(x));
	one_port(&x, port, MACH_MSG_TYPE_MOVE_SEND);
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 4806, &x, sizeof(*w),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(4906, x.out.head.msgh_id);
	EXPECT_EQ(MIG_TYPE_ERROR, x.out.s.ret);
	/* The send right it moved is gone, not back with us nor anywhere. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND,
						   &after));
	EXPECT_EQ(sends - 1, after);
	mach_port_status_t status;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(mach_task_self(), port,
							 MACH_PORT_RECEIVE_STATUS,
							 (mach_port_info_t)&status, &count));
	EXPECT_EQ(after ? 1 : 0, status.mps_srights);
	mach_port_destroy(mach_task_self(), port);

	/* vm_read with a trailing word: the wrong size. */
	memset(&x, 0, sizeof(x));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 4804, &x, SIMPLE(5),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);

	EXPECT_EQ(before, mach_stat("live_allocations"));
	/* Nothing of it was written. */
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, self->at, 4, (vm_address_t)back,
						  &n));
	EXPECT_NE(0, memcmp(words, back, 4));
}

/* Are the (name, type) pairs of a and b the same, in any order? */
static int same_pairs(const mach_port_name_t *na, const mach_port_type_t *ta,
		      const mach_port_name_t *nb, const mach_port_type_t *tb, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int j = 0;

		while (j < n && nb[j] != na[i])
			j++;
		if (j == n || tb[j] != ta[i])
			return 0;
	}
	return 1;
}

TEST_F(kmsg_vm, port_names_by_message_are_libmachs)
{
	const struct ool_reply *r;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t nn, nt;
	union exchange x;

	/* Something in the child's space besides what it has. */
	mach_port_t port = new_port(), name;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_RECEIVE, &name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(self->child, &names, &nn, &types, &nt));
	ASSERT_EQ(nn, nt);
	ASSERT_LT(0, nn);

	memset(&x, 0, sizeof(x));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, 3200, &x, sizeof(mach_msg_header_t),
					 MACH_MSG_TYPE_COPY_SEND));
	r = (const struct ool_reply *)&x;
	ASSERT_EQ(3300, x.out.head.msgh_id);
	ASSERT_EQ(OOL_REPLY(2), x.out.head.msgh_size);
	ASSERT_TRUE(x.out.head.msgh_bits & COMPLEX);
	ASSERT_EQ(2, r->body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_OOL_DESCRIPTOR, (unsigned int)r->ool[0].type);
	EXPECT_EQ(MACH_MSG_OOL_DESCRIPTOR, (unsigned int)r->ool[1].type);
	ASSERT_EQ(nn, ool_count(&x, 2, 0));
	ASSERT_EQ(nn, ool_count(&x, 2, 1));
	ASSERT_EQ(4 * nn, r->ool[0].size);
	ASSERT_EQ(4 * nn, r->ool[1].size);
	EXPECT_TRUE(same_pairs(names, types, r->ool[0].address, r->ool[1].address, nn));
	munmap(r->ool[0].address, 4 * nn);
	munmap(r->ool[1].address, 4 * nn);
	vm_deallocate(mach_task_self(), (vm_address_t)names, 4 * nn);
	vm_deallocate(mach_task_self(), (vm_address_t)types, 4 * nn);

	/* With arguments it takes none of: MIG_BAD_ARGUMENTS. */
	struct reply out;
	uint32_t one[1] = { 0 };

	EXPECT_EQ(MIG_BAD_ARGUMENTS, simple_call(self->child, 3200, one, 1, &out));
	mach_port_destroy(mach_task_self(), port);
}

TEST_F(kmsg_vm, set_status_by_message_is_libmachs)
{
	const struct ool_reply *r;
	mach_port_name_array_t members;
	mach_msg_type_number_t n;
	mach_port_t set, a = new_port(), b = new_port();
	union exchange x;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET,
						   &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), a, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), b, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(mach_task_self(), set, &members, &n));
	ASSERT_EQ(2, n);

	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = set;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 3211, &x, SIMPLE(1),
					 MACH_MSG_TYPE_COPY_SEND));
	r = (const struct ool_reply *)&x;
	ASSERT_EQ(3311, x.out.head.msgh_id);
	ASSERT_EQ(OOL_REPLY(1), x.out.head.msgh_size);
	ASSERT_EQ(MACH_MSG_OOL_DESCRIPTOR, (unsigned int)r->ool[0].type);
	ASSERT_EQ(2, ool_count(&x, 1, 0));
	ASSERT_EQ(8, r->ool[0].size);
	const mach_port_name_t *got = r->ool[0].address;

	EXPECT_TRUE((got[0] == members[0] && got[1] == members[1]) ||
		    (got[0] == members[1] && got[1] == members[0]));

	/* Not a set: the direct call's error, as a RetCode. */
	struct reply out;
	uint32_t name[1] = { a };

	EXPECT_EQ(mach_port_get_set_status(mach_task_self(), a, &members, &n),
		  simple_call(mach_task_self(), 3211, name, 1, &out));
	EXPECT_EQ(sizeof(mig_reply_error_t), out.head.msgh_size);
}

TEST_F(kmsg_vm, vm_map_routines_are_mach_vms)
{
	const vm_size_t page = getpagesize();
	uint32_t args[6];
	struct reply out;
	vm_address_t address;
	union exchange x;

	/* vm_allocate (3801), anywhere */
	memset(args, 0, sizeof(args));
	args[2] = 2 * page;
	args[4] = VM_FLAGS_ANYWHERE;
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3801, args, 5, &out));
	ASSERT_EQ(3901, out.head.msgh_id);
	ASSERT_EQ(SIMPLE(3), out.head.msgh_size);
	memcpy(&address, out.s.w, 8);

	/* vm_region (3800) and vm_region_64 (3824): as vm_region_64() */
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_address_t region = address;
	vm_size_t size;
	mach_port_t object;

	ASSERT_EQ(KERN_SUCCESS, vm_region_64(self->child, &region, &size, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count, &object));
	for (int id = 3800; id <= 3824; id += 24) {
		memset(&x, 0, sizeof(x));
		memcpy(x.in.s.w, &address, 8);
		x.in.s.w[2] = VM_REGION_BASIC_INFO_64;
		x.in.s.w[3] = VM_REGION_BASIC_INFO_COUNT_64;
		ASSERT_EQ(MACH_MSG_SUCCESS, call(self->child, id, &x, SIMPLE(4),
						 MACH_MSG_TYPE_COPY_SEND));
		ASSERT_EQ(id + 100, x.out.head.msgh_id);
		ASSERT_EQ(68 + 4 * VM_REGION_BASIC_INFO_COUNT_64, x.out.head.msgh_size);
		uint32_t *r = (uint32_t *)((char *)&x + 48);
		uint64_t at, bytes;

		memcpy(&at, r, 8);
		memcpy(&bytes, r + 2, 8);
		EXPECT_EQ(region, at);
		EXPECT_EQ(size, bytes);
		EXPECT_EQ(0, memcmp(&info, &r[5], sizeof(info)));
	}

	/* vm_protect (3803) read-only, then vm_region says so */
	memcpy(args, &address, 8);
	memset(&args[2], 0, 8);
	args[2] = page;
	args[4] = FALSE;
	args[5] = VM_PROT_READ;
	EXPECT_EQ(KERN_SUCCESS, simple_call(self->child, 3803, args, 6, &out));
	EXPECT_EQ(3903, out.head.msgh_id);
	region = address;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(self->child, &region, &size, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count, &object));
	EXPECT_EQ(VM_PROT_READ, info.protection);
	/* set_maximum: the direct call's answer */
	args[4] = TRUE;
	EXPECT_EQ(vm_protect(self->child, address, page, TRUE, VM_PROT_READ),
		  simple_call(self->child, 3803, args, 6, &out));

	/* vm_inherit (3804) none */
	args[4] = VM_INHERIT_NONE;
	EXPECT_EQ(KERN_SUCCESS, simple_call(self->child, 3804, args, 5, &out));
	count = VM_REGION_BASIC_INFO_COUNT_64;
	region = address;
	ASSERT_EQ(KERN_SUCCESS, vm_region_64(self->child, &region, &size, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&info, &count, &object));
	EXPECT_EQ(VM_INHERIT_NONE, info.inheritance);

	/* vm_copy (3808) the patterned bytes to the second page, read back by 3809 */
	uint64_t from = self->at, to = address + page, len = 64;

	memcpy(&args[0], &from, 8);
	memcpy(&args[2], &len, 8);
	memcpy(&args[4], &to, 8);
	EXPECT_EQ(KERN_SUCCESS, simple_call(self->child, 3808, args, 6, &out));
	char direct[64], copied[64];
	vm_size_t n;

	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, self->at, 64,
						  (vm_address_t)direct, &n));
	uint64_t mine = (uintptr_t)copied;

	memcpy(&args[0], &to, 8);
	memcpy(&args[4], &mine, 8);
	ASSERT_EQ(KERN_SUCCESS, simple_call(self->child, 3809, args, 6, &out));
	EXPECT_EQ(3909, out.head.msgh_id);
	EXPECT_EQ(SIMPLE(3), out.head.msgh_size);
	EXPECT_EQ(0, memcmp(direct, copied, 64));

	/* vm_deallocate (3802): the region is gone */
	memcpy(&args[0], &address, 8);
	len = 2 * page;
	memcpy(&args[2], &len, 8);
	EXPECT_EQ(KERN_SUCCESS, simple_call(self->child, 3802, args, 4, &out));
	EXPECT_EQ(3902, out.head.msgh_id);
	EXPECT_EQ(vm_read_overwrite(self->child, address, 4, (vm_address_t)direct, &n),
		  simple_call(self->child, 3809, args, 6, &out));
}

TEST_F(kmsg_vm, out_of_line_calls_on_a_stand_in_are_the_tasks)
{
	struct proxy p;
	vm_offset_t direct, proxied;
	mach_msg_type_number_t dn, pn;

	proxy_start(&p, self->child);
	/* vm_read */
	ASSERT_EQ(KERN_SUCCESS, vm_read(self->child, self->at, 256, &direct, &dn));
	ASSERT_EQ(KERN_SUCCESS, vm_read(p.port, self->at, 256, &proxied, &pn));
	EXPECT_EQ(dn, pn);
	EXPECT_EQ(0, memcmp((void *)direct, (void *)proxied, 256));
	EXPECT_EQ(vm_read(self->child, 0x1000, 8, &direct, &dn),
		  vm_read(p.port, 0x1000, 8, &proxied, &pn));
	/* vm_write */
	static const char words[] = "through the stand-in";
	char back[sizeof(words)];
	vm_size_t n;

	ASSERT_EQ(KERN_SUCCESS, vm_write(p.port, self->at + 1, (vm_offset_t)words,
					 sizeof(words)));
	ASSERT_EQ(KERN_SUCCESS, vm_read_overwrite(self->child, self->at + 1, sizeof(words),
						  (vm_address_t)back, &n));
	EXPECT_EQ(0, memcmp(words, back, sizeof(words)));
	EXPECT_EQ(vm_write(self->child, 0x1000, (vm_offset_t)words, 4),
		  vm_write(p.port, 0x1000, (vm_offset_t)words, 4));
	EXPECT_EQ(vm_write(self->child, self->at, 0, 0), vm_write(p.port, self->at, 0, 0));
	/* mach_port_names */
	mach_port_name_array_t names, pnames;
	mach_port_type_array_t types, ptypes;
	mach_msg_type_number_t nn, nt, pnn, pnt;

	ASSERT_EQ(KERN_SUCCESS, mach_port_names(self->child, &names, &nn, &types, &nt));
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(p.port, &pnames, &pnn, &ptypes, &pnt));
	ASSERT_EQ(nn, pnn);
	ASSERT_EQ(nt, pnt);
	EXPECT_TRUE(same_pairs(names, types, pnames, ptypes, nn));
	/* mach_port_get_set_status, on a set of the child's */
	mach_port_t set, member;
	mach_port_name_array_t members, pmembers;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(self->child, MACH_PORT_RIGHT_RECEIVE,
						   &member));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(self->child, member, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(self->child, set, &members, &dn));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(p.port, set, &pmembers, &pn));
	ASSERT_EQ(1, dn);
	ASSERT_EQ(1, pn);
	EXPECT_EQ(members[0], pmembers[0]);
	EXPECT_EQ(mach_port_get_set_status(self->child, member, &members, &dn),
		  mach_port_get_set_status(p.port, member, &pmembers, &pn));
	EXPECT_EQ(8, p.forwarded);	/* each call on the stand-in */
	proxy_stop(&p);
}

TEST_HARNESS_MAIN
