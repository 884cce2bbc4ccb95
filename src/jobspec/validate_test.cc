#include "jobspec/validate.h"

#include <gtest/gtest.h>

#include "jobspec/job_spec_json.h"
#include "jobspec/validate_limits.h"

namespace borealis::jobspec {
namespace {

JobSpec good_job() {
  JobSpec j;
  j.role = "www-data";
  j.environment = "prod";
  j.cluster = "devcluster";
  j.name = "hello";
  j.instances = 3;
  j.task.name = "hello";
  j.task.processes.push_back(Process{.name = "hello", .cmdline = "echo {{mesos.instance}}"});
  j.task.resources = Resources{1.0, 64 * kMB, 64 * kMB, 0};
  return j;
}

std::string error_of(const JobSpec& j) {
  Status st = validate_job_spec(j);
  return st.ok() ? "" : st.message();
}

TEST(ValidateTest, GoodJobPasses) { EXPECT_EQ(error_of(good_job()), ""); }

TEST(ValidateTest, EachBadValueNamesItsField) {
  struct Case {
    std::function<void(JobSpec&)> mutate;
    std::string expected;
  };
  std::vector<Case> cases = {
      {[](JobSpec& j) { j.role = "bad role"; }, "role 'bad role' may only contain"},
      {[](JobSpec& j) { j.environment = "production"; }, "environment: 'production' must be prod"},
      {[](JobSpec& j) { j.instances = 0; }, "instances: must be between 1 and 10000, got 0"},
      {[](JobSpec& j) { j.instances = 20000; },
       "instances: must be between 1 and 10000, got 20000"},
      {[](JobSpec& j) { j.task.resources->cpu = -1; },
       "task.resources.cpu: must be between 0.001 and 4096, got -1"},
      {[](JobSpec& j) { j.task.resources->ram = -5; },
       "task.resources.ram: must be between 1 and 70368744177664, got -5"},
      {[](JobSpec& j) { j.task.resources->disk = 0; },
       "task.resources.disk: must be between 1 and 70368744177664, got 0"},
      {[](JobSpec& j) { j.task.resources.reset(); }, "task.resources: is required"},
      {[](JobSpec& j) { j.task.processes.clear(); }, "task.processes: a task needs at least one"},
      {[](JobSpec& j) { j.task.processes.push_back(j.task.processes[0]); },
       "task.processes[1].name: duplicate process name 'hello'"},
      {[](JobSpec& j) { j.task.processes[0].name = ".."; }, "task.processes[0].name"},
      {[](JobSpec& j) { j.task.processes[0].name = "a/b"; }, "task.processes[0].name"},
      {[](JobSpec& j) { j.task.processes[0].cmdline = "  "; },
       "task.processes[0].cmdline: must not be empty"},
      {[](JobSpec& j) { j.task.processes[0].logger = Logger{.destination = "syslog"}; },
       "task.processes[0].logger.destination: expected file, console, both or none, got "
       "'syslog'"},
      {[](JobSpec& j) {
         j.task.processes[0].logger = Logger{.mode = "rotate", .rotate = RotatePolicy{4096, 0}};
       },
       "task.processes[0].logger.rotate.backups: expected 1 to 1024, got 0"},
      {[](JobSpec& j) { j.task.processes[0].cmdline = "run {{profile.workers}}"; },
       "task.processes[0].cmdline: unbound reference {{profile.workers}}"},
      {[](JobSpec& j) { j.task.processes[0].cmdline = "run {{a{{b}}}}"; },
       "task.processes[0].cmdline: nested mustache"},
      {[](JobSpec& j) { j.task.processes[0].max_failures = -1; },
       "task.processes[0].max_failures: must be between 0 and 2147483647, got -1"},
      {[](JobSpec& j) {
         j.task.constraints.push_back({{"hello", "nope"}});
       },
       "task.constraints[0].order[1]: names process 'nope'"},
      {[](JobSpec& j) {
         j.task.processes.push_back(Process{.name = "b", .cmdline = "b"});
         j.task.constraints.push_back({{"hello", "b"}});
         j.task.constraints.push_back({{"b", "hello"}});
       },
       "order constraints form a cycle"},
      {[](JobSpec& j) { j.max_task_failures = -2; },
       "max_task_failures: must be between -1 and 2147483647, got -2"},
      {[](JobSpec& j) {
         j.service = true;
         j.cron_schedule = "* * * * *";
       },
       "cron_schedule: a service cannot have a cron schedule"},
      {[](JobSpec& j) { j.cron_collision_policy = "SOMETIMES"; },
       "cron_collision_policy: 'SOMETIMES' must be KILL_EXISTING or CANCEL_NEW"},
      {[](JobSpec& j) { j.cron_collision_policy = "RUN_OVERLAP"; },
       "cron_collision_policy: RUN_OVERLAP is not supported: Aurora deprecated it"},
      {[](JobSpec& j) { j.update_config.batch_size = 0; },
       "update_config.batch_size: must be between 1 and 10000, got 0"},
      {[](JobSpec& j) { j.update_config.max_total_failures = 3; },
       "update_config.max_total_failures: must be less than the number of instances (3)"},
      {[](JobSpec& j) { j.health_check_config.interval_secs = 0; },
       "health_check_config.interval_secs: must be between 0.001 and 1e+09, got 0"},
      {[](JobSpec& j) {
         j.constraints = std::map<std::string, std::string>{{"host", "limit:x"}};
       },
       "constraints.host: 'limit:x' is not a valid limit"},
      {[](JobSpec& j) { j.announce = Announcer{.primary_port = "web", .portmap = {}}; },
       "announce.primary_port: 'web' is not a port any process uses"},
  };
  for (const auto& c : cases) {
    JobSpec j = good_job();
    c.mutate(j);
    std::string err = error_of(j);
    EXPECT_NE(err.find(c.expected), std::string::npos)
        << "expected: " << c.expected << "\n     got: " << err;
  }
}

// Each bound: the limit itself passes, one step past it fails naming the field and range.
TEST(ValidateTest, EveryBoundAcceptsItsLimitAndRefusesOnePast) {
  struct Case {
    std::function<void(JobSpec&, bool past)> set;
    std::string expected;  // the error one step past the limit
  };
  auto big = [](size_t n) { return std::string(n, 'x'); };
  std::vector<Case> cases = {
      {[](JobSpec& j, bool past) { j.task.resources->cpu = past ? 4096.001 : 4096; },
       "task.resources.cpu: must be between 0.001 and 4096, got 4096"},
      {[](JobSpec& j, bool past) { j.task.resources->cpu = past ? 1e16 : 4096; },
       "task.resources.cpu: must be between 0.001 and 4096, got 1e+16"},
      {[](JobSpec& j, bool past) { j.task.resources->cpu = past ? 0.0004 : 0.001; },
       "task.resources.cpu: must be between 0.001 and 4096, got 0.0004"},
      {[](JobSpec& j, bool past) { j.task.resources->cpu = past ? 0.0015 : 0.25; },
       "task.resources.cpu: must be a multiple of 0.001 (whole millicores), got 0.0015"},
      {[](JobSpec& j, bool past) { j.task.resources->ram = kMaxRamBytes + past; },
       "task.resources.ram: must be between 1 and 70368744177664, got 70368744177665"},
      {[](JobSpec& j, bool past) { j.task.resources->disk = kMaxDiskBytes + past; },
       "task.resources.disk: must be between 1 and 70368744177664, got 70368744177665"},
      {[](JobSpec& j, bool past) { j.task.resources->gpu = kMaxGpus + past; },
       "task.resources.gpu: must be between 0 and 1024, got 1025"},
      {[](JobSpec& j, bool past) { j.priority = kMaxPriority + past; },
       "priority: must be between 0 and 1000, got 1001"},
      {[](JobSpec& j, bool past) { j.priority = past ? -1 : 0; },
       "priority: must be between 0 and 1000, got -1"},
      {[](JobSpec& j, bool past) { j.instances = 10000 + past; },
       "instances: must be between 1 and 10000, got 10001"},
      {[](JobSpec& j, bool past) { j.task.finalization_wait = 1'000'000'000 + past; },
       "task.finalization_wait: must be between 0 and 1000000000, got 1000000001"},
      {[](JobSpec& j, bool past) { j.update_config.watch_secs = 1'000'000'000 + past; },
       "update_config.watch_secs: must be between 0 and 1000000000, got 1000000001"},
      {[](JobSpec& j, bool past) { j.update_config.batch_size = 10000 + past; },
       "update_config.batch_size: must be between 1 and 10000, got 10001"},
      {[](JobSpec& j, bool past) { j.update_config.pulse_interval_secs = past ? 0 : 1; },
       "update_config.pulse_interval_secs: must be between 1 and 1000000000, got 0"},
      {[](JobSpec& j, bool past) { j.health_check_config.interval_secs = past ? 0.0009 : 0.001; },
       "health_check_config.interval_secs: must be between 0.001 and 1e+09, got 0.0009"},
      {[](JobSpec& j, bool past) { j.health_check_config.timeout_secs = past ? 2e9 : 1e9; },
       "health_check_config.timeout_secs: must be between 0.001 and 1e+09, got 2e+09"},
      {[](JobSpec& j, bool past) { j.health_check_config.initial_interval_secs = past ? -0.5 : 0; },
       "health_check_config.initial_interval_secs: must be between 0 and 1e+09, got -0.5"},
      {[](JobSpec& j, bool past) {
         j.health_check_config.min_consecutive_successes = past ? 0 : 1;
       },
       "health_check_config.min_consecutive_successes: must be between 1 and 2147483647, got 0"},
      {[](JobSpec& j, bool past) {
         j.health_check_config.health_checker.http->expected_response_code = past ? 600 : 599;
       },
       "health_check_config.health_checker.http.expected_response_code: must be between 100 and "
       "599, got 600"},
      {[](JobSpec& j, bool past) { j.lifecycle.http->shutdown_wait_secs = past ? -1 : 0; },
       "lifecycle.http.shutdown_wait_secs: must be between 0 and 1000000000, got -1"},
      {[](JobSpec& j, bool past) { j.sla_policy = SlaPolicy{.percentage = past ? 100.5 : 100}; },
       "sla_policy.percentage: must be between 0 and 100, got 100.5"},
      {[&](JobSpec& j, bool past) { j.contact = big(kMaxNameBytes + past); },
       "contact: 1025 bytes, more than the limit of 1024"},
      {[&](JobSpec& j, bool past) {
         j.metadata = {{"k", big(kMaxTextBytes + past)}};
       },
       "metadata[0].value: 65537 bytes, more than the limit of 65536"},
      {[](JobSpec& j, bool past) {
         j.metadata.assign(kMaxEntries + past, Metadata{"k", "v"});
       },
       "metadata: 1001 entries, more than the limit of 1000"},
      {[&](JobSpec& j, bool past) {
         j.task_links = std::map<std::string, std::string>{{"logs", big(kMaxTextBytes + past)}};
       },
       "task_links.logs: 65537 bytes, more than the limit of 65536"},
      {[&](JobSpec& j, bool past) {
         j.health_check_config.health_checker.shell = ShellHealthChecker{big(64 * 1024 + past)};
       },
       "health_check_config.health_checker.shell.shell_command: 65537 bytes"},
  };
  for (const auto& c : cases) {
    JobSpec at_limit = good_job();
    c.set(at_limit, false);
    EXPECT_EQ(error_of(at_limit), "") << "at the limit of: " << c.expected;
    JobSpec past = good_job();
    c.set(past, true);
    std::string err = error_of(past);
    EXPECT_NE(err.find(c.expected), std::string::npos)
        << "expected: " << c.expected << "\n     got: " << err;
  }
}

TEST(ValidateTest, RuntimeReferencesAreAllowed) {
  JobSpec j = good_job();
  j.task.processes[0].cmdline =
      "serve --port={{thermos.ports[http]}} --id={{thermos.task_id}} --host={{mesos.hostname}} "
      "--user={{thermos.user}} --shard={{mesos.instance}}";
  EXPECT_EQ(error_of(j), "");
}

// What the runner would refuse in task.json, the scheduler refuses first (the rules are
// taskcontract's; its tests cover them one by one).
TEST(ValidateTest, RefusesWhatTheRunnerWouldRefuse) {
  auto with_two = [](Process first, Process second, std::vector<std::string> order) {
    JobSpec j = good_job();
    first.cmdline = second.cmdline = "run";
    j.task.processes = {std::move(first), std::move(second)};
    j.task.constraints.push_back({std::move(order)});
    return error_of(j);
  };
  EXPECT_EQ(with_two({.name = "loop", .daemon = true}, {.name = "after"}, {"loop", "after"}),
            "task.constraints[0].order: process 'after' may not wait on daemon process 'loop' (a "
            "daemon never finishes)");
  EXPECT_EQ(with_two({.name = "side", .ephemeral = true}, {.name = "main"}, {"side", "main"}),
            "task.constraints[0].order: non-ephemeral process 'main' may not wait on ephemeral "
            "process 'side' (the task does not wait for an ephemeral process to finish)");
  EXPECT_EQ(with_two({.name = "main"}, {.name = "upload", .final = true}, {"main", "upload"}),
            "task.constraints[0].order: orders final process 'upload' with regular process "
            "'main'; final processes always run after regular ones");
  EXPECT_EQ(with_two({.name = "a"}, {.name = "b"}, {"a", "b", "a"}),
            "task.constraints: order constraints form a cycle through process 'a'");

  JobSpec j = good_job();
  j.task.processes[0].name = ".hidden";
  EXPECT_EQ(error_of(j), "task.processes[0].name: process name '.hidden' starts with '.'");
  j = good_job();
  j.task.processes[0].max_failures = int64_t{1} << 31;
  EXPECT_EQ(error_of(j),
            "task.processes[0].max_failures: must be between 0 and 2147483647, got 2147483648");
  j = good_job();
  j.task.processes[0].min_duration = 2'000'000'000;
  EXPECT_EQ(error_of(j),
            "task.processes[0].min_duration: must be between 0 and 1000000000, got 2000000000");
  j = good_job();
  j.task.max_concurrency = int64_t{1} << 40;
  EXPECT_NE(error_of(j).find("task.max_concurrency: must be between 0 and 2147483647"),
            std::string::npos);
  j = good_job();
  j.task.finalization_wait = -1;
  EXPECT_EQ(error_of(j), "task.finalization_wait: must be between 0 and 1000000000, got -1");
}

TEST(ValidateTest, RefusesATaskWhoseTaskJsonTheRunnerWouldRefuseAsTooLarge) {
  JobSpec j = good_job();
  j.task.processes.clear();
  // 64 processes of 64 KiB cmdlines (each within the per-cmdline limit) make 4 MiB.
  for (int i = 0; i < 64; ++i)
    j.task.processes.push_back(
        Process{.name = "p" + std::to_string(i), .cmdline = std::string(64 * 1024 - 1, 'x')});
  std::string err = error_of(j);
  EXPECT_EQ(err.substr(0, 32), "task: its task.json would take u") << err;
  EXPECT_NE(err.find("more than the runner accepts (4194304)"), std::string::npos) << err;
  j.task.processes.resize(48);  // 3 MiB of cmdlines
  EXPECT_EQ(error_of(j), "");
}

// The agent names a sandbox after the task id, which must fit one file name: a key too
// long for that is refused at create, not left to fail at every launch.
TEST(ValidateTest, RefusesAJobKeyWhoseTaskIdsWouldBeTooLong) {
  JobSpec j = good_job();
  j.role = std::string(220, 'r');
  EXPECT_EQ(error_of(j),
            "role, environment and name have 229 bytes together; the limit is 205 so that every "
            "task id (ROLE-ENVIRONMENT-NAME-INSTANCE-UUID) fits 255 bytes, the longest file name");
  j.role = std::string(205 - j.environment.size() - j.name.size(), 'r');
  EXPECT_EQ(error_of(j), "");
}

TEST(ValidateTest, StagingEnvironmentsWithNumbers) {
  JobSpec j = good_job();
  j.environment = "staging12";
  EXPECT_EQ(error_of(j), "");
  j.environment = "stagingX";
  EXPECT_NE(error_of(j), "");
}

}  // namespace
}  // namespace borealis::jobspec
