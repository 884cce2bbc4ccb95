// Where a job's ServerSet lives: ROOT/ROLE/ENVIRONMENT/JOB under --serverset-root (Aurora's
// announcer root, default /aurora), or the job's Announcer.zk_path when the operator allows
// that path (--zk-path-allow PREFIX, repeatable). Aurora allows any zk_path or none
// (--announcer-allow-custom-serverset-path); a prefix list lets an operator hand out parts
// of the tree without letting a job join another job's ServerSet.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis::discovery {

inline constexpr const char* kDefaultServersetRoot = "/aurora";

struct ServersetPolicy {
  std::string root = kDefaultServersetRoot;
  std::vector<std::string> allowed_zk_paths;  // prefixes, whole components
  // The host written in members (what routers and clients connect to); "" = the agent's
  // --hostname, which is right wherever that name resolves.
  std::string member_host;
};

// True when `path` is `prefix` or below it ("/a/b" is under "/a", "/ab" is not; every
// path is under "/").
bool path_under(std::string_view path, std::string_view prefix);

// The ServerSet node of a job's members. kPermissionDenied when zk_path is not under an
// allowed prefix; kInvalidArgument when it is not a valid node path.
Result<std::string> serverset_dir(const ServersetPolicy& policy, const std::string& role,
                                  const std::string& environment, const std::string& job,
                                  const std::optional<std::string>& zk_path);

}  // namespace borealis::discovery
