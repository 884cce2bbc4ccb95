#include "taskcontract/process_rules.h"

#include <map>
#include <vector>

namespace borealis::taskcontract {

namespace {

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

std::string index_path(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

// The rule between two neighbours of an order: `after` waits for `before`.
Status check_wait(const ProcessView& before, const ProcessView& after) {
  if (before.final != after.final) {
    const ProcessView& fin = before.final ? before : after;
    const ProcessView& reg = before.final ? after : before;
    return invalid_argument("orders final process " + quoted(fin.name) + " with regular process " +
                            quoted(reg.name) + "; final processes always run after regular ones");
  }
  if (before.daemon)
    return invalid_argument("process " + quoted(after.name) + " may not wait on daemon process " +
                            quoted(before.name) + " (a daemon never finishes)");
  if (before.ephemeral && !after.ephemeral)
    return invalid_argument("non-ephemeral process " + quoted(after.name) +
                            " may not wait on ephemeral process " + quoted(before.name) +
                            " (the task does not wait for an ephemeral process to finish)");
  return Status();
}

// deps[i]: the processes that must finish before process i starts. Returns a process on
// a cycle, or -1 when there is none.
int process_on_cycle(const std::vector<std::vector<size_t>>& deps) {
  // Kahn's algorithm: whatever can never become ready sits on or behind a cycle.
  std::vector<bool> done(deps.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < deps.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (size_t d : deps[i]) ready = ready && done[d];
      if (ready) done[i] = progress = true;
    }
  }
  size_t at = 0;
  while (at < done.size() && done[at]) ++at;
  if (at == done.size()) return -1;
  // Walk back through unfinished dependencies: the walk must revisit a process, and the
  // first one it revisits is on a cycle (not merely waiting behind one).
  std::vector<bool> seen(deps.size(), false);
  while (!seen[at]) {
    seen[at] = true;
    for (size_t d : deps[at]) {
      if (!done[d]) {
        at = d;
        break;
      }
    }
  }
  return static_cast<int>(at);
}

}  // namespace

Status check_process_name(std::string_view name) {
  if (name.empty()) return invalid_argument("a process name cannot be empty");
  if (name.size() > 255) return invalid_argument("a process name is at most 255 bytes");
  if (name[0] == '.') return invalid_argument("process name " + quoted(name) + " starts with '.'");
  if (name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos)
    return invalid_argument("process name " + quoted(name) + " contains '/' or NUL");
  return Status();
}

Status check_processes(std::span<const ProcessView> processes, std::span<const OrderView> orders) {
  if (processes.empty())
    return invalid_argument("task.processes: a task needs at least one process");
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < processes.size(); ++i) {
    std::string path = index_path("task.processes", i) + ".name";
    BOREALIS_RETURN_IF_ERROR(check_process_name(processes[i].name).with_context(path));
    if (!index.emplace(processes[i].name, i).second)
      return invalid_argument(path + ": duplicate process name " + quoted(processes[i].name));
  }
  std::vector<std::vector<size_t>> deps(processes.size());
  for (size_t c = 0; c < orders.size(); ++c) {
    std::string path = index_path("task.constraints", c) + ".order";
    const OrderView& order = orders[c];
    for (size_t k = 0; k < order.size(); ++k) {
      auto it = index.find(order[k]);
      if (it == index.end())
        return invalid_argument(index_path(path, k) + ": names process " + quoted(order[k]) +
                                ", which the task does not have");
      if (k == 0) continue;
      size_t before = index.at(order[k - 1]);
      BOREALIS_RETURN_IF_ERROR(
          check_wait(processes[before], processes[it->second]).with_context(path));
      deps[it->second].push_back(before);
    }
  }
  int on_cycle = process_on_cycle(deps);
  if (on_cycle >= 0)
    return invalid_argument("task.constraints: order constraints form a cycle through process " +
                            quoted(processes[static_cast<size_t>(on_cycle)].name));
  return Status();
}

}  // namespace borealis::taskcontract
