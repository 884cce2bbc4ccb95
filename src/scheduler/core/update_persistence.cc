// The row format of updates in the store.
#include "common/json.h"
#include "scheduler/core/core.h"
#include "spec/job_spec_json.h"

namespace borealis::scheduler {

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

std::string Core::update_row(const Update& u) const {
  json::array events;
  for (const auto& e : u.events)
    events.push_back(json::array{e.ts_ms, e.kind, e.instance, e.message});
  json::object o{{"id", u.id},
                 {"job", u.job->key_string},
                 {"status", update_status_name(u.status)},
                 {"settings", spec::update_config_to_json(u.settings)},
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
                 {"events", std::move(events)}};
  return json::serialize(o);
}

Status Core::restore_update(const std::string& row) {
  auto v = parse_json(row);
  if (!v.ok()) return v.status().with_context("update row");
  const json::object& o = v->as_object();
  auto u = std::make_unique<Update>();
  u->id = std::string(o.at("id").as_string());
  std::string where = "update " + u->id;
  auto key = parse_job_key(o.at("job").as_string());
  if (!key.ok()) return key.status().with_context(where);
  auto job = jobs_.find(*key);
  if (job == jobs_.end()) return invalid_argument(where + ": its job is missing");
  u->job = job->second.get();
  auto status = parse_update_status(o.at("status").as_string());
  if (!status) return invalid_argument(where + ": unknown status");
  u->status = *status;
  auto config = [&](const json::value& id) -> Result<ConfigPtr> {
    std::string s(id.as_string());
    if (s.empty()) return ConfigPtr();
    auto it = configs_.find(s);
    if (it == configs_.end()) return invalid_argument(where + ": missing config " + s);
    return it->second;
  };
  BOREALIS_ASSIGN_OR_RETURN(u->new_config, config(o.at("config")));
  auto settings = spec::update_config_from_json(o.at("settings"));
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
  for (const auto& e : o.at("events").as_array()) {
    const auto& a = e.as_array();
    u->events.push_back(UpdateEvent{a.at(0).to_number<int64_t>(), std::string(a.at(1).as_string()),
                                    a.at(2).to_number<int32_t>(),
                                    std::string(a.at(3).as_string())});
  }
  Update* raw = u.get();
  updates_[raw->id] = std::move(u);
  raw->job->updates.push_back(raw);
  return Status();
}

}  // namespace borealis::scheduler
