// Placement: choosing an agent for a task without scanning every agent.
//
// Agents are indexed by free cpu. A search walks agents that have enough cpu, most free
// first (which spreads load), checks the rest of the fit (ram, disk, gpu, ports,
// constraints), and stops after a few feasible candidates; among those it prefers the
// agent with the fewest instances of the same job (spread), then the most free cpu.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "scheduler/core/model.h"

namespace borealis::scheduler {

class PlacementIndex {
 public:
  // Adds or moves an agent (by index) to its current free cpu.
  void upsert(int32_t agent, int64_t free_cpu_milli);
  void remove(int32_t agent);
  size_t size() const { return by_free_cpu_.size(); }
  int64_t max_free_cpu() const;

  // Calls fn(agent_index) for agents with free cpu >= need, most free first, until fn
  // returns false.
  template <typename Fn>
  void for_each_candidate(int64_t need_cpu_milli, Fn&& fn) const {
    auto lo = by_free_cpu_.lower_bound({need_cpu_milli, INT32_MIN});
    for (auto it = by_free_cpu_.end(); it != lo;) {
      --it;
      if (!fn(it->second)) return;
    }
  }

 private:
  std::set<std::pair<int64_t, int32_t>> by_free_cpu_;
  std::vector<int64_t> key_of_;  // current key per agent; INT64_MIN when absent
};

struct PlacementOptions {
  int feasible_candidates = 4;  // stop after this many feasible agents
};

struct Placement {
  int32_t agent = -1;  // -1: nowhere
  std::string reason;  // why not, when agent == -1
};

// Whether `agent` satisfies the job's constraints (value, negated value, limit:N,
// dedicated). `why` gets a short reason on failure.
bool satisfies_constraints(const Job& job, const JobConfig& config, const Agent& agent,
                           int32_t agent_index, std::string* why);

Placement find_placement(const std::vector<Agent>& agents, const PlacementIndex& index,
                         const Job& job, const JobConfig& config,
                         const PlacementOptions& options = {});

}  // namespace borealis::scheduler
