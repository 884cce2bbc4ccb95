// The borealis command end to end: run_cli (what main() calls) against a fake scheduler
// that answers as docs/api.md says, checking the exact output and exit codes.
#include "cli/cli_fixture.h"

namespace borealis::cli {
namespace {

using testing::CliTest;
using testing::FakeScheduler;
using ::testing::HasSubstr;
using testing::job_summary;
using testing::kStart;
using ::testing::Not;
using testing::task_json;

// ---- the command itself -------------------------------------------------------------------

TEST_F(CliTest, VersionAndHelp) {
  Run v = run({"--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out, "borealis 0.1.0\n");

  Run h = run({"help", "job", "create"});
  EXPECT_EQ(h.code, 0);
  EXPECT_THAT(h.out, HasSubstr("Usage: borealis job create [OPTIONS] key file"));
  EXPECT_THAT(h.out, HasSubstr("--wait-until"));
  EXPECT_EQ(run({"job", "status", "--help"}).code, 0);

  Run none = run({});
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("Subcommands:"));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  Run unknown = run({"job", "frob"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("error: The following argument was not expected: frob"));

  Run noun = run({"job"});
  EXPECT_EQ(noun.code, 2);
  EXPECT_THAT(noun.err, HasSubstr("error: 'borealis job' needs a command"));

  Run missing = run({"job", "create", "devcluster/www-data/prod/hello"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("error: file is required"));

  Run bad_key = run({"job", "status", "devcluster/www-data/hello"});
  EXPECT_EQ(bad_key.code, 2);
  EXPECT_THAT(bad_key.err, HasSubstr("must have the form CLUSTER/ROLE/ENVIRONMENT/NAME"));
  EXPECT_THAT(bad_key.err, HasSubstr("Run 'borealis job status --help' for usage."));

  Run bad_wait =
      run({"job", "create", "devcluster/www-data/prod/hello", hello_file_, "--wait-until", "UP"});
  EXPECT_EQ(bad_wait.code, 2);
  EXPECT_TRUE(sched_.requests().empty());
}

// ---- job create ---------------------------------------------------------------------------

TEST_F(CliTest, CreateSendsTheValidatedSpec) {
  Run r = run({"job", "create", "devcluster/www-data/prod/hello", hello_file_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "Created job devcluster/www-data/prod/hello (2 instances).\n");
  auto posts = requests_to("POST", "/api/v1/jobs");
  ASSERT_EQ(posts.size(), 1u);
  auto body = parse_json(posts[0].body);
  ASSERT_TRUE(body.ok());
  const json::object& spec = body->as_object();
  EXPECT_EQ(spec.at("cluster"), "devcluster");
  EXPECT_EQ(spec.at("name"), "hello");
  EXPECT_EQ(spec.at("instances"), 2);
  // Aurora's defaults are filled in on the client.
  EXPECT_EQ(spec.at("max_task_failures"), 1);
  // No waiting for PENDING: the job was accepted.
  EXPECT_EQ(sched_.count("GET", "/api/v1/jobs/www-data/prod/hello/tasks"), 0u);
}

TEST_F(CliTest, CreateRefusesBadJobsBeforeSendingAnything) {
  std::string negative =
      dir_.write("neg.json", R"({"name": "hello", "role": "www-data", "environment": "prod",
      "cluster": "devcluster", "task": {"processes": [{"name": "p", "cmdline": "x"}],
      "resources": {"cpu": -1, "ram": 1, "disk": 1}}})");
  Run neg = run({"job", "create", "devcluster/www-data/prod/hello", negative});
  EXPECT_EQ(neg.code, 1);
  EXPECT_EQ(neg.err, "error: " + negative +
                         ": job 'hello': task.resources.cpu: must be greater than 0, got "
                         "-1.000000\n");

  Run mismatch = run({"job", "create", "devcluster/www-data/prod/other", hello_file_});
  EXPECT_EQ(mismatch.code, 1);
  EXPECT_THAT(mismatch.err, HasSubstr("name is 'hello' in the file but 'other' in the job key"));

  std::string unknown = dir_.write("unknown.json", R"({"name": "hello", "role": "www-data",
      "environment": "prod", "cluster": "devcluster", "instance": 3, "task": {}})");
  Run unk = run({"job", "create", "devcluster/www-data/prod/hello", unknown});
  EXPECT_EQ(unk.code, 1);
  EXPECT_THAT(unk.err, HasSubstr("instance"));

  EXPECT_TRUE(sched_.requests().empty());
}

TEST_F(CliTest, CreateMapsSchedulerErrors) {
  sched_.answer_next("POST", "/api/v1/jobs", 400,
                     R"x({"error": {"code": "INVALID_ARGUMENT",
                       "message": "task.resources.ram: larger than any agent (7.6 GiB)"}})x");
  Run bad = run({"job", "create", "devcluster/www-data/prod/hello", hello_file_});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err,
            "error: creating job devcluster/www-data/prod/hello: task.resources.ram: larger than "
            "any agent (7.6 GiB)\n");

  EXPECT_EQ(run({"job", "create", "devcluster/www-data/prod/hello", hello_file_}).code, 0);
  Run exists = run({"job", "create", "devcluster/www-data/prod/hello", hello_file_});
  EXPECT_EQ(exists.code, 1);
  EXPECT_EQ(exists.err,
            "error: creating job devcluster/www-data/prod/hello: job "
            "devcluster/www-data/prod/hello already exists\n");
}

TEST_F(CliTest, CreateWaitsUntilRunningAndShowsProgressOnATerminal) {
  env_.terminal = true;
  sched_.script_tasks("www-data/prod/hello",
                      {{task_json(0, "PENDING"), task_json(1, "PENDING")},
                       {task_json(0, "RUNNING"), task_json(1, "PENDING", "no agent has 64 MiB")},
                       {task_json(0, "RUNNING"), task_json(1, "PENDING", "no agent has 64 MiB")},
                       {task_json(0, "RUNNING"), task_json(1, "RUNNING")}});
  Run r = run(
      {"job", "create", "devcluster/www-data/prod/hello", hello_file_, "--wait-until", "RUNNING"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Created job devcluster/www-data/prod/hello (2 instances).\n"
            "All 2 instances of devcluster/www-data/prod/hello are RUNNING.\n");
  // A line per change, not per poll.
  EXPECT_EQ(r.err,
            "waiting for RUNNING: 0/2 RUNNING, 2 PENDING; instance 0 is PENDING (task "
            "www-data-prod-hello-0-PENDING)\n"
            "waiting for RUNNING: 1/2 RUNNING, 1 PENDING; instance 1 is PENDING: no agent has 64 "
            "MiB (task www-data-prod-hello-1-PENDING)\n");
  EXPECT_EQ(sched_.count("GET", "/api/v1/jobs/www-data/prod/hello/tasks"), 4u);
  // The first polls come fast: 50, 100, 200 ms.
  EXPECT_EQ(pauses_, (std::vector<TimeMs>{50, 100, 200}));
}

TEST_F(CliTest, WaitingQuietlyWithoutATerminal) {
  sched_.script_tasks(
      "www-data/prod/hello",
      {{task_json(0, "PENDING")}, {task_json(0, "FINISHED"), task_json(1, "FINISHED")}});
  Run r = run(
      {"job", "create", "devcluster/www-data/prod/hello", hello_file_, "--wait-until", "FINISHED"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("All 2 instances of devcluster/www-data/prod/hello FINISHED."));
}

TEST_F(CliTest, WaitFailsWhenATaskFails) {
  sched_.script_tasks("www-data/prod/hello",
                      {{task_json(0, "RUNNING"), task_json(1, "PENDING"),
                        task_json(1, "FAILED", "process main exited with status 1")}});
  Run r = run(
      {"job", "create", "devcluster/www-data/prod/hello", hello_file_, "--wait-until", "RUNNING"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: job devcluster/www-data/prod/hello did not reach RUNNING: instance 1 had a "
            "task FAILED: process main exited with status 1 (task www-data-prod-hello-1-FAILED); "
            "see 'borealis job status devcluster/www-data/prod/hello'\n");
}

TEST_F(CliTest, WaitTimesOutWithThePendingReason) {
  sched_.script_tasks(
      "www-data/prod/hello",
      {{task_json(0, "RUNNING"),
        task_json(1, "PENDING", "no agent has 64.0 GiB ram free (largest: 7.6 GiB)")}});
  Run r = run({"job", "create", "devcluster/www-data/prod/hello", hello_file_, "--wait-until",
               "RUNNING", "--wait-timeout", "10"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: timed out after 10s waiting for job devcluster/www-data/prod/hello to reach "
            "RUNNING: 1/2 RUNNING, 1 PENDING; instance 1 is PENDING: no agent has 64.0 GiB ram "
            "free (largest: 7.6 GiB) (task www-data-prod-hello-1-PENDING)\n");
  EXPECT_EQ(clock_.now_ms() - kStart, 10'000);
  // 50, 100, 200, 400, 800 ms, then every second, the last pause cut to the deadline.
  EXPECT_EQ(pauses_, (std::vector<TimeMs>{50, 100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000,
                                          1000, 1000, 1000, 450}));
  EXPECT_EQ(sched_.count("GET", "/api/v1/jobs/www-data/prod/hello/tasks"), 15u);
}

// ---- job status ---------------------------------------------------------------------------

TEST_F(CliTest, StatusTable) {
  sched_.add_job(job_summary("hello", "PENDING", 2));
  sched_.script_tasks("www-data/prod/hello",
                      {{task_json(0, "RUNNING"),
                        task_json(1, "PENDING", "no agent has 64.0 GiB ram free", kStart - 5000)}});
  Run r = run({"job", "status", "devcluster/www-data/prod/hello"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Job devcluster/www-data/prod/hello: PENDING (2 instances, service)\n"
            "\n"
            "Active tasks:\n"
            "INSTANCE  STATUS   HOST     PORTS       AGE  TASK ID                        MESSAGE\n"
            "0         RUNNING  agent-1  http=31000  1m   www-data-prod-hello-0-RUNNING  -\n"
            "1         PENDING  -        -           5s   www-data-prod-hello-1-PENDING  no agent "
            "has 64.0 GiB ram free\n");
}

TEST_F(CliTest, StatusJsonIsTheApiShape) {
  sched_.add_job(job_summary("hello", "RUNNING", 2));
  json::array tasks{task_json(0, "RUNNING"), task_json(1, "RUNNING")};
  sched_.script_tasks("www-data/prod/hello", {tasks});
  Run r = run({"job", "status", "devcluster/www-data/prod/hello/0-1", "--output", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  auto out = parse_json(r.out);
  ASSERT_TRUE(out.ok()) << r.out;
  EXPECT_EQ(*out, (json::value{{"tasks", tasks}}));
  auto gets = requests_to("GET", "/api/v1/jobs/www-data/prod/hello/tasks");
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(gets[0].query.at("instances"), "0-1");
}

TEST_F(CliTest, StatusOfAnUnknownJob) {
  Run r = run({"job", "status", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: no job www-data/prod/nope\n");
}

// ---- job list -----------------------------------------------------------------------------

TEST_F(CliTest, ListTableJsonAndFilter) {
  sched_.add_job(job_summary("hello", "RUNNING", 3));
  Run t = run({"job", "list", "devcluster"});
  EXPECT_EQ(t.code, 0) << t.err;
  EXPECT_EQ(t.out,
            "JOB                             STATUS   INSTANCES  TASKS\n"
            "devcluster/www-data/prod/hello  RUNNING  3          3 RUNNING\n");

  Run j = run({"job", "list", "devcluster/www-data/prod", "-o", "json"});
  EXPECT_EQ(j.code, 0) << j.err;
  auto out = parse_json(j.out);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("jobs").as_array().size(), 1u);
  EXPECT_EQ(out->at("jobs").at(0).at("key"), "devcluster/www-data/prod/hello");
  auto gets = requests_to("GET", "/api/v1/jobs");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_TRUE(gets[0].query.empty());
  EXPECT_EQ(gets[1].query,
            (std::map<std::string, std::string>{{"role", "www-data"}, {"environment", "prod"}}));

  Run empty = run({"job", "list", "devcluster/nobody"});
  EXPECT_EQ(empty.code, 0);
  EXPECT_EQ(empty.out, "No jobs in devcluster/nobody.\n");
}

// ---- job kill / killall -------------------------------------------------------------------

TEST_F(CliTest, KillInstances) {
  sched_.add_job(job_summary("hello", "RUNNING", 5));
  Run r = run({"job", "kill", "devcluster/www-data/prod/hello/0-1,4"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Killing 3 tasks of devcluster/www-data/prod/hello instances 0-1,4:\n"
            "  www-data-prod-hello-0-x\n"
            "  www-data-prod-hello-1-x\n"
            "  www-data-prod-hello-4-x\n");
  auto posts = requests_to("POST", "/api/v1/jobs/www-data/prod/hello/kill");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(*parse_json(posts[0].body), (json::value{{"instances", {0, 1, 4}}}));
}

TEST_F(CliTest, KillOneInstanceAndNothingToKill) {
  sched_.add_job(job_summary("hello", "RUNNING", 2));
  Run one = run({"job", "kill", "devcluster/www-data/prod/hello/1"});
  EXPECT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(one.out,
            "Killing 1 task of devcluster/www-data/prod/hello instance 1:\n"
            "  www-data-prod-hello-1-x\n");
  sched_.answer_next("POST", "/api/v1/jobs/www-data/prod/hello/kill", 200, R"({"killed": []})");
  Run none = run({"job", "kill", "devcluster/www-data/prod/hello/1"});
  EXPECT_EQ(none.code, 0) << none.err;
  EXPECT_EQ(none.out,
            "No active tasks in devcluster/www-data/prod/hello instance 1; nothing to kill.\n");
}

TEST_F(CliTest, KillWithoutInstancesIsAUsageError) {
  Run r = run({"job", "kill", "devcluster/www-data/prod/hello"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("use 'borealis job killall devcluster/www-data/prod/hello'"));
  EXPECT_TRUE(sched_.requests().empty());
}

TEST_F(CliTest, Killall) {
  sched_.add_job(job_summary("hello", "RUNNING", 2));
  Run r = run({"job", "killall", "devcluster/www-data/prod/hello"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Killing 2 tasks of devcluster/www-data/prod/hello (every instance):\n"
            "  www-data-prod-hello-0-x\n"
            "  www-data-prod-hello-1-x\n");
  auto posts = requests_to("POST", "/api/v1/jobs/www-data/prod/hello/kill");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].body, "{}");

  Run again = run({"job", "killall", "devcluster/www-data/prod/hello"});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(again.err,
            "error: killing devcluster/www-data/prod/hello: no job www-data/prod/hello\n");
}

// ---- cluster agents -----------------------------------------------------------------------

TEST_F(CliTest, Agents) {
  sched_.set_agents(json::array{
      json::object{{"agent_id", "2f0c"},
                   {"hostname", "agent-1"},
                   {"address", "10.0.0.1:8082"},
                   {"status", "ACTIVE"},
                   {"last_seen_ms", kStart - 3000},
                   {"tasks", 2},
                   {"resources",
                    {{"total", {{"cpu", 2}, {"ram", 2LL << 30}, {"disk", 10LL << 30}}},
                     {"used", {{"cpu", 1}, {"ram", 1LL << 29}, {"disk", 1LL << 30}}}}}}});
  Run t = run({"cluster", "agents", "devcluster"});
  EXPECT_EQ(t.code, 0) << t.err;
  EXPECT_EQ(t.out,
            "HOSTNAME  STATUS  TASKS  CPU USED/TOTAL  RAM USED/TOTAL     DISK USED/TOTAL   "
            "LAST SEEN  ADDRESS        AGENT ID\n"
            "agent-1   ACTIVE  2      1/2             512.0 MiB/2.0 GiB  1.0 GiB/10.0 GiB  "
            "3s ago     10.0.0.1:8082  2f0c\n");
  Run j = run({"cluster", "agents", "devcluster", "--output", "json"});
  EXPECT_EQ(j.code, 0);
  EXPECT_EQ(parse_json(j.out)->at("agents").at(0).at("hostname"), "agent-1");
}

// ---- reaching the scheduler ---------------------------------------------------------------

TEST_F(CliTest, UnreachableScheduler) {
  Run r = run({"job", "list", "dead"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: cannot reach scheduler of cluster 'dead' at http://127.0.0.1:1: connection "
            "refused\n");
}

TEST_F(CliTest, UnknownClusterAndClusterWithoutUri) {
  Run r = run({"job", "list", "west"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: unknown cluster 'west'; known clusters: dead, devcluster, "
                               "zkonly (clusters are read from " +
                               env_.cluster_files[0]));
  Run zk = run({"job", "list", "zkonly"});
  EXPECT_EQ(zk.code, 1);
  EXPECT_THAT(zk.err, HasSubstr("has no scheduler_uri"));
}

TEST_F(CliTest, SchedulerServingAnotherClusterIsRefused) {
  FakeScheduler other("us-east");
  dir_.write("home/.borealis/clusters.json",
             R"([{"name": "devcluster", "scheduler_uri": ")" + other.url() + R"("}])");
  Run r = run({"job", "killall", "devcluster/www-data/prod/hello"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("serves cluster 'us-east', not 'devcluster'"));
  EXPECT_EQ(other.count("POST", "/api/v1/jobs/www-data/prod/hello/kill"), 0u);
}

TEST_F(CliTest, ErrorsThatAreNotTheApiShape) {
  sched_.answer_next("GET", "/api/v1/agents", 502, "<html>Bad Gateway</html>");
  Run r = run({"cluster", "agents", "devcluster"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: HTTP 502: <html>Bad Gateway</html>\n");

  sched_.answer_next("GET", "/api/v1/agents", 503,
                     R"({"error": {"code": "UNAVAILABLE", "message": "store is failing"}})");
  Run u = run({"cluster", "agents", "devcluster"});
  EXPECT_EQ(u.code, 1);
  EXPECT_EQ(u.err, "error: store is failing\n");

  sched_.answer_next("GET", "/api/v1/agents", 200, "not json");
  Run g = run({"cluster", "agents", "devcluster"});
  EXPECT_EQ(g.code, 1);
  EXPECT_THAT(g.err, HasSubstr("error: unexpected answer from scheduler of cluster 'devcluster' "
                               "to GET /api/v1/agents: malformed JSON"));
}

}  // namespace
}  // namespace borealis::cli
