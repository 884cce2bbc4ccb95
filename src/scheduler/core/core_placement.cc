// Placement of PENDING tasks and the bookkeeping of resources on agents.
#include <unordered_map>

#include "common/strings.h"
#include "scheduler/core/core.h"

namespace borealis::scheduler {

void Core::place_pending(TimeMs now) {
  placement_dirty_ = false;
  // A job version that did not fit once will not fit again in this pass.
  std::unordered_map<const JobConfig*, std::string> no_fit;
  for (auto it = pending_.begin(); it != pending_.end();) {
    Task* t = it->second;
    ++it;  // assign() removes t from pending_
    auto nf = no_fit.find(t->config.get());
    if (nf != no_fit.end()) {
      t->pending_reason = nf->second;
      continue;
    }
    Placement p = find_placement(agents_, index_, *t->job, *t->config, options_.placement);
    if (p.agent < 0) {
      t->pending_reason = p.reason;
      no_fit.emplace(t->config.get(), std::move(p.reason));
      if (index_.max_free_cpu() == 0) {
        // Nothing has any cpu left: every remaining task waits for the same reason.
        for (; it != pending_.end(); ++it) it->second->pending_reason = t->pending_reason;
        break;
      }
      continue;
    }
    assign(t, p.agent, now);
  }
}

void Core::count_on_agent(Job* job, int32_t agent_index, int delta) {
  int32_t& n = job->per_agent[agent_index];
  n += delta;
  if (n <= 0) job->per_agent.erase(agent_index);
  const auto& constraints = job->config->spec.constraints;
  if (!constraints) return;
  const Agent& a = agents_[agent_index];
  for (const auto& [attr, value] : *constraints) {
    if (attr == "host" || !starts_with(value, "limit:")) continue;
    auto v = a.attributes.find(attr);
    std::pair<std::string, std::string> k{attr, v == a.attributes.end() ? "" : v->second};
    int32_t& c = job->per_attribute[k];
    c += delta;
    if (c <= 0) job->per_attribute.erase(k);
  }
}

void Core::assign(Task* t, int32_t agent_index, TimeMs now) {
  Agent& a = agents_[agent_index];
  t->agent = agent_index;
  a.used += t->config->resources;
  index_.upsert(agent_index, a.free().cpu_milli);
  t->ports.clear();
  for (const auto& name : t->config->ports) {
    t->ports.emplace_back(name, a.free_ports.back());
    a.free_ports.pop_back();
  }
  a.add_task(t);
  count_on_agent(t->job, agent_index, +1);
  transition(t, TaskState::kAssigned, now, "");
  enqueue_command(agent_index, AgentCommand::Type::kLaunch, t->id, "");
}

void Core::release(Task* t) {
  Agent& a = agents_[t->agent];
  a.used -= t->config->resources;
  if (a.registered && a.active) index_.upsert(t->agent, a.free().cpu_milli);
  for (auto it = t->ports.rbegin(); it != t->ports.rend(); ++it) a.free_ports.push_back(it->second);
  a.remove_task(t);
  count_on_agent(t->job, t->agent, -1);
}

}  // namespace borealis::scheduler
