// SchedulerService: the scheduler daemon. Wires the pure Core to the world: the store
// (through a group committer), the HTTP server (API and agent protocol), the clock and
// the timers.
//
// Threads: one core thread owns the Core (every read and write of state happens there);
// one HTTP thread parses and writes; one committer thread writes the store. Handlers post
// work to the core thread with on_core(); replies that report a change wait for
// when_durable(). With --zk the election's thread takes over as leader (lead()) and steps
// down; until it leads, the core thread does not run and routes answer as a standby.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "auth/http_guard.h"
#include "common/clock.h"
#include "common/mono_clock.h"
#include "net/http_server.h"
#include "scheduler/core/core.h"
#include "scheduler/server/agent_proxy.h"
#include "scheduler/server/leader_announcer.h"
#include "scheduler/server/leader_election.h"
#include "scheduler/server/prometheus_targets_cache.h"
#include "scheduler/server/scheduler_metrics.h"
#include "scheduler/server/scheduler_options.h"
#include "scheduler/server/task_usage_board.h"
#include "scheduler/server/task_user_check.h"
#include "scheduler/store/backup_runner.h"
#include "scheduler/store/group_commit.h"

namespace borealis::scheduler {

class Store;
class FencedStore;

// Who leads, as this scheduler sees it (leadership_endpoints.cc answers with it).
enum class LeaderRole { kLeader, kStandby, kNoLeader };
struct LeaderView {
  LeaderRole role = LeaderRole::kNoLeader;
  std::string leader_url;  // kStandby: the leader's base URL
};

// Parts a test may inject (src/testing's Cluster); null means the real one. Both are
// borrowed and must outlive the service.
struct SchedulerDeps {
  Store* store = nullptr;        // null: open options.store
  const Clock* clock = nullptr;  // null: the system clock; must be thread-safe
  // Agent liveness; null: the system's monotonic clock; must be thread-safe.
  const MonoClock* mono_clock = nullptr;
  // null: the file options.auth_file names, if any (`borealis dev` adds its agent's
  // identity to the file's and passes the result here).
  const auth::AuthConfig* auth = nullptr;
  // With --zk, what a leader does once it lost its leadership (after it stopped writing
  // and withdrew its announcement); null: re-execute the process (reexec.h). Tests record.
  std::function<void(const std::string& why)> leadership_lost;
};

class SchedulerService {
 public:
  explicit SchedulerService(SchedulerOptions options, SchedulerDeps deps = {});
  ~SchedulerService();

  // Loads the auth file, opens the store, restores state, starts threads and listens.
  // Without authentication it listens on a loopback address only, unless options.insecure.
  // With --zk it listens as a standby and stands for election; only once elected does it
  // open the store (claiming a leadership epoch), restore, start the core and announce
  // itself. A leader that loses its leadership re-executes itself (reexec.h).
  Status start();
  // Stops serving and joins threads; what was acknowledged is already durable.
  void stop();
  uint16_t port() const { return http_->port(); }
  const SchedulerOptions& options() const { return options_; }

  // --- for endpoints ---
  // Runs fn on the core thread; afterwards, changes it made are flushed to the store.
  void on_core(std::function<void(Core&)> fn);
  // On the core thread: runs fn (on the core thread) once every change made so far is
  // durable, or with the store's error.
  void when_durable(std::function<void(const Status&)> fn);
  TimeMs now() const { return clock_->now_ms(); }
  MonoMs mono_now() const { return mono_clock_->mono_ms(); }
  // Whether `job`'s tasks may run as their user (any thread; set up by start()).
  Status check_task_user(const jobspec::JobSpec& job) const { return task_users_.check(job); }
  // Runs fn on the HTTP thread (where handlers start).
  void on_http(std::function<void()> fn);
  // Who may call which route (route_guard.cc); off without an auth file.
  const auth::HttpGuard& guard() const { return guard_; }
  // This scheduler's ZooKeeper member (--zk), or null without --zk or before it leads.
  const LeaderAnnouncer* leader_announcer() const { return announcer_.get(); }
  // The election (--zk), or null without --zk.
  const LeaderElection* election() const { return election_.get(); }
  // Whether this scheduler leads (always without --zk): its core runs and it writes.
  bool leading() const { return leading_.load(); }
  // Any thread.
  LeaderView leadership() const;

  // Long polls (core thread): answers the agent's poll now if it has deliverable
  // commands, else holds it until it has or until the poll timeout.
  void park_poll(const std::string& agent_id, net::Responder respond);
  // The usage agents report with their task lists (core thread).
  TaskUsageBoard& usage_board() { return usage_board_; }
  // A number that grows whenever the state changes (core thread): it counts the batches
  // with changes handed to the store, and first flushes pending changes, so two equal
  // values mean nothing changed in between.
  uint64_t state_version();
  // GET /api/v1/prometheus/targets's documents by state version (any thread).
  PrometheusTargetsCache& prometheus_targets_cache() { return prometheus_targets_cache_; }
  // The live instruments (any thread; docs/metrics.md).
  SchedulerMetrics& metrics() { return metrics_; }
  // The HTTP server's connection counters (any thread, once started).
  net::HttpServerCounters http_counters() const { return http_->counters(); }
  // Reads of agents' task APIs for callers (task_agent_endpoints.cc; any thread).
  AgentProxy& agent_proxy() { return agent_proxy_; }
  // Store backups; nullptr when off (a PostgreSQL store without --backup-dir).
  BackupRunner* backups() { return backups_.get(); }
  // The store, as its errors name it (no password).
  std::string store_description() const { return store_ ? store_->describe() : options_.store; }

 private:
  // Opens the store unless injected, claims an epoch (with --zk), restores the core.
  Status restore_state();
  void start_core();
  // The election's hooks (its thread).
  void lead();
  void step_down(const std::string& why);
  void schedule_flush();
  void flush();
  void on_durable(uint64_t generation, const Status& status);
  void tick();
  void wake_polls();
  bool answer_poll(const std::string& agent_id, net::Responder& respond);

  SchedulerOptions options_;
  SchedulerMetrics metrics_;
  const Clock* clock_;
  const MonoClock* mono_clock_;
  TaskUserCheck task_users_;
  std::unique_ptr<auth::AuthConfig> owned_auth_;  // when the service loaded the file
  auth::HttpGuard guard_;
  // http_io_ outlives core_io_: handlers core_io_ drops at its end may hold responders,
  // and so connections, of http_io_.
  boost::asio::io_context http_io_;
  boost::asio::io_context core_io_;
  // Declared after http_io_: joined before it goes, its late answers post to a live context.
  AgentProxy agent_proxy_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      core_work_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      http_work_;
  std::unique_ptr<Store> owned_store_;  // when the service opened it
  Store* store_ = nullptr;
  std::unique_ptr<TimedStore> timed_store_;    // store_, timed
  std::unique_ptr<FencedStore> fenced_store_;  // with --zk: timed_store_ behind the lease
  std::unique_ptr<Core> core_;
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<BackupRunner> backups_;  // goes before committer_, whose thread it uses
  std::unique_ptr<net::HttpServer> http_;
  std::unique_ptr<LeaderAnnouncer> announcer_;          // withdrawn before http_ stops
  std::optional<LeaderAnnouncerOptions> announcement_;  // with --zk: announced once elected
  std::unique_ptr<LeaderElection> election_;            // with --zk
  std::atomic<bool> leading_{false};
  std::atomic<bool> leaving_{false};  // stop() began
  std::atomic<bool> stepped_down_{false};
  std::function<void(const std::string&)> leadership_lost_;
  std::mutex lead_mu_;  // held while lead() takes over
  boost::asio::steady_timer tick_timer_;
  std::thread core_thread_;
  std::thread http_thread_;

  // Core-thread state.
  bool flush_scheduled_ = false;
  uint64_t submitted_ = 0;  // highest generation handed to the committer
  uint64_t state_version_ = 0;
  std::multimap<uint64_t, std::function<void(const Status&)>> waiters_;
  struct ParkedPoll {
    net::Responder respond;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  std::unordered_map<std::string, ParkedPoll> parked_;
  std::set<std::string> to_wake_;
  TaskUsageBoard usage_board_;
  PrometheusTargetsCache prometheus_targets_cache_;
  bool stopped_ = false;
};

}  // namespace borealis::scheduler
