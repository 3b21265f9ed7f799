// SPDX-License-Identifier: GPL-2.0
/* ranges.cc - sets of address ranges (ranges.h). */
#include "ranges.h"

namespace {

bool grow(mach_ranges *rs, mach_u32 capacity)
{
	if (capacity <= rs->capacity)
		return true;
	auto *r = static_cast<mach_range *>(mach_shim_alloc(MACH_KIND_MEMORY,
							    capacity * sizeof(mach_range)));
	if (!r)
		return false;
	if (rs->count)
		__builtin_memcpy(r, rs->r, rs->count * sizeof(mach_range));
	if (rs->r)
		mach_shim_free(MACH_KIND_MEMORY, rs->r);
	rs->r = r;
	rs->capacity = capacity;
	return true;
}

} /* namespace */

extern "C" int mach_ranges_add(mach_ranges *rs, mach_u64 start, mach_u64 end)
{
	if (rs->count == rs->capacity &&
	    !grow(rs, rs->capacity ? 2 * rs->capacity : 4))
		return -MACH_ENOMEM;
	rs->r[rs->count++] = mach_range{start, end};
	return 0;
}

extern "C" int mach_ranges_remove(mach_ranges *rs, mach_u64 start, mach_u64 end)
{
	mach_u32 i = 0;

	while (i < rs->count) {
		mach_range r = rs->r[i];

		if (r.end <= start || r.start >= end) {
			i++;
			continue;
		}
		/* Its pieces outside [start, end) stay; it goes. */
		rs->r[i] = rs->r[--rs->count];
		if (r.start < start && mach_ranges_add(rs, r.start, start))
			return -MACH_ENOMEM;
		if (r.end > end && mach_ranges_add(rs, end, r.end))
			return -MACH_ENOMEM;
	}
	return 0;
}

extern "C" mach_bool mach_ranges_contain(const mach_ranges *rs, mach_u64 addr)
{
	for (mach_u32 i = 0; i < rs->count; i++)
		if (rs->r[i].start <= addr && addr < rs->r[i].end)
			return true;
	return false;
}

extern "C" int mach_ranges_copy(mach_ranges *to, const mach_ranges *from)
{
	mach_ranges copy{};
	if (from->count && !grow(&copy, from->count))
		return -MACH_ENOMEM;
	if (from->count)
		__builtin_memcpy(copy.r, from->r, from->count * sizeof(mach_range));
	copy.count = from->count;
	mach_ranges_free(to);
	*to = copy;
	return 0;
}

extern "C" void mach_ranges_free(mach_ranges *rs)
{
	if (rs->r)
		mach_shim_free(MACH_KIND_MEMORY, rs->r);
	*rs = mach_ranges{};
}
