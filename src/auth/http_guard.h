// The check every guarded HTTP route makes before its handler runs: who is calling (the
// `Authorization: Bearer TOKEN` header, against the auth file) and whether that identity
// has the access the route declares. Servers declare each route's access in their route
// table (scheduler/server/endpoints.h, agent/agent_http.cc) and resolve the role, the
// environment or the host it acts on; the guard only decides. The net library stays free
// of authentication: the guard wraps handlers.
//
// Thread-safety: const methods over an immutable AuthConfig; any thread.
#pragma once

#include <string_view>

#include "auth/auth_config.h"
#include "common/result.h"
#include "net/http_types.h"

namespace borealis::auth {

class HttpGuard {
 public:
  // `config` is borrowed and must outlive the guard; null turns authentication off (every
  // request passes, as on a loopback-only `borealis dev`).
  explicit HttpGuard(const AuthConfig* config = nullptr) : config_(config) {}

  bool enabled() const { return config_ != nullptr; }

  // The caller, or UNAUTHENTICATED for a missing, malformed or unknown token. Null (and
  // OK) when authentication is off.
  Result<const Identity*> authenticate(const net::HttpRequest& request) const;

  // OK when `who` may have `access` (always when authentication is off), else
  // PERMISSION_DENIED naming the user and the missing grant.
  Status authorize(const Identity* who, const Access& access) const;

  // Both steps at once.
  Status check(const net::HttpRequest& request, const Access& access) const;

 private:
  const AuthConfig* config_;
};

// True for 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and "localhost".
bool is_loopback_address(std::string_view address);

// Where a server may listen: anywhere with authentication; without it only on a loopback
// address, unless `insecure`. The error names the address and `flag`.
Status check_bind_address(std::string_view address, bool authenticated, bool insecure,
                          std::string_view flag);

// The error answer for `status` through the API's one table (src/api/http_status.h): 401
// and 403 for what the guard refuses, 400, 404, ... for the handlers' errors.
net::HttpResponse error_answer(const Status& status);

}  // namespace borealis::auth
