// The update commands (`update ...`, `job restart`, `job add`) end to end against the fake
// scheduler: requests sent, text and json output, progress while waiting, exit codes.
#include "cli/cli_fixture.h"

namespace borealis::cli {
namespace {

using testing::CliTest;
using ::testing::HasSubstr;
using testing::job_summary;
using testing::kStart;

constexpr const char* kJob = "devcluster/www-data/prod/hello";
constexpr const char* kJobPath = "/api/v1/jobs/www-data/prod/hello";

struct Progress {
  std::string status = "ROLLING_FORWARD";
  int64_t done = 0, total = 2, batch = 1, in_flight = 1, failed = 0;
};

// An update as GET .../updates/ID answers it (detail view); `events` oldest first.
json::object update_json(const Progress& p, json::array events = {}, bool restart = false) {
  const bool ended = p.status == "ROLLED_FORWARD" || p.status == "ROLLED_BACK" ||
                     p.status == "ABORTED" || p.status == "ERROR" || p.status == "FAILED";
  json::array forward;
  for (int64_t i = 0; i < p.total; ++i) {
    std::string phase = i < p.done                            ? "SUCCEEDED"
                        : i < p.done + p.failed               ? "FAILED"
                        : i < p.done + p.failed + p.in_flight ? "WATCHING"
                                                              : "WAITING";
    forward.push_back(json::object{{"instance", i},
                                   {"phase", phase},
                                   {"failures", phase == "FAILED" ? 1 : 0},
                                   {"task_id", "hello-" + std::to_string(i)}});
  }
  return {{"update_id", "u1"},
          {"job", kJob},
          {"status", p.status},
          {"active", !ended},
          {"rolling_back", false},
          {"restart", restart},
          {"created_ms", kStart - 120'000},
          {"updated_ms", kStart - 10'000},
          {"message", "canary"},
          {"instances_total", p.total},
          {"instances_done", p.done},
          {"instances_failed", p.failed},
          {"instances_in_flight", p.in_flight},
          {"failed_instances", p.failed},
          {"batch", p.batch},
          {"config_id", "c2"},
          {"settings",
           {{"batch_size", 1},
            {"watch_secs", 45},
            {"max_per_shard_failures", 0},
            {"max_total_failures", 0},
            {"rollback_on_failure", true},
            {"wait_for_batch_completion", false}}},
          {"forward", forward},
          {"rollback", json::array{}},
          {"events", events}};
}

json::object event(TimeMs ago_ms, const std::string& kind, const std::string& message = "",
                   int instance = -1) {
  json::object e{{"ts_ms", kStart - ago_ms}, {"kind", kind}, {"message", message}};
  if (instance >= 0) e["instance"] = instance;
  return e;
}

Progress at(const std::string& status, int64_t done, int64_t in_flight, int64_t batch,
            int64_t failed = 0) {
  return Progress{status, done, 2, batch, in_flight, failed};
}

class UpdateTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    sched_.add_job(job_summary("hello", "RUNNING", 2));
  }
  json::value body_of(const std::string& method, const std::string& path) {
    auto reqs = requests_to(method, path);
    EXPECT_EQ(reqs.size(), 1u) << method << " " << path;
    if (reqs.empty()) return nullptr;
    auto v = parse_json(reqs[0].body);
    EXPECT_TRUE(v.ok()) << reqs[0].body;
    return v.ok() ? *v : json::value(nullptr);
  }
};

// ---- update start -------------------------------------------------------------------------

TEST_F(UpdateTest, StartACanarySendsSpecInstancesAndMessage) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_FORWARD", 0, 1, 1))});
  Run r = run({"update", "start", std::string(kJob) + "/0-1,4", hello_file_, "-m", "canary"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Started update u1 of devcluster/www-data/prod/hello: ROLLING_FORWARD, 0/2 done, batch "
            "1, 1 in flight, 0 failed.\n"
            "Follow it with 'borealis update wait devcluster/www-data/prod/hello u1'.\n");
  json::value body = body_of("POST", std::string(kJobPath) + "/update");
  EXPECT_EQ(body.at("instances"), (json::value{0, 1, 4}));
  EXPECT_EQ(body.at("message"), "canary");
  EXPECT_EQ(body.at("spec").at("name"), "hello");
  EXPECT_EQ(body.at("spec").at("instances"), 2);
  // No waiting unless asked.
  EXPECT_EQ(sched_.count("GET", std::string(kJobPath) + "/updates/u1"), 0u);
}

TEST_F(UpdateTest, StartWithoutInstancesUpdatesTheWholeJobAndPrintsJson) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_FORWARD", 0, 1, 1))});
  Run r = run({"update", "start", kJob, hello_file_, "--output", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  auto out = parse_json(r.out);
  ASSERT_TRUE(out.ok()) << r.out;
  EXPECT_EQ(out->at("update").at("update_id"), "u1");
  EXPECT_FALSE(out->at("update").as_object().contains("events"));  // the summary only
  json::value body = body_of("POST", std::string(kJobPath) + "/update");
  EXPECT_FALSE(body.as_object().contains("instances"));
  EXPECT_FALSE(body.as_object().contains("message"));
}

TEST_F(UpdateTest, StartWaitShowsALinePerChangeAndSucceeds) {
  sched_.script_update(
      "www-data/prod/hello",
      {update_json(at("ROLLING_FORWARD", 0, 1, 1)), update_json(at("ROLLING_FORWARD", 0, 1, 1)),
       update_json(at("ROLLING_FORWARD", 1, 1, 2)), update_json(at("ROLLED_FORWARD", 2, 0, 2))});
  Run r = run({"update", "start", kJob, hello_file_, "--wait"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Started update u1 of devcluster/www-data/prod/hello: ROLLING_FORWARD, 0/2 done, batch "
            "1, 1 in flight, 0 failed.\n"
            "Update u1 of devcluster/www-data/prod/hello ended ROLLED_FORWARD: 2/2 done, batch 2, "
            "0 in flight, 0 failed.\n");
  EXPECT_EQ(r.err,
            "ROLLING_FORWARD 0/2 done, batch 1, 1 in flight, 0 failed\n"
            "ROLLING_FORWARD 1/2 done, batch 2, 1 in flight, 0 failed\n");
  // The first polls come fast, then slow down.
  EXPECT_EQ(pauses_, (std::vector<TimeMs>{50, 100, 200}));
}

TEST_F(UpdateTest, WaitRewritesOneLineOnATerminal) {
  env_.terminal = true;
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_FORWARD", 0, 1, 1)),
                                               update_json(at("ROLLING_FORWARD", 1, 1, 2)),
                                               update_json(at("ROLLED_FORWARD", 2, 0, 2))});
  Run r = run({"update", "wait", kJob, "u1"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err,
            "\rROLLING_FORWARD 0/2 done, batch 1, 1 in flight, 0 failed\033[K"
            "\rROLLING_FORWARD 1/2 done, batch 2, 1 in flight, 0 failed\033[K\n");
  EXPECT_EQ(r.out,
            "Update u1 of devcluster/www-data/prod/hello ended ROLLED_FORWARD: 2/2 done, batch 2, "
            "0 in flight, 0 failed.\n");
}

TEST_F(UpdateTest, AQueueHasNoBatchNumber) {
  // A sliding window (queue strategy): the scheduler counts no batches.
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_FORWARD", 1, 1, 0)),
                                               update_json(at("ROLLED_FORWARD", 2, 0, 0))});
  Run r = run({"update", "wait", kJob, "u1"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "ROLLING_FORWARD 1/2 done, 1 in flight, 0 failed\n");
  EXPECT_EQ(r.out,
            "Update u1 of devcluster/www-data/prod/hello ended ROLLED_FORWARD: 2/2 done, 0 in "
            "flight, 0 failed.\n");
}

TEST_F(UpdateTest, StartWaitExitsOneWhenRolledBackWithTheReason) {
  json::array events{event(60'000, "ROLLING_FORWARD"),
                     event(30'000, "INSTANCE_UPDATE_FAILED", "process main exited 1", 0),
                     event(20'000, "ROLLING_BACK", "instance 0 failed; over max_total_failures"),
                     event(10'000, "ROLLED_BACK")};
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_FORWARD", 0, 1, 1)),
                                               update_json(at("ROLLED_BACK", 0, 0, 1, 1), events)});
  Run r = run({"update", "start", kJob, hello_file_, "--wait"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("Update u1 of devcluster/www-data/prod/hello ended ROLLED_BACK: "
                               "0/2 done, batch 1, 0 in flight, 1 failed.\n"));
  EXPECT_THAT(r.err, HasSubstr("error: update u1 of devcluster/www-data/prod/hello ended "
                               "ROLLED_BACK: instance 0 failed; over max_total_failures; instance "
                               "0: process main exited 1; see 'borealis update info "
                               "devcluster/www-data/prod/hello u1'\n"));
}

TEST_F(UpdateTest, StartWaitJsonPrintsTheDetail) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLED_FORWARD", 2, 0, 2))});
  Run r = run({"update", "start", kJob, hello_file_, "--wait", "-o", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  auto out = parse_json(r.out);
  ASSERT_TRUE(out.ok()) << r.out;
  EXPECT_EQ(out->at("update").at("status"), "ROLLED_FORWARD");
  EXPECT_EQ(out->at("update").at("forward").as_array().size(), 2u);
}

TEST_F(UpdateTest, StartOfAnUnchangedJobIsANoOpThatSucceeds) {
  sched_.answer_next("POST", std::string(kJobPath) + "/update", 200,
                     R"({"update": null, "message": "no instance needs to change"})");
  Run r = run({"update", "start", kJob, hello_file_, "--wait"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Job devcluster/www-data/prod/hello is unchanged by the proposed update (no instance "
            "needs to change); nothing to do.\n");
  sched_.answer_next("POST", std::string(kJobPath) + "/update", 200,
                     R"({"update": null, "message": "no instance needs to change"})");
  Run j = run({"update", "start", kJob, hello_file_, "-o", "json"});
  EXPECT_EQ(j.code, 0) << j.err;
  auto out = parse_json(j.out);
  ASSERT_TRUE(out.ok()) << j.out;
  EXPECT_TRUE(out->at("update").is_null());
}

TEST_F(UpdateTest, StartErrors) {
  // No such job.
  Run none = run({"update", "start", "devcluster/www-data/prod/nope", hello_file_});
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("defines job devcluster/www-data/prod/hello, not "
                                  "devcluster/www-data/prod/nope"));
  // Another update is active (409).
  sched_.answer_next("POST", std::string(kJobPath) + "/update", 409,
                     R"({"error": {"code": "FAILED_PRECONDITION",
                        "message": "job devcluster/www-data/prod/hello has an active update u0"}})");
  Run busy = run({"update", "start", kJob, hello_file_});
  EXPECT_EQ(busy.code, 1);
  EXPECT_EQ(busy.err,
            "error: starting an update of devcluster/www-data/prod/hello: job "
            "devcluster/www-data/prod/hello has an active update u0\n");
  // The scheduler answers 404 for a job it does not run.
  sched_.answer_next(
      "POST", std::string(kJobPath) + "/update", 404,
      R"({"error": {"code": "NOT_FOUND", "message": "no job www-data/prod/hello"}})");
  Run gone = run({"update", "start", kJob, hello_file_});
  EXPECT_EQ(gone.code, 1);
  EXPECT_EQ(gone.err,
            "error: starting an update of devcluster/www-data/prod/hello: no job "
            "www-data/prod/hello\n");
}

TEST_F(UpdateTest, CanaryInstanceRangesAreChecked) {
  for (const char* bad : {"/3-1", "/x", "/0-", "/-1"}) {
    Run r = run({"update", "start", std::string(kJob) + bad, hello_file_});
    EXPECT_EQ(r.code, 2) << bad << ": " << r.err;
  }
  EXPECT_TRUE(sched_.requests().empty());
}

// ---- pause, resume, abort, rollback, pulse ------------------------------------------------

TEST_F(UpdateTest, ControlVerbsPostToTheirPath) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLL_FORWARD_PAUSED", 1, 0, 1))});
  const std::vector<std::pair<std::string, std::string>> verbs = {{"pause", "Paused"},
                                                                  {"resume", "Resumed"},
                                                                  {"abort", "Aborted"},
                                                                  {"rollback", "Rolling back"},
                                                                  {"pulse", "Pulsed"}};
  for (const auto& [verb, done] : verbs) {
    Run r = run({"update", verb, kJob, "-m", "why"});
    EXPECT_EQ(r.code, 0) << verb << ": " << r.err;
    EXPECT_EQ(r.out, done +
                         " update u1 of devcluster/www-data/prod/hello: ROLL_FORWARD_PAUSED, 1/2 "
                         "done, batch 1, 0 in flight, 0 failed.\n");
    EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/update/" + verb),
              (json::value{{"message", "why"}}));
  }
  Run j = run({"update", "pause", kJob, "-o", "json"});
  EXPECT_EQ(j.code, 0);
  EXPECT_EQ(parse_json(j.out)->at("update").at("status"), "ROLL_FORWARD_PAUSED");
}

TEST_F(UpdateTest, ControlWithoutAnActiveUpdateOrInTheWrongState) {
  Run none = run({"update", "pause", kJob});
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err,
            "error: pausing the update of devcluster/www-data/prod/hello: job "
            "devcluster/www-data/prod/hello has no active update\n");
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_FORWARD", 0, 1, 1))});
  sched_.answer_next("POST", std::string(kJobPath) + "/update/resume", 409,
                     R"({"error": {"code": "FAILED_PRECONDITION",
                        "message": "cannot resume update u1: it is ROLLING_FORWARD"}})");
  Run resume = run({"update", "resume", kJob});
  EXPECT_EQ(resume.code, 1);
  EXPECT_EQ(resume.err,
            "error: resuming the update of devcluster/www-data/prod/hello: cannot resume update "
            "u1: it is ROLLING_FORWARD\n");
  Run unknown = run({"update", "pause", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("no job www-data/prod/nope"));
}

TEST_F(UpdateTest, RollbackWaitSucceedsWhenRolledBack) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_BACK", 0, 1, 1)),
                                               update_json(at("ROLLED_BACK", 0, 0, 1))});
  Run r = run({"update", "rollback", kJob, "--wait"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ended ROLLED_BACK"));
}

// ---- update list / info / wait -------------------------------------------------------------

TEST_F(UpdateTest, ListFiltersAndFormats) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLING_FORWARD", 1, 1, 2))});
  Run t = run({"update", "list", "devcluster/www-data/prod/hello", "--status", "active"});
  EXPECT_EQ(t.code, 0) << t.err;
  EXPECT_EQ(t.out,
            "JOB                             UPDATE ID  KIND    STATUS           DONE  FAILED  "
            "STARTED  CHANGED\n"
            "devcluster/www-data/prod/hello  u1         update  ROLLING_FORWARD  1/2   0       "
            "2m ago   10s ago\n");
  auto gets = requests_to("GET", "/api/v1/updates");
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(gets[0].query, (std::map<std::string, std::string>{
                               {"role", "www-data"},
                               {"environment", "prod"},
                               {"name", "hello"},
                               {"status",
                                "ROLLING_FORWARD,ROLLING_BACK,ROLL_FORWARD_PAUSED,ROLL_BACK_PAUSED,"
                                "ROLL_FORWARD_AWAITING_PULSE,ROLL_BACK_AWAITING_PULSE"}}));

  Run j = run({"update", "list", "devcluster", "--status", "ROLLED_BACK", "--status", "ABORTED",
               "-o", "json"});
  EXPECT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(parse_json(j.out)->at("updates").at(0).at("update_id"), "u1");
  gets = requests_to("GET", "/api/v1/updates");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[1].query, (std::map<std::string, std::string>{{"status", "ROLLED_BACK,ABORTED"}}));

  Run empty = run({"update", "list", "devcluster/nobody"});
  EXPECT_EQ(empty.code, 0);
  EXPECT_EQ(empty.out, "No updates in devcluster/nobody.\n");

  Run bad = run({"update", "list", "devcluster", "--status", "DONE"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--status 'DONE' is neither a group"));
  Run scope = run({"update", "list", "devcluster/a/b/c/d"});
  EXPECT_EQ(scope.code, 2);
  EXPECT_THAT(scope.err, HasSubstr("CLUSTER[/ROLE[/ENVIRONMENT[/NAME]]]"));
}

TEST_F(UpdateTest, InfoShowsSummaryStepsAndEvents) {
  json::array events{event(120'000, "ROLLING_FORWARD", "canary"),
                     event(100'000, "INSTANCE_UPDATING", "", 0),
                     event(60'000, "INSTANCE_UPDATED", "", 0)};
  sched_.script_update("www-data/prod/hello",
                       {update_json(at("ROLLING_FORWARD", 1, 1, 2), events)});
  Run r = run({"update", "info", kJob});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Update u1 of devcluster/www-data/prod/hello\n"
            "  status:      ROLLING_FORWARD (active)\n"
            "  progress:    1/2 done, batch 2, 1 in flight, 0 failed\n"
            "  started:     2m ago\n"
            "  changed:     10s ago\n"
            "  message:     canary\n"
            "  settings:    queue of 1, watch 45s, failures allowed: 0 per instance, 0 in total, "
            "rollback on failure\n"
            "\n"
            "Instances:\n"
            "INSTANCE  PHASE      FAILURES  TASK ID\n"
            "0         SUCCEEDED  0         hello-0\n"
            "1         WATCHING   0         hello-1\n"
            "\n"
            "Events:\n"
            "AGE  EVENT              INSTANCE  MESSAGE\n"
            "2m   ROLLING_FORWARD    -         canary\n"
            "1m   INSTANCE_UPDATING  0         -\n"
            "1m   INSTANCE_UPDATED   0         -\n");
  // Without an id: the job's newest update.
  EXPECT_EQ(sched_.count("GET", std::string(kJobPath) + "/updates"), 1u);
  EXPECT_EQ(sched_.count("GET", std::string(kJobPath) + "/updates/u1"), 1u);

  Run j = run({"update", "info", kJob, "u1", "-o", "json"});
  EXPECT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(parse_json(j.out)->at("update").at("events").as_array().size(), 3u);
}

TEST_F(UpdateTest, InfoAndWaitWithoutUpdates) {
  Run info = run({"update", "info", kJob});
  EXPECT_EQ(info.code, 1);
  EXPECT_EQ(info.err,
            "error: job devcluster/www-data/prod/hello has no updates; start one with 'borealis "
            "update start devcluster/www-data/prod/hello FILE'\n");
  Run id = run({"update", "info", kJob, "nope"});
  EXPECT_EQ(id.code, 1);
  EXPECT_EQ(id.err, "error: job www-data/prod/hello has no update nope\n");
  Run wait = run({"update", "wait", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(wait.code, 1);
  EXPECT_EQ(wait.err, "error: no job www-data/prod/nope\n");
}

TEST_F(UpdateTest, WaitExitsOneForEveryFailedEnd) {
  for (const char* end : {"ROLLED_BACK", "ABORTED", "ERROR", "FAILED"}) {
    sched_.script_update("www-data/prod/hello",
                         {update_json(at(end, 1, 0, 1), {event(1000, end, "stopped by alice")})});
    Run r = run({"update", "wait", kJob, "u1"});
    EXPECT_EQ(r.code, 1) << end;
    EXPECT_THAT(r.err, HasSubstr(std::string("ended ") + end + ": stopped by alice"));
  }
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLED_FORWARD", 2, 0, 2))});
  EXPECT_EQ(run({"update", "wait", kJob}).code, 0);
}

TEST_F(UpdateTest, WaitTimesOutWhereTheUpdateStands) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLL_FORWARD_PAUSED", 1, 0, 1))});
  Run r = run({"update", "wait", kJob, "u1", "--wait-timeout", "3"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: timed out after 3s waiting for update u1 of "
                               "devcluster/www-data/prod/hello: ROLL_FORWARD_PAUSED 1/2 done"));
  EXPECT_EQ(clock_.now_ms() - kStart, 3000);
}

TEST_F(UpdateTest, WaitRetriesWhileTheSchedulerIsUnavailable) {
  sched_.script_update("www-data/prod/hello", {update_json(at("ROLLED_FORWARD", 2, 0, 2))});
  sched_.answer_next("GET", std::string(kJobPath) + "/updates/u1", 503,
                     R"({"error": {"code": "UNAVAILABLE", "message": "store is failing"}})");
  Run r = run({"update", "wait", kJob, "u1"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "waiting: store is failing\n");
  EXPECT_EQ(sched_.count("GET", std::string(kJobPath) + "/updates/u1"), 2u);
}

// ---- job restart / job add -----------------------------------------------------------------

TEST_F(UpdateTest, RestartWaitsByDefault) {
  sched_.script_update("www-data/prod/hello",
                       {update_json(at("ROLLING_FORWARD", 0, 1, 1), {}, true),
                        update_json(at("ROLLED_FORWARD", 2, 0, 2), {}, true)});
  Run r =
      run({"job", "restart", std::string(kJob) + "/0-1", "--batch-size", "1", "--watch-secs", "5"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Started restart u1 of devcluster/www-data/prod/hello: ROLLING_FORWARD, 0/2 done, "
            "batch 1, 1 in flight, 0 failed.\n"
            "Restart u1 of devcluster/www-data/prod/hello ended ROLLED_FORWARD: 2/2 done, batch "
            "2, 0 in flight, 0 failed.\n");
  EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/restart"),
            (json::value{{"instances", {0, 1}}, {"batch_size", 1}, {"watch_secs", 5}}));
}

TEST_F(UpdateTest, RestartNoWaitAndFailure) {
  sched_.script_update("www-data/prod/hello",
                       {update_json(at("ROLLING_FORWARD", 0, 1, 1), {}, true),
                        update_json(at("ROLLED_BACK", 0, 0, 1, 1), {}, true)});
  Run nowait = run({"job", "restart", kJob, "--no-wait"});
  EXPECT_EQ(nowait.code, 0) << nowait.err;
  EXPECT_THAT(nowait.out, HasSubstr("Follow it with 'borealis update wait "
                                    "devcluster/www-data/prod/hello u1'."));
  EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/restart"), json::value(json::object{}));

  Run failed = run({"job", "restart", kJob});
  EXPECT_EQ(failed.code, 1);
  EXPECT_THAT(failed.err, HasSubstr("error: restart u1 of devcluster/www-data/prod/hello ended "
                                    "ROLLED_BACK"));

  Run unknown = run({"job", "restart", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(unknown.err,
            "error: restarting devcluster/www-data/prod/nope: no job "
            "www-data/prod/nope\n");
  EXPECT_EQ(run({"job", "restart", kJob, "--batch-size", "0"}).code, 2);
}

TEST_F(UpdateTest, AddInstances) {
  Run r = run({"job", "add", std::string(kJob) + "/0", "2"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Added 2 instances to devcluster/www-data/prod/hello, running instance 0's version: "
            "2-3.\n");
  EXPECT_EQ(body_of("POST", std::string(kJobPath) + "/instances"),
            (json::value{{"instance", 0}, {"count", 2}}));

  Run j = run({"job", "add", std::string(kJob) + "/1", "1", "-o", "json"});
  EXPECT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(*parse_json(j.out), (json::value{{"added", {4}}}));

  Run whole = run({"job", "add", kJob, "2"});
  EXPECT_EQ(whole.code, 2);
  EXPECT_THAT(whole.err, HasSubstr("must name one instance to copy"));
  EXPECT_EQ(run({"job", "add", std::string(kJob) + "/0-1", "2"}).code, 2);
  EXPECT_EQ(run({"job", "add", std::string(kJob) + "/0", "0"}).code, 2);

  sched_.answer_next("POST", std::string(kJobPath) + "/instances", 400,
                     R"({"error": {"code": "INVALID_ARGUMENT", "message": "no instance 9"}})");
  Run bad = run({"job", "add", std::string(kJob) + "/9", "1"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err, "error: adding instances to devcluster/www-data/prod/hello: no instance 9\n");
}

}  // namespace
}  // namespace borealis::cli
