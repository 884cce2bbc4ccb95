// Rolling updates, as Aurora's scheduler runs them: a plan of instance steps (add new
// instances, then replace changed ones, then remove the ones no longer wanted), carried
// out in batches, each new task watched for watch_secs, failures counted per instance
// and in total, and rolled back in reverse order when too many fail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "scheduler/core/model.h"

namespace borealis::scheduler {

enum class UpdateStatus : uint8_t {
  kRollingForward,
  kRollingBack,
  kRollForwardPaused,
  kRollBackPaused,
  kRolledForward,
  kRolledBack,
  kAborted,
  kError,
  kFailed,
  kRollForwardAwaitingPulse,
  kRollBackAwaitingPulse,
};

std::string_view update_status_name(UpdateStatus s);
std::optional<UpdateStatus> parse_update_status(std::string_view name);
bool is_update_active(UpdateStatus s);  // not one of the five end states

enum class InstanceAction : uint8_t {
  kUpdating,
  kUpdated,
  kRollingBack,
  kRolledBack,
  kUpdateFailed,
  kRollbackFailed,
};
std::string_view instance_action_name(InstanceAction a);
std::optional<InstanceAction> parse_instance_action(std::string_view name);

struct UpdateStep {
  int32_t instance = 0;
  ConfigPtr from;  // before; null when the instance did not exist
  ConfigPtr to;    // wanted; null when the instance goes away
  enum class Phase : uint8_t {
    kWaiting,   // not started
    kKilling,   // the old task is being killed
    kStarting,  // the new task is on its way to RUNNING
    kWatching,  // RUNNING; must stay so for watch_secs
    kSucceeded,
    kFailed,
  };
  Phase phase = Phase::kWaiting;
  int32_t failures = 0;  // tries of this instance that did not stay RUNNING
  TimeMs watch_since_ms = 0;
  std::string task_id;    // the new task being brought up
  bool sla_held = false;  // admitted, but waiting for the SLA to allow the kill (not stored)
  bool in_flight() const {
    return phase == Phase::kKilling || phase == Phase::kStarting || phase == Phase::kWatching;
  }
  bool ended() const { return phase == Phase::kSucceeded || phase == Phase::kFailed; }
};

struct UpdateEvent {
  TimeMs ts_ms = 0;
  std::string kind;       // an UpdateStatus or InstanceAction name
  int32_t instance = -1;  // for instance actions
  std::string message;
};

struct Update {
  std::string id;
  Job* job = nullptr;
  UpdateStatus status = UpdateStatus::kRollingForward;
  jobspec::UpdateConfig settings;
  ConfigPtr new_config;
  bool restart = false;              // replace instances even when unchanged
  std::vector<UpdateStep> forward;   // the plan, in order
  std::vector<UpdateStep> rollback;  // filled when rolling back: touched steps, reversed
  size_t next = 0;                   // next step of the active list to start
  int32_t batch_number = 0;          // batches started so far
  int32_t paused_at_batch = -1;      // autopause: the batch boundary we paused at
  size_t batch_end = 0;              // steps before this index belong to started batches
  int32_t failed_instances = 0;
  TimeMs created_ms = 0;
  TimeMs updated_ms = 0;
  TimeMs last_pulse_ms = 0;
  std::string message;
  std::string user;  // who started it; "" without authentication
  std::vector<UpdateEvent> events;

  bool rolling_back() const {
    return status == UpdateStatus::kRollingBack || status == UpdateStatus::kRollBackPaused ||
           status == UpdateStatus::kRollBackAwaitingPulse || status == UpdateStatus::kRolledBack;
  }
  std::vector<UpdateStep>& steps() { return rollback_started ? rollback : forward; }
  const std::vector<UpdateStep>& steps() const { return rollback_started ? rollback : forward; }
  bool rollback_started = false;
  // Steps before this index of the active list have ended (not stored; found again after a
  // restart). Scans start here, so progress costs the open window, not the whole plan.
  size_t first_open = 0;
  size_t open_from() {
    auto& s = steps();
    while (first_open < s.size() && s[first_open].ended()) ++first_open;
    return first_open;
  }
};

// What a user does to an active update.
enum class UpdateAction { kPause, kResume, kAbort, kRollback, kPulse };

// The status an update going forward (or back) has while it rolls, is paused, or waits
// for a pulse.
UpdateStatus rolling_status(bool back);
UpdateStatus paused_status(bool back);
UpdateStatus awaiting_pulse_status(bool back);

// Whether two versions run the same task, so going between them restarts nothing.
bool same_task(const ConfigPtr& a, const ConfigPtr& b);

// The job's update when it has not ended (only the newest can be active), or nullptr.
Update* active_update(const Job& job);
// Whether the job's active update is replacing this instance's task right now.
bool update_replacing(const Job& job, int32_t instance);

// What a user asks for.
struct UpdateRequest {
  jobspec::JobSpec spec;                          // the new configuration
  std::optional<std::vector<int32_t>> instances;  // limit to these (canary); none = all
  bool restart = false;                           // restart instances without a change
  std::string message;
  std::string user;  // who asks; "" without authentication
};

}  // namespace borealis::scheduler
