// Values the scheduler's HTTP API returns (docs/api.md), read into C++ types. Each list
// type keeps the response as received (`raw`) so `--output json` prints the API's shape.
//
// Reading is tolerant: fields this client does not know are ignored, so a newer scheduler
// may add fields without breaking older CLIs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"

namespace borealis::cli {

struct ClusterInfo {
  std::string cluster;
  std::string version;
  int64_t agents = 0;
  bool container_images = false;
  json::value raw;
};

struct JobSummary {
  std::string key;  // "cluster/role/env/name"
  std::string role, environment, name;
  int64_t instances = 0;
  bool service = false;
  std::map<std::string, int64_t> state_counts;
  std::string status;  // PENDING | RUNNING | FINISHED | FAILED | KILLED | UPDATING
};

struct JobList {
  std::vector<JobSummary> jobs;
  json::value raw;
};

struct JobDetail {
  JobSummary summary;
  json::value spec;  // the JobSpec as the scheduler stores it
  json::value raw;
};

struct TaskEvent {
  TimeMs ts_ms = 0;
  std::string status;
  std::string message;
};

struct TaskInfo {
  int32_t instance_id = 0;
  std::string task_id;
  std::string status;
  std::string host;
  std::string agent_id;
  std::map<std::string, int64_t> ports;
  int64_t failure_count = 0;
  std::string message;            // the last event's message; for PENDING, why it waits
  std::vector<TaskEvent> events;  // oldest first
};

// Active tasks of every instance first, then recently ended ones (newest first).
struct TaskList {
  std::vector<TaskInfo> tasks;
  json::value raw;
};

struct AgentInfo {
  std::string agent_id;
  std::string hostname;
  std::string address;
  std::string status;  // ACTIVE | LOST
  TimeMs last_seen_ms = 0;
  json::object total;  // resources: {"cpu": 4, "ram": bytes, "disk": bytes, ...}
  json::object used;
  int64_t tasks = 0;
};

struct AgentList {
  std::vector<AgentInfo> agents;
  json::value raw;
};

struct CreateResult {
  std::string job;
  int64_t instances = 0;
};

struct KillResult {
  std::vector<std::string> killed;  // task ids
};

// True for statuses a task never leaves (FINISHED, FAILED, KILLED, LOST).
bool is_terminal_status(std::string_view status);

// Calls fn for each object of the list at `key` (required), without refusing unknown
// fields (unlike FieldReader::array_of_objects): an older client must read a newer
// scheduler's answers. Errors name the element ("updates[2]: expected an object").
Status each_object(FieldReader& r, std::string_view key,
                   const std::function<Status(FieldReader&)>& fn);

// Readers for each response body; errors name the field path.
Result<ClusterInfo> cluster_info_from_json(const json::value& v);
Result<JobList> job_list_from_json(const json::value& v);
Result<JobDetail> job_detail_from_json(const json::value& v);
Result<TaskList> task_list_from_json(const json::value& v);
Result<AgentList> agent_list_from_json(const json::value& v);
Result<CreateResult> create_result_from_json(const json::value& v);
Result<KillResult> kill_result_from_json(const json::value& v);

}  // namespace borealis::cli
