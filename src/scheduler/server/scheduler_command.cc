#include "scheduler/server/scheduler_command.h"

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>

#include "common/log.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void block_stop_signals() {
  sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_stop_signal() {
  sigset_t set = stop_signals();
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

CLI::App* add_scheduler_command(CLI::App& app, SchedulerOptions& options) {
  CLI::App* cmd = app.add_subcommand("scheduler", "Run the scheduler daemon");
  add_scheduler_flags(*cmd, options);
  cmd->footer(
      "Example:\n  borealis scheduler --cluster prod1 --store sqlite:///var/lib/borealis/state.db");
  return cmd;
}

int run_scheduler(const SchedulerOptions& options) {
  init_logging("scheduler", options.log_level);
  block_stop_signals();
  SchedulerService service(options);
  Status st = service.start();
  if (!st.ok()) {
    spdlog::error("cannot start the scheduler: {}", st.message());
    return 1;
  }
  int sig = wait_for_stop_signal();
  spdlog::info("signal {}: stopping", sig);
  service.stop();
  return 0;
}

}  // namespace borealis::scheduler
