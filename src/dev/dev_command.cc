#include "dev/dev_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "agent/agent.h"
#include "agent/agent_daemon.h"
#include "auth/auth_config.h"
#include "auth/token.h"
#include "common/log.h"
#include "common/stop_signals.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::dev {

namespace {

std::string default_state_dir() {
  // Run as root, tasks run as other users, who must reach their sandboxes: not in /root.
  if (::geteuid() == 0) return "/var/lib/borealis/dev";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.borealis/dev";
}

// The first directory on the way down to `path` that other users cannot enter, or "".
std::string closed_ancestor(const std::string& path) {
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    std::string dir = path.substr(0, end);
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && !(st.st_mode & S_IXOTH)) return dir;
    if (end == std::string::npos) return "";
  }
}

}  // namespace

scheduler::SchedulerOptions dev_scheduler_defaults() {
  scheduler::SchedulerOptions o;
  o.cluster = "devcluster";
  o.bind_address = "127.0.0.1";
  o.http_port = 8081;
  o.poll_timeout_ms = 2000;
  // Run as root, dev refuses root only: its API is on loopback and its tasks are the
  // developer's own, who runs examples as roles such as www-data (uid 33).
  o.min_task_uid = 1;
  return o;
}

agent::AgentOptions dev_agent_defaults() {
  agent::AgentOptions o;
  o.http_bind = "127.0.0.1";
  o.http_port = "0";
  return o;
}

const OptionTable<DevOptions>& dev_option_table() {
  static const OptionTable<DevOptions> table = [] {
    const auto& scheduler = scheduler::scheduler_option_table();
    const auto& agent = agent::agent_option_table();
    OptionSpec<DevOptions> agent_port =
        nested(option_spec(agent, "--http-port"), &DevOptions::agent);
    agent_port.flag = "--agent-http-port";
    agent_port.help = "port of the agent's HTTP API (logs, files)";
    agent_port.default_text = "a free port, printed at start";
    agent_port.range = {{0, 65535}};
    OptionSpec<DevOptions> zk = nested(option_spec(scheduler, "--zk"), &DevOptions::scheduler);
    zk.help = "ZooKeeper to announce the scheduler and the jobs' instances in (docs/discovery.md)";
    return OptionTable<DevOptions>{
        {.flag = "--state-dir",
         .value_name = "DIR",
         .help = "where state, sandboxes and logs live",
         .field = option_field(&DevOptions::state_dir),
         .default_text = "~/.borealis/dev (/var/lib/borealis/dev as root)"},
        nested(option_spec(scheduler, "--http-port"), &DevOptions::scheduler),
        agent_port,
        nested(option_spec(agent, "--ports"), &DevOptions::agent),
        nested(option_spec(scheduler, "--log-level"), &DevOptions::scheduler),
        nested(option_spec(scheduler, "--min-task-uid"), &DevOptions::scheduler),
        nested(option_spec(scheduler, "--allow-root-roles"), &DevOptions::scheduler),
        nested(option_spec(scheduler, "--auth-file"), &DevOptions::scheduler),
        zk,
    };
  }();
  return table;
}

namespace {

// With an auth file, the dev cluster's own agent must authenticate too: it gets an identity
// of its own, for this host only, with a token that lives in this process's memory.
Result<std::shared_ptr<auth::AuthConfig>> dev_auth(const std::string& file,
                                                   agent::AgentConfig& agent) {
  BOREALIS_ASSIGN_OR_RETURN(auth::AuthConfig config, auth::AuthConfig::load_file(file));
  auto shared = std::make_shared<auth::AuthConfig>(std::move(config));
  BOREALIS_ASSIGN_OR_RETURN(std::string token, auth::new_token());
  auth::Identity self;
  self.name = "borealis-dev-agent";
  self.agents = {agent.hostname};
  BOREALIS_RETURN_IF_ERROR(shared->add_user(std::move(self), token));
  agent.auth = shared;
  agent.scheduler_token = std::move(token);
  return shared;
}

}  // namespace

int run_dev(DevOptions options) {
  std::string state = options.state_dir.empty() ? default_state_dir() : options.state_dir;
  options.scheduler.store = "sqlite://" + state + "/scheduler/state.db";
  options.agent.work_dir = state + "/agent";
  options.agent.log_level = options.scheduler.log_level;
  options.agent.min_task_uid = std::to_string(options.scheduler.min_task_uid);
  options.agent.allow_root_roles = options.scheduler.allow_root_roles;
  // One ZooKeeper for both: the scheduler announces itself, the agent its jobs' instances.
  options.agent.zk = options.scheduler.zk;
  // Run by a developer, tasks run as that developer whatever their role; run as root,
  // they run as their role's user by the agent's rules (docs/dev.md).
  const bool as_root = ::geteuid() == 0;
  options.scheduler.check_task_users = as_root;
  // The scheduler's port is known once it listens; the URL is set then.
  options.agent.scheduler = "http://127.0.0.1:0";
  init_logging("dev", options.scheduler.log_level);
  agent::SystemHostProbe probe;
  auto config = agent::resolve_agent_options(options.agent, probe);
  if (!config.ok()) {
    std::fprintf(stderr, "borealis dev: %s\n", config.status().message().c_str());
    return 2;
  }
  std::shared_ptr<auth::AuthConfig> auth;
  if (!options.scheduler.auth_file.empty()) {
    auto loaded = dev_auth(options.scheduler.auth_file, *config);
    if (!loaded.ok()) {
      std::fprintf(stderr, "borealis dev: --auth-file: %s\n", loaded.status().message().c_str());
      return 2;
    }
    auth = std::move(loaded).value();
  }
  agent::prepare_agent_process();

  scheduler::SchedulerDeps deps;
  deps.auth = auth.get();
  scheduler::SchedulerService scheduler(options.scheduler, deps);
  Status st = scheduler.start();
  if (!st.ok()) {
    std::fprintf(stderr, "borealis dev: cannot start the scheduler: %s\n", st.message().c_str());
    return 1;
  }

  config->scheduler_url = "http://127.0.0.1:" + std::to_string(scheduler.port());
  if (as_root) {
    config->roles_without_user_run_as_nobody = true;
    spdlog::info(
        "running as root: tasks run as their role's Unix user (or `nobody` for a role "
        "without one), never as root");
    if (std::string closed = closed_ancestor(config->work_dir); !closed.empty())
      spdlog::warn(
          "{} is closed to other users: tasks cannot reach their sandboxes in {}; use a "
          "--state-dir they can reach",
          closed, config->work_dir);
  } else {
    config->run_tasks_as_agent_user = true;
  }
  auto agent = agent::Agent::start(*config);
  if (!agent.ok()) {
    std::fprintf(stderr, "borealis dev: cannot start the agent: %s\n",
                 agent.status().message().c_str());
    return 1;
  }
  spdlog::info("devcluster: scheduler http://127.0.0.1:{}, agent http://127.0.0.1:{}, state {}{}",
               scheduler.port(), (*agent)->http_port(), state,
               auth ? ", callers authenticate (" + options.scheduler.auth_file + ")" : "");
  // The same on stdout, for scripts that start `borealis dev` and need its ports.
  std::printf("devcluster: scheduler http://127.0.0.1:%d agent http://127.0.0.1:%d state %s\n",
              static_cast<int>(scheduler.port()), static_cast<int>((*agent)->http_port()),
              state.c_str());
  std::fflush(stdout);
  int sig = wait_for_stop_signal();
  spdlog::info("signal {}: stopping (tasks keep running and are found again next time)", sig);
  agent->reset();
  scheduler.stop();
  return 0;
}

}  // namespace borealis::dev
