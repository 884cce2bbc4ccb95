#include "common/status.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace borealis {
namespace {

Result<int> half(int x) {
  if (x % 2) return invalid_argument("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> quarter(int x) {
  BOREALIS_ASSIGN_OR_RETURN(int h, half(x));
  return half(h);
}

TEST(StatusTest, OkAndError) {
  EXPECT_TRUE(Status().ok());
  Status st = not_found("job 'a' does not exist");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.to_string(), "NOT_FOUND: job 'a' does not exist");
}

TEST(StatusTest, WithContextPrefixesMessage) {
  Status st = invalid_argument("line 3: unknown key").with_context("loading 'x.yaml'");
  EXPECT_EQ(st.message(), "loading 'x.yaml': line 3: unknown key");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Status().with_context("ignored").ok());
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(quarter(8).value(), 2);
  Result<int> r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd: 3");
  EXPECT_EQ(quarter(5).value_or(-1), -1);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> r = invalid_argument("nope");
  EXPECT_DEATH((void)r.value(), "nope");
}

}  // namespace
}  // namespace borealis
