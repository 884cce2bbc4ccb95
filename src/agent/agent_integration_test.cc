// The agent end to end: a fake scheduler speaking the protocol, the real borealis-runner,
// real processes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "agent/agent_test_fixture.h"
#include "api/task_run.h"

namespace borealis::agent::testing {
namespace {

class AgentTest : public AgentFixture {
 protected:
  // Starts the agent, launches each (id, command line) task and waits until all of them run.
  bool start_running(const std::vector<std::pair<std::string, std::string>>& tasks) {
    start_agent();
    for (const auto& [id, cmdline] : tasks) fake_.launch(id, job(cmdline));
    bool all = true;
    for (const auto& task : tasks)
      all = wait_states(task.first, {S::kStarting, S::kRunning}) && all;
    return all;
  }
};

size_t count_runner_records(const std::string& sandbox) {
  auto text = read_file(sandbox + "/.runner/checkpoint");
  if (!text.ok()) return 0;
  size_t n = 0;
  for (size_t at = 0; (at = text->find("\"type\":\"runner\"", at)) != std::string::npos; ++at) ++n;
  return n;
}

TEST_F(AgentTest, LaunchReportsStartingRunningFinishedInOrderAndAcked) {
  start_agent();
  fake_.launch("t1", job("echo hello {{thermos.ports[admin]}}; echo oops >&2"), 0,
               {{"admin", 31000}});
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFinished}));
  EXPECT_TRUE(fake_.violations().empty());
  auto first = fake_.updates().front();
  EXPECT_EQ(first.seq, 1);
  ASSERT_FALSE(first.pids.empty());  // the runner's pid
  // The agent recorded the acknowledgement.
  EXPECT_TRUE(wait_for([&] {
    auto acked = read_file(config_.work_dir + "/updates/acked");
    return acked.ok() && *acked == std::to_string(fake_.acked_update_seq()) + "\n";
  }));

  // A launch sent again (at-least-once commands) starts nothing.
  int64_t seq = fake_.launch("t1", job("echo hello"));
  ASSERT_TRUE(wait_for([&] { return fake_.acked_command_seq() >= seq; }));
  EXPECT_EQ(count_runner_records(sandbox("t1")), 1u);
  EXPECT_EQ(fake_.states("t1").size(), 3u);

  auto tasks = parse_json(get("/api/v1/tasks").body);
  ASSERT_TRUE(tasks.ok());
  const auto& t = tasks->at("tasks").at(0);
  EXPECT_EQ(t.at("task_id"), "t1");
  EXPECT_EQ(t.at("state"), "FINISHED");
  EXPECT_EQ(std::string(t.at("sandbox").as_string()), sandbox("t1"));
  EXPECT_EQ(t.at("processes").at(0).at("state"), "SUCCESS");
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main").body, "hello 31000\n");
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?stream=stderr&run=0").body, "oops\n");
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?offset=-6&length=5").body, "31000");
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?stream=both").status, 400);
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/nope").status, 404);
  EXPECT_EQ(get("/health").body, "ok");
}

TEST_F(AgentTest, LogsApiServesTheCurrentAndTheRotatedFilesOfARotatingLogger) {
  start_agent();
  json::value spec = job("for i in $(seq 1 300); do echo line $i; done");
  spec.as_object()["task"].as_object()["processes"].as_array()[0].as_object()["logger"] =
      json::object{{"mode", "rotate"},
                   {"rotate", json::object{{"log_size", 1024}, {"backups", 2}}}};
  fake_.launch("t1", spec);
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFinished}));
  std::string current = get("/api/v1/tasks/t1/logs/main").body;
  ASSERT_FALSE(current.empty());
  EXPECT_LE(current.size(), 1024u);
  EXPECT_EQ(current.substr(current.size() - 9), "line 300\n");
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?stream=stdout.1").body.size(), 1024u);
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?stream=stdout.2").body.size(), 1024u);
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?stream=stdout.3").status, 404);
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?stream=stdout.0").status, 400);
  EXPECT_EQ(get("/api/v1/tasks/t1/logs/main?stream=stdout.x").status, 400);
  auto listing = parse_json(get("/api/v1/tasks/t1/files?path=.logs/main/0").body);
  ASSERT_TRUE(listing.ok());
  std::vector<std::string> names;
  for (const auto& e : listing->at("entries").as_array())
    names.emplace_back(e.at("name").as_string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"stderr", "stdout", "stdout.1", "stdout.2"}));
}

TEST_F(AgentTest, FilesApiIsReadOnlyAndConfinedToTheSandbox) {
  start_agent();
  fake_.launch("t1", job("echo data > out.txt; ln -s /etc/passwd escape; ln -s /etc etc"));
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFinished}));

  auto root = parse_json(get("/api/v1/tasks/t1/files").body);
  ASSERT_TRUE(root.ok());
  std::vector<std::string> names;
  for (const auto& e : root->at("entries").as_array()) names.emplace_back(e.at("name").as_string());
  EXPECT_EQ(names, (std::vector<std::string>{".logs", ".runner", "sandbox"}));
  EXPECT_EQ(get("/api/v1/tasks/t1/files?path=sandbox/out.txt").body, "data\n");
  EXPECT_EQ(get("/api/v1/tasks/t1/files?path=sandbox/out.txt&offset=1&length=2").body, "at");
  EXPECT_NE(get("/api/v1/tasks/t1/files?path=.runner/task.json").body.find("\"task_id\":\"t1\""),
            std::string::npos);

  for (const char* bad :
       {"sandbox/escape", "sandbox/etc", "sandbox/etc/passwd", "../../agent_id",
        "sandbox/../../../agent_id", "..", "/etc/passwd", "%2Fetc%2Fpasswd", "/"}) {
    auto r = get(std::string("/api/v1/tasks/t1/files?path=") + bad);
    EXPECT_EQ(r.status, 403) << bad << ": " << r.body;
    EXPECT_NE(r.body.find("PERMISSION_DENIED"), std::string::npos) << r.body;
  }
  EXPECT_NE(get("/api/v1/tasks/t1/files?path=sandbox/escape").body.find("is a symlink"),
            std::string::npos);
  EXPECT_EQ(get("/api/v1/tasks/t1/files?path=missing").status, 404);
  EXPECT_EQ(get("/api/v1/tasks/nope/files").status, 404);
  EXPECT_EQ(get("/api/v1/tasks/t1/files?path=sandbox/out.txt&offset=x").status, 400);
}

TEST_F(AgentTest, ReadsWithWaitMsAnswerWhenBytesArriveOrWhenTheWaitIsOver) {
  start_agent();
  fake_.launch("t1", job("echo first; while [ ! -e go ]; do sleep 0.05; done; echo second; "
                         "sleep 30"));
  ASSERT_TRUE(wait_for([&] { return get("/api/v1/tasks/t1/logs/main").body == "first\n"; }));

  // Nothing new: the answer comes once the wait is over, with no bytes.
  auto started = std::chrono::steady_clock::now();
  auto idle = get("/api/v1/tasks/t1/logs/main?offset=6&wait_ms=300");
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(idle.status, 200);
  EXPECT_EQ(idle.body, "");
  EXPECT_GE(waited, std::chrono::milliseconds(300));

  // A line written during the wait is the answer, long before the wait is over.
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::ofstream(sandbox("t1") + "/sandbox/go").close();
  });
  started = std::chrono::steady_clock::now();
  auto got = get("/api/v1/tasks/t1/logs/main?offset=6&wait_ms=3000");
  waited = std::chrono::steady_clock::now() - started;
  writer.join();
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "second\n");
  EXPECT_LT(waited, std::chrono::milliseconds(2500));
  EXPECT_EQ(get("/api/v1/tasks/t1/files?path=sandbox/go&wait_ms=30001").status, 400);
  EXPECT_EQ(get("/api/v1/tasks/t1/files?path=sandbox/go&wait_ms=-1").status, 400);
}

TEST_F(AgentTest, RunExecutesACommandInTheWorkDirWithBoundedTimeAndOutput) {
  ASSERT_TRUE(start_running({{"t1", "sleep 30"}}));
  auto run = [&](const std::string& body) {
    auto r = api_->request("POST", "/api/v1/tasks/t1/run", body, std::chrono::seconds(20));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : net::ClientResponse{};
  };
  auto result = [](const net::ClientResponse& r) {
    auto v = api::decode_body<api::TaskRunResult>(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? *v : api::TaskRunResult{};
  };

  auto r = run(R"({"command": "pwd; echo oops >&2; exit 3"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto done = result(r);
  EXPECT_EQ(done.task_id, "t1");
  EXPECT_EQ(done.exit_code, 3);
  EXPECT_FALSE(done.timed_out);
  EXPECT_EQ(done.output, sandbox("t1") + "/sandbox\noops\n");
  EXPECT_EQ(done.output_bytes, static_cast<int64_t>(done.output.size()));
  EXPECT_FALSE(done.output_cut);

  auto slow = result(run(R"({"command": "echo started; sleep 20", "timeout_secs": 1})"));
  EXPECT_TRUE(slow.timed_out);
  EXPECT_EQ(slow.exit_code, -1);
  EXPECT_EQ(slow.signal, SIGKILL);
  EXPECT_EQ(slow.output, "started\n");
  EXPECT_LT(slow.duration_ms, 5000);

  auto big = result(run(R"({"command": "head -c 3000000 /dev/zero | tr '\\0' a"})"));
  EXPECT_EQ(big.exit_code, 0);
  EXPECT_EQ(big.output_bytes, 3000000);
  EXPECT_TRUE(big.output_cut);
  EXPECT_EQ(static_cast<int64_t>(big.output.size()), api::kTaskRunMaxOutputBytes);

  EXPECT_EQ(run(R"({"command": ""})").status, 400);
  EXPECT_EQ(run(R"({"command": "id", "timeout_secs": 601})").status, 400);
  EXPECT_EQ(run("not json").status, 400);
  auto none = api_->request("POST", "/api/v1/tasks/nope/run", R"({"command": "id"})");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->status, 404);
}

TEST_F(AgentTest, UpdateIsResentUntilAcknowledged) {
  fake_.fail_next_updates(2);
  start_agent();
  fake_.launch("t1", job("echo hi"));
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFinished}));
  EXPECT_TRUE(fake_.violations().empty());
  auto posted = fake_.posted_seqs();
  EXPECT_GE(std::count(posted.begin(), posted.end(), 1), 3) << "seq 1 posted, failed, resent";
}

TEST_F(AgentTest, RefusedUpdatesAreDroppedAndDeclaredAndTheOthersStillArrive) {
  fake_.refuse_updates_of("bad");
  start_agent();
  // In one poll, so their first updates share a batch with the refused ones.
  fake_.launch_all({"good1", "bad", "good2"}, job("echo hi"));
  ASSERT_TRUE(wait_states("good1", {S::kStarting, S::kRunning, S::kFinished}));
  ASSERT_TRUE(wait_states("good2", {S::kStarting, S::kRunning, S::kFinished}));
  // The host keeps reporting: a task launched afterwards gets through too.
  fake_.launch("later", job("echo hi"));
  ASSERT_TRUE(wait_states("later", {S::kStarting, S::kRunning, S::kFinished}));

  EXPECT_TRUE(fake_.states("bad").empty());
  EXPECT_TRUE(fake_.violations().empty()) << fake_.violations().front();
  // Every update of "bad" was dropped and declared: STARTING, RUNNING, FINISHED.
  auto dropped = fake_.dropped_seqs();
  ASSERT_TRUE(wait_for([&] {
    dropped = fake_.dropped_seqs();
    return dropped.size() >= 2;
  }));
  for (int64_t seq : dropped) {
    for (const auto& u : fake_.updates()) EXPECT_NE(u.seq, seq) << "a dropped seq was accepted";
  }
  auto posted = fake_.posted_seqs();
  for (int64_t seq : dropped)
    EXPECT_LE(std::count(posted.begin(), posted.end(), seq), 12) << "seq " << seq << " resent";
}

TEST_F(AgentTest, KillEndsTheTaskAsKilled) {
  ASSERT_TRUE(start_running({{"t1", "sleep 30"}}));
  auto pids = fake_.last_update("t1")->pids;
  ASSERT_EQ(pids.size(), 2u);  // runner, process
  fake_.kill("t1", "killed by test");
  fake_.kill("t1", "again");  // idempotent
  fake_.kill("unknown-task");
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kKilled}));
  EXPECT_TRUE(wait_for([&] { return !alive(pids[0]) && !alive(pids[1]); }));
}

TEST_F(AgentTest, WithoutCgroupsUsageComesFromTheRunnersProcessTree) {
  config_.usage_interval_ms = 100;  // the fixture runs without cgroups
  // A busy loop in a child of the task's shell: a grandchild of the runner.
  ASSERT_TRUE(start_running({{"t1", "sh -c 'while :; do :; done'; true"}}));
  json::object usage;
  ASSERT_TRUE(wait_for(
      [&] {
        auto t = task_view("t1");
        if (!t.contains("usage")) return false;
        usage = t.at("usage").as_object();
        return usage.at("cpu_seconds").to_number<double>() > 0.05 &&
               usage.at("cpu_rate").to_number<double>() > 0 &&
               usage.at("memory_bytes").to_number<int64_t>() > 0;
      },
      10s))
      << json::serialize(usage);
  EXPECT_GE(usage.at("memory_peak_bytes").to_number<int64_t>(),
            usage.at("memory_bytes").to_number<int64_t>());
  fake_.kill("t1", "done");
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kKilled}));
}

TEST_F(AgentTest, TasksInTheKillListOfAnUpdatesAnswerAreKilled) {
  ASSERT_TRUE(start_running({{"unwanted", "sleep 30"}, {"wanted", "sleep 30"}}));
  // The scheduler does not want it: it says so in the answer to the next updates.
  fake_.set_kill_list({"unwanted"});
  fake_.launch("trigger", job("true"));
  ASSERT_TRUE(wait_states("unwanted", {S::kStarting, S::kRunning, S::kKilled}));
  EXPECT_EQ(task_view("wanted").at("state"), "RUNNING");
}

TEST_F(AgentTest, RunnerKilledWithSigkillIsLostAndItsProcessesKilled) {
  ASSERT_TRUE(start_running({{"t1", "sleep 30"}}));
  auto pids = fake_.last_update("t1")->pids;
  ASSERT_EQ(pids.size(), 2u);
  ASSERT_EQ(::kill(static_cast<pid_t>(pids[0]), SIGKILL), 0);
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kLost}));
  EXPECT_NE(fake_.last_update("t1")->message.find("without a terminal record"), std::string::npos)
      << fake_.last_update("t1")->message;
  EXPECT_TRUE(wait_for([&] { return !alive(pids[1]); }));
}

TEST_F(AgentTest, ReattachesAfterACrashAndReportsWhatEndedMeanwhile) {
  ASSERT_TRUE(start_running(
      {{"a", "sleep 30"}, {"b", "while [ ! -e release ]; do sleep 0.01; done; echo released"}}));
  int64_t runner_a = task_view("a").at("runner_pid").as_int64();
  auto pids_a = fake_.last_update("a")->pids;

  agent_.reset();  // a crash, as far as the tasks can tell
  write_text(sandbox("b") + "/sandbox/release", "");
  ASSERT_TRUE(wait_for([&] { return read_progress(sandbox("b")).terminal(); }));
  EXPECT_TRUE(alive(runner_a));

  start_agent();
  ASSERT_TRUE(wait_states("b", {S::kStarting, S::kRunning, S::kFinished}));
  auto view = task_view("a");
  EXPECT_EQ(view.at("state"), "RUNNING");
  EXPECT_EQ(view.at("runner_pid").as_int64(), runner_a);  // same runner, nothing restarted
  EXPECT_EQ(fake_.last_update("a")->pids, pids_a);
  EXPECT_EQ(fake_.states("a"), (std::vector<S>{S::kStarting, S::kRunning}));  // no repeats
  EXPECT_TRUE(fake_.violations().empty());
  auto ids = fake_.register_agent_ids();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[1], "agent-1");  // the same identity
  EXPECT_EQ(fake_.register_tasks()[1],
            (std::vector<TaskReport>{{"a", S::kRunning}, {"b", S::kFinished}}));

  fake_.kill("a");  // the re-attached runner obeys
  ASSERT_TRUE(wait_states("a", {S::kStarting, S::kRunning, S::kKilled}));
  EXPECT_TRUE(wait_for([&] { return !alive(pids_a[1]); }));
}

// The API shows a task's ports (aliases included, as the scheduler sent them) and its
// announced primary endpoint, also after the agent re-attached to it.
TEST_F(AgentTest, ShowsPortsAndThePrimaryEndpointBeforeAndAfterReattach) {
  start_agent();
  json::value spec = job("sleep 30");
  spec.as_object()["announce"] =
      json::object{{"primary_port", "alias"}, {"portmap", json::object{{"alias", "http"}}}};
  // An `http` port is checked at GET /health by default; sleep serves nothing.
  spec.as_object()["health_check_config"] =
      json::object{{"health_checker", json::object{{"shell", {{"shell_command", "true"}}}}},
                   {"initial_interval_secs", 0.1},
                   {"interval_secs", 0.1}};
  fake_.launch("a", spec, 2, {{"http", 31005}, {"alias", 31005}});
  ASSERT_TRUE(wait_states("a", {S::kStarting, S::kRunning}));
  auto check = [&] {
    auto view = task_view("a");
    EXPECT_EQ(view.at("ports"), json::value(json::object{{"alias", 31005}, {"http", 31005}}));
    EXPECT_EQ(view.at("primary_endpoint"), "test-host:31005");
  };
  check();
  agent_.reset();
  start_agent();
  check();
}

TEST_F(AgentTest, RunnerThatDiedWhileTheAgentWasDownIsLost) {
  ASSERT_TRUE(start_running({{"t1", "sleep 30"}}));
  auto pids = fake_.last_update("t1")->pids;
  agent_.reset();
  ASSERT_EQ(::kill(static_cast<pid_t>(pids[0]), SIGKILL), 0);
  ASSERT_TRUE(wait_for([&] { return !alive(pids[0]); }));  // a zombie: nobody reaps it yet
  EXPECT_TRUE(alive(pids[1]));

  start_agent();
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kLost}));
  EXPECT_NE(fake_.last_update("t1")->message.find("SIGKILLed 1 leftover process group"),
            std::string::npos)
      << fake_.last_update("t1")->message;
  EXPECT_TRUE(wait_for([&] { return !alive(pids[1]); }));
  EXPECT_EQ(runner_liveness(pids[0], 0), Liveness::kGone);  // reaped by the new agent
}

TEST_F(AgentTest, SchedulerRestartLosesNoUpdate) {
  ASSERT_TRUE(start_running({{"t1", "while [ ! -e release ]; do sleep 0.01; done"}}));
  fake_.stop();
  write_text(sandbox("t1") + "/sandbox/release", "");
  ASSERT_TRUE(wait_for([&] { return read_progress(sandbox("t1")).terminal(); }));
  ASSERT_TRUE(wait_for([&] { return task_view("t1").at("state") == "FINISHED"; }));
  fake_.start();
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFinished}));
  EXPECT_TRUE(fake_.violations().empty());
  EXPECT_GE(fake_.registers(), 2);  // registered again once the scheduler was back
}

TEST_F(AgentTest, RegistersAgainWhenTheSchedulerForgetsIt) {
  start_agent();
  ASSERT_TRUE(wait_for([&] { return fake_.registers() == 1; }));
  fake_.forget_agent();
  ASSERT_TRUE(wait_for([&] { return fake_.registers() == 2; }));
  fake_.launch("t1", job("true"));
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kFinished}));
  EXPECT_EQ(read_file(config_.work_dir + "/agent_id").value_or(""), "agent-1\n");
}

TEST_F(AgentTest, CollectsEndedSandboxesButNeverLiveOnes) {
  config_.sandbox_retention_ms = 0;
  config_.gc_interval_ms = 20;
  start_agent();
  fake_.launch("live", job("sleep 30"));
  fake_.launch("done", job("true"));
  ASSERT_TRUE(wait_states("done", {S::kStarting, S::kRunning, S::kFinished}));
  ASSERT_TRUE(wait_states("live", {S::kStarting, S::kRunning}));
  ASSERT_TRUE(wait_for([&] { return !std::filesystem::exists(sandbox("done")); }));
  EXPECT_TRUE(std::filesystem::exists(sandbox("live") + "/.runner/checkpoint"));
  EXPECT_EQ(get("/api/v1/tasks/done").status, 404);
  EXPECT_EQ(task_view("live").at("state"), "RUNNING");
  EXPECT_TRUE(wait_for([&] { return std::filesystem::is_empty(config_.work_dir + "/trash"); }));
}

// A launch that cannot work ends FAILED (not LOST), so the scheduler counts it and backs
// off instead of relaunching it for ever.
TEST_F(AgentTest, LaunchProblemsEndTheTaskFailedWithAReason) {
  config_.runner_path = "/nonexistent/borealis-runner";
  start_agent();
  fake_.launch("no-runner", job("true"));
  ASSERT_TRUE(wait_states("no-runner", {S::kFailed}));
  EXPECT_NE(fake_.last_update("no-runner")->message.find("cannot start runner"), std::string::npos);
  fake_.launch("bad-config", json::object{{"name", 5}});
  ASSERT_TRUE(wait_states("bad-config", {S::kFailed}));
  EXPECT_NE(fake_.last_update("bad-config")->message.find("launch:"), std::string::npos);
  fake_.launch("../evil", job("true"));
  ASSERT_TRUE(wait_states("../evil", {S::kFailed}));
  EXPECT_FALSE(std::filesystem::exists(config_.work_dir + "/evil"));
  std::string too_long(256, 'x');
  fake_.launch(too_long, job("true"));
  ASSERT_TRUE(wait_states(too_long, {S::kFailed}));
  EXPECT_NE(fake_.last_update(too_long)->message.find("launch refused: task id must have 1 to 255 "
                                                      "characters, got 256"),
            std::string::npos)
      << fake_.last_update(too_long)->message;
}

TEST_F(AgentTest, KillEscalatesWhenTheRunnerIgnoresSigterm) {
  // A runner that follows the checkpoint contract but ignores SIGTERM, as a hung one would.
  write_text(
      tmp_ / "stubborn-runner",
      "#!/bin/bash\n"
      "trap '' TERM\n"
      "cp=\"$2/.runner/checkpoint\"\n"
      "ticks=$(cut -d' ' -f22 /proc/$$/stat)\n"
      "echo "
      "\"{\\\"ts\\\":1,\\\"type\\\":\\\"runner\\\",\\\"pid\\\":$$,\\\"start_ticks\\\":$ticks}\" >> "
      "\"$cp\"\n"
      "echo '{\"ts\":2,\"type\":\"task\",\"state\":\"ACTIVE\"}' >> \"$cp\"\n"
      "set -m\n"
      "sleep 30 &\n"
      "echo \"{\\\"ts\\\":3,\\\"type\\\":\\\"process\\\",\\\"name\\\":\\\"main\\\",\\\"run\\\":0,"
      "\\\"state\\\":\\\"RUNNING\\\",\\\"pid\\\":$!}\" >> \"$cp\"\n"
      "wait\n");
  ::chmod((tmp_ / "stubborn-runner").c_str(), 0755);
  config_.runner_path = tmp_ / "stubborn-runner";
  config_.monitor.runner_kill_grace_ms = 50;
  config_.monitor.kill_margin_ms = 50;
  start_agent();
  fake_.launch("t1", job("unused", /*finalization_wait=*/0));
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}));
  auto pids = fake_.last_update("t1")->pids;
  ASSERT_EQ(pids.size(), 2u);
  fake_.kill("t1");
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kKilled}));
  EXPECT_NE(fake_.last_update("t1")->message.find("did not finish"), std::string::npos)
      << fake_.last_update("t1")->message;
  EXPECT_TRUE(wait_for([&] { return !alive(pids[0]) && !alive(pids[1]); }));
}

}  // namespace
}  // namespace borealis::agent::testing
