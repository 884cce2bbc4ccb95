#include "auth/auth_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/token.h"

namespace borealis::auth {
namespace {

using ::testing::HasSubstr;

std::string config_text() {
  return "users:\n"
         "  - name: alice\n"
         "    token_sha256: " +
         sha256_hex("alice-token") +
         "\n"
         "    roles: [www-data]\n"
         "    prod_roles: [www-data]\n"
         "  - name: bob\n"
         "    token_sha256: " +
         sha256_hex("bob-token") +
         "\n"
         "    roles: [www-data, analytics]\n"
         "  - name: root\n"
         "    token_sha256: " +
         sha256_hex("admin-token") +
         "\n"
         "    admin: true\n"
         "  - name: agent-a\n"
         "    token_sha256: " +
         sha256_hex("agent-a-token") +
         "\n"
         "    agents: [host-a]\n"
         "protected_prod_roles: [www-data]\n";
}

AuthConfig config() {
  auto c = AuthConfig::parse(config_text(), "auth.yaml");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return *c;
}

std::string parse_error(const std::string& text) {
  auto c = AuthConfig::parse(text, "auth.yaml");
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : c.status().message();
}

TEST(Token, NewTokensAreLongRandomAndHashable) {
  auto a = new_token(), b = new_token();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 64u);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(is_sha256_hex(sha256_hex(*a)));
  // The well-known digest of "abc".
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(digests_equal("ABCdef", "abcDEF"));
  EXPECT_FALSE(digests_equal("abc", "abd"));
  EXPECT_FALSE(digests_equal("abc", "abcd"));
}

TEST(AuthConfig, AuthenticatesBearerTokens) {
  AuthConfig c = config();
  auto who = c.authenticate("Bearer alice-token");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ((*who)->name, "alice");
  EXPECT_TRUE(c.authenticate("bearer bob-token").ok());

  auto none = c.authenticate(std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(c.authenticate("Bearer wrong").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(c.authenticate("Basic YWxpY2U6eA==").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(c.authenticate("Bearer ").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(c.authenticate("alice-token").status().code(), StatusCode::kUnauthenticated);
}

// Every kind of access x {role A, role B, admin}: exactly the grants the file gives.
TEST(AuthConfig, AuthorizationMatrix) {
  AuthConfig c = config();
  const Identity& alice = **c.authenticate("Bearer alice-token");  // www-data, with prod
  const Identity& bob = **c.authenticate("Bearer bob-token");      // www-data (no prod), analytics
  const Identity& admin = **c.authenticate("Bearer admin-token");
  const Identity& agent = **c.authenticate("Bearer agent-a-token");  // the agent of host-a
  struct Case {
    AccessKind kind;
    std::string role, env;
    bool alice, bob, admin, agent;
    std::string host = "";
  };
  const Case cases[] = {
      {AccessKind::kRead, "", "", true, true, true, true},
      {AccessKind::kRead, "other", "prod", true, true, true, true},
      {AccessKind::kTaskData, "www-data", "devel", true, true, true, false},
      {AccessKind::kTaskData, "www-data", "prod", true, false, true, false},
      {AccessKind::kTaskData, "analytics", "prod", false, true, true, false},
      {AccessKind::kWrite, "www-data", "devel", true, true, true, false},
      {AccessKind::kWrite, "www-data", "prod", true, false, true, false},
      {AccessKind::kWrite, "analytics", "prod", false, true, true, false},
      {AccessKind::kWrite, "other", "devel", false, false, true, false},
      {AccessKind::kAdmin, "", "", false, false, true, false},
      {AccessKind::kAgent, "", "", false, false, true, true, "host-a"},
      {AccessKind::kAgent, "", "", false, false, true, false, "host-b"},
      {AccessKind::kAgent, "", "", false, false, true, true},  // any host: agents only
  };
  for (const Case& k : cases) {
    Access a{k.kind, k.role, k.env, k.host};
    SCOPED_TRACE(k.role + "/" + k.env + " host " + k.host + " kind " +
                 std::to_string(static_cast<int>(k.kind)));
    EXPECT_EQ(c.authorize(alice, a).ok(), k.alice);
    EXPECT_EQ(c.authorize(bob, a).ok(), k.bob);
    EXPECT_EQ(c.authorize(admin, a).ok(), k.admin);
    EXPECT_EQ(c.authorize(agent, a).ok(), k.agent);
  }
  Status denied = c.authorize(bob, {AccessKind::kWrite, "www-data", "prod"});
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(), HasSubstr("no prod grant for role 'www-data'"));
  EXPECT_THAT(c.authorize(alice, {AccessKind::kWrite, "analytics", "devel"}).message(),
              HasSubstr("user 'alice' has no grant for role 'analytics'"));
  EXPECT_THAT(c.authorize(alice, {AccessKind::kAdmin, "", ""}).message(),
              HasSubstr("user 'alice' is not an admin"));
  EXPECT_THAT(c.authorize(agent, {AccessKind::kAgent, "", "", "host-b"}).message(),
              HasSubstr("user 'agent-a' may not act as the agent of host 'host-b'"));
  EXPECT_THAT(c.authorize(bob, {AccessKind::kAgent, "", "", "host-a"}).message(),
              HasSubstr("user 'bob' is not an agent"));
}

TEST(AuthConfig, AddsIdentitiesTheFileDoesNotList) {
  AuthConfig c = config();
  Identity dev_agent;
  dev_agent.name = "dev-agent";
  dev_agent.agents = {"laptop"};
  ASSERT_TRUE(c.add_user(dev_agent, "dev-token").ok());
  auto who = c.authenticate("Bearer dev-token");
  ASSERT_TRUE(who.ok());
  EXPECT_TRUE(c.authorize(**who, {AccessKind::kAgent, "", "", "laptop"}).ok());
  EXPECT_EQ(c.add_user(dev_agent, "other-token").code(), StatusCode::kAlreadyExists);
  Identity copycat;
  copycat.name = "copycat";
  EXPECT_EQ(c.add_user(copycat, "alice-token").code(), StatusCode::kAlreadyExists);
}

TEST(AuthConfig, BadFilesSayWhatAndWhere) {
  EXPECT_THAT(parse_error("users:\n  - name: a\n    token: x\n"),
              HasSubstr("auth.yaml:3: unknown key 'token' in a user"));
  EXPECT_THAT(parse_error("users:\n  - name: a\n    token_sha256: abc\n"),
              HasSubstr("auth.yaml:3: token_sha256 of user 'a' must be 64 hex digits"));
  std::string d = sha256_hex("t");
  EXPECT_THAT(parse_error("users:\n  - {name: a, token_sha256: " + d +
                          "}\n  - {name: a, token_sha256: " + sha256_hex("u") + "}\n"),
              HasSubstr("auth.yaml:3: user 'a' is listed twice"));
  EXPECT_THAT(parse_error("users:\n  - {name: a, token_sha256: " + d +
                          "}\n  - {name: b, token_sha256: " + d + "}\n"),
              HasSubstr("same token as another user"));
  EXPECT_THAT(parse_error("users:\n  - {name: a, token_sha256: " + d + ", admin: yes}\n"),
              HasSubstr("admin must be true or false"));
  EXPECT_THAT(parse_error("users: [\n"), HasSubstr("auth.yaml:"));
  EXPECT_THAT(parse_error("groups: []\n"), HasSubstr("auth.yaml:1: unknown key 'groups'"));
  EXPECT_THAT(parse_error("users:\n  - {name: a, token_sha256: " + d + ", roles: x}\n"),
              HasSubstr("roles must be a list"));
  EXPECT_THAT(parse_error("users:\n  - {name: a, token_sha256: " + d + ", agents: host-a}\n"),
              HasSubstr("auth.yaml:2: agents must be a list"));
  EXPECT_EQ(AuthConfig::load_file("/nonexistent/auth.yaml").status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace borealis::auth
