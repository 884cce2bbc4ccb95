// Finding a cluster's scheduler through ZooKeeper: a clusters.json entry with "zk" (and
// Aurora's "zk_port") and "scheduler_zk_path" instead of "scheduler_uri". The schedulers
// announce themselves there as ServerSet members (api/serverset.h); the leader, by
// convention, is the ALIVE member with the lowest sequence number. Nothing is cached: every
// command reads ZooKeeper again.
//
// Thread-safety: functions over their arguments; locate_scheduler opens its own session.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/cluster_config.h"
#include "common/result.h"
#include "zk/connect_string.h"

namespace borealis::cli {

// Members read before giving up on finding an ALIVE one; a ServerSet of schedulers is tiny.
inline constexpr size_t kMaxSchedulerMembersRead = 64;

// The two reads the locator makes of ZooKeeper (a fake in unit tests).
class ServersetReader {
 public:
  virtual ~ServersetReader() = default;
  // Child names of `path`, NOT_FOUND when it does not exist.
  virtual Result<std::vector<std::string>> children(const std::string& path) = 0;
  virtual Result<std::string> data(const std::string& path) = 0;
};

// The cluster's ZooKeeper: "zk" is a connect string; a server in it without a port gets
// "zk_port" (Aurora's clusters.json: "zk": "zk.example.com", "zk_port": 2181).
Result<zk::ConnectString> cluster_zk_servers(const ClusterConfig& config);

// "scheduler_zk_path", or /borealis/NAME/scheduler (what `borealis scheduler` announces at).
std::string cluster_scheduler_zk_path(const ClusterConfig& config);

// The leader's URL among the members at `path`: "https://HOST:PORT" when the member has an
// "https" endpoint, else "http://" with its "http" endpoint or its serviceEndpoint. Errors
// (the caller names `path`): no members, no ALIVE member, a member that is not a ServerSet
// member's JSON (naming it).
Result<std::string> leader_url(ServersetReader& zk, const std::string& path);

// Connects to the cluster's ZooKeeper (giving up after `timeout`) and reads the leader's
// URL. Errors name the cluster, its file, the servers and the path.
Result<std::string> locate_scheduler(const ClusterConfig& config,
                                     std::chrono::milliseconds timeout);

// config.scheduler_uri, found through ZooKeeper when the entry has only "zk": the config
// with it filled in.
Result<ClusterConfig> with_scheduler_uri(ClusterConfig config, std::chrono::milliseconds timeout);

}  // namespace borealis::cli
