#include "cli/update_types.h"

#include "cli/api_types.h"

namespace borealis::cli {

namespace {

Result<const json::object*> member_object(const json::value& v, std::string_view key,
                                          std::string_view what) {
  if (!v.is_object()) return invalid_argument(std::string(what) + ": expected a JSON object");
  const json::value* m = v.get_object().if_contains(key);
  if (!m || !m->is_object()) return invalid_argument(std::string(key) + ": expected an object");
  return &m->get_object();
}

Status read_summary(FieldReader& r, UpdateSummary* u) {
  BOREALIS_RETURN_IF_ERROR(r.get("update_id", &u->update_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("job", &u->job));
  BOREALIS_RETURN_IF_ERROR(r.get("status", &u->status, true));
  BOREALIS_RETURN_IF_ERROR(r.get("active", &u->active));
  BOREALIS_RETURN_IF_ERROR(r.get("rolling_back", &u->rolling_back));
  BOREALIS_RETURN_IF_ERROR(r.get("restart", &u->restart));
  BOREALIS_RETURN_IF_ERROR(r.get("created_ms", &u->created_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("updated_ms", &u->updated_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("message", &u->message));
  BOREALIS_RETURN_IF_ERROR(r.get("instances_total", &u->instances_total));
  BOREALIS_RETURN_IF_ERROR(r.get("instances_done", &u->instances_done));
  BOREALIS_RETURN_IF_ERROR(r.get("instances_failed", &u->instances_failed));
  BOREALIS_RETURN_IF_ERROR(r.get("instances_in_flight", &u->instances_in_flight));
  BOREALIS_RETURN_IF_ERROR(r.get("batch", &u->batch));
  BOREALIS_RETURN_IF_ERROR(r.get("last_event", &u->last_event));
  if (const json::value* s = r.raw("settings")) u->settings = *s;
  return Status();
}

Status read_steps(FieldReader& r, std::string_view key, std::vector<UpdateStepInfo>* out) {
  if (!r.has(key)) return Status();
  return each_object(r, key, [&](FieldReader& s) {
    UpdateStepInfo step;
    BOREALIS_RETURN_IF_ERROR(s.get("instance", &step.instance, true));
    BOREALIS_RETURN_IF_ERROR(s.get("phase", &step.phase));
    BOREALIS_RETURN_IF_ERROR(s.get("failures", &step.failures));
    BOREALIS_RETURN_IF_ERROR(s.get("task_id", &step.task_id));
    out->push_back(std::move(step));
    return Status();
  });
}

}  // namespace

const std::vector<std::string>& update_status_names() {
  static const std::vector<std::string> kNames = {"ROLLING_FORWARD",
                                                  "ROLLING_BACK",
                                                  "ROLL_FORWARD_PAUSED",
                                                  "ROLL_BACK_PAUSED",
                                                  "ROLL_FORWARD_AWAITING_PULSE",
                                                  "ROLL_BACK_AWAITING_PULSE",
                                                  "ROLLED_FORWARD",
                                                  "ROLLED_BACK",
                                                  "ABORTED",
                                                  "ERROR",
                                                  "FAILED"};
  return kNames;
}

bool is_update_ended(std::string_view s) {
  return s == "ROLLED_FORWARD" || s == "ROLLED_BACK" || s == "ABORTED" || s == "ERROR" ||
         s == "FAILED";
}

Result<UpdateSummary> update_answer_from_json(const json::value& v) {
  if (const json::object* top = v.if_object();
      top && top->contains("update") && top->at("update").is_null()) {
    UpdateSummary u;
    u.noop = true;
    if (const json::value* m = top->if_contains("message"); m && m->is_string())
      u.noop_message = std::string(m->get_string());
    u.raw = v;
    return u;
  }
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, member_object(v, "update", "update"));
  FieldReader r(*o, "update");
  UpdateSummary u;
  BOREALIS_RETURN_IF_ERROR(read_summary(r, &u));
  u.raw = v;
  return u;
}

Result<UpdateDetail> update_detail_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, member_object(v, "update", "update"));
  FieldReader r(*o, "update");
  UpdateDetail d;
  BOREALIS_RETURN_IF_ERROR(read_summary(r, &d.summary));
  BOREALIS_RETURN_IF_ERROR(read_steps(r, "forward", &d.forward));
  BOREALIS_RETURN_IF_ERROR(read_steps(r, "rollback", &d.rollback));
  if (r.has("events")) {
    BOREALIS_RETURN_IF_ERROR(each_object(r, "events", [&](FieldReader& e) {
      UpdateEventInfo ev;
      BOREALIS_RETURN_IF_ERROR(e.get("ts_ms", &ev.ts_ms));
      BOREALIS_RETURN_IF_ERROR(e.get("kind", &ev.kind, true));
      BOREALIS_RETURN_IF_ERROR(e.get("instance", &ev.instance));
      BOREALIS_RETURN_IF_ERROR(e.get("message", &ev.message));
      d.events.push_back(std::move(ev));
      return Status();
    }));
  }
  d.summary.raw = json::object{{"update", *o}};
  d.raw = v;
  return d;
}

Result<UpdateList> update_list_from_json(const json::value& v) {
  if (!v.is_object()) return invalid_argument("update list: expected a JSON object");
  FieldReader r(v.get_object(), "");
  UpdateList list;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "updates", [&](FieldReader& u) {
    UpdateSummary s;
    BOREALIS_RETURN_IF_ERROR(read_summary(u, &s));
    list.updates.push_back(std::move(s));
    return Status();
  }));
  list.raw = v;
  return list;
}

Result<AddInstancesResult> add_instances_result_from_json(const json::value& v) {
  if (!v.is_object()) return invalid_argument("add result: expected a JSON object");
  FieldReader r(v.get_object(), "");
  AddInstancesResult out;
  const json::value* added = r.raw("added");
  if (!added || !added->is_array()) return r.error("added", "expected a list of instance ids");
  for (const json::value& id : added->get_array()) {
    if (!id.is_int64()) return r.error("added", "expected a list of instance ids");
    out.added.push_back(static_cast<int32_t>(id.get_int64()));
  }
  out.raw = v;
  return out;
}

}  // namespace borealis::cli
