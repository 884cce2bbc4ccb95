// The row format of jobs, tasks and agents in the store, and rebuilding state from rows.
// Rows are JSON so an operator can read them with sqlite3 when something looks wrong.
#include <algorithm>

#include "common/json.h"
#include "common/strings.h"
#include "scheduler/core/core.h"
#include "spec/job_spec_json.h"

namespace borealis::scheduler {

// Written by hand, not through json::object: this runs once per changed task per batch.
std::string Core::task_row(const Task& t) const {
  std::string o;
  o.reserve(256 + 48 * t.events.size());
  o += "{\"id\":";
  append_json_string(o, t.id);
  o += ",\"job\":";
  append_json_string(o, t.job->key_string);
  o += ",\"config\":";
  append_json_string(o, t.config->id);
  o += ",\"instance\":" + std::to_string(t.instance);
  o += ",\"state\":\"";
  o += task_state_name(t.state);
  o += "\",\"agent\":";
  append_json_string(o, t.agent >= 0 ? agents_[t.agent].id : std::string());
  o += ",\"ports\":{";
  for (size_t i = 0; i < t.ports.size(); ++i) {
    if (i) o += ',';
    append_json_string(o, t.ports[i].first);
    o += ':' + std::to_string(t.ports[i].second);
  }
  o += "},\"failures\":" + std::to_string(t.failure_count);
  o += ",\"throttle_until\":" + std::to_string(t.throttle_until_ms);
  o += ",\"penalty\":" + std::to_string(t.penalty_ms);
  o += ",\"running_since\":" + std::to_string(t.running_since_ms);
  o += t.kill_requested ? ",\"kill\":true" : ",\"kill\":false";
  o += ",\"events\":[";
  for (size_t i = 0; i < t.events.size(); ++i) {
    const TaskEvent& e = t.events[i];
    if (i) o += ',';
    o += '[' + std::to_string(e.ts_ms) + ",\"";
    o += task_state_name(e.state);
    o += "\",";
    append_json_string(o, e.message);
    o += ']';
  }
  o += "]}";
  return o;
}

std::string Core::job_row(const Job& j) const {
  json::array killed;
  for (const auto& [i, inst] : j.instances)
    if (inst.killed) killed.push_back(i);
  json::array ids;
  json::object configs;  // instances whose version is not the job's
  for (const auto& [i, inst] : j.instances) {
    ids.push_back(i);
    if (inst.config && inst.config != j.config) configs[std::to_string(i)] = inst.config->id;
  }
  json::object o{{"key", j.key_string},         {"config", j.config->id},
                 {"created_ms", j.created_ms},  {"instances", std::move(ids)},
                 {"killed", std::move(killed)}, {"instance_configs", std::move(configs)}};
  return json::serialize(o);
}

std::string Core::agent_row(const Agent& a) const {
  json::array ranges;
  for (const auto& [lo, hi] : a.port_ranges) ranges.push_back(json::array{lo, hi});
  json::object o{{"id", a.id},
                 {"hostname", a.hostname},
                 {"address", a.address},
                 {"attributes", json_string_map(a.attributes)},
                 {"ports", std::move(ranges)},
                 {"cpu_milli", a.total.cpu_milli},
                 {"ram", a.total.ram},
                 {"disk", a.total.disk},
                 {"gpu", a.total.gpu}};
  return json::serialize(o);
}

namespace {

Result<json::object> parse_row(const std::string& what, const std::string& row) {
  auto v = parse_json(row);
  if (!v.ok()) return v.status().with_context(what);
  if (!v->is_object()) return invalid_argument(what + ": not an object");
  return v->get_object();
}

}  // namespace

Status Core::restore_config(const std::string& id, const std::string& row) {
  auto v = parse_json(row);
  if (!v.ok()) return v.status().with_context("config " + id);
  auto spec = spec::job_spec_from_json(*v);
  if (!spec.ok()) return spec.status().with_context("config " + id);
  auto c = std::make_shared<JobConfig>();
  c->id = id;
  c->spec = std::move(spec).value();
  c->spec_json = row;
  c->task_hash = task_hash_of(c->spec);
  auto ports = spec::requested_ports(c->spec);
  c->ports.assign(ports.begin(), ports.end());
  if (!c->spec.task.resources) return invalid_argument("config " + id + ": no task.resources");
  c->resources = ResourceVec::from_spec(*c->spec.task.resources);
  configs_[id] = std::move(c);
  return Status();
}

Status Core::restore_agent(const std::string& row, TimeMs now) {
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_row("agent row", row));
  Agent a;
  FieldReader r(o, "agent");
  BOREALIS_RETURN_IF_ERROR(r.get("id", &a.id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("hostname", &a.hostname));
  BOREALIS_RETURN_IF_ERROR(r.get("address", &a.address));
  BOREALIS_RETURN_IF_ERROR(r.get("attributes", &a.attributes));
  BOREALIS_RETURN_IF_ERROR(r.get("cpu_milli", &a.total.cpu_milli));
  BOREALIS_RETURN_IF_ERROR(r.get("ram", &a.total.ram));
  BOREALIS_RETURN_IF_ERROR(r.get("disk", &a.total.disk));
  BOREALIS_RETURN_IF_ERROR(r.get("gpu", &a.total.gpu));
  if (const json::value* ranges = r.raw("ports"); ranges && ranges->is_array()) {
    for (const auto& p : ranges->get_array()) {
      if (!p.is_array() || p.get_array().size() != 2)
        return invalid_argument("agent " + a.id + ": bad port range");
      a.port_ranges.emplace_back(p.get_array()[0].to_number<uint16_t>(),
                                 p.get_array()[1].to_number<uint16_t>());
    }
  }
  // Back as a known agent that must register again, and times out if it never does.
  a.active = true;
  a.registered = false;
  a.last_seen_ms = now;
  int32_t ai = static_cast<int32_t>(agents_.size());
  agent_by_id_[a.id] = ai;
  agent_by_host_[a.hostname] = ai;
  agents_.push_back(std::move(a));
  return Status();
}

Status Core::restore_job(const std::string& row) {
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_row("job row", row));
  FieldReader r(o, "job");
  std::string key_text, config_id;
  auto job = std::make_unique<Job>();
  BOREALIS_RETURN_IF_ERROR(r.get("key", &key_text, true));
  BOREALIS_RETURN_IF_ERROR(r.get("config", &config_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("created_ms", &job->created_ms));
  auto key = parse_job_key(key_text);
  if (!key.ok()) return key.status().with_context("job row");
  auto cit = configs_.find(config_id);
  if (cit == configs_.end())
    return invalid_argument("job " + key_text + " refers to missing config " + config_id);
  job->key = *key;
  job->key_string = key_text;
  job->config = cit->second;
  const json::value* ids = r.raw("instances");
  if (ids && ids->is_array())
    for (const auto& i : ids->get_array()) job->instances[i.to_number<int32_t>()];
  const json::value* killed = r.raw("killed");
  if (killed && killed->is_array())
    for (const auto& i : killed->get_array()) job->instances[i.to_number<int32_t>()].killed = true;
  for (auto& [_, inst] : job->instances) inst.config = job->config;
  if (const json::value* cfg = r.raw("instance_configs"); cfg && cfg->is_object()) {
    for (const auto& kv : cfg->get_object()) {
      auto id = configs_.find(std::string(kv.value().as_string()));
      if (id == configs_.end())
        return invalid_argument("job " + key_text + " instance " + std::string(kv.key()) +
                                " refers to a missing config");
      job->instances[static_cast<int32_t>(parse_int64(kv.key()).value_or(0))].config = id->second;
    }
  }
  jobs_[job->key] = std::move(job);
  return Status();
}

Status Core::restore_task(const std::string& row, TimeMs now) {
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_row("task row", row));
  auto t = std::make_unique<Task>();
  FieldReader r(o, "task");
  std::string job_key, config_id, state, agent_id;
  BOREALIS_RETURN_IF_ERROR(r.get("id", &t->id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("job", &job_key, true));
  BOREALIS_RETURN_IF_ERROR(r.get("config", &config_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("instance", &t->instance, true));
  BOREALIS_RETURN_IF_ERROR(r.get("state", &state, true));
  BOREALIS_RETURN_IF_ERROR(r.get("agent", &agent_id));
  BOREALIS_RETURN_IF_ERROR(r.get("failures", &t->failure_count));
  BOREALIS_RETURN_IF_ERROR(r.get("throttle_until", &t->throttle_until_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("penalty", &t->penalty_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("running_since", &t->running_since_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("kill", &t->kill_requested));
  std::string where = "task " + t->id;
  auto st = parse_task_state(state);
  if (!st) return invalid_argument(where + ": unknown state '" + state + "'");
  t->state = *st;
  auto key = parse_job_key(job_key);
  if (!key.ok()) return key.status().with_context(where);
  auto jit = jobs_.find(*key);
  if (jit == jobs_.end()) return invalid_argument(where + ": its job " + job_key + " is missing");
  auto cit = configs_.find(config_id);
  if (cit == configs_.end()) return invalid_argument(where + ": its config is missing");
  t->job = jit->second.get();
  t->config = cit->second;
  if (const json::value* ports = r.raw("ports"); ports && ports->is_object())
    for (const auto& kv : ports->get_object())
      t->ports.emplace_back(std::string(kv.key()), kv.value().to_number<uint16_t>());
  if (const json::value* events = r.raw("events"); events && events->is_array()) {
    for (const auto& e : events->get_array()) {
      const auto& a = e.as_array();
      auto es = parse_task_state(a.at(1).as_string());
      t->events.push_back(TaskEvent{a.at(0).to_number<int64_t>(), es.value_or(TaskState::kInit),
                                    std::string(a.at(2).as_string())});
    }
  }
  if (t->events.empty()) t->events.push_back(TaskEvent{now, t->state, ""});
  if (!agent_id.empty()) {
    t->agent = agent_index(agent_id);
    if (t->agent < 0) return invalid_argument(where + ": its agent " + agent_id + " is missing");
  }
  Task* raw = t.get();
  tasks_[raw->id] = std::move(t);
  Instance& inst = raw->job->instances[raw->instance];
  if (is_terminal(raw->state)) {
    inst.history.push_back(raw);  // sorted once every task is back
    return Status();
  }
  if (inst.active)
    return invalid_argument(where + ": instance " + std::to_string(raw->instance) +
                            " already has active task " + inst.active->id);
  inst.active = raw;
  if (is_on_agent(raw->state)) {
    if (raw->agent < 0) return invalid_argument(where + ": on an agent, but none is named");
    Agent& a = agents_[raw->agent];
    a.used += raw->config->resources;
    a.add_task(raw);
    count_on_agent(raw->job, raw->agent, +1);
  } else if (raw->state == TaskState::kPending) {
    restored_pending_.push_back(raw);
  } else if (raw->state == TaskState::kThrottled) {
    throttled_.emplace(raw->throttle_until_ms, raw);
  }
  return Status();
}

Status Core::restore(const StoredState& state, TimeMs now) {
  for (const auto& [id, row] : state.configs) BOREALIS_RETURN_IF_ERROR(restore_config(id, row));
  for (const auto& [_, row] : state.agents) BOREALIS_RETURN_IF_ERROR(restore_agent(row, now));
  for (const auto& [_, row] : state.jobs) BOREALIS_RETURN_IF_ERROR(restore_job(row));
  try {
    for (const auto& [_, row] : state.updates) BOREALIS_RETURN_IF_ERROR(restore_update(row));
  } catch (const std::exception& e) {
    return invalid_argument(std::string("corrupt update row: ") + e.what());
  }
  for (auto& [_, job] : jobs_)
    std::sort(job->updates.begin(), job->updates.end(),
              [](const Update* a, const Update* b) { return a->created_ms > b->created_ms; });
  try {
    for (const auto& [_, row] : state.tasks) BOREALIS_RETURN_IF_ERROR(restore_task(row, now));
  } catch (const std::exception& e) {
    return invalid_argument(std::string("corrupt task row: ") + e.what());
  }
  // Pending order survives a restart: oldest first, as they were queued.
  std::sort(restored_pending_.begin(), restored_pending_.end(), [](const Task* a, const Task* b) {
    return a->events.front().ts_ms < b->events.front().ts_ms;
  });
  for (Task* t : restored_pending_) {
    t->pending_seq = next_pending_seq_++;
    pending_.emplace(std::make_pair(-t->config->spec.priority, t->pending_seq), t);
  }
  restored_pending_.clear();
  for (auto& [_, job] : jobs_) {
    for (auto& [__, inst] : job->instances) {
      std::sort(inst.history.begin(), inst.history.end(), [](const Task* a, const Task* b) {
        return a->last_event().ts_ms > b->last_event().ts_ms;
      });
    }
  }
  placement_dirty_ = true;
  next_prune_ms_ = now + 60'000;
  return Status();
}

}  // namespace borealis::scheduler
