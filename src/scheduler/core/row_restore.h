// Row decoding: rebuilds the model from the store's rows (the inverse of rows.h). Each
// function links what it restores to what it refers to, so versions come back first,
// then agents, jobs, updates and tasks.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

// The agents' indexes by id, views into the model's agents (restored before tasks).
using AgentIndexById = std::unordered_map<std::string_view, int32_t>;
AgentIndexById index_agents(const ClusterModel& model);

// Decodes task rows into tasks that are not linked into the model yet. Rows in
// task_row's own shape are scanned without a JSON parse (task_row_fields.h). It only
// reads the model (jobs, versions) and `agents`, and changes nothing there, so that
// decoders on several threads may decode parts of the rows at once, each its own
// decoder. It remembers the last job and version it looked up, since rows come sorted by
// id, which starts with the job key.
class TaskRowDecoder {
 public:
  TaskRowDecoder(const ClusterModel& model, const AgentIndexById& agents, TimeMs now)
      : model_(model), agents_(agents), now_(now) {}
  Result<std::unique_ptr<Task>> decode(const std::string& row);

 private:
  Result<std::unique_ptr<Task>> build(const TaskRowFields& f);

  const ClusterModel& model_;
  const AgentIndexById& agents_;
  TimeMs now_;
  std::string last_job_key_;
  Job* last_job_ = nullptr;
  std::string last_config_id_;
  ConfigPtr last_config_;
};

// Runs fn(0) ... fn(n - 1) and returns once all have returned. They may run at once on
// several threads: the core has none, the server passes one that does
// (common/parallel_for.h). `run_serially` runs them one after another on this thread.
using ParallelFor = std::function<void(size_t n, const std::function<void(size_t)>& fn)>;
void run_serially(size_t n, const std::function<void(size_t)>& fn);

// Decodes every task row, in parts of `part_rows` rows that `parallel` may run at once
// (decoding is most of a restore's work and reads the model only). The tasks come in the
// rows' order; the error is the first bad row's, in that order.
inline constexpr size_t kTaskRowsPerPart = 8192;
Result<std::vector<std::unique_ptr<Task>>> decode_task_rows(const ClusterModel& model,
                                                            const std::vector<Row>& rows,
                                                            TimeMs now, const ParallelFor& parallel,
                                                            size_t part_rows = kTaskRowsPerPart);

// Adds a decoded task to the model and links it into its instance: as the active task,
// or into its history (unsorted). Resources, queues and placement counts are the
// caller's. Core thread only.
Result<Task*> link_restored_task(ClusterModel& model, std::unique_ptr<Task> t);

}  // namespace borealis::scheduler
