#include "agent/host_probe.h"

#include <limits.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include "agent/file_util.h"
#include "common/strings.h"

namespace borealis::agent {

std::optional<int> count_cpu_list(std::string_view list) {
  list = trim(list);
  if (list.empty()) return std::nullopt;
  int count = 0;
  for (const auto& part : split(list, ',')) {
    auto dash = part.find('-');
    auto lo = parse_int64(dash == std::string::npos ? part : part.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_int64(part.substr(dash + 1));
    if (!lo || !hi || *lo < 0 || *hi < *lo) return std::nullopt;
    count += static_cast<int>(*hi - *lo + 1);
  }
  return count;
}

std::optional<int64_t> parse_meminfo_total(std::string_view meminfo) {
  for (const auto& line : split(meminfo, '\n')) {
    if (!starts_with(line, "MemTotal:")) continue;
    std::string_view rest = trim(std::string_view(line).substr(9));
    auto space = rest.find(' ');
    auto kb = parse_int64(rest.substr(0, space));
    std::string_view unit = space == std::string_view::npos ? "" : trim(rest.substr(space));
    if (!kb || *kb <= 0 || (unit != "kB" && !unit.empty())) return std::nullopt;
    return *kb * (unit.empty() ? 1 : 1024);
  }
  return std::nullopt;
}

Result<double> SystemHostProbe::online_cpus() const {
  auto text = read_file("/sys/devices/system/cpu/online", 4096);
  if (text.ok())
    if (auto n = count_cpu_list(*text)) return static_cast<double>(*n);
  long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (n <= 0) return io_error("cannot count online CPUs");
  return static_cast<double>(n);
}

Result<int64_t> SystemHostProbe::memory_bytes() const {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_file("/proc/meminfo", 1 << 20));
  auto total = parse_meminfo_total(text);
  if (!total) return io_error("/proc/meminfo: no MemTotal line");
  return *total;
}

Result<int64_t> SystemHostProbe::free_disk_bytes(const std::string& path) const {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0)
    return io_error("statvfs " + path + ": " + errno_text(errno));
  return static_cast<int64_t>(st.f_bavail) * static_cast<int64_t>(st.f_frsize);
}

Result<std::string> SystemHostProbe::hostname() const {
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return io_error("gethostname: " + errno_text(errno));
  return std::string(buf);
}

Result<std::string> SystemHostProbe::executable_dir() const {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return io_error("readlink /proc/self/exe: " + errno_text(errno));
  std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

}  // namespace borealis::agent
