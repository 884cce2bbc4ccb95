#include "agent/task_announcements.h"

#include <gtest/gtest.h>

#include "api/serverset.h"
#include "discovery/testing/fake_member_store.h"

namespace borealis::agent {
namespace {

using std::chrono::milliseconds;

jobspec::JobSpec web_job() {
  jobspec::JobSpec job;
  job.role = "www-data";
  job.environment = "prod";
  job.name = "web";
  job.announce.emplace();
  job.announce->primary_port = "http";
  job.announce->portmap = {{"health", "http"}};
  return job;
}

const TaskFacts kFacts{"t1", 2, "agent-a", "www-data", {{"http", 31002}, {"health", 31002}}};

struct Fixture {
  boost::asio::io_context io;
  discovery::testing::FakeStore store;
  discovery::Announcer announcer{store, {milliseconds(5), milliseconds(20)}};
  std::shared_ptr<TaskMonitor> monitor =
      std::make_shared<TaskMonitor>(io, "t1", "/nonexistent", 1000, SystemClock::instance(),
                                    MonitorOptions{}, [](TaskMonitor&, TaskState) {});
};

TEST(TaskAnnouncements, MemberIsTheServersetJsonAtRootRoleEnvJob) {
  auto member = task_member(web_job(), kFacts, {});
  ASSERT_TRUE(member.ok() && member->has_value()) << member.status().to_string();
  EXPECT_EQ((*member)->dir, "/aurora/www-data/prod/web");
  auto decoded = api::decode_body<api::ServersetMember>((*member)->data);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  api::Endpoint at{"agent-a", 31002};
  EXPECT_EQ(*decoded, (api::ServersetMember{at, {{"health", at}, {"http", at}}, "ALIVE", 2}));

  jobspec::JobSpec quiet = web_job();
  quiet.announce.reset();
  auto none = task_member(quiet, kFacts, {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(TaskAnnouncements, AnnounceHostReplacesTheHostnameInTheMember) {
  discovery::ServersetPolicy policy;
  policy.member_host = "10.1.2.3";
  auto member = task_member(web_job(), kFacts, policy);
  ASSERT_TRUE(member.ok() && member->has_value()) << member.status().to_string();
  auto decoded = api::decode_body<api::ServersetMember>((*member)->data);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  api::Endpoint at{"10.1.2.3", 31002};
  EXPECT_EQ(*decoded, (api::ServersetMember{at, {{"health", at}, {"http", at}}, "ALIVE", 2}));
}

TEST(TaskAnnouncements, RunningJoinsAndTheEndLeaves) {
  Fixture f;
  TaskAnnouncements announcements(f.io, &f.announcer, {});
  announcements.plan(*f.monitor, web_job(), kFacts);
  EXPECT_EQ(announcements.on_state(*f.monitor, TaskState::kStarting), "");
  ASSERT_TRUE(f.announcer.wait_idle(milliseconds(5000)));
  EXPECT_TRUE(f.store.nodes().empty());  // not yet RUNNING (healthy)

  EXPECT_EQ(announcements.on_state(*f.monitor, TaskState::kRunning), "");
  ASSERT_TRUE(f.announcer.wait_idle(milliseconds(5000)));
  auto nodes = f.store.nodes();
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes.begin()->first.rfind("/aurora/www-data/prod/web/member_", 0), 0u);
  EXPECT_EQ(nodes.begin()->second, (*task_member(web_job(), kFacts, {}))->data);

  announcements.on_state(*f.monitor, TaskState::kFailed);
  ASSERT_TRUE(f.announcer.wait_idle(milliseconds(5000)));
  EXPECT_TRUE(f.store.nodes().empty());
}

TEST(TaskAnnouncements, RefusedZkPathRunsUnannouncedAndSaysSoOnce) {
  Fixture f;
  discovery::ServersetPolicy policy;
  policy.allowed_zk_paths = {"/finagle"};
  TaskAnnouncements announcements(f.io, &f.announcer, policy);
  jobspec::JobSpec job = web_job();
  job.announce->zk_path = "/aurora/other-role/prod/their-job";
  announcements.plan(*f.monitor, job, kFacts);
  EXPECT_EQ(announcements.on_state(*f.monitor, TaskState::kRunning),
            "not announced: Announcer.zk_path '/aurora/other-role/prod/their-job' is not under a "
            "path the agent allows (--zk-path-allow /finagle)");
  EXPECT_EQ(announcements.on_state(*f.monitor, TaskState::kRunning), "");
  ASSERT_TRUE(f.announcer.wait_idle(milliseconds(5000)));
  EXPECT_TRUE(f.store.nodes().empty());

  job.announce->zk_path = "/finagle/web";
  announcements.plan(*f.monitor, job, kFacts);
  announcements.on_state(*f.monitor, TaskState::kRunning);
  ASSERT_TRUE(f.announcer.wait_idle(milliseconds(5000)));
  ASSERT_EQ(f.store.nodes().size(), 1u);
  EXPECT_EQ(f.store.nodes().begin()->first.rfind("/finagle/web/member_", 0), 0u);
}

TEST(TaskAnnouncements, WithoutZooKeeperNothingHappens) {
  Fixture f;
  TaskAnnouncements announcements(f.io, nullptr, {});
  jobspec::JobSpec job = web_job();
  job.announce->zk_path = "/refused";
  announcements.plan(*f.monitor, job, kFacts);
  EXPECT_EQ(announcements.on_state(*f.monitor, TaskState::kRunning), "");
  EXPECT_TRUE(f.store.nodes().empty());
}

}  // namespace
}  // namespace borealis::agent
