// Session::Core: the state behind zk::Session, shared by its lifecycle (session.cc) and
// its operations (session_ops.cc). Private to src/zk.
#pragma once

#include <zookeeper/zookeeper.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "zk/session.h"

namespace borealis::zk {

class Session::Core {
 public:
  Core(SessionOptions options, Executor executor,
       std::function<void(const SessionState&)> on_state);
  // Stops the keeper and closes the handle.
  ~Core();

  Status open_first_handle();
  Status wait_connected(std::chrono::milliseconds timeout);
  bool connected() const;
  int64_t session_id() const;
  std::pair<int64_t, std::string> session_credentials() const;

  // Runs `op(zh)` under the shared handle lock; kUnavailable when there is no handle.
  template <typename Op>
  auto with_handle(std::string_view what, const std::string& path, Op op)
      -> decltype(op(static_cast<zhandle_t*>(nullptr))) {
    std::shared_lock lock(handle_mutex_);
    if (!zh_)
      return unavailable("zookeeper " + std::string(what) + " '" + path + "': no session to " +
                         options_.servers.hosts());
    return op(zh_);
  }

  const SessionOptions& options() const { return options_; }
  const ACL_vector* create_acl() const;

  // A one-shot watch's context: owned by the watch set until it fires or is dropped.
  struct PathWatch {
    Core* core;
    WatchCallback on_change;
  };
  PathWatch* add_watch(WatchCallback on_change);
  // Forgets a watch the server never set (its operation failed).
  void drop_watch(PathWatch* watch);
  static void on_path_event(zhandle_t* zh, int type, int state, const char* path, void* ctx);

 private:
  // Per handle, touched only by that handle's completion thread.
  struct HandleContext {
    Core* core;
    bool connected_before = false;
    // Set before zookeeper_close: the states a closing handle still reports are not news.
    std::atomic<bool> closing{false};
  };
  static void on_session_event(zhandle_t* zh, int type, int state, const char* path, void* ctx);
  void post_state(SessionState state);
  Status open_handle_locked();
  // Closes the handle; pending watches get kSessionLost when `report_lost`.
  void close_handle(bool report_lost);
  void keeper_loop();

  const SessionOptions options_;
  const Executor executor_;
  const std::function<void(const SessionState&)> on_state_;
  ACL_vector auth_acl_;
  ACL auth_acl_entries_[2];

  mutable std::shared_mutex handle_mutex_;
  zhandle_t* zh_ = nullptr;  // guarded by handle_mutex_
  std::unique_ptr<HandleContext> handle_context_;

  mutable std::mutex state_mutex_;
  std::condition_variable state_cv_;
  bool connected_ = false;
  bool auth_failed_ = false;
  bool expired_pending_ = false;
  bool stopping_ = false;
  int64_t session_id_ = 0;

  std::mutex watch_mutex_;
  std::set<PathWatch*> watches_;

  std::thread keeper_;
};

}  // namespace borealis::zk
