// The agent following a runner's checkpoint file as it grows (agent::CheckpointTail): the
// input's first byte says how many times (0-3) the file is read while it is written, the
// next bytes where those reads happen, and the rest is what the runner writes.
//
// Invariants: reading while the file grows gives the same records, bad-line count and
// offset as reading the finished file once; the offset is the end of the last whole line
// (inputs are far below CheckpointTail::kMaxReadBytes, so each read catches up).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/checkpoint_reader.h"
#include "common/log.h"
#include "fuzz_check.h"
#include "taskcontract/sandbox_layout.h"
#include "testing/temp_dir.h"

namespace borealis::fuzz {
namespace {

// A task directory with its .runner/, as the agent makes it.
const std::string& task_dir() {
  static testing::TempDir dir("borealis-fuzz-checkpoint");
  static const bool made =
      ::mkdir((dir.path() + "/" + taskcontract::kRunnerDir).c_str(), 0700) == 0;
  FUZZ_CHECK(made, "cannot make " + dir.path() + "/" + taskcontract::kRunnerDir);
  return dir.path();
}

const std::string& checkpoint_path() {
  static const std::string path = task_dir() + "/" + taskcontract::kCheckpointPath;
  return path;
}

void append(std::string_view bytes, bool truncate) {
  int fd = ::open(checkpoint_path().c_str(),
                  O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : O_APPEND), 0600);
  FUZZ_CHECK(fd >= 0, "cannot open " + checkpoint_path());
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    FUZZ_CHECK(n > 0, "cannot write " + checkpoint_path());
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  ::close(fd);
}

std::vector<agent::CheckpointRecord> read_all(agent::CheckpointTail& tail) {
  auto records = tail.read_new();
  FUZZ_CHECK(records.ok(), "reading the checkpoint failed: " + records.status().message());
  FUZZ_CHECK(tail.caught_up(), "a read of a small file did not reach its end");
  return std::move(records).value();
}

}  // namespace
}  // namespace borealis::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // every bad line is logged; the target makes many
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  if (size == 0) return 0;
  size_t reads = std::min<size_t>(data[0] % 4, size - 1);
  std::string_view text(reinterpret_cast<const char*>(data) + 1 + reads, size - 1 - reads);
  std::vector<size_t> cuts;
  for (size_t i = 0; i < reads; ++i) cuts.push_back(data[1 + i] * text.size() / 256);
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(text.size());

  fuzz::append("", true);
  agent::CheckpointTail growing(fuzz::task_dir());
  std::vector<agent::CheckpointRecord> seen;
  size_t written = 0;
  for (size_t cut : cuts) {
    fuzz::append(text.substr(written, cut - written), false);
    written = cut;
    auto records = fuzz::read_all(growing);
    seen.insert(seen.end(), records.begin(), records.end());
  }
  agent::CheckpointTail once(fuzz::task_dir());
  auto all = fuzz::read_all(once);
  FUZZ_CHECK(seen == all, "reading while the file grows gives other records");
  FUZZ_CHECK(growing.bad_lines() == once.bad_lines(),
             "bad lines: " + std::to_string(growing.bad_lines()) + " while growing, " +
                 std::to_string(once.bad_lines()) + " at once");
  size_t last_newline = text.rfind('\n');
  int64_t whole_lines = last_newline == std::string_view::npos ? 0 : last_newline + 1;
  FUZZ_CHECK(growing.offset() == whole_lines && once.offset() == whole_lines,
             "offsets " + std::to_string(growing.offset()) + " and " +
                 std::to_string(once.offset()) + ", whole lines end at " +
                 std::to_string(whole_lines));
  return 0;
}
