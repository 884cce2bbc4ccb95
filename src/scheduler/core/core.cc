// Core: construction, ticks, and the update and agent calls, which the update controller
// and the agent protocol answer. Jobs are in core_jobs.cc, restore in core_restore.cc.
#include "scheduler/core/core.h"

namespace borealis::scheduler {

Core::Core(CoreOptions options, uint64_t seed)
    : options_(std::move(options)),
      uuids_(seed),
      placer_(model_, options_.placement),
      lifecycle_(model_, placer_, options_, uuids_),
      update_controller_(model_, lifecycle_, options_, uuids_),
      agent_protocol_(model_, placer_, lifecycle_, update_controller_, options_, uuids_),
      cron_(model_, lifecycle_, options_) {}

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
                                          int64_t batch_size, int64_t watch_secs, TimeMs now,
                                          const std::string& user) {
  return update_controller_.start_restart(key, instances, batch_size, watch_secs, now, user);
}

Result<const Update*> Core::control_update(const JobKey& key, UpdateAction action,
                                           const std::string& message, TimeMs now) {
  return update_controller_.control_update(key, action, message, now);
}

Result<std::string> Core::register_agent(AgentRegistration reg, TimeMs now, MonoMs mono) {
  return agent_protocol_.register_agent(std::move(reg), now, mono);
}

Status Core::agent_poll(const std::string& agent_id, uint64_t acked_command_seq,
                        const std::optional<std::vector<ReportedTask>>& tasks, TimeMs now,
                        MonoMs mono) {
  return agent_protocol_.poll(agent_id, acked_command_seq, tasks, now, mono);
}

Result<std::vector<std::string>> Core::apply_updates(const std::string& agent_id,
                                                     const std::vector<StatusUpdate>& updates,
                                                     TimeMs now, MonoMs mono) {
  return agent_protocol_.apply_updates(agent_id, updates, now, mono);
}

void Core::tick(TimeMs now, MonoMs mono) {
  agent_protocol_.expire_silent_agents(now, mono);
  lifecycle_.end_throttles(now);
  lifecycle_.end_partitions(now);
  update_controller_.progress_all(now);
  cron_.tick(now);
  if (placer_.needs_pass()) lifecycle_.place_pending(now);
  if (now >= next_prune_ms_) {
    bool more = prune_jobs(now);
    next_prune_ms_ = now + (more ? 1'000 : 60'000);  // a backlog goes a pass a second
  }
}

}  // namespace borealis::scheduler
