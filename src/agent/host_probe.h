// HostProbe: what the agent detects about its host when flags do not say (CPUs, memory,
// free disk, hostname, where its own executable is). The real one reads /proc, /sys and
// statvfs; tests give fixed answers. The parsers are separate so tests feed them text.
//
// Thread-safety: SystemHostProbe is stateless; the parsers are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis::agent {

class HostProbe {
 public:
  virtual ~HostProbe() = default;
  virtual Result<double> online_cpus() const = 0;
  virtual Result<int64_t> memory_bytes() const = 0;
  virtual Result<int64_t> free_disk_bytes(const std::string& path) const = 0;
  virtual Result<std::string> hostname() const = 0;
  // The directory of the running executable (/proc/self/exe).
  virtual Result<std::string> executable_dir() const = 0;
};

class SystemHostProbe final : public HostProbe {
 public:
  Result<double> online_cpus() const override;
  Result<int64_t> memory_bytes() const override;
  Result<int64_t> free_disk_bytes(const std::string& path) const override;
  Result<std::string> hostname() const override;
  Result<std::string> executable_dir() const override;
};

// Counts the CPUs in a kernel CPU list ("0-3,6,8-9\n" -> 7), as in
// /sys/devices/system/cpu/online; nullopt when malformed.
std::optional<int> count_cpu_list(std::string_view list);
// MemTotal from /proc/meminfo text, in bytes; nullopt when absent or malformed.
std::optional<int64_t> parse_meminfo_total(std::string_view meminfo);

}  // namespace borealis::agent
