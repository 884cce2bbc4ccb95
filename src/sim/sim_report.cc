#include "sim/sim_report.h"

#include <cstdio>

namespace borealis::sim {

namespace {

template <class T>
void put(json::object& o, const char* key, const std::optional<T>& v) {
  if (v) o[key] = *v;
}

std::string text(const std::optional<double>& v, const char* format) {
  if (!v) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, *v);
  return buf;
}

std::string count(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string mib(const std::optional<int64_t>& bytes) {
  if (!bytes) return "-";
  return text(std::optional<double>(static_cast<double>(*bytes) / (1 << 20)), "%.1f MiB");
}

}  // namespace

json::object report_json(const SimReport& r) {
  json::object o{{"agents", r.agents},
                 {"tasks", r.tasks},
                 {"jobs", r.jobs},
                 {"workload", r.workload},
                 {"threads", r.threads},
                 {"register_s", r.register_s},
                 {"submit_s", r.submit_s},
                 {"all_running_s", r.all_running_s},
                 {"placements_per_s", r.placements_per_s},
                 {"api_p50_ms", r.api_p50_ms},
                 {"api_p99_ms", r.api_p99_ms},
                 {"api_requests", r.api_requests},
                 {"api_errors", r.api_errors},
                 {"agent_failed_requests", r.agent_failed_requests},
                 {"repeated_launches", r.repeated_launches}};
  if (!r.api_first_error.empty()) o["api_first_error"] = r.api_first_error;
  put(o, "scheduler_idle_rss_bytes", r.scheduler_idle_rss_bytes);
  put(o, "scheduler_rss_bytes", r.scheduler_rss_bytes);
  put(o, "memory_per_task_bytes", r.memory_per_task_bytes);
  put(o, "recovery_health_s", r.recovery_health_s);
  put(o, "recovery_s", r.recovery_s);
  put(o, "relaunched_tasks", r.relaunched_tasks);
  put(o, "recovery_rss_bytes", r.recovery_rss_bytes);
  put(o, "schedulers", r.schedulers);
  put(o, "failover_kill_unix_ms", r.failover_kill_unix_ms);
  put(o, "failover_elected_s", r.failover_elected_s);
  put(o, "failover_first_registered_s", r.failover_first_registered_s);
  put(o, "failover_registered_s", r.failover_registered_s);
  put(o, "failover_s", r.failover_s);
  put(o, "failover_relaunched_tasks", r.failover_relaunched_tasks);
  put(o, "failover_double_active", r.failover_double_active);
  put(o, "failover_rss_bytes", r.failover_rss_bytes);
  put(o, "packing_efficiency", r.packing_efficiency);
  put(o, "packing_cpu_share", r.packing_cpu_share);
  put(o, "packing_ram_share", r.packing_ram_share);
  put(o, "packing_tasks", r.packing_tasks);
  return o;
}

std::string report_text(const SimReport& r) {
  char buf[2048];
  std::snprintf(
      buf, sizeof buf,
      "%lld agents, %lld tasks in %lld jobs (%s workload), %d agent thread(s)\n"
      "  agents registered in   %.2f s\n"
      "  jobs submitted in      %.2f s\n"
      "  all RUNNING after      %.2f s\n"
      "  placements             %.0f /s\n"
      "  API latency            p50 %.1f ms, p99 %.1f ms (%lld requests, %lld errors)\n"
      "  scheduler RSS          %s idle, %s with every task (%s per task)\n"
      "  recovery after kill -9 %s to /health, %s to all RUNNING (%s relaunched), RSS %s\n"
      "  packing efficiency     %s (cpu %s, ram %s, %s tasks placed)\n"
      "  agent requests failed  %lld, repeated launches %lld\n",
      static_cast<long long>(r.agents), static_cast<long long>(r.tasks),
      static_cast<long long>(r.jobs), r.workload.c_str(), r.threads, r.register_s, r.submit_s,
      r.all_running_s, r.placements_per_s, r.api_p50_ms, r.api_p99_ms,
      static_cast<long long>(r.api_requests), static_cast<long long>(r.api_errors),
      mib(r.scheduler_idle_rss_bytes).c_str(), mib(r.scheduler_rss_bytes).c_str(),
      text(r.memory_per_task_bytes, "%.0f B").c_str(), text(r.recovery_health_s, "%.2f s").c_str(),
      text(r.recovery_s, "%.2f s").c_str(), count(r.relaunched_tasks).c_str(),
      mib(r.recovery_rss_bytes).c_str(), text(r.packing_efficiency, "%.3f").c_str(),
      text(r.packing_cpu_share, "%.3f").c_str(), text(r.packing_ram_share, "%.3f").c_str(),
      count(r.packing_tasks).c_str(), static_cast<long long>(r.agent_failed_requests),
      static_cast<long long>(r.repeated_launches));
  std::string out = buf;
  if (r.failover_s) {
    out += "  failover after kill -9 " + text(r.failover_elected_s, "%.2f s") +
           " to a new leader, " + text(r.failover_registered_s, "%.2f s") +
           " to all agents registered, " + text(r.failover_s, "%.2f s") + " to all RUNNING (" +
           count(r.failover_relaunched_tasks) + " relaunched, " + count(r.failover_double_active) +
           " instances active twice), RSS " + mib(r.failover_rss_bytes) + "\n";
  }
  if (!r.api_first_error.empty()) out += "  first API error        " + r.api_first_error + "\n";
  return out;
}

}  // namespace borealis::sim
