// Registration: whether the agent is registered with the scheduler right now, and its
// agent id. The scheduler link registers; the update sender waits for a registration
// before it posts and reports a 404 (the scheduler forgot the agent) through lost().
//
// Thread-safety: every method may be called from any thread. Listeners are called
// without the lock held, on the thread that changed the state.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace borealis::agent {

class Registration {
 public:
  explicit Registration(std::string agent_id) : agent_id_(std::move(agent_id)) {}

  // The scheduler accepted a register and named the agent `agent_id`.
  void registered(const std::string& agent_id);
  // The agent must register again (404, or the scheduler was unreachable).
  void lost();

  bool is_registered() const;
  // The id the scheduler gave ("" before the first registration ever).
  std::string agent_id() const;
  // Called after every change.
  void add_listener(std::function<void()> listener);

 private:
  void notify();

  mutable std::mutex mu_;
  std::string agent_id_;
  bool registered_ = false;
  std::vector<std::function<void()>> listeners_;
};

}  // namespace borealis::agent
