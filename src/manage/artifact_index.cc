#include "manage/artifact_index.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>

#include "common/files.h"
#include "common/strings.h"
#include "net/http_client.h"

namespace borealis::manage {

namespace {

constexpr size_t kMaxSumsBytes = 1 << 20;
constexpr size_t kMaxFileName = 255;

bool is_url(const std::string& store) {
  return starts_with(store, "http://") || starts_with(store, "https://");
}

bool is_sha256(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isdigit(c) || (c >= 'a' && c <= 'f');
         });
}

// A plain file name: what the agent will create in the sandbox.
bool is_file_name(std::string_view s) {
  return !s.empty() && s.size() <= kMaxFileName && s != "." && s != ".." &&
         std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return c > 0x20 && c < 0x7f && c != '/' && c != '\\'; });
}

std::string strip_slashes(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Result<std::string> absolute(const std::string& dir) {
  if (starts_with(dir, "/")) return strip_slashes(dir);
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == nullptr) return io_error("cannot read the current directory");
  return strip_slashes(std::string(cwd) + "/" + dir);
}

Status missing_build(const std::string& store, const std::string& looked_for) {
  return not_found("the artifact store " + store + " has no " + looked_for);
}

Result<std::string> fetch_sums(const std::string& store, const std::string& rel,
                               std::chrono::milliseconds timeout) {
  BOREALIS_ASSIGN_OR_RETURN(auto client, net::HttpClient::create(strip_slashes(store)));
  client->set_max_response_bytes(kMaxSumsBytes);  // a hostile store cannot make us read more
  auto r = client->get("/" + rel, timeout);
  if (!r.ok()) return r.status().with_context("reading the artifact store " + store);
  if (r->status == 404) return missing_build(store, rel);
  if (r->status != 200)
    return unavailable("the artifact store " + store + " answered " + std::to_string(r->status) +
                       " for " + rel);
  return std::move(r->body);
}

}  // namespace

Result<ArtifactIndex> parse_sha256sums(const std::string& source, const std::string& text,
                                       const std::string& base_uri) {
  ArtifactIndex index;
  int line_no = 0;
  for (const std::string& raw : split(text, '\n')) {
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty()) continue;
    auto bad = [&](const std::string& why) {
      return invalid_argument(source + ":" + std::to_string(line_no) + ": " + why);
    };
    // "<hash>  <name>" (text mode) or "<hash> *<name>" (binary mode).
    if (line.size() < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
      return bad("expected '<64 hex digits>  <file name>' as sha256sum writes it");
    std::string sha(line.substr(0, 64));
    std::transform(sha.begin(), sha.end(), sha.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_sha256(sha)) return bad("'" + sha + "' is not a SHA-256 (64 hex digits)");
    std::string name(line.substr(66));
    if (!is_file_name(name)) return bad("'" + name + "' is not a plain file name");
    if (index.count(name)) return bad("'" + name + "' is listed twice");
    index[name] = ArtifactEntry{base_uri + "/" + name, sha};
  }
  return index;
}

Result<ArtifactIndex> read_artifact_index(const std::string& store, const std::string& buildname,
                                          const std::string& githash,
                                          std::chrono::milliseconds timeout) {
  const std::string rel = buildname + "/" + githash + "/" + kSumsFileName;
  if (is_url(store)) {
    BOREALIS_ASSIGN_OR_RETURN(std::string text, fetch_sums(store, rel, timeout));
    std::string base = strip_slashes(store) + "/" + buildname + "/" + githash;
    return parse_sha256sums(base + "/" + kSumsFileName, text, base);
  }
  BOREALIS_ASSIGN_OR_RETURN(std::string dir, absolute(store));
  std::string build_dir = dir + "/" + buildname + "/" + githash;
  std::string path = build_dir + "/" + kSumsFileName;
  auto text = read_file(path, "artifact index", kMaxSumsBytes);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return missing_build(dir, path);
    return text.status();
  }
  return parse_sha256sums(path, *text, "file://" + build_dir);
}

json::object artifacts_json(const ArtifactIndex& index) {
  json::object o;
  for (const auto& [name, e] : index) o[name] = json::object{{"uri", e.uri}, {"sha256", e.sha256}};
  return o;
}

}  // namespace borealis::manage
