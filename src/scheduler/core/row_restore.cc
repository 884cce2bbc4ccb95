#include "scheduler/core/row_restore.h"

#include <algorithm>

#include "common/json.h"
#include "common/strings.h"
#include "jobspec/job_spec_json.h"
#include "scheduler/core/task_row_fields.h"

namespace borealis::scheduler {

namespace {

Result<json::object> parse_row(const std::string& what, const std::string& row) {
  auto v = parse_json(row);
  if (!v.ok()) return v.status().with_context(what);
  if (!v->is_object()) return invalid_argument(what + ": not an object");
  return v->get_object();
}

}  // namespace

Status restore_agent(const std::string& row, TimeMs now, ClusterModel& model) {
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
  a.active = true;
  a.registered = false;
  a.last_seen_ms = now;
  int32_t ai = model.add_agent(a.id);
  std::string hostname = a.hostname;
  model.agent(ai) = std::move(a);
  model.set_agent_host(ai, std::move(hostname));
  return Status();
}

Status restore_job(const std::string& row, ClusterModel& model) {
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_row("job row", row));
  FieldReader r(o, "job");
  std::string key_text, config_id;
  auto job = std::make_unique<Job>();
  BOREALIS_RETURN_IF_ERROR(r.get("key", &key_text, true));
  BOREALIS_RETURN_IF_ERROR(r.get("config", &config_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("created_ms", &job->created_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("created_by", &job->created_by));  // absent in older rows
  auto key = parse_job_key(key_text);
  if (!key.ok()) return key.status().with_context("job row");
  job->config = model.versions().find(config_id);
  if (!job->config)
    return invalid_argument("job " + key_text + " refers to missing config " + config_id);
  job->key = *key;
  job->key_string = key_text;
  const json::value* ids = r.raw("instances");
  if (ids && ids->is_array())
    for (const auto& i : ids->get_array()) job->instances[i.to_number<int32_t>()];
  const json::value* killed = r.raw("killed");
  if (killed && killed->is_array())
    for (const auto& i : killed->get_array()) job->instances[i.to_number<int32_t>()].killed = true;
  for (auto& [_, inst] : job->instances) inst.config = job->config;
  if (const json::value* cfg = r.raw("instance_configs"); cfg && cfg->is_object()) {
    for (const auto& kv : cfg->get_object()) {
      ConfigPtr config = model.versions().find(std::string(kv.value().as_string()));
      if (!config)
        return invalid_argument("job " + key_text + " instance " + std::string(kv.key()) +
                                " refers to a missing config");
      job->instances[static_cast<int32_t>(parse_int64(kv.key()).value_or(0))].config = config;
    }
  }
  model.add_job(std::move(job));
  return Status();
}

AgentIndexById index_agents(const ClusterModel& model) {
  AgentIndexById agents;
  for (size_t i = 0; i < model.agents().size(); ++i)
    agents.emplace(model.agents()[i].id, static_cast<int32_t>(i));
  return agents;
}

Result<std::unique_ptr<Task>> TaskRowDecoder::decode(const std::string& row) {
  {
    TaskRowFields f;
    if (scan_task_row(row, &f)) return build(f);
  }
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_row("task row", row));
  TaskRowFields f;
  if (Status st = read_task_row(o, &f); !st.ok()) return st.with_context("task row");
  return build(f);  // its views point into `o`, alive until here
}

Result<std::unique_ptr<Task>> TaskRowDecoder::build(const TaskRowFields& f) {
  auto t = std::make_unique<Task>();
  t->id = std::string(f.id);
  t->instance = f.instance;
  t->failure_count = f.failures;
  t->throttle_until_ms = f.throttle_until_ms;
  t->penalty_ms = f.penalty_ms;
  t->running_since_ms = f.running_since_ms;
  t->kill_requested = f.kill;
  auto where = [&] { return "task " + t->id; };
  auto st = parse_task_state(f.state);
  if (!st) return invalid_argument(where() + ": unknown state '" + std::string(f.state) + "'");
  t->state = *st;
  if (f.job != last_job_key_ || !last_job_) {
    auto key = parse_job_key(f.job);
    if (!key.ok()) return key.status().with_context(where());
    last_job_ = model_.job(*key);
    last_job_key_ = f.job;
    if (!last_job_)
      return invalid_argument(where() + ": its job " + std::string(f.job) + " is missing");
  }
  t->job = last_job_;
  if (f.config != last_config_id_ || !last_config_) {
    last_config_ = model_.versions().find(std::string(f.config));
    last_config_id_ = f.config;
    if (!last_config_) return invalid_argument(where() + ": its config is missing");
  }
  t->config = last_config_;
  if (!f.ports.empty()) {
    // Held in the order of the config's PortPlan, which names them.
    const jobspec::PortPlan& plan = t->config->ports;
    const size_t n = plan.dynamic.size() + plan.fixed.size();
    if (f.ports.size() != n)
      return invalid_argument(where() + ": holds " + std::to_string(f.ports.size()) +
                              " ports where its config names " + std::to_string(n));
    for (size_t i = 0; i < n; ++i) {
      const std::string& name = t->port_name(i);
      auto port = std::find_if(f.ports.begin(), f.ports.end(),
                               [&](const auto& p) { return p.first == name; });
      if (port == f.ports.end())
        return invalid_argument(where() + ": port '" + name + "' is missing");
      if (port->second < 1 || port->second > 65535)
        return invalid_argument(where() + ": port '" + name + "' is out of range");
      t->ports.push_back(static_cast<uint16_t>(port->second));
    }
  }
  for (const TaskRowEvent& e : f.events)
    t->events.emplace_back(e.ts_ms, parse_task_state(e.state).value_or(TaskState::kInit),
                           std::string(e.message));
  if (t->events.empty()) t->events.emplace_back(now_, t->state, "");
  if (!f.agent.empty()) {
    auto agent = agents_.find(f.agent);
    if (agent == agents_.end())
      return invalid_argument(where() + ": its agent " + std::string(f.agent) + " is missing");
    t->agent = agent->second;
  }
  if (is_on_agent(t->state) && t->agent < 0)
    return invalid_argument(where() + ": on an agent, but none is named");
  return t;
}

void run_serially(size_t n, const std::function<void(size_t)>& fn) {
  for (size_t i = 0; i < n; ++i) fn(i);
}

Result<std::vector<std::unique_ptr<Task>>> decode_task_rows(const ClusterModel& model,
                                                            const std::vector<Row>& rows,
                                                            TimeMs now, const ParallelFor& parallel,
                                                            size_t part_rows) {
  const size_t kPart = std::max<size_t>(1, part_rows);
  const AgentIndexById agents = index_agents(model);
  const size_t parts = (rows.size() + kPart - 1) / kPart;
  std::vector<std::unique_ptr<Task>> tasks(rows.size());
  std::vector<Status> errors(parts);
  parallel(parts, [&](size_t part) {
    TaskRowDecoder decoder(model, agents, now);
    const size_t end = std::min(rows.size(), (part + 1) * kPart);
    try {
      for (size_t i = part * kPart; i < end; ++i) {
        auto t = decoder.decode(rows[i].second);
        if (!t.ok()) {
          errors[part] = t.status().with_context("row " + rows[i].first);
          return;
        }
        tasks[i] = std::move(t).value();
      }
    } catch (const std::exception& e) {  // Boost.JSON's accessors, on a malformed row
      errors[part] = invalid_argument(std::string("corrupt task row: ") + e.what());
    }
  });
  for (Status& error : errors)
    if (!error.ok()) return error;
  return tasks;
}

Result<Task*> link_restored_task(ClusterModel& model, std::unique_ptr<Task> t) {
  if (model.task(t->id)) return invalid_argument("task " + t->id + ": stored twice");
  Task* raw = model.add_task(std::move(t));
  Instance& inst = raw->job->instances[raw->instance];
  if (is_terminal(raw->state)) {
    inst.history.push_back(raw);  // sorted once every task is back
    return raw;
  }
  if (inst.active)
    return invalid_argument("task " + raw->id + ": instance " + std::to_string(raw->instance) +
                            " already has active task " + inst.active->id);
  inst.active = raw;
  return raw;
}

Status restore_update(const std::string& row, ClusterModel& model) {
  auto v = parse_json(row);
  if (!v.ok()) return v.status().with_context("update row");
  const json::object& o = v->as_object();
  auto u = std::make_unique<Update>();
  u->id = std::string(o.at("id").as_string());
  std::string where = "update " + u->id;
  auto key = parse_job_key(o.at("job").as_string());
  if (!key.ok()) return key.status().with_context(where);
  u->job = model.job(*key);
  if (!u->job) return invalid_argument(where + ": its job is missing");
  auto status = parse_update_status(o.at("status").as_string());
  if (!status) return invalid_argument(where + ": unknown status");
  u->status = *status;
  auto config = [&](const json::value& id) -> Result<ConfigPtr> {
    std::string s(id.as_string());
    if (s.empty()) return ConfigPtr();
    ConfigPtr c = model.versions().find(s);
    if (!c) return invalid_argument(where + ": missing config " + s);
    return c;
  };
  BOREALIS_ASSIGN_OR_RETURN(u->new_config, config(o.at("config")));
  auto settings = jobspec::update_config_from_json(o.at("settings"));
  if (!settings.ok()) return settings.status().with_context(where);
  u->settings = *settings;
  u->restart = o.at("restart").as_bool();
  auto read_steps = [&](const json::value& arr, std::vector<UpdateStep>* out) -> Status {
    for (const auto& s : arr.as_array()) {
      const auto& so = s.as_object();
      UpdateStep step;
      step.instance = so.at("instance").to_number<int32_t>();
      BOREALIS_ASSIGN_OR_RETURN(step.from, config(so.at("from")));
      BOREALIS_ASSIGN_OR_RETURN(step.to, config(so.at("to")));
      step.phase = static_cast<UpdateStep::Phase>(so.at("phase").to_number<int>());
      step.failures = so.at("failures").to_number<int32_t>();
      step.watch_since_ms = so.at("watch_since").to_number<int64_t>();
      step.task_id = std::string(so.at("task").as_string());
      out->push_back(std::move(step));
    }
    return Status();
  };
  BOREALIS_RETURN_IF_ERROR(read_steps(o.at("forward"), &u->forward));
  BOREALIS_RETURN_IF_ERROR(read_steps(o.at("rollback"), &u->rollback));
  u->rollback_started = o.at("rollback_started").as_bool();
  u->next = o.at("next").to_number<size_t>();
  u->batch_number = o.at("batch_number").to_number<int32_t>();
  u->batch_end = o.at("batch_end").to_number<size_t>();
  u->paused_at_batch = o.at("paused_at_batch").to_number<int32_t>();
  u->failed_instances = o.at("failed_instances").to_number<int32_t>();
  u->created_ms = o.at("created_ms").to_number<int64_t>();
  u->updated_ms = o.at("updated_ms").to_number<int64_t>();
  u->last_pulse_ms = o.at("last_pulse_ms").to_number<int64_t>();
  u->message = std::string(o.at("message").as_string());
  if (const json::value* user = o.if_contains("user"); user && user->is_string())  // older rows
    u->user = std::string(user->get_string());
  for (const auto& e : o.at("events").as_array()) {
    const auto& a = e.as_array();
    u->events.push_back(UpdateEvent{a.at(0).to_number<int64_t>(), std::string(a.at(1).as_string()),
                                    a.at(2).to_number<int32_t>(),
                                    std::string(a.at(3).as_string())});
  }
  Update* raw = model.add_update(std::move(u));
  raw->job->updates.push_back(raw);
  return Status();
}

}  // namespace borealis::scheduler
