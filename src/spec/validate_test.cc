#include "spec/validate.h"

#include <gtest/gtest.h>

#include "spec/job_spec_json.h"

namespace borealis::spec {
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
      {[](JobSpec& j) { j.instances = 0; }, "instances: must be at least 1, got 0"},
      {[](JobSpec& j) { j.instances = 20000; }, "instances: 20000 is more than the limit"},
      {[](JobSpec& j) { j.task.resources->cpu = -1; },
       "task.resources.cpu: must be greater than 0"},
      {[](JobSpec& j) { j.task.resources->ram = -5; },
       "task.resources.ram: must be greater than 0"},
      {[](JobSpec& j) { j.task.resources->disk = 0; },
       "task.resources.disk: must be greater than 0"},
      {[](JobSpec& j) { j.task.resources.reset(); }, "task.resources: is required"},
      {[](JobSpec& j) { j.task.processes.clear(); }, "task.processes: a task needs at least one"},
      {[](JobSpec& j) { j.task.processes.push_back(j.task.processes[0]); },
       "task.processes[1].name: duplicate process name 'hello'"},
      {[](JobSpec& j) { j.task.processes[0].name = ".."; }, "task.processes[0].name"},
      {[](JobSpec& j) { j.task.processes[0].name = "a/b"; }, "task.processes[0].name"},
      {[](JobSpec& j) { j.task.processes[0].cmdline = "  "; },
       "task.processes[0].cmdline: must not be empty"},
      {[](JobSpec& j) { j.task.processes[0].cmdline = "run {{profile.workers}}"; },
       "task.processes[0].cmdline: unbound reference {{profile.workers}}"},
      {[](JobSpec& j) { j.task.processes[0].cmdline = "run {{a{{b}}}}"; },
       "task.processes[0].cmdline: nested mustache"},
      {[](JobSpec& j) { j.task.processes[0].max_failures = -1; },
       "task.processes[0].max_failures: must be at least 0, got -1"},
      {[](JobSpec& j) {
         j.task.constraints.push_back({{"hello", "nope"}});
       },
       "task.constraints[0].order: names process 'nope'"},
      {[](JobSpec& j) {
         j.task.processes.push_back(Process{.name = "b", .cmdline = "b"});
         j.task.constraints.push_back({{"hello", "b"}});
         j.task.constraints.push_back({{"b", "hello"}});
       },
       "order constraints form a cycle"},
      {[](JobSpec& j) { j.max_task_failures = -2; }, "max_task_failures: must be -1"},
      {[](JobSpec& j) {
         j.service = true;
         j.cron_schedule = "* * * * *";
       },
       "cron_schedule: a service cannot have a cron schedule"},
      {[](JobSpec& j) { j.cron_collision_policy = "SOMETIMES"; }, "cron_collision_policy"},
      {[](JobSpec& j) { j.update_config.batch_size = 0; },
       "update_config.batch_size: must be at least 1, got 0"},
      {[](JobSpec& j) { j.update_config.max_total_failures = 3; },
       "update_config.max_total_failures: must be less than the number of instances (3)"},
      {[](JobSpec& j) { j.health_check_config.interval_secs = 0; },
       "health_check_config.interval_secs: must be greater than 0"},
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

TEST(ValidateTest, RuntimeReferencesAreAllowed) {
  JobSpec j = good_job();
  j.task.processes[0].cmdline =
      "serve --port={{thermos.ports[http]}} --id={{thermos.task_id}} --host={{mesos.hostname}} "
      "--user={{thermos.user}} --shard={{mesos.instance}}";
  EXPECT_EQ(error_of(j), "");
  EXPECT_TRUE(is_runtime_reference("thermos.ports[http]"));
  EXPECT_FALSE(is_runtime_reference("thermos.ports"));
  EXPECT_FALSE(is_runtime_reference("mesos.role"));
}

TEST(ValidateTest, StagingEnvironmentsWithNumbers) {
  JobSpec j = good_job();
  j.environment = "staging12";
  EXPECT_EQ(error_of(j), "");
  j.environment = "stagingX";
  EXPECT_NE(error_of(j), "");
}

}  // namespace
}  // namespace borealis::spec
