#include "common/task_id.h"

#include <gtest/gtest.h>

#include <limits>

namespace borealis {
namespace {

const std::string kUuid = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";

TEST(TaskIdTest, JoinsKeyInstanceAndUuid) {
  EXPECT_EQ(make_task_id(JobKey{"www-data", "prod", "hello"}, 3, kUuid),
            "www-data-prod-hello-3-" + kUuid);
}

TEST(TaskIdTest, TheLongestAllowedKeyMakesIdsOfAtMost255Bytes) {
  JobKey key{std::string(kMaxJobKeyPartsBytes - 4 - 5, 'r'), "prod", "hello"};
  ASSERT_TRUE(check_task_ids_fit(key).ok());
  EXPECT_EQ(make_task_id(key, std::numeric_limits<int32_t>::max(), kUuid).size(), kMaxTaskIdBytes);
}

TEST(TaskIdTest, RefusesAKeyOneByteLongerNamingTheLimit) {
  JobKey key{std::string(kMaxJobKeyPartsBytes - 4 - 5 + 1, 'r'), "prod", "hello"};
  Status st = check_task_ids_fit(key);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("the limit is 205"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace borealis
