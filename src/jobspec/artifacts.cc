#include "jobspec/artifacts.h"

#include <set>

namespace borealis::jobspec {

namespace {

Status field_error(const std::string& path, const std::string& what) {
  return invalid_argument(path + ": " + what);
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// A path the fetcher reads as given: absolute, and no segment that climbs or hides.
bool is_plain_absolute_path(std::string_view path) {
  if (path.size() < 2 || path.front() != '/') return false;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return path.back() != '/';
}

bool has_control_char(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

std::string artifact_file_name(const Artifact& a) {
  if (!a.name.empty()) return a.name;
  std::string_view uri = a.uri;
  uri = uri.substr(0, uri.find_first_of("?#"));
  size_t slash = uri.rfind('/');
  return std::string(slash == std::string_view::npos ? uri : uri.substr(slash + 1));
}

Result<ArtifactUri> parse_artifact_uri(std::string_view uri) {
  if (uri.size() > kMaxArtifactUriBytes)
    return invalid_argument(std::to_string(uri.size()) + " bytes, more than the limit of " +
                            std::to_string(kMaxArtifactUriBytes));
  if (has_control_char(uri) || uri.find(' ') != std::string_view::npos)
    return invalid_argument("'" + std::string(uri) + "' contains spaces or control characters");
  ArtifactUri out;
  size_t colon = uri.find("://");
  if (colon != std::string_view::npos) out.scheme = std::string(uri.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https" && out.scheme != "file")
    return invalid_argument("'" + std::string(uri) +
                            "': the scheme must be http://, https:// or file://");
  std::string_view rest = uri.substr(colon + 3);
  if (out.scheme == "file") {
    if (rest.find_first_of("?#%") != std::string_view::npos || !is_plain_absolute_path(rest))
      return invalid_argument("'" + std::string(uri) +
                              "': expected file:///absolute/path without '.', '..', '?', '#' "
                              "or '%' escapes");
    out.target = std::string(rest);
    return out;
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  out.target = out.target.substr(0, out.target.find('#'));
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return invalid_argument("'" + std::string(uri) + "': expected a host and no user info");
  size_t port_colon = authority.rfind(':');
  if (authority.front() == '[') {  // IPv6 literal
    size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return invalid_argument("'" + std::string(uri) + "': bad host");
    out.host = std::string(authority.substr(1, close - 1));
    port_colon = authority.find(':', close);
  } else {
    out.host = std::string(authority.substr(0, port_colon));
  }
  out.port = out.scheme == "https" ? "443" : "80";
  if (port_colon != std::string_view::npos) {
    std::string_view port = authority.substr(port_colon + 1);
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) digits = digits && c >= '0' && c <= '9';
    if (!digits || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535)
      return invalid_argument("'" + std::string(uri) + "': bad port");
    out.port = std::string(port);
  }
  if (out.host.empty()) return invalid_argument("'" + std::string(uri) + "': expected a host");
  return out;
}

Status validate_artifact(const std::string& path, const Artifact& a) {
  if (auto uri = parse_artifact_uri(a.uri); !uri.ok())
    return field_error(path + ".uri", uri.status().message());
  bool hex = a.sha256.size() == kSha256HexDigits;
  for (char c : a.sha256) hex = hex && is_lower_hex(c);
  if (!hex) return field_error(path + ".sha256", "expected 64 lowercase hex digits");
  std::string name = artifact_file_name(a);
  std::string where = a.name.empty() ? path + ".uri" : path + ".name";
  if (name.empty()) return field_error(where, "no file name (set name, or end the uri with one)");
  if (name.size() > kMaxArtifactNameBytes)
    return field_error(where, "file name of " + std::to_string(name.size()) +
                                  " bytes, more than the limit of " +
                                  std::to_string(kMaxArtifactNameBytes));
  if (name.find('/') != std::string::npos || name.front() == '.' || has_control_char(name))
    return field_error(where, "'" + name +
                                  "' must be a plain file name: no '/', no leading '.', no "
                                  "control characters");
  return Status();
}

Status validate_artifacts(const Task& task) {
  if (task.artifacts.size() > kMaxArtifacts)
    return field_error("task.artifacts", std::to_string(task.artifacts.size()) +
                                             " entries, more than the limit of " +
                                             std::to_string(kMaxArtifacts));
  std::set<std::string> names;
  for (size_t i = 0; i < task.artifacts.size(); ++i) {
    std::string path = "task.artifacts[" + std::to_string(i) + "]";
    BOREALIS_RETURN_IF_ERROR(validate_artifact(path, task.artifacts[i]));
    std::string name = artifact_file_name(task.artifacts[i]);
    if (!names.insert(name).second)
      return field_error(path + ".name", "'" + name + "' is used by an earlier artifact");
  }
  return Status();
}

}  // namespace borealis::jobspec
