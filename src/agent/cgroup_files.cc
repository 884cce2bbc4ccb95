#include "agent/cgroup_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "agent/file_util.h"
#include "common/strings.h"

namespace borealis::agent {

namespace {

constexpr size_t kMaxCgroupFileBytes = 64 << 10;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
    s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

template <typename Fn>
void for_each_line(std::string_view text, Fn fn) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    fn(trim(text.substr(0, nl)));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

std::map<std::string, int64_t> parse_keyed_counters(std::string_view text) {
  std::map<std::string, int64_t> out;
  for_each_line(text, [&](std::string_view line) {
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return;
    if (auto n = parse_int64(trim(line.substr(sp + 1)))) out[std::string(line.substr(0, sp))] = *n;
  });
  return out;
}

Result<int64_t> parse_cgroup_value(std::string_view text) {
  std::string_view v = trim(text);
  if (v == "max") return int64_t{-1};
  auto n = parse_int64(v);
  if (!n) return invalid_argument("expected an integer or 'max', got '" + std::string(v) + "'");
  return *n;
}

std::vector<int64_t> parse_procs(std::string_view text) {
  std::vector<int64_t> out;
  for_each_line(text, [&](std::string_view line) {
    if (auto n = parse_int64(line); n && *n > 0) out.push_back(*n);
  });
  return out;
}

Result<std::string> read_cgroup_file(const std::string& path) {
  return read_file(path, kMaxCgroupFileBytes);
}

Result<int64_t> read_cgroup_value(const std::string& path) {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_cgroup_file(path));
  auto v = parse_cgroup_value(text);
  if (!v.ok()) return invalid_argument(path + ": " + v.status().message());
  return v;
}

Result<int64_t> read_cgroup_counter(const std::string& path, std::string_view key) {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_cgroup_file(path));
  auto counters = parse_keyed_counters(text);
  auto it = counters.find(std::string(key));
  if (it == counters.end()) return not_found(path + " has no '" + std::string(key) + "'");
  return it->second;
}

Status write_cgroup_file(const std::string& path, std::string_view value) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return io_error("cannot open " + path + ": " + errno_text(errno));
  ssize_t n = ::write(fd, value.data(), value.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(value.size()))
    return io_error("cannot write '" + std::string(value) + "' to " + path + ": " +
                    (n < 0 ? errno_text(err) : std::string("short write")));
  return Status();
}

}  // namespace borealis::agent
