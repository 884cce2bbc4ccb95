// ZooKeeper node paths: validated before they reach the client (which would only say
// ZBADARGUMENTS), and split into their parents for create-with-parents.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::zk {

inline constexpr size_t kMaxPathBytes = 1024;

// An absolute path: "/" or "/a/b"; no empty, "." or ".." components, no trailing '/', no
// control bytes, at most kMaxPathBytes bytes.
Status validate_node_path(std::string_view path);

// The proper ancestors of a valid path, outermost first: "/a/b/c" -> {"/a", "/a/b"}.
std::vector<std::string> parent_paths(std::string_view path);

}  // namespace borealis::zk
