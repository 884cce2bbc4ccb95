#include "scheduler/core/rows.h"

#include "common/json.h"
#include "jobspec/job_spec_json.h"

namespace borealis::scheduler {

// Written by hand, not through json::object: this runs once per changed task per batch.
std::string task_row(const Task& t, const std::string& agent_id) {
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
  append_json_string(o, agent_id);
  o += ",\"ports\":{";
  for (size_t i = 0; i < t.ports.size(); ++i) {
    if (i) o += ',';
    append_json_string(o, t.port_name(i));
    o += ':' + std::to_string(t.ports[i]);
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
    append_json_string(o, e.message());
    o += ']';
  }
  o += "]}";
  return o;
}

std::string job_row(const Job& j) {
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
                 {"killed", std::move(killed)}, {"instance_configs", std::move(configs)},
                 {"created_by", j.created_by}};
  return json::serialize(o);
}

std::string agent_row(const Agent& a) {
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

json::array steps_json(const std::vector<UpdateStep>& steps) {
  json::array out;
  for (const auto& s : steps)
    out.push_back(json::object{{"instance", s.instance},
                               {"from", s.from ? s.from->id : ""},
                               {"to", s.to ? s.to->id : ""},
                               {"phase", static_cast<int>(s.phase)},
                               {"failures", s.failures},
                               {"watch_since", s.watch_since_ms},
                               {"task", s.task_id}});
  return out;
}

}  // namespace

std::string update_row(const Update& u) {
  json::array events;
  for (const auto& e : u.events)
    events.push_back(json::array{e.ts_ms, e.kind, e.instance, e.message});
  json::object o{{"id", u.id},
                 {"job", u.job->key_string},
                 {"status", update_status_name(u.status)},
                 {"settings", jobspec::update_config_to_json(u.settings)},
                 {"config", u.new_config->id},
                 {"restart", u.restart},
                 {"forward", steps_json(u.forward)},
                 {"rollback", steps_json(u.rollback)},
                 {"rollback_started", u.rollback_started},
                 {"next", u.next},
                 {"batch_number", u.batch_number},
                 {"batch_end", u.batch_end},
                 {"paused_at_batch", u.paused_at_batch},
                 {"failed_instances", u.failed_instances},
                 {"created_ms", u.created_ms},
                 {"updated_ms", u.updated_ms},
                 {"last_pulse_ms", u.last_pulse_ms},
                 {"message", u.message},
                 {"user", u.user},
                 {"events", std::move(events)}};
  return json::serialize(o);
}

}  // namespace borealis::scheduler
