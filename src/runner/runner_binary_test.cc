// The borealis-runner executable: flags, session, signals, bad input, process groups.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
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

// Starts the runner binary on `sandbox` with its output in .runner/runner.log; with a
// `cgroup`, in that cgroup and with --cgroup.
pid_t spawn_runner(const std::string& sandbox, int kill_grace_ms = 300,
                   const std::string& cgroup = "") {
  std::string log = sandbox + "/.runner/runner.log";
  std::string grace = std::to_string(kill_grace_ms);
  std::string procs = cgroup + "/cgroup.procs";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    // --min-uid 0: the tasks run as the test's user, who may be root.
    if (cgroup.empty()) {
      ::execl(BOREALIS_RUNNER_BIN, "borealis-runner", "--sandbox", sandbox.c_str(),
              "--kill-grace-ms", grace.c_str(), "--min-uid", "0", static_cast<char*>(nullptr));
    } else {
      int procs_fd = ::open(procs.c_str(), O_WRONLY);
      if (procs_fd < 0 || ::write(procs_fd, "0\n", 2) != 2) ::_exit(126);  // "0": this process
      ::close(procs_fd);
      ::execl(BOREALIS_RUNNER_BIN, "borealis-runner", "--sandbox", sandbox.c_str(),
              "--kill-grace-ms", grace.c_str(), "--min-uid", "0", "--cgroup", cgroup.c_str(),
              static_cast<char*>(nullptr));
    }
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
  EXPECT_EQ(rs.back().message, "process 'p' failed 1 time (max_failures 1, last run: signal 9)");
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

// A runner whose task starts a daemon that double-forks and calls setsid (its parent
// exits: it is re-parented to the runner, in a session of its own), with `trap` as its
// SIGTERM trap. Waits until the daemon is up.
struct DaemonTask {
  pid_t runner = 0;
  pid_t daemon = 0;
};
DaemonTask start_daemon_task(const TempSandbox& sb, const std::string& trap, int grace_ms) {
  write_file(sb.file(".runner/task.json"),
             one_process("(setsid bash -c 'trap \"" + trap +
                         "\" TERM; echo $$ > daemon.pid; while :; do sleep 0.05; done' &); "
                         "sleep 300"));
  DaemonTask t;
  t.runner = spawn_runner(sb.path(), grace_ms);
  EXPECT_TRUE(wait_until([&] { return !read_file(sb.work("daemon.pid")).empty(); }));
  t.daemon = std::atoi(read_file(sb.work("daemon.pid")).c_str());
  EXPECT_NE(::getsid(t.daemon), t.runner);
  return t;
}

// Such a daemon gets SIGTERM when the task is killed, and its handler runs.
TEST(RunnerBinaryTest, KillSendsSigtermToADaemonThatLeftTheSession) {
  TempSandbox sb;
  DaemonTask t = start_daemon_task(sb, "touch term; exit 0", 5000);
  ::kill(t.runner, SIGTERM);
  EXPECT_EQ(wait_exit(t.runner), kExitSuccess);
  EXPECT_TRUE(exists(sb.work("term")));
  EXPECT_TRUE(gone(t.daemon));
  EXPECT_EQ(records(sb).back().state, "KILLED");
}

// One that ignores SIGTERM is SIGKILLed after the grace; the task ends only then.
TEST(RunnerBinaryTest, DaemonIgnoringSigtermIsSigkilledAfterTheGrace) {
  TempSandbox sb;
  DaemonTask t = start_daemon_task(sb, "", 300);
  auto start = std::chrono::steady_clock::now();
  ::kill(t.runner, SIGTERM);
  EXPECT_EQ(wait_exit(t.runner), kExitSuccess);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  EXPECT_TRUE(gone(t.daemon));
  auto rs = records(sb);
  EXPECT_EQ(rs.back().state, "KILLED");
  // The task's end is recorded after the daemon died, not before.
  EXPECT_GE(rs.back().ts - find(rs, "CLEANING")->ts, 299);
}

// A new cgroup for a test where cgroups can be made (root, a writable hierarchy), or "".
std::string make_test_cgroup() {
  for (const char* root : {"/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
    std::string dir = std::string(root) + "/borealis-runner-test-" + std::to_string(::getpid());
    if (::mkdir(dir.c_str(), 0755) == 0) return dir;
  }
  return "";
}

// With --cgroup, teardown signals what cgroup.procs lists, even a process that does not
// descend from the runner (here one the test moved in).
TEST(RunnerBinaryTest, WithACgroupKillSignalsEveryProcessInIt) {
  std::string cgroup = make_test_cgroup();
  if (cgroup.empty()) GTEST_SKIP() << "cannot create a cgroup here";
  TempSandbox sb;
  write_file(sb.file(".runner/task.json"), one_process("sleep 300"));
  pid_t runner = spawn_runner(sb.path(), 5000, cgroup);
  ASSERT_TRUE(wait_until([&] { return has_state(sb, "RUNNING"); }));
  pid_t stranger = ::fork();
  if (stranger == 0) {
    ::execl("/bin/sleep", "sleep", "300", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  write_file(cgroup + "/cgroup.procs", std::to_string(stranger) + "\n");
  ::kill(runner, SIGTERM);
  EXPECT_EQ(wait_exit(runner), kExitSuccess);
  int status = 0;
  ASSERT_EQ(::waitpid(stranger, &status, 0), stranger);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_EQ(::rmdir(cgroup.c_str()), 0) << cgroup;  // empty: nothing of the task is left
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
