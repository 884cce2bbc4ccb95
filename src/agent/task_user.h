// Who a task runs as on this agent: the one decision behind the user written to task.json
// (the runner switches to it), the runner's --min-uid, and the identity of the task's
// shell health checks. The rule is taskcontract::TaskUserPolicy's, checked against this
// host's user database (getpwnam); a missing or refused user is an error that fails the
// task with its message.
//
// Thread-safety: TaskUsers is used on the agent's loop thread only.
#pragma once

#include <sys/types.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "taskcontract/task_user_policy.h"

namespace borealis::agent {

// The identity a process of the task runs as.
struct RunAs {
  bool switch_user = false;  // false: the agent's own user
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> groups;  // supplementary groups, the primary one included
  std::string name;              // USER and LOGNAME
  std::string home;              // HOME: the sandbox, as the runner sets it
};

// The environment a command or shell run as `who` starts with: HOME, USER, LOGNAME and the
// agent's PATH.
std::vector<std::string> run_as_environment(const RunAs& who);

// In a forked child, before exec: drops to `who` (setgroups, setgid, setuid, each checked;
// nothing when !who.switch_user). Only system calls, so safe after fork in the threaded
// agent; `groups` is `who.groups` converted before the fork. False when a step failed.
bool switch_to_user(const RunAs& who, const std::vector<gid_t>& groups);

struct TaskUserOptions {
  taskcontract::TaskUserPolicy policy;
  // Tasks run as the agent's own user, whatever their role (`borealis dev` run by a
  // developer, test clusters): no lookup, no switch.
  bool run_as_agent_user = false;
  // A role with no Unix user runs as `nobody` instead of failing (`borealis dev` run as
  // root); logged once per role.
  bool nobody_fallback = false;
};

struct TaskUser {
  std::string name;            // for task.json; "" = the agent's own user
  int64_t runner_min_uid = 0;  // the runner's --min-uid
  RunAs run_as;                // for shell health checks
};

class TaskUsers {
 public:
  explicit TaskUsers(TaskUserOptions options) : options_(std::move(options)) {}

  // At launch: the task of `role` with its own `user` (nullopt: the role's user).
  Result<TaskUser> for_launch(std::string_view role, const std::optional<std::string>& user,
                              const std::string& sandbox);
  // At re-attach: `name` as task.json says ("" when the agent ran it as itself). Checked
  // again: task.json lives in the task's sandbox.
  Result<TaskUser> for_reattach(std::string_view role, const std::string& name,
                                const std::string& sandbox);

  const TaskUserOptions& options() const { return options_; }

 private:
  Result<TaskUser> resolve(std::string_view role, const std::string& name, bool name_is_role,
                           const std::string& sandbox);

  TaskUserOptions options_;
  std::set<std::string, std::less<>> fallback_logged_;  // roles told about `nobody`
};

}  // namespace borealis::agent
