#include "api/task_usage_history.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::api {
namespace {

using testing::expect_round_trip;

TEST(TaskUsageHistoryTest, RoundTrips) {
  expect_round_trip(TaskUsageHistory{"t1", {}});
  expect_round_trip(
      TaskUsageHistory{"t1", {{1000, 0.25, 1 << 20, -1}, {11000, 1.5, 2 << 20, 4096}}});
  json::object o = encode(TaskUsageHistory{"t1", {{1000, 0.25, 1 << 20, -1}}});
  EXPECT_FALSE(o.at("samples").as_array().at(0).as_object().contains("disk_bytes"));
}

TEST(TaskUsageHistoryTest, RefusesUnknownFieldsAndTooManySamples) {
  auto extra = decode<TaskUsageHistory>(json::value(json::object{
      {"task_id", "t1"},
      {"samples", json::array{json::object{
                      {"sampled_ms", 1}, {"cpu_rate", 0.5}, {"memory_bytes", 1}, {"gpu", 1}}}}}));
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.status().message().find("gpu"), std::string::npos) << extra.status().message();
  TaskUsageHistory big{"t1", std::vector<TaskUsageSample>(kTaskUsageHistorySamples + 1)};
  auto refused = decode<TaskUsageHistory>(json::value(encode(big)));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("at most 90"), std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace borealis::api
