#include "agent/scheduler_address.h"

#include <gtest/gtest.h>

#include <stop_token>
#include <thread>

namespace borealis::agent {
namespace {

using std::chrono::milliseconds;

TEST(SchedulerAddressTest, AFixedSchedulerStaysPut) {
  SchedulerAddress a("http://s:8081");
  EXPECT_FALSE(a.follows_leader());
  EXPECT_EQ(a.url(), "http://s:8081");
  EXPECT_EQ(*a.relocate("poll failed"), "http://s:8081");
}

TEST(SchedulerAddressTest, FollowsTheLeaderAtMostOncePerInterval) {
  int lookups = 0;
  std::string leader = "http://a:8081";
  SchedulerAddress a(
      [&]() -> Result<std::string> {
        ++lookups;
        if (leader.empty()) return not_found("no scheduler has announced itself there");
        return leader;
      },
      milliseconds(50));
  EXPECT_TRUE(a.follows_leader());
  EXPECT_EQ(a.url(), "");  // not looked up yet
  EXPECT_EQ(*a.relocate("no leader known yet"), "http://a:8081");
  leader = "http://b:8081";
  EXPECT_EQ(*a.relocate("poll failed"), "http://a:8081");  // within the interval
  EXPECT_EQ(lookups, 1);
  std::this_thread::sleep_for(milliseconds(60));
  EXPECT_EQ(*a.relocate("poll failed"), "http://b:8081");
  EXPECT_EQ(a.url(), "http://b:8081");
  leader = "";
  std::this_thread::sleep_for(milliseconds(60));
  auto none = a.relocate("register refused");
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a.url(), "");
  EXPECT_EQ(a.relocate("again").status().code(), StatusCode::kNotFound);  // the last error
  EXPECT_EQ(lookups, 3);
}

TEST(SchedulerAddressTest, AWatchedLeaderIsUsedWithoutLookingItUp) {
  int lookups = 0;
  SchedulerAddress a(
      [&]() -> Result<std::string> {
        ++lookups;
        return unavailable("not connected to ZooKeeper");
      },
      milliseconds(0));
  int moves = 0;
  a.add_listener([&] { ++moves; });
  a.watched(std::string("http://a:8081"));
  EXPECT_EQ(a.url(), "http://a:8081");
  EXPECT_EQ(*a.relocate("poll failed"), "http://a:8081");
  a.watched(not_found("no scheduler has announced itself there"));
  EXPECT_EQ(a.relocate("poll failed").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(lookups, 0);  // the watch's answers are known: ZooKeeper is not read
  EXPECT_EQ(moves, 2);

  // The watch could not read: the last URL stays, and relocate() reads itself.
  a.watched(std::string("http://b:8081"));
  a.watched(unavailable("connection loss"));
  EXPECT_EQ(a.url(), "http://b:8081");
  EXPECT_EQ(a.relocate("poll failed").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(lookups, 1);
  EXPECT_EQ(moves, 4);
}

TEST(SchedulerAddressTest, AWaitEndsWhenTheLeaderMoves) {
  SchedulerAddress a([]() -> Result<std::string> { return std::string("http://a:8081"); },
                     milliseconds(0));
  a.watched(std::string("http://a:8081"));
  std::stop_source stop;
  std::thread mover([&] {
    std::this_thread::sleep_for(milliseconds(50));
    a.watched(std::string("http://b:8081"));
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(a.wait_for_move(stop.get_token(), milliseconds(10'000), "http://a:8081"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  mover.join();
  // Not moved: the whole wait; stopped: false.
  EXPECT_TRUE(a.wait_for_move(stop.get_token(), milliseconds(20), "http://b:8081"));
  stop.request_stop();
  EXPECT_FALSE(a.wait_for_move(stop.get_token(), milliseconds(10'000), "http://b:8081"));
}

}  // namespace
}  // namespace borealis::agent
