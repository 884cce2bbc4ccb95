#include "config/aurora/aurora_checks.h"

#include <gtest/gtest.h>

namespace borealis::config {
namespace {

// A valid job in Aurora's shape; tests change one thing each.
json::value job() {
  return parse_json(R"({
    "name": "web", "role": "www-data", "environment": "prod", "cluster": "c1",
    "instances": 10,
    "task": {
      "name": "web",
      "processes": [
        {"name": "setup", "cmdline": "./setup", "daemon": false, "ephemeral": false},
        {"name": "web", "cmdline": "./web --port={{thermos.ports[http]}} --shard={{mesos.instance}}",
         "daemon": false, "ephemeral": false}
      ],
      "constraints": [{"order": ["setup", "web"]}],
      "resources": {"cpu": 1.0, "ram": 1048576, "disk": 1048576, "gpu": 0}
    },
    "update_config": {"max_total_failures": 0},
    "executor_config": {"name": "AuroraExecutor", "data": ""}
  })")
      .value();
}

json::object& obj(json::value& v, std::string_view key) { return v.as_object()[key].as_object(); }
json::object& obj(json::object& o, std::string_view key) { return o[key].as_object(); }

std::string error_of(const Status& st) { return st.ok() ? "OK" : st.message(); }

TEST(AuroraChecksTest, AValidJobPasses) {
  json::value j = job();
  EXPECT_EQ(error_of(check_references(j)), "OK");
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
}

TEST(AuroraChecksTest, OnlyRuntimeReferencesMayRemain) {
  json::value j = job();
  obj(j, "task")["processes"].as_array()[1].as_object()["cmdline"] =
      "{{thermos.task_id}} {{thermos.user}} {{mesos.hostname}} {{version}}";
  EXPECT_EQ(error_of(check_references(j)),
            "task.processes[1].cmdline: unbound reference {{version}}: nothing in the config or "
            "on the command line (--bind) gives it a value");
  j = job();
  j.as_object()["contact"] = "{{mesos.user}}@example.com";
  EXPECT_EQ(error_of(check_references(j)).substr(0, 41),
            "contact: unbound reference {{mesos.user}}");
}

TEST(AuroraChecksTest, PortsAreNamedWithAnIndex) {
  json::value j = job();
  obj(j, "task")["processes"].as_array()[0].as_object()["cmdline"] = "x {{thermos.ports.http}}";
  EXPECT_EQ(error_of(check_references(j)),
            "task.processes[0].cmdline: bad port reference {{thermos.ports.http}}: a port is "
            "named as {{thermos.ports[NAME]}}");
}

TEST(AuroraChecksTest, RamAndDiskAreAtLeastOneMiB) {
  json::value j = job();
  obj(obj(j, "task"), "resources")["disk"] = 1048575;
  EXPECT_EQ(error_of(check_aurora_rules(j)),
            "task.resources.disk: must be at least 1 MiB (1048576 bytes), got 1048575");
}

TEST(AuroraChecksTest, DedicatedConstraints) {
  json::value j = job();
  j.as_object()["constraints"] = json::object{{"dedicated", "www-data/db"}};
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
  j.as_object()["constraints"] = json::object{{"dedicated", "*/shared"}};
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
  j.as_object()["constraints"] = json::object{{"dedicated", "other/db"}};
  EXPECT_EQ(error_of(check_aurora_rules(j)),
            "constraints[dedicated]: only role 'other' may use hosts dedicated to it");
  j.as_object()["constraints"] = json::object{{"dedicated", "www-data/a,www-data/b"}};
  EXPECT_NE(error_of(check_aurora_rules(j)).find("exactly one value"), std::string::npos);
  j.as_object()["constraints"] = json::object{{"dedicated", "limit:1"}};
  EXPECT_NE(error_of(check_aurora_rules(j)).find("not a limit"), std::string::npos);
  // 2% of 100 instances must be allowed to fail during an update.
  j.as_object()["constraints"] = json::object{{"dedicated", "www-data/db"}};
  j.as_object()["instances"] = 100;
  EXPECT_EQ(error_of(check_aurora_rules(j)),
            "update_config.max_total_failures: a dedicated job of 100 instances must allow at "
            "least 2 (2%), got 0");
  obj(j, "update_config")["max_total_failures"] = 2;
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
}

TEST(AuroraChecksTest, AnnouncerPortmap) {
  json::value j = job();
  j.as_object()["announce"] =
      json::object{{"primary_port", "http"}, {"portmap", json::object{{"aurora", "http"}}}};
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
  j.as_object()["announce"].as_object()["portmap"] =
      json::object{{"a", "b"}, {"b", "c"}, {"c", "a"}};
  EXPECT_NE(error_of(check_aurora_rules(j)).find("port aliases form a cycle"), std::string::npos);
  j.as_object()["announce"].as_object()["portmap"] = json::object{{"http", "80"}};
  EXPECT_NE(error_of(check_aurora_rules(j))
                .find("announce.portmap[http]: a static port (80) needs a 'dedicated' constraint"),
            std::string::npos);
  j.as_object()["constraints"] = json::object{{"dedicated", "www-data/edge"}};
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
}

TEST(AuroraChecksTest, SlaPoliciesMustLeaveAnInstanceToDrain) {
  json::value j = job();
  j.as_object()["sla_policy"] = json::object{{"count", 9}, {"duration_secs", 60}};
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
  j.as_object()["sla_policy"] = json::object{{"count", 10}, {"duration_secs", 60}};
  EXPECT_NE(error_of(check_aurora_rules(j)).find("sla_policy.count"), std::string::npos);
  j.as_object()["sla_policy"] = json::object{{"percentage", 90.0}, {"duration_secs", 60}};
  EXPECT_EQ(error_of(check_aurora_rules(j)), "OK");
  j.as_object()["sla_policy"] = json::object{{"percentage", 95.0}, {"duration_secs", 60}};
  EXPECT_NE(error_of(check_aurora_rules(j)).find("sla_policy.percentage"), std::string::npos);
}

TEST(AuroraChecksTest, TierAndExecutor) {
  json::value j = job();
  j.as_object()["tier"] = "pre emptible";
  EXPECT_NE(error_of(check_aurora_rules(j)).find("tier 'pre emptible'"), std::string::npos);
  j = job();
  obj(j, "executor_config")["name"] = "CustomExecutor";
  EXPECT_NE(error_of(check_aurora_rules(j)).find("executor_config.name: executor 'CustomExecutor'"),
            std::string::npos);
}

}  // namespace
}  // namespace borealis::config
