#include "scheduler/core/placement.h"

#include <climits>
#include <map>

#include "common/strings.h"

namespace borealis::scheduler {

void PlacementIndex::upsert(int32_t agent, int64_t free_cpu_milli) {
  if (static_cast<size_t>(agent) >= key_of_.size()) key_of_.resize(agent + 1, INT64_MIN);
  int64_t& key = key_of_[agent];
  if (key == free_cpu_milli) return;
  if (key != INT64_MIN) by_free_cpu_.erase({key, agent});
  key = free_cpu_milli;
  by_free_cpu_.insert({key, agent});
}

void PlacementIndex::remove(int32_t agent) {
  if (static_cast<size_t>(agent) >= key_of_.size() || key_of_[agent] == INT64_MIN) return;
  by_free_cpu_.erase({key_of_[agent], agent});
  key_of_[agent] = INT64_MIN;
}

int64_t PlacementIndex::max_free_cpu() const {
  return by_free_cpu_.empty() ? 0 : by_free_cpu_.rbegin()->first;
}

namespace {

std::string attribute_of(const Agent& a, const std::string& name) {
  if (name == "host") return a.hostname;
  auto it = a.attributes.find(name);
  return it == a.attributes.end() ? std::string() : it->second;
}

}  // namespace

bool satisfies_constraints(const Job& job, const JobConfig& config, const Agent& agent,
                           int32_t agent_index, std::string* why) {
  const auto& constraints = config.spec.constraints;
  // A dedicated agent takes only jobs that ask for it.
  auto dedicated = agent.attributes.find("dedicated");
  if (dedicated != agent.attributes.end()) {
    bool asks = constraints && constraints->count("dedicated") &&
                constraints->at("dedicated") == dedicated->second;
    if (!asks) {
      if (why) *why = "dedicated to " + dedicated->second;
      return false;
    }
  }
  if (!constraints) return true;
  for (const auto& [attr, value] : *constraints) {
    std::string have = attribute_of(agent, attr);
    if (starts_with(value, "limit:")) {
      int64_t limit = parse_int64(value.substr(6)).value_or(1);
      int32_t count = 0;
      if (attr == "host") {
        auto it = job.per_agent.find(agent_index);
        count = it == job.per_agent.end() ? 0 : it->second;
      } else {
        auto it = job.per_attribute.find({attr, have});
        count = it == job.per_attribute.end() ? 0 : it->second;
      }
      if (count >= limit) {
        if (why) *why = "limit " + attr + ":" + std::to_string(limit) + " reached";
        return false;
      }
      continue;
    }
    bool negated = !value.empty() && value[0] == '!';
    std::vector<std::string> allowed = split(negated ? value.substr(1) : value, ',');
    bool listed = false;
    for (const auto& v : allowed)
      if (v == have) listed = true;
    if (listed == negated) {
      if (why) *why = "constraint " + attr + "=" + value;
      return false;
    }
  }
  return true;
}

Placement find_placement(const std::vector<Agent>& agents, const PlacementIndex& index,
                         const Job& job, const JobConfig& config, const PlacementOptions& options) {
  const ResourceVec& need = config.resources;
  const size_t need_ports = config.ports.dynamic.size();
  int32_t best = -1;
  int32_t best_same_job = INT32_MAX;
  int64_t best_free = -1;
  int feasible = 0;
  // Rejection tallies, for a reason a human can act on.
  int64_t lacked_ram = 0, lacked_disk = 0, lacked_gpu = 0, lacked_ports = 0, constrained = 0;
  int64_t port_taken = 0;
  uint16_t taken_port = 0;
  std::string constraint_why;

  index.for_each_candidate(need.cpu_milli, [&](int32_t i) {
    const Agent& a = agents[i];
    ResourceVec free = a.free();
    if (!need.fits_in(free)) {
      if (need.ram > free.ram)
        ++lacked_ram;
      else if (need.disk > free.disk)
        ++lacked_disk;
      else
        ++lacked_gpu;
      return true;
    }
    // A fixed port is held once per host; one inside the range leaves the dynamic pool.
    size_t fixed_in_range = 0;
    for (const auto& [_, port] : config.ports.fixed) {
      if (a.holds_port(port)) {
        ++port_taken;
        taken_port = port;
        return true;
      }
      if (a.in_port_ranges(port)) ++fixed_in_range;
    }
    if (a.free_ports.size() < need_ports + fixed_in_range) {
      ++lacked_ports;
      return true;
    }
    if (!satisfies_constraints(job, config, a, i, constrained ? nullptr : &constraint_why)) {
      ++constrained;
      return true;
    }
    auto it = job.per_agent.find(i);
    int32_t same = it == job.per_agent.end() ? 0 : it->second;
    if (same < best_same_job || (same == best_same_job && free.cpu_milli > best_free)) {
      best = i;
      best_same_job = same;
      best_free = free.cpu_milli;
    }
    ++feasible;
    // An agent without this job's instances is as good as it gets after a few looks.
    return feasible < options.feasible_candidates;
  });

  if (best >= 0) return Placement{best, ""};
  Placement p;
  if (index.size() == 0) {
    p.reason = "no agents are registered";
    return p;
  }
  if (index.max_free_cpu() < need.cpu_milli) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "no agent has %.2f cpu free (most free: %.2f)", need.cpu(),
                  static_cast<double>(index.max_free_cpu()) / 1000.0);
    p.reason = buf;
    return p;
  }
  std::vector<std::string> parts;
  if (lacked_ram)
    parts.push_back(std::to_string(lacked_ram) + " lack " + format_bytes(need.ram) + " ram");
  if (lacked_disk)
    parts.push_back(std::to_string(lacked_disk) + " lack " + format_bytes(need.disk) + " disk");
  if (lacked_gpu)
    parts.push_back(std::to_string(lacked_gpu) + " lack " + std::to_string(need.gpu) + " gpu");
  if (lacked_ports)
    parts.push_back(std::to_string(lacked_ports) + " lack " + std::to_string(need_ports) +
                    " free ports");
  if (port_taken)
    parts.push_back(std::to_string(port_taken) + " already hold fixed port " +
                    std::to_string(taken_port));
  if (constrained)
    parts.push_back(std::to_string(constrained) + " fail constraints (" + constraint_why + ")");
  p.reason = "no agent fits: " + join(parts, ", ");
  return p;
}

}  // namespace borealis::scheduler
