// The daemon subcommands as main() wires them: run_cli with register_daemon_commands, the
// daemons replaced by recorders (or, for errors found before anything starts, the real
// ones).
#include "cli/daemon_commands.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>

#include "cli/cli.h"
#include "common/files.h"

namespace borealis::cli {
namespace {

class DaemonCommandsTest : public ::testing::Test {
 protected:
  // Runs `borealis ARGS` with the recorders; returns the exit code.
  int run(const std::vector<std::string>& args) { return run_with(args, recorders()); }

  int run_with(const std::vector<std::string>& args, DaemonRunners runners) {
    out_.str("");
    err_.str("");
    return run_cli(args, out_, err_, env_, [&](CLI::App& app, CommandTable& table) {
      register_daemon_commands(app, table, runners);
    });
  }

  // Runs `borealis ARGS` with the recorders; success is exit code 0.
  ::testing::AssertionResult parses(const std::vector<std::string>& args) {
    int code = run(args);
    if (code == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "exit code " << code << ": " << err_.str();
  }

  DaemonRunners recorders() {
    return {[this](const scheduler::SchedulerOptions& o) { return scheduler_ = o, 0; },
            [this](const agent::AgentOptions& o) { return agent_ = o, 0; },
            [this](const dev::DevOptions& o) { return dev_ = o, 0; },
            [this](const router::RouterOptions& o) { return router_ = o, 0; }};
  }

  CliEnv env_;
  std::ostringstream out_, err_;
  std::optional<scheduler::SchedulerOptions> scheduler_;
  std::optional<agent::AgentOptions> agent_;
  std::optional<dev::DevOptions> dev_;
  std::optional<router::RouterOptions> router_;
};

TEST_F(DaemonCommandsTest, RouterFlagsReachItsOptions) {
  ASSERT_TRUE(parses({"router", "--zk", "127.0.0.1:2181", "--zk-auth", "/etc/borealis/zk-auth",
                      "--config", "/etc/borealis/router.yaml"}));
  ASSERT_TRUE(router_.has_value());
  EXPECT_EQ(router_->zk, "127.0.0.1:2181");
  EXPECT_EQ(router_->zk_auth, "/etc/borealis/zk-auth");
  EXPECT_EQ(router_->config, "/etc/borealis/router.yaml");
  EXPECT_EQ(router_->log_level, "info");
  EXPECT_NE(run({"router", "--config", "/x.yaml"}), 0);  // --zk is required
}

TEST_F(DaemonCommandsTest, SchedulerFlagsReachItsOptions) {
  ASSERT_TRUE(
      parses({"scheduler", "--store", "sqlite:///tmp/s.db", "--cluster", "prod1", "--http-port",
              "0", "--sla-aware-kill-non-prod", "--container-images", "--log-level", "debug",
              "--auth-file", "/etc/borealis/auth.yaml", "--insecure"}));
  ASSERT_TRUE(scheduler_.has_value());
  EXPECT_EQ(scheduler_->store, "sqlite:///tmp/s.db");
  EXPECT_EQ(scheduler_->cluster, "prod1");
  EXPECT_EQ(scheduler_->http_port, 0);
  EXPECT_TRUE(scheduler_->sla_aware_kill_non_prod);
  EXPECT_TRUE(scheduler_->container_images);
  EXPECT_EQ(scheduler_->log_level, "debug");
  EXPECT_EQ(scheduler_->auth_file, "/etc/borealis/auth.yaml");
  EXPECT_TRUE(scheduler_->insecure);
  EXPECT_EQ(scheduler_->agent_timeout_secs, 15);  // untouched defaults stay

  auto core = scheduler::core_options(*scheduler_);
  EXPECT_TRUE(core.container_images);
  EXPECT_EQ(core.cluster, "prod1");
  EXPECT_EQ(core.agent_timeout_ms, 15'000);
  EXPECT_FALSE(scheduler::core_options(scheduler::SchedulerOptions{}).container_images);
}

TEST_F(DaemonCommandsTest, ZooKeeperFlagsReachTheScheduler) {
  ASSERT_TRUE(
      parses({"scheduler", "--store", "sqlite:///tmp/s.db", "--zk", "zk1:2181/b", "--zk-auth",
              "/etc/borealis/zk-auth", "--scheduler-zk-path", "/s", "--advertise-host", "sched1"}));
  EXPECT_EQ(scheduler_->zk, "zk1:2181/b");
  EXPECT_EQ(scheduler_->zk_auth, "/etc/borealis/zk-auth");
  EXPECT_EQ(scheduler_->scheduler_zk_path, "/s");
  EXPECT_EQ(scheduler_->advertise_host, "sched1");
  ASSERT_TRUE(parses({"dev", "--zk", "127.0.0.1:2181"}));
  EXPECT_EQ(dev_->scheduler.zk, "127.0.0.1:2181");
}

TEST_F(DaemonCommandsTest, TaskUserFlagsReachEveryDaemon) {
  ASSERT_TRUE(parses({"scheduler", "--store", "sqlite:///x", "--min-task-uid", "500",
                      "--allow-root-roles", "ops,infra"}));
  EXPECT_EQ(scheduler_->min_task_uid, 500);
  EXPECT_EQ(scheduler_->allow_root_roles, "ops,infra");
  ASSERT_TRUE(parses({"scheduler", "--store", "sqlite:///x"}));
  EXPECT_EQ(scheduler_->min_task_uid, 1000);
  EXPECT_EQ(run({"scheduler", "--store", "sqlite:///x", "--min-task-uid", "-1"}), 2);
  ASSERT_TRUE(parses({"agent", "--scheduler", "http://s:1", "--work-dir", "/tmp/w",
                      "--min-task-uid", "500", "--allow-root-roles", "ops"}));
  EXPECT_EQ(agent_->min_task_uid, "500");
  EXPECT_EQ(agent_->allow_root_roles, "ops");
  ASSERT_TRUE(parses({"dev", "--allow-root-roles", "ops"}));
  EXPECT_EQ(dev_->scheduler.min_task_uid, 1) << "dev refuses only root by default";
  EXPECT_EQ(dev_->scheduler.allow_root_roles, "ops");
}

TEST_F(DaemonCommandsTest, SchedulerRefusesBadFlagsAsUsageErrors) {
  EXPECT_EQ(run({"scheduler"}), 2);  // --store is required
  EXPECT_NE(err_.str().find("--store"), std::string::npos) << err_.str();
  EXPECT_EQ(run({"scheduler", "--store", "sqlite:///x", "--http-port", "70000"}), 2);
  EXPECT_EQ(run({"scheduler", "--store", "sqlite:///x", "--log-level", "loud"}), 2);
  EXPECT_EQ(run({"scheduler", "--store", "sqlite:///x", "--agent-timeout-secs", "0"}), 2);
  EXPECT_FALSE(scheduler_.has_value());
}

TEST_F(DaemonCommandsTest, AgentFlagsReachItsOptions) {
  ASSERT_TRUE(parses({"agent", "--scheduler", "http://s:1", "--work-dir", "/tmp/w", "--ports",
                      "40000-40100", "--log-level", "debug", "--auth-file", "/a.yaml",
                      "--token-file", "/t", "--insecure"}));
  ASSERT_TRUE(agent_.has_value());
  EXPECT_EQ(agent_->scheduler, "http://s:1");
  EXPECT_EQ(agent_->work_dir, "/tmp/w");
  EXPECT_EQ(agent_->ports, "40000-40100");
  EXPECT_EQ(agent_->log_level, "debug");
  EXPECT_EQ(agent_->http_port, "5051");
  EXPECT_EQ(agent_->auth_file, "/a.yaml");
  EXPECT_EQ(agent_->token_file, "/t");
  EXPECT_TRUE(agent_->insecure);
}

TEST_F(DaemonCommandsTest, AgentErrorsExitAsUsageErrors) {
  EXPECT_EQ(run({"agent", "--work-dir", "/tmp/w", "--bogus"}), 2);
  EXPECT_FALSE(agent_.has_value());
  // The real agent: a bad value is found before anything starts, and names its flag;
  // without --scheduler it must follow a leader through ZooKeeper.
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_with({"agent", "--work-dir", "/tmp/w"}, real_daemons()), 2);
  std::string missing = testing::internal::GetCapturedStderr();
  EXPECT_EQ(missing.rfind("error: --scheduler: required, unless the agent follows the leader", 0),
            0u)
      << missing;
  testing::internal::CaptureStderr();
  int code =
      run_with({"agent", "--scheduler", "http://s:1", "--work-dir", "/tmp/w", "--ports", "x"},
               real_daemons());
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, 2);
  EXPECT_EQ(err.rfind("error: --ports: ", 0), 0u) << err;
}

TEST_F(DaemonCommandsTest, DevComposesTheDaemonsOptions) {
  ASSERT_TRUE(parses({"dev", "--state-dir", "/tmp/d", "--agent-http-port", "7000", "--ports",
                      "20000-20010", "--log-level", "warn", "--auth-file", "/a.yaml"}));
  ASSERT_TRUE(dev_.has_value());
  EXPECT_EQ(dev_->state_dir, "/tmp/d");
  EXPECT_EQ(dev_->scheduler.http_port, 8081);
  EXPECT_EQ(dev_->scheduler.bind_address, "127.0.0.1");
  EXPECT_EQ(dev_->scheduler.poll_timeout_ms, 2000);
  EXPECT_EQ(dev_->scheduler.log_level, "warn");
  EXPECT_EQ(dev_->scheduler.auth_file, "/a.yaml");
  EXPECT_EQ(dev_->scheduler.max_instances, scheduler::SchedulerOptions{}.max_instances);
  EXPECT_EQ(dev_->agent.http_port, "7000");
  EXPECT_EQ(dev_->agent.http_bind, "127.0.0.1");
  EXPECT_EQ(dev_->agent.ports, "20000-20010");
  EXPECT_EQ(dev_->agent.sandbox_retention, agent::AgentOptions{}.sandbox_retention);

  ASSERT_TRUE(parses({"dev"}));
  EXPECT_EQ(dev_->state_dir, "");
  EXPECT_EQ(dev_->agent.http_port, "0");  // a free port: dev clusters side by side
  EXPECT_EQ(run({"dev", "--agent-http-port", "70000"}), 2);
  EXPECT_EQ(run({"dev", "--store", "sqlite:///x"}), 2);  // dev places its own store
}

TEST_F(DaemonCommandsTest, HelpShowsEveryFlagOfTheTable) {
  auto check = [&](const std::string& command, const auto& table) {
    EXPECT_EQ(run({command, "--help"}), 0);
    for (const auto& spec : table) {
      EXPECT_NE(out_.str().find(std::string(spec.flag)), std::string::npos)
          << command << " " << spec.flag;
      std::string def = option_default_text(spec);
      if (!def.empty() && !spec.required) {
        EXPECT_NE(out_.str().find(def), std::string::npos) << command << " " << spec.flag;
      }
    }
  };
  check("scheduler", scheduler::scheduler_option_table());
  check("agent", agent::agent_option_table());
  check("dev", dev::dev_option_table());
  check("router", router::router_option_table());
}

TEST(DaemonDocsTest, TheDocsCarryTheOptionTables) {
  auto doc = read_file(std::string(BOREALIS_SOURCE_DIR) + "/docs/operations.md");
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  std::string scheduler = options_markdown(scheduler::scheduler_option_table());
  std::string dev = options_markdown(dev::dev_option_table());
  EXPECT_NE(doc->find(scheduler), std::string::npos)
      << "docs/operations.md must hold options_markdown(scheduler_option_table()) as is:\n"
      << scheduler;
  EXPECT_NE(doc->find(dev), std::string::npos)
      << "docs/operations.md must hold options_markdown(dev_option_table()) as is:\n"
      << dev;
  std::string router = options_markdown(router::router_option_table());
  EXPECT_NE(doc->find(router), std::string::npos)
      << "docs/operations.md must hold options_markdown(router_option_table()) as is:\n"
      << router;
}

}  // namespace
}  // namespace borealis::cli
