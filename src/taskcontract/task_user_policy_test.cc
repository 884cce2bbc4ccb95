#include "taskcontract/task_user_policy.h"

#include <gtest/gtest.h>

namespace borealis::taskcontract {
namespace {

std::string check(const TaskUserPolicy& p, std::string_view role, std::string_view user,
                  std::optional<int64_t> uid) {
  Status st = check_task_user(p, role, user, uid);
  return st.ok() ? "ok" : st.message();
}

TEST(TaskUserPolicyTest, RefusesRootAndSystemAccountsByDefault) {
  TaskUserPolicy p;
  EXPECT_EQ(check(p, "web", "web", 1001), "ok");
  EXPECT_EQ(check(p, "web", "nobody", kNobodyUid), "ok");
  EXPECT_EQ(check(p, "web", "alice", 1000), "ok") << "min_uid itself is allowed";
  EXPECT_EQ(check(p, "web", "root", 0),
            "task user 'root' (uid 0) of role 'web' is refused: tasks never run as root; an "
            "operator may allow the role with --allow-root-roles");
  EXPECT_EQ(check(p, "www-data", "www-data", 33),
            "task user 'www-data' (uid 33) of role 'www-data' is refused: its uid is below "
            "--min-task-uid 1000 (a system account); an operator may allow the role with "
            "--allow-root-roles");
  // Another name for uid 0 is root too, whatever the threshold.
  p.min_uid = 0;
  EXPECT_NE(check(p, "web", "toor", 0).find("never run as root"), std::string::npos);
  EXPECT_EQ(check(p, "www-data", "www-data", 33), "ok");
}

TEST(TaskUserPolicyTest, AUserNotFoundIsLeftToTheCallerExceptRoot) {
  TaskUserPolicy p;
  EXPECT_EQ(check(p, "web", "ghost", std::nullopt), "ok");
  EXPECT_EQ(check(p, "web", "root", std::nullopt),
            "task user 'root' of role 'web' is refused: tasks never run as root; an operator "
            "may allow the role with --allow-root-roles");
}

TEST(TaskUserPolicyTest, AllowedRolesMayRunAsRootOrSystemAccounts) {
  TaskUserPolicy p;
  p.allow_root_roles = {"ops"};
  EXPECT_EQ(check(p, "ops", "root", 0), "ok");
  EXPECT_EQ(check(p, "ops", "www-data", 33), "ok");
  EXPECT_NE(check(p, "web", "root", 0), "ok");
  EXPECT_EQ(p.min_uid_for("ops"), 0);
  EXPECT_EQ(p.min_uid_for("web"), kDefaultMinTaskUid);
}

TEST(TaskUserPolicyTest, ParsesRoleLists) {
  EXPECT_EQ(parse_role_list("").value(), std::vector<std::string>{});
  EXPECT_EQ(parse_role_list(" ops , www-data").value(),
            (std::vector<std::string>{"ops", "www-data"}));
  EXPECT_EQ(parse_role_list("ops,ops").status().message(), "role 'ops' is listed twice");
  EXPECT_FALSE(parse_role_list("ops,,web").ok());
  EXPECT_FALSE(parse_role_list("a/b").ok());
}

TEST(TaskUserPolicyTest, TheTaskUserIsItsOwnElseItsRole) {
  EXPECT_EQ(task_user_name("www-data", std::nullopt), "www-data");
  EXPECT_EQ(task_user_name("www-data", std::string("svc")), "svc");
}

}  // namespace
}  // namespace borealis::taskcontract
