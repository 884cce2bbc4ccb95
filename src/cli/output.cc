#include "cli/output.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "cli/table.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

std::string task_age(const TaskInfo& t, TimeMs now) {
  TimeMs at = last_change_ms(t);
  return at == 0 ? "" : format_age(now - at);
}

std::string state_counts_text(const std::map<std::string, int64_t>& counts) {
  std::vector<std::string> parts;
  for (const auto& [state, n] : counts) parts.push_back(std::to_string(n) + " " + state);
  return join(parts, ", ");
}

std::optional<double> number_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

// "used/total" of one resource; `bytes` formats as sizes.
std::string usage(const AgentInfo& a, std::string_view key, bool bytes) {
  auto used = number_field(a.used, key);
  auto total = number_field(a.total, key);
  if (!total) return "";
  auto fmt = [&](double v) {
    return bytes ? format_bytes(static_cast<int64_t>(v)) : format_number(v);
  };
  return fmt(used.value_or(0)) + "/" + fmt(*total);
}

}  // namespace

std::string format_age(TimeMs ms) {
  int64_t s = std::max<TimeMs>(ms, 0) / 1000;
  if (s < 60) return std::to_string(s) + "s";
  int64_t m = s / 60;
  if (m < 60) return std::to_string(m) + "m";
  int64_t h = m / 60;
  if (h < 24) return std::to_string(h) + "h" + (m % 60 ? std::to_string(m % 60) + "m" : "");
  int64_t d = h / 24;
  return std::to_string(d) + "d" + (h % 24 ? std::to_string(h % 24) + "h" : "");
}

std::string format_ports(const std::map<std::string, int64_t>& ports) {
  std::vector<std::string> parts;
  for (const auto& [name, port] : ports) parts.push_back(name + "=" + std::to_string(port));
  return join(parts, ",");
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

TimeMs last_change_ms(const TaskInfo& task) {
  TimeMs at = 0;
  for (const TaskEvent& e : task.events) at = std::max(at, e.ts_ms);
  return at;
}

namespace {

// A batch job's instance has ended when it has no active task: its newest ended task is
// its outcome, whose message says why (a failed process's exit code or signal).
std::string format_instance_outcomes(const std::vector<const TaskInfo*>& active,
                                     const std::vector<const TaskInfo*>& ended_newest_first,
                                     TimeMs now) {
  std::set<int32_t> running;
  for (const TaskInfo* t : active) running.insert(t->instance_id);
  std::map<int32_t, const TaskInfo*> outcome;
  for (const TaskInfo* t : ended_newest_first)
    if (!running.contains(t->instance_id)) outcome.emplace(t->instance_id, t);
  if (outcome.empty()) return "";
  Table table({"INSTANCE", "OUTCOME", "AGE", "TASK ID", "MESSAGE"});
  for (const auto& [instance, t] : outcome)
    table.add_row({std::to_string(instance), t->status, task_age(*t, now), t->task_id, t->message});
  return "\nEnded instances:\n" + table.render();
}

}  // namespace

std::string format_job_status(const JobSummary& job, const TaskList& tasks, TimeMs now,
                              size_t max_ended) {
  std::string out = "Job " + job.key + ": " + (job.status.empty() ? "UNKNOWN" : job.status) + " (" +
                    std::to_string(job.instances) +
                    (job.instances == 1 ? " instance" : " instances") +
                    (job.service ? ", service" : "") + ")\n";

  std::vector<const TaskInfo*> active, ended;
  for (const TaskInfo& t : tasks.tasks)
    (is_terminal_status(t.status) ? ended : active).push_back(&t);
  std::stable_sort(active.begin(), active.end(), [](const TaskInfo* a, const TaskInfo* b) {
    return a->instance_id < b->instance_id;
  });
  std::stable_sort(ended.begin(), ended.end(), [](const TaskInfo* a, const TaskInfo* b) {
    return last_change_ms(*a) > last_change_ms(*b);
  });

  out += "\n";
  if (active.empty()) {
    out += "No active tasks.\n";
  } else {
    out += "Active tasks:\n";
    // ENDPOINT (Announcer.primary_port's host:port) only for jobs with an announcer.
    bool announced = std::any_of(active.begin(), active.end(),
                                 [](const TaskInfo* t) { return !t->primary_endpoint.empty(); });
    std::vector<std::string> headers = {"INSTANCE", "STATUS", "HOST", "PORTS"};
    if (announced) headers.push_back("ENDPOINT");
    headers.insert(headers.end(), {"AGE", "TASK ID", "MESSAGE"});
    Table t(headers);
    for (const TaskInfo* task : active) {
      std::vector<std::string> row = {std::to_string(task->instance_id), task->status, task->host,
                                      format_ports(task->ports)};
      if (announced) row.push_back(task->primary_endpoint);
      row.insert(row.end(), {task_age(*task, now), task->task_id, task->message});
      t.add_row(row);
    }
    out += t.render();
  }

  if (!job.service) out += format_instance_outcomes(active, ended, now);

  if (!ended.empty()) {
    out += "\nRecently ended tasks:\n";
    Table t({"INSTANCE", "STATUS", "HOST", "AGE", "TASK ID", "MESSAGE"});
    size_t shown = std::min(ended.size(), max_ended);
    for (size_t i = 0; i < shown; ++i) {
      const TaskInfo* task = ended[i];
      t.add_row({std::to_string(task->instance_id), task->status, task->host, task_age(*task, now),
                 task->task_id, task->message});
    }
    out += t.render();
    if (ended.size() > shown) {
      out += "(" + std::to_string(ended.size() - shown) +
             " older ended tasks not shown; --output json lists all)\n";
    }
  }
  return out;
}

std::string format_job_list(const JobList& jobs, const std::string& scope) {
  if (jobs.jobs.empty()) return "No jobs in " + scope + ".\n";
  Table t({"JOB", "STATUS", "INSTANCES", "TASKS"});
  for (const JobSummary& j : jobs.jobs) {
    t.add_row({j.key, j.status, std::to_string(j.instances), state_counts_text(j.state_counts)});
  }
  return t.render();
}

std::string format_agents(const AgentList& agents, TimeMs now) {
  if (agents.agents.empty()) return "No agents.\n";
  Table t({"HOSTNAME", "STATUS", "TASKS", "CPU USED/TOTAL", "RAM USED/TOTAL", "DISK USED/TOTAL",
           "LAST SEEN", "ADDRESS", "AGENT ID"});
  for (const AgentInfo& a : agents.agents) {
    t.add_row({a.hostname, a.status, std::to_string(a.tasks), usage(a, "cpu", false),
               usage(a, "ram", true), usage(a, "disk", true),
               a.last_seen_ms ? format_age(now - a.last_seen_ms) + " ago" : "", a.address,
               a.agent_id});
  }
  return t.render();
}

}  // namespace borealis::cli
