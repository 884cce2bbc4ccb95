#include "common/beneath.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "testing/temp_dir.h"

namespace borealis {
namespace {

using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A task directory with the kinds of traps a task can set in it, and a host file
// outside it that must never be read or written through it.
class BeneathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_ / "task";
    dir_.write("task/a.txt", "0123456789");
    dir_.write("task/sub/b.txt", "bee");
    host_ = dir_.write("host-file", "host data");
    link("sub/b.txt", "task/inside-link");
    link("../host-file", "task/climb-link");
    link(host_, "task/abs-link");
    link("..", "task/sub/up");
    link(dir_.path(), "task/dirlink");
    ASSERT_EQ(::mkfifo((root_ + "/fifo").c_str(), 0644), 0);
  }

  void link(const std::string& target, const std::string& rel) {
    ASSERT_EQ(::symlink(target.c_str(), (dir_ / rel).c_str()), 0) << rel;
  }

  Status open_status(std::string_view rel, OpenIntent intent = OpenIntent::kReadFile) {
    auto fd = open_beneath(root_, rel, intent);
    return fd.ok() ? Status() : fd.status();
  }

  TempDir dir_{"beneath-test"};
  std::string root_;
  std::string host_;
};

TEST_F(BeneathTest, ReadsRegularFilesBeneathTheDirectory) {
  EXPECT_EQ(*read_beneath(root_, "a.txt", 100), "0123456789");
  EXPECT_EQ(*read_beneath(root_, "./sub//b.txt", 100), "bee");
  auto dir = open_beneath(root_, "sub", OpenIntent::kDirectory);
  ASSERT_TRUE(dir.ok()) << dir.status().to_string();
  EXPECT_TRUE(open_beneath(*dir, "sub", "b.txt", OpenIntent::kReadFile).ok());
}

TEST_F(BeneathTest, RefusesEverySymlinkAsLeafOrComponent) {
  for (const char* rel :
       {"inside-link", "climb-link", "abs-link", "sub/up/a.txt", "dirlink/host-file"}) {
    Status st = open_status(rel);
    EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << rel << ": " << st.to_string();
    EXPECT_NE(st.message().find("symlink"), std::string::npos) << st.message();
  }
  EXPECT_EQ(open_status("dirlink", OpenIntent::kDirectory).code(), StatusCode::kPermissionDenied);
}

TEST_F(BeneathTest, RefusesAbsolutePathsAndDotDot) {
  EXPECT_NE(open_status("/etc/passwd").message().find("absolute"), std::string::npos);
  EXPECT_NE(open_status("sub/../a.txt").message().find("'..'"), std::string::npos);
  EXPECT_EQ(open_status(std::string_view("a\0b", 3)).code(), StatusCode::kPermissionDenied);
}

TEST_F(BeneathTest, RefusesAFifoWithoutBlocking) {
  auto start = std::chrono::steady_clock::now();
  Status st = open_status("fifo");
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(st.message().find("a FIFO"), std::string::npos) << st.message();
  // Opened for writing with no reader, and appended to: refused too, still at once.
  EXPECT_EQ(open_status("fifo", OpenIntent::kAppend).code(), StatusCode::kPermissionDenied);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(BeneathTest, RefusesACharacterDeviceLikeDevZero) {
  auto zero = open_beneath(std::string("/dev"), "zero", OpenIntent::kReadFile);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(zero.status().message().find("a character device"), std::string::npos)
      << zero.status().message();
  auto read = read_beneath("/dev", "zero", 1 << 20);
  EXPECT_EQ(read.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(BeneathTest, AHugeFileIsRefusedBeforeItIsRead) {
  int fd = ::open((root_ + "/huge").c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, int64_t{64} << 30), 0);  // 64 GiB, sparse
  ::close(fd);
  auto start = std::chrono::steady_clock::now();
  auto text = read_beneath(root_, "huge", 4 << 20);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(text.status().message().find("larger than 4194304 bytes"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  // A bounded read takes only what it is asked for.
  auto opened = open_beneath(root_, "huge", OpenIntent::kReadFile);
  ASSERT_TRUE(opened.ok());
  auto piece = read_at_most(*opened, int64_t{32} << 30, 3 * kReadPieceBytes + 5);
  ASSERT_TRUE(piece.ok());
  EXPECT_EQ(piece->size(), 3 * kReadPieceBytes + 5);
}

TEST_F(BeneathTest, ABoundedReadSeesTheWholeFileAndWhatItGrewBy) {
  std::string path = root_ + "/growing";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND, 0644);
  ASSERT_GE(fd, 0);
  std::string first(kReadPieceBytes + 7, 'a');
  ASSERT_EQ(::write(fd, first.data(), first.size()), static_cast<ssize_t>(first.size()));
  auto opened = open_beneath(root_, "growing", OpenIntent::kReadFile);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*read_at_most(*opened, 0, 1 << 20), first);
  EXPECT_EQ(*read_at_most(*opened, 5, 3), "aaa");
  EXPECT_EQ(*read_at_most(*opened, static_cast<int64_t>(first.size()), 100), "");
  EXPECT_EQ(*read_at_most(*opened, int64_t{1} << 40, 100), "");
  ASSERT_EQ(::write(fd, "bc\n", 3), 3);
  EXPECT_EQ(*read_at_most(*opened, static_cast<int64_t>(first.size()) - 1, 100), "abc\n");
  EXPECT_EQ(read_at_most(*opened, 0, 1 << 20)->size(), first.size() + 3);
  ::close(fd);
}

TEST_F(BeneathTest, AHeldDirectoryStaysPutWhenItsPathIsSwappedForALink) {
  auto dir = open_directory(root_ + "/sub");
  ASSERT_TRUE(dir.ok());
  // The task moves sub away and puts a link to the host directory in its place.
  ASSERT_EQ(::rename((root_ + "/sub").c_str(), (root_ + "/moved").c_str()), 0);
  link(dir_.path(), "task/sub");
  auto held = open_beneath(*dir, "sub", "b.txt", OpenIntent::kReadFile);
  ASSERT_TRUE(held.ok()) << held.status().to_string();
  EXPECT_EQ(*read_at_most(*held, 0, 10), "bee");
  EXPECT_FALSE(open_beneath(*dir, "sub", "host-file", OpenIntent::kReadFile).ok());
  // Reopened by path, the swapped directory is refused, not followed.
  EXPECT_EQ(open_status("sub/host-file").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(open_directory(root_ + "/sub").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(BeneathTest, CreatingReplacesALinkWithoutTouchingItsTarget) {
  // The task planted links where root is about to write.
  link(host_, "task/out");
  auto fresh = open_beneath(root_, "out", OpenIntent::kCreateFresh, 0600);
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  ASSERT_EQ(::write(fresh->get(), "new", 3), 3);
  EXPECT_EQ(slurp(host_), "host data");
  EXPECT_EQ(slurp(root_ + "/out"), "new");
  struct stat st {};
  ASSERT_EQ(::lstat((root_ + "/out").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  link(host_, "task/log");
  EXPECT_EQ(open_status("log", OpenIntent::kAppend).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(open_status("dirlink/new-file", OpenIntent::kCreateFresh).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(slurp(host_), "host data");
  EXPECT_FALSE(std::ifstream(dir_ / "new-file").good());
}

TEST_F(BeneathTest, MissingIsNotFoundAndNamesThePath) {
  Status st = open_status("nope");
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(), "cannot open " + root_ + "/nope: No such file or directory");
  EXPECT_EQ(open_status("a.txt/x").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace borealis
