// SPDX-License-Identifier: LGPL-2.1-or-later
// msg.cc - mach_msg and its helpers.
#include <sys/mman.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

mach_msg_args msg_args(mach_msg_header_t *msg, mach_msg_option_t option,
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
	return args;
}

// One mach_msg ioctl (cmd on arg, whose mach_msg_args are args). As on
// the anchors, a signal restarts the call unless asked not to; a send
// interrupted gave its message back, which is sent again as it is.
mach_msg_return_t msg_call(unsigned long cmd, void *arg, mach_msg_args *args)
{
	mach_msg_option_t option = args->option;
	mach_msg_return_t mr = libmach::call(cmd, arg);
	while ((mr == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT)) ||
	       (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT))) {
		if (mr == MACH_RCV_INTERRUPTED)
			args->option &= ~MACH_SEND_MSG;	// the send is done
		mr = libmach::call(cmd, arg);
	}
	return mr;
}

} // namespace

LIBMACH_API mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
				       mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				       mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				       mach_port_name_t notify)
{
	mach_msg_args args = msg_args(msg, option, send_size, rcv_size, rcv_name, timeout,
				      notify);
	return msg_call(MACH_IOC_MSG, &args, &args);
}

// As XNU's: the receive goes into rcv_msg, of rcv_size bytes (msg when
// null); rcv_limit, a scatter list's size once, is not used.
LIBMACH_API mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
						 mach_msg_size_t send_size,
						 mach_msg_size_t rcv_size,
						 mach_port_name_t rcv_name,
						 mach_msg_timeout_t timeout,
						 mach_port_name_t notify,
						 mach_msg_header_t *rcv_msg,
						 mach_msg_size_t /* rcv_limit */)
{
	if (!rcv_msg || rcv_msg == msg)
		return mach_msg(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	mach_msg_overwrite_args args = {};
	args.args = msg_args(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	args.rcv_msg = reinterpret_cast<__u64>(rcv_msg);
	return msg_call(MACH_IOC_MSG_OVERWRITE, &args, &args.args);
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

namespace {

void release_right(mach_port_name_t name, mach_msg_type_name_t type)
{
	if (!MACH_PORT_VALID(name))
		return;
	if (type == MACH_MSG_TYPE_PORT_RECEIVE)
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
	else
		mach_port_deallocate(mach_task_self(), name);
}

} // namespace

// Releases everything a received message carries: its reply right, the
// rights of its port descriptors and its out-of-line memory.
LIBMACH_API void mach_msg_destroy(mach_msg_header_t *msg)
{
	release_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
	if (!MACH_MSGH_BITS_IS_COMPLEX(msg->msgh_bits))
		return;

	auto *body = reinterpret_cast<mach_msg_body_t *>(msg + 1);
	auto *at = reinterpret_cast<char *>(body + 1);
	for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++) {
		auto *d = reinterpret_cast<mach_msg_descriptor_t *>(at);
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			release_right(d->port.name, d->port.disposition);
			at += sizeof(d->port);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			if (d->out_of_line.address && d->out_of_line.size)
				munmap(d->out_of_line.address, d->out_of_line.size);
			at += sizeof(d->out_of_line);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			auto *names = static_cast<mach_port_name_t *>(d->ool_ports.address);
			for (mach_msg_size_t j = 0; names && j < d->ool_ports.count; j++)
				release_right(names[j], d->ool_ports.disposition);
			if (names && d->ool_ports.count)
				munmap(names, d->ool_ports.count * sizeof(*names));
			at += sizeof(d->ool_ports);
			break;
		}
		default:
			return;		// not a message the kernel delivered
		}
	}
}

// Receives requests on rcv_name, lets demux fill the reply, sends it to the
// request's reply port. Stops on a receive error. As XNU's: a routine that
// answered KERN_SUCCESS keeps what the request carried; one that answered
// an error (and a demux that did not know the request) consumed nothing,
// so the request is destroyed, all but the reply right its answer goes
// to; MIG_NO_REPLY means the routine keeps the request, reply right and
// all, and answers later itself.
LIBMACH_API mach_msg_return_t mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *,
								      mach_msg_header_t *),
						   mach_msg_size_t max_size, mach_port_t rcv_name,
						   mach_msg_options_t options)
{
	union buffer {
		mach_msg_header_t header;
		mig_reply_error_t error;
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
	reply = {};
	boolean_t known = demux(&request.header, &reply.header);
	// A complex reply has no RetCode: it is a routine's success.
	kern_return_t ret = MACH_MSGH_BITS_IS_COMPLEX(reply.header.msgh_bits) ? KERN_SUCCESS :
										 reply.error.RetCode;
	bool answering = MACH_PORT_VALID(reply.header.msgh_remote_port);
	if (ret == MIG_NO_REPLY)
		return MACH_MSG_SUCCESS;
	if (!known || ret != KERN_SUCCESS) {
		if (answering && reply.header.msgh_remote_port == request.header.msgh_remote_port)
			request.header.msgh_remote_port = MACH_PORT_NULL;	// the answer's
		mach_msg_destroy(&request.header);
	}
	if (!answering)
		return MACH_MSG_SUCCESS;
	// A client that does not receive never holds the server: a reply
	// through a send right (which could block) is given up at once.
	mach_msg_option_t send = MACH_SEND_MSG | (options & (MACH_SEND_TIMEOUT | MACH_SEND_INTERRUPT));
	if (MACH_MSGH_BITS_REMOTE(reply.header.msgh_bits) != MACH_MSG_TYPE_MOVE_SEND_ONCE)
		send |= MACH_SEND_TIMEOUT;
	mr = mach_msg(&reply.header, send, reply.header.msgh_size, 0, MACH_PORT_NULL,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED) {
		// Given back as received: free all it carries, as XNU's server
		// does (mach_msg_destroy leaves the reply right alone).
		mach_msg_type_name_t local = MACH_MSGH_BITS_LOCAL(reply.header.msgh_bits);
		if ((local == MACH_MSG_TYPE_PORT_SEND || local == MACH_MSG_TYPE_PORT_SEND_ONCE) &&
		    MACH_PORT_VALID(reply.header.msgh_local_port))
			mach_port_deallocate(mach_task_self(), reply.header.msgh_local_port);
		mach_msg_destroy(&reply.header);
		mr = MACH_MSG_SUCCESS;
	}
	return mr;
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
