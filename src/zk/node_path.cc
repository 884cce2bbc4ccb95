#include "zk/node_path.h"

namespace borealis::zk {

Status validate_node_path(std::string_view path) {
  auto bad = [&](std::string_view why) {
    return invalid_argument("zookeeper path '" + std::string(path.substr(0, 80)) +
                            "': " + std::string(why));
  };
  if (path.empty()) return invalid_argument("zookeeper path is empty");
  if (path.size() > kMaxPathBytes) {
    return bad("longer than " + std::to_string(kMaxPathBytes) + " bytes");
  }
  if (path.front() != '/') return bad("does not start with '/'");
  if (path == "/") return Status::ok_status();
  if (path.back() == '/') return bad("ends with '/'");
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return bad("contains a control character");
  }
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty()) return bad("has an empty component ('//')");
    if (part == "." || part == "..") return bad("has a '.' or '..' component");
    start = end + 1;
  }
  return Status::ok_status();
}

std::vector<std::string> parent_paths(std::string_view path) {
  std::vector<std::string> parents;
  for (size_t i = 1; i < path.size(); ++i) {
    if (path[i] == '/') parents.emplace_back(path.substr(0, i));
  }
  return parents;
}

}  // namespace borealis::zk
