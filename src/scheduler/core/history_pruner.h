// Bounded history: what the scheduler keeps of ended tasks, per job, so that memory and
// the store stay bounded on a cluster that runs jobs every minute for months (as
// Aurora's TaskHistoryPruner). Each instance keeps its newest ended task (its outcome)
// until that is older than the age bound; older tries beyond the per-job count, and any
// ended task past the age bound, are forgotten from memory and (through the batch the
// model records them in) from the store.
//
// Threading: core thread only.
#pragma once

#include <cstddef>

#include "common/clock.h"
#include "scheduler/core/cluster_model.h"
#include "scheduler/core/core_options.h"

namespace borealis::scheduler {

// Prunes `job`'s ended tasks beyond `bounds`, at most `budget` of them (so one pass never
// holds the core long; the rest go on the next). Returns how many it pruned.
size_t prune_job_history(ClusterModel& model, Job& job, const HistoryBounds& bounds, TimeMs now,
                         size_t budget);

}  // namespace borealis::scheduler
