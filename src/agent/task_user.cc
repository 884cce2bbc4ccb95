#include "agent/task_user.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>

#include "common/log.h"
#include "common/unix_users.h"

namespace borealis::agent {

namespace {

std::string own_user_name() {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  uid_t me = ::geteuid();
  ::getpwuid_r(me, &pw, buf.data(), buf.size(), &found);
  return found ? found->pw_name : std::to_string(me);
}

// The user's groups as initgroups(3) would set them, the primary one included.
std::vector<unsigned> groups_of(const UnixAccount& a) {
  int n = 64;
  std::vector<gid_t> groups(n);
  if (::getgrouplist(a.name.c_str(), a.gid, groups.data(), &n) < 0) {
    groups.resize(n);
    if (::getgrouplist(a.name.c_str(), a.gid, groups.data(), &n) < 0) n = 0;
  }
  groups.resize(std::max(n, 0));
  if (groups.empty()) groups.push_back(a.gid);
  return {groups.begin(), groups.end()};
}

}  // namespace

Result<TaskUser> TaskUsers::for_launch(std::string_view role,
                                       const std::optional<std::string>& user,
                                       const std::string& sandbox) {
  return resolve(role, taskcontract::task_user_name(role, user), !user.has_value(), sandbox);
}

Result<TaskUser> TaskUsers::for_reattach(std::string_view role, const std::string& name,
                                         const std::string& sandbox) {
  return resolve(role, name, false, sandbox);
}

Result<TaskUser> TaskUsers::resolve(std::string_view role, const std::string& name,
                                    bool name_is_role, const std::string& sandbox) {
  TaskUser out;
  out.run_as.home = sandbox;
  if (options_.run_as_agent_user) {
    out.run_as.name = own_user_name();
    return out;
  }
  if (name.empty())
    return invalid_argument("user: task.json names no user for role '" + std::string(role) + "'");
  std::optional<UnixAccount> account = find_unix_account(name);
  if (!account && name_is_role && options_.nobody_fallback) {
    if (fallback_logged_.insert(std::string(role)).second)
      spdlog::warn("role '{}' has no Unix user on this host: its tasks run as 'nobody'", role);
    account = find_unix_account("nobody");
  }
  if (!account)
    return not_found("user: no user '" + name + "' on this host (the task's role is '" +
                     std::string(role) + "')");
  BOREALIS_RETURN_IF_ERROR(
      taskcontract::check_task_user(options_.policy, role, account->name, account->uid));
  out.name = account->name;
  out.runner_min_uid = options_.policy.min_uid_for(role);
  out.run_as.name = account->name;
  if (::geteuid() == 0) {  // an agent that is not root cannot switch
    out.run_as.switch_user = true;
    out.run_as.uid = account->uid;
    out.run_as.gid = account->gid;
    out.run_as.groups = groups_of(*account);
  }
  return out;
}

std::vector<std::string> run_as_environment(const RunAs& who) {
  const char* path = ::getenv("PATH");
  return {"HOME=" + who.home, "USER=" + who.name, "LOGNAME=" + who.name,
          std::string("PATH=") + (path ? path : "/usr/bin:/bin")};
}

bool switch_to_user(const RunAs& who, const std::vector<gid_t>& groups) {
  if (!who.switch_user) return true;
  return ::setgroups(groups.size(), groups.data()) == 0 && ::setgid(who.gid) == 0 &&
         ::setuid(who.uid) == 0;
}

}  // namespace borealis::agent
