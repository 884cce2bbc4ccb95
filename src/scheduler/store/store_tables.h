// The store's tables in one order, shared by every Store implementation and the backup
// format: their names, and a batch's or a state's rows per table.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "scheduler/core/store_batch.h"

namespace borealis::scheduler {

inline constexpr int kStoreTableCount = 6;
// A table added later (cron_jobs) is created in an older store: no new schema version.
inline constexpr const char* kStoreTables[kStoreTableCount] = {"configs", "jobs",    "tasks",
                                                               "agents",  "updates", "cron_jobs"};

inline std::array<const std::vector<Row>*, kStoreTableCount> puts_by_table(const StoreBatch& b) {
  return {&b.configs, &b.jobs, &b.tasks, &b.agents, &b.updates, &b.cron_jobs};
}

// Agents are never deleted: nullptr.
inline std::array<const std::vector<std::string>*, kStoreTableCount> deletes_by_table(
    const StoreBatch& b) {
  return {&b.deleted_configs, &b.deleted_jobs,     &b.deleted_tasks, nullptr,
          &b.deleted_updates, &b.deleted_cron_jobs};
}

inline std::array<std::vector<Row>*, kStoreTableCount> puts_by_table(StoreBatch& b) {
  return {&b.configs, &b.jobs, &b.tasks, &b.agents, &b.updates, &b.cron_jobs};
}

inline std::array<std::vector<std::string>*, kStoreTableCount> deletes_by_table(StoreBatch& b) {
  return {&b.deleted_configs, &b.deleted_jobs,     &b.deleted_tasks, nullptr,
          &b.deleted_updates, &b.deleted_cron_jobs};
}

inline std::array<std::vector<Row>*, kStoreTableCount> rows_by_table(StoredState& s) {
  return {&s.configs, &s.jobs, &s.tasks, &s.agents, &s.updates, &s.cron_jobs};
}

inline std::array<const std::vector<Row>*, kStoreTableCount> rows_by_table(const StoredState& s) {
  return {&s.configs, &s.jobs, &s.tasks, &s.agents, &s.updates, &s.cron_jobs};
}

}  // namespace borealis::scheduler
