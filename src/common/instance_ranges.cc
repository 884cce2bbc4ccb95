#include "common/instance_ranges.h"

#include <algorithm>
#include <string>
#include <utility>

#include "common/strings.h"

namespace borealis {

namespace {

Result<int32_t> parse_id(std::string_view s, std::string_view part) {
  auto v = parse_int64(s);
  if (!v || *v < 0)
    return invalid_argument("'" + std::string(part) + "' is not an instance id or a range LO-HI");
  if (*v > kMaxInstanceId)
    return invalid_argument("instance id " + std::to_string(*v) + " is above the maximum of " +
                            std::to_string(kMaxInstanceId));
  return static_cast<int32_t>(*v);
}

}  // namespace

Result<std::vector<int32_t>> parse_instance_ranges(std::string_view text) {
  if (text.size() > kMaxInstanceListBytes)
    return invalid_argument("instance list of " + std::to_string(text.size()) +
                            " bytes is longer than the limit of " +
                            std::to_string(kMaxInstanceListBytes));
  std::vector<std::string> parts = split(text, ',');
  if (parts.size() > kMaxInstanceListParts)
    return invalid_argument("instance list has " + std::to_string(parts.size()) +
                            " parts, more than the limit of " +
                            std::to_string(kMaxInstanceListParts));
  std::vector<std::pair<int32_t, int32_t>> ranges;
  ranges.reserve(parts.size());
  for (const std::string& raw : parts) {
    std::string_view p = trim(raw);
    size_t dash = p.find('-', 1);
    if (dash == std::string_view::npos) {
      BOREALIS_ASSIGN_OR_RETURN(int32_t id, parse_id(p, p));
      ranges.emplace_back(id, id);
      continue;
    }
    BOREALIS_ASSIGN_OR_RETURN(int32_t lo, parse_id(p.substr(0, dash), p));
    BOREALIS_ASSIGN_OR_RETURN(int32_t hi, parse_id(p.substr(dash + 1), p));
    if (hi < lo) return invalid_argument("range '" + std::string(p) + "' ends before it starts");
    ranges.emplace_back(lo, hi);
  }
  // Merge overlapping ranges first: the ids are then written once each, so the output is
  // at most kMaxInstanceId + 1 ids however the ranges repeat.
  std::sort(ranges.begin(), ranges.end());
  std::vector<int32_t> ids;
  int64_t next = 0;  // the first id not yet written
  for (auto [lo, hi] : ranges) {
    for (int64_t i = std::max<int64_t>(lo, next); i <= hi; ++i)
      ids.push_back(static_cast<int32_t>(i));
    next = std::max<int64_t>(next, int64_t{hi} + 1);
  }
  return ids;
}

}  // namespace borealis
