// The ranges of a JobSpec's numbers and the sizes of its strings and lists: what a caller
// may ask for at all, whatever the cluster has (docs/security.md lists each bound).
// validate_job_spec() applies them; they are here so tests and docs name one definition.
// Every error names the field's path and the range: "task.resources.cpu: must be between
// 0.001 and 4096, got 1e+16".
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/status.h"
#include "jobspec/validate.h"

namespace borealis::jobspec {

// The scheduler counts cpu in whole millicores (llround(cpu * 1000)).
inline constexpr double kMinCpu = 0.001;
inline constexpr double kMaxCpu = 4096;
inline constexpr int64_t kMaxRamBytes = int64_t{64} << 40;   // 64 TiB
inline constexpr int64_t kMaxDiskBytes = int64_t{64} << 40;  // 64 TiB
inline constexpr int64_t kMaxGpus = 1024;
inline constexpr int64_t kMinPriority = 0;
inline constexpr int64_t kMaxPriority = 1000;
// Health-check intervals and timeouts become milliseconds: below 1 ms they would be 0.
inline constexpr double kMinIntervalSecs = 0.001;

// Names and keys (ports, endpoints, metadata keys, paths, image names, ...).
inline constexpr size_t kMaxNameBytes = 1024;
// Free text (contact, metadata values, links, expected health answers, executor data...).
inline constexpr size_t kMaxTextBytes = 64 * 1024;
// Entries of any list or map of a job (metadata, constraints, links, volumes, ...).
inline constexpr size_t kMaxEntries = 1000;

Status validate_limits(const JobSpec& job, const ValidationLimits& limits);

}  // namespace borealis::jobspec
