#include "common/strings.h"

#include <gtest/gtest.h>

namespace borealis {
namespace {

TEST(StringsTest, SplitKeepsEmptyParts) {
  EXPECT_EQ(split("a//b", '/'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
}

TEST(StringsTest, ParsesIntegersStrictly) {
  EXPECT_EQ(parse_int64("42"), 42);
  EXPECT_EQ(parse_int64("-7"), -7);
  EXPECT_FALSE(parse_int64("4x").has_value());
  EXPECT_FALSE(parse_int64("").has_value());
  EXPECT_FALSE(parse_int64("99999999999999999999").has_value());
}


TEST(StringsTest, FormatsBytes) {
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(int64_t{3} << 30), "3.0 GiB");
}

}  // namespace
}  // namespace borealis
