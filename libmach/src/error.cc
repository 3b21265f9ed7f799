// SPDX-License-Identifier: LGPL-2.1-or-later
// error.cc - mach_error_string and mach_error: a code's symbolic name.
#include <stdio.h>

#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/mig_errors.h>

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API char *mach_error_string(mach_error_t error)
{
	const char *text;

	switch (error) {
	case KERN_SUCCESS:
		text = "KERN_SUCCESS";
		break;
	case KERN_INVALID_ADDRESS:
		text = "KERN_INVALID_ADDRESS";
		break;
	case KERN_PROTECTION_FAILURE:
		text = "KERN_PROTECTION_FAILURE";
		break;
	case KERN_NO_SPACE:
		text = "KERN_NO_SPACE";
		break;
	case KERN_INVALID_ARGUMENT:
		text = "KERN_INVALID_ARGUMENT";
		break;
	case KERN_FAILURE:
		text = "KERN_FAILURE";
		break;
	case KERN_RESOURCE_SHORTAGE:
		text = "KERN_RESOURCE_SHORTAGE";
		break;
	case KERN_NOT_RECEIVER:
		text = "KERN_NOT_RECEIVER";
		break;
	case KERN_NO_ACCESS:
		text = "KERN_NO_ACCESS";
		break;
	case KERN_MEMORY_FAILURE:
		text = "KERN_MEMORY_FAILURE";
		break;
	case KERN_MEMORY_ERROR:
		text = "KERN_MEMORY_ERROR";
		break;
	case KERN_ALREADY_IN_SET:
		text = "KERN_ALREADY_IN_SET";
		break;
	case KERN_NOT_IN_SET:
		text = "KERN_NOT_IN_SET";
		break;
	case KERN_NAME_EXISTS:
		text = "KERN_NAME_EXISTS";
		break;
	case KERN_ABORTED:
		text = "KERN_ABORTED";
		break;
	case KERN_INVALID_NAME:
		text = "KERN_INVALID_NAME";
		break;
	case KERN_INVALID_TASK:
		text = "KERN_INVALID_TASK";
		break;
	case KERN_INVALID_RIGHT:
		text = "KERN_INVALID_RIGHT";
		break;
	case KERN_INVALID_VALUE:
		text = "KERN_INVALID_VALUE";
		break;
	case KERN_UREFS_OVERFLOW:
		text = "KERN_UREFS_OVERFLOW";
		break;
	case KERN_INVALID_CAPABILITY:
		text = "KERN_INVALID_CAPABILITY";
		break;
	case KERN_RIGHT_EXISTS:
		text = "KERN_RIGHT_EXISTS";
		break;
	case KERN_INVALID_HOST:
		text = "KERN_INVALID_HOST";
		break;
	case KERN_MEMORY_PRESENT:
		text = "KERN_MEMORY_PRESENT";
		break;
	case KERN_MEMORY_DATA_MOVED:
		text = "KERN_MEMORY_DATA_MOVED";
		break;
	case KERN_MEMORY_RESTART_COPY:
		text = "KERN_MEMORY_RESTART_COPY";
		break;
	case KERN_INVALID_PROCESSOR_SET:
		text = "KERN_INVALID_PROCESSOR_SET";
		break;
	case KERN_POLICY_LIMIT:
		text = "KERN_POLICY_LIMIT";
		break;
	case KERN_INVALID_POLICY:
		text = "KERN_INVALID_POLICY";
		break;
	case KERN_INVALID_OBJECT:
		text = "KERN_INVALID_OBJECT";
		break;
	case KERN_ALREADY_WAITING:
		text = "KERN_ALREADY_WAITING";
		break;
	case KERN_DEFAULT_SET:
		text = "KERN_DEFAULT_SET";
		break;
	case KERN_EXCEPTION_PROTECTED:
		text = "KERN_EXCEPTION_PROTECTED";
		break;
	case KERN_INVALID_LEDGER:
		text = "KERN_INVALID_LEDGER";
		break;
	case KERN_INVALID_MEMORY_CONTROL:
		text = "KERN_INVALID_MEMORY_CONTROL";
		break;
	case KERN_INVALID_SECURITY:
		text = "KERN_INVALID_SECURITY";
		break;
	case KERN_NOT_DEPRESSED:
		text = "KERN_NOT_DEPRESSED";
		break;
	case KERN_TERMINATED:
		text = "KERN_TERMINATED";
		break;
	case KERN_LOCK_SET_DESTROYED:
		text = "KERN_LOCK_SET_DESTROYED";
		break;
	case KERN_LOCK_UNSTABLE:
		text = "KERN_LOCK_UNSTABLE";
		break;
	case KERN_LOCK_OWNED:
		text = "KERN_LOCK_OWNED";
		break;
	case KERN_LOCK_OWNED_SELF:
		text = "KERN_LOCK_OWNED_SELF";
		break;
	case KERN_SEMAPHORE_DESTROYED:
		text = "KERN_SEMAPHORE_DESTROYED";
		break;
	case KERN_RPC_SERVER_TERMINATED:
		text = "KERN_RPC_SERVER_TERMINATED";
		break;
	case KERN_RPC_TERMINATE_ORPHAN:
		text = "KERN_RPC_TERMINATE_ORPHAN";
		break;
	case KERN_RPC_CONTINUE_ORPHAN:
		text = "KERN_RPC_CONTINUE_ORPHAN";
		break;
	case KERN_NOT_SUPPORTED:
		text = "KERN_NOT_SUPPORTED";
		break;
	case KERN_NODE_DOWN:
		text = "KERN_NODE_DOWN";
		break;
	case KERN_NOT_WAITING:
		text = "KERN_NOT_WAITING";
		break;
	case KERN_OPERATION_TIMED_OUT:
		text = "KERN_OPERATION_TIMED_OUT";
		break;
	case KERN_CODESIGN_ERROR:
		text = "KERN_CODESIGN_ERROR";
		break;
	case KERN_POLICY_STATIC:
		text = "KERN_POLICY_STATIC";
		break;
	case KERN_INSUFFICIENT_BUFFER_SIZE:
		text = "KERN_INSUFFICIENT_BUFFER_SIZE";
		break;
	case KERN_DENIED:
		text = "KERN_DENIED";
		break;
	case KERN_MISSING_KC:
		text = "KERN_MISSING_KC";
		break;
	case KERN_INVALID_KC:
		text = "KERN_INVALID_KC";
		break;
	case KERN_NOT_FOUND:
		text = "KERN_NOT_FOUND";
		break;
	case MACH_SEND_IN_PROGRESS:
		text = "MACH_SEND_IN_PROGRESS";
		break;
	case MACH_SEND_INVALID_DATA:
		text = "MACH_SEND_INVALID_DATA";
		break;
	case MACH_SEND_INVALID_DEST:
		text = "MACH_SEND_INVALID_DEST";
		break;
	case MACH_SEND_TIMED_OUT:
		text = "MACH_SEND_TIMED_OUT";
		break;
	case MACH_SEND_INVALID_VOUCHER:
		text = "MACH_SEND_INVALID_VOUCHER";
		break;
	case MACH_SEND_INTERRUPTED:
		text = "MACH_SEND_INTERRUPTED";
		break;
	case MACH_SEND_MSG_TOO_SMALL:
		text = "MACH_SEND_MSG_TOO_SMALL";
		break;
	case MACH_SEND_INVALID_REPLY:
		text = "MACH_SEND_INVALID_REPLY";
		break;
	case MACH_SEND_INVALID_RIGHT:
		text = "MACH_SEND_INVALID_RIGHT";
		break;
	case MACH_SEND_INVALID_NOTIFY:
		text = "MACH_SEND_INVALID_NOTIFY";
		break;
	case MACH_SEND_INVALID_MEMORY:
		text = "MACH_SEND_INVALID_MEMORY";
		break;
	case MACH_SEND_NO_BUFFER:
		text = "MACH_SEND_NO_BUFFER";
		break;
	case MACH_SEND_TOO_LARGE:
		text = "MACH_SEND_TOO_LARGE";
		break;
	case MACH_SEND_INVALID_TYPE:
		text = "MACH_SEND_INVALID_TYPE";
		break;
	case MACH_SEND_INVALID_HEADER:
		text = "MACH_SEND_INVALID_HEADER";
		break;
	case MACH_SEND_INVALID_TRAILER:
		text = "MACH_SEND_INVALID_TRAILER";
		break;
	case MACH_SEND_INVALID_CONTEXT:
		text = "MACH_SEND_INVALID_CONTEXT";
		break;
	case MACH_SEND_INVALID_OPTIONS:
		text = "MACH_SEND_INVALID_OPTIONS";
		break;
	case MACH_SEND_INVALID_RT_OOL_SIZE:
		text = "MACH_SEND_INVALID_RT_OOL_SIZE";
		break;
	case MACH_SEND_NO_GRANT_DEST:
		text = "MACH_SEND_NO_GRANT_DEST";
		break;
	case MACH_SEND_MSG_FILTERED:
		text = "MACH_SEND_MSG_FILTERED";
		break;
	case MACH_SEND_AUX_TOO_SMALL:
		text = "MACH_SEND_AUX_TOO_SMALL";
		break;
	case MACH_SEND_AUX_TOO_LARGE:
		text = "MACH_SEND_AUX_TOO_LARGE";
		break;
	case MACH_RCV_IN_PROGRESS:
		text = "MACH_RCV_IN_PROGRESS";
		break;
	case MACH_RCV_INVALID_NAME:
		text = "MACH_RCV_INVALID_NAME";
		break;
	case MACH_RCV_TIMED_OUT:
		text = "MACH_RCV_TIMED_OUT";
		break;
	case MACH_RCV_TOO_LARGE:
		text = "MACH_RCV_TOO_LARGE";
		break;
	case MACH_RCV_INTERRUPTED:
		text = "MACH_RCV_INTERRUPTED";
		break;
	case MACH_RCV_PORT_CHANGED:
		text = "MACH_RCV_PORT_CHANGED";
		break;
	case MACH_RCV_INVALID_NOTIFY:
		text = "MACH_RCV_INVALID_NOTIFY";
		break;
	case MACH_RCV_INVALID_DATA:
		text = "MACH_RCV_INVALID_DATA";
		break;
	case MACH_RCV_PORT_DIED:
		text = "MACH_RCV_PORT_DIED";
		break;
	case MACH_RCV_IN_SET:
		text = "MACH_RCV_IN_SET";
		break;
	case MACH_RCV_HEADER_ERROR:
		text = "MACH_RCV_HEADER_ERROR";
		break;
	case MACH_RCV_BODY_ERROR:
		text = "MACH_RCV_BODY_ERROR";
		break;
	case MACH_RCV_INVALID_TYPE:
		text = "MACH_RCV_INVALID_TYPE";
		break;
	case MACH_RCV_SCATTER_SMALL:
		text = "MACH_RCV_SCATTER_SMALL";
		break;
	case MACH_RCV_INVALID_TRAILER:
		text = "MACH_RCV_INVALID_TRAILER";
		break;
	case MACH_RCV_IN_PROGRESS_TIMED:
		text = "MACH_RCV_IN_PROGRESS_TIMED";
		break;
	case MACH_RCV_INVALID_REPLY:
		text = "MACH_RCV_INVALID_REPLY";
		break;
	case MACH_RCV_INVALID_ARGUMENTS:
		text = "MACH_RCV_INVALID_ARGUMENTS";
		break;
	case MIG_TYPE_ERROR:
		text = "MIG_TYPE_ERROR";
		break;
	case MIG_REPLY_MISMATCH:
		text = "MIG_REPLY_MISMATCH";
		break;
	case MIG_REMOTE_ERROR:
		text = "MIG_REMOTE_ERROR";
		break;
	case MIG_BAD_ID:
		text = "MIG_BAD_ID";
		break;
	case MIG_BAD_ARGUMENTS:
		text = "MIG_BAD_ARGUMENTS";
		break;
	case MIG_NO_REPLY:
		text = "MIG_NO_REPLY";
		break;
	case MIG_EXCEPTION:
		text = "MIG_EXCEPTION";
		break;
	case MIG_ARRAY_TOO_LARGE:
		text = "MIG_ARRAY_TOO_LARGE";
		break;
	case MIG_SERVER_DIED:
		text = "MIG_SERVER_DIED";
		break;
	case MIG_TRAILER_ERROR:
		text = "MIG_TRAILER_ERROR";
		break;
	default:
		text = "(unknown Mach error)";
		break;
	}
	return const_cast<char *>(text);
}

LIBMACH_API void mach_error(const char *str, mach_error_t error)
{
	fprintf(stderr, "%s %s (0x%x)\n", str ? str : "", mach_error_string(error), error);
}
