#include "api/jobs.h"

#include "api/json_fields.h"

namespace borealis::api {

namespace {

Status read_summary(FieldReader& r, JobSummary* j) {
  BOREALIS_RETURN_IF_ERROR(r.get("key", &j->key, true));
  BOREALIS_RETURN_IF_ERROR(r.get("role", &j->role));
  BOREALIS_RETURN_IF_ERROR(r.get("environment", &j->environment));
  BOREALIS_RETURN_IF_ERROR(r.get("name", &j->name));
  BOREALIS_RETURN_IF_ERROR(r.get("instances", &j->instances));
  BOREALIS_RETURN_IF_ERROR(r.get("service", &j->service));
  BOREALIS_RETURN_IF_ERROR(read_int_map(r, "state_counts", &j->state_counts));
  BOREALIS_RETURN_IF_ERROR(r.get("status", &j->status));
  BOREALIS_RETURN_IF_ERROR(r.get("active_tasks", &j->active_tasks));
  BOREALIS_RETURN_IF_ERROR(r.get("created_ms", &j->created_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("config_id", &j->config_id));
  if (r.has("cron_schedule")) {
    std::string cron;
    BOREALIS_RETURN_IF_ERROR(r.get("cron_schedule", &cron));
    j->cron_schedule = std::move(cron);
  }
  return Status();
}

Status read_task(FieldReader& r, TaskInfo* t) {
  BOREALIS_RETURN_IF_ERROR(r.get("instance_id", &t->instance_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("task_id", &t->task_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("status", &t->status, true));
  BOREALIS_RETURN_IF_ERROR(r.get("host", &t->host));
  BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &t->agent_id));
  BOREALIS_RETURN_IF_ERROR(read_int_map(r, "ports", &t->ports));
  BOREALIS_RETURN_IF_ERROR(r.get("failure_count", &t->failure_count));
  BOREALIS_RETURN_IF_ERROR(r.get("message", &t->message));
  BOREALIS_RETURN_IF_ERROR(r.get("config_id", &t->config_id));
  return each_object(
      r, "events",
      [&](FieldReader& e) {
        TaskEvent ev;
        BOREALIS_RETURN_IF_ERROR(e.get("ts_ms", &ev.ts_ms));
        BOREALIS_RETURN_IF_ERROR(e.get("status", &ev.status));
        BOREALIS_RETURN_IF_ERROR(e.get("message", &ev.message));
        t->events.push_back(std::move(ev));
        return Status();
      },
      false);
}

}  // namespace

json::object encode(const JobSummary& j) {
  json::object o{{"key", j.key},
                 {"role", j.role},
                 {"environment", j.environment},
                 {"name", j.name},
                 {"instances", j.instances},
                 {"service", j.service},
                 {"state_counts", int_map_json(j.state_counts)},
                 {"status", j.status},
                 {"active_tasks", j.active_tasks},
                 {"created_ms", j.created_ms},
                 {"config_id", j.config_id}};
  if (j.cron_schedule) o["cron_schedule"] = *j.cron_schedule;
  return o;
}

template <>
Result<JobSummary> decode<JobSummary>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "job"));
  FieldReader r(*o, "");
  JobSummary j;
  BOREALIS_RETURN_IF_ERROR(read_summary(r, &j));
  return j;
}

json::object encode(const JobList& l) {
  json::array out;
  for (const auto& j : l.jobs) out.push_back(encode(j));
  return json::object{{"jobs", std::move(out)}};
}

template <>
Result<JobList> decode<JobList>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "job list"));
  FieldReader r(*o, "");
  JobList l;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "jobs", [&](FieldReader& j) {
    JobSummary s;
    BOREALIS_RETURN_IF_ERROR(read_summary(j, &s));
    l.jobs.push_back(std::move(s));
    return Status();
  }));
  return l;
}

json::object encode(const JobDetail& d) {
  json::object job = encode(d.summary);
  job["spec"] = d.spec;
  return json::object{{"job", std::move(job)}};
}

template <>
Result<JobDetail> decode<JobDetail>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "job"));
  FieldReader r(*o, "");
  JobDetail d;
  BOREALIS_RETURN_IF_ERROR(nested_object(
      r, "job",
      [&](FieldReader& job) {
        BOREALIS_RETURN_IF_ERROR(read_summary(job, &d.summary));
        if (const json::value* spec = job.raw("spec")) d.spec = *spec;
        return Status();
      },
      true));
  return d;
}

json::object encode(const CreateJobResult& c) {
  return json::object{{"job", c.job}, {"instances", c.instances}};
}

template <>
Result<CreateJobResult> decode<CreateJobResult>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "create result"));
  FieldReader r(*o, "");
  CreateJobResult c;
  BOREALIS_RETURN_IF_ERROR(r.get("job", &c.job, true));
  BOREALIS_RETURN_IF_ERROR(r.get("instances", &c.instances));
  return c;
}

json::object encode(const KillRequest& k) {
  json::object o;
  if (k.instances) o["instances"] = instance_ids_json(*k.instances);
  if (!k.message.empty()) o["message"] = k.message;
  return o;
}

template <>
Result<KillRequest> decode<KillRequest>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "kill request"));
  FieldReader r(*o, "");
  KillRequest k;
  BOREALIS_RETURN_IF_ERROR(read_instance_ids(r, "instances", &k.instances));
  BOREALIS_RETURN_IF_ERROR(r.get("message", &k.message));
  BOREALIS_RETURN_IF_ERROR(r.finish());
  return k;
}

json::object encode(const KillResult& k) {
  return json::object{{"killed", strings_json(k.killed)}};
}

template <>
Result<KillResult> decode<KillResult>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "kill result"));
  FieldReader r(*o, "");
  KillResult k;
  BOREALIS_RETURN_IF_ERROR(r.get("killed", &k.killed, true));
  return k;
}

json::object encode(const TaskInfo& t) {
  json::array events;
  for (const auto& e : t.events)
    events.push_back(
        json::object{{"ts_ms", e.ts_ms}, {"status", e.status}, {"message", e.message}});
  return json::object{{"instance_id", t.instance_id},
                      {"task_id", t.task_id},
                      {"status", t.status},
                      {"host", t.host},
                      {"agent_id", t.agent_id},
                      {"ports", int_map_json(t.ports)},
                      {"failure_count", t.failure_count},
                      {"message", t.message},
                      {"config_id", t.config_id},
                      {"events", std::move(events)}};
}

template <>
Result<TaskInfo> decode<TaskInfo>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "task"));
  FieldReader r(*o, "");
  TaskInfo t;
  BOREALIS_RETURN_IF_ERROR(read_task(r, &t));
  return t;
}

json::object encode(const TaskList& l) {
  json::array out;
  for (const auto& t : l.tasks) out.push_back(encode(t));
  return json::object{{"tasks", std::move(out)}};
}

template <>
Result<TaskList> decode<TaskList>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "task list"));
  FieldReader r(*o, "");
  TaskList l;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "tasks", [&](FieldReader& t) {
    TaskInfo task;
    BOREALIS_RETURN_IF_ERROR(read_task(t, &task));
    l.tasks.push_back(std::move(task));
    return Status();
  }));
  return l;
}

bool is_terminal_task_status(std::string_view s) {
  return s == "FINISHED" || s == "FAILED" || s == "KILLED" || s == "LOST";
}

}  // namespace borealis::api
