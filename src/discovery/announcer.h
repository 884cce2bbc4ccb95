// Announcer: keeps ZooKeeper's ServerSet members in step with what the agent wants
// announced, as Aurora's announcer joins a ServerSet when its task is healthy and leaves
// it before the task is killed.
//
// The owner states the desired member of each key (a task id) with join() and leave();
// a worker thread reconciles: it creates the member that is wanted and missing, deletes
// the one no longer wanted (or re-creates it when its data changed). Only the latest
// desired state of a key counts, so a flapping task or a slow ZooKeeper costs at most one
// operation per key in flight and the pending work is bounded by the number of keys.
// A failed operation is retried with backoff; ZooKeeper being down never blocks a caller.
//
// After a new session (session_started(), on kConnected with new_session = true) the
// members of the old session are gone: the worker checks each one it made and re-creates
// those that the current session does not own.
//
// Thread-safety: every public method may be called from any thread and never waits for
// ZooKeeper. The MemberStore is used on the worker thread only and must outlive the
// Announcer. Destroying the Announcer stops the worker without deleting members (closing
// the session does that).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "discovery/member_store.h"

namespace borealis::discovery {

struct AnnouncerOptions {
  // Backoff of a key whose last operation failed.
  std::chrono::milliseconds retry_min{200};
  std::chrono::milliseconds retry_max{5000};
};

struct AnnouncerStats {
  size_t members = 0;  // created and not removed
  uint64_t creates = 0;
  uint64_t removes = 0;
  uint64_t failures = 0;
};

class Announcer {
 public:
  explicit Announcer(MemberStore& store, AnnouncerOptions options = {});
  ~Announcer();
  Announcer(const Announcer&) = delete;
  Announcer& operator=(const Announcer&) = delete;

  // `key` should be announced as `member` (replacing what it announced before).
  void join(const std::string& key, Member member);
  // `key` should not be announced. `done` (optional) runs once its member is gone, or the
  // first attempt to delete it failed (the worker keeps trying): on the worker thread, or
  // at once on the calling thread when there is nothing to delete.
  void leave(const std::string& key, std::function<void()> done = {});
  // A new ZooKeeper session connected: re-create the members the old one took along.
  void session_started();

  AnnouncerStats stats() const;
  // Test hook: waits until every desired state is reached (nothing pending or retrying);
  // false when `timeout` passes first.
  bool wait_idle(std::chrono::milliseconds timeout) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Announced {
    Member member;
    std::string path;
  };
  struct Entry {
    std::optional<Member> want;
    std::optional<Announced> have;
    // A create of this member lost its answer: the node may exist, and is looked for (and
    // adopted or removed) before anything else is created.
    std::optional<Member> uncertain;
    std::vector<std::function<void()>> on_gone;
    Clock::time_point not_before{};
    std::chrono::milliseconds backoff{0};
  };

  static bool needs_work(const Entry& e);
  void run();
  bool busy_locked() const;
  // The key to work on next, or nullopt with `wake` set to when one is due.
  std::optional<std::string> next_due_locked(Clock::time_point now, Clock::time_point* wake);
  void reconcile(std::unique_lock<std::mutex>& lock, const std::string& key);
  // Removes the current session's nodes holding `member` under its dir except `keep`;
  // with `adopt`, keeps the first one found as the member and returns its path.
  Status sweep_orphans(const Member& member, const std::string& keep, bool adopt,
                       std::string* adopted);
  void verify_members(std::unique_lock<std::mutex>& lock);
  void failed_locked(Entry& e, const std::string& what, const Status& st);
  // Runs the key's leave() callbacks, without the lock.
  void settle_locked(std::unique_lock<std::mutex>& lock, const std::string& key);

  MemberStore& store_;
  AnnouncerOptions options_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, Entry> entries_;
  bool resync_ = false;
  std::string in_flight_;  // the key whose operation the worker is running
  bool stop_ = false;
  AnnouncerStats stats_;
  std::thread worker_;
};

}  // namespace borealis::discovery
