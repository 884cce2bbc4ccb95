#include "scheduler/core/placer.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "common/strings.h"

namespace borealis::scheduler {

void Placer::enqueue(Task* t) {
  t->pending_seq = next_pending_seq_++;
  pending_.emplace(std::make_pair(-t->config->spec.priority, t->pending_seq), t);
  needs_pass_ = true;
}

void Placer::dequeue(Task* t) {
  pending_.erase({-t->config->spec.priority, t->pending_seq});
  t->pending_why.reset();
}

void Placer::place_pending(const std::function<void(Task*)>& placed) {
  needs_pass_ = false;
  // A job version that did not fit once will not fit again in this pass.
  std::unordered_map<const JobConfig*, std::shared_ptr<const std::string>> no_fit;
  for (auto it = pending_.begin(); it != pending_.end();) {
    Task* t = it->second;
    ++it;  // placed() removes t from pending_
    auto nf = no_fit.find(t->config.get());
    if (nf != no_fit.end()) {
      t->pending_why = nf->second;
      continue;
    }
    Placement p = find_placement(model_.agents(), index_, *t->job, *t->config, options_);
    if (p.agent < 0) {
      t->pending_why = std::make_shared<const std::string>(std::move(p.reason));
      no_fit.emplace(t->config.get(), t->pending_why);
      if (index_.max_free_cpu() == 0) {
        // Nothing has any cpu left: every remaining task waits for the same reason.
        for (; it != pending_.end(); ++it) it->second->pending_why = t->pending_why;
        break;
      }
      continue;
    }
    reserve(t, p.agent);
    placed(t);
  }
}

void Placer::count_on_agent(Job* job, int32_t agent_index, int delta) {
  int32_t& n = job->per_agent[agent_index];
  n += delta;
  if (n <= 0) job->per_agent.erase(agent_index);
  const auto& constraints = job->config->spec.constraints;
  if (!constraints) return;
  const Agent& a = model_.agent(agent_index);
  for (const auto& [attr, value] : *constraints) {
    if (attr == "host" || !starts_with(value, "limit:")) continue;
    auto v = a.attributes.find(attr);
    std::pair<std::string, std::string> k{attr, v == a.attributes.end() ? "" : v->second};
    int32_t& c = job->per_attribute[k];
    c += delta;
    if (c <= 0) job->per_attribute.erase(k);
  }
}

void Placer::reserve(Task* t, int32_t agent_index) {
  Agent& a = model_.agent(agent_index);
  t->agent = agent_index;
  a.used += t->config->resources;
  index_.upsert(agent_index, a.free().cpu_milli);
  t->ports.clear();
  // Fixed ports first, so that the dynamic ones cannot take them from the range.
  for (const auto& [name, port] : t->config->ports.fixed) {
    auto free = std::find(a.free_ports.begin(), a.free_ports.end(), port);
    if (free != a.free_ports.end()) a.free_ports.erase(free);
  }
  for (size_t i = 0; i < t->config->ports.dynamic.size(); ++i) {
    t->ports.push_back(a.free_ports.back());
    a.free_ports.pop_back();
  }
  for (const auto& [_, port] : t->config->ports.fixed) t->ports.push_back(port);
  a.add_task(t);
  count_on_agent(t->job, agent_index, +1);
}

void Placer::release(Task* t) {
  Agent& a = model_.agent(t->agent);
  a.used -= t->config->resources;
  if (a.registered && a.active) index_.upsert(t->agent, a.free().cpu_milli);
  for (auto it = t->ports.rbegin(); it != t->ports.rend(); ++it)
    if (a.in_port_ranges(*it)) a.free_ports.push_back(*it);
  a.remove_task(t);
  count_on_agent(t->job, t->agent, -1);
}

void Placer::restore_on_agent(Task* t) {
  Agent& a = model_.agent(t->agent);
  a.used += t->config->resources;
  a.add_task(t);
  count_on_agent(t->job, t->agent, +1);
}

void Placer::agent_available(int32_t agent_index) {
  index_.upsert(agent_index, model_.agent(agent_index).free().cpu_milli);
  needs_pass_ = true;
}

void Placer::agent_gone(int32_t agent_index) {
  index_.remove(agent_index);
  needs_pass_ = true;
}

}  // namespace borealis::scheduler
