#include "api/task_usage.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"
#include "api/jobs.h"

namespace borealis::api {
namespace {

using testing::expect_round_trip;

TEST(TaskUsageTest, RoundTripsAndOmitsWhatIsUnknown) {
  TaskUsage u{1000, 2.5, 0.25, 64 << 20, 80 << 20, 3 << 20, 900};
  expect_round_trip(u);
  TaskUsage fresh;
  json::object o = encode(fresh);
  EXPECT_FALSE(o.contains("memory_peak_bytes"));
  EXPECT_FALSE(o.contains("disk_bytes"));
  expect_round_trip(fresh);
}

TEST(TaskUsageTest, ATaskCarriesItsUsageOnlyWhenKnown) {
  TaskInfo t;
  t.task_id = "t";
  t.status = "RUNNING";
  EXPECT_FALSE(encode(t).contains("usage"));
  expect_round_trip(t);
  t.usage = TaskUsage{5, 1.0, 0.5, 1 << 20, -1, -1, 0};
  EXPECT_DOUBLE_EQ(encode(t).at("usage").at("cpu_rate").as_double(), 0.5);
  expect_round_trip(t);
}

TEST(TaskUsageTest, RefusesAWrongType) {
  auto bad = decode<TaskUsage>(json::value(json::object{{"cpu_seconds", "lots"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("cpu_seconds"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace borealis::api
