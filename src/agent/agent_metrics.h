// The agent's figures at scrape time (docs/metrics.md): what it offers and what its tasks
// hold, its tasks by state, and each live task's CPU, memory and disk as the agent last
// sampled them (task_resources.h).
//
// Threading: the agent's loop thread (it reads the TaskManager).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/host_resources.h"
#include "agent/task_manager.h"
#include "metrics/exposition.h"
#include "metrics/opentsdb.h"

namespace borealis::agent {

// What the agent offers the scheduler (its --resources and --ports).
struct HostOffer {
  HostResources resources;
  PortRange ports;
};

// Per-task series carry role, environment, job, instance and task_id: one series per live
// task and metric (a replaced task starts new series, so a counter never goes back).
std::vector<metrics::Family> agent_families(const TaskManager& tasks, const HostOffer& offer);

// The same per-task figures as OpenTSDB points at `now_s` (--opentsdb-url): metrics
// borealis.task.cpu_seconds, borealis.task.memory_bytes and borealis.task.disk_bytes, tagged
// role, environment, job, instance and host (this agent's hostname).
std::vector<metrics::OpenTsdbPoint> task_opentsdb_points(const TaskManager& tasks,
                                                         const std::string& host, int64_t now_s);

}  // namespace borealis::agent
