#include "api/serverset.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::api {
namespace {

using testing::expect_refused;
using testing::expect_round_trip;

TEST(ServersetMemberTest, PrimaryPortIsTheServiceEndpointAndEveryNameAnAdditionalOne) {
  ServersetMember m =
      serverset_member("h1", {{"aurora", 31000}, {"http", 31000}, {"admin", 8080}}, "aurora", 2);
  EXPECT_EQ(m.service_endpoint, (Endpoint{"h1", 31000}));
  EXPECT_EQ(m.additional_endpoints.size(), 3u);
  EXPECT_EQ(m.additional_endpoints.at("admin"), (Endpoint{"h1", 8080}));
  EXPECT_EQ(m.shard, 2);
  EXPECT_EQ(endpoint_text(m.service_endpoint), "h1:31000");
  // Aurora announces port 0 for a primary port the task was not given.
  EXPECT_EQ(serverset_member("h1", {}, "http", 0).service_endpoint.port, 0);
}

TEST(ServersetMemberTest, EncodesAurorasServersetShape) {
  ServersetMember m = serverset_member("h1", {{"http", 31000}}, "http", 0);
  EXPECT_EQ(json::serialize(encode(m)),
            R"({"serviceEndpoint":{"host":"h1","port":31000},)"
            R"("additionalEndpoints":{"http":{"host":"h1","port":31000}},)"
            R"("status":"ALIVE","shard":0})");
  expect_round_trip(m);
  expect_round_trip(serverset_member("h1", {{"a", 1}, {"b", 65535}}, "b", 7));
}

TEST(ServersetMemberTest, RefusesBadEndpoints) {
  ServersetMember m = serverset_member("h1", {{"http", 31000}}, "http", 0);
  expect_refused(m, "/serviceEndpoint", "serviceEndpoint: is required");
  expect_refused(m, "/serviceEndpoint/port", "serviceEndpoint.port: must be between 0 and 65535",
                 json::value(70000));
  expect_refused(m, "/additionalEndpoints/http/host", "additionalEndpoints.http.host: is required");
}

}  // namespace
}  // namespace borealis::api
