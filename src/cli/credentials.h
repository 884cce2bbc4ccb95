// The CLI's credentials: which bearer token, if any, it sends to a cluster's scheduler
// (`Authorization: Bearer TOKEN`, docs/cli.md#authentication).
//
// Where the token comes from, first match wins:
//   1. clusters.json says `"auth": "none"` for the cluster: no token at all;
//   2. the BOREALIS_TOKEN environment variable (when set and not empty);
//   3. a credentials file: ~/.borealis/credentials, or the file clusters.json names
//      (`"auth": {"file": ...}`), entry named after the cluster or as clusters.json says
//      (`"auth": {"credentials": NAME}`).
//
// The credentials file holds one `NAME TOKEN` per line (`#` comments, blank lines). Like
// ssh's private keys, it is refused when group or others have any access to it or
// another user owns it. Errors name FILE:LINE and never quote a token: a token appears
// nowhere but in the Authorization header.
//
// Values and pure functions, except read_credentials_file (the file system).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cli/cluster_config.h"
#include "common/result.h"

namespace borealis::cli {

inline constexpr const char* kTokenEnvVar = "BOREALIS_TOKEN";
// A credentials file larger than this is refused (it holds a few short lines).
inline constexpr size_t kMaxCredentialsFileBytes = 64 * 1024;

// A bearer token and where it came from. There is no way to print the token: messages
// name its source instead.
class BearerToken {
 public:
  // `value` must satisfy is_bearer_token.
  BearerToken(std::string value, std::string source)
      : value_(std::move(value)), source_(std::move(source)) {}

  // "BOREALIS_TOKEN", or "/home/alice/.borealis/credentials:3 (entry 'us-east')".
  const std::string& source() const { return source_; }
  // The Authorization header's value: "Bearer TOKEN".
  std::string authorization() const { return "Bearer " + value_; }

 private:
  std::string value_;
  std::string source_;
};

// RFC 6750's token syntax: 1 to 4096 letters, digits and -._~+/ and then '='s (what
// `borealis admin token create` prints is 64 hex digits). Anything else, such as a space
// or a line break that would end the header, is refused.
bool is_bearer_token(std::string_view s);

// One line of a credentials file.
struct CredentialsEntry {
  std::string token;
  int line = 0;
};

// The entries of a credentials file, by name.
struct CredentialsFile {
  std::string path;
  std::map<std::string, CredentialsEntry, std::less<>> entries;
};

// Parses a credentials file's text; `path` names it in errors
// ("/home/a/.borealis/credentials:3: ...").
Result<CredentialsFile> parse_credentials(std::string_view text, const std::string& path);

// Reads and parses the credentials file at `path`. NOT_FOUND when it does not exist;
// FAILED_PRECONDITION, naming the file and its mode, when group or others may access it
// or another user owns it.
Result<CredentialsFile> read_credentials_file(const std::string& path);

// Sets the entry `name` of the credentials file at `path` to `token` (which must satisfy
// is_bearer_token), keeping every other line, and returns the entry's line number. A
// missing file is created, and a missing parent directory too (mode 0700). The new file
// (mode 0600, owned by the caller) replaces the old one atomically. An existing file that
// read_credentials_file refuses is left alone and the error returned.
Result<int> store_credentials(const std::string& path, const std::string& name,
                              const std::string& token);

// Where the CLI looks for tokens (CliEnv fills it from the process environment).
struct TokenSettings {
  std::optional<std::string> env_token;  // BOREALIS_TOKEN, when set
  std::string default_file;              // ~/.borealis/credentials; "" without HOME
};

// HOME/.borealis/credentials, or "" when `home` is empty.
std::string default_credentials_file(std::string_view home);

// What the CLI sends to one cluster, and where it looked, for hints.
struct ClusterCredentials {
  std::string cluster;
  std::optional<BearerToken> token;  // nullopt: no Authorization header
  bool auth_none = false;            // clusters.json says "auth": "none"
  std::string file;                  // the credentials file consulted ("" when none)
  std::string entry;                 // the entry looked up in it
};

// The token for `cluster` by the order above. Errors: a malformed BOREALIS_TOKEN, a
// credentials file that is refused or malformed, or a file or entry that clusters.json
// names explicitly but that does not exist.
Result<ClusterCredentials> credentials_for(const ClusterConfig& cluster,
                                           const TokenSettings& settings);

// A line for a 401 (`code` UNAUTHENTICATED) or 403 (PERMISSION_DENIED) answer that says
// how to send the right token: "hint: ...".
std::string auth_hint(const ClusterCredentials& creds, StatusCode code);

}  // namespace borealis::cli
