// Rolling updates as the scheduler's API describes them (docs/api.md, "Updates"), read
// into C++ types. Like api_types.h: tolerant of fields this client does not know, and
// each value keeps the JSON as received (`raw`) for `--output json`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/json.h"

namespace borealis::cli {

// One update: what {"update": ...} and the entries of {"updates": [...]} hold.
struct UpdateSummary {
  std::string update_id;
  std::string job;     // "cluster/role/env/name"
  std::string status;  // ROLLING_FORWARD, ..., ROLLED_FORWARD, ROLLED_BACK, ABORTED, ERROR, FAILED
  bool active = false;
  bool rolling_back = false;
  bool restart = false;  // a rolling restart (same version)
  TimeMs created_ms = 0;
  TimeMs updated_ms = 0;
  std::string message;  // what the user said when starting it
  // Counts over the steps in force: the forward plan, or the rollback once it started.
  int64_t instances_total = 0;
  int64_t instances_done = 0;
  int64_t instances_failed = 0;
  int64_t instances_in_flight = 0;
  int64_t batch = 0;       // batches started so far
  std::string last_event;  // "KIND" or "KIND: message"
  json::value settings;    // the update_config in force
  json::value raw;
  // The scheduler started nothing: the job already runs this configuration (Aurora's no-op
  // update). Only update_id-less fields below are meaningful.
  bool noop = false;
  std::string noop_message;
};

// One instance's step of the plan.
struct UpdateStepInfo {
  int32_t instance = 0;
  std::string phase;  // WAITING, KILLING_OLD, STARTING, WATCHING, SUCCEEDED, FAILED
  int64_t failures = 0;
  std::string task_id;
};

struct UpdateEventInfo {
  TimeMs ts_ms = 0;
  std::string kind;       // an update status or an INSTANCE_* action
  int32_t instance = -1;  // for instance actions
  std::string message;
};

// GET .../updates/ID: the summary, the steps and the event log (oldest first).
struct UpdateDetail {
  UpdateSummary summary;
  std::vector<UpdateStepInfo> forward;
  std::vector<UpdateStepInfo> rollback;
  std::vector<UpdateEventInfo> events;
  json::value raw;
};

struct UpdateList {
  std::vector<UpdateSummary> updates;  // newest first
  json::value raw;
};

struct AddInstancesResult {
  std::vector<int32_t> added;  // the new instance ids
  json::value raw;
};

// True for the five end states (ROLLED_FORWARD, ROLLED_BACK, ABORTED, ERROR, FAILED).
bool is_update_ended(std::string_view status);
// Every status the API knows, active ones first.
const std::vector<std::string>& update_status_names();

// Readers for each response body; errors name the field path.
Result<UpdateSummary> update_answer_from_json(const json::value& v);  // {"update": {...}}
Result<UpdateDetail> update_detail_from_json(const json::value& v);   // {"update": {...}}
Result<UpdateList> update_list_from_json(const json::value& v);       // {"updates": [...]}
Result<AddInstancesResult> add_instances_result_from_json(const json::value& v);

}  // namespace borealis::cli
