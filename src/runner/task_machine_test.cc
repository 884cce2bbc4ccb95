#include "runner/task_machine.h"

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace borealis::runner {
namespace {

constexpr TimeMs kT0 = 1'000'000;

// Hands out pids and records starts and signals; no process is ever forked.
class FakeControl final : public ProcessControl {
 public:
  Result<int> start(const ProcessSpec& p, int64_t run) override {
    if (fail_starts.count(p.name)) return io_error("no such file");
    int pid = next_pid_++;
    running.insert(pid);
    starts.push_back(p.name + "#" + std::to_string(run));
    pids[p.name] = pid;
    return pid;
  }
  void signal_group(int pgid, int sig) override { signals.push_back({pgid, sig}); }
  // Unless `listable`, the task's processes cannot be listed (the machine falls back to
  // groups). Otherwise the task is the live runs plus `others`: each dies of SIGKILL, and
  // of SIGTERM unless it ignores it; on a SIGKILL, each in `forks_on_kill` first forks one
  // more (a process forked during teardown), once per entry.
  std::optional<size_t> signal_task(int sig) override {
    if (!listable) return std::nullopt;
    task_signals.push_back(sig);
    size_t n = running.size() + others.size();
    std::vector<int> forked;
    if (sig == SIGKILL) forked.swap(forks_on_kill);
    for (auto it = others.begin(); it != others.end();)
      it = (unkillable.count(it->first) == 0 && (sig == SIGKILL || !it->second)) ? others.erase(it)
                                                                                 : std::next(it);
    for (int pid : forked) others[pid] = true;
    return n;
  }
  std::optional<size_t> count_task() override {
    if (!listable) return std::nullopt;
    ++counts;
    return running.size() + others.size();
  }

  std::vector<std::string> starts;
  std::map<std::string, int> pids;  // last pid per process
  std::vector<std::pair<int, int>> signals;
  std::map<std::string, bool> fail_starts;
  bool listable = false;
  std::set<int> running;           // live runs, as the machine's calls leave them
  std::map<int, bool> others;      // pid -> ignores SIGTERM
  std::vector<int> forks_on_kill;  // pids forked at the next SIGKILL
  std::set<int> unkillable;        // pids of `others` no signal ends
  std::vector<int> task_signals;   // signal_task calls
  int counts = 0;                  // count_task calls

 private:
  int next_pid_ = 100;
};

class CollectSink final : public RecordSink {
 public:
  void write(Record r) override { records.push_back(std::move(r)); }
  std::vector<Record> records;
};

// One line per record: "task ACTIVE", "a#0 RUNNING", "a#0 FAILED exit=1", ...
std::string describe(const Record& r) {
  if (r.type == Record::Type::kTask) return "task " + r.state;
  std::string s = r.name + "#" + std::to_string(r.run) + " " + r.state;
  if (r.exit_code) s += " exit=" + std::to_string(*r.exit_code);
  if (r.signal) s += " sig=" + std::to_string(*r.signal);
  return s;
}

ProcessSpec proc(std::string name) {
  ProcessSpec p;
  p.name = std::move(name);
  p.cmdline = "true";
  p.min_duration_ms = 0;
  return p;
}

class MachineTest : public ::testing::Test {
 protected:
  void make(TaskSpec task, MachineOptions options = {}) {
    ASSERT_TRUE(validate_task(task).ok()) << validate_task(task).to_string();
    machine_ = std::make_unique<TaskMachine>(std::move(task), options, control_, sink_);
  }
  void start() { machine_->start(now_); }
  void exit(const std::string& name, int code) {
    control_.running.erase(control_.pids.at(name));
    ASSERT_TRUE(machine_->on_exit(control_.pids.at(name), {false, code}, now_)) << name;
  }
  void die(const std::string& name, int sig) {
    control_.running.erase(control_.pids.at(name));
    ASSERT_TRUE(machine_->on_exit(control_.pids.at(name), {true, sig}, now_)) << name;
  }
  void advance_to(TimeMs t) {
    now_ = t;
    machine_->on_timer(now_);
  }
  std::vector<std::string> log() const {
    std::vector<std::string> out;
    for (const Record& r : sink_.records) out.push_back(describe(r));
    return out;
  }
  std::vector<std::string> log_since(size_t from) const {
    auto all = log();
    return {all.begin() + static_cast<long>(std::min(from, all.size())), all.end()};
  }
  const std::string& last_message() const { return sink_.records.back().message; }
  bool signalled(const std::string& name, int sig) const {
    for (auto [pgid, s] : control_.signals)
      if (pgid == control_.pids.at(name) && s == sig) return true;
    return false;
  }

  TimeMs now_ = kT0;
  FakeControl control_;
  CollectSink sink_;
  std::unique_ptr<TaskMachine> machine_;
};

using Lines = std::vector<std::string>;

TEST_F(MachineTest, SingleProcessSucceeds) {
  TaskSpec t;
  t.processes = {proc("a")};
  make(t);
  start();
  EXPECT_EQ(log(), (Lines{"task ACTIVE", "a#0 RUNNING"}));
  EXPECT_EQ(sink_.records[1].pid, control_.pids["a"]);
  EXPECT_FALSE(machine_->next_wakeup());  // nothing to do until the process exits
  exit("a", 0);
  EXPECT_EQ(log_since(2),
            (Lines{"a#0 SUCCESS exit=0", "task CLEANING", "task FINALIZING", "task SUCCESS"}));
  EXPECT_TRUE(machine_->terminal());
  EXPECT_TRUE(control_.signals.empty());
}

TEST_F(MachineTest, FailedRunsAreRetriedUntilMaxFailures) {
  TaskSpec t;
  t.processes = {proc("a")};
  t.processes[0].max_failures = 3;
  make(t);
  start();
  exit("a", 1);
  exit("a", 2);
  EXPECT_EQ(machine_->state(), TaskState::kActive);
  exit("a", 3);
  EXPECT_EQ(log(), (Lines{"task ACTIVE", "a#0 RUNNING", "a#0 FAILED exit=1", "a#1 RUNNING",
                          "a#1 FAILED exit=2", "a#2 RUNNING", "a#2 FAILED exit=3", "task CLEANING",
                          "task FINALIZING", "task FAILED"}));
  EXPECT_EQ(last_message(), "process 'a' failed 3 times (max_failures 3, last run: exit code 3)");
}

TEST_F(MachineTest, MaxFailuresZeroRetriesForeverUntilKilled) {
  TaskSpec t;
  t.processes = {proc("a")};
  t.processes[0].max_failures = 0;
  make(t);
  start();
  for (int i = 0; i < 200; ++i) exit("a", 1);
  EXPECT_EQ(machine_->state(), TaskState::kActive);
  EXPECT_EQ(machine_->status("a").failures, 200);
  EXPECT_EQ(control_.starts.back(), "a#200");
  machine_->kill(now_, "killed by test");
  EXPECT_TRUE(signalled("a", SIGTERM));
  die("a", SIGTERM);
  EXPECT_EQ(log_since(log().size() - 4),
            (Lines{"task CLEANING", "a#200 KILLED sig=15", "task FINALIZING", "task KILLED"}));
  EXPECT_EQ(last_message(), "killed by test");
}

TEST_F(MachineTest, DaemonRestartsAfterSuccessAndFailuresStillCount) {
  TaskSpec t;
  t.processes = {proc("d")};
  t.processes[0].daemon = true;
  t.processes[0].max_failures = 2;
  make(t);
  start();
  exit("d", 0);
  exit("d", 0);
  exit("d", 1);
  EXPECT_EQ(machine_->state(), TaskState::kActive);
  exit("d", 0);
  exit("d", 1);
  EXPECT_EQ(control_.starts, (Lines{"d#0", "d#1", "d#2", "d#3", "d#4"}));
  EXPECT_EQ(machine_->state(), TaskState::kFailed);
  EXPECT_EQ(last_message(), "process 'd' failed 2 times (max_failures 2, last run: exit code 1)");
}

TEST_F(MachineTest, MinDurationSpacesRestartsFromTheEndOfTheLastRun) {
  TaskSpec t;
  t.processes = {proc("a")};
  t.processes[0].max_failures = 0;
  t.processes[0].min_duration_ms = 5000;
  make(t);
  start();  // the first run starts at once
  EXPECT_EQ(control_.starts.size(), 1u);
  now_ = kT0 + 1000;
  exit("a", 1);
  EXPECT_EQ(control_.starts.size(), 1u);
  ASSERT_TRUE(machine_->next_wakeup());
  EXPECT_EQ(*machine_->next_wakeup(), kT0 + 6000);
  advance_to(kT0 + 5999);
  EXPECT_EQ(control_.starts.size(), 1u);
  advance_to(kT0 + 6000);
  EXPECT_EQ(control_.starts, (Lines{"a#0", "a#1"}));
  // A long run is also followed by the full min_duration.
  now_ = kT0 + 60'000;
  exit("a", 1);
  advance_to(kT0 + 64'999);
  EXPECT_EQ(control_.starts.size(), 2u);
  advance_to(kT0 + 65'000);
  EXPECT_EQ(control_.starts.size(), 3u);
}

TEST_F(MachineTest, EphemeralProcessIsKilledWhenRegularOnesAreDone) {
  TaskSpec t;
  t.processes = {proc("main"), proc("logsaver")};
  t.processes[1].ephemeral = true;
  make(t);
  start();
  EXPECT_EQ(control_.starts, (Lines{"main#0", "logsaver#0"}));
  exit("main", 0);
  EXPECT_EQ(machine_->state(), TaskState::kCleaning);
  EXPECT_TRUE(signalled("logsaver", SIGTERM));
  die("logsaver", SIGTERM);
  EXPECT_EQ(log_since(4), (Lines{"task CLEANING", "logsaver#0 KILLED sig=15", "task FINALIZING",
                                 "task SUCCESS"}));
}

TEST_F(MachineTest, EphemeralFailuresDoNotFailTheTask) {
  TaskSpec t;
  t.processes = {proc("main"), proc("helper")};
  t.processes[1].ephemeral = true;
  make(t);
  start();
  exit("helper", 1);  // failed for good (max_failures 1), but ephemeral
  EXPECT_EQ(machine_->state(), TaskState::kActive);
  exit("main", 0);
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
}

TEST_F(MachineTest, OrderConstraintStartsAProcessAfterItsPredecessorSucceeded) {
  TaskSpec t;
  t.processes = {proc("b"), proc("a"), proc("c")};  // c is unconstrained
  t.orders = {{"a", "b"}};
  make(t);
  start();
  EXPECT_EQ(control_.starts, (Lines{"a#0", "c#0"}));
  exit("a", 0);
  EXPECT_EQ(control_.starts, (Lines{"a#0", "c#0", "b#0"}));
}

TEST_F(MachineTest, ProcessWhoseDependencyFailedNeverRunsAndTheTaskFails) {
  TaskSpec t;
  t.processes = {proc("a"), proc("b"), proc("c"), proc("other")};
  t.orders = {{"a", "b", "c"}};
  t.max_failures = 2;  // a's failure alone would not fail the task
  make(t);
  start();
  exit("a", 1);
  // b and c can never run, but 'other' still runs to its end first (Thermos deadlock).
  EXPECT_EQ(machine_->status("b").phase, TaskMachine::Phase::kBlocked);
  EXPECT_EQ(machine_->status("c").phase, TaskMachine::Phase::kBlocked);
  EXPECT_EQ(machine_->state(), TaskState::kActive);
  exit("other", 0);
  EXPECT_EQ(control_.starts, (Lines{"a#0", "other#0"}));
  EXPECT_EQ(machine_->state(), TaskState::kFailed);
  EXPECT_EQ(last_message(),
            "process 'a' failed 1 time (max_failures 1, last run: exit code 1); process 'b' never "
            "ran: it waits for "
            "'a', which did not succeed; process 'c' never ran: it waits for 'b', which did not "
            "succeed");
}

TEST_F(MachineTest, SequentialTaskRunsOneProcessAtATime) {
  TaskSpec t;
  t.processes = {proc("fetch"), proc("build"), proc("serve")};
  t.orders = {{"fetch", "build", "serve"}};  // what Aurora's SequentialTask generates
  make(t);
  start();
  EXPECT_EQ(control_.starts, (Lines{"fetch#0"}));
  exit("fetch", 0);
  EXPECT_EQ(control_.starts, (Lines{"fetch#0", "build#0"}));
  exit("build", 0);
  EXPECT_EQ(control_.starts, (Lines{"fetch#0", "build#0", "serve#0"}));
  exit("serve", 0);
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
}

TEST_F(MachineTest, MaxConcurrencyCapsRunningProcesses) {
  TaskSpec t;
  t.processes = {proc("p0"), proc("p1"), proc("p2"), proc("p3"), proc("p4")};
  t.max_concurrency = 2;
  make(t);
  start();
  EXPECT_EQ(control_.starts, (Lines{"p0#0", "p1#0"}));
  EXPECT_FALSE(machine_->next_wakeup());
  exit("p1", 0);
  EXPECT_EQ(control_.starts, (Lines{"p0#0", "p1#0", "p2#0"}));
  exit("p0", 0);
  exit("p2", 0);
  EXPECT_EQ(control_.starts, (Lines{"p0#0", "p1#0", "p2#0", "p3#0", "p4#0"}));
}

TEST_F(MachineTest, FinalProcessesRunAfterRegularOnesInTheirOwnOrder) {
  TaskSpec t;
  t.processes = {proc("upload"), proc("main"), proc("notify")};
  t.processes[0].final = true;
  t.processes[2].final = true;
  t.orders = {{"upload", "notify"}};
  make(t);
  start();
  EXPECT_EQ(control_.starts, (Lines{"main#0"}));
  exit("main", 1);  // finalizers run after failure too
  EXPECT_EQ(machine_->state(), TaskState::kFinalizing);
  EXPECT_EQ(control_.starts, (Lines{"main#0", "upload#0"}));
  exit("upload", 0);
  EXPECT_EQ(control_.starts, (Lines{"main#0", "upload#0", "notify#0"}));
  exit("notify", 3);  // a failing finalizer does not change the outcome
  EXPECT_EQ(machine_->state(), TaskState::kFailed);
  EXPECT_EQ(last_message(), "process 'main' failed 1 time (max_failures 1, last run: exit code 1)");
}

TEST_F(MachineTest, FinalizationWaitBoundsFinalProcesses) {
  TaskSpec t;
  t.processes = {proc("main"), proc("slow"), proc("after")};
  t.processes[1].final = true;
  t.processes[2].final = true;
  t.orders = {{"slow", "after"}};
  t.finalization_wait_ms = 10'000;
  make(t);
  start();
  now_ = kT0 + 500;
  exit("main", 0);  // CLEANING starts now; the budget ends at kT0 + 10'500
  EXPECT_EQ(control_.starts, (Lines{"main#0", "slow#0"}));
  EXPECT_EQ(*machine_->next_wakeup(), kT0 + 10'500);
  advance_to(kT0 + 10'499);
  EXPECT_FALSE(signalled("slow", SIGKILL));
  advance_to(kT0 + 10'500);
  EXPECT_TRUE(signalled("slow", SIGKILL));
  die("slow", SIGKILL);
  EXPECT_EQ(log_since(3), (Lines{"task CLEANING", "task FINALIZING", "slow#0 RUNNING",
                                 "slow#0 KILLED sig=9", "task SUCCESS"}));
  EXPECT_EQ(control_.starts.size(), 2u);  // 'after' never started
}

TEST_F(MachineTest, TaskFailsWhenMaxFailuresProcessesFailedAndKillsTheRest) {
  TaskSpec t;
  t.processes = {proc("a"), proc("b"), proc("c")};
  t.max_failures = 2;
  make(t);
  start();
  exit("a", 1);
  EXPECT_EQ(machine_->state(), TaskState::kActive);
  exit("b", 1);
  EXPECT_EQ(machine_->state(), TaskState::kCleaning);
  EXPECT_TRUE(signalled("c", SIGTERM));
  die("c", SIGTERM);
  EXPECT_EQ(machine_->state(), TaskState::kFailed);
  EXPECT_EQ(last_message(),
            "process 'a' failed 1 time (max_failures 1, last run: exit code 1); process 'b' "
            "failed 1 time (max_failures 1, last run: exit code 1)");
}

TEST_F(MachineTest, TaskMaxFailuresZeroIgnoresProcessFailures) {
  TaskSpec t;
  t.processes = {proc("a"), proc("b")};
  t.max_failures = 0;
  make(t);
  start();
  exit("a", 1);
  exit("b", 0);
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
}

TEST_F(MachineTest, KillSendsSigtermThenSigkillAfterTheGrace) {
  TaskSpec t;
  t.processes = {proc("stubborn"), proc("cleanup")};
  t.processes[1].final = true;
  MachineOptions o;
  o.kill_grace_ms = 5000;
  make(t, o);
  start();
  machine_->kill(now_, "killed");
  EXPECT_TRUE(signalled("stubborn", SIGTERM));
  EXPECT_EQ(*machine_->next_wakeup(), kT0 + 5000);
  advance_to(kT0 + 4999);
  EXPECT_FALSE(signalled("stubborn", SIGKILL));
  advance_to(kT0 + 5000);
  EXPECT_TRUE(signalled("stubborn", SIGKILL));
  die("stubborn", SIGKILL);
  EXPECT_EQ(control_.starts, (Lines{"stubborn#0", "cleanup#0"}));  // finalizers still run
  exit("cleanup", 0);
  EXPECT_EQ(log(), (Lines{"task ACTIVE", "stubborn#0 RUNNING", "task CLEANING",
                          "stubborn#0 KILLED sig=9", "task FINALIZING", "cleanup#0 RUNNING",
                          "cleanup#0 SUCCESS exit=0", "task KILLED"}));
  machine_->kill(now_, "again");  // idempotent once terminal
  EXPECT_EQ(log().size(), 8u);
}

TEST_F(MachineTest, RunExitingByItselfAfterOurSigtermIsKilled) {
  TaskSpec t;
  t.processes = {proc("graceful")};
  make(t);
  start();
  machine_->kill(now_);
  exit("graceful", 0);
  EXPECT_EQ(log()[3], "graceful#0 KILLED exit=0 sig=15");
  EXPECT_EQ(machine_->state(), TaskState::kKilled);
}

TEST_F(MachineTest, SignalTheRunnerDidNotSendIsAFailedRun) {
  TaskSpec t;
  t.processes = {proc("py")};
  t.processes[0].max_failures = 2;
  make(t);
  start();
  die("py", SIGKILL);  // someone kill -9'd it
  EXPECT_EQ(log()[2], "py#0 FAILED sig=9");
  EXPECT_EQ(machine_->status("py").failures, 1);
  EXPECT_EQ(control_.starts, (Lines{"py#0", "py#1"}));
}

TEST_F(MachineTest, FailedStartIsAFailedRun) {
  TaskSpec t;
  t.processes = {proc("a")};
  make(t);
  control_.fail_starts["a"] = true;
  start();
  EXPECT_EQ(log()[1], "a#0 FAILED");
  EXPECT_EQ(sink_.records[1].message, "cannot start: no such file");
  EXPECT_EQ(machine_->state(), TaskState::kFailed);
  EXPECT_EQ(last_message(),
            "process 'a' failed 1 time (max_failures 1, last run: cannot start: no such file)");
}

TEST_F(MachineTest, RunThatSurvivesSigkillIsLostAfterTheReapTimeout) {
  TaskSpec t;
  t.processes = {proc("stuck")};
  MachineOptions o;
  o.kill_grace_ms = 1000;
  o.reap_timeout_ms = 2000;
  make(t, o);
  start();
  machine_->kill(now_);
  advance_to(kT0 + 1000);
  EXPECT_TRUE(signalled("stuck", SIGKILL));
  advance_to(kT0 + 3000);
  EXPECT_EQ(log_since(3), (Lines{"stuck#0 LOST", "task FINALIZING", "task KILLED"}));
  EXPECT_FALSE(machine_->on_exit(control_.pids["stuck"], {true, SIGKILL}, now_));
}

TEST_F(MachineTest, KillWhileFinalizingLetsFinalizersFinishAndEndsKilled) {
  TaskSpec t;
  t.processes = {proc("main"), proc("fin")};
  t.processes[1].final = true;
  make(t);
  start();
  exit("main", 0);
  ASSERT_EQ(machine_->state(), TaskState::kFinalizing);
  machine_->kill(now_);
  EXPECT_FALSE(signalled("fin", SIGTERM));
  exit("fin", 0);
  EXPECT_EQ(machine_->state(), TaskState::kKilled);
}

TEST_F(MachineTest, TaskWithOnlyFinalProcessesRunsThem) {
  TaskSpec t;
  t.processes = {proc("fin")};
  t.processes[0].final = true;
  make(t);
  start();
  EXPECT_EQ(log(), (Lines{"task ACTIVE", "task CLEANING", "task FINALIZING", "fin#0 RUNNING"}));
  exit("fin", 0);
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
}

TEST_F(MachineTest, UnknownPidIsNotOurs) {
  TaskSpec t;
  t.processes = {proc("a")};
  make(t);
  start();
  EXPECT_FALSE(machine_->on_exit(424242, {false, 0}, now_));
  EXPECT_TRUE(machine_->has_run(control_.pids["a"]));
  EXPECT_FALSE(machine_->has_run(424242));
}

// Teardown with the task's processes listed (ProcessControl::signal_task): every process
// gets the signal, not only the runs' groups, and a stage ends when none is left.

TEST_F(MachineTest, KillSignalsEveryProcessAndWaitsForLeftoversBeforeFinalizing) {
  TaskSpec t;
  t.processes = {proc("web"), proc("cleanup")};
  t.processes[1].final = true;
  make(t);
  control_.listable = true;
  control_.others = {{900, true}};  // a daemon that left the group and ignores SIGTERM
  start();
  machine_->kill(now_, "killed");
  EXPECT_EQ(control_.task_signals, (std::vector<int>{SIGTERM}));
  EXPECT_TRUE(control_.signals.empty());  // no group signal: the list reaches everything
  now_ += 20;
  die("web", SIGTERM);
  EXPECT_EQ(machine_->state(), TaskState::kCleaning);  // the daemon is still alive
  EXPECT_LE(*machine_->next_wakeup(), now_ + kTeardownPollMs);
  advance_to(kT0 + 4999);
  EXPECT_EQ(machine_->state(), TaskState::kCleaning);
  advance_to(kT0 + 5000);
  EXPECT_EQ(control_.task_signals, (std::vector<int>{SIGTERM, SIGKILL}));
  advance_to(kT0 + 5000 + kTeardownPollMs);
  EXPECT_EQ(machine_->state(), TaskState::kFinalizing);
  EXPECT_EQ(control_.starts, (Lines{"web#0", "cleanup#0"}));
  exit("cleanup", 0);
  EXPECT_EQ(machine_->state(), TaskState::kKilled);
}

// One process, a grace of 1 s, a reap timeout of 2 s, the task's processes listed.
TaskSpec listed_task(const std::string& name, MachineOptions* o, FakeControl* control) {
  TaskSpec t;
  t.processes = {proc(name)};
  o->kill_grace_ms = 1000;
  o->reap_timeout_ms = 2000;
  control->listable = true;
  return t;
}

TEST_F(MachineTest, SigkillIsRepeatedUntilProcessesForkedDuringTeardownAreGone) {
  MachineOptions o;
  make(listed_task("forker", &o, &control_), o);
  control_.others = {{900, true}};
  control_.forks_on_kill = {901};
  start();
  machine_->kill(now_);
  advance_to(kT0 + 1000);  // SIGKILL: 900 dies, but forked 901 first
  die("forker", SIGKILL);
  EXPECT_EQ(control_.others.size(), 1u);
  EXPECT_EQ(machine_->state(), TaskState::kCleaning);
  control_.forks_on_kill = {902};
  advance_to(*machine_->next_wakeup());  // SIGKILL again: 901 dies, 902 appears
  advance_to(*machine_->next_wakeup());  // and again: 902 dies
  EXPECT_EQ(control_.task_signals, (std::vector<int>{SIGTERM, SIGKILL, SIGKILL, SIGKILL}));
  advance_to(*machine_->next_wakeup());
  EXPECT_TRUE(control_.others.empty());
  EXPECT_EQ(machine_->state(), TaskState::kKilled);
}

TEST_F(MachineTest, LeftoversOfASuccessfulTaskGetSigtermAndItEndsOnceTheyAreGone) {
  TaskSpec t;
  t.processes = {proc("launcher")};
  make(t);
  control_.listable = true;
  start();
  control_.others = {{900, false}};  // the launcher daemonized this and exited
  exit("launcher", 0);
  EXPECT_EQ(control_.task_signals, (std::vector<int>{SIGTERM}));
  EXPECT_TRUE(control_.others.empty());
  advance_to(now_ + kTeardownPollMs);
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
  EXPECT_EQ(control_.task_signals, (std::vector<int>{SIGTERM}));  // no SIGKILL needed
}

TEST_F(MachineTest, NothingLeftEndsTheTaskWithOneListing) {
  TaskSpec t;
  t.processes = {proc("a")};
  make(t);
  control_.listable = true;
  start();
  exit("a", 0);
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
  EXPECT_EQ(control_.task_signals, (std::vector<int>{SIGTERM}));
  EXPECT_EQ(control_.counts, 0);  // an empty task stays empty: nothing left to fork
}

TEST_F(MachineTest, WhatFinalProcessesLeaveIsSigkilledBeforeTheTaskEnds) {
  TaskSpec t;
  t.processes = {proc("web"), proc("flush")};
  t.processes[1].final = true;
  make(t);
  control_.listable = true;
  start();
  exit("web", 0);
  ASSERT_EQ(machine_->state(), TaskState::kFinalizing);
  control_.others = {{900, true}};  // `flush` started a daemon and exited
  exit("flush", 0);
  EXPECT_EQ(machine_->state(), TaskState::kFinalizing);
  EXPECT_EQ(control_.task_signals, (std::vector<int>{SIGTERM, SIGKILL}));  // no grace here
  advance_to(*machine_->next_wakeup());
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
}

TEST_F(MachineTest, LeftoverThatNeverDiesIsGivenUpOnAfterTheReapTimeout) {
  MachineOptions o;
  make(listed_task("a", &o, &control_), o);
  start();
  control_.others = {{900, true}};
  control_.unkillable = {900};  // stuck in the kernel: survives even SIGKILL
  exit("a", 0);
  for (int i = 0; i < 100 && !machine_->terminal(); ++i) advance_to(*machine_->next_wakeup());
  EXPECT_EQ(machine_->state(), TaskState::kSuccess);
  EXPECT_EQ(now_, kT0 + 1000 + 2000);
  // SIGTERM, then SIGKILL at the grace and again at every poll until the reap timeout.
  EXPECT_EQ(control_.task_signals.size(), 2 + 2000 / kTeardownPollMs);
}

}  // namespace
}  // namespace borealis::runner
