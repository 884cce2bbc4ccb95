// The runner's checkpoint as text (src/taskcontract/checkpoint_record.h): each line parsed
// as a record, and the whole text as a checkpoint.
//
// Invariants: a record that parses formats as exactly one line (a newline inside a field
// would split it into two records) that parses back to the same record; the whole text
// parses to the records of its complete lines.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "taskcontract/checkpoint_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  using taskcontract::CheckpointRecord;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<CheckpointRecord> records;
  bool all_lines_parse = true;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;
    auto record = taskcontract::parse_record(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (!record.ok()) {
      all_lines_parse = false;
      continue;
    }
    std::string line = taskcontract::format_record(*record);
    FUZZ_CHECK(!line.empty() && line.find('\n') == line.size() - 1,
               "a record formats as other than one line: " + line);
    auto again = taskcontract::parse_record(std::string_view(line).substr(0, line.size() - 1));
    FUZZ_CHECK(again.ok(),
               "a formatted record does not parse: " + again.status().message() + "\n" + line);
    FUZZ_CHECK(*again == *record, "a formatted record parses differently: " + line);
    records.push_back(std::move(record).value());
  }
  auto whole = taskcontract::parse_checkpoint(text);
  FUZZ_CHECK(whole.ok() == all_lines_parse,
             "the checkpoint and its lines disagree: " +
                 (whole.ok() ? std::string("checkpoint parses") : whole.status().message()));
  if (whole.ok()) FUZZ_CHECK(*whole == records, "the checkpoint parses to other records");
  return 0;
}
