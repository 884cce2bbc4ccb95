// SchedulerLink: the agent's register + long-poll loop (docs/internals/agent-protocol.md).
// On its own thread it registers (persisting the agent id), then polls; each poll is the
// heartbeat, acknowledges the commands applied so far, and carries the task list for
// reconciliation on the first poll after a register and every reconcile interval. It
// registers again on a 404 and after a poll failed (the scheduler was unreachable or
// answered with an error: it may be a new or restarted one). Connection failures are retried with
// backoff and logged once per change of state, not per attempt. Following the leader
// (scheduler_address.h), a failure or refusal looks the leader up again first, a retry wait
// ends as soon as the leader changes, and a new leader is registered with (it reconciles
// the tasks the register reports).
//
// Threading: start() runs the loop on a thread the link owns; stop() (or destruction)
// interrupts its waits and joins it, which may take up to one request's timeout. The
// hooks are called on the link's thread and must be thread-safe.
#pragma once

#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "agent/protocol.h"
#include "agent/registration.h"
#include "agent/scheduler_address.h"
#include "agent/worker_thread.h"
#include "net/tls_options.h"

namespace borealis::agent {

// What the link needs from the rest of the agent.
class LinkHooks {
 public:
  virtual ~LinkHooks() = default;
  // The reconciliation task list, now.
  virtual std::vector<TaskReport> task_reports() = 0;
  // Applies the commands; returns once every one is applied (so its seq may be acked).
  virtual void apply(const PollAnswer& answer) = 0;
  // The scheduler accepted a register or answered a poll (partition_fence.h).
  virtual void scheduler_answered() {}
};

struct LinkOptions {
  SchedulerAddress* scheduler = nullptr;  // borrowed; outlives the link
  std::string token;                      // sent as 'Authorization: Bearer TOKEN'; "" = none
  std::string agent_id_path;              // <work-dir>/agent_id
  RegisterRequest self;                   // hostname, address, resources, ports, attributes
  net::ClientTlsFiles scheduler_tls;      // for an https:// scheduler_url
  int64_t backoff_min_ms = 100;
  int64_t backoff_max_ms = 5000;
  int64_t reconcile_interval_ms = 30'000;
  int64_t request_timeout_ms = 10'000;  // a poll may take poll_timeout_ms longer
};

class SchedulerLink {
 public:
  SchedulerLink(LinkOptions options, Registration& registration, LinkHooks& hooks);
  ~SchedulerLink();
  SchedulerLink(const SchedulerLink&) = delete;
  SchedulerLink& operator=(const SchedulerLink&) = delete;

  void start();
  void stop();

 private:
  void run(std::stop_token stop);
  // A client for the scheduler's current URL (the leader's, once found); false when none.
  bool ensure_client();
  // A request failed or was refused: a leader that moved is looked up again.
  void relocate(const std::string& why);
  bool register_once();
  bool poll_once(std::stop_token stop);
  void set_reachable(bool up, const std::string& detail);

  LinkOptions options_;
  Registration& registration_;
  LinkHooks& hooks_;
  WorkerThread thread_;

  // Link thread only.
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace borealis::agent
