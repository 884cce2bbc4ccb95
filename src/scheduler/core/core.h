// Core: the scheduler's pure state machine. Events in (API calls, agent messages, timer
// ticks, each with `now`), effects out (rows to persist, commands for agents). No
// sockets, threads, files or clocks: the server feeds it, tests drive it directly.
//
// Durability: every change lands in the batch being accumulated (generation G). The
// server takes the batch, makes it durable, then calls mark_durable(G). Commands for
// agents are handed out only once the batch that created them is durable, and the
// server answers API calls only then, so nothing acknowledged is ever lost.
//
// Threading: not thread-safe; one thread (the server's core thread) owns it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/ids.h"
#include "scheduler/core/model.h"
#include "scheduler/core/placement.h"
#include "scheduler/core/store_batch.h"
#include "scheduler/core/update.h"
#include "spec/validate.h"

namespace borealis::scheduler {

struct CoreOptions {
  std::string cluster = "devcluster";
  bool container_images = false;  // whether agents can run Docker/appc images
  TimeMs agent_timeout_ms = 15'000;
  TimeMs flapping_threshold_ms = 5 * 60'000;  // a task that ran shorter is flapping
  TimeMs initial_flapping_delay_ms = 5'000;
  TimeMs max_flapping_delay_ms = 5 * 60'000;
  size_t history_per_instance = 5;  // ended tasks kept per instance
  size_t events_per_task = 20;
  size_t updates_per_job = 10;  // ended updates kept per job
  size_t events_per_update = 2000;
  TimeMs finished_job_retention_ms = 24 * 3600'000;
  spec::ValidationLimits limits;
  PlacementOptions placement;
  // sla_aware updates, as Aurora's scheduler flags: jobs smaller than this skip the SLA
  // check (-min_required_instances_for_sla_check), and only production jobs get it unless
  // sla_aware_kill_non_prod.
  int64_t sla_min_instances = 20;
  bool sla_aware_kill_non_prod = false;
};

struct ReportedTask {
  std::string task_id;
  TaskState state = TaskState::kRunning;
};

struct AgentRegistration {
  std::string agent_id;  // empty the first time
  std::string hostname;
  std::string address;
  ResourceVec resources;
  std::vector<std::pair<uint16_t, uint16_t>> port_ranges;
  std::map<std::string, std::string> attributes;
  std::vector<ReportedTask> tasks;
};

struct StatusUpdate {
  std::string task_id;
  TaskState state = TaskState::kRunning;
  std::string message;
};

// Hash of the parts of a spec that tasks run (all but instances and update_config).
std::string task_hash_of(const spec::JobSpec& spec);

class Core {
 public:
  Core(CoreOptions options, uint64_t seed);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // Rebuilds state from the store's rows. Call once, before anything else. Agents come
  // back unregistered: they must register again, and time out if they do not.
  Status restore(const StoredState& state, TimeMs now);

  // --- API -------------------------------------------------------------------------
  // Validates and creates a job with its PENDING tasks, and tries to place them.
  Result<const Job*> create_job(spec::JobSpec spec, TimeMs now);
  // Kills the given instances (all when nullopt; then the job is gone once they end).
  // Returns the ids of the tasks being killed.
  Result<std::vector<std::string>> kill(const JobKey& key,
                                        const std::optional<std::vector<int32_t>>& instances,
                                        const std::string& message, TimeMs now);

  // --- updates (core_updates.cc) ----------------------------------------------------
  // Starts a rolling update of an existing job to `request.spec`. Refused when another
  // update of the job is active. nullptr when the job already runs the configuration everywhere in
  // scope: nothing to do (Aurora's no-op update); new update settings are still recorded.
  Result<const Update*> start_update(const JobKey& key, UpdateRequest request, TimeMs now);
  // A rolling restart: replaces the given instances (all when nullopt) with the same
  // version, `batch_size` and `watch_secs` overriding the job's update settings when > 0.
  Result<const Update*> start_restart(const JobKey& key,
                                      const std::optional<std::vector<int32_t>>& instances,
                                      int64_t batch_size, int64_t watch_secs, TimeMs now);
  // Adds `count` instances running the version of instance `from_instance`.
  Result<std::vector<int32_t>> add_instances(const JobKey& key, int32_t from_instance,
                                             int32_t count, TimeMs now);
  enum class UpdateAction { kPause, kResume, kAbort, kRollback, kPulse };
  // Acts on the job's active update.
  Result<const Update*> control_update(const JobKey& key, UpdateAction action,
                                       const std::string& message, TimeMs now);
  const Update* find_update(const std::string& id) const;
  const std::unordered_map<std::string, std::unique_ptr<Update>>& updates() const {
    return updates_;
  }

  // --- agents ----------------------------------------------------------------------
  // Returns the agent id (new, or the one given).
  Result<std::string> register_agent(AgentRegistration reg, TimeMs now);
  // A poll: heartbeat, acknowledgement of commands, optional reconciliation.
  // NOT_FOUND when the agent must register (again).
  Status agent_poll(const std::string& agent_id, uint64_t acked_command_seq,
                    const std::optional<std::vector<ReportedTask>>& tasks, TimeMs now);
  // Commands past the agent's ack whose batch is durable.
  std::vector<const AgentCommand*> deliverable_commands(const std::string& agent_id) const;
  // Applies status updates; returns the ids of tasks the agent should not be running.
  Result<std::vector<std::string>> apply_updates(const std::string& agent_id,
                                                 const std::vector<StatusUpdate>& updates,
                                                 TimeMs now);

  // Timeouts (agents, throttles), placement of pending tasks, pruning.
  void tick(TimeMs now);

  // --- effects ---------------------------------------------------------------------
  // The generation the current (not yet taken) batch will carry.
  uint64_t pending_generation() const { return generation_; }
  // Takes everything changed since the last call as one batch (possibly empty).
  StoreBatch take_batch();
  void mark_durable(uint64_t generation);
  uint64_t durable_generation() const { return durable_; }
  // Agents that got new commands since the last call.
  std::vector<std::string> take_woken_agents();

  // --- reads -------------------------------------------------------------------------
  const Job* find_job(const JobKey& key) const;
  const Task* find_task(const std::string& id) const;
  const std::unordered_map<JobKey, std::unique_ptr<Job>>& jobs() const { return jobs_; }
  const std::vector<Agent>& agents() const { return agents_; }
  const Agent* find_agent(const std::string& id) const;
  size_t task_count() const { return tasks_.size(); }
  size_t pending_count() const { return pending_.size(); }
  const CoreOptions& options() const { return options_; }

 private:
  // Jobs and tasks (core_jobs.cc)
  ConfigPtr intern_config(const spec::JobSpec& spec);
  Task* new_task(Job* job, int32_t instance, int32_t failure_count, TimeMs now);
  void enqueue_pending(Task* t, TimeMs now);
  void transition(Task* t, TaskState to, TimeMs now, std::string message);
  void on_terminal(Task* t, TimeMs now);
  void reschedule(Task* ended, TimeMs now);
  void retire(Task* t);       // moves an ended task into its instance's history
  void delete_task(Task* t);  // forgets an ended task entirely
  void delete_job(Job* job);
  void kill_task(Task* t, const std::string& message, TimeMs now);
  void prune_jobs(TimeMs now);

  // Updates (core_updates.cc)
  void progress_updates(TimeMs now);
  void progress(Update* u, TimeMs now);
  bool advance_step(Update* u, UpdateStep& step, TimeMs now);
  void start_step(Update* u, UpdateStep& step, TimeMs now);
  // Whether the job's active update is replacing this instance's task right now.
  bool update_replacing(Job* job, int32_t instance) const;
  // Why killing this step's task now would break the job's SLA; empty when it would not.
  std::string sla_hold_reason(const Update* u, const UpdateStep& step, TimeMs now) const;
  void start_step_within_sla(Update* u, UpdateStep& step, TimeMs now);
  void start_steps(Update* u, TimeMs now);
  void step_failed_try(Update* u, UpdateStep& step, TimeMs now, const std::string& why);
  void finish_update(Update* u, UpdateStatus status, TimeMs now, const std::string& message);
  void begin_rollback(Update* u, TimeMs now, const std::string& why);
  void set_update_status(Update* u, UpdateStatus status, TimeMs now, const std::string& message);
  void instance_event(Update* u, int32_t instance, InstanceAction action, TimeMs now,
                      const std::string& message = "");
  Result<const Update*> launch_update(Job* job, std::unique_ptr<Update> u, TimeMs now);
  Update* active_update(Job* job) const;
  void forget_update(Update* u);
  std::string update_row(const Update& u) const;
  Status restore_update(const std::string& row);
  void dirty(Update* u) { dirty_updates_.insert(u); }

  // Placement (core_placement.cc)
  void place_pending(TimeMs now);
  void assign(Task* t, int32_t agent_index, TimeMs now);
  void release(Task* t);
  void count_on_agent(Job* job, int32_t agent_index, int delta);

  // Agents (core_agents.cc)
  Agent* agent_by_id(const std::string& id);
  int32_t agent_index(const std::string& id) const;
  void enqueue_command(int32_t agent_index, AgentCommand::Type type, const std::string& task_id,
                       const std::string& reason);
  void reconcile(int32_t agent_index, const std::vector<ReportedTask>& reported, TimeMs now);
  void agent_lost(int32_t agent_index, const std::string& why, TimeMs now);
  void reset_free_ports(Agent& a);

  // Persistence (persistence.cc)
  std::string task_row(const Task& t) const;
  std::string job_row(const Job& j) const;
  std::string agent_row(const Agent& a) const;
  Status restore_task(const std::string& row, TimeMs now);
  Status restore_job(const std::string& row);
  Status restore_agent(const std::string& row, TimeMs now);
  Status restore_config(const std::string& id, const std::string& row);

  void dirty(Task* t) {
    if (!t->dirty) {
      t->dirty = true;
      dirty_tasks_.push_back(t);
    }
  }
  void dirty(Job* j) { dirty_jobs_.insert(j); }
  void dirty_agent(int32_t i) { dirty_agents_.insert(i); }

  CoreOptions options_;
  UuidGenerator uuids_;

  std::unordered_map<std::string, ConfigPtr> configs_;
  std::unordered_map<JobKey, std::unique_ptr<Job>> jobs_;
  std::unordered_map<std::string, std::unique_ptr<Task>> tasks_;
  std::unordered_map<std::string, std::unique_ptr<Update>> updates_;
  std::vector<Agent> agents_;
  std::unordered_map<std::string, int32_t> agent_by_id_;
  std::unordered_map<std::string, int32_t> agent_by_host_;  // the latest agent per hostname
  PlacementIndex index_;

  // PENDING tasks in placement order: (-priority, arrival) -> task.
  std::map<std::pair<int64_t, uint64_t>, Task*> pending_;
  uint64_t next_pending_seq_ = 1;
  bool placement_dirty_ = false;
  // THROTTLED tasks by the time they may become PENDING.
  std::multimap<TimeMs, Task*> throttled_;
  TimeMs next_prune_ms_ = 0;
  std::vector<Task*> restored_pending_;  // only during restore()

  // Effects accumulating for the current batch.
  uint64_t generation_ = 1;
  uint64_t durable_ = 0;
  std::vector<Task*> dirty_tasks_;
  // Tasks deleted since the last batch; freed when it is taken (dirty_tasks_ may point here).
  std::vector<std::unique_ptr<Task>> graveyard_;
  std::unordered_set<Job*> dirty_jobs_;
  std::set<int32_t> dirty_agents_;
  std::vector<Row> new_configs_;
  std::vector<std::string> deleted_tasks_;
  std::vector<std::string> deleted_jobs_;
  std::vector<int32_t> woken_agents_;
  std::unordered_set<Update*> dirty_updates_;
  std::vector<std::string> deleted_updates_;
};

}  // namespace borealis::scheduler
