#include "scheduler/server/scheduler_service.h"

#include <boost/asio/post.hpp>

#include "common/log.h"
#include "common/parallel_for.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/fenced_store.h"
#include "scheduler/server/leader_announcement.h"
#include "scheduler/server/reexec.h"
#include "scheduler/store/store.h"

namespace borealis::scheduler {

namespace asio = boost::asio;

SchedulerService::SchedulerService(SchedulerOptions options, SchedulerDeps deps)
    : options_(std::move(options)),
      clock_(deps.clock ? deps.clock : &SystemClock::instance()),
      mono_clock_(deps.mono_clock ? deps.mono_clock : &SystemMonoClock::instance()),
      guard_(deps.auth),
      store_(deps.store),
      leadership_lost_(std::move(deps.leadership_lost)),
      tick_timer_(core_io_) {}

SchedulerService::~SchedulerService() { stop(); }

Status SchedulerService::start() {
  BOREALIS_ASSIGN_OR_RETURN(task_users_, TaskUserCheck::create(options_));
  if (!guard_.enabled() && !options_.auth_file.empty()) {
    auto auth = auth::AuthConfig::load_file(options_.auth_file);
    if (!auth.ok()) return auth.status().with_context("--auth-file");
    owned_auth_ = std::make_unique<auth::AuthConfig>(std::move(auth).value());
    guard_ = auth::HttpGuard(owned_auth_.get());
  }
  BOREALIS_RETURN_IF_ERROR(auth::check_bind_address(options_.bind_address, guard_.enabled(),
                                                    options_.insecure, "--bind-address"));
  BOREALIS_RETURN_IF_ERROR(validate_cron_timezone(options_.cron_timezone));
  BOREALIS_ASSIGN_OR_RETURN(announcement_, leader_announcement(options_));
  // Alone (no --zk) this scheduler leads from the start; a candidate opens the store only
  // once elected, as a standby must not write (nor, with SQLite, hold the file's lock).
  if (!announcement_) BOREALIS_RETURN_IF_ERROR(restore_state());

  net::HttpServerOptions ho;
  ho.bind_address = options_.bind_address;
  ho.port = static_cast<uint16_t>(options_.http_port);
  ho.max_connections = options_.max_connections;
  ho.tls = net::ServerTlsFiles{options_.tls_cert, options_.tls_key, options_.tls_ca};
  BOREALIS_RETURN_IF_ERROR(net::check_tls_flags(ho.tls, {"--tls-cert", "--tls-key", "--tls-ca"}));
  http_ = std::make_unique<net::HttpServer>(http_io_, ho);
  register_routes(*http_, *this);
  BOREALIS_RETURN_IF_ERROR(http_->start());
  std::optional<LeaderElectionOptions> election;
  if (announcement_) {
    set_announced_port(*announcement_, http_->port());
    BOREALIS_ASSIGN_OR_RETURN(election, leader_election_options(options_, *announcement_));
  }

  core_work_ = std::make_unique<decltype(core_work_)::element_type>(core_io_.get_executor());
  http_work_ = std::make_unique<decltype(http_work_)::element_type>(http_io_.get_executor());
  http_thread_ = std::thread([this] { http_io_.run(); });
  if (election) {
    std::lock_guard lock(lead_mu_);  // lead() runs once election_ is set
    LeaderElectionHooks hooks{[this] { lead(); },
                              [this](const std::string& why) { step_down(why); }};
    auto started = LeaderElection::start(std::move(*election), std::move(hooks));
    if (!started.ok()) {
      stop();
      return started.status();
    }
    election_ = std::move(started).value();
  } else {
    start_core();
  }
  spdlog::info("scheduler for cluster {} serving on {}:{} ({}){}", options_.cluster,
               options_.bind_address, http_->port(),
               guard_.enabled() ? "callers authenticate" : "no authentication",
               election_ ? " as a standby until elected" : "");
  return Status();
}

Status SchedulerService::restore_state() {
  if (!store_) {
    auto store = open_store(options_.store,
                            StoreOpenOptions{std::chrono::seconds(options_.store_retry_secs)});
    if (!store.ok()) return store.status();
    owned_store_ = std::move(store).value();
    store_ = owned_store_.get();
  }
  if (announcement_) {
    // Fencing: from here on a paused former leader's writes are refused by the store.
    auto epoch = store_->claim_epoch();
    if (!epoch.ok()) return epoch.status().with_context("claiming the leadership epoch");
    spdlog::info("claimed leadership epoch {} in {}", *epoch, store_->describe());
  }
  const MonoMs load_start = mono_now();
  auto state = store_->load();
  if (!state.ok()) return state.status();
  const MonoMs load_end = mono_now();

  core_ = std::make_unique<Core>(core_options(options_),
                                 std::random_device{}() ^ (uint64_t(now()) << 20));
  TimeMs restored_at = now();
  // Task rows are decoded on every core: nothing else runs until the state is back.
  Status restored =
      core_->restore(*state, restored_at,
                     [](size_t n, const std::function<void(size_t)>& fn) { parallel_for(n, fn); });
  if (!restored.ok()) {
    core_.reset();
    return restored.with_context("restoring state from " + store_->describe());
  }
  const MonoMs restore_end = mono_now();
  const size_t rows = state->tasks.size();
  *state = StoredState{};
  spdlog::info("recovery: read {} task rows in {} ms, restored them in {} ms, freed them in {} ms",
               rows, load_end - load_start, restore_end - load_end, mono_now() - restore_end);
  spdlog::info("restored {} jobs, {} tasks, {} agents, {} cron jobs from {}", core_->jobs().size(),
               core_->task_count(), core_->agents().size(), core_->cron().jobs().size(),
               store_->describe());
  for (const auto& [_, cron] : core_->cron().jobs())
    if (!cron->runs.empty() && cron->runs.front().outcome == CronOutcome::kMissed &&
        cron->runs.front().at_ms == restored_at)
      spdlog::warn("cron job {}: {}", cron->key_string, cron->runs.front().message);

  timed_store_ = std::make_unique<TimedStore>(*store_, metrics_.store_write());
  Store* target = timed_store_.get();
  if (election_) {
    // A write waits at most a session timeout for ZooKeeper to confirm the leadership.
    fenced_store_ =
        std::make_unique<FencedStore>(*timed_store_, election_->lease(),
                                      std::chrono::milliseconds(options_.zk_session_timeout_ms));
    target = fenced_store_.get();
  }
  committer_ = std::make_unique<GroupCommitter>(*target, [this](uint64_t g, const Status& st) {
    asio::post(core_io_, [this, g, st] { on_durable(g, st); });
  });
  // Backups run on the leader only, through the fenced store: a deposed leader restores
  // nothing.
  if (std::string dir = backup_dir(options_); !dir.empty())
    backups_ = std::make_unique<BackupRunner>(
        *target, *committer_,
        BackupRunnerOptions{dir, std::chrono::minutes(options_.backup_interval_minutes),
                            options_.backup_keep},
        *clock_);
  return Status();
}

void SchedulerService::start_core() {
  core_thread_ = std::thread([this] { core_io_.run(); });
  asio::post(core_io_, [this] { tick(); });
  leading_ = true;
}

void SchedulerService::lead() {
  std::lock_guard lock(lead_mu_);
  // The store may still be locked by the former leader (SQLite, until that process is
  // gone), or unreachable for a moment: retry while this scheduler still leads.
  for (;;) {
    if (leaving_) return;
    Status restored = restore_state();
    if (restored.ok()) break;
    if (election_->lease().lost()) return;
    spdlog::warn("elected, but cannot take over the store: {}; retrying in 250 ms",
                 restored.message());
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  // Stopped while restoring (a SIGTERM): leave without leading; the next candidate takes over.
  if (leaving_) return;
  start_core();
  spdlog::info("leading cluster {}", options_.cluster);
  auto announcer = LeaderAnnouncer::start(*announcement_);
  if (!announcer.ok())
    return step_down("cannot announce the leader: " + announcer.status().message());
  announcer_ = std::move(announcer).value();
}

void SchedulerService::step_down(const std::string& why) {
  if (stepped_down_.exchange(true)) return;  // the election's and the core's threads may both
  leading_ = false;                          // callers are sent elsewhere at once
  // The lease is lost: the committer writes nothing more, so nothing more is acknowledged.
  announcer_.reset();
  if (leadership_lost_) return leadership_lost_(why);
  reexec_self("leadership lost (" + why + ")");
}

LeaderView SchedulerService::leadership() const {
  if (leading_) return {LeaderRole::kLeader, ""};
  if (election_)
    if (auto url = election_->leader_url()) return {LeaderRole::kStandby, *url};
  return {LeaderRole::kNoLeader, ""};
}

void SchedulerService::stop() {
  if (stopped_ || !http_thread_.joinable()) return;
  stopped_ = true;
  {
    // An election won just now finishes taking over (or gives up) first.
    leaving_ = true;
    std::lock_guard lock(lead_mu_);
  }
  announcer_.reset();  // readers stop finding this scheduler before it stops answering
  http_->stop();
  // Answer held polls and let the core finish what is queued.
  asio::post(core_io_, [this] {
    tick_timer_.cancel();
    for (auto& [_, p] : parked_) {
      p.timer->cancel();
      p.respond(net::HttpResponse::error(503, "UNAVAILABLE", "scheduler is stopping"));
    }
    parked_.clear();
    if (core_) flush();
  });
  backups_.reset();    // a backup under way finishes first
  committer_.reset();  // drains every submitted batch
  core_work_.reset();
  core_io_.stop();
  if (core_thread_.joinable()) core_thread_.join();
  // Last: the lease stays valid while the committer drains; closing the session then
  // deletes the candidate node, and a standby takes over.
  election_.reset();
  http_work_.reset();
  http_io_.stop();
  http_thread_.join();
}

void SchedulerService::on_core(std::function<void(Core&)> fn) {
  asio::post(core_io_, [this, fn = std::move(fn)] {
    fn(*core_);
    schedule_flush();
  });
}

void SchedulerService::on_http(std::function<void()> fn) { asio::post(http_io_, std::move(fn)); }

void SchedulerService::when_durable(std::function<void(const Status&)> fn) {
  waiters_.emplace(core_->pending_generation(), std::move(fn));
  schedule_flush();
}

void SchedulerService::schedule_flush() {
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  // Posted, so every event already queued joins this batch (group commit).
  asio::post(core_io_, [this] { flush(); });
}

uint64_t SchedulerService::state_version() {
  if (flush_scheduled_) flush();  // changes made so far count; the posted flush finds none
  return state_version_;
}

void SchedulerService::flush() {
  flush_scheduled_ = false;
  metrics_.placed(core_->take_scheduling_waits());
  bool waited = !waiters_.empty() && waiters_.begin()->first <= core_->pending_generation();
  StoreBatch batch = core_->take_batch();
  if (!batch.empty()) ++state_version_;
  if (batch.empty() && submitted_ <= core_->durable_generation()) {
    // Nothing to write and nothing in flight: durable at once, in order.
    on_durable(batch.generation, Status());
    return;
  }
  (void)waited;
  submitted_ = batch.generation;
  if (committer_) committer_->submit(std::move(batch));
}

void SchedulerService::on_durable(uint64_t generation, const Status& status) {
  if (!status.ok()) {
    // State in memory is ahead of the store and cannot be trusted: refuse what waits,
    // then exit so a restart recovers from the last durable state.
    for (auto& [_, fn] : waiters_) fn(status);
    waiters_.clear();
    // With an election, a fresh candidate recovers from the store (if elected again).
    if (election_) return step_down("store write failed: " + status.to_string());
    spdlog::critical("store write failed: {}; exiting to recover from the store",
                     status.to_string());
    spdlog::default_logger()->flush();
    std::_Exit(70);
  }
  core_->mark_durable(generation);
  while (!waiters_.empty() && waiters_.begin()->first <= generation) {
    auto fn = std::move(waiters_.begin()->second);
    waiters_.erase(waiters_.begin());
    fn(status);
  }
  wake_polls();
}

void SchedulerService::tick() {
  uint64_t stalls = core_->liveness_stalls();
  core_->tick(now(), mono_now());
  if (core_->liveness_stalls() != stalls)
    spdlog::warn(
        "the scheduler did not run for more than a third of the agent timeout (process "
        "stopped, VM paused or core thread blocked); every agent gets a fresh {} s to poll",
        options_.agent_timeout_secs);
  schedule_flush();
  tick_timer_.expires_after(std::chrono::milliseconds(options_.tick_ms));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

void SchedulerService::wake_polls() {
  for (auto& id : core_->take_woken_agents()) to_wake_.insert(id);
  for (auto it = to_wake_.begin(); it != to_wake_.end();) {
    auto p = parked_.find(*it);
    if (p == parked_.end()) {
      // Its poll is on the way back. It stays here: if that poll arrives before these
      // commands are durable, it parks, and the next wake answers it (not its timeout).
      ++it;
      continue;
    }
    if (answer_poll(*it, p->second.respond)) {
      p->second.timer->cancel();
      parked_.erase(p);
      it = to_wake_.erase(it);
    } else {
      ++it;  // commands not durable yet
    }
  }
}

void SchedulerService::park_poll(const std::string& agent_id, net::Responder respond) {
  if (auto old = parked_.find(agent_id); old != parked_.end()) {
    // A newer poll from the same agent replaces the held one.
    old->second.timer->cancel();
    old->second.respond(net::HttpResponse::json(200, "{\"commands\":[],\"configs\":{}}"));
    parked_.erase(old);
  }
  if (answer_poll(agent_id, respond)) {
    to_wake_.erase(agent_id);
    return;
  }
  auto timer = std::make_unique<asio::steady_timer>(core_io_);
  timer->expires_after(std::chrono::milliseconds(options_.poll_timeout_ms));
  timer->async_wait([this, agent_id](const boost::system::error_code& ec) {
    if (ec) return;
    auto p = parked_.find(agent_id);
    if (p == parked_.end()) return;
    p->second.respond(net::HttpResponse::json(200, "{\"commands\":[],\"configs\":{}}"));
    parked_.erase(p);
  });
  parked_[agent_id] = ParkedPoll{std::move(respond), std::move(timer)};
}

bool SchedulerService::answer_poll(const std::string& agent_id, net::Responder& respond) {
  auto commands = core_->deliverable_commands(agent_id);
  if (commands.empty()) return false;
  respond(net::HttpResponse::json(200, render_commands(*core_, commands)));
  return true;
}

}  // namespace borealis::scheduler
