// Downloading one artifact into a file of the artifact cache (docs/artifacts.md): from
// http:// or https:// (the system's CAs) with Boost.Beast, no redirects followed, or from
// file:// by reading a world-readable regular file whose path has no symlinks. The bytes
// are streamed to `temp_path` while hashed with SHA-256; the result is the file's size only
// when the digest is the artifact's sha256, else the file is deleted and the error says
// both digests. At most `max_bytes` are accepted and the whole fetch (resolve, connect,
// transfer) gets `timeout`.
//
// Threading: blocking; runs on a worker thread, never on the agent's loop. Reentrant.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

// The mode of cache entries and of their links and copies in sandboxes.
inline constexpr unsigned kArtifactMode = 0555;

struct FetchLimits {
  int64_t max_bytes = 0;
  std::chrono::seconds timeout{600};
  // Set by another thread to give up soon (the agent is stopping); may be null.
  const std::atomic<bool>* cancelled = nullptr;
};

// Messages read as the reason of a failed task after "artifact 'NAME': ":
// "sha256 mismatch: expected 3a7b..., got 9c41...", "cannot fetch URI: 404 Not Found",
// "cannot fetch URI: timed out after 600 s".
Result<int64_t> download_artifact(const jobspec::Artifact& artifact, const std::string& temp_path,
                                  const FetchLimits& limits);

}  // namespace borealis::agent
