#include "protocol/task_state.h"

#include <utility>

#include "api/field_table.h"

namespace borealis::protocol {

namespace {

constexpr std::pair<TaskState, std::string_view> kNames[] = {
    {TaskState::kStarting, "STARTING"}, {TaskState::kRunning, "RUNNING"},
    {TaskState::kFinished, "FINISHED"}, {TaskState::kFailed, "FAILED"},
    {TaskState::kKilled, "KILLED"},     {TaskState::kLost, "LOST"},
};

Status read_state(FieldReader& r, TaskState* out) {
  std::string state;
  BOREALIS_RETURN_IF_ERROR(r.get("state", &state, true));
  auto parsed = parse_task_state(state);
  if (!parsed) return r.error("state", "unknown task state '" + state + "'");
  *out = *parsed;
  return Status();
}

std::string too_long(size_t size, size_t limit) {
  return std::to_string(size) + " bytes, more than the limit of " + std::to_string(limit);
}

Status read_task_id(FieldReader& r, std::string* out) {
  BOREALIS_RETURN_IF_ERROR(r.get("task_id", out, true));
  if (out->size() > kMaxTaskIdBytes)
    return r.error("task_id", too_long(out->size(), kMaxTaskIdBytes));
  return Status();
}

}  // namespace

std::string_view task_state_name(TaskState s) {
  for (const auto& [state, name] : kNames)
    if (state == s) return name;
  return "UNKNOWN";
}

std::optional<TaskState> parse_task_state(std::string_view name) {
  for (const auto& [state, n] : kNames)
    if (n == name) return state;
  return std::nullopt;
}

json::object encode(const StatusUpdate& u) {
  json::array pids;
  for (int64_t p : u.pids) pids.push_back(p);
  return json::object{
      {"seq", u.seq},     {"task_id", u.task_id}, {"state", task_state_name(u.state)},
      {"ts_ms", u.ts_ms}, {"message", u.message}, {"pids", std::move(pids)}};
}

Status read_status_update(FieldReader& r, StatusUpdate* u) {
  BOREALIS_RETURN_IF_ERROR(r.get("seq", &u->seq, true));
  BOREALIS_RETURN_IF_ERROR(read_task_id(r, &u->task_id));
  BOREALIS_RETURN_IF_ERROR(read_state(r, &u->state));
  BOREALIS_RETURN_IF_ERROR(r.get("ts_ms", &u->ts_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("message", &u->message));
  if (u->message.size() > kMaxStatusMessageBytes)
    return r.error("message", too_long(u->message.size(), kMaxStatusMessageBytes));
  if (const json::value* pids = r.raw("pids")) {
    if (!pids->is_array()) return r.error("pids", "expected a list");
    if (pids->get_array().size() > kMaxReportedPids)
      return r.error("pids", std::to_string(pids->get_array().size()) + " pids, more than " +
                                 std::to_string(kMaxReportedPids));
    for (const auto& p : pids->get_array()) {
      if (!p.is_int64()) return r.error("pids", "expected integers");
      u->pids.push_back(p.get_int64());
    }
  }
  return Status();
}

json::object encode(const TaskReport& t) {
  json::object o{{"task_id", t.task_id}, {"state", task_state_name(t.state)}};
  if (t.usage) o["usage"] = api::encode(*t.usage);
  return o;
}

Status read_task_report(FieldReader& r, TaskReport* t) {
  BOREALIS_RETURN_IF_ERROR(read_task_id(r, &t->task_id));
  BOREALIS_RETURN_IF_ERROR(read_state(r, &t->state));
  if (!r.has("usage")) return Status();
  return api::nested_object(
      r, "usage", [&](FieldReader& u) { return api::read_task_usage(u, &t->usage.emplace()); });
}

}  // namespace borealis::protocol

namespace borealis::api {

template <>
Result<protocol::StatusUpdate> decode<protocol::StatusUpdate>(const json::value& v) {
  return read_message<protocol::StatusUpdate>(v, "update", protocol::read_status_update, true,
                                              "update");
}

template <>
Result<protocol::TaskReport> decode<protocol::TaskReport>(const json::value& v) {
  return read_message<protocol::TaskReport>(v, "task", protocol::read_task_report, true, "task");
}

}  // namespace borealis::api
