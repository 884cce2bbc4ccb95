#include "cli/text_diff.h"

#include <gtest/gtest.h>

namespace borealis::cli {
namespace {

TEST(TextDiffTest, SameTextsHaveNoDiff) {
  EXPECT_EQ(unified_diff("a\nb\n", "a\nb\n", "old", "new"), "");
  EXPECT_EQ(unified_diff("", "", "old", "new"), "");
}

TEST(TextDiffTest, OneChangeWithContext) {
  std::string old_text = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string new_text = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(unified_diff(old_text, new_text, "a", "b"),
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(TextDiffTest, DistantChangesGetTheirOwnHunks) {
  std::string old_text, new_text;
  for (int i = 1; i <= 20; ++i) {
    old_text += std::to_string(i) + "\n";
    new_text += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  std::string d = unified_diff(old_text, new_text, "a", "b", 1);
  EXPECT_EQ(d,
            "--- a\n+++ b\n"
            "@@ -1,3 +1,3 @@\n 1\n-2\n+x\n 3\n"
            "@@ -17,3 +17,3 @@\n 17\n-18\n+x\n 19\n");
}

TEST(TextDiffTest, AddedAndRemovedLines) {
  EXPECT_EQ(unified_diff("a\nb\n", "a\nb\nc\n", "o", "n"),
            "--- o\n+++ n\n@@ -1,2 +1,3 @@\n a\n b\n+c\n");
  EXPECT_EQ(unified_diff("a\n", "", "o", "n"), "--- o\n+++ n\n@@ -1 +0,0 @@\n-a\n");
}

}  // namespace
}  // namespace borealis::cli
