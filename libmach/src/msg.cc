// SPDX-License-Identifier: LGPL-2.1-or-later
// msg.cc - mach_msg and its helpers.
#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
				       mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				       mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				       mach_port_name_t notify)
{
	mach_msg_args args = {};
	args.msg = reinterpret_cast<__u64>(msg);
	args.option = option;
	args.send_size = send_size;
	args.rcv_size = rcv_size;
	args.rcv_name = rcv_name;
	args.timeout = timeout;
	args.notify = notify;

	mach_msg_return_t mr = libmach::call(MACH_IOC_MSG, &args);
	// As on the anchors, a signal restarts the call unless asked not to.
	while ((mr == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT)) ||
	       (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT))) {
		if (mr == MACH_RCV_INTERRUPTED)
			args.option &= ~MACH_SEND_MSG;	// the send is done
		mr = libmach::call(MACH_IOC_MSG, &args);
	}
	return mr;
}

LIBMACH_API mach_msg_return_t mach_msg_send(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

LIBMACH_API mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size, msg->msgh_local_port,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

// Releases the rights a received message carries (its header's reply right).
LIBMACH_API void mach_msg_destroy(mach_msg_header_t *msg)
{
	mach_msg_bits_t remote = MACH_MSGH_BITS_REMOTE(msg->msgh_bits);
	if (MACH_PORT_VALID(msg->msgh_remote_port) &&
	    (remote == MACH_MSG_TYPE_PORT_SEND || remote == MACH_MSG_TYPE_PORT_SEND_ONCE))
		mach_port_deallocate(mach_task_self(), msg->msgh_remote_port);
}

// Receives requests on rcv_name, lets demux fill the reply, sends it to the
// request's reply port. Stops on a receive error.
LIBMACH_API mach_msg_return_t mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *,
								      mach_msg_header_t *),
						   mach_msg_size_t max_size, mach_port_t rcv_name,
						   mach_msg_options_t options)
{
	union buffer {
		mach_msg_header_t header;
		unsigned char bytes[4096 + MAX_TRAILER_SIZE];
	};
	static thread_local buffer request, reply;
	mach_msg_size_t size = max_size + MAX_TRAILER_SIZE;
	if (size > sizeof(request))
		size = sizeof(request);

	mach_msg_return_t mr = mach_msg(&request.header, MACH_RCV_MSG | (options & ~MACH_SEND_MSG),
					0, size, rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	reply.header = {};
	if (!demux(&request.header, &reply.header)) {
		mach_msg_destroy(&request.header);
		return MACH_MSG_SUCCESS;
	}
	if (!MACH_PORT_VALID(reply.header.msgh_remote_port)) {
		mach_msg_destroy(&request.header);
		return MACH_MSG_SUCCESS;
	}
	return mach_msg(&reply.header, MACH_SEND_MSG | (options & MACH_SEND_TIMEOUT),
			reply.header.msgh_size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

LIBMACH_API mach_msg_return_t mach_msg_server(boolean_t (*demux)(mach_msg_header_t *,
								 mach_msg_header_t *),
					      mach_msg_size_t max_size, mach_port_t rcv_name,
					      mach_msg_options_t options)
{
	for (;;) {
		mach_msg_return_t mr = mach_msg_server_once(demux, max_size, rcv_name, options);
		if (mr != MACH_MSG_SUCCESS && mr != MACH_SEND_INVALID_DEST)
			return mr;
	}
}
