#include "agent/checkpoint_reader.h"

#include "common/beneath.h"
#include "common/log.h"
#include "taskcontract/sandbox_layout.h"

namespace borealis::agent {

Result<std::vector<CheckpointRecord>> CheckpointTail::read_new() {
  std::vector<CheckpointRecord> out;
  caught_up_ = true;
  auto fd = open_beneath(task_dir_, taskcontract::kCheckpointPath, OpenIntent::kReadFile);
  if (!fd.ok()) {
    if (fd.status().code() == StatusCode::kNotFound) return out;
    return fd.status();
  }
  seen_file_ = true;
  int64_t pos = offset_ + static_cast<int64_t>(partial_.size());
  BOREALIS_ASSIGN_OR_RETURN(std::string data,
                            read_at_most(*fd, pos, static_cast<size_t>(kMaxReadBytes)));
  caught_up_ = data.size() < static_cast<size_t>(kMaxReadBytes);
  std::string_view rest = data;
  std::string where = task_dir_ + "/" + taskcontract::kCheckpointPath;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    if (skipping_) {
      // The rest of an overlong line: consumed, never kept.
      size_t n = nl == std::string_view::npos ? rest.size() : nl + 1;
      offset_ += static_cast<int64_t>(n);
      rest.remove_prefix(n);
      if (nl != std::string_view::npos) skipping_ = false;
      continue;
    }
    if (nl == std::string_view::npos) {
      partial_.append(rest);
      if (partial_.size() > kMaxLineBytes) {
        ++bad_lines_;
        spdlog::warn("{}: skipping a line over {} bytes at byte {}", where, kMaxLineBytes, offset_);
        offset_ += static_cast<int64_t>(partial_.size());
        partial_.clear();
        skipping_ = true;
      }
      break;
    }
    std::string line = partial_ + std::string(rest.substr(0, nl));
    int64_t line_start = offset_;
    offset_ += static_cast<int64_t>(line.size() + 1);
    partial_.clear();
    rest.remove_prefix(nl + 1);
    if (line.empty()) continue;
    if (line.size() > kMaxLineBytes) {
      ++bad_lines_;
      spdlog::warn("{}: skipping a line over {} bytes at byte {}", where, kMaxLineBytes,
                   line_start);
      continue;
    }
    auto rec = taskcontract::parse_record(line);
    if (rec.ok()) {
      out.push_back(std::move(rec).value());
    } else {
      ++bad_lines_;
      spdlog::warn("{}: skipping a bad line at byte {}: {}", where, line_start,
                   rec.status().message());
    }
  }
  return out;
}

}  // namespace borealis::agent
