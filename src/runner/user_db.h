// Looks a user up in /etc/passwd and /etc/group by reading the files. The runner is a
// static binary, where getpwnam() would load NSS modules at run time (more memory, and a
// glibc version coupling); local files are what task users are on our hosts.
//
// Thread-safety: pure functions (they read files).
#pragma once

#include <sys/types.h>

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

}  // namespace borealis::runner
