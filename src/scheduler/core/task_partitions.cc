// TaskLifecycle: tasks whose agent went silent, as Aurora's PartitionPolicy decides
// (docs/partitions.md). The scheduler cannot tell a dead host from a cut-off one, so a
// task first becomes PARTITIONED; its job's policy says whether and when it is given up
// for LOST and replaced. When its agent comes back first, AgentProtocol::reconcile
// returns it to the state the agent reports.
#include <string>

#include "scheduler/core/task_lifecycle.h"

namespace borealis::scheduler {

namespace {

jobspec::PartitionPolicy policy_of(const Task& t) {
  return t.config->spec.partition_policy.value_or(jobspec::PartitionPolicy{});
}

std::string describe_policy(const jobspec::PartitionPolicy& p) {
  if (!p.reschedule) return "partition_policy: not replaced (reschedule false)";
  if (p.delay_secs == 0) return "partition_policy: replaced at once";
  return "partition_policy: replaced after " + std::to_string(p.delay_secs) +
         " s unless its agent returns";
}

}  // namespace

void TaskLifecycle::partition(Task* t, const std::string& why, TimeMs now) {
  if (t->state == TaskState::kPartitioned) return;  // already (its agent was lost before)
  jobspec::PartitionPolicy policy = policy_of(*t);
  transition(t, TaskState::kPartitioned, now, why + "; " + describe_policy(policy));
  if (!policy.reschedule) return;
  if (policy.delay_secs == 0) {
    transition(t, TaskState::kLost, now, why);
    return;
  }
  arm_partition(t, now + policy.delay_secs * 1000);
}

void TaskLifecycle::arm_partition(Task* t, TimeMs until) {
  t->partition_until_ms = until;
  partitioned_.emplace(until, t);
}

void TaskLifecycle::end_partitions(TimeMs now) {
  while (!partitioned_.empty() && partitioned_.begin()->first <= now) {
    Task* t = partitioned_.begin()->second;
    // Removes it from partitioned_.
    transition(t, TaskState::kLost, now,
               "partitioned for " + std::to_string(policy_of(*t).delay_secs) +
                   " s (partition_policy.delay_secs); replaced");
  }
}

void TaskLifecycle::restore_partitioned(Task* t) {
  jobspec::PartitionPolicy policy = policy_of(*t);
  if (!policy.reschedule) return;
  // The last event is the one that made it PARTITIONED, with its (wall) time.
  arm_partition(t, t->last_event().ts_ms + policy.delay_secs * 1000);
}

}  // namespace borealis::scheduler
