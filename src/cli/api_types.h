// Values the scheduler's HTTP API returns (docs/api.md), as src/api defines them. The
// list and answer types also keep the response as received (`raw`) so `--output json`
// prints the API's shape.
//
// Reading is tolerant: fields this client does not know are ignored, so a newer scheduler
// may add fields without breaking older CLIs.
#pragma once

#include <string_view>

#include "api/backups.h"
#include "api/cluster.h"
#include "api/cron.h"
#include "api/discovery.h"
#include "api/jobs.h"
#include "common/json.h"

namespace borealis::cli {

// An API answer with the JSON it was read from.
template <typename T>
struct Received : T {
  json::value raw;
};

using ClusterInfo = api::ClusterInfo;
using BackupList = Received<api::BackupList>;
using BackupTaken = api::BackupTaken;
using BackupRestored = api::BackupRestored;
using JobSummary = api::JobSummary;
using JobList = Received<api::JobList>;
using JobDetail = api::JobDetail;
using JobVersion = api::JobVersion;
using TaskEvent = api::TaskEvent;
using TaskInfo = api::TaskInfo;
using TaskList = Received<api::TaskList>;
using AgentInfo = api::AgentInfo;
using AgentList = Received<api::AgentList>;
using CreateResult = api::CreateJobResult;
using KillResult = api::KillResult;
using Discovery = Received<api::Discovery>;
using DiscoveryEndpoints = Received<api::DiscoveryEndpoints>;
using CronJobInfo = Received<api::CronJobInfo>;
using CronStartResult = Received<api::CronStartResult>;

// True for statuses a task never leaves (FINISHED, FAILED, KILLED, LOST).
inline bool is_terminal_status(std::string_view status) {
  return api::is_terminal_task_status(status);
}

}  // namespace borealis::cli
