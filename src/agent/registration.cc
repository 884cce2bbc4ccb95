#include "agent/registration.h"

namespace borealis::agent {

void Registration::registered(const std::string& agent_id) {
  {
    std::lock_guard lock(mu_);
    agent_id_ = agent_id;
    registered_ = true;
  }
  notify();
}

void Registration::lost() {
  {
    std::lock_guard lock(mu_);
    if (!registered_) return;
    registered_ = false;
  }
  notify();
}

bool Registration::is_registered() const {
  std::lock_guard lock(mu_);
  return registered_;
}

std::string Registration::agent_id() const {
  std::lock_guard lock(mu_);
  return agent_id_;
}

void Registration::add_listener(std::function<void()> listener) {
  std::lock_guard lock(mu_);
  listeners_.push_back(std::move(listener));
}

void Registration::notify() {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard lock(mu_);
    listeners = listeners_;
  }
  for (const auto& l : listeners) l();
}

}  // namespace borealis::agent
