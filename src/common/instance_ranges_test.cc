#include "common/instance_ranges.h"

#include <gtest/gtest.h>

#include <string>

namespace borealis {
namespace {

std::vector<int32_t> ids(std::string_view s) {
  auto r = parse_instance_ranges(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().message();
  return r.ok() ? *r : std::vector<int32_t>{};
}

std::string error(std::string_view s) {
  auto r = parse_instance_ranges(s);
  EXPECT_FALSE(r.ok()) << s;
  return r.ok() ? "" : r.status().message();
}

TEST(InstanceRanges, ParsesIdsAndRangesSortedAndDistinct) {
  EXPECT_EQ(ids("0-1,4"), (std::vector<int32_t>{0, 1, 4}));
  EXPECT_EQ(ids("3,1,1"), (std::vector<int32_t>{1, 3}));
  EXPECT_EQ(ids(" 2-4 , 3-6 ,0"), (std::vector<int32_t>{0, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ids("5-5"), (std::vector<int32_t>{5}));
}

TEST(InstanceRanges, RefusesMalformedTextSayingWhat) {
  EXPECT_NE(error("2-1").find("ends before it starts"), std::string::npos);
  EXPECT_NE(error("a").find("'a' is not an instance id"), std::string::npos);
  EXPECT_NE(error("-1").find("'-1'"), std::string::npos);
  EXPECT_NE(error("1-").find("'1-'"), std::string::npos);
  EXPECT_NE(error("").find("not an instance id"), std::string::npos);
  EXPECT_NE(error("1,,2").find("not an instance id"), std::string::npos);
}

TEST(InstanceRanges, RefusesHugeNumbersAndLists) {
  EXPECT_NE(error("1000000").find("above the maximum of 999999"), std::string::npos);
  EXPECT_NE(error("0-99999999999999999999").find("not an instance id"), std::string::npos);
  std::string many;
  for (size_t i = 0; i <= kMaxInstanceListParts; ++i) many += (i ? "," : "") + std::to_string(i);
  EXPECT_NE(error(many).find("more than the limit of 1000"), std::string::npos);
  EXPECT_NE(error(std::string(kMaxInstanceListBytes + 1, '1')).find("longer than the limit"),
            std::string::npos);
}

TEST(InstanceRanges, RepeatedWideRangesCostTheirUnionNotTheirSum) {
  // The query that once held the scheduler's HTTP thread for 10.9 s.
  std::string text;
  for (int i = 0; i < 200; ++i) text += (i ? "," : "") + std::string("0-999999");
  auto r = parse_instance_ranges(text);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1'000'000u);
  EXPECT_EQ(r->front(), 0);
  EXPECT_EQ(r->back(), 999'999);
}

TEST(InstanceRanges, RangeListIsSortedAndMergesOverlappingAndAdjacentRanges) {
  auto r = parse_instance_range_list("9, 3-5, 0, 4-6, 7, 1, 20-21, 21");
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::vector<InstanceRange> want{{0, 1}, {3, 7}, {9, 9}, {20, 21}};
  EXPECT_EQ(*r, want);
  EXPECT_EQ(expand_instance_ranges(*r), (std::vector<int32_t>{0, 1, 3, 4, 5, 6, 7, 9, 20, 21}));
  auto top = parse_instance_range_list("999998-999999,999999");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(*top, (std::vector<InstanceRange>{{999'998, 999'999}}));
  EXPECT_FALSE(parse_instance_range_list("5-4").ok());
}

}  // namespace
}  // namespace borealis
