#include "agent/task_announcements.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/serverset.h"
#include "common/json.h"
#include "common/log.h"

namespace borealis::agent {

namespace asio = boost::asio;

Result<std::optional<discovery::Member>> task_member(const jobspec::JobSpec& job,
                                                     const TaskFacts& facts,
                                                     const discovery::ServersetPolicy& policy) {
  if (!job.announce) return std::optional<discovery::Member>();
  auto dir =
      discovery::serverset_dir(policy, job.role, job.environment, job.name, job.announce->zk_path);
  if (!dir.ok()) return dir.status();
  const std::string& host = policy.member_host.empty() ? facts.hostname : policy.member_host;
  api::ServersetMember member =
      api::serverset_member(host, facts.ports, job.announce->primary_port, facts.instance);
  return std::optional<discovery::Member>(
      discovery::Member{std::move(dir).value(), to_json(api::encode(member))});
}

TaskAnnouncements::TaskAnnouncements(asio::io_context& io, discovery::Announcer* announcer,
                                     discovery::ServersetPolicy policy)
    : io_(io), announcer_(announcer), policy_(std::move(policy)) {}

TaskAnnouncements::~TaskAnnouncements() { *alive_ = false; }

void TaskAnnouncements::plan(TaskMonitor& monitor, const jobspec::JobSpec& job,
                             const TaskFacts& facts) {
  if (!announcer_) return;
  const std::string& id = monitor.task_id();
  auto member = task_member(job, facts, policy_);
  if (!member.ok()) {
    spdlog::warn("task {}: not announced: {}", id, member.status().message());
    refusals_[id] = member.status().message();
    return;
  }
  if (!*member) return;
  members_[id] = std::move(**member);
  monitor.set_before_kill([this, id, alive = alive_](std::function<void()> proceed) {
    if (!*alive) return proceed();
    withdraw_then(id, std::move(proceed));
  });
}

std::string TaskAnnouncements::on_state(TaskMonitor& monitor, TaskState state) {
  if (!announcer_) return "";
  const std::string& id = monitor.task_id();
  if (is_terminal(state)) {
    members_.erase(id);
    if (joined_.erase(id) > 0) announcer_->leave(id);
    refusals_.erase(id);
    return "";
  }
  if (state != TaskState::kRunning || monitor.killing()) return "";
  if (auto m = members_.find(id); m != members_.end()) {
    announcer_->join(id, m->second);
    joined_.insert(id);
  }
  auto refused = refusals_.find(id);
  if (refused == refusals_.end()) return "";
  std::string note = "not announced: " + refused->second;
  refusals_.erase(refused);  // said once
  return note;
}

void TaskAnnouncements::reattached(TaskMonitor& monitor) {
  if (!monitor.ended() && monitor.state() == TaskState::kRunning)
    on_state(monitor, TaskState::kRunning);
}

void TaskAnnouncements::withdraw_then(const std::string& task_id, std::function<void()> proceed) {
  members_.erase(task_id);
  if (joined_.erase(task_id) == 0) return proceed();  // never announced: nothing to drain
  // Whichever comes first, the deletion or the deadline, lets the kill go on.
  auto once = std::make_shared<std::function<void()>>(std::move(proceed));
  auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(kLeaveWaitMs));
  auto go = [once, timer] {
    if (!*once) return;
    auto f = std::move(*once);
    *once = nullptr;
    timer->cancel();
    f();
  };
  timer->async_wait([go](boost::system::error_code) { go(); });
  announcer_->leave(task_id, [&io = io_, go] { asio::post(io, go); });
}

}  // namespace borealis::agent
