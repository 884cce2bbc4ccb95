// The cgroup file formats the agent reads and writes (v1 and v2), over plain paths so
// tests can point them at a fake cgroupfs directory. Reads are bounded: a cgroup file is
// small, and one that is not is refused rather than read whole.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis::agent {

// "key value" lines (memory.events, cpu.stat, memory.oom_control, memory.stat): every
// line whose value is an integer; other lines are skipped.
std::map<std::string, int64_t> parse_keyed_counters(std::string_view text);

// One integer, or "max" (v2's "no limit", returned as -1).
Result<int64_t> parse_cgroup_value(std::string_view text);

// The pids of a cgroup.procs file, one a line.
std::vector<int64_t> parse_procs(std::string_view text);

// A cgroup file (at most 64 KiB); errors name the path.
Result<std::string> read_cgroup_file(const std::string& path);
// parse_cgroup_value of a file.
Result<int64_t> read_cgroup_value(const std::string& path);
// One counter of a keyed file; kNotFound when the file has no such key.
Result<int64_t> read_cgroup_counter(const std::string& path, std::string_view key);

// Writes `value` to an existing cgroup file in one write(2), as the kernel expects; errors
// name the path and what was written.
Status write_cgroup_file(const std::string& path, std::string_view value);

}  // namespace borealis::agent
