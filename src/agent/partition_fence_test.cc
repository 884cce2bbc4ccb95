// PartitionFence: the agent stops its tasks once the scheduler has been silent for longer
// than --partition-stop-after, once per silence, on the monotonic clock.
#include "agent/partition_fence.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace borealis::agent {
namespace {

class PartitionFenceTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  FakeMonoClock clock_;
  std::vector<std::string> stops_;
  PartitionFence fence_{io_, 20'000, clock_,
                        [this](const std::string& reason) { stops_.push_back(reason); }};
};

TEST_F(PartitionFenceTest, StopsTheTasksOnlyAfterTheBound) {
  fence_.start();
  clock_.advance_ms(20'000);
  fence_.check();
  EXPECT_TRUE(stops_.empty());
  clock_.advance_ms(1);
  fence_.check();
  ASSERT_EQ(stops_.size(), 1u);
  EXPECT_EQ(stops_[0],
            "the agent could not reach the scheduler for 20 s (--partition-stop-after 20)");
  EXPECT_TRUE(fence_.fenced());
}

TEST_F(PartitionFenceTest, EveryAnswerStartsTheSilenceAgain) {
  fence_.start();
  for (int i = 0; i < 10; ++i) {
    clock_.advance_ms(15'000);
    fence_.contact();
    fence_.check();
  }
  EXPECT_TRUE(stops_.empty());
}

TEST_F(PartitionFenceTest, FencesOncePerSilenceAndAgainAfterANewOne) {
  fence_.start();
  clock_.advance_ms(25'000);
  fence_.check();
  clock_.advance_ms(60'000);
  fence_.check();
  EXPECT_EQ(stops_.size(), 1u);  // tasks launched later come from an answering scheduler
  fence_.contact();
  fence_.check();
  EXPECT_FALSE(fence_.fenced());
  clock_.advance_ms(30'000);
  fence_.check();
  ASSERT_EQ(stops_.size(), 2u);
  EXPECT_NE(stops_[1].find("for 30 s"), std::string::npos) << stops_[1];
}

TEST_F(PartitionFenceTest, TheTimerChecksWithoutBeingAsked) {
  FakeMonoClock clock;
  int stops = 0;
  PartitionFence fence(io_, 1'000, clock, [&](const std::string&) { ++stops; });
  fence.start();
  clock.advance_ms(1'001);
  // The timer checks every 100 ms (a tenth of the bound) of real time.
  io_.run_for(std::chrono::milliseconds(500));
  EXPECT_EQ(stops, 1);
  fence.stop();
}

}  // namespace
}  // namespace borealis::agent
