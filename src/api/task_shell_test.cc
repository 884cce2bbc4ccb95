#include "api/task_shell.h"

#include <gtest/gtest.h>

namespace borealis::api {
namespace {

TEST(TaskShellTest, FramesSurviveArrivingByteByByte) {
  std::string wire = encode_shell_frame(ShellFrameType::kInput, "id -un\n") +
                     encode_shell_frame(ShellFrameType::kResize, encode_window_size({50, 132})) +
                     encode_shell_frame(ShellFrameType::kOutput, "");
  ShellFrameReader reader;
  std::vector<ShellFrame> frames;
  for (char c : wire) {
    reader.feed(std::string_view(&c, 1));
    for (;;) {
      auto f = reader.next();
      ASSERT_TRUE(f.ok()) << f.status().message();
      if (!*f) break;
      frames.push_back(std::move(**f));
    }
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].type, ShellFrameType::kInput);
  EXPECT_EQ(frames[0].payload, "id -un\n");
  EXPECT_EQ(frames[1].type, ShellFrameType::kResize);
  EXPECT_EQ(decode_window_size(frames[1].payload).value(), (WindowSize{50, 132}));
  EXPECT_EQ(frames[2].type, ShellFrameType::kOutput);
  EXPECT_EQ(frames[2].payload, "");
}

TEST(TaskShellTest, RefusesUnknownTypesAndOversizedFrames) {
  ShellFrameReader unknown;
  unknown.feed("z");
  EXPECT_EQ(unknown.next().status().message(), "shell frame of unknown type 122");
  ShellFrameReader big;
  big.feed(std::string("o\x00\x01\x00\x01", 5));  // 65537 bytes announced
  EXPECT_EQ(big.next().status().message(), "shell frame of 65537 bytes: over 65536");
}

TEST(TaskShellTest, ExitAndWindowSizeRoundTripWithinBounds) {
  EXPECT_EQ(decode_shell_exit(encode_shell_exit({3, 0})).value(), (ShellExit{3, 0}));
  EXPECT_EQ(decode_shell_exit(encode_shell_exit({-1, 9})).value().status(), 137);
  EXPECT_FALSE(decode_shell_exit(encode_shell_exit({300, 0})).ok());
  EXPECT_FALSE(decode_shell_exit("abc").ok());
  EXPECT_EQ(decode_window_size(encode_window_size({0, 80})).status().message(),
            "terminal rows: expected 1 to 4096, got 0");
  EXPECT_FALSE(decode_window_size(encode_window_size({24, 5000})).ok());
  EXPECT_FALSE(decode_window_size("1234").ok());
}

TEST(TaskShellTest, TermNamesAreBounded) {
  EXPECT_TRUE(check_term("xterm-256color").ok());
  EXPECT_FALSE(check_term("").ok());
  EXPECT_FALSE(check_term("xterm;rm -rf /").ok());
  EXPECT_FALSE(check_term(std::string(65, 'x')).ok());
}

}  // namespace
}  // namespace borealis::api
