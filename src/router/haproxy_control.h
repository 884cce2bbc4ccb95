// The HAProxy the router drives. Owned mode: the router starts HAProxy in master-worker mode
// (-W, master CLI on -S), reloads it through the master CLI's `reload` (the new worker takes
// the listeners over: no connection is refused), restarts it when it dies and stops it at
// the end. External mode: HAProxy is someone else's; a reload is the configured
// reload_command. In both modes the runtime API (the `stats socket ... level admin` that
// the rendered file declares) applies server changes without a reload.
//
// Thread-safety: none; the router's thread. Blocks (processes, sockets).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"
#include "router/router_config.h"

namespace borealis::router {

// Runs `argv` and returns its exit code and what it printed (stdout and stderr, at most
// 64 KB); kills it after `timeout`.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
Result<CommandResult> run_command(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout);

class HaproxyControl {
 public:
  explicit HaproxyControl(HaproxyConfig config) : config_(std::move(config)) {}
  ~HaproxyControl() { stop(); }
  HaproxyControl(const HaproxyControl&) = delete;
  HaproxyControl& operator=(const HaproxyControl&) = delete;

  // `haproxy -c -f FILE`: OK, or INVALID_ARGUMENT with HAProxy's own words.
  Status check_config(const std::string& file) const;
  // Owned: starts HAProxy on config_path unless it runs. External: nothing.
  Status start();
  // Makes HAProxy read config_path again. Owned: waits (up to 5 s) until a new worker
  // answers the runtime API, so that runtime commands after this reach the new worker.
  Status reload();
  // Sends runtime API commands (one request); an answer other than an empty line for a
  // command is an error naming it.
  Status runtime(const std::vector<std::string>& commands) const;
  // Owned: true when HAProxy has exited since the last look (and reaps it).
  bool died();
  // Owned: stops HAProxy (SIGUSR1 lets the worker finish its connections, then SIGTERM).
  void stop();

  // Owned: a started HAProxy has not been seen to exit.
  bool running() const { return master_ > 0; }
  int reloads() const { return reloads_; }

 private:
  Result<std::string> worker_pid() const;

  HaproxyConfig config_;
  pid_t master_ = -1;
  int reloads_ = 0;
};

}  // namespace borealis::router
