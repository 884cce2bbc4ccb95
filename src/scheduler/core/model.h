// The scheduler's in-memory model: job versions, jobs, tasks and agents. Owned by
// ClusterModel; touched only on the core thread.
//
// Scale shape: a job version (JobConfig) is stored once and shared by its tasks; agents
// live in a vector indexed by a stable int; tasks are found by id in one hash map.
// A task is kept small (docs/internals/task-records.md): what its config says is not
// copied into it (port names come from the config's PortPlan), its few ports and its
// latest events sit inline, and an event's message costs one pointer when empty.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/job_key.h"
#include "common/mono_clock.h"
#include "jobspec/job_spec.h"
#include "jobspec/ports.h"
#include "scheduler/core/resources.h"
#include "scheduler/core/shared_text.h"
#include "scheduler/core/task_state.h"

namespace borealis::scheduler {

// One stored version of a job's configuration.
struct JobConfig {
  std::string id;  // content hash: the same spec always gets the same id
  jobspec::JobSpec spec;
  // Canonical JSON, encoded once (job_version.h): the store row, what agents receive
  // and what the API shows.
  std::string spec_json;
  // Hash of what a task runs (the spec without instance count and update settings): two
  // versions with the same task_hash need no restart of an instance to go between them.
  std::string task_hash;
  jobspec::PortPlan ports;  // the ports each task needs: dynamic, fixed, aliases
  ResourceVec resources;    // per task
};
using ConfigPtr = std::shared_ptr<const JobConfig>;

// One entry of a task's history. Most events say nothing (PENDING, ASSIGNED, RUNNING...),
// so the message costs one pointer, null when empty.
class TaskEvent {
 public:
  TaskEvent(TimeMs ts, TaskState s, std::string text)
      : ts_ms(ts), state(s), text_(std::move(text)) {}

  const std::string& message() const { return text_.str(); }

  TimeMs ts_ms = 0;
  TaskState state = TaskState::kInit;

 private:
  SharedText text_;  // null when empty, as most are
};

// A running task's events (PENDING, ASSIGNED, STARTING, RUNNING) fit without a heap block.
using TaskEvents = boost::container::small_vector<TaskEvent, 4>;
// Port numbers in the order of the config's PortPlan: its dynamic names, then its fixed.
using TaskPorts = boost::container::small_vector<uint16_t, 4>;

struct Job;

// Fields are ordered so that the small ones pack together (docs/internals/task-records.md).
struct Task {
  std::string id;
  Job* job = nullptr;
  ConfigPtr config;
  int32_t instance = 0;
  int32_t agent = -1;         // index into the model's agents; -1 when not placed
  int32_t agent_slot = -1;    // index in agents[agent].tasks while placed there
  int32_t failure_count = 0;  // failures of this instance before this task
  TaskState state = TaskState::kInit;
  bool kill_requested = false;  // killed on purpose: never rescheduled
  bool lost_by_agent = false;   // its agent reported it LOST (not persisted: read at once)
  bool dirty = false;           // changed since the last batch was taken
  // The ports it holds on its agent, named by port_name(): empty, or one per name of
  // config->ports (its dynamic names, then its fixed ones).
  TaskPorts ports;
  TimeMs throttle_until_ms = 0;
  int64_t penalty_ms = 0;  // flapping penalty this task was given
  TimeMs running_since_ms = 0;
  // While PARTITIONED with a partition_policy that reschedules: when it becomes LOST
  // (not persisted: restore derives it from the PARTITIONED event's time).
  TimeMs partition_until_ms = 0;
  uint64_t pending_seq = 0;  // position in the pending queue while PENDING
  TaskEvents events;         // oldest first, bounded (CoreOptions::events_per_task)
  // Why it is not placed yet (not persisted); one string shared by the tasks a placement
  // pass refused for the same reason.
  std::shared_ptr<const std::string> pending_why;

  const std::string& pending_reason() const { return pending_why ? *pending_why : empty_text(); }
  const TaskEvent& last_event() const { return events.back(); }
  // The name of ports[i] in its config's PortPlan.
  const std::string& port_name(size_t i) const {
    const jobspec::PortPlan& plan = config->ports;
    return i < plan.dynamic.size() ? plan.dynamic[i] : plan.fixed[i - plan.dynamic.size()].first;
  }
  // The ports it holds, by name (without the plan's aliases: jobspec::task_port_map).
  std::map<std::string, int64_t> port_map() const {
    std::map<std::string, int64_t> out;
    for (size_t i = 0; i < ports.size(); ++i) out.emplace(port_name(i), ports[i]);
    return out;
  }
};

struct Instance {
  ConfigPtr config;        // the version this instance runs (updates may mix versions)
  Task* active = nullptr;  // the live task of this instance, if any
  // Ended tasks, newest first, bounded (a vector: an empty deque costs a 512-byte block).
  std::vector<Task*> history;
  bool killed = false;  // killed on purpose: no longer wanted
};

struct Update;

struct Job {
  JobKey key;
  std::string key_string;  // "role/env/name"
  ConfigPtr config;
  TimeMs created_ms = 0;
  std::string created_by;  // the caller's user name; "" without authentication
  std::map<int32_t, Instance> instances;
  // Active tasks of this job per agent index (spread and host limits).
  std::unordered_map<int32_t, int32_t> per_agent;
  // Active tasks per (attribute, value) for limit constraints on other attributes.
  std::map<std::pair<std::string, std::string>, int32_t> per_attribute;
  // Updates of this job, newest first (bounded); the first may be active.
  std::deque<Update*> updates;
};

struct AgentCommand {
  uint64_t seq = 0;
  uint64_t generation = 0;  // store batch that must be durable before it is sent
  enum class Type { kLaunch, kKill } type = Type::kLaunch;
  std::string task_id;
  std::string reason;  // kill
};

struct Agent {
  std::string id;
  bool registered = false;  // registered since this scheduler started
  std::string hostname;
  std::string address;
  std::map<std::string, std::string> attributes;
  std::vector<std::pair<uint16_t, uint16_t>> port_ranges;
  ResourceVec total;
  ResourceVec used;
  std::vector<uint16_t> free_ports;   // stack of unallocated ports
  bool active = false;                // registered and heard from within the timeout
  TimeMs last_seen_ms = 0;            // wall time, for people (the API shows it)
  MonoMs last_seen_mono_ms = 0;       // monotonic, for liveness (not persisted)
  std::vector<Task*> tasks;           // tasks placed here and not yet ended (see agent_slot)
  bool woken = false;                 // has new commands since the server last looked
  std::deque<AgentCommand> commands;  // not yet acknowledged
  uint64_t next_command_seq = 1;
  uint64_t acked_command_seq = 0;

  ResourceVec free() const { return total - used; }
  bool in_port_ranges(uint16_t port) const {
    for (const auto& [lo, hi] : port_ranges)
      if (port >= lo && port <= hi) return true;
    return false;
  }
  // Whether a task placed here holds `port` (a scan: fixed ports are rare).
  bool holds_port(uint16_t port) const {
    for (const Task* t : tasks)
      for (uint16_t p : t->ports)
        if (p == port) return true;
    return false;
  }

  void add_task(Task* t) {
    t->agent_slot = static_cast<int32_t>(tasks.size());
    tasks.push_back(t);
  }
  void remove_task(Task* t) {
    Task* last = tasks.back();
    tasks[t->agent_slot] = last;
    last->agent_slot = t->agent_slot;
    tasks.pop_back();
    t->agent_slot = -1;
  }
};

}  // namespace borealis::scheduler
