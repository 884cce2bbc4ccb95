#include "taskcontract/process_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace borealis::taskcontract {
namespace {

// A task in a line: processes by name with their kind, and the order constraints.
struct Case {
  std::vector<ProcessView> processes;
  std::vector<std::vector<std::string>> orders;

  std::string check() const {
    std::vector<OrderView> views(orders.begin(), orders.end());
    Status st = check_processes(processes, views);
    return st.ok() ? "ok" : st.message();
  }
};

ProcessView regular(std::string_view name) { return {name}; }
ProcessView daemon(std::string_view name) { return {name, true, false, false}; }
ProcessView ephemeral(std::string_view name) { return {name, false, true, false}; }
ProcessView final_process(std::string_view name) { return {name, false, false, true}; }

TEST(ProcessRulesTest, AcceptsWhatThermosRuns) {
  EXPECT_EQ((Case{{regular("setup"), daemon("web")}, {{"setup", "web"}}}.check()), "ok");
  EXPECT_EQ((Case{{ephemeral("a"), ephemeral("b")}, {{"a", "b"}}}.check()), "ok");
  EXPECT_EQ((Case{{regular("a"), ephemeral("b")}, {{"a", "b"}}}.check()), "ok");
  EXPECT_EQ((Case{{final_process("a"), final_process("b")}, {{"a", "b"}}}.check()), "ok");
  EXPECT_EQ((Case{{regular("a"), regular("b"), regular("c")}, {{"a", "b"}, {"a", "c"}, {"b", "c"}}}
                 .check()),
            "ok");
  EXPECT_EQ((Case{{regular("a")}, {{}, {"a"}}}.check()), "ok");
}

TEST(ProcessRulesTest, NothingWaitsOnADaemon) {
  EXPECT_EQ((Case{{daemon("loop"), regular("after")}, {{"loop", "after"}}}.check()),
            "task.constraints[0].order: process 'after' may not wait on daemon process 'loop' (a "
            "daemon never finishes)");
  // Not even another daemon, and wherever the pair sits in a longer order.
  EXPECT_EQ((Case{{regular("a"), daemon("b"), daemon("c")}, {{"a"}, {"a", "b", "c"}}}.check()),
            "task.constraints[1].order: process 'c' may not wait on daemon process 'b' (a daemon "
            "never finishes)");
}

TEST(ProcessRulesTest, ARegularProcessNeverWaitsOnAnEphemeralOne) {
  EXPECT_EQ((Case{{ephemeral("side"), regular("main")}, {{"side", "main"}}}.check()),
            "task.constraints[0].order: non-ephemeral process 'main' may not wait on ephemeral "
            "process 'side' (the task does not wait for an ephemeral process to finish)");
}

TEST(ProcessRulesTest, FinalAndRegularProcessesDoNotMix) {
  std::string want =
      "task.constraints[0].order: orders final process 'upload' with regular process 'main'; "
      "final processes always run after regular ones";
  EXPECT_EQ((Case{{regular("main"), final_process("upload")}, {{"main", "upload"}}}.check()), want);
  EXPECT_EQ((Case{{regular("main"), final_process("upload")}, {{"upload", "main"}}}.check()), want);
}

TEST(ProcessRulesTest, OrdersNameKnownProcesses) {
  EXPECT_EQ((Case{{regular("a"), regular("b")}, {{"a", "b"}, {"b", "c"}}}.check()),
            "task.constraints[1].order[1]: names process 'c', which the task does not have");
}

TEST(ProcessRulesTest, ACycleIsNamedByAProcessOnIt) {
  // 'z' waits behind the cycle a -> b -> a but is not on it.
  EXPECT_EQ(
      (Case{{regular("z"), regular("a"), regular("b")}, {{"b", "z"}, {"a", "b", "a"}}}.check()),
      "task.constraints: order constraints form a cycle through process 'b'");
  EXPECT_EQ((Case{{regular("a")}, {{"a", "a"}}}.check()),
            "task.constraints: order constraints form a cycle through process 'a'");
}

TEST(ProcessRulesTest, NamesAreUniqueAndUsableAsDirectoryNames) {
  EXPECT_EQ((Case{{}, {}}.check()), "task.processes: a task needs at least one process");
  EXPECT_EQ((Case{{regular("a"), regular("a")}, {}}.check()),
            "task.processes[1].name: duplicate process name 'a'");
  EXPECT_EQ((Case{{regular("")}, {}}.check()),
            "task.processes[0].name: a process name cannot be empty");
  EXPECT_EQ((Case{{regular("ok"), regular("..")}, {}}.check()),
            "task.processes[1].name: process name '..' starts with '.'");
  EXPECT_EQ((Case{{regular("a/b")}, {}}.check()),
            "task.processes[0].name: process name 'a/b' contains '/' or NUL");
  EXPECT_NE((Case{{regular(std::string_view("a\0b", 3))}, {}}.check()).find("contains '/' or NUL"),
            std::string::npos);
  std::string long_name(256, 'x');
  EXPECT_EQ((Case{{regular(long_name)}, {}}.check()),
            "task.processes[0].name: a process name is at most 255 bytes");
  EXPECT_EQ((Case{{regular(std::string(255, 'x'))}, {}}.check()), "ok");
}

}  // namespace
}  // namespace borealis::taskcontract
