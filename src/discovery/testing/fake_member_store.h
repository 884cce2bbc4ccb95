// FakeStore (test-only): an in-memory ZooKeeper as far as the Announcer sees one, for the
// unit tests of the announcer and of the agent's task announcements.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "discovery/member_store.h"

namespace borealis::discovery::testing {

// Nodes owned by sessions, a session that can expire, a server that can be down, and a
// create that can be held.
class FakeStore final : public MemberStore {
 public:
  Result<std::string> create_member(const Member& m) override {
    std::unique_lock lock(mu_);
    ++create_calls;
    cv_.wait(lock, [this] { return !hold_creates_; });
    if (down_) return unavailable("zookeeper create '" + m.dir + "/member_': connection loss");
    if (refuse_creates_)
      return permission_denied("zookeeper create '" + m.dir + "/member_': not authenticated");
    std::string path = m.dir + "/member_" + std::to_string(next_seq_++);
    nodes_[path] = {m.data, session_};
    if (lose_create_replies_ > 0) {
      --lose_create_replies_;  // made, but the answer never came
      return unavailable("zookeeper create '" + m.dir + "/member_': connection loss");
    }
    return path;
  }
  Status remove_member(const std::string& path) override {
    std::lock_guard lock(mu_);
    if (down_) return unavailable("zookeeper delete '" + path + "': connection loss");
    nodes_.erase(path);
    return Status();
  }
  Result<bool> owns_member(const std::string& path) override {
    std::lock_guard lock(mu_);
    if (down_) return unavailable("zookeeper exists '" + path + "': connection loss");
    auto it = nodes_.find(path);
    return it != nodes_.end() && it->second.second == session_;
  }

  Result<std::vector<std::string>> owned_members(const Member& m) override {
    std::lock_guard lock(mu_);
    if (down_) return unavailable("zookeeper get_children '" + m.dir + "': connection loss");
    std::vector<std::string> out;
    for (const auto& [path, node] : nodes_)
      if (path.starts_with(m.dir + "/member_") && node == std::pair(m.data, session_))
        out.push_back(path);
    return out;
  }

  // Creates fail as ZooKeeper refuses a node the ACL forbids.
  void refuse_creates() {
    std::lock_guard lock(mu_);
    refuse_creates_ = true;
  }
  // The next `n` creates make their node but answer connection loss.
  void lose_create_replies(int n) {
    std::lock_guard lock(mu_);
    lose_create_replies_ = n;
  }
  // The session expires: its nodes go, a new one starts.
  void expire() {
    std::lock_guard lock(mu_);
    std::erase_if(nodes_, [this](const auto& n) { return n.second.second == session_; });
    ++session_;
  }
  void set_down(bool down) {
    std::lock_guard lock(mu_);
    down_ = down;
  }
  void hold_creates(bool hold) {
    {
      std::lock_guard lock(mu_);
      hold_creates_ = hold;
    }
    cv_.notify_all();
  }
  // Path -> data of the nodes that exist.
  std::map<std::string, std::string> nodes() const {
    std::lock_guard lock(mu_);
    std::map<std::string, std::string> out;
    for (const auto& [path, node] : nodes_) out[path] = node.first;
    return out;
  }
  std::atomic<int> create_calls{0};

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::pair<std::string, int>> nodes_;
  int session_ = 1;
  int next_seq_ = 0;
  bool down_ = false;
  bool hold_creates_ = false;
  int lose_create_replies_ = 0;
  bool refuse_creates_ = false;
};

}  // namespace borealis::discovery::testing
