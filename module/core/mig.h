/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mig.h - the message front end: a request sent to a kernel object's port
 * (a task, a thread, the host) is carried out by the kernel and answered
 * on the request's reply right, in the layouts and with the errors of
 * XNU's MIG servers. Each routine decodes its request into the same call
 * the ioctl front end (ioctl.cc) makes: one set of calls, two decoders.
 *
 * The routines of each interface are in a file of their own (mig_task.cc
 * for task and thread_act, mig_port.cc for mach_port, mig_host.cc for
 * mach_host and host_priv, mig_vm.cc for mach_vm, mig_host_security.cc
 * for host_security, mig_norma.cc for mach_norma, mig_gnumach.cc for GNU
 * Mach's gnumach); mig.cc finds them by
 * id and sends replies.
 */
#ifndef MACH_CORE_MIG_H
#define MACH_CORE_MIG_H

#include "message.h"
#include "resolve.h"
#include "task.h"

namespace mach {

class MigCall;
struct TaskCreate;

/*
 * A routine: its request's id, its largest reply, and its server;
 * in_place if it may answer in place (mig_in_place_reply_size()): it
 * changes no right in any space (its reply may carry new ones) and takes
 * none from its request, so that the reply port it is asked on stays
 * where the caller waits for the answer.
 */
struct MigRoutine {
	s32 id;
	u32 reply_max;		/* bytes, header included */
	Kr (*serve)(MigCall &call);
	bool in_place = false;
	/*
	 * A count-in/out routine's: where its request holds the most words
	 * the array that ends its reply may take (0: none). Its reply is then
	 * no larger than that array after RetCode and the count.
	 */
	u32 count_at = 0;
};

/* The routines of one interface (immutable tables). */
struct MigRoutines {
	const MigRoutine *routines;
	u32 count;
};

extern const MigRoutines mig_task_routines;
extern const MigRoutines mig_port_routines;
extern const MigRoutines mig_host_routines;
extern const MigRoutines mig_vm_routines;
extern const MigRoutines mig_host_security_routines;
extern const MigRoutines mig_norma_routines;
extern const MigRoutines mig_gnumach_routines;

/* The reply of a routine that answers only its RetCode: mig_reply_error_t. */
inline constexpr u32 mig_reply_error_size = 36;
/* Where a simple request's arguments and a simple reply's results begin. */
inline constexpr u32 mig_args = sizeof(MsgHeader) + sizeof(ndr_record);
inline constexpr u32 mig_results = mig_args + 4;	/* after RetCode */
/* ... and a request's that carries one port descriptor first. */
inline constexpr u32 mig_port_args = sizeof(MsgHeader) + 4 + 12 + sizeof(ndr_record);
/* ... and one's that carries n out-of-line memory descriptors first. */
constexpr u32 mig_memory_args(u32 n)
{
	return sizeof(MsgHeader) + 4 + 16 * n + sizeof(ndr_record);
}

/*
 * A request being served, and its reply being built: the sender's while
 * mig_serve() runs. Offsets count from the start of the message, header
 * included, as XNU's layouts do.
 */
class MigCall {
public:
	MigCall(Task &caller, Port &target, Message &request, Message &reply)
		: caller(caller), target(target), request_(request), reply_(reply) {}

	Task &caller;		/* the task that sent the request */
	Port &target;		/* the request's destination, a kernel port */

	/*
	 * The request's shape, as __MigTypeCheck checks it: simple and of
	 * exactly size bytes; or simple, with a count at count_at (at most
	 * max) of 4-byte items that end the message.
	 */
	bool simple(u32 size) const;
	bool simple_array(u32 count_at, u32 max, u32 *count) const;
	/*
	 * ... or with a count at count_at of bytes (at most max) that end
	 * the message, padded to a word: a c_string[*:max], with its NUL.
	 */
	bool simple_bytes(u32 count_at, u32 max, u32 *count) const;
	/*
	 * Complex, with that many descriptors, and size bytes in all; the
	 * i'th a port descriptor (else MIG_TYPE_ERROR), of a send right (or
	 * none, a null name).
	 */
	bool complex(u32 descriptors, u32 size) const;
	bool carries_port(u32 i) const;
	bool carries_send(u32 i) const;
	bool carries_send_once(u32 i) const;	/* made or moved, or none */
	/* ... MACH_PORT_DEAD: sent so, or a dead name (no right travels). */
	bool carries_dead(u32 i) const;
	/*
	 * The request's destination right, taken from it (a suspension
	 * token's send-once right, which the routine uses up).
	 */
	TransitRight take_target_right();
	/* The right the i'th port descriptor carried, taken from the request. */
	TransitRight take_right(u32 i);
	/*
	 * The i'th descriptor is out-of-line memory (MACH_MSG_OOL_DESCRIPTOR,
	 * as MIG checks it): its bytes, the kernel's copy, and their count.
	 */
	bool carries_memory(u32 i) const;
	const void *memory(u32 i, u32 *bytes) const;
	/*
	 * The i'th an out-of-line ports descriptor of send rights (made,
	 * copied or moved; null names too), *count of them.
	 */
	bool carries_send_array(u32 i, u32 *count) const;
	/*
	 * Its rights taken from the request into rights: how many, at most
	 * max (the rest stay in it, destroyed with it).
	 */
	u32 take_rights(u32 i, TransitRight *rights, u32 max);

	u32 in32(u32 offset) const;
	u64 in64(u32 offset) const;
	const u32 *in_words(u32 offset) const;

	/* Results after RetCode in a simple reply of size bytes in all. */
	void out32(u32 offset, u32 value);
	void out64(u32 offset, u64 value);
	void set_reply_size(u32 size) { reply_.size = size; }
	/* The reply of a count-in/out routine: count, then count words. */
	void out_array(const u32 *words, u32 count);
	/*
	 * The same made in place: the room of the words (as many as the
	 * routine's reply_max has room for), then their count.
	 */
	u32 *out_array_room();
	void out_array_count(u32 count);
	/*
	 * A complex reply carrying count rights (each its port's reference
	 * and right, or none) in port descriptors of that disposition, then,
	 * if nwords, NDR and words: false if out of memory (the rights are
	 * dropped). out_port(): one send right and nothing else.
	 */
	bool out_ports(TransitRight *rights, u32 count, u32 disposition,
		       const u32 *words = nullptr, u32 nwords = 0);
	bool out_port(TransitRight right) { return out_ports(&right, 1, MoveSend); }
	/*
	 * A complex reply carrying count send rights (taken, whatever comes)
	 * in an out-of-line ports descriptor, then NDR and their count: the
	 * layout of task_threads' reply. False if out of memory.
	 */
	bool out_port_array(TransitRight *rights, u32 count);
	/*
	 * A complex reply carrying n out-of-line memory regions, data[i] of
	 * sizes[i] bytes (kernel memory of mach_shim_alloc(), each taken,
	 * whatever comes), then NDR and the words (their counts, as the
	 * routine lays them out). False if out of memory.
	 */
	bool out_memory(void **data, const u32 *sizes, u32 n, const u32 *words, u32 nwords);

private:
	Message &request_;
	Message &reply_;
};

/*
 * What task_create and host_security_create_task_token share (mig_task.cc):
 * the ledgers in the i'th descriptor, out of line, their count at
 * count_at and inherit_memory after it. mig_ledgers_fit(): MIG's checks
 * of them (else MIG_TYPE_ERROR). mig_create_task(): parent's child made
 * as create asks, the ledgers taken by the ioctl's rule, its port the
 * reply.
 */
bool mig_ledgers_fit(const MigCall &call, u32 i, u32 count_at);
Kr mig_create_task(MigCall &call, u32 i, u32 count_at, Task &parent, u64 program,
		   TaskCreate &create);

/* semaphore_create (3418) and semaphore_destroy (3419): mig_sema.cc. */
Kr mig_semaphore_create(MigCall &call);
Kr mig_semaphore_destroy(MigCall &call);

/*
 * What the *_exception_ports routines of task (3413-3415), thread_act
 * (3613-3615) and host_priv (414-416) share (mig_task.cc): one layout at
 * all three levels, on the table the request's destination stands for
 * there (resolve.h). get: the mask, then get's reply: all 32 port
 * descriptors (unused ones null), NDR, the count of groups, and their
 * masks, behaviors and flavors, packed. set and swap: the port in a
 * descriptor, then NDR, mask, behavior, flavor; a swap answers with get's
 * reply, the groups as they were before the new port replaced them.
 */
inline constexpr u32 exception_ports_mig_max = 32;
inline constexpr u32 mig_exception_ports_reply_max =
	sizeof(MsgHeader) + 4 + 12 * exception_ports_mig_max + sizeof(ndr_record) + 4 +
	12 * exception_types;
Kr mig_get_exception_ports(MigCall &call, ExceptionLevel level);
Kr mig_set_exception_ports(MigCall &call, ExceptionLevel level, bool swap);

/*
 * The bytes the reply to a request of id may take: the sender allocates
 * them before the request's rights are taken (a MACH_SEND_NO_BUFFER then
 * leaves the sender as it was).
 */
u32 mig_reply_size(s32 id);
/*
 * A call answered in place (msg.cc) carries a request of at most
 * in_place_request_max bytes and a reply of at most in_place_reply_max,
 * both in the caller's kernel frame: the reply of thread_get_state's
 * largest flavour fits.
 */
inline constexpr u32 in_place_request_max = 128;
inline constexpr u32 in_place_reply_max = 576;
/* The routine of id if it may answer in place (in_place, and fits), else null. */
const MigRoutine *mig_in_place_routine(s32 id);
/* The bytes routine's reply to request may take: its reply_max or less. */
u32 mig_reply_bound(const MigRoutine &routine, const Message &request);
/*
 * Carries out request (its destination target, a kernel port) by routine,
 * its id's (null: none, MIG_BAD_ID), into reply, a message of its
 * reply_max bytes: its id, layout and answer, or the MIG error. Neither
 * is queued nor freed; what the routine took of the request is no longer
 * in it.
 */
void mig_answer(const MigRoutine *routine, Task &caller, Port &target, Message &request,
		Message &reply);
/*
 * Serves request, whose destination is target, a kernel port: the
 * routine of its id is carried out and its reply (a message of
 * mig_reply_size() bytes) queued on the request's reply right, or
 * dropped if it has none; an unknown id is answered MIG_BAD_ID, a request
 * of the wrong shape MIG_BAD_ARGUMENTS or MIG_TYPE_ERROR. Takes both:
 * what the routine did not take of the request is destroyed.
 */
void mig_serve(Task &caller, Port &target, Message *request, Message *reply);

} /* namespace mach */

#endif /* MACH_CORE_MIG_H */
