#include "common/unix_users.h"

#include <pwd.h>

#include <vector>

namespace borealis {

std::optional<UnixAccount> find_unix_account(const std::string& name) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
    return std::nullopt;
  return UnixAccount{found->pw_name, found->pw_uid, found->pw_gid};
}

}  // namespace borealis
