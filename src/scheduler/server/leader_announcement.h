// What the scheduler announces in ZooKeeper, from its flags: --zk, --zk-auth,
// --zk-session-timeout-ms, --scheduler-zk-path (default /borealis/CLUSTER/scheduler) and
// --advertise-host, and the port and scheme its listener serves; and where it stands for
// election (--scheduler-election-zk-path).
//
// Thread-safety: reads the --zk-auth file and the hostname; otherwise pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "scheduler/server/leader_announcer.h"
#include "scheduler/server/leader_election.h"
#include "scheduler/server/scheduler_options.h"

namespace borealis::scheduler {

// "/borealis/CLUSTER/scheduler".
std::string default_scheduler_zk_path(const std::string& cluster);

// nullopt without --zk. The member: serviceEndpoint ADVERTISE_HOST:--http-port, one
// additional endpoint "https" (with --tls-cert) or "http" at the same address, shard 0.
// Errors name the flag: a bad connect string or path, an unreadable or open --zk-auth file.
Result<std::optional<LeaderAnnouncerOptions>> leader_announcement(const SchedulerOptions& options);

// "/borealis/CLUSTER/scheduler-election".
std::string default_scheduler_election_zk_path(const std::string& cluster);

// The election's options (--scheduler-election-zk-path, the same session as the
// announcement's); call after set_announced_port, as the candidate's data is the URL.
Result<LeaderElectionOptions> leader_election_options(const SchedulerOptions& options,
                                                      const LeaderAnnouncerOptions& announcement);

// Makes the member name `port`: the one the listener got (with --http-port 0 it is known
// only once the listener started).
void set_announced_port(LeaderAnnouncerOptions& announcement, uint16_t port);

}  // namespace borealis::scheduler
