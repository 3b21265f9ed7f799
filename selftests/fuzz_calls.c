// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer of call sequences: several processes, each with a few threads,
 * issue random sequences of libmach calls and raw /dev/mach ioctls with
 * random and boundary arguments (names of other kinds, dead names, bad
 * pointers, huge counts), pass rights to each other through a hub port,
 * fork, re-exec themselves, close random descriptors, stop, continue and
 * kill each other.
 *
 * A supervisor that never uses Mach itself runs the rounds. After each
 * round every process of the round is gone (those left are killed; one that
 * cannot be killed is a failure), the module's live counts
 * (/sys/class/misc/mach/live_*) are back to their values before the round,
 * and (unless -R) rmmod succeeds and the module is loaded again. The master
 * seed is printed; each round's and each process's seed derive from it, so
 * a seed reproduces each process's sequence of calls (-v logs every call,
 * -x OPS leaves kinds of call out, for minimizing a failing run).
 *
 *   fuzz_calls                      the CI budget: TAP, one result a round
 *   fuzz_calls -t 600               rounds until 600 s are spent
 *   fuzz_calls -s SEED -r 1 -v      one round of a seed, every call logged
 * See usage() for the rest.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>
#include <mach/abi.h>

#include "mach_test.h"

#define MAX_PROCS	16	/* live worker processes of a round */
#define NAMES		64	/* a process's pool of port names */
#define ADDRS		32	/* ... and of addresses it allocated */
#define TASKS		16	/* ... and of task ports */
#define THREADS		16	/* ... and of thread ports */

/* ---- randomness (test_next, test_mix: mach_test.h) ------------------ */

static uint32_t below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(test_next(s) % n) : 0;
}

static bool chance(uint64_t *s, uint32_t one_in)
{
	return below(s, one_in) == 0;
}

/* ---- state shared by every process of a round (a memfd, kept over exec) */

struct shared {
	uint64_t calls;			/* calls made, all processes */
	uint64_t procs_started;
	int32_t live;			/* worker processes alive */
	int32_t pids[MAX_PROCS];	/* some of them, for stop and kill */
	uint32_t stopped;		/* SIGSTOPs sent */
	uint32_t killed;		/* SIGKILLs sent */
};

static struct shared *shared;
static int shared_fd = -1;

/* ---- options -------------------------------------------------------- */

static int verbose;
static uint64_t excluded;	/* -x: op kinds left out */
static bool ops_chosen;		/* -x or -o given */
static uint32_t calls_per_thread = 1000;
static int threads_per_proc = 2;
static int procs = 6;

/* ---- a process's pools (threads race on them: they are only numbers) */

static volatile mach_port_t names[NAMES];
static volatile vm_address_t addrs[ADDRS];
static volatile vm_size_t sizes[ADDRS];
static volatile mach_port_t tasks[TASKS];
static volatile mach_port_t threads[THREADS];
static mach_port_t hub;		/* the round's hub: every process sends there */
static mach_port_t security;	/* the host security port, if we got it */
static int dev_fd = -1;		/* libmach's /dev/mach descriptor */
static int proc_id;
static uint64_t proc_seed;
static volatile uint32_t exec_depth;

static void keep(volatile mach_port_t *pool, int n, uint64_t *s, mach_port_t name)
{
	if (name != MACH_PORT_NULL && name != MACH_PORT_DEAD)
		pool[below(s, n)] = name;
}

static void logf_(int thread, uint32_t call, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void logf_(int thread, uint32_t call, const char *fmt, ...)
{
	char buf[256];
	int n;
	va_list ap;

	n = snprintf(buf, sizeof(buf), "p%d.%d #%u ", proc_id, thread, call);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(2, buf, n) < 0)
		return;
}

/* The context of one call: its thread, its number, its noise. */
struct ctx {
	uint64_t s;
	int thread;
	uint32_t call;
};

#define LOG(c, ...) do { if (verbose) logf_((c)->thread, (c)->call, __VA_ARGS__); } while (0)

static mach_port_t any_name(struct ctx *c)
{
	switch (below(&c->s, 16)) {
	case 0: return MACH_PORT_NULL;
	case 1: return MACH_PORT_DEAD;
	case 2: return below(&c->s, 3);			/* stdio */
	case 3: return dev_fd;				/* a descriptor of another kind */
	case 4: return below(&c->s, 128);
	case 5: return mach_task_self();
	case 6: return hub;
	case 7: return tasks[below(&c->s, TASKS)];
	case 8: return threads[below(&c->s, THREADS)];
	case 9: return 0x7fffffff;
	default: return names[below(&c->s, NAMES)];
	}
}

static mach_port_t any_task(struct ctx *c)
{
	switch (below(&c->s, 10)) {
	case 0: return any_name(c);
	case 1: case 2: case 3: return mach_task_self();
	default: return tasks[below(&c->s, TASKS)];
	}
}

static mach_port_t any_thread(struct ctx *c)
{
	return chance(&c->s, 8) ? any_name(c) : threads[below(&c->s, THREADS)];
}

static const mach_msg_type_name_t dispositions[] = {
	MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE,
	MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, 0, 23, 255,
};

static mach_msg_type_name_t any_disposition(struct ctx *c)
{
	return dispositions[below(&c->s, sizeof(dispositions) / sizeof(dispositions[0]))];
}

static const mach_port_right_t rights[] = {
	MACH_PORT_RIGHT_SEND, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_RIGHT_SEND_ONCE,
	MACH_PORT_RIGHT_PORT_SET, MACH_PORT_RIGHT_DEAD_NAME, MACH_PORT_RIGHT_RECEIVE, 7, 1000,
};

static mach_port_right_t any_right(struct ctx *c)
{
	return rights[below(&c->s, sizeof(rights) / sizeof(rights[0]))];
}

static uint64_t any_size(struct ctx *c)
{
	switch (below(&c->s, 10)) {
	case 0: return 0;
	case 1: return ~0ULL;
	case 2: return 1ULL << 40;
	case 3: return 1 + below(&c->s, 8191);
	case 4: return 0x7fffffffULL;
	default: return 4096ULL * (1 + below(&c->s, 8));
	}
}

static vm_address_t any_addr(struct ctx *c)
{
	switch (below(&c->s, 10)) {
	case 0: return 0;
	case 1: return ~0UL;
	case 2: return 0xffff888000000000UL;	/* the kernel's */
	case 3: return 0x10000UL * below(&c->s, 4096);
	default: return addrs[below(&c->s, ADDRS)];
	}
}

/* A user pointer: a good buffer, null, -1, a kernel address, or read-only. */
static void *any_ptr(struct ctx *c, void *good)
{
	switch (below(&c->s, 12)) {
	case 0: return NULL;
	case 1: return (void *)-1L;
	case 2: return (void *)0xffff888000000000UL;
	case 3: return (void *)any_name;	/* text: read-only */
	case 4: return (void *)addrs[below(&c->s, ADDRS)];
	default: return good;
	}
}

/* ---- the calls --------------------------------------------------------- */

static void op_port_allocate(struct ctx *c)
{
	mach_port_t name = MACH_PORT_NULL;
	mach_port_right_t right = chance(&c->s, 3) ? any_right(c) : MACH_PORT_RIGHT_RECEIVE;
	kern_return_t kr = mach_port_allocate(any_task(c), right, &name);

	LOG(c, "port_allocate(right %u) = %#x name %#x", right, kr, name);
	keep(names, NAMES, &c->s, name);
	if (kr == KERN_SUCCESS && right == MACH_PORT_RIGHT_RECEIVE && chance(&c->s, 2)) {
		kr = mach_port_insert_right(mach_task_self(), name, name, MACH_MSG_TYPE_MAKE_SEND);
		LOG(c, "insert_right(%#x, %#x, make_send) = %#x", name, name, kr);
	}
}

static void op_port_deallocate(struct ctx *c)
{
	mach_port_t t = any_task(c), name = any_name(c);
	kern_return_t kr = chance(&c->s, 4) ? mach_port_destroy(t, name) : mach_port_deallocate(t, name);

	LOG(c, "port_deallocate/destroy(%#x, %#x) = %#x", t, name, kr);
}

static void op_port_mod_refs(struct ctx *c)
{
	static const int deltas[] = { -1, 1, -2, 2, 0, -1000, 0x7fffffff, -0x7fffffff - 1 };
	mach_port_t t = any_task(c), name = any_name(c);
	mach_port_right_t right = any_right(c);
	int delta = deltas[below(&c->s, 8)];
	kern_return_t kr = mach_port_mod_refs(t, name, right, delta);
	mach_port_urefs_t refs = 0;

	LOG(c, "mod_refs(%#x, %#x, %u, %d) = %#x", t, name, right, delta, kr);
	kr = mach_port_get_refs(t, name, any_right(c), &refs);
	LOG(c, "get_refs = %#x %u", kr, refs);
}

static void op_insert_right(struct ctx *c)
{
	mach_port_t t = any_task(c), name = any_name(c), poly = any_name(c);
	mach_msg_type_name_t d = any_disposition(c);
	kern_return_t kr;

	if (chance(&c->s, 2))
		name = poly;
	kr = mach_port_insert_right(t, name, poly, d);
	LOG(c, "insert_right(%#x, %#x, %#x, %u) = %#x", t, name, poly, d, kr);
}

static void op_extract_right(struct ctx *c)
{
	mach_port_t t = any_task(c), name = any_name(c), got = MACH_PORT_NULL;
	mach_msg_type_name_t d = any_disposition(c), got_type = 0;
	kern_return_t kr = mach_port_extract_right(t, name, d, &got, &got_type);

	LOG(c, "extract_right(%#x, %#x, %u) = %#x got %#x", t, name, d, kr, got);
	keep(names, NAMES, &c->s, got);
}

static void op_members(struct ctx *c)
{
	mach_port_t member = any_name(c), set = any_name(c);
	kern_return_t kr;

	switch (below(&c->s, 4)) {
	case 0:
		kr = mach_port_move_member(mach_task_self(), member, set);
		break;
	case 1:
		kr = mach_port_insert_member(mach_task_self(), member, set);
		break;
	case 2:
		kr = mach_port_extract_member(mach_task_self(), member, set);
		break;
	default: {
		mach_port_name_array_t members = NULL;
		mach_msg_type_number_t count = 0;

		kr = mach_port_get_set_status(any_task(c), set, &members, &count);
		if (kr == KERN_SUCCESS && members)
			vm_deallocate(mach_task_self(), (vm_address_t)members,
				      count * sizeof(*members));
	}
	}
	LOG(c, "members(%#x, %#x) = %#x", member, set, kr);
}

static void op_notification(struct ctx *c)
{
	static const mach_msg_id_t ids[] = {
		MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_DEAD_NAME, MACH_NOTIFY_PORT_DESTROYED,
		MACH_NOTIFY_SEND_POSSIBLE, MACH_NOTIFY_PORT_DELETED, MACH_NOTIFY_SEND_ONCE, 0, -1,
	};
	mach_port_t name = any_name(c), notify = any_name(c), previous = MACH_PORT_NULL;
	mach_msg_id_t id = ids[below(&c->s, 8)];
	mach_msg_type_name_t d = chance(&c->s, 4) ? any_disposition(c) : MACH_MSG_TYPE_MAKE_SEND_ONCE;
	kern_return_t kr = mach_port_request_notification(any_task(c), name, id, below(&c->s, 3),
							  notify, d, &previous);

	LOG(c, "request_notification(%#x, %d, %#x, %u) = %#x prev %#x", name, id, notify, d, kr,
	    previous);
	keep(names, NAMES, &c->s, previous);
}

static void op_attributes(struct ctx *c)
{
	mach_port_t t = any_task(c), name = any_name(c);
	integer_t info[16] = { 0 };
	mach_msg_type_number_t count = below(&c->s, 17);
	mach_port_flavor_t flavor = below(&c->s, 6);
	kern_return_t kr;

	if (chance(&c->s, 2)) {
		kr = mach_port_get_attributes(t, name, flavor, info, &count);
	} else {
		info[0] = chance(&c->s, 2) ? below(&c->s, 20) : (integer_t)test_next(&c->s);
		kr = mach_port_set_attributes(t, name, flavor, info, count);
	}
	LOG(c, "attributes(%#x, %#x, %d, %u) = %#x", t, name, flavor, count, kr);
}

static void op_port_misc(struct ctx *c)
{
	mach_port_t t = any_task(c), name = any_name(c);
	kern_return_t kr = 0;
	int which = below(&c->s, 8);

	switch (which) {
	case 0: {
		mach_port_name_array_t n = NULL;
		mach_port_type_array_t ty = NULL;
		mach_msg_type_number_t nc = 0, tc = 0;

		kr = mach_port_names(t, &n, &nc, &ty, &tc);
		if (kr == KERN_SUCCESS) {
			if (nc)
				keep(names, NAMES, &c->s, n[below(&c->s, nc)]);
			vm_deallocate(mach_task_self(), (vm_address_t)n, nc * sizeof(*n));
			vm_deallocate(mach_task_self(), (vm_address_t)ty, tc * sizeof(*ty));
		}
		break;
	}
	case 1: {
		mach_port_type_t type;

		kr = mach_port_type(t, name, &type);
		break;
	}
	case 2:
		kr = mach_port_rename(t, name, any_name(c));
		break;
	case 3:
		kr = mach_port_allocate_name(t, any_right(c), any_name(c));
		break;
	case 4:
		kr = mach_port_set_mscount(t, name, below(&c->s, 3));
		break;
	case 5:
		kr = mach_port_set_seqno(t, name, below(&c->s, 3));
		break;
	case 6: {
		mach_port_rights_t sr;

		kr = mach_port_get_srights(t, name, &sr);
		break;
	}
	default:
		kr = mach_port_set_context(t, name, test_next(&c->s));
		break;
	}
	LOG(c, "port_misc %d(%#x, %#x) = %#x", which, t, name, kr);
}

/* ---- messages ------------------------------------------------------- */

union msgbuf {
	mach_msg_header_t header;
	char bytes[2048];
};

static char ool_data[3 * 4096];

static void op_send(struct ctx *c)
{
	union msgbuf m;
	mach_msg_port_descriptor_t *pd;
	mach_msg_ool_descriptor_t *od;
	mach_msg_ool_ports_descriptor_t *opd;
	mach_port_t ports[4];
	uint32_t n = 0, off, i;
	mach_msg_option_t options = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	mach_msg_return_t mr;
	mach_port_t dest;

	memset(&m, 0, sizeof(m));
	dest = chance(&c->s, 3) ? hub : any_name(c);
	m.header.msgh_remote_port = dest;
	m.header.msgh_local_port = chance(&c->s, 2) ? MACH_PORT_NULL : any_name(c);
	m.header.msgh_bits = MACH_MSGH_BITS(chance(&c->s, 4) ? any_disposition(c) :
					   MACH_MSG_TYPE_COPY_SEND,
					   m.header.msgh_local_port ? any_disposition(c) : 0);
	m.header.msgh_id = below(&c->s, 4);
	off = sizeof(mach_msg_header_t);
	if (chance(&c->s, 2)) {
		m.header.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		n = below(&c->s, 5);
		off += sizeof(mach_msg_body_t);
		((mach_msg_body_t *)(m.bytes + sizeof(m.header)))->msgh_descriptor_count =
			chance(&c->s, 16) ? n + below(&c->s, 3) : n;
		for (i = 0; i < n; i++) {
			switch (below(&c->s, 4)) {
			case 0:
			case 1:
				pd = (void *)(m.bytes + off);
				/* msgh_id 1: the receiver keeps it as a task port. */
				if (m.header.msgh_id == 1) {
					pd->name = mach_task_self();
					pd->disposition = MACH_MSG_TYPE_COPY_SEND;
				} else {
					pd->name = any_name(c);
					pd->disposition = any_disposition(c);
				}
				pd->type = MACH_MSG_PORT_DESCRIPTOR;
				off += sizeof(*pd);
				break;
			case 2:
				od = (void *)(m.bytes + off);
				od->address = any_ptr(c, ool_data + below(&c->s, 4096));
				od->size = chance(&c->s, 8) ? (uint32_t)any_size(c) : below(&c->s, 8192);
				od->deallocate = chance(&c->s, 8);
				od->copy = below(&c->s, 3);
				od->type = MACH_MSG_OOL_DESCRIPTOR;
				if (od->deallocate) {	/* only what we own */
					int k = below(&c->s, ADDRS);

					od->address = (void *)addrs[k];
					addrs[k] = 0;
				}
				off += sizeof(*od);
				break;
			default:
				opd = (void *)(m.bytes + off);
				for (uint32_t k = 0; k < 4; k++)
					ports[k] = any_name(c);
				opd->address = any_ptr(c, ports);
				opd->count = chance(&c->s, 8) ? (uint32_t)test_next(&c->s) : below(&c->s, 5);
				opd->disposition = any_disposition(c);
				opd->copy = below(&c->s, 3);
				opd->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
				off += sizeof(*opd);
				break;
			}
		}
	}
	off += 4 * below(&c->s, 8);	/* inline data */
	m.header.msgh_size = chance(&c->s, 16) ? below(&c->s, 4096) : off;
	if (chance(&c->s, 8)) {
		options |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
		if (chance(&c->s, 2))
			options |= MACH_RCV_LARGE;
	}
	mr = mach_msg(&m.header, options, m.header.msgh_size,
		      options & MACH_RCV_MSG ? sizeof(m) : 0,
		      m.header.msgh_local_port, below(&c->s, 3), MACH_PORT_NULL);
	LOG(c, "send(to %#x, reply %#x, bits %#x, id %d, %u descriptors, size %u) = %#x", dest,
	    m.header.msgh_local_port, m.header.msgh_bits, m.header.msgh_id, n,
	    m.header.msgh_size, mr);
}

/* Keeps what a received message brought. */
static void take(struct ctx *c, union msgbuf *m)
{
	mach_msg_body_t *body;
	char *p, *end;
	uint32_t i;
	bool task_ports = m->header.msgh_id == 1;

	keep(names, NAMES, &c->s, m->header.msgh_remote_port);
	if (!(m->header.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	if (m->header.msgh_size > sizeof(*m))
		return;
	body = (void *)(m->bytes + sizeof(m->header));
	p = (char *)(body + 1);
	end = m->bytes + m->header.msgh_size;
	for (i = 0; i < body->msgh_descriptor_count && p + 12 <= end; i++) {
		mach_msg_type_descriptor_t *td = (void *)p;

		switch (td->type) {
		case MACH_MSG_PORT_DESCRIPTOR: {
			mach_msg_port_descriptor_t *pd = (void *)p;

			if (task_ports)
				keep(tasks, TASKS, &c->s, pd->name);
			else
				keep(names, NAMES, &c->s, pd->name);
			p += sizeof(*pd);
			break;
		}
		case MACH_MSG_OOL_DESCRIPTOR: {
			mach_msg_ool_descriptor_t *od = (void *)p;

			if (od->address && od->size) {
				if (chance(&c->s, 2)) {
					vm_deallocate(mach_task_self(), (vm_address_t)od->address,
						      od->size);
				} else {
					int k = below(&c->s, ADDRS);

					addrs[k] = (vm_address_t)od->address;
					sizes[k] = od->size;
				}
			}
			p += sizeof(*od);
			break;
		}
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_msg_ool_ports_descriptor_t *opd = (void *)p;
			mach_port_t *a = opd->address;

			if (a) {
				for (uint32_t k = 0; k < opd->count && k < 4; k++)
					keep(names, NAMES, &c->s, a[k]);
				vm_deallocate(mach_task_self(), (vm_address_t)a,
					      opd->count * sizeof(*a));
			}
			p += sizeof(*opd);
			break;
		}
		default:
			return;
		}
	}
}

static void op_receive(struct ctx *c)
{
	union msgbuf m;
	mach_port_t from = chance(&c->s, 3) ? hub : any_name(c);
	mach_msg_size_t size = chance(&c->s, 6) ? below(&c->s, 64) : sizeof(m);
	mach_msg_option_t options = MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	mach_msg_return_t mr;

	if (chance(&c->s, 4))
		options |= MACH_RCV_LARGE;
	if (chance(&c->s, 8))
		options |= MACH_RCV_TRAILER_TYPE(0) | MACH_RCV_TRAILER_ELEMENTS(below(&c->s, 8));
	memset(&m.header, 0, sizeof(m.header));
	mr = mach_msg(&m.header, options, 0, size, from, below(&c->s, 5), MACH_PORT_NULL);
	LOG(c, "receive(%#x, size %u, options %#x) = %#x", from, size, options, mr);
	if (mr == MACH_MSG_SUCCESS) {
		if (chance(&c->s, 4))
			mach_msg_destroy(&m.header);
		else
			take(c, &m);
	}
}

/* Gives the hub a send right to this task, so that others act on it. */
static void op_share_task(struct ctx *c)
{
	/* Not blocking on a full hub: a round of blocked threads fuzzes nothing. */
	mach_msg_return_t mr = send_port_within(hub, mach_task_self(),
						MACH_MSG_TYPE_COPY_SEND, 10);

	LOG(c, "share_task = %#x", mr);
}

/* ---- tasks ---------------------------------------------------------- */

static void op_task_create(struct ctx *c)
{
	mach_port_t parent = any_task(c), child = MACH_PORT_NULL;
	boolean_t inherit = below(&c->s, 2);
	kern_return_t kr;
	int how = below(&c->s, 8);
	int node = (int)below(&c->s, 5) - 1;

	switch (how) {
	case 0:
		kr = norma_task_create(parent, inherit, node, &child);
		break;
	case 1:
		kr = norma_task_clone(parent, inherit, node, &child);
		break;
	case 2:
		/* On itself it ends this process: rarely. */
		if (parent == mach_task_self() && !chance(&c->s, 8))
			parent = tasks[below(&c->s, TASKS)];
		kr = norma_task_teleport(parent, inherit, node, &child);
		break;
	case 3:
		if (security) {
			security_token_t st = { { 0, 0 } };
			audit_token_t at = { { 0 } };

			kr = host_security_create_task_token(security, parent, st, at,
							     mach_host_self(), NULL, 0, inherit,
							     &child);
			break;
		}
		/* fall through */
	default:
		kr = task_create(parent, NULL, 0, inherit, &child);
		break;
	}
	LOG(c, "task_create %d(%#x, inherit %d, node %d) = %#x child %#x", how, parent, inherit,
	    node, kr, child);
	keep(tasks, TASKS, &c->s, child);
}

static void op_task_control(struct ctx *c)
{
	mach_port_t t = any_task(c);
	kern_return_t kr;
	int which = below(&c->s, 16);

	switch (which) {
	case 0:
		/* Ourselves now and then: a task that ends in the middle. */
		if (t == mach_task_self() && !chance(&c->s, 16))
			t = tasks[below(&c->s, TASKS)];
		kr = task_terminate(t);
		break;
	case 1: case 2: case 3:
		/* Ourselves would stop this sequence until the round ends. */
		if (t == mach_task_self())
			t = tasks[below(&c->s, TASKS)];
		kr = task_suspend(t);
		break;
	default:
		kr = task_resume(t);
		break;
	}
	LOG(c, "task_control %d(%#x) = %#x", which, t, kr);
}

static void op_task_threads(struct ctx *c)
{
	mach_port_t t = any_task(c);
	thread_act_array_t list = NULL;
	mach_msg_type_number_t count = 0;
	kern_return_t kr = task_threads(t, &list, &count);

	LOG(c, "task_threads(%#x) = %#x count %u", t, kr, count);
	if (kr != KERN_SUCCESS)
		return;
	for (uint32_t i = 0; i < count; i++) {
		if (chance(&c->s, 2))
			keep(threads, THREADS, &c->s, list[i]);
		else
			mach_port_deallocate(mach_task_self(), list[i]);
	}
	vm_deallocate(mach_task_self(), (vm_address_t)list, count * sizeof(*list));
}

static void op_task_info(struct ctx *c)
{
	mach_port_t t = any_task(c);
	integer_t info[128];
	mach_msg_type_number_t count = chance(&c->s, 4) ? (uint32_t)test_next(&c->s) : below(&c->s, 128);
	task_flavor_t flavor = below(&c->s, 40);
	kern_return_t kr = task_info(t, flavor, info, &count);

	LOG(c, "task_info(%#x, %u) = %#x", t, flavor, kr);
}

static void op_special_ports(struct ctx *c)
{
	mach_port_t t = any_task(c), port = MACH_PORT_NULL;
	int which = (int)below(&c->s, TASK_MAX_SPECIAL_PORT + 3) - 1;
	kern_return_t kr;

	switch (below(&c->s, 4)) {
	case 0:
		kr = task_get_special_port(t, which, &port);
		LOG(c, "get_special_port(%#x, %d) = %#x port %#x", t, which, kr, port);
		keep(names, NAMES, &c->s, port);
		break;
	case 1:
		/* Not our own bootstrap: the hub would be lost to this process. */
		if (which == TASK_BOOTSTRAP_PORT && t == mach_task_self())
			which = TASK_GSSD_PORT;
		port = any_name(c);
		kr = task_set_special_port(t, which, port);
		LOG(c, "set_special_port(%#x, %d, %#x) = %#x", t, which, port, kr);
		break;
	case 2: {
		mach_port_t set[4];
		mach_msg_type_number_t n = chance(&c->s, 8) ? 4 + below(&c->s, 100) : below(&c->s, 4);

		for (int i = 0; i < 4; i++)
			set[i] = any_name(c);
		kr = mach_ports_register(t, n > 4 ? NULL : set, n);
		LOG(c, "ports_register(%#x, %u) = %#x", t, n, kr);
		break;
	}
	default: {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t n = 0;

		kr = mach_ports_lookup(t, &got, &n);
		LOG(c, "ports_lookup(%#x) = %#x n %u", t, kr, n);
		if (kr == KERN_SUCCESS && got) {
			for (uint32_t i = 0; i < n; i++)
				keep(names, NAMES, &c->s, got[i]);
			vm_deallocate(mach_task_self(), (vm_address_t)got, n * sizeof(*got));
		}
	}
	}
}

/* ---- vm --------------------------------------------------------------- */

static void op_vm(struct ctx *c)
{
	mach_port_t t = any_task(c);
	int slot = below(&c->s, ADDRS);
	vm_address_t a = addrs[slot];
	vm_size_t size = sizes[slot] ? sizes[slot] : 4096;
	kern_return_t kr;
	int which = below(&c->s, 9);

	/* Random ranges only in other tasks, or where they cannot unmap
	 * or write-protect this program. */
	if (t != mach_task_self() && chance(&c->s, 3)) {
		a = any_addr(c);
		size = any_size(c);
	} else if ((which == 4 || which == 5 || which == 8) && chance(&c->s, 16)) {
		size = any_size(c);
	}
	switch (which) {
	case 0: case 1: {
		vm_address_t got = chance(&c->s, 4) ? any_addr(c) : 0;
		int flags = chance(&c->s, 4) ? VM_FLAGS_FIXED : VM_FLAGS_ANYWHERE;

		size = chance(&c->s, 8) ? any_size(c) : 4096 * (1 + below(&c->s, 4));
		if (flags == VM_FLAGS_FIXED && t == mach_task_self())
			flags = VM_FLAGS_ANYWHERE;
		kr = vm_allocate(t, &got, size, flags);
		LOG(c, "vm_allocate(%#x, %#lx, %#lx, %d) = %#x", t, (unsigned long)got,
		    (unsigned long)size, flags, kr);
		if (kr == KERN_SUCCESS && t == mach_task_self()) {
			addrs[slot] = got;
			sizes[slot] = size;
		}
		return;
	}
	case 2:
		kr = vm_deallocate(t, a, size);
		if (kr == KERN_SUCCESS && t == mach_task_self())
			addrs[slot] = 0;
		break;
	case 3:
		kr = vm_protect(t, a, size, below(&c->s, 2), below(&c->s, 8));
		break;
	case 4:
		kr = vm_inherit(t, a, size, below(&c->s, 4));
		break;
	case 5: {
		vm_offset_t data = 0;
		mach_msg_type_number_t count = 0;

		kr = vm_read(t, a, size, &data, &count);
		if (kr == KERN_SUCCESS)
			vm_deallocate(mach_task_self(), data, count);
		break;
	}
	case 6:
		kr = vm_write(t, a, (vm_offset_t)ool_data, below(&c->s, sizeof(ool_data)));
		break;
	case 7:
		kr = vm_copy(t, a, t == mach_task_self() ? 4096 : size,
			     addrs[below(&c->s, ADDRS)]);
		break;
	default: {
		vm_address_t r = a;
		vm_size_t rs = 0;
		vm_region_basic_info_data_64_t info;
		mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
		mach_port_t object = MACH_PORT_NULL;

		kr = vm_region_64(t, &r, &rs, VM_REGION_BASIC_INFO_64, (vm_region_info_t)&info,
				  &count, &object);
		break;
	}
	}
	LOG(c, "vm %d(%#x, %#lx, %#lx) = %#x", which, t, (unsigned long)a, (unsigned long)size, kr);
}

/* ---- threads -------------------------------------------------------- */

/* Where a thread made by thread_create may be sent: an exit, or a spin. */
__asm__(".text\n"
	".globl fuzz_thread_exit\n"
	"fuzz_thread_exit:\n"
	"	mov $60, %eax\n"
	"	xor %edi, %edi\n"
	"	syscall\n"
	"	ud2\n"
	".globl fuzz_thread_spin\n"
	"fuzz_thread_spin:\n"
	"	pause\n"
	"	jmp fuzz_thread_spin\n");
void fuzz_thread_exit(void);
void fuzz_thread_spin(void);

static void op_thread(struct ctx *c)
{
	mach_port_t th = any_thread(c);
	kern_return_t kr;
	int which = below(&c->s, 10);

	switch (which) {
	case 0: case 1: {
		mach_port_t t = any_task(c);

		th = MACH_PORT_NULL;
		kr = thread_create(t, &th);
		LOG(c, "thread_create(%#x) = %#x thread %#x", t, kr, th);
		keep(threads, THREADS, &c->s, th);
		return;
	}
	case 2: {
		x86_thread_state64_t st = { 0 };
		mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
		uint64_t rips[] = { (uint64_t)fuzz_thread_exit, (uint64_t)fuzz_thread_spin,
				    0, test_next(&c->s) };

		st.__rip = rips[below(&c->s, 4)];
		st.__rsp = addrs[below(&c->s, ADDRS)] + 2048;
		st.__rflags = 0x202;
		if (chance(&c->s, 8))
			count = below(&c->s, 64);
		kr = thread_set_state(th, chance(&c->s, 8) ? below(&c->s, 20) : x86_THREAD_STATE64,
				      (thread_state_t)&st, count);
		break;
	}
	case 3: {
		natural_t st[64];
		mach_msg_type_number_t count = below(&c->s, 64);

		kr = thread_get_state(th, below(&c->s, 12), st, &count);
		break;
	}
	case 4: case 5:
		kr = thread_resume(th);
		break;
	case 6:
		kr = thread_suspend(th);
		break;
	case 7:
		kr = chance(&c->s, 2) ? thread_abort(th) : thread_abort_safely(th);
		break;
	case 8:
		kr = thread_terminate(th);
		break;
	default: {
		integer_t info[32];
		mach_msg_type_number_t count = below(&c->s, 32);

		kr = thread_info(th, below(&c->s, 8), info, &count);
		break;
	}
	}
	LOG(c, "thread %d(%#x) = %#x", which, th, kr);
}

/* ---- raw ioctls ----------------------------------------------------- */

static const unsigned long raw_cmds[] = {
	MACH_IOC_VERSION, MACH_IOC_TASK_SELF, MACH_IOC_TASK_INFO, MACH_IOC_PORT_DEALLOCATE,
	MACH_IOC_PORT, MACH_IOC_MSG, MACH_IOC_SPECIAL_PORT, MACH_IOC_TASK_PORTS,
	MACH_IOC_EXCEPTION_PORTS, MACH_IOC_TASK_CREATE, MACH_IOC_TASK_CONTROL, MACH_IOC_VM,
	MACH_IOC_THREAD, MACH_IOC_HOST, MACH_IOC_TASK_CREATE_TOKEN,
};

static void op_raw_ioctl(struct ctx *c)
{
	uint64_t buf[64];
	unsigned long cmd = raw_cmds[below(&c->s, sizeof(raw_cmds) / sizeof(raw_cmds[0]))];
	int fd = chance(&c->s, 16) ? (int)any_name(c) : dev_fd;
	long ret;

	for (int i = 0; i < 64; i++) {
		switch (below(&c->s, 12)) {
		case 0: buf[i] = test_next(&c->s); break;
		case 1: buf[i] = ~0ULL; break;
		case 2: buf[i] = (uint64_t)any_ptr(c, &buf[32]); break;
		case 3: buf[i] = any_size(c); break;
		case 4: buf[i] = any_name(c) | (uint64_t)any_name(c) << 32; break;
		case 5: buf[i] = addrs[below(&c->s, ADDRS)]; break;
		default: buf[i] = below(&c->s, 16) | (uint64_t)below(&c->s, 4) << 32; break;
		}
	}
	if (chance(&c->s, 8))
		cmd = _IOC(below(&c->s, 4), MACH_IOC_MAGIC, below(&c->s, MACH_IOC_NR_COUNT + 2),
			   8 * below(&c->s, 32));
	ret = ioctl(fd, cmd, any_ptr(c, buf));
	LOG(c, "ioctl(%d, %#lx) = %ld errno %d", fd, cmd, ret, ret < 0 ? errno : 0);
}

/* ---- processes ------------------------------------------------------ */

static void worker(uint64_t seed, int id) __attribute__((noreturn));

static void register_pid(pid_t pid)
{
	shared->pids[pid % MAX_PROCS] = pid;
}

static void op_fork(struct ctx *c)
{
	uint64_t seed = test_next(&c->s);
	pid_t pid;

	if (__atomic_load_n(&shared->live, __ATOMIC_RELAXED) >= MAX_PROCS)
		return;
	__atomic_add_fetch(&shared->live, 1, __ATOMIC_RELAXED);
	pid = fork();
	if (pid == 0)
		worker(seed, proc_id * 16 + 1 + c->thread);
	if (pid < 0)
		__atomic_sub_fetch(&shared->live, 1, __ATOMIC_RELAXED);
	LOG(c, "fork = %d", pid);
}

static void op_exec(struct ctx *c)
{
	char seed[32], id[16], fd[16], mask[32], depth[16];
	char *argv[] = { "fuzz_calls", "--worker", seed, id, fd, mask, depth, NULL, NULL };

	if (exec_depth > 3)
		return;
	snprintf(seed, sizeof(seed), "%" PRIu64, test_next(&c->s));
	snprintf(id, sizeof(id), "%d", proc_id * 16 + 8);
	snprintf(fd, sizeof(fd), "%d", shared_fd);
	snprintf(mask, sizeof(mask), "%" PRIu64, excluded);
	snprintf(depth, sizeof(depth), "%u", exec_depth + 1);
	if (verbose)
		argv[7] = "-v";
	LOG(c, "exec");
	execv("/proc/self/exe", argv);
	LOG(c, "exec failed: errno %d", errno);
}

static void op_fd(struct ctx *c)
{
	int fd = 3 + below(&c->s, 64);
	int ret;

	/* libmach's own descriptor rarely: everything after fails. */
	if (fd == dev_fd && !chance(&c->s, 8))
		return;
	if (fd == shared_fd)
		return;
	if (chance(&c->s, 3)) {
		ret = dup(fd);
		LOG(c, "dup(%d) = %d", fd, ret);
	} else {
		ret = close(fd);
		LOG(c, "close(%d) = %d", fd, ret);
	}
}

static void op_signal(struct ctx *c)
{
	pid_t pid = shared->pids[below(&c->s, MAX_PROCS)];
	int which = below(&c->s, 16);
	int sig = which < 6 ? SIGSTOP : which < 14 ? SIGCONT : SIGKILL;

	if (pid <= 0)
		return;
	if (sig == SIGKILL && pid == getpid() && !chance(&c->s, 4))
		return;
	if (sig == SIGSTOP && pid == getpid())
		sig = SIGCONT;
	if (sig == SIGSTOP)
		__atomic_add_fetch(&shared->stopped, 1, __ATOMIC_RELAXED);
	if (sig == SIGKILL)
		__atomic_add_fetch(&shared->killed, 1, __ATOMIC_RELAXED);
	LOG(c, "kill(%d, %d)", pid, sig);
	kill(pid, sig);
	if (sig == SIGSTOP) {
		/* Not for long: the round must end. */
		usleep(below(&c->s, 2000));
		kill(pid, SIGCONT);
	}
}

/* construct, destruct, guards, peek and the debugging views, any input. */
static void op_guards(struct ctx *c)
{
	static const uint32_t flags[] = {
		0, MPO_CONTEXT_AS_GUARD, MPO_CONTEXT_AS_GUARD | MPO_STRICT, MPO_QLIMIT,
		MPO_INSERT_SEND_RIGHT, MPO_SERVICE_PORT, 0xffffffff, MPO_REPLY_PORT,
	};
	mach_port_t t = any_task(c), name = any_name(c);
	mach_port_context_t guard = below(&c->s, 3);
	kern_return_t kr = 0;
	int which = below(&c->s, 7);

	switch (which) {
	case 0: {
		mach_port_options_t options = {
			.flags = flags[below(&c->s, 8)],
			.mpl = { below(&c->s, 2) ? 5 : 0x7fffffff },
		};

		name = MACH_PORT_NULL;
		kr = mach_port_construct(t, &options, guard, &name);
		keep(names, NAMES, &c->s, name);
		break;
	}
	case 1:
		kr = mach_port_destruct(t, name, -(int)below(&c->s, 3), guard);
		break;
	case 2:
		kr = chance(&c->s, 2) ? mach_port_guard(t, name, guard, below(&c->s, 2)) :
					mach_port_unguard(t, name, guard);
		break;
	case 3: {
		mach_port_seqno_t seqno = below(&c->s, 3);
		mach_msg_size_t size;
		mach_msg_id_t id;
		char trailer[68];
		mach_msg_type_number_t count = below(&c->s, 70);

		kr = mach_port_peek(t, name, MACH_RCV_TRAILER_ELEMENTS(below(&c->s, 9)), &seqno,
				    &size, &id, t == mach_task_self() ? any_ptr(c, trailer) : trailer,
				    &count);
		break;
	}
	case 4: {
		ipc_info_space_t info;
		ipc_info_name_array_t table = NULL;
		ipc_info_tree_name_array_t tree = NULL;
		mach_msg_type_number_t count = 0, tree_count = 0;

		kr = mach_port_space_info(t, &info, &table, &count, &tree, &tree_count);
		if (kr == KERN_SUCCESS && table)
			vm_deallocate(mach_task_self(), (vm_address_t)table,
				      count * sizeof(*table));
		break;
	}
	case 5: {
		natural_t type;
		mach_vm_address_t addr;

		kr = mach_port_kobject(t, name, &type, &addr);
		break;
	}
	default:
		kr = mach_port_set_context(t, name, guard);
		break;
	}
	LOG(c, "guards %d (%#x, %#x) = %#x", which, t, name, kr);
}

struct op {
	const char *name;
	void (*fn)(struct ctx *c);
	int weight;
};

static const struct op ops[] = {
	{ "port_allocate", op_port_allocate, 12 },
	{ "port_deallocate", op_port_deallocate, 6 },
	{ "mod_refs", op_port_mod_refs, 4 },
	{ "insert_right", op_insert_right, 6 },
	{ "extract_right", op_extract_right, 4 },
	{ "members", op_members, 3 },
	{ "notification", op_notification, 4 },
	{ "attributes", op_attributes, 2 },
	{ "port_misc", op_port_misc, 4 },
	{ "guards", op_guards, 3 },
	{ "send", op_send, 14 },
	{ "receive", op_receive, 10 },
	{ "share_task", op_share_task, 2 },
	{ "task_create", op_task_create, 2 },
	{ "task_control", op_task_control, 3 },
	{ "task_threads", op_task_threads, 2 },
	{ "task_info", op_task_info, 2 },
	{ "special_ports", op_special_ports, 4 },
	{ "vm", op_vm, 8 },
	{ "thread", op_thread, 5 },
	{ "raw_ioctl", op_raw_ioctl, 6 },
	{ "fork", op_fork, 1 },
	{ "exec", op_exec, 1 },
	{ "fd", op_fd, 2 },
	{ "signal", op_signal, 1 },
};

#define NOPS (int)(sizeof(ops) / sizeof(ops[0]))

static int total_weight;

static const struct op *pick_op(struct ctx *c)
{
	int w = below(&c->s, total_weight);

	for (int i = 0; i < NOPS; i++) {
		if (excluded & (1ULL << i))
			continue;
		if (w < ops[i].weight)
			return &ops[i];
		w -= ops[i].weight;
	}
	return &ops[0];
}

static volatile int threads_done;

static void run_sequence(uint64_t seed, int thread)
{
	struct ctx c = { .s = test_mix(seed) | 1, .thread = thread };

	for (c.call = 0; c.call < calls_per_thread; c.call++) {
		const struct op *op = pick_op(&c);

		op->fn(&c);
		__atomic_add_fetch(&shared->calls, 1, __ATOMIC_RELAXED);
	}
}

static void *thread_main(void *arg)
{
	int thread = (int)(intptr_t)arg;

	run_sequence(proc_seed + thread, thread);
	__atomic_add_fetch(&threads_done, 1, __ATOMIC_RELAXED);
	return NULL;
}

static int find_dev_fd(void)
{
	char path[64], target[64];

	for (int fd = 3; fd < 256; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strcmp(target, "/dev/mach") == 0)
			return fd;
	}
	return -1;
}

static void worker(uint64_t seed, int id)
{
	pthread_t t;
	host_priv_t priv;

	proc_id = id;
	proc_seed = seed;
	__atomic_add_fetch(&shared->procs_started, 1, __ATOMIC_RELAXED);
	register_pid(getpid());
	for (int i = 0; i < NAMES; i++)
		names[i] = 0;
	for (int i = 0; i < TASKS; i++)
		tasks[i] = 0;
	tasks[0] = mach_task_self();
	dev_fd = find_dev_fd();
	hub = bootstrap_port;
	if (host_get_host_priv_port(mach_host_self(), &priv) == KERN_SUCCESS &&
	    host_get_special_port(priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT, &security) !=
	    KERN_SUCCESS)
		security = MACH_PORT_NULL;
	if (verbose)
		logf_(0, 0, "worker seed %" PRIu64 " pid %d", seed, getpid());
	for (int i = 1; i < threads_per_proc; i++)
		pthread_create(&t, NULL, thread_main, (void *)(intptr_t)i);
	run_sequence(proc_seed, 0);
	/* The other threads get a moment; exit ends them anyway. */
	for (int i = 0; i < 200 && threads_done < threads_per_proc - 1; i++)
		usleep(10000);
	__atomic_sub_fetch(&shared->live, 1, __ATOMIC_RELAXED);
	_exit(0);
}

/* The round's first worker: makes the hub, starts the others. */
static void round_root(uint64_t seed)
{
	mach_port_t h = new_port();

	if (h == MACH_PORT_NULL ||
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, h) != KERN_SUCCESS) {
		fprintf(stderr, "fuzz: no hub port\n");
		_exit(3);
	}
	bootstrap_port = h;
	for (int i = 1; i < procs; i++) {
		__atomic_add_fetch(&shared->live, 1, __ATOMIC_RELAXED);
		if (fork() == 0)
			worker(test_mix(seed + i), i);
	}
	worker(test_mix(seed), 0);
}

/* ---- the supervisor ------------------------------------------------- */

struct counts {
	long tasks, ports, allocations;
};

static struct counts read_counts(void)
{
	struct counts c = {
		mach_stat("live_tasks"), mach_stat("live_ports"), mach_stat("live_allocations"),
	};
	return c;
}

static bool same(struct counts a, struct counts b)
{
	return a.tasks == b.tasks && a.ports == b.ports && a.allocations == b.allocations;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A zombie leader with threads still alive: 1 if they are only the
 * task's agent, idle in the module (a process that outlived its last
 * thread), 0 if a thread of its own is left, -1 if it is all gone.
 */
static int agent_alone(int pid)
{
	char path[64], wchan[64];
	struct dirent *e;
	int threads = 0, agents = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int tid = atoi(e->d_name);

		if (tid <= 0 || tid == pid)
			continue;
		threads++;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
		if (read_text(path, wchan, sizeof(wchan)) == 0 &&
		    strncmp(wchan, "mach_agent", 10) == 0)
			agents++;
	}
	closedir(d);
	if (!threads)
		return -1;
	return agents == threads;
}

/*
 * What the module still holds: every task object alive, registered or not
 * (debugfs), and as the operator sees them (machctl), so that a leak found
 * in CI can be read from its log.
 */
static void show_live_objects(void)
{
	fflush(stdout);
	if (system("{ cat /sys/kernel/debug/mach/tasks; machctl tasks; } 2>&1 | "
		   "sed 's/^/# live: /'"))
		printf("# live: cannot be shown\n");
}

enum { SCAN_KILL = 1, SCAN_SHOW = 2, SCAN_ORPHANED_AGENTS = 4 };

/*
 * Processes of session sid still alive (zombies are gone enough; a zombie
 * leader whose other threads are only its agent counts only for
 * SCAN_ORPHANED_AGENTS); kills them with SCAN_KILL.
 */
static int session_left(pid_t sid, int how)
{
	bool do_kill = how & SCAN_KILL, show = how & SCAN_SHOW;
	DIR *d = opendir("/proc");
	struct dirent *e;
	int left = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[64], buf[512], *p, state;
		int pid = atoi(e->d_name), ppid, pgrp, session;

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (read_text(path, buf, sizeof(buf)))
			continue;
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 2, "%c %d %d %d", &state, &ppid, &pgrp, &session) != 4)
			continue;
		if (session != sid || state == 'X')
			continue;
		if (state == 'Z') {
			int alone = agent_alone(pid);

			if (alone < 0 || alone != !!(how & SCAN_ORPHANED_AGENTS))
				continue;
		} else if (how & SCAN_ORPHANED_AGENTS) {
			continue;
		}
		left++;
		if (do_kill)
			kill(pid, SIGKILL);
		if (show) {
			char stack[2048];

			snprintf(path, sizeof(path), "/proc/%d/stack", pid);
			if (read_text(path, stack, sizeof(stack)))
				strcpy(stack, "?\n");
			printf("# left: pid %d state %c ppid %d; kernel stack:\n%s", pid, state,
			       ppid, stack);
		}
	}
	closedir(d);
	return left;
}

/* As init would: shells (exit signal 0) that came to us included. */
static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
}

static const char *module_path(void)
{
	const char *p = getenv("MACH_KO");

	return p ? p : "/lib/modules/mach.ko";
}

/* rmmod, then insmod: 0, or a message. */
static const char *cycle_module(void)
{
	int fd;

	for (int i = 0; syscall(SYS_delete_module, "mach", O_NONBLOCK) != 0; i++) {
		if (i == 50)
			return "rmmod refused";
		usleep(100000);
	}
	fd = open(module_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return "no module file to load again";
	if (syscall(SYS_finit_module, fd, "", 0) != 0) {
		close(fd);
		return "insmod failed";
	}
	close(fd);
	return NULL;
}

/* One round; 0 if it passed. */
static int run_round(int round, uint64_t seed, double limit, bool rmmod_after, char *why,
		     size_t why_size)
{
	struct counts before = read_counts(), after;
	double start = now(), end = start + limit;
	pid_t root;
	uint64_t calls0 = shared->calls, procs0 = shared->procs_started;
	int left;

	shared->live = 1;
	memset(shared->pids, 0, sizeof(shared->pids));
	root = fork();
	if (root == 0) {
		setsid();
		round_root(seed);
	}
	if (root < 0) {
		snprintf(why, why_size, "fork: %s", strerror(errno));
		return 1;
	}
	/* Until every worker is done, the time is up, or nothing moved for
	 * 2 s (all stopped, suspended or blocked: a kill ends that). The
	 * session exists once its first process has called setsid. */
	double moved = start, last_cont = start;
	uint64_t last_calls = calls0;

	while (now() < end && now() - moved < 2) {
		pid_t pid;

		while ((pid = waitpid(-1, NULL, WNOHANG | __WALL)) > 0)
			if (pid == root)
				root = -root;
		if (root < 0 && session_left(-root, 0) == 0)
			break;
		if (shared->calls != last_calls) {
			last_calls = shared->calls;
			moved = now();
		}
		if (now() - last_cont > 1) {
			kill(root < 0 ? root : -root, SIGCONT);
			last_cont = now();
		}
		usleep(20000);
	}
	if (root < 0)
		root = -root;
	for (int i = 0; (left = session_left(root, SCAN_KILL)) && i < 100; i++) {
		reap();
		usleep(100000);
	}
	reap();
	if (left) {
		session_left(root, SCAN_SHOW);
		snprintf(why, why_size, "%d processes cannot be killed", left);
		return 1;
	}
	/* A process ends with its last thread, its agent or not (issue 19). */
	for (int i = 0; (left = session_left(root, SCAN_ORPHANED_AGENTS)) && i < 50; i++) {
		reap();
		usleep(100000);
	}
	if (left) {
		session_left(root, SCAN_ORPHANED_AGENTS | SCAN_SHOW | SCAN_KILL);
		snprintf(why, why_size, "%d processes outlived their last thread by 5 s: "
			 "only their agent was left", left);
		return 1;
	}
	for (int i = 0; i < 200; i++) {
		after = read_counts();
		if (same(before, after))
			break;
		usleep(50000);
		reap();
	}
	printf("# round %d seed %" PRIu64 ": %" PRIu64 " calls in %.1f s, %" PRIu64
	       " processes, %u stops, %u kills; live tasks %ld ports %ld allocations %ld\n",
	       round, seed, shared->calls - calls0, now() - start,
	       shared->procs_started - procs0, shared->stopped, shared->killed, after.tasks,
	       after.ports, after.allocations);
	fflush(stdout);
	if (!same(before, after)) {
		show_live_objects();
		snprintf(why, why_size,
			 "live counts did not come back: tasks %ld -> %ld, ports %ld -> %ld, "
			 "allocations %ld -> %ld",
			 before.tasks, after.tasks, before.ports, after.ports,
			 before.allocations, after.allocations);
		return 1;
	}
	if (rmmod_after) {
		const char *err = cycle_module();

		if (err) {
			snprintf(why, why_size, "%s", err);
			return 1;
		}
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fuzz_calls [-s SEED] [-k FIRST] [-r ROUNDS] [-t SECONDS] [-p PROCS] [-T THREADS]\n"
		"                  [-n CALLS] [-d ROUND_SECONDS] [-x|-o OP,...] [-R] [-v] [-l]\n"
		"  -s  master seed (default: fixed for the CI budget, else from the clock; printed)\n"
		"  -k  first round (its seed derives from the master seed and its number)\n"
		"  -r  rounds (default 10, those started within 50 s; with -t, until the time is spent)\n"
		"  -t  total seconds to run\n"
		"  -p  worker processes a round starts (default 6; forks add more, %d live at most)\n"
		"  -T  threads a process (default 2)\n"
		"  -n  calls a thread makes (default 1000)\n"
		"  -d  seconds a round may last before its processes are killed (default 25)\n"
		"  -x  leave out these kinds of call (-l lists them)\n"
		"  -o  only these kinds of call\n"
		"  -R  no rmmod and insmod after each round\n"
		"  -v  log every call to stderr\n", MAX_PROCS);
	exit(2);
}

static void exclude(char *list, bool only)
{
	ops_chosen = true;
	if (only)
		excluded = ~0ULL;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		int i;

		for (i = 0; i < NOPS; i++)
			if (strcmp(tok, ops[i].name) == 0)
				break;
		if (i == NOPS) {
			fprintf(stderr, "fuzz: no op %s\n", tok);
			exit(2);
		}
		if (only)
			excluded &= ~(1ULL << i);
		else
			excluded |= 1ULL << i;
	}
}

static void setup_shared(int fd)
{
	if (fd < 0) {
		fd = memfd_create("fuzz_calls", 0);
		if (fd < 0 || ftruncate(fd, sizeof(*shared)) != 0) {
			perror("memfd");
			exit(1);
		}
	}
	shared_fd = fd;
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
}

static void weigh(void)
{
	total_weight = 0;
	for (int i = 0; i < NOPS; i++)
		if (!(excluded & (1ULL << i)))
			total_weight += ops[i].weight;
	if (!total_weight) {
		fprintf(stderr, "fuzz: every op left out\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = 0;
	bool seeded = false, rmmod_after = true;
	int rounds = 10, opt, failed = 0, round, first = 0, ran = 0;
	double total = 0, round_limit = 25, start, budget = 50;
	char why[256];

	/* Re-executed worker: fuzz_calls --worker SEED ID FD EXCLUDED DEPTH [-v] */
	if (argc >= 7 && strcmp(argv[1], "--worker") == 0) {
		verbose = argc > 7;
		excluded = strtoull(argv[5], NULL, 10);
		exec_depth = atoi(argv[6]);
		setup_shared(atoi(argv[4]));
		weigh();
		worker(strtoull(argv[2], NULL, 10), atoi(argv[3]));
	}
	while ((opt = getopt(argc, argv, "s:k:r:t:p:T:n:d:x:o:Rvl")) != -1) {
		switch (opt) {
		case 'k': first = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 'r': rounds = atoi(optarg); budget = 0; break;
		case 't': total = atof(optarg); rounds = 1 << 30; budget = 0; break;
		case 'p': procs = atoi(optarg); break;
		case 'T': threads_per_proc = atoi(optarg); break;
		case 'n': calls_per_thread = strtoul(optarg, NULL, 0); break;
		case 'd': round_limit = atof(optarg); break;
		case 'x': exclude(optarg, false); break;
		case 'o': exclude(optarg, true); break;
		case 'R': rmmod_after = false; break;
		case 'v': verbose = 1; break;
		case 'l':
			for (int i = 0; i < NOPS; i++)
				printf("%s\n", ops[i].name);
			return 0;
		default: usage();
		}
	}
	if (procs < 1 || procs > MAX_PROCS / 2 || threads_per_proc < 1 || rounds < 1)
		usage();
	bool ci_budget = budget && !ops_chosen;

	weigh();
	/*
	 * The CI budget's sequences are the same each run (their interleaving
	 * is the scheduler's); other runs explore.
	 */
	if (!seeded && ci_budget)
		seed = 0x6d616368;	/* "mach" */
	else if (!seeded)
		seed = test_mix((uint64_t)time(NULL) ^ (uint64_t)getpid() << 32);
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup_shared(-1);
	if (mach_stat("live_tasks") < 0) {
		printf("1..0 # SKIP mach.ko is not loaded\n");
		return 4;
	}
	/* Orphans (shells, forks of killed workers) come back to us. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	printf("# fuzz_calls: master seed %" PRIu64 " (-s %" PRIu64 "), %d processes x %d threads"
	       " x %u calls a round\n", seed, seed, procs, threads_per_proc, calls_per_thread);
	if (!total)
		printf("1..%d\n", rounds);
	start = now();
	for (round = first; round < first + rounds; round++) {
		uint64_t rseed = test_mix(seed + round);

		if (total && now() - start >= total)
			break;
		/* The CI budget: rounds not started in time are skipped. */
		if (budget && now() - start >= budget) {
			printf("ok %d round %d # SKIP the time budget (%.0f s) is spent\n",
			       round - first + 1, round, budget);
			continue;
		}
		ran++;
		if (run_round(round, rseed, round_limit, rmmod_after, why, sizeof(why))) {
			printf("not ok %d round %d: %s (master seed %" PRIu64 ", round seed %"
			       PRIu64 ")\n", round - first + 1, round, why, seed, rseed);
			failed++;
			break;
		}
		if (!total)
			printf("ok %d round %d seed %" PRIu64 "\n", round - first + 1, round, rseed);
	}
	printf("# fuzz_calls: %" PRIu64 " calls in %d rounds, %.0f s (%.0f calls/min), "
	       "%" PRIu64 " processes\n", shared->calls, ran, now() - start,
	       shared->calls * 60 / (now() - start + 1e-9), shared->procs_started);
	if (total)
		printf("1..1\n%s 1 fuzz_calls seed %" PRIu64 "\n", failed ? "not ok" : "ok", seed);
	return failed ? 1 : 0;
}
