#include "zk/sequential_node.h"

#include <algorithm>

#include "common/strings.h"

namespace borealis::zk {

std::optional<int64_t> sequence_number(std::string_view name, std::string_view prefix) {
  if (!starts_with(name, prefix)) return std::nullopt;
  std::string_view digits = name.substr(prefix.size());
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return parse_int64(digits);
}

Result<std::string> owned_sequential_child(Session& session, const std::string& dir,
                                           std::string_view prefix) {
  auto names = session.children(dir);
  if (!names.ok() && names.status().code() == StatusCode::kNotFound) return std::string();
  if (!names.ok()) return names.status();
  const int64_t self = session.session_id();
  for (const std::string& name : *names) {
    if (!sequence_number(name, prefix)) continue;
    auto stat = session.exists(dir + "/" + name);
    if (!stat.ok()) return stat.status();
    if (*stat && (*stat)->ephemeral_owner == self) return dir + "/" + name;
  }
  return std::string();
}

}  // namespace borealis::zk
