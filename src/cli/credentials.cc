#include "cli/credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/files.h"
#include "common/job_key.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

constexpr size_t kMaxTokenBytes = 4096;

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// The words of a line, split on spaces and tabs.
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Writes `text` to a new file beside `path` (mode 0600) and renames it over `path`.
Status replace_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());  // creates the file with mode 0600
  if (fd < 0)
    return io_error("cannot create a file beside '" + path + "': " + std::strerror(errno));
  Status st;
  size_t done = 0;
  while (st.ok() && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) st = io_error("cannot write '" + tmp + "': " + std::strerror(errno));
    if (n > 0) done += static_cast<size_t>(n);
  }
  if (st.ok() && ::fsync(fd) != 0)
    st = io_error("cannot sync '" + tmp + "': " + std::strerror(errno));
  ::close(fd);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
    st = io_error("cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(errno));
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

}  // namespace

bool is_bearer_token(std::string_view s) {
  if (s.empty() || s.size() > kMaxTokenBytes) return false;
  size_t end = s.size();
  while (end > 0 && s[end - 1] == '=') --end;
  if (end == 0) return false;
  for (size_t i = 0; i < end; ++i)
    if (!is_token_char(s[i])) return false;
  return true;
}

Result<CredentialsFile> parse_credentials(std::string_view text, const std::string& path) {
  CredentialsFile out;
  out.path = path;
  int line_no = 0;
  for (const std::string& raw : split(text, '\n')) {
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    // A field that may be a token is never quoted back.
    std::vector<std::string_view> fields = fields_of(line);
    if (fields.size() != 2) {
      return invalid_argument(where + "expected NAME TOKEN (a cluster or credentials name and " +
                              "its token, separated by spaces), found " +
                              std::to_string(fields.size()) + " fields");
    }
    std::string name(fields[0]);
    if (!validate_identifier("name", name).ok()) {
      return invalid_argument(where +
                              "the name (first field) may only contain letters, digits, '_', "
                              "'-' and '.'");
    }
    if (!is_bearer_token(fields[1])) {
      return invalid_argument(where + "the token of '" + name +
                              "' is not a bearer token: it may only contain letters, digits "
                              "and -._~+/ followed by '='s, at most 4096 characters");
    }
    if (auto it = out.entries.find(name); it != out.entries.end()) {
      return invalid_argument(where + "'" + name + "' is listed twice (first on line " +
                              std::to_string(it->second.line) + ")");
    }
    out.entries[name] = CredentialsEntry{std::string(fields[1]), line_no};
  }
  return out;
}

Result<CredentialsFile> read_credentials_file(const std::string& path) {
  const std::string what = "credentials file '" + path + "'";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    std::string msg = "cannot read " + what + ": " + std::strerror(err);
    return err == ENOENT ? not_found(msg) : io_error(msg);
  }
  if (!S_ISREG(st.st_mode)) return io_error(what + " is not a regular file");
  // As ssh refuses a private key others can read: a token is as good as a password.
  if ((st.st_mode & 077) != 0) {
    return failed_precondition(what + " has mode " + octal_mode(st.st_mode) +
                               ": group and others must have no access to it; run 'chmod 600 " +
                               path + "'");
  }
  if (st.st_uid != ::geteuid()) {
    return failed_precondition(what + " is owned by uid " + std::to_string(st.st_uid) +
                               ", not by you (uid " + std::to_string(::geteuid()) + ")");
  }
  BOREALIS_ASSIGN_OR_RETURN(std::string text,
                            read_file(path, "credentials file", kMaxCredentialsFileBytes));
  return parse_credentials(text, path);
}

Result<int> store_credentials(const std::string& path, const std::string& name,
                              const std::string& token) {
  std::string text;
  CredentialsFile file;
  auto existing = read_credentials_file(path);
  if (existing.ok()) {
    file = std::move(existing).value();
    BOREALIS_ASSIGN_OR_RETURN(text, read_file(path, "credentials file", kMaxCredentialsFileBytes));
  } else if (existing.status().code() != StatusCode::kNotFound) {
    return existing.status();
  } else if (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
    std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      return io_error("cannot create directory '" + dir + "': " + std::strerror(errno));
  }

  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();  // the final newline
  const std::string entry = name + " " + token;
  int line_no = 0;
  if (auto it = file.entries.find(name); it != file.entries.end()) {
    line_no = it->second.line;
    lines[static_cast<size_t>(line_no - 1)] = entry;
  } else {
    lines.push_back(entry);
    line_no = static_cast<int>(lines.size());
  }
  BOREALIS_RETURN_IF_ERROR(replace_file(path, join(lines, "\n") + "\n"));
  return line_no;
}

std::string default_credentials_file(std::string_view home) {
  return home.empty() ? "" : std::string(home) + "/.borealis/credentials";
}

Result<ClusterCredentials> credentials_for(const ClusterConfig& cluster,
                                           const TokenSettings& settings) {
  ClusterCredentials out;
  out.cluster = cluster.name;
  if (cluster.auth.none) {
    out.auth_none = true;
    return out;
  }
  out.file = cluster.auth.file.empty() ? settings.default_file : cluster.auth.file;
  out.entry = cluster.auth.credentials.empty() ? cluster.name : cluster.auth.credentials;

  if (settings.env_token && !settings.env_token->empty()) {
    if (!is_bearer_token(*settings.env_token)) {
      return invalid_argument(std::string(kTokenEnvVar) +
                              " is not a bearer token: it may only contain letters, digits and "
                              "-._~+/ followed by '='s, at most 4096 characters");
    }
    out.token = BearerToken(*settings.env_token, kTokenEnvVar);
    return out;
  }

  const std::string named_by =
      "named for cluster '" + cluster.name + "' in " + cluster.source + " (\"auth\")";
  if (out.file.empty()) {
    if (cluster.auth.named())
      return failed_precondition("no credentials file: HOME is not set; the entry '" + out.entry +
                                 "' is " + named_by);
    return out;
  }
  auto file = read_credentials_file(out.file);
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kNotFound && !cluster.auth.named()) return out;
    if (file.status().code() == StatusCode::kNotFound)
      return file.status().with_context("credentials " + named_by);
    return file.status();
  }
  auto it = file->entries.find(out.entry);
  if (it == file->entries.end()) {
    if (!cluster.auth.named()) return out;
    return not_found("credentials file '" + out.file + "' has no entry '" + out.entry + "', " +
                     named_by);
  }
  out.token = BearerToken(it->second.token, out.file + ":" + std::to_string(it->second.line) +
                                                " (entry '" + out.entry + "')");
  return out;
}

std::string auth_hint(const ClusterCredentials& creds, StatusCode code) {
  const std::string cluster = "cluster '" + creds.cluster + "'";
  if (creds.auth_none) {
    return "hint: clusters.json says \"auth\": \"none\" for " + cluster +
           ", so no token was sent; remove that to send one";
  }
  const std::string file = creds.file.empty() ? "~/.borealis/credentials" : creds.file;
  if (!creds.token) {
    return "hint: no token was sent to " + cluster + ": set " + kTokenEnvVar +
           "=TOKEN, or add the line '" + creds.entry + " TOKEN' to " + file +
           " (mode 0600); an admin of the cluster creates tokens with 'borealis admin token "
           "create'";
  }
  if (code == StatusCode::kUnauthenticated) {
    return "hint: " + cluster + " did not accept the token from " + creds.token->source() +
           "; check that it is the one 'borealis admin token create' printed and that its "
           "digest is in the cluster's auth file";
  }
  return "hint: the token from " + creds.token->source() + " lacks this grant; ask an admin of " +
         cluster + " to add it to your entry in the auth file, or use another token (" +
         kTokenEnvVar + ", " + file + ")";
}

}  // namespace borealis::cli
