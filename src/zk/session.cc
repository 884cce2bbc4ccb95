#include "zk/session.h"

#include <cerrno>
#include <cstring>
#include <mutex>

#include "common/log.h"
#include "zk/session_core.h"

namespace borealis::zk {
namespace {

// The C client logs each failed connect attempt as an error, many a second while a
// server is down; the Session reports the states that matter, so its lines are debug.
void quiet_client_log() {
  static std::once_flag once;
  std::call_once(once, [] { zoo_set_debug_level(ZOO_LOG_LEVEL_WARN); });
}

void client_log_line(const char* message) { spdlog::debug("zookeeper client: {}", message); }

char* c_text(const char* text) { return const_cast<char*>(text); }

}  // namespace

const char* session_event_name(SessionEvent event) {
  switch (event) {
    case SessionEvent::kConnected:
      return "connected";
    case SessionEvent::kDisconnected:
      return "disconnected";
    case SessionEvent::kExpired:
      return "expired";
    case SessionEvent::kAuthFailed:
      return "auth failed";
  }
  return "unknown";
}

Session::Core::Core(SessionOptions options, Executor executor,
                    std::function<void(const SessionState&)> on_state)
    : options_(std::move(options)), executor_(std::move(executor)), on_state_(std::move(on_state)) {
  // Creator all + world read: "auth" means every identity the creating session added.
  auth_acl_entries_[0] = ACL{ZOO_PERM_ALL, Id{c_text("auth"), c_text("")}};
  auth_acl_entries_[1] = ACL{ZOO_PERM_READ, Id{c_text("world"), c_text("anyone")}};
  auth_acl_ = ACL_vector{2, auth_acl_entries_};
}

Session::Core::~Core() {
  {
    std::lock_guard lock(state_mutex_);
    stopping_ = true;
  }
  state_cv_.notify_all();
  if (keeper_.joinable()) keeper_.join();
  close_handle(/*report_lost=*/false);
}

const ACL_vector* Session::Core::create_acl() const {
  return options_.credential ? &auth_acl_ : &ZOO_OPEN_ACL_UNSAFE;
}

Status Session::Core::open_first_handle() {
  {
    std::unique_lock lock(handle_mutex_);
    BOREALIS_RETURN_IF_ERROR(open_handle_locked());
  }
  keeper_ = std::thread([this] { keeper_loop(); });
  return Status::ok_status();
}

Status Session::Core::open_handle_locked() {
  quiet_client_log();
  auto context = std::make_unique<HandleContext>();
  context->core = this;
  const std::string hosts = options_.servers.to_string();
  zhandle_t* zh = zookeeper_init2(hosts.c_str(), &Core::on_session_event,
                                  static_cast<int>(options_.session_timeout.count()), nullptr,
                                  context.get(), 0, &client_log_line);
  if (!zh) {
    return unavailable("zookeeper: cannot start a client for '" + hosts +
                       "': " + std::strerror(errno));
  }
  if (options_.credential) {
    // Queued now, sent on every (re)connect of this handle.
    std::string auth = options_.credential->to_auth_string();
    int rc =
        zoo_add_auth(zh, "digest", auth.data(), static_cast<int>(auth.size()), nullptr, nullptr);
    if (rc != ZOK) {
      zookeeper_close(zh);
      return unavailable(std::string("zookeeper: adding the digest credential for user '") +
                         options_.credential->user + "': " + zerror(rc));
    }
  }
  zh_ = zh;
  handle_context_ = std::move(context);
  return Status::ok_status();
}

void Session::Core::close_handle(bool report_lost) {
  {
    std::unique_lock lock(handle_mutex_);
    // zookeeper_close joins the handle's threads, so no callback of it runs afterwards.
    if (handle_context_) handle_context_->closing = true;
    if (zh_) zookeeper_close(zh_);
    zh_ = nullptr;
    handle_context_.reset();
  }
  std::set<PathWatch*> lost;
  {
    std::lock_guard lock(watch_mutex_);
    lost.swap(watches_);
  }
  for (PathWatch* watch : lost) {
    if (report_lost) {
      executor_([cb = std::move(watch->on_change)] {
        cb(WatchEvent{WatchEvent::Kind::kSessionLost, ""});
      });
    }
    delete watch;
  }
}

void Session::Core::keeper_loop() {
  std::unique_lock lock(state_mutex_);
  while (true) {
    state_cv_.wait(lock, [&] { return stopping_ || expired_pending_; });
    if (stopping_) return;
    expired_pending_ = false;
    lock.unlock();
    close_handle(/*report_lost=*/true);
    spdlog::info("zookeeper session to {} expired: starting a new session",
                 options_.servers.hosts());
    while (true) {
      Status opened;
      {
        std::unique_lock handle_lock(handle_mutex_);
        opened = open_handle_locked();
      }
      if (opened.ok()) break;
      spdlog::warn("{} (retrying in 1s)", opened.message());
      std::unique_lock wait_lock(state_mutex_);
      if (state_cv_.wait_for(wait_lock, std::chrono::seconds(1), [&] { return stopping_; })) {
        return;
      }
    }
    lock.lock();
  }
}

void Session::Core::post_state(SessionState state) {
  executor_([cb = on_state_, state] { cb(state); });
}

// Runs on the C client's completion thread: record, wake waiters, hand over; never block.
void Session::Core::on_session_event(zhandle_t* zh, int type, int state, const char*, void* ctx) {
  if (type != ZOO_SESSION_EVENT) return;
  auto* handle = static_cast<HandleContext*>(ctx);
  if (handle->closing) return;
  Core* core = handle->core;
  SessionState report;
  bool report_it = true;
  {
    std::lock_guard lock(core->state_mutex_);
    if (state == ZOO_CONNECTED_STATE) {
      report.event = SessionEvent::kConnected;
      report.new_session = !handle->connected_before;
      handle->connected_before = true;
      core->connected_ = true;
      core->session_id_ = zoo_client_id(zh)->client_id;
    } else if (state == ZOO_EXPIRED_SESSION_STATE) {
      report.event = SessionEvent::kExpired;
      core->connected_ = false;
      core->expired_pending_ = true;
    } else if (state == ZOO_AUTH_FAILED_STATE) {
      report.event = SessionEvent::kAuthFailed;
      core->connected_ = false;
      core->auth_failed_ = true;
    } else {
      // Connecting/associating: reported once, when a live connection is lost.
      report.event = SessionEvent::kDisconnected;
      report_it = core->connected_;
      core->connected_ = false;
    }
    report.session_id = core->session_id_;
  }
  core->state_cv_.notify_all();
  if (report_it) core->post_state(report);
}

Status Session::Core::wait_connected(std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_mutex_);
  state_cv_.wait_for(lock, timeout, [&] { return connected_ || auth_failed_; });
  if (auth_failed_) {
    return permission_denied("zookeeper " + options_.servers.hosts() +
                             " refused the session's credential");
  }
  if (!connected_) {
    return unavailable("zookeeper: no connection to " + options_.servers.hosts() + " within " +
                       std::to_string(timeout.count()) + " ms");
  }
  return Status::ok_status();
}

bool Session::Core::connected() const {
  std::lock_guard lock(state_mutex_);
  return connected_;
}

int64_t Session::Core::session_id() const {
  std::lock_guard lock(state_mutex_);
  return session_id_;
}

std::pair<int64_t, std::string> Session::Core::session_credentials() const {
  std::shared_lock lock(handle_mutex_);
  if (!zh_) return {0, ""};
  const clientid_t* id = zoo_client_id(zh_);
  return {id->client_id, std::string(id->passwd, sizeof(id->passwd))};
}

Session::Core::PathWatch* Session::Core::add_watch(WatchCallback on_change) {
  auto* watch = new PathWatch{this, std::move(on_change)};
  std::lock_guard lock(watch_mutex_);
  watches_.insert(watch);
  return watch;
}

void Session::Core::drop_watch(PathWatch* watch) {
  {
    std::lock_guard lock(watch_mutex_);
    // Gone already when an expiry's close_handle took it.
    if (watches_.erase(watch) == 0) return;
  }
  delete watch;
}

// Runs on the C client's completion thread. Session events reach every path watcher too:
// they are not the change the watch waits for (expiry is handled by close_handle).
void Session::Core::on_path_event(zhandle_t*, int type, int, const char* path, void* ctx) {
  if (type == ZOO_SESSION_EVENT) return;
  auto* watch = static_cast<PathWatch*>(ctx);
  Core* core = watch->core;
  {
    std::lock_guard lock(core->watch_mutex_);
    if (core->watches_.erase(watch) == 0) return;
  }
  WatchEvent event{WatchEvent::Kind::kSessionLost, path ? path : ""};
  if (type == ZOO_CREATED_EVENT) event.kind = WatchEvent::Kind::kCreated;
  if (type == ZOO_DELETED_EVENT) event.kind = WatchEvent::Kind::kDeleted;
  if (type == ZOO_CHANGED_EVENT) event.kind = WatchEvent::Kind::kDataChanged;
  if (type == ZOO_CHILD_EVENT) event.kind = WatchEvent::Kind::kChildrenChanged;
  core->executor_([cb = std::move(watch->on_change), event] { cb(event); });
  delete watch;
}

Result<std::unique_ptr<Session>> Session::start(SessionOptions options, Executor executor,
                                                std::function<void(const SessionState&)> on_state) {
  if (options.servers.servers.empty()) return invalid_argument("zookeeper: no servers given");
  if (options.session_timeout <= std::chrono::milliseconds(0)) {
    return invalid_argument("zookeeper: the session timeout must be positive");
  }
  auto core = std::make_unique<Core>(std::move(options), std::move(executor), std::move(on_state));
  BOREALIS_RETURN_IF_ERROR(core->open_first_handle());
  return std::unique_ptr<Session>(new Session(std::move(core)));
}

Session::Session(std::unique_ptr<Core> core) : core_(std::move(core)) {}
Session::~Session() = default;

Status Session::wait_connected(std::chrono::milliseconds timeout) {
  return core_->wait_connected(timeout);
}
bool Session::connected() const { return core_->connected(); }
int64_t Session::session_id() const { return core_->session_id(); }
std::pair<int64_t, std::string> Session::session_credentials() const {
  return core_->session_credentials();
}

}  // namespace borealis::zk
