#include "cli/job_args.h"

#include "common/instance_ranges.h"
#include "common/strings.h"

namespace borealis::cli {

Result<InstanceKey> parse_instance_key(std::string_view text) {
  std::vector<std::string> parts = split(text, '/');
  if (parts.size() != 4 && parts.size() != 5) {
    return invalid_argument("job key '" + std::string(text) +
                            "' must have the form CLUSTER/ROLE/ENVIRONMENT/NAME[/INSTANCES]");
  }
  InstanceKey out;
  std::string_view key_text = text;
  if (parts.size() == 5) {
    key_text = text.substr(0, text.rfind('/'));
    auto ids = parse_instance_ranges(parts[4]);
    if (!ids.ok() || ids->empty()) {
      return invalid_argument("instances '" + parts[4] + "' in '" + std::string(text) +
                              "' must be a list of instance ids and ranges, such as 0-2,5" +
                              (ids.ok() ? "" : ": " + ids.status().message()));
    }
    out.instances = std::move(*ids);
  }
  BOREALIS_ASSIGN_OR_RETURN(out.key, parse_cluster_job_key(key_text));
  return out;
}

Result<ClusterJobKey> parse_job_key_arg(std::string_view text) {
  if (split(text, '/').size() == 5) {
    return invalid_argument("job key '" + std::string(text) +
                            "' must have the form CLUSTER/ROLE/ENVIRONMENT/NAME; this command "
                            "does not take instances");
  }
  return parse_cluster_job_key(text);
}

std::string JobFilter::to_string() const {
  std::string s = cluster;
  if (!role.empty()) s += "/" + role;
  if (!environment.empty()) s += "/" + environment;
  if (!name.empty()) s += "/" + name;
  return s;
}

namespace {

Result<JobFilter> parse_filter(std::string_view text, size_t max_parts) {
  std::vector<std::string> parts = split(text, '/');
  if (parts.empty() || parts.size() > max_parts) {
    return invalid_argument(
        "'" + std::string(text) + "' must have the form " +
        (max_parts == 3 ? "CLUSTER[/ROLE[/ENVIRONMENT]]" : "CLUSTER[/ROLE[/ENVIRONMENT[/NAME]]]"));
  }
  static const char* kWhat[] = {"cluster", "role", "environment", "name"};
  for (size_t i = 0; i < parts.size(); ++i) {
    Status st = validate_identifier(kWhat[i], parts[i]);
    if (!st.ok()) return st.with_context("'" + std::string(text) + "'");
  }
  JobFilter f;
  f.cluster = parts[0];
  if (parts.size() > 1) f.role = parts[1];
  if (parts.size() > 2) f.environment = parts[2];
  if (parts.size() > 3) f.name = parts[3];
  return f;
}

}  // namespace

Result<JobFilter> parse_job_filter(std::string_view text) { return parse_filter(text, 3); }

Result<JobFilter> parse_update_filter(std::string_view text) { return parse_filter(text, 4); }

std::string format_instance_ranges(const std::vector<int32_t>& ids) {
  std::string out;
  size_t i = 0;
  while (i < ids.size()) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(ids[i]);
    if (j > i) out += "-" + std::to_string(ids[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace borealis::cli
