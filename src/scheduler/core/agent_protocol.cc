#include "scheduler/core/agent_protocol.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "scheduler/core/rows.h"

namespace borealis::scheduler {

AgentProtocol::AgentProtocol(ClusterModel& model, Placer& placer, TaskLifecycle& lifecycle,
                             UpdateController& updates, const CoreOptions& options,
                             UuidGenerator& uuids)
    : model_(model),
      placer_(placer),
      lifecycle_(lifecycle),
      updates_(updates),
      options_(options),
      uuids_(uuids) {}

void AgentProtocol::expire_silent_agents(TimeMs now, MonoMs mono) {
  bool stalled = last_check_mono_ && mono - *last_check_mono_ > options_.agent_timeout_ms / 3;
  if (stalled) ++stalls_;
  if (stalled || !last_check_mono_) {
    for (size_t i = 0; i < model_.agents().size(); ++i) {
      Agent& a = model_.agent(static_cast<int32_t>(i));
      if (a.active) a.last_seen_mono_ms = std::max(a.last_seen_mono_ms, mono);
    }
  }
  last_check_mono_ = mono;
  for (size_t i = 0; i < model_.agents().size(); ++i) {
    const Agent& a = model_.agent(static_cast<int32_t>(i));
    if (a.active && mono - a.last_seen_mono_ms > options_.agent_timeout_ms) {
      agent_lost(static_cast<int32_t>(i),
                 "agent " + a.hostname + " silent for " +
                     std::to_string((mono - a.last_seen_mono_ms) / 1000) + " s",
                 /*gone=*/false, now);
    }
  }
}

void AgentProtocol::reset_free_ports(Agent& a) {
  std::unordered_set<uint16_t> used;
  for (const Task* t : a.tasks)
    for (uint16_t p : t->ports) used.insert(p);
  a.free_ports.clear();
  // Stored highest first so that allocation (pop_back) hands out the lowest port.
  for (auto r = a.port_ranges.rbegin(); r != a.port_ranges.rend(); ++r)
    for (int p = r->second; p >= r->first; --p)
      if (!used.count(static_cast<uint16_t>(p))) a.free_ports.push_back(static_cast<uint16_t>(p));
}

Result<std::string> AgentProtocol::register_agent(AgentRegistration reg, TimeMs now, MonoMs mono) {
  if (reg.hostname.empty()) return invalid_argument("hostname: must not be empty");
  if (reg.resources.cpu_milli <= 0 || reg.resources.ram <= 0 || reg.resources.disk < 0)
    return invalid_argument("resources: cpu and ram must be positive");
  size_t port_count = 0;
  for (const auto& [lo, hi] : reg.port_ranges) {
    if (lo == 0 || lo > hi)
      return invalid_argument("ports: bad range " + std::to_string(lo) + "-" + std::to_string(hi));
    port_count += static_cast<size_t>(hi - lo) + 1;
  }
  if (port_count > 65535) return invalid_argument("ports: ranges overlap or are too large");

  // A different agent on the same host means the old one is gone (e.g. its work dir was
  // wiped): its tasks cannot be running any more.
  if (int32_t h = model_.agent_on_host(reg.hostname); h >= 0) {
    const Agent& other = model_.agent(h);
    // Its tasks (PARTITIONED ones too, when it was lost before) cannot run any more.
    if (other.id != reg.agent_id && (other.active || !other.tasks.empty()))
      agent_lost(h, "replaced by a new agent on host " + reg.hostname, /*gone=*/true, now);
  }
  int32_t ai = reg.agent_id.empty() ? -1 : model_.agent_index(reg.agent_id);
  // An agent back as it was (after a scheduler restart, every one) changes no row: with
  // nothing to write, its answer waits for no commit.
  std::string stored_row;
  if (ai >= 0)
    stored_row = agent_row(model_.agent(ai));
  else
    ai = model_.add_agent(reg.agent_id.empty() ? uuids_.next() : reg.agent_id);
  model_.set_agent_host(ai, std::move(reg.hostname));
  Agent& a = model_.agent(ai);
  a.address = std::move(reg.address);
  a.attributes = std::move(reg.attributes);
  a.port_ranges = std::move(reg.port_ranges);
  a.total = reg.resources;
  reset_free_ports(a);
  a.registered = true;
  a.active = true;
  a.last_seen_ms = now;
  a.last_seen_mono_ms = mono;
  // The agent restarts its command numbering on every register.
  a.commands.clear();
  a.next_command_seq = 1;
  a.acked_command_seq = 0;
  if (stored_row.empty() || agent_row(a) != stored_row) model_.changed_agent(ai);
  placer_.agent_available(ai);
  reconcile(ai, reg.tasks, now);
  return a.id;
}

Status AgentProtocol::poll(const std::string& agent_id, uint64_t acked_command_seq,
                           const std::optional<std::vector<ReportedTask>>& tasks, TimeMs now,
                           MonoMs mono) {
  int32_t ai = model_.agent_index(agent_id);
  if (ai < 0 || !model_.agent(ai).registered || !model_.agent(ai).active)
    return not_found("agent " + agent_id + " is not registered; register again");
  Agent& a = model_.agent(ai);
  a.last_seen_ms = now;
  a.last_seen_mono_ms = mono;
  while (!a.commands.empty() && a.commands.front().seq <= acked_command_seq) a.commands.pop_front();
  a.acked_command_seq = std::max(a.acked_command_seq, acked_command_seq);
  if (tasks) reconcile(ai, *tasks, now);
  return Status();
}

void AgentProtocol::reconcile(int32_t ai, const std::vector<ReportedTask>& reported, TimeMs now) {
  Agent& a = model_.agent(ai);
  auto pending_command = [&](const std::string& id, AgentCommand::Type type) {
    return std::any_of(a.commands.begin(), a.commands.end(),
                       [&](const AgentCommand& c) { return c.task_id == id && c.type == type; });
  };
  std::unordered_set<std::string_view> listed;  // views of `reported`'s ids
  listed.reserve(reported.size());
  for (const auto& r : reported) {
    listed.insert(r.task_id);
    Task* t = model_.task(r.task_id);
    bool placed_here = t && t->agent == ai && is_on_agent(t->state);
    if (!placed_here) {
      if (!is_terminal(r.state) && !pending_command(r.task_id, AgentCommand::Type::kKill)) {
        model_.enqueue_command(ai, AgentCommand::Type::kKill, r.task_id,
                               t ? "the scheduler no longer runs this task here"
                                 : "the scheduler does not know this task");
        if (t && t->agent == ai) note_stale_copy(t, ai, now);
      }
      continue;
    }
    // Back from a partition: the task is where its agent says. A final state comes with
    // its reason in the status update that follows.
    if (t->state == TaskState::kPartitioned && !is_terminal(r.state)) {
      TaskState back = is_legal_transition(t->state, r.state) ? r.state : TaskState::kRunning;
      lifecycle_.transition(t, back, now, "agent " + a.hostname + " is back");
      continue;
    }
    if (t->state == TaskState::kKilling && !pending_command(t->id, AgentCommand::Type::kKill))
      model_.enqueue_command(ai, AgentCommand::Type::kKill, t->id, t->last_event().message());
  }
  std::vector<Task*> missing;
  for (Task* t : a.tasks)
    if (!listed.count(t->id)) missing.push_back(t);
  for (Task* t : missing) {
    if (t->state == TaskState::kAssigned) {
      if (!pending_command(t->id, AgentCommand::Type::kLaunch))
        model_.enqueue_command(ai, AgentCommand::Type::kLaunch, t->id, "");
    } else if (t->state == TaskState::kKilling) {
      lifecycle_.transition(t, TaskState::kKilled, now,
                            "agent " + a.hostname + " no longer has the task");
    } else {
      lifecycle_.transition(t, TaskState::kLost, now,
                            "agent " + a.hostname + " does not know the task");
    }
  }
}

void AgentProtocol::agent_lost(int32_t ai, const std::string& why, bool gone, TimeMs now) {
  Agent& a = model_.agent(ai);
  a.active = false;
  a.registered = false;
  a.commands.clear();
  placer_.agent_gone(ai);
  std::vector<Task*> tasks = a.tasks;
  for (Task* t : tasks) {
    if (t->state == TaskState::kKilling) {
      // Wanted dead anyway; should its agent return with it, reconcile kills it.
      lifecycle_.transition(t, TaskState::kKilled, now, why);
    } else if (gone) {
      lifecycle_.transition(t, TaskState::kLost, now, why);
    } else {
      lifecycle_.partition(t, why, now);
    }
  }
}

void AgentProtocol::note_stale_copy(Task* t, int32_t ai, TimeMs now) {
  std::string note = "agent " + model_.agent(ai).hostname +
                     " came back still running this task, which had ended as " +
                     std::string(task_state_name(t->state)) + "; killing its copy there";
  if (t->last_event().message() == note) return;  // said at an earlier reconciliation
  add_note(t, note, now);
}

void AgentProtocol::add_note(Task* t, std::string note, TimeMs now) {
  t->events.push_back(TaskEvent{now, t->state, std::move(note)});
  if (t->events.size() > options_.events_per_task) t->events.erase(t->events.begin() + 1);
  model_.changed(t);
}

Result<std::vector<std::string>> AgentProtocol::apply_updates(
    const std::string& agent_id, const std::vector<StatusUpdate>& updates, TimeMs now,
    MonoMs mono) {
  int32_t ai = model_.agent_index(agent_id);
  // A lost agent registers first, so that reconciliation sees its tasks before their
  // updates (one that ended while partitioned then keeps its reason).
  if (ai < 0 || !model_.agent(ai).active)
    return not_found("agent " + agent_id + " is not registered; register again");
  Agent& a = model_.agent(ai);
  a.last_seen_ms = now;
  a.last_seen_mono_ms = mono;
  std::vector<std::string> unwanted;
  std::vector<Update*> touched;  // in order of first touch, so the core stays deterministic
  for (const auto& u : updates) {
    Task* t = model_.task(u.task_id);
    if (!t || t->agent != ai || is_terminal(t->state)) {
      if (!is_terminal(u.state)) unwanted.push_back(u.task_id);
      if (t && t->agent == ai && is_terminal(t->state) && is_terminal(u.state) &&
          t->last_event().message().ends_with("killing its copy there"))
        add_note(t,
                 "its copy on agent " + a.hostname + " ended " +
                     std::string(task_state_name(u.state)) + ": " + u.message,
                 now);
      continue;
    }
    if (t->state == u.state) continue;
    if (t->state == TaskState::kKilling && !is_terminal(u.state)) continue;
    if (!is_legal_transition(t->state, u.state)) continue;  // stale or out of order
    // The agent itself lost the task (task_lifecycle.h: counts as a failure).
    if (u.state == TaskState::kLost) t->lost_by_agent = true;
    lifecycle_.transition(t, u.state, now, u.message);
    if (Update* up = active_update(*t->job);
        up && std::find(touched.begin(), touched.end(), up) == touched.end())
      touched.push_back(up);
  }
  // Updates move on at once when their tasks change, not at the next tick: a batch whose
  // new tasks are RUNNING (with watch_secs 0) or whose old ones ended goes on now.
  for (Update* up : touched) updates_.progress(up, now);
  if (!touched.empty() && placer_.needs_pass()) lifecycle_.place_pending(now);
  return unwanted;
}

}  // namespace borealis::scheduler
