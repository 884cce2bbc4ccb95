#include "agent/checkpoint_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "agent/file_util.h"
#include "common/json.h"
#include "common/log.h"

namespace borealis::agent {

namespace {

int64_t int_field(const json::object& o, std::string_view key, int64_t fallback = 0) {
  auto it = o.find(key);
  if (it == o.end()) return fallback;
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64()) return static_cast<int64_t>(it->value().get_uint64());
  return fallback;
}

std::string string_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return "";
  return std::string(it->value().get_string());
}

std::optional<int64_t> optional_int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !(it->value().is_int64() || it->value().is_uint64())) return std::nullopt;
  return int_field(o, key);
}

}  // namespace

Result<CheckpointRecord> parse_checkpoint_line(std::string_view line) {
  auto v = parse_json(line);
  if (!v.ok()) return v.status();
  if (!v->is_object()) return invalid_argument("checkpoint record: expected an object");
  const auto& o = v->get_object();
  CheckpointRecord r;
  std::string type = string_field(o, "type");
  if (type == "runner") {
    r.type = CheckpointRecord::Type::kRunner;
  } else if (type == "task") {
    r.type = CheckpointRecord::Type::kTask;
  } else if (type == "process") {
    r.type = CheckpointRecord::Type::kProcess;
  } else if (type.empty()) {
    return invalid_argument("checkpoint record: no \"type\"");
  }
  r.ts = int_field(o, "ts");
  r.state = string_field(o, "state");
  r.name = string_field(o, "name");
  r.run = int_field(o, "run");
  r.pid = int_field(o, "pid");
  r.start_ticks = int_field(o, "start_ticks");
  r.exit_code = optional_int(o, "exit_code");
  r.signal = optional_int(o, "signal");
  r.message = string_field(o, "message");
  if (r.type == CheckpointRecord::Type::kRunner && r.pid <= 0)
    return invalid_argument("checkpoint runner record: no pid");
  if ((r.type == CheckpointRecord::Type::kTask || r.type == CheckpointRecord::Type::kProcess) &&
      r.state.empty())
    return invalid_argument("checkpoint " + type + " record: no state");
  return r;
}

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
      auto rec = parse_checkpoint_line(line);
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
