#include "taskcontract/task_user_policy.h"

#include <algorithm>

#include "common/job_key.h"
#include "common/strings.h"

namespace borealis::taskcontract {

bool TaskUserPolicy::allows_root(std::string_view role) const {
  return std::find(allow_root_roles.begin(), allow_root_roles.end(), role) !=
         allow_root_roles.end();
}

int64_t TaskUserPolicy::min_uid_for(std::string_view role) const {
  return allows_root(role) ? 0 : min_uid;
}

Result<std::vector<std::string>> parse_role_list(std::string_view text) {
  std::vector<std::string> roles;
  if (trim(text).empty()) return roles;
  for (const std::string& item : split(text, ',')) {
    std::string role(trim(item));
    BOREALIS_RETURN_IF_ERROR(validate_identifier("role", role));
    if (std::find(roles.begin(), roles.end(), role) != roles.end())
      return invalid_argument("role '" + role + "' is listed twice");
    roles.push_back(std::move(role));
  }
  return roles;
}

std::string task_user_name(std::string_view role, const std::optional<std::string>& user) {
  return user ? *user : std::string(role);
}

Status check_task_user(const TaskUserPolicy& policy, std::string_view role, std::string_view user,
                       std::optional<int64_t> uid) {
  if (policy.allows_root(role)) return Status();
  std::string who = "task user '" + std::string(user) + "'" +
                    (uid ? " (uid " + std::to_string(*uid) + ")" : "") + " of role '" +
                    std::string(role) + "'";
  std::string remedy = "; an operator may allow the role with --allow-root-roles";
  if (user == "root" || (uid && *uid == 0))
    return invalid_argument(who + " is refused: tasks never run as root" + remedy);
  if (uid && *uid < policy.min_uid)
    return invalid_argument(who + " is refused: its uid is below --min-task-uid " +
                            std::to_string(policy.min_uid) + " (a system account)" + remedy);
  return Status();
}

}  // namespace borealis::taskcontract
