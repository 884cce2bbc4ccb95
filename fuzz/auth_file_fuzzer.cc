// The auth file (--auth-file) as auth::AuthConfig reads it: YAML from the operator, and
// yaml-cpp's exceptions must stay inside the loader.
//
// Invariants: a refused file's error starts with FILE:LINE; in a loaded file user names are
// distinct, and each user may read, may write a role exactly when it holds it (or is
// admin), and may do admin actions exactly when it is admin.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "auth/auth_config.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  using auth::Access;
  using auth::AccessKind;
  const std::string source = "fuzz-auth.yaml";
  auto config =
      auth::AuthConfig::parse(std::string_view(reinterpret_cast<const char*>(data), size), source);
  if (!config.ok()) {
    const std::string& m = config.status().message();
    FUZZ_CHECK(m.compare(0, source.size() + 1, source + ":") == 0 && m.size() > source.size() + 1 &&
                   std::isdigit(static_cast<unsigned char>(m[source.size() + 1])),
               "an error without FILE:LINE: " + m);
    return 0;
  }
  std::set<std::string> names;
  for (const auth::Identity& who : config->users()) {
    FUZZ_CHECK(names.insert(who.name).second, "user listed twice: " + who.name);
    FUZZ_CHECK(config->authorize(who, Access{AccessKind::kRead, "", ""}).ok(),
               who.name + " may not read");
    FUZZ_CHECK(config->authorize(who, Access{AccessKind::kAdmin, "", ""}).ok() == who.admin,
               who.name + ": admin access disagrees with admin: " + (who.admin ? "true" : "false"));
    for (const std::string& role : {std::string("www-data"), std::string("fuzz-role")}) {
      bool may = config->authorize(who, Access{AccessKind::kWrite, role, "devel"}).ok();
      FUZZ_CHECK(may == (who.admin || who.roles.count(role) > 0),
                 who.name + ": write on " + role + " disagrees with its roles");
    }
    for (const std::string& role : who.roles) {
      FUZZ_CHECK(config->authorize(who, Access{AccessKind::kTaskData, role, "devel"}).ok(),
                 who.name + " may not read the task data of its role " + role);
    }
  }
  return 0;
}
