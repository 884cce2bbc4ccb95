// GET /api/v1/discovery/ROLE/ENV/JOB over real HTTP, with a scripted agent: which instances
// are members, their endpoints (aliases included), ?endpoint=, ETag and the 404s.
#include <gtest/gtest.h>
#include <time.h>

#include <cstdio>

#include "api/discovery.h"
#include "api/prometheus_sd.h"
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
constexpr const char* kAgentResources = R"("resources": {"cpu": 4, "ram": 8589934592,
  "disk": 8589934592}, "ports": [[31000, 31009]])";
constexpr const char* kTargetsPath = "/api/v1/prometheus/targets";

class DiscoveryEndpointTest : public ServiceTest {
 protected:
  void SetUp() override {
    SchedulerOptions o = options();
    o.poll_timeout_ms = 2000;  // a poll is answered when placement gives it launches
    // The scripted agent polls only while placing: it must not be LOST (and its tasks with
    // it) while a slow test (10,000 tasks under the sanitizers) goes on.
    o.agent_timeout_secs = 600;
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

  // Creates `spec` and places it on host h1: the launches by instance.
  void place_announced_job(const std::string& spec = kAnnounced, size_t placed = 5,
                           const std::string& resources = kAgentResources) {
    ASSERT_EQ(post("/api/v1/jobs", spec).status, 201);
    auto reg = post("/agent/v1/register", R"({"agent_id": "", "hostname": "h1",
      "address": "127.0.0.1:1", )" + resources +
                                              R"(, "tasks": []})");
    ASSERT_EQ(reg.status, 200) << reg.body;
    agent_ = std::string(parse_json(reg.body)->at("agent_id").as_string());
    // Placement may take several ticks (and polls) for large jobs.
    int64_t acked = 0;
    std::string last;
    for (int polls = 0; polls < 30 && launches_.size() < placed; ++polls) {
      auto poll =
          post("/agent/v1/poll", R"({"agent_id": ")" + agent_ + R"(", "acked_command_seq": )" +
                                     std::to_string(acked) + "}");
      ASSERT_EQ(poll.status, 200) << poll.body;
      json::value answer = parse_json(poll.body).value();
      for (const auto& c : answer.at("commands").as_array()) {
        acked = std::max(acked, c.at("seq").as_int64());
        launches_[static_cast<int32_t>(c.at("instance").as_int64())] = {
            std::string(c.at("task_id").as_string()),
            json::value_to<std::map<std::string, int64_t>>(c.at("ports"))};
      }
      last = std::move(poll.body);
    }
    ASSERT_EQ(launches_.size(), placed) << last.substr(0, 1000);
  }

  // The agent reports `state` for the task of each of `instances`.
  void report(const std::vector<int32_t>& instances, const std::string& state) {
    std::string updates;
    updates.reserve(instances.size() * 100);
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

// The targets of GET /api/v1/prometheus/targets as "instance target" lines, checking
// each group's job labels on the way.
std::vector<std::string> target_lines(const std::string& body) {
  std::vector<std::string> out;
  auto doc = parse_json(body);
  EXPECT_TRUE(doc.ok() && doc->is_array()) << body;
  if (!doc.ok() || !doc->is_array()) return out;
  for (const json::value& g : doc->as_array()) {
    const json::object& labels = g.at("labels").as_object();
    EXPECT_EQ(labels.at("role").as_string(), "www-data");
    EXPECT_EQ(labels.at("environment").as_string(), "prod");
    EXPECT_EQ(labels.at("job").as_string(), "web");
    EXPECT_EQ(labels.at("__meta_borealis_cluster").as_string(), "test");
    EXPECT_EQ(g.at("targets").as_array().size(), 1u);
    out.push_back(std::string(labels.at("instance").as_string()) + " " +
                  std::string(g.at("targets").at(0).as_string()));
  }
  return out;
}

TEST_F(DiscoveryEndpointTest, PrometheusTargetsAreTheRunningAnnouncedInstancesPrimaryPorts) {
  place_announced_job();
  auto empty = get(kTargetsPath);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.body, "[]");
  report({4, 1}, "RUNNING");
  report({2}, "STARTING");
  auto r = get(kTargetsPath);
  ASSERT_EQ(r.status, 200) << r.body;
  auto port = [&](int32_t i, const char* name) {
    return std::to_string(launches_.at(i).ports.at(name));
  };
  EXPECT_EQ(target_lines(r.body),
            (std::vector<std::string>{"1 h1:" + port(1, "http"), "4 h1:" + port(4, "http")}));
  EXPECT_EQ(parse_json(r.body)->at(0).at("labels").at("__meta_borealis_port_admin").as_string(),
            port(1, "admin"));

  std::string etag = body_etag(r.body);
  EXPECT_EQ(get(kTargetsPath, etag).status, 304);
  report({1}, "KILLED");
  auto changed = get(kTargetsPath, etag);
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(target_lines(changed.body), std::vector<std::string>{"4 h1:" + port(4, "http")});
}

TEST_F(DiscoveryEndpointTest, PrometheusTargetsAreBuiltOncePerStateAndRole) {
  // All six placed: a PENDING task's placement message would change the state every tick.
  place_announced_job(kAnnounced, 6,
                      R"("resources": {"cpu": 4, "ram": 8589934592, "disk": 8589934592},
                         "ports": [[31000, 31019]])");
  report({4, 1}, "RUNNING");
  const PrometheusTargetsCache& cache = service_->prometheus_targets_cache();
  auto first = get(kTargetsPath);
  ASSERT_EQ(first.status, 200);
  uint64_t built = cache.misses(), hits = cache.hits();
  // Unchanged: every poll, 200 or 304, is answered from the document built first.
  EXPECT_EQ(get(kTargetsPath).body, first.body);
  EXPECT_EQ(get(kTargetsPath, body_etag(first.body)).status, 304);
  EXPECT_EQ(cache.misses(), built);
  EXPECT_EQ(cache.hits(), hits + 2);
  // A change of state builds it again, once.
  report({1}, "KILLED");
  auto changed = get(kTargetsPath, body_etag(first.body));
  ASSERT_EQ(changed.status, 200);
  auto port4 = std::to_string(launches_.at(4).ports.at("http"));
  EXPECT_EQ(target_lines(changed.body), std::vector<std::string>{"4 h1:" + port4});
  EXPECT_EQ(cache.misses(), built + 1);
  EXPECT_EQ(get(kTargetsPath).body, changed.body);
  EXPECT_EQ(cache.misses(), built + 1);

  // ?role= lists only that role's jobs, cached on its own.
  EXPECT_EQ(get(std::string(kTargetsPath) + "?role=www-data").body, changed.body);
  EXPECT_EQ(get(std::string(kTargetsPath) + "?role=other").body, "[]");
  EXPECT_EQ(cache.misses(), built + 3);
  EXPECT_EQ(get(std::string(kTargetsPath) + "?role=other").body, "[]");
  EXPECT_EQ(cache.misses(), built + 3);
  auto bad = get(std::string(kTargetsPath) + "?role=bad%20role");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("query parameter 'role'"), std::string::npos) << bad.body;
}

TEST_F(DiscoveryEndpointTest, PrometheusScrapesAPortNamedMetricsWhenTheTaskHasOne) {
  std::string spec = kAnnounced;
  spec.replace(spec.find("{{thermos.ports[admin]}}"), 24, "{{thermos.ports[metrics]}}");
  place_announced_job(spec);
  report({0}, "RUNNING");
  EXPECT_EQ(
      target_lines(get(kTargetsPath).body),
      std::vector<std::string>{"0 h1:" + std::to_string(launches_.at(0).ports.at("metrics"))});
}

// The whole cluster's document with 10,000 announced instances running: the core thread
// only copies the members, so one poll must stay cheap (docs/metrics.md quotes the figure).
TEST_F(DiscoveryEndpointTest, PrometheusTargetsOfTenThousandInstancesAreCheap) {
  constexpr int kInstances = 10000;
  std::string spec = kAnnounced;
  spec.replace(spec.find("\"instances\": 6"), 14, "\"instances\": " + std::to_string(kInstances));
  spec.replace(spec.find(" {{thermos.ports[admin]}}"), 25, "");
  spec.replace(spec.find("\"cpu\": 0.1"), 10, "\"cpu\": 0.001");
  place_announced_job(spec, kInstances,
                      R"("resources": {"cpu": 100, "ram": 109951162777600, "disk": 109951162777600},
                         "ports": [[20000, 30999]])");
  std::vector<int32_t> all;
  for (int32_t i = 0; i < kInstances; ++i) all.push_back(i);
  report(all, "RUNNING");
  // CPU time of this process (server and test client): wall time on a shared machine
  // measures the neighbours.
  auto cpu_ms = [] {
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
  };
  constexpr int kPolls = 5;
  double start = cpu_ms();
  std::string body;
  for (int i = 0; i < kPolls; ++i) {
    auto r = get(kTargetsPath);
    ASSERT_EQ(r.status, 200);
    body = std::move(r.body);
  }
  double ms = (cpu_ms() - start) / kPolls;
  std::printf("GET %s with %d instances: %.1f ms CPU per poll, %zu bytes\n", kTargetsPath,
              kInstances, ms, body.size());
  EXPECT_EQ(target_lines(body).size(), static_cast<size_t>(kInstances));
  EXPECT_LT(ms, 1000) << "the document of the whole cluster";
  start = cpu_ms();
  EXPECT_EQ(get(kTargetsPath, body_etag(body)).status, 304);
  std::printf("... unchanged (304): %.1f ms CPU\n", cpu_ms() - start);
}

}  // namespace
}  // namespace borealis::scheduler
