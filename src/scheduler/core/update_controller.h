// UpdateController: rolling updates and restarts, as Aurora's scheduler runs them. It
// plans the instance steps of an update, starts them in batches (holding a kill while
// it would break the job's SLA), watches each new task, counts failures, rolls back,
// and answers pause, resume, abort, rollback and pulse. It starts and kills tasks only
// through the task lifecycle.
//
// Threading: core thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "scheduler/core/cluster_model.h"
#include "scheduler/core/core_options.h"
#include "scheduler/core/task_lifecycle.h"
#include "scheduler/core/update.h"

namespace borealis::scheduler {

class UpdateController {
 public:
  UpdateController(ClusterModel& model, TaskLifecycle& lifecycle, const CoreOptions& options,
                   UuidGenerator& uuids);

  // See Core::start_update, Core::start_restart and Core::control_update.
  Result<const Update*> start_update(const JobKey& key, UpdateRequest request, TimeMs now);
  Result<const Update*> start_restart(const JobKey& key,
                                      const std::optional<std::vector<int32_t>>& instances,
                                      int64_t batch_size, int64_t watch_secs, TimeMs now,
                                      const std::string& user);
  Result<const Update*> control_update(const JobKey& key, UpdateAction action,
                                       const std::string& message, TimeMs now);

  // Moves every active update along (timers: watch_secs, pulses).
  void progress_all(TimeMs now);
  // Moves one update along after its tasks changed.
  void progress(Update* u, TimeMs now);
  // Ends an update in `status` (an end state).
  void finish(Update* u, UpdateStatus status, TimeMs now, const std::string& message);

 private:
  Result<const Update*> launch_update(Job* job, std::unique_ptr<Update> u, TimeMs now);
  void set_update_status(Update* u, UpdateStatus status, TimeMs now, const std::string& message);
  void instance_event(Update* u, int32_t instance, InstanceAction action, TimeMs now,
                      const std::string& message = "");

  // Progress (update_progress.cc)
  void start_steps(Update* u, TimeMs now);
  void start_step(Update* u, UpdateStep& step, TimeMs now);
  bool advance_step(Update* u, UpdateStep& step, TimeMs now);
  void step_failed_try(Update* u, UpdateStep& step, TimeMs now, const std::string& why);
  void begin_rollback(Update* u, TimeMs now, const std::string& why);

  // SLA-aware kills (update_sla.cc)
  // Why killing this step's task now would break the job's SLA; empty when it would not.
  std::string sla_hold_reason(const Update* u, const UpdateStep& step, TimeMs now) const;
  void start_step_within_sla(Update* u, UpdateStep& step, TimeMs now);

  ClusterModel& model_;
  TaskLifecycle& lifecycle_;
  const CoreOptions& options_;
  UuidGenerator& uuids_;
};

}  // namespace borealis::scheduler
