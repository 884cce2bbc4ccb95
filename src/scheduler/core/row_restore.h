// Row decoding: rebuilds the model from the store's rows (the inverse of rows.h). Each
// function links what it restores to what it refers to, so versions come back first,
// then agents, jobs, updates and tasks.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/result.h"
#include "scheduler/core/cluster_model.h"

namespace borealis::scheduler {

// Back as a known agent that must register again, and times out if it never does.
Status restore_agent(const std::string& row, TimeMs now, ClusterModel& model);
Status restore_job(const std::string& row, ClusterModel& model);
// Appends the update to its job's list; the caller sorts the lists once all are back.
Status restore_update(const std::string& row, ClusterModel& model);
struct TaskRowFields;

// Restores task rows one after another. Each task is linked into its instance: as the
// active task, or into its history (unsorted); resources, queues and placement counts
// are the caller's. Rows in task_row's own shape are scanned without a JSON parse
// (task_row_fields.h); it remembers the last job and version it looked up, since rows
// come sorted by id, which starts with the job key.
class TaskRestorer {
 public:
  TaskRestorer(ClusterModel& model, TimeMs now) : model_(model), now_(now) {}
  Result<Task*> restore(const std::string& row);

 private:
  Result<Task*> build(const TaskRowFields& f);

  ClusterModel& model_;
  TimeMs now_;
  std::string last_job_key_;
  Job* last_job_ = nullptr;
  std::string last_config_id_;
  ConfigPtr last_config_;
  std::unordered_map<std::string_view, int32_t> agents_;  // by id, views into the model
};

}  // namespace borealis::scheduler
