#include "common/job_key.h"

#include <vector>

#include "common/strings.h"

namespace borealis {

std::string JobKey::to_string() const { return role + "/" + environment + "/" + name; }

std::string ClusterJobKey::to_string() const { return cluster + "/" + job.to_string(); }

Status validate_identifier(std::string_view what, std::string_view value) {
  if (value.empty()) {
    return invalid_argument(std::string(what) + " must not be empty");
  }
  if (value.size() > 255) {
    return invalid_argument(std::string(what) + " is longer than 255 characters");
  }
  for (char c : value) {
    bool good = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.';
    if (!good) {
      return invalid_argument(std::string(what) + " '" + std::string(value) +
                              "' may only contain letters, digits, '_', '-' and '.'");
    }
  }
  return Status();
}

Result<ClusterJobKey> parse_cluster_job_key(std::string_view text) {
  std::vector<std::string> parts = split(text, '/');
  if (parts.size() != 4) {
    return invalid_argument("job key '" + std::string(text) +
                            "' must have the form CLUSTER/ROLE/ENVIRONMENT/NAME");
  }
  static const char* kWhat[] = {"cluster", "role", "environment", "name"};
  for (size_t i = 0; i < 4; ++i) {
    Status st = validate_identifier(kWhat[i], parts[i]);
    if (!st.ok()) return st.with_context("job key '" + std::string(text) + "'");
  }
  return ClusterJobKey{parts[0], JobKey{parts[1], parts[2], parts[3]}};
}

Result<JobKey> parse_job_key(std::string_view text) {
  std::vector<std::string> parts = split(text, '/');
  if (parts.size() != 3) {
    return invalid_argument("job key '" + std::string(text) +
                            "' must have the form ROLE/ENVIRONMENT/NAME");
  }
  static const char* kWhat[] = {"role", "environment", "name"};
  for (size_t i = 0; i < 3; ++i) {
    Status st = validate_identifier(kWhat[i], parts[i]);
    if (!st.ok()) return st.with_context("job key '" + std::string(text) + "'");
  }
  return JobKey{parts[0], parts[1], parts[2]};
}

}  // namespace borealis
