// SPDX-License-Identifier: GPL-2.0
// Unit tests of the range sets behind the inheritance Linux cannot say.
#include <gtest/gtest.h>

#include "../ranges.h"
#include "shim_user.h"

namespace {

struct Ranges : ::testing::Test {
	mach_ranges rs{};
	~Ranges() override { mach_ranges_free(&rs); }

	bool has(mach_u64 addr) { return mach_ranges_contain(&rs, addr); }
};

TEST_F(Ranges, AddedRangesAreContainedHalfOpen)
{
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x1000, 0x3000));
	EXPECT_FALSE(has(0xfff));
	EXPECT_TRUE(has(0x1000));
	EXPECT_TRUE(has(0x2fff));
	EXPECT_FALSE(has(0x3000));
}

TEST_F(Ranges, RemovingTheMiddleSplitsARange)
{
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x1000, 0x5000));
	ASSERT_EQ(0, mach_ranges_remove(&rs, 0x2000, 0x3000));
	EXPECT_TRUE(has(0x1fff));
	EXPECT_FALSE(has(0x2000));
	EXPECT_FALSE(has(0x2fff));
	EXPECT_TRUE(has(0x3000));
	EXPECT_EQ(2u, rs.count);
}

TEST_F(Ranges, RemovingAcrossSeveralKeepsOnlyTheOutsides)
{
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x1000, 0x2000));
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x3000, 0x4000));
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x5000, 0x6000));
	ASSERT_EQ(0, mach_ranges_remove(&rs, 0x1800, 0x5800));
	EXPECT_TRUE(has(0x17ff));
	EXPECT_FALSE(has(0x1800));
	EXPECT_FALSE(has(0x3000));
	EXPECT_FALSE(has(0x57ff));
	EXPECT_TRUE(has(0x5800));
	EXPECT_EQ(2u, rs.count);
}

TEST_F(Ranges, ManyRangesGrowTheSetAndCopy)
{
	for (mach_u64 i = 0; i < 1000; i++)
		ASSERT_EQ(0, mach_ranges_add(&rs, i * 0x2000, i * 0x2000 + 0x1000));
	mach_ranges copy{};
	ASSERT_EQ(0, mach_ranges_copy(&copy, &rs));
	EXPECT_EQ(1000u, copy.count);
	EXPECT_TRUE(mach_ranges_contain(&copy, 999 * 0x2000));
	EXPECT_FALSE(mach_ranges_contain(&copy, 999 * 0x2000 + 0x1000));
	// A copy is its own: freeing the original leaves it whole.
	mach_ranges_free(&rs);
	EXPECT_TRUE(mach_ranges_contain(&copy, 0));
	mach_ranges_free(&copy);
	EXPECT_EQ(0u, copy.count);
}

TEST_F(Ranges, NoMemoryLeavesTheSetAsItWas)
{
	ASSERT_EQ(0, mach_ranges_add(&rs, 0, 0x1000));
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x2000, 0x3000));
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x4000, 0x5000));
	ASSERT_EQ(0, mach_ranges_add(&rs, 0x6000, 0x7000));	// full: 4 of 4
	shim_user::fail_nth_allocation(1);
	EXPECT_EQ(-MACH_ENOMEM, mach_ranges_add(&rs, 0x8000, 0x9000));
	EXPECT_EQ(4u, rs.count);
	EXPECT_FALSE(has(0x8000));
	EXPECT_TRUE(has(0x6000));
}

} // namespace
