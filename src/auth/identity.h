// Who is calling, and what they may do. Authorization is per role: an identity acts on
// the jobs of the roles it holds; a role may protect its `prod` environment with a grant
// of its own; admin actions (cluster-wide operations) need `admin`. An identity may also
// act as the agent of the hosts it lists (the agent protocol, /agent/v1/*).
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
  std::set<std::string> agents;      // may act as the agent of these hosts
  bool admin = false;                // may do anything, including admin actions
};

enum class AccessKind {
  kRead,      // see jobs, tasks, updates and agents: any authenticated identity
  kTaskData,  // a task's sandbox, files and logs: its role (they may hold secrets)
  kWrite,     // create, update, kill, restart a role's jobs: its role (and prod grant)
  kAdmin,     // cluster-wide operations (maintenance, backups, tokens): admins only
  kAgent,     // the agent protocol for `host`: identities that list the host in `agents`
};

// What a request needs. `role` and `environment` are empty for cluster-wide reads; `host`
// is set for kAgent only (empty: any agent identity, e.g. a poll from an agent id the
// scheduler does not know, which it refuses anyway).
struct Access {
  AccessKind kind = AccessKind::kRead;
  std::string role;
  std::string environment;
  std::string host;
};

}  // namespace borealis::auth
