#include "sim/sim_agent.h"

#include <algorithm>
#include <functional>

#include "common/clock.h"

namespace borealis::sim {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

namespace {

constexpr milliseconds kRequestTimeout{30000};  // added to the poll's own wait
constexpr milliseconds kMaxBackoff{2000};
constexpr size_t kMaxUpdatesPerRequest = 1000;
constexpr auto kReconcileInterval = std::chrono::seconds(30);  // as the real agent

int64_t steady_ms() {
  return std::chrono::duration_cast<milliseconds>(Steady::now().time_since_epoch()).count();
}

int64_t wall_ms() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SimAgent::SimAgent(boost::asio::io_context& io, LeaderFollower schedulers,
                   const std::string& authorization, AgentShape shape, FleetStats& stats)
    : shape_(std::move(shape)),
      stats_(stats),
      schedulers_(std::move(schedulers)),
      poll_conn_(io, schedulers_.current(), authorization),
      update_conn_(io, schedulers_.current(), authorization),
      retry_timer_(io),
      update_timer_(io) {}

void SimAgent::start() { register_now(); }

std::vector<protocol::TaskReport> SimAgent::task_reports() const {
  std::vector<protocol::TaskReport> out;
  out.reserve(tasks_.size());
  for (const auto& [id, state] : tasks_) out.push_back({id, state, std::nullopt});
  return out;
}

std::vector<std::string> SimAgent::task_ids() const {
  std::vector<std::string> out;
  out.reserve(tasks_.size());
  for (const auto& [id, state] : tasks_) out.push_back(id);
  return out;
}

void SimAgent::retry_register(const Result<AsyncResponse>& failed) {
  registered_ = false;
  // Spread the fleet's retries so a restarted scheduler is not hit by every agent at once.
  auto jitter = milliseconds(std::hash<std::string>{}(shape_.hostname) % 50);
  milliseconds wait = backoff_ + jitter;
  if (schedulers_.follows_leader()) {
    // As a real agent following a leader: the leader a standby names is tried at once, and
    // so is the next scheduler, but a new pass over them waits as a new lookup would.
    bool moved = failed.ok() && failed->status == 307 && schedulers_.follow(failed->location);
    bool new_pass = !moved && schedulers_.next();
    wait = new_pass ? kSimLeaderLookupInterval + jitter : milliseconds(0);
  } else {
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  }
  retry_timer_.expires_after(wait);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) register_now();
  });
}

void SimAgent::register_now() {
  protocol::RegisterRequest req;
  req.agent_id = agent_id_;
  req.hostname = shape_.hostname;
  req.address = shape_.address;
  req.resources = shape_.resources;
  req.ports = {protocol::PortRange{31000, 31999}};
  req.attributes = {{"host", shape_.hostname}};
  req.tasks = task_reports();
  poll_conn_.set_endpoint(schedulers_.current());
  poll_conn_.post("/agent/v1/register", to_json(protocol::encode(req)), kRequestTimeout,
                  [this, listed_at = Steady::now()](Result<AsyncResponse> r) {
                    if (!r.ok() || r->status != 200) {
                      ++stats_.failed_requests;
                      return retry_register(r);
                    }
                    auto answer = api::decode_body<protocol::RegisterAnswer>(r->body);
                    if (!answer.ok()) {
                      ++stats_.failed_requests;
                      return retry_register(r);
                    }
                    agent_id_ = answer->agent_id;
                    acked_command_seq_ = 0;  // a restarted scheduler numbers from the start
                    poll_timeout_ms_ = answer->poll_timeout_ms;
                    // As the real agent: the register's list was reconciled.
                    tasks_sent_at_ = listed_at;
                    registered_ = true;
                    backoff_ = milliseconds(100);
                    registered_at_ms_ = steady_ms();
                    ++stats_.registrations;
                    poll_now();
                    flush_updates();
                  });
}

void SimAgent::poll_now() {
  std::optional<std::vector<protocol::TaskReport>> tasks;
  auto now = Steady::now();
  if (now - tasks_sent_at_ >= kReconcileInterval) tasks = task_reports();
  bool with_tasks = tasks.has_value();
  protocol::PollRequest req{agent_id_, acked_command_seq_, std::move(tasks)};
  poll_conn_.set_endpoint(schedulers_.current());
  poll_conn_.post("/agent/v1/poll", to_json(protocol::encode(req)),
                  milliseconds(poll_timeout_ms_) + kRequestTimeout,
                  [this, with_tasks, now](Result<AsyncResponse> r) {
                    if (r.ok() && r->status == 404) {  // lost or forgotten: register again
                      registered_ = false;
                      return register_now();
                    }
                    if (!r.ok() || r->status != 200) {
                      ++stats_.failed_requests;
                      return retry_register(r);
                    }
                    auto answer = api::decode_body<protocol::PollAnswer>(r->body);
                    if (!answer.ok()) {
                      ++stats_.failed_requests;
                      return retry_register(r);
                    }
                    if (with_tasks) tasks_sent_at_ = now;
                    apply(*answer);
                    poll_now();
                  });
}

void SimAgent::apply(const protocol::PollAnswer& answer) {
  for (const auto& c : answer.commands) {
    if (c.seq <= acked_command_seq_) continue;  // a resend of one already applied
    if (c.type == "launch") launch(c.task_id);
    if (c.type == "kill") kill(c.task_id);
    acked_command_seq_ = c.seq;
  }
  flush_updates();
}

void SimAgent::launch(const std::string& task_id) {
  if (tasks_.contains(task_id)) {
    ++stats_.repeated_launches;
    return;
  }
  tasks_[task_id] = protocol::TaskState::kRunning;
  queue_update(task_id, protocol::TaskState::kStarting);
  queue_update(task_id, protocol::TaskState::kRunning);
  ++stats_.launches;
  ++stats_.running_tasks;
  stats_.last_launch_ms = steady_ms();
}

void SimAgent::kill(const std::string& task_id) {
  if (tasks_.erase(task_id) == 0) return;  // gone already: kills are idempotent
  queue_update(task_id, protocol::TaskState::kKilled);
  ++stats_.kills;
  --stats_.running_tasks;
}

void SimAgent::queue_update(const std::string& task_id, protocol::TaskState state) {
  outbox_.push_back({next_update_seq_++, task_id, state, wall_ms(), "", {}});
}

void SimAgent::flush_updates() {
  if (update_in_flight_ || outbox_.empty() || agent_id_.empty()) return;
  protocol::UpdatesRequest req;
  req.agent_id = agent_id_;
  size_t n = std::min(outbox_.size(), kMaxUpdatesPerRequest);
  req.updates.assign(outbox_.begin(), outbox_.begin() + static_cast<std::ptrdiff_t>(n));
  update_in_flight_ = true;
  update_conn_.set_endpoint(schedulers_.current());
  update_conn_.post("/agent/v1/updates", to_json(protocol::encode(req)), kRequestTimeout,
                    [this](Result<AsyncResponse> r) {
                      update_in_flight_ = false;
                      std::optional<protocol::UpdatesAnswer> answer;
                      if (r.ok() && r->status == 200) {
                        auto decoded = api::decode_body<protocol::UpdatesAnswer>(r->body);
                        if (decoded.ok()) answer = std::move(decoded).value();
                      }
                      if (!answer) {  // resent after a pause, as the real agent's outbox does
                        ++stats_.failed_requests;
                        update_timer_.expires_after(milliseconds(200));
                        update_timer_.async_wait([this](const boost::system::error_code& ec) {
                          if (!ec) flush_updates();
                        });
                        return;
                      }
                      auto acked_end =
                          std::find_if(outbox_.begin(), outbox_.end(),
                                       [&](const auto& u) { return u.seq > answer->acked_seq; });
                      stats_.updates_acked += acked_end - outbox_.begin();
                      outbox_.erase(outbox_.begin(), acked_end);
                      for (const auto& id : answer->kill) kill(id);
                      flush_updates();
                    });
}

}  // namespace borealis::sim
