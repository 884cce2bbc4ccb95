#include "agent/task_state.h"

namespace borealis::agent {

namespace {
constexpr std::pair<TaskState, std::string_view> kNames[] = {
    {TaskState::kStarting, "STARTING"}, {TaskState::kRunning, "RUNNING"},
    {TaskState::kFinished, "FINISHED"}, {TaskState::kFailed, "FAILED"},
    {TaskState::kKilled, "KILLED"},     {TaskState::kLost, "LOST"},
};
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

bool is_terminal(TaskState s) { return state_rank(s) == 3; }

int state_rank(TaskState s) {
  switch (s) {
    case TaskState::kStarting:
      return 1;
    case TaskState::kRunning:
      return 2;
    default:
      return 3;
  }
}

json::object update_to_json(const StatusUpdate& u) {
  json::array pids;
  for (int64_t p : u.pids) pids.push_back(p);
  return json::object{
      {"seq", u.seq},     {"task_id", u.task_id}, {"state", task_state_name(u.state)},
      {"ts_ms", u.ts_ms}, {"message", u.message}, {"pids", std::move(pids)}};
}

Result<StatusUpdate> update_from_json(const json::value& v) {
  if (!v.is_object()) return invalid_argument("update: expected an object");
  FieldReader r(v.get_object(), "update");
  StatusUpdate u;
  std::string state;
  BOREALIS_RETURN_IF_ERROR(r.get("seq", &u.seq, true));
  BOREALIS_RETURN_IF_ERROR(r.get("task_id", &u.task_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("state", &state, true));
  BOREALIS_RETURN_IF_ERROR(r.get("ts_ms", &u.ts_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("message", &u.message));
  auto parsed = parse_task_state(state);
  if (!parsed) return r.error("state", "unknown task state '" + state + "'");
  u.state = *parsed;
  if (const json::value* pids = r.raw("pids")) {
    if (!pids->is_array()) return r.error("pids", "expected a list");
    for (const auto& p : pids->get_array()) {
      if (!p.is_int64()) return r.error("pids", "expected integers");
      u.pids.push_back(p.get_int64());
    }
  }
  BOREALIS_RETURN_IF_ERROR(r.finish());
  return u;
}

}  // namespace borealis::agent
