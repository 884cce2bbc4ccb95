#include "common/env.h"

#include <cerrno>
#include <cstring>

namespace borealis {

Status errno_status(std::string_view verb, const std::string& path, int err) {
  const char* name = ::strerrorname_np(err);
  std::string message = "cannot " + std::string(verb) + " " + path + ": " + std::strerror(err) +
                        " (" + (name ? name : std::to_string(err).c_str()) + ")";
  if (err == ENOENT) return not_found(std::move(message));
  return io_error(std::move(message));
}

std::string parent_dir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace borealis
