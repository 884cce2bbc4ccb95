// What the core asks the store to make durable, and what the store gives back at start.
// Rows are opaque JSON text to the store; the core owns their format (rows.h, job_version.h).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace borealis::scheduler {

using Row = std::pair<std::string, std::string>;  // key, JSON

struct StoreBatch {
  uint64_t generation = 0;   // increases by one per batch; durable in order
  std::vector<Row> configs;  // new job versions (immutable once written)
  std::vector<Row> jobs;
  std::vector<std::string> deleted_jobs;
  std::vector<Row> tasks;
  std::vector<std::string> deleted_tasks;
  std::vector<Row> agents;
  std::vector<std::string> deleted_configs;
  std::vector<Row> updates;
  std::vector<std::string> deleted_updates;
  std::vector<Row> cron_jobs;  // scheduled cron jobs (cron_controller.h)
  std::vector<std::string> deleted_cron_jobs;

  bool empty() const { return size() == 0; }
  size_t size() const {
    return configs.size() + jobs.size() + deleted_jobs.size() + tasks.size() +
           deleted_tasks.size() + agents.size() + deleted_configs.size() + updates.size() +
           deleted_updates.size() + cron_jobs.size() + deleted_cron_jobs.size();
  }
};

struct StoredState {
  std::vector<Row> configs;
  std::vector<Row> jobs;
  std::vector<Row> tasks;
  std::vector<Row> agents;
  std::vector<Row> updates;
  std::vector<Row> cron_jobs;
};

}  // namespace borealis::scheduler
