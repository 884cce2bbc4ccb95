// FakeScheduler: the scheduler's side of the agent protocol, in a test, on a real
// net::HttpServer (port 0). It queues launch and kill commands, holds polls until it has
// commands (or poll_timeout_ms), accepts status updates in seq order, records what it
// saw, and can fail in the ways a real scheduler does: go down and come back on the same
// port, answer updates with 500, refuse a task's updates with 400, or forget the agent
// (404 until it registers again).
//
// Threading: its io_context runs on its own thread; every public method may be called
// from the test's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/io_loop.h"
#include "agent/task_state.h"
#include "common/json.h"
#include "net/http_server.h"

namespace borealis::agent::testing {

class FakeScheduler {
 public:
  FakeScheduler();
  ~FakeScheduler();

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void stop();   // down: connections refused
  void start();  // back on the same port, with the same state (it has a store)

  // Each returns the seq of the command it queued.
  int64_t launch(const std::string& task_id, const json::value& job, int64_t instance = 0,
                 std::map<std::string, int64_t> ports = {});
  // Launches of many tasks of one job, sent in a single poll answer.
  void launch_all(const std::vector<std::string>& task_ids, const json::value& job);
  int64_t kill(const std::string& task_id, const std::string& reason = "killed by user");

  // Updates accepted (each seq once), in order.
  std::vector<StatusUpdate> updates() const;
  std::vector<TaskState> states(const std::string& task_id) const;
  std::optional<StatusUpdate> last_update(const std::string& task_id) const;
  // Every seq that arrived in a POST, including rejected and repeated ones.
  std::vector<int64_t> posted_seqs() const;
  int update_posts() const;
  int registers() const;
  std::vector<std::string> register_agent_ids() const;
  // The task list of every register, in order.
  std::vector<std::vector<TaskReport>> register_tasks() const;
  int64_t acked_update_seq() const;
  int64_t acked_command_seq() const;
  // Seq gaps or reordering seen in updates ("expected 4, got 6"). A gap the agent
  // declared (`dropped_seqs`) is not one.
  std::vector<std::string> violations() const;
  // The seqs the agent declared it dropped, in the order declared.
  std::vector<int64_t> dropped_seqs() const;

  void fail_next_updates(int n);
  // Answers 400, as a real scheduler does for an update it cannot read, to every batch
  // holding an update of this task ("" = refuse none).
  void refuse_updates_of(std::string task_id);
  // Task ids every updates answer asks the agent to kill.
  void set_kill_list(std::vector<std::string> ids);
  void forget_agent();
  int64_t poll_timeout_ms = 100;

 private:
  struct Command {
    int64_t seq;
    json::object body;
    std::string config_id;
  };
  int64_t add_launch(const std::string& task_id, const json::value& job, int64_t instance,
                     const std::map<std::string, int64_t>& ports);  // mu_ held
  void on_register(const net::HttpRequest& req, net::Responder r);
  void on_poll(const net::HttpRequest& req, net::Responder r);
  void on_updates(const net::HttpRequest& req, net::Responder r);
  void answer_held_poll();              // io thread
  net::HttpResponse commands_answer();  // io thread, mu_ held

  boost::asio::io_context io_;
  IoLoop loop_{io_};
  std::unique_ptr<net::HttpServer> server_;  // io thread after construction
  uint16_t port_ = 0;

  // A copy of `field` taken under mu_, for the accessors.
  template <typename T>
  T locked(const T& field) const {
    std::lock_guard lock(mu_);
    return field;
  }

  mutable std::mutex mu_;
  std::vector<Command> commands_;
  std::map<std::string, json::value> configs_;
  int64_t next_command_seq_ = 1;
  int64_t acked_command_seq_ = 0;
  std::vector<StatusUpdate> updates_;
  std::vector<int64_t> posted_seqs_;
  std::vector<std::string> violations_;
  int64_t acked_update_seq_ = 0;
  int update_posts_ = 0;
  int registers_ = 0;
  std::vector<std::string> register_agent_ids_;
  std::vector<std::vector<TaskReport>> register_tasks_;
  int fail_updates_ = 0;
  std::string refused_task_;
  std::vector<int64_t> dropped_seqs_;
  std::vector<std::string> kill_list_;
  bool forgotten_ = false;
  // io thread only
  std::optional<net::Responder> held_;
  std::unique_ptr<boost::asio::steady_timer> held_timer_;
};

}  // namespace borealis::agent::testing
