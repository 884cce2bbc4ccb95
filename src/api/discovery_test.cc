#include "api/discovery.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::api {
namespace {

using testing::expect_refused;
using testing::expect_round_trip;

Discovery two_members() {
  return Discovery{"www/prod/hello",
                   {serverset_member("h1", {{"http", 31000}, {"admin", 31001}}, "http", 0),
                    serverset_member("h2", {{"http", 31005}}, "http", 1)}};
}

TEST(DiscoveryTest, EncodesTheJobAndItsMembersInTheServersetShape) {
  Discovery d{"www/prod/hello", {serverset_member("h1", {{"http", 31000}}, "http", 3)}};
  EXPECT_EQ(json::serialize(encode(d)),
            R"({"job":"www/prod/hello","members":[{"serviceEndpoint":{"host":"h1","port":31000},)"
            R"("additionalEndpoints":{"http":{"host":"h1","port":31000}},)"
            R"("status":"ALIVE","shard":3}]})");
  expect_round_trip(two_members());
  expect_round_trip(Discovery{"www/prod/hello", {}});
  expect_refused(two_members(), "/job", "job: is required");
  expect_refused(two_members(), "/members/1/serviceEndpoint/port",
                 "members[1].serviceEndpoint.port: must be between 0 and 65535", json::value(-1));
}

TEST(DiscoveryTest, NamedEndpointsKeepOnlyTheMembersThatHaveTheName) {
  DiscoveryEndpoints admin = named_endpoints(two_members(), "admin");
  EXPECT_EQ(admin, (DiscoveryEndpoints{"www/prod/hello", "admin", {{"h1", 31001}}}));
  EXPECT_EQ(
      json::serialize(encode(admin)),
      R"({"job":"www/prod/hello","endpoint":"admin","members":[{"host":"h1","port":31001}]})");
  expect_round_trip(admin);
  expect_round_trip(named_endpoints(two_members(), "http"));
  EXPECT_TRUE(named_endpoints(two_members(), "nope").members.empty());
  expect_refused(admin, "/endpoint", "endpoint: is required");
  expect_refused(admin, "/members/0/host", "members[0].host: is required");
}

}  // namespace
}  // namespace borealis::api
