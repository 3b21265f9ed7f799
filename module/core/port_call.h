/* SPDX-License-Identifier: GPL-2.0 */
/*
 * port_call.h - the mach_port_* calls on a task's space.
 *
 * A space's names are the fd numbers of its process, so a call on another
 * task's space runs there, in that task's agent; on the caller's own it
 * runs in the caller. Either way one handler, port_call_run(), does the
 * work on the space; what crosses between the caller and the space is in
 * kernel memory (rights in transit, attribute words, name lists), taken
 * from the caller before (port_call_take()) and given back after
 * (port_call_give()). A front end copies words and lists between the
 * caller's memory and the call.
 */
#ifndef MACH_CORE_PORT_CALL_H
#define MACH_CORE_PORT_CALL_H

#include "port.h"

namespace mach {

class Space;
class Task;

/* The calls, numbered as the uapi's MACH_PORT_OP_*. */
enum class PortOp : u32 {
	Deallocate = 0,		/* its own ioctl, MACH_IOC_PORT_DEALLOCATE */
	Allocate = 1,
	Destroy = 2,
	ModRefs = 3,
	GetRefs = 4,
	Type = 5,
	InsertRight = 6,
	GetAttributes = 7,
	SetAttributes = 8,
	SetMscount = 9,
	RequestNotification = 10,
	MoveMember = 11,
	Names = 12,
	ExtractRight = 13,
	GetSetStatus = 14,
	Construct = 15,
	Destruct = 16,
	Guard = 17,
	Unguard = 18,
	GetContext = 19,
	SetContext = 20,
	Rename = 21,
	AllocateName = 22,
	InsertMember = 23,
	ExtractMember = 24,
	Peek = 25,
	GetSrights = 26,
	SetSeqno = 27,
	Kobject = 28,
	SpaceInfo = 29,
	GuardWithFlags = 30,
	SwapGuard = 31,
	SpaceBasicInfo = 32,
	Last = SpaceBasicInfo,
	/*
	 * Internal: the second half of a call that put a right under a
	 * fresh name (place_from) for the name asked for (place_to), once
	 * the process made that number refer to it (placed).
	 */
	Place = 0x100,
};

/* mach_port_options_t's flags (MPO_*) that construct acts on. */
enum PortOptions : u32 {
	MpoContextAsGuard = 0x01,
	MpoQlimit = 0x02,
	MpoInsertSendRight = 0x10,
	MpoStrict = 0x20,
	MpoImmovableReceive = 0x80,
	MpoTgBlockTracking = 0x200,
	MpoServicePort = 0x400,
	MpoConnectionPort = 0x800,
	MpoReplyPort = 0x1000,
	MpoEnforceReplyPortSemantics = 0x2000,
	MpoProvisionalReplyPort = 0x4000,
	MpoExceptionPort = 0x8000,
};

/* mach_port_options_t as XNU lays it out (24 bytes). */
struct PortOptionsLayout {	/* a value: its reader's */
	u32 flags;
	u32 qlimit;		/* mach_port_limits_t */
	u64 reserved[2];	/* the union: work_interval_port, service port info */
};
static_assert(sizeof(PortOptionsLayout) == 24);
/* The most a peek's trailer may be (mach_msg_max_trailer_t, MIG's count). */
inline constexpr u32 peek_trailer_max = 68;

/* mach_port_get_attributes / set_attributes flavours. */
enum PortFlavor : u32 {
	PortLimitsInfo = 1,	/* MACH_PORT_LIMITS_INFO: { qlimit } */
	PortReceiveStatus = 2,	/* MACH_PORT_RECEIVE_STATUS: mach_port_status_t */
};
/* The most words an attribute flavour has (mach_port_status_t). */
inline constexpr u32 attribute_words_max = 10;
/* The most names one call reports; more is KERN_NO_SPACE. */
inline constexpr u32 names_max = 1u << 16;

/*
 * One call's: the caller's, or (remote) the target's agent's while it
 * runs there (a copy crosses, mach_shim_task_call()).
 */
struct PortCall {
	PortOp op;
	Name name;		/* in; out: Allocate's */
	u32 right;		/* right type, disposition, flavor or notification */
	s32 delta;		/* ModRefs; RequestNotification's disposition */
	Name poly;		/* in: the caller's right given; out: Extract's */
	u32 value;		/* in/out: refs, type bits, make-send count, sync */
	/* Attributes: words in (set) or out (get); *fault: they did not read. */
	u32 words[attribute_words_max];
	u32 nwords;		/* in: the caller's room; out: written */
	bool fault;
	/* A right the call put under place_from, to go to place_to (Place). */
	Name place_from;
	Name place_to;
	int placed;		/* Place: what the process's dup gave */
	bool place_undo;	/* Place: place_from goes if it cannot move */
	/* Construct's options; context or guard; Peek's trailer bytes. */
	PortOptionsLayout options;
	u64 context;
	u64 new_context;	/* SwapGuard's new guard */
	unsigned char trailer[peek_trailer_max];
	/* Names, GetSetStatus: items of item_words() u32 in kernel memory. */
	u32 *items;
	u32 capacity;
	u32 count;		/* out: how many there are */
	/* private to the call */
	bool remote;		/* run in the target's agent, not the caller */
	BrokenGuard broken;	/* a guard it broke: raised by the caller */
	TransitRight in;	/* from the caller: inserted, or a notify port */
	TransitRight out;	/* for the caller: extracted, or the previous */
};

/* How many u32 a list item of op has (Names: name and type; SpaceInfo: 7). */
u32 port_call_item_words(PortOp op);
/*
 * What the caller gives a call that runs in another task (remote): the
 * rights it names, room for a list. On the caller's own space the rights
 * are taken where the call needs them, after its checks, so that a call
 * refused leaves them.
 */
Kr port_call_take(Space &caller, PortCall &call);
/* The call itself, in the process of the task that space is. */
Kr port_call_run(Space &space, PortCall &call);
/* The rights that come back, into the caller's space; kr: the call's. */
Kr port_call_give(Space &caller, PortCall &call, Kr kr);
/* What the call still holds (rights, the list) is released. */
void port_call_release(PortCall &call);

/*
 * The whole call on target's space (running program), from caller: in
 * place if it is the caller's own, else in target's agent.
 */
Kr port_call(Task &caller, Task &target, u64 program, PortCall &call);
/*
 * The same call with the rights it takes and gives carried (a message's):
 * call.in holds the right it inserts, call.out gets the right it gives.
 */
Kr port_call_carried(Task &caller, Task &target, u64 program, PortCall &call);

} /* namespace mach */

#endif /* MACH_CORE_PORT_CALL_H */
