// SPDX-License-Identifier: GPL-2.0
/*
 * mig_host_security.cc - the host_security interface (600) as messages,
 * on the host security port the request is sent to: the same rules and
 * calls as the ioctl's (ioctl.cc host_call, task_calls.h).
 */
#include "mig.h"
#include "resolve.h"
#include "task_calls.h"
#include "task_create.h"

namespace mach {
namespace {

/* A right taken from the request for its port, dropped when done. */
class HeldRight {
public:
	HeldRight(MigCall &call, u32 i) : right_(call.take_right(i)) {}
	~HeldRight()
	{
		if (right_.port)
			right_.port->drop(right_);
	}
	Port *port() const { return right_.port; }

private:
	TransitRight right_;
};

/* The host port a task is given, by the port the request carried. */
HostPort host_to_give(const Port *port)
{
	return host_port_of(port) == HostPort::Priv ? HostPort::Priv : HostPort::Host;
}

/* The tokens after NDR, at at: security_token_t then audit_token_t. */
Tokens tokens_at(const MigCall &call, u32 at)
{
	Tokens tokens;
	for (u32 i = 0; i < 2; i++)
		tokens.security[i] = call.in32(at + 4 * i);
	for (u32 i = 0; i < 8; i++)
		tokens.audit[i] = call.in32(at + 8 + 4 * i);
	return tokens;
}

/*
 * host_security_set_task_token: the task and the host it is to be given
 * in port descriptors, then NDR and the tokens.
 */
Kr set_task_token_call(MigCall &call)
{
	constexpr u32 tokens_at_ = sizeof(MsgHeader) + 4 + 2 * 12 + sizeof(ndr_record);
	if (!call.complex(2, tokens_at_ + sizeof(Tokens)))
		return Kr::MigBadArguments;
	if (!call.carries_send(0) || !call.carries_send(1))
		return Kr::MigTypeError;
	if (host_port_of(&call.target) != HostPort::Security)
		return Kr::InvalidSecurity;
	HeldRight task_right{call, 0}, host{call, 1};
	/* No task: as XNU's server, which finds none. */
	if (!task_right.port())
		return Kr::InvalidArgument;
	Ref<Task> task;
	Kr kr = task_of(call.caller, *task_right.port(), Kr::InvalidArgument, &task);
	if (kr != Kr::Success)
		return kr;
	return task_set_token(*task.get(), tokens_at(call, tokens_at_), host_to_give(host.port()));
}

/*
 * host_security_create_task_token: the parent and the host its child is
 * to be given in port descriptors, the ledgers out of line, then NDR, the
 * tokens, the ledgers' count and inherit_memory. Checked in the ioctl's
 * order (task_create_token).
 */
Kr create_task_token_call(MigCall &call)
{
	constexpr u32 tokens_at_ = sizeof(MsgHeader) + 4 + 2 * 12 + 16 + sizeof(ndr_record);
	constexpr u32 count_at = tokens_at_ + sizeof(Tokens);
	if (!call.complex(3, count_at + 8))
		return Kr::MigBadArguments;
	if (!call.carries_send(0) || !call.carries_send(1) || !mig_ledgers_fit(call, 2, count_at))
		return Kr::MigTypeError;
	if (host_port_of(&call.target) != HostPort::Security)
		return Kr::InvalidSecurity;
	HeldRight parent_right{call, 0}, host{call, 1};
	if (!parent_right.port())
		return Kr::SendInvalidDest;
	Ref<Task> parent;
	u64 program;
	Kr kr = task_of(call.caller, *parent_right.port(), Kr::InvalidArgument, &parent, &program);
	if (kr != Kr::Success)
		return kr;
	TaskCreate create{};
	create.granted = true;
	create.tokens = tokens_at(call, tokens_at_);
	create.host = host_to_give(host.port());
	return mig_create_task(call, 2, count_at, *parent.get(), program, create);
}

constexpr MigRoutine routines[] = {
	{600, sizeof(MsgHeader) + 4 + 12, create_task_token_call},
	{601, mig_reply_error_size, set_task_token_call},
};

} /* namespace */

const MigRoutines mig_host_security_routines = {routines,
						sizeof(routines) / sizeof(routines[0])};

} /* namespace mach */
