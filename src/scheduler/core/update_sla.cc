// SLA-aware updates (update_config.sla_aware): an instance's task is killed only when the
// job's count or percentage SLA still holds without it, as Aurora's SlaManager decides.
// A held step is retried on every progress pass until the SLA allows it.
#include <cmath>

#include "scheduler/core/update_controller.h"

namespace borealis::scheduler {

namespace {

bool is_production(const jobspec::JobSpec& s) { return s.production || s.tier == "preferred"; }

// Instances that must stay RUNNING, with Aurora's correction: a policy that would allow
// no instance at all to go down is read as one that allows exactly one.
int64_t required_running(const jobspec::SlaPolicy& p, int64_t active) {
  if (p.kind == jobspec::SlaPolicy::Kind::kCount) return std::min(p.count, active - 1);
  double percentage = p.percentage;
  if (static_cast<int64_t>((1 - percentage / 100.0) * active) < 1)
    percentage = (active - 1) * 100.0 / active;
  return static_cast<int64_t>(std::ceil(percentage * active / 100.0 - 1e-9));
}

}  // namespace

std::string UpdateController::sla_hold_reason(const Update* u, const UpdateStep& step,
                                              TimeMs now) const {
  if (!u->settings.sla_aware) return "";
  // The policy of the configuration being moved to: the new one forward, the old one back.
  const ConfigPtr& config = step.to ? step.to : step.from;
  if (!config || !config->spec.sla_policy) return "";
  const jobspec::SlaPolicy& policy = *config->spec.sla_policy;
  if (policy.kind == jobspec::SlaPolicy::Kind::kCoordinator) return "";  // refused at start
  if (!options_.sla_aware_kill_non_prod && !is_production(config->spec)) return "";
  const Job* job = u->job;
  auto victim_it = job->instances.find(step.instance);
  if (victim_it == job->instances.end() || !victim_it->second.active) return "";
  const Task* victim = victim_it->second.active;
  if (!is_active(victim->state)) return "";

  int64_t active = 0;
  int64_t running_long_enough = 0;
  for (const auto& [i, inst] : job->instances) {
    const Task* t = inst.active;
    if (!t || !is_active(t->state)) continue;
    ++active;
    if (t != victim && t->state == TaskState::kRunning &&
        now - t->running_since_ms > policy.duration_secs * 1000)
      ++running_long_enough;
  }
  if (active < options_.sla_min_instances) return "";
  int64_t required = required_running(policy, active);
  if (running_long_enough >= required) return "";
  return "waiting for the job's SLA: " + std::to_string(running_long_enough) + " other of " +
         std::to_string(active) + " instances RUNNING for " + std::to_string(policy.duration_secs) +
         " s, " + std::to_string(required) + " required";
}

void UpdateController::start_step_within_sla(Update* u, UpdateStep& step, TimeMs now) {
  std::string why = sla_hold_reason(u, step, now);
  if (why.empty()) {
    step.sla_held = false;
    start_step(u, step, now);
    return;
  }
  if (!step.sla_held) {  // say it once per hold, not on every retry
    step.sla_held = true;
    if (u->events.size() < options_.events_per_update)
      u->events.push_back(UpdateEvent{now, "SLA_HOLD", step.instance, why});
    u->updated_ms = now;
    model_.changed(u);
  }
}

}  // namespace borealis::scheduler
