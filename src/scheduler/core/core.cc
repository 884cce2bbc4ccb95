// Core: construction, ticks and the update calls, which the update controller answers.
// Jobs are in core_jobs.cc, agents in core_agents.cc, restore in core_restore.cc.
#include "scheduler/core/core.h"

namespace borealis::scheduler {

Core::Core(CoreOptions options, uint64_t seed)
    : options_(std::move(options)),
      uuids_(seed),
      placer_(model_, options_.placement),
      lifecycle_(model_, placer_, options_, uuids_),
      update_controller_(model_, lifecycle_, options_, uuids_) {}

Core::~Core() = default;

const Agent* Core::find_agent(const std::string& id) const {
  int32_t i = model_.agent_index(id);
  return i < 0 ? nullptr : &model_.agent(i);
}

const Update* Core::find_update(const std::string& id) const { return model_.update(id); }

Result<const Update*> Core::start_update(const JobKey& key, UpdateRequest request, TimeMs now) {
  return update_controller_.start_update(key, std::move(request), now);
}

Result<const Update*> Core::start_restart(const JobKey& key,
                                          const std::optional<std::vector<int32_t>>& instances,
                                          int64_t batch_size, int64_t watch_secs, TimeMs now) {
  return update_controller_.start_restart(key, instances, batch_size, watch_secs, now);
}

Result<const Update*> Core::control_update(const JobKey& key, UpdateAction action,
                                           const std::string& message, TimeMs now) {
  return update_controller_.control_update(key, action, message, now);
}

void Core::tick(TimeMs now) {
  for (size_t i = 0; i < model_.agents().size(); ++i) {
    const Agent& a = model_.agent(static_cast<int32_t>(i));
    if (a.active && now - a.last_seen_ms > options_.agent_timeout_ms) {
      agent_lost(static_cast<int32_t>(i),
                 "agent " + a.hostname + " silent for " +
                     std::to_string((now - a.last_seen_ms) / 1000) + " s",
                 now);
    }
  }
  lifecycle_.end_throttles(now);
  update_controller_.progress_all(now);
  if (placer_.needs_pass()) lifecycle_.place_pending(now);
  if (now >= next_prune_ms_) {
    prune_jobs(now);
    next_prune_ms_ = now + 60'000;
  }
}

}  // namespace borealis::scheduler
