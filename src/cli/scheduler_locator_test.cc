#include "cli/scheduler_locator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPath = "/borealis/prod/scheduler";

// A ServerSet in memory: node path -> data; children are the nodes one level below.
class FakeServerset : public ServersetReader {
 public:
  Result<std::vector<std::string>> children(const std::string& path) override {
    if (fail_children_) return *fail_children_;
    if (!exists_) return not_found("zookeeper children '" + path + "': no node (-101)");
    std::vector<std::string> names;
    for (const auto& [node, _] : nodes_)
      if (node.rfind(path + "/", 0) == 0) names.push_back(node.substr(path.size() + 1));
    return names;
  }
  Result<std::string> data(const std::string& path) override {
    reads_.push_back(path);
    auto it = nodes_.find(path);
    if (it == nodes_.end()) return not_found("zookeeper get '" + path + "': no node (-101)");
    return it->second;
  }
  void add(const std::string& name, const std::string& data) {
    nodes_[std::string(kPath) + "/" + name] = data;
  }

  bool exists_ = true;
  std::optional<Status> fail_children_;
  std::map<std::string, std::string> nodes_;
  std::vector<std::string> reads_;
};

std::string member_json(const std::string& host, int port, const std::string& scheme = "http",
                        const std::string& status = "ALIVE") {
  return R"({"serviceEndpoint": {"host": ")" + host + R"(", "port": )" + std::to_string(port) +
         R"(}, "additionalEndpoints": {")" + scheme + R"(": {"host": ")" + host + R"(", "port": )" +
         std::to_string(port) + R"(}}, "status": ")" + status + R"(", "shard": 0})";
}

TEST(LeaderUrlTest, TheLowestSequenceAliveMemberLeads) {
  FakeServerset zk;
  zk.add("member_0000000012", member_json("b.example", 8082));
  zk.add("member_0000000003", member_json("a.example", 8081, "http", "DEAD"));
  zk.add("member_0000000009", member_json("c.example", 8083));
  zk.add("member_0000000100", member_json("d.example", 8084));
  zk.add("not_a_member", member_json("e.example", 8085));
  auto url = leader_url(zk, kPath);
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_EQ(*url, "http://c.example:8083");
  // Read in sequence order, and no further than the leader.
  EXPECT_EQ(zk.reads_, (std::vector<std::string>{std::string(kPath) + "/member_0000000003",
                                                 std::string(kPath) + "/member_0000000009"}));
}

TEST(LeaderUrlTest, AnHttpsEndpointGivesAnHttpsUrl) {
  FakeServerset zk;
  zk.add("member_0000000001", member_json("10.0.0.5", 8443, "https"));
  EXPECT_EQ(leader_url(zk, kPath).value(), "https://10.0.0.5:8443");
}

TEST(LeaderUrlTest, WithoutNamedEndpointsTheServiceEndpointIsUsed) {
  FakeServerset zk;
  zk.add("member_0000000001",
         R"({"serviceEndpoint": {"host": "h", "port": 9}, "status": "ALIVE"})");
  EXPECT_EQ(leader_url(zk, kPath).value(), "http://h:9");
}

TEST(LeaderUrlTest, NoMembersAndNoNodeAreClearErrors) {
  FakeServerset zk;
  auto empty = leader_url(zk, kPath);
  EXPECT_EQ(empty.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(empty.status().message(), "no scheduler has announced itself there");
  zk.exists_ = false;
  auto missing = leader_url(zk, kPath);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("the node does not exist"));
  zk.exists_ = true;
  zk.add("member_0000000001", member_json("a", 1, "http", "DEAD"));
  EXPECT_EQ(leader_url(zk, kPath).status().message(),
            "no ALIVE scheduler among the 1 members there");
}

TEST(LeaderUrlTest, BadJsonNamesTheNodeUnlessALaterMemberIsGood) {
  FakeServerset zk;
  zk.add("member_0000000001", "{not json");
  auto bad = leader_url(zk, kPath);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("member /borealis/prod/scheduler/member_0000000001"));
  zk.add("member_0000000002", member_json("good", 8081));
  EXPECT_EQ(leader_url(zk, kPath).value(), "http://good:8081");
}

TEST(LeaderUrlTest, AHostThatWouldChangeTheUrlIsRefused) {
  for (const std::string host : {"evil.example/path", "user@host", "a b", ""}) {
    FakeServerset zk;
    zk.add("member_0000000001", member_json(host, 8081));
    auto url = leader_url(zk, kPath);
    ASSERT_FALSE(url.ok()) << host;
    EXPECT_THAT(url.status().message(), HasSubstr("is not a host name")) << host;
  }
  FakeServerset zk;
  zk.add("member_0000000001", member_json("h", 0));
  EXPECT_THAT(leader_url(zk, kPath).status().message(), HasSubstr("port 0 is not a port"));
}

TEST(LeaderUrlTest, ReadErrorsPassThrough) {
  FakeServerset zk;
  zk.fail_children_ = unavailable("zookeeper children '/x': connection loss (-4)");
  EXPECT_EQ(leader_url(zk, kPath).status().code(), StatusCode::kUnavailable);
}

TEST(LeaderUrlTest, OnlyTheFirstMembersAreRead) {
  FakeServerset zk;
  for (size_t i = 0; i < kMaxSchedulerMembersRead + 5; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "member_%010zu", i);
    zk.add(name, member_json("h", 1, "http", "DEAD"));
  }
  EXPECT_FALSE(leader_url(zk, kPath).ok());
  EXPECT_EQ(zk.reads_.size(), kMaxSchedulerMembersRead);
}

ClusterConfig zk_cluster(const std::string& zk, int64_t port = 2181) {
  ClusterConfig c;
  c.name = "prod";
  c.zk = zk;
  c.zk_port = port;
  c.source = "clusters.json";
  return c;
}

TEST(ClusterZkTest, ServersWithoutAPortGetZkPort) {
  EXPECT_EQ(cluster_zk_servers(zk_cluster("zk1")).value().to_string(), "zk1:2181");
  EXPECT_EQ(cluster_zk_servers(zk_cluster("zk1,zk2:2200/chroot", 2182)).value().to_string(),
            "zk1:2182,zk2:2200/chroot");
  EXPECT_EQ(cluster_zk_servers(zk_cluster("h:1,h2:2")).value().to_string(), "h:1,h2:2");
  EXPECT_THAT(cluster_zk_servers(zk_cluster("zk1", 70000)).status().message(),
              HasSubstr("zk_port 70000 is not a port"));
  EXPECT_THAT(cluster_zk_servers(zk_cluster("zk 1")).status().message(), HasSubstr("zk"));
}

TEST(ClusterZkTest, TheDefaultPathIsWhereTheSchedulerAnnounces) {
  ClusterConfig c = zk_cluster("zk1");
  EXPECT_EQ(cluster_scheduler_zk_path(c), "/borealis/prod/scheduler");
  c.scheduler_zk_path = "/aurora/scheduler";
  EXPECT_EQ(cluster_scheduler_zk_path(c), "/aurora/scheduler");
}

TEST(ClusterZkTest, AUriWinsAndNeitherIsAnError) {
  ClusterConfig c = zk_cluster("zk1");
  c.scheduler_uri = "http://s:1";
  EXPECT_EQ(with_scheduler_uri(c, std::chrono::milliseconds(1)).value().scheduler_uri,
            "http://s:1");
  ClusterConfig neither = zk_cluster("");
  EXPECT_EQ(with_scheduler_uri(neither, std::chrono::milliseconds(1)).status().message(),
            "cluster 'prod' (from clusters.json) has neither scheduler_uri nor zk: give one of "
            "them");
}

}  // namespace
}  // namespace borealis::cli
