#include <array>

#include "scheduler/core/update.h"

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

std::string_view update_status_name(UpdateStatus s) { return kStatus[static_cast<size_t>(s)]; }

std::optional<UpdateStatus> parse_update_status(std::string_view name) {
  for (size_t i = 0; i < kStatus.size(); ++i)
    if (kStatus[i] == name) return static_cast<UpdateStatus>(i);
  return std::nullopt;
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

std::string_view instance_action_name(InstanceAction a) { return kAction[static_cast<size_t>(a)]; }

std::optional<InstanceAction> parse_instance_action(std::string_view name) {
  for (size_t i = 0; i < kAction.size(); ++i)
    if (kAction[i] == name) return static_cast<InstanceAction>(i);
  return std::nullopt;
}

}  // namespace borealis::scheduler
