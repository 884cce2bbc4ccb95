#include "agent/agent.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <optional>
#include <thread>

#include "agent/agent_announcer.h"
#include "agent/agent_http.h"
#include "agent/agent_metrics.h"
#include "agent/file_util.h"
#include "agent/io_loop.h"
#include "agent/leader_follower.h"
#include "agent/opentsdb_pusher.h"
#include "agent/partition_fence.h"
#include "agent/scheduler_link.h"
#include "agent/task_manager.h"
#include "agent/update_sender.h"
#include "common/log.h"
#include "common/strings.h"
#include "net/http_server.h"

namespace borealis::agent {

namespace asio = boost::asio;

namespace {

// Detects and prepares the cgroups once, at start; says once why when they are off.
ResourceOptions resource_options(const AgentConfig& config) {
  ResourceOptions out;
  std::string why_off;
  out.cgroups =
      setup_cgroups(config.cgroups, cgroup_scope(config.hostname, config.work_dir), &why_off);
  if (out.cgroups.enabled())
    spdlog::info("cgroups: {}", out.cgroups.describe());
  else if (config.cgroups.enabled)
    spdlog::warn(
        "cgroups are off ({}): no limits are enforced, and tasks are tracked by their "
        "process trees",
        why_off);
  out.usage_interval_ms = config.usage_interval_ms;
  out.disk_check_interval_ms = config.disk_check_interval_ms;
  return out;
}

}  // namespace

struct Agent::Impl final : LinkHooks {
  AgentConfig config;
  const Clock& clock;
  int lock_fd = -1;
  std::string address;

  asio::io_context io;
  IoLoop loop{io};
  std::unique_ptr<Registration> registration;
  std::unique_ptr<SchedulerAddress> scheduler;  // outlives the sender and the link
  std::unique_ptr<LeaderFollower> follower;     // with --zk --cluster; feeds `scheduler`
  std::unique_ptr<UpdateSender> sender;
  std::unique_ptr<AgentAnnouncer> announcer;  // with --zk; outlives the manager
  std::unique_ptr<TaskManager> manager;
  std::unique_ptr<PartitionFence> fence;  // with --partition-stop-after
  std::unique_ptr<net::HttpServer> server;
  std::unique_ptr<SchedulerLink> link;
  std::unique_ptr<OpenTsdbPusher> opentsdb;  // with --opentsdb-url

  Impl(AgentConfig c, const Clock& clk) : config(std::move(c)), clock(clk) {}

  ~Impl() override {
    opentsdb.reset();  // it waits on the loop: stop it while the loop runs
    if (link) link->stop();
    if (sender) sender->stop();
    follower.reset();  // its watch wakes the sender: stop it while the sender is there
    if (loop.running()) {
      asio::post(io, [this] {
        if (server) server->stop();
        if (fence) fence->stop();
        if (manager) manager->stop();
      });
      loop.finish();  // runs what stopping posted (closing connections) first
    }
    manager.reset();
    server.reset();
    if (lock_fd >= 0) ::close(lock_fd);
  }

  // Runs `fn` on the loop thread and waits for its result.
  template <typename Fn>
  auto on_loop(Fn fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(io, [&task] { task(); });
    return result.get();
  }

  std::vector<TaskReport> task_reports() override {
    return on_loop([this] { return manager->reports(); });
  }

  void apply(const PollAnswer& answer) override {
    on_loop([this, &answer] { manager->apply(answer); });
  }

  void scheduler_answered() override {
    if (fence) fence->contact();
  }

  Status lock_work_dir() {
    std::string path = config.work_dir + "/agent.lock";
    lock_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd < 0) return io_error("cannot open " + path + ": " + errno_text(errno));
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0)
      return failed_precondition("work dir " + config.work_dir + " is in use by another agent (" +
                                 path + " is locked)");
    return Status();
  }

  // The fixed --scheduler, or the leader watched in ZooKeeper.
  Status follow_scheduler() {
    if (config.scheduler_zk_path.empty() || !config.zk) {
      scheduler = std::make_unique<SchedulerAddress>(config.scheduler_url);
      return Status();
    }
    // Read directly only while the watch has no answer (not connected yet, a failed read).
    scheduler = std::make_unique<SchedulerAddress>(
        [this]() -> Result<std::string> {
          if (!follower) return unavailable("the scheduler leader follower is not started yet");
          return follower->read_now();
        },
        kLeaderLookupInterval);
    BOREALIS_ASSIGN_OR_RETURN(follower, LeaderFollower::start(config, *scheduler));
    return Status();
  }

  Status start() {
    BOREALIS_RETURN_IF_ERROR(make_dirs(config.work_dir));
    BOREALIS_RETURN_IF_ERROR(lock_work_dir());
    std::string agent_id_path = config.work_dir + "/agent_id";
    std::string agent_id;
    if (auto id = read_file(agent_id_path, 4096); id.ok()) {
      agent_id = std::string(trim(*id));
    } else if (id.status().code() != StatusCode::kNotFound) {
      return id.status();
    }

    BOREALIS_ASSIGN_OR_RETURN(auto outbox,
                              Outbox::open(config.work_dir + "/updates", config.outbox));
    std::map<std::string, StatusUpdate> latest = outbox->latest();
    int64_t next_seq = outbox->last_seq() + 1;
    spdlog::info("outbox: {} update(s) to deliver, next seq {}", outbox->pending(SIZE_MAX).size(),
                 next_seq);

    registration = std::make_unique<Registration>(agent_id);
    BOREALIS_RETURN_IF_ERROR(follow_scheduler());
    SenderOptions so{scheduler.get(),           1000,
                     config.backoff_min_ms,     config.backoff_max_ms,
                     config.request_timeout_ms, config.scheduler_token,
                     config.scheduler_tls};
    sender = std::make_unique<UpdateSender>(
        std::move(outbox), so, *registration, [this](std::vector<std::string> ids) {
          asio::post(io, [this, ids = std::move(ids)] {
            for (const auto& id : ids)
              if (manager) manager->kill(id, "the scheduler does not want this task running");
          });
        });

    TaskManagerOptions mo;
    mo.work_dir = config.work_dir;
    mo.runner_path = config.runner_path;
    mo.hostname = config.hostname;
    mo.default_logger = config.default_logger;
    mo.users = {config.task_users, config.run_tasks_as_agent_user,
                config.roles_without_user_run_as_nobody};
    mo.sandbox_retention_ms = config.sandbox_retention_ms;
    mo.gc_interval_ms = config.gc_interval_ms;
    mo.rescan_interval_ms = config.rescan_interval_ms;
    mo.monitor = config.monitor;
    mo.resources = resource_options(config);
    mo.artifacts = config.artifacts;
    if (config.zk) {
      BOREALIS_ASSIGN_OR_RETURN(announcer, AgentAnnouncer::start(config, io));
      mo.announcer = &announcer->announcer();
    }
    mo.serversets = config.serversets;
    manager = std::make_unique<TaskManager>(io, mo, clock, *sender, next_seq);

    net::HttpServerOptions ho;
    ho.bind_address = config.http_bind;
    ho.port = config.http_port;
    ho.max_connections = config.max_connections;
    ho.tls = config.tls;
    server = std::make_unique<net::HttpServer>(io, ho);
    HttpApiOptions api;
    api.offer = {config.resources, config.ports};
    add_agent_routes(*server, *manager, auth::HttpGuard(config.auth.get()), api);
    BOREALIS_RETURN_IF_ERROR(server->start());
    bool any = config.http_bind == "0.0.0.0" || config.http_bind == "::";
    address = (any ? config.hostname : config.http_bind) + ":" + std::to_string(server->port());

    // Nothing runs on the loop yet, so this thread may set the manager up.
    BOREALIS_RETURN_IF_ERROR(manager->start(latest));
    if (config.partition_stop_after_ms > 0) {
      fence = std::make_unique<PartitionFence>(
          io, config.partition_stop_after_ms, SystemMonoClock::instance(),
          [this](const std::string& reason) {
            std::vector<std::string> ids;  // kill() may change the map
            for (const auto& [id, _] : manager->tasks()) ids.push_back(id);
            for (const auto& id : ids) manager->kill(id, reason);
          });
      fence->start();
    }
    loop.start();
    sender->start();

    LinkOptions lo;
    lo.scheduler = scheduler.get();
    lo.token = config.scheduler_token;
    lo.scheduler_tls = config.scheduler_tls;
    lo.agent_id_path = agent_id_path;
    lo.self.hostname = config.hostname;
    lo.self.address = address;
    lo.self.resources = config.resources;
    lo.self.ports = {config.ports};
    lo.self.attributes = config.attributes;
    lo.backoff_min_ms = config.backoff_min_ms;
    lo.backoff_max_ms = config.backoff_max_ms;
    // Task lists carry each task's usage: send them at least every usage interval.
    lo.reconcile_interval_ms =
        std::min<int64_t>(config.reconcile_interval_ms, config.usage_interval_ms);
    lo.request_timeout_ms = config.request_timeout_ms;
    link = std::make_unique<SchedulerLink>(lo, *registration, *this);
    link->start();
    if (!config.opentsdb.url.empty()) {
      // The loop only collects the points; the pusher's thread sends them.
      BOREALIS_ASSIGN_OR_RETURN(opentsdb, OpenTsdbPusher::start(config.opentsdb, [this] {
                                  return on_loop([this] {
                                    return task_opentsdb_points(*manager, config.hostname,
                                                                clock.now_ms() / 1000);
                                  });
                                }));
    }
    spdlog::info("agent on {} serving {} (work dir {}, runner {}, {})", config.hostname, address,
                 config.work_dir, config.runner_path,
                 config.auth ? "callers authenticate" : "no authentication");
    return Status();
  }
};

Agent::Agent(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Agent::~Agent() = default;

Result<std::unique_ptr<Agent>> Agent::start(AgentConfig config, const Clock& clock) {
  auto impl = std::make_unique<Impl>(std::move(config), clock);
  BOREALIS_RETURN_IF_ERROR(impl->start());
  return std::unique_ptr<Agent>(new Agent(std::move(impl)));
}

uint16_t Agent::http_port() const { return impl_->server->port(); }
const std::string& Agent::address() const { return impl_->address; }

}  // namespace borealis::agent
