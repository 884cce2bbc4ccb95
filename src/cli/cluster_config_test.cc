#include "cli/cluster_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/test_util.h"

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

TEST(ClustersJsonTest, ReadsAuroraListAndToleratesUnknownFields) {
  auto c = parse_clusters_json(R"([
    {"name": "us-east", "scheduler_uri": "http://sched:8081", "slave_root": "/var/lib/mesos",
     "slave_run_directory": "latest", "auth_mechanism": "UNAUTHENTICATED"},
    {"name": "eu", "zk": "zk.eu", "zk_port": 2182, "scheduler_zk_path": "/aurora/scheduler"},
    {"comment": "entries without a name are skipped, as Aurora does"}
  ])",
                               "f.json");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].name, "us-east");
  EXPECT_EQ((*c)[0].scheduler_uri, "http://sched:8081");
  EXPECT_EQ((*c)[0].source, "f.json");
  EXPECT_EQ((*c)[0].zk_port, 2181);
  EXPECT_EQ((*c)[1].zk, "zk.eu");
  EXPECT_EQ((*c)[1].zk_port, 2182);
  EXPECT_EQ((*c)[1].scheduler_zk_path, "/aurora/scheduler");
}

TEST(ClustersJsonTest, ReadsAuroraMapLayout) {
  auto c = parse_clusters_json(R"({"a": {"name": "a", "scheduler_uri": "http://a:1"}})", "f");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].scheduler_uri, "http://a:1");
}

TEST(ClustersJsonTest, ErrorsNameTheFileAndWhere) {
  auto bad = parse_clusters_json("[\n  {\"name\": \"a\",\n  }\n]", "/etc/borealis/clusters.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("clusters file '/etc/borealis/clusters.json': malformed JSON at line 3"));

  auto type = parse_clusters_json(R"([{"name": "a"}, {"name": "b", "scheduler_uri": 8081}])", "x");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().message(),
            "clusters file 'x': [1].scheduler_uri: expected a string, got an integer");

  auto entry = parse_clusters_json(R"(["us-east"])", "x");
  ASSERT_FALSE(entry.ok());
  EXPECT_EQ(entry.status().message(), "clusters file 'x': [0]: expected a cluster object");

  auto name = parse_clusters_json(R"([{"name": "us/east"}])", "x");
  ASSERT_FALSE(name.ok());
  EXPECT_THAT(name.status().message(), HasSubstr("[0].name: cluster name 'us/east' may only"));

  EXPECT_FALSE(parse_clusters_json("42", "x").ok());
}

TEST(ClustersJsonTest, TlsFilesAreRelativeToTheFile) {
  auto c = parse_clusters_json(R"([{"name": "a", "scheduler_uri": "https://a:8081",
      "scheduler_ca": "ca.pem", "client_cert": "/etc/me.pem", "client_key": "me.key"}])",
                               "/etc/borealis/clusters.json");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ((*c)[0].tls.ca_file, "/etc/borealis/ca.pem");
  EXPECT_EQ((*c)[0].tls.cert_file, "/etc/me.pem");
  EXPECT_EQ((*c)[0].tls.key_file, "/etc/borealis/me.key");

  auto half = parse_clusters_json(R"([{"name": "a", "client_cert": "me.pem"}])", "f");
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("client_cert: needs client_key"), std::string::npos)
      << half.status().message();
}

TEST(ClustersJsonTest, AuthNamesTheTokenToSend) {
  auto c = parse_clusters_json(R"([
    {"name": "plain", "scheduler_uri": "http://a:1"},
    {"name": "lab", "scheduler_uri": "http://a:1", "auth": "none"},
    {"name": "us-east", "scheduler_uri": "http://a:1", "auth": {"credentials": "corp"}},
    {"name": "ci", "scheduler_uri": "http://a:1",
     "auth": {"credentials": "robot", "file": "ci-credentials"}},
    {"name": "abs", "scheduler_uri": "http://a:1", "auth": {"file": "/etc/borealis/tokens"}}
  ])",
                               "/home/u/.borealis/clusters.json");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->size(), 5u);
  EXPECT_FALSE((*c)[0].auth.none);
  EXPECT_FALSE((*c)[0].auth.named());
  EXPECT_TRUE((*c)[1].auth.none);
  EXPECT_EQ((*c)[2].auth.credentials, "corp");
  EXPECT_EQ((*c)[2].auth.file, "");
  EXPECT_TRUE((*c)[2].auth.named());
  // A relative file is relative to the clusters.json that names it.
  EXPECT_EQ((*c)[3].auth.credentials, "robot");
  EXPECT_EQ((*c)[3].auth.file, "/home/u/.borealis/ci-credentials");
  EXPECT_EQ((*c)[4].auth.file, "/etc/borealis/tokens");
  EXPECT_TRUE((*c)[4].auth.named());
}

TEST(ClustersJsonTest, BadAuthSaysWhere) {
  auto kind = parse_clusters_json(R"([{"name": "a", "auth": "kerberos"}])", "x");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(
      kind.status().message(),
      R"(clusters file 'x': [0].auth: expected "none" or {"credentials": NAME, "file": PATH})");
  auto key = parse_clusters_json(R"([{"name": "a", "auth": {"credential": "c"}}])", "x");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().message(), "clusters file 'x': [0].auth.credential: unknown field");
  auto empty = parse_clusters_json(R"([{"name": "a", "auth": {}}])", "x");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(),
            R"(clusters file 'x': [0].auth: give "credentials", "file" or both)");
  auto name = parse_clusters_json(R"([{"name": "a", "auth": {"credentials": "a b"}}])", "x");
  ASSERT_FALSE(name.ok());
  EXPECT_THAT(name.status().message(), HasSubstr("[0].auth.credentials: credentials name 'a b'"));
}

TEST(ClustersTest, DevclusterIsBuiltIn) {
  auto c = Clusters::load({});
  ASSERT_TRUE(c.ok());
  auto dev = c->find("devcluster");
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(dev->scheduler_uri, "http://127.0.0.1:8081");
  EXPECT_EQ(dev->source, "built-in");
}

TEST(ClustersTest, UserFileOverridesSystemFileOverridesBuiltIn) {
  TempDir dir;
  std::string sys = dir.write("etc/clusters.json", R"([
    {"name": "devcluster", "scheduler_uri": "http://sys-dev:1"},
    {"name": "prod", "scheduler_uri": "http://sys-prod:1"},
    {"name": "only-sys", "scheduler_uri": "http://sys-only:1"}])");
  std::string user = dir.write("home/.borealis/clusters.json", R"([
    {"name": "prod", "scheduler_uri": "http://user-prod:1"}])");
  auto c = Clusters::load({sys, user});
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->find("devcluster")->scheduler_uri, "http://sys-dev:1");
  EXPECT_EQ(c->find("prod")->scheduler_uri, "http://user-prod:1");
  EXPECT_EQ(c->find("prod")->source, user);
  EXPECT_EQ(c->find("only-sys")->scheduler_uri, "http://sys-only:1");
}

TEST(ClustersTest, MissingFilesAreSkippedBrokenOnesAreErrors) {
  TempDir dir;
  auto none = Clusters::load({dir.path() + "/nope.json"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->all().size(), 1u);

  std::string broken = dir.write("clusters.json", "[{\"name\": }]");
  auto bad = Clusters::load({broken});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("clusters file '" + broken + "': malformed JSON"));

  auto dir_as_file = Clusters::load({dir.path()});
  ASSERT_FALSE(dir_as_file.ok());
  EXPECT_THAT(dir_as_file.status().message(),
              HasSubstr("cannot read clusters file '" + dir.path() + "': Is a directory"));
}

TEST(ClustersTest, UnknownClusterListsKnownOnesAndFiles) {
  auto c = Clusters::load({"/nonexistent/a.json", "/nonexistent/b.json"});
  ASSERT_TRUE(c.ok());
  auto miss = c->find("west");
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(miss.status().message(),
            "unknown cluster 'west'; known clusters: devcluster (clusters are read from "
            "/nonexistent/a.json and /nonexistent/b.json)");
}

TEST(ClustersTest, SearchPathFollowsEnvironment) {
  EXPECT_EQ(
      cluster_files("", "/home/u"),
      (std::vector<std::string>{"/etc/borealis/clusters.json", "/home/u/.borealis/clusters.json"}));
  EXPECT_EQ(cluster_files("/tmp/conf", ""), (std::vector<std::string>{"/tmp/conf/clusters.json"}));
}

}  // namespace
}  // namespace borealis::cli
