// One request on HAProxy's runtime API or master CLI: connect to the Unix socket, send the
// text, half-close, read the whole answer. Bounded in time and size: the answer is at most
// kMaxRuntimeReplyBytes and the exchange at most `timeout`.
//
// Thread-safety: a pure function; blocks; any thread.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"

namespace borealis::router {

inline constexpr size_t kMaxRuntimeReplyBytes = 4 * 1024 * 1024;

Result<std::string> unix_socket_request(const std::string& path, const std::string& request,
                                        std::chrono::milliseconds timeout);

}  // namespace borealis::router
