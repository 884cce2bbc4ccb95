// Parsing the job arguments of CLI commands: CLUSTER/ROLE/ENV/NAME[/INSTANCES] and
// CLUSTER[/ROLE[/ENV]]. Errors say which part of which argument is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/job_key.h"
#include "common/result.h"

namespace borealis::cli {

// A job key with an optional instance list ("devcluster/www/prod/hello/0-1,4").
struct InstanceKey {
  ClusterJobKey key;
  std::optional<std::vector<int32_t>> instances;  // sorted, distinct; nullopt = not given
};

Result<InstanceKey> parse_instance_key(std::string_view text);

// A job key without instances; "c/r/e/n/0" is an error here.
Result<ClusterJobKey> parse_job_key_arg(std::string_view text);

// CLUSTER, CLUSTER/ROLE or CLUSTER/ROLE/ENV: which jobs `job list` shows (and, with
// /NAME, which updates `update list` shows).
struct JobFilter {
  std::string cluster;
  std::string role;         // empty = any
  std::string environment;  // empty = any (only with a role)
  std::string name;         // empty = any (only with an environment)
  std::string to_string() const;
};

Result<JobFilter> parse_job_filter(std::string_view text);
// CLUSTER[/ROLE[/ENV[/NAME]]]
Result<JobFilter> parse_update_filter(std::string_view text);

// {0, 1, 2, 4} -> "0-2,4": the inverse of parse_instance_ranges.
std::string format_instance_ranges(const std::vector<int32_t>& ids);

}  // namespace borealis::cli
