// Rolling updates (docs/api.md, "Updates"): the requests that start and steer them and
// the views the scheduler answers with. Answers are decoded tolerantly (unknown fields
// ignored); requests, which the scheduler reads, strictly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/codec.h"
#include "common/clock.h"

namespace borealis::api {

// One update: what {"update": ...} and the entries of {"updates": [...]} hold.
struct UpdateSummary {
  std::string update_id;  // required
  std::string job;        // "cluster/role/env/name"
  std::string status;     // required; ROLLING_FORWARD, ..., ROLLED_BACK, ABORTED, ERROR, FAILED
  bool active = false;
  bool rolling_back = false;
  bool restart = false;  // a rolling restart (same version)
  TimeMs created_ms = 0;
  TimeMs updated_ms = 0;
  std::string message;  // what the user said when starting it
  std::string user;     // who started it; "" (not sent) without authentication
  // Counts over the steps in force: the forward plan, or the rollback once it started.
  int64_t instances_total = 0;
  int64_t instances_done = 0;
  int64_t instances_failed = 0;
  int64_t instances_in_flight = 0;
  int64_t failed_instances = 0;  // failures counted against max_total_failures
  int64_t batch = 0;             // batches started so far
  std::string config_id;         // the version it rolls out
  json::value settings;          // the update_config in force
  std::string last_event;        // "KIND" or "KIND: message"; "" before the first event
  bool operator==(const UpdateSummary&) const = default;
};
BOREALIS_API_CODEC(UpdateSummary);

// One instance's step of the plan.
struct UpdateStep {
  int32_t instance = 0;  // required
  std::string phase;     // WAITING, KILLING_OLD, STARTING, WATCHING, SUCCEEDED, FAILED
  int64_t failures = 0;
  std::string task_id;
  std::string from_config;
  std::string to_config;
  bool operator==(const UpdateStep&) const = default;
};

struct UpdateEvent {
  TimeMs ts_ms = 0;
  std::string kind;       // required; an update status or an INSTANCE_* action
  int32_t instance = -1;  // for instance actions; -1 (not sent) otherwise
  std::string message;
  bool operator==(const UpdateEvent&) const = default;
};

// GET .../updates/ID: {"update": {...summary..., "forward", "rollback", "events"}}
struct UpdateDetail {
  UpdateSummary summary;
  std::vector<UpdateStep> forward;
  std::vector<UpdateStep> rollback;
  std::vector<UpdateEvent> events;  // oldest first
  bool operator==(const UpdateDetail&) const = default;
};
BOREALIS_API_CODEC(UpdateDetail);

// {"updates": [...]}, newest first.
struct UpdateList {
  std::vector<UpdateSummary> updates;
  bool operator==(const UpdateList&) const = default;
};
BOREALIS_API_CODEC(UpdateList);

// What start, control and restart answer: {"update": SUMMARY}, or {"update": null,
// "message": why} when nothing started (Aurora's no-op update).
struct UpdateAnswer {
  std::optional<UpdateSummary> update;
  std::string message;  // only without an update
  bool operator==(const UpdateAnswer&) const = default;
};
BOREALIS_API_CODEC(UpdateAnswer);

// POST .../update
struct StartUpdateRequest {
  json::value spec;                               // required; the new JobSpec
  std::optional<std::vector<int32_t>> instances;  // a canary: only these instances
  std::string message;
  bool operator==(const StartUpdateRequest&) const = default;
};
BOREALIS_API_CODEC(StartUpdateRequest);

// POST .../update/{pause,resume,abort,rollback,pulse}
struct UpdateControlRequest {
  std::string message;
  bool operator==(const UpdateControlRequest&) const = default;
};
BOREALIS_API_CODEC(UpdateControlRequest);

// POST .../restart; unset fields take the job's update_config.
struct RestartRequest {
  std::optional<std::vector<int32_t>> instances;  // nullopt = every instance
  int64_t batch_size = 0;                         // 0 = the job's
  int64_t watch_secs = -1;                        // -1 = the job's
  bool operator==(const RestartRequest&) const = default;
};
BOREALIS_API_CODEC(RestartRequest);

// POST .../instances: adds `count` instances running instance `instance`'s version.
struct AddInstancesRequest {
  int32_t instance = 0;  // required
  int32_t count = 0;     // required
  bool operator==(const AddInstancesRequest&) const = default;
};
BOREALIS_API_CODEC(AddInstancesRequest);

struct AddInstancesResult {
  std::vector<int32_t> added;  // required; the new instance ids
  bool operator==(const AddInstancesResult&) const = default;
};
BOREALIS_API_CODEC(AddInstancesResult);

// True for the five end states (ROLLED_FORWARD, ROLLED_BACK, ABORTED, ERROR, FAILED).
bool is_update_ended(std::string_view status);
// Every update status the API knows, active ones first.
const std::vector<std::string>& update_status_names();

}  // namespace borealis::api
