#include "scheduler/core/shared_text.h"

#include <gtest/gtest.h>

#include <vector>

namespace borealis::scheduler {
namespace {

TEST(SharedTextTest, CopiesShareOneStringThatOutlivesTheOriginal) {
  std::vector<SharedText> copies;
  {
    SharedText t(std::string(100, 'x'));
    for (int i = 0; i < 3; ++i) copies.push_back(t);
    EXPECT_EQ(&copies[0].str(), &t.str());  // one string, not four
  }
  copies.erase(copies.begin());
  SharedText moved = std::move(copies[0]);
  EXPECT_EQ(moved.str(), std::string(100, 'x'));
  EXPECT_EQ(copies[1].str(), std::string(100, 'x'));
  copies[1] = SharedText("other");
  EXPECT_EQ(copies[1].str(), "other");
  EXPECT_EQ(moved.str(), std::string(100, 'x'));  // ASan reports a leak or a double free
}

TEST(SharedTextTest, EmptyIsNothing) {
  EXPECT_EQ(sizeof(SharedText), sizeof(void*));
  EXPECT_EQ(SharedText("").str(), "");
  EXPECT_EQ(&SharedText().str(), &SharedText("").str());
}

}  // namespace
}  // namespace borealis::scheduler
