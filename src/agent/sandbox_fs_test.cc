#include "agent/sandbox_fs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/test_util.h"

namespace borealis::agent {
namespace {

using testing::TempDir;
using testing::write_text;

class SandboxFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_ / "sandbox";
    write_text(root_ + "/a.txt", "0123456789");
    write_text(root_ + "/sub/b.txt", "bee");
    write_text(dir_ / "secret", "outside");
    ASSERT_EQ(::symlink("sub/b.txt", (root_ + "/inside-link").c_str()), 0);
    ASSERT_EQ(::symlink("../secret", (root_ + "/climb-link").c_str()), 0);
    ASSERT_EQ(::symlink((dir_ / "secret").c_str(), (root_ + "/abs-link").c_str()), 0);
    ASSERT_EQ(::symlink("..", (root_ + "/sub/up").c_str()), 0);
    ASSERT_EQ(::symlink("../..", (root_ + "/sub/up2").c_str()), 0);
    ASSERT_EQ(::symlink("/", (root_ + "/rootdir").c_str()), 0);
    ASSERT_EQ(::mkfifo((root_ + "/fifo").c_str(), 0644), 0);
  }

  StatusCode code_of(std::string_view rel) {
    auto fd = open_in_sandbox(root_, rel);
    return fd.ok() ? StatusCode::kOk : fd.status().code();
  }

  std::string read_all(std::string_view rel) {
    auto fd = open_in_sandbox(root_, rel);
    if (!fd.ok()) return "ERR " + fd.status().to_string();
    auto chunk = read_chunk(*fd, 0, 1 << 20);
    return chunk.ok() ? chunk->data : "ERR";
  }

  TempDir dir_;
  std::string root_;
};

TEST_F(SandboxFsTest, ReadsFilesAndFollowsNoLinkEvenOneThatStaysInside) {
  EXPECT_EQ(read_all("a.txt"), "0123456789");
  EXPECT_EQ(read_all("sub/b.txt"), "bee");
  EXPECT_EQ(read_all("./sub//b.txt"), "bee");
  EXPECT_EQ(code_of("inside-link"), StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of("sub/up/a.txt"), StatusCode::kPermissionDenied);
}

TEST_F(SandboxFsTest, RefusesEveryWayOut) {
  auto abs = open_in_sandbox(root_, "/etc/passwd");
  ASSERT_FALSE(abs.ok());
  EXPECT_EQ(abs.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(abs.status().message().find("absolute"), std::string::npos);
  auto dots = open_in_sandbox(root_, "sub/../../secret");
  ASSERT_FALSE(dots.ok());
  EXPECT_EQ(dots.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(dots.status().message().find("'..'"), std::string::npos);
  EXPECT_EQ(code_of("sub/../a.txt"), StatusCode::kPermissionDenied);  // no '..' at all

  auto climb = open_in_sandbox(root_, "climb-link");
  ASSERT_FALSE(climb.ok());
  EXPECT_EQ(climb.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(climb.status().message(),
            "'climb-link' is a symlink or goes through one: links are not followed inside a "
            "sandbox");
  EXPECT_EQ(code_of("abs-link"), StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of("rootdir/etc/passwd"), StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of("sub/up2/secret"), StatusCode::kPermissionDenied);
}

TEST_F(SandboxFsTest, MissingPathsAndSpecialFiles) {
  EXPECT_EQ(code_of("nope.txt"), StatusCode::kNotFound);
  EXPECT_EQ(code_of("a.txt/inside"), StatusCode::kNotFound);
  // A FIFO is refused, and opening it does not block the agent.
  EXPECT_EQ(code_of("fifo"), StatusCode::kPermissionDenied);
  auto gone = open_in_sandbox(dir_ / "no-sandbox", "a.txt");
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
}

TEST_F(SandboxFsTest, ListsADirectorySortedWithTypes) {
  for (std::string_view rel : {"", "."}) {
    auto fd = open_in_sandbox(root_, rel);
    ASSERT_TRUE(fd.ok());
    ASSERT_TRUE(is_directory(*fd));
    auto listing = list_directory(*fd);
    ASSERT_TRUE(listing.ok());
    EXPECT_FALSE(listing->truncated);
    const auto& entries = listing->entries;
    std::vector<std::string> names, types;
    for (const auto& e : entries) {
      names.push_back(e.name);
      types.push_back(e.type);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"a.txt", "abs-link", "climb-link", "fifo",
                                               "inside-link", "rootdir", "sub"}));
    EXPECT_EQ(types, (std::vector<std::string>{"file", "symlink", "symlink", "other", "symlink",
                                               "symlink", "directory"}));
    EXPECT_EQ(entries[0].size, 10);
    EXPECT_GT(entries[0].mtime_ms, 0);
  }
  auto fd = open_in_sandbox(root_, "");
  auto bounded = list_directory(*fd, 3);
  ASSERT_TRUE(bounded.ok());
  EXPECT_EQ(bounded->entries.size(), 3u);
  EXPECT_TRUE(bounded->truncated);
}

TEST_F(SandboxFsTest, ReadsRangesFromTheStartOrTheEnd) {
  auto fd = open_in_sandbox(root_, "a.txt");
  ASSERT_TRUE(fd.ok());
  auto mid = read_chunk(*fd, 3, 4);
  ASSERT_TRUE(mid.ok());
  EXPECT_EQ(mid->data, "3456");
  EXPECT_EQ(mid->offset, 3);
  EXPECT_EQ(mid->size, 10);
  auto tail = read_chunk(*fd, -3, 100);
  EXPECT_EQ(tail->data, "789");
  EXPECT_EQ(tail->offset, 7);
  EXPECT_EQ(read_chunk(*fd, -100, 2)->data, "01");
  auto past = read_chunk(*fd, 50, 10);
  EXPECT_EQ(past->data, "");
  EXPECT_EQ(past->offset, 50);
}

}  // namespace
}  // namespace borealis::agent
