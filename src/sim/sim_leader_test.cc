// HA mode's pieces (docs/simulator.md#ha-mode): the agents' leader following, the API
// client's leader finding against scripted schedulers, and the double-active check.
#include <gtest/gtest.h>

#include <atomic>

#include "net/running_server.h"
#include "sim/cluster_client.h"
#include "sim/double_active.h"
#include "sim/leader_follower.h"

namespace borealis::sim {
namespace {

using std::chrono::milliseconds;

TEST(SimLocation, NamesTheSchedulerOfARedirect) {
  auto ep = location_endpoint("http://127.0.0.1:9302/agent/v1/poll?x=1");
  ASSERT_TRUE(ep.ok()) << ep.status().message();
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, "9302");
  EXPECT_FALSE(location_endpoint("/agent/v1/poll").ok());
  EXPECT_FALSE(location_endpoint("http://127.0.0.1:9302").ok());  // no path: not a redirect
  EXPECT_FALSE(location_endpoint("https://127.0.0.1:9302/x").ok());
  EXPECT_FALSE(location_endpoint("http://127.0.0.1/x").ok());
  EXPECT_FALSE(location_endpoint("http://127.0.0.1:1/" + std::string(4096, 'a')).ok());
}

Endpoint ep(const std::string& port) { return Endpoint{"127.0.0.1", port}; }

TEST(SimLeaderFollower, FollowsARedirectAndOtherwiseTriesTheNextScheduler) {
  LeaderFollower f({ep("1"), ep("2"), ep("3")}, 1);
  EXPECT_TRUE(f.follows_leader());
  EXPECT_EQ(f.current().port, "2");
  EXPECT_FALSE(f.next());
  EXPECT_EQ(f.current().port, "3");
  EXPECT_FALSE(f.next());
  EXPECT_EQ(f.current().port, "1");
  EXPECT_TRUE(f.next());  // all three failed: a new pass, after a wait
  EXPECT_EQ(f.current().port, "2");
  EXPECT_FALSE(f.next());
  EXPECT_EQ(f.current().port, "3");
  // A standby names the leader: followed, even one not in the list.
  EXPECT_TRUE(f.follow("http://127.0.0.1:7/agent/v1/register"));
  EXPECT_EQ(f.current().port, "7");
  // Already there, or unreadable: not followed, the caller moves on with next().
  EXPECT_FALSE(f.follow("http://127.0.0.1:7/agent/v1/register"));
  EXPECT_FALSE(f.follow("garbage"));
  EXPECT_EQ(f.current().port, "7");
  EXPECT_FALSE(f.next());  // the list goes on where it was
  EXPECT_EQ(f.current().port, "1");
}

TEST(SimLeaderFollower, OneSchedulerIsNotFollowed) {
  LeaderFollower f({ep("1")}, 0);
  EXPECT_FALSE(f.follows_leader());
  EXPECT_TRUE(f.next());
  EXPECT_EQ(f.current().port, "1");
}

TEST(SimDoubleActive, InstancesAreTaskIdsWithoutTheirUuid) {
  EXPECT_EQ(instance_of("www-data-devel-sim-000001-7-1b4e28ba-2fa1-41d2-883f-0016d3cca427"),
            "www-data-devel-sim-000001-7");
  EXPECT_EQ(instance_of("a-b-c"), "a-b-c");
  auto twice = instances_active_twice({"r-e-j-0-1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                                       "r-e-j-1-1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                                       "r-e-j-1-6fa459ea-ee8a-3ca4-894e-db77e160355e",
                                       "r-e-j-10-6fa459ea-ee8a-3ca4-894e-db77e160355e"});
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_EQ(twice[0], "r-e-j-1");
  EXPECT_TRUE(instances_active_twice({}).empty());
}

// A scheduler whose role the test sets: leader (serves the API), standby (307 to `leader_url`)
// or standby during an election (503 NO_LEADER), as src/scheduler/server/leadership_endpoints.cc.
struct ScriptedScheduler {
  enum Role { kLeader, kStandby, kElecting };
  std::atomic<int> role{kStandby};
  std::string leader_url;  // set before the first request
  std::atomic<int> api_requests{0};
  net::testing::RunningServer server{net::HttpServerOptions{}};

  explicit ScriptedScheduler(const std::string& cluster) {
    server.server().route("GET", "/leaderhealth",
                          [this](const net::HttpRequest&, net::Responder r) {
                            int status = role == kLeader ? 200 : role == kStandby ? 503 : 502;
                            r(net::HttpResponse::text(status, "role\n"));
                          });
    server.server().route(
        "GET", "/api/v1/cluster", [this, cluster](const net::HttpRequest& req, net::Responder r) {
          ++api_requests;
          if (role == kLeader)
            return r(net::HttpResponse::json(200, R"({"cluster":")" + cluster + R"("})"));
          if (role == kElecting) return r(net::HttpResponse::error(503, "NO_LEADER", "election"));
          auto moved = net::HttpResponse::text(307, "the leader\n");
          moved.headers["Location"] = leader_url + req.path;
          r(std::move(moved));
        });
  }
};

TEST(SimClusterClient, FindsTheLeaderAndFollowsItWhenItMoves) {
  ScriptedScheduler a("a"), b("b");
  ASSERT_TRUE(a.server.start().ok());
  ASSERT_TRUE(b.server.start().ok());
  a.leader_url = b.server.url();
  b.leader_url = a.server.url();
  b.role = ScriptedScheduler::kLeader;
  auto client = ClusterClient::create({a.server.url(), b.server.url()}, "");
  ASSERT_TRUE(client.ok()) << client.status().message();
  ASSERT_TRUE((*client)->wait_healthy(milliseconds(5000)).ok());
  EXPECT_EQ((*client)->current(), 1u);
  EXPECT_EQ(*(*client)->cluster_name(), "b");

  // b steps down and points at a: its 307 is followed.
  a.role = ScriptedScheduler::kLeader;
  b.role = ScriptedScheduler::kStandby;
  EXPECT_EQ(*(*client)->cluster_name(), "a");
  EXPECT_EQ((*client)->current(), 0u);

  // a is in an election (503 NO_LEADER) while b leads again: found by /leaderhealth.
  a.role = ScriptedScheduler::kElecting;
  b.role = ScriptedScheduler::kLeader;
  EXPECT_EQ(*(*client)->cluster_name(), "b");
  EXPECT_EQ((*client)->current(), 1u);
}

TEST(SimClusterClient, NamesEverySchedulerWhenNoneLeads) {
  ScriptedScheduler a("a");
  ASSERT_TRUE(a.server.start().ok());
  auto client = ClusterClient::create({a.server.url(), "http://127.0.0.1:1"}, "");
  ASSERT_TRUE(client.ok());
  auto found = (*client)->find_leader(milliseconds(100));
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find(a.server.url() + ": HTTP 503"), std::string::npos)
      << found.status().message();
  EXPECT_NE(found.status().message().find("http://127.0.0.1:1"), std::string::npos);
}

TEST(SimClusterClient, OneSchedulerIsAskedAsIs) {
  ScriptedScheduler a("a");  // a standby: its 307 is an answer like any other
  ASSERT_TRUE(a.server.start().ok());
  a.leader_url = "http://127.0.0.1:1";
  auto client = ClusterClient::create({a.server.url()}, "");
  ASSERT_TRUE(client.ok());
  auto name = (*client)->cluster_name();
  ASSERT_FALSE(name.ok());
  EXPECT_NE(name.status().message().find("HTTP 307"), std::string::npos);
  EXPECT_EQ(a.api_requests, 1);
}

}  // namespace
}  // namespace borealis::sim
