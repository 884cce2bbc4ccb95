// The update commands (`update ...`, `job restart`, `job add`) end to end against a real
// in-process cluster: requests sent, text and json output, progress while waiting, exit
// codes. Updates run for real: a changed command line rolls out, a failing health check
// rolls back, a long watch keeps an update active while a test steers it.
#include "cli/cli_fixture.h"

namespace borealis::cli {
namespace {

using namespace testing;  // the fixture and its helpers

constexpr const char* kJob = kHelloKey;
constexpr const char* kJobPath = "/api/v1/jobs/www-data/prod/hello";
constexpr const char* kV2 = "echo v2 {{thermos.ports[web]}}; exec sleep 600";

// hello with `update_config` and, unless `cmdline` is empty, a new command line.
json::object version(json::object update_config, const std::string& cmdline = kV2,
                     int instances = 2) {
  json::object spec = hello_spec(instances);
  if (!cmdline.empty())
    spec["task"].as_object()["processes"].as_array()[0].as_object()["cmdline"] = cmdline;
  spec["update_config"] = std::move(update_config);
  return spec;
}

// Batches of one, each instance watched `watch_secs`.
json::object batches(int watch_secs) {
  return {{"watch_secs", watch_secs}, {"wait_for_batch_completion", true}};
}

// What `update start --wait` prints of a successful update: its start, then its end.
std::string started_then_ended(const std::string& id, const std::string& started,
                               const std::string& ended) {
  return "Started update " + id + " of devcluster/www-data/prod/hello: ROLLING_FORWARD, " +
         started + ".\nUpdate " + id +
         " of devcluster/www-data/prod/hello ended ROLLED_FORWARD: " + ended + ".\n";
}

class UpdateTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    if (HasFatalFailure()) return;
    create_running(version(batches(0), ""));
  }

  // Starts an update to `spec` through the API (not the CLI); returns its id.
  std::string start_update(const json::object& spec, const std::string& message = "") {
    json::object body{{"spec", spec}};
    if (!message.empty()) body["message"] = message;
    auto r = cluster_->api("POST", std::string(kJobPath) + "/update", json::serialize(body));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? str(r->at("update").at("update_id")) : "";
  }
  void control(const std::string& verb, const std::string& message = "") {
    auto r = cluster_->api("POST", std::string(kJobPath) + "/update/" + verb,
                           json::serialize(json::object{{"message", message}}));
    EXPECT_TRUE(r.ok()) << verb << ": " << r.status().to_string();
  }
  // The job's newest update, as GET .../updates/latest answers it.
  json::value latest() {
    auto r = cluster_->api("GET", std::string(kJobPath) + "/updates/latest");
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->at("update") : json::value(nullptr);
  }
  void wait_ended(const std::string& status) {
    bool ended = borealis::testing::wait_until(
        [&] { return latest().at("status") == json::value(status); }, std::chrono::seconds(20));
    ASSERT_TRUE(ended) << "update did not end " << status << ": " << json::serialize(latest());
  }
};

// ---- update start -------------------------------------------------------------------------

TEST_F(UpdateTest, StartACanarySendsSpecInstancesAndMessage) {
  ASSERT_TRUE(
      cluster_->api("POST", std::string(kJobPath) + "/instances", R"({"instance": 0, "count": 3})")
          .ok());
  std::string v2 = write_job("v2.json", version(batches(0), kV2, 5));
  Run r = run_ok({"update", "start", std::string(kJob) + "/0-1,4", v2, "-m", "canary"});
  std::string id = str(latest().at("update_id"));
  EXPECT_EQ(r.out, "Started update " + id +
                       " of devcluster/www-data/prod/hello: ROLLING_FORWARD, 0/3 done, batch 1, 1 "
                       "in flight, 0 failed.\n"
                       "Follow it with 'borealis update wait devcluster/www-data/prod/hello " +
                       id + "'.\n");
  json::value body = body_of("POST", std::string(kJobPath) + "/update");
  EXPECT_EQ(body.at("instances"), (json::value{0, 1, 4}));
  EXPECT_EQ(body.at("message"), "canary");
  EXPECT_EQ(body.at("spec").at("name"), "hello");
  EXPECT_EQ(body.at("spec").at("instances"), 5);
  // No waiting unless asked.
  EXPECT_EQ(proxy_->count("GET", std::string(kJobPath) + "/updates/" + id), 0u);
}

TEST_F(UpdateTest, StartWithoutInstancesUpdatesTheWholeJobAndPrintsJson) {
  std::string v2 = write_job("v2.json", version(batches(0)));
  Run r = run_ok({"update", "start", kJob, v2, "--output", "json"});
  auto out = parse_json(r.out);
  ASSERT_TRUE(out.ok()) << r.out;
  EXPECT_EQ(out->at("update").at("update_id"), latest().at("update_id"));
  EXPECT_FALSE(out->at("update").as_object().contains("events"));  // the summary only
  json::value body = body_of("POST", std::string(kJobPath) + "/update");
  EXPECT_FALSE(body.as_object().contains("instances"));
  EXPECT_FALSE(body.as_object().contains("message"));
}

TEST_F(UpdateTest, StartWaitShowsALinePerChangeAndSucceeds) {
  std::string v2 = write_job("v2.json", version(batches(0)));
  Run r = run_ok({"update", "start", kJob, v2, "--wait"});
  std::string id = str(latest().at("update_id"));
  EXPECT_EQ(r.out, started_then_ended(id, "0/2 done, batch 1, 1 in flight, 0 failed",
                                      "2/2 done, batch 2, 0 in flight, 0 failed"));
  auto lines = lines_of(r.err);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_THAT(lines[i], MatchesRegex("ROLLING_FORWARD [0-2]/2 done, batch [12], [01] in "
                                       "flight, 0 failed"));
    if (i > 0) {
      EXPECT_NE(lines[i], lines[i - 1]);  // a line per change, not per poll
    }
  }
  size_t polls = proxy_->count("GET", std::string(kJobPath) + "/updates/" + id);
  EXPECT_LE(lines.size(), polls);
  // The first polls come fast, then slow down.
  EXPECT_EQ(pauses_, poll_schedule(polls - 1));
}

TEST_F(UpdateTest, WaitRewritesOneLineOnATerminal) {
  env_.terminal = true;
  std::string id = start_update(version(batches(0)));
  control("pause");
  on_pause_ = [&](size_t n) {
    if (n == 1) control("resume");
  };
  Run r = run_ok({"update", "wait", kJob, id});
  EXPECT_THAT(r.err, StartsWith("\rROLL_FORWARD_PAUSED "));
  EXPECT_THAT(r.err, MatchesRegex("(\r[A-Z_]+ [0-2]/2 done, batch [12], [01] in flight, 0 "
                                  "failed\033\\[K)+\n"));
  EXPECT_EQ(r.out, "Update " + id +
                       " of devcluster/www-data/prod/hello ended ROLLED_FORWARD: 2/2 done, batch "
                       "2, 0 in flight, 0 failed.\n");
}

TEST_F(UpdateTest, AQueueHasNoBatchNumber) {
  // A sliding window (queue strategy): the scheduler counts no batches.
  std::string v2 = write_job("v2.json", version({{"watch_secs", 0}}));
  Run r = run_ok({"update", "start", kJob, v2, "--wait"});
  std::string id = str(latest().at("update_id"));
  EXPECT_EQ(r.out, started_then_ended(id, "0/2 done, 1 in flight, 0 failed",
                                      "2/2 done, 0 in flight, 0 failed"));
  for (const auto& line : lines_of(r.err))
    EXPECT_THAT(line, MatchesRegex("ROLLING_FORWARD [0-2]/2 done, [01] in flight, 0 failed"));
}

TEST_F(UpdateTest, StartWaitExitsOneWhenRolledBackWithTheReason) {
  std::string bad = write_job("bad.json", unhealthy(version(batches(0))));
  Run r = run_failed({"update", "start", kJob, bad, "--wait"});
  std::string id = str(latest().at("update_id"));
  EXPECT_THAT(r.out,
              HasSubstr("Update " + id + " of devcluster/www-data/prod/hello ended ROLLED_BACK: "));
  // Progress lines, then the error.
  EXPECT_THAT(r.err,
              MatchesRegex("(ROLL[A-Z_]+ [^\n]+\n)*error: update " + id +
                           " of devcluster/www-data/prod/hello ended ROLLED_BACK: .*1 "
                           "instance\\(s\\) failed \\(max_total_failures 0\\); instance 0: .+; "
                           "see 'borealis update info devcluster/www-data/prod/hello " +
                           id + "'\n"));
}

TEST_F(UpdateTest, StartWaitJsonPrintsTheDetail) {
  std::string v2 = write_job("v2.json", version(batches(0)));
  Run r = run_ok({"update", "start", kJob, v2, "--wait", "-o", "json"});
  auto out = parse_json(r.out);
  ASSERT_TRUE(out.ok()) << r.out;
  EXPECT_EQ(out->at("update").at("status"), "ROLLED_FORWARD");
  EXPECT_EQ(out->at("update").at("forward").as_array().size(), 2u);
}

TEST_F(UpdateTest, StartOfAnUnchangedJobIsANoOpThatSucceeds) {
  std::string same = write_job("same.json", version(batches(0), ""));
  Run r = run_ok({"update", "start", kJob, same, "--wait"});
  EXPECT_THAT(r.out, MatchesRegex("Job devcluster/www-data/prod/hello is unchanged by the "
                                  "proposed update \\(.*no instance needs to change.*\\); nothing "
                                  "to do.\n"));
  Run j = run_ok({"update", "start", kJob, same, "-o", "json"});
  auto out = parse_json(j.out);
  ASSERT_TRUE(out.ok()) << j.out;
  EXPECT_TRUE(out->at("update").is_null());
}

TEST_F(UpdateTest, StartErrors) {
  std::string v2 = write_job("v2.json", version(batches(0)));
  // No such job.
  Run none = run_failed({"update", "start", "devcluster/www-data/prod/nope", v2});
  EXPECT_THAT(none.err, HasSubstr("defines job devcluster/www-data/prod/hello, not "
                                  "devcluster/www-data/prod/nope"));
  // Another update is active (409).
  std::string id = start_update(version(batches(600)));
  control("pause");
  Run busy = run_failed({"update", "start", kJob, v2});
  EXPECT_EQ(busy.err,
            "error: starting an update of devcluster/www-data/prod/hello: job "
            "devcluster/www-data/prod/hello already has update " +
                id + " (ROLL_FORWARD_PAUSED); abort it or wait for it to end\n");
  // The scheduler answers 404 for a job it does not run.
  json::object gone_spec = version(batches(0));
  gone_spec["name"] = "gone";
  std::string gone_file = write_job("gone.json", gone_spec);
  Run gone = run_failed({"update", "start", "devcluster/www-data/prod/gone", gone_file});
  EXPECT_EQ(gone.err,
            "error: starting an update of devcluster/www-data/prod/gone: job "
            "devcluster/www-data/prod/gone does not exist; create it first\n");
}

TEST_F(UpdateTest, CanaryInstanceRangesAreChecked) {
  for (const char* bad : {"/3-1", "/x", "/0-", "/-1"}) {
    Run r = run({"update", "start", std::string(kJob) + bad, hello_file_});
    EXPECT_EQ(r.code, 2) << bad << ": " << r.err;
  }
  EXPECT_TRUE(proxy_->requests().empty());
}

// ---- pause, resume, abort, rollback, pulse ------------------------------------------------

TEST_F(UpdateTest, ControlVerbsPostToTheirPath) {
  // Coordinated (it waits for pulses) and watched long: it stays active while steered.
  json::object settings = batches(600);
  settings["pulse_interval_secs"] = 600;
  std::string id = start_update(version(settings));
  const std::vector<std::vector<std::string>> verbs = {{"pulse", "Pulsed", "ROLLING_FORWARD"},
                                                       {"pause", "Paused", "ROLL_FORWARD_PAUSED"},
                                                       {"resume", "Resumed", "ROLLING_FORWARD"},
                                                       {"rollback", "Rolling back", "ROLLING_BACK"},
                                                       {"abort", "Aborted", "ABORTED"}};
  for (const auto& v : verbs) {
    Run r = run({"update", v[0], kJob, "-m", "why"});
    EXPECT_EQ(r.code, 0) << v[0] << ": " << r.err;
    EXPECT_THAT(
        r.out, MatchesRegex(v[1] + " update " + id + " of devcluster/www-data/prod/hello: " + v[2] +
                            ", [0-2]/[12] done, batch [0-2], [0-2] in flight, 0 failed.\n"))
        << v[0];
    EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/update/" + v[0]),
              (json::value{{"message", "why"}}));
  }
  start_update(version(batches(600)));
  Run j = run_ok({"update", "pause", kJob, "-o", "json"});
  EXPECT_EQ(parse_json(j.out)->at("update").at("status"), "ROLL_FORWARD_PAUSED");
}

TEST_F(UpdateTest, ControlWithoutAnActiveUpdateOrInTheWrongState) {
  Run none = run_failed({"update", "pause", kJob});
  EXPECT_EQ(none.err,
            "error: pausing the update of devcluster/www-data/prod/hello: job "
            "devcluster/www-data/prod/hello has no active update\n");
  std::string id = start_update(version(batches(600)));
  Run resume = run_failed({"update", "resume", kJob});
  EXPECT_THAT(resume.err,
              StartsWith("error: resuming the update of devcluster/www-data/prod/hello: cannot "
                         "resume update " +
                         id + ": it is ROLLING_FORWARD"));
  Run unknown = run_failed({"update", "pause", "devcluster/www-data/prod/nope"});
  EXPECT_THAT(unknown.err, HasSubstr("job devcluster/www-data/prod/nope does not exist"));
}

TEST_F(UpdateTest, RollbackWaitSucceedsWhenRolledBack) {
  start_update(version(batches(1)));
  Run r = run_ok({"update", "rollback", kJob, "--wait"});
  EXPECT_THAT(r.out, HasSubstr("ended ROLLED_BACK"));
}

// ---- update list / info / wait -------------------------------------------------------------

TEST_F(UpdateTest, ListFiltersAndFormats) {
  std::string id = start_update(version(batches(600)));
  clock_ahead_ms_ = 120'000;
  Run t = run_ok({"update", "list", "devcluster/www-data/prod/hello", "--status", "active"});
  EXPECT_THAT(t.out, MatchesRegex("JOB +UPDATE ID +KIND +STATUS +DONE +FAILED +STARTED +CHANGED\n"
                                  "devcluster/www-data/prod/hello +" +
                                  id + " +update +ROLLING_FORWARD +[0-2]/2 +0 +2m ago +2m ago\n"));
  auto gets = requests_to("GET", "/api/v1/updates");
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(gets[0].query, (std::map<std::string, std::string>{
                               {"role", "www-data"},
                               {"environment", "prod"},
                               {"name", "hello"},
                               {"status",
                                "ROLLING_FORWARD,ROLLING_BACK,ROLL_FORWARD_PAUSED,ROLL_BACK_PAUSED,"
                                "ROLL_FORWARD_AWAITING_PULSE,ROLL_BACK_AWAITING_PULSE"}}));

  control("abort");
  Run j = run_ok({"update", "list", "devcluster", "--status", "ROLLED_BACK", "--status", "ABORTED",
                  "-o", "json"});
  EXPECT_EQ(parse_json(j.out)->at("updates").at(0).at("update_id"), json::value(id));
  gets = requests_to("GET", "/api/v1/updates");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[1].query, (std::map<std::string, std::string>{{"status", "ROLLED_BACK,ABORTED"}}));

  Run empty = run_ok({"update", "list", "devcluster/nobody"});
  EXPECT_EQ(empty.out, "No updates in devcluster/nobody.\n");

  Run bad = run({"update", "list", "devcluster", "--status", "DONE"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--status 'DONE' is neither a group"));
  Run scope = run({"update", "list", "devcluster/a/b/c/d"});
  EXPECT_EQ(scope.code, 2);
  EXPECT_THAT(scope.err, HasSubstr("CLUSTER[/ROLE[/ENVIRONMENT[/NAME]]]"));
}

TEST_F(UpdateTest, InfoShowsSummaryStepsAndEvents) {
  // Aurora's defaults but the watch: a queue of 1, watched 45 s.
  std::string id = start_update(version({}), "canary");
  ASSERT_TRUE(borealis::testing::wait_until(
      [&] { return latest().at("forward").at(0).at("phase") == "WATCHING"; }));
  std::string task = str(latest().at("forward").at(0).at("task_id"));
  clock_ahead_ms_ = 120'000;
  Run r = run_ok({"update", "info", kJob});
  EXPECT_THAT(r.out, MatchesRegex("Update " + id +
                                  " of devcluster/www-data/prod/hello\n"
                                  "  status:      ROLLING_FORWARD \\(active\\)\n"
                                  "  progress:    0/2 done, 1 in flight, 0 failed\n"
                                  "  started:     2m ago\n"
                                  "  changed:     2m ago\n"
                                  "  message:     canary\n"
                                  "  settings:    queue of 1, watch 45s, failures allowed: 0 per "
                                  "instance, 0 in total, rollback on failure\n"
                                  "\n"
                                  "Instances:\n"
                                  "INSTANCE +PHASE +FAILURES +TASK ID\n"
                                  "0 +WATCHING +0 +" +
                                  re(task) +
                                  "\n"
                                  "1 +WAITING +0 +-\n"
                                  "\n"
                                  "Events:\n"
                                  "AGE +EVENT +INSTANCE +MESSAGE\n"
                                  "2m +ROLLING_FORWARD +- +canary\n"
                                  "(2m +INSTANCE_[A-Z_]+ +0 +.+\n)+"));
  // Without an id: the job's newest update.
  EXPECT_EQ(proxy_->count("GET", std::string(kJobPath) + "/updates"), 1u);
  EXPECT_EQ(proxy_->count("GET", std::string(kJobPath) + "/updates/" + id), 1u);

  Run j = run_ok({"update", "info", kJob, id, "-o", "json"});
  EXPECT_EQ(parse_json(j.out)->at("update").at("events"), latest().at("events"));
}

TEST_F(UpdateTest, InfoAndWaitWithoutUpdates) {
  Run info = run_failed({"update", "info", kJob});
  EXPECT_EQ(info.err,
            "error: job devcluster/www-data/prod/hello has no updates; start one with 'borealis "
            "update start devcluster/www-data/prod/hello FILE'\n");
  Run id = run({"update", "info", kJob, "nope"});
  EXPECT_EQ(id.err, "error: job www-data/prod/hello has no update nope\n");
  EXPECT_EQ(id.code, 1);
  Run wait = run_failed({"update", "wait", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(wait.err, "error: job devcluster/www-data/prod/nope does not exist\n");
}

TEST_F(UpdateTest, WaitExitsOneForEveryFailedEnd) {
  // Ended by a user: ABORTED, ROLLED_BACK (each instance rolled back is watched a second).
  for (const auto& [verb, end] : std::vector<std::pair<std::string, std::string>>{
           {"abort", "ABORTED"}, {"rollback", "ROLLED_BACK"}}) {
    std::string id = start_update(version(batches(1)));
    control(verb, "stopped by alice");
    wait_ended(end);
    if (HasFatalFailure()) return;
    Run r = run({"update", "wait", kJob, id});
    EXPECT_EQ(r.code, 1) << end;
    EXPECT_THAT(r.err, HasSubstr("ended " + end + ": stopped by alice")) << end;
  }
  // Failed with no rollback.
  json::object no_rollback = batches(0);
  no_rollback["rollback_on_failure"] = false;
  std::string failed = start_update(unhealthy(version(no_rollback)));
  Run f = run_failed({"update", "wait", kJob, failed});
  EXPECT_THAT(f.err, HasSubstr("ended FAILED: 1 instance(s) failed (max_total_failures 0)"));

  start_update(version(batches(0), "exec sleep 500"));
  EXPECT_EQ(run({"update", "wait", kJob}).code, 0);
}

TEST_F(UpdateTest, WaitTimesOutWhereTheUpdateStands) {
  std::string id = start_update(version(batches(600)));
  control("pause");
  Run r = run_failed({"update", "wait", kJob, id, "--wait-timeout", "3"});
  EXPECT_THAT(r.err, HasSubstr("error: timed out after 3s waiting for update " + id +
                               " of devcluster/www-data/prod/hello: ROLL_FORWARD_PAUSED "));
  EXPECT_EQ(clock_.now_ms() - run_started_ms_, 3000);
}

TEST_F(UpdateTest, WaitRetriesWhileTheSchedulerIsUnavailable) {
  std::string id = start_update(version(batches(0)));
  // The scheduler stops as the first poll reaches the proxy in front of it (which then
  // answers 503) and is back after the first pause.
  const std::string poll = std::string(kJobPath) + "/updates/" + id;
  proxy_->before_next("GET", poll, [&] { cluster_->stop_scheduler(); });
  on_pause_ = [&](size_t n) {
    if (n == 1) {
      EXPECT_TRUE(cluster_->start_scheduler().ok());
    }
  };
  Run r = run_ok({"update", "wait", kJob, id});
  EXPECT_THAT(r.err, StartsWith("waiting: HTTP 503: upstream connect error: "));
  EXPECT_GE(proxy_->count("GET", poll), 2u);
}

// ---- job restart / job add -----------------------------------------------------------------

TEST_F(UpdateTest, RestartWaitsByDefault) {
  Run r = run_ok(
      {"job", "restart", std::string(kJob) + "/0-1", "--batch-size", "2", "--watch-secs", "1"});
  std::string id = str(latest().at("update_id"));
  EXPECT_EQ(r.out, "Started restart " + id +
                       " of devcluster/www-data/prod/hello: ROLLING_FORWARD, 0/2 done, batch 1, 2 "
                       "in flight, 0 failed.\n"
                       "Restart " +
                       id +
                       " of devcluster/www-data/prod/hello ended ROLLED_FORWARD: 2/2 done, batch "
                       "1, 0 in flight, 0 failed.\n");
  EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/restart"),
            (json::value{{"instances", {0, 1}}, {"batch_size", 2}, {"watch_secs", 1}}));
}

TEST_F(UpdateTest, RestartNoWaitAndFailure) {
  Run nowait = run_ok({"job", "restart", kJob, "--no-wait"});
  std::string id = str(latest().at("update_id"));
  EXPECT_THAT(nowait.out, HasSubstr("Follow it with 'borealis update wait "
                                    "devcluster/www-data/prod/hello " +
                                    id + "'."));
  EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/restart"), json::value(json::object{}));
  wait_ended("ROLLED_FORWARD");
  if (HasFatalFailure()) return;

  // Someone rolls the restart back while the command waits.
  on_pause_ = [&](size_t n) {
    if (n == 1) control("rollback");
  };
  Run failed = run_failed({"job", "restart", kJob, "--watch-secs", "1"});
  EXPECT_THAT(failed.err, MatchesRegex("(ROLL[A-Z_]+ [^\n]+\n)*error: restart [-0-9a-f]+ of "
                                       "devcluster/www-data/prod/hello ended ROLLED_BACK: rollback "
                                       "requested; see [^\n]+\n"));

  Run unknown = run_failed({"job", "restart", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(unknown.err,
            "error: restarting devcluster/www-data/prod/nope: job devcluster/www-data/prod/nope "
            "does not exist\n");
  EXPECT_EQ(run({"job", "restart", kJob, "--batch-size", "0"}).code, 2);
}

TEST_F(UpdateTest, AddInstances) {
  Run r = run_ok({"job", "add", std::string(kJob) + "/0", "2"});
  EXPECT_EQ(r.out,
            "Added 2 instances to devcluster/www-data/prod/hello, running instance 0's version: "
            "2-3.\n");
  EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/instances"),
            (json::value{{"instance", 0}, {"count", 2}}));
  EXPECT_TRUE(cluster_->wait_running(kHello, 4).ok());

  Run j = run_ok({"job", "add", std::string(kJob) + "/1", "1", "-o", "json"});
  EXPECT_EQ(*parse_json(j.out), (json::value{{"added", {4}}}));

  Run whole = run({"job", "add", kJob, "2"});
  EXPECT_EQ(whole.code, 2);
  EXPECT_THAT(whole.err, HasSubstr("must name one instance to copy"));
  EXPECT_EQ(run({"job", "add", std::string(kJob) + "/0-1", "2"}).code, 2);
  EXPECT_EQ(run({"job", "add", std::string(kJob) + "/0", "0"}).code, 2);

  Run bad = run_failed({"job", "add", std::string(kJob) + "/9", "1"});
  EXPECT_THAT(bad.err, StartsWith("error: adding instances to devcluster/www-data/prod/hello: job "
                                  "www-data/prod/hello has no instance 9"));
}

}  // namespace
}  // namespace borealis::cli
