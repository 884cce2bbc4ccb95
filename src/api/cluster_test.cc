#include "api/cluster.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::api {
namespace {

using testing::expect_refused;
using testing::expect_round_trip;

AgentInfo agent() {
  return {"2f0c",
          "agent-1",
          "127.0.0.1:5051",
          "ACTIVE",
          1700000000000,
          {{"rack", "r1"}},
          resources_json(4, 8LL << 30, 100LL << 30, 0),
          resources_json(1.5, 1LL << 30, 0, 0),
          3};
}

TEST(ClusterCodecTest, RoundTrips) {
  expect_round_trip(ClusterInfo{"devcluster", "0.1.0", 2, true});
  expect_round_trip(ClusterInfo{"c", "", 0, false});
  expect_round_trip(agent());
  expect_round_trip(AgentList{{agent(), AgentInfo{"x"}}});
}

TEST(ClusterCodecTest, EncodingIsTheDocumentedShape) {
  EXPECT_EQ(json::serialize(encode(ClusterInfo{"devcluster", "0.1.0", 2, false})),
            R"({"cluster":"devcluster","version":"0.1.0","agents":2,)"
            R"("capabilities":{"container_images":false}})");
}

TEST(ClusterCodecTest, AgentEncodingKeepsTheFieldOrder) {
  AgentInfo a{
      "a", "h", "h:1", "ACTIVE", 5, {{"rack", "r1"}}, resources_json(1, 2, 3, 0), json::object{},
      1};
  EXPECT_EQ(json::serialize(encode(a)),
            R"({"agent_id":"a","hostname":"h","address":"h:1","status":"ACTIVE","last_seen_ms":5,)"
            R"("attributes":{"rack":"r1"},"resources":{"total":{"cpu":1E0,"ram":2,"disk":3,)"
            R"("gpu":0},"used":{}},"tasks":1})");
}

TEST(ClusterCodecTest, RefusesMissingRequiredFields) {
  expect_refused(ClusterInfo{"c"}, "/cluster", "cluster: is required");
  expect_refused(AgentList{{agent()}}, "/agents", "agents: is required");
  expect_refused(AgentList{{agent()}}, "/agents/0/agent_id", "agents[0].agent_id: is required");
}

TEST(ClusterCodecTest, RefusesWrongTypes) {
  const json::value text = "x", number = 1;
  ClusterInfo c{"devcluster", "0.1.0", 2, true};
  expect_refused(c, "/cluster", "cluster: expected a string", number);
  expect_refused(c, "/version", "version: expected a string", number);
  expect_refused(c, "/agents", "agents: expected an integer", text);
  expect_refused(c, "/capabilities", "capabilities: expected an object", text);
  expect_refused(c, "/capabilities/container_images", "capabilities.container_images: expected",
                 text);
  expect_refused(agent(), "/agent_id", "agent_id: expected a string", number);
  expect_refused(agent(), "/hostname", "hostname: expected a string", number);
  expect_refused(agent(), "/address", "address: expected a string", number);
  expect_refused(agent(), "/status", "status: expected a string", number);
  expect_refused(agent(), "/last_seen_ms", "last_seen_ms: expected an integer", text);
  expect_refused(agent(), "/attributes/rack", "attributes", number);
  expect_refused(agent(), "/resources", "resources: expected an object", text);
  expect_refused(agent(), "/resources/total", "resources.total: expected an object", text);
  expect_refused(agent(), "/resources/used", "resources.used: expected an object", text);
  expect_refused(agent(), "/tasks", "tasks: expected an integer", text);
  expect_refused(AgentList{{agent()}}, "/agents/0", "agents[0]: expected an object", text);
}

}  // namespace
}  // namespace borealis::api
