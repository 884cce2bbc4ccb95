// The deploy history `borealis job history` shows: the create and each update of a job,
// newest first, with the version each rolled out and its githash. Pure functions, so the
// text and JSON are testable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"

namespace borealis::cli {

// The JobSpec metadata `borealis manage` sets on each version it deploys.
inline constexpr const char* kGithashMetadata = "borealis.githash";
inline constexpr const char* kBuildnameMetadata = "borealis.buildname";

struct HistoryEntry {
  std::string kind;       // create, update or restart
  std::string update_id;  // "" for the create
  std::string status;     // CREATED, or the update's status
  TimeMs started_ms = 0;
  TimeMs ended_ms = 0;  // 0 while active (and for the create)
  std::string user;     // who created or started it; "" when the scheduler does not know
  std::string message;
  std::string config_id;   // the version it rolled out ("" when unknown)
  int64_t instances = -1;  // of that version; -1 when unknown
  std::string githash;     // "" when the version has no such metadata
  std::string buildname;
};

struct JobHistory {
  std::string job;                    // cluster/role/env/name
  std::vector<HistoryEntry> entries;  // newest first
  std::string current_config;         // the job's current version
  int64_t current_instances = 0;      // instances not killed now
};

// The value of the metadata entry `key` of a JobSpec (JSON), "" when absent.
std::string spec_metadata(const json::value& spec, const std::string& key);
// A JobSpec's instance count, -1 when absent.
int64_t spec_instances(const json::value& spec);

// "2026-11-26 05:30:00" (UTC).
std::string format_utc(TimeMs ms);
// A table, newest first, then how the job's size now compares with its create.
std::string format_history(const JobHistory& h);
// {"job", "history": [{kind, update_id, status, started_ms, ended_ms, user, message, config_id,
//  instances, githash, buildname}], "current": {config_id, instances}}
json::value history_json(const JobHistory& h);

}  // namespace borealis::cli
