// TaskLifecycle: a task's way through Aurora's states. It creates tasks, queues them for
// placement, applies transitions (checking each is legal), gives back what an ended
// task held, reschedules a service or a failed task (after a flapping penalty when it
// ended quickly), keeps each instance's bounded history, and kills.
//
// Failure accounting: FAILED, and KILLED of a batch job that is rescheduled, count
// toward max_task_failures. LOST counts only when the agent itself reported it
// (it could not launch or keep the task); a task lost with its agent (agent silent,
// replaced, or it no longer knows the task) is not the task's fault and does not count,
// as in Aurora; nor does KILLED or LOST reported for a task that was PARTITIONED (its
// agent stopped it, or lost it, while cut off). Every ending, LOST included, is throttled the same
// way: a task that ended within flapping_threshold_ms of running (or never ran) waits a penalty
// that doubles each time, up to max_flapping_delay_ms, so nothing relaunches without end.
//
// Threading: core thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "scheduler/core/cluster_model.h"
#include "scheduler/core/core_options.h"
#include "scheduler/core/placer.h"

namespace borealis::scheduler {

class TaskLifecycle {
 public:
  TaskLifecycle(ClusterModel& model, Placer& placer, const CoreOptions& options,
                UuidGenerator& uuids);

  // A new PENDING task that becomes the active task of the job's instance.
  Task* start_task(Job* job, int32_t instance, TimeMs now);
  // Kills on purpose (never rescheduled): ends a task not yet on an agent at once, and
  // asks the agent to kill one that is.
  void kill_task(Task* t, const std::string& message, TimeMs now);
  void transition(Task* t, TaskState to, TimeMs now, std::string message);

  // Places what fits; placed tasks become ASSIGNED and their launch is queued.
  void place_pending(TimeMs now);
  // THROTTLED tasks whose penalty is over become PENDING.
  void end_throttles(TimeMs now);
  // How long each task placed since the last call waited PENDING (its last PENDING event
  // to ASSIGNED), in milliseconds of the core's clock. At most kMaxSchedulingWaits are
  // kept between calls (a core nobody asks, as in the simulator, does not grow).
  std::vector<TimeMs> take_scheduling_waits() { return std::exchange(scheduling_waits_, {}); }
  static constexpr size_t kMaxSchedulingWaits = 100'000;

  // Restore: queues a task read back in a waiting state (PENDING in the given order).
  void restore_waiting(Task* t);

  // --- partitions (task_partitions.cc, docs/partitions.md) ---------------------------
  // Its agent went silent (`why`): the task becomes PARTITIONED, then as its job's
  // partition_policy says: LOST and replaced at once (delay_secs 0, the default), LOST
  // after delay_secs, or (reschedule false) it waits for its agent to come back.
  void partition(Task* t, const std::string& why, TimeMs now);
  // PARTITIONED tasks whose delay is over become LOST, and are replaced.
  void end_partitions(TimeMs now);
  // Restore: re-arms the delay of a task read back PARTITIONED.
  void restore_partitioned(Task* t);

 private:
  Task* new_task(Job* job, int32_t instance, int32_t failure_count, TimeMs now);
  void enqueue_pending(Task* t, TimeMs now);
  void on_terminal(Task* t, TimeMs now);
  void reschedule(Task* ended, TimeMs now);
  void retire(Task* t);  // moves an ended task into its instance's history
  void arm_partition(Task* t, TimeMs until);

  ClusterModel& model_;
  Placer& placer_;
  const CoreOptions& options_;
  UuidGenerator& uuids_;
  // THROTTLED tasks by the time they may become PENDING.
  std::multimap<TimeMs, Task*> throttled_;
  // PARTITIONED tasks by the time they become LOST (partition_policy.delay_secs).
  std::multimap<TimeMs, Task*> partitioned_;
  std::vector<TimeMs> scheduling_waits_;
};

}  // namespace borealis::scheduler
