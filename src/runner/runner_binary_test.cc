// The borealis-runner executable: flags, session, signals, bad input, process groups.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "runner/checkpoint.h"
#include "runner/runner.h"
#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::exists;
using testing::read_file;
using testing::TempSandbox;
using testing::wait_until;
using testing::write_file;

// Starts the runner binary on `sandbox` with its output in .runner/runner.log.
pid_t spawn_runner(const std::string& sandbox, int kill_grace_ms = 300) {
  std::string log = sandbox + "/.runner/runner.log";
  std::string grace = std::to_string(kill_grace_ms);
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    // --min-uid 0: the tasks run as the test's user, who may be root.
    ::execl(BOREALIS_RUNNER_BIN, "borealis-runner", "--sandbox", sandbox.c_str(), "--kill-grace-ms",
            grace.c_str(), "--min-uid", "0", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<Record> records(const TempSandbox& sb) {
  auto r = read_checkpoint(sb.file(".runner/checkpoint"));
  return r.ok() ? *r : std::vector<Record>{};
}

// The first record with this type/state (and process name, if given), or nullptr.
const Record* find(const std::vector<Record>& rs, const std::string& state,
                   const std::string& name = "") {
  for (const Record& r : rs)
    if (r.state == state && (name.empty() || r.name == name)) return &r;
  return nullptr;
}

bool has_state(const TempSandbox& sb, const std::string& state) {
  return find(records(sb), state) != nullptr;
}

std::string one_process(const std::string& cmdline, const std::string& extra = "") {
  std::string quoted;
  for (char c : cmdline) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return R"({"task_id": "t-1", "task": {"processes": [{"name": "p", "min_duration": 0,
            "cmdline": ")" +
         quoted + "\"" + extra + "}]}}";
}

bool gone(pid_t pid) {
  std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  return stat.empty() || stat.find(") Z ") != std::string::npos;
}

TEST(RunnerBinaryTest, SigtermKillsTheWholeProcessGroup) {
  TempSandbox sb;
  write_file(sb.file(".runner/task.json"),
             one_process("sleep 300 & echo $! > bg.pid; touch ready; wait"));
  pid_t runner = spawn_runner(sb.path());
  ASSERT_TRUE(wait_until([&] { return exists(sb.work("ready")); }));
  EXPECT_EQ(::getsid(runner), runner);  // its own session: survives the agent
  pid_t bg = std::stoi(read_file(sb.work("bg.pid")));
  ::kill(runner, SIGTERM);
  EXPECT_EQ(wait_exit(runner), kExitSuccess);
  auto rs = records(sb);
  ASSERT_NE(find(rs, "KILLED", "p"), nullptr);
  EXPECT_EQ(find(rs, "KILLED", "p")->signal, SIGTERM);
  EXPECT_EQ(rs.back().state, "KILLED");
  EXPECT_EQ(rs.back().message, "killed: the runner got SIGTERM");
  EXPECT_TRUE(wait_until([&] { return gone(bg); }));
}

TEST(RunnerBinaryTest, AProcessWritingWithoutPauseDoesNotDelayAKill) {
  TempSandbox sb;
  write_file(sb.file(".runner/task.json"),
             one_process("yes 'chatty line'", R"(, "logger": {"mode": "rotate",
                          "rotate": {"log_size": 4096, "backups": 2}})"));
  pid_t runner = spawn_runner(sb.path());
  // Rotated twice: the pipe is full all the time from here on.
  ASSERT_TRUE(wait_until([&] { return exists(sb.file(".logs/p/0/stdout.2")); }));
  ::kill(runner, SIGTERM);
  ASSERT_TRUE(wait_until([&] { return gone(runner); }, 10000)) << "the runner did not end";
  EXPECT_EQ(wait_exit(runner), kExitSuccess);
  auto rs = records(sb);
  ASSERT_NE(find(rs, "KILLED", "p"), nullptr);
  EXPECT_EQ(find(rs, "KILLED", "p")->signal, SIGTERM) << "reaped before the grace ran out";
  size_t on_disk = 0;
  for (const char* name : {"stdout", "stdout.1", "stdout.2"}) {
    std::string text = read_file(sb.file(std::string(".logs/p/0/") + name));
    EXPECT_LE(text.size(), 4096u) << name;
    on_disk += text.size();
  }
  EXPECT_LE(on_disk, 3u * 4096);
  EXPECT_FALSE(exists(sb.file(".logs/p/0/stdout.3")));
}

TEST(RunnerBinaryTest, ProcessTrappingSigtermGetsSigkillAfterTheGrace) {
  TempSandbox sb;
  write_file(sb.file(".runner/task.json"),
             one_process("trap 'echo TERM ignored' TERM; touch ready; "
                         "while true; do sleep 0.05; done"));
  pid_t runner = spawn_runner(sb.path(), 300);
  ASSERT_TRUE(wait_until([&] { return exists(sb.work("ready")); }));
  ::kill(runner, SIGTERM);
  EXPECT_EQ(wait_exit(runner), kExitSuccess);
  auto rs = records(sb);
  const Record* cleaning = find(rs, "CLEANING");
  const Record* killed = find(rs, "KILLED", "p");
  ASSERT_NE(cleaning, nullptr);
  ASSERT_NE(killed, nullptr);
  EXPECT_EQ(killed->signal, SIGKILL);
  // The grace runs on the monotonic clock; records carry wall-clock times truncated to the
  // millisecond, so 300 ms of grace can show as 299.
  EXPECT_GE(killed->ts - cleaning->ts, 299);
  EXPECT_NE(read_file(sb.file(".logs/p/0/stdout")).find("TERM ignored"), std::string::npos);
}

TEST(RunnerBinaryTest, ProcessKilledBySomeoneElseIsAFailedRun) {
  TempSandbox sb;
  write_file(sb.file(".runner/task.json"), one_process("sleep 300"));
  pid_t runner = spawn_runner(sb.path());
  ASSERT_TRUE(wait_until([&] { return has_state(sb, "RUNNING"); }));
  ::kill(static_cast<pid_t>(find(records(sb), "RUNNING")->pid), SIGKILL);
  EXPECT_EQ(wait_exit(runner), kExitFailed);
  auto rs = records(sb);
  ASSERT_NE(find(rs, "FAILED", "p"), nullptr);
  EXPECT_EQ(find(rs, "FAILED", "p")->signal, SIGKILL);
  EXPECT_EQ(rs.back().message, "process 'p' failed 1 time (max_failures 1)");
}

TEST(RunnerBinaryTest, OrphanThatLeftTheProcessGroupDiesWithTheTask) {
  TempSandbox sb;
  // setsid puts the sleep in its own session, out of reach of the group kill; the
  // runner, a child subreaper, inherits it and kills it when the task ends.
  write_file(sb.file(".runner/task.json"),
             one_process("setsid sleep 300 & echo $! > bg.pid; sleep 0.2"));
  pid_t runner = spawn_runner(sb.path());
  EXPECT_EQ(wait_exit(runner), kExitSuccess);
  pid_t bg = std::stoi(read_file(sb.work("bg.pid")));
  EXPECT_TRUE(wait_until([&] { return gone(bg); }));
}

TEST(RunnerBinaryTest, MalformedTaskJsonFailsTheTaskAndExitsNonZero) {
  TempSandbox sb;
  write_file(sb.file(".runner/task.json"), "{\"task_id\": \"t\",\n \"task\": {\"processes\": [}");
  EXPECT_EQ(wait_exit(spawn_runner(sb.path())), kExitFailed);
  auto rs = records(sb);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].type, Record::Type::kRunner);
  EXPECT_EQ(rs[1].state, "FAILED");
  EXPECT_EQ(rs[1].message,
            sb.file(".runner/task.json") + ": line 2, column 25: unexpected character");
}

TEST(RunnerBinaryTest, MissingTaskJsonFailsTheTask) {
  TempSandbox sb;
  EXPECT_EQ(wait_exit(spawn_runner(sb.path())), kExitFailed);
  auto rs = records(sb);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[1].message,
            "cannot open " + sb.file(".runner/task.json") + ": No such file or directory");
}

TEST(RunnerBinaryTest, UnusableSandboxExitsWithoutACheckpoint) {
  EXPECT_EQ(wait_exit(spawn_runner("/nonexistent/sandbox")), kExitNoSandbox);
  TempSandbox sb;
  write_file(sb.file(".runner/task.json"), one_process("true"));
  EXPECT_EQ(wait_exit(spawn_runner(sb.path())), kExitSuccess);
  size_t lines = records(sb).size();
  // A second runner must not touch a sandbox a runner already used.
  EXPECT_EQ(wait_exit(spawn_runner(sb.path())), kExitNoSandbox);
  EXPECT_EQ(records(sb).size(), lines);
  EXPECT_NE(read_file(sb.file(".runner/runner.log")).find("is not empty"), std::string::npos);
}

TEST(RunnerBinaryTest, BadFlagsAreRefused) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open("/dev/null", O_WRONLY);
    ::dup2(fd, 2);
    ::execl(BOREALIS_RUNNER_BIN, "borealis-runner", "--sandbox", "relative/dir",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  EXPECT_EQ(wait_exit(pid), kExitNoSandbox);
}

}  // namespace
}  // namespace borealis::runner
