// Finding a cluster's scheduler through ZooKeeper: a clusters.json entry with "zk" (and
// Aurora's "zk_port") and "scheduler_zk_path" instead of "scheduler_uri". The scheduler
// leader announces itself there as a ServerSet member (api/serverset.h); the reading is
// discovery/scheduler_leader.h's. Nothing is cached: every command reads ZooKeeper again.
//
// Thread-safety: functions over their arguments; locate_scheduler opens its own session.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/cluster_config.h"
#include "common/result.h"
#include "discovery/scheduler_leader.h"
#include "zk/connect_string.h"

namespace borealis::cli {

// The leader among the members (discovery/scheduler_leader.h, shared with agents).
using discovery::kMaxSchedulerMembersRead;
using discovery::leader_url;
using discovery::ServersetReader;

// The cluster's ZooKeeper: "zk" is a connect string; a server in it without a port gets
// "zk_port" (Aurora's clusters.json: "zk": "zk.example.com", "zk_port": 2181).
Result<zk::ConnectString> cluster_zk_servers(const ClusterConfig& config);

// "scheduler_zk_path", or /borealis/NAME/scheduler (what `borealis scheduler` announces at).
std::string cluster_scheduler_zk_path(const ClusterConfig& config);

// Connects to the cluster's ZooKeeper (giving up after `timeout`) and reads the leader's
// URL. Errors name the cluster, its file, the servers and the path.
Result<std::string> locate_scheduler(const ClusterConfig& config,
                                     std::chrono::milliseconds timeout);

// config.scheduler_uri, found through ZooKeeper when the entry has only "zk": the config
// with it filled in.
Result<ClusterConfig> with_scheduler_uri(ClusterConfig config, std::chrono::milliseconds timeout);

}  // namespace borealis::cli
