// Core: the scheduler's pure state machine. Events in (API calls, agent messages, timer
// ticks, each with `now`), effects out (rows to persist, commands for agents). No
// sockets, threads, files or clocks: the server feeds it, tests drive it directly.
//
// Durability: every change lands in the batch being accumulated (generation G). The
// server takes the batch, makes it durable, then calls mark_durable(G). Commands for
// agents are handed out only once the batch that created them is durable, and the
// server answers API calls only then, so nothing acknowledged is ever lost.
//
// Structure: Core is the facade over the parts below, and handles the API's job calls
// itself (core_jobs.cc):
//   ClusterModel     the state and its indexes, and what changed for the store (rows.h)
//   Placer           the pending queue and resources on agents (placement.h decides where)
//   TaskLifecycle    task states, rescheduling, flapping penalties, kills
//   UpdateController rolling updates and restarts, SLA-aware kills
//   AgentProtocol    registration, polls, status updates, reconciliation, lost agents
//   CronController   cron schedules: fires, collision policies, missed fires
//
// Threading: not thread-safe; one thread (the server's core thread) owns it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/ids.h"
#include "scheduler/core/agent_protocol.h"
#include "scheduler/core/cluster_model.h"
#include "scheduler/core/core_options.h"
#include "scheduler/core/cron_controller.h"
#include "scheduler/core/model.h"
#include "scheduler/core/placer.h"
#include "scheduler/core/row_restore.h"
#include "scheduler/core/store_batch.h"
#include "scheduler/core/task_lifecycle.h"
#include "scheduler/core/update.h"
#include "scheduler/core/update_controller.h"

namespace borealis::scheduler {

class Core {
 public:
  Core(CoreOptions options, uint64_t seed);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // Rebuilds state from the store's rows. Call once, before anything else. Agents come
  // back unregistered: they must register again, and time out if they do not. Task rows
  // are decoded in parts that `parallel` may run on several threads (row_restore.h); the
  // rest of the restore runs on this thread.
  Status restore(const StoredState& state, TimeMs now, const ParallelFor& parallel = run_serially);

  // --- API -------------------------------------------------------------------------
  // Validates and creates a job with its PENDING tasks, and tries to place them.
  // `user` is the caller, recorded as the job's creator ("" without authentication).
  Result<const Job*> create_job(jobspec::JobSpec spec, TimeMs now, const std::string& user = "");
  // Kills the given instances (all when nullopt; then the job is gone once they end).
  // Returns the ids of the tasks being killed.
  Result<std::vector<std::string>> kill(const JobKey& key,
                                        const std::optional<std::vector<int32_t>>& instances,
                                        const std::string& message, TimeMs now);

  // --- cron jobs (cron_controller.h, docs/cron.md) ----------------------------------
  // Validates the job (its cron_schedule parsed, errors naming the field) and schedules
  // it, or replaces its schedule. Nothing runs until it fires or is started.
  Result<const CronJob*> schedule_cron(jobspec::JobSpec spec, TimeMs now,
                                       const std::string& user = "");
  Status deschedule_cron(const JobKey& key) { return cron_.deschedule(key); }
  // A run now, under the job's collision policy (`cron start`).
  Result<const CronRun*> start_cron(const JobKey& key, TimeMs now, const std::string& user = "");
  const CronController& cron() const { return cron_; }

  // --- updates (update_controller.h) -------------------------------------------------
  // Starts a rolling update of an existing job to `request.spec`. Refused when another
  // update of the job is active. nullptr when the job already runs the configuration everywhere in
  // scope: nothing to do (Aurora's no-op update); new update settings are still recorded.
  Result<const Update*> start_update(const JobKey& key, UpdateRequest request, TimeMs now);
  // A rolling restart: replaces the given instances (all when nullopt) with the same
  // version, `batch_size` and `watch_secs` overriding the job's update settings when > 0.
  Result<const Update*> start_restart(const JobKey& key,
                                      const std::optional<std::vector<int32_t>>& instances,
                                      int64_t batch_size, int64_t watch_secs, TimeMs now,
                                      const std::string& user = "");
  // Adds `count` instances running the version of instance `from_instance`.
  Result<std::vector<int32_t>> add_instances(const JobKey& key, int32_t from_instance,
                                             int32_t count, TimeMs now);
  using UpdateAction = scheduler::UpdateAction;
  // Acts on the job's active update.
  Result<const Update*> control_update(const JobKey& key, UpdateAction action,
                                       const std::string& message, TimeMs now);
  const Update* find_update(const std::string& id) const;
  const std::unordered_map<std::string, std::unique_ptr<Update>>& updates() const {
    return model_.updates();
  }

  // --- agents ----------------------------------------------------------------------
  // Agent calls and ticks take the monotonic time too (`mono`, common/mono_clock.h):
  // liveness is measured on it, so a step of the wall clock loses no agent.
  // Returns the agent id (new, or the one given).
  Result<std::string> register_agent(AgentRegistration reg, TimeMs now, MonoMs mono);
  // A poll: heartbeat, acknowledgement of commands, optional reconciliation.
  // NOT_FOUND when the agent must register (again).
  Status agent_poll(const std::string& agent_id, uint64_t acked_command_seq,
                    const std::optional<std::vector<ReportedTask>>& tasks, TimeMs now, MonoMs mono);
  // Commands past the agent's ack whose batch is durable.
  std::vector<const AgentCommand*> deliverable_commands(const std::string& agent_id) const {
    return model_.deliverable_commands(agent_id);
  }
  // Applies status updates; returns the ids of tasks the agent should not be running.
  Result<std::vector<std::string>> apply_updates(const std::string& agent_id,
                                                 const std::vector<StatusUpdate>& updates,
                                                 TimeMs now, MonoMs mono);

  // Timeouts (agents, throttles), placement of pending tasks, pruning.
  void tick(TimeMs now, MonoMs mono);
  // How many times a tick found the core itself had stalled and gave every agent a fresh
  // timeout (agent_protocol.h).
  uint64_t liveness_stalls() const { return agent_protocol_.stalls(); }

  // --- effects ---------------------------------------------------------------------
  // The generation the current (not yet taken) batch will carry.
  uint64_t pending_generation() const { return model_.pending_generation(); }
  // Takes everything changed since the last call as one batch (possibly empty).
  StoreBatch take_batch() {
    StoreBatch batch = model_.take_batch();
    cron_.take_rows(batch);
    return batch;
  }
  void mark_durable(uint64_t generation) { model_.mark_durable(generation); }
  uint64_t durable_generation() const { return model_.durable_generation(); }
  // Agents that got new commands since the last call.
  std::vector<std::string> take_woken_agents() { return model_.take_woken_agents(); }
  // How long each task placed since the last call waited PENDING, in ms (task_lifecycle.h).
  std::vector<TimeMs> take_scheduling_waits() { return lifecycle_.take_scheduling_waits(); }

  // --- reads -------------------------------------------------------------------------
  const Job* find_job(const JobKey& key) const { return model_.job(key); }
  const Task* find_task(const std::string& id) const { return model_.task(id); }
  const std::unordered_map<JobKey, std::unique_ptr<Job>>& jobs() const { return model_.jobs(); }
  const std::vector<Agent>& agents() const { return model_.agents(); }
  const Agent* find_agent(const std::string& id) const;
  size_t task_count() const { return model_.task_count(); }
  size_t pending_count() const { return placer_.pending_count(); }
  const CoreOptions& options() const { return options_; }
  // The job versions, with their count of encodings (a test hook).
  const JobVersions& versions() const { return model_.versions(); }

 private:
  // Prunes history past options_.history (history_pruner.h) and forgets old ended jobs.
  // Returns true when it stopped at kMaxPrunedPerPass with more to prune.
  bool prune_jobs(TimeMs now);
  static constexpr size_t kMaxPrunedPerPass = 10'000;
  // What job create and schedule_cron both check: the spec, its cluster, its container.
  Status check_job_spec(const jobspec::JobSpec& spec) const;

  // Declared in construction order: each part refers to the ones above it.
  CoreOptions options_;
  UuidGenerator uuids_;
  ClusterModel model_;
  Placer placer_;
  TaskLifecycle lifecycle_;
  UpdateController update_controller_;
  AgentProtocol agent_protocol_;
  CronController cron_;
  TimeMs next_prune_ms_ = 0;
};

}  // namespace borealis::scheduler
