#include "common/fault_plan.h"

namespace borealis {

void FaultPlan::arm(Fault fault) {
  std::lock_guard lock(mu_);
  armed_.push_back({std::move(fault), 0});
}

void FaultPlan::clear() {
  std::lock_guard lock(mu_);
  armed_.clear();
}

int FaultPlan::injected() const {
  std::lock_guard lock(mu_);
  return injected_;
}

std::optional<Fault> FaultPlan::take(FaultOp op, std::string_view path) {
  std::lock_guard lock(mu_);
  std::optional<Fault> hit;
  for (auto it = armed_.begin(); it != armed_.end();) {
    const Fault& f = it->fault;
    bool matches = f.op == op && path.find(f.path_contains) != std::string_view::npos;
    if (matches && ++it->seen >= f.nth && !hit) {
      hit = f;
      ++injected_;
      if (!f.every) {
        it = armed_.erase(it);
        continue;
      }
    }
    ++it;
  }
  return hit;
}

}  // namespace borealis
