// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in answers as the object it stands for: every libmach call that
 * is served by message today, made on a task, a thread or the host and
 * again on a proxy standing in for it, gives the same return code and the
 * same out values, in success and in error; a call that changes state,
 * made on one of two tasks built alike directly and on the other through
 * a proxy, leaves them alike.
 *
 * Each table row is one call: a query (made twice on one object) or an
 * action (made once on each of the two), with a look at the state it
 * changed. A routine served later is one more row.
 */
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

/* What a call answered: its return code, then its out values as bytes. */
struct answer {
	kern_return_t kr;
	unsigned int n;
	unsigned char out[2048];
};

static void put(struct answer *a, const void *p, size_t n)
{
	if (a->n + n <= sizeof(a->out))
		memcpy(a->out + a->n, p, n);
	a->n += n;
}

#define PUT(a, v) put(a, &(v), sizeof(v))

/* An address no shell maps, where the tests place their memory. */
#define MEM	0x200000000ul
#define PAGE	4096ul

/*
 * A task and what the rows act on: all made the same way in the same
 * order, so that two worlds give the same names and addresses.
 */
struct world {
	task_t task;
	thread_act_t thread;	/* its, suspended, never run */
	mach_port_t recv;	/* a receive right of its, and a send right */
	mach_port_t pset;	/* a port set of its */
	mach_port_t ours;	/* a port of ours, with a send right */
	mach_port_t spare;	/* another */
	mach_port_name_t made;	/* a name the actions made in its space */
	struct made *tasks;	/* where the tasks made are kept, to end them */
	struct proxy task_proxy, thread_proxy;
};

/* ---- task queries: one world, asked directly and through its stand-in ---- */

static void ask_task_info(mach_port_t t, task_flavor_t flavor, mach_msg_type_number_t count,
			  struct answer *a)
{
	integer_t info[128] = { 0 };

	a->kr = task_info(t, flavor, (task_info_t)info, &count);
	PUT(a, count);
	put(a, info, sizeof(info));
}

#define TASK_INFO_ROW(flavor, count)						\
static void q_##flavor##_##count(const struct world *w, mach_port_t t, struct answer *a) \
{										\
	ask_task_info(t, flavor, count, a);					\
}
TASK_INFO_ROW(MACH_TASK_BASIC_INFO, MACH_TASK_BASIC_INFO_COUNT)
TASK_INFO_ROW(MACH_TASK_BASIC_INFO, 128)
TASK_INFO_ROW(MACH_TASK_BASIC_INFO, 2)
TASK_INFO_ROW(TASK_BASIC_INFO_32, TASK_BASIC_INFO_32_COUNT)
TASK_INFO_ROW(TASK_BASIC_INFO_64, TASK_BASIC_INFO_64_COUNT)
TASK_INFO_ROW(TASK_THREAD_TIMES_INFO, TASK_THREAD_TIMES_INFO_COUNT)
TASK_INFO_ROW(TASK_SECURITY_TOKEN, TASK_SECURITY_TOKEN_COUNT)
TASK_INFO_ROW(TASK_AUDIT_TOKEN, TASK_AUDIT_TOKEN_COUNT)
TASK_INFO_ROW(TASK_NODE_INFO, TASK_NODE_INFO_COUNT)
TASK_INFO_ROW(9999, 64)

static void ask_special(mach_port_t t, int which, struct answer *a)
{
	mach_port_t port = 0xdead;

	a->kr = task_get_special_port(t, which, &port);
	PUT(a, port);	/* the same port: the same name, coalesced */
}

static void q_special_bootstrap(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_special(t, TASK_BOOTSTRAP_PORT, a);
}

static void q_special_kernel(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_special(t, TASK_KERNEL_PORT, a);
}

static void q_special_host(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_special(t, TASK_HOST_PORT, a);
}

static void q_special_bad_which(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_special(t, 99, a);
}

static void q_threads(const struct world *w, mach_port_t t, struct answer *a)
{
	thread_act_array_t threads = NULL;
	mach_msg_type_number_t count = 0;

	a->kr = task_threads(t, &threads, &count);
	PUT(a, count);
	if (a->kr == KERN_SUCCESS) {
		put(a, threads, count * sizeof(*threads));
		vm_deallocate(mach_task_self(), (vm_address_t)threads, count * sizeof(*threads));
	}
}

static void q_ports_lookup(const struct world *w, mach_port_t t, struct answer *a)
{
	mach_port_array_t ports = NULL;
	mach_msg_type_number_t count = 0;

	a->kr = mach_ports_lookup(t, &ports, &count);
	PUT(a, count);
	if (a->kr == KERN_SUCCESS) {
		put(a, ports, count * sizeof(*ports));
		vm_deallocate(mach_task_self(), (vm_address_t)ports, count * sizeof(*ports));
	}
}

/* The three levels' exception port calls, alike in their arguments. */
typedef kern_return_t (*get_exceptions_fn)(mach_port_t, exception_mask_t, exception_mask_array_t,
					   mach_msg_type_number_t *, exception_handler_array_t,
					   exception_behavior_array_t, exception_flavor_array_t);
typedef kern_return_t (*set_exceptions_fn)(mach_port_t, exception_mask_t, mach_port_t,
					   exception_behavior_t, thread_state_flavor_t);
typedef kern_return_t (*swap_exceptions_fn)(mach_port_t, exception_mask_t, mach_port_t,
					    exception_behavior_t, thread_state_flavor_t,
					    exception_mask_array_t, mach_msg_type_number_t *,
					    exception_handler_array_t, exception_behavior_array_t,
					    exception_flavor_array_t);

static void ask_exception_ports_with(get_exceptions_fn get, mach_port_t t, exception_mask_t mask,
				     mach_msg_type_number_t count, struct answer *a)
{
	exception_mask_t masks[EXC_TYPES_COUNT] = { 0 };
	mach_port_t handlers[EXC_TYPES_COUNT] = { 0 };
	exception_behavior_t behaviors[EXC_TYPES_COUNT] = { 0 };
	thread_state_flavor_t flavors[EXC_TYPES_COUNT] = { 0 };

	a->kr = get(t, mask, masks, &count, handlers, behaviors, flavors);
	PUT(a, count);
	PUT(a, masks);
	PUT(a, handlers);
	PUT(a, behaviors);
	PUT(a, flavors);
}

static void ask_exception_ports(mach_port_t t, exception_mask_t mask,
				mach_msg_type_number_t count, struct answer *a)
{
	ask_exception_ports_with(task_get_exception_ports, t, mask, count, a);
}

static void q_exception_ports(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_exception_ports(t, EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE, EXC_TYPES_COUNT, a);
}

/* Room for one group where there are two. */
static void q_exception_ports_small(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_exception_ports(t, EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE, 1, a);
}

static void q_exception_ports_bad_mask(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_exception_ports(t, 1u << 30, EXC_TYPES_COUNT, a);
}

static void ask_type(mach_port_t t, mach_port_name_t name, struct answer *a)
{
	mach_port_type_t type = 0;

	a->kr = mach_port_type(t, name, &type);
	PUT(a, type);
}

static void q_type_recv(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_type(t, w->recv, a);
}

static void q_type_pset(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_type(t, w->pset, a);
}

static void q_type_bad_name(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_type(t, 0x7777, a);
}

static void ask_refs(mach_port_t t, mach_port_name_t name, mach_port_right_t right,
		     struct answer *a)
{
	mach_port_urefs_t refs = 0xdead;

	a->kr = mach_port_get_refs(t, name, right, &refs);
	PUT(a, refs);
}

static void q_refs_receive(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_refs(t, w->recv, MACH_PORT_RIGHT_RECEIVE, a);
}

static void q_refs_send(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_refs(t, w->recv, MACH_PORT_RIGHT_SEND, a);
}

static void q_refs_send_once(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_refs(t, w->recv, MACH_PORT_RIGHT_SEND_ONCE, a);
}

static void q_refs_bad_right(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_refs(t, w->recv, 99, a);
}

static void q_refs_bad_name(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_refs(t, 0x7777, MACH_PORT_RIGHT_SEND, a);
}

static void ask_attributes(mach_port_t t, mach_port_name_t name, mach_port_flavor_t flavor,
			   mach_msg_type_number_t count, struct answer *a)
{
	integer_t info[32] = { 0 };

	a->kr = mach_port_get_attributes(t, name, flavor, info, &count);
	PUT(a, count);
	PUT(a, info);
}

static void q_attr_limits(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_attributes(t, w->recv, MACH_PORT_LIMITS_INFO, MACH_PORT_LIMITS_INFO_COUNT, a);
}

static void q_attr_status(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_attributes(t, w->recv, MACH_PORT_RECEIVE_STATUS, MACH_PORT_RECEIVE_STATUS_COUNT, a);
}

static void q_attr_big_room(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_attributes(t, w->recv, MACH_PORT_RECEIVE_STATUS, 32, a);
}

static void q_attr_small(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_attributes(t, w->recv, MACH_PORT_RECEIVE_STATUS, 1, a);
}

static void q_attr_bad_flavor(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_attributes(t, w->recv, 99, 17, a);
}

static void q_attr_on_pset(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_attributes(t, w->pset, MACH_PORT_LIMITS_INFO, MACH_PORT_LIMITS_INFO_COUNT, a);
}

static void ask_region(mach_port_t t, vm_address_t at, vm_region_flavor_t flavor,
		       mach_msg_type_number_t count, struct answer *a)
{
	integer_t info[16] = { 0 };
	vm_size_t size = 0;
	mach_port_t object = 0xdead;

	a->kr = vm_region_64(t, &at, &size, flavor, (vm_region_info_t)info, &count, &object);
	PUT(a, at);
	PUT(a, size);
	PUT(a, count);
	PUT(a, info);
	PUT(a, object);
}

static void q_region(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_region(t, MEM, VM_REGION_BASIC_INFO_64, VM_REGION_BASIC_INFO_COUNT_64, a);
}

static void q_region_below(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_region(t, MEM - 64 * PAGE, VM_REGION_BASIC_INFO_64, VM_REGION_BASIC_INFO_COUNT_64, a);
}

static void q_region_32(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_region(t, MEM, VM_REGION_BASIC_INFO, VM_REGION_BASIC_INFO_COUNT, a);
}

static void q_region_beyond(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_region(t, 0x7ffffffff000ul, VM_REGION_BASIC_INFO_64, VM_REGION_BASIC_INFO_COUNT_64,
		   a);
}

static void q_region_small(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_region(t, MEM, VM_REGION_BASIC_INFO_64, 2, a);
}

static void q_region_bad_flavor(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_region(t, MEM, 99, VM_REGION_BASIC_INFO_COUNT_64, a);
}

static void ask_read(mach_port_t t, vm_address_t at, vm_size_t size, struct answer *a)
{
	char buf[64] = { 0 };
	vm_size_t got = 0;

	a->kr = vm_read_overwrite(t, at, size, (vm_address_t)buf, &got);
	PUT(a, got);
	PUT(a, buf);
}

static void q_read(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_read(t, MEM, 32, a);
}

static void q_read_unmapped(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_read(t, MEM + 8 * PAGE, 32, a);
}

static void q_read_across_the_end(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_read(t, MEM + 2 * PAGE - 16, 32, a);
}

static void q_vm_read(const struct world *w, mach_port_t t, struct answer *a)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	a->kr = vm_read(t, MEM, 32, &data, &count);
	PUT(a, count);
	if (a->kr == KERN_SUCCESS) {
		put(a, (void *)data, count);
		vm_deallocate(mach_task_self(), data, count);
	}
}

static void q_names(const struct world *w, mach_port_t t, struct answer *a)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t n = 0, m = 0;

	a->kr = mach_port_names(t, &names, &n, &types, &m);
	PUT(a, n);
	PUT(a, m);
	if (a->kr != KERN_SUCCESS)
		return;
	put(a, names, n * sizeof(*names));
	put(a, types, m * sizeof(*types));
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, m * sizeof(*types));
}

static void ask_set_status(mach_port_t t, mach_port_name_t name, struct answer *a)
{
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t n = 0;

	a->kr = mach_port_get_set_status(t, name, &members, &n);
	PUT(a, n);
	if (a->kr != KERN_SUCCESS)
		return;
	put(a, members, n * sizeof(*members));
	vm_deallocate(mach_task_self(), (vm_address_t)members, n * sizeof(*members));
}

static void q_set_status(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_set_status(t, w->pset, a);
}

static void q_set_status_not_a_set(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_set_status(t, w->recv, a);
}

static void q_set_status_bad_name(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_set_status(t, 0x7777, a);
}

struct query {
	const char *name;
	void (*ask)(const struct world *w, mach_port_t target, struct answer *a);
	bool local;	/* refused by libmach or by its own send: nothing is sent */
};

#define Q(fn) { #fn, fn }
#define Q_LOCAL(fn) { #fn, fn, true }

static const struct query task_queries[] = {
	Q(q_MACH_TASK_BASIC_INFO_MACH_TASK_BASIC_INFO_COUNT),
	Q(q_MACH_TASK_BASIC_INFO_128),
	Q(q_MACH_TASK_BASIC_INFO_2),
	Q(q_TASK_BASIC_INFO_32_TASK_BASIC_INFO_32_COUNT),
	Q(q_TASK_BASIC_INFO_64_TASK_BASIC_INFO_64_COUNT),
	Q(q_TASK_THREAD_TIMES_INFO_TASK_THREAD_TIMES_INFO_COUNT),
	Q(q_TASK_SECURITY_TOKEN_TASK_SECURITY_TOKEN_COUNT),
	Q(q_TASK_AUDIT_TOKEN_TASK_AUDIT_TOKEN_COUNT),
	Q(q_TASK_NODE_INFO_TASK_NODE_INFO_COUNT),
	Q(q_9999_64),
	Q(q_special_bootstrap),
	Q(q_special_kernel),
	Q(q_special_host),
	Q(q_special_bad_which),
	Q(q_threads),
	Q(q_ports_lookup),
	Q(q_exception_ports),
	Q(q_exception_ports_small),
	Q(q_exception_ports_bad_mask),
	Q(q_names),
	Q(q_set_status),
	Q(q_set_status_not_a_set),
	Q(q_set_status_bad_name),
	Q(q_type_recv),
	Q(q_type_pset),
	Q(q_type_bad_name),
	Q(q_refs_receive),
	Q(q_refs_send),
	Q(q_refs_send_once),
	Q(q_refs_bad_right),
	Q(q_refs_bad_name),
	Q(q_attr_limits),
	Q(q_attr_status),
	Q(q_attr_big_room),
	Q(q_attr_small),
	Q(q_attr_bad_flavor),
	Q(q_attr_on_pset),
	Q(q_region),
	Q(q_region_below),
	Q(q_region_32),
	Q(q_region_beyond),
	Q_LOCAL(q_region_small),
	Q_LOCAL(q_region_bad_flavor),
	Q(q_read),
	Q(q_read_unmapped),
	Q(q_read_across_the_end),
	Q(q_vm_read),
};

/* ---- thread queries ---- */

static void ask_thread_info(mach_port_t t, thread_flavor_t flavor, mach_msg_type_number_t count,
			    struct answer *a)
{
	integer_t info[64] = { 0 };

	a->kr = thread_info(t, flavor, (thread_info_t)info, &count);
	PUT(a, count);
	PUT(a, info);
}

static void ask_state(mach_port_t t, thread_state_flavor_t flavor, mach_msg_type_number_t count,
		      struct answer *a)
{
	static natural_t state[2048];

	memset(state, 0, sizeof(state));
	a->kr = thread_get_state(t, flavor, state, &count);
	PUT(a, count);
	put(a, state, 4 * 256);
}

static void q_thread_info(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_thread_info(t, THREAD_BASIC_INFO, THREAD_BASIC_INFO_COUNT, a);
}

static void q_thread_info_big_room(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_thread_info(t, THREAD_BASIC_INFO, 64, a);
}

static void q_thread_info_small(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_thread_info(t, THREAD_BASIC_INFO, 3, a);
}

static void q_thread_info_bad_flavor(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_thread_info(t, 99, 32, a);
}

static void q_state(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_state(t, x86_THREAD_STATE64, x86_THREAD_STATE64_COUNT, a);
}

static void q_state_float(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_state(t, x86_FLOAT_STATE64, x86_FLOAT_STATE64_COUNT, a);
}

static void q_state_exception(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_state(t, x86_EXCEPTION_STATE64, x86_EXCEPTION_STATE64_COUNT, a);
}

/* More room than MIG carries (1296 words) */
static void q_state_huge_room(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_state(t, x86_THREAD_STATE64, 2048, a);
}

static void q_state_small(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_state(t, x86_THREAD_STATE64, x86_THREAD_STATE64_COUNT - 1, a);
}

static void q_state_bad_flavor(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_state(t, 99, x86_THREAD_STATE64_COUNT, a);
}

static void q_thread_exception_ports(const struct world *w, mach_port_t t, struct answer *a)
{
	ask_exception_ports_with(thread_get_exception_ports, t,
				 EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC | EXC_MASK_SOFTWARE,
				 EXC_TYPES_COUNT, a);
}

/* Room for one group where there are three. */
static void q_thread_exception_ports_small(const struct world *w, mach_port_t t,
					   struct answer *a)
{
	ask_exception_ports_with(thread_get_exception_ports, t,
				 EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC | EXC_MASK_SOFTWARE, 1, a);
}

static void q_thread_exception_ports_bad_mask(const struct world *w, mach_port_t t,
					      struct answer *a)
{
	ask_exception_ports_with(thread_get_exception_ports, t, 1u << 30, EXC_TYPES_COUNT, a);
}

static const struct query thread_queries[] = {
	Q(q_thread_info),
	Q(q_thread_info_big_room),
	Q(q_thread_info_small),
	Q(q_thread_info_bad_flavor),
	Q(q_state),
	Q(q_state_float),
	Q(q_state_exception),
	Q(q_state_huge_room),
	Q(q_state_small),
	Q(q_state_bad_flavor),
	Q(q_thread_exception_ports),
	Q(q_thread_exception_ports_small),
	Q(q_thread_exception_ports_bad_mask),
};

/* ---- host queries (the world unused: the host is the target) ---- */

static void ask_host_info(mach_port_t h, host_flavor_t flavor, mach_msg_type_number_t count,
			  struct answer *a)
{
	integer_t info[80] = { 0 };

	a->kr = host_info(h, flavor, (host_info_t)info, &count);
	PUT(a, count);
	PUT(a, info);
}

static void q_host_basic(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_info(h, HOST_BASIC_INFO, HOST_BASIC_INFO_COUNT, a);
}

static void q_host_basic_big_room(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_info(h, HOST_BASIC_INFO, 80, a);
}

static void q_host_basic_small(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_info(h, HOST_BASIC_INFO, 2, a);
}

static void q_host_node(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_info(h, HOST_NODE_INFO, HOST_NODE_INFO_COUNT, a);
}

static void q_host_bad_flavor(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_info(h, 99, 32, a);
}

static void q_host_page_size(const struct world *w, mach_port_t h, struct answer *a)
{
	vm_size_t size = 0;

	a->kr = host_page_size(h, &size);
	PUT(a, size);
}

static void ask_host_special(mach_port_t h, int node, int which, struct answer *a)
{
	mach_port_t port = 0xdead;

	a->kr = host_get_special_port(h, node, which, &port);
	PUT(a, port);
}

static void q_host_special_host(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_special(h, HOST_LOCAL_NODE, HOST_PORT, a);
}

static void q_host_special_priv(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_special(h, HOST_LOCAL_NODE, HOST_PRIV_PORT, a);
}

static void q_host_special_bad_which(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_special(h, HOST_LOCAL_NODE, 99, a);
}

static void q_host_special_bad_node(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_host_special(h, 7, HOST_PORT, a);
}

static void q_host_kernel_version(const struct world *w, mach_port_t h, struct answer *a)
{
	kernel_version_t version;

	memset(version, 0, sizeof(version));
	a->kr = host_kernel_version(h, version);
	PUT(a, version);
}

/* On the name port, refused; on the privileged port, the host's handlers. */
static void q_host_exception_ports(const struct world *w, mach_port_t h, struct answer *a)
{
	ask_exception_ports_with(host_get_exception_ports, h,
				 EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY,
				 EXC_TYPES_COUNT, a);
}

static void q_host_exception_ports_bad_mask(const struct world *w, mach_port_t h,
					    struct answer *a)
{
	ask_exception_ports_with(host_get_exception_ports, h, 1u << 30, EXC_TYPES_COUNT, a);
}

static const struct query host_queries[] = {
	Q(q_host_basic),
	Q(q_host_basic_big_room),
	Q(q_host_basic_small),
	Q(q_host_node),
	Q(q_host_bad_flavor),
	Q(q_host_page_size),
	Q(q_host_kernel_version),
	Q(q_host_special_host),
	Q(q_host_special_priv),
	Q(q_host_special_bad_which),
	Q(q_host_special_bad_node),
	Q(q_host_exception_ports),
	Q(q_host_exception_ports_bad_mask),
};


/* ---- actions: made on world a directly, on world b through its stand-ins ---- */

/* A name of ours, as the same in both worlds: which of the world's it is. */
static void put_name(struct answer *a, const struct world *w, mach_port_t name)
{
	mach_port_type_t type = 0;
	uint32_t which = name == MACH_PORT_NULL ? 0 : name == w->ours ? 1 :
			 name == w->spare ? 2 : name == w->task ? 3 : name == w->thread ? 4 : 5;

	PUT(a, which);
	if (which == 5)	/* another: what it is */
		mach_port_type(mach_task_self(), name, &type);
	PUT(a, type);
}

static void look_suspend_count(struct world *w, struct answer *a)
{
	mach_task_basic_info_data_t info = { 0 };
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	a->kr = task_info(w->task, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count);
	PUT(a, info.suspend_count);
}

static void a_suspend(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = task_suspend(t);
}

static void a_resume(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = task_resume(t);
}

static void look_bootstrap(struct world *w, struct answer *a)
{
	mach_port_t port = MACH_PORT_NULL;

	a->kr = task_get_special_port(w->task, TASK_BOOTSTRAP_PORT, &port);
	put_name(a, w, port);
}

static void a_set_bootstrap(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = task_set_special_port(t, TASK_BOOTSTRAP_PORT, w->spare);
}

static void a_set_special_bad_which(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = task_set_special_port(t, 99, w->spare);
}

/* A send right we do not hold (a receive right's name with no send right) */
static void a_set_bootstrap_no_send_right(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = task_set_special_port(t, TASK_BOOTSTRAP_PORT, 0x7777);
}

static void look_registered(struct world *w, struct answer *a)
{
	mach_port_array_t ports = NULL;
	mach_msg_type_number_t count = 0;

	a->kr = mach_ports_lookup(w->task, &ports, &count);
	PUT(a, count);
	for (unsigned int i = 0; a->kr == KERN_SUCCESS && i < count; i++)
		put_name(a, w, ports[i]);
	if (a->kr == KERN_SUCCESS)
		vm_deallocate(mach_task_self(), (vm_address_t)ports, count * sizeof(*ports));
}

static void a_register(struct world *w, mach_port_t t, struct answer *a)
{
	mach_port_t ports[3] = { w->spare, MACH_PORT_NULL, w->ours };

	a->kr = mach_ports_register(t, ports, 3);
}

static void a_register_too_many(struct world *w, mach_port_t t, struct answer *a)
{
	mach_port_t ports[4] = { w->spare, w->spare, w->spare, w->spare };

	a->kr = mach_ports_register(t, ports, 4);
}

static void look_exception_ports_with(get_exceptions_fn get, mach_port_t target,
				      struct world *w, struct answer *a)
{
	exception_mask_t masks[EXC_TYPES_COUNT] = { 0 };
	mach_port_t handlers[EXC_TYPES_COUNT] = { 0 };
	exception_behavior_t behaviors[EXC_TYPES_COUNT] = { 0 };
	thread_state_flavor_t flavors[EXC_TYPES_COUNT] = { 0 };
	mach_msg_type_number_t count = EXC_TYPES_COUNT;

	a->kr = get(target, EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY, masks, &count,
		    handlers, behaviors, flavors);
	PUT(a, count);
	PUT(a, masks);
	for (unsigned int i = 0; i < count; i++)
		put_name(a, w, handlers[i]);
	PUT(a, behaviors);
	PUT(a, flavors);
}

static void look_exception_ports(struct world *w, struct answer *a)
{
	look_exception_ports_with(task_get_exception_ports, w->task, w, a);
}

static void look_thread_exception_ports(struct world *w, struct answer *a)
{
	look_exception_ports_with(thread_get_exception_ports, w->thread, w, a);
}

static void set_exceptions(set_exceptions_fn set, struct world *w, mach_port_t t,
			   struct answer *a)
{
	a->kr = set(t, EXC_MASK_SOFTWARE | EXC_MASK_CRASH, w->spare,
		    EXCEPTION_STATE_IDENTITY, x86_THREAD_STATE64);
}

/* Old handlers out, the new one in: as they were, normalized. */
static void swap_exceptions(swap_exceptions_fn swap, struct world *w, mach_port_t t,
			    mach_msg_type_number_t count, struct answer *a)
{
	exception_mask_t masks[EXC_TYPES_COUNT] = { 0 };
	mach_port_t handlers[EXC_TYPES_COUNT] = { 0 };
	exception_behavior_t behaviors[EXC_TYPES_COUNT] = { 0 };
	thread_state_flavor_t flavors[EXC_TYPES_COUNT] = { 0 };

	a->kr = swap(t, EXC_MASK_BAD_ACCESS | EXC_MASK_SOFTWARE, w->ours, EXCEPTION_DEFAULT, 0,
		     masks, &count, handlers, behaviors, flavors);
	PUT(a, count);
	PUT(a, masks);
	for (unsigned int i = 0; i < EXC_TYPES_COUNT; i++)
		put_name(a, w, handlers[i]);
	PUT(a, behaviors);
	PUT(a, flavors);
}

/*
 * Each exception port action, for each level: set, swap, swap with room
 * for one of the two groups it replaces, and what XNU refuses.
 */
#define EXCEPTION_ACTIONS(prefix, set, swap)					\
static void prefix##set_exception_ports(struct world *w, mach_port_t t, struct answer *a) \
{										\
	set_exceptions(set, w, t, a);						\
}										\
static void prefix##swap_exception_ports(struct world *w, mach_port_t t, struct answer *a) \
{										\
	swap_exceptions(swap, w, t, EXC_TYPES_COUNT, a);			\
}										\
static void prefix##swap_exception_ports_small(struct world *w, mach_port_t t,	\
					       struct answer *a)		\
{										\
	swap_exceptions(swap, w, t, 1, a);					\
}										\
static void prefix##set_exception_ports_bad_behavior(struct world *w, mach_port_t t, \
						     struct answer *a)		\
{										\
	a->kr = set(t, EXC_MASK_SOFTWARE, w->spare, 77, 0);			\
}										\
static void prefix##set_exception_ports_bad_mask(struct world *w, mach_port_t t,	\
						 struct answer *a)		\
{										\
	a->kr = set(t, 1u << 30, w->spare, EXCEPTION_DEFAULT, 0);		\
}										\
static void prefix##set_exception_ports_bad_flavor(struct world *w, mach_port_t t,	\
						   struct answer *a)		\
{										\
	a->kr = set(t, EXC_MASK_SOFTWARE, w->spare, EXCEPTION_DEFAULT, 15);	\
}										\
static void prefix##swap_exception_ports_bad_flavor(struct world *w, mach_port_t t,	\
						    struct answer *a)		\
{										\
	exception_mask_t masks[EXC_TYPES_COUNT];				\
	mach_port_t handlers[EXC_TYPES_COUNT];					\
	exception_behavior_t behaviors[EXC_TYPES_COUNT];			\
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];				\
	mach_msg_type_number_t count = EXC_TYPES_COUNT;				\
										\
	a->kr = swap(t, EXC_MASK_SOFTWARE, w->spare, EXCEPTION_DEFAULT, 26, masks,	\
		     &count, handlers, behaviors, flavors);			\
	PUT(a, count);								\
}

EXCEPTION_ACTIONS(a_, task_set_exception_ports, task_swap_exception_ports)
EXCEPTION_ACTIONS(t_, thread_set_exception_ports, thread_swap_exception_ports)
EXCEPTION_ACTIONS(h_, host_set_exception_ports, host_swap_exception_ports)

/* The name made, and what it is in the task's space. */
static void look_made(struct world *w, struct answer *a)
{
	mach_port_type_t type = 0;

	a->kr = mach_port_type(w->task, w->made, &type);
	PUT(a, type);
}

static void allocate(struct world *w, mach_port_t t, mach_port_right_t right, struct answer *a)
{
	mach_port_name_t name = 0xdead;

	a->kr = mach_port_allocate(t, right, &name);
	PUT(a, name);	/* alike worlds: alike names */
	if (a->kr == KERN_SUCCESS)
		w->made = name;
}

static void a_allocate_receive(struct world *w, mach_port_t t, struct answer *a)
{
	allocate(w, t, MACH_PORT_RIGHT_RECEIVE, a);
}

static void a_allocate_set(struct world *w, mach_port_t t, struct answer *a)
{
	allocate(w, t, MACH_PORT_RIGHT_PORT_SET, a);
}

static void a_allocate_dead_name(struct world *w, mach_port_t t, struct answer *a)
{
	allocate(w, t, MACH_PORT_RIGHT_DEAD_NAME, a);
}

static void a_allocate_bad_right(struct world *w, mach_port_t t, struct answer *a)
{
	allocate(w, t, 99, a);
}

static void a_destroy(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_destroy(t, w->made);
}

static void a_destroy_bad_name(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_destroy(t, 0x7777);
}

/* What the task's space holds under 0x60 and under recv. */
static void look_inserted(struct world *w, struct answer *a)
{
	struct answer b = { 0 };

	ask_type(w->task, 0x60, a);
	ask_refs(w->task, 0x60, MACH_PORT_RIGHT_SEND, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_refs(w->task, w->recv, MACH_PORT_RIGHT_SEND, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
}

static void a_insert_send(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_insert_right(t, 0x60, w->spare, MACH_MSG_TYPE_MAKE_SEND);
}

static void a_insert_copy_send(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_insert_right(t, 0x60, w->spare, MACH_MSG_TYPE_COPY_SEND);
}

/* Under a name that holds another port's rights */
static void a_insert_over_another(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_insert_right(t, w->recv, w->spare, MACH_MSG_TYPE_MAKE_SEND);
}

/* A receive right made from a name we hold only a send right under */
static void a_insert_wrong_right(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_insert_right(t, 0x61, mach_host_self(), MACH_MSG_TYPE_MAKE_SEND);
}

static void a_insert_bad_disposition(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_insert_right(t, 0x61, w->spare, 99);
}

static void look_recv(struct world *w, struct answer *a)
{
	struct answer b = { 0 };

	ask_refs(w->task, w->recv, MACH_PORT_RIGHT_SEND, a);
	ask_attributes(w->task, w->recv, MACH_PORT_RECEIVE_STATUS,
		       MACH_PORT_RECEIVE_STATUS_COUNT, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_attributes(w->task, w->recv, MACH_PORT_LIMITS_INFO, MACH_PORT_LIMITS_INFO_COUNT, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_set_status(w->task, w->pset, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
}

static void a_mod_refs_up(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_mod_refs(t, w->recv, MACH_PORT_RIGHT_SEND, 2);
}

static void a_mod_refs_down(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_mod_refs(t, w->recv, MACH_PORT_RIGHT_SEND, -1);
}

static void a_mod_refs_too_far(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_mod_refs(t, w->recv, MACH_PORT_RIGHT_SEND, -10);
}

static void a_mod_refs_bad_right(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_mod_refs(t, w->recv, 99, 1);
}

static void a_set_mscount(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_set_mscount(t, w->recv, 7);
}

static void a_set_mscount_on_set(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_set_mscount(t, w->pset, 7);
}

static void a_move_member(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_move_member(t, w->recv, w->pset);
}

static void a_move_member_bad_set(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_move_member(t, w->recv, 0x7777);
}

static void a_move_member_out(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_move_member(t, w->recv, MACH_PORT_NULL);
}

static void a_set_limits(struct world *w, mach_port_t t, struct answer *a)
{
	mach_port_limits_t limits = { .mpl_qlimit = 3 };

	a->kr = mach_port_set_attributes(t, w->recv, MACH_PORT_LIMITS_INFO,
					 (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT);
}

static void a_set_limits_too_big(struct world *w, mach_port_t t, struct answer *a)
{
	mach_port_limits_t limits = { .mpl_qlimit = 100000 };

	a->kr = mach_port_set_attributes(t, w->recv, MACH_PORT_LIMITS_INFO,
					 (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT);
}

static void a_set_attributes_bad_flavor(struct world *w, mach_port_t t, struct answer *a)
{
	integer_t info[4] = { 1 };

	a->kr = mach_port_set_attributes(t, w->recv, 99, info, 1);
}

/* More words than MIG carries (mach_port_info_t: 17) */
static void a_set_attributes_too_many(struct world *w, mach_port_t t, struct answer *a)
{
	integer_t info[20] = { 3 };

	a->kr = mach_port_set_attributes(t, w->recv, MACH_PORT_LIMITS_INFO, info, 20);
}

static void notify(struct world *w, mach_port_t t, mach_msg_id_t id, mach_port_t name,
		   struct answer *a)
{
	mach_port_t previous = 0xdead;

	a->kr = mach_port_request_notification(t, name, id, 0, w->spare,
					       MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	put_name(a, w, previous);
	if (a->kr == KERN_SUCCESS && previous != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), previous);
}

static void a_notify_no_senders(struct world *w, mach_port_t t, struct answer *a)
{
	notify(w, t, MACH_NOTIFY_NO_SENDERS, w->recv, a);
}

static void a_notify_port_destroyed(struct world *w, mach_port_t t, struct answer *a)
{
	notify(w, t, MACH_NOTIFY_PORT_DESTROYED, w->recv, a);
}

static void a_notify_bad_id(struct world *w, mach_port_t t, struct answer *a)
{
	notify(w, t, 12345, w->recv, a);
}

static void a_notify_bad_name(struct world *w, mach_port_t t, struct answer *a)
{
	notify(w, t, MACH_NOTIFY_NO_SENDERS, 0x7777, a);
}

static void extract(struct world *w, mach_port_t t, mach_port_name_t name,
		    mach_msg_type_name_t how, struct answer *a)
{
	mach_port_t poly = 0xdead;
	mach_msg_type_name_t poly_poly = 0xdead;

	a->kr = mach_port_extract_right(t, name, how, &poly, &poly_poly);
	put_name(a, w, poly);
	PUT(a, poly_poly);
	if (a->kr == KERN_SUCCESS && poly_poly != MACH_MSG_TYPE_PORT_RECEIVE)
		mach_port_deallocate(mach_task_self(), poly);
}

static void a_extract_make_send(struct world *w, mach_port_t t, struct answer *a)
{
	extract(w, t, w->recv, MACH_MSG_TYPE_MAKE_SEND, a);
}

static void a_extract_copy_send(struct world *w, mach_port_t t, struct answer *a)
{
	extract(w, t, w->recv, MACH_MSG_TYPE_COPY_SEND, a);
}

static void a_extract_make_send_once(struct world *w, mach_port_t t, struct answer *a)
{
	extract(w, t, w->recv, MACH_MSG_TYPE_MAKE_SEND_ONCE, a);
}

static void a_extract_move_send_once(struct world *w, mach_port_t t, struct answer *a)
{
	extract(w, t, w->recv, MACH_MSG_TYPE_MOVE_SEND_ONCE, a);
}

static void a_extract_bad_name(struct world *w, mach_port_t t, struct answer *a)
{
	extract(w, t, 0x7777, MACH_MSG_TYPE_COPY_SEND, a);
}

static void a_extract_bad_disposition(struct world *w, mach_port_t t, struct answer *a)
{
	extract(w, t, w->recv, 99, a);
}

static void a_deallocate(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_deallocate(t, w->recv);
}

static void a_deallocate_bad_name(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = mach_port_deallocate(t, 0x7777);
}

/* What the task maps at MEM and four pages on, and what it holds there. */
static void look_memory(struct world *w, struct answer *a)
{
	struct answer b = { 0 };

	ask_region(w->task, MEM, VM_REGION_BASIC_INFO_64, VM_REGION_BASIC_INFO_COUNT_64, a);
	ask_region(w->task, MEM + PAGE, VM_REGION_BASIC_INFO_64, VM_REGION_BASIC_INFO_COUNT_64,
		   &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_region(w->task, MEM + 4 * PAGE, VM_REGION_BASIC_INFO_64,
		   VM_REGION_BASIC_INFO_COUNT_64, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_read(w->task, MEM + 4 * PAGE, 32, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
}

static void vm_alloc(vm_map_t t, vm_address_t at, vm_size_t size, int flags, struct answer *a)
{
	a->kr = vm_allocate(t, &at, size, flags);
	PUT(a, at);
}

static void a_vm_allocate(struct world *w, mach_port_t t, struct answer *a)
{
	vm_alloc(t, MEM + 4 * PAGE, 2 * PAGE, VM_FLAGS_FIXED, a);
}

static void a_vm_allocate_taken(struct world *w, mach_port_t t, struct answer *a)
{
	vm_alloc(t, MEM, PAGE, VM_FLAGS_FIXED, a);
}

static void a_vm_allocate_unaligned(struct world *w, mach_port_t t, struct answer *a)
{
	vm_alloc(t, MEM + 8 * PAGE + 12, PAGE, VM_FLAGS_FIXED, a);
}

static void a_vm_allocate_zero(struct world *w, mach_port_t t, struct answer *a)
{
	vm_alloc(t, MEM + 8 * PAGE, 0, VM_FLAGS_FIXED, a);
}

static void a_vm_allocate_bad_flags(struct world *w, mach_port_t t, struct answer *a)
{
	vm_alloc(t, MEM + 8 * PAGE, PAGE, 0x100000, a);
}

/* Anywhere: where it went may differ, what went there may not. */
static void a_vm_allocate_anywhere(struct world *w, mach_port_t t, struct answer *a)
{
	vm_address_t at = 0;
	struct answer b = { 0 };

	a->kr = vm_allocate(t, &at, 3 * PAGE, VM_FLAGS_ANYWHERE);
	if (a->kr != KERN_SUCCESS)
		return;
	ask_region(w->task, at, VM_REGION_BASIC_INFO_64, VM_REGION_BASIC_INFO_COUNT_64, &b);
	PUT(a, b.kr);
	put(a, b.out + sizeof(vm_address_t), b.n - sizeof(vm_address_t));
	vm_deallocate(w->task, at, 3 * PAGE);
}

static void a_vm_write(struct world *w, mach_port_t t, struct answer *a)
{
	static const char data[] = "written through whichever way";

	a->kr = vm_write(t, MEM + 4 * PAGE + 8, (vm_offset_t)data, sizeof(data));
}

static void a_vm_write_unmapped(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_write(t, MEM + 8 * PAGE, (vm_offset_t)"x", 1);
}

static void a_vm_protect(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_protect(t, MEM, PAGE, FALSE, VM_PROT_READ);
}

static void a_vm_protect_max(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_protect(t, MEM, PAGE, TRUE, VM_PROT_READ);
}

static void a_vm_protect_beyond_max(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_protect(t, MEM, PAGE, FALSE, VM_PROT_READ | VM_PROT_WRITE);
}

static void a_vm_protect_unmapped(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_protect(t, MEM + 8 * PAGE, PAGE, FALSE, VM_PROT_READ);
}

static void a_vm_inherit(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_inherit(t, MEM + PAGE, PAGE, VM_INHERIT_SHARE);
}

static void a_vm_inherit_bad(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_inherit(t, MEM + PAGE, PAGE, 99);
}

static void a_vm_copy(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_copy(t, MEM, PAGE, MEM + 4 * PAGE);
}

static void a_vm_copy_from_unmapped(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_copy(t, MEM + 8 * PAGE, PAGE, MEM + 4 * PAGE);
}

static void a_vm_deallocate(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_deallocate(t, MEM + 4 * PAGE, 2 * PAGE);
}

static void a_vm_deallocate_unaligned(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = vm_deallocate(t, MEM + 3, PAGE);
}

static void look_threads(struct world *w, struct answer *a)
{
	int count = thread_count(w->task);

	PUT(a, count);
}

static void a_thread_create(struct world *w, mach_port_t t, struct answer *a)
{
	thread_act_t thread = 0xdead;

	a->kr = thread_create(t, &thread);
	put_name(a, w, thread);	/* a new thread's: another port of ours */
}

static void look_task_gone(struct world *w, struct answer *a)
{
	look_suspend_count(w, a);
}

static void a_terminate(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = task_terminate(t);
}

/* ---- thread actions: on a's thread directly, on b's through its stand-in ---- */

static void look_thread(struct world *w, struct answer *a)
{
	thread_basic_info_data_t info = { 0 };
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	struct answer b = { 0 };

	/* (Two threads' times differ: not those.) */
	a->kr = thread_info(w->thread, THREAD_BASIC_INFO, (thread_info_t)&info, &count);
	PUT(a, count);
	PUT(a, info.run_state);
	PUT(a, info.flags);
	PUT(a, info.suspend_count);
	/* Its registers, where they hold still: suspended. */
	ask_state(w->thread, x86_THREAD_STATE64, x86_THREAD_STATE64_COUNT, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_state(w->thread, x86_FLOAT_STATE64, x86_FLOAT_STATE64_COUNT, &b);
	PUT(a, b.kr);
	PUT(a, ((x86_float_state64_t *)(b.out + 4))->__fpu_mxcsr);
}

static void set_state(mach_port_t t, uint64_t rip, mach_msg_type_number_t count,
		      thread_state_flavor_t flavor, struct answer *a)
{
	static natural_t words[2048];
	x86_thread_state64_t *state = (x86_thread_state64_t *)words;

	memset(words, 0, sizeof(words));
	state->__rip = rip;
	state->__rsp = MEM + PAGE;
	state->__rax = 42;
	state->__rflags = 0x202;
	a->kr = thread_set_state(t, flavor, words, count);
}

static void t_set_state(struct world *w, mach_port_t t, struct answer *a)
{
	set_state(t, 0x401000, x86_THREAD_STATE64_COUNT, x86_THREAD_STATE64, a);
}

static void t_set_state_kernel_rip(struct world *w, mach_port_t t, struct answer *a)
{
	set_state(t, 0xffff800000001000ul, x86_THREAD_STATE64_COUNT, x86_THREAD_STATE64, a);
}

static void t_set_state_short(struct world *w, mach_port_t t, struct answer *a)
{
	set_state(t, 0x402000, x86_THREAD_STATE64_COUNT - 1, x86_THREAD_STATE64, a);
}

/* More words than the flavour has, fewer than MIG carries */
static void t_set_state_long(struct world *w, mach_port_t t, struct answer *a)
{
	set_state(t, 0x403000, 2 * x86_THREAD_STATE64_COUNT, x86_THREAD_STATE64, a);
}

/* More words than MIG carries (1296) */
static void t_set_state_too_long(struct world *w, mach_port_t t, struct answer *a)
{
	set_state(t, 0x404000, 2000, x86_THREAD_STATE64, a);
}

static void t_set_state_bad_flavor(struct world *w, mach_port_t t, struct answer *a)
{
	set_state(t, 0x405000, x86_THREAD_STATE64_COUNT, 99, a);
}

/* The thread's own float state, rounding toward zero (MXCSR's RC bits) */
static void t_set_float(struct world *w, mach_port_t t, struct answer *a)
{
	x86_float_state64_t fs;
	mach_msg_type_number_t count = x86_FLOAT_STATE64_COUNT;

	memset(&fs, 0, sizeof(fs));
	thread_get_state(w->thread, x86_FLOAT_STATE64, (thread_state_t)&fs, &count);
	fs.__fpu_mxcsr |= 0x6000;
	a->kr = thread_set_state(t, x86_FLOAT_STATE64, (thread_state_t)&fs,
				 x86_FLOAT_STATE64_COUNT);
}

static void t_set_float_short(struct world *w, mach_port_t t, struct answer *a)
{
	x86_float_state64_t fs;

	memset(&fs, 0, sizeof(fs));
	a->kr = thread_set_state(t, x86_FLOAT_STATE64, (thread_state_t)&fs, 8);
}

static void t_suspend(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = thread_suspend(t);
}

/* Back to the one hold thread_create left: it must never run. */
static void t_resume(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = thread_resume(t);
}

static void t_abort(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = thread_abort(t);
}

static void look_thread_gone(struct world *w, struct answer *a)
{
	struct answer b = { 0 };

	look_threads(w, a);
	ask_thread_info(w->thread, THREAD_BASIC_INFO, THREAD_BASIC_INFO_COUNT, &b);
	PUT(a, b.kr);
}

static void t_terminate(struct world *w, mach_port_t t, struct answer *a)
{
	a->kr = thread_terminate(t);
}

struct action {
	const char *name;
	void (*act)(struct world *w, mach_port_t target, struct answer *a);
	void (*look)(struct world *w, struct answer *a);
	bool local;
};

#define A(fn, look) { #fn, fn, look }
#define A_LOCAL(fn, look) { #fn, fn, look, true }

/* In order: each row finds the state the rows above it left. */
static const struct action task_actions[] = {
	A(a_suspend, look_suspend_count),
	A(a_suspend, look_suspend_count),
	A(a_resume, look_suspend_count),
	A(a_resume, look_suspend_count),
	A(a_resume, look_suspend_count),
	A(a_set_bootstrap, look_bootstrap),
	A(a_set_special_bad_which, look_bootstrap),
	A_LOCAL(a_set_bootstrap_no_send_right, look_bootstrap),
	A(a_register, look_registered),
	A_LOCAL(a_register_too_many, look_registered),
	A(a_set_exception_ports, look_exception_ports),
	A(a_swap_exception_ports, look_exception_ports),
	A(a_swap_exception_ports_small, look_exception_ports),
	A(a_set_exception_ports_bad_behavior, look_exception_ports),
	A(a_set_exception_ports_bad_mask, look_exception_ports),
	A(a_set_exception_ports_bad_flavor, look_exception_ports),
	A(a_swap_exception_ports_bad_flavor, look_exception_ports),
	A(a_allocate_receive, look_made),
	A(a_destroy, look_made),
	A(a_destroy_bad_name, look_made),
	A(a_allocate_set, look_made),
	A(a_allocate_dead_name, look_made),
	A(a_allocate_bad_right, look_made),
	A(a_insert_send, look_inserted),
	A(a_insert_copy_send, look_inserted),
	A(a_insert_over_another, look_inserted),
	A_LOCAL(a_insert_wrong_right, look_inserted),
	A_LOCAL(a_insert_bad_disposition, look_inserted),
	A(a_mod_refs_up, look_recv),
	A(a_mod_refs_down, look_recv),
	A(a_mod_refs_too_far, look_recv),
	A(a_mod_refs_bad_right, look_recv),
	A(a_set_mscount, look_recv),
	A(a_set_mscount_on_set, look_recv),
	A(a_move_member, look_recv),
	A(a_move_member_bad_set, look_recv),
	A(a_move_member_out, look_recv),
	A(a_set_limits, look_recv),
	A(a_set_limits_too_big, look_recv),
	A(a_set_attributes_bad_flavor, look_recv),
	A_LOCAL(a_set_attributes_too_many, look_recv),
	A(a_notify_no_senders, look_recv),
	A(a_notify_no_senders, look_recv),
	A(a_notify_port_destroyed, look_recv),
	A(a_notify_bad_id, look_recv),
	A(a_notify_bad_name, look_recv),
	A(a_extract_make_send, look_recv),
	A(a_extract_copy_send, look_recv),
	A(a_extract_make_send_once, look_recv),
	A(a_extract_move_send_once, look_recv),
	A(a_extract_bad_name, look_recv),
	A(a_extract_bad_disposition, look_recv),
	A(a_deallocate, look_recv),
	A(a_deallocate_bad_name, look_recv),
	A(a_vm_allocate, look_memory),
	A(a_vm_write, look_memory),
	A(a_vm_write_unmapped, look_memory),
	A(a_vm_allocate_taken, look_memory),
	A(a_vm_allocate_unaligned, look_memory),
	A(a_vm_allocate_zero, look_memory),
	A_LOCAL(a_vm_allocate_bad_flags, look_memory),
	A(a_vm_allocate_anywhere, look_memory),
	A(a_vm_protect, look_memory),
	A(a_vm_protect_max, look_memory),
	A(a_vm_protect_beyond_max, look_memory),
	A(a_vm_protect_unmapped, look_memory),
	A(a_vm_inherit, look_memory),
	A(a_vm_inherit_bad, look_memory),
	A(a_vm_copy, look_memory),
	A(a_vm_copy_from_unmapped, look_memory),
	A(a_vm_deallocate, look_memory),
	A(a_vm_deallocate_unaligned, look_memory),
	A(a_thread_create, look_threads),
	A(a_terminate, look_task_gone),
	/* On the task that is gone: the same errors. */
	A(a_suspend, look_task_gone),
	A(a_allocate_receive, look_task_gone),
	A(a_vm_allocate, look_task_gone),
	A(a_thread_create, look_task_gone),
};

/* ---- host_security: the security port's stand-in sets a task's tokens ---- */

static void look_tokens(struct world *w, struct answer *a)
{
	struct answer b = { 0 };

	ask_task_info(w->task, TASK_SECURITY_TOKEN, TASK_SECURITY_TOKEN_COUNT, a);
	ask_task_info(w->task, TASK_AUDIT_TOKEN, TASK_AUDIT_TOKEN_COUNT, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
}

static void set_token(mach_port_t security, task_t task, struct answer *a)
{
	security_token_t sec = { { 1234, 5678 } };
	audit_token_t audit = { { 1, 1234, 5678, 1234, 5678, 0, 0, 0 } };

	a->kr = host_security_set_task_token(security, task, sec, audit, mach_host_self());
}

static void s_set_token(struct world *w, mach_port_t security, struct answer *a)
{
	set_token(security, w->task, a);
}

static void s_set_token_on_a_thread(struct world *w, mach_port_t security, struct answer *a)
{
	set_token(security, w->thread, a);
}

/* A task name we do not hold */
static void s_set_token_bad_name(struct world *w, mach_port_t security, struct answer *a)
{
	set_token(security, 0x7777, a);
}

static const struct action security_actions[] = {
	A(s_set_token, look_tokens),
	A(s_set_token_on_a_thread, look_tokens),
	/* The task argument is a name we do not hold: the send fails. */
	A_LOCAL(s_set_token_bad_name, look_tokens),
};

static const struct action thread_actions[] = {
	A(t_set_state, look_thread),
	A(t_set_state_kernel_rip, look_thread),
	A(t_set_state_short, look_thread),
	A(t_set_state_long, look_thread),
	A_LOCAL(t_set_state_too_long, look_thread),
	A(t_set_state_bad_flavor, look_thread),
	A(t_set_float, look_thread),
	A(t_set_float_short, look_thread),
	A(t_suspend, look_thread),
	A(t_abort, look_thread),
	A(t_resume, look_thread),
	A(t_set_exception_ports, look_thread_exception_ports),
	A(t_swap_exception_ports, look_thread_exception_ports),
	A(t_swap_exception_ports_small, look_thread_exception_ports),
	A(t_set_exception_ports_bad_behavior, look_thread_exception_ports),
	A(t_set_exception_ports_bad_mask, look_thread_exception_ports),
	A(t_set_exception_ports_bad_flavor, look_thread_exception_ports),
	A(t_swap_exception_ports_bad_flavor, look_thread_exception_ports),
	A(t_terminate, look_thread_gone),
	/* On the thread that is gone: the same errors. */
	A(t_suspend, look_thread_gone),
	A(t_set_state, look_thread_gone),
	A(t_set_exception_ports, look_thread_gone),
	A(t_swap_exception_ports, look_thread_gone),
	A(t_terminate, look_thread_gone),
};

/*
 * The host's: one host for both worlds, so each row starts from the same
 * handlers (world's own ports) and is looked at before the other world's
 * turn (host_actions_answer_alike).
 */
static const struct action host_actions[] = {
	A(h_set_exception_ports, NULL),
	A(h_swap_exception_ports, NULL),
	A(h_swap_exception_ports_small, NULL),
	A(h_set_exception_ports_bad_behavior, NULL),
	A(h_set_exception_ports_bad_mask, NULL),
	A(h_set_exception_ports_bad_flavor, NULL),
	A(h_swap_exception_ports_bad_flavor, NULL),
};

/* ---- NORMA's calls (mach_norma, 555000): a new task on a node ---- */

/* The new task, as the same in both worlds: where it runs, what it maps. */
static void put_child(struct world *w, task_t child, struct answer *a)
{
	struct answer b = { 0 };

	put_name(a, w, child);
	if (child == MACH_PORT_NULL || child == 0xdead)
		return;
	made_task(w->tasks, child);
	ask_task_info(child, TASK_NODE_INFO, TASK_NODE_INFO_COUNT, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_region(child, MEM, VM_REGION_BASIC_INFO_64, VM_REGION_BASIC_INFO_COUNT_64, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
	memset(&b, 0, sizeof(b));
	ask_read(child, MEM, 32, &b);
	put(a, &b, sizeof(b.kr) + sizeof(b.n) + b.n);
}

#define NORMA_ROW(fn, inherit, node)						\
static void a_##fn##_##inherit##_##node(struct world *w, mach_port_t t, struct answer *a) \
{										\
	task_t child = 0xdead;							\
										\
	a->kr = fn(t, inherit, node, &child);					\
	put_child(w, child, a);							\
}
NORMA_ROW(norma_task_create, FALSE, 1)
NORMA_ROW(norma_task_create, TRUE, 1)
NORMA_ROW(norma_task_create, TRUE, 2)	/* a node with no CPU */
NORMA_ROW(norma_task_create, TRUE, 99)
NORMA_ROW(norma_task_clone, TRUE, 0)
NORMA_ROW(norma_task_clone, FALSE, 1)
NORMA_ROW(norma_task_clone, TRUE, 99)
NORMA_ROW(norma_task_teleport, TRUE, 99)
NORMA_ROW(norma_task_teleport, TRUE, 1)

static void a_norma_task_create_TRUE_minus1(struct world *w, mach_port_t t, struct answer *a)
{
	task_t child = 0xdead;

	a->kr = norma_task_create(t, TRUE, -1, &child);
	put_child(w, child, a);
}

static void look_parent(struct world *w, struct answer *a)
{
	look_suspend_count(w, a);
	look_memory(w, a);
}

static const struct action norma_actions[] = {
	A(a_norma_task_create_FALSE_1, look_parent),
	A(a_norma_task_create_TRUE_1, look_parent),
	A(a_norma_task_create_TRUE_2, look_parent),
	A(a_norma_task_create_TRUE_99, look_parent),
	A_LOCAL(a_norma_task_create_TRUE_minus1, look_parent),
	A(a_norma_task_clone_TRUE_0, look_parent),
	A(a_norma_task_clone_FALSE_1, look_parent),
	A(a_norma_task_clone_TRUE_99, look_parent),
	A(a_norma_task_teleport_TRUE_99, look_parent),
	A(a_norma_task_teleport_TRUE_1, look_parent),	/* the parent ends */
	A(a_norma_task_create_FALSE_1, look_parent),
	A(a_norma_task_clone_TRUE_0, look_parent),
};

/* ---- comparing answers ---- */

static int forwarded(const struct proxy *p)
{
	return __atomic_load_n(&p->forwarded, __ATOMIC_ACQUIRE);
}

/* Where two answers first differ: -1 if nowhere. */
static long first_difference(const struct answer *x, const struct answer *y)
{
	unsigned int n = x->n < sizeof(x->out) ? x->n : sizeof(x->out);

	if (x->kr != y->kr || x->n != y->n)
		return 0;
	for (unsigned int i = 0; i < n; i++)
		if (x->out[i] != y->out[i])
			return i;
	return -1;
}

#define EXPECT_SAME(what, x, y) do {						\
	long at = first_difference(x, y);					\
	EXPECT_EQ(-1, at) {							\
		TH_LOG("%s: direct kr %#x (%u bytes), proxied kr %#x (%u bytes)",	\
		       what, (x)->kr, (x)->n, (y)->kr, (y)->n);			\
		if ((x)->kr == (y)->kr && (x)->n == (y)->n)			\
			TH_LOG("%s: byte %ld: %#x direct, %#x proxied", what, at, \
			       (x)->out[at], (y)->out[at]);			\
	}									\
} while (0)

/* Each query made on real, then on its stand-in p: the same answers. */
static void ask_both(struct __test_metadata *_metadata, const struct query *rows,
		     unsigned int count, const struct world *w, mach_port_t real,
		     struct proxy *p)
{
	for (unsigned int i = 0; i < count; i++) {
		struct answer direct = { 0 }, proxied = { 0 };
		int before = forwarded(p);

		rows[i].ask(w, real, &direct);
		rows[i].ask(w, p->port, &proxied);
		EXPECT_SAME(rows[i].name, &direct, &proxied);
		/* It went through the stand-in, unless libmach answers itself. */
		EXPECT_EQ(!rows[i].local, forwarded(p) > before) {
			TH_LOG("%s: %d requests forwarded", rows[i].name, forwarded(p) - before);
		}
	}
}

/* ---- the worlds ---- */

static kern_return_t world_make(struct made *made, struct world *w)
{
	vm_address_t mem = MEM;
	mach_port_t registered[1], send;
	mach_msg_type_name_t type;
	kern_return_t kr;

	memset(w, 0, sizeof(*w));
	w->tasks = made;
	w->ours = new_port();
	w->spare = new_port();
	kr = made_task_create(made, mach_task_self(), NULL, 0, FALSE, &w->task);
	if (!kr)
		kr = thread_create(w->task, &w->thread);
	if (!kr)
		kr = mach_port_allocate(w->task, MACH_PORT_RIGHT_RECEIVE, &w->recv);
	/* A send right beside it: made out here, and put back under its name. */
	if (!kr)
		kr = mach_port_extract_right(w->task, w->recv, MACH_MSG_TYPE_MAKE_SEND, &send,
					     &type);
	if (!kr)
		kr = mach_port_insert_right(w->task, w->recv, send, MACH_MSG_TYPE_MOVE_SEND);
	if (!kr)
		kr = mach_port_allocate(w->task, MACH_PORT_RIGHT_PORT_SET, &w->pset);
	if (!kr)
		kr = vm_allocate(w->task, &mem, 2 * PAGE, VM_FLAGS_FIXED);
	if (!kr)
		kr = vm_write(w->task, MEM, (vm_offset_t)"the same both ways", 19);
	if (!kr)
		kr = task_set_special_port(w->task, TASK_BOOTSTRAP_PORT, w->ours);
	registered[0] = w->ours;
	if (!kr)
		kr = mach_ports_register(w->task, registered, 1);
	if (!kr)
		kr = task_set_exception_ports(w->task, EXC_MASK_BAD_ACCESS, w->ours,
					      EXCEPTION_DEFAULT, 0);
	if (!kr)
		kr = thread_set_exception_ports(w->thread, EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC,
						w->ours, EXCEPTION_STATE | MACH_EXCEPTION_CODES,
						x86_THREAD_STATE64);
	if (kr)
		return kr;
	proxy_start(&w->task_proxy, w->task);
	proxy_start(&w->thread_proxy, w->thread);
	return KERN_SUCCESS;
}

static void world_end(struct world *w)
{
	if (w->task_proxy.port)
		proxy_stop(&w->task_proxy);
	if (w->thread_proxy.port)
		proxy_stop(&w->thread_proxy);
}

FIXTURE(identity) {
	struct made made;
	struct world a, b;	/* alike: a used directly, b through its stand-ins */
};

FIXTURE_SETUP(identity)
{
	made_begin(&self->made);
	ASSERT_EQ(KERN_SUCCESS, world_make(&self->made, &self->a));
	ASSERT_EQ(KERN_SUCCESS, world_make(&self->made, &self->b));
	/* Alike down to the names in their spaces. */
	ASSERT_EQ(self->a.recv, self->b.recv);
	ASSERT_EQ(self->a.pset, self->b.pset);
}

FIXTURE_TEARDOWN(identity)
{
	world_end(&self->a);
	world_end(&self->b);
	made_end(&self->made);
}

TEST_F(identity, task_queries_answer_alike)
{
	ask_both(_metadata, task_queries, ARRAY_SIZE(task_queries), &self->a, self->a.task,
		 &self->a.task_proxy);
}

/* A task's calls on a thread: the same errors, whichever way they come. */
TEST_F(identity, task_queries_on_a_thread_fail_alike)
{
	ask_both(_metadata, task_queries, ARRAY_SIZE(task_queries), &self->a, self->a.thread,
		 &self->a.thread_proxy);
}

TEST_F(identity, thread_queries_answer_alike)
{
	ask_both(_metadata, thread_queries, ARRAY_SIZE(thread_queries), &self->a,
		 self->a.thread, &self->a.thread_proxy);
}

/* A thread's calls on a task: likewise. */
TEST_F(identity, thread_queries_on_a_task_fail_alike)
{
	ask_both(_metadata, thread_queries, ARRAY_SIZE(thread_queries), &self->a, self->a.task,
		 &self->a.task_proxy);
}

TEST(host_queries_answer_alike)
{
	mach_port_t host = mach_host_self(), priv = MACH_PORT_NULL;
	struct proxy p;

	proxy_start(&p, host);
	ask_both(_metadata, host_queries, ARRAY_SIZE(host_queries), NULL, host, &p);
	proxy_stop(&p);

	/* And on the privileged port, when we may have it. */
	if (host_get_special_port(host, HOST_LOCAL_NODE, HOST_PRIV_PORT, &priv) == KERN_SUCCESS) {
		proxy_start(&p, priv);
		ask_both(_metadata, host_queries, ARRAY_SIZE(host_queries), NULL, priv, &p);
		proxy_stop(&p);
	}
}

/* A host's calls on a task: the same errors. */
TEST_F(identity, host_queries_on_a_task_fail_alike)
{
	ask_both(_metadata, host_queries, ARRAY_SIZE(host_queries), &self->a, self->a.task,
		 &self->a.task_proxy);
}

/*
 * Each action made on a (real: its object) and on b through its stand-in
 * (proxy): the same answers, then the same state, as look() sees it.
 */
static void act_both(struct __test_metadata *_metadata, const struct action *rows,
		     unsigned int count, struct world *a, mach_port_t real, struct world *b,
		     struct proxy *p)
{
	for (unsigned int i = 0; i < count; i++) {
		struct answer direct = { 0 }, proxied = { 0 };
		char what[96];
		int before = forwarded(p);

		rows[i].act(a, real, &direct);
		rows[i].act(b, p->port, &proxied);
		snprintf(what, sizeof(what), "row %u, %s", i, rows[i].name);
		EXPECT_SAME(what, &direct, &proxied);
		EXPECT_EQ(!rows[i].local, forwarded(p) > before) {
			TH_LOG("%s: %d requests forwarded", what, forwarded(p) - before);
		}
		memset(&direct, 0, sizeof(direct));
		memset(&proxied, 0, sizeof(proxied));
		rows[i].look(a, &direct);
		rows[i].look(b, &proxied);
		snprintf(what, sizeof(what), "row %u, %s, then", i, rows[i].name);
		EXPECT_SAME(what, &direct, &proxied);
	}
}

TEST_F(identity, task_actions_leave_alike_tasks_alike)
{
	act_both(_metadata, task_actions, ARRAY_SIZE(task_actions), &self->a, self->a.task,
		 &self->b, &self->b.task_proxy);
}

TEST_F(identity, thread_actions_leave_alike_threads_alike)
{
	act_both(_metadata, thread_actions, ARRAY_SIZE(thread_actions), &self->a,
		 self->a.thread, &self->b, &self->b.thread_proxy);
}

TEST_F(identity, host_security_calls_answer_alike)
{
	mach_port_t priv, security;
	struct proxy p;

	if (host_get_special_port(mach_host_self(), HOST_LOCAL_NODE, HOST_PRIV_PORT, &priv) ||
	    host_get_special_port(priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT, &security))
		SKIP(return, "no host security port for us");
	proxy_start(&p, security);
	act_both(_metadata, security_actions, ARRAY_SIZE(security_actions), &self->a, security,
		 &self->b, &p);
	proxy_stop(&p);
}

/* The host's handlers as they were, cleared, then one of w's for bad access. */
static void host_handlers_from(mach_port_t priv, struct world *w)
{
	host_set_exception_ports(priv, EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY,
				 MACH_PORT_NULL, 0, 0);
	host_set_exception_ports(priv, EXC_MASK_BAD_ACCESS, w->ours, EXCEPTION_DEFAULT, 0);
}

/*
 * The host's exception ports, set through its privileged port directly
 * (world a's ports) and through a stand-in for it (world b's), each from
 * the same start: the same answers, the same handlers after. The host's
 * handlers are the whole VM's: put back as they were at the end.
 */
TEST_F(identity, host_exception_calls_answer_alike)
{
	exception_mask_t all = EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY;
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t priv, ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t count = EXC_TYPES_COUNT;
	struct proxy p;

	if (host_get_special_port(mach_host_self(), HOST_LOCAL_NODE, HOST_PRIV_PORT, &priv))
		SKIP(return, "no privileged host port for us");
	ASSERT_EQ(KERN_SUCCESS, host_get_exception_ports(priv, all, masks, &count, ports,
							 behaviors, flavors));
	proxy_start(&p, priv);
	for (unsigned int i = 0; i < ARRAY_SIZE(host_actions); i++) {
		struct answer direct = { 0 }, proxied = { 0 }, direct_then = { 0 };
		struct answer proxied_then = { 0 };
		char what[96];
		int before = forwarded(&p);

		host_handlers_from(priv, &self->a);
		host_actions[i].act(&self->a, priv, &direct);
		look_exception_ports_with(host_get_exception_ports, priv, &self->a, &direct_then);
		host_handlers_from(priv, &self->b);
		host_actions[i].act(&self->b, p.port, &proxied);
		look_exception_ports_with(host_get_exception_ports, priv, &self->b, &proxied_then);
		snprintf(what, sizeof(what), "row %u, %s", i, host_actions[i].name);
		EXPECT_SAME(what, &direct, &proxied);
		EXPECT_EQ(1, forwarded(&p) - before) {
			TH_LOG("%s: %d requests forwarded", what, forwarded(&p) - before);
		}
		snprintf(what, sizeof(what), "row %u, %s, then", i, host_actions[i].name);
		EXPECT_SAME(what, &direct_then, &proxied_then);
	}
	proxy_stop(&p);
	host_set_exception_ports(priv, all, MACH_PORT_NULL, 0, 0);
	for (unsigned int i = 0; i < count; i++)
		host_set_exception_ports(priv, masks[i], ports[i], behaviors[i], flavors[i]);
}

TEST_F(identity, norma_calls_answer_alike_and_make_alike_tasks)
{
	act_both(_metadata, norma_actions, ARRAY_SIZE(norma_actions), &self->a, self->a.task,
		 &self->b, &self->b.task_proxy);
}

/*
 * norma_task_create (555006) by hand, to our own task's port: the child
 * comes back in the reply, made within the call (never on the way out of
 * it, as the ioctl's is), and is a task on the node asked for.
 */
TEST(norma_task_create_by_message_to_our_own_task)
{
	union exchange x;
	task_t child;
	int pid = 0;
	integer_t node[TASK_NODE_INFO_COUNT];
	mach_msg_type_number_t count = TASK_NODE_INFO_COUNT;

	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = FALSE;
	x.in.s.w[1] = 1;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 555006, &x, SIMPLE(2),
					 MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(555106, x.out.head.msgh_id);
	ASSERT_TRUE(x.out.head.msgh_bits & COMPLEX) {
		TH_LOG("refused: %#x", x.out.s.ret);
	}
	EXPECT_EQ(sizeof(mach_msg_header_t) + 4 + 12, x.out.head.msgh_size);
	EXPECT_EQ(1, x.out.c.body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (int)x.out.c.port.disposition);
	child = x.out.c.port.name;
	ASSERT_EQ(KERN_SUCCESS, pid_for_task(child, &pid));
	EXPECT_NE(getpid(), pid);
	ASSERT_EQ(KERN_SUCCESS, task_info(child, TASK_NODE_INFO, (task_info_t)node, &count));
	EXPECT_EQ(1, node[0]);
	EXPECT_EQ(KERN_SUCCESS, task_terminate(child));

	/* A node that is not there: refused, as by the ioctl. */
	memset(&x, 0, sizeof(x));
	x.in.s.w[0] = FALSE;
	x.in.s.w[1] = 99;
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 555006, &x, SIMPLE(2),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, x.out.s.ret);
	EXPECT_EQ(norma_task_create(mach_task_self(), FALSE, 99, &child), x.out.s.ret);
	/* One word short: MIG's error. */
	memset(&x, 0, sizeof(x));
	ASSERT_EQ(MACH_MSG_SUCCESS, call(mach_task_self(), 555006, &x, SIMPLE(1),
					 MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, x.out.s.ret);
}

TEST_HARNESS_MAIN
