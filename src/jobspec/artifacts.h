// The rules of a task's artifacts (docs/artifacts.md): what a uri, a sha256 and a sandbox
// file name may be. validate_job_spec() applies them to every job; the agent uses the same
// functions to name the file it places and to parse the uri it fetches.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"
#include "jobspec/job_spec.h"

namespace borealis::jobspec {

inline constexpr size_t kMaxArtifacts = 64;
inline constexpr size_t kMaxArtifactNameBytes = 255;  // one file name (NAME_MAX)
inline constexpr size_t kMaxArtifactUriBytes = 4096;
inline constexpr size_t kSha256HexDigits = 64;

// The file name in the sandbox: `name`, or the uri's last path segment.
std::string artifact_file_name(const Artifact& a);

// A uri split into what the fetcher needs.
struct ArtifactUri {
  std::string scheme;  // http | https | file
  std::string host;    // http(s) only
  std::string port;    // http(s) only; "80" / "443" when absent
  std::string target;  // http(s): path and query; file: the absolute path
};
Result<ArtifactUri> parse_artifact_uri(std::string_view uri);

// "<path>.uri: ..." / "<path>.sha256: ..." / "<path>.name: ..." for one artifact.
Status validate_artifact(const std::string& path, const Artifact& a);
// Every artifact of the task, the count and the names' uniqueness ("task.artifacts...").
Status validate_artifacts(const Task& task);

}  // namespace borealis::jobspec
