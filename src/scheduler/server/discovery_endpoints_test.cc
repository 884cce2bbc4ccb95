// GET /api/v1/discovery/ROLE/ENV/JOB over real HTTP, with a scripted agent: which instances
// are members, their endpoints (aliases included), ?endpoint=, ETag and the 404s.
#include <gtest/gtest.h>

#include "api/discovery.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/service_test_fixture.h"

namespace borealis::scheduler {
namespace {

// Six instances of two ports each on an agent with ten: five are placed, one stays PENDING.
constexpr const char* kAnnounced = R"({"role": "www-data", "environment": "prod",
  "cluster": "test", "name": "web", "instances": 6, "service": true,
  "announce": {"primary_port": "http", "portmap": {"aurora": "http"}},
  "task": {"processes": [{"name": "web",
                          "cmdline": "serve {{thermos.ports[http]}} {{thermos.ports[admin]}}"}],
           "resources": {"cpu": 0.1, "ram": 1048576, "disk": 1048576}}})";
constexpr const char* kPath = "/api/v1/discovery/www-data/prod/web";

class DiscoveryEndpointTest : public ServiceTest {
 protected:
  void SetUp() override {
    SchedulerOptions o = options();
    o.poll_timeout_ms = 2000;  // a poll is answered when placement gives it launches
    start(o);
  }

  net::ClientResponse get(const std::string& path, const std::string& if_none_match = "") {
    client_->set_header("If-None-Match", if_none_match);
    auto r = client_->get(path);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : net::ClientResponse{};
  }

  net::ClientResponse post(const std::string& path, const std::string& body) {
    auto r = client_->post(path, body);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : net::ClientResponse{};
  }

  // Creates kAnnounced and places it on host h1: the launches by instance.
  void place_announced_job() {
    ASSERT_EQ(post("/api/v1/jobs", kAnnounced).status, 201);
    auto reg = post("/agent/v1/register", R"({"agent_id": "", "hostname": "h1",
      "address": "127.0.0.1:1", "resources": {"cpu": 4, "ram": 8589934592, "disk": 8589934592},
      "ports": [[31000, 31009]], "tasks": []})");
    ASSERT_EQ(reg.status, 200) << reg.body;
    agent_ = std::string(parse_json(reg.body)->at("agent_id").as_string());
    auto poll =
        post("/agent/v1/poll", R"({"agent_id": ")" + agent_ + R"(", "acked_command_seq": 0})");
    ASSERT_EQ(poll.status, 200) << poll.body;
    json::value answer = parse_json(poll.body).value();
    for (const auto& c : answer.at("commands").as_array()) {
      launches_[static_cast<int32_t>(c.at("instance").as_int64())] = {
          std::string(c.at("task_id").as_string()),
          json::value_to<std::map<std::string, int64_t>>(c.at("ports"))};
    }
    ASSERT_EQ(launches_.size(), 5u) << poll.body;
  }

  // The agent reports `state` for the task of each of `instances`.
  void report(const std::vector<int32_t>& instances, const std::string& state) {
    std::string updates;
    for (int32_t i : instances)
      updates += std::string(updates.empty() ? "" : ",") + R"({"seq": )" + std::to_string(++seq_) +
                 R"(, "task_id": ")" + launches_.at(i).task_id + R"(", "state": ")" + state + "\"}";
    auto r = post("/agent/v1/updates",
                  R"({"agent_id": ")" + agent_ + R"(", "updates": [)" + updates + "]}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  api::ServersetMember expected_member(int32_t instance) const {
    return api::serverset_member("h1", launches_.at(instance).ports, "http", instance);
  }

  struct Launch {
    std::string task_id;
    std::map<std::string, int64_t> ports;
  };
  std::string agent_;
  std::map<int32_t, Launch> launches_;
  int seq_ = 0;
};

TEST_F(DiscoveryEndpointTest, MembersAreTheRunningPlacedInstancesByShardWithEveryEndpoint) {
  place_announced_job();
  auto none = get(kPath);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(api::decode_body<api::Discovery>(none.body).value(),
            (api::Discovery{"www-data/prod/web", {}}));

  report({3, 0, 2}, "STARTING");
  report({3, 0}, "RUNNING");  // 1 stays ASSIGNED, 2 STARTING, 4 ASSIGNED, 5 PENDING
  auto r = get(kPath);
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = api::decode_body<api::Discovery>(r.body);
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ(*d, (api::Discovery{"www-data/prod/web", {expected_member(0), expected_member(3)}}));
  // The announcer's alias is an additional endpoint on the primary port's number.
  const api::ServersetMember& m = d->members.at(0);
  EXPECT_EQ(m.additional_endpoints.size(), 3u);
  EXPECT_EQ(m.additional_endpoints.at("aurora"), m.service_endpoint);
  EXPECT_EQ(m.service_endpoint, (api::Endpoint{"h1", launches_.at(0).ports.at("http")}));
  EXPECT_NE(m.additional_endpoints.at("admin").port, m.service_endpoint.port);

  report({3}, "KILLED");
  d = api::decode_body<api::Discovery>(get(kPath).body);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->members, std::vector<api::ServersetMember>{expected_member(0)});
}

TEST_F(DiscoveryEndpointTest, OneNamedEndpointPerMember) {
  place_announced_job();
  report({1, 4}, "RUNNING");
  auto r = get(std::string(kPath) + "?endpoint=admin");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(api::decode_body<api::DiscoveryEndpoints>(r.body).value(),
            (api::DiscoveryEndpoints{"www-data/prod/web",
                                     "admin",
                                     {{"h1", launches_.at(1).ports.at("admin")},
                                      {"h1", launches_.at(4).ports.at("admin")}}}));
  r = get(std::string(kPath) + "?endpoint=nope");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(api::decode_body<api::DiscoveryEndpoints>(r.body)->members.empty());
  r = get(std::string(kPath) + "?endpoint=");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("endpoint: expected a port name of 1 to 1024 bytes"), std::string::npos)
      << r.body;
}

TEST_F(DiscoveryEndpointTest, AnUnchangedServersetAnswers304ToItsETag) {
  place_announced_job();
  report({0}, "RUNNING");
  auto first = get(kPath);
  ASSERT_EQ(first.status, 200);
  std::string etag = body_etag(first.body);
  auto same = get(kPath, etag);
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty()) << same.body;
  EXPECT_EQ(get(kPath, "\"other\", W/" + etag).status, 304);
  EXPECT_EQ(get(kPath, "\"other\"").status, 200);
  report({1}, "RUNNING");
  auto changed = get(kPath, etag);
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(api::decode_body<api::Discovery>(changed.body)->members.size(), 2u);
  EXPECT_NE(body_etag(changed.body), etag);
}

TEST_F(DiscoveryEndpointTest, AnUnknownJobOrOneWithoutAnnounceIsNotFound) {
  auto r = get("/api/v1/discovery/www-data/prod/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("job test/www-data/prod/nope does not exist"), std::string::npos) << r.body;
  std::string plain = kAnnounced;
  plain.erase(plain.find("\"announce\""), plain.find("\"task\"") - plain.find("\"announce\""));
  ASSERT_EQ(post("/api/v1/jobs", plain).status, 201);
  r = get(kPath);
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("job test/www-data/prod/web does not announce"), std::string::npos)
      << r.body;
  EXPECT_EQ(get("/api/v1/discovery/bad%20role/prod/web").status, 400);
}

}  // namespace
}  // namespace borealis::scheduler
