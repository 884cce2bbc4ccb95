// Cluster configuration: which scheduler serves a cluster name. Read from clusters.json
// files in Apache Aurora's format (a list of objects, or an object whose values are
// objects; entries without "name" are skipped; fields we do not use are tolerated).
//
// Precedence, lowest first: the built-in `devcluster` (http://127.0.0.1:8081), the system
// file (/etc/borealis/clusters.json, or $BOREALIS_CONFIG_DIR/clusters.json), the user file
// (~/.borealis/clusters.json). A later entry with the same name replaces an earlier one.
//
// Values only; no threads, no shared state.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "net/tls_options.h"

namespace borealis::cli {

inline constexpr const char* kDevClusterName = "devcluster";
inline constexpr const char* kDevClusterUri = "http://127.0.0.1:8081";

// Which token the CLI sends to the cluster: clusters.json's "auth" (docs/cli.md,
// credentials.h). Absent: BOREALIS_TOKEN, else the entry named after the cluster in
// ~/.borealis/credentials, else none.
struct ClusterAuth {
  bool none = false;        // "auth": "none": never send a token, not even BOREALIS_TOKEN
  std::string credentials;  // "auth": {"credentials": NAME}: the entry ("" = cluster name)
  std::string file;         // "auth": {"file": PATH}: the credentials file ("" = default)
  // The entry or the file was named, so its absence is an error rather than "no token".
  bool named() const { return !credentials.empty() || !file.empty(); }
};

struct ClusterConfig {
  std::string name;
  // The scheduler's URL; empty: found in ZooKeeper (cli/scheduler_locator.h).
  std::string scheduler_uri;
  std::string zk;                 // ZooKeeper connect string; servers without a port get zk_port
  int64_t zk_port = 2181;         // Aurora's separate port field
  std::string scheduler_zk_path;  // the schedulers' ServerSet; "" = /borealis/NAME/scheduler
  // For an https:// scheduler_uri: "scheduler_ca" (the CA its certificate chains to;
  // default the system's), "client_cert" and "client_key" (for mutual TLS). Relative
  // paths are relative to the file's directory.
  net::ClientTlsFiles tls;
  ClusterAuth auth;
  std::string source;  // the file the entry came from, or "built-in"
};

// Parses one clusters.json document. `source` names the file in errors:
// "clusters file '/etc/borealis/clusters.json': malformed JSON at line 3, column 5: ...".
Result<std::vector<ClusterConfig>> parse_clusters_json(std::string_view text,
                                                       std::string_view source);

// The clusters known to the CLI, after applying every file by precedence.
class Clusters {
 public:
  // Only the built-in devcluster.
  Clusters();

  // Reads `files` in increasing precedence; a file that does not exist is skipped, one
  // that exists but cannot be read or parsed is an error naming it.
  static Result<Clusters> load(const std::vector<std::string>& files);

  // Adds or replaces entries by name.
  void merge(const std::vector<ClusterConfig>& entries);

  // The cluster named `name`, or NOT_FOUND listing the known names and the files read.
  Result<ClusterConfig> find(std::string_view name) const;

  const std::map<std::string, ClusterConfig, std::less<>>& all() const { return by_name_; }

 private:
  std::map<std::string, ClusterConfig, std::less<>> by_name_;
  std::vector<std::string> files_;  // every file consulted, for error messages
};

// Where clusters.json files are read from, in increasing precedence, given the
// environment: BOREALIS_CONFIG_DIR (else /etc/borealis), then HOME/.borealis.
// Empty strings mean "unset".
std::vector<std::string> cluster_files(std::string_view config_dir_env, std::string_view home);

}  // namespace borealis::cli
