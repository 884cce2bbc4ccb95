#include "agent/agent_metrics.h"

#include <map>
#include <string>

namespace borealis::agent {

namespace {

using metrics::Family;
using metrics::MetricType;

Family gauge(const char* name, const char* help, double value) {
  return {name, help, MetricType::kGauge, {{"", {}, value}}};
}

metrics::Labels task_labels(const TaskMonitor& m) {
  const TaskOwner& o = m.owner();
  return {{"role", o.role},
          {"environment", o.environment},
          {"job", o.job},
          {"instance", o.instance < 0 ? "" : std::to_string(o.instance)},
          {"task_id", m.task_id()}};
}

}  // namespace

std::vector<Family> agent_families(const TaskManager& tasks, const HostOffer& offer) {
  jobspec::Resources held;
  int64_t ports_held = 0;
  std::map<std::string, int64_t> by_state;
  Family cpu{"borealis_task_cpu_seconds_total",
             "CPU time (user and system) a live task used since it started.",
             MetricType::kCounter,
             {}};
  Family memory{
      "borealis_task_memory_bytes", "Memory a live task uses now.", MetricType::kGauge, {}};
  Family disk{"borealis_task_disk_bytes",
              "Bytes a live task's sandbox allocates, as last measured.",
              MetricType::kGauge,
              {}};
  for (const auto& [_, m] : tasks.tasks()) {
    ++by_state[std::string(task_state_name(m->state()))];
    if (m->ended()) continue;
    held.cpu += m->resources().cpu;
    held.ram += m->resources().ram;
    held.disk += m->resources().disk;
    ports_held += static_cast<int64_t>(m->ports().ports.size());
    const TaskUsage& u = m->usage();
    if (u.sampled_ms > 0) {
      cpu.samples.push_back({"", task_labels(*m), u.cpu_seconds});
      memory.samples.push_back({"", task_labels(*m), static_cast<double>(u.memory_bytes)});
    }
    if (u.disk_bytes >= 0)
      disk.samples.push_back({"", task_labels(*m), static_cast<double>(u.disk_bytes)});
  }
  Family states{"borealis_agent_tasks",
                "Tasks the agent holds (live ones, and ended ones until their sandbox is "
                "collected), by state.",
                MetricType::kGauge,
                {}};
  for (const auto& [state, n] : by_state)
    states.samples.push_back({"", {{"state", state}}, static_cast<double>(n)});
  const HostResources& r = offer.resources;
  return {
      gauge("borealis_agent_cpu_cores", "Cores the agent offers.", r.cpu),
      gauge("borealis_agent_cpu_allocated_cores", "Cores the live tasks asked for.", held.cpu),
      gauge("borealis_agent_ram_bytes", "RAM the agent offers.", static_cast<double>(r.ram)),
      gauge("borealis_agent_ram_allocated_bytes", "RAM the live tasks asked for.",
            static_cast<double>(held.ram)),
      gauge("borealis_agent_disk_bytes", "Disk the agent offers.", static_cast<double>(r.disk)),
      gauge("borealis_agent_disk_allocated_bytes", "Disk the live tasks asked for.",
            static_cast<double>(held.disk)),
      gauge("borealis_agent_ports", "Ports the agent hands out (its --ports range).",
            static_cast<double>(offer.ports.hi - offer.ports.lo + 1)),
      gauge("borealis_agent_ports_allocated", "Ports the live tasks hold.",
            static_cast<double>(ports_held)),
      std::move(states),
      std::move(cpu),
      std::move(memory),
      std::move(disk),
  };
}

std::vector<metrics::OpenTsdbPoint> task_opentsdb_points(const TaskManager& tasks,
                                                         const std::string& host, int64_t now_s) {
  std::vector<metrics::OpenTsdbPoint> out;
  for (const auto& [_, m] : tasks.tasks()) {
    if (m->ended()) continue;
    std::map<std::string, std::string> tags{{"host", host}};
    for (auto& [name, value] : task_labels(*m))
      if (name != "task_id") tags[name] = value;
    const TaskUsage& u = m->usage();
    auto add = [&](const char* metric, double value) {
      out.push_back({metric, now_s, value, tags});
    };
    if (u.sampled_ms > 0) {
      add("borealis.task.cpu_seconds", u.cpu_seconds);
      add("borealis.task.memory_bytes", static_cast<double>(u.memory_bytes));
    }
    if (u.disk_bytes >= 0) add("borealis.task.disk_bytes", static_cast<double>(u.disk_bytes));
  }
  return out;
}

}  // namespace borealis::agent
