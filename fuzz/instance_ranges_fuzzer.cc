// Instance lists ("0-2,5") as `?instances=` and job keys (KEY/0-2,5) carry them.
//
// Invariants: the parsed ranges are sorted, within 0..kMaxInstanceId, and apart (merged
// when they overlap or touch); parsing to ids agrees with expanding the ranges; the CLI's
// format_instance_ranges writes the ids back as text that parses to the same ranges (so it
// fits the limits too); a job key with that list reads the same ids.
//
// The id-level checks run for lists of at most kMaxCheckedIds ids: a list such as 0-999999
// is 8 bytes but a million ids, and expanding it on every input held the target at ~1k
// executions/s. Expansion itself is a loop over the ranges checked above, and unit tests
// cover the full-size lists.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/job_args.h"
#include "common/instance_ranges.h"
#include "fuzz_check.h"

namespace {
constexpr int64_t kMaxCheckedIds = 65'536;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ranges = parse_instance_range_list(text);
  if (!ranges.ok()) {
    FUZZ_CHECK(!parse_instance_ranges(text).ok(), "ranges refused but ids accepted");
    return 0;
  }
  int64_t count = 0;
  for (size_t i = 0; i < ranges->size(); ++i) {
    const InstanceRange& r = (*ranges)[i];
    FUZZ_CHECK(r.first >= 0 && r.first <= r.last && r.last <= kMaxInstanceId,
               "range out of bounds: " + std::to_string(r.first) + "-" + std::to_string(r.last));
    FUZZ_CHECK(i == 0 || int64_t{(*ranges)[i - 1].last} + 1 < r.first,
               "ranges not sorted and apart at " + std::to_string(i));
    count += int64_t{r.last} - r.first + 1;
  }
  if (count > kMaxCheckedIds) return 0;

  auto ids = parse_instance_ranges(text);
  FUZZ_CHECK(ids.ok(), "ranges accepted but ids refused: " + ids.status().message());
  FUZZ_CHECK(static_cast<int64_t>(ids->size()) == count, "ids and ranges count differently");
  FUZZ_CHECK(*ids == expand_instance_ranges(*ranges), "ids differ from the expanded ranges");
  std::string formatted = cli::format_instance_ranges(*ids);
  auto again = parse_instance_range_list(formatted);
  FUZZ_CHECK(again.ok(), "formatted list does not parse: " + again.status().message());
  FUZZ_CHECK(*again == *ranges, "formatted list parses differently: " + formatted);
  if (!ids->empty() && text.find('/') == std::string_view::npos) {
    auto key = cli::parse_instance_key("devcluster/www/prod/hello/" + std::string(text));
    FUZZ_CHECK(key.ok() && key->instances == *ids,
               "a job key with the list reads differently: " +
                   (key.ok() ? std::string("other ids") : key.status().message()));
  }
  return 0;
}
