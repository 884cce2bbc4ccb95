// The task states an agent reports to the scheduler, one status update as the agent logs
// it in its outbox and posts it to /agent/v1/updates, and one task report of a
// reconciliation (docs/internals/agent-protocol.md).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/codec.h"
#include "api/task_usage.h"
#include "common/clock.h"

namespace borealis::protocol {

// The states an agent reports; the scheduler's model has more (PENDING, ASSIGNED, ...),
// which only it assigns.
enum class TaskState { kStarting, kRunning, kFinished, kFailed, kKilled, kLost };

std::string_view task_state_name(TaskState s);  // "STARTING", ...
std::optional<TaskState> parse_task_state(std::string_view name);

// Bounds of one status update, checked where it is read (the scheduler refuses an update
// past them, naming the field). The agent makes its updates fit: it cuts messages on a
// character boundary and reports at most kMaxReportedPids pids.
inline constexpr size_t kMaxTaskIdBytes = 1024;
inline constexpr size_t kMaxStatusMessageBytes = 4096;
inline constexpr size_t kMaxReportedPids = 1024;

struct StatusUpdate {
  int64_t seq = 0;                         // required
  std::string task_id;                     // required
  TaskState state = TaskState::kStarting;  // required
  TimeMs ts_ms = 0;
  std::string message;        // why a task ended, or "healthy: <check>"
  std::vector<int64_t> pids;  // the runner's pid, then the task's running processes

  bool operator==(const StatusUpdate&) const = default;
};
json::object encode(const StatusUpdate& u);

// A task's CPU, memory and disk as its agent sampled them: on the wire the same fields as
// the public API's view of it.
using TaskUsage = api::TaskUsage;

// What the agent tells the scheduler about a task when it reconciles.
struct TaskReport {
  std::string task_id;                     // required
  TaskState state = TaskState::kStarting;  // required
  std::optional<TaskUsage> usage;          // sent once sampled
  bool operator==(const TaskReport&) const = default;
};
json::object encode(const TaskReport& t);

// Readers for the fields of both, for the messages that carry them.
Status read_status_update(FieldReader& r, StatusUpdate* u);
Status read_task_report(FieldReader& r, TaskReport* t);

}  // namespace borealis::protocol

// Decoding is strict: every field must have the right type, and unknown fields are refused.
namespace borealis::api {
BOREALIS_API_DECODER(protocol::StatusUpdate);
BOREALIS_API_DECODER(protocol::TaskReport);
}  // namespace borealis::api
