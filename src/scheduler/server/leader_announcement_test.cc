#include "scheduler/server/leader_announcement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/temp_dir.h"

namespace borealis::scheduler {
namespace {

using ::testing::HasSubstr;

SchedulerOptions zk_options() {
  SchedulerOptions o;
  o.cluster = "prod1";
  o.bind_address = "10.1.2.3";
  o.http_port = 8081;
  o.zk = "zk1:2181,zk2:2181/chroot";
  return o;
}

TEST(LeaderAnnouncementTest, NothingWithoutZk) {
  SchedulerOptions o;
  auto a = leader_announcement(o);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->has_value());
  o.zk_auth = "/etc/borealis/zk-auth";
  EXPECT_EQ(leader_announcement(o).status().message(), "--zk-auth needs --zk");
}

TEST(LeaderAnnouncementTest, TheMemberNamesTheListenerAtTheDefaultPath) {
  auto a = leader_announcement(zk_options());
  ASSERT_TRUE(a.ok() && a->has_value()) << a.status().to_string();
  LeaderAnnouncerOptions& o = **a;
  EXPECT_EQ(o.serverset_path, "/borealis/prod1/scheduler");
  EXPECT_EQ(o.session.servers.to_string(), "zk1:2181,zk2:2181/chroot");
  EXPECT_FALSE(o.session.credential.has_value());
  set_announced_port(o, 40123);
  api::ServersetMember want;
  want.service_endpoint = {"10.1.2.3", 40123};
  want.additional_endpoints = {{"http", {"10.1.2.3", 40123}}};
  want.shard = 0;
  EXPECT_EQ(o.member, want);
}

TEST(LeaderAnnouncementTest, HttpsAdvertisedHostAndPath) {
  SchedulerOptions o = zk_options();
  o.tls_cert = "/etc/borealis/cert.pem";
  o.advertise_host = "sched1.example";
  o.scheduler_zk_path = "/aurora/scheduler";
  auto a = leader_announcement(o);
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  EXPECT_EQ((*a)->serverset_path, "/aurora/scheduler");
  EXPECT_EQ((*a)->member.service_endpoint, (api::Endpoint{"sched1.example", 8081}));
  ASSERT_EQ((*a)->member.additional_endpoints.size(), 1u);
  EXPECT_EQ((*a)->member.additional_endpoints.at("https"), (api::Endpoint{"sched1.example", 8081}));
}

TEST(LeaderAnnouncementTest, AWildcardBindAdvertisesTheHostname) {
  SchedulerOptions o = zk_options();
  o.bind_address = "0.0.0.0";
  auto a = leader_announcement(o);
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  const std::string& host = (*a)->member.service_endpoint.host;
  EXPECT_FALSE(host.empty());
  EXPECT_NE(host, "0.0.0.0");
}

TEST(LeaderAnnouncementTest, BadFlagsAreNamed) {
  SchedulerOptions o = zk_options();
  o.zk = "zk1";
  EXPECT_THAT(leader_announcement(o).status().message(), HasSubstr("--zk"));
  o = zk_options();
  o.scheduler_zk_path = "relative/path";
  EXPECT_THAT(leader_announcement(o).status().message(), HasSubstr("--scheduler-zk-path"));
  o.scheduler_zk_path = "/";
  EXPECT_THAT(leader_announcement(o).status().message(), HasSubstr("--scheduler-zk-path"));
}

TEST(LeaderAnnouncementTest, TheCredentialFileMustBePrivate) {
  borealis::testing::TempDir dir("borealis-zkauth");
  SchedulerOptions o = zk_options();
  o.zk_auth = dir.write("zk-auth", "scheduler:s3cret\n");
  ASSERT_EQ(::chmod(o.zk_auth.c_str(), 0644), 0);
  auto open = leader_announcement(o);
  ASSERT_FALSE(open.ok());
  EXPECT_THAT(open.status().message(), HasSubstr("--zk-auth"));
  EXPECT_THAT(open.status().message(), HasSubstr("chmod 600"));

  ASSERT_EQ(::chmod(o.zk_auth.c_str(), 0600), 0);
  auto a = leader_announcement(o);
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_TRUE((*a)->session.credential.has_value());
  EXPECT_EQ((*a)->session.credential->user, "scheduler");
  EXPECT_EQ((*a)->session.credential->password, "s3cret");

  dir.write("zk-auth", "no-colon\n");
  auto bad = leader_announcement(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--zk-auth: " + o.zk_auth + ": ZooKeeper credential: no ':'"));
  EXPECT_THAT(leader_announcement(o).status().message(), ::testing::Not(HasSubstr("s3cret")));
}

}  // namespace
}  // namespace borealis::scheduler
