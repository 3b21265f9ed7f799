// SPDX-License-Identifier: GPL-2.0
// The core's copies of the anchors' numbers must be libmach's numbers.
#include <gtest/gtest.h>

#include <mach/mach.h>

#include "../base.h"
#include "../host.h"
#include "../message.h"
#include "../port.h"
#include "../space.h"
#include "../task.h"
#include "../task_info.h"
#include "../thread_state.h"

using namespace mach;

#define SAME(core, header) static_assert(static_cast<long>(core) == static_cast<long>(header), #header)

SAME(Kr::Success, KERN_SUCCESS);
SAME(Kr::InvalidAddress, KERN_INVALID_ADDRESS);
SAME(Kr::NoSpace, KERN_NO_SPACE);
SAME(Kr::InvalidArgument, KERN_INVALID_ARGUMENT);
SAME(Kr::ResourceShortage, KERN_RESOURCE_SHORTAGE);
SAME(Kr::NameExists, KERN_NAME_EXISTS);
SAME(Kr::InvalidName, KERN_INVALID_NAME);
SAME(Kr::InvalidTask, KERN_INVALID_TASK);
SAME(Kr::InvalidRight, KERN_INVALID_RIGHT);
SAME(Kr::InvalidValue, KERN_INVALID_VALUE);
SAME(Kr::UrefsOverflow, KERN_UREFS_OVERFLOW);
SAME(Kr::InvalidCapability, KERN_INVALID_CAPABILITY);
SAME(Kr::RightExists, KERN_RIGHT_EXISTS);
SAME(Kr::NotSupported, KERN_NOT_SUPPORTED);
SAME(Kr::SendInvalidData, MACH_SEND_INVALID_DATA);
SAME(Kr::SendInvalidDest, MACH_SEND_INVALID_DEST);
SAME(Kr::SendTimedOut, MACH_SEND_TIMED_OUT);
SAME(Kr::SendInterrupted, MACH_SEND_INTERRUPTED);
SAME(Kr::SendMsgTooSmall, MACH_SEND_MSG_TOO_SMALL);
SAME(Kr::SendInvalidReply, MACH_SEND_INVALID_REPLY);
SAME(Kr::SendInvalidRight, MACH_SEND_INVALID_RIGHT);
SAME(Kr::SendInvalidMemory, MACH_SEND_INVALID_MEMORY);
SAME(Kr::SendTooLarge, MACH_SEND_TOO_LARGE);
SAME(Kr::SendNoBuffer, MACH_SEND_NO_BUFFER);
SAME(Kr::SendInvalidType, MACH_SEND_INVALID_TYPE);
SAME(Kr::SendInvalidHeader, MACH_SEND_INVALID_HEADER);
SAME(Kr::RcvInvalidName, MACH_RCV_INVALID_NAME);
SAME(Kr::RcvTimedOut, MACH_RCV_TIMED_OUT);
SAME(Kr::RcvTooLarge, MACH_RCV_TOO_LARGE);
SAME(Kr::RcvInterrupted, MACH_RCV_INTERRUPTED);
SAME(Kr::RcvInvalidNotify, MACH_RCV_INVALID_NOTIFY);
SAME(Kr::RcvInvalidData, MACH_RCV_INVALID_DATA);
SAME(Kr::RcvPortDied, MACH_RCV_PORT_DIED);
SAME(Kr::RcvHeaderError, MACH_RCV_HEADER_ERROR);
SAME(Kr::RcvBodyError, MACH_RCV_BODY_ERROR);
SAME(Kr::RcvInvalidTrailer, MACH_RCV_INVALID_TRAILER);
SAME(Kr::InvalidSecurity, KERN_INVALID_SECURITY);
SAME(HostSecurityPort, HOST_SECURITY_PORT);
SAME(HostNamePort, HOST_PORT);
SAME(HostPrivPort, HOST_PRIV_PORT);
SAME(HostSpecialPortMax, HOST_MAX_SPECIAL_PORT);
SAME(host_local_node, HOST_LOCAL_NODE);
SAME(HostBasicInfo, HOST_BASIC_INFO);
SAME(HostNodeInfo, HOST_NODE_INFO);
SAME(host_info_max_count, HOST_BASIC_INFO_COUNT);
SAME(sizeof(Tokens), sizeof(security_token_t) + sizeof(audit_token_t));

SAME(RightSend, MACH_PORT_TYPE_SEND);
SAME(RightReceive, MACH_PORT_TYPE_RECEIVE);
SAME(RightSendOnce, MACH_PORT_TYPE_SEND_ONCE);
SAME(RightPortSet, MACH_PORT_TYPE_PORT_SET);
SAME(RightDeadName, MACH_PORT_TYPE_DEAD_NAME);
SAME(RightDnRequest, MACH_PORT_TYPE_DNREQUEST);
SAME(PortRightSend, MACH_PORT_RIGHT_SEND);
SAME(PortRightReceive, MACH_PORT_RIGHT_RECEIVE);
SAME(PortRightSendOnce, MACH_PORT_RIGHT_SEND_ONCE);
SAME(PortRightPortSet, MACH_PORT_RIGHT_PORT_SET);
SAME(PortRightDeadName, MACH_PORT_RIGHT_DEAD_NAME);
SAME(urefs_max, MACH_PORT_UREFS_MAX);
SAME(qlimit_default, MACH_PORT_QLIMIT_DEFAULT);
SAME(qlimit_max, MACH_PORT_QLIMIT_MAX);

SAME(MoveReceive, MACH_MSG_TYPE_MOVE_RECEIVE);
SAME(MoveSend, MACH_MSG_TYPE_MOVE_SEND);
SAME(MoveSendOnce, MACH_MSG_TYPE_MOVE_SEND_ONCE);
SAME(CopySend, MACH_MSG_TYPE_COPY_SEND);
SAME(MakeSend, MACH_MSG_TYPE_MAKE_SEND);
SAME(MakeSendOnce, MACH_MSG_TYPE_MAKE_SEND_ONCE);
SAME(PortDescriptor, MACH_MSG_PORT_DESCRIPTOR);
SAME(OolDescriptor, MACH_MSG_OOL_DESCRIPTOR);
SAME(OolPortsDescriptor, MACH_MSG_OOL_PORTS_DESCRIPTOR);
SAME(OolVolatileDescriptor, MACH_MSG_OOL_VOLATILE_DESCRIPTOR);
SAME(msgh_bits_complex, MACH_MSGH_BITS_COMPLEX);
SAME(trailer_max, sizeof(mach_msg_audit_trailer_t));
SAME(sizeof(MsgHeader), sizeof(mach_msg_header_t));

SAME(NotifyPortDeleted, MACH_NOTIFY_PORT_DELETED);
SAME(NotifyPortDestroyed, MACH_NOTIFY_PORT_DESTROYED);
SAME(NotifyNoSenders, MACH_NOTIFY_NO_SENDERS);
SAME(NotifySendOnce, MACH_NOTIFY_SEND_ONCE);
SAME(NotifyDeadName, MACH_NOTIFY_DEAD_NAME);

SAME(TaskKernelPort, TASK_KERNEL_PORT);
SAME(TaskHostPort, TASK_HOST_PORT);
SAME(TaskNamePort, TASK_NAME_PORT);
SAME(TaskBootstrapPort, TASK_BOOTSTRAP_PORT);
SAME(TaskWiredLedgerPort, TASK_WIRED_LEDGER_PORT);
SAME(TaskPagedLedgerPort, TASK_PAGED_LEDGER_PORT);
SAME(registered_max, TASK_PORT_REGISTER_MAX);
SAME(exception_types, EXC_TYPES_COUNT);
SAME(all_exceptions, EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY);
SAME(ExceptionDefault, EXCEPTION_DEFAULT);
SAME(ExceptionIdentityProtected, EXCEPTION_IDENTITY_PROTECTED);
SAME(ExceptionStateIdentityProtected, EXCEPTION_STATE_IDENTITY_PROTECTED);
SAME(ExceptionBacktracePreferred, MACH_EXCEPTION_BACKTRACE_PREFERRED);
SAME(ExceptionErrors, MACH_EXCEPTION_ERRORS);
SAME(ExceptionCodes, MACH_EXCEPTION_CODES);
SAME(ExceptionFlags, MACH_EXCEPTION_MASK);
static_assert(valid_state_flavor(x86_THREAD_STATE64) && valid_state_flavor(THREAD_STATE_NONE) &&
	      valid_state_flavor(x86_LAST_BRANCH_STATE) && !valid_state_flavor(THREAD_STATE_FLAVORS));

SAME(TaskThreadTimesInfo, TASK_THREAD_TIMES_INFO);
SAME(TaskBasicInfo32, TASK_BASIC_INFO_32);
SAME(TaskBasicInfo64, TASK_BASIC_INFO_64);
SAME(MachTaskBasicInfo, MACH_TASK_BASIC_INFO);

TEST(Constants, MatchLibmachHeaders)
{
	// The checks are the static_asserts above; this makes the file a test.
	EXPECT_EQ(task_info_count(MachTaskBasicInfo), MACH_TASK_BASIC_INFO_COUNT);
	EXPECT_EQ(task_info_count(TaskBasicInfo64), TASK_BASIC_INFO_64_COUNT);
	EXPECT_EQ(task_info_count(TaskBasicInfo32), TASK_BASIC_INFO_32_COUNT);
	EXPECT_EQ(task_info_count(TaskThreadTimesInfo), TASK_THREAD_TIMES_INFO_COUNT);
	// The least counts XNU accepts: the oldest revision of a grown flavour.
	EXPECT_EQ(task_info_count(TaskAbsolutetimeInfo), TASK_ABSOLUTETIME_INFO_COUNT);
	EXPECT_EQ(task_info_count(TaskEventsInfo), TASK_EVENTS_INFO_COUNT);
	EXPECT_EQ(task_info_count(TaskBasic2Info32), TASK_BASIC_INFO_32_COUNT);
	EXPECT_EQ(task_info_count(TaskAffinityTagInfo), TASK_AFFINITY_TAG_INFO_COUNT);
	EXPECT_EQ(task_info_count(TaskDyldInfo), TASK_DYLD_INFO_COUNT - 1);
	EXPECT_EQ(task_info_count(TaskPowerInfo), TASK_POWER_INFO_COUNT);
	EXPECT_EQ(task_info_count(TaskVmInfo), TASK_VM_INFO_REV0_COUNT);
	EXPECT_EQ(task_info_count(TaskPowerInfoV2), TASK_POWER_INFO_V2_COUNT_OLD);
	EXPECT_EQ(task_info_count(TaskFlagsInfo), TASK_FLAGS_INFO_COUNT);
	EXPECT_EQ(task_info_max_count, TASK_VM_INFO_COUNT);
	EXPECT_EQ(u32(TaskAbsolutetimeInfo), u32(TASK_ABSOLUTETIME_INFO));
	EXPECT_EQ(u32(TaskEventsInfo), u32(TASK_EVENTS_INFO));
	EXPECT_EQ(u32(TaskBasic2Info32), u32(TASK_BASIC2_INFO_32));
	EXPECT_EQ(u32(TaskAffinityTagInfo), u32(TASK_AFFINITY_TAG_INFO));
	EXPECT_EQ(u32(TaskDyldInfo), u32(TASK_DYLD_INFO));
	EXPECT_EQ(u32(TaskPowerInfo), u32(TASK_POWER_INFO));
	EXPECT_EQ(u32(TaskVmInfo), u32(TASK_VM_INFO));
	EXPECT_EQ(u32(TaskPowerInfoV2), u32(TASK_POWER_INFO_V2));
	EXPECT_EQ(u32(TaskFlagsInfo), u32(TASK_FLAGS_INFO));
}
