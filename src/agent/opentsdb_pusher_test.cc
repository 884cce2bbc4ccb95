// OpenTsdbPusher against a fake OpenTSDB (a real HTTP server on loopback answering
// POST /api/put): the exact bodies, batches, pushing on after failures, prompt stop.
#include "agent/opentsdb_pusher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>

#include "agent/fake_opentsdb.h"
#include "agent/test_util.h"

namespace borealis::agent {
namespace {

std::vector<metrics::OpenTsdbPoint> three_points() {
  std::map<std::string, std::string> tags{{"role", "www-data"},
                                          {"environment", "prod"},
                                          {"job", "hello"},
                                          {"instance", "0"},
                                          {"host", "agent 1"}};
  return {{"borealis.task.cpu_seconds", 1700000000, 1.5, tags},
          {"borealis.task.memory_bytes", 1700000000, 1048576, tags},
          {"borealis.task.disk_bytes", 1700000000, 4096, tags}};
}

OpenTsdbOptions fast(const std::string& url) {
  return {.url = url, .interval_ms = 20, .max_points_per_request = 2, .request_timeout_ms = 2000};
}

TEST(OpenTsdbPusherTest, PostsEachRoundsPointsInBatchesAsOpenTsdbReadsThem) {
  testing::FakeOpenTsdb tsdb;
  auto pusher = OpenTsdbPusher::start(fast(tsdb.url()), three_points);
  ASSERT_TRUE(pusher.ok()) << pusher.status().to_string();
  ASSERT_TRUE(testing::wait_for([&] { return tsdb.bodies().size() >= 4; }));
  pusher->reset();
  constexpr const char* kTags =
      R"("tags":{"environment":"prod","host":"agent_1","instance":"0","job":"hello","role":"www-data"})";
  std::vector<std::string> bodies = tsdb.bodies();
  EXPECT_EQ(
      bodies[0],
      std::string(
          R"([{"metric":"borealis.task.cpu_seconds","timestamp":1700000000,"value":1.5E0,)") +
          kTags +
          R"(},{"metric":"borealis.task.memory_bytes","timestamp":1700000000,"value":1048576,)" +
          kTags + "}]");
  EXPECT_EQ(
      bodies[1],
      std::string(R"([{"metric":"borealis.task.disk_bytes","timestamp":1700000000,"value":4096,)") +
          kTags + "}]");
  EXPECT_EQ(bodies[2], bodies[0]) << "the next round";
}

TEST(OpenTsdbPusherTest, FailedRoundsAreDroppedAndPushingGoesOn) {
  testing::FakeOpenTsdb tsdb;
  tsdb.set_failing(true);
  auto pusher = OpenTsdbPusher::start(fast(tsdb.url()), three_points);
  ASSERT_TRUE(pusher.ok());
  // A round stops at its first failed batch: only first batches arrive while it fails.
  ASSERT_TRUE(testing::wait_for([&] { return tsdb.bodies().size() >= 3; }));
  for (const std::string& b : tsdb.bodies())
    EXPECT_NE(b.find("borealis.task.cpu_seconds"), std::string::npos) << b;
  tsdb.set_failing(false);
  ASSERT_TRUE(testing::wait_for([&] {
    for (const std::string& b : tsdb.bodies())
      if (b.find("borealis.task.disk_bytes") != std::string::npos) return true;
    return false;
  }));
}

TEST(OpenTsdbPusherTest, AnUnreachableOpenTsdbDoesNotStopThePusher) {
  int collected = 0;
  std::mutex mu;
  auto pusher = OpenTsdbPusher::start(fast("http://127.0.0.1:1"), [&] {
    std::lock_guard lock(mu);
    ++collected;
    return three_points();
  });
  ASSERT_TRUE(pusher.ok());
  EXPECT_TRUE(testing::wait_for([&] {
    std::lock_guard lock(mu);
    return collected >= 3;
  }));
}

TEST(OpenTsdbPusherTest, StopsAtOnceBetweenRounds) {
  testing::FakeOpenTsdb tsdb;
  OpenTsdbOptions o = fast(tsdb.url());
  o.interval_ms = 3'600'000;
  auto pusher = OpenTsdbPusher::start(o, three_points);
  ASSERT_TRUE(pusher.ok());
  auto begin = std::chrono::steady_clock::now();
  pusher->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(1));
  EXPECT_TRUE(tsdb.bodies().empty());
}

TEST(OpenTsdbPusherTest, AUrlThatIsNotHttpIsRefused) {
  auto pusher = OpenTsdbPusher::start(fast("tsdb:4242"), three_points);
  ASSERT_FALSE(pusher.ok());
  EXPECT_NE(pusher.status().to_string().find("--opentsdb-url"), std::string::npos)
      << pusher.status().to_string();
}

}  // namespace
}  // namespace borealis::agent
