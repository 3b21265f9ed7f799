// SPDX-License-Identifier: LGPL-2.1-or-later
// mig.cc - what MIG-generated code calls: each thread's reply port, the
// host's data-representation record, bounded string copies and memory.
#include <string.h>

#include <mach/mach.h>

#include "channel.h"

#define LIBMACH_API extern "C" __attribute__((visibility("default")))

__attribute__((visibility("default"))) NDR_record_t NDR_record = {
	.mig_vers = 0,
	.if_vers = 0,
	.reserved1 = 0,
	.mig_encoding = NDR_PROTOCOL_2_0,
	.int_rep = NDR_INT_LITTLE_ENDIAN,
	.char_rep = NDR_CHAR_ASCII,
	.float_rep = NDR_FLOAT_IEEE,
	.reserved2 = 0,
};

namespace {

// One per thread, made on first use: a reply meant for one thread's call
// can never be received by another's.
thread_local mach_port_t thread_reply_port = MACH_PORT_NULL;

} // namespace

void libmach::forget_reply_port_after_fork()
{
	thread_reply_port = MACH_PORT_NULL;
}

LIBMACH_API mach_port_t mig_get_reply_port(void)
{
	if (thread_reply_port == MACH_PORT_NULL)
		thread_reply_port = mach_reply_port();
	return thread_reply_port;
}

// The thread's reply port may hold a reply that came too late: it goes,
// and the next call makes a fresh one. A stub that used another port
// gives up its right to that one too.
LIBMACH_API void mig_dealloc_reply_port(mach_port_t used)
{
	mach_port_t port = thread_reply_port;

	thread_reply_port = MACH_PORT_NULL;
	if (port != MACH_PORT_NULL)
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	if (used != MACH_PORT_NULL && used != port)
		mach_port_deallocate(mach_task_self(), used);
}

// Kept for the thread's next call.
LIBMACH_API void mig_put_reply_port(mach_port_t)
{
}

LIBMACH_API int mig_strncpy(char *dest, const char *src, int len)
{
	if (len <= 0 || !dest)
		return 0;
	if (!src)
		src = "";
	size_t n = strnlen(src, (size_t)len - 1);
	memcpy(dest, src, n);
	dest[n] = '\0';
	return (int)n + 1;
}

// As XNU's: a null source copies nothing and clears dest, and the count
// it returns leaves out the terminating null byte then.
LIBMACH_API int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	if (len <= 0 || !dest)
		return 0;
	if (!src) {
		memset(dest, 0, (size_t)len);
		return 0;
	}
	int written = mig_strncpy(dest, src, len);
	memset(dest + written, 0, (size_t)(len - written));
	return written;
}

LIBMACH_API void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(mach_task_self(), addr, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		*addr = 0;
}

LIBMACH_API void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	vm_deallocate(mach_task_self(), addr, size);
}
