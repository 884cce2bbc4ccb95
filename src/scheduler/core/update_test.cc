// Rolling updates through SimCluster: batches, watching, failure, rollback, control.
#include <gtest/gtest.h>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

const JobKey kWeb{"www-data", "prod", "web"};

CoreOptions options() {
  CoreOptions o;
  o.initial_flapping_delay_ms = 500;
  o.max_flapping_delay_ms = 500;
  return o;
}

jobspec::JobSpec web(int64_t instances, const std::string& version) {
  auto j = SimCluster::job("web", instances, 0.1);
  j.task.processes[0].cmdline = "serve --version " + version;
  j.update_config.batch_size = 2;
  j.update_config.watch_secs = 5;
  j.update_config.max_total_failures = 0;
  return j;
}

class UpdateTest : public ::testing::Test {
 protected:
  explicit UpdateTest(CoreOptions o = options()) : c_(o) {
    c_.add_agent("a", 8, 8LL << 30, 8LL << 30);
    c_.add_agent("b", 8, 8LL << 30, 8LL << 30);
  }
  TimeMs now() { return c_.clock().now_ms(); }
  void create(int64_t instances, const std::string& v) {
    ASSERT_TRUE(c_.core().create_job(web(instances, v), now()).ok());
    c_.step();
  }
  Result<const Update*> update(jobspec::JobSpec s, std::optional<std::vector<int32_t>> only = {}) {
    UpdateRequest r;
    r.spec = std::move(s);
    r.instances = std::move(only);
    auto u = c_.core().start_update(kWeb, std::move(r), now());
    c_.step();
    return u;
  }
  int running_with(const std::string& version) {
    int n = 0;
    for (const Task* t : c_.active_tasks("web"))
      if (t->state == TaskState::kRunning &&
          t->config->spec.task.processes[0].cmdline.find(version) != std::string::npos)
        ++n;
    return n;
  }
  int running() {
    int n = 0;
    for (const Task* t : c_.active_tasks("web")) n += t->state == TaskState::kRunning;
    return n;
  }
  // Advances until the update ends (or the time runs out), tracking the fewest RUNNING.
  UpdateStatus run_to_end(const std::string& id, TimeMs limit_ms = 300'000,
                          int* min_running = nullptr) {
    TimeMs end = now() + limit_ms;
    while (now() < end && is_update_active(c_.core().find_update(id)->status)) {
      c_.advance(100);
      if (min_running) *min_running = std::min(*min_running, running());
    }
    return c_.core().find_update(id)->status;
  }
  SimCluster c_;
};

TEST_F(UpdateTest, RollsForwardInBatchesKeepingCapacity) {
  create(10, "v1");
  auto u = update(web(10, "v2"));
  ASSERT_TRUE(u.ok()) << u.status().to_string();
  std::string id = (*u)->id;
  int min_running = 10;
  EXPECT_EQ(run_to_end(id, 300'000, &min_running), UpdateStatus::kRolledForward);
  EXPECT_GE(min_running, 8);  // batch_size 2: never more than two instances down
  EXPECT_EQ(running_with("v2"), 10);
  const Update* done = c_.core().find_update(id);
  int updated = 0;
  for (const auto& e : done->events) updated += e.kind == "INSTANCE_UPDATED";
  EXPECT_EQ(updated, 10);
  // The job's version is now the new one.
  EXPECT_NE(c_.core().find_job(kWeb)->config->spec.task.processes[0].cmdline.find("v2"),
            std::string::npos);
}

TEST_F(UpdateTest, FailingVersionRollsBackByItself) {
  create(6, "v1");
  c_.set_failing([](const Task& t) {
    return t.config->spec.task.processes[0].cmdline.find("bad") != std::string::npos;
  });
  auto u = update(web(6, "bad"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(run_to_end((*u)->id), UpdateStatus::kRolledBack);
  c_.advance(2000);
  EXPECT_EQ(running_with("v1"), 6);
  const Update* done = c_.core().find_update((*u)->id);
  bool saw_failed = false, saw_rolling_back = false;
  for (const auto& e : done->events) {
    saw_failed |= e.kind == "INSTANCE_UPDATE_FAILED";
    saw_rolling_back |= e.kind == "ROLLING_BACK";
  }
  EXPECT_TRUE(saw_failed && saw_rolling_back);
  EXPECT_NE(c_.core().find_job(kWeb)->config->spec.task.processes[0].cmdline.find("v1"),
            std::string::npos);
}

TEST_F(UpdateTest, WithoutRollbackAFailedUpdateStopsFailed) {
  create(4, "v1");
  c_.set_failing([](const Task& t) {
    return t.config->spec.task.processes[0].cmdline.find("bad") != std::string::npos;
  });
  auto s = web(4, "bad");
  s.update_config.rollback_on_failure = false;
  auto u = update(s);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(run_to_end((*u)->id), UpdateStatus::kFailed);
}

TEST_F(UpdateTest, PerInstanceRetriesAndTotalFailuresAreTolerated) {
  create(4, "v1");
  int fail_first = 1;  // the first new task fails once, its retry runs
  c_.set_failing([&](const Task& t) {
    return t.config->spec.task.processes[0].cmdline.find("v2") != std::string::npos &&
           fail_first-- > 0;
  });
  auto s = web(4, "v2");
  s.update_config.max_per_shard_failures = 1;
  auto u = update(s);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(run_to_end((*u)->id), UpdateStatus::kRolledForward);
  EXPECT_EQ(running_with("v2"), 4);
}

TEST_F(UpdateTest, SchedulerRestartMidUpdateResumesIt) {
  create(6, "v1");
  auto u = update(web(6, "v2"));
  ASSERT_TRUE(u.ok());
  std::string id = (*u)->id;
  c_.advance(6000);
  ASSERT_TRUE(is_update_active(c_.core().find_update(id)->status));
  ASSERT_TRUE(c_.restart_scheduler().ok());
  ASSERT_NE(c_.core().find_update(id), nullptr);
  EXPECT_EQ(run_to_end(id), UpdateStatus::kRolledForward);
  EXPECT_EQ(running_with("v2"), 6);
}

// Who created the job and who started each update (docs/api.md: created_by, user) is
// stored with them and read back after a restart.
TEST_F(UpdateTest, CreatorAndUpdateUsersSurviveARestart) {
  ASSERT_TRUE(c_.core().create_job(web(2, "v1"), now(), "alice").ok());
  c_.step();
  UpdateRequest r;
  r.spec = web(2, "v2");
  r.user = "bob";
  auto u = c_.core().start_update(kWeb, std::move(r), now());
  ASSERT_TRUE(u.ok());
  std::string update_id = (*u)->id;
  EXPECT_EQ(run_to_end(update_id), UpdateStatus::kRolledForward);
  auto restart = c_.core().start_restart(kWeb, std::nullopt, 2, 0, now(), "carol");
  ASSERT_TRUE(restart.ok());
  std::string restart_id = (*restart)->id;
  ASSERT_TRUE(c_.restart_scheduler().ok());
  EXPECT_EQ(c_.core().find_job(kWeb)->created_by, "alice");
  EXPECT_EQ(c_.core().find_update(update_id)->user, "bob");
  EXPECT_EQ(c_.core().find_update(restart_id)->user, "carol");
}

TEST_F(UpdateTest, PauseResumeAndAbort) {
  create(6, "v1");
  auto u = update(web(6, "v2"));
  ASSERT_TRUE(u.ok());
  std::string id = (*u)->id;
  c_.advance(1000);
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kPause, "look", now()).ok());
  EXPECT_EQ(c_.core().find_update(id)->status, UpdateStatus::kRollForwardPaused);
  c_.advance(60'000);  // in-flight instances finish; nothing new starts
  EXPECT_EQ(running_with("v2"), 2);
  EXPECT_EQ(c_.core().find_update(id)->status, UpdateStatus::kRollForwardPaused);
  EXPECT_FALSE(c_.core().control_update(kWeb, Core::UpdateAction::kPause, "", now()).ok());
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kResume, "", now()).ok());
  c_.advance(6000);
  int v2 = running_with("v2");
  EXPECT_GE(v2, 4);
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kAbort, "", now()).ok());
  EXPECT_EQ(c_.core().find_update(id)->status, UpdateStatus::kAborted);
  c_.advance(60'000);
  EXPECT_EQ(running_with("v2"), v2 < 6 ? running_with("v2") : 6);
  EXPECT_EQ(running(), 6);
  EXPECT_FALSE(c_.core().control_update(kWeb, Core::UpdateAction::kResume, "", now()).ok());
}

TEST_F(UpdateTest, UserRollbackReturnsTouchedInstancesInReverseOrder) {
  create(6, "v1");
  auto u = update(web(6, "v2"));
  ASSERT_TRUE(u.ok());
  c_.advance(12'000);
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kRollback, "", now()).ok());
  EXPECT_EQ(run_to_end((*u)->id), UpdateStatus::kRolledBack);
  EXPECT_EQ(running_with("v1"), 6);
  const Update* done = c_.core().find_update((*u)->id);
  std::vector<int32_t> back;
  for (const auto& e : done->events)
    if (e.kind == "INSTANCE_ROLLING_BACK") back.push_back(e.instance);
  ASSERT_FALSE(back.empty());
  EXPECT_TRUE(std::is_sorted(back.rbegin(), back.rend())) << "rollback goes backwards";
}

TEST_F(UpdateTest, CanaryTouchesOnlyTheGivenInstances) {
  create(4, "v1");
  auto u = update(web(4, "v2"), std::vector<int32_t>{0, 1});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(run_to_end((*u)->id), UpdateStatus::kRolledForward);
  EXPECT_EQ(running_with("v2"), 2);
  EXPECT_EQ(running_with("v1"), 2);
  for (const Task* t : c_.active_tasks("web")) {
    bool canary = t->instance <= 1;
    EXPECT_EQ(t->config->spec.task.processes[0].cmdline.find("v2") != std::string::npos, canary);
  }
  // A canary instance that dies comes back on its own (new) version; the others on theirs.
  for (const Task* t : c_.active_tasks("web"))
    if (t->instance == 0 || t->instance == 3) c_.end_task(t->id, TaskState::kFailed);
  c_.advance(2000);
  EXPECT_EQ(running_with("v2"), 2);
  EXPECT_EQ(running_with("v1"), 2);
}

TEST_F(UpdateTest, InstanceCountChangesAddAndRemove) {
  create(3, "v1");
  auto grow = update(web(5, "v1"));
  ASSERT_TRUE(grow.ok()) << grow.status().to_string();
  EXPECT_EQ((*grow)->forward.size(), 2u);  // only the two new instances
  EXPECT_EQ(run_to_end((*grow)->id), UpdateStatus::kRolledForward);
  EXPECT_EQ(running(), 5);
  auto shrink = update(web(2, "v1"));
  ASSERT_TRUE(shrink.ok());
  EXPECT_EQ(run_to_end((*shrink)->id), UpdateStatus::kRolledForward);
  EXPECT_EQ(running(), 2);
}

TEST_F(UpdateTest, NoOpAndConcurrentUpdatesAreRefused) {
  create(2, "v1");
  auto same = update(web(2, "v1"));  // Aurora's no-op: accepted, nothing started
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, nullptr);
  EXPECT_TRUE(c_.core().find_job(kWeb)->updates.empty());
  ASSERT_TRUE(update(web(2, "v2")).ok());
  auto second = update(web(2, "v3"));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("already has update"), std::string::npos);
  UpdateRequest r;
  r.spec = web(2, "v9");
  auto missing = c_.core().start_update({"www-data", "prod", "nope"}, r, now());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(UpdateTest, BatchStrategyWithAutopause) {
  create(6, "v1");
  auto s = web(6, "v2");
  s.update_config.batch_strategy = jobspec::BatchUpdateStrategy{3, true};
  auto u = update(s);
  ASSERT_TRUE(u.ok());
  std::string id = (*u)->id;
  c_.advance(20'000);
  EXPECT_EQ(c_.core().find_update(id)->status, UpdateStatus::kRollForwardPaused);
  EXPECT_EQ(running_with("v2"), 3);
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kResume, "", now()).ok());
  EXPECT_EQ(run_to_end(id), UpdateStatus::kRolledForward);
  EXPECT_EQ(running_with("v2"), 6);
}

TEST_F(UpdateTest, VariableBatchesGrow) {
  create(6, "v1");
  auto s = web(6, "v2");
  s.update_config.variable_batch_strategy = jobspec::VariableBatchUpdateStrategy{{1, 2}, false};
  auto u = update(s);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(run_to_end((*u)->id), UpdateStatus::kRolledForward);
  // Batches of 1, 2, 2, 1: instance starts come in that rhythm.
  const Update* done = c_.core().find_update((*u)->id);
  std::vector<TimeMs> starts;
  for (const auto& e : done->events)
    if (e.kind == "INSTANCE_UPDATING") starts.push_back(e.ts_ms);
  ASSERT_EQ(starts.size(), 6u);
  EXPECT_LT(starts[0], starts[1]);
  EXPECT_EQ(starts[1], starts[2]);
  EXPECT_LT(starts[2], starts[3]);
  EXPECT_EQ(starts[3], starts[4]);
}

TEST_F(UpdateTest, CoordinatedUpdateWaitsForPulses) {
  create(3, "v1");
  auto s = web(3, "v2");
  s.update_config.pulse_interval_secs = 10;
  s.update_config.batch_size = 1;
  auto u = update(s);
  ASSERT_TRUE(u.ok());
  std::string id = (*u)->id;
  EXPECT_EQ(c_.core().find_update(id)->status, UpdateStatus::kRollForwardAwaitingPulse);
  c_.advance(5000);
  EXPECT_EQ(running_with("v2"), 0);  // nothing moves before the first pulse
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kPulse, "", now()).ok());
  EXPECT_EQ(c_.core().find_update(id)->status, UpdateStatus::kRollingForward);
  c_.advance(3000);
  EXPECT_EQ(running_with("v2"), 1);
  c_.advance(8000);  // no pulse for more than 10 s: blocked before the last instance ends
  EXPECT_EQ(c_.core().find_update(id)->status, UpdateStatus::kRollForwardAwaitingPulse);
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kPulse, "", now()).ok());
  EXPECT_EQ(run_to_end(id, 9000), UpdateStatus::kRolledForward);
  EXPECT_EQ(running_with("v2"), 3);
}

TEST_F(UpdateTest, RollingRestartReplacesEveryTaskWithTheSameVersion) {
  create(4, "v1");
  std::set<std::string> before;
  for (const Task* t : c_.active_tasks("web")) before.insert(t->id);
  auto u = c_.core().start_restart(kWeb, std::nullopt, 2, 0, now());
  ASSERT_TRUE(u.ok()) << u.status().to_string();
  EXPECT_EQ(run_to_end((*u)->id), UpdateStatus::kRolledForward);
  EXPECT_EQ(running_with("v1"), 4);
  for (const Task* t : c_.active_tasks("web")) EXPECT_FALSE(before.count(t->id));
}

TEST_F(UpdateTest, AddInstancesCopiesAnInstancesVersion) {
  create(2, "v1");
  auto added = c_.core().add_instances(kWeb, 0, 3, now());
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, (std::vector<int32_t>{2, 3, 4}));
  c_.step();
  EXPECT_EQ(running_with("v1"), 5);
  EXPECT_FALSE(c_.core().add_instances(kWeb, 9, 1, now()).ok());
}

TEST_F(UpdateTest, KillingTheJobAbortsItsUpdate) {
  create(4, "v1");
  auto u = update(web(4, "v2"));
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(c_.core().kill(kWeb, std::nullopt, "", now()).ok());
  EXPECT_EQ(c_.core().find_update((*u)->id)->status, UpdateStatus::kAborted);
  c_.advance(5000);
  EXPECT_EQ(running(), 0);
}

TEST_F(UpdateTest, StatusUpdatesMoveTheUpdateOnWithoutWaitingForTicks) {
  create(10, "v1");
  auto s = web(10, "v2");
  s.update_config.watch_secs = 0;
  auto u = update(s);
  ASSERT_TRUE(u.ok());
  // Agent rounds only, no clock and no tick: each kill or start reported moves it on.
  for (int round = 0; round < 40 && is_update_active((*u)->status); ++round) c_.step();
  EXPECT_EQ((*u)->status, UpdateStatus::kRolledForward);
  EXPECT_EQ(running_with("v2"), 10);
}

TEST_F(UpdateTest, AbortWhileAnOldTaskIsEndingStillReplacesIt) {
  create(4, "v1");
  c_.advance(1000);
  auto s = web(4, "v2");
  s.update_config.batch_size = 1;
  UpdateRequest r;
  r.spec = s;
  auto u = c_.core().start_update(kWeb, std::move(r), now());
  ASSERT_TRUE(u.ok());
  // The kill of instance 0's task is sent but not yet confirmed when the user aborts.
  ASSERT_TRUE(c_.core().control_update(kWeb, Core::UpdateAction::kAbort, "", now()).ok());
  c_.advance(2000);
  EXPECT_EQ(running(), 4);
  EXPECT_EQ(running_with("v2"), 1);  // the instance took the new version before the abort
  EXPECT_EQ(running_with("v1"), 3);
}

// sla_aware: SLA checks apply to every job size here (Aurora skips jobs under 20).
class SlaUpdateTest : public UpdateTest {
 protected:
  static CoreOptions sla_options() {
    CoreOptions o = options();
    o.sla_min_instances = 1;
    return o;
  }
  SlaUpdateTest() : UpdateTest(sla_options()) {}
  static jobspec::JobSpec sla_web(const std::string& version, jobspec::SlaPolicy policy) {
    auto s = web(4, version);
    s.production = true;
    s.update_config.sla_aware = true;
    s.update_config.watch_secs = 0;
    s.sla_policy = policy;
    return s;
  }
  static jobspec::SlaPolicy count(int64_t n, int64_t duration_secs) {
    jobspec::SlaPolicy p;
    p.kind = jobspec::SlaPolicy::Kind::kCount;
    p.count = n;
    p.duration_secs = duration_secs;
    return p;
  }
  int sla_holds(const std::string& id) {
    int n = 0;
    for (const auto& e : c_.core().find_update(id)->events) n += e.kind == "SLA_HOLD";
    return n;
  }
};

TEST_F(SlaUpdateTest, KillsWaitUntilEnoughInstancesRanForTheSlaDuration) {
  ASSERT_TRUE(c_.core().create_job(sla_web("v1", count(3, 60)), now()).ok());
  c_.advance(2000);
  ASSERT_EQ(running(), 4);
  auto u = update(sla_web("v2", count(3, 60)));
  ASSERT_TRUE(u.ok()) << u.status().to_string();
  std::string id = (*u)->id;
  // Nothing has run for 60 s yet: no instance may go down.
  c_.advance(30'000);
  EXPECT_EQ(running_with("v1"), 4);
  EXPECT_GE(sla_holds(id), 1);
  // Afterwards one at a time (three others must have run 60 s), though batch_size is 2.
  int min_running = 4;
  EXPECT_EQ(run_to_end(id, 900'000, &min_running), UpdateStatus::kRolledForward);
  EXPECT_GE(min_running, 3);
  EXPECT_EQ(running_with("v2"), 4);
}

TEST_F(SlaUpdateTest, NonProductionJobsAndSmallJobsAreNotHeld) {
  auto v1 = sla_web("v1", count(3, 3600));
  v1.production = false;
  ASSERT_TRUE(c_.core().create_job(v1, now()).ok());
  c_.advance(2000);
  auto v2 = sla_web("v2", count(3, 3600));
  v2.production = false;
  auto u = update(v2);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(run_to_end((*u)->id, 60'000), UpdateStatus::kRolledForward);
  EXPECT_EQ(sla_holds((*u)->id), 0);
}

TEST_F(SlaUpdateTest, PercentageThatAllowsNoneDownStillAllowsOne) {
  jobspec::SlaPolicy p;
  p.kind = jobspec::SlaPolicy::Kind::kPercentage;
  p.percentage = 99.9;  // of 4 instances: read as 75%, so one may be down at a time
  p.duration_secs = 0;
  ASSERT_TRUE(c_.core().create_job(sla_web("v1", p), now()).ok());
  c_.advance(2000);
  auto u = update(sla_web("v2", p));
  ASSERT_TRUE(u.ok());
  int min_running = 4;
  EXPECT_EQ(run_to_end((*u)->id, 120'000, &min_running), UpdateStatus::kRolledForward);
  EXPECT_GE(min_running, 3);
  EXPECT_GE(sla_holds((*u)->id), 1);  // batch_size 2 wanted two at once
}

TEST_F(SlaUpdateTest, CoordinatorPoliciesAreRefusedWithAReason) {
  jobspec::SlaPolicy p;
  p.kind = jobspec::SlaPolicy::Kind::kCoordinator;
  p.coordinator_url = "http://127.0.0.1:1/";
  ASSERT_TRUE(c_.core().create_job(sla_web("v1", count(1, 0)), now()).ok());
  auto u = update(sla_web("v2", p));
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.status().message().find("CoordinatorSlaPolicy"), std::string::npos);
}

}  // namespace
}  // namespace borealis::scheduler
