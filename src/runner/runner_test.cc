// run_task in this process with real processes in temporary sandboxes.
#include "runner/runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "runner/checkpoint.h"
#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::exists;
using testing::read_file;
using testing::TempSandbox;
using testing::wait_until;
using testing::write_file;

// A task.json with `processes` (a JSON array) and extra task fields.
std::string task_json(const std::string& processes, const std::string& extra = "") {
  return R"({"task_id": "t-1", "instance": 4, "hostname": "host-9", "user": "",
             "ports": {"http": 31000},
             "task": {"name": "t", "processes": )" +
         processes + extra + "}}";
}

// Runs the task; min_uid 0 by default, as tasks run as the test's user, who may be root.
int run(const TempSandbox& sb, const std::string& json, int64_t min_uid = 0) {
  write_file(sb.file(".runner/task.json"), json);
  RunnerOptions o;
  o.sandbox = sb.path();
  o.kill_grace_ms = 300;
  o.min_uid = min_uid;
  return run_task(o);
}

// task_json() with `user` as the task's user.
std::string task_json_as(const std::string& user, const std::string& processes) {
  std::string json = task_json(processes);
  json.replace(json.find(R"("user": "")"), 10, R"("user": ")" + user + "\"");
  return json;
}

std::vector<Record> checkpoint(const TempSandbox& sb) {
  auto records = read_checkpoint(sb.file(".runner/checkpoint"));
  EXPECT_TRUE(records.ok()) << records.status().to_string();
  return records.ok() ? *records : std::vector<Record>{};
}

// "runner", "task ACTIVE", "hello#0 RUNNING", "hello#0 SUCCESS exit=0", ...
std::vector<std::string> summary(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const Record& r : records) {
    if (r.type == Record::Type::kRunner) {
      out.push_back("runner");
    } else if (r.type == Record::Type::kTask) {
      out.push_back("task " + r.state);
    } else {
      std::string s = r.name + "#" + std::to_string(r.run) + " " + r.state;
      if (r.exit_code) s += " exit=" + std::to_string(*r.exit_code);
      if (r.signal) s += " sig=" + std::to_string(*r.signal);
      out.push_back(s);
    }
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(RunnerTest, RunsATaskAndCheckpointsEveryStep) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([
      {"name": "hello", "cmdline": "echo hello; echo oops >&2", "min_duration": 0},
      {"name": "bye", "cmdline": "echo bye", "final": true, "min_duration": 0}])"));
  EXPECT_EQ(rc, kExitSuccess);
  auto records = checkpoint(sb);
  EXPECT_EQ(summary(records), (Lines{"runner", "task ACTIVE", "hello#0 RUNNING",
                                     "hello#0 SUCCESS exit=0", "task CLEANING", "task FINALIZING",
                                     "bye#0 RUNNING", "bye#0 SUCCESS exit=0", "task SUCCESS"}));
  ASSERT_EQ(records.size(), 9u);
  EXPECT_EQ(records[0].pid, ::getpid());
  EXPECT_GT(records[0].start_ticks, 0);
  EXPECT_GT(records[2].pid, 0);
  for (size_t i = 1; i < records.size(); ++i) EXPECT_LE(records[i - 1].ts, records[i].ts);
  EXPECT_EQ(read_file(sb.file(".logs/hello/0/stdout")), "hello\n");
  EXPECT_EQ(read_file(sb.file(".logs/hello/0/stderr")), "oops\n");
  EXPECT_EQ(read_file(sb.file(".logs/bye/0/stdout")), "bye\n");
}

TEST(RunnerTest, EachRunLogsToItsOwnDirectory) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([{"name": "flaky", "max_failures": 3, "min_duration": 0,
      "cmdline": "echo out >> count; echo run $(wc -l < count); echo err >&2; exit 3"}])"));
  EXPECT_EQ(rc, kExitFailed);
  for (int run = 0; run < 3; ++run) {
    std::string dir = ".logs/flaky/" + std::to_string(run) + "/";
    EXPECT_EQ(read_file(sb.file(dir + "stdout")), "run " + std::to_string(run + 1) + "\n");
    EXPECT_EQ(read_file(sb.file(dir + "stderr")), "err\n");
  }
  EXPECT_FALSE(exists(sb.file(".logs/flaky/3")));
  auto records = checkpoint(sb);
  EXPECT_EQ(records.back().state, "FAILED");
  EXPECT_EQ(records.back().message,
            "process 'flaky' failed 3 times (max_failures 3, last run: exit code 3)");
}

TEST(RunnerTest, ProcessesRunInTheSandboxWithRuntimeReferencesBound) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([{"name": "show", "min_duration": 0, "cmdline":
      "echo {{thermos.ports[http]}} {{mesos.instance}} {{mesos.hostname}} {{thermos.task_id}} > bound; pwd > pwd; echo $HOME > home"}])"));
  EXPECT_EQ(rc, kExitSuccess);
  EXPECT_EQ(read_file(sb.work("bound")), "31000 4 host-9 t-1\n");
  EXPECT_EQ(read_file(sb.work("pwd")), sb.path() + "/sandbox\n");
  EXPECT_EQ(read_file(sb.work("home")), sb.path() + "/sandbox\n");
}

TEST(RunnerTest, UnboundReferenceFailsTheTaskBeforeAnythingRuns) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([{"name": "web", "cmdline": "run {{thermos.ports[admin]}}"}])"));
  EXPECT_EQ(rc, kExitFailed);
  auto records = checkpoint(sb);
  EXPECT_EQ(summary(records), (Lines{"runner", "task FAILED"}));
  EXPECT_EQ(records.back().message,
            "task.processes[0].cmdline (process 'web'): unbound reference "
            "{{thermos.ports[admin]}}");
}

TEST(RunnerTest, OrderConstraintsWaitForSuccess) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([
      {"name": "second", "cmdline": "test -f first.done && touch second.done", "min_duration": 0},
      {"name": "first", "cmdline": "sleep 0.1; touch first.done", "min_duration": 0}])",
                             R"(, "constraints": [{"order": ["first", "second"]}])"));
  EXPECT_EQ(rc, kExitSuccess);
  EXPECT_TRUE(exists(sb.work("second.done")));
}

TEST(RunnerTest, DaemonIsRestartedAfterSuccess) {
  TempSandbox sb;
  // Succeeds twice, then fails: a daemon with max_failures 1 ends there.
  int rc = run(sb, task_json(R"([{"name": "d", "daemon": true, "min_duration": 0,
      "cmdline": "echo x >> runs; test $(wc -l < runs) -lt 3"}])"));
  EXPECT_EQ(rc, kExitFailed);
  EXPECT_EQ(summary(checkpoint(sb)),
            (Lines{"runner", "task ACTIVE", "d#0 RUNNING", "d#0 SUCCESS exit=0", "d#1 RUNNING",
                   "d#1 SUCCESS exit=0", "d#2 RUNNING", "d#2 FAILED exit=1", "task CLEANING",
                   "task FINALIZING", "task FAILED"}));
}

TEST(RunnerTest, EndOfARunKillsWhatItLeftInItsProcessGroup) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([{"name": "bg", "min_duration": 0,
      "cmdline": "sleep 300 & echo $! > bg.pid"}])"));
  EXPECT_EQ(rc, kExitSuccess);
  pid_t bg = std::stoi(read_file(sb.work("bg.pid")));
  // Killed, so gone or a zombie waiting for init to reap it.
  EXPECT_TRUE(wait_until([&] {
    std::string stat = read_file("/proc/" + std::to_string(bg) + "/stat");
    return stat.empty() || stat.find(") Z ") != std::string::npos;
  }));
}

TEST(RunnerTest, RunsProcessesAsTheTaskUserWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  TempSandbox sb;
  std::string json = task_json_as("nobody", R"([{"name": "who", "min_duration": 0,
      "cmdline": "id -u > uid; id -g > gid; id -G > groups; echo $USER $LOGNAME > user"}])");
  int rc = run(sb, json, taskcontract::kDefaultMinTaskUid);
  EXPECT_EQ(rc, kExitSuccess);
  EXPECT_EQ(read_file(sb.work("uid")), "65534\n");
  EXPECT_EQ(read_file(sb.work("gid")), "65534\n");
  EXPECT_EQ(read_file(sb.work("groups")), "65534\n") << "root's groups are dropped";
  EXPECT_EQ(read_file(sb.work("user")), "nobody nobody\n");
}

// mode & 07777, owner uid and gid of `path` (without following a link).
std::string owner_and_mode(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "missing";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%u:%u %04o", st.st_uid, st.st_gid, st.st_mode & 07777);
  return buf;
}

TEST(RunnerTest, TheTaskOwnsOnlyItsWorkDirAndCanReadItsLogs) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  TempSandbox sb;
  // As nobody, the task tries to move .runner/ and .logs/ away and to write beside them.
  std::string json = task_json(R"([{"name": "p", "min_duration": 0, "cmdline":
      "echo out; mv ../.runner ../gone; echo mv=$? > tries; touch ../planted; echo touch=$? >> tries; cat ../.logs/p/0/stdout >> tries"}])");
  json.replace(json.find(R"("user": "")"), 10, R"("user": "nobody")");
  EXPECT_EQ(run(sb, json), kExitSuccess);
  EXPECT_EQ(read_file(sb.work("tries")), "mv=1\ntouch=1\nout\n");
  EXPECT_TRUE(exists(sb.file(".runner/checkpoint")));
  EXPECT_FALSE(exists(sb.file("planted")));
  EXPECT_EQ(owner_and_mode(sb.path()), "0:65534 0750");
  EXPECT_EQ(owner_and_mode(sb.file(".runner")), "0:0 0700");
  EXPECT_EQ(owner_and_mode(sb.file(".logs")), "0:65534 2750");
  EXPECT_EQ(owner_and_mode(sb.file(".logs/p/0")), "0:65534 2750");
  EXPECT_EQ(owner_and_mode(sb.file(".logs/p/0/stdout")), "0:65534 0640");
  EXPECT_EQ(owner_and_mode(sb.file("sandbox")), "65534:65534 0750");
}

TEST(RunnerTest, RefusesATaskDirOthersCanWrite) {
  TempSandbox sb;
  ::chmod(sb.path().c_str(), 0777);  // an old agent's layout, or a tampered one
  EXPECT_EQ(run(sb, task_json(R"([{"name": "p", "cmdline": "true"}])")), kExitNoSandbox);
  EXPECT_FALSE(exists(sb.file(".runner/checkpoint")));
  ::chmod(sb.path().c_str(), 0750);
  ::chmod(sb.file(".runner").c_str(), 0770);
  EXPECT_EQ(run(sb, task_json(R"([{"name": "p", "cmdline": "true"}])")), kExitNoSandbox);
}

TEST(RunnerTest, UnknownUserFailsTheTaskWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  TempSandbox sb;
  EXPECT_EQ(run(sb, task_json_as("no-such-user-x", R"([{"name": "who", "cmdline": "true"}])")),
            kExitFailed);
  EXPECT_EQ(checkpoint(sb).back().message, "user: no user 'no-such-user-x' in /etc/passwd");
}

// The agent refuses these users before it starts a runner; a runner that finds one in
// its task.json (changed after the agent wrote it) refuses it too, and starts nothing.
TEST(RunnerTest, RootOrASystemAccountFailsTheTaskWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const std::string processes = R"([{"name": "who", "cmdline": "touch ran"}])";
  struct Case {
    std::string user, message;
  } cases[] = {
      {"root", "user: task user 'root' (uid 0) is below the runner's --min-uid 1000"},
      {"", "user: task user 'root' (uid 0) is below the runner's --min-uid 1000"},
      {"daemon", "user: task user 'daemon' (uid 1) is below the runner's --min-uid 1000"},
  };
  for (const Case& c : cases) {
    TempSandbox sb;
    EXPECT_EQ(run(sb, task_json_as(c.user, processes), taskcontract::kDefaultMinTaskUid),
              kExitFailed)
        << c.user;
    EXPECT_EQ(checkpoint(sb).back().message, c.message);
    EXPECT_FALSE(exists(sb.file("ran"))) << c.user;
  }
}

}  // namespace
}  // namespace borealis::runner

namespace borealis::runner {
namespace {

TEST(RunnerTest, AThermosProfileWrittenByOneProcessIsSourcedByTheNext) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([
      {"name": "profile", "min_duration": 0,
       "cmdline": "echo 'export FOO=bar' > .thermos_profile; echo \"[$FOO]\""},
      {"name": "reader", "min_duration": 0, "cmdline": "echo \"[$FOO] $BASH_ENV\""}])",
                             R"(, "constraints": [{"order": ["profile", "reader"]}])"));
  EXPECT_EQ(rc, kExitSuccess);
  EXPECT_EQ(read_file(sb.file(".logs/profile/0/stdout")), "[]\n") << "started before it existed";
  EXPECT_EQ(read_file(sb.file(".logs/reader/0/stdout")),
            "[bar] " + sb.path() + "/sandbox/.thermos_profile\n");
}

TEST(RunnerTest, AThermosProfileIsCheckedAsTheTaskUserNeverAsRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  TempSandbox sb;
  // A profile that leads into root's .runner/: the task's user cannot see through it, so
  // bash is not told to source it (and the root runner never opened it).
  std::string json = task_json_as("nobody", R"([
      {"name": "link", "min_duration": 0, "cmdline": "ln -s ../.runner/task.json .thermos_profile"},
      {"name": "reader", "min_duration": 0, "cmdline": "echo \"[$BASH_ENV]\""}])");
  json.insert(json.rfind("}}"), R"(, "constraints": [{"order": ["link", "reader"]}])");
  EXPECT_EQ(run(sb, json, taskcontract::kDefaultMinTaskUid), kExitSuccess);
  EXPECT_EQ(read_file(sb.file(".logs/reader/0/stdout")), "[]\n");
  EXPECT_EQ(read_file(sb.file(".logs/reader/0/stderr")), "");
}

int64_t size_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

TEST(RunnerTest, ARotatingLoggerKeepsARunWithinSizeTimesBackupsPlusOne) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([{"name": "chatty", "min_duration": 0,
      "cmdline": "for i in $(seq 1 20000); do echo line $i; echo err $i >&2; done",
      "logger": {"destination": "file", "mode": "rotate",
                 "rotate": {"log_size": 4096, "backups": 2}}}])"));
  EXPECT_EQ(rc, kExitSuccess);
  for (std::string stream : {"stdout", "stderr"}) {
    std::string base = ".logs/chatty/0/" + stream;
    for (std::string suffix : {"", ".1", ".2"})
      EXPECT_EQ(size_of(sb.file(base + suffix)), suffix.empty() ? size_of(sb.file(base)) : 4096)
          << base + suffix;
    EXPECT_LE(size_of(sb.file(base)), 4096);
    EXPECT_FALSE(exists(sb.file(base + ".3")));
  }
  std::string current = read_file(sb.file(".logs/chatty/0/stdout"));
  ASSERT_GE(current.size(), 11u);
  EXPECT_EQ(current.substr(current.size() - 11), "line 20000\n");
}

TEST(RunnerTest, DestinationNoneWritesNothing) {
  TempSandbox sb;
  int rc = run(sb, task_json(R"([{"name": "quiet", "min_duration": 0,
      "cmdline": "echo out; echo err >&2; test -w /dev/stdout",
      "logger": {"destination": "none"}}])"));
  EXPECT_EQ(rc, kExitSuccess);
  EXPECT_FALSE(exists(sb.file(".logs/quiet")));
}

}  // namespace
}  // namespace borealis::runner
