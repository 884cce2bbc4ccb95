// Agent: one host's daemon. It registers with the scheduler and long-polls it for
// commands, runs one borealis-runner per task in its own sandbox, reports every task's
// state changes at least once and in order, re-attaches to running tasks after its own
// restart, serves its HTTP API and collects old sandboxes.
//
// Threads (one event loop owns the state; the others only talk):
//   loop    an io_context: TaskManager and its TaskMonitors, inotify, pidfds, timers,
//           and the HTTP API (Beast server on the same io_context)
//   link    SchedulerLink: register + long poll (blocking client); commands are posted
//           to the loop and acknowledged once applied there
//   sender  UpdateSender: outbox appends (fsync per batch) and update POSTs
//   janitor deletes collected sandboxes
//
// Destroying an Agent stops all of it but leaves every task running: that is also how
// tests simulate an agent crash.
#pragma once

#include <memory>
#include <string>

#include "agent/agent_config.h"
#include "common/clock.h"
#include "common/result.h"

namespace borealis::agent {

class Agent {
 public:
  // Takes the work dir (refusing one another agent holds), replays the outbox,
  // re-attaches to the sandboxes there, binds the HTTP API and starts talking to the
  // scheduler. `clock` (wall time for update timestamps and sandbox ages) must outlive
  // the agent.
  static Result<std::unique_ptr<Agent>> start(AgentConfig config,
                                              const Clock& clock = SystemClock::instance());
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  uint16_t http_port() const;
  // What the agent tells the scheduler its API is: "host:port".
  const std::string& address() const;

  struct Impl;

 private:
  explicit Agent(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace borealis::agent
