// Cluster: a whole Borealis cluster inside a test process, in the spirit of Mesos'
// in-process test cluster: a real SchedulerService on 127.0.0.1 (an ephemeral port), N
// real Agents (each with its own work dir, hostname and port range, running tasks as
// the test's user) and real borealis-runner processes for the tasks. Tests talk to it
// through its HTTP API, as the CLI and the agents do.
//
// Injectable: the store (an InMemoryStore by default, kept across scheduler restarts, or
// SQLite in the cluster's directory) and the wall clock of the scheduler and agents. The scheduler
// and agent options default to short intervals so tests run fast; tests may change them.
//
// Ownership: the Cluster owns its directory (a fresh temp dir, removed at the end), the
// scheduler, the agents and every task process: destroying it stops the agents and the
// scheduler, kills what the tasks left running, and reaps the runners.
//
// Threads: the scheduler and agents run their own threads. Methods are for the test's
// thread; they block on HTTP requests to the scheduler.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "common/json.h"
#include "common/result.h"
#include "scheduler/server/scheduler_options.h"

namespace borealis::agent {
class Agent;
}
namespace borealis::net {
class HttpClient;
}
namespace borealis::scheduler {
class SchedulerService;
class Store;
}  // namespace borealis::scheduler

namespace borealis::testing {

struct AgentSpec {
  std::string hostname;  // default "agent-<n>", n from 1
  agent::HostResources resources{2, int64_t{1} << 30, int64_t{1} << 30};
  int port_count = 20;  // ports handed to tasks, from a range unique to this agent
  std::map<std::string, std::string> attributes;
};

enum class StoreKind {
  kMemory,  // an InMemoryStore owned by the Cluster
  kSqlite,  // sqlite://<cluster dir>/scheduler/state.db
};

// The scheduler options a test cluster starts with: a short agent poll timeout, ticks and
// flapping delays, and no task user check (the agents run tasks as the test's user).
scheduler::SchedulerOptions fast_scheduler_options();

struct ClusterOptions {
  std::string name = "devcluster";
  std::vector<AgentSpec> agents{AgentSpec{}};
  StoreKind store = StoreKind::kMemory;
  // The scheduler's and the agents' wall clock; null = the system clock. Must be
  // thread-safe and outlive the cluster. (Timers still run on the steady clock.)
  const Clock* clock = nullptr;
  // The scheduler's options; cluster, store, address and port are set by the Cluster.
  scheduler::SchedulerOptions scheduler = fast_scheduler_options();
  std::string log_level = "warn";  // of the whole test process (spdlog is global)
  // Called on each agent's config before it starts (shorter timeouts, ...).
  std::function<void(agent::AgentConfig&)> tune_agent;
  // With scheduler.zk: what the scheduler does when it loses its leadership, instead of
  // re-executing the test process (SchedulerDeps::leadership_lost).
  std::function<void(const std::string& why)> scheduler_leadership_lost;
};

class Cluster {
 public:
  // Starts the scheduler, then the agents, and waits until every agent has registered.
  static Result<std::unique_ptr<Cluster>> start(ClusterOptions options = {});
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  const std::string& name() const { return options_.name; }
  // "http://127.0.0.1:PORT"; the port stays the same across scheduler restarts.
  std::string scheduler_url() const;
  // The cluster's directory: agents' work dirs, the SQLite store, clusters.json.
  const std::string& dir() const { return dir_; }
  const std::vector<std::string>& agent_hostnames() const { return hostnames_; }
  // The running scheduler (null while stopped).
  scheduler::SchedulerService* scheduler() { return scheduler_.get(); }

  // Writes a clusters.json naming this cluster (and `extra` entries, each a JSON object)
  // into the cluster's directory; returns its path.
  std::string write_clusters_json(const std::vector<json::object>& extra = {}) const;

  // Stops the scheduler (the agents keep running and retry); tasks keep running.
  void stop_scheduler();
  // Starts a new scheduler on the same store and port; waits for the agents to
  // re-register.
  Status start_scheduler();
  Status restart_scheduler();

  // A request to the scheduler's API: the parsed JSON answer of a 2xx, else an error
  // with the HTTP status and body.
  Result<json::value> api(const std::string& method, const std::string& path,
                          const std::string& body = "");
  Result<json::value> create_job(const json::value& spec);
  // GET /api/v1/jobs/<job>/tasks; `job` is "role/environment/name".
  Result<json::array> tasks(const std::string& job);
  // Waits until `count` of the job's active tasks are RUNNING (and none other is), by
  // polling the API every few ms; the error says what the tasks were at the deadline.
  Status wait_running(const std::string& job, int count,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Waits until `cond` holds for the job's tasks.
  Status wait_tasks(const std::string& job, const std::function<bool(const json::array&)>& cond,
                    const std::string& what,
                    std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Waits until `count` agents are ACTIVE.
  Status wait_agents(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  explicit Cluster(ClusterOptions options);
  Status start_agents();

  ClusterOptions options_;
  std::string dir_;
  std::vector<std::string> hostnames_;
  std::unique_ptr<scheduler::Store> store_;  // kMemory only
  int port_ = 0;
  std::unique_ptr<scheduler::SchedulerService> scheduler_;
  std::vector<std::unique_ptr<agent::Agent>> agents_;
  std::vector<std::string> sandbox_roots_;
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace borealis::testing
