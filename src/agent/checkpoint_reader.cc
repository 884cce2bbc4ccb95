#include "agent/checkpoint_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "agent/file_util.h"
#include "common/log.h"

namespace borealis::agent {

Result<std::vector<CheckpointRecord>> CheckpointTail::read_new() {
  std::vector<CheckpointRecord> out;
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return out;
    return io_error("cannot open " + path_ + ": " + errno_text(errno));
  }
  seen_file_ = true;
  char buf[64 * 1024];
  int64_t pos = offset_ + static_cast<int64_t>(partial_.size());
  while (true) {
    ssize_t n = ::pread(fd, buf, sizeof buf, pos);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return io_error("cannot read " + path_ + ": " + errno_text(err));
    }
    if (n == 0) break;
    partial_.append(buf, static_cast<size_t>(n));
    pos += n;
  }
  ::close(fd);
  size_t start = 0;
  while (true) {
    size_t nl = partial_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view line(partial_.data() + start, nl - start);
    if (!line.empty()) {
      auto rec = taskcontract::parse_record(line);
      if (rec.ok()) {
        out.push_back(std::move(rec).value());
      } else {
        ++bad_lines_;
        spdlog::warn("{}: skipping a bad line at byte {}: {}", path_,
                     offset_ + static_cast<int64_t>(start), rec.status().message());
      }
    }
    start = nl + 1;
  }
  offset_ += static_cast<int64_t>(start);
  partial_.erase(0, start);
  return out;
}

}  // namespace borealis::agent
