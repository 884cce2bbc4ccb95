// Reading a whole local file (a job file, clusters.json, an Aurora config, a /proc entry).
// Plain POSIX read(2), no third-party dependency, so every component (the runner too) can
// use it.
//
// Thread-safety: a pure function; any thread.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis {

inline constexpr size_t kNoSizeLimit = std::numeric_limits<size_t>::max();

// The whole file at `path`. Errors name `what` and the path, as a user reads them:
// "cannot read job file 'x.json': No such file or directory". NOT_FOUND when the file does
// not exist, RESOURCE_EXHAUSTED when it holds more than `max_bytes`, IO_ERROR otherwise
// (a directory, a failed read).
Result<std::string> read_file(const std::string& path, std::string_view what = "file",
                              size_t max_bytes = kNoSizeLimit);

}  // namespace borealis
