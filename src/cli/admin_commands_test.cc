#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "auth/auth_config.h"
#include "cli/cli.h"
#include "cli/command.h"

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;

struct CliRun {
  int code;
  std::string out, err;
};

CliRun run(std::vector<std::string> args) {
  std::ostringstream out, err;
  CliEnv env;
  int code = run_cli(args, out, err, env, nullptr);
  return {code, out.str(), err.str()};
}

TEST(AdminTokenCreate, PrintsATokenAndAnEntryThatGrantsIt) {
  CliRun r = run({"admin", "token", "create", "alice", "--role", "www-data", "--role", "analytics",
                  "--prod-role", "www-data"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::string token = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(token.size(), 64u);
  // What it prints after the comment line is the users: entry, ready to paste.
  std::string entry = r.out.substr(r.out.find("\n  - name:") + 1);
  auto config =
      auth::AuthConfig::parse("users:\n" + entry + "protected_prod_roles: [www-data]\n", "pasted");
  ASSERT_TRUE(config.ok()) << config.status().message() << "\n" << r.out;
  auto who = config->authenticate("Bearer " + token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ((*who)->name, "alice");
  EXPECT_TRUE(config->authorize(**who, {auth::AccessKind::kWrite, "www-data", "prod"}).ok());
  EXPECT_TRUE(config->authorize(**who, {auth::AccessKind::kWrite, "analytics", "devel"}).ok());
  EXPECT_FALSE(config->authorize(**who, {auth::AccessKind::kAdmin, "", ""}).ok());

  CliRun second = run({"admin", "token", "create", "alice", "--role", "www-data"});
  EXPECT_NE(second.out.substr(0, 64), token);
}

TEST(AdminTokenCreate, AnAgentTokenActsOnlyAsItsHost) {
  CliRun r = run({"admin", "token", "create", "agent-host-a", "--agent", "host-a"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::string token = r.out.substr(0, r.out.find('\n'));
  auto config =
      auth::AuthConfig::parse("users:\n" + r.out.substr(r.out.find("\n  - name:") + 1), "pasted");
  ASSERT_TRUE(config.ok()) << config.status().message() << "\n" << r.out;
  auto who = config->authenticate("Bearer " + token);
  ASSERT_TRUE(who.ok());
  EXPECT_TRUE(config->authorize(**who, {auth::AccessKind::kAgent, "", "", "host-a"}).ok());
  EXPECT_FALSE(config->authorize(**who, {auth::AccessKind::kAgent, "", "", "host-b"}).ok());
  EXPECT_FALSE(config->authorize(**who, {auth::AccessKind::kWrite, "www-data", "prod"}).ok());
  CliRun bad = run({"admin", "token", "create", "agent-x", "--agent", "host a"});
  EXPECT_EQ(bad.code, kExitUsage);
}

TEST(AdminTokenCreate, RefusesBadNamesAndEmptyGrants) {
  CliRun none = run({"admin", "token", "create", "alice"});
  EXPECT_EQ(none.code, kExitUsage);
  EXPECT_THAT(none.err, HasSubstr("give at least one --role or --agent, or --admin"));
  CliRun bad = run({"admin", "token", "create", "al ice", "--admin"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_THAT(bad.err, HasSubstr("name"));
  CliRun admin = run({"admin", "token", "create", "ops", "--admin"});
  EXPECT_EQ(admin.code, kExitOk);
  EXPECT_THAT(admin.out, HasSubstr("    admin: true\n"));
}

}  // namespace
}  // namespace borealis::cli
