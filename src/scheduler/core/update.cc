#include "scheduler/core/update.h"

#include <array>

#include "common/enum_names.h"

namespace borealis::scheduler {

namespace {
constexpr std::array<std::string_view, 11> kStatus = {"ROLLING_FORWARD",
                                                      "ROLLING_BACK",
                                                      "ROLL_FORWARD_PAUSED",
                                                      "ROLL_BACK_PAUSED",
                                                      "ROLLED_FORWARD",
                                                      "ROLLED_BACK",
                                                      "ABORTED",
                                                      "ERROR",
                                                      "FAILED",
                                                      "ROLL_FORWARD_AWAITING_PULSE",
                                                      "ROLL_BACK_AWAITING_PULSE"};
constexpr std::array<std::string_view, 6> kAction = {
    "INSTANCE_UPDATING",    "INSTANCE_UPDATED",       "INSTANCE_ROLLING_BACK",
    "INSTANCE_ROLLED_BACK", "INSTANCE_UPDATE_FAILED", "INSTANCE_ROLLBACK_FAILED"};
}  // namespace

std::string_view update_status_name(UpdateStatus s) { return enum_name(kStatus, s); }

std::optional<UpdateStatus> parse_update_status(std::string_view name) {
  return enum_from_name<UpdateStatus>(kStatus, name);
}

bool is_update_active(UpdateStatus s) {
  switch (s) {
    case UpdateStatus::kRolledForward:
    case UpdateStatus::kRolledBack:
    case UpdateStatus::kAborted:
    case UpdateStatus::kError:
    case UpdateStatus::kFailed:
      return false;
    default:
      return true;
  }
}

std::string_view instance_action_name(InstanceAction a) { return enum_name(kAction, a); }

std::optional<InstanceAction> parse_instance_action(std::string_view name) {
  return enum_from_name<InstanceAction>(kAction, name);
}

UpdateStatus rolling_status(bool back) {
  return back ? UpdateStatus::kRollingBack : UpdateStatus::kRollingForward;
}
UpdateStatus paused_status(bool back) {
  return back ? UpdateStatus::kRollBackPaused : UpdateStatus::kRollForwardPaused;
}
UpdateStatus awaiting_pulse_status(bool back) {
  return back ? UpdateStatus::kRollBackAwaitingPulse : UpdateStatus::kRollForwardAwaitingPulse;
}

bool same_task(const ConfigPtr& a, const ConfigPtr& b) {
  return a && b && (a == b || a->task_hash == b->task_hash);
}

Update* active_update(const Job& job) {
  if (job.updates.empty()) return nullptr;
  Update* u = job.updates.front();
  return is_update_active(u->status) ? u : nullptr;
}

bool update_replacing(const Job& job, int32_t instance) {
  const Update* u = active_update(job);
  if (!u) return false;
  const auto& steps = u->steps();
  for (size_t i = u->first_open; i < u->next && i < steps.size(); ++i)
    if (steps[i].instance == instance && steps[i].phase == UpdateStep::Phase::kKilling) return true;
  return false;
}

}  // namespace borealis::scheduler
