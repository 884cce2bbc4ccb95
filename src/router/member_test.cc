#include "router/member.h"

#include <gtest/gtest.h>

namespace borealis::router {
namespace {

constexpr const char* kMember =
    R"({"serviceEndpoint": {"host": "127.0.0.1", "port": 31000},
        "additionalEndpoints": {"http": {"host": "127.0.0.1", "port": 31001}},
        "status": "ALIVE", "shard": 2})";

TEST(Member, TakesTheServiceEndpointOrANamedOne) {
  auto primary = member_endpoint(kMember, "");
  ASSERT_TRUE(primary.ok()) << primary.status().message();
  EXPECT_EQ(primary->port, 31000);
  auto http = member_endpoint(kMember, "http");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->port, 31001);
  auto server = resolve_server(*http);
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(*server, (Server{"127.0.0.1", 31001}));
}

TEST(Member, RefusesWhatIsNotAnAliveMemberWithAGoodEndpoint) {
  const std::pair<std::string, const char*> cases[] = {
      {"not json", "not a ServerSet member"},
      {R"({"serviceEndpoint": {"host": "h", "port": 1}, "status": "DEAD", "shard": 0})",
       "not ALIVE"},
      {R"({"serviceEndpoint": {"host": "h 1\nbackend x", "port": 1}, "status": "ALIVE",
           "shard": 0})",
       "is not a host name"},
      {R"({"serviceEndpoint": {"host": "h", "port": 0}, "status": "ALIVE", "shard": 0})",
       "outside 1-65535"},
  };
  for (const auto& [data, expected] : cases) {
    auto e = member_endpoint(data, "");
    ASSERT_FALSE(e.ok()) << data;
    EXPECT_NE(e.status().message().find(expected), std::string::npos) << e.status().message();
  }
  auto missing = member_endpoint(kMember, "admin");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no additionalEndpoints entry 'admin'"),
            std::string::npos);
}

}  // namespace
}  // namespace borealis::router
