#include "agent/scheduler_link.h"

#include <chrono>
#include <optional>

#include "agent/backoff.h"
#include "agent/file_util.h"
#include "common/log.h"
#include "net/http_client.h"

namespace borealis::agent {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

struct SchedulerLink::State {
  std::unique_ptr<net::HttpClient> client;
  std::string client_url;  // the URL `client` talks to
  int64_t acked_command_seq = 0;
  int64_t poll_timeout_ms = 5000;
  Steady::time_point tasks_sent_at;
  std::optional<bool> reachable;
  std::string last_problem;
};

SchedulerLink::SchedulerLink(LinkOptions options, Registration& registration, LinkHooks& hooks)
    : options_(std::move(options)),
      registration_(registration),
      hooks_(hooks),
      state_(std::make_unique<State>()) {}

SchedulerLink::~SchedulerLink() { stop(); }

void SchedulerLink::start() {
  thread_.start([this](std::stop_token stop) { run(stop); });
}

void SchedulerLink::stop() { thread_.stop(); }

void SchedulerLink::set_reachable(bool up, const std::string& detail) {
  State& s = *state_;
  if (s.reachable == up && (up || detail == s.last_problem)) return;
  s.reachable = up;
  s.last_problem = up ? "" : detail;
  if (up) {
    spdlog::info("scheduler {}: {}", s.client_url, detail);
  } else {
    spdlog::warn("scheduler {}: {}; retrying with backoff", s.client_url, detail);
  }
}

bool SchedulerLink::ensure_client() {
  State& s = *state_;
  std::string url = options_.scheduler->url();
  if (url.empty()) {
    auto found = options_.scheduler->relocate("no leader known yet");
    if (!found.ok()) {
      set_reachable(false, "no scheduler leader: " + found.status().message());
      return false;
    }
    url = *found;
  }
  if (s.client && url == s.client_url) return true;
  auto client = net::HttpClient::create(url, options_.scheduler_tls);
  if (!client.ok()) {
    set_reachable(false, "scheduler " + url + ": " + client.status().message());
    return false;
  }
  s.client = std::move(client).value();
  s.client_url = url;
  if (!options_.token.empty()) s.client->set_header("Authorization", "Bearer " + options_.token);
  // A new scheduler knows nothing of this agent's session: register with it.
  if (registration_.is_registered()) registration_.lost();
  return true;
}

void SchedulerLink::relocate(const std::string& why) {
  if (options_.scheduler->follows_leader()) (void)options_.scheduler->relocate(why);
}

void SchedulerLink::run(std::stop_token stop) {
  Backoff backoff(options_.backoff_min_ms, options_.backoff_max_ms);
  while (!stop.stop_requested()) {
    const std::string tried = state_->client_url;
    bool ok =
        ensure_client() && (registration_.is_registered() ? poll_once(stop) : register_once());
    if (ok) {
      backoff.reset();
      continue;
    }
    std::chrono::milliseconds wait = backoff.next();
    const std::string now = options_.scheduler->url();
    if (options_.scheduler->follows_leader()) {
      // During a failover: a new leader is tried at once; while none is announced, or a
      // dead one still is (until its session expires), the wait is short and ends as soon
      // as the ZooKeeper watch sees the next leader.
      if (now != tried) backoff.reset();
      if (!now.empty() && now != tried) continue;
      wait = std::min(wait, now.empty() ? kLeaderLookupInterval : kLeaderRetryMax);
    }
    if (!options_.scheduler->wait_for_move(stop, wait, now)) return;
  }
}

bool SchedulerLink::register_once() {
  State& s = *state_;
  RegisterRequest req = options_.self;
  req.agent_id = registration_.agent_id();
  const auto listed_at = Steady::now();
  req.tasks = hooks_.task_reports();
  auto r = s.client->post("/agent/v1/register", to_json(protocol::encode(req)),
                          milliseconds(options_.request_timeout_ms));
  if (!r.ok()) {
    set_reachable(false, "cannot register: " + r.status().message());
    relocate("register failed");
    return false;
  }
  if (r->status != 200) {
    set_reachable(false, "register refused: HTTP " + std::to_string(r->status) + ": " + r->body);
    relocate("register refused");
    return false;
  }
  auto answer = api::decode_body<RegisterAnswer>(r->body);
  if (!answer.ok()) {
    set_reachable(false, "bad register answer: " + answer.status().message());
    return false;
  }
  if (answer->agent_id != req.agent_id) {
    Status st = write_file_atomic(options_.agent_id_path, answer->agent_id + "\n", true);
    if (!st.ok()) spdlog::error("cannot keep the agent id: {}", st.message());
  }
  s.acked_command_seq = 0;  // a restarted scheduler may number commands from the start
  s.poll_timeout_ms = answer->poll_timeout_ms;
  // The scheduler reconciled the list the register carried: the next one goes a reconcile
  // interval later, not with the first poll (a new leader would reconcile each task twice).
  s.tasks_sent_at = listed_at;
  registration_.registered(answer->agent_id);
  hooks_.scheduler_answered();
  set_reachable(true, "registered as agent " + answer->agent_id + " with " +
                          std::to_string(req.tasks.size()) + " task(s)");
  return true;
}

bool SchedulerLink::poll_once(std::stop_token stop) {
  State& s = *state_;
  std::optional<std::vector<TaskReport>> tasks;
  auto now = Steady::now();
  if (now - s.tasks_sent_at >= milliseconds(options_.reconcile_interval_ms))
    tasks = hooks_.task_reports();
  std::string body =
      to_json(protocol::encode(PollRequest{registration_.agent_id(), s.acked_command_seq, tasks}));
  auto r = s.client->post("/agent/v1/poll", body,
                          milliseconds(s.poll_timeout_ms + options_.request_timeout_ms));
  if (stop.stop_requested()) return true;
  if (!r.ok()) {
    // The scheduler may come back as a new one: register again then.
    set_reachable(false, "cannot poll: " + r.status().message());
    registration_.lost();
    relocate("poll failed");
    return false;
  }
  if (r->status == 404) {
    spdlog::info("scheduler {} does not know this agent; registering again", s.client_url);
    registration_.lost();
    return true;
  }
  if (r->status != 200) {
    // A scheduler that fails polls (restarting, not the leader) registers us again once
    // it serves, like one that was unreachable.
    set_reachable(false, "poll refused: HTTP " + std::to_string(r->status) + ": " + r->body);
    registration_.lost();
    relocate("poll refused");
    return false;
  }
  auto answer = api::decode_body<PollAnswer>(r->body);
  if (!answer.ok()) {
    set_reachable(false, "bad poll answer: " + answer.status().message());
    return false;
  }
  set_reachable(true, "polling again");
  hooks_.scheduler_answered();
  if (tasks) s.tasks_sent_at = now;
  // Commands at or below the acked seq are resends of ones already applied.
  PollAnswer fresh;
  fresh.configs = std::move(answer->configs);
  for (auto& c : answer->commands)
    if (c.seq > s.acked_command_seq) fresh.commands.push_back(std::move(c));
  if (fresh.commands.empty()) return true;
  hooks_.apply(fresh);
  for (const auto& c : fresh.commands) s.acked_command_seq = std::max(s.acked_command_seq, c.seq);
  return true;
}

}  // namespace borealis::agent
