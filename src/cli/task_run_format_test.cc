// Unit tests of how `borealis task run` shows the agents' answers.
#include "cli/task_run_format.h"

#include <gtest/gtest.h>

namespace borealis::cli {
namespace {

api::TaskRunResult answer(std::string output, int64_t exit_code = 0) {
  api::TaskRunResult r;
  r.task_id = "t";
  r.exit_code = exit_code;
  r.output_bytes = static_cast<int64_t>(output.size());
  r.output = std::move(output);
  return r;
}

TEST(TaskRunFormatTest, PrefixesEveryLineWithItsInstanceAndShowsAnUnfinishedLastOne) {
  EXPECT_EQ(task_run_output(3, answer("a\nb\nno newline"), false),
            "[3] a\n[3] b\n[3] no newline\n");
  EXPECT_EQ(task_run_output(0, answer(""), false), "");
  EXPECT_EQ(task_run_problems(3, "ls", answer("a\n")), "");
}

TEST(TaskRunFormatTest, ControlCharactersCannotDriveTheTerminal) {
  EXPECT_EQ(task_run_output(1, answer("\x1b[2Jgone\n"), false), "[1] ^[[2Jgone\n");
  std::string coloured = task_run_output(1, answer("x\n"), true);
  EXPECT_NE(coloured.find("\x1b["), std::string::npos);  // the prefix only
  EXPECT_NE(coloured.find("x\n"), std::string::npos);
}

TEST(TaskRunFormatTest, SaysWhatWentWrong) {
  EXPECT_EQ(task_run_problems(2, "false", answer("", 1)),
            "instance 2: `false` exited with status 1\n");
  api::TaskRunResult slow = answer("", -1);
  slow.timed_out = true;
  slow.signal = 9;
  slow.duration_ms = 1002;
  EXPECT_EQ(task_run_problems(0, "sleep 9", slow),
            "instance 0: `sleep 9` timed out after 1002 ms and was killed\n");
  api::TaskRunResult killed = answer("", -1);
  killed.signal = 15;
  EXPECT_EQ(task_run_problems(0, "x", killed), "instance 0: `x` was killed by signal 15\n");
  api::TaskRunResult big = answer("abc");
  big.output_bytes = 5000000;
  big.output_cut = true;
  EXPECT_EQ(task_run_problems(4, "yes", big), "instance 4: output cut after 3 of 5000000 bytes\n");
}

}  // namespace
}  // namespace borealis::cli
