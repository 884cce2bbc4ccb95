// SimCluster: the scheduler core with a fake clock, an in-memory store and simulated
// agents that obey commands. Unit tests drive scenarios through it without sleeping; the
// placement benchmark uses the same harness at scale.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/mono_clock.h"
#include "scheduler/core/core.h"

namespace borealis::scheduler {

// Applies batches the way a real store does (deletes, then puts) into maps.
class MemoryStore {
 public:
  void apply(const StoreBatch& b);
  StoredState load() const;
  size_t task_rows() const { return tasks_.size(); }

 private:
  std::map<std::string, std::string> configs_, jobs_, tasks_, agents_, updates_, cron_jobs_;
};

class SimCluster {
 public:
  explicit SimCluster(CoreOptions options = {}, uint64_t seed = 1);

  Core& core() { return *core_; }
  // The wall clock; advance() moves it and the monotonic one together, a test may step
  // either alone (a wall-clock step; a stall of the scheduler).
  FakeClock& clock() { return clock_; }
  FakeMonoClock& mono_clock() { return mono_; }
  MemoryStore& store() { return store_; }

  // Registers a simulated agent; returns its id.
  std::string add_agent(const std::string& hostname, double cpu, int64_t ram, int64_t disk,
                        uint16_t port_lo = 31000, uint16_t port_hi = 31099,
                        std::map<std::string, std::string> attributes = {});
  // One round: persist the batch, let live agents poll, obey commands, report back.
  void step();
  // Advances the clock in increments of `tick_ms`, ticking and stepping each time.
  void advance(TimeMs ms, TimeMs tick_ms = 100);

  // The agent running `task_id` reports it ended in `state`.
  void end_task(const std::string& task_id, TaskState state, const std::string& message = "");
  // The agent stops talking (it is paused or its host died); its tasks keep "running".
  void silence_agent(const std::string& hostname);
  // A silenced agent talks again: it re-registers with the tasks it still runs, and
  // those that ended meanwhile (end_while_silent), whose updates it sends after.
  void revive_agent(const std::string& hostname);
  // The silenced agent running `task_id` ends it in `state` (e.g. it stopped its tasks
  // because it could not reach the scheduler); the scheduler hears of it on revival.
  void end_while_silent(const std::string& task_id, TaskState state, const std::string& message);
  // Launched tasks stay STARTING instead of RUNNING (for an agent that is slow to start).
  void set_auto_run(bool on) { auto_run_ = on; }
  // Launched tasks for which `fails` says true end at once in `state` instead of running
  // (a bad version: it crashes, or never passes its health check; LOST: the agent lost it).
  void set_failing(std::function<bool(const Task&)> fails, TaskState state = TaskState::kFailed) {
    fails_ = std::move(fails);
    fail_state_ = state;
  }
  // Each non-empty batch the core hands out is also given to `mirror` (a benchmark
  // mirrors them into a real store) before it is marked durable.
  void mirror_batches(std::function<void(const StoreBatch&)> mirror) {
    mirror_ = std::move(mirror);
  }
  // Crash and restart of the scheduler: a new Core restored from the store.
  Status restart_scheduler();

  // Helpers for tests.
  // Short timeouts: agents lost after 10 s, flapping below 60 s, waits of 1 s to 8 s.
  static CoreOptions fast_options();
  static jobspec::JobSpec job(const std::string& name, int64_t instances, double cpu = 1.0,
                              int64_t ram = 64 << 20, bool service = true);
  std::vector<const Task*> active_tasks(const std::string& name) const;
  std::set<std::string> running_on(const std::string& hostname) const;
  int launches() const { return launches_; }

 private:
  struct SimAgent {
    AgentRegistration registration;
    std::string id;
    bool alive = true;
    bool needs_register = false;
    uint64_t acked = 0;
    std::set<std::string> running;
    std::vector<StatusUpdate> unsent;  // ended while silent
  };
  void flush();
  SimAgent* agent_running(const std::string& task_id);
  void register_agent(SimAgent& a);

  CoreOptions options_;
  uint64_t seed_;
  FakeClock clock_;
  FakeMonoClock mono_;
  MemoryStore store_;
  std::unique_ptr<Core> core_;
  std::map<std::string, SimAgent> agents_;  // by hostname
  bool auto_run_ = true;
  std::function<bool(const Task&)> fails_;
  TaskState fail_state_ = TaskState::kFailed;
  std::function<void(const StoreBatch&)> mirror_;
  int launches_ = 0;
};

}  // namespace borealis::scheduler
