// What the scheduler measures (docs/metrics.md): the live instruments (HTTP requests, how
// long tasks wait to be placed, store writes) and the figures computed from the core's
// state at scrape time (tasks by job and state, agents and their resources).
//
// Thread-safety: the instruments from any thread; core_families on the core thread.
#pragma once

#include <vector>

#include "metrics/http_metrics.h"
#include "metrics/registry.h"
#include "scheduler/core/core.h"
#include "scheduler/store/store.h"

namespace borealis::scheduler {

class SchedulerMetrics {
 public:
  SchedulerMetrics();
  SchedulerMetrics(const SchedulerMetrics&) = delete;
  SchedulerMetrics& operator=(const SchedulerMetrics&) = delete;

  const metrics::HttpMetrics& http() const { return http_; }
  // Tasks placed: how long each waited PENDING (Core::take_scheduling_waits), in ms.
  void placed(const std::vector<TimeMs>& waits_ms);
  metrics::Histogram& store_write() { return store_write_; }
  // Every live instrument.
  std::vector<metrics::Family> collect() const { return registry_.collect(); }

 private:
  metrics::Registry registry_;
  metrics::HttpMetrics http_;
  metrics::Histogram& scheduling_;
  metrics::Histogram& store_write_;
};

// The figures of the core's state now: tasks by role, environment, job and state (every
// task the scheduler holds: each instance's active task and its retained ended ones),
// agents by status and their resources. O(tasks + agents).
std::vector<metrics::Family> core_families(const Core& core);

// A Store that times each apply() into `seconds` (borealis_store_write_duration_seconds).
class TimedStore final : public Store {
 public:
  TimedStore(Store& inner, metrics::Histogram& seconds) : inner_(inner), seconds_(seconds) {}
  Result<StoredState> load() override { return inner_.load(); }
  Status apply(const std::vector<const StoreBatch*>& batches) override;
  std::string describe() const override { return inner_.describe(); }
  Result<uint64_t> claim_epoch() override { return inner_.claim_epoch(); }
  Status replace_all(const StoredState& state) override { return inner_.replace_all(state); }

 private:
  Store& inner_;
  metrics::Histogram& seconds_;
};

}  // namespace borealis::scheduler
