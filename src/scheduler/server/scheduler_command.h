// `borealis scheduler`: runs the scheduler daemon until SIGINT/SIGTERM.
#pragma once

namespace CLI {
class App;
}

namespace borealis::scheduler {

void register_scheduler_command(CLI::App& app);

}  // namespace borealis::scheduler
