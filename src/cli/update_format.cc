#include "cli/update_format.h"

#include <algorithm>

#include "cli/output.h"
#include "cli/table.h"
#include "cli/update_wait.h"
#include "common/strings.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

std::string numbers(const std::vector<int64_t>& v) {
  std::vector<std::string> parts;
  for (int64_t n : v) parts.push_back(std::to_string(n));
  return join(parts, ",");
}

std::string strategy(const jobspec::UpdateConfig& u) {
  if (u.variable_batch_strategy) {
    const auto& s = *u.variable_batch_strategy;
    return "variable batches of " + numbers(s.batch_sizes) +
           (s.autopause_after_batch ? " (pausing after each batch)" : "");
  }
  if (u.batch_strategy) {
    const auto& s = *u.batch_strategy;
    return "batches of " + std::to_string(s.batch_size) +
           (s.autopause_after_batch ? " (pausing after each batch)" : "");
  }
  int64_t size = u.queue_strategy ? u.queue_strategy->batch_size : u.batch_size;
  if (u.wait_for_batch_completion) return "batches of " + std::to_string(size);
  return "queue of " + std::to_string(size);
}

std::string ago(TimeMs at, TimeMs now) { return at == 0 ? "-" : format_age(now - at) + " ago"; }

void add_steps(std::string& out, const std::string& title,
               const std::vector<UpdateStepInfo>& steps) {
  if (steps.empty()) return;
  Table t({"INSTANCE", "PHASE", "FAILURES", "TASK ID"});
  for (const UpdateStepInfo& s : steps)
    t.add_row({std::to_string(s.instance), s.phase, std::to_string(s.failures), s.task_id});
  out += "\n" + title + ":\n" + t.render();
}

}  // namespace

std::string format_update_config(const jobspec::UpdateConfig& u) {
  std::string s = strategy(u) + ", watch " + std::to_string(u.watch_secs) +
                  "s, failures allowed: " + std::to_string(u.max_per_shard_failures) +
                  " per instance, " + std::to_string(u.max_total_failures) + " in total, " +
                  (u.rollback_on_failure ? "rollback on failure" : "no rollback on failure");
  if (u.pulse_interval_secs)
    s += ", coordinated (pulse every " + std::to_string(*u.pulse_interval_secs) + "s)";
  if (u.sla_aware) s += ", SLA-aware";
  return s;
}

std::string format_update_settings(const json::value& settings) {
  if (settings.is_null()) return "-";
  auto u = jobspec::update_config_from_json(settings);
  return u.ok() ? format_update_config(*u) : to_json(settings);
}

std::string format_update_line(const UpdateSummary& u) {
  return std::string(u.restart ? "restart " : "update ") + u.update_id + " of " + u.job + ": " +
         u.status + ", " + format_update_counts(u);
}

std::string format_update_info(const UpdateDetail& d, TimeMs now, size_t max_events) {
  const UpdateSummary& u = d.summary;
  std::string out =
      std::string(u.restart ? "Restart " : "Update ") + u.update_id + " of " + u.job + "\n";
  auto field = [&](const std::string& name, const std::string& value) {
    out += "  " + name + ":";
    out += std::string(std::max<size_t>(1, 12 - name.size()), ' ') + value + "\n";
  };
  field("status", u.status + (u.active ? " (active)" : " (ended)"));
  field("progress", format_update_counts(u));
  field("started", ago(u.created_ms, now));
  field("changed", ago(u.updated_ms, now));
  if (!u.message.empty()) field("message", u.message);
  field("settings", format_update_settings(u.settings));
  if (!u.active) {
    std::string reason = update_end_reason(d);
    if (!reason.empty()) field("reason", reason);
  }

  add_steps(out, "Instances", d.forward);
  add_steps(out, "Rollback", d.rollback);

  if (!d.events.empty()) {
    Table ev({"AGE", "EVENT", "INSTANCE", "MESSAGE"});
    size_t first = d.events.size() > max_events ? d.events.size() - max_events : 0;
    for (size_t i = first; i < d.events.size(); ++i) {
      const UpdateEventInfo& e = d.events[i];
      ev.add_row({format_age(now - e.ts_ms), e.kind,
                  e.instance >= 0 ? std::to_string(e.instance) : "", e.message});
    }
    out += "\nEvents";
    if (first > 0) out += " (the newest " + std::to_string(max_events) + ")";
    out += ":\n" + ev.render();
  }
  return out;
}

std::string format_update_list(const UpdateList& list, const std::string& scope, TimeMs now) {
  if (list.updates.empty()) return "No updates in " + scope + ".\n";
  Table t({"JOB", "UPDATE ID", "KIND", "STATUS", "DONE", "FAILED", "STARTED", "CHANGED"});
  for (const UpdateSummary& u : list.updates) {
    t.add_row({u.job, u.update_id, u.restart ? "restart" : "update", u.status,
               std::to_string(u.instances_done) + "/" + std::to_string(u.instances_total),
               std::to_string(u.instances_failed), ago(u.created_ms, now), ago(u.updated_ms, now)});
  }
  return t.render();
}

}  // namespace borealis::cli
