// AgentProtocol: the scheduler's side of the agent protocol. Agents register (again after
// any restart of either side), poll (a heartbeat that acknowledges commands and may
// carry the tasks the agent runs, for reconciliation) and report status updates. An
// agent silent for longer than agent_timeout_ms is lost: its tasks become PARTITIONED
// and their jobs' partition_policy decides when they are replaced (task_lifecycle.h).
// A lost agent must register again before its updates count; when it does, its
// PARTITIONED tasks return to the state it reports, and it is told to kill its copies
// of tasks that were replaced meanwhile (docs/partitions.md).
//
// Liveness is measured on the monotonic clock (`mono`), so a step of the wall clock
// loses no agent. Time the scheduler itself was not listening is no agent's silence:
// when a check comes more than agent_timeout_ms / 3 after the previous one (the
// process was stopped, its VM paused, its core thread blocked) and at the first check
// after start, every active agent gets a fresh timeout to poll again, rather than all
// being lost at once. A dead agent is then found one timeout later.
//
// Threading: core thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/mono_clock.h"
#include "common/result.h"
#include "scheduler/core/cluster_model.h"
#include "scheduler/core/core_options.h"
#include "scheduler/core/placer.h"
#include "scheduler/core/task_lifecycle.h"
#include "scheduler/core/update_controller.h"

namespace borealis::scheduler {

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

class AgentProtocol {
 public:
  AgentProtocol(ClusterModel& model, Placer& placer, TaskLifecycle& lifecycle,
                UpdateController& updates, const CoreOptions& options, UuidGenerator& uuids);

  // See Core::register_agent, Core::agent_poll and Core::apply_updates.
  Result<std::string> register_agent(AgentRegistration reg, TimeMs now, MonoMs mono);
  Status poll(const std::string& agent_id, uint64_t acked_command_seq,
              const std::optional<std::vector<ReportedTask>>& tasks, TimeMs now, MonoMs mono);
  Result<std::vector<std::string>> apply_updates(const std::string& agent_id,
                                                 const std::vector<StatusUpdate>& updates,
                                                 TimeMs now, MonoMs mono);
  // Loses every agent not heard from within the timeout (after a stall, see above).
  void expire_silent_agents(TimeMs now, MonoMs mono);
  // Stalls found so far (first check after start not counted).
  uint64_t stalls() const { return stalls_; }

 private:
  void reconcile(int32_t agent_index, const std::vector<ReportedTask>& reported, TimeMs now);
  // `gone`: the agent is known to be gone (another took its host), so its tasks are
  // LOST at once; otherwise it is only silent and they are PARTITIONED.
  void agent_lost(int32_t agent_index, const std::string& why, bool gone, TimeMs now);
  // A task the scheduler had given up on (ended) is still running on the agent `ai`
  // that held it: records that its copy is being killed there.
  void note_stale_copy(Task* t, int32_t ai, TimeMs now);
  // An event that records something without a change of state.
  void add_note(Task* t, std::string note, TimeMs now);
  void reset_free_ports(Agent& a);

  ClusterModel& model_;
  Placer& placer_;
  TaskLifecycle& lifecycle_;
  UpdateController& updates_;
  const CoreOptions& options_;
  UuidGenerator& uuids_;
  std::optional<MonoMs> last_check_mono_;  // of the previous expire_silent_agents
  uint64_t stalls_ = 0;
};

}  // namespace borealis::scheduler
