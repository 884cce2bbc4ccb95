#include "jobspec/job_spec_json.h"

#include <gtest/gtest.h>

namespace borealis::jobspec {
namespace {

constexpr const char* kMinimal = R"({
  "role": "www-data", "environment": "prod", "cluster": "devcluster",
  "task": {
    "processes": [{"name": "hello", "cmdline": "echo hello"}],
    "resources": {"cpu": 0.5, "ram": 67108864, "disk": 134217728}
  }
})";

JobSpec parse(const std::string& text) {
  auto v = parse_json(text);
  EXPECT_TRUE(v.ok()) << v.status().to_string();
  auto j = job_spec_from_json(*v);
  EXPECT_TRUE(j.ok()) << j.status().to_string();
  return j.ok() ? *j : JobSpec{};
}

TEST(JobSpecJsonTest, AppliesAuroraDefaults) {
  JobSpec j = parse(kMinimal);
  EXPECT_EQ(j.task.name, "hello");  // {{processes[0].name}}
  EXPECT_EQ(j.name, "hello");       // {{task.name}}
  EXPECT_EQ(j.instances, 1);
  EXPECT_FALSE(j.service);
  EXPECT_EQ(j.max_task_failures, 1);
  EXPECT_EQ(j.cron_collision_policy, "KILL_EXISTING");
  EXPECT_EQ(j.update_config.batch_size, 1);
  EXPECT_EQ(j.update_config.watch_secs, 45);
  EXPECT_TRUE(j.update_config.rollback_on_failure);
  EXPECT_EQ(j.health_check_config.initial_interval_secs, 15.0);
  ASSERT_TRUE(j.health_check_config.health_checker.http.has_value());
  EXPECT_EQ(j.health_check_config.health_checker.http->endpoint, "/health");
  ASSERT_TRUE(j.lifecycle.http.has_value());
  EXPECT_EQ(j.lifecycle.http->graceful_shutdown_endpoint, "/quitquitquit");
  const Process& p = j.task.processes[0];
  EXPECT_EQ(p.max_failures, 1);
  EXPECT_EQ(p.min_duration, 5);
  EXPECT_FALSE(p.daemon || p.ephemeral || p.final);
  EXPECT_EQ(j.task.finalization_wait, 30);
  EXPECT_EQ(j.task.max_concurrency, 0);
  EXPECT_EQ(j.executor_config.name, "AuroraExecutor");
  EXPECT_FALSE(j.announce.has_value());
  EXPECT_FALSE(j.constraints.has_value());
}

TEST(JobSpecJsonTest, RoundTripsEveryField) {
  JobSpec j = parse(R"({
    "name": "api", "role": "www-data", "environment": "staging2", "cluster": "c1",
    "contact": "ops@example.com", "instances": 3, "service": true, "tier": "preferred",
    "max_task_failures": -1, "production": true, "priority": 5,
    "constraints": {"host": "limit:1", "rack": "!r1,r2"},
    "metadata": [{"key": "githash", "value": "abc123"}],
    "announce": {"primary_port": "http", "portmap": {"aurora": "http", "admin": "8080"},
                 "zk_path": "/x"},
    "update_config": {"batch_size": 2, "watch_secs": 10, "pulse_interval_secs": 30,
                      "update_strategy": {"batch_size": 2, "autopause_after_batch": true}},
    "health_check_config": {"health_checker": {"shell": {"shell_command": "true"}},
                            "interval_secs": 2, "timeout_secs": 0.5},
    "lifecycle": {},
    "partition_policy": {"reschedule": false, "delay_secs": 30},
    "sla_policy": {"percentage": 95.5, "duration_secs": 60},
    "container": {"image": {"name": "debian", "tag": "12"},
                  "volumes": [{"container_path": "/a", "host_path": "/b", "mode": "RO"}]},
    "task": {
      "name": "t", "max_failures": 2, "max_concurrency": 1, "finalization_wait": 10,
      "resources": {"cpu": 1, "ram": 1048576, "disk": 1048576, "gpu": 0},
      "constraints": [{"order": ["a", "b"]}],
      "processes": [
        {"name": "a", "cmdline": "x --port={{thermos.ports[http]}}", "max_failures": 3,
         "daemon": true, "min_duration": 0,
         "logger": {"destination": "both", "mode": "rotate",
                    "rotate": {"log_size": 1024, "backups": 2}}},
        {"name": "b", "cmdline": "y", "ephemeral": true},
        {"name": "c", "cmdline": "z", "final": true}
      ]
    }
  })");
  EXPECT_TRUE(j.update_config.batch_strategy.has_value());
  EXPECT_TRUE(j.update_config.batch_strategy->autopause_after_batch);
  EXPECT_FALSE(j.lifecycle.http.has_value());  // an explicit empty lifecycle disables it
  EXPECT_EQ(j.sla_policy->kind, SlaPolicy::Kind::kPercentage);
  EXPECT_EQ(j.container->image_kind, ContainerSpec::ImageKind::kDocker);
  EXPECT_TRUE(j.container->needs_image());

  json::value out = job_spec_to_json(j);
  auto again = job_spec_from_json(out);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(*again, j);
  EXPECT_EQ(job_spec_to_json(*again), out);
}

TEST(JobSpecJsonTest, UpdateStrategyChoiceIsInferredFromFields) {
  JobSpec q = parse(std::string(kMinimal).insert(
      1, R"("update_config": {"update_strategy": {"batch_size": 3}},)"));
  ASSERT_TRUE(q.update_config.queue_strategy.has_value());
  EXPECT_EQ(q.update_config.queue_strategy->batch_size, 3);
  JobSpec v = parse(std::string(kMinimal).insert(
      1, R"("update_config": {"update_strategy": {"batch_sizes": [1, 2, 5]}},)"));
  ASSERT_TRUE(v.update_config.variable_batch_strategy.has_value());
  EXPECT_EQ(v.update_config.variable_batch_strategy->batch_sizes, (std::vector<int64_t>{1, 2, 5}));
}

TEST(JobSpecJsonTest, UnknownFieldIsNamedWithItsPath) {
  auto v = parse_json(R"({"role": "r", "environment": "prod", "cluster": "c",
    "task": {"processes": [{"name": "p", "cmdline": "c"}],
             "resources": {"cpu": 1, "ram": 1, "disk": 1, "cpus": 2}}})");
  auto j = job_spec_from_json(*v);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().message(), "task.resources.cpus: unknown field");
}

TEST(JobSpecJsonTest, DuplicateKeyInADocumentIsNamedWithItsPath) {
  // The last "cpu" used to win silently.
  auto jobs = job_specs_from_document(R"({"jobs": [{"role": "r", "environment": "prod",
    "cluster": "c", "task": {"processes": [{"name": "p", "cmdline": "c"}],
    "resources": {"cpu": 1, "ram": 1, "disk": 1, "cpu": 64}}}]})");
  ASSERT_FALSE(jobs.ok());
  EXPECT_EQ(jobs.status().message(),
            "duplicate key 'cpu' at line 3, column 54 (jobs[0].task.resources.cpu)");
}

TEST(JobSpecJsonTest, WrongTypesAndMissingFieldsAreNamed) {
  auto bad_type = job_spec_from_json(*parse_json(
      R"({"role": "r", "environment": "prod", "cluster": "c", "instances": "three",
          "task": {"processes": [], "resources": {"cpu": 1, "ram": 1, "disk": 1}}})"));
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.status().message(), "instances: expected an integer, got a string");

  auto missing = job_spec_from_json(*parse_json(
      R"({"role": "r", "environment": "prod", "cluster": "c",
          "task": {"processes": [{"name": "p"}], "resources": {"cpu": 1, "ram": 1, "disk": 1}}})"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "task.processes[0].cmdline: is required");

  auto no_task =
      job_spec_from_json(*parse_json(R"({"role": "r", "environment": "prod", "cluster": "c"})"));
  ASSERT_FALSE(no_task.ok());
  EXPECT_EQ(no_task.status().message(), "task: is required");
}

TEST(JobSpecJsonTest, DocumentWithJobsList) {
  std::string doc = std::string("{\"jobs\": [") + kMinimal + "," + kMinimal + "]}";
  auto jobs = job_specs_from_document(doc);
  ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
  EXPECT_EQ(jobs->size(), 2u);
  auto bad = job_specs_from_document("{\"jobs\": [" + std::string(kMinimal) + ", {\"role\": 1}]}");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "jobs[1]: role: expected a string, got an integer");
  auto malformed = job_specs_from_document("{\"jobs\": [");
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(malformed.status().message().find("malformed JSON"), std::string::npos);
}

TEST(JobSpecJsonTest, RequestedPortsFollowAuroraRules) {
  JobSpec j = parse(R"({"role": "r", "environment": "prod", "cluster": "c",
    "announce": {"primary_port": "http", "portmap": {"aurora": "http", "web": "80"}},
    "task": {"processes": [
      {"name": "a", "cmdline": "x {{thermos.ports[http]}} {{thermos.ports[admin]}} {{thermos.ports[web]}}"}],
      "resources": {"cpu": 1, "ram": 1, "disk": 1}}})");
  // web maps to a static port, so it is not allocated; aurora aliases http.
  EXPECT_EQ(requested_ports(j), (std::set<std::string>{"admin", "http"}));
}

}  // namespace
}  // namespace borealis::jobspec
