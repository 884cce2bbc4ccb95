// `POST /api/v1/tasks/ID/run` on an agent (docs/agent-api.md): run one shell command in a
// task's work dir, as the task's user, with its time and output bounded; what
// `borealis task run` sends to each instance's agent and prints.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "api/codec.h"

namespace borealis::api {

// Bounds the agent enforces (a request beyond them is refused, not trimmed).
inline constexpr int64_t kTaskRunMaxCommandBytes = 16 * 1024;
inline constexpr int64_t kTaskRunDefaultTimeoutSecs = 30;
inline constexpr int64_t kTaskRunMaxTimeoutSecs = 600;
// The most output (stdout and stderr together) an answer carries; the rest is counted only.
inline constexpr int64_t kTaskRunMaxOutputBytes = 1024 * 1024;

struct TaskRunRequest {
  std::string command;  // run as `/bin/bash -c COMMAND`
  int64_t timeout_secs = kTaskRunDefaultTimeoutSecs;
  bool operator==(const TaskRunRequest&) const = default;
};
BOREALIS_API_CODEC(TaskRunRequest);

struct TaskRunResult {
  std::string task_id;
  int64_t exit_code = -1;  // -1 when it did not exit by itself
  int64_t signal = 0;      // the signal that ended it (timed out: SIGKILL)
  bool timed_out = false;
  std::string output;        // the first kTaskRunMaxOutputBytes, valid UTF-8
  int64_t output_bytes = 0;  // how many bytes it wrote in all
  bool output_cut = false;   // output_bytes > what `output` holds
  int64_t duration_ms = 0;
  bool operator==(const TaskRunResult&) const = default;
};
BOREALIS_API_CODEC(TaskRunResult);

// The request's problems (empty command, too long, timeout out of range), as
// INVALID_ARGUMENT naming the field; OK otherwise.
Status check_task_run_request(const TaskRunRequest& r);

}  // namespace borealis::api
