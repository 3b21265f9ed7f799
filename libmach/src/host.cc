// SPDX-License-Identifier: LGPL-2.1-or-later
// host.cc - host calls: host_info, host_page_size, host_kernel_version,
// host_get_special_port, host_set_special_port, and the host security
// port's two calls.
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"
#include "rpc.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

namespace {

/* MIG's largest count of host_info_t words. */
constexpr unsigned host_info_max = 68;

// host_info (200) sent to a port standing in for a host.
kern_return_t host_info_as_message(host_t host, host_flavor_t flavor, host_info_t info,
				   mach_msg_type_number_t *count)
{
	uint32_t in[1] = { static_cast<uint32_t>(flavor) };

	return libmach::rpc_count_out(host, 200, in, 1, host_info_max, info, count);
}

// The module's answer to host_info on host (libmach::send_as_message for
// a stand-in), with room for count words at info.
kern_return_t host_info_call(host_t host, host_flavor_t flavor, host_info_t info,
			     mach_msg_type_number_t *count)
{
	mach_host_args args = {};
	args.op = MACH_HOST_INFO;
	args.host = host;
	args.which = flavor;
	args.count = *count;
	args.data = reinterpret_cast<__u64>(info);
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == KERN_SUCCESS)
		*count = args.count;
	return kr;
}

// Both answer from Linux once the module has said host is a host; a
// stand-in is sent the call itself.
kern_return_t check_host(host_t host)
{
	host_basic_info_data_t info;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	return host_info_call(host, HOST_BASIC_INFO, reinterpret_cast<host_info_t>(&info),
			      &count);
}

} // namespace

LIBMACH_API kern_return_t host_info(host_t host, host_flavor_t flavor,
				    host_info_t info, mach_msg_type_number_t *count)
{
	if (!count)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = host_info_call(host, flavor, info, count);
	if (kr == libmach::send_as_message)
		return host_info_as_message(host, flavor, info, count);
	return kr;
}

LIBMACH_API kern_return_t host_page_size(host_t host, vm_size_t *page_size)
{
	kern_return_t kr = check_host(host);
	if (kr == libmach::send_as_message) {	// _host_page_size (202): 8 bytes
		uint32_t out[2];
		kr = libmach::rpc(host, 202, nullptr, 0, out, 2);
		if (kr == KERN_SUCCESS)
			memcpy(page_size, out, sizeof(*page_size));
		return kr;
	}
	if (kr == KERN_SUCCESS)
		*page_size = sysconf(_SC_PAGESIZE);
	return kr;
}

// host_kernel_version (201) to a stand-in: after RetCode, the string's
// offset (unused), its length with the NUL, and its bytes.
static kern_return_t kernel_version_as_message(host_t host, kernel_version_t version)
{
	uint32_t out[2 + KERNEL_VERSION_MAX / 4];
	unsigned n;
	kern_return_t kr = libmach::rpc(host, 201, nullptr, 0, out, 2 + KERNEL_VERSION_MAX / 4,
					&n);
	if (kr != KERN_SUCCESS)
		return kr;
	if (n < 2 || out[1] < 1 || out[1] > KERNEL_VERSION_MAX || n != 2 + (out[1] + 3) / 4)
		return MIG_TYPE_ERROR;
	memcpy(version, &out[2], out[1]);
	version[out[1] - 1] = '\0';
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t host_kernel_version(host_t host, kernel_version_t version)
{
	struct utsname name;
	kern_return_t kr = check_host(host);
	if (kr == libmach::send_as_message)
		return kernel_version_as_message(host, version);
	if (kr != KERN_SUCCESS)
		return kr;
	if (uname(&name) != 0)
		return KERN_FAILURE;
	snprintf(version, KERNEL_VERSION_MAX, "%s %s %s %s\n", name.sysname,
		 name.release, name.version, name.machine);
	return KERN_SUCCESS;
}

LIBMACH_API kern_return_t host_get_special_port(host_priv_t host, int node, int which,
						mach_port_t *port)
{
	if (!port)
		return KERN_INVALID_ARGUMENT;
	mach_host_args args = {};
	args.op = MACH_HOST_GET_SPECIAL_PORT;
	args.host = host;
	args.node = node;
	args.which = which;
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == libmach::send_as_message) {	// host_get_special_port (412)
		uint32_t in[2] = { static_cast<uint32_t>(node), static_cast<uint32_t>(which) };
		return libmach::rpc_port_out(host, 412, in, 2, port);
	}
	*port = kr == KERN_SUCCESS ? args.port : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t host_set_special_port(host_priv_t host, int which, mach_port_t port)
{
	mach_host_args args = {};
	args.op = MACH_HOST_SET_SPECIAL_PORT;
	args.host = host;
	args.which = which;
	args.port = port;
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr == libmach::send_as_message) {	// host_set_special_port (413)
		uint32_t in[1] = { static_cast<uint32_t>(which) };
		return libmach::rpc_with_port(host, 413, port, MACH_MSG_TYPE_COPY_SEND, in, 1);
	}
	return kr;
}

static_assert(sizeof(mach_tokens) == sizeof(security_token_t) + sizeof(audit_token_t));

static mach_tokens tokens_of(const security_token_t &security, const audit_token_t &audit)
{
	mach_tokens tokens;
	memcpy(tokens.security, security.val, sizeof(tokens.security));
	memcpy(tokens.audit, audit.val, sizeof(tokens.audit));
	return tokens;
}

LIBMACH_API kern_return_t host_security_create_task_token(
	host_security_t host_security, task_t parent_task, security_token_t sec_token,
	audit_token_t audit_token, host_t host, ledger_array_t ledgers,
	mach_msg_type_number_t ledger_count, boolean_t inherit_memory, task_t *child_task)
{
	if (!child_task)
		return KERN_INVALID_ARGUMENT;
	mach_tokens tokens = tokens_of(sec_token, audit_token);
	mach_task_create_token_args args = {};
	args.create.parent = parent_task;
	args.create.inherit_memory = inherit_memory;
	args.create.ledgers = reinterpret_cast<__u64>(ledgers);
	args.create.ledger_count = ledger_count;
	args.host_security = host_security;
	args.host = host;
	args.tokens = reinterpret_cast<__u64>(&tokens);
	kern_return_t kr = libmach::call(MACH_IOC_TASK_CREATE_TOKEN, &args);
	if (kr == libmach::send_as_message) {
		// host_security_create_task_token (600): parent and host, the
		// ledgers, then the tokens, their count and inherit_memory.
		mach_port_t ports[2] = { parent_task, host };
		uint32_t in[10];
		memcpy(in, &tokens, sizeof(in));
		return libmach::rpc_task_create(host_security, 600, ports, 2, ledgers, ledger_count,
						in, 10, inherit_memory, child_task);
	}
	*child_task = kr == KERN_SUCCESS ? args.create.child : MACH_PORT_NULL;
	return kr;
}

LIBMACH_API kern_return_t host_security_set_task_token(host_security_t host_security,
						       task_t task,
						       security_token_t sec_token,
						       audit_token_t audit_token, host_t host)
{
	mach_tokens tokens = tokens_of(sec_token, audit_token);
	mach_host_args args = {};
	args.op = MACH_HOST_SET_TASK_TOKEN;
	args.host = host_security;
	args.port = task;
	args.task_host = host;
	args.data = reinterpret_cast<__u64>(&tokens);
	kern_return_t kr = libmach::call(MACH_IOC_HOST, &args);
	if (kr != libmach::send_as_message)
		return kr;
	// host_security_set_task_token (601): the task and host, then the tokens.
	mach_port_t ports[2] = { task, host };
	uint32_t in[10];
	memcpy(in, &tokens, sizeof(in));
	return libmach::rpc_general(host_security, 601, ports, 2, MACH_MSG_TYPE_COPY_SEND, in,
				    10, nullptr, 0, nullptr, 0, nullptr);
}
