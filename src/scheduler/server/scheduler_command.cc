#include "scheduler/server/scheduler_command.h"

#include "common/log.h"
#include "common/stop_signals.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

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
