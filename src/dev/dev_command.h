// `borealis dev`: a whole cluster on this machine in one process — the scheduler (state in
// SQLite under the state directory) and one agent (its runners are their own processes).
// State survives restarts of `borealis dev`; tasks survive them too.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace borealis::dev {

struct DevOptions {
  std::string state_dir;  // default ~/.borealis/dev
  int http_port = 8081;
  int agent_http_port = 0;  // 0: a free port, so that dev clusters can run side by side
  std::string ports = "31000-31999";
  std::string log_level = "info";
};

CLI::App* add_dev_command(CLI::App& app, DevOptions& options);
int run_dev(const DevOptions& options);

}  // namespace borealis::dev
