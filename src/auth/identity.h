// Who is calling, and what they may do. Authorization is per role: an identity acts on
// the jobs of the roles it holds; a role may protect its `prod` environment with a grant
// of its own; admin actions (cluster-wide operations) need `admin`.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::auth {

struct Identity {
  std::string name;
  std::set<std::string> roles;       // may act on these roles' jobs
  std::set<std::string> prod_roles;  // may act on these roles' protected prod environments
  bool admin = false;                // may do anything, including admin actions
};

enum class AccessKind {
  kRead,      // see jobs, tasks, updates and agents: any authenticated identity
  kTaskData,  // a task's sandbox, files and logs: its role (they may hold secrets)
  kWrite,     // create, update, kill, restart a role's jobs: its role (and prod grant)
  kAdmin,     // cluster-wide operations (maintenance, backups, tokens): admins only
};

// What a request needs. `role` and `environment` are empty for cluster-wide reads.
struct Access {
  AccessKind kind = AccessKind::kRead;
  std::string role;
  std::string environment;
};

}  // namespace borealis::auth
