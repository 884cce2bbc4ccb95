// TaskUsers against this host's user database: Debian's root (0), www-data (33) and
// nobody (65534), and names no host has.
#include "agent/task_user.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace borealis::agent {
namespace {

std::string describe(const Result<TaskUser>& u) {
  if (!u.ok()) return u.status().message();
  return "'" + u->name + "' min " + std::to_string(u->runner_min_uid) + " as " + u->run_as.name +
         (u->run_as.switch_user ? " uid " + std::to_string(u->run_as.uid) : "");
}

std::string switched(const char* uid) { return ::geteuid() == 0 ? std::string(" uid ") + uid : ""; }

TEST(TaskUsersTest, TasksRunAsTheirRolesUserUnlessRootOrASystemAccount) {
  TaskUsers users({});
  EXPECT_EQ(describe(users.for_launch("nobody", std::nullopt, "/sb")),
            "'nobody' min 1000 as nobody" + switched("65534"));
  EXPECT_EQ(describe(users.for_launch("web", std::string("nobody"), "/sb")),
            "'nobody' min 1000 as nobody" + switched("65534"));
  EXPECT_EQ(describe(users.for_launch("web", std::string("root"), "/sb")),
            "task user 'root' (uid 0) of role 'web' is refused: tasks never run as root; an "
            "operator may allow the role with --allow-root-roles");
  EXPECT_EQ(describe(users.for_launch("www-data", std::nullopt, "/sb")),
            "task user 'www-data' (uid 33) of role 'www-data' is refused: its uid is below "
            "--min-task-uid 1000 (a system account); an operator may allow the role with "
            "--allow-root-roles");
  EXPECT_EQ(describe(users.for_launch("no-such-role-x", std::nullopt, "/sb")),
            "user: no user 'no-such-role-x' on this host (the task's role is 'no-such-role-x')");
  // Re-attaching checks task.json's user again: it lives in the task's sandbox.
  EXPECT_EQ(describe(users.for_reattach("web", "root", "/sb")).substr(0, 31),
            "task user 'root' (uid 0) of rol");
  EXPECT_EQ(describe(users.for_reattach("web", "", "/sb")),
            "user: task.json names no user for role 'web'");
}

TEST(TaskUsersTest, AllowedRolesMayRunAsRootAndTheRunnerIsToldSo) {
  TaskUserOptions o;
  o.policy.allow_root_roles = {"ops"};
  o.policy.min_uid = 30;
  TaskUsers users(o);
  EXPECT_EQ(describe(users.for_launch("ops", std::string("root"), "/sb")),
            "'root' min 0 as root" + switched("0"));
  EXPECT_EQ(describe(users.for_launch("www-data", std::nullopt, "/sb")),
            "'www-data' min 30 as www-data" + switched("33"));
}

TEST(TaskUsersTest, DevAsRootRunsRolesWithoutAUserAsNobody) {
  TaskUserOptions o;
  o.nobody_fallback = true;
  TaskUsers users(o);
  auto u = users.for_launch("no-such-role-x", std::nullopt, "/sb");
  EXPECT_EQ(describe(u), "'nobody' min 1000 as nobody" + switched("65534"));
  if (u.ok()) {
    EXPECT_EQ(u->run_as.home, "/sb");
  }
  // A user the job names is what it asked for: missing, it fails.
  EXPECT_EQ(describe(users.for_launch("web", std::string("no-such-user-x"), "/sb")),
            "user: no user 'no-such-user-x' on this host (the task's role is 'web')");
  // The fallback never reaches root.
  EXPECT_NE(describe(users.for_launch("root", std::nullopt, "/sb")).find("refused"),
            std::string::npos);
}

TEST(TaskUsersTest, DevAsADeveloperRunsEveryTaskAsTheAgentsUser) {
  TaskUserOptions o;
  o.run_as_agent_user = true;
  TaskUsers users(o);
  auto u = users.for_launch("www-data", std::string("root"), "/sb");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->name, "");
  EXPECT_FALSE(u->run_as.switch_user);
  EXPECT_EQ(u->runner_min_uid, 0);
}

}  // namespace
}  // namespace borealis::agent
