// The simulator's blocking view of the scheduler through its public API (docs/api.md,
// src/api codecs): health, the cluster's name, job creation, and the state counts of the
// simulator's jobs.
//
// Threading: not thread-safe; one per thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "api/jobs.h"
#include "common/result.h"
#include "net/http_client.h"

namespace borealis::sim {

class ClusterClient {
 public:
  static Result<std::unique_ptr<ClusterClient>> create(const std::string& url,
                                                       const std::string& token);

  // Waits until GET /health answers 200, or `timeout` passes (kUnavailable).
  Status wait_healthy(std::chrono::milliseconds timeout);
  Result<std::string> cluster_name();
  Status create_job(const json::value& spec);
  // GET /api/v1/jobs?role=R&environment=E.
  Result<api::JobList> jobs(const std::string& role, const std::string& environment);
  // GET /api/v1/jobs/R/E/N.
  Result<api::JobSummary> job_status(const std::string& role, const std::string& environment,
                                     const std::string& name);
  // The active tasks of one job.
  Result<api::TaskList> active_tasks(const std::string& role, const std::string& environment,
                                     const std::string& name);

 private:
  explicit ClusterClient(std::unique_ptr<net::HttpClient> http) : http_(std::move(http)) {}
  Result<std::string> get_ok(const std::string& path);
  std::unique_ptr<net::HttpClient> http_;
};

// The sum of `state_counts` over `jobs`.
std::map<std::string, int64_t> total_state_counts(const api::JobList& jobs);

}  // namespace borealis::sim
