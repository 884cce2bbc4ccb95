#include "router/router.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/env.h"
#include "common/log.h"
#include "router/haproxy_config.h"
#include "router/haproxy_control.h"
#include "router/reload_gate.h"
#include "router/routing_table.h"
#include "router/serverset_watcher.h"

namespace borealis::router {

namespace {

// How often the router looks for what needs retrying: missing ServerSets, a dead HAProxy.
constexpr MonoMs kPollIntervalMs = 1000;

}  // namespace

class Router::Impl {
 public:
  explicit Impl(RouterConfig config)
      : config_(std::move(config)),
        table_(config_.services),
        haproxy_(config_.haproxy),
        gate_(SystemMonoClock::instance(), config_.haproxy.min_reload_interval_ms) {}

  ~Impl() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    watchers_.clear();
    session_.reset();  // its late callbacks only queue tasks that never run
    haproxy_.stop();
  }

  Status start(zk::SessionOptions zk) {
    BOREALIS_RETURN_IF_ERROR(make_dirs(Env::posix(), parent_dir(config_.haproxy.config_path)));
    BOREALIS_RETURN_IF_ERROR(make_dirs(Env::posix(), parent_dir(config_.haproxy.admin_socket())));
    BOREALIS_RETURN_IF_ERROR(write_config());
    BOREALIS_RETURN_IF_ERROR(haproxy_.start());
    auto session = zk::Session::start(
        std::move(zk), [this](std::function<void()> f) { post(std::move(f)); },
        [this](const zk::SessionState& s) { on_session(s); });
    if (!session.ok()) return session.status();
    session_ = std::move(session).value();
    for (const auto& s : config_.services) {
      watchers_.push_back(std::make_unique<ServersetWatcher>(
          *session_, s.serverset, s.endpoint, [this, name = s.name](std::vector<Server> servers) {
            on_servers(name, std::move(servers));
          }));
    }
    // Last: the session's callbacks so far wait in the queue for the loop.
    thread_ = std::thread([this] { loop(); });
    return Status::ok_status();
  }

 private:
  void post(std::function<void()> f) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(f));
    }
    cv_.notify_one();
  }

  void loop() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        MonoMs wait = kPollIntervalMs;
        if (auto reload = gate_.wait_ms()) wait = std::min(wait, *reload);
        cv_.wait_for(lock, std::chrono::milliseconds(wait),
                     [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        if (!queue_.empty()) {
          task = std::move(queue_.front());
          queue_.pop_front();
        }
      }
      if (task) task();
      housekeeping();
    }
  }

  void housekeeping() {
    if (gate_.wait_ms() == MonoMs{0}) reload();
    MonoMs now = SystemMonoClock::instance().mono_ms();
    if (now - last_poll_ < kPollIntervalMs) return;
    last_poll_ = now;
    if (session_->connected())
      for (auto& w : watchers_) w->poll();
    if (config_dirty_) {
      if (Status st = write_config(); !st.ok()) spdlog::error("{}", st.message());
    }
    if (!config_.haproxy.external() && (haproxy_.died() || !haproxy_.running())) {
      spdlog::warn("haproxy is not running: starting it again");
      if (Status st = haproxy_.start(); !st.ok()) spdlog::error("{}", st.message());
    }
  }

  void on_session(const zk::SessionState& s) {
    spdlog::info("ZooKeeper session 0x{:x}: {}{}", s.session_id, zk::session_event_name(s.event),
                 s.new_session ? " (new session: reading and watching every ServerSet again)" : "");
    if (s.event == zk::SessionEvent::kConnected && s.new_session)
      for (auto& w : watchers_) w->restart();
  }

  void on_servers(const std::string& service, std::vector<Server> servers) {
    Change change = table_.update(service, std::move(servers));
    for (const auto& note : change.notes) spdlog::info("{}", note);
    if (!change.commands.empty()) {
      if (Status st = haproxy_.runtime(change.commands); st.ok()) {
        ++runtime_updates_;
        spdlog::info("{}: {} runtime API commands applied without a reload ({} so far)", service,
                     change.commands.size(), runtime_updates_);
      } else {
        spdlog::warn("{}; reloading instead", st.message());
        gate_.request();
      }
    }
    if (change.reload_needed) gate_.request();
    if (Status st = write_config(); !st.ok()) spdlog::error("{}", st.message());
  }

  // Renders the current slots; when that differs from the file, checks the new text with
  // `haproxy -c` and puts it in place atomically.
  Status write_config() {
    std::string text = render_haproxy_config(config_, table_.slots());
    if (text == written_ && !config_dirty_) return Status::ok_status();
    config_dirty_ = true;
    const std::string& path = config_.haproxy.config_path;
    const std::string next = path + ".next";
    BOREALIS_RETURN_IF_ERROR(write_file_atomic(Env::posix(), next, text, true));
    BOREALIS_RETURN_IF_ERROR(haproxy_.check_config(next));
    BOREALIS_RETURN_IF_ERROR(Env::posix().rename(next, path));
    BOREALIS_RETURN_IF_ERROR(Env::posix().sync_dir(parent_dir(path)));
    written_ = std::move(text);
    config_dirty_ = false;
    return Status::ok_status();
  }

  void reload() {
    gate_.reloaded();
    Status st = write_config();
    if (st.ok()) st = haproxy_.reload();
    if (!st.ok()) {
      spdlog::error("cannot reload haproxy: {}; trying again", st.message());
      gate_.request();
      return;
    }
    spdlog::info("haproxy reloaded (reload #{})", haproxy_.reloads());
  }

  RouterConfig config_;
  RoutingTable table_;
  HaproxyControl haproxy_;
  ReloadGate gate_;
  std::string written_;
  bool config_dirty_ = false;
  uint64_t runtime_updates_ = 0;
  MonoMs last_poll_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
  std::unique_ptr<zk::Session> session_;
  std::vector<std::unique_ptr<ServersetWatcher>> watchers_;
};

Router::Router(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Router::~Router() = default;

Result<std::unique_ptr<Router>> Router::start(RouterConfig config, zk::SessionOptions zk) {
  auto impl = std::make_unique<Impl>(std::move(config));
  BOREALIS_RETURN_IF_ERROR(impl->start(std::move(zk)));
  return std::unique_ptr<Router>(new Router(std::move(impl)));
}

}  // namespace borealis::router
