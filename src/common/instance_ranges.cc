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

Result<std::vector<InstanceRange>> parse_instance_range_list(std::string_view text) {
  if (text.size() > kMaxInstanceListBytes)
    return invalid_argument("instance list of " + std::to_string(text.size()) +
                            " bytes is longer than the limit of " +
                            std::to_string(kMaxInstanceListBytes));
  std::vector<std::string> parts = split(text, ',');
  if (parts.size() > kMaxInstanceListParts)
    return invalid_argument("instance list has " + std::to_string(parts.size()) +
                            " parts, more than the limit of " +
                            std::to_string(kMaxInstanceListParts));
  std::vector<InstanceRange> ranges;
  ranges.reserve(parts.size());
  for (const std::string& raw : parts) {
    std::string_view p = trim(raw);
    size_t dash = p.find('-', 1);
    if (dash == std::string_view::npos) {
      BOREALIS_ASSIGN_OR_RETURN(int32_t id, parse_id(p, p));
      ranges.push_back({id, id});
      continue;
    }
    BOREALIS_ASSIGN_OR_RETURN(int32_t lo, parse_id(p.substr(0, dash), p));
    BOREALIS_ASSIGN_OR_RETURN(int32_t hi, parse_id(p.substr(dash + 1), p));
    if (hi < lo) return invalid_argument("range '" + std::string(p) + "' ends before it starts");
    ranges.push_back({lo, hi});
  }
  // Merged before anything is expanded: the ids are then written once each, so the output
  // is at most kMaxInstanceId + 1 ids however the ranges repeat.
  std::sort(ranges.begin(), ranges.end(), [](const InstanceRange& a, const InstanceRange& b) {
    return a.first < b.first || (a.first == b.first && a.last < b.last);
  });
  std::vector<InstanceRange> merged;
  for (const InstanceRange& r : ranges) {
    if (!merged.empty() && int64_t{r.first} <= int64_t{merged.back().last} + 1)
      merged.back().last = std::max(merged.back().last, r.last);
    else
      merged.push_back(r);
  }
  return merged;
}

std::vector<int32_t> expand_instance_ranges(const std::vector<InstanceRange>& ranges) {
  size_t count = 0;
  for (const InstanceRange& r : ranges) count += static_cast<size_t>(r.last - r.first) + 1;
  std::vector<int32_t> ids;
  ids.reserve(count);
  for (const InstanceRange& r : ranges)
    for (int64_t i = r.first; i <= r.last; ++i) ids.push_back(static_cast<int32_t>(i));
  return ids;
}

Result<std::vector<int32_t>> parse_instance_ranges(std::string_view text) {
  BOREALIS_ASSIGN_OR_RETURN(std::vector<InstanceRange> ranges, parse_instance_range_list(text));
  return expand_instance_ranges(ranges);
}

}  // namespace borealis
