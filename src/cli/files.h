// Reading the small local files the CLI needs (clusters.json, job files).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis::cli {

// The whole file. Errors name `what` and the path: "cannot read job file 'x.json': No such
// file or directory". NOT_FOUND when it does not exist, IO_ERROR otherwise.
Result<std::string> read_text_file(const std::string& path, std::string_view what);

}  // namespace borealis::cli
