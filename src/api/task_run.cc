#include "api/task_run.h"

#include "api/field_table.h"

namespace borealis::api {

namespace {

const FieldTable<TaskRunRequest> kRequestFields = {
    {"command", &TaskRunRequest::command, Presence::kRequired},
    {"timeout_secs", &TaskRunRequest::timeout_secs}};

const FieldTable<TaskRunResult> kResultFields = {
    {"task_id", &TaskRunResult::task_id, Presence::kRequired},
    {"exit_code", &TaskRunResult::exit_code},
    {"signal", &TaskRunResult::signal, Presence::kOmitDefault},
    {"timed_out", &TaskRunResult::timed_out},
    {"output", &TaskRunResult::output},
    {"output_bytes", &TaskRunResult::output_bytes},
    {"output_cut", &TaskRunResult::output_cut},
    {"duration_ms", &TaskRunResult::duration_ms}};

}  // namespace

json::object encode(const TaskRunRequest& r) { return encode_fields(r, kRequestFields); }

template <>
Result<TaskRunRequest> decode<TaskRunRequest>(const json::value& v) {
  return read_message<TaskRunRequest>(
      v, "run request",
      [](FieldReader& r, TaskRunRequest* out) { return read_fields(r, out, kRequestFields); },
      true);
}

json::object encode(const TaskRunResult& r) { return encode_fields(r, kResultFields); }

template <>
Result<TaskRunResult> decode<TaskRunResult>(const json::value& v) {
  return read_message<TaskRunResult>(v, "run result", [](FieldReader& r, TaskRunResult* out) {
    return read_fields(r, out, kResultFields);
  });
}

Status check_task_run_request(const TaskRunRequest& r) {
  if (r.command.empty()) return invalid_argument("command: empty");
  if (static_cast<int64_t>(r.command.size()) > kTaskRunMaxCommandBytes)
    return invalid_argument("command: " + std::to_string(r.command.size()) + " bytes, at most " +
                            std::to_string(kTaskRunMaxCommandBytes));
  if (r.timeout_secs < 1 || r.timeout_secs > kTaskRunMaxTimeoutSecs)
    return invalid_argument("timeout_secs: expected 1 to " +
                            std::to_string(kTaskRunMaxTimeoutSecs) + ", got " +
                            std::to_string(r.timeout_secs));
  return Status();
}

}  // namespace borealis::api
