#include "scheduler/server/scheduler_command.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <memory>

#include "common/log.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

// Blocks until SIGINT or SIGTERM arrives (both blocked in every thread first).
int wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace

void register_scheduler_command(CLI::App& app) {
  auto options = std::make_shared<SchedulerOptions>();
  CLI::App* cmd = app.add_subcommand("scheduler", "Run the scheduler daemon");
  add_scheduler_flags(*cmd, *options);
  cmd->callback([options] {
    init_logging("scheduler", options->log_level);
    // Block the stop signals before threads start, so only sigwait sees them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    SchedulerService service(*options);
    Status st = service.start();
    if (!st.ok()) {
      spdlog::error("cannot start the scheduler: {}", st.message());
      throw CLI::RuntimeError(1);
    }
    int sig = wait_for_signal();
    spdlog::info("signal {}: stopping", sig);
    service.stop();
  });
}

}  // namespace borealis::scheduler
