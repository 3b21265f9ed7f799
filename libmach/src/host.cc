// SPDX-License-Identifier: LGPL-2.1-or-later
// host.cc - host calls: host_info, host_page_size, host_kernel_version,
// host_get_special_port, and the host security port's two calls.
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/ioctl.h>

#include "channel.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

LIBMACH_API kern_return_t host_info(host_t host, host_flavor_t flavor,
				    host_info_t info, mach_msg_type_number_t *count)
{
	if (!count)
		return KERN_INVALID_ARGUMENT;
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

// Both answer from Linux, once the module has said host is a host.
static kern_return_t check_host(host_t host)
{
	host_basic_info_data_t info;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	return host_info(host, HOST_BASIC_INFO, reinterpret_cast<host_info_t>(&info),
			 &count);
}

LIBMACH_API kern_return_t host_page_size(host_t host, vm_size_t *page_size)
{
	kern_return_t kr = check_host(host);
	if (kr == KERN_SUCCESS)
		*page_size = sysconf(_SC_PAGESIZE);
	return kr;
}

LIBMACH_API kern_return_t host_kernel_version(host_t host, kernel_version_t version)
{
	struct utsname name;
	kern_return_t kr = check_host(host);
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
	*port = kr == KERN_SUCCESS ? args.port : MACH_PORT_NULL;
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
	return libmach::call(MACH_IOC_HOST, &args);
}
