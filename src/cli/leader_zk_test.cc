// The leader announcement end to end, against a real ZooKeeper: an in-process scheduler
// started with --zk is elected and appears as a ServerSet member with its endpoint, steps
// down when its session expires and goes when it stops; the CLI, given only zk +
// scheduler_zk_path, finds it there.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>

#include "api/serverset.h"
#include "cli/test_util.h"
#include "common/json.h"
#include "scheduler/server/scheduler_service.h"
#include "testing/cluster.h"
#include "testing/wait_until.h"
#include "zk/session.h"
#include "zk/testing/zookeeper_server.h"

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using zk::testing::ZookeeperServer;

// This binary's ports: 30950-30969 (ZooKeeper on the first).
constexpr uint16_t kZookeeperPort = 30950;
constexpr const char* kPath = "/borealis/zkc/scheduler";

ZookeeperServer& zookeeper() {
  static std::unique_ptr<ZookeeperServer> server = [] {
    zk::testing::ZookeeperServerOptions o;
    o.port = kZookeeperPort;
    auto started = ZookeeperServer::start(o);
    if (!started.ok()) {
      ADD_FAILURE() << started.status().to_string();
      std::abort();
    }
    return std::move(started).value();
  }();
  return *server;
}

// A plain reader of the ServerSet: what a router or kazoo sees.
class Observer {
 public:
  Observer() {
    zk::SessionOptions o;
    o.servers = zk::parse_connect_string(zookeeper().connect_string()).value();
    session_ = zk::Session::start(
                   o, [](std::function<void()> task) { task(); }, [](const zk::SessionState&) {})
                   .value();
    EXPECT_TRUE(session_->wait_connected(std::chrono::seconds(10)).ok());
  }
  // member_ children of kPath (none when the node does not exist).
  std::vector<std::string> members() {
    auto names = session_->children(kPath);
    return names.ok() ? *names : std::vector<std::string>{};
  }
  zk::NodeData node(const std::string& name) {
    auto d = session_->get(std::string(kPath) + "/" + name);
    EXPECT_TRUE(d.ok()) << d.status().to_string();
    return d.ok() ? *d : zk::NodeData{};
  }

 private:
  std::unique_ptr<zk::Session> session_;
};

class LeaderZkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    borealis::testing::ClusterOptions o;
    o.name = "zkc";
    o.agents.clear();
    o.scheduler.zk = zookeeper().connect_string();
    o.scheduler_leadership_lost = [this](const std::string& why) {
      std::lock_guard lock(lost_mu_);
      lost_ = why;
    };
    auto c = borealis::testing::Cluster::start(std::move(o));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    cluster_ = std::move(c).value();
    port_ = cluster_->scheduler()->port();
    ASSERT_TRUE(elected()) << "the one scheduler was not elected";
  }

  // The scheduler won the election and announced itself.
  bool elected() {
    return borealis::testing::wait_until([&] {
      const scheduler::SchedulerService* s = cluster_->scheduler();
      return s->leading() && s->leader_announcer() != nullptr;
    });
  }

  std::string lost() {
    std::lock_guard lock(lost_mu_);
    return lost_;
  }

  // The one member, once it is there.
  std::string the_member() {
    std::vector<std::string> names;
    EXPECT_TRUE(borealis::testing::wait_until([&] {
      names = observer_.members();
      return names.size() == 1;
    })) << names.size()
        << " members";
    return names.size() == 1 ? names[0] : "";
  }

  const scheduler::LeaderAnnouncer& announcer() {
    return *cluster_->scheduler()->leader_announcer();
  }

  Observer observer_;
  std::unique_ptr<borealis::testing::Cluster> cluster_;
  uint16_t port_ = 0;
  std::mutex lost_mu_;
  std::string lost_;  // why the scheduler lost its leadership, guarded by lost_mu_
};

TEST_F(LeaderZkTest, TheSchedulerIsAMemberWithItsEndpointAndGoesWhenItStops) {
  const std::string name = the_member();
  ASSERT_THAT(name, StartsWith("member_"));
  // The node is visible to others a moment before the announcer has the create's answer.
  borealis::testing::wait_until([&] { return !announcer().member_path().empty(); });
  EXPECT_EQ(std::string(kPath) + "/" + name, announcer().member_path());
  zk::NodeData node = observer_.node(name);
  EXPECT_EQ(node.stat.ephemeral_owner, announcer().session_credentials().first);
  auto member = api::decode_body<api::ServersetMember>(node.data);
  ASSERT_TRUE(member.ok()) << member.status().to_string() << ": " << node.data;
  api::ServersetMember want;
  want.service_endpoint = {"127.0.0.1", port_};
  want.additional_endpoints = {{"http", {"127.0.0.1", port_}}};
  want.shard = 0;
  EXPECT_EQ(*member, want);

  // Withdrawn before stop returns: no waiting for a session timeout.
  cluster_->stop_scheduler();
  EXPECT_THAT(observer_.members(), ::testing::IsEmpty());

  ASSERT_TRUE(cluster_->start_scheduler().ok());
  EXPECT_NE(the_member(), name);
}

// A leader whose election session expires stops leading and withdraws (the daemon then
// re-executes itself; here the test records it).
TEST_F(LeaderZkTest, TheLeaderStepsDownWhenItsSessionExpires) {
  the_member();
  const scheduler::LeaderElection* election = cluster_->scheduler()->election();
  ASSERT_NE(election, nullptr);
  const int64_t first_session = election->session_credentials().first;
  // The election may reconnect before the join closes the session, taking it back: repeat.
  bool expired = false;
  for (int attempt = 0; attempt < 10 && !expired; ++attempt) {
    auto [id, password] = election->session_credentials();
    // A join that fails finds the session already closed by the previous attempt, whose
    // expiry the loaded machine has not delivered yet: keep waiting for it.
    zk::testing::join_and_close_session(zookeeper().connect_string(), id, password);
    expired =
        borealis::testing::wait_until([&] { return !lost().empty(); }, std::chrono::seconds(5));
  }
  ASSERT_TRUE(expired) << "the leader's session did not expire after 10 attempts";
  EXPECT_THAT(lost(), HasSubstr("ZooKeeper session expired"));
  EXPECT_NE(first_session, 0);
  EXPECT_FALSE(cluster_->scheduler()->leading());
  EXPECT_TRUE(election->lease().lost());
  EXPECT_TRUE(borealis::testing::wait_until([&] { return observer_.members().empty(); }))
      << "the deposed leader is still announced";
  // A deposed leader sends callers elsewhere: no leader is announced now.
  EXPECT_FALSE(cluster_->api("GET", "/api/v1/jobs").ok());
}

TEST_F(LeaderZkTest, TheCliFindsTheSchedulerThroughZooKeeper) {
  the_member();
  ASSERT_TRUE(cluster_
                  ->create_job(json::object{
                      {"name", "hello"},
                      {"role", "www-data"},
                      {"environment", "prod"},
                      {"cluster", "zkc"},
                      {"instances", 1},
                      {"service", true},
                      {"task",
                       {{"processes", json::array{json::object{{"name", "main"},
                                                               {"cmdline", "exec sleep 600"}}}},
                        {"resources", {{"cpu", 0.5}, {"ram", 67108864}, {"disk", 67108864}}}}}})
                  .ok());
  // Aurora's layout: the host in "zk", its port in "zk_port".
  const std::string clusters = cluster_->dir() + "/zk-clusters.json";
  std::ofstream(clusters) << R"([{"name": "zkc", "zk": "127.0.0.1", "zk_port": )" << kZookeeperPort
                          << R"(, "scheduler_zk_path": ")" << kPath << R"("}])";
  CliEnv env;
  env.cluster_files = {clusters};
  env.tokens.env_token.reset();

  testing::CliRun list = testing::run_captured({"job", "list", "zkc"}, env);
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("zkc/www-data/prod/hello"));
  testing::CliRun status =
      testing::run_captured({"job", "status", "zkc/www-data/prod/hello", "-o", "json"}, env);
  EXPECT_EQ(status.code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("PENDING"));

  // No scheduler announced: the CLI says so, naming where it looked.
  cluster_->stop_scheduler();
  testing::CliRun none = testing::run_captured({"job", "list", "zkc"}, env);
  EXPECT_NE(none.code, 0);
  EXPECT_THAT(none.err,
              HasSubstr("finding the scheduler in ZooKeeper 127.0.0.1:30950 at " +
                        std::string(kPath) + ": no scheduler has announced itself there"));
}

// A ZooKeeper that is down does not keep the scheduler from serving; the member appears
// once ZooKeeper comes.
TEST(LeaderZkDownTest, TheSchedulerServesAndAnnouncesWhenZooKeeperComes) {
  constexpr uint16_t kLatePort = kZookeeperPort + 1;
  borealis::testing::ClusterOptions o;
  o.name = "late";
  o.agents.clear();
  o.scheduler.zk = "127.0.0.1:" + std::to_string(kLatePort);
  auto cluster = borealis::testing::Cluster::start(std::move(o));
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  // Serving, as a standby that knows no leader: it cannot be elected without ZooKeeper.
  const scheduler::SchedulerService* scheduler = (*cluster)->scheduler();
  EXPECT_FALSE(scheduler->leading());
  EXPECT_EQ(scheduler->leader_announcer(), nullptr);
  auto standby = (*cluster)->api("GET", "/api/v1/jobs");
  ASSERT_FALSE(standby.ok());
  EXPECT_THAT(standby.status().message(), HasSubstr("no leader is announced"));

  zk::testing::ZookeeperServerOptions zo;
  zo.port = kLatePort;
  auto late = ZookeeperServer::start(zo);
  ASSERT_TRUE(late.ok()) << late.status().to_string();
  EXPECT_TRUE(borealis::testing::wait_until(
      [&] {
        const scheduler::LeaderAnnouncer* announcer = scheduler->leader_announcer();
        return announcer && !announcer->member_path().empty();
      },
      std::chrono::seconds(20)))
      << "not elected and announced after ZooKeeper came";
  EXPECT_THAT(scheduler->leader_announcer()->member_path(),
              StartsWith("/borealis/late/scheduler/member_"));
  EXPECT_TRUE((*cluster)->api("GET", "/api/v1/jobs").ok());
  cluster->reset();  // withdraws while this ZooKeeper still runs
}

}  // namespace
}  // namespace borealis::cli
