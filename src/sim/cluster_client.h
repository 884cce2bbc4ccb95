// The simulator's blocking view of the scheduler through its public API (docs/api.md,
// src/api codecs): health, the cluster's name, job creation, and the state counts of the
// simulator's jobs. Given several schedulers it talks to their leader, the one whose
// GET /leaderhealth answers 200, and finds it again after a connection error (GETs only: a
// lost POST may have been acted on), a 307 (its Location names the leader) or a 503
// NO_LEADER.
//
// Threading: not thread-safe; one per thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/jobs.h"
#include "common/result.h"
#include "net/http_client.h"

namespace borealis::sim {

class ClusterClient {
 public:
  // `urls`: one scheduler, or several of which the leader is asked.
  static Result<std::unique_ptr<ClusterClient>> create(const std::vector<std::string>& urls,
                                                       const std::string& token);

  // Waits until GET /health answers 200 (one scheduler) or a leader is found (several), or
  // `timeout` passes (kUnavailable).
  Status wait_healthy(std::chrono::milliseconds timeout);
  // Asks every scheduler's GET /leaderhealth, every 10 ms until one answers 200 or `timeout`
  // passes (kUnavailable naming each one's last answer); talks to that one from then on and
  // returns its index.
  Result<size_t> find_leader(std::chrono::milliseconds timeout);
  // The index of the scheduler it talks to now.
  size_t current() const { return current_; }
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
  ClusterClient() = default;
  // One request to the current scheduler; with several, to the leader wherever it moved.
  Result<net::ClientResponse> call(const std::string& method, const std::string& path,
                                   const std::string& body, std::chrono::milliseconds timeout);
  // After a 307: the scheduler its Location names, when it is one of ours.
  bool follow(const std::string& location);
  Result<std::string> get_ok(const std::string& path);
  std::vector<std::unique_ptr<net::HttpClient>> schedulers_;
  size_t current_ = 0;
};

// The sum of `state_counts` over `jobs`.
std::map<std::string, int64_t> total_state_counts(const api::JobList& jobs);

}  // namespace borealis::sim
