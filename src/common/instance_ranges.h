// Instance lists such as "0-2,5", from job keys (KEY/0-2,5) and the API's ?instances=.
// They come from callers, so their cost is bounded: the work is linear in the text, never
// in the size of the ranges it names (200 copies of 0-999999 once took 10.9 s).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis {

inline constexpr int32_t kMaxInstanceId = 999'999;       // instance ids are 0..this
inline constexpr size_t kMaxInstanceListParts = 1'000;   // comma-separated ids or ranges
inline constexpr size_t kMaxInstanceListBytes = 16'384;  // the text itself

// Ids first..last, both included.
struct InstanceRange {
  int32_t first = 0;
  int32_t last = 0;
  friend bool operator==(const InstanceRange&, const InstanceRange&) = default;
};

// The list as ranges, sorted and merged (overlapping and adjacent ranges become one), so
// each id is in exactly one range and ranges are apart by at least one missing id. Its cost
// is linear in the text; an error says what is wrong with the text.
Result<std::vector<InstanceRange>> parse_instance_range_list(std::string_view text);

// Every id of the ranges, in order.
std::vector<int32_t> expand_instance_ranges(const std::vector<InstanceRange>& ranges);

// Sorted, distinct ids: the two above in one step.
Result<std::vector<int32_t>> parse_instance_ranges(std::string_view text);

}  // namespace borealis
