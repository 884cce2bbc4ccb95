#include "scheduler/server/task_user_check.h"

#include "common/unix_users.h"

namespace borealis::scheduler {

Result<TaskUserCheck> TaskUserCheck::create(const SchedulerOptions& options) {
  TaskUserCheck out;
  if (!options.check_task_users) return out;
  taskcontract::TaskUserPolicy policy;
  policy.min_uid = options.min_task_uid;
  auto roles = taskcontract::parse_role_list(options.allow_root_roles);
  if (!roles.ok()) return invalid_argument("--allow-root-roles: " + roles.status().message());
  policy.allow_root_roles = std::move(roles).value();
  out.policy_ = std::move(policy);
  return out;
}

Status TaskUserCheck::check(const jobspec::JobSpec& job) const {
  if (!policy_) return Status();
  std::string user = taskcontract::task_user_name(job.role, job.task.user);
  auto account = find_unix_account(user);
  return taskcontract::check_task_user(
      *policy_, job.role, user,
      account ? std::optional<int64_t>(account->uid) : std::optional<int64_t>());
}

}  // namespace borealis::scheduler
