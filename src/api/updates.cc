#include "api/updates.h"

#include "api/json_fields.h"

namespace borealis::api {

namespace {

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
  BOREALIS_RETURN_IF_ERROR(r.get("failed_instances", &u->failed_instances));
  BOREALIS_RETURN_IF_ERROR(r.get("batch", &u->batch));
  BOREALIS_RETURN_IF_ERROR(r.get("config_id", &u->config_id));
  if (const json::value* s = r.raw("settings")) u->settings = *s;
  return r.get("last_event", &u->last_event);
}

Status read_steps(FieldReader& r, std::string_view key, std::vector<UpdateStep>* out) {
  return each_object(
      r, key,
      [&](FieldReader& s) {
        UpdateStep step;
        BOREALIS_RETURN_IF_ERROR(s.get("instance", &step.instance, true));
        BOREALIS_RETURN_IF_ERROR(s.get("phase", &step.phase));
        BOREALIS_RETURN_IF_ERROR(s.get("failures", &step.failures));
        BOREALIS_RETURN_IF_ERROR(s.get("task_id", &step.task_id));
        BOREALIS_RETURN_IF_ERROR(s.get("from_config", &step.from_config));
        BOREALIS_RETURN_IF_ERROR(s.get("to_config", &step.to_config));
        out->push_back(std::move(step));
        return Status();
      },
      false);
}

Status read_events(FieldReader& r, std::vector<UpdateEvent>* out) {
  return each_object(
      r, "events",
      [&](FieldReader& e) {
        UpdateEvent ev;
        BOREALIS_RETURN_IF_ERROR(e.get("ts_ms", &ev.ts_ms));
        BOREALIS_RETURN_IF_ERROR(e.get("kind", &ev.kind, true));
        BOREALIS_RETURN_IF_ERROR(e.get("instance", &ev.instance));
        BOREALIS_RETURN_IF_ERROR(e.get("message", &ev.message));
        out->push_back(std::move(ev));
        return Status();
      },
      false);
}

json::array steps_json(const std::vector<UpdateStep>& steps) {
  json::array out;
  for (const auto& s : steps)
    out.push_back(json::object{{"instance", s.instance},
                               {"phase", s.phase},
                               {"failures", s.failures},
                               {"task_id", s.task_id},
                               {"from_config", s.from_config},
                               {"to_config", s.to_config}});
  return out;
}

// A request body: strict, so a misspelt field is refused rather than ignored.
template <typename T>
Result<T> read_request(const json::value& v, const std::function<Status(FieldReader&, T*)>& fn) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "request"));
  FieldReader r(*o, "");
  T out;
  BOREALIS_RETURN_IF_ERROR(fn(r, &out));
  BOREALIS_RETURN_IF_ERROR(r.finish());
  return out;
}

}  // namespace

json::object encode(const UpdateSummary& u) {
  json::object o{{"update_id", u.update_id},
                 {"job", u.job},
                 {"status", u.status},
                 {"active", u.active},
                 {"rolling_back", u.rolling_back},
                 {"restart", u.restart},
                 {"created_ms", u.created_ms},
                 {"updated_ms", u.updated_ms},
                 {"message", u.message},
                 {"instances_total", u.instances_total},
                 {"instances_done", u.instances_done},
                 {"instances_failed", u.instances_failed},
                 {"instances_in_flight", u.instances_in_flight},
                 {"failed_instances", u.failed_instances},
                 {"batch", u.batch},
                 {"config_id", u.config_id},
                 {"settings", u.settings}};
  if (!u.last_event.empty()) o["last_event"] = u.last_event;
  return o;
}

template <>
Result<UpdateSummary> decode<UpdateSummary>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "update"));
  FieldReader r(*o, "");
  UpdateSummary u;
  BOREALIS_RETURN_IF_ERROR(read_summary(r, &u));
  return u;
}

json::object encode(const UpdateDetail& d) {
  json::object o = encode(d.summary);
  o["forward"] = steps_json(d.forward);
  o["rollback"] = steps_json(d.rollback);
  json::array events;
  for (const auto& e : d.events) {
    json::object ev{{"ts_ms", e.ts_ms}, {"kind", e.kind}, {"message", e.message}};
    if (e.instance >= 0) ev["instance"] = e.instance;
    events.push_back(std::move(ev));
  }
  o["events"] = std::move(events);
  return json::object{{"update", std::move(o)}};
}

template <>
Result<UpdateDetail> decode<UpdateDetail>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "update"));
  FieldReader r(*o, "");
  UpdateDetail d;
  BOREALIS_RETURN_IF_ERROR(nested_object(
      r, "update",
      [&](FieldReader& u) {
        BOREALIS_RETURN_IF_ERROR(read_summary(u, &d.summary));
        BOREALIS_RETURN_IF_ERROR(read_steps(u, "forward", &d.forward));
        BOREALIS_RETURN_IF_ERROR(read_steps(u, "rollback", &d.rollback));
        return read_events(u, &d.events);
      },
      true));
  return d;
}

json::object encode(const UpdateList& l) {
  json::array out;
  for (const auto& u : l.updates) out.push_back(encode(u));
  return json::object{{"updates", std::move(out)}};
}

template <>
Result<UpdateList> decode<UpdateList>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "update list"));
  FieldReader r(*o, "");
  UpdateList l;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "updates", [&](FieldReader& u) {
    UpdateSummary s;
    BOREALIS_RETURN_IF_ERROR(read_summary(u, &s));
    l.updates.push_back(std::move(s));
    return Status();
  }));
  return l;
}

json::object encode(const UpdateAnswer& a) {
  if (a.update) return json::object{{"update", encode(*a.update)}};
  return json::object{{"update", nullptr}, {"message", a.message}};
}

template <>
Result<UpdateAnswer> decode<UpdateAnswer>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "update answer"));
  FieldReader r(*o, "");
  UpdateAnswer a;
  const json::value* u = o->if_contains("update");
  if (!u) return r.error("update", "is required");
  if (u->is_null()) {
    BOREALIS_RETURN_IF_ERROR(r.get("message", &a.message));
    return a;
  }
  BOREALIS_RETURN_IF_ERROR(nested_object(r, "update", [&](FieldReader& s) {
    a.update.emplace();
    return read_summary(s, &*a.update);
  }));
  return a;
}

json::object encode(const StartUpdateRequest& r) {
  json::object o{{"spec", r.spec}};
  if (r.instances) o["instances"] = instance_ids_json(*r.instances);
  if (!r.message.empty()) o["message"] = r.message;
  return o;
}

template <>
Result<StartUpdateRequest> decode<StartUpdateRequest>(const json::value& v) {
  return read_request<StartUpdateRequest>(v, [](FieldReader& r, StartUpdateRequest* out) {
    const json::value* spec = r.raw("spec");
    if (!spec) return r.error("spec", "is required");
    out->spec = *spec;
    BOREALIS_RETURN_IF_ERROR(read_instance_ids(r, "instances", &out->instances));
    return r.get("message", &out->message);
  });
}

json::object encode(const UpdateControlRequest& r) {
  json::object o;
  if (!r.message.empty()) o["message"] = r.message;
  return o;
}

template <>
Result<UpdateControlRequest> decode<UpdateControlRequest>(const json::value& v) {
  return read_request<UpdateControlRequest>(
      v, [](FieldReader& r, UpdateControlRequest* out) { return r.get("message", &out->message); });
}

json::object encode(const RestartRequest& r) {
  json::object o;
  if (r.instances) o["instances"] = instance_ids_json(*r.instances);
  if (r.batch_size > 0) o["batch_size"] = r.batch_size;
  if (r.watch_secs >= 0) o["watch_secs"] = r.watch_secs;
  return o;
}

template <>
Result<RestartRequest> decode<RestartRequest>(const json::value& v) {
  return read_request<RestartRequest>(v, [](FieldReader& r, RestartRequest* out) {
    BOREALIS_RETURN_IF_ERROR(read_instance_ids(r, "instances", &out->instances));
    BOREALIS_RETURN_IF_ERROR(r.get("batch_size", &out->batch_size));
    return r.get("watch_secs", &out->watch_secs);
  });
}

json::object encode(const AddInstancesRequest& r) {
  return json::object{{"instance", r.instance}, {"count", r.count}};
}

template <>
Result<AddInstancesRequest> decode<AddInstancesRequest>(const json::value& v) {
  return read_request<AddInstancesRequest>(v, [](FieldReader& r, AddInstancesRequest* out) {
    BOREALIS_RETURN_IF_ERROR(r.get("instance", &out->instance, true));
    return r.get("count", &out->count, true);
  });
}

json::object encode(const AddInstancesResult& r) {
  return json::object{{"added", instance_ids_json(r.added)}};
}

template <>
Result<AddInstancesResult> decode<AddInstancesResult>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "add result"));
  FieldReader r(*o, "");
  std::optional<std::vector<int32_t>> added;
  BOREALIS_RETURN_IF_ERROR(read_instance_ids(r, "added", &added));
  if (!added) return r.error("added", "is required");
  return AddInstancesResult{std::move(*added)};
}

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

}  // namespace borealis::api
