// SPDX-License-Identifier: GPL-2.0
/*
 * mig_port.cc - the mach_port interface (3200) as messages: calls on the
 * space of the task whose port the request is sent to, decoded into the
 * PortCall ioctl.cc makes, with the rights a message carries.
 */
#include "mig.h"
#include "port_call.h"
#include "resolve.h"

namespace mach {
namespace {

/* MIG's largest count of attribute words (mach_port_info_t). */
constexpr u32 port_info_mig_max = 17;

/*
 * Runs call on the space of the request's task; the rights it takes
 * and gives are carried in call.in and call.out.
 */
Kr on_space(MigCall &call, PortCall &port_call)
{
	Ref<Task> task;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidTask, &task, &program);
	if (kr != Kr::Success)
		return kr;
	return port_call_carried(call.caller, *task.get(), program, port_call);
}

/* A call on one name that answers only its RetCode, or one more word. */
Kr name_call(MigCall &call, PortOp op, u32 size, bool answers_value)
{
	if (!call.simple(size))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = op;
	port_call.name = Name{call.in32(mig_args)};
	if (size > mig_args + 4)
		port_call.right = call.in32(mig_args + 4);
	if (size > mig_args + 8)
		port_call.delta = static_cast<s32>(call.in32(mig_args + 8));
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success && answers_value) {
		call.out32(mig_results, port_call.value);
		call.set_reply_size(mig_results + 4);
	}
	port_call_release(port_call);
	return kr;
}

Kr type_call(MigCall &call)
{
	return name_call(call, PortOp::Type, mig_args + 4, true);
}

Kr allocate_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::Allocate;
	port_call.right = call.in32(mig_args);
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success) {
		call.out32(mig_results, port_call.name.value);
		call.set_reply_size(mig_results + 4);
	}
	port_call_release(port_call);
	return kr;
}

Kr destroy_call(MigCall &call)
{
	return name_call(call, PortOp::Destroy, mig_args + 4, false);
}

Kr deallocate_call(MigCall &call)
{
	return name_call(call, PortOp::Deallocate, mig_args + 4, false);
}

Kr get_refs_call(MigCall &call)
{
	return name_call(call, PortOp::GetRefs, mig_args + 8, true);
}

Kr mod_refs_call(MigCall &call)
{
	return name_call(call, PortOp::ModRefs, mig_args + 12, false);
}

/* name, then its make-send count */
Kr set_mscount_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::SetMscount;
	port_call.name = Name{call.in32(mig_args)};
	port_call.value = call.in32(mig_args + 4);
	Kr kr = on_space(call, port_call);
	port_call_release(port_call);
	return kr;
}

/* member, then the set it moves to (null: out of any) */
Kr move_member_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::MoveMember;
	port_call.name = Name{call.in32(mig_args)};
	port_call.poly = Name{call.in32(mig_args + 4)};
	Kr kr = on_space(call, port_call);
	port_call_release(port_call);
	return kr;
}

/*
 * The right to insert travels in a port descriptor of any disposition;
 * then NDR and the name it goes under.
 */
Kr insert_right_call(MigCall &call)
{
	constexpr u32 name_at = mig_port_args;
	if (!call.complex(1, name_at + 4))
		return Kr::MigBadArguments;
	if (!call.carries_port(0))
		return Kr::MigTypeError;
	PortCall port_call{};
	port_call.op = PortOp::InsertRight;
	port_call.name = Name{call.in32(name_at)};
	port_call.in = call.take_right(0);
	Kr kr = port_call.in.port ? on_space(call, port_call) : Kr::InvalidCapability;
	port_call_release(port_call);
	return kr;
}

/*
 * The notify port in a descriptor (a send-once right, made or moved, or
 * none), then NDR, the name, the notification's id and its sync: the
 * request it replaces comes back as a send-once right.
 */
Kr request_notification_call(MigCall &call)
{
	constexpr u32 name_at = mig_port_args;
	if (!call.complex(1, name_at + 12))
		return Kr::MigBadArguments;
	if (!call.carries_send_once(0))
		return Kr::MigTypeError;
	if (call.carries_dead(0))
		return Kr::InvalidCapability;	/* as XNU: no notice could go */
	PortCall port_call{};
	port_call.op = PortOp::RequestNotification;
	port_call.name = Name{call.in32(name_at)};
	port_call.right = call.in32(name_at + 4);
	port_call.value = call.in32(name_at + 8);
	port_call.in = call.take_right(0);
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success && !call.out_ports(&port_call.out, 1, MoveSendOnce))
		kr = Kr::ResourceShortage;
	port_call_release(port_call);
	return kr;
}

/* name, flavor, and the caller's room in words */
Kr get_attributes_call(MigCall &call)
{
	if (!call.simple(mig_args + 12))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::GetAttributes;
	port_call.name = Name{call.in32(mig_args)};
	port_call.right = call.in32(mig_args + 4);
	u32 room = call.in32(mig_args + 8);
	port_call.nwords = room < attribute_words_max ? room : attribute_words_max;
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success) {
		call.out_array(port_call.words, port_call.nwords);
	}
	port_call_release(port_call);
	return kr;
}

/* name, flavor, then a count of words that end the request */
Kr set_attributes_call(MigCall &call)
{
	u32 count;
	if (!call.simple_array(mig_args + 8, port_info_mig_max, &count))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::SetAttributes;
	port_call.name = Name{call.in32(mig_args)};
	port_call.right = call.in32(mig_args + 4);
	port_call.nwords = count;
	u32 words = count < attribute_words_max ? count : attribute_words_max;
	__builtin_memcpy(port_call.words, call.in_words(mig_args + 12), 4 * words);
	Kr kr = on_space(call, port_call);
	port_call_release(port_call);
	return kr;
}

/*
 * name, then the disposition to extract it with: the right comes back in
 * the reply's one port descriptor, whose disposition is the type of right
 * it became (MACH_MSG_TYPE_PORT_*), as XNU's polymorphic reply carries it.
 */
Kr extract_right_call(MigCall &call)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::ExtractRight;
	port_call.name = Name{call.in32(mig_args)};
	port_call.right = call.in32(mig_args + 4);
	Ref<Task> task;
	u64 program;
	Kr kr = task_of(call.caller, call.target, Kr::InvalidTask, &task, &program);
	/* The disposition's check, as the ioctl's (the carried call skips it). */
	if (kr == Kr::Success)
		kr = port_call_take(call.caller.space(), port_call);
	if (kr == Kr::Success)
		kr = port_call_carried(call.caller, *task.get(), program, port_call);
	if (kr == Kr::Success && !call.out_ports(&port_call.out, 1, port_call.out.type))
		kr = Kr::ResourceShortage;
	port_call_release(port_call);
	return kr;
}

/*
 * The whole list of op (Names, GetSetStatus) on name, in kernel memory:
 * *items (count * port_call_item_words() words, null if none), or the
 * error the ioctl gives (KERN_NO_SPACE past names_max).
 */
Kr list_call(MigCall &call, PortOp op, Name name, u32 **items, u32 *count)
{
	PortCall port_call{};
	port_call.op = op;
	port_call.name = name;
	u32 capacity = 0;
	for (;;) {
		Kr kr = on_space(call, port_call);
		if (kr != Kr::Success || port_call.count <= capacity) {
			*items = kr == Kr::Success ? port_call.items : nullptr;
			*count = port_call.count;
			if (kr != Kr::Success)
				port_call_release(port_call);
			return kr;
		}
		if (capacity == names_max)
			break;
		/* It grew, or this was the first look: room for what there is now. */
		port_call_release(port_call);
		capacity = port_call.count + 16 < names_max ? port_call.count + 16 : names_max;
		port_call.items = static_cast<u32 *>(mach_shim_alloc(
			MACH_KIND_MEMORY, 4ull * port_call_item_words(op) * capacity));
		if (!port_call.items)
			return Kr::ResourceShortage;
		port_call.capacity = capacity;
		port_call.count = 0;
	}
	port_call_release(port_call);
	return Kr::NoSpace;
}

/* Nothing in: the names and their types, each out of line, and their counts. */
Kr names_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	u32 *pairs, count;
	Kr kr = list_call(call, PortOp::Names, Name{Name::null}, &pairs, &count);
	if (kr != Kr::Success)
		return kr;
	void *arrays[2] = {};
	if (count) {
		arrays[0] = mach_shim_alloc(MACH_KIND_MEMORY, 4 * count);
		arrays[1] = mach_shim_alloc(MACH_KIND_MEMORY, 4 * count);
	}
	if (count && (!arrays[0] || !arrays[1])) {
		for (void *a : arrays)
			if (a)
				mach_shim_free(MACH_KIND_MEMORY, a);
		mach_shim_free(MACH_KIND_MEMORY, pairs);
		return Kr::ResourceShortage;
	}
	for (u32 i = 0; i < count; i++) {
		static_cast<u32 *>(arrays[0])[i] = pairs[2 * i];
		static_cast<u32 *>(arrays[1])[i] = pairs[2 * i + 1];
	}
	if (pairs)
		mach_shim_free(MACH_KIND_MEMORY, pairs);
	u32 sizes[2] = {4 * count, 4 * count}, counts[2] = {count, count};
	return call.out_memory(arrays, sizes, 2, counts, 2) ? Kr::Success : Kr::ResourceShortage;
}

/* The set's name: its members' names out of line, and their count. */
Kr get_set_status_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	u32 *members, count;
	Kr kr = list_call(call, PortOp::GetSetStatus, Name{call.in32(mig_args)}, &members, &count);
	if (kr != Kr::Success)
		return kr;
	void *data = count ? members : nullptr;
	if (!count && members)
		mach_shim_free(MACH_KIND_MEMORY, members);
	u32 size = 4 * count;
	return call.out_memory(&data, &size, 1, &count, 1) ? Kr::Success : Kr::ResourceShortage;
}

/* Two names, or a name and a word: rename, allocate_name and co. */
Kr two_word_call(MigCall &call, PortOp op)
{
	if (!call.simple(mig_args + 8))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = op;
	u32 first = call.in32(mig_args), second = call.in32(mig_args + 4);
	switch (op) {
	case PortOp::AllocateName:	/* right, then the name */
		port_call.right = first;
		port_call.name = Name{second};
		break;
	case PortOp::SetSeqno:		/* name, then the seqno */
		port_call.name = Name{first};
		port_call.value = second;
		break;
	default:			/* name, then the other name */
		port_call.name = Name{first};
		port_call.poly = Name{second};
		break;
	}
	Kr kr = on_space(call, port_call);
	port_call_release(port_call);
	return kr;
}

Kr rename_call(MigCall &call)
{
	return two_word_call(call, PortOp::Rename);
}

Kr allocate_name_call(MigCall &call)
{
	return two_word_call(call, PortOp::AllocateName);
}

Kr set_seqno_call(MigCall &call)
{
	return two_word_call(call, PortOp::SetSeqno);
}

Kr insert_member_call(MigCall &call)
{
	return two_word_call(call, PortOp::InsertMember);
}

Kr extract_member_call(MigCall &call)
{
	return two_word_call(call, PortOp::ExtractMember);
}

Kr get_srights_call(MigCall &call)
{
	return name_call(call, PortOp::GetSrights, mig_args + 4, true);
}

/*
 * name, trailer type, seqno, and the room for the trailer (at most
 * MIG's 68 bytes): the seqno, size and id, then the trailer's count of
 * bytes and the bytes, padded to a word.
 */
Kr peek_call(MigCall &call)
{
	if (!call.simple(mig_args + 16))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::Peek;
	port_call.name = Name{call.in32(mig_args)};
	port_call.right = call.in32(mig_args + 4);
	port_call.value = call.in32(mig_args + 8);
	u32 room = call.in32(mig_args + 12);
	port_call.nwords = room < peek_trailer_max ? room : peek_trailer_max;
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success) {
		call.out32(mig_results, port_call.value);
		call.out32(mig_results + 4, port_call.poly.value);
		call.out32(mig_results + 8, static_cast<u32>(port_call.delta));
		u32 words[peek_trailer_max / 4] = {};
		__builtin_memcpy(words, port_call.trailer, port_call.nwords);
		call.out32(mig_results + 12, port_call.nwords);
		for (u32 i = 0; i < (port_call.nwords + 3) / 4; i++)
			call.out32(mig_results + 16 + 4 * i, words[i]);
		call.set_reply_size(mig_results + 16 + ((port_call.nwords + 3) & ~3u));
	}
	port_call_release(port_call);
	return kr;
}

/* name, then a 64-bit context or guard (and for guard, strict). */
Kr context_in_call(MigCall &call, PortOp op, u32 size)
{
	if (!call.simple(size))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = op;
	port_call.name = Name{call.in32(mig_args)};
	if (op == PortOp::Destruct) {	/* name, srdelta, guard */
		port_call.delta = static_cast<s32>(call.in32(mig_args + 4));
		port_call.context = call.in64(mig_args + 8);
	} else {
		port_call.context = call.in64(mig_args + 4);
		if (op == PortOp::Guard)
			port_call.value = call.in32(mig_args + 12);
	}
	Kr kr = on_space(call, port_call);
	port_call_release(port_call);
	return kr;
}

/* name, guard, then 64 bits of MPG_ flags */
Kr guard_with_flags_call(MigCall &call)
{
	if (!call.simple(mig_args + 20))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::GuardWithFlags;
	port_call.name = Name{call.in32(mig_args)};
	port_call.context = call.in64(mig_args + 4);
	u64 flags = call.in64(mig_args + 12);
	port_call.value = flags & 0xffffffffu;
	Kr kr = on_space(call, port_call);
	port_call_release(port_call);
	return kr;
}

/* name, the old guard, the new one */
Kr swap_guard_call(MigCall &call)
{
	if (!call.simple(mig_args + 20))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::SwapGuard;
	port_call.name = Name{call.in32(mig_args)};
	port_call.context = call.in64(mig_args + 4);
	port_call.new_context = call.in64(mig_args + 12);
	Kr kr = on_space(call, port_call);
	port_call_release(port_call);
	return kr;
}

/* Nothing in: ipc_info_space_basic_t (six words). */
Kr space_basic_info_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::SpaceBasicInfo;
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success) {
		u32 words[6] = {0, port_call.value, 0, port_call.value, 0, 0};
		for (u32 i = 0; i < 6; i++)
			call.out32(mig_results + 4 * i, words[i]);
		call.set_reply_size(mig_results + 24);
	}
	port_call_release(port_call);
	return kr;
}

Kr set_context_call(MigCall &call)
{
	return context_in_call(call, PortOp::SetContext, mig_args + 12);
}

Kr destruct_call(MigCall &call)
{
	return context_in_call(call, PortOp::Destruct, mig_args + 16);
}

Kr guard_call(MigCall &call)
{
	return context_in_call(call, PortOp::Guard, mig_args + 16);
}

Kr unguard_call(MigCall &call)
{
	return context_in_call(call, PortOp::Unguard, mig_args + 12);
}

/* name: the context, a mach_vm_address_t. */
Kr get_context_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::GetContext;
	port_call.name = Name{call.in32(mig_args)};
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success) {
		call.out64(mig_results, port_call.context);
		call.set_reply_size(mig_results + 8);
	}
	port_call_release(port_call);
	return kr;
}

/* name: the IKOT type, then the object's address (none: 0). */
Kr kobject_call(MigCall &call)
{
	if (!call.simple(mig_args + 4))
		return Kr::MigBadArguments;
	PortCall port_call{};
	port_call.op = PortOp::Kobject;
	port_call.name = Name{call.in32(mig_args)};
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success) {
		call.out32(mig_results, port_call.value);
		call.out64(mig_results + 4, port_call.context);
		call.set_reply_size(mig_results + 12);
	}
	port_call_release(port_call);
	return kr;
}

/*
 * The options out of line (a mach_port_options_t, 24 bytes), then NDR
 * and the context: the new name.
 */
Kr construct_call(MigCall &call)
{
	constexpr u32 context_at = mig_memory_args(1);
	if (!call.complex(1, context_at + 8))
		return Kr::MigBadArguments;
	u32 bytes = 0;
	const void *options = call.carries_memory(0) ? call.memory(0, &bytes) : nullptr;
	if (!options || bytes != sizeof(PortOptionsLayout))
		return Kr::MigTypeError;
	PortCall port_call{};
	port_call.op = PortOp::Construct;
	__builtin_memcpy(&port_call.options, options, sizeof(port_call.options));
	port_call.context = call.in64(context_at);
	Kr kr = on_space(call, port_call);
	if (kr == Kr::Success) {
		call.out32(mig_results, port_call.name.value);
		call.set_reply_size(mig_results + 4);
	}
	port_call_release(port_call);
	return kr;
}

/*
 * Nothing in: the names as ipc_info_name_t out of line, an empty tree
 * out of line, then NDR, the ipc_info_space_t and the two counts.
 */
Kr space_info_call(MigCall &call)
{
	if (!call.simple(sizeof(MsgHeader)))
		return Kr::MigBadArguments;
	u32 *items, count;
	Kr kr = list_call(call, PortOp::SpaceInfo, Name{Name::null}, &items, &count);
	if (kr != Kr::Success)
		return kr;
	void *data[2] = {count ? items : nullptr, nullptr};
	if (!count && items)
		mach_shim_free(MACH_KIND_MEMORY, items);
	u32 sizes[2] = {static_cast<u32>(sizeof(NameInfo)) * count, 0};
	/* ipc_info_space_t: no generation bits, a table of the names there are */
	u32 words[8] = {0, count, 0, 0, 0, 0, count, 0};
	return call.out_memory(data, sizes, 2, words, 8) ? Kr::Success : Kr::ResourceShortage;
}

constexpr u32 one_word_reply = mig_results + 4;

constexpr MigRoutine routines[] = {
	{3200, mig_memory_args(2) + 8, names_call},
	{3201, one_word_reply, type_call, true},
	{3202, mig_reply_error_size, rename_call},
	{3203, mig_reply_error_size, allocate_name_call},
	{3204, one_word_reply, allocate_call},
	{3205, mig_reply_error_size, destroy_call},
	{3206, mig_reply_error_size, deallocate_call},
	{3207, one_word_reply, get_refs_call, true},
	{3208, mig_reply_error_size, mod_refs_call},
	{3209, mig_results + 16 + peek_trailer_max, peek_call, true},
	{3210, mig_reply_error_size, set_mscount_call},
	{3211, mig_memory_args(1) + 4, get_set_status_call},
	{3212, mig_reply_error_size, move_member_call},
	{3213, sizeof(MsgHeader) + 4 + 12, request_notification_call},
	{3214, mig_reply_error_size, insert_right_call},
	{3215, sizeof(MsgHeader) + 4 + 12, extract_right_call},
	{3216, mig_reply_error_size, set_seqno_call},
	{3217, mig_results + 4 + 4 * attribute_words_max, get_attributes_call, true},
	{3218, mig_reply_error_size, set_attributes_call},
	{3222, one_word_reply, get_srights_call, true},
	{3223, mig_memory_args(2) + 32, space_info_call},
	/* 3225, mach_port_kernel_object: removed from XNU's kernel (MIG_BAD_ID) */
	{3226, mig_reply_error_size, insert_member_call},
	{3227, mig_reply_error_size, extract_member_call},
	{3228, mig_results + 8, get_context_call, true},
	{3229, mig_reply_error_size, set_context_call},
	{3230, mig_results + 12, kobject_call, true},
	{3231, one_word_reply, construct_call},
	{3232, mig_reply_error_size, destruct_call},
	{3233, mig_reply_error_size, guard_call},
	{3234, mig_reply_error_size, unguard_call},
	{3235, mig_results + 24, space_basic_info_call, true},
	/* 3236, mach_port_special_reply_port_reset_link: not served */
	{3237, mig_reply_error_size, guard_with_flags_call},
	{3238, mig_reply_error_size, swap_guard_call},
};

} /* namespace */

const MigRoutines mig_port_routines = {routines, sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
