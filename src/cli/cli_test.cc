// The borealis command end to end: run_cli (what main() calls) against a real in-process
// cluster, checking the exact output, exit codes and the requests sent.
#include "cli/cli_fixture.h"

namespace borealis::cli {
namespace {

using namespace testing;  // the fixture and its helpers

constexpr const char* kTasksPath = "/api/v1/jobs/www-data/prod/hello/tasks";

// A job that takes `cpu` of agent-1's 4 cpus, so that not every instance of hello fits.
json::object blocker(double cpu) {
  json::object spec = hello_spec(1);
  spec["name"] = "blocker";
  spec["task"].as_object()["resources"].as_object()["cpu"] = cpu;
  return spec;
}

// ---- the command itself -------------------------------------------------------------------

TEST_F(CliTest, VersionAndHelp) {
  Run v = run_ok({"--version"});
  EXPECT_EQ(v.out, "borealis 0.1.0\n");

  Run h = run_ok({"help", "job", "create"});
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

  Run missing = run({"job", "create", kHelloKey});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("error: file is required"));

  Run bad_key = run({"job", "status", "devcluster/www-data/hello"});
  EXPECT_EQ(bad_key.code, 2);
  EXPECT_THAT(bad_key.err, HasSubstr("must have the form CLUSTER/ROLE/ENVIRONMENT/NAME"));
  EXPECT_THAT(bad_key.err, HasSubstr("Run 'borealis job status --help' for usage."));

  Run bad_wait = run({"job", "create", kHelloKey, hello_file_, "--wait-until", "UP"});
  EXPECT_EQ(bad_wait.code, 2);
  EXPECT_TRUE(proxy_->requests().empty());
}

// ---- job create ---------------------------------------------------------------------------

TEST_F(CliTest, CreateSendsTheValidatedSpec) {
  Run r = run_ok({"job", "create", kHelloKey, hello_file_});
  EXPECT_EQ(r.out, "Created job devcluster/www-data/prod/hello (2 instances).\n");
  json::value body = body_of("POST", "/api/v1/jobs");
  ASSERT_TRUE(body.is_object());
  const json::object& spec = body.as_object();
  EXPECT_EQ(spec.at("cluster"), "devcluster");
  EXPECT_EQ(spec.at("name"), "hello");
  EXPECT_EQ(spec.at("instances"), 2);
  // Aurora's defaults are filled in on the client.
  EXPECT_EQ(spec.at("max_task_failures"), 1);
  // No waiting for PENDING: the job was accepted.
  EXPECT_EQ(proxy_->count("GET", kTasksPath), 0u);
  // The scheduler runs it.
  EXPECT_TRUE(cluster_->wait_running(kHello, 2).ok());
}

TEST_F(CliTest, CreateRefusesBadJobsBeforeSendingAnything) {
  std::string negative =
      dir_.write("neg.json", R"({"name": "hello", "role": "www-data", "environment": "prod",
      "cluster": "devcluster", "task": {"processes": [{"name": "p", "cmdline": "x"}],
      "resources": {"cpu": -1, "ram": 1, "disk": 1}}})");
  Run neg = run_failed({"job", "create", kHelloKey, negative});
  EXPECT_EQ(neg.err, "error: " + negative +
                         ": job 'hello': task.resources.cpu: must be between 0.001 and 4096, "
                         "got -1\n");

  Run mismatch = run_failed({"job", "create", "devcluster/www-data/prod/other", hello_file_});
  EXPECT_THAT(mismatch.err, HasSubstr("name is 'hello' in the file but 'other' in the job key"));

  std::string unknown = dir_.write("unknown.json", R"({"name": "hello", "role": "www-data",
      "environment": "prod", "cluster": "devcluster", "instance": 3, "task": {}})");
  Run unk = run_failed({"job", "create", kHelloKey, unknown});
  EXPECT_THAT(unk.err, HasSubstr("instance"));

  EXPECT_TRUE(proxy_->requests().empty());
}

TEST_F(CliTest, CreateMapsSchedulerErrors) {
  // The CLI checks the spec, but only the scheduler knows its own limits.
  std::string many = write_job("many.json", hello_spec(60));
  Run bad = run_failed({"job", "create", kHelloKey, many});
  EXPECT_THAT(bad.err, StartsWith("error: creating job devcluster/www-data/prod/hello: "));
  EXPECT_THAT(bad.err, HasSubstr("50"));
  EXPECT_EQ(proxy_->count("POST", "/api/v1/jobs"), 1u);

  EXPECT_EQ(run({"job", "create", kHelloKey, hello_file_}).code, 0);
  Run exists = run_failed({"job", "create", kHelloKey, hello_file_});
  EXPECT_EQ(exists.err,
            "error: creating job devcluster/www-data/prod/hello: job "
            "devcluster/www-data/prod/hello already exists with 2 active tasks; kill it first (job "
            "killall) or update it\n");

  // Once no task is active, the job may be created again.
  ASSERT_EQ(run({"job", "killall", kHelloKey}).code, 0);
  ASSERT_TRUE(cluster_
                  ->wait_tasks(
                      kHello,
                      [](const json::array& ts) {
                        for (const auto& t : ts)
                          if (t.at("status") != "KILLED") return false;
                        return true;
                      },
                      "every task KILLED")
                  .ok());
  Run again = run_ok({"job", "create", kHelloKey, hello_file_});
}

TEST_F(CliTest, CreateWaitsUntilRunningAndShowsProgressOnATerminal) {
  env_.terminal = true;
  // The agent is full: hello waits until the blocker is killed, after the first poll.
  create_running(blocker(3.75));
  std::string reason;
  on_pause_ = [&](size_t n) {
    if (n != 1) return;
    auto tasks = hello_tasks();
    reason = str(tasks[0].at("message"));
    auto killed = cluster_->api("POST", "/api/v1/jobs/www-data/prod/blocker/kill", "{}");
    EXPECT_TRUE(killed.ok()) << killed.status().to_string();
  };
  Run r = run_ok({"job", "create", kHelloKey, hello_file_, "--wait-until", "RUNNING"});
  EXPECT_EQ(r.out,
            "Created job devcluster/www-data/prod/hello (2 instances).\n"
            "All 2 instances of devcluster/www-data/prod/hello are RUNNING.\n");
  auto tasks = hello_tasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_THAT(reason, HasSubstr("cpu"));
  // A line per change, not per poll; the first says why the instances wait.
  std::vector<std::string> lines = lines_of(r.err);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "waiting for RUNNING: 0/2 RUNNING, 2 PENDING; instance 0 is PENDING: " +
                          reason + " (task " + str(tasks[0].at("task_id")) + ")");
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_NE(lines[i], lines[i - 1]);
    EXPECT_THAT(lines[i], StartsWith("waiting for RUNNING: "));
  }
  size_t polls = proxy_->count("GET", kTasksPath);
  EXPECT_LE(lines.size(), polls);
  // The first polls come fast: 50, 100, 200 ms...
  EXPECT_EQ(pauses_, poll_schedule(polls - 1));
}

TEST_F(CliTest, WaitingQuietlyWithoutATerminal) {
  json::object batch = hello_spec(2, "echo done");
  batch["service"] = false;
  std::string file = write_job("batch.json", batch);
  Run r = run_ok({"job", "create", kHelloKey, file, "--wait-until", "FINISHED"});
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("All 2 instances of devcluster/www-data/prod/hello FINISHED."));
}

TEST_F(CliTest, WaitFailsWhenATaskFails) {
  std::string file = write_job("failing.json", unhealthy(hello_spec()));
  Run r = run_failed({"job", "create", kHelloKey, file, "--wait-until", "RUNNING"});
  EXPECT_THAT(
      r.err,
      MatchesRegex("error: job devcluster/www-data/prod/hello did not reach "
                   "RUNNING: instance [01] had a task FAILED: .*health check failed.* \\(task "
                   "www-data-prod-hello-[01]-[-0-9a-f]+\\); see 'borealis job "
                   "status devcluster/www-data/prod/hello'\n"));
}

TEST_F(CliTest, WaitTimesOutWithThePendingReason) {
  // Room for one instance only: instance 1 stays PENDING.
  create_running(blocker(3.25));
  on_pause_ = [&](size_t n) {
    if (n != 1) return;
    EXPECT_TRUE(cluster_
                    ->wait_tasks(
                        kHello,
                        [](const json::array& ts) {
                          for (const auto& t : ts)
                            if (t.at("status") == "RUNNING") return true;
                          return false;
                        },
                        "one RUNNING")
                    .ok());
  };
  Run r = run(
      {"job", "create", kHelloKey, hello_file_, "--wait-until", "RUNNING", "--wait-timeout", "10"});
  EXPECT_EQ(r.code, 1);
  auto tasks = hello_tasks();
  ASSERT_EQ(tasks.size(), 2u);
  const json::object& pending = tasks[0].at("status") == "PENDING" ? tasks[0] : tasks[1];
  EXPECT_EQ(r.err,
            "error: timed out after 10s waiting for job devcluster/www-data/prod/hello to "
            "reach RUNNING: 1/2 RUNNING, 1 PENDING; instance " +
                std::to_string(pending.at("instance_id").as_int64()) + " is PENDING: " +
                str(pending.at("message")) + " (task " + str(pending.at("task_id")) + ")\n");
  EXPECT_EQ(clock_.now_ms() - run_started_ms_, 10'000);
  // 50, 100, 200, 400, 800 ms, then every second, the last pause cut to the deadline.
  EXPECT_EQ(pauses_, (std::vector<TimeMs>{50, 100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000,
                                          1000, 1000, 1000, 450}));
  EXPECT_EQ(proxy_->count("GET", kTasksPath), 15u);
}

// ---- job status ---------------------------------------------------------------------------

TEST_F(CliTest, StatusTable) {
  create_running(blocker(3.25));
  ASSERT_EQ(cluster_->create_job(hello_spec(2)).status().ok(), true);
  ASSERT_TRUE(cluster_
                  ->wait_tasks(
                      kHello,
                      [](const json::array& ts) {
                        int running = 0, pending = 0;
                        for (const auto& t : ts) {
                          running += t.at("status") == "RUNNING";
                          pending +=
                              t.at("status") == "PENDING" && !t.at("message").as_string().empty();
                        }
                        return running == 1 && pending == 1;
                      },
                      "one RUNNING, one PENDING")
                  .ok());
  auto tasks = hello_tasks();
  int running = tasks[0].at("status") == "RUNNING" ? 0 : 1;
  const json::object& r_task = tasks[running];
  const json::object& p_task = tasks[1 - running];
  clock_ahead_ms_ = 65'000;  // every task changed a minute ago
  Run r = run_ok({"job", "status", kHelloKey});
  std::string port = std::to_string(r_task.at("ports").at("web").as_int64());
  std::vector<std::string> rows(2);
  rows[running] = std::to_string(running) + " +RUNNING +agent-1 +web=" + port + " +1m +" +
                  re(str(r_task.at("task_id"))) + " +-";
  rows[1 - running] = std::to_string(1 - running) + " +PENDING +- +- +1m +" +
                      re(str(p_task.at("task_id"))) + " +" + re(str(p_task.at("message")));
  EXPECT_THAT(r.out, MatchesRegex("Job devcluster/www-data/prod/hello: [A-Z]+ \\(2 instances, "
                                  "service\\)\n\nActive tasks:\nINSTANCE +STATUS +HOST +PORTS +AGE "
                                  "+TASK ID +MESSAGE\n" +
                                  rows[0] + "\n" + rows[1] + "\n"));
}

TEST_F(CliTest, StatusJsonIsTheApiShape) {
  add_hello();
  Run r = run_ok({"job", "status", "devcluster/www-data/prod/hello/0-1", "--output", "json"});
  auto out = parse_json(r.out);
  ASSERT_TRUE(out.ok()) << r.out;
  auto api = cluster_->api("GET", std::string(kTasksPath) + "?instances=0-1");
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(*out, *api);
  auto gets = requests_to("GET", kTasksPath);
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(gets[0].query.at("instances"), "0-1");
}

TEST_F(CliTest, StatusOfAnUnknownJob) {
  Run r = run_failed({"job", "status", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(r.err, "error: job devcluster/www-data/prod/nope does not exist\n");
}

// ---- job list -----------------------------------------------------------------------------

TEST_F(CliTest, ListTableJsonAndFilter) {
  add_hello(3);
  Run t = run_ok({"job", "list", "devcluster"});
  EXPECT_EQ(t.out,
            "JOB                             STATUS   INSTANCES  TASKS\n"
            "devcluster/www-data/prod/hello  RUNNING  3          3 RUNNING\n");

  Run j = run_ok({"job", "list", "devcluster/www-data/prod", "-o", "json"});
  auto out = parse_json(j.out);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("jobs").as_array().size(), 1u);
  EXPECT_EQ(out->at("jobs").at(0).at("key"), "devcluster/www-data/prod/hello");
  auto gets = requests_to("GET", "/api/v1/jobs");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_TRUE(gets[0].query.empty());
  EXPECT_EQ(gets[1].query,
            (std::map<std::string, std::string>{{"role", "www-data"}, {"environment", "prod"}}));

  Run empty = run_ok({"job", "list", "devcluster/nobody"});
  EXPECT_EQ(empty.out, "No jobs in devcluster/nobody.\n");
}

// ---- job kill / killall -------------------------------------------------------------------

TEST_F(CliTest, KillInstances) {
  add_hello(5);
  auto tasks = hello_tasks();
  Run r = run_ok({"job", "kill", "devcluster/www-data/prod/hello/0-1,4"});
  EXPECT_EQ(r.out, "Killing 3 tasks of devcluster/www-data/prod/hello instances 0-1,4:\n  " +
                       str(tasks[0].at("task_id")) + "\n  " + str(tasks[1].at("task_id")) + "\n  " +
                       str(tasks[4].at("task_id")) + "\n");
  EXPECT_EQ(body_of("POST", "/api/v1/jobs/www-data/prod/hello/kill"),
            (json::value{{"instances", {0, 1, 4}}}));
}

TEST_F(CliTest, KillOneInstanceAndNothingToKill) {
  add_hello(2);
  auto tasks = hello_tasks();
  Run one = run_ok({"job", "kill", "devcluster/www-data/prod/hello/1"});
  EXPECT_EQ(one.out, "Killing 1 task of devcluster/www-data/prod/hello instance 1:\n  " +
                         str(tasks[1].at("task_id")) + "\n");
  ASSERT_TRUE(cluster_->wait_running(kHello, 1).ok());  // instance 1 ended KILLED
  Run none = run_ok({"job", "kill", "devcluster/www-data/prod/hello/1"});
  EXPECT_EQ(none.out,
            "No active tasks in devcluster/www-data/prod/hello instance 1; nothing to kill.\n");
}

TEST_F(CliTest, KillWithoutInstancesIsAUsageError) {
  Run r = run({"job", "kill", kHelloKey});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("use 'borealis job killall devcluster/www-data/prod/hello'"));
  EXPECT_TRUE(proxy_->requests().empty());
}

TEST_F(CliTest, Killall) {
  add_hello(2);
  auto tasks = hello_tasks();
  Run r = run_ok({"job", "killall", kHelloKey});
  EXPECT_EQ(r.out, "Killing 2 tasks of devcluster/www-data/prod/hello (every instance):\n  " +
                       str(tasks[0].at("task_id")) + "\n  " + str(tasks[1].at("task_id")) + "\n");
  auto posts = requests_to("POST", "/api/v1/jobs/www-data/prod/hello/kill");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].body, "{}");

  ASSERT_TRUE(cluster_->wait_running(kHello, 0).ok());
  Run again = run_ok({"job", "killall", kHelloKey});
  EXPECT_EQ(again.out,
            "No active tasks in devcluster/www-data/prod/hello (every instance); nothing to "
            "kill.\n");

  Run unknown = run_failed({"job", "killall", "devcluster/www-data/prod/nope"});
  EXPECT_EQ(unknown.err,
            "error: killing devcluster/www-data/prod/nope: job devcluster/www-data/prod/nope does "
            "not exist\n");
}

// ---- cluster agents -----------------------------------------------------------------------

TEST_F(CliTest, Agents) {
  add_hello(2);
  auto agents = cluster_->api("GET", "/api/v1/agents");
  ASSERT_TRUE(agents.ok());
  const json::value& a = agents->at("agents").at(0);
  clock_ahead_ms_ = 3000;
  Run t = run_ok({"cluster", "agents", "devcluster"});
  EXPECT_THAT(t.out,
              MatchesRegex("HOSTNAME +STATUS +TASKS +CPU USED/TOTAL +RAM USED/TOTAL +DISK "
                           "USED/TOTAL +LAST SEEN +ADDRESS +AGENT ID\n"
                           "agent-1 +ACTIVE +2 +1/4 +128.0 MiB/2.0 GiB +128.0 MiB/10.0 GiB "
                           "+[3-9]s ago +" +
                           re(str(a.at("address"))) + " +" + re(str(a.at("agent_id"))) + "\n"));
  Run j = run_ok({"cluster", "agents", "devcluster", "--output", "json"});
  EXPECT_EQ(parse_json(j.out)->at("agents").at(0).at("hostname"), "agent-1");
}

// ---- reaching the scheduler ---------------------------------------------------------------

TEST_F(CliTest, UnreachableScheduler) {
  const std::string url = cluster_->scheduler_url();
  cluster_->stop_scheduler();
  Run r = run_failed({"job", "list", "dead"});
  EXPECT_EQ(r.err,
            "error: cannot reach scheduler of cluster 'dead' at " + url + ": connection refused\n");
}

TEST_F(CliTest, UnknownClusterAndClusterWithoutUri) {
  Run r = run_failed({"job", "list", "west"});
  EXPECT_THAT(r.err, HasSubstr("error: unknown cluster 'west'; known clusters: dead, devcluster, "
                               "zkonly (clusters are read from " +
                               env_.cluster_files[0]));
  Run zk = run_failed({"job", "list", "zkonly"});
  EXPECT_THAT(zk.err, HasSubstr("error: cluster 'zkonly' (from " + env_.cluster_files[0] +
                                "): finding the scheduler in ZooKeeper 127.0.0.1:30969 at "
                                "/borealis/zkonly/scheduler: no ZooKeeper server answered "
                                "within 300 ms"));
}

TEST_F(CliTest, SchedulerServingAnotherClusterIsRefused) {
  borealis::testing::ClusterOptions o;
  o.name = "us-east";
  o.agents.clear();
  auto other = Cluster::start(std::move(o));
  ASSERT_TRUE(other.ok()) << other.status().to_string();
  RecordingProxy other_proxy((*other)->scheduler_url());
  dir_.write("home/.borealis/clusters.json",
             R"([{"name": "devcluster", "scheduler_uri": ")" + other_proxy.url() + R"("}])");
  Run r = run_failed({"job", "killall", kHelloKey});
  EXPECT_THAT(r.err, HasSubstr("serves cluster 'us-east', not 'devcluster'"));
  EXPECT_EQ(other_proxy.count("GET", "/api/v1/cluster"), 1u);
  EXPECT_EQ(other_proxy.count("POST", "/api/v1/jobs/www-data/prod/hello/kill"), 0u);
}

// What a real scheduler never answers, but a load balancer in front of one may: the proxy
// answers these itself.
TEST_F(CliTest, ErrorsThatAreNotTheApiShape) {
  proxy_->answer_next("GET", "/api/v1/agents", 502, "<html>Bad Gateway</html>", "text/html");
  Run r = run_failed({"cluster", "agents", "devcluster"});
  EXPECT_EQ(r.err, "error: HTTP 502: <html>Bad Gateway</html>\n");

  proxy_->answer_next("GET", "/api/v1/agents", 503,
                      R"({"error": {"code": "UNAVAILABLE", "message": "store is failing"}})");
  Run u = run_failed({"cluster", "agents", "devcluster"});
  EXPECT_EQ(u.err, "error: store is failing\n");

  proxy_->answer_next("GET", "/api/v1/agents", 200, "not json");
  Run g = run_failed({"cluster", "agents", "devcluster"});
  EXPECT_THAT(g.err, HasSubstr("error: unexpected answer from scheduler of cluster 'devcluster' "
                               "to GET /api/v1/agents: malformed JSON"));
}

}  // namespace
}  // namespace borealis::cli
