#include "agent/fake_scheduler.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <functional>
#include <future>

namespace borealis::agent::testing {

namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

FakeScheduler::FakeScheduler() {
  loop_.start();
  start();
}

FakeScheduler::~FakeScheduler() {
  stop();
  loop_.finish();  // lets the connections close first
}

void FakeScheduler::start() {
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    net::HttpServerOptions o;
    o.port = port_;
    server_ = std::make_unique<net::HttpServer>(io_, o);
    server_->route("POST", "/agent/v1/register",
                   [this](const HttpRequest& q, Responder r) { on_register(q, std::move(r)); });
    server_->route("POST", "/agent/v1/poll",
                   [this](const HttpRequest& q, Responder r) { on_poll(q, std::move(r)); });
    server_->route("POST", "/agent/v1/updates",
                   [this](const HttpRequest& q, Responder r) { on_updates(q, std::move(r)); });
    Status st = server_->start();
    if (!st.ok()) throw std::runtime_error(st.to_string());
    port_ = server_->port();
    done.set_value();
  });
  done.get_future().get();
}

void FakeScheduler::stop() {
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    if (held_timer_) held_timer_->cancel();
    // Answer a held poll so its connection can close.
    if (held_) (*held_)(HttpResponse::error(503, "UNAVAILABLE", "shutting down"));
    held_.reset();
    if (server_) server_->stop();
    server_.reset();
    done.set_value();
  });
  done.get_future().get();
}

int64_t FakeScheduler::add_launch(const std::string& task_id, const json::value& job,
                                  int64_t instance, const std::map<std::string, int64_t>& ports) {
  std::string config_id = "cfg-" + std::to_string(std::hash<std::string>{}(to_json(job)));
  json::object port_obj;
  for (const auto& [k, v] : ports) port_obj[k] = v;
  configs_[config_id] = job;
  int64_t seq = next_command_seq_++;
  commands_.push_back({seq,
                       json::object{{"seq", seq},
                                    {"type", "launch"},
                                    {"task_id", task_id},
                                    {"instance", instance},
                                    {"config_id", config_id},
                                    {"ports", std::move(port_obj)}},
                       config_id});
  return seq;
}

int64_t FakeScheduler::launch(const std::string& task_id, const json::value& job, int64_t instance,
                              std::map<std::string, int64_t> ports) {
  int64_t seq;
  {
    std::lock_guard lock(mu_);
    seq = add_launch(task_id, job, instance, ports);
  }
  asio::post(io_, [this] { answer_held_poll(); });
  return seq;
}

void FakeScheduler::launch_all(const std::vector<std::string>& task_ids, const json::value& job) {
  {
    std::lock_guard lock(mu_);
    int64_t instance = 0;
    for (const auto& id : task_ids) add_launch(id, job, instance++, {});
  }
  asio::post(io_, [this] { answer_held_poll(); });
}

int64_t FakeScheduler::kill(const std::string& task_id, const std::string& reason) {
  int64_t seq;
  {
    std::lock_guard lock(mu_);
    seq = next_command_seq_++;
    commands_.push_back(
        {seq,
         json::object{{"seq", seq}, {"type", "kill"}, {"task_id", task_id}, {"reason", reason}},
         ""});
  }
  asio::post(io_, [this] { answer_held_poll(); });
  return seq;
}

HttpResponse FakeScheduler::commands_answer() {
  json::array cmds;
  json::object configs;
  for (const auto& c : commands_) {
    if (c.seq <= acked_command_seq_) continue;
    cmds.push_back(c.body);
    if (!c.config_id.empty()) configs[c.config_id] = configs_.at(c.config_id);
  }
  return HttpResponse::json(
      200, to_json(json::object{{"commands", std::move(cmds)}, {"configs", std::move(configs)}}));
}

void FakeScheduler::answer_held_poll() {
  if (!held_) return;
  std::lock_guard lock(mu_);
  bool any = false;
  for (const auto& c : commands_) any |= c.seq > acked_command_seq_;
  if (!any) return;
  if (held_timer_) held_timer_->cancel();
  (*held_)(commands_answer());
  held_.reset();
}

void FakeScheduler::on_register(const HttpRequest& req, Responder r) {
  auto body = parse_json(req.body);
  std::string id;
  if (body.ok() && body->is_object() && body->as_object().contains("agent_id"))
    id = std::string(body->as_object().at("agent_id").as_string());
  std::vector<TaskReport> tasks;
  if (body.ok() && body->is_object())
    if (const auto* list = body->as_object().if_contains("tasks"))
      for (const auto& t : list->as_array())
        tasks.push_back({std::string(t.at("task_id").as_string()),
                         parse_task_state(t.at("state").as_string()).value_or(TaskState::kLost)});
  std::lock_guard lock(mu_);
  ++registers_;
  register_agent_ids_.push_back(id);
  register_tasks_.push_back(std::move(tasks));
  forgotten_ = false;
  acked_command_seq_ = 0;
  r(HttpResponse::json(200, to_json(json::object{{"agent_id", id.empty() ? "agent-1" : id},
                                                 {"poll_timeout_ms", poll_timeout_ms},
                                                 {"agent_timeout_ms", 1000}})));
}

void FakeScheduler::on_poll(const HttpRequest& req, Responder r) {
  auto body = parse_json(req.body);
  std::unique_lock lock(mu_);
  if (forgotten_) {
    r(HttpResponse::error(404, "NOT_FOUND", "unknown agent"));
    return;
  }
  if (body.ok() && body->is_object())
    if (const auto* acked = body->as_object().if_contains("acked_command_seq"))
      acked_command_seq_ = std::max(acked_command_seq_, acked->to_number<int64_t>());
  // Acknowledged commands are done with, as in the real scheduler.
  std::erase_if(commands_, [&](const Command& c) { return c.seq <= acked_command_seq_; });
  bool any = false;
  for (const auto& c : commands_) any |= c.seq > acked_command_seq_;
  if (any) {
    r(commands_answer());
    return;
  }
  lock.unlock();
  if (held_) (*held_)(HttpResponse::json(200, R"({"commands":[]})"));
  held_ = std::move(r);
  held_timer_ = std::make_unique<asio::steady_timer>(io_);
  held_timer_->expires_after(std::chrono::milliseconds(poll_timeout_ms));
  held_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec || !held_) return;
    (*held_)(HttpResponse::json(200, R"({"commands":[]})"));
    held_.reset();
  });
}

void FakeScheduler::on_updates(const HttpRequest& req, Responder r) {
  auto body = parse_json(req.body);
  std::lock_guard lock(mu_);
  ++update_posts_;
  std::vector<StatusUpdate> batch;
  if (body.ok() && body->is_object() && body->as_object().contains("updates"))
    for (const auto& u : body->as_object().at("updates").as_array()) {
      auto parsed = update_from_json(u);
      if (parsed.ok()) batch.push_back(*parsed);
    }
  for (const auto& u : batch) posted_seqs_.push_back(u.seq);
  std::vector<int64_t> declared;
  if (body.ok() && body->is_object())
    if (const auto* d = body->as_object().if_contains("dropped_seqs"))
      for (const auto& seq : d->as_array()) declared.push_back(seq.to_number<int64_t>());
  for (const auto& u : batch) {
    if (!refused_task_.empty() && u.task_id == refused_task_) {
      r(HttpResponse::error(400, "INVALID_ARGUMENT",
                            "updates[]: refused update seq " + std::to_string(u.seq)));
      return;
    }
  }
  if (fail_updates_ > 0) {
    --fail_updates_;
    r(HttpResponse::error(500, "INTERNAL", "injected failure"));
    return;
  }
  if (forgotten_) {
    r(HttpResponse::error(404, "NOT_FOUND", "unknown agent"));
    return;
  }
  dropped_seqs_.insert(dropped_seqs_.end(), declared.begin(), declared.end());
  for (const auto& u : batch) {
    if (u.seq <= acked_update_seq_) continue;  // a resend
    while (std::find(declared.begin(), declared.end(), acked_update_seq_ + 1) != declared.end())
      ++acked_update_seq_;
    if (u.seq != acked_update_seq_ + 1) {
      violations_.push_back("expected seq " + std::to_string(acked_update_seq_ + 1) + ", got " +
                            std::to_string(u.seq));
      break;
    }
    acked_update_seq_ = u.seq;
    updates_.push_back(u);
  }
  r(HttpResponse::json(
      200, to_json(json::object{{"acked_seq", acked_update_seq_},
                                {"kill", json::array(kill_list_.begin(), kill_list_.end())}})));
}

std::vector<StatusUpdate> FakeScheduler::updates() const { return locked(updates_); }

std::vector<TaskState> FakeScheduler::states(const std::string& task_id) const {
  std::lock_guard lock(mu_);
  std::vector<TaskState> out;
  for (const auto& u : updates_)
    if (u.task_id == task_id) out.push_back(u.state);
  return out;
}

std::optional<StatusUpdate> FakeScheduler::last_update(const std::string& task_id) const {
  std::lock_guard lock(mu_);
  for (auto it = updates_.rbegin(); it != updates_.rend(); ++it)
    if (it->task_id == task_id) return *it;
  return std::nullopt;
}

std::vector<int64_t> FakeScheduler::posted_seqs() const { return locked(posted_seqs_); }

int FakeScheduler::update_posts() const { return locked(update_posts_); }

int FakeScheduler::registers() const { return locked(registers_); }

std::vector<std::string> FakeScheduler::register_agent_ids() const {
  return locked(register_agent_ids_);
}

std::vector<std::vector<TaskReport>> FakeScheduler::register_tasks() const {
  return locked(register_tasks_);
}

int64_t FakeScheduler::acked_update_seq() const { return locked(acked_update_seq_); }

int64_t FakeScheduler::acked_command_seq() const { return locked(acked_command_seq_); }

std::vector<std::string> FakeScheduler::violations() const { return locked(violations_); }

void FakeScheduler::fail_next_updates(int n) {
  std::lock_guard lock(mu_);
  fail_updates_ = n;
}

void FakeScheduler::refuse_updates_of(std::string task_id) {
  std::lock_guard lock(mu_);
  refused_task_ = std::move(task_id);
}

std::vector<int64_t> FakeScheduler::dropped_seqs() const { return locked(dropped_seqs_); }

void FakeScheduler::set_kill_list(std::vector<std::string> ids) {
  std::lock_guard lock(mu_);
  kill_list_ = std::move(ids);
}

void FakeScheduler::forget_agent() {
  std::lock_guard lock(mu_);
  forgotten_ = true;
}

}  // namespace borealis::agent::testing
