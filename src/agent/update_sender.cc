#include "agent/update_sender.h"

#include <chrono>

#include "agent/backoff.h"
#include "agent/protocol.h"
#include "common/log.h"
#include "net/http_client.h"

namespace borealis::agent {

using Steady = std::chrono::steady_clock;

UpdateSender::UpdateSender(std::unique_ptr<Outbox> outbox, SenderOptions options,
                           Registration& registration, KillCallback on_kill)
    : outbox_(std::move(outbox)),
      options_(std::move(options)),
      registration_(registration),
      on_kill_(std::move(on_kill)),
      acked_(outbox_->acked_seq()) {
  registration_.add_listener([this] { wake(); });
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
  while (!stop.stop_requested()) {
    std::vector<StatusUpdate> staged;
    std::vector<std::string> forgotten;
    {
      std::unique_lock lock(mu_);
      auto ready = [&] { return !staged_.empty() || !forgotten_.empty() || poke_; };
      bool can_send = outbox_->has_pending() && registration_.is_registered();
      if (can_send) {
        cv_.wait_until(lock, stop, retry_at, ready);
      } else {
        cv_.wait(lock, stop, ready);
      }
      if (stop.stop_requested()) return;
      staged.swap(staged_);
      forgotten.swap(forgotten_);
      poke_ = false;
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
      retry_at = Steady::now() + backoff.next();
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

bool UpdateSender::send_batch() {
  if (!client_) {
    auto c = net::HttpClient::create(options_.scheduler_url, options_.tls);
    if (!c.ok()) {
      spdlog::error("update sender: {}", c.status().message());
      return false;
    }
    client_ = std::move(c).value();
    if (!options_.token.empty()) client_->set_header("Authorization", "Bearer " + options_.token);
  }
  std::vector<StatusUpdate> batch = outbox_->pending(options_.max_batch);
  auto r = client_->post("/agent/v1/updates",
                         to_json(protocol::encode(UpdatesRequest{registration_.agent_id(), batch})),
                         std::chrono::milliseconds(options_.request_timeout_ms));
  if (!r.ok()) {
    note_problem("updates not delivered: " + r.status().message());
    return false;
  }
  if (r->status == 404) {
    registration_.lost();  // the link registers again; sending resumes after
    return true;
  }
  if (r->status != 200) {
    note_problem("updates refused: HTTP " + std::to_string(r->status) + ": " + r->body);
    return false;
  }
  auto answer = api::decode_body<UpdatesAnswer>(r->body);
  if (!answer.ok()) {
    note_problem("updates: " + answer.status().message());
    return false;
  }
  note_problem("");
  int64_t before = outbox_->acked_seq();
  int64_t acked = std::min(answer->acked_seq, batch.back().seq);
  if (Status st = outbox_->ack(acked); !st.ok()) spdlog::warn("outbox: {}", st.message());
  acked_.store(outbox_->acked_seq());
  if (!answer->kill.empty()) on_kill_(std::move(answer->kill));
  spdlog::debug("updates acked up to seq {}", outbox_->acked_seq());
  return outbox_->acked_seq() > before;  // no progress: back off before resending
}

}  // namespace borealis::agent
