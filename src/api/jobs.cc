#include "api/jobs.h"

#include "api/field_table.h"

namespace borealis::api {

namespace {

const FieldTable<JobSummary> kSummaryFields = {
    {"key", &JobSummary::key, Presence::kRequired},
    {"role", &JobSummary::role},
    {"environment", &JobSummary::environment},
    {"name", &JobSummary::name},
    {"instances", &JobSummary::instances},
    {"service", &JobSummary::service},
    {"state_counts", &JobSummary::state_counts},
    {"status", &JobSummary::status},
    {"active_tasks", &JobSummary::active_tasks},
    {"created_ms", &JobSummary::created_ms},
    {"created_by", &JobSummary::created_by, Presence::kOmitDefault},
    {"config_id", &JobSummary::config_id},
    {"cron_schedule", &JobSummary::cron_schedule, Presence::kOmitDefault}};

const FieldTable<CreateJobResult> kCreateFields = {
    {"job", &CreateJobResult::job, Presence::kRequired},
    {"instances", &CreateJobResult::instances}};

const FieldTable<KillRequest> kKillFields = {
    {"instances", &KillRequest::instances, Presence::kOmitDefault},
    {"message", &KillRequest::message, Presence::kOmitDefault}};

const FieldTable<KillResult> kKilledFields = {{"killed", &KillResult::killed, Presence::kRequired}};

const FieldTable<TaskEvent> kEventFields = {
    {"ts_ms", &TaskEvent::ts_ms}, {"status", &TaskEvent::status}, {"message", &TaskEvent::message}};

const FieldTable<TaskInfo> kTaskFields = {
    {"instance_id", &TaskInfo::instance_id, Presence::kRequired},
    {"task_id", &TaskInfo::task_id, Presence::kRequired},
    {"status", &TaskInfo::status, Presence::kRequired},
    {"host", &TaskInfo::host},
    {"agent_id", &TaskInfo::agent_id},
    {"ports", &TaskInfo::ports},
    {"primary_endpoint", &TaskInfo::primary_endpoint, Presence::kOmitDefault},
    {"failure_count", &TaskInfo::failure_count},
    {"message", &TaskInfo::message},
    {"config_id", &TaskInfo::config_id}};

Status read_summary(FieldReader& r, JobSummary* j) { return read_fields(r, j, kSummaryFields); }

Status read_task(FieldReader& r, TaskInfo* t) {
  BOREALIS_RETURN_IF_ERROR(read_fields(r, t, kTaskFields));
  if (r.has("usage"))
    BOREALIS_RETURN_IF_ERROR(nested_object(
        r, "usage", [&](FieldReader& u) { return read_task_usage(u, &t->usage.emplace()); }));
  return read_list(
      r, "events", &t->events,
      [](FieldReader& e, TaskEvent* ev) { return read_fields(e, ev, kEventFields); }, false);
}

}  // namespace

json::object encode(const JobSummary& j) { return encode_fields(j, kSummaryFields); }

template <>
Result<JobSummary> decode<JobSummary>(const json::value& v) {
  return read_message<JobSummary>(v, "job", read_summary);
}

json::object encode(const JobList& l) {
  return json::object{{"jobs", encode_list(l.jobs, kSummaryFields)}};
}

template <>
Result<JobList> decode<JobList>(const json::value& v) {
  return read_list_message(v, "job list", "jobs", &JobList::jobs, read_summary);
}

json::object encode(const JobDetail& d) {
  json::object job = encode(d.summary);
  job["spec"] = d.spec;
  return json::object{{"job", std::move(job)}};
}

template <>
Result<JobDetail> decode<JobDetail>(const json::value& v) {
  return read_message<JobDetail>(v, "job", [](FieldReader& r, JobDetail* d) {
    return nested_object(
        r, "job",
        [&](FieldReader& job) {
          BOREALIS_RETURN_IF_ERROR(read_summary(job, &d->summary));
          if (const json::value* spec = job.raw("spec")) d->spec = *spec;
          return Status();
        },
        true);
  });
}

json::object encode(const JobVersion& v) {
  return json::object{{"version", json::object{{"id", v.id}, {"spec", v.spec}}}};
}

template <>
Result<JobVersion> decode<JobVersion>(const json::value& v) {
  return read_message<JobVersion>(v, "job version", [](FieldReader& r, JobVersion* out) {
    return nested_object(
        r, "version",
        [&](FieldReader& version) {
          BOREALIS_RETURN_IF_ERROR(version.get("id", &out->id, true));
          if (const json::value* spec = version.raw("spec")) out->spec = *spec;
          return Status();
        },
        true);
  });
}

json::object encode(const CreateJobResult& c) { return encode_fields(c, kCreateFields); }

template <>
Result<CreateJobResult> decode<CreateJobResult>(const json::value& v) {
  return read_message<CreateJobResult>(v, "create result", [](FieldReader& r, CreateJobResult* c) {
    return read_fields(r, c, kCreateFields);
  });
}

json::object encode(const KillRequest& k) { return encode_fields(k, kKillFields); }

template <>
Result<KillRequest> decode<KillRequest>(const json::value& v) {
  return read_message<KillRequest>(
      v, "kill request",
      [](FieldReader& r, KillRequest* k) {
        BOREALIS_RETURN_IF_ERROR(read_fields(r, k, kKillFields));
        return check_message(r, "message", k->message);
      },
      true);
}

json::object encode(const KillResult& k) { return encode_fields(k, kKilledFields); }

template <>
Result<KillResult> decode<KillResult>(const json::value& v) {
  return read_message<KillResult>(v, "kill result", [](FieldReader& r, KillResult* k) {
    return read_fields(r, k, kKilledFields);
  });
}

json::object encode(const TaskInfo& t) {
  json::object o = encode_fields(t, kTaskFields);
  o["events"] = encode_list(t.events, kEventFields);
  if (t.usage) o["usage"] = encode(*t.usage);
  return o;
}

template <>
Result<TaskInfo> decode<TaskInfo>(const json::value& v) {
  return read_message<TaskInfo>(v, "task", read_task);
}

json::object encode(const TaskList& l) {
  json::array tasks;
  for (const TaskInfo& t : l.tasks) tasks.push_back(encode(t));
  return json::object{{"tasks", std::move(tasks)}};
}

template <>
Result<TaskList> decode<TaskList>(const json::value& v) {
  return read_list_message(v, "task list", "tasks", &TaskList::tasks, read_task);
}

bool is_terminal_task_status(std::string_view s) {
  return s == "FINISHED" || s == "FAILED" || s == "KILLED" || s == "LOST";
}

}  // namespace borealis::api
