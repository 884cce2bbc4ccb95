// Instance lists ("0-2,5") as `?instances=` and job keys (KEY/0-2,5) carry them.
//
// Invariants: a parsed list is sorted, distinct and within 0..kMaxInstanceId; the CLI's
// format_instance_ranges writes it back as text that parses to the same ids (so it fits the
// limits too); a job key with that list reads the same ids.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/job_args.h"
#include "common/instance_ranges.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ids = parse_instance_ranges(text);
  if (!ids.ok()) return 0;
  for (size_t i = 0; i < ids->size(); ++i) {
    int32_t id = (*ids)[i];
    FUZZ_CHECK(id >= 0 && id <= kMaxInstanceId, "id out of range: " + std::to_string(id));
    FUZZ_CHECK(i == 0 || (*ids)[i - 1] < id, "ids not sorted and distinct at " + std::to_string(i));
  }
  std::string formatted = cli::format_instance_ranges(*ids);
  auto again = parse_instance_ranges(formatted);
  FUZZ_CHECK(again.ok(), "formatted list does not parse: " + again.status().message());
  FUZZ_CHECK(*again == *ids, "formatted list parses differently: " + formatted);
  if (!ids->empty() && text.find('/') == std::string_view::npos) {
    auto key = cli::parse_instance_key("devcluster/www/prod/hello/" + std::string(text));
    FUZZ_CHECK(key.ok() && key->instances == *ids,
               "a job key with the list reads differently: " +
                   (key.ok() ? std::string("other ids") : key.status().message()));
  }
  return 0;
}
