#include "api/updates.h"

#include "api/field_table.h"
#include "common/instance_ranges.h"

namespace borealis::api {

namespace {

const FieldTable<UpdateSummary> kSummaryFields = {
    {"update_id", &UpdateSummary::update_id, Presence::kRequired},
    {"job", &UpdateSummary::job},
    {"status", &UpdateSummary::status, Presence::kRequired},
    {"active", &UpdateSummary::active},
    {"rolling_back", &UpdateSummary::rolling_back},
    {"restart", &UpdateSummary::restart},
    {"created_ms", &UpdateSummary::created_ms},
    {"updated_ms", &UpdateSummary::updated_ms},
    {"message", &UpdateSummary::message},
    {"user", &UpdateSummary::user, Presence::kOmitDefault},
    {"instances_total", &UpdateSummary::instances_total},
    {"instances_done", &UpdateSummary::instances_done},
    {"instances_failed", &UpdateSummary::instances_failed},
    {"instances_in_flight", &UpdateSummary::instances_in_flight},
    {"failed_instances", &UpdateSummary::failed_instances},
    {"batch", &UpdateSummary::batch},
    {"config_id", &UpdateSummary::config_id},
    {"settings", &UpdateSummary::settings},
    {"last_event", &UpdateSummary::last_event, Presence::kOmitDefault}};

const FieldTable<UpdateStep> kStepFields = {
    {"instance", &UpdateStep::instance, Presence::kRequired},
    {"phase", &UpdateStep::phase},
    {"failures", &UpdateStep::failures},
    {"task_id", &UpdateStep::task_id},
    {"from_config", &UpdateStep::from_config},
    {"to_config", &UpdateStep::to_config}};

const FieldTable<UpdateEvent> kEventFields = {
    {"ts_ms", &UpdateEvent::ts_ms},
    {"kind", &UpdateEvent::kind, Presence::kRequired},
    {"message", &UpdateEvent::message},
    {"instance", &UpdateEvent::instance, Presence::kOmitDefault}};

const FieldTable<StartUpdateRequest> kStartFields = {
    {"spec", &StartUpdateRequest::spec, Presence::kRequired},
    {"instances", &StartUpdateRequest::instances, Presence::kOmitDefault},
    {"message", &StartUpdateRequest::message, Presence::kOmitDefault}};

const FieldTable<UpdateControlRequest> kControlFields = {
    {"message", &UpdateControlRequest::message, Presence::kOmitDefault}};

const FieldTable<RestartRequest> kRestartFields = {
    {"instances", &RestartRequest::instances, Presence::kOmitDefault},
    {"batch_size", &RestartRequest::batch_size, Presence::kOmitDefault},
    {"watch_secs", &RestartRequest::watch_secs, Presence::kOmitDefault}};

const FieldTable<AddInstancesRequest> kAddFields = {
    {"instance", &AddInstancesRequest::instance, Presence::kRequired},
    {"count", &AddInstancesRequest::count, Presence::kRequired}};

const FieldTable<AddInstancesResult> kAddedFields = {
    {"added", &AddInstancesResult::added, Presence::kRequired}};

Status read_summary(FieldReader& r, UpdateSummary* u) { return read_fields(r, u, kSummaryFields); }

// Seconds a caller may ask for (a restart's watch_secs): the JobSpec's bound.
constexpr int64_t kMaxRequestSeconds = 1'000'000'000;

// The decoder of a message that is exactly its table; `strict` for requests, whose
// misspelt fields are refused rather than ignored.
template <typename T>
Result<T> decode_table(const json::value& v, std::string_view what, const FieldTable<T>& table,
                       bool strict) {
  return read_message<T>(
      v, what, [&](FieldReader& r, T* out) { return read_fields(r, out, table); }, strict);
}

// A request read by its table, then `check`ed (ranges and sizes) before it is used.
template <typename T, typename Check>
Result<T> decode_request(const json::value& v, const FieldTable<T>& table, const Check& check) {
  return read_message<T>(
      v, "request",
      [&](FieldReader& r, T* out) {
        BOREALIS_RETURN_IF_ERROR(read_fields(r, out, table));
        return check(r, *out);
      },
      true);
}

}  // namespace

json::object encode(const UpdateSummary& u) { return encode_fields(u, kSummaryFields); }

template <>
Result<UpdateSummary> decode<UpdateSummary>(const json::value& v) {
  return decode_table(v, "update", kSummaryFields, false);
}

json::object encode(const UpdateDetail& d) {
  json::object o = encode(d.summary);
  o["forward"] = encode_list(d.forward, kStepFields);
  o["rollback"] = encode_list(d.rollback, kStepFields);
  o["events"] = encode_list(d.events, kEventFields);
  return json::object{{"update", std::move(o)}};
}

template <>
Result<UpdateDetail> decode<UpdateDetail>(const json::value& v) {
  auto step = [](FieldReader& s, UpdateStep* out) { return read_fields(s, out, kStepFields); };
  return read_message<UpdateDetail>(v, "update", [&](FieldReader& r, UpdateDetail* d) {
    return nested_object(
        r, "update",
        [&](FieldReader& u) {
          BOREALIS_RETURN_IF_ERROR(read_summary(u, &d->summary));
          BOREALIS_RETURN_IF_ERROR(read_list(u, "forward", &d->forward, step, false));
          BOREALIS_RETURN_IF_ERROR(read_list(u, "rollback", &d->rollback, step, false));
          return read_list(
              u, "events", &d->events,
              [](FieldReader& e, UpdateEvent* out) { return read_fields(e, out, kEventFields); },
              false);
        },
        true);
  });
}

json::object encode(const UpdateList& l) {
  return json::object{{"updates", encode_list(l.updates, kSummaryFields)}};
}

template <>
Result<UpdateList> decode<UpdateList>(const json::value& v) {
  return read_list_message(v, "update list", "updates", &UpdateList::updates, read_summary);
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
  if (!o->contains("update")) return r.error("update", "is required");
  if (r.has("update")) {
    BOREALIS_RETURN_IF_ERROR(nested_object(
        r, "update", [&](FieldReader& s) { return read_summary(s, &a.update.emplace()); }));
    return a;
  }
  // {"update": null}: nothing started, and the message says why.
  BOREALIS_RETURN_IF_ERROR(r.get("message", &a.message));
  return a;
}

json::object encode(const StartUpdateRequest& r) { return encode_fields(r, kStartFields); }

template <>
Result<StartUpdateRequest> decode<StartUpdateRequest>(const json::value& v) {
  return decode_request(v, kStartFields, [](FieldReader& r, const StartUpdateRequest& u) {
    return check_message(r, "message", u.message);
  });
}

json::object encode(const UpdateControlRequest& r) { return encode_fields(r, kControlFields); }

template <>
Result<UpdateControlRequest> decode<UpdateControlRequest>(const json::value& v) {
  return decode_request(v, kControlFields, [](FieldReader& r, const UpdateControlRequest& u) {
    return check_message(r, "message", u.message);
  });
}

json::object encode(const RestartRequest& r) { return encode_fields(r, kRestartFields); }

template <>
Result<RestartRequest> decode<RestartRequest>(const json::value& v) {
  return decode_request(v, kRestartFields, [](FieldReader& r, const RestartRequest& u) {
    BOREALIS_RETURN_IF_ERROR(check_range(r, "batch_size", u.batch_size, 0,
                                         static_cast<int64_t>(kMaxInstanceIdsPerRequest)));
    return check_range(r, "watch_secs", u.watch_secs, -1, kMaxRequestSeconds);
  });
}

json::object encode(const AddInstancesRequest& r) { return encode_fields(r, kAddFields); }

template <>
Result<AddInstancesRequest> decode<AddInstancesRequest>(const json::value& v) {
  return decode_request(v, kAddFields, [](FieldReader& r, const AddInstancesRequest& u) {
    BOREALIS_RETURN_IF_ERROR(check_range(r, "instance", u.instance, 0, kMaxInstanceId));
    return check_range(r, "count", u.count, 1, static_cast<int64_t>(kMaxInstanceIdsPerRequest));
  });
}

json::object encode(const AddInstancesResult& r) { return encode_fields(r, kAddedFields); }

template <>
Result<AddInstancesResult> decode<AddInstancesResult>(const json::value& v) {
  return decode_table(v, "add result", kAddedFields, false);
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
