// The artifact store as the CLI reads it: `<store>/<buildname>/<githash>/<files>` with a
// `SHA256SUMS` beside them in `sha256sum` format ("<64 hex>  <file name>" per line). The
// store is a directory (uris become file:///abs/path/...) or an http(s) base URL (uris are
// under it; SHA256SUMS is fetched with a bounded size and a timeout).
//
// Thread-safety: pure functions; any thread (the HTTP read blocks the caller).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "common/json.h"
#include "common/result.h"

namespace borealis::manage {

inline constexpr char kSumsFileName[] = "SHA256SUMS";

struct ArtifactEntry {
  std::string uri;
  std::string sha256;  // 64 lowercase hex digits
};

// By file name.
using ArtifactIndex = std::map<std::string, ArtifactEntry>;

// A SHA256SUMS text; each name's uri is `base_uri` + "/" + name. Errors name `source` and
// the line.
Result<ArtifactIndex> parse_sha256sums(const std::string& source, const std::string& text,
                                       const std::string& base_uri);

// The files of one build. `store` is a directory path (made absolute against the current
// directory) or an http:// or https:// URL. A build that is not there is NOT_FOUND saying
// the store and the path looked for.
Result<ArtifactIndex> read_artifact_index(const std::string& store, const std::string& buildname,
                                          const std::string& githash,
                                          std::chrono::milliseconds timeout);

// The manage context's "artifacts" object: {name: {uri, sha256}}.
json::object artifacts_json(const ArtifactIndex& index);

}  // namespace borealis::manage
