// Jobs and their tasks (docs/api.md, "Jobs"): what create, list, get, tasks and kill send
// and answer. Answers are decoded tolerantly (unknown fields ignored); KillRequest, which
// the scheduler reads, strictly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/codec.h"
#include "api/task_usage.h"
#include "common/clock.h"

namespace borealis::api {

// One entry of GET /api/v1/jobs.
struct JobSummary {
  std::string key;  // "cluster/role/env/name"; required
  std::string role, environment, name;
  int64_t instances = 0;  // instances not killed
  bool service = false;
  std::map<std::string, int64_t> state_counts;
  std::string status;  // PENDING | RUNNING | FINISHED | FAILED | KILLED | UPDATING
  int64_t active_tasks = 0;
  TimeMs created_ms = 0;
  std::string created_by;  // who created it; "" (not sent) without authentication
  std::string config_id;   // the job's current version
  std::optional<std::string> cron_schedule;
  bool operator==(const JobSummary&) const = default;
};
BOREALIS_API_CODEC(JobSummary);

// {"jobs": [...]}
struct JobList {
  std::vector<JobSummary> jobs;
  bool operator==(const JobList&) const = default;
};
BOREALIS_API_CODEC(JobList);

// GET /api/v1/jobs/R/E/N: {"job": {...summary..., "spec": JobSpec}}
struct JobDetail {
  JobSummary summary;
  json::value spec;  // the JobSpec as the scheduler stores it (docs/jobspec.md)
  bool operator==(const JobDetail&) const = default;
};
BOREALIS_API_CODEC(JobDetail);

// GET /api/v1/jobs/R/E/N/versions/ID: {"version": {"id": ID, "spec": JobSpec}}, one stored
// version of the job's configuration (a `config_id` of a task or an update).
struct JobVersion {
  std::string id;    // required
  json::value spec;  // the JobSpec as the scheduler stores it (docs/jobspec.md)
  bool operator==(const JobVersion&) const = default;
};
BOREALIS_API_CODEC(JobVersion);

// POST /api/v1/jobs answers 201 with this (the request is a JobSpec).
struct CreateJobResult {
  std::string job;  // "cluster/role/env/name"; required
  int64_t instances = 0;
  bool operator==(const CreateJobResult&) const = default;
};
BOREALIS_API_CODEC(CreateJobResult);

// POST .../kill; an empty body or {} kills every instance.
struct KillRequest {
  std::optional<std::vector<int32_t>> instances;  // nullopt: every instance
  std::string message;
  bool operator==(const KillRequest&) const = default;
};
BOREALIS_API_CODEC(KillRequest);

struct KillResult {
  std::vector<std::string> killed;  // task ids
  bool operator==(const KillResult&) const = default;
};
BOREALIS_API_CODEC(KillResult);

struct TaskEvent {
  TimeMs ts_ms = 0;
  std::string status;
  std::string message;
  bool operator==(const TaskEvent&) const = default;
};

// One entry of GET .../tasks.
struct TaskInfo {
  int32_t instance_id = 0;  // required
  std::string task_id;      // required
  std::string status;       // required
  std::string host;
  std::string agent_id;
  std::map<std::string, int64_t> ports;  // every named port, aliases and fixed ones included
  int64_t failure_count = 0;
  std::string message;  // the last event's message; for PENDING, why it waits
  std::string config_id;
  std::vector<TaskEvent> events;  // oldest first
  // "host:port" of Announcer.primary_port (serverset.h's serviceEndpoint); "" without an
  // announcer or before placement.
  std::string primary_endpoint;
  std::optional<TaskUsage> usage;  // the agent's latest sample, while it reports the task
  bool operator==(const TaskInfo&) const = default;
};
BOREALIS_API_CODEC(TaskInfo);

// {"tasks": [...]}: active tasks of every instance first, then recently ended ones
// (newest first).
struct TaskList {
  std::vector<TaskInfo> tasks;
  bool operator==(const TaskList&) const = default;
};
BOREALIS_API_CODEC(TaskList);

// True for the task statuses a task never leaves (FINISHED, FAILED, KILLED, LOST).
bool is_terminal_task_status(std::string_view status);

}  // namespace borealis::api
