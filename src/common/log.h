// Logging setup: spdlog to stderr with a component name. Components log through
// spdlog directly after calling init_logging once in main.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace borealis {

// level: "trace", "debug", "info", "warn", "error". Idempotent.
void init_logging(const std::string& component, const std::string& level = "info");

}  // namespace borealis
