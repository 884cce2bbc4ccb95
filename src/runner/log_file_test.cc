#include "runner/log_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::exists;
using testing::read_file;
using testing::TempSandbox;

Result<LogFile> open_log(const TempSandbox& dir, int64_t max_bytes, int64_t backups) {
  auto fd = open_directory(dir.path());
  if (!fd.ok()) return fd.status();
  return LogFile::open(std::move(fd).value(), dir.path(), "stdout", max_bytes, backups);
}

int64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

TEST(LogFileTest, WithoutALimitItAppends) {
  TempSandbox dir;
  testing::write_file(dir.file("stdout"), "before\n");
  auto log = open_log(dir, 0, 0);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  ASSERT_TRUE(log->write(std::string(5000, 'x')).ok());
  EXPECT_EQ(file_size(dir.file("stdout")), 7 + 5000);
  EXPECT_FALSE(exists(dir.file("stdout.1")));
}

TEST(LogFileTest, RotatesExactlyAtTheBoundary) {
  TempSandbox dir;
  auto log = open_log(dir, 1024, 2);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  ASSERT_TRUE(log->write(std::string(1024, 'a')).ok());
  // A full file is rotated only when more bytes come, so exactly log_size stays in stdout.
  EXPECT_EQ(file_size(dir.file("stdout")), 1024);
  EXPECT_FALSE(exists(dir.file("stdout.1")));
  ASSERT_TRUE(log->write("b").ok());
  EXPECT_EQ(read_file(dir.file("stdout")), "b");
  EXPECT_EQ(read_file(dir.file("stdout.1")), std::string(1024, 'a'));
}

TEST(LogFileTest, SplitsOneLargeWriteAcrossFilesAndKeepsTheNewestBytes) {
  TempSandbox dir;
  auto log = open_log(dir, 1024, 2);
  ASSERT_TRUE(log.ok());
  // 5 KiB in one write: a, b, c, d, e 1 KiB each (with a partial line at each boundary).
  std::string data;
  for (char c : std::string("abcde")) data += std::string(1023, c) + "\n";
  ASSERT_TRUE(log->write(data).ok());
  EXPECT_EQ(read_file(dir.file("stdout")), std::string(1023, 'e') + "\n");
  EXPECT_EQ(read_file(dir.file("stdout.1")), std::string(1023, 'd') + "\n");
  EXPECT_EQ(read_file(dir.file("stdout.2")), std::string(1023, 'c') + "\n");
  EXPECT_FALSE(exists(dir.file("stdout.3")));  // the oldest was replaced, not kept
}

TEST(LogFileTest, TotalStaysWithinSizeTimesBackupsPlusOne) {
  TempSandbox dir;
  auto log = open_log(dir, 4096, 3);
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(log->write("line " + std::to_string(i) + "\n").ok());
  int64_t total = 0;
  for (const char* name : {"stdout", "stdout.1", "stdout.2", "stdout.3"}) {
    int64_t size = file_size(dir.file(name));
    ASSERT_GE(size, 0) << name;
    EXPECT_LE(size, 4096) << name;
    total += size;
  }
  EXPECT_FALSE(exists(dir.file("stdout.4")));
  EXPECT_LE(total, 4096 * 4);
  std::string current = read_file(dir.file("stdout"));
  ASSERT_GE(current.size(), 10u);
  EXPECT_EQ(current.substr(current.size() - 10), "line 2999\n");
}

TEST(LogFileTest, AnExistingFullFileIsRotatedBeforeTheFirstWrite) {
  TempSandbox dir;
  testing::write_file(dir.file("stdout"), std::string(2048, 'o'));
  auto log = open_log(dir, 1024, 1);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE(log->write("new").ok());
  EXPECT_EQ(read_file(dir.file("stdout")), "new");
  EXPECT_EQ(file_size(dir.file("stdout.1")), 2048);
}

TEST(LogFileTest, RefusesALinkPlantedAsTheLog) {
  TempSandbox dir;
  testing::write_file(dir.file("target"), "");
  ASSERT_EQ(::symlink(dir.file("target").c_str(), dir.file("stdout").c_str()), 0);
  auto log = open_log(dir, 0, 0);
  EXPECT_FALSE(log.ok());
}

}  // namespace
}  // namespace borealis::runner
