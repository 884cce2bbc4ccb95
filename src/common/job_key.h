// Job keys: cluster/role/environment/name, as Aurora spells them.
#pragma once

#include <compare>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis {

struct JobKey {
  std::string role;
  std::string environment;
  std::string name;

  // "role/environment/name"
  std::string to_string() const;
  auto operator<=>(const JobKey&) const = default;
};

struct ClusterJobKey {
  std::string cluster;
  JobKey job;
  std::string to_string() const;  // "cluster/role/environment/name"
};

// Aurora's identifier rule for role, environment and name: [A-Za-z0-9_.-]+, at most
// 255 characters. Returns an error naming `what` ("role", "environment", "name").
Status validate_identifier(std::string_view what, std::string_view value);

// Parses "cluster/role/env/name"; each part must be a valid identifier.
Result<ClusterJobKey> parse_cluster_job_key(std::string_view text);
// Parses "role/env/name".
Result<JobKey> parse_job_key(std::string_view text);

}  // namespace borealis

template <>
struct std::hash<borealis::JobKey> {
  size_t operator()(const borealis::JobKey& k) const noexcept {
    size_t h = std::hash<std::string>()(k.role);
    h = h * 31 + std::hash<std::string>()(k.environment);
    h = h * 31 + std::hash<std::string>()(k.name);
    return h;
  }
};
