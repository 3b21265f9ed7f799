// SPDX-License-Identifier: GPL-2.0
/*
 * usercopy.c - small copies to and from the calling process by words
 * (core/usercopy.h says why). The kernel side is the caller's buffer,
 * of at least size bytes; a fault ends the copy as copy_*_user()'s do.
 */
#include <linux/string.h>
#include <linux/uaccess.h>

#include "core/usercopy.h"

int mach_small_copy_out(u64 uaddr, const void *src, u32 size)
{
	void __user *to = u64_to_user_ptr(uaddr);
	const u8 *from = src;
	u64 word;
	u32 half;

	if (size > MACH_SMALL_COPY_MAX)
		return copy_to_user(to, src, size) ? -EFAULT : 0;
	if (!user_write_access_begin(to, size))
		return -EFAULT;
	for (; size >= 8; size -= 8, from += 8, to += 8) {
		__builtin_memcpy(&word, from, sizeof(word));
		unsafe_put_user(word, (u64 __user *)to, fault);
	}
	if (size >= 4) {
		__builtin_memcpy(&half, from, sizeof(half));
		unsafe_put_user(half, (u32 __user *)to, fault);
		size -= 4;
		from += 4;
		to += 4;
	}
	for (; size; size--, from++, to++)
		unsafe_put_user(*from, (u8 __user *)to, fault);
	user_write_access_end();
	return 0;
fault:
	user_write_access_end();
	return -EFAULT;
}

int mach_small_copy_in(void *dst, u64 uaddr, u32 size)
{
	const void __user *from = u64_to_user_ptr(uaddr);
	u8 *to = dst;
	u64 word;
	u32 half;

	if (size > MACH_SMALL_COPY_MAX)
		return copy_from_user(dst, from, size) ? -EFAULT : 0;
	if (!user_read_access_begin(from, size))
		return -EFAULT;
	for (; size >= 8; size -= 8, from += 8, to += 8) {
		unsafe_get_user(word, (const u64 __user *)from, fault);
		__builtin_memcpy(to, &word, sizeof(word));
	}
	if (size >= 4) {
		unsafe_get_user(half, (const u32 __user *)from, fault);
		__builtin_memcpy(to, &half, sizeof(half));
		size -= 4;
		from += 4;
		to += 4;
	}
	for (; size; size--, from++, to++)
		unsafe_get_user(*to, (const u8 __user *)from, fault);
	user_read_access_end();
	return 0;
fault:
	user_read_access_end();
	return -EFAULT;
}
