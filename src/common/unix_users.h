// Looking a Unix account up by name through the C library (getpwnam_r: NSS, so LDAP and
// the like count). The runner does not use it: it is static and reads /etc/passwd itself
// (runner/user_db.h).
//
// Thread-safety: reentrant.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace borealis {

struct UnixAccount {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// nullopt when the host has no such account (or the lookup itself failed).
std::optional<UnixAccount> find_unix_account(const std::string& name);

}  // namespace borealis
