#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace borealis {
namespace {

TEST(UuidTest, WellFormedAndDistinct) {
  UuidGenerator gen(42);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = gen.next();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[8], '-');
    EXPECT_EQ(u[14], '4');  // version
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b') << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidTest, SeededIsDeterministic) {
  UuidGenerator a(7), b(7);
  EXPECT_EQ(a.next(), b.next());
}

}  // namespace
}  // namespace borealis
