// Which Unix users a task may run as: the rule the scheduler checks at create and update,
// the agent checks again at launch and for every shell health check, and the runner checks
// once more before it switches user (defense in depth: each side may run on a different
// host or with a forged task.json).
//
// The rule: a task runs as its `user`, else as its role's user. Root (uid 0), and any user
// whose uid is below `min_uid`, is refused unless the role is in `allow_root_roles`.
// Debian gives uids below 1000 to system accounts (FIRST_UID in adduser.conf), which own
// system files and daemons; 1000 is the default. `nobody` (65534) owns nothing and is
// allowed.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis::taskcontract {

inline constexpr int64_t kDefaultMinTaskUid = 1000;
inline constexpr int64_t kNobodyUid = 65534;
inline constexpr int64_t kMaxUid = 4294967294;  // (uid_t)-1 is "no uid"

// The help of the scheduler's and the agent's flags, which set a TaskUserPolicy.
inline constexpr std::string_view kMinTaskUidHelp =
    "tasks never run as a user whose uid is below N (system accounts), nor as root, unless "
    "their role is in --allow-root-roles";
inline constexpr std::string_view kAllowRootRolesHelp =
    "roles whose tasks may run as root or as a user below --min-task-uid";

struct TaskUserPolicy {
  int64_t min_uid = kDefaultMinTaskUid;
  std::vector<std::string> allow_root_roles;  // may run as root or below min_uid

  bool allows_root(std::string_view role) const;
  // The lowest uid a task of `role` may run as: 0 for an allowed role, else min_uid.
  int64_t min_uid_for(std::string_view role) const;
};

// "ROLE,ROLE" (spaces around names ignored; "" = none) -> the roles, each a valid
// identifier, none twice.
Result<std::vector<std::string>> parse_role_list(std::string_view text);

// The user a task runs as: its `user` when set, else its role.
std::string task_user_name(std::string_view role, const std::optional<std::string>& user);

// Checks `user` of `role` whose uid is `uid` (nullopt: not found on this host, which the
// caller decides about). The error (INVALID_ARGUMENT) names the user, its uid, the role
// and the flag that would allow it.
Status check_task_user(const TaskUserPolicy& policy, std::string_view role, std::string_view user,
                       std::optional<int64_t> uid);

}  // namespace borealis::taskcontract
