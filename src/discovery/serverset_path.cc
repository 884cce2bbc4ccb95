#include "discovery/serverset_path.h"

#include "zk/node_path.h"

namespace borealis::discovery {

bool path_under(std::string_view path, std::string_view prefix) {
  if (prefix == "/") return !path.empty() && path.front() == '/';
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

Result<std::string> serverset_dir(const ServersetPolicy& policy, const std::string& role,
                                  const std::string& environment, const std::string& job,
                                  const std::optional<std::string>& zk_path) {
  if (!zk_path) {
    std::string dir =
        (policy.root == "/" ? "" : policy.root) + "/" + role + "/" + environment + "/" + job;
    if (Status st = zk::validate_node_path(dir); !st.ok())
      return invalid_argument("serverset of " + role + "/" + environment + "/" + job + ": " +
                              st.message());
    return dir;
  }
  if (Status st = zk::validate_node_path(*zk_path); !st.ok())
    return invalid_argument("Announcer.zk_path: " + st.message());
  for (const auto& prefix : policy.allowed_zk_paths)
    if (path_under(*zk_path, prefix)) return *zk_path;
  std::string allowed;
  for (const auto& prefix : policy.allowed_zk_paths)
    allowed += (allowed.empty() ? "" : ", ") + prefix;
  return permission_denied(
      "Announcer.zk_path '" + *zk_path + "' is not under a path the agent " + "allows (" +
      (allowed.empty() ? "it has no --zk-path-allow" : "--zk-path-allow " + allowed) + ")");
}

}  // namespace borealis::discovery
