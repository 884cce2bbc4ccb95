#include "agent/proc_tree_usage.h"

#include <unistd.h>

#include <unordered_map>
#include <unordered_set>

namespace borealis::agent {

ProcUnits ProcUnits::of_host() {
  ProcUnits u;
  if (long t = ::sysconf(_SC_CLK_TCK); t > 0) u.ticks_per_second = t;
  if (long p = ::sysconf(_SC_PAGESIZE); p > 0) u.page_size = p;
  return u;
}

std::map<int64_t, CgroupUsage> usage_of_trees(const std::vector<ProcStat>& processes,
                                              const std::vector<int64_t>& roots,
                                              const ProcUnits& units) {
  std::unordered_map<int64_t, const ProcStat*> by_pid;
  std::unordered_multimap<int64_t, const ProcStat*> children;
  for (const auto& p : processes) {
    by_pid.emplace(p.pid, &p);
    children.emplace(p.ppid, &p);
  }
  std::map<int64_t, CgroupUsage> out;
  for (int64_t root : roots) {
    auto it = by_pid.find(root);
    if (it == by_pid.end()) continue;
    int64_t ticks = 0;
    int64_t pages = 0;
    // Depth-first; `seen` guards against a cycle in a listing taken while pids are reused.
    std::vector<const ProcStat*> stack{it->second};
    std::unordered_set<int64_t> seen{root};
    while (!stack.empty()) {
      const ProcStat* p = stack.back();
      stack.pop_back();
      ticks += p->utime_ticks + p->stime_ticks + p->cutime_ticks + p->cstime_ticks;
      pages += p->rss_pages;
      auto [first, last] = children.equal_range(p->pid);
      for (auto c = first; c != last; ++c)
        if (seen.insert(c->second->pid).second) stack.push_back(c->second);
    }
    CgroupUsage u;
    u.cpu_usec = ticks * 1'000'000 / units.ticks_per_second;
    u.memory_bytes = pages * units.page_size;
    out[root] = u;
  }
  return out;
}

std::map<int64_t, CgroupUsage> sample_process_trees(const std::vector<int64_t>& roots,
                                                    size_t max_processes,
                                                    const std::string& proc_root) {
  return usage_of_trees(all_processes(max_processes, proc_root), roots, ProcUnits::of_host());
}

}  // namespace borealis::agent
