#include "api/cron.h"

#include "api/field_table.h"

namespace borealis::api {
namespace {

const FieldTable<CronRunInfo> kRunFields = {
    {"due_ms", &CronRunInfo::due_ms},
    {"at_ms", &CronRunInfo::at_ms},
    {"outcome", &CronRunInfo::outcome, Presence::kRequired},
    {"manual", &CronRunInfo::manual},
    {"missed", &CronRunInfo::missed},
    {"message", &CronRunInfo::message},
    {"result", &CronRunInfo::result, Presence::kOmitDefault}};

const FieldTable<CronNextRun> kNextFields = {{"at_ms", &CronNextRun::at_ms},
                                             {"local", &CronNextRun::local}};

const FieldTable<CronJobInfo> kJobFields = {
    {"key", &CronJobInfo::key, Presence::kRequired},
    {"schedule", &CronJobInfo::schedule},
    {"collision_policy", &CronJobInfo::collision_policy},
    {"timezone", &CronJobInfo::timezone},
    {"created_by", &CronJobInfo::created_by, Presence::kOmitDefault},
    {"scheduled_ms", &CronJobInfo::scheduled_ms},
    {"config_id", &CronJobInfo::config_id},
    {"launch_waiting", &CronJobInfo::launch_waiting}};

Status read_run(FieldReader& r, CronRunInfo* run) { return read_fields(r, run, kRunFields); }

}  // namespace

json::object encode(const CronJobInfo& c) {
  json::object o = encode_fields(c, kJobFields);
  o["next_runs"] = encode_list(c.next_runs, kNextFields);
  o["runs"] = encode_list(c.runs, kRunFields);
  return json::object{{"cron", std::move(o)}};
}

template <>
Result<CronJobInfo> decode<CronJobInfo>(const json::value& v) {
  return read_message<CronJobInfo>(v, "cron job", [](FieldReader& r, CronJobInfo* c) {
    return nested_object(
        r, "cron",
        [&](FieldReader& job) {
          BOREALIS_RETURN_IF_ERROR(read_fields(job, c, kJobFields));
          BOREALIS_RETURN_IF_ERROR(read_list(
              job, "next_runs", &c->next_runs,
              [](FieldReader& n, CronNextRun* next) { return read_fields(n, next, kNextFields); },
              false));
          return read_list(job, "runs", &c->runs, read_run, false);
        },
        true);
  });
}

json::object encode(const CronStartResult& s) {
  return json::object{{"run", encode_fields(s.run, kRunFields)}};
}

template <>
Result<CronStartResult> decode<CronStartResult>(const json::value& v) {
  return read_message<CronStartResult>(
      v, "cron start result", [](FieldReader& r, CronStartResult* s) {
        return nested_object(
            r, "run", [&](FieldReader& run) { return read_run(run, &s->run); }, true);
      });
}

}  // namespace borealis::api
