#include "agent/update_sender.h"

#include <algorithm>
#include <chrono>

#include "agent/backoff.h"
#include "agent/protocol.h"
#include "common/log.h"
#include "common/utf8.h"
#include "net/http_client.h"

namespace borealis::agent {

using Steady = std::chrono::steady_clock;

namespace {

// The scheduler found the request itself wrong: resending it unchanged is refused again.
bool refuses_content(int status) { return status == 400 || status == 413 || status == 422; }

}  // namespace

UpdateSender::UpdateSender(std::unique_ptr<Outbox> outbox, SenderOptions options,
                           Registration& registration, KillCallback on_kill)
    : outbox_(std::move(outbox)),
      options_(std::move(options)),
      batch_limit_(std::max<size_t>(options_.max_batch, 1)),
      registration_(registration),
      on_kill_(std::move(on_kill)),
      acked_(outbox_->acked_seq()) {
  registration_.add_listener([this] { wake(); });
  if (options_.scheduler->follows_leader())
    options_.scheduler->add_listener([this] { leader_moved(); });
}

UpdateSender::~UpdateSender() { stop(); }

void UpdateSender::start() {
  thread_.start([this](std::stop_token stop) { run(stop); });
}

void UpdateSender::stop() { thread_.stop(); }

void UpdateSender::wake() {
  {
    std::lock_guard lock(mu_);
    poke_ = true;
  }
  cv_.notify_one();
}

void UpdateSender::leader_moved() {
  {
    std::lock_guard lock(mu_);
    moved_ = true;
  }
  cv_.notify_one();
}

void UpdateSender::submit(std::vector<StatusUpdate> updates) {
  {
    std::lock_guard lock(mu_);
    for (auto& u : updates) staged_.push_back(std::move(u));
  }
  cv_.notify_one();
}

void UpdateSender::forget(std::vector<std::string> task_ids) {
  {
    std::lock_guard lock(mu_);
    for (auto& id : task_ids) forgotten_.push_back(std::move(id));
  }
  cv_.notify_one();
}

void UpdateSender::run(std::stop_token stop) {
  Backoff backoff(options_.backoff_min_ms, options_.backoff_max_ms);
  Steady::time_point retry_at = Steady::now();
  const bool follows = options_.scheduler->follows_leader();
  while (!stop.stop_requested()) {
    std::vector<StatusUpdate> staged;
    std::vector<std::string> forgotten;
    {
      std::unique_lock lock(mu_);
      auto ready = [&] { return !staged_.empty() || !forgotten_.empty() || poke_ || moved_; };
      bool can_send = outbox_->has_pending() && registration_.is_registered();
      if (can_send) {
        cv_.wait_until(lock, stop, retry_at, ready);
      } else {
        cv_.wait(lock, stop, ready);
      }
      if (stop.stop_requested()) return;
      staged.swap(staged_);
      forgotten.swap(forgotten_);
      // Following a leader, a new one (or a registration with it) is tried at once.
      if (follows && (moved_ || poke_)) {
        backoff.reset();
        retry_at = Steady::now();
      }
      poke_ = false;
      moved_ = false;
    }
    if (!staged.empty()) {
      Status st = outbox_->append(staged);
      if (!st.ok()) {
        // Not durable, so not sendable: keep them first in line and try again later.
        spdlog::error("cannot record status updates: {}", st.message());
        {
          std::lock_guard lock(mu_);
          staged.insert(staged.end(), staged_.begin(), staged_.end());
          staged_.swap(staged);
        }
        interruptible_sleep(stop, backoff.next());
        continue;
      }
    }
    if (!forgotten.empty()) {
      Status st = outbox_->forget(forgotten);
      if (!st.ok()) spdlog::warn("outbox: {}", st.message());
    }
    if (!outbox_->has_pending() || !registration_.is_registered() || Steady::now() < retry_at)
      continue;
    if (send_batch()) {
      backoff.reset();
      retry_at = Steady::now();
    } else {
      retry_at =
          Steady::now() + (follows ? std::min(backoff.next(), kLeaderRetryMax) : backoff.next());
    }
  }
}

void UpdateSender::note_problem(const std::string& problem) {
  // Once per change, not per attempt: a scheduler that is down is normal.
  if (problem == problem_) return;
  if (problem.empty()) {
    spdlog::info("status updates flow again");
  } else {
    spdlog::warn("{}; retrying with backoff", problem);
  }
  problem_ = problem;
}

bool UpdateSender::narrow_or_drop(const std::vector<StatusUpdate>& batch, int status,
                                  const std::string& body) {
  if (batch.size() > 1) {
    batch_limit_ = batch.size() / 2;
    spdlog::warn("updates refused: HTTP {}: {}; retrying with {} update(s) to find the bad one",
                 status, sanitize_text(body, 512), batch_limit_);
    return true;
  }
  const StatusUpdate& u = batch.front();
  spdlog::error(
      "dropping status update seq {} of task {} ({}): the scheduler refused it: HTTP {}: {}", u.seq,
      u.task_id, task_state_name(u.state), status, sanitize_text(body, 512));
  if (Status st = outbox_->ack(u.seq); !st.ok()) {
    spdlog::warn("outbox: {}", st.message());
    return false;
  }
  acked_.store(outbox_->acked_seq());
  dropped_.push_back(u.seq);
  // Only when every request is refused can this grow: keep the request bounded.
  if (dropped_.size() > protocol::kMaxDroppedSeqs) dropped_.erase(dropped_.begin());
  return true;
}

bool UpdateSender::send_batch() {
  const std::string url = options_.scheduler->url();
  if (url.empty()) {
    // The link looks the leader up; updates wait for it.
    note_problem("updates not delivered: no scheduler leader known yet");
    return false;
  }
  if (!client_ || url != client_url_) {
    auto c = net::HttpClient::create(url, options_.tls);
    if (!c.ok()) {
      spdlog::error("update sender: {}", c.status().message());
      return false;
    }
    client_ = std::move(c).value();
    client_url_ = url;
    if (!options_.token.empty()) client_->set_header("Authorization", "Bearer " + options_.token);
  }
  std::vector<StatusUpdate> batch = outbox_->pending(batch_limit_);
  auto r = client_->post(
      "/agent/v1/updates",
      to_json(protocol::encode(UpdatesRequest{registration_.agent_id(), batch, dropped_})),
      std::chrono::milliseconds(options_.request_timeout_ms));
  if (!r.ok()) {
    note_problem("updates not delivered: " + r.status().message());
    (void)options_.scheduler->relocate("updates not delivered");
    return false;
  }
  if (r->status == 404) {
    registration_.lost();  // the link registers again; sending resumes after
    return true;
  }
  if (refuses_content(r->status)) return narrow_or_drop(batch, r->status, r->body);
  if (r->status != 200) {
    note_problem("updates refused: HTTP " + std::to_string(r->status) + ": " + r->body);
    (void)options_.scheduler->relocate("updates refused");
    return false;
  }
  auto answer = api::decode_body<UpdatesAnswer>(r->body);
  if (!answer.ok()) {
    note_problem("updates: " + answer.status().message());
    return false;
  }
  note_problem("");
  dropped_.clear();  // declared
  batch_limit_ = std::min(std::max<size_t>(options_.max_batch, 1), batch_limit_ * 2);
  for (const auto& rejected : answer->rejected)
    spdlog::error("status update seq {} was refused by the scheduler and dropped: {}", rejected.seq,
                  sanitize_text(rejected.error, 512));
  int64_t before = outbox_->acked_seq();
  int64_t acked = std::min(answer->acked_seq, batch.back().seq);
  if (Status st = outbox_->ack(acked); !st.ok()) spdlog::warn("outbox: {}", st.message());
  acked_.store(outbox_->acked_seq());
  if (!answer->kill.empty()) on_kill_(std::move(answer->kill));
  spdlog::debug("updates acked up to seq {}", outbox_->acked_seq());
  return outbox_->acked_seq() > before;  // no progress: back off before resending
}

}  // namespace borealis::agent
