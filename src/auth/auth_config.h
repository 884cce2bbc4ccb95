// The auth file given with --auth-file, and the checks every route makes with it:
//
//   users:
//     - name: alice
//       token_sha256: 9f86d0...   # borealis admin token create prints it
//       roles: [www-data, analytics]
//       prod_roles: [www-data]    # grants for roles whose prod is protected
//       agents: [host-a]          # may act as these hosts' agents (/agent/v1/*)
//       admin: false
//   protected_prod_roles: [www-data]   # these roles' `prod` needs a prod_roles grant
//
// Unknown keys, duplicate names or digests and malformed digests are errors with FILE:LINE.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/identity.h"
#include "common/result.h"

namespace borealis::auth {

class AuthConfig {
 public:
  static Result<AuthConfig> load_file(const std::string& path);
  static Result<AuthConfig> parse(std::string_view yaml, const std::string& source_name);

  // The identity behind an `Authorization` header value ("Bearer TOKEN"). UNAUTHENTICATED
  // when it is missing, malformed or matches no user.
  Result<const Identity*> authenticate(std::optional<std::string_view> authorization) const;

  // Adds an identity that the file does not list, with its token (`borealis dev` mints one
  // for its own agent). ALREADY_EXISTS when the name or the token is taken.
  Status add_user(Identity identity, std::string_view token);

  // OK, or PERMISSION_DENIED naming the user and the grant that is missing.
  Status authorize(const Identity& who, const Access& access) const;

  const std::vector<Identity>& users() const { return users_; }

 private:
  struct User {
    std::string token_sha256;  // lowercase hex
    size_t identity;           // index into users_
  };
  std::vector<Identity> users_;
  std::vector<User> tokens_;
  std::vector<std::string> protected_prod_roles_;
};

}  // namespace borealis::auth
