#include "agent/scheduler_address.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace borealis::agent
