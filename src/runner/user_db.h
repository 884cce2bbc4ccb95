// Looks a user up in /etc/passwd and /etc/group by reading the files. The runner is a
// static binary, where getpwnam() would load NSS modules at run time (more memory, and a
// glibc version coupling); local files are what task users are on our hosts. Also decides
// who a task's processes run as (task_user_ids).
//
// Thread-safety: pure functions (they read files).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::runner {

struct UserIds {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, including gid
  std::string home;
};

Result<UserIds> lookup_user(const std::string& name, const std::string& passwd_path = "/etc/passwd",
                            const std::string& group_path = "/etc/group");

// Where lookups read; tests point it at files of their own.
struct UserDb {
  std::string passwd_path = "/etc/passwd";
  std::string group_path = "/etc/group";
};

// Who a task's processes run as, for a runner whose effective uid is `euid`. A root
// runner switches to `user` (every time, root included); a user missing from the db, or
// whose uid is below `min_uid`, is an error, and so is an empty `user` (the runner's own:
// root) when min_uid is above 0. A runner that is not root cannot switch: nullopt, and its
// processes run as the runner's user. The agent checks the same rule before it starts the
// runner; this check stops a task.json that says otherwise.
Result<std::optional<UserIds>> task_user_ids(const std::string& user, int64_t min_uid, uid_t euid,
                                             const UserDb& db = {});

}  // namespace borealis::runner
