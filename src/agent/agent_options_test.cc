#include "agent/agent_options.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/file_util.h"
#include "agent/test_util.h"

namespace borealis::agent {
namespace {

class FakeProbe final : public HostProbe {
 public:
  Result<double> online_cpus() const override { return 4.0; }
  Result<int64_t> memory_bytes() const override { return int64_t{8} << 30; }
  Result<int64_t> free_disk_bytes(const std::string& path) const override {
    if (::access(path.c_str(), F_OK) != 0) return not_found(path);
    disk_path = path;
    return int64_t{100} << 30;
  }
  Result<std::string> hostname() const override { return std::string("box-1"); }
  Result<std::string> executable_dir() const override { return exe_dir; }

  std::string exe_dir;
  mutable std::string disk_path;
};

class AgentOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_text(dir_ / "bin/borealis-runner", "#!/bin/sh\n");
    ::chmod((dir_ / "bin/borealis-runner").c_str(), 0755);
    probe_.exe_dir = dir_ / "bin";
    options_.scheduler = "http://127.0.0.1:8081/";
    options_.work_dir = dir_ / "work";
    options_.http_bind = "127.0.0.1";  // without an auth file: loopback only
  }

  std::string error_of(const AgentOptions& o) {
    auto c = resolve_agent_options(o, probe_);
    return c.ok() ? "" : c.status().message();
  }

  testing::TempDir dir_;
  FakeProbe probe_;
  AgentOptions options_;
};

TEST_F(AgentOptionsTest, DefaultsAndDetection) {
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->scheduler_url, "http://127.0.0.1:8081");
  EXPECT_EQ(c->http_port, 5051);
  EXPECT_EQ(c->ports, (PortRange{31000, 31999}));
  EXPECT_EQ(c->resources, (HostResources{4.0, int64_t{8} << 30, int64_t{100} << 30}));
  EXPECT_EQ(probe_.disk_path, dir_.path());  // work/ does not exist yet: its parent
  EXPECT_EQ(c->hostname, "box-1");
  EXPECT_EQ(c->attributes, (std::map<std::string, std::string>{{"host", "box-1"}}));
  EXPECT_EQ(c->runner_path, dir_ / "bin/borealis-runner");
  EXPECT_EQ(c->sandbox_retention_ms, 86'400'000);
  EXPECT_EQ(c->gc_interval_ms, 600'000);
  EXPECT_EQ(c->opentsdb.url, "");  // no push
}

TEST_F(AgentOptionsTest, OpenTsdbFlagsConfigureThePush) {
  options_.opentsdb_url = "http://tsdb.example.com:4242";
  options_.opentsdb_interval = 15;
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->opentsdb.url, "http://tsdb.example.com:4242");
  EXPECT_EQ(c->opentsdb.interval_ms, 15'000);
}

TEST_F(AgentOptionsTest, AnOpenAgentListensOnLoopbackOnlyUnlessInsecure) {
  options_.http_bind = "0.0.0.0";
  EXPECT_EQ(error_of(options_).rfind("--http-bind: refusing to listen on 0.0.0.0 without "
                                     "authentication",
                                     0),
            0u)
      << error_of(options_);
  options_.insecure = true;
  EXPECT_EQ(error_of(options_), "");
  options_.insecure = false;
  options_.auth_file = dir_.write("auth.yaml", "users: []\n");
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_NE(c->auth, nullptr);
  options_.auth_file = dir_.write("bad.yaml", "users: []\ngroups: []\n");
  EXPECT_EQ(error_of(options_).rfind("--auth-file: " + (dir_ / "bad.yaml") + ":2: unknown key", 0),
            0u)
      << error_of(options_);
}

TEST_F(AgentOptionsTest, TheTokenFileMustBeTheAgentUsersAlone) {
  options_.token_file = dir_.write("token", "agent-token\n");
  ASSERT_EQ(::chmod(options_.token_file.c_str(), 0644), 0);
  EXPECT_EQ(error_of(options_), "--token-file: token file " + options_.token_file +
                                    " has mode 0644: other users may read the token; chmod 600 it");
  ASSERT_EQ(::chmod(options_.token_file.c_str(), 0600), 0);
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->scheduler_token, "agent-token");
  ::unlink(options_.token_file.c_str());
  EXPECT_EQ(error_of(options_).rfind("--token-file: cannot read token file", 0), 0u);
  options_.token_file = dir_.write("empty", " \n");
  ::chmod(options_.token_file.c_str(), 0600);
  EXPECT_EQ(error_of(options_),
            "--token-file: token file " + options_.token_file + " holds no token");
}

TEST_F(AgentOptionsTest, ZooKeeperFlagsConfigureTheAnnouncer) {
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_FALSE(c->zk.has_value());  // nothing announced without --zk
  EXPECT_EQ(c->serversets.root, "/aurora");

  options_.zk = "127.0.0.1:2181,zk2:2181/borealis";
  options_.serverset_root = "/services";
  options_.zk_path_allow = "/finagle, /shared/svc";
  options_.zk_auth = dir_.write("zk-auth", "agent:s3cret\n");
  ASSERT_EQ(::chmod(options_.zk_auth.c_str(), 0600), 0);
  c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_TRUE(c->zk.has_value());
  EXPECT_EQ(c->zk->to_string(), "127.0.0.1:2181,zk2:2181/borealis");
  ASSERT_TRUE(c->zk_credential.has_value());
  EXPECT_EQ(c->zk_credential->to_auth_string(), "agent:s3cret");
  EXPECT_EQ(c->serversets.root, "/services");
  EXPECT_EQ(c->serversets.allowed_zk_paths, (std::vector<std::string>{"/finagle", "/shared/svc"}));

  ASSERT_EQ(::chmod(options_.zk_auth.c_str(), 0644), 0);
  EXPECT_EQ(
      error_of(options_).rfind("--zk-auth: token file " + options_.zk_auth + " has mode 0644", 0),
      0u);
  ASSERT_EQ(::chmod(options_.zk_auth.c_str(), 0600), 0);
  testing::write_text(options_.zk_auth, "no-colon\n");
  EXPECT_EQ(error_of(options_).rfind("--zk-auth: ", 0), 0u);
  EXPECT_EQ(error_of(options_).find("no-colon"), std::string::npos);

  AgentOptions bad = options_;
  bad.zk_auth.clear();
  bad.zk = "host-without-port";
  EXPECT_EQ(error_of(bad).rfind("--zk: ", 0), 0u);
  bad = options_;
  bad.zk_auth.clear();
  bad.serverset_root = "aurora";
  EXPECT_EQ(error_of(bad).rfind("--serverset-root: ", 0), 0u);
  bad.serverset_root = "/aurora";
  bad.zk_path_allow = "/ok,/a/../b";
  EXPECT_EQ(error_of(bad).rfind("--zk-path-allow: ", 0), 0u);
  bad = options_;
  bad.zk.clear();
  EXPECT_EQ(error_of(bad), "--zk-auth: needs --zk");
  bad = options_;
  bad.announce_host = "host name";
  EXPECT_EQ(error_of(bad), "--announce-host: 'host name' is not a host name or an IP address");

  EXPECT_EQ(c->serversets.member_host, "");  // members carry --hostname
  options_.zk_auth.clear();
  options_.announce_host = "10.0.0.7";
  c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->serversets.member_host, "10.0.0.7");
}

TEST_F(AgentOptionsTest, GivenValuesWinOverDetection) {
  options_.resources = "cpu=1.5, disk=10G";
  options_.hostname = "agent-7";
  options_.attributes = "rack=r1,zone=z";
  options_.http_port = "0";
  options_.ports = "20000-20010";
  options_.sandbox_retention = "90m";
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->resources, (HostResources{1.5, int64_t{8} << 30, int64_t{10} << 30}));
  EXPECT_EQ(c->http_port, 0);
  EXPECT_EQ(c->ports, (PortRange{20000, 20010}));
  EXPECT_EQ(c->attributes.at("host"), "agent-7");
  EXPECT_EQ(c->attributes.at("rack"), "r1");
  EXPECT_EQ(c->sandbox_retention_ms, 90 * 60'000);
}

TEST_F(AgentOptionsTest, FollowsTheLeaderThroughZooKeeper) {
  AgentOptions o = options_;
  o.scheduler = "";
  EXPECT_EQ(error_of(o),
            "--scheduler: required, unless the agent follows the leader (--zk and --cluster)");
  o.zk = "127.0.0.1:2181";
  o.cluster = "prod1";
  auto c = resolve_agent_options(o, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->scheduler_url, "");
  EXPECT_EQ(c->scheduler_zk_path, "/borealis/prod1/scheduler");
  o.scheduler_zk_path = "/custom/schedulers";
  EXPECT_EQ(resolve_agent_options(o, probe_)->scheduler_zk_path, "/custom/schedulers");
  o.scheduler_zk_path = "no-slash";
  EXPECT_EQ(error_of(o).rfind("--scheduler-zk-path: ", 0), 0u) << error_of(o);
  o.scheduler_zk_path = "";
  o.scheduler = "http://127.0.0.1:8081";
  EXPECT_EQ(error_of(o).rfind("--cluster: ", 0), 0u) << error_of(o);
  o.cluster = "";
  o.scheduler_zk_path = "/custom/schedulers";
  EXPECT_EQ(error_of(o), "--scheduler-zk-path: needs --cluster");
}

TEST_F(AgentOptionsTest, BadValuesNameTheFlag) {
  struct Case {
    std::string AgentOptions::*field;
    const char* value;
    const char* flag;
  } cases[] = {
      {&AgentOptions::scheduler, "ftp://x", "--scheduler"},
      {&AgentOptions::http_port, "70000", "--http-port"},
      {&AgentOptions::http_port, "http", "--http-port"},
      {&AgentOptions::ports, "31999-31000", "--ports"},
      {&AgentOptions::ports, "31000", "--ports"},
      {&AgentOptions::resources, "cpu=0", "--resources"},
      {&AgentOptions::resources, "gpu=1", "--resources"},
      {&AgentOptions::resources, "ram=8X", "--resources"},
      {&AgentOptions::attributes, "host=other", "--attributes"},
      {&AgentOptions::attributes, "rack", "--attributes"},
      {&AgentOptions::runner, "/no/such/runner", "--runner"},
      {&AgentOptions::sandbox_retention, "1w", "--sandbox-retention"},
      {&AgentOptions::log_level, "loud", "--log-level"},
      {&AgentOptions::hostname, "a b", "--hostname"},
      {&AgentOptions::min_task_uid, "-1", "--min-task-uid"},
      {&AgentOptions::min_task_uid, "4294967295", "--min-task-uid"},
      {&AgentOptions::allow_root_roles, "ops,ops", "--allow-root-roles"},
      {&AgentOptions::allow_root_roles, "a/b", "--allow-root-roles"},
      {&AgentOptions::client_cert, "/etc/agent.pem", "--client-cert"},
      {&AgentOptions::client_key, "/etc/agent.key", "--client-key"},
      {&AgentOptions::scheduler_ca, "/etc/ca.pem", "--scheduler"},  // an http:// URL
      {&AgentOptions::tls_key, "/etc/agent.key", "--tls-key"},
      {&AgentOptions::tls_ca, "/etc/ca.pem", "--tls-ca"},
      {&AgentOptions::opentsdb_url, "tsdb:4242", "--opentsdb-url"},
  };
  for (const auto& c : cases) {
    AgentOptions o = options_;
    o.*c.field = c.value;
    std::string err = error_of(o);
    EXPECT_EQ(err.rfind(std::string(c.flag) + ": ", 0), 0u) << c.value << " -> " << err;
  }
}

TEST_F(AgentOptionsTest, TaskUserFlagsSetThePolicy) {
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->task_users.min_uid, 1000);
  EXPECT_TRUE(c->task_users.allow_root_roles.empty());
  options_.min_task_uid = "33";
  options_.allow_root_roles = "ops, infra";
  c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->task_users.min_uid, 33);
  EXPECT_EQ(c->task_users.allow_root_roles, (std::vector<std::string>{"ops", "infra"}));
}

TEST_F(AgentOptionsTest, RunnerLoggerFlagsGiveProcessesWithoutALoggerOne) {
  auto c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_FALSE(c->default_logger);  // no flag: Thermos's default, plain files
  options_.runner_logger_mode = "rotate";
  options_.runner_rotate_log_size = "64K";
  c = resolve_agent_options(options_, probe_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_TRUE(c->default_logger);
  EXPECT_EQ(*c->default_logger,
            (jobspec::Logger{.destination = "file", .mode = "rotate", .rotate = {{65536, 5}}}));

  AgentOptions o = options_;
  o.runner_logger_destination = "syslog";
  EXPECT_EQ(error_of(o),
            "--runner-logger-destination: destination: expected file, console, both or none, "
            "got 'syslog'");
  o = options_;
  o.runner_rotate_log_size = "10";
  EXPECT_EQ(error_of(o),
            "--runner-rotate-log-size: rotate.log_size: expected 1024 to "
            "1099511627776, got 10");
  o = options_;
  o.runner_rotate_log_backups = "0";
  EXPECT_EQ(error_of(o), "--runner-rotate-log-backups: rotate.backups: expected 1 to 1024, got 0");
}

TEST(OptionParsersTest, BytesDurationsPortsResources) {
  EXPECT_EQ(*parse_bytes("8589934592"), int64_t{8589934592});
  EXPECT_EQ(*parse_bytes("512MiB"), int64_t{512} << 20);
  EXPECT_EQ(*parse_bytes("8G"), int64_t{8} << 30);
  EXPECT_EQ(*parse_bytes("1K"), 1024);
  EXPECT_FALSE(parse_bytes("8GB").ok());
  EXPECT_FALSE(parse_bytes("-1").ok());
  EXPECT_FALSE(parse_bytes("99999999999T").ok());
  EXPECT_EQ(*parse_duration_ms("45"), 45'000);
  EXPECT_EQ(*parse_duration_ms("250ms"), 250);
  EXPECT_EQ(*parse_duration_ms("2h"), 7'200'000);
  EXPECT_EQ(*parse_duration_ms("1d"), 86'400'000);
  EXPECT_FALSE(parse_duration_ms("d").ok());
  EXPECT_EQ(*parse_port_range("1-1"), (PortRange{1, 1}));
  EXPECT_FALSE(parse_port_range("0-10").ok());
  EXPECT_FALSE(parse_port_range("10-65536").ok());
  auto r = parse_resource_flags("ram=1G");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->cpu.has_value());
  EXPECT_EQ(r->ram, int64_t{1} << 30);
  EXPECT_FALSE(parse_attributes("a=1,a=2").ok());
}

TEST(HostProbeTest, ParsesCpuListsAndMeminfo) {
  EXPECT_EQ(count_cpu_list("0-3,6,8-9\n"), 7);
  EXPECT_EQ(count_cpu_list("0"), 1);
  EXPECT_FALSE(count_cpu_list("").has_value());
  EXPECT_FALSE(count_cpu_list("3-1").has_value());
  EXPECT_FALSE(count_cpu_list("a-b").has_value());
  EXPECT_EQ(parse_meminfo_total("MemTotal:       16314528 kB\nMemFree: 1 kB\n"),
            int64_t{16314528} * 1024);
  EXPECT_FALSE(parse_meminfo_total("MemFree: 1 kB\n").has_value());
  EXPECT_FALSE(parse_meminfo_total("MemTotal: lots kB\n").has_value());
  SystemHostProbe real;
  EXPECT_GE(*real.online_cpus(), 1.0);
  EXPECT_GT(*real.memory_bytes(), 0);
  EXPECT_GT(*real.free_disk_bytes("/"), 0);
}

TEST(AgentOptionsDocTest, TheDocsCarryTheOptionTable) {
  std::string table = options_markdown(agent_option_table());
  for (const auto& s : agent_option_table())
    EXPECT_NE(table.find("`" + std::string(s.flag) + (s.value_name.empty() ? "`" : " ")),
              std::string::npos)
        << s.flag;
  auto doc = read_file(BOREALIS_AGENT_DOC);
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  EXPECT_NE(doc->find(table), std::string::npos)
      << "docs/agent-api.md must hold options_markdown(agent_option_table()) as is:\n"
      << table;
}

}  // namespace
}  // namespace borealis::agent
