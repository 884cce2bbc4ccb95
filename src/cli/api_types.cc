#include "cli/api_types.h"

namespace borealis::cli {

namespace {

// The body must be an object; `what` names the response in errors.
Result<const json::object*> top_object(const json::value& v, std::string_view what) {
  if (!v.is_object()) return invalid_argument(std::string(what) + ": expected a JSON object");
  return &v.get_object();
}

Status int_map(FieldReader& r, std::string_view key, std::map<std::string, int64_t>* out) {
  const json::value* v = r.raw(key);
  if (!v) return Status();
  if (!v->is_object()) return r.error(key, "expected an object");
  FieldReader sub(v->get_object(), r.field_path(key));
  for (const auto& kv : v->get_object()) {
    int64_t n = 0;
    BOREALIS_RETURN_IF_ERROR(sub.get(kv.key(), &n));
    (*out)[std::string(kv.key())] = n;
  }
  return Status();
}

Status read_summary(FieldReader& r, JobSummary* j) {
  BOREALIS_RETURN_IF_ERROR(r.get("key", &j->key, true));
  BOREALIS_RETURN_IF_ERROR(r.get("role", &j->role));
  BOREALIS_RETURN_IF_ERROR(r.get("environment", &j->environment));
  BOREALIS_RETURN_IF_ERROR(r.get("name", &j->name));
  BOREALIS_RETURN_IF_ERROR(r.get("instances", &j->instances));
  BOREALIS_RETURN_IF_ERROR(r.get("service", &j->service));
  BOREALIS_RETURN_IF_ERROR(int_map(r, "state_counts", &j->state_counts));
  BOREALIS_RETURN_IF_ERROR(r.get("status", &j->status));
  return Status();
}

Status read_task(FieldReader& r, TaskInfo* t) {
  BOREALIS_RETURN_IF_ERROR(r.get("instance_id", &t->instance_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("task_id", &t->task_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("status", &t->status, true));
  BOREALIS_RETURN_IF_ERROR(r.get("host", &t->host));
  BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &t->agent_id));
  BOREALIS_RETURN_IF_ERROR(int_map(r, "ports", &t->ports));
  BOREALIS_RETURN_IF_ERROR(r.get("failure_count", &t->failure_count));
  BOREALIS_RETURN_IF_ERROR(r.get("message", &t->message));
  if (r.has("events")) {
    BOREALIS_RETURN_IF_ERROR(each_object(r, "events", [&](FieldReader& e) {
      TaskEvent ev;
      BOREALIS_RETURN_IF_ERROR(e.get("ts_ms", &ev.ts_ms));
      BOREALIS_RETURN_IF_ERROR(e.get("status", &ev.status));
      BOREALIS_RETURN_IF_ERROR(e.get("message", &ev.message));
      t->events.push_back(std::move(ev));
      return Status();
    }));
  }
  return Status();
}

Status read_resources(FieldReader& r, std::string_view key, json::object* out) {
  const json::value* v = r.raw(key);
  if (!v) return Status();
  if (!v->is_object()) return r.error(key, "expected an object");
  *out = v->get_object();
  return Status();
}

}  // namespace

Status each_object(FieldReader& r, std::string_view key,
                   const std::function<Status(FieldReader&)>& fn) {
  const json::value* v = r.raw(key);
  if (!v) return r.error(key, "is required");
  if (!v->is_array()) return r.error(key, "expected a list");
  const auto& arr = v->get_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string path = r.field_path(key) + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return invalid_argument(path + ": expected an object");
    FieldReader item(arr[i].get_object(), path);
    BOREALIS_RETURN_IF_ERROR(fn(item));
  }
  return Status();
}

bool is_terminal_status(std::string_view s) {
  return s == "FINISHED" || s == "FAILED" || s == "KILLED" || s == "LOST";
}

Result<ClusterInfo> cluster_info_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, top_object(v, "cluster info"));
  FieldReader r(*o, "");
  ClusterInfo c;
  BOREALIS_RETURN_IF_ERROR(r.get("cluster", &c.cluster, true));
  BOREALIS_RETURN_IF_ERROR(r.get("version", &c.version));
  BOREALIS_RETURN_IF_ERROR(r.get("agents", &c.agents));
  if (const json::value* caps = r.raw("capabilities"); caps && caps->is_object()) {
    FieldReader cr(caps->get_object(), "capabilities");
    BOREALIS_RETURN_IF_ERROR(cr.get("container_images", &c.container_images));
  }
  c.raw = v;
  return c;
}

Result<JobList> job_list_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, top_object(v, "job list"));
  FieldReader r(*o, "");
  JobList list;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "jobs", [&](FieldReader& j) {
    JobSummary s;
    BOREALIS_RETURN_IF_ERROR(read_summary(j, &s));
    list.jobs.push_back(std::move(s));
    return Status();
  }));
  list.raw = v;
  return list;
}

Result<JobDetail> job_detail_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, top_object(v, "job"));
  FieldReader r(*o, "");
  const json::value* job = r.raw("job");
  if (!job || !job->is_object()) return invalid_argument("job: expected an object");
  FieldReader jr(job->get_object(), "job");
  JobDetail d;
  BOREALIS_RETURN_IF_ERROR(read_summary(jr, &d.summary));
  if (const json::value* spec = jr.raw("spec")) d.spec = *spec;
  d.raw = v;
  return d;
}

Result<TaskList> task_list_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, top_object(v, "task list"));
  FieldReader r(*o, "");
  TaskList list;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "tasks", [&](FieldReader& t) {
    TaskInfo task;
    BOREALIS_RETURN_IF_ERROR(read_task(t, &task));
    list.tasks.push_back(std::move(task));
    return Status();
  }));
  list.raw = v;
  return list;
}

Result<AgentList> agent_list_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, top_object(v, "agent list"));
  FieldReader r(*o, "");
  AgentList list;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "agents", [&](FieldReader& a) {
    AgentInfo agent;
    BOREALIS_RETURN_IF_ERROR(a.get("agent_id", &agent.agent_id, true));
    BOREALIS_RETURN_IF_ERROR(a.get("hostname", &agent.hostname));
    BOREALIS_RETURN_IF_ERROR(a.get("address", &agent.address));
    BOREALIS_RETURN_IF_ERROR(a.get("status", &agent.status));
    BOREALIS_RETURN_IF_ERROR(a.get("last_seen_ms", &agent.last_seen_ms));
    BOREALIS_RETURN_IF_ERROR(a.get("tasks", &agent.tasks));
    if (const json::value* res = a.raw("resources"); res && res->is_object()) {
      FieldReader rr(res->get_object(), a.field_path("resources"));
      BOREALIS_RETURN_IF_ERROR(read_resources(rr, "total", &agent.total));
      BOREALIS_RETURN_IF_ERROR(read_resources(rr, "used", &agent.used));
    }
    list.agents.push_back(std::move(agent));
    return Status();
  }));
  list.raw = v;
  return list;
}

Result<CreateResult> create_result_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, top_object(v, "create result"));
  FieldReader r(*o, "");
  CreateResult c;
  BOREALIS_RETURN_IF_ERROR(r.get("job", &c.job, true));
  BOREALIS_RETURN_IF_ERROR(r.get("instances", &c.instances));
  return c;
}

Result<KillResult> kill_result_from_json(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, top_object(v, "kill result"));
  FieldReader r(*o, "");
  KillResult k;
  BOREALIS_RETURN_IF_ERROR(r.get("killed", &k.killed));
  return k;
}

}  // namespace borealis::cli
